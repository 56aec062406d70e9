import CatalogStore
import Expressions
import ComputeNode
import Foundation
import JobScheduler
import Logging
import SQLParser
import Storage
import Synchronization
import TaskContract

/// The FE's driver of the routine-load scheduler: it owns the pure ``SchedulerCore`` behind one mutex, feeds it events
/// (statements that save a job, ticks, the results of effects, node liveness) and performs the effects it returns —
/// Kafka requests, catalog transactions, node calls — on worker queues, never on the owner, so no event waits for I/O.
/// The catalog stays the durable copy of every job; the core holds the live one, which SHOW reads.
final class RoutineLoadScheduler: Sendable {
    let catalog: CatalogStore
    let volume: LocalVolume
    let segments: SegmentStore
    let cache: TableCache
    let config: FrontendConfig
    let logger: Logger
    let metrics: FrontendMetrics
    let nodes = ComputeNodeRegistry()
    let kafka = KafkaClusterPool()
    /// The durable copy of every job.
    let repository: RoutineLoadJobRepository
    /// SHOW ROUTINE LOAD's rendered rows.
    let shownRows = RoutineLoadRows()
    /// Held while a row missing from `shownRows` is rendered (``shownRows(database:include:_:)``).
    private let rendering = Mutex(())
    private let core: Mutex<SchedulerCore>
    /// Ends the pause before the next tick early (an event made something due, the embedded node finished a task).
    private let wakeUp = DispatchSemaphore(value: 0)
    /// Effects that block (Kafka, catalog writes, node calls) run here.
    let work = DispatchQueue(label: "tributary-scheduler-work", attributes: .concurrent)
    /// Brings the table cache up to date after commits, one table at a time.
    let cacheQueue = DispatchQueue(label: "tributary-cache-catch-up")
    /// Tables with a catch-up queued on `cacheQueue` that has not begun.
    let pendingCatchUps = Mutex(Set<String>())
    /// The load spec each job's tasks last passed the plan check with.
    let checkedSpecs = Mutex<[Int64: LoadSpec]>([:])
    /// How long a commit's catch-up waits for more commits of the same table.
    static let catchUpDelay: DispatchTimeInterval = .milliseconds(100)

    init(catalog: CatalogStore, volume: LocalVolume, segments: SegmentStore, cache: TableCache, config: FrontendConfig, metrics: FrontendMetrics,
         logger: Logger) {
        self.catalog = catalog; self.volume = volume; self.segments = segments; self.cache = cache; self.config = config; self.logger = logger
        self.metrics = metrics
        repository = RoutineLoadJobRepository(catalog: catalog, logger: logger)
        var settings = SchedulerCore.Settings()
        settings.discoveryInterval = Double(config.routineLoadSchedulerIntervalSeconds)
        settings.maxTasksPerJob = config.maxRoutineLoadTaskConcurrentNum
        settings.slotsPerNode = config.maxRoutineLoadTaskNumPerBe
        settings.lagRefreshInterval = Double(config.routineLoadSchedulerIntervalSeconds)
        core = Mutex(SchedulerCore(settings: settings))
    }

    /// Signs every request to a `tributary-cn` with the cluster token.
    var nodeSigner: NodeRequestSigner { NodeRequestSigner(token: config.clusterToken) }

    static func now() -> Double { Date().timeIntervalSince1970 }

    // MARK: - Events

    /// Feeds one event to the core and performs what it asks.
    func send(_ event: (inout SchedulerCore, Double) -> [SchedulerEffect]) {
        let now = Self.now()
        let effects = core.withLock { event(&$0, now) }
        perform(effects)
        wakeUp.signal()
    }

    /// Starts the scheduler with the catalog's jobs, and its tick thread.
    func start() {
        var stored: [RoutineLoadJob] = []
        do { stored = try repository.jobs(database: nil) } catch {
            logger.error("cannot read the routine load jobs from the catalog: \(error)")
        }
        send { core, now in core.start(jobs: stored, now: now) }
        let thread = Thread { [self] in
            while true {
                let effects = core.withLock { core in core.tick(now: Self.now()) }
                perform(effects)
                let next = core.withLock { $0.nextWake } ?? (Self.now() + 1)
                let wait = max(0.001, min(1, next - Self.now()))
                _ = wakeUp.wait(timeout: .now() + wait)
            }
        }
        thread.name = "tributary-routine-load"
        thread.stackSize = Parser.threadStackSize               // it plans loads: COLUMNS expressions are parsed here
        thread.start()
        DispatchQueue.global(qos: .utility).async { [self] in renderShownRows() }
    }

    /// Renders every job's SHOW ROUTINE LOAD row that is not rendered yet or no longer true, and keeps it: run once after
    /// start, so the first SHOW of a freshly started FE costs what a SHOW on a warm one does (a row stays valid until
    /// what it shows changes; a job that is caught up does not change).
    func renderShownRows() {
        _ = shownRows(database: nil, include: { _ in true }) { _, _ in () }
    }

    /// A statement created or changed a job (it is stored): the scheduler takes it up at once.
    func jobSaved(_ job: RoutineLoadJob) { send { core, now in saved(job, &core, now) } }

