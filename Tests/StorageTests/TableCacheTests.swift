import CatalogStore
import Expressions
import Foundation
import GRDB
import SQLParser
import TestSupport
import Testing
@testable import Storage

/// Commits segments through the catalog's transaction API and checks what the cache shows.
@Suite struct TableCacheTests {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("cache-\(UUID().uuidString)").path
    let catalog: CatalogStore
    let volume: LocalVolume
    let cache: TableCache

    init() throws {
        catalog = try CatalogStore.inMemory()
        volume = try LocalVolume(root: dir + "/storage")
        cache = try TableCache(path: dir + "/cache.sqlite", segments: volume)
        try catalog.createDatabase(name: "d", properties: [])
    }

    func table(_ sql: String) throws -> TableInfo { try TestTables.create(sql, in: catalog) }

    @discardableResult
    func load(_ t: TableInfo, _ rows: [[Value]], ops: [Int64]? = nil) throws -> Int64 {
        let (txn, segment) = try catalog.beginTransaction(tableID: t.id, label: "l") { volume.segmentPath(databaseID: t.databaseID, tableID: t.id, txnID: $0) }
        try Segment.write(to: volume.absolute(segment), columns: t.definition.columns.map { Relation.Column($0.name, $0.type) }, rows: rows, ops: ops)
        return try catalog.commitTransaction(txn, rowCount: Int64(rows.count))
    }

    /// A segment written as a routine-load task writes it, with `segment_meta` rules (partial update, merge condition).
    @discardableResult
    func loadWithRules(_ t: TableInfo, _ rows: [[Value]], ops: [Int64]? = nil, update: [String]? = nil, condition: String? = nil) throws -> Int64 {
        let (txn, segment) = try catalog.beginTransaction(tableID: t.id, label: "l") { volume.segmentPath(databaseID: t.databaseID, tableID: t.id, txnID: $0) }
        let writer = try SegmentWriter(path: volume.absolute(segment), columns: t.definition.columns.map { Relation.Column($0.name, $0.type) })
        if let update { writer.setMeta(Segment.updateColumnsKey, String(decoding: try JSONEncoder().encode(update), as: UTF8.self)) }
        if let condition { writer.setMeta(Segment.mergeConditionKey, condition) }
        try writer.append(rows, ops: ops)
        try writer.finish()
        return try catalog.commitTransaction(txn, rowCount: Int64(rows.count))
    }

