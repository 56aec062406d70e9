import Foundation

/// Consumers kept between tasks on a compute node. A librdkafka consumer costs threads, a broker connection and a
/// metadata round trip to create; a trickle job runs a task every max_batch_interval, so a node running many of them
/// would create hundreds a second. Consumers with the same brokers and settings (`group.id` aside: tasks never join a
/// group or commit offsets) are handed from one task to the next; one that failed is destroyed, and idle ones are
/// destroyed after ``idleSeconds`` (an idle librdkafka handle still wakes its threads: a node whose jobs are caught up
/// keeps none).
public final class KafkaConsumerPool: @unchecked Sendable {
    struct Key: Hashable {
        var brokers: String
        var settings: [Setting]
        struct Setting: Hashable { var name: String; var value: String }
    }

    private let lock = NSLock()
    private var idle: [Key: [(consumer: KafkaPartitionConsumer, since: Double)]] = [:]
    private var idleCount = 0
    private var keys: [ObjectIdentifier: Key] = [:]
    /// At most this many idle consumers are kept (the oldest go first).
    public let maxIdle: Int
    public let idleSeconds: Double

    public init(maxIdle: Int = 16, idleSeconds: Double = 3) {
        self.maxIdle = maxIdle; self.idleSeconds = idleSeconds
    }

    /// A consumer reading `topic`'s partitions from `start`: an idle one of the same settings, or a new one.
    public func consumer(brokers: String, topic: String, start: [Int32: Int64], tuning: [(String, String)],
                         properties: [(String, String)]) throws(KafkaError) -> KafkaPartitionConsumer {
        // The same refusals as a new consumer's, before any reuse.
        if let refusal = KafkaPropertyPolicy.firstRefusal(properties) ?? KafkaPropertyPolicy.fileRefusal(properties) { throw .failed(refusal) }
        let key = Key(brokers: brokers, settings: (tuning + properties).filter { $0.0 != "group.id" }.map { Key.Setting(name: $0.0, value: $0.1) })
        while let reused = lock.withLock({ () -> KafkaPartitionConsumer? in
            guard let last = idle[key]?.popLast() else { return nil }
            idleCount -= 1
            return last.consumer
        }) {
            do {
                try reused.assign(topic: topic, start: start)
                return reused
            } catch {
                forget(reused)                                  // destroyed here; try the next one
            }
        }
        let made = try KafkaPartitionConsumer(brokers: brokers, topic: topic, start: start, tuning: tuning,
                                              properties: properties.filter { $0.0 != "group.id" })
        lock.withLock { keys[ObjectIdentifier(made)] = key }
        return made
    }

    /// A task is done with `consumer`: kept for the next task unless it failed.
    public func giveBack(_ consumer: KafkaPartitionConsumer) {
        guard !consumer.failed, consumer.unassign() else { return forget(consumer) }
        let now = Date().timeIntervalSince1970
        let evicted: [KafkaPartitionConsumer] = lock.withLock {
            guard let key = keys[ObjectIdentifier(consumer)] else { return [consumer] }
            idle[key, default: []].append((consumer, now))
            idleCount += 1
            return takeExpired(now: now, keep: maxIdle)
        }
        _ = evicted                                              // destroyed here, outside the lock
        DispatchQueue.global().asyncAfter(deadline: .now() + idleSeconds + 0.5) { [weak self] in self?.evictExpired() }
    }

    /// Destroys consumers idle for longer than ``idleSeconds``.
    public func evictExpired() {
        let evicted = lock.withLock { takeExpired(now: Date().timeIntervalSince1970, keep: maxIdle) }
        _ = evicted
    }

    /// How many consumers wait for a task.
    public var idleConsumers: Int { lock.withLock { idleCount } }

    private func forget(_ consumer: KafkaPartitionConsumer) {
        lock.withLock { _ = keys.removeValue(forKey: ObjectIdentifier(consumer)) }
    }

    /// Removes expired consumers, and the oldest beyond `keep`; the caller drops them outside the lock.
    private func takeExpired(now: Double, keep: Int) -> [KafkaPartitionConsumer] {
        var out: [KafkaPartitionConsumer] = []
        for key in Array(idle.keys) {
            let (old, fresh) = idle[key]!.reduce(into: ([(consumer: KafkaPartitionConsumer, since: Double)](), [(consumer: KafkaPartitionConsumer, since: Double)]())) {
                if now - $1.since > idleSeconds { $0.0.append($1) } else { $0.1.append($1) }
            }
            out += old.map(\.consumer)
            idle[key] = fresh.isEmpty ? nil : fresh
        }
        while idleCount - out.count > keep, let key = idle.min(by: { $0.value[0].since < $1.value[0].since })?.key {
            out.append(idle[key]!.removeFirst().consumer)
            if idle[key]!.isEmpty { idle[key] = nil }
        }
        idleCount -= out.count
        for c in out { keys[ObjectIdentifier(c)] = nil }
        return out
    }
}
