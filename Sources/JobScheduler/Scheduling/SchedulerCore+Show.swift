/// What SHOW ROUTINE LOAD reads of the core: a job's health and freshest watermarks merged with its cluster's (the
/// ``SchedulerCore/JobView`` a row is rendered from), and, for a reader that keeps rendered rows, each job's
/// ``SchedulerCore/ShownStamp`` — everything a row shows besides the job itself — read where the core holds the job.
extension SchedulerCore {
    /// A job as a reader of kept SHOW rows needs it: what selects the row (name, database, table, state) and its stamp.
    /// None of the job's definition or progress is copied, so a SHOW of ten thousand jobs that changed nothing costs
    /// a few reference counts per job; the full ``JobView`` is asked for only to render a row again.
    public struct ShownJob: Sendable {
        public var id: JobID
        public var name: String
        public var databaseName: String
        public var tableName: String
        public var state: RoutineLoadState
        /// The last pause or cancel reason (``RoutineLoadJob/displayedReason`` shows it only in PAUSED and CANCELLED).
        public var reason: ErrorReason?
        public var errorLogURLs: [String]
        public var stamp: ShownStamp

        public var displayedReason: String { RoutineLoadJob.displayedReason(state: state, reason: reason) }
    }

    /// Everything a job's SHOW row is rendered from, as of a moment: two equal stamps render the same row. The job itself
    /// is stood for by its revision, which moves with every save of it. Lag in messages follows from the job and `latest`; lag in seconds
    /// moves with the clock only while a partition is behind, so only then is it part of the stamp.
    public struct ShownStamp: Equatable, Sendable {
        /// Counts every save of the job in this core (``JobEntry``'s `job`).
        public var jobRevision: UInt64
        /// Tasks SHOW counts (CurrentTaskNum): those of a RUNNING job.
        public var taskCount: Int
        /// The job's and its cluster's health while the brokers cannot be reached (OtherMsg tells since when); nil while
        /// they answer, since every answer moves `reachedAt` and no row shows it then.
        public var unreachable: SourceHealth?
        /// LatestSourcePosition: the job's high watermarks with its cluster's fresher ones.
        public var latest: [Int32: Int64]
        /// ``PartitionLag/seconds`` of each partition behind, by partition; empty when the job is caught up.
        public var secondsBehind: [Int64]
    }

    /// Each job (of `database`, or of every one) by id, with its stamp as of `now`, read in place. Mutating only
    /// because a dictionary hands out its values in place through its modify accessor alone: its read accessor copies
    /// the whole entry — the job's definition, progress and tasks — for every job; nothing is changed.
    public mutating func forEachShown(database: String?, now: Double, _ body: (ShownJob) -> Void) {
        let clusters = self.clusters.mapValues(ClusterShown.init)          // the same goes for clusters: once per call
        var last: (key: ClusterKey, cluster: ClusterShown?)?                // jobs mostly share a cluster: compared, not hashed
        func cluster(_ key: ClusterKey) -> ClusterShown? {
            if let last, last.key == key { return last.cluster }
            last = (key, clusters[key])
            return last?.cluster
        }
        for id in jobs.keys.sorted() {
            guard let i = jobs.index(forKey: id) else { continue }
            if let shown = Self.shown(&jobs.values[i], database: database, cluster: cluster, now: now) { body(shown) }
        }
    }

    /// ``JobView/shownTasks`` of a job in `state` holding `tasks`.
    static func shownTasks(_ state: RoutineLoadState, _ tasks: [ScheduledTask]) -> [ScheduledTask] { state == .running ? tasks : [] }

    /// What a job's row shows of its cluster.
    struct ClusterShown {
        var source: SourceHealth
        var latest: [TopicPartition: Int64]
        init(_ cluster: ClusterEntry) { source = cluster.source; latest = cluster.latest }
    }

    /// One job as ``forEachShown(database:now:_:)`` gives it.
    public mutating func shown(_ id: JobID, now: Double) -> ShownJob? {
        guard let i = jobs.index(forKey: id) else { return nil }
        let clusters = self.clusters
        return Self.shown(&jobs.values[i], database: nil, cluster: { clusters[$0].map(ClusterShown.init) }, now: now)
    }

    private static func shown(_ e: inout JobEntry, database: String?, cluster: (ClusterKey) -> ClusterShown?, now: Double) -> ShownJob? {
        guard database == nil || e.job.databaseName == database else { return nil }
        return ShownJob(id: JobID(e.job.id), name: e.job.name, databaseName: e.job.databaseName, tableName: e.job.tableName,
                        state: e.job.state, reason: e.job.reason, errorLogURLs: e.job.errorLogURLs,
                        stamp: stamp(e, cluster: cluster(e.cluster), now: now))
    }

    private static func stamp(_ e: borrowing JobEntry, cluster: ClusterShown?, now: Double) -> ShownStamp {
        let source = source(of: e, cluster: cluster), latest = latest(of: e, cluster: cluster)
        var behind: [Int64] = []
        if e.job.progress.contains(where: { p, next in latest[p].map { $0 > next } ?? false }) {     // only then does the clock matter
            behind = e.job.progress.keys.sorted().compactMap { p in                                    // in the rendered lag's order
                guard let next = e.job.progress[p], let high = latest[p], high > next else { return nil }
                return PartitionLag.seconds(e.job, partition: p, caughtUpAt: e.caughtUpAt[p], now: now)
            }
        }
        return ShownStamp(jobRevision: e.jobRevision, taskCount: shownTasks(e.job.state, e.tasks).count,
                          unreachable: source.isUnreachable ? source : nil, latest: latest, secondsBehind: behind)
    }

    /// The view a row is rendered from.
    func view(_ entry: JobEntry) -> JobView {
        let cluster = clusters[entry.cluster].map(ClusterShown.init)
        return JobView(job: entry.job, tasks: entry.tasks, source: Self.source(of: entry, cluster: cluster),
                       latest: Self.latest(of: entry, cluster: cluster), caughtUpAt: entry.caughtUpAt)
    }

    /// The job's source health with its cluster's.
    private static func source(of entry: borrowing JobEntry, cluster: ClusterShown?) -> SourceHealth {
        var source = entry.source
        guard let cluster = cluster?.source else { return source }
        source.reachedAt = max(source.reachedAt ?? -.infinity, cluster.reachedAt ?? -.infinity)
        if source.reachedAt == -.infinity { source.reachedAt = nil }
        if let at = cluster.failureAt, at > source.failureAt ?? -.infinity { source.failureAt = at; source.failure = cluster.failure }
        return source
    }

    /// The job's high watermarks with its cluster's fresher ones.
    private static func latest(of entry: borrowing JobEntry, cluster: ClusterShown?) -> [Int32: Int64] {
        var latest = entry.job.latestOffsets
        guard let cluster else { return latest }
        let topic = entry.job.definition.source.topic
        for p in entry.job.currentPartitions {
            // Written only when it moves: an unchanged dictionary is shared, not copied, so a kept row's stamp compares
            // equal to it at the cost of one identity check.
            if let high = cluster.latest[TopicPartition(topic, p)], high > latest[p] ?? .min { latest[p] = high }
        }
        return latest
    }
}

extension SchedulerCore.JobView {
    /// The tasks SHOW reports for the job (SHOW ROUTINE LOAD TASK, CurrentTaskNum): none unless it is RUNNING.
    public var shownTasks: [ScheduledTask] { SchedulerCore.shownTasks(job.state, tasks) }
}
