import CatalogStore
import SQLParser

/// Tables for tests, written as the SQL a user would type: shared by the test targets that need a table definition, a
/// catalog table or a column (catalog, storage, load pipeline, compute node).
public enum TestTables {
    public struct NotACreateTable: Error {}

    /// The validated definition of a `CREATE TABLE` statement.
    public static func definition(_ sql: String) throws -> TableDefinition {
        guard case .createTable(let c) = try Parser.parseOne(sql) else { throw NotACreateTable() }
        return try TableDefinition.validate(c)
    }

    /// Creates the table of a `CREATE TABLE` statement in `database` (which must exist).
    @discardableResult
    public static func create(_ sql: String, in catalog: CatalogStore, database: String = "d") throws -> TableInfo {
        guard case .createTable(let c) = try Parser.parseOne(sql) else { throw NotACreateTable() }
        guard let table = try catalog.createTable(database: database, name: c.name.name, definition: try TableDefinition.validate(c)) else {
            throw NotACreateTable()
        }
        return table
    }

    /// A column as a load spec lists it.
    public static func column(_ name: String, _ type: SQLType, nullable: Bool = true, key: Bool = false) -> TableColumn {
        TableColumn(name: name, type: type, isKey: key, nullable: nullable)
    }
}
