import Foundation
import Testing
@testable import CatalogStore
import SQLParser
import TestSupport

@Suite struct CatalogStoreTests {
    @Test func databasesAndTablesAreCreatedListedAndDropped() throws {
        // Given an empty catalog
        let store = try CatalogStore.inMemory()
        // When a database and a table are created
        let db = try store.createDatabase(name: "quickstart", properties: [])
        #expect(db.id > 10000)
        try store.createTable(database: "quickstart", name: "t", definition: try TestTables.definition("create table t (a int, b string)"))
        // Then they are listed, and duplicates are refused
        #expect(try store.databases().map(\.name) == ["quickstart"])
        #expect(try store.tables(inDatabase: "quickstart").map(\.name) == ["t"])
        #expect(throws: CatalogError.databaseExists("quickstart")) { try store.createDatabase(name: "quickstart", properties: []) }
        #expect(throws: CatalogError.tableExists("t")) { try store.createTable(database: "quickstart", name: "t", definition: try TestTables.definition("create table t (a int)")) }
        #expect(try store.createTable(database: "quickstart", name: "t", definition: try TestTables.definition("create table t (a int)"), ifNotExists: true) == nil)
        // And dropping the database drops its tables
        try store.dropDatabase(name: "quickstart")
        #expect(throws: CatalogError.unknownDatabase("quickstart")) { try store.tables(inDatabase: "quickstart") }
        #expect(throws: CatalogError.unknownDatabase("nosuch")) { try store.dropDatabase(name: "nosuch") }
    }

    @Test func aTableLookedUpBeforeADropOrRecreateIsNeverAnsweredAfterIt() throws {
        let store = try CatalogStore.inMemory()
        _ = try store.createDatabase(name: "d", properties: [])
        let first = try #require(try store.createTable(database: "d", name: "t", definition: try TestTables.definition("create table t (a int)")))
        #expect(try store.table(database: "d", name: "t") == first)
        #expect(try store.table(database: "d", name: "t") == first)           // answered from the cache
        try store.dropTable(database: "d", name: "t")
        #expect(try store.table(database: "d", name: "t") == nil)
        let second = try #require(try store.createTable(database: "d", name: "t", definition: try TestTables.definition("create table t (a int, b string)")))
        #expect(try store.table(database: "d", name: "t")?.definition.columns.count == 2)
        #expect(try store.table(database: "d", name: "t")?.id == second.id)
        try store.dropDatabase(name: "d")
        #expect(throws: CatalogError.unknownDatabase("d")) { try store.table(database: "d", name: "t") }
    }

    @Test func catalogSurvivesReopeningTheSameDirectory() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("catalog-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: dir) }
        do {
            let store = try CatalogStore.open(directory: dir)
            try store.createDatabase(name: "d", properties: [Property("storage_volume", "v")])
            try store.createTable(database: "d", name: "t", definition: try TestTables.definition("create table t (k bigint not null, v double sum) aggregate key(k)"))
        }
        let reopened = try CatalogStore.open(directory: dir)
        #expect(try reopened.database(named: "d")?.properties == [Property("storage_volume", "v")])
        let t = try #require(try reopened.table(database: "d", name: "t"))
        #expect(t.definition.keysType == .aggregate)
        #expect(t.definition.columns.map(\.aggregate) == [nil, .sum])
    }

    @Test func rootExistsWithAnEmptyPassword() throws {
        let root = try #require(try CatalogStore.inMemory().accounts(user: "root").first)
        #expect(root.host == "%")
        #expect(root.nativeHash == nil && root.sha2Hash == nil)
    }

    @Test(arguments: [
        ("create table t (a int, b double) aggregate key(a)", "AGG_KEYS table should specify aggregate type for non-key column[b]"),
        ("create table t (a int, b int sum) duplicate key(a)", "DUP_KEYS table should not specify aggregate type for non-key column[b]"),
        ("create table t (a int, b int) duplicate key(b)", "Key columns should be a ordered prefix of the schema."),
        ("create table t (a int, b int) duplicate key(c)", "Key column(c) doesn't exist."),
        ("create table t (a int sum, b int) aggregate key(a)", "Key column[a] should not specify aggregate type."),
        ("create table t (a int null) primary key(a)", "primary key column[a] cannot be nullable"),
        ("create table t (a double not null) primary key(a)", "primary key column[a] type not supported: double"),
        ("create table t (a int, b int sum) aggregate key(a) distributed by hash(b)", "Distribution column[b] is not key column"),
        ("create table t (a int) primary key(a) distributed by random", "Random distribution must be used in DUP_KEYS table"),
        ("create table t (__op int)", "Column name [__op] is a system reserved name. Please choose a different one."),
        ("create table t (a int default 'x')", "Invalid default value for 'a'"),
        ("create table t (a int not null default null)", "Invalid default value for 'a'"),
        ("create table t (a int) properties ('foo' = 'bar')", "Unknown properties: {foo=bar}"),
        ("create table t (a int) properties ('replication_num' = '0')", "Replication num should larger than 0. (suggested 3)"),
        ("create table t (a int auto_increment)", "The AUTO_INCREMENT column must be BIGINT"),
    ])
    func invalidDefinitionsAreRefusedWithStarRocksText(_ sql: String, _ message: String) {
        #expect(throws: CatalogError.invalidDefinition(message)) { try TestTables.definition(sql) }
    }

    @Test func duplicateColumnsAndEnginesHaveTheirOwnErrors() {
        #expect(throws: CatalogError.duplicateColumn("A")) { try TestTables.definition("create table t (a int, A int)") }
        #expect(throws: CatalogError.unknownEngine("mysql")) { try TestTables.definition("create table t (a int) engine = mysql") }
    }

    @Test func tablesWithoutKeysGetAShortDuplicatePrefixAndRandomDistribution() throws {
        let d = try TestTables.definition("create table t (a int, b bigint, c varchar(10), d int)")
        #expect(d.keysType == .duplicate)
        #expect(d.keyColumns == ["a", "b", "c"])
        #expect(d.distribution == .random(buckets: nil))
        let pk = try TestTables.definition("create table t (id bigint, v string) primary key(id)")
        #expect(pk.columns[0].nullable == false, "primary key columns default to NOT NULL")
        #expect(pk.distribution == .hash(columns: ["id"], buckets: nil))
    }

    @Test func databaseNamesFollowStarRocksRules() {
        #expect(CatalogStore.isValidDatabaseName("example_db"))
        #expect(!CatalogStore.isValidDatabaseName("1db"))
        #expect(!CatalogStore.isValidDatabaseName("a b"))
        #expect(throws: CatalogError.invalidDatabaseName("a b")) { try CatalogStore.inMemory().createDatabase(name: "a b", properties: []) }
    }
}
