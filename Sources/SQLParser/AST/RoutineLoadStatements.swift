/// One `COLUMNS(...)` entry: a source column name, or `name = expr` for a derived column.
public struct ColumnMapping: Equatable, Sendable, Codable {
    public var name: String
    /// The expression as written, for derived columns (parsed again when the load runs).
    public var expression: String?
    public init(name: String, expression: String? = nil) { self.name = name; self.expression = expression }
}

/// The load properties of CREATE / ALTER ROUTINE LOAD, each at most once.
public struct RoutineLoadProperties: Equatable, Sendable, Codable {
    public var columnSeparator: String?
    public var rowDelimiter: String?
    public var columns: [ColumnMapping]?
    /// WHERE as written.
    public var whereClause: String?
    public var partitions: [String]?
    public var temporaryPartitions = false
    public init() {}
}

public struct CreateRoutineLoad: Equatable, Sendable {
    public var name: QualifiedName
    public var table: String
    public var load: RoutineLoadProperties
    public var properties: [Property]
    public var sourceType: String
    public var sourceProperties: [Property]
    public init(name: QualifiedName, table: String, load: RoutineLoadProperties, properties: [Property], sourceType: String, sourceProperties: [Property]) {
        self.name = name; self.table = table; self.load = load; self.properties = properties
        self.sourceType = sourceType; self.sourceProperties = sourceProperties
    }
}

public struct AlterRoutineLoad: Equatable, Sendable {
    public var name: QualifiedName
    public var load: RoutineLoadProperties
    public var properties: [Property]
    public var sourceType: String?
    public var sourceProperties: [Property]
}

/// SHOW [ALL] ROUTINE LOAD [FOR [db.]name] [FROM db] [WHERE ...] [ORDER BY ...] [LIMIT ...].
public struct ShowRoutineLoad: Equatable, Sendable {
    public var all: Bool
    public var name: QualifiedName?
    public var database: String?
    public var whereClause: Expr?
    public var orderBy: [OrderItem]
    public var limit: Limit?
}

public enum RoutineLoadStatement: Equatable, Sendable {
    case create(CreateRoutineLoad)
    case alter(AlterRoutineLoad)
    case pause(QualifiedName)
    case resume(QualifiedName)
    case stop(QualifiedName)
    case show(ShowRoutineLoad)
    /// SHOW ROUTINE LOAD TASK [FROM db] WHERE JobName = "x".
    case showTasks(database: String?, whereClause: Expr?)
    case showCreate(QualifiedName)
}
