import DequeModule
import Foundation
import HeapModule

/// The routine-load scheduler as a value (reference routine_load.md §3), in the shape of MySQLProtocol's
/// `SessionStateMachine`: events go in (a job saved, a tick, watermarks fetched, a task started, polled, committed, a
/// node up or down) and ``SchedulerEffect``s come out (prepare a job, fetch watermarks, start, poll, commit, abort, save
/// a job). No I/O, no clock, no threads: the FE's driver performs the effects on one owner and feeds the results back,
/// and tests drive it by hand.
///
/// What it decides: which jobs are prepared and split into tasks (min(alive nodes, partitions, desired_concurrent_number,
/// max_routine_load_task_concurrent_num)), when a task is due (max_batch_interval after a caught-up batch, at once with a
/// backlog), whether it has new data — from one watermark request per Kafka cluster for every task due at that moment,
/// so an idle job costs a share of one request and never a consumer —, which node gets it (the previous one while it has
/// a free slot, else the least loaded), when a task is lost (node dead or restarted, timeout), and what becomes of a
/// report (commit, abort, renew, pause).
public struct SchedulerCore: Sendable {
    public struct Settings: Equatable, Sendable {
        /// Seconds between partition discovery rounds for RUNNING jobs (routine_load_scheduler_interval_second).
        public var discoveryInterval: Double = 10
        /// Per-job task cap (max_routine_load_task_concurrent_num).
        public var maxTasksPerJob = 5
        /// Task slots per node (max_routine_load_task_num_per_be).
        public var slotsPerNode = 16
        /// How often a running task is polled.
        public var pollInterval: Double = 0.1
        /// How often a task on the embedded node is polled; it reports each finished task at once.
        public var embeddedPollInterval: Double = 1
        /// At most one watermark request per cluster this often: tasks due meanwhile share the next one.
        public var watermarkGap: Double = 0.5
        /// Seconds between lag refresh rounds: the high watermarks of every non-final job's partitions, one request per
        /// cluster, so a PAUSED job or one waiting for a slot shows its lag growing.
        public var lagRefreshInterval: Double = 10
        public init() {}
    }

    /// A node tasks can go to, as far as scheduling is concerned.
    public struct Node: Equatable, Sendable {
        public var alive: Bool
        public var embedded: Bool
        public init(alive: Bool, embedded: Bool) { self.alive = alive; self.embedded = embedded }
    }

    /// Whether a job's Kafka answered lately: SHOW uses it to tell a current position from the last known one.
    public struct SourceHealth: Equatable, Sendable {
        public var reachedAt: Double?
        public var failureAt: Double?
        public var failure: String?
        public init() {}
        /// The brokers did not answer the latest attempt.
        public var isUnreachable: Bool { failureAt.map { $0 >= (reachedAt ?? 0) } ?? false }
    }

    /// A job with what the scheduler holds for it.
    public struct JobView: Equatable, Sendable {
        public var job: RoutineLoadJob
        public var tasks: [ScheduledTask]
        public var source: SourceHealth
        /// The freshest high watermark known per partition (readiness checks, refreshes, task reports).
        public var latest: [Int32: Int64]
        /// When each partition was last seen caught up.
        public var caughtUpAt: [Int32: Double]
    }

    struct JobEntry: Equatable, Sendable {
        var job: RoutineLoadJob { didSet { jobRevision &+= 1 } }
        /// Counts every assignment to `job` (even of an equal value); part of `==`, so two cores compare equal only
        /// with the same history of saves.
        private(set) var jobRevision: UInt64 = 0
        /// The Kafka cluster it reads (kept, not derived on every look: a thousand jobs are walked by cluster).
        var cluster: ClusterKey
        var tasks: [ScheduledTask] = []
        /// A prepare effect is out for this job.
        var preparing = false
        /// Prepared, but no node was alive to run it: prepared again when one is.
        var waitingForNodes = false
        /// The number of alive nodes changed what the job's split would be: split again once none of its tasks runs.
        var resplit = false
        /// What this job's own requests and tasks found; ``view(of:)`` adds its cluster's.
        var source = SourceHealth()
        /// When each partition was last seen caught up (a watermark answer or a task report at most its progress).
        var caughtUpAt: [Int32: Double] = [:]
        init(job: RoutineLoadJob) { self.job = job; cluster = ClusterKey(job.definition.source) }
    }

