/// Builds the payloads of every server answer in the command phase, formatted for the capabilities
/// negotiated on this connection (the EOF mode above all). Pure: returns payloads; the driver frames them.
public struct ResponseEncoder: Sendable {
    public var capabilities: Capabilities

    public init(capabilities: Capabilities) { self.capabilities = capabilities }

    private var deprecateEOF: Bool { capabilities.contains(.deprecateEOF) }

    public func ok(affectedRows: UInt64 = 0, lastInsertID: UInt64 = 0, status: ServerStatus,
                   warnings: UInt16 = 0, info: String = "") -> [UInt8] {
        OKPacket(affectedRows: affectedRows, lastInsertID: lastInsertID, status: status, warnings: warnings, info: info).encode()
    }

    public func error(_ err: ERRPacket) -> [UInt8] { err.encode(protocol41: capabilities.contains(.protocol41)) }

    /// The packet that ends a list of definitions or rows: EOF, or OK-with-0xFE under DEPRECATE_EOF.
    public func terminator(status: ServerStatus, warnings: UInt16 = 0) -> [UInt8] {
        deprecateEOF ? OKPacket(status: status, warnings: warnings, asEOF: true).encode()
                     : EOFPacket(warnings: warnings, status: status).encode()
    }

    /// Text-protocol result set: count, definitions, [EOF], rows (NULL as 0xFB), terminator.
    public func resultSet(columns: [ColumnDefinition41], rows: [[String?]], status: ServerStatus) -> [[UInt8]] {
        var out: [[UInt8]] = []
        out.reserveCapacity(columns.count + rows.count + 3)
        var count = ByteWriter(capacity: 9)
        count.lenenc(UInt64(columns.count))
        out.append(count.bytes)
        for c in columns { out.append(c.encode()) }
        if !deprecateEOF { out.append(EOFPacket(status: status).encode()) }
        for row in rows { out.append(Self.textRow(row)) }
        out.append(terminator(status: status))
        return out
    }

    public static func textRow(_ row: [String?]) -> [UInt8] {
        var w = ByteWriter(capacity: row.count * 8)
        for value in row {
            if let value { w.lenencString(value) } else { w.int1(0xFB) }
        }
        return w.bytes
    }

    /// COM_FIELD_LIST answer: definitions with the default-value field, then a terminator; no count.
    public func fieldList(columns: [(ColumnDefinition41, default: String?)], status: ServerStatus) -> [[UInt8]] {
        columns.map { $0.0.encode(fieldListDefault: .some($0.default)) } + [terminator(status: status)]
    }
}
