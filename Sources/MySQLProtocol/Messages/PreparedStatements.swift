/// COM_STMT_PREPARE_OK header (reference §2.5): the definitions that follow are sent separately.
public struct StmtPrepareOK: Equatable, Sendable {
    public var statementID: UInt32
    public var columnCount: UInt16
    public var parameterCount: UInt16
    public init(statementID: UInt32, columnCount: UInt16, parameterCount: UInt16) {
        self.statementID = statementID; self.columnCount = columnCount; self.parameterCount = parameterCount
    }
    public func encode() -> [UInt8] {
        var w = ByteWriter(capacity: 12)
        w.int1(0); w.int4(statementID); w.int2(columnCount); w.int2(parameterCount); w.int1(0); w.int2(0)
        return w.bytes
    }
}

/// A parameter value of COM_STMT_EXECUTE, decoded from the binary protocol.
public enum BoundParameter: Equatable, Sendable {
    case null
    case int(Int64)
    case uint(UInt64)
    case double(Double)
    /// Strings, decimals, blobs and dates (dates as `YYYY-MM-DD[ hh:mm:ss[.ffffff]]`, times as `[-]hh:mm:ss`).
    case text(String)
    case bytes([UInt8])
}

/// COM_STMT_EXECUTE, decoded against the statement's parameter count and the types bound by a
/// previous execute (clients may send types only once). Parameters whose data came through
/// COM_STMT_SEND_LONG_DATA are absent from the packet and are filled from `longData`.
public struct ComStmtExecute: Equatable, Sendable {
    public var statementID: UInt32
    public var parameters: [BoundParameter]
    /// The parameter types in force after this execute (type byte, unsigned flag).
    public var types: [(UInt8, Bool)] { typeList.map { ($0.type, $0.unsigned) } }
    var typeList: [ParameterType]

    struct ParameterType: Equatable, Sendable { var type: UInt8; var unsigned: Bool }

    public static func == (a: ComStmtExecute, b: ComStmtExecute) -> Bool {
        a.statementID == b.statementID && a.parameters == b.parameters && a.typeList == b.typeList
    }

    /// - Parameters:
    ///   - payload: the packet after the command byte's statement id, i.e. `ClientCommand.stmtExecute.payload`.
    public init(statementID: UInt32, payload: [UInt8], parameterCount: Int, previousTypes: [(UInt8, Bool)],
                longData: [Int: [UInt8]] = [:]) throws(ProtocolError) {
        self.statementID = statementID
        var r = ByteReader(payload)
        _ = try r.int1()            // flags (cursor type): no cursors, results are sent at once
        _ = try r.int4()            // iteration count, always 1
        parameters = []
        typeList = previousTypes.map { ParameterType(type: $0.0, unsigned: $0.1) }
        guard parameterCount > 0 else { return }
        let bitmap = try r.bytes((parameterCount + 7) / 8)
        let newBound = r.isAtEnd ? 0 : try r.int1()
        if newBound == 1 {
            typeList = []
            for _ in 0..<parameterCount {
                let t = try r.int1(), flags = try r.int1()
                typeList.append(ParameterType(type: t, unsigned: flags & 0x80 != 0))
            }
        }
        guard typeList.count == parameterCount else { throw .malformed("parameter types were never bound") }
        for i in 0..<parameterCount {
            if bitmap[i / 8] & (1 << (i % 8)) != 0 { parameters.append(.null); continue }
            if let data = longData[i] { parameters.append(.bytes(data)); continue }
            parameters.append(try Self.value(typeList[i], &r))
        }
    }

    private static func value(_ t: ParameterType, _ r: inout ByteReader) throws(ProtocolError) -> BoundParameter {
        switch t.type {
        case ColumnType.null.rawValue: return .null
        case ColumnType.tiny.rawValue:
            let v = try r.int1(); return t.unsigned ? .uint(UInt64(v)) : .int(Int64(Int8(bitPattern: v)))
        case ColumnType.short.rawValue, ColumnType.year.rawValue:
            let v = try r.int2(); return t.unsigned ? .uint(UInt64(v)) : .int(Int64(Int16(bitPattern: v)))
        case ColumnType.long.rawValue, ColumnType.int24.rawValue:
            let v = try r.int4(); return t.unsigned ? .uint(UInt64(v)) : .int(Int64(Int32(bitPattern: v)))
        case ColumnType.longlong.rawValue:
            let v = try r.int8(); return t.unsigned ? .uint(v) : .int(Int64(bitPattern: v))
        case ColumnType.float.rawValue: return .double(Double(Float(bitPattern: try r.int4())))
        case ColumnType.double.rawValue: return .double(Double(bitPattern: try r.int8()))
        case ColumnType.date.rawValue, ColumnType.datetime.rawValue, ColumnType.timestamp.rawValue:
            let n = Int(try r.int1())
            guard [0, 4, 7, 11].contains(n) else { throw .malformed("bad date length \(n)") }
            if n == 0 { return .text("0000-00-00 00:00:00") }
            let y = try r.int2(), mo = try r.int1(), d = try r.int1()
            var s = "\(pad(Int(y), 4))-\(pad(Int(mo)))-\(pad(Int(d)))"
            if n >= 7 {
                let h = try r.int1(), mi = try r.int1(), se = try r.int1()
                s += " \(pad(Int(h))):\(pad(Int(mi))):\(pad(Int(se)))"
                if n == 11 { s += "." + pad(Int(try r.int4()), 6) }
            }
            return .text(s)
        case ColumnType.time.rawValue:
            let n = Int(try r.int1())
            guard [0, 8, 12].contains(n) else { throw .malformed("bad time length \(n)") }
            if n == 0 { return .text("00:00:00") }
            let negative = try r.int1() == 1
            let days = try r.int4(), h = try r.int1(), mi = try r.int1(), se = try r.int1()
            if n == 12 { _ = try r.int4() }
            return .text("\(negative ? "-" : "")\(pad(Int(days) * 24 + Int(h))):\(pad(Int(mi))):\(pad(Int(se)))")
        default:
            let bytes = try r.lenencBytes()
            if t.type == ColumnType.blob.rawValue || (0xF9...0xFC).contains(t.type) { return .bytes(bytes) }
            return .text(String(decoding: bytes, as: UTF8.self))
        }
    }

