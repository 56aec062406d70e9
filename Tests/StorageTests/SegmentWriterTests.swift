import Expressions
import Foundation
import GRDB
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
        let rows: [[Value]] = (0..<(SegmentWriter.rowsPerInsert * 2 + 7)).map { i in
            [.int(Int64(i)), values[i % values.count], i % 4 == 0 ? .null : .double(Double(i) / 2)]
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
}