    struct ClusterEntry: Equatable, Sendable {
        /// High watermark per partition: from watermark requests and from what tasks saw at the end of partitions.
        var latest: [TopicPartition: Int64] = [:]
        /// When the last successful watermark request was sent (its answers are at least that recent).
        var fetchedAt: Double = -.infinity
        var wanted = Set<TopicPartition>()
        var inFlight: (sentAt: Double, partitions: Set<TopicPartition>)?
        var lastSent: Double = -.infinity
        var discoveryInFlight = false
        var nextDiscovery: Double = 0
        var lagRefreshInFlight = false
        var nextLagRefresh: Double = 0
        /// Whether the cluster answered its latest watermark requests.
        var source = SourceHealth()
        /// Checking tasks that wait for the next watermark answer.
        var checking = Set<TaskRef>()

        static func == (a: ClusterEntry, b: ClusterEntry) -> Bool {
            a.latest == b.latest && a.fetchedAt == b.fetchedAt && a.wanted == b.wanted && a.inFlight?.sentAt == b.inFlight?.sentAt
                && a.inFlight?.partitions == b.inFlight?.partitions && a.lastSent == b.lastSent && a.discoveryInFlight == b.discoveryInFlight
                && a.nextDiscovery == b.nextDiscovery && a.source == b.source && a.checking == b.checking
                && a.lagRefreshInFlight == b.lagRefreshInFlight && a.nextLagRefresh == b.nextLagRefresh
        }
    }

    /// A task of a job.
    struct TaskRef: Hashable, Sendable {
        var job: JobID
        var task: TaskID
    }

    /// A waiting task and when it is due, ordered by time; entries of tasks that moved on are skipped when popped.
    struct Due: Comparable, Sendable {
        var at: Double
        var job: JobID
        var task: TaskID
        static func < (a: Due, b: Due) -> Bool { a.at < b.at }
        static func == (a: Due, b: Due) -> Bool { a.at == b.at && a.job == b.job && a.task == b.task }
    }

    public let settings: Settings
    var jobs: [JobID: JobEntry] = [:]
    /// Non-final jobs by database and name (SHOW ROUTINE LOAD FOR).
    var names: [String: [String: JobID]] = [:]
    public private(set) var nodes: [NodeID: Node] = [:]
    var clusters: [ClusterKey: ClusterEntry] = [:]
    /// The jobs reading each cluster.
    var clusterJobs: [ClusterKey: Set<JobID>] = [:]
    var due = Heap<Due>()
    /// Tasks that hold a transaction or are starting, with their job: the only ones a tick looks at besides due ones.
    var active: [TaskID: JobID] = [:]
    /// Starting tasks the embedded node already finished.
    var finishedBeforeStarted = Set<TaskID>()
    /// Tasks per node that occupy a slot.
    var occupied: [NodeID: Int] = [:]
    /// Tasks with new data waiting for a free slot, first come first served (a backlog cannot starve a quiet job).
    var queue = Deque<(job: JobID, task: TaskID)>()
    /// When the last tick ran.
    var lastTick: Double = 0
    /// A shutdown began: no task starts; those running finish (``drain()``).
    public internal(set) var draining = false
    /// Makes task ids; injected so tests can predict them.
    var makeTaskID: @Sendable () -> TaskID

    public init(settings: Settings = Settings(), makeTaskID: @escaping @Sendable () -> TaskID = { TaskID(UUID().uuidString.lowercased()) }) {
        self.settings = settings
        self.makeTaskID = makeTaskID
    }

    public static func == (a: SchedulerCore, b: SchedulerCore) -> Bool { a.jobs == b.jobs && a.nodes == b.nodes }

    // MARK: - What SHOW reads

    public func view(of id: JobID) -> JobView? { jobs[id].map(view) }

    /// The job named `name` in `database` that is not STOPPED or CANCELLED.
    public func liveJob(database: String, name: String) -> JobID? { names[database]?[name] }

    /// Every job, optionally of one database, by id.
    public func views(database: String? = nil) -> [JobView] {
        jobs.keys.sorted().compactMap { id in
            guard let i = jobs.index(forKey: id), database == nil || jobs.values[i].job.databaseName == database else { return nil }
            return view(jobs.values[i])
        }
    }

