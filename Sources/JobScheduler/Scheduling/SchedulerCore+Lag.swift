/// Lag per partition, from what the scheduler already knows — the high watermarks of its readiness checks and of a
/// periodic refresh (one request per Kafka cluster for every job, ``Settings/lagRefreshInterval``), and the progress of
/// commits — so SHOW, information_schema, /metrics and the dashboard never ask Kafka themselves.
///
/// Lag in messages is `high watermark − next offset to consume`. Lag in seconds is how long the partition has been
/// behind: 0 when caught up, else now − the later of the last consumed message's timestamp and the last moment the
/// partition was seen caught up (or the job's creation when neither is known). Both bound the age of the oldest
/// message not loaded yet from above, so the later one is the tighter bound; a partition woken by one message after an
/// idle hour shows seconds, not an hour.
public struct PartitionLag: Equatable, Sendable {
    public var partition: Int32
    /// High watermark: the offset of the last message in the partition + 1.
    public var latest: Int64
    /// The next offset the job consumes.
    public var next: Int64
    public var messages: Int64
    public var seconds: Int64

    public init(partition: Int32, latest: Int64, next: Int64, messages: Int64, seconds: Int64) {
        self.partition = partition; self.latest = latest; self.next = next; self.messages = messages; self.seconds = seconds
    }

    /// How long partition `p` of `job`, which is behind, has been: now − the later of its last consumed message's
    /// timestamp, the last moment it was seen caught up (`caughtUpAt`) and the job's creation.
    static func seconds(_ job: RoutineLoadJob, partition p: Int32, caughtUpAt: Double?, now: Double) -> Int64 {
        let consumed = job.timestampProgress[p].map { Double($0) / 1000 } ?? -.infinity
        let since = max(consumed, caughtUpAt ?? -.infinity, job.createTime)
        return Int64(max(0, now - since))
    }
}

extension SchedulerCore.JobView {
    /// The lag of each partition whose progress and high watermark are known, by partition.
    public func lag(now: Double) -> [PartitionLag] {
        job.progress.keys.sorted().compactMap { p in
            guard let next = job.progress[p], let high = latest[p] else { return nil }
            let behind = max(0, high - next)
            let seconds = behind > 0 ? PartitionLag.seconds(job, partition: p, caughtUpAt: caughtUpAt[p], now: now) : 0
            return PartitionLag(partition: p, latest: high, next: next, messages: behind, seconds: seconds)
        }
    }

    /// The partition lagging longest, when one lags longer than `threshold` seconds while the job is RUNNING: StarRocks'
    /// UNSTABLE substate (reference routine_load.md §2.2), with its reason.
    public func unstableReason(now: Double, threshold: Int) -> ErrorReason? { unstableReason(lag: lag(now: now), threshold: threshold) }

    /// ``unstableReason(now:threshold:)`` from the job's ``lag(now:)`` already computed.
    public func unstableReason(lag: [PartitionLag], threshold: Int) -> ErrorReason? {
        guard job.state == .running, let worst = lag.max(by: { $0.seconds < $1.seconds }), worst.seconds > Int64(threshold) else {
            return nil
        }
        return ErrorReason(code: ErrorReason.slowRunning, message: "The lag [\(worst.seconds)] of partition [\(worst.partition)] exceeds "
                           + "Config.routine_load_unstable_threshold_second [\(threshold)]")
    }
}

extension SchedulerCore {
    /// Partitions of `id` seen caught up at `at` by a watermark answer or a task's report.
    mutating func noteCaughtUp(_ id: JobID, partitions: [Int32], latest: (Int32) -> Int64?, at: Double) {
        for p in partitions {
            // Read in place: a thousand jobs per refresh answer, so no copy of each job's value.
            guard let next = jobs[id]?.job.progress[p], let high = latest(p), high <= next else { continue }
            let seen = jobs[id]?.caughtUpAt[p] ?? -.infinity
            jobs[id]?.caughtUpAt[p] = max(seen, at)
        }
    }

    /// The refresh round: every non-final job's partitions, one request per cluster, every lag refresh interval.
    mutating func lagRefreshes(now: Double) -> [SchedulerEffect] {
        var effects: [SchedulerEffect] = []
        for (key, cluster) in clusters where !cluster.lagRefreshInFlight && now >= cluster.nextLagRefresh {
            clusters[key]?.nextLagRefresh = now + settings.lagRefreshInterval
            var partitions = Set<TopicPartition>()
            for id in clusterJobs[key] ?? [] {
                guard let state = jobs[id]?.job.state, !state.isFinal, let topic = jobs[id]?.job.definition.source.topic,
                      let progress = jobs[id]?.job.progress.keys else { continue }
                for p in progress { partitions.insert(TopicPartition(topic, p)) }
            }
            guard !partitions.isEmpty else { continue }
            clusters[key]?.lagRefreshInFlight = true
            effects.append(.refreshLag(key, partitions.sorted(), sentAt: now))
        }
        return effects
    }

    /// The refresh round's answer. A failure changes nothing: the next round tries again, and the readiness checks of
    /// running tasks report an unreachable cluster themselves.
    public mutating func lagRefreshed(_ key: ClusterKey, _ result: Result<[TopicPartition: Int64], SourceFailure>, sentAt: Double,
                                      now: Double) -> [SchedulerEffect] {
        clusters[key]?.lagRefreshInFlight = false
        guard case .success(let marks) = result else { return [] }
        for (tp, high) in marks { clusters[key]?.latest[tp] = high }
        for id in clusterJobs[key] ?? [] {
            guard let topic = jobs[id]?.job.definition.source.topic, let partitions = jobs[id]?.job.progress.keys else { continue }
            noteCaughtUp(id, partitions: Array(partitions), latest: { marks[TopicPartition(topic, $0)] }, at: sentAt)
        }
        return []
    }
}
