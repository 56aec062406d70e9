import CatalogStore
import Expressions
import Foundation
import SQLParser
import Storage
import TestSupport
import Testing
@testable import LoadPipeline
import TaskContract

/// Avro through the load path with libavro, from bytes written by hand (Avro's binary encoding is simple enough to
/// spell out: zig-zag varints, length-prefixed strings and bytes, enum indexes).
@Suite struct AvroDecodingTests {
    struct Schemas: AvroSchemaSource {
        var known: [Int32: String]
        var down = false
        func schema(id: Int32) throws(AvroSchemaError) -> String {
            if down { throw .unavailable("connection refused") }
            guard let s = known[id] else { throw .unknown("Schema not found") }
            return s
        }
    }

    let schema = #"{"type":"record","name":"r","fields":[{"name":"id","type":"long"},{"name":"s","type":"string"},"#
        + #"{"name":"e","type":{"type":"enum","name":"E","symbols":["A","B"]}},"#
        + #"{"name":"d","type":{"type":"bytes","logicalType":"decimal","precision":5,"scale":2}}]}"#
    let table = [TestTables.column("id", .bigint), TestTables.column("s", .varchar(10)), TestTables.column("e", .varchar(10)),
                 TestTables.column("d", .decimal(precision: 5, scale: 2))]

    func run(_ messages: [[UInt8]], _ source: Schemas) throws -> LoadResult {
        let batch = LoadBatch(plan: try LoadPlan(LoadSpec(format: .avro, tableColumns: table, keysType: .duplicate)),
                              evaluator: SQLiteExpressionEvaluator(), avroSchemas: source)
        for m in messages { m.withUnsafeBytes { batch.add($0) } }
        return try batch.finish()
    }

    @Test func framedRecordsDecodeWithTheirWriterSchema() throws {
        // id 3, s "hi", e index 1 ("B"), d = -123 unscaled (one byte, 0x85) → -1.23
        let message: [UInt8] = [0, 0, 0, 0, 1, 0x06, 0x04, 0x68, 0x69, 0x02, 0x02, 0x85]
        let r = try run([message, [1, 2, 3], [0, 0, 0, 0, 9, 0x06], Array(message.prefix(7))], Schemas(known: [1: schema]))
        #expect(r.loadedRows == 1 && r.rows[0] == [.int(3), .string("hi"), .string("B"), .decimal("-1.23")], "\(r.rows)")
        #expect(r.filteredRows == 3)
        #expect(r.rejected.map(\.reason).contains { $0.hasPrefix("not a Confluent Avro message") })
        #expect(r.rejected.map(\.reason).contains { $0.hasPrefix("unknown Avro schema id 9") })
        #expect(r.rejected.map(\.reason).contains { $0.hasPrefix("the Avro body does not decode with schema 1") })
    }

    @Test func anUnreachableRegistryFailsTheBatchInsteadOfRejectingRows() throws {
        #expect(throws: LoadError.self) { try run([[0, 0, 0, 0, 1, 0x06]], Schemas(known: [:], down: true)) }
    }

    @Test func decimalsAreExact() {
        #expect(AvroDecoder.decimal([0x01, 0x00], scale: 2) == "2.56")
        #expect(AvroDecoder.decimal([0xFF], scale: 0) == "-1")
        #expect(AvroDecoder.decimal([0x00], scale: 3) == "0.000")
        #expect(AvroDecoder.decimal([0x7F, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF], scale: 4) == "236118324143482260.6847")
        #expect(AvroDecoder.timeOfDay(3_723_000_000) == "01:02:03")
    }
}