    @Test func partialUpdatesSetOnlyTheLoadedColumnsAndNewKeysGetTheRest() throws {
        let t = try table("create table pu (id int not null, name varchar(20), status varchar(20) default 'new') primary key(id) distributed by hash(id)")
        try load(t, [[.int(1), .string("ann"), .string("active")], [.int(2), .string("bob"), .string("active")]])
        // A load naming id and status only: the segment carries NULL/defaults for name, which must not overwrite it.
        try loadWithRules(t, [[.int(1), .null, .string("gone")], [.int(3), .null, .string("new")], [.int(1), .null, .string("back")]],
                          update: ["id", "status"])
        #expect(try contents(t) == [[.int(1), .string("ann"), .string("back")], [.int(2), .string("bob"), .string("active")],
                                    [.int(3), .null, .string("new")]])
        try loadWithRules(t, [[.int(2), .null, .null]], ops: [1], update: ["id", "status"])     // __op = 1 deletes the key
        #expect(try contents(t).map { $0[0] } == [.int(1), .int(3)])
    }

    @Test func mergeConditionKeepsTheNewerRow() throws {
        let t = try table("create table mc (id int not null, v varchar(10), ver bigint, at datetime) primary key(id) distributed by hash(id)")
        try load(t, [[.int(1), .string("a"), .int(5), .string("2026-12-01 10:00:00")]])
        try loadWithRules(t, [[.int(1), .string("older"), .int(4), .string("2026-12-01 11:00:00")],
                              [.int(1), .string("same"), .int(5), .string("2026-12-01 09:00:00")],
                              [.int(2), .string("new"), .int(1), .null]], condition: "ver")
        #expect(try contents(t) == [[.int(1), .string("same"), .int(5), .string("2026-12-01 09:00:00")],
                                    [.int(2), .string("new"), .int(1), .null]])
        try loadWithRules(t, [[.int(1), .string("earlier"), .int(9), .string("2026-12-01 08:00:00")]], condition: "at")
        #expect(try contents(t)[0][1] == .string("same"))
        try loadWithRules(t, [[.int(1), .string("later"), .int(0), .string("2026-12-02 00:00:00")]], condition: "at")
        #expect(try contents(t)[0][1] == .string("later"))
    }

    /// The table's rows after catching up with the catalog, or (`catchUp: false`) as the cache holds them now.
    func contents(_ t: TableInfo, catchUp: Bool = true) throws -> [[Value]] {
        if catchUp { try cache.catchUp(t, catalog: catalog) }
        var select = Select()
        select.items = [SelectItem(expr: .star(qualifier: nil), alias: nil, text: "*")]
        select.from = [.table(QualifiedName([t.name]), alias: nil)]
        select.orderBy = [OrderItem(expr: .literal(.integer("1")), ascending: true)]
        struct P: RelationProvider {
            let t: TableInfo
            func relation(_ name: QualifiedName) throws(QueryError) -> Relation {
                Relation(schema: "d", name: t.name, columns: t.definition.columns.map { .init($0.name, $0.type) }, cacheTable: TableCache.tableName(t.id))
            }
        }
        return try QueryEngine(cachePath: cache.path).run(select, provider: P(t: t)).rows
    }

    /// The catalog's tables, as the FE's provider gives them: unqualified names in `database` (USE), and `denied` plays
    /// a revoked SELECT.
    final class CatalogTables: RelationProvider {
        let catalog: CatalogStore
        var database = "d"
        var denied = false
        init(_ catalog: CatalogStore) { self.catalog = catalog }
        func relation(_ name: QualifiedName) throws(QueryError) -> Relation {
            guard !denied else { throw .accessDenied(privilege: "SELECT", table: name.name) }
            let database = name.qualifier ?? database
            guard let t = try? catalog.table(database: database, name: name.name) else { throw .unknownTable(name.name) }
            return Relation(schema: database, name: t.name, columns: t.definition.columns.map { .init($0.name, $0.type) },
                            cacheTable: TableCache.tableName(t.id))
        }
    }

    @Test func aKeptStatementIsUsedOnlyWhileItsTablesAreTheSameAndVisible() throws {
        var t = try table("create table kt (k int, v int)")
        try load(t, [[.int(1), .int(10)], [.int(2), .int(20)]])
        try cache.catchUp(t, catalog: catalog)
        let engine = try QueryEngine(cachePath: cache.path), tables = CatalogTables(catalog)
        func run(_ sql: String) throws -> ResultSet {
            guard case .select(let s) = try Parser.parseOne(sql) else { throw QueryError.unsupported(sql) }
            return try engine.run(s, provider: tables)
        }
        #expect(try run("SELECT v FROM kt WHERE k = 2").rows == [[.int(20)]])
        #expect(try run("SELECT v FROM kt WHERE k = 2").rows == [[.int(20)]])
        #expect(engine.translationHits == 1, "the repeated statement ran kept")
        #expect(try run("SELECT * FROM kt").columns.map(\.name) == ["k", "v"])
        #expect(engine.keptTranslations == 2)
        // The same name in another database after USE.
        try catalog.createDatabase(name: "e", properties: [])
        let other = try TestTables.create("create table kt (k int, w varchar(5))", in: catalog, database: "e")
        try load(other, [[.int(7), .string("e")]])
        try cache.catchUp(other, catalog: catalog)
        tables.database = "e"
        #expect(try run("SELECT * FROM kt").rows == [[.int(7), .string("e")]])
        tables.database = "d"
        // Dropped and created again with other columns: the same statement is translated against the new table.
        try catalog.dropTable(database: "d", name: "kt")
        t = try table("create table kt (k int, v varchar(5), w int)")
        try load(t, [[.int(3), .string("x"), .int(30)]])
        try cache.catchUp(t, catalog: catalog)
        let now = try run("SELECT * FROM kt")
        #expect(now.columns.map(\.name) == ["k", "v", "w"])
        #expect(now.rows == [[.int(3), .string("x"), .int(30)]])
        #expect(engine.translationHits == 1)
        // The provider's checks run on every statement, kept or not.
        tables.denied = true
        #expect(throws: QueryError.accessDenied(privilege: "SELECT", table: "kt")) { try run("SELECT * FROM kt") }
        tables.denied = false
        // Statements without tables, over materialized relations (system tables) or of long SQL are not kept, and at
        // most `limit` are: a connection's memory stays bounded.
        let before = engine.keptTranslations
        _ = try run("SELECT CONCAT('a', 'b')")
        _ = try engine.filter(ResultSet(textColumns: ["a"], rows: [[.string("1")]]), where: Parser.parseExpression("a = '1'"))
        _ = try run("SELECT k FROM kt WHERE v = '\(String(repeating: "x", count: TranslationCache.maxSQLBytes))'")
        #expect(engine.keptTranslations == before)
        for k in 0..<(TranslationCache.limit + 5) { _ = try run("SELECT v FROM kt WHERE k = \(k)") }
        #expect(engine.keptTranslations <= TranslationCache.limit)
    }

    @Test func duplicateTablesAppendEveryRow() throws {
        let t = try table("create table dup (k int, v int)")
        try load(t, [[.int(1), .int(1)]])
        try load(t, [[.int(1), .int(1)], [.int(2), .null]])
        #expect(try contents(t) == [[.int(1), .int(1)], [.int(1), .int(1)], [.int(2), .null]])
    }

    @Test func duplicateTablesKeepLoadOrderAcrossSegmentsAndHideOp() throws {
        let t = try table("create table ord (k int, v varchar(20))")
        try load(t, [[.int(3), .string("c")], [.int(1), .null]])
        try load(t, [[.int(2), .string("b")], [.int(0), .string("")]])
        _ = try contents(t)
        // Segments are copied record by record in load order (SQLite's transfer optimization keeps the scan order).
        let stored = try DatabaseQueue(path: cache.path).read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM \(TableCache.tableName(t.id)) ORDER BY rowid").map { [$0[0] as Int64?, $0[2] as Int64?] }
        }
        #expect(stored == [[3, 0], [1, 0], [2, 0], [0, 0]])
        #expect(try contents(t).allSatisfy { $0.count == 2 })              // queries see the table's columns only
    }

    @Test func primaryKeyTablesUpsertAndDeleteWithOp() throws {
        let t = try table("create table pk (k int not null, v varchar(10)) primary key(k)")
        try load(t, [[.int(1), .string("a")], [.int(2), .string("b")], [.int(1), .string("a2")]])
        try load(t, [[.int(2), .null], [.int(3), .string("c")]], ops: [1, 0])
        #expect(try contents(t) == [[.int(1), .string("a2")], [.int(3), .string("c")]])
    }

    @Test func segmentsCountTheirDeletesAndOlderSegmentsWithoutTheCountStillApplyThem() throws {
        let t = try table("create table pkc (k int not null, v int) primary key(k)")
        try load(t, [[.int(1), .int(1)], [.int(2), .int(2)]])
        let (txn, segment) = try catalog.beginTransaction(tableID: t.id, label: "l") { volume.segmentPath(databaseID: t.databaseID, tableID: t.id, txnID: $0) }
        let path = volume.absolute(segment)
        try Segment.write(to: path, columns: [.init("k", .int), .init("v", .int)], rows: [[.int(1), .null], [.int(3), .int(3)]], ops: [1, 0])
        let counted = try DatabaseQueue(path: path).write { db in
            let n = try String.fetchOne(db, sql: "SELECT value FROM segment_meta WHERE key = ?", arguments: [Segment.deleteCountKey])
            try db.execute(sql: "DELETE FROM segment_meta WHERE key = ?", arguments: [Segment.deleteCountKey])    // as written before the key
            return n
        }
        #expect(counted == "1")
        try catalog.commitTransaction(txn, rowCount: 2)
        #expect(try contents(t) == [[.int(2), .int(2)], [.int(3), .int(3)]])
    }

    @Test func theLastRowOfAKeyInASegmentDecidesAndCompositeKeysMatchWhole() throws {
        let t = try table("create table pk2 (a int not null, b varchar(5) not null, v int) primary key(a, b)")
        try load(t, [[.int(1), .string("x"), .int(1)], [.int(1), .string("y"), .int(2)], [.int(2), .string("x"), .int(3)]])
        try load(t, [[.int(1), .string("x"), .int(10)], [.int(1), .string("x"), .null], [.int(1), .string("x"), .int(12)],   // upsert, delete, upsert
                     [.int(1), .string("y"), .int(20)], [.int(1), .string("y"), .null],                                       // upsert, delete
                     [.int(3), .string("z"), .null], [.int(3), .string("z"), .int(30)]],                                      // delete, upsert
                 ops: [0, 1, 0, 0, 1, 1, 0])
        #expect(try contents(t) == [[.int(1), .string("x"), .int(12)], [.int(2), .string("x"), .int(3)], [.int(3), .string("z"), .int(30)]])
    }

    @Test func uniqueTablesKeepOneRowForANullKeyToo() throws {
        let t = try table("create table un (k int, v int) unique key(k)")
        try load(t, [[.null, .int(1)], [.int(1), .int(1)]])
        try load(t, [[.null, .int(2)], [.int(1), .int(2)], [.int(2), .int(2)]])
        #expect(try contents(t) == [[.null, .int(2)], [.int(1), .int(2)], [.int(2), .int(2)]])
    }

    @Test func aggregateTablesMergeEachValueColumnByItsFunction() throws {
        let t = try table("create table agg (k varchar(5), s bigint sum, mx int max, mn int min, r int replace, rn int replace_if_not_null) aggregate key(k)")
        try load(t, [[.string("a"), .int(1), .int(5), .int(5), .int(1), .int(1)], [.null, .int(10), .null, .null, .null, .null]])
        try load(t, [[.string("a"), .int(2), .int(9), .int(3), .null, .null], [.null, .null, .int(4), .int(4), .int(7), .int(7)]])
        #expect(try contents(t) == [[.null, .int(10), .int(4), .int(4), .int(7), .int(7)],
                                    [.string("a"), .int(3), .int(9), .int(3), .null, .int(1)]])
    }

    @Test func truncateAndALostCacheRebuildFromTheManifest() throws {
        let t = try table("create table u (k int not null, v int) unique key(k)")
        try load(t, [[.int(1), .int(1)]])
        try load(t, [[.int(1), .int(2)]])
        #expect(try contents(t) == [[.int(1), .int(2)]])
        let fresh = try TableCache(path: dir + "/other.sqlite", segments: volume)    // an empty cache: rebuilt from segments
        try fresh.catchUp(t, catalog: catalog)
        try catalog.truncateTable(database: "d", name: "u")
        #expect(try contents(t) == [])
        try load(t, [[.int(5), .int(5)]])
        #expect(try contents(t) == [[.int(5), .int(5)]])
    }

    @Test func onlyPreparedTransactionsCommitAndGarbageIsCollected() throws {
        let t = try table("create table g (k int)")
        let (txn, segment) = try catalog.beginTransaction(tableID: t.id, label: "x") { volume.segmentPath(databaseID: t.databaseID, tableID: t.id, txnID: $0) }
        try Segment.write(to: volume.absolute(segment), columns: [.init("k", .int)], rows: [[.int(1)]])
        #expect(try catalog.liveSegments().contains(segment), "a PREPARE transaction's segment is protected")
        try catalog.abortTransaction(txn, reason: "test")
        #expect(throws: CatalogError.self) { try catalog.commitTransaction(txn, rowCount: 1) }
        #expect(try volume.collectGarbage { try catalog.liveSegments() } == 1)
        #expect(volume.segments().isEmpty)
        #expect(try catalog.abortPreparedTransactions(reason: "restart") == 0)
    }

    @Test func filesACrashCutShortAreCollectedOnceNothingCanStillBeWritingThem() throws {
        let dir = volume.absolute("db1/t2")
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        let names = ["txn3.seg.k2j9x.part", "txn4.seg.a81z.part", "txn5.seg.tmp", "txn6.seg.tmp"]
        for name in names { try Data("x".utf8).write(to: URL(fileURLWithPath: dir + "/" + name)) }
        for (name, age) in [("txn3.seg.k2j9x.part", 3600.0), ("txn5.seg.tmp", 7200), ("txn6.seg.tmp", 1800)] {
            try FileManager.default.setAttributes([.modificationDate: Date(timeIntervalSinceNow: -age)], ofItemAtPath: dir + "/" + name)
        }
        try volume.collectGarbage { [] }
        // A download of the last minutes, and a segment a task may still be writing, stay.
        #expect(try Set(FileManager.default.contentsOfDirectory(atPath: dir)) == ["txn4.seg.a81z.part", "txn6.seg.tmp"])
    }
}

