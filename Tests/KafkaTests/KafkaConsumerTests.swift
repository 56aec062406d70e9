import Testing
@testable import Kafka

@Suite struct KafkaConsumerTests {
    /// Consumes everything from the assigned partitions, returning payloads by partition and the EOF offsets.
    private func drain(_ consumer: KafkaPartitionConsumer, partitions: Int) throws -> (messages: [Int32: [(Int64, String)]], eof: [Int32: Int64]) {
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
