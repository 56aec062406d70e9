/// A parsed statement. One case per statement family; each family's details live in its own type.
public enum Statement: Equatable, Sendable {
    case select(Select)
    case set([SetAssignment])
    case use(String)
    case createDatabase(CreateDatabase)
    case dropDatabase(name: String, ifExists: Bool, force: Bool)
    case createTable(CreateTable)
    case dropTable(QualifiedName, ifExists: Bool, force: Bool)
    case truncateTable(QualifiedName)
    case insert(Insert)
    case show(ShowStatement)
    /// DESC / DESCRIBE / EXPLAIN-less describe of a table; `all` for `DESC t ALL`.
    case describe(QualifiedName, all: Bool)
    case kill(connectionID: Int64, queryOnly: Bool)
    case user(UserStatement)
    case routineLoad(RoutineLoadStatement)
    case cluster(ClusterStatement)
    case storageVolume(StorageVolumeStatement)
    case transaction(TransactionCommand)
    /// A statement made only of comments (e.g. `/* ping */`): answered with OK.
    case empty
}

public enum TransactionCommand: Equatable, Sendable { case begin, commit, rollback }

/// `LIKE 'pattern'` or `WHERE expr` after a SHOW statement.
public enum ShowFilter: Equatable, Sendable {
    case like(String)
    case whereClause(Expr)
}

public enum ShowStatement: Equatable, Sendable {
    case databases(ShowFilter?)
    case tables(database: String?, full: Bool, ShowFilter?)
    case tableStatus(database: String?, ShowFilter?)
    case columns(table: QualifiedName, database: String?, full: Bool, ShowFilter?)
    case createTable(QualifiedName)
    case createDatabase(String)
    case variables(VariableScope?, ShowFilter?)
    case status(VariableScope?, ShowFilter?)
    case processlist(full: Bool)
    case charset(ShowFilter?)
    case collation(ShowFilter?)
    case engines
    case warnings
    case errors
    case plugins
    case index(table: QualifiedName, database: String?)
    case procedureStatus(ShowFilter?)
    case functionStatus(ShowFilter?)
    case triggers(database: String?, ShowFilter?)
    case privileges
    /// SHOW GRANTS [FOR user]; nil means the current user.
    case grants(UserIdentity?)
}

/// One assignment of a SET statement.
public enum SetAssignment: Equatable, Sendable {
    /// `SET [GLOBAL|SESSION] x = v`, `SET @@x = v`; `value == nil` means DEFAULT.
    case variable(scope: VariableScope?, name: String, value: Expr?)
    case userVariable(String, Expr)
    /// `SET NAMES cs [COLLATE c]`; `SET NAMES DEFAULT` has charset nil.
    case names(charset: String?, collation: String?)
    case characterSet(String?)
    /// `SET [SESSION|GLOBAL] TRANSACTION ...`: accepted, nothing to change.
    case transaction
}

public struct CreateDatabase: Equatable, Sendable {
    public var name: String
    public var ifNotExists: Bool
    public var properties: [Property]
    public init(name: String, ifNotExists: Bool, properties: [Property]) {
        self.name = name; self.ifNotExists = ifNotExists; self.properties = properties
    }
}

/// `"key" = "value"` from a PROPERTIES clause, in the order written.
public struct Property: Equatable, Hashable, Sendable, Codable {
    public var key: String
    public var value: String
    public init(_ key: String, _ value: String) { self.key = key; self.value = value }
}

/// `INSERT INTO t [(cols)] VALUES (...), ...` or `INSERT INTO t [(cols)] SELECT ...`.
public struct Insert: Equatable, Sendable {
    public enum Source: Equatable, Sendable {
        case values([[Expr]])
        case select(Select)
    }
    public var table: QualifiedName
    public var columns: [String]?
    public var label: String?
    public var source: Source
    public init(table: QualifiedName, columns: [String]?, label: String?, source: Source) {
        self.table = table; self.columns = columns; self.label = label; self.source = source
    }
}

/// Which kind of worker an ALTER SYSTEM / SHOW statement is about.
public enum NodeKind: String, Equatable, Sendable {
    case computeNode = "COMPUTE NODE", backend = "BACKEND"
}

/// Cluster management: ALTER SYSTEM ADD/DROP COMPUTE NODE|BACKEND "host:port" [, ...]; SHOW COMPUTE NODES |
/// BACKENDS | FRONTENDS.
public enum ClusterStatement: Equatable, Sendable {
    case addNodes(NodeKind, [String])
    case dropNodes(NodeKind, [String])
    case showNodes(NodeKind)
    case showFrontends
    /// `ADMIN SHOW FRONTEND CONFIG [LIKE 'pattern']`.
    case showFrontendConfig(like: String?)
    /// `ADMIN SET FRONTEND CONFIG ("key" = "value")`.
    case setFrontendConfig([Property])
}