extension TableCacheTests {
    @Test func aCallerWithOlderCatalogDataNeverRollsTheCacheBack() throws {
        let t = try table("create table stale (k int)")
        try load(t, [[.int(1)]])
        let old = try #require(try catalog.tableData(tableID: t.id))          // read before the next commit
        try load(t, [[.int(2)]])
        #expect(try contents(t) == [[.int(1)], [.int(2)]])
        #expect(try cache.catchUp(t, data: old))                                 // late caller with version 1
        #expect(try contents(t, catchUp: false) == [[.int(1)], [.int(2)]])
        try catalog.truncateTable(database: "d", name: "stale")
        #expect(try contents(t) == [])
        #expect(try cache.catchUp(t, data: old))                                 // late caller from before TRUNCATE
        #expect(try contents(t, catchUp: false) == [], "truncated rows must not come back")
    }
}

extension TableCacheTests {
    @Test func aCatchUpAppliesManySegmentsInOrderAndReadsOnlyWhatItHasNotApplied() throws {
        let t = try table("create table many (k int)")
        for i in 1...20 { try load(t, [[.int(Int64(i))]]) }
        #expect(try contents(t) == (1...20).map { [.int(Int64($0))] })
        let newer = try #require(try catalog.tableData(tableID: t.id, after: 18))
        #expect(newer.entries.map(\.version) == [19, 20] && newer.version == 20)
        // A cache that has applied nothing cannot use entries above version 18 alone: it changes nothing and says so.
        let fresh = try TableCache(path: dir + "/fresh.sqlite", segments: volume)
        #expect(try fresh.catchUp(t, data: newer) == false)
        try fresh.catchUp(t, catalog: catalog)                                   // the entry point reads what it needs
        try load(t, [[.int(21)]])
        try fresh.catchUp(t, catalog: catalog)
        try cache.catchUp(t, catalog: catalog)
        #expect(try contents(t, catchUp: false) == (1...21).map { [.int(Int64($0))] })
        let rows = try DatabaseQueue(path: fresh.path).read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM \(TableCache.tableName(t.id))") }
        #expect(rows == 21)
    }
}
