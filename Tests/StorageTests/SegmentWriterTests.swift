import Expressions
import Foundation
import GRDB
import GRDBSQLite
import Testing
@testable import Storage

/// Rows appended in several calls come back in order with their values and `__op`, whether they went through
/// the many-rows INSERT or the single-row one.
@Suite struct SegmentWriterTests {
    @Test func rowsComeBackInOrderWithEveryKindOfValue() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("seg-\(UUID().uuidString).seg").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        let writer = try SegmentWriter(path: path, columns: [.init("id", .bigint), .init("name", .varchar(100)), .init("score", .double)])
        let values: [Value] = [.string(""), .null, .string("héllo, 世界"), .string("a much longer string than fifteen bytes"), .string("x")]
        let count = writer.rowsPerInsert * 2 + 7                            // two many-row INSERTs and single rows
        let rows: [[Value]] = (0..<count).map { (i: Int) -> [Value] in
            let score: Value = i % 4 == 0 ? .null : .double(Double(i) / 2)
            return [.int(Int64(i)), values[i % values.count], score]
        }
        try writer.append(Array(rows[..<40]), ops: (0..<40).map { Int64($0 % 2) })
        try writer.append(Array(rows[40...]))
        try writer.finish()
        let stored = try DatabaseQueue(path: path).read { db in
            try Row.fetchAll(db, sql: "SELECT id, name, score, __op FROM rows ORDER BY rowid")
        }
        #expect(stored.count == rows.count)
        for (i, row) in stored.enumerated() {
            #expect(row["id"] as Int64 == Int64(i))
            switch values[i % values.count] {
            case .string(let s): #expect(row["name"] as String? == s, "row \(i)")
            default: #expect((row["name"] as DatabaseValue).isNull, "row \(i)")
            }
            #expect(row["score"] as Double? == (i % 4 == 0 ? nil : Double(i) / 2))
            #expect(row["__op"] as Int64 == (i < 40 ? Int64(i % 2) : 0))
        }
    }

    @Test func aSmallBatchGetsSmallPagesAndALargeOneLargePages() throws {
        for (count, pageSize) in [(5, 4096), (SegmentWriter.smallSegmentRows + 3, 65536)] {
            let path = FileManager.default.temporaryDirectory.appendingPathComponent("pages-\(UUID().uuidString).seg").path
            defer { try? FileManager.default.removeItem(atPath: path) }
            let writer = try SegmentWriter(path: path, columns: [.init("id", .bigint)])
            for i in 0..<count { try writer.append([[.int(Int64(i))]]) }
            #expect(!FileManager.default.fileExists(atPath: path))
            try writer.finish()
            let (pages, ids) = try DatabaseQueue(path: path).read { db in
                (try Int.fetchOne(db, sql: "PRAGMA page_size"), try Int64.fetchAll(db, sql: "SELECT id FROM rows ORDER BY rowid"))
            }
            #expect(pages == pageSize && ids == (0..<Int64(count)).map { $0 })
        }
    }

    @Test func aTableTooWideFor32RowsPerInsertStillLoads() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("wide-\(UUID().uuidString).seg").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        let columns = (0..<1500).map { Relation.Column("c\($0)", .bigint) }            // 32 × 1501 parameters: more than some SQLite builds allow
        let writer = try SegmentWriter(path: path, columns: columns)
        let limit = try DatabaseQueue().read { Int(sqlite3_limit($0.sqliteConnection, SQLITE_LIMIT_VARIABLE_NUMBER, -1)) }
        #expect(writer.rowsPerInsert >= 1 && writer.rowsPerInsert * 1501 <= limit)
        try writer.append((0..<50).map { r in (0..<1500).map { .int(Int64(r * 10_000 + $0)) } })
        try writer.finish()
        let last = try DatabaseQueue(path: path).read { try Int64.fetchOne($0, sql: "SELECT c1499 FROM rows ORDER BY rowid DESC LIMIT 1") }
        #expect(last == Int64(49 * 10_000 + 1499))
    }
}
