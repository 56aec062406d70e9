import SQLParser

/// A column of a created table, after validation: nullability and key membership are decided.
public struct TableColumn: Equatable, Hashable, Sendable, Codable {
    public var name: String
    public var type: SQLType
    public var isKey: Bool
    public var nullable: Bool
    public var aggregate: AggregateType?
    public var defaultValue: ColumnDefault?
    public var autoIncrement: Bool
    public var comment: String

    public init(name: String, type: SQLType, isKey: Bool, nullable: Bool, aggregate: AggregateType? = nil,
                defaultValue: ColumnDefault? = nil, autoIncrement: Bool = false, comment: String = "") {
        self.name = name; self.type = type; self.isKey = isKey; self.nullable = nullable; self.aggregate = aggregate
        self.defaultValue = defaultValue; self.autoIncrement = autoIncrement; self.comment = comment
    }
}

/// The validated, normalized schema of a table as stored in the catalog (one JSON document).
public struct TableDefinition: Equatable, Sendable, Codable {
    public var columns: [TableColumn]
    public var keysType: KeysType
    public var keyColumns: [String]
    public var distribution: Distribution
    public var orderBy: [String]
    public var partitionClause: String?
    public var comment: String?
    /// PROPERTIES as given by the user, in order.
    public var properties: [Property]

    public init(columns: [TableColumn], keysType: KeysType, keyColumns: [String], distribution: Distribution,
                orderBy: [String] = [], partitionClause: String? = nil, comment: String? = nil, properties: [Property] = []) {
        self.columns = columns; self.keysType = keysType; self.keyColumns = keyColumns; self.distribution = distribution
        self.orderBy = orderBy; self.partitionClause = partitionClause; self.comment = comment; self.properties = properties
    }

    public func column(named name: String) -> TableColumn? {
        columns.first { $0.name.lowercased() == name.lowercased() }
    }
}

/// A database as the catalog knows it.
public struct DatabaseInfo: Equatable, Sendable {
    public var id: Int64
    public var name: String
    public var properties: [Property]
    public var createdAt: Double
}

/// A table as the catalog knows it.
public struct TableInfo: Equatable, Sendable {
    public var id: Int64
    public var databaseID: Int64
    public var databaseName: String
    public var name: String
    public var definition: TableDefinition
    public var createdAt: Double
}

/// A login account. Hashes are nil for an empty password; `sha2Hash` is also nil when only a native
/// hash was given (`IDENTIFIED WITH mysql_native_password AS '*...'`).
public struct AccountInfo: Equatable, Sendable {
    public var user: String
    public var host: String
    public var nativeHash: [UInt8]?
    public var sha2Hash: [UInt8]?
    public var plugin: String
    public init(user: String, host: String, nativeHash: [UInt8]?, sha2Hash: [UInt8]?, plugin: String) {
        self.user = user; self.host = host; self.nativeHash = nativeHash; self.sha2Hash = sha2Hash; self.plugin = plugin
    }
    /// `'name'@'host'`.
    public var identity: String { "'\(user)'@'\(host)'" }
}
