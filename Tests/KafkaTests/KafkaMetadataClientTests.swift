import Testing
@testable import Kafka

@Suite struct KafkaMetadataClientTests {
    @Test func partitionsAndWatermarksComeFromTheCluster() throws {
        let cluster = try KafkaMockCluster(brokers: 2)
        try cluster.createTopic("orders", partitions: 4)
        let client = KafkaMetadataClient(brokers: cluster.bootstrapServers)
        #expect(try client.partitions(topic: "orders") == [0, 1, 2, 3])
        let producer = try KafkaProducer(brokers: cluster.bootstrapServers)
        for (p, n) in [(0, 1), (3, 3)] { for i in 0..<n { try producer.send(topic: "orders", partition: Int32(p), value: Array("m\(i)".utf8)) } }
        try producer.flush()
        let marks = try client.watermarks(topic: "orders", partitions: [0, 1, 3])
        #expect(marks.count == 3)
        #expect(marks[0]?.low == 0 && marks[0]?.high == 1)
        #expect(marks[1]?.low == 0 && marks[1]?.high == 0)
        #expect(marks[3]?.low == 0 && marks[3]?.high == 3)
    }

    @Test func aPartitionTheTopicDoesNotHaveIsNamedInTheError() throws {
        let cluster = try KafkaMockCluster()
        try cluster.createTopic("orders", partitions: 2)
        let client = KafkaMetadataClient(brokers: cluster.bootstrapServers, timeoutMilliseconds: 2000)
        #expect {
            try client.watermarks(topic: "orders", partitions: [1, 7])
        } throws: { error in
            if case KafkaError.unknownPartition(_, let p) = error { return p == 7 }
            if case KafkaError.partitionFailed(let p, _) = error { return p == 7 }
            return false
        }
    }

    /// librdkafka 2.0.2's mock cluster creates any topic a client asks about (4 partitions), so the
    /// unknown-topic error path cannot be exercised against it; this pins that behaviour down so tests
    /// that rely on explicit topics notice if it changes.
    @Test func theMockCreatesTopicsOnFirstUse() throws {
        let cluster = try KafkaMockCluster()
        let client = KafkaMetadataClient(brokers: cluster.bootstrapServers, timeoutMilliseconds: 2000)
        #expect(try client.partitions(topic: "created_on_demand") == [0, 1, 2, 3])
    }

    @Test func unreachableBrokersTimeOutWithAnError() {
        // Port 1 on loopback: nothing listens, so every request fails fast or times out.
        let client = KafkaMetadataClient(brokers: "127.0.0.1:1", timeoutMilliseconds: 1000)
        #expect {
            try client.partitions(topic: "orders")
        } throws: { error in
            if case KafkaError.unreachable = error { return true }
            return false
        }
    }

    @Test func badLibrdkafkaSettingsAreReportedAsStarRocksDoes() {
        let client = KafkaMetadataClient(brokers: "127.0.0.1:1", properties: [("security.protocol", "carrier-pigeon")])
        #expect {
            try client.partitions(topic: "t")
        } throws: { error in
            if case KafkaError.failed(let m) = error { return m.hasPrefix("failed to set 'security.protocol', value: 'carrier-pigeon', err:") }
            return false
        }
    }
}
