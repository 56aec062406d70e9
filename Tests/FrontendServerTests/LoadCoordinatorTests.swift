import CatalogStore
import Foundation
@testable import JobScheduler
import Logging
import SQLParser
import Storage
import Testing
@testable import FrontendServer

/// The scheduler's job round over an in-memory catalog and a Kafka fake (no broker, no node).
@Suite struct LoadCoordinatorTests {
    final class FakeKafka: KafkaMetadataSource, @unchecked Sendable {
        var partitions: [Int32] = [0, 1]
        func partitions(brokers: String, topic: String, properties: [(String, String)]) throws -> [Int32] { partitions }
        func watermarks(brokers: String, topic: String, partitions: [Int32], properties: [(String, String)]) throws -> [Int32: (low: Int64, high: Int64)] {
            Dictionary(uniqueKeysWithValues: partitions.map { ($0, (low: 0, high: 50)) })
        }
    }

    let catalog: CatalogStore
    let coordinator: LoadCoordinator
    let kafka = FakeKafka()

    init() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("coord-\(UUID().uuidString)").path
        let volume = try LocalVolume(root: dir + "/storage")
        catalog = try CatalogStore.inMemory()
        coordinator = LoadCoordinator(catalog: catalog, volume: volume, cache: try TableCache(path: dir + "/cache.sqlite", volume: volume),
                                      config: FrontendConfig(), logger: Logger(label: "test"), kafka: kafka)
    }

    private func createJob() throws -> Int64 {
        let source = KafkaSource(brokerList: "h:1", topic: "t", partitions: nil, offsets: nil, defaultOffset: .beginning,
                                 customProperties: [], groupIDGenerated: true, schemaRegistryURL: nil)
        let definition = RoutineLoadDefinition(load: RoutineLoadProperties(), job: RoutineLoadJobProperties(), source: source)
        return try catalog.createRoutineLoadJob(database: "d", name: "j", state: "NEED_SCHEDULE", finalStates: ["STOPPED", "CANCELLED"]) { id in
            String(decoding: try JSONEncoder().encode(RoutineLoadJob(id: id, name: "j", databaseName: "d", tableName: "t",
                                                                     definition: definition, createTime: 0)), as: UTF8.self)
        }
    }

    private func job(_ id: Int64) throws -> RoutineLoadJob {
        let stored = try #require(try catalog.routineLoadJob(id: id))
        return try #require(RoutineLoadJob(stored: stored))
    }

    @Test func withoutAliveNodesAPreparedJobWaitsAndWithANodeItRunsAndIsSplitAgainWhenTheTopicGrows() throws {
        let id = try createJob()
        coordinator.tick(now: 100)
        // Prepared (offsets resolved) but no node is alive: NEED_SCHEDULE, as StarRocks keeps it.
        #expect(try job(id).state == .needSchedule && job(id).progress == [0: 0, 1: 0])
        #expect(coordinator.tasks(of: id).isEmpty)

        coordinator.nodes.add(ComputeNodeState(id: 7, host: "n", heartbeatPort: 1, httpPort: 1, alive: true, embedded: false,
                                               connection: HTTPNodeConnection(host: "127.0.0.1", port: 1, signer: coordinator.nodeSigner)))
        coordinator.tick(now: 200)
        #expect(try job(id).state == .running)
        #expect(coordinator.tasks(of: id).map(\.partitions) == [[0, 1]])          // min(1 node, 2 partitions, 5, 5)

        kafka.partitions = [0, 1, 2]
        coordinator.tick(now: 300)
        let grown = try job(id)
        #expect(grown.state == .running && grown.currentPartitions == [0, 1, 2])
        #expect(grown.progress[2] == 0)                                         // the new partition starts at kafka_default_offsets
        #expect(coordinator.tasks(of: id).flatMap(\.partitions).sorted() == [0, 1, 2])
    }

    @Test func aStatementWakesTheSchedulerInsteadOfWaitingForTheNextRound() throws {
        coordinator.nodes.add(ComputeNodeState(id: 7, host: "n", heartbeatPort: 1, httpPort: 1, alive: true, embedded: false,
                                               connection: HTTPNodeConnection(host: "127.0.0.1", port: 1, signer: coordinator.nodeSigner)))
        coordinator.tick(now: 100)                                              // a round ran; the next is due at 100 + interval
        let id = try createJob()
        coordinator.tick(now: 100.5)
        #expect(try job(id).state == .needSchedule)
        coordinator.wake()
        coordinator.tick(now: 100.6)
        #expect(try job(id).state == .running && coordinator.tasks(of: id).count == 1)
    }
}
