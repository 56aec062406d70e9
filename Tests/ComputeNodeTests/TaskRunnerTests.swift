import CatalogStore
import Foundation
import GRDB
import Kafka
import LoadPipeline
import SQLParser
import TestSupport
import Testing
@testable import ComputeNode
import TaskContract

@Suite struct TaskRunnerTests {
    private func task(_ brokers: String, begin: [Int32: Int64], root: String = "") -> LoadTask {
        var spec = LoadSpec(format: .csv, tableColumns: [TestTables.column("id", .int, nullable: false, key: true),
                                                         TestTables.column("name", .varchar(10), nullable: true, key: false)],
                            keysType: .duplicate)
        spec.columnSeparator = ","
        return LoadTask(id: "t1", jobID: 1, label: "j-1-t1", txnID: 42, brokers: brokers, topic: "csv", properties: [], begin: begin,
                        spec: spec, segment: "db1/t1/txn42.seg", consumeSeconds: 5, maxBatchRows: 1000, maxBatchBytes: 1 << 30)
    }

    /// A mock cluster whose topic "csv" holds `messages` (partition, text), produced in order.
    private func mockTopic(partitions: Int32, _ messages: [(Int32, String)]) throws -> KafkaMockCluster {
        let cluster = try KafkaMockCluster()
        try cluster.createTopic("csv", partitions: partitions)
        let producer = try KafkaProducer(brokers: cluster.bootstrapServers)
        for (p, m) in messages { try producer.send(topic: "csv", partition: p, value: Array(m.utf8)) }
        try producer.flush()
        return cluster
    }