    /// Feeds a stored job to the core; a change of state is logged, and a move to PAUSED counted
    /// (`starrocks_fe_routine_load_paused`).
    func saved(_ job: RoutineLoadJob, _ core: inout SchedulerCore, _ now: Double) -> [SchedulerEffect] {
        let before = core.view(of: JobID(job.id))?.job.state
        if job.state != before {
            if job.state == .paused { metrics.jobPaused() }
            var metadata = Self.metadata(job: job.id, name: job.name)
            metadata["state"] = "\(job.state.rawValue)"
            if !job.displayedReason.isEmpty { metadata["reason"] = "\(job.displayedReason)" }
            logger.info("routine load job \(before == nil ? "created" : "changed state")", metadata: metadata)
        }
        return core.jobSaved(job, now: now)
    }

    /// A node's liveness or registration changed.
    func nodeChanged(_ id: Int64, _ node: SchedulerCore.Node?) { send { core, now in core.nodeChanged(NodeID(id), node, now: now) } }

    /// The embedded node finished a task: poll it now.
    func nodeFinishedTask(_ id: Int64, _ task: String) { send { core, now in core.nodeFinishedTask(NodeID(id), TaskID(task), now: now) } }

    /// A shutdown: no task starts any more; waits up to `grace` seconds for those in flight to commit or abort, and
    /// returns how many are left (their transactions are for the caller to abort).
    func drain(grace: Double) -> Int {
        core.withLock { $0.drain() }
        let deadline = Self.now() + grace
        while true {
            let left = core.withLock { $0.tasksInFlight }
            if left == 0 || Self.now() >= deadline { return left }
            Thread.sleep(forTimeInterval: 0.05)
        }
    }

    // MARK: - What SHOW reads

    func view(of id: Int64) -> SchedulerCore.JobView? { core.withLock { $0.view(of: JobID(id)) } }

    func views(database: String?) -> [SchedulerCore.JobView] { core.withLock { $0.views(database: database) } }

    /// SHOW ROUTINE LOAD's row (``TextRow``) of the live job named `name` in `database` if `include` admits it, as of now.
    func shownRow(database: String, name: String, include: (SchedulerCore.ShownJob) -> Bool) -> [UInt8]? {
        let now = Self.now(), threshold = config.routineLoadUnstableThresholdSecond
        let found: (SchedulerCore.JobView, SchedulerCore.ShownStamp)? = core.withLock { core in
            guard let id = core.liveJob(database: database, name: name) else { return nil }
            guard let shown = core.shown(id, now: now), include(shown), let view = core.view(of: id) else { return nil }
            return (view, shown.stamp)
        }
        guard let (view, stamp) = found else { return nil }
        return render(view, RoutineLoadRows.Key(stamp: stamp, unstableThreshold: threshold), now: now)
    }

    /// `make` of each job `include` admits (of `database`, or of every database) and its SHOW ROUTINE LOAD row
    /// (``TextRow``) as of now, by id. The jobs are looked at where the scheduler holds them and only their stamps are
    /// taken; rows rendered before from the same stamp are reused, and the others are rendered after the scheduler's lock
    /// is let go, so a SHOW of ten thousand jobs neither copies them nor holds up scheduling while it formats JSON.
    /// `include` (and `make`, for rows kept) run under the scheduler's lock and the kept rows' lock: they must be quick
    /// and must not call back into the scheduler or its rows.
    func shownRows<R>(database: String?, include: (SchedulerCore.ShownJob) -> Bool, _ make: (SchedulerCore.ShownJob, [UInt8]) -> R) -> [R] {
        let now = Self.now(), threshold = config.routineLoadUnstableThresholdSecond
        var made: [R?] = []
        var missed: [(at: Int, job: SchedulerCore.ShownJob, key: RoutineLoadRows.Key)] = []
        let views: [SchedulerCore.JobView?] = core.withLock { core in
            made.reserveCapacity(core.jobCount)
            shownRows.withKept { kept in
                core.forEachShown(database: database, now: now) { job in
                    guard include(job) else { return }
                    let key = RoutineLoadRows.Key(stamp: job.stamp, unstableThreshold: threshold)
                    if let row = kept(job.id, key) {
                        made.append(make(job, row))
                    } else {
                        missed.append((made.count, job, key))
                        made.append(nil)
                    }
                }
            }
            return missed.map { core.view(of: $0.job.id) }
        }
        for ((at, job, key), view) in zip(missed, views) {
            if let view { made[at] = make(job, render(view, key, now: now)) }
        }
        return made.compactMap { $0 }                      // every row is made: a missed job's view is taken under the same lock
    }

    /// A row missing from the kept ones, rendered a row at a time under one lock: a SHOW that comes while another (or the
    /// warm-up after start) renders the same rows takes each from the other instead of rendering it again, and waits at
    /// most one row's rendering.
    private func render(_ view: SchedulerCore.JobView, _ key: RoutineLoadRows.Key, now: Double) -> [UInt8] {
        rendering.withLock { _ in shownRows.row(view, key: key, now: now) }
    }
}

