import Expressions
import MySQLProtocol
import SQLParser

/// Maps StarRocks result types to MySQL column definitions (type code, length, charset, flags).
/// Text columns carry utf8 (33) and no BINARY flag, so drivers decode them as strings (reference §2.3).
enum ColumnDefinitions {
    static let utf8: UInt16 = 33
    static let binary: UInt16 = 63

    static func definition(for c: ResultColumn) -> ColumnDefinition41 {
        var flags: ColumnFlags = c.nullable ? [] : [.notNull]
        let (type, length, charset, decimals): (ColumnType, UInt32, UInt16, UInt8)
        switch c.type {
        case .boolean: (type, length, charset, decimals) = (.tiny, 1, binary, 0)
        case .tinyint: (type, length, charset, decimals) = (.tiny, 4, binary, 0)
        case .smallint: (type, length, charset, decimals) = (.short, 6, binary, 0)
        case .int: (type, length, charset, decimals) = (.long, 11, binary, 0)
        case .bigint: (type, length, charset, decimals) = (.longlong, 20, binary, 0)
        case .float: (type, length, charset, decimals) = (.float, 12, binary, 31)
        case .double: (type, length, charset, decimals) = (.double, 22, binary, 31)
        case .decimal(let p, let s): (type, length, charset, decimals) = (.newDecimal, UInt32(p + 2), binary, UInt8(s))
        case .date: (type, length, charset, decimals) = (.date, 10, binary, 0)
        case .datetime: (type, length, charset, decimals) = (.datetime, 19, binary, 0)
        case .time: (type, length, charset, decimals) = (.time, 10, binary, 0)
        case .null: (type, length, charset, decimals) = (.null, 0, binary, 0)
        case .char(let n): (type, length, charset, decimals) = (.string, UInt32(clamping: n * 3), utf8, 0)
        case .varchar(let n): (type, length, charset, decimals) = (.varString, UInt32(clamping: n * 3), utf8, 0)
        case .largeint: (type, length, charset, decimals) = (.varString, 40 * 3, utf8, 0)
        case .varbinary(let n): (type, length, charset, decimals) = (.varString, UInt32(clamping: n ?? 65533), binary, 0); flags.insert(.binary)
        default: (type, length, charset, decimals) = (.varString, 65533 * 3, utf8, 0)
        }
        if c.type.isNumeric { flags.insert(.num) }
        return ColumnDefinition41(name: c.name, type: type, characterSet: charset, columnLength: length, flags: flags,
                                  decimals: decimals, schema: c.origin?.schema ?? "", table: c.origin?.table ?? "",
                                  orgTable: c.origin?.orgTable ?? "", orgName: c.origin?.orgName ?? "")
    }
}
