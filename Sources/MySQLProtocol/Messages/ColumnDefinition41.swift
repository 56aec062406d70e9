/// MySQL column type codes used in column definitions (reference §2.3).
public enum ColumnType: UInt8, Sendable {
    case decimal = 0x00, tiny = 0x01, short = 0x02, long = 0x03, float = 0x04, double = 0x05, null = 0x06
    case timestamp = 0x07, longlong = 0x08, int24 = 0x09, date = 0x0A, time = 0x0B, datetime = 0x0C
    case year = 0x0D, varchar = 0x0F, bit = 0x10, json = 0xF5, newDecimal = 0xF6, blob = 0xFC
    case varString = 0xFD, string = 0xFE
}

/// Column definition flags.
public struct ColumnFlags: OptionSet, Sendable, Hashable {
    public let rawValue: UInt16
    public init(rawValue: UInt16) { self.rawValue = rawValue }
    public static let notNull = ColumnFlags(rawValue: 0x1)
    public static let primaryKey = ColumnFlags(rawValue: 0x2)
    public static let uniqueKey = ColumnFlags(rawValue: 0x4)
    public static let multipleKey = ColumnFlags(rawValue: 0x8)
    public static let blob = ColumnFlags(rawValue: 0x10)
    public static let unsigned = ColumnFlags(rawValue: 0x20)
    public static let binary = ColumnFlags(rawValue: 0x80)
    public static let num = ColumnFlags(rawValue: 0x8000)
}

/// Protocol::ColumnDefinition41. `defaultValue` is written only for COM_FIELD_LIST answers, where the
/// MariaDB CLI expects it (reference §2.4).
public struct ColumnDefinition41: Equatable, Sendable {
    public var schema = ""
    public var table = ""
    public var orgTable = ""
    public var name: String
    public var orgName = ""
    public var characterSet: UInt16
    public var columnLength: UInt32
    public var type: ColumnType
    public var flags: ColumnFlags
    public var decimals: UInt8

    public init(name: String, type: ColumnType, characterSet: UInt16 = 33, columnLength: UInt32 = 0,
                flags: ColumnFlags = [], decimals: UInt8 = 0, schema: String = "", table: String = "",
                orgTable: String = "", orgName: String = "") {
        self.name = name; self.type = type; self.characterSet = characterSet; self.columnLength = columnLength
        self.flags = flags; self.decimals = decimals; self.schema = schema; self.table = table
        self.orgTable = orgTable; self.orgName = orgName
    }

    public func encode(fieldListDefault: String?? = nil) -> [UInt8] {
        var w = ByteWriter(capacity: 64)
        encode(fieldListDefault: fieldListDefault, into: &w)
        return w.bytes
    }

    public func encode(fieldListDefault: String?? = nil, into w: inout ByteWriter) {
        w.lenencString("def"); w.lenencString(schema); w.lenencString(table); w.lenencString(orgTable)
        w.lenencString(name); w.lenencString(orgName)
        w.int1(0x0C)
        w.int2(characterSet); w.int4(columnLength); w.int1(type.rawValue); w.int2(flags.rawValue)
        w.int1(decimals); w.int2(0)
        if let fieldListDefault {
            if let value = fieldListDefault { w.lenencString(value) } else { w.int1(0xFB) }
        }
    }
}
