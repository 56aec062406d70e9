import Dispatch

/// The first offset whose message time is at or after a given time, found by reading messages — for brokers that do
/// not answer ListOffsets by time (librdkafka's mock cluster answers "none" to every such request). A binary search
/// over the partition's offsets, one message read per step: the partition's times are taken as non-decreasing, which
/// is what Kafka's own time index assumes too.
public enum KafkaTimeSearch {
    /// A start offset whose first message is the first at or after `millis`, or nil when no message is that recent.
    public static func firstOffset(brokers: String, topic: String, partition: Int32, low: Int64, high: Int64, atOrAfter millis: Int64,
                                   properties: [(String, String)] = []) throws(KafkaError) -> Int64? {
        guard high > low else { return nil }
        let consumer = try KafkaPartitionConsumer(brokers: brokers, topic: topic, start: [partition: high - 1], properties: properties)
        var steps = 0
        /// The first message at or after `offset`: its offset and time; nil at the end of the partition.
        func read(_ offset: Int64) throws(KafkaError) -> (offset: Int64, time: Int64)? {
            steps += 1
            guard steps <= 128 else { throw .failed("the search for an offset by time did not converge") }
            try consumer.assign(topic: topic, start: [partition: offset])
            let deadline = DispatchTime.now().uptimeNanoseconds + 10_000_000_000
            while DispatchTime.now().uptimeNanoseconds < deadline {
                var found: (Int64, Int64)?
                let events = try consumer.poll(timeoutMilliseconds: 200, maxMessages: 1) { m in
                    if found == nil, m.partition == partition, m.offset >= offset { found = (m.offset, m.timestamp) }
                }
                if let found { return found }
                if events.contains(where: { if case .endOfPartition(partition, _) = $0 { return true } else { return false } }) { return nil }
            }
            throw .failed("no message could be read from \(topic) [\(partition)] at offset \(offset)")
        }
        // The smallest start whose first message is recent enough, or has no message after it (markers, compaction):
        // monotonic in the start for non-decreasing times, so a binary search finds it; nothing there means no message is.
        var lo = low, hi = high
        while lo < hi {
            let mid = lo + (hi - lo) / 2
            guard let m = try read(mid) else { hi = mid; continue }
            if m.time >= millis { hi = mid } else { lo = m.offset + 1 }
        }
        guard hi < high, try read(hi) != nil else { return nil }
        return hi
    }
}