    private static func pad(_ v: Int, _ n: Int = 2) -> String {
        let s = String(v)
        return String(repeating: "0", count: max(0, n - s.count)) + s
    }
}

/// Binary-protocol result rows: a 0x00 header, a NULL bitmap with offset 2, then each non-NULL value
/// in its column type's binary form. Values arrive as the text-protocol strings.
public enum BinaryRow {
    public static func encode(_ row: [String?], columns: [ColumnDefinition41]) -> [UInt8] {
        var w = ByteWriter(capacity: 16 + row.count * 8)
        encode(row, columns: columns, into: &w)
        return w.bytes
    }

    public static func encode(_ row: [String?], columns: [ColumnDefinition41], into w: inout ByteWriter) {
        w.int1(0)
        var bitmap = [UInt8](repeating: 0, count: (columns.count + 7 + 2) / 8)
        for (i, v) in row.enumerated() where v == nil { bitmap[(i + 2) / 8] |= 1 << ((i + 2) % 8) }
        w.raw(bitmap)
        for (i, v) in row.enumerated() {
            guard let v else { continue }
            switch columns[i].type {
            case .tiny: w.int1(UInt8(truncatingIfNeeded: Int64(v) ?? 0))
            case .short, .year: w.int2(UInt16(truncatingIfNeeded: Int64(v) ?? 0))
            case .long, .int24: w.int4(UInt32(truncatingIfNeeded: Int64(v) ?? 0))
            case .longlong: w.int8(UInt64(bitPattern: Int64(v) ?? 0))
            case .float: w.int4((Float(v) ?? 0).bitPattern)
            case .double: w.int8((Double(v) ?? 0).bitPattern)
            case .date, .datetime, .timestamp: encodeDate(v, into: &w)
            case .null: break
            default: w.lenencString(v)
            }
        }
    }

    private static func encodeDate(_ s: String, into w: inout ByteWriter) {
        let parts = s.split(whereSeparator: { $0 == "-" || $0 == " " || $0 == ":" || $0 == "." }).map { Int($0) ?? 0 }
        guard parts.count >= 3 else { w.int1(0); return }
        let hasTime = parts.count >= 6 && parts[3...5].contains { $0 != 0 }
        let micro = parts.count >= 7 ? parts[6] : 0
        w.int1(micro != 0 ? 11 : hasTime ? 7 : 4)
        w.int2(UInt16(parts[0])); w.int1(UInt8(parts[1])); w.int1(UInt8(parts[2]))
        if hasTime || micro != 0 { w.int1(UInt8(parts[3])); w.int1(UInt8(parts[4])); w.int1(UInt8(parts[5])) }
        if micro != 0 { w.int4(UInt32(micro)) }
    }
}

extension ResponseEncoder {
    /// COM_STMT_PREPARE answer: header, parameter definitions [EOF], column definitions [EOF].
    public func prepareOK(statementID: UInt32, parameterCount: Int, columns: [ColumnDefinition41], status: ServerStatus,
                          into out: inout PacketWriter) {
        out.packet(StmtPrepareOK(statementID: statementID, columnCount: UInt16(columns.count), parameterCount: UInt16(parameterCount)).encode())
        if parameterCount > 0 {
            let parameter = ColumnDefinition41(name: "?", type: .varString, characterSet: 33)
            for _ in 0..<parameterCount { out.packet { parameter.encode(into: &$0) } }
            if !capabilities.contains(.deprecateEOF) { out.packet(EOFPacket(status: status).encode()) }
        }
        if !columns.isEmpty {
            for c in columns { out.packet { c.encode(into: &$0) } }
            if !capabilities.contains(.deprecateEOF) { out.packet(EOFPacket(status: status).encode()) }
        }
    }

}
