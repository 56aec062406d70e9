/// Requests to Kafka, one per cluster at a time: watermarks for every task due since the last request (readiness in
/// bulk, §3.5), and the partition discovery round for RUNNING jobs (§3.1), every discovery interval.
extension SchedulerCore {
    /// Watermark and discovery requests that can go out now.
    mutating func requests(now: Double) -> [SchedulerEffect] {
        var effects: [SchedulerEffect] = []
        var discover: [ClusterKey: Set<String>] = [:]
        for (key, cluster) in clusters where !cluster.discoveryInFlight && now >= cluster.nextDiscovery {
            discover[key] = []
        }
        if !discover.isEmpty {
            for entry in jobs.values where entry.job.state == .running && entry.job.definition.source.partitions == nil {
                if discover[entry.cluster] != nil { discover[entry.cluster]?.insert(entry.job.definition.source.topic) }
            }
        }
        for (key, topics) in discover {
            clusters[key]?.nextDiscovery = now + settings.discoveryInterval
            guard !topics.isEmpty else { continue }
            clusters[key]?.discoveryInFlight = true
            effects.append(.fetchPartitions(key, topics: topics.sorted()))
        }
        for (key, cluster) in clusters where !cluster.wanted.isEmpty && cluster.inFlight == nil && now - cluster.lastSent >= settings.watermarkGap {
            clusters[key]?.inFlight = (now, cluster.wanted)
            clusters[key]?.wanted = []
            clusters[key]?.lastSent = now
            effects.append(.fetchWatermarks(key, cluster.wanted.sorted()))
        }
        return effects + lagRefreshes(now: now)
    }

    /// High watermarks of a cluster's partitions, or why the request failed.
    public mutating func watermarksFetched(_ key: ClusterKey, _ result: Result<[TopicPartition: Int64], SourceFailure>,
                                           now: Double) -> [SchedulerEffect] {
        guard let sent = clusters[key]?.inFlight else { return [] }
        clusters[key]?.inFlight = nil
        let waiting = clusters[key]?.checking ?? []
        clusters[key]?.checking = []
        var effects: [SchedulerEffect] = []
        switch result {
        case .success(let marks):
            for (tp, high) in marks { clusters[key]?.latest[tp] = high }
            clusters[key]?.fetchedAt = sent.sentAt
            clusters[key]?.source.reachedAt = now
            // In the order they became due, so slots go first come first served.
            let due = waiting.compactMap { ref -> (Double, TaskRef)? in
                guard let (entry, i) = task(ref.task, of: ref.job), case .checking(let since) = entry.tasks[i].phase else { return nil }
                return (since, ref)
            }
            for (_, ref) in due.sorted(by: { ($0.0, $0.1.job) < ($1.0, $1.1.job) }) {
                guard let (_, i) = task(ref.task, of: ref.job) else { continue }
                effects += evaluate(ref.job, i, now: now)
            }
        case .failure(let failure):
            if failure.unreachable {
                clusters[key]?.source.failureAt = now
                clusters[key]?.source.failure = failure.message
            }
            for ref in waiting {
                guard let (entry, i) = task(ref.task, of: ref.job), case .checking = entry.tasks[i].phase else { continue }
                // The job stays RUNNING (§2.6); its tasks try again after max_batch_interval.
                effects += wait(ref.job, i, until: now + Double(entry.job.definition.job.maxBatchInterval),
                                message: "failed to check task ready to execute, err: \(failure.message)")
            }
        }
        return effects
    }

    /// The partitions of a cluster's topics (the discovery round): a RUNNING job whose topic grew or shrank goes back to
    /// NEED_SCHEDULE and is split again. Failures change nothing (§2.6: discovery failures of RUNNING jobs are ignored).
    public mutating func partitionsFetched(_ key: ClusterKey, _ result: [String: [Int32]], now: Double) -> [SchedulerEffect] {
        clusters[key]?.discoveryInFlight = false
        var effects: [SchedulerEffect] = []
        for jobID in (clusterJobs[key] ?? []).sorted() {
            guard let entry = jobs[jobID], entry.job.state == .running, entry.job.definition.source.partitions == nil else { continue }
            guard let current = result[entry.job.definition.source.topic], current.sorted() != entry.job.currentPartitions.sorted() else { continue }
            effects += dropTasks(jobID, reason: "the partitions of the topic changed")
            var rescheduled = entry.job
            rescheduled.apply(.reschedule, at: now)
            jobs[jobID]?.job = rescheduled
            effects.append(.save(jobID, .reschedule))
            effects += prepareIfNeeded(jobID)
        }
        return effects
    }
}

/// A Kafka request that failed: `unreachable` when no broker answered (down, timed out), which SHOW shows as an unknown
/// lag, rather than a broker's refusal.
public struct SourceFailure: Error, Equatable, Sendable {
    public var message: String
    public var unreachable: Bool
    public init(_ message: String, unreachable: Bool) { self.message = message; self.unreachable = unreachable }
}