    public var jobCount: Int { jobs.count }

    // MARK: - Jobs

    /// The FE started: the catalog's jobs. RUNNING jobs that know their partitions get their tasks back at once.
    public mutating func start(jobs stored: [RoutineLoadJob], now: Double) -> [SchedulerEffect] {
        var effects: [SchedulerEffect] = []
        for job in stored { effects += jobSaved(job, now: now) }
        return effects
    }

    /// A job as stored now: created, changed by a statement (PAUSE, RESUME, STOP, ALTER), or saved by an effect of ours.
    public mutating func jobSaved(_ job: RoutineLoadJob, now: Double) -> [SchedulerEffect] {
        let id = JobID(job.id)
        var entry = jobs[id] ?? JobEntry(job: job)
        entry.job = job
        let cluster = ClusterKey(job.definition.source)
        if cluster != entry.cluster || clusterJobs[cluster]?.contains(id) != true {     // new, or ALTER changed its brokers
            clusterJobs[entry.cluster]?.remove(id)
            entry.cluster = cluster
            clusterJobs[cluster, default: []].insert(id)
        }
        jobs[id] = entry
        index(job)
        if clusters[entry.cluster] == nil {
            clusters[entry.cluster] = ClusterEntry(nextDiscovery: now + settings.discoveryInterval, nextLagRefresh: now + settings.lagRefreshInterval)
        }
        var effects: [SchedulerEffect] = []
        switch job.state {
        case .paused, .stopped, .cancelled:
            effects += dropTasks(id, reason: "the job is \(job.state.rawValue)")
            jobs[id]?.waitingForNodes = false
        case .needSchedule:
            effects += dropTasks(id, reason: "the job is rescheduled")
            effects += prepareIfNeeded(id)
        case .running:
            if jobs[id]?.tasks.isEmpty == true { effects += split(id, now: now) }
        }
        return effects
    }

    /// The prepare step's result for a job (see ``SchedulerEffect/prepare(_:)``); `unreachable` when the brokers did not
    /// answer and the job goes on with the partitions and offsets it knew.
    public mutating func prepared(_ id: JobID, _ result: RoutineLoadJob, unreachable: String?, now: Double) -> [SchedulerEffect] {
        guard var entry = jobs[id] else { return [] }
        entry.preparing = false
        if let unreachable { entry.source.failureAt = now; entry.source.failure = unreachable } else if result.state != .paused {
            entry.source.reachedAt = now
        }
        jobs[id] = entry
        guard entry.job.state == .needSchedule else { return [] }           // a statement changed it meanwhile
        if result.state == .paused { return [.save(id, .prepared(result, start: false))] }
        let n = RoutineLoadPlanner.concurrency(aliveNodes: aliveNodeCount, partitions: result.currentPartitions.count,
                                               desired: result.definition.job.desiredConcurrentNumber, maxConcurrent: settings.maxTasksPerJob)
        guard n > 0 else {
            jobs[id]?.waitingForNodes = true
            return [.save(id, .prepared(result, start: false))]
        }
        // Optimistically RUNNING: tasks may start before the save is back; a statement that won meanwhile drops them.
        var running = entry.job
        running.apply(.prepared(result, start: true), at: now)
        jobs[id]?.job = running
        jobs[id]?.waitingForNodes = false
        return [.save(id, .prepared(result, start: true))] + split(id, now: now)
    }

    mutating func prepareIfNeeded(_ id: JobID) -> [SchedulerEffect] {
        guard let entry = jobs[id], entry.job.state == .needSchedule, !entry.preparing else { return [] }
        jobs[id]?.preparing = true
        return [.prepare(entry.job)]
    }

    /// Splits a RUNNING job into tasks over its partitions (round-robin), due at once.
    mutating func split(_ id: JobID, now: Double) -> [SchedulerEffect] {
        guard let entry = jobs[id], entry.job.state == .running, entry.tasks.isEmpty, !entry.job.currentPartitions.isEmpty else { return [] }
        let job = entry.job
        guard job.currentPartitions.allSatisfy({ job.progress[$0] != nil }) else {
            // A RUNNING job whose offsets are not all known (an old document): prepare it again.
            return [.save(id, .reschedule)]
        }
        let n = RoutineLoadPlanner.concurrency(aliveNodes: aliveNodeCount, partitions: job.currentPartitions.count,
                                               desired: job.definition.job.desiredConcurrentNumber, maxConcurrent: settings.maxTasksPerJob)
        guard n > 0 else {
            jobs[id]?.waitingForNodes = true
            return []
        }
        jobs[id]?.waitingForNodes = false
        for partitions in RoutineLoadPlanner.split(job.currentPartitions, into: n) {
            let task = ScheduledTask(id: makeTaskID(), jobID: id, partitions: partitions, now: now, notBefore: now)
            jobs[id]?.tasks.append(task)
            due.insert(Due(at: now, job: id, task: task.id))
        }
        return []
    }

