/// Table key models (StarRocks internal names in comments).
public enum KeysType: String, Equatable, Hashable, Sendable, Codable {
    case duplicate = "DUP_KEYS", aggregate = "AGG_KEYS", unique = "UNIQUE_KEYS", primary = "PRIMARY_KEYS"

    /// The keyword as written in SQL: DUPLICATE / AGGREGATE / UNIQUE / PRIMARY.
    public var keyword: String {
        switch self {
        case .duplicate: return "DUPLICATE"
        case .aggregate: return "AGGREGATE"
        case .unique: return "UNIQUE"
        case .primary: return "PRIMARY"
        }
    }
}

public enum AggregateType: String, Equatable, Hashable, Sendable, Codable, CaseIterable {
    case sum = "SUM", max = "MAX", min = "MIN", replace = "REPLACE", replaceIfNotNull = "REPLACE_IF_NOT_NULL"
    case hllUnion = "HLL_UNION", bitmapUnion = "BITMAP_UNION", percentileUnion = "PERCENTILE_UNION"
}

/// A column's default as declared.
public enum ColumnDefault: Equatable, Hashable, Sendable, Codable {
    case null
    case value(String)
    case currentTimestamp
    /// `DEFAULT (uuid())` and other function defaults, kept as written.
    case expression(String)
}

public struct ColumnDefinition: Equatable, Hashable, Sendable, Codable {
    public var name: String
    public var type: SQLType
    public var aggregate: AggregateType?
    /// nil when neither NULL nor NOT NULL was written.
    public var nullable: Bool?
    public var defaultValue: ColumnDefault?
    public var autoIncrement: Bool
    public var comment: String?

    public init(name: String, type: SQLType, aggregate: AggregateType? = nil, nullable: Bool? = nil,
                defaultValue: ColumnDefault? = nil, autoIncrement: Bool = false, comment: String? = nil) {
        self.name = name; self.type = type; self.aggregate = aggregate; self.nullable = nullable
        self.defaultValue = defaultValue; self.autoIncrement = autoIncrement; self.comment = comment
    }
}

public enum Distribution: Equatable, Hashable, Sendable, Codable {
    case hash(columns: [String], buckets: Int?)
    case random(buckets: Int?)
}

public struct CreateTable: Equatable, Sendable {
    public var name: QualifiedName
    public var ifNotExists = false
    public var columns: [ColumnDefinition] = []
    public var engine: String?
    public var keysType: KeysType?
    public var keyColumns: [String] = []
    public var comment: String?
    /// The PARTITION BY clause as written (kept for SHOW CREATE TABLE).
    public var partitionClause: String?
    public var distribution: Distribution?
    public var orderBy: [String] = []
    public var properties: [Property] = []

    public init(name: QualifiedName) { self.name = name }
}
