import SQLParser
import Testing
@testable import JobScheduler

@Suite struct RoutineLoadPreparationTests {
    struct FakeKafka: KafkaMetadataSource {
        var partitions: [Int32] = [0, 1, 2]
        var marks: [Int32: (Int64, Int64)] = [0: (0, 0), 1: (5, 12), 2: (100, 300)]
        var down = false
        var unreachable = false
        /// Per partition, the time (ms) of each message from the low watermark on: ListOffsets by time answers from it.
        var times: [Int32: [Int64]] = [:]
        func offsets(brokers: String, topic: String, atTimes: [Int32: Int64], properties: [(String, String)]) throws -> [Int32: Int64] {
            if unreachable { throw SourceUnreachable("Local: Timed out") }
            var out: [Int32: Int64] = [:]
            for (p, t) in atTimes {
                let low = marks[p]?.0 ?? 0
                out[p] = (times[p] ?? []).firstIndex { $0 >= t }.map { low + Int64($0) } ?? -1
            }
            return out
        }
        struct Down: Error, CustomStringConvertible { var description: String { "Local: Broker transport failure" } }
        func partitions(brokers: String, topic: String, properties: [(String, String)]) throws -> [Int32] {
            if down { throw Down() }
            if unreachable { throw SourceUnreachable("Local: Broker transport failure") }
            return partitions
        }
        func watermarks(brokers: String, topic: String, partitions: [Int32], properties: [(String, String)]) throws -> [Int32: (low: Int64, high: Int64)] {
            if unreachable { throw SourceUnreachable("Local: Timed out") }
            var out: [Int32: (low: Int64, high: Int64)] = [:]
            for p in partitions {
                guard let m = marks[p] else { throw PartitionFailure(partition: p, message: "Broker: Unknown topic or partition") }
                out[p] = m
            }
            return out
        }
    }

    private func job(partitions: [Int32]? = nil, offsets: [KafkaOffset]? = nil, defaultOffset: KafkaOffset? = nil) -> RoutineLoadJob {
        let source = KafkaSource(brokerList: "h:1", topic: "t", partitions: partitions, offsets: offsets, defaultOffset: defaultOffset,
                                 customProperties: [], groupIDGenerated: true, schemaRegistryURL: nil)
        return RoutineLoadJob(id: 1, name: "j", databaseName: "d", tableName: "t",
                              definition: RoutineLoadDefinition(load: RoutineLoadProperties(), job: RoutineLoadJobProperties(), source: source),
                              createTime: 0)
    }

    @Test func discoveredPartitionsStartAtTheDefaultOffset() {
        var j = job(defaultOffset: .beginning)
        j.prepare(using: FakeKafka(), at: 1)
        #expect(j.state == .needSchedule)
        #expect(j.currentPartitions == [0, 1, 2])
        #expect(j.progress == [0: 0, 1: 5, 2: 100])
        #expect(j.latestOffsets == [0: 0, 1: 12, 2: 300])
    }

    @Test func partitionsStartAtTheFirstMessageAtOrAfterATimeInTheJobsZone() throws {
        // 2026-12-01 10:00:00 in +09:00 is 01:00:00 UTC = 1_796_086_800 s.
        let at: Int64 = 1_796_086_800_000
        var kafka = FakeKafka()
        kafka.times = [1: [at - 60_000, at - 1, at, at + 5], 2: [at - 10]]
        var j = job(defaultOffset: try KafkaOffset.parse("2026-12-01 10:00:00"))
        j.definition.job.timezone = "+09:00"
        j.prepare(using: kafka, at: 1)
        #expect(j.progress == [0: 0, 1: 7, 2: 300])          // partition 1 at its third message; none that recent: the end
        #expect(throws: RoutineLoadError.self) { try KafkaOffset.parse("2026-13-01 10:00:00x") }
        #expect(try KafkaOffset.parse("2026-12-01") == .time("2026-12-01"))
    }

    @Test func withoutADefaultNewPartitionsStartAtTheEnd() {
        var j = job()
        j.prepare(using: FakeKafka(), at: 1)
        #expect(j.progress == [0: 0, 1: 12, 2: 300])
    }

    @Test func pinnedPartitionsUseTheirOwnOffsetsAndKeepProgress() {
        var j = job(partitions: [1, 2], offsets: [.offset(7), .end])
        j.prepare(using: FakeKafka(), at: 1)
        #expect(j.progress == [1: 7, 2: 300])
        var more = FakeKafka()
        more.marks[2] = (100, 999)
        j.prepare(using: more, at: 2)
        #expect(j.progress == [1: 7, 2: 300], "progress already known is never moved by preparation")
        #expect(j.latestOffsets[2] == 999)
    }

    @Test func kafkaFailuresPauseTheJobWithStarRocksReasons() {
        var down = job()
        var kafka = FakeKafka()
        kafka.down = true
        down.prepare(using: kafka, at: 5)
        #expect(down.state == .paused && down.pauseTime == 5)
        #expect(down.displayedReason == "ErrorReason{errCode = 4, msg='Job failed to fetch all current partition with error [Local: Broker transport failure]'}")
        var pinned = job(partitions: [9])
        pinned.prepare(using: FakeKafka(), at: 5)
        #expect(pinned.displayedReason == "ErrorReason{errCode = 4, msg='there is an invalid custom partition: 9 for topic: t'}")
    }

    @Test func unreachableBrokersDoNotPauseAJobThatKnowsItsOffsets() {
        var j = job(defaultOffset: .beginning)
        j.prepare(using: FakeKafka(), at: 1)
        var kafka = FakeKafka()
        kafka.unreachable = true
        let before = j
        #expect(j.prepare(using: kafka, at: 2)?.message == "Local: Broker transport failure")
        #expect(j == before, "partitions, offsets and state as they were")
        var pinned = job(partitions: [0], offsets: [.beginning])
        #expect(pinned.prepare(using: kafka, at: 3) == nil)                   // nothing known yet: paused, with the cause
        #expect(pinned.displayedReason == "ErrorReason{errCode = 4, msg='failed to get offset of partition: 0 in topic: t, err: Local: Timed out'}")
        var fresh = job()
        fresh.prepare(using: kafka, at: 3)
        #expect(fresh.state == .paused)
    }
}