@Suite struct AvroFuzzTests {
    /// Random bodies and mutations of a valid message never crash the decoder: each is a row or an error row.
    @Test func arbitraryBytesAreRowsOrErrorRows() throws {
        let schema = #"{"type":"record","name":"r","fields":[{"name":"id","type":"long"},{"name":"s","type":["null","string"]},"#
            + #"{"name":"tags","type":{"type":"array","items":"string"}},{"name":"m","type":{"type":"map","values":"double"}},"#
            + #"{"name":"d","type":{"type":"bytes","logicalType":"decimal","precision":38,"scale":4}},"#
            + #"{"name":"f","type":{"type":"fixed","name":"F","size":4}},{"name":"e","type":{"type":"enum","name":"E","symbols":["A"]}}]}"#
        let table = [TestTables.column("id", .bigint), TestTables.column("s", .varchar(100))]
        let batch = LoadBatch(plan: try LoadPlan(LoadSpec(format: .avro, tableColumns: table, keysType: .duplicate)),
                              evaluator: SQLiteExpressionEvaluator(), avroSchemas: AvroDecodingTests.Schemas(known: [1: schema]))
        // id 1, s = "x", tags ["a"], m {}, d 1 byte, f 4 bytes, e 0
        let valid: [UInt8] = [0, 0, 0, 0, 1, 0x02, 0x02, 0x02, 0x78, 0x02, 0x02, 0x61, 0x00, 0x00, 0x02, 0x05, 1, 2, 3, 4, 0x00]
        var rng = SystemRandomNumberGenerator()
        var messages = [valid]
        for _ in 0..<5000 {
            var m = valid
            for _ in 0..<Int.random(in: 1...4, using: &rng) {
                let i = Int.random(in: 5..<m.count, using: &rng)
                m[i] = UInt8.random(in: 0...255, using: &rng)
            }
            if Bool.random(using: &rng) { m = Array(m.prefix(Int.random(in: 5...m.count, using: &rng))) }
            messages.append(m)
            messages.append([0, 0, 0, 0, 1] + (0..<Int.random(in: 0...40, using: &rng)).map { _ in UInt8.random(in: 0...255, using: &rng) })
        }
        for m in messages { m.withUnsafeBytes { batch.add($0) } }
        let r = try batch.finish()
        #expect(r.loadedRows + r.filteredRows == messages.count)
        #expect(r.loadedRows >= 1)
    }
}

@Suite struct AvroHostileBodyTests {
    func reasons(_ schema: String, _ bodies: [[UInt8]], table: [TableColumn] = [TestTables.column("id", .bigint)]) throws -> LoadResult {
        let batch = LoadBatch(plan: try LoadPlan(LoadSpec(format: .avro, tableColumns: table, keysType: .duplicate)),
                              evaluator: SQLiteExpressionEvaluator(), avroSchemas: AvroDecodingTests.Schemas(known: [1: schema]))
        for b in bodies { ([0, 0, 0, 0, 1] + b).withUnsafeBytes { batch.add($0) } }
        return try batch.finish()
    }

    @Test func malformedBodiesAreErrorRowsNeverReachingLibavro() throws {
        let union = #"{"type":"record","name":"r","fields":[{"name":"id","type":"long"},{"name":"s","type":["null","string"]}]}"#
        var r = try reasons(union, [[0x02, 0x04], [0x02, 0x01], [0x02, 0x02, 0x01, 0x78], [0x02, 0x00, 0x00],
                                    [0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x01, 0x00]])
        #expect(r.loadedRows == 0 && r.filteredRows == 5)
        #expect(r.rejected.map(\.reason).contains { $0.contains("union branch 2 is not one of 2") })
        #expect(r.rejected.map(\.reason).contains { $0.contains("union branch -1") })
        #expect(r.rejected.map(\.reason).contains { $0.contains("string of -1 bytes") })
        #expect(r.rejected.map(\.reason).contains { $0.contains("bytes follow the Avro value") })
        #expect(r.rejected.map(\.reason).contains { $0.contains("longer than 10 bytes") })
        // A block claiming 2^62 nulls, and a linked list nested 10,000 deep.
        let nulls = #"{"type":"record","name":"r","fields":[{"name":"id","type":"long"},{"name":"n","type":{"type":"array","items":"null"}}]}"#
        r = try reasons(nulls, [[0x02, 0xFE, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x7F, 0x00]])
        #expect(r.filteredRows == 1 && r.rejected[0].reason.contains("empty items"))
        let list = #"{"type":"record","name":"node","fields":[{"name":"id","type":"long"},{"name":"next","type":["null","node"]}]}"#
        r = try reasons(list, [[0x02] + Array(repeating: [0x02, 0x02], count: 10_000).flatMap { $0 } + [0x00],
                               [0x02, 0x02, 0x04, 0x00]])
        #expect(r.filteredRows == 1 && r.rejected[0].reason.contains("nested deeper than"))
        #expect(r.loadedRows == 1 && r.rows[0] == [.int(1)])
        // Timestamps at the ends of Int64 and oversized decimals.
        let odd = #"{"type":"record","name":"r","fields":[{"name":"id","type":"long"},"#
            + #"{"name":"t","type":{"type":"long","logicalType":"timestamp-micros"}},"#
            + #"{"name":"d","type":{"type":"bytes","logicalType":"decimal","precision":38,"scale":2}}]}"#
        let table = [TestTables.column("id", .bigint), TestTables.column("t", .datetime), TestTables.column("d", .decimal(precision: 38, scale: 2))]
        r = try reasons(odd, [[0x02, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x01, 0x00],
                              [0x02, 0x00, 0x50] + Array(repeating: 0x11, count: 40)], table: table)
        #expect(r.filteredRows == 2)
        #expect(r.rejected.map(\.reason).contains { $0.contains("outside years") })
        #expect(r.rejected.map(\.reason).contains { $0.contains("decimal of 40 bytes") })
    }
}
