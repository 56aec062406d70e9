/// Builds the payloads of every server answer in the command phase, formatted for the capabilities
/// negotiated on this connection (the EOF mode above all). Pure: small answers are returned as payloads,
/// result sets are written into a ``PacketWriter`` (the driver's send buffer), one packet per row in place.
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

    /// A result set: column count, definitions, [EOF], one packet per row written in place by `row` (text protocol:
    /// ``ByteWriter/lenencText(_:)`` per value; binary: ``BinaryRow``), terminator.
    public func resultSet<Row>(columns: [ColumnDefinition41], rows: some Sequence<Row>, status: ServerStatus, into out: inout PacketWriter,
                               row: (Row, inout ByteWriter) -> Void) {
        out.packet { $0.lenenc(UInt64(columns.count)) }
        for c in columns { out.packet { c.encode(into: &$0) } }
        if !deprecateEOF { out.packet(EOFPacket(status: status).encode()) }
        for r in rows { out.packet { row(r, &$0) } }
        out.packet(terminator(status: status))
    }

    /// COM_FIELD_LIST answer: definitions with the default-value field, then a terminator; no count.
    public func fieldList(columns: [(ColumnDefinition41, default: String?)], status: ServerStatus, into out: inout PacketWriter) {
        for c in columns { out.packet { c.0.encode(fieldListDefault: .some(c.default), into: &$0) } }
        out.packet(terminator(status: status))
    }
}
