import Foundation
import GRDB
import SQLParser
import Synchronization

/// Durable metadata of the FE — databases, tables, accounts — stored in SQLite through GRDB.
/// Every write method is one transaction that keeps the catalog consistent; reads see committed data.
///
/// ```swift
/// let catalog = try CatalogStore.open(directory: "/var/lib/tributary/meta")
/// _ = try catalog.createDatabase(name: "quickstart", properties: [])
/// ```
public final class CatalogStore: Sendable {
    private let writer: any DatabaseWriter
    private let writes = Atomic<Int>(0)
    /// Moves on around every write that creates or drops a database or table; `tableCache` is valid for one value.
    private let schemaWrites = Atomic<Int>(0)
    /// Tables looked up by name since the schema last changed: a routine-load task start and a SELECT need a table's
    /// definition, and reading and decoding it each time cost more than the rest of a small task's start.
    private let tableCache = Mutex<(generation: Int, byName: [String: TableInfo])>((0, [:]))

    /// Moves on after every committed write. Readers may keep what they read for as long as it has not
    /// moved (this process is the catalog's only writer).
    public var generation: Int { writes.load(ordering: .acquiring) }

    /// Moves on around every write that creates or drops a database or table.
    public var schemaGeneration: Int { schemaWrites.load(ordering: .acquiring) }

    /// Opens (and migrates) the catalog over any GRDB writer.
    public init(_ writer: any DatabaseWriter) throws {
        self.writer = writer
        try CatalogMigrations.migrator.migrate(writer)
    }

    /// The production store: `<directory>/catalog.sqlite` in WAL mode.
    public static func open(directory: String) throws -> CatalogStore {
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        var config = Configuration()
        config.label = "tributary.catalog"
        config.maximumReaderCount = 32
        config.busyMode = .timeout(10)
        config.prepareDatabase { db in
            try db.execute(sql: "PRAGMA synchronous = NORMAL")   // WAL + NORMAL survives process kills
        }
        let pool = try DatabasePool(path: (directory as NSString).appendingPathComponent("catalog.sqlite"), configuration: config)
        return try CatalogStore(pool)
    }

    /// An empty in-memory catalog, for tests.
    public static func inMemory() throws -> CatalogStore { try CatalogStore(DatabaseQueue()) }

    // MARK: - Databases

    public func databases() throws(CatalogError) -> [DatabaseInfo] {
        try read { db in try DatabaseRecord.order(Column("name")).fetchAll(db).map { $0.info() } }
    }

    public func database(named name: String) throws(CatalogError) -> DatabaseInfo? {
        try read { db in try DatabaseRecord.filter(Column("name") == name).fetchOne(db)?.info() }
    }

    @discardableResult
    public func createDatabase(name: String, properties: [Property]) throws(CatalogError) -> DatabaseInfo {
        guard Self.isValidDatabaseName(name) else { throw .invalidDatabaseName(name) }
        return try schemaWrite { db in
            if try DatabaseRecord.filter(Column("name") == name).fetchCount(db) > 0 { throw CatalogError.databaseExists(name) }
            var r = DatabaseRecord(id: nil, name: name, properties: JSON.encode(properties), created_at: Date().timeIntervalSince1970)
            try r.insert(db)
            r.id = db.lastInsertedRowID
            return r.info()
        }
    }

    /// Drops a database and its tables.
    public func dropDatabase(name: String) throws(CatalogError) {
        try schemaWrite { db in
            guard try DatabaseRecord.filter(Column("name") == name).deleteAll(db) > 0 else {
                throw CatalogError.unknownDatabase(name)
            }
        }
    }

    /// StarRocks' rule: a letter first, then letters, digits, `_` and `-~!@#$%^&<>=+`; at most 256 characters.
    public static func isValidDatabaseName(_ name: String) -> Bool {
        guard let first = name.unicodeScalars.first, name.count <= 256,
              (first.properties.isAlphabetic) else { return false }
        let allowed = Set("_-~!@#$%^&<>=+")
        return name.allSatisfy { $0.isLetter || $0.isNumber || allowed.contains($0) }
    }

    // MARK: - Tables

