/// A StarRocks column type, as declared in CREATE TABLE and carried through results.
/// Aliases are resolved at parse time: STRING/TEXT → VARCHAR(65533), INTEGER → INT, NUMERIC → DECIMAL.
public indirect enum SQLType: Equatable, Hashable, Sendable, Codable {
    case boolean, tinyint, smallint, int, bigint, largeint
    case float, double
    case decimal(precision: Int, scale: Int)
    case date, datetime, time
    case char(Int)
    case varchar(Int)
    case json
    case varbinary(Int?)
    case array(SQLType)
    case map(SQLType, SQLType)
    case structure([StructField])
    case bitmap, hll, percentile
    /// The type of a bare NULL in a result.
    case null

    public struct StructField: Equatable, Hashable, Sendable, Codable {
        public var name: String
        public var type: SQLType
        public init(name: String, type: SQLType) { self.name = name; self.type = type }
    }

    public static let stringLength = 65533
    public static let maxVarcharLength = 1_048_576

    public var isInteger: Bool { [.tinyint, .smallint, .int, .bigint, .largeint].contains(self) }
    /// The values of an integer type that fits in 64 bits (TINYINT to BIGINT); nil for every other type.
    public var integerRange: ClosedRange<Int64>? {
        switch self {
        case .tinyint: return -128...127
        case .smallint: return -32768...32767
        case .int: return Int64(Int32.min)...Int64(Int32.max)
        case .bigint: return Int64.min...Int64.max
        default: return nil
        }
    }
    public var isNumeric: Bool {
        switch self {
        case .tinyint, .smallint, .int, .bigint, .largeint, .float, .double, .decimal, .boolean: return true
        default: return false
        }
    }
    public var isString: Bool {
        switch self { case .char, .varchar: return true; default: return false }
    }

    /// Lower-case canonical name as DESC shows it: `int`, `varchar(26)`, `decimal(10,2)`, `array<int>`.
    public var describeName: String {
        switch self {
        case .boolean: return "boolean"
        case .tinyint: return "tinyint"
        case .smallint: return "smallint"
        case .int: return "int"
        case .bigint: return "bigint"
        case .largeint: return "largeint"
        case .float: return "float"
        case .double: return "double"
        case .decimal(let p, let s): return "decimal(\(p),\(s))"
        case .date: return "date"
        case .datetime: return "datetime"
        case .time: return "time"
        case .char(let n): return "char(\(n))"
        case .varchar(let n): return "varchar(\(n))"
        case .json: return "json"
        case .varbinary(let n): return n.map { "varbinary(\($0))" } ?? "varbinary"
        case .array(let t): return "array<\(t.describeName)>"
        case .map(let k, let v): return "map<\(k.describeName),\(v.describeName)>"
        case .structure(let fs): return "struct<" + fs.map { "\($0.name) \($0.type.describeName)" }.joined(separator: ", ") + ">"
        case .bitmap: return "bitmap"
        case .hll: return "hll"
        case .percentile: return "percentile"
        case .null: return "null"
        }
    }

    /// The form SHOW CREATE TABLE prints: display widths on integers, decimal32/64/128 by precision.
    public var createTableName: String {
        switch self {
        case .tinyint: return "tinyint(4)"
        case .smallint: return "smallint(6)"
        case .int: return "int(11)"
        case .bigint: return "bigint(20)"
        case .largeint: return "largeint(40)"
        case .decimal(let p, let s):
            let width = p <= 9 ? "decimal32" : p <= 18 ? "decimal64" : "decimal128"
            return "\(width)(\(p), \(s))"
        case .array(let t): return "array<\(t.createTableName)>"
        default: return describeName
        }
    }

    /// Storage size in bytes for key-prefix purposes (StarRocks' short key uses at most 36 bytes).
    public var keyWidth: Int? {
        switch self {
        case .boolean, .tinyint: return 1
        case .smallint: return 2
        case .int, .date: return 4
        case .bigint, .datetime: return 8
        case .largeint: return 16
        case .decimal: return 16
        case .char(let n), .varchar(let n): return n
        default: return nil
        }
    }

    /// Whether the type may be a key column (no floating point, JSON or complex types).
    public var canBeKey: Bool {
        switch self {
        case .float, .double, .json, .array, .map, .structure, .bitmap, .hll, .percentile, .varbinary, .null, .time: return false
        default: return true
        }
    }
}
