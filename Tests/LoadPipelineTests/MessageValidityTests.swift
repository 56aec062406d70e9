import CatalogStore
import Expressions
import Foundation
import SQLParser
import Storage
import TestSupport
import Testing
@testable import LoadPipeline
import TaskContract

/// Messages that are not text a table can hold: invalid UTF-8 is an error row, as in StarRocks, and so is an
/// empty JSON message; an empty CSV message is a blank line, which StarRocks skips.
@Suite struct MessageValidityTests {
    let table = [TestTables.column("id", .int, nullable: false), TestTables.column("name", .varchar(20))]

    private func load(_ spec: LoadSpec, _ messages: [[UInt8]]) throws -> LoadResult {
        let batch = LoadBatch(plan: try LoadPlan(spec), evaluator: SQLiteExpressionEvaluator())
        for m in messages { m.withUnsafeBytes { batch.add($0) } }
        return try batch.finish()
    }

    @Test func theValidatorFollowsRFC3629() {
        func valid(_ bytes: [UInt8]) -> Bool { bytes.withUnsafeBytes { UTF8Validation.isValid($0) } }
        #expect(valid(Array("plain ascii that is longer than eight bytes".utf8)))
        #expect(valid(Array("日本語 ünïcödé 🎉 and ascii after".utf8)))
        #expect(valid([]))
        for bad: [UInt8] in [[0xFF], [0xC0, 0x80], [0xC3], [0xE0, 0x80, 0x80], [0xED, 0xA0, 0x80], [0xF4, 0x90, 0x80, 0x80],
                             [0xF5, 0x80, 0x80, 0x80], [0x80], Array("12345678".utf8) + [0xC3, 0x28], [0xE2, 0x82]] {
            #expect(!valid(bad), "\(bad)")
        }
    }

    @Test func invalidUTF8RowsAreRejectedAndTheValidRowsOfTheSameMessageLoad() throws {
        var csv = LoadSpec(format: .csv, tableColumns: table, keysType: .duplicate)
        csv.columnSeparator = ","
        let r = try load(csv, [Array("1,ok\n2,b".utf8) + [0xFF, 0xFE] + Array("d\n3,fine".utf8), Array("4,ünï".utf8)])
        #expect(r.rows == [[.int(1), .string("ok")], [.int(3), .string("fine")], [.int(4), .string("ünï")]])
        #expect(r.filteredRows == 1 && r.rejected.first?.reason == "Invalid UTF-8 row")

        let json = LoadSpec(format: .json, tableColumns: table, keysType: .duplicate)
        let j = try load(json, [Array(#"{"id": 1, "name": "ok"}"#.utf8), Array(#"{"id": 2, "name": ""#.utf8) + [0xC0, 0xAF] + Array(#""}"#.utf8)])
        #expect(j.rows == [[.int(1), .string("ok")]])
        #expect(j.filteredRows == 1 && j.rejected.first?.reason == "Failed to parse json: The input is not valid UTF-8")
    }

    @Test func emptyMessagesAreCountedForJSONAndSkippedAsBlankLinesForCSV() throws {
        let json = LoadSpec(format: .json, tableColumns: table, keysType: .duplicate)
        let j = try load(json, [[], Array("  \n".utf8), Array(#"{"id": 1}"#.utf8)])
        #expect(j.loadedRows == 1 && j.filteredRows == 2)
        #expect(j.rejected.first?.reason == "The input is empty: no JSON document in the message")
        var csv = LoadSpec(format: .csv, tableColumns: table, keysType: .duplicate)
        csv.columnSeparator = ","
        let c = try load(csv, [[], Array("1,a".utf8)])
        #expect(c.loadedRows == 1 && c.filteredRows == 0 && c.totalRows == 1)
    }
}