    public func tables(inDatabase name: String) throws(CatalogError) -> [TableInfo] {
        try read { db in
            guard let d = try DatabaseRecord.filter(Column("name") == name).fetchOne(db) else { throw CatalogError.unknownDatabase(name) }
            return try TableRecord.filter(Column("database_id") == d.id).order(Column("name")).fetchAll(db).map { try $0.info(databaseName: name) }
        }
    }

    /// Every table of every database.
    public func allTables() throws(CatalogError) -> [TableInfo] {
        try read { db in
            let names = Dictionary(uniqueKeysWithValues: try DatabaseRecord.fetchAll(db).compactMap { r in r.id.map { ($0, r.name) } })
            return try TableRecord.order(Column("id")).fetchAll(db).compactMap { r in
                guard let name = names[r.database_id] else { return nil }
                return try r.info(databaseName: name)
            }
        }
    }

    public func table(database: String, name: String) throws(CatalogError) -> TableInfo? {
        let key = database + "\u{0}" + name
        let generation = schemaWrites.load(ordering: .acquiring)
        if let cached = tableCache.withLock({ $0.generation == generation ? $0.byName[key] : nil }) { return cached }
        let found = try read { db in
            guard let d = try DatabaseRecord.filter(Column("name") == database).fetchOne(db) else { throw CatalogError.unknownDatabase(database) }
            return try TableRecord.filter(Column("database_id") == d.id && Column("name") == name).fetchOne(db)?.info(databaseName: database)
        }
        if let found {
            tableCache.withLock { cache in
                if cache.generation != generation { cache = (generation, [:]) }
                if cache.byName.count < 10_000 { cache.byName[key] = found }
            }
        }
        return found
    }

    /// Creates a table; `ifNotExists` turns an existing table into a no-op returning nil.
    @discardableResult
    public func createTable(database: String, name: String, definition: TableDefinition, ifNotExists: Bool = false) throws(CatalogError) -> TableInfo? {
        try schemaWrite { db in
            guard let d = try DatabaseRecord.filter(Column("name") == database).fetchOne(db), let dbID = d.id else {
                throw CatalogError.unknownDatabase(database)
            }
            if try TableRecord.filter(Column("database_id") == dbID && Column("name") == name).fetchCount(db) > 0 {
                if ifNotExists { return nil }
                throw CatalogError.tableExists(name)
            }
            var r = TableRecord(id: nil, database_id: dbID, name: name, definition: JSON.encode(definition), created_at: Date().timeIntervalSince1970)
            try r.insert(db)
            r.id = db.lastInsertedRowID
            return try r.info(databaseName: database)
        }
    }

    public func dropTable(database: String, name: String) throws(CatalogError) {
        try schemaWrite { db in
            guard let d = try DatabaseRecord.filter(Column("name") == database).fetchOne(db) else { throw CatalogError.unknownDatabase(database) }
            guard try TableRecord.filter(Column("database_id") == d.id && Column("name") == name).deleteAll(db) > 0 else {
                throw CatalogError.unknownTable(database: database, table: name)
            }
        }
    }

    // MARK: - Accounts

    /// Every account named `user` (one per host pattern).
    public func accounts(user: String) throws(CatalogError) -> [AccountInfo] {
        try read { db in try UserRecord.filter(Column("name") == user).fetchAll(db).map { $0.info() } }
    }

    // MARK: - Access

    func read<T>(_ body: (Database) throws -> T) throws(CatalogError) -> T {
        do { return try writer.read(body) } catch { throw Self.map(error) }
    }

    func write<T>(_ body: (Database) throws -> T) throws(CatalogError) -> T {
        do {
            let result = try writer.write(body)
            writes.add(1, ordering: .releasing)
            return result
        } catch { throw Self.map(error) }
    }

    /// A write that creates or drops a database or table: cached tables are forgotten before it starts and again after it
    /// ends, so a lookup racing with it never keeps what it replaced.
    func schemaWrite<T>(_ body: (Database) throws -> T) throws(CatalogError) -> T {
        schemaWrites.add(1, ordering: .releasing)
        defer { schemaWrites.add(1, ordering: .releasing) }
        return try write(body)
    }

    private static func map(_ error: any Error) -> CatalogError {
        if let e = error as? CatalogError { return e }
        if let e = error as? DatabaseError { return .storage(e.message ?? e.description) }
        return .storage("\(error)")
    }
}