    @Test func aTaskConsumesToTheEndWritesTheSegmentAndTheErrorLog() throws {
        let cluster = try mockTopic(partitions: 2, ["1,a", "2,b", "x,c", "3,d\n4,e"].enumerated().map { (Int32($0 % 2), $1) })
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("runner-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: root) }
        let runner = TaskRunner(segmentRoot: root, errorLogDirectory: root + "/error_log", errorLogURLBase: "http://node:8040")
        let report = runner.run(task(cluster.bootstrapServers, begin: [0: 0, 1: 0], root: root))
        #expect(report.status == .finished, "\(report.failure ?? "")")
        let outcome = try #require(report.outcome)
        #expect(outcome.endOffsets == [0: 2, 1: 2] && outcome.latestOffsets == [0: 2, 1: 2])
        #expect(outcome.loadedRows == 4 && outcome.filteredRows == 1)
        let count = try DatabaseQueue(path: root + "/db1/t1/txn42.seg").read { try Int.fetchOne($0, sql: "SELECT count(*) FROM rows") }
        #expect(count == 4)
        let url = try #require(outcome.errorLogURL)
        let prefix = "http://node:8040/api/_load_error_log?file=error_log_j-1-t1_42_"
        #expect(url.hasPrefix(prefix) && url.count == prefix.count + 32)       // 128 random bits: the URL is the key
        let log = try String(contentsOfFile: root + "/error_log/" + String(url.split(separator: "=")[1]), encoding: .utf8)
        #expect(log == "Error: column 'id': 'x' cannot be converted to int and the column is NOT NULL. Row: x,c\n")
    }

    @Test func theTaskRowCapHoldsHoweverTheDataIsSpreadOverPartitions() throws {
        let cluster = try mockTopic(partitions: 3, (0..<6000).map { (0, "\($0),p0") } + [1, 2].flatMap { p in (0..<10).map { (Int32(p), "\($0),p\(p)") } })
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("runner-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: root) }
        var t = task(cluster.bootstrapServers, begin: [0: 0, 1: 0, 2: 0], root: root)
        t.maxBatchRows = 2000
        let outcome = try #require(TaskRunner(segmentRoot: root, errorLogDirectory: root, errorLogURLBase: "").run(t).outcome)
        // Checked after each poll: at most one poll batch (1,024 messages) over.
        #expect(outcome.loadedRows >= 2000 && outcome.loadedRows <= 2000 + 1024, "\(outcome.loadedRows)")
        #expect(outcome.endOffsets[0].map { $0 >= 1980 && $0 < 6000 } == true)
    }

    @Test func decodersWriteChunksInTheOrderTheyWereRead() throws {
        let cluster = try mockTopic(partitions: 2, (0..<3000).map { (Int32($0 % 2), "\($0),v") })
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("runner-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: root) }
        var runner = TaskRunner(segmentRoot: root, errorLogDirectory: root, errorLogURLBase: "")
        runner.chunkMessages = 7                                   // hundreds of chunks over three decoders
        runner.decoders = 3
        var t = task(cluster.bootstrapServers, begin: [0: 0, 1: 0], root: root)
        t.maxBatchRows = 10_000
        let report = runner.run(t)
        #expect(report.outcome?.loadedRows == 3000, "\(report.failure ?? "")")
        let ids = try DatabaseQueue(path: root + "/db1/t1/txn42.seg").read { try Int.fetchAll($0, sql: "SELECT id FROM rows ORDER BY rowid") }
        // Within each partition, rows are in offset order (a primary-key table's later upsert must win).
        for p in 0..<2 {
            let mine = ids.filter { $0 % 2 == p }
            let inOrder = mine == Array(stride(from: p, to: 3000, by: 2))
            #expect(inOrder, "partition \(p): \(mine.count) rows, first out of place at \(mine.indices.first { mine[$0] != p + 2 * $0 } ?? -1)")
        }
    }

    @Test func theConsumerReadsOnlyWhatLibrdkafkaHasAlreadyPrefetched() {
        var t = task("b:1", begin: [0: 0], root: "/tmp")
        t.maxBatchRows = 200_000
        let prefetch = Prefetch(t)                              // the row cap plus two poll batches
        #expect(prefetch.messages == 202_048 && prefetch.settings.map(\.0) == ["queued.min.messages", "queued.max.messages.kbytes"])
        #expect(prefetch.allows(messages: 200_000, bytes: 0) && !prefetch.allows(messages: 201_024, bytes: 0))
        #expect(!prefetch.allows(messages: 0, bytes: 144 << 20))  // three quarters of a 192 MB queue
        t.properties = [Property("queued.min.messages", "5000")]
        #expect(Prefetch(t).messages == 5000)                   // a job's own setting is what librdkafka uses
    }

    @Test func aNodeTellsWhenATaskReportIsReady() {
        let ready = DispatchSemaphore(value: 0)
        let service = ComputeNodeService(runner: TaskRunner(segmentRoot: "/tmp", errorLogDirectory: "/tmp", errorLogURLBase: ""), slots: 2) { _ in ready.signal() }
        var bad = task("127.0.0.1:1", begin: [0: 0], root: "/tmp")
        bad.segment = "../outside.seg"
        #expect(throws: Never.self) { try service.submit(bad) }
        #expect(ready.wait(timeout: .now() + 10) == .success)
        #expect(service.report(bad.id)?.status == .failed)                 // the report is there when the call comes
    }

    @Test func anOffsetOutsideTheLogFailsTheTaskWithStarRocksAdvice() throws {
        let cluster = try KafkaMockCluster()
        try cluster.createTopic("csv", partitions: 1)
        let runner = TaskRunner(segmentRoot: "/tmp", errorLogDirectory: "/tmp", errorLogURLBase: "")
        let report = runner.run(task(cluster.bootstrapServers, begin: [0: 100], root: "/tmp"))
        #expect(report.status == .failed)
        #expect(report.failure?.contains("this is no data in partition: 0 at offset: 100. you can modify kafka_offsets by alter routine load") == true)
    }

    @Test func tasksFromTheNetworkCannotWriteOutsideTheVolumeOrBreakTheNode() {
        let runner = TaskRunner(segmentRoot: "/tmp", errorLogDirectory: "/tmp", errorLogURLBase: "")
        var bad = task("127.0.0.1:1", begin: [0: 0], root: "/tmp")
        bad.segment = "../../etc/evil.seg"
        #expect(runner.run(bad).failure == "invalid segment path: ../../etc/evil.seg")
        bad = task("127.0.0.1:1", begin: [0: 0], root: "/tmp")
        bad.consumeSeconds = -5
        #expect(runner.run(bad).failure == "invalid consume time: -5.0")
        bad.consumeSeconds = .nan
        #expect(runner.run(bad).status == .failed)
        bad = task("127.0.0.1:1", begin: [0: 0], root: "/tmp")
        bad.maxBatchRows = 0
        #expect(runner.run(bad).failure == "invalid batch limits")
        for path in ["/etc/x.seg", "db1/t1/../../x.seg", "db1/t1/txn1.seg/..", "db1/t1/txnX.seg", "db1//txn1.seg", "db1/t1/txn1.sqlite",
                     "db1/t1/t2/txn1.seg", "db-1/t1/txn1.seg"] {
            bad = task("127.0.0.1:1", begin: [0: 0])
            bad.segment = path
            #expect(runner.run(bad).failure == "invalid segment path: \(path)")
        }
    }

    @Test func aNodeRefusesKafkaSettingsThatRunCommandsOrLoadCode() {
        let runner = TaskRunner(segmentRoot: "/tmp", errorLogDirectory: "/tmp", errorLogURLBase: "")
        for (key, value) in [("sasl.kerberos.kinit.cmd", "touch /tmp/pwned"), ("plugin.library.paths", "/tmp/evil.so"),
                             ("ssl.engine.location", "/tmp/e.so"), ("oauthbearer_token_refresh_cb", "1"), ("sasl.kerberos.principal", "a;id")] {
            var bad = task("127.0.0.1:1", begin: [0: 0])
            bad.properties = [Property("security.protocol", "SASL_PLAINTEXT"), Property(key, value)]
            let failure = runner.run(bad).failure ?? ""
            #expect(failure.hasPrefix("kafka property '\(key)'"), "\(failure)")
        }
    }
}
