import CatalogStore
import MySQLProtocol
import SQLParser
import Storage

/// A user-visible statement error: MySQL code, SQLSTATE and StarRocks-style text. Every failure a
/// client can see is mapped to one of these in this file, so codes stay consistent.
public struct SQLError: Error, Equatable, Sendable {
    public var code: UInt16
    public var sqlState: String
    public var message: String

    public init(_ code: UInt16, _ sqlState: String, _ message: String) { self.code = code; self.sqlState = sqlState; self.message = message }

    public var packet: ERRPacket { ERRPacket(code: code, sqlState: sqlState, message: message) }

    /// StarRocks' default envelope for analyzer errors: 1064 / HY000, "Getting analyzing error. Detail message: ...".
    static func analysis(_ detail: String) -> SQLError {
        SQLError(1064, "HY000", "Getting analyzing error. Detail message: \(detail)\(detail.hasSuffix(".") ? "" : ".")")
    }
    /// Raw DDL errors go out as 1064 / HY000 with the message alone (reference §0).
    static func ddl(_ message: String) -> SQLError { SQLError(1064, "HY000", message) }

    static func unknownDatabase(_ name: String) -> SQLError { SQLError(5501, "3F000", "Unknown database '\(name)'") }
    static let noDatabaseSelected = SQLError(1046, "3D000", "No database selected")
    static func unknownTable(_ name: String) -> SQLError { SQLError(5502, "42602", "Unknown table '\(name)'") }
    static func unknownSystemVariable(_ name: String) -> SQLError { SQLError(1193, "HY000", "Unknown system variable '\(name)'") }
    /// StarRocks' ERR_ACCESS_DENIED (5203) text for a missing privilege on an object (`TABLE t`, `DATABASE d`, `SYSTEM`).
    static func accessDenied(_ privilege: String, _ object: String) -> SQLError {
        SQLError(5203, "42000", "Access denied; you need (at least one of) the \(privilege) privilege(s) on \(object) for this operation. "
                 + "Please ask the admin to grant permission(s) or try activating existing roles using <set [default] role>. "
                 + "Current role(s): NONE. Inactivated role(s): NONE.")
    }

    init(_ error: ParseError) { self.init(1064, "HY000", error.starRocksMessage) }

    init(_ error: CatalogError) {
        switch error {
        case .databaseExists(let n): self = .ddl("Can't create database '\(n)'; database exists")
        case .unknownDatabase(let n): self = .unknownDatabase(n)
        case .invalidDatabaseName(let n): self.init(1102, "42000", "Incorrect database name '\(n)'")
        case .tableExists(let n): self.init(1050, "42S01", "Table '\(n)' already exists")
        case .unknownTable(let d, let t): self = .unknownTable("\(d).\(t)")
        case .duplicateColumn(let c): self.init(1060, "42S21", "Duplicate column name '\(c)'")
        case .unknownEngine(let e): self.init(1286, "42000", "Unknown storage engine '\(e)'")
        case .invalidDefinition(let m): self = .analysis(m)
        case .jobNameUsed(let name, let database): self = .ddl("Name \(name) already used in db \(database)")
        case .userExists(let u): self = .analysis("user \(u) already exists!")
        case .unknownUser(let u): self = .analysis("cannot find user \(u)!")
        case .transaction(let m): self.init(1105, "HY000", "Transaction failed: \(m)")
        case .storage(let m): self.init(1105, "HY000", "Catalog storage error: \(m)")
        }
    }

    init(_ error: QueryError) {
        switch error {
        case .unknownDatabase(let n): self = .unknownDatabase(n)
        case .noDatabaseSelected: self = .noDatabaseSelected
        case .unknownTable(let n): self = .unknownTable(n)
        case .unknownColumn(let c, let clause): self.init(5509, "42S22", "Unknown column '\(c)' in '\(clause)'")
        case .ambiguousColumn(let c): self.init(1052, "23000", "Column '\(c)' in field list is ambiguous")
        case .unknownFunction(let sig): self = .analysis("No matching function with signature: \(sig)")
        case .unsupported(let m): self = .analysis(m)
        case .accessDenied(let privilege, let table): self = .accessDenied(privilege, "TABLE \(table)")
        case .execution(let m): self.init(1064, "HY000", m)
        case .stopped(let stop): self = .stopped(stop)
        }
    }

    /// KILL QUERY (MySQL's ER_QUERY_INTERRUPTED), query_timeout and the memory budget (StarRocks' texts). The timeout
    /// goes out as MySQL's ER_QUERY_TIMEOUT 3024 rather than StarRocks' 5024, which libmariadb takes for one of its own
    /// client errors and reports as "Received malformed packet".
    static func stopped(_ stop: QueryControl.Stop) -> SQLError {
        switch stop {
        case .interrupted: return SQLError(1317, "70100", "Query execution was interrupted")
        case .timeout(let seconds):
            return SQLError(3024, "HY000", "Query reached its timeout of \(seconds) seconds, please increase the 'query_timeout' session variable and retry")
        case .memory(let used, let limit):
            return SQLError(1064, "HY000", "Memory of query exceed limit. Used: \(used), Limit: \(limit). Mem usage has exceed the limit of single query, "
                            + "You can change the limit by set session variable query_mem_limit.")
        }
    }
}
