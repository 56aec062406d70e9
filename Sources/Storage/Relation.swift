import Expressions
import SQLParser

/// A table a query can read: its schema (database) and name as clients see them, typed columns and rows.
/// System tables (information_schema, SHOW results) are materialized as relations.
public struct Relation: Equatable, Sendable {
    public struct Column: Equatable, Sendable {
        public var name: String
        public var type: SQLType
        public var nullable: Bool
        public init(_ name: String, _ type: SQLType, nullable: Bool = true) { self.name = name; self.type = type; self.nullable = nullable }
    }

    public var schema: String
    public var name: String
    public var columns: [Column]
    public var rows: [[Value]]
    /// Set for catalog tables: the name of their data in the attached ``TableCache`` (rows unused).
    public var cacheTable: String?
    /// Text comparisons ignore case, as MySQL's information_schema (utf8_general_ci) does.
    public var caseInsensitive = false

    public init(schema: String, name: String, columns: [Column], rows: [[Value]]) {
        self.schema = schema; self.name = name; self.columns = columns; self.rows = rows
    }

    /// A catalog table whose rows live in the table cache.
    public init(schema: String, name: String, columns: [Column], cacheTable: String) {
        self.init(schema: schema, name: name, columns: columns, rows: [])
        self.cacheTable = cacheTable
    }
}

/// Resolves table names of a query to relations. Implemented by the frontend, which knows the
/// current database, the catalog and the system tables.
public protocol RelationProvider {
    /// The relation for `[db.]name`; throws ``QueryError`` for unknown databases or tables.
    func relation(_ name: QualifiedName) throws(QueryError) -> Relation
}

/// Errors of query analysis and execution; the frontend maps each to a MySQL error.
public enum QueryError: Error, Equatable, Sendable {
    case unknownDatabase(String)
    case noDatabaseSelected
    case unknownTable(String)
    case unknownColumn(String, clause: String)
    case ambiguousColumn(String)
    case unknownFunction(String)
    case unsupported(String)
    /// The session lacks `privilege` on a table (the provider decides).
    case accessDenied(privilege: String, table: String)
    case execution(String)
    /// KILL QUERY, query_timeout or the memory budget stopped the statement.
    case stopped(QueryControl.Stop)
}
