import SQLParser

/// Why a catalog operation was refused. The frontend maps each case to a MySQL error code and text.
public enum CatalogError: Error, Equatable, Sendable {
    case databaseExists(String)
    case unknownDatabase(String)
    case invalidDatabaseName(String)
    case tableExists(String)
    case unknownTable(database: String, table: String)
    case duplicateColumn(String)
    case unknownEngine(String)
    /// A semantic error in a definition, with StarRocks' detail text.
    case invalidDefinition(String)
    case jobNameUsed(name: String, database: String)
    case userExists(String)
    case unknownUser(String)
    /// A transaction could not move to the requested state.
    case transaction(String)
    /// The SQLite store failed (disk full, corruption...).
    case storage(String)
}
