import CRdKafka

/// An in-process Kafka cluster from librdkafka's mock (rdkafka_mock.h): real Kafka protocol on loopback,
/// for tests and for trying Tributary without Kafka. Lives as long as this object.
public final class KafkaMockCluster: @unchecked Sendable {
    private let handle: OpaquePointer
    private let cluster: OpaquePointer
    public let brokerCount: Int32

    /// Starts `brokers` mock brokers on loopback.
    public init(brokers: Int32 = 1) throws(KafkaError) {
        let conf = rd_kafka_conf_new()
        var errbuf = [CChar](repeating: 0, count: 512)
        _ = rd_kafka_conf_set(conf, "log_level", "0", &errbuf, errbuf.count)
        guard let rk = rd_kafka_new(RD_KAFKA_PRODUCER, conf, &errbuf, errbuf.count) else { throw .failed(String(cString: errbuf)) }
        guard let mc = rd_kafka_mock_cluster_new(rk, brokers) else {
            rd_kafka_destroy(rk)
            throw .failed("cannot start the mock cluster")
        }
        handle = rk
        cluster = mc
        brokerCount = brokers
    }

    deinit {
        rd_kafka_mock_cluster_destroy(cluster)
        rd_kafka_destroy(handle)
    }

    /// `host:port[,host:port...]` to give clients as bootstrap servers.
    public var bootstrapServers: String { String(cString: rd_kafka_mock_cluster_bootstraps(cluster)) }

    public func createTopic(_ name: String, partitions: Int32, replicationFactor: Int32 = 1) throws(KafkaError) {
        let err = rd_kafka_mock_topic_create(cluster, name, partitions, replicationFactor)
        guard err == RD_KAFKA_RESP_ERR_NO_ERROR else { throw .failed(String(cString: rd_kafka_err2str(err))) }
    }

    /// Takes every broker down (connections dropped, new ones refused) or brings them back on the same ports: a Kafka
    /// outage for tests.
    public func setBrokersUp(_ up: Bool) {
        for id in 1...max(1, brokerCount) {
            _ = up ? rd_kafka_mock_broker_set_up(cluster, id) : rd_kafka_mock_broker_set_down(cluster, id)
        }
    }
}
