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
