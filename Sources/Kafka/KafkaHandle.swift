import CRdKafka

/// Creating a librdkafka client handle from settings, shared by every client of this module.
enum KafkaHandle {
    /// A new handle of `type` with `settings` applied in order (later settings win). A refused setting is
    /// reported with StarRocks' text: `failed to set '<k>', value: '<v>', err: <librdkafka text>`.
    static func make(_ type: rd_kafka_type_t, settings: [(String, String)]) throws(KafkaError) -> OpaquePointer {
        let conf = rd_kafka_conf_new()
        var errbuf = [CChar](repeating: 0, count: 512)
        for (k, v) in settings {
            guard rd_kafka_conf_set(conf, k, v, &errbuf, errbuf.count) == RD_KAFKA_CONF_OK else {
                rd_kafka_conf_destroy(conf)
                throw .failed("failed to set '\(k)', value: '\(v)', err: \(String(cString: errbuf))")
            }
        }
        guard let rk = rd_kafka_new(type, conf, &errbuf, errbuf.count) else {
            throw .failed(String(cString: errbuf))              // conf is freed by rd_kafka_new on failure
        }
        return rk
    }
}