    /// Forgets a job's tasks; those holding a transaction have it aborted (a late report is then rejected).
    mutating func dropTasks(_ id: JobID, reason: String) -> [SchedulerEffect] {
        guard let tasks = jobs[id]?.tasks, !tasks.isEmpty else { return [] }
        var effects: [SchedulerEffect] = []
        for task in tasks {
            release(task)
            if let run = task.run {
                effects += [.abort(run.txn, segment: run.segment, reason: reason), .forget(task.id, node: run.node)]
            }
        }
        jobs[id]?.tasks = []
        return effects
    }

    private mutating func index(_ job: RoutineLoadJob) {
        let id = JobID(job.id)
        if job.state.isFinal {
            if names[job.databaseName]?[job.name] == id { names[job.databaseName]?[job.name] = nil }
        } else {
            names[job.databaseName, default: [:]][job.name] = id
        }
    }

    // MARK: - Nodes

    public var aliveNodeCount: Int { nodes.values.filter(\.alive).count }

    /// A node was added, came back or was declared dead (3 failed heartbeats). Jobs waiting for a node are scheduled.
    public mutating func nodeChanged(_ id: NodeID, _ node: Node?, now: Double) -> [SchedulerEffect] {
        let wasAlive = nodes[id]?.alive ?? false
        nodes[id] = node
        guard (node?.alive ?? false) != wasAlive else { return [] }
        var effects: [SchedulerEffect] = []
        for (jobID, entry) in jobs {
            if entry.waitingForNodes {
                switch entry.job.state {
                case .needSchedule: effects += prepareIfNeeded(jobID)
                case .running: effects += split(jobID, now: now)
                default: break
                }
            } else if entry.job.state == .running, !entry.tasks.isEmpty, entry.tasks.count != concurrency(entry.job) {
                // More (or fewer) nodes: the job is split again over them, as soon as none of its tasks is running.
                jobs[jobID]?.resplit = true
                effects += resplitIfIdle(jobID, now: now)
            }
        }
        return effects
    }

    func concurrency(_ job: RoutineLoadJob) -> Int {
        RoutineLoadPlanner.concurrency(aliveNodes: aliveNodeCount, partitions: job.currentPartitions.count,
                                       desired: job.definition.job.desiredConcurrentNumber, maxConcurrent: settings.maxTasksPerJob)
    }

    /// Splits a job again if that was asked and none of its tasks holds a node.
    mutating func resplitIfIdle(_ id: JobID, now: Double) -> [SchedulerEffect] {
        guard let entry = jobs[id], entry.resplit, entry.tasks.allSatisfy({ $0.occupiedNode == nil }) else { return [] }
        jobs[id]?.resplit = false
        for task in entry.tasks { release(task) }
        jobs[id]?.tasks = []
        return split(id, now: now)
    }

    // MARK: - Slots

    mutating func occupy(_ node: NodeID) { occupied[node, default: 0] += 1 }

    /// Frees what a task held (its node slot, its place among active tasks).
    mutating func release(_ task: ScheduledTask) {
        if let node = task.occupiedNode { occupied[node] = max(0, (occupied[node] ?? 1) - 1) }
        active[task.id] = nil
        finishedBeforeStarted.remove(task.id)
    }

    /// The node for a task: its previous one while it has a free slot, else the least loaded alive node (ties by id).
    func chooseNode(previous: NodeID?) -> NodeID? {
        var load: [Int64: Int] = [:]
        for (id, node) in nodes where node.alive { load[id.raw] = occupied[id] ?? 0 }
        return RoutineLoadPlanner.chooseNode(previous: previous?.raw, running: load, slots: settings.slotsPerNode).map(NodeID.init)
    }
}
