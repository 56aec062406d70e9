import Testing
@testable import Kafka

@Suite struct KafkaConsumerTests {
    /// Consumes everything from the assigned partitions, returning payloads by partition and the EOF offsets.
    func drain(_ consumer: KafkaPartitionConsumer, partitions: Int) throws -> (messages: [Int32: [(Int64, String)]], eof: [Int32: Int64]) {
        var messages: [Int32: [(Int64, String)]] = [:]
        var eof: [Int32: Int64] = [:]
        for _ in 0..<200 where eof.count < partitions {
            for event in try consumer.poll(timeoutMilliseconds: 100, { m in
                messages[m.partition, default: []].append((m.offset, String(decoding: m.payload, as: UTF8.self)))
            }) {
                if case .endOfPartition(let p, let next) = event { eof[p] = next }
            }
        }
        return (messages, eof)
    }

    @Test func consumesAssignedPartitionsFromExplicitOffsetsUntilTheirEnd() throws {
        let cluster = try KafkaMockCluster()
        try cluster.createTopic("events", partitions: 3)
        let producer = try KafkaProducer(brokers: cluster.bootstrapServers)
        for i in 0..<10 { try producer.send(topic: "events", partition: Int32(i % 2), value: Array("m\(i)".utf8)) }
        try producer.flush()

        let consumer = try KafkaPartitionConsumer(brokers: cluster.bootstrapServers, topic: "events", start: [0: 2, 1: 0])
        let (messages, eof) = try drain(consumer, partitions: 2)
        #expect(messages[0]?.map(\.1) == ["m4", "m6", "m8"])
        #expect(messages[0]?.map(\.0) == [2, 3, 4])
        #expect(messages[1]?.map(\.1) == ["m1", "m3", "m5", "m7", "m9"])
        #expect(messages[2] == nil)
        #expect(eof == [0: 5, 1: 5])
    }

    @Test func anOffsetBeyondTheLogIsAnErrorNotASilentJump() throws {
        let cluster = try KafkaMockCluster()
        try cluster.createTopic("short", partitions: 1)
        let producer = try KafkaProducer(brokers: cluster.bootstrapServers)
        try producer.send(topic: "short", partition: 0, value: Array("only".utf8))
        try producer.flush()
        let consumer = try KafkaPartitionConsumer(brokers: cluster.bootstrapServers, topic: "short", start: [0: 50])
        var failure: KafkaError?
        for _ in 0..<100 where failure == nil {
            do { _ = try consumer.poll(timeoutMilliseconds: 100) { _ in Issue.record("no message expected") } } catch { failure = error }
        }
        guard case .partitionFailed(0, let text)? = failure else { Issue.record("expected an error, got \(String(describing: failure))"); return }
        #expect(text.lowercased().contains("offset out of range"))
    }
}

extension KafkaConsumerTests {
    @Test func aPooledConsumerIsHandedToTheNextTaskReadingOnlyItsPartitionsAndAFailedOneIsNot() throws {
        let cluster = try KafkaMockCluster()
        try cluster.createTopic("a", partitions: 2)
        try cluster.createTopic("b", partitions: 1)
        let producer = try KafkaProducer(brokers: cluster.bootstrapServers)
        for i in 0..<6 { try producer.send(topic: "a", partition: Int32(i % 2), value: Array("a\(i)".utf8)) }
        for i in 0..<4 { try producer.send(topic: "b", partition: 0, value: Array("b\(i)".utf8)) }
        try producer.flush()
        let pool = KafkaConsumerPool(maxIdle: 4, idleSeconds: 60)
        let first = try pool.consumer(brokers: cluster.bootstrapServers, topic: "a", start: [0: 0, 1: 1], tuning: [],
                                      properties: [("group.id", "job1")])
        let (a, eofA) = try drain(first, partitions: 2)
        #expect(a[0]?.map(\.1) == ["a0", "a2", "a4"] && a[1]?.map(\.1) == ["a3", "a5"] && eofA == [0: 3, 1: 3])
        pool.giveBack(first)
        #expect(pool.idleConsumers == 1)
        // Another job (its own group.id), another topic: the same consumer, reading b from offset 2 and nothing of a.
        let second = try pool.consumer(brokers: cluster.bootstrapServers, topic: "b", start: [0: 2], tuning: [],
                                       properties: [("group.id", "job2")])
        #expect(second === first && pool.idleConsumers == 0)
        let (b, eofB) = try drain(second, partitions: 1)
        #expect(b[0]?.map(\.1) == ["b2", "b3"] && b[1] == nil && eofB == [0: 4])
        pool.giveBack(second)
        // Other settings are another consumer.
        let other = try pool.consumer(brokers: cluster.bootstrapServers, topic: "b", start: [0: 0], tuning: [("queued.min.messages", "5000")],
                                      properties: [])
        #expect(other !== first && pool.idleConsumers == 1)
        // A consumer whose poll failed is dropped, not pooled.
        let broken = try pool.consumer(brokers: cluster.bootstrapServers, topic: "b", start: [0: 50], tuning: [], properties: [])
        #expect(broken === first)
        var failed = false
        for _ in 0..<100 where !failed { do { _ = try broken.poll(timeoutMilliseconds: 100) { _ in } } catch { failed = true } }
        #expect(failed && broken.failed)
        pool.giveBack(broken)
        #expect(pool.idleConsumers == 0)
        pool.giveBack(other)
        #expect(pool.idleConsumers == 1)
    }
}
