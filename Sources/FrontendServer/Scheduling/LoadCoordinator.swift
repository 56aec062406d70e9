import CatalogStore
import ComputeNode
import Expressions
import Foundation
import JobScheduler
import Kafka
import LoadPipeline
import Logging
import SQLParser
import Storage

/// The routine-load scheduler of the FE (reference routine_load.md §3): a job round every
/// `routine_load_scheduler_interval_second` prepares NEED_SCHEDULE jobs, splits them into tasks and watches
/// the topic's partitions; a task loop every few milliseconds starts due tasks on the least-loaded alive node
/// under a PREPARE transaction, collects reports, and commits data + offsets + statistics in one catalog
/// transaction (``CatalogStore/finishLoadTransaction``). Tasks live only here; the catalog holds everything
/// that must survive a restart. Runs on its own thread so Kafka calls never hold a client connection.
final class LoadCoordinator: @unchecked Sendable {
    let catalog: CatalogStore
    let volume: LocalVolume
    let cache: TableCache
    let config: FrontendConfig
    let logger: Logger
    let kafka: any KafkaMetadataSource
    let nodes = ComputeNodeRegistry()
    /// Whether each job's Kafka answered lately (``SourceObservations``).
    let sources = SourceObservations()
    /// Signs every request to a `tributary-cn` with the cluster token.
    var nodeSigner: NodeRequestSigner { NodeRequestSigner(token: config.clusterToken) }
    /// Ends the pause between ticks early (``tickSoon()``).
    private let ticks = DispatchSemaphore(value: 0)
    /// Brings the table cache up to date after commits, in the background.
    let cacheQueue = DispatchQueue(label: "tributary-cache-catch-up")

    let lock = NSLock()
    /// Tasks by job id (guarded by `lock`; changed only on the coordinator thread).
    var tasks: [Int64: [RoutineLoadTask]] = [:]
    var nextRound: Double = 0
    /// When a task on a remote node was last polled: nodes over HTTP are asked every 100 ms, not every tick.
    var lastPoll: [String: Double] = [:]
    /// The round right after start only gives RUNNING jobs their tasks back; the others wait for the regular round.
    var restartRound = false
    /// A job changed state (CREATE, RESUME, PAUSE, STOP): the next tick runs the job round at once instead of
    /// waiting up to a scheduler interval (guarded by `lock`).
    private var woken = false

    init(catalog: CatalogStore, volume: LocalVolume, cache: TableCache, config: FrontendConfig, logger: Logger,
         kafka: any KafkaMetadataSource = LibrdkafkaMetadata()) {
        self.catalog = catalog; self.volume = volume; self.cache = cache; self.config = config; self.logger = logger; self.kafka = kafka
    }

    func tasks(of jobID: Int64) -> [RoutineLoadTask] { lock.withLock { tasks[jobID] ?? [] } }

    /// The tasks SHOW reports for a job (SHOW ROUTINE LOAD TASK, CurrentTaskNum): none unless it is RUNNING, as
    /// StarRocks clears tasks on every other state, even before this scheduler has dropped them.
    func shownTasks(of job: RoutineLoadJob) -> [RoutineLoadTask] { job.state == .running ? tasks(of: job.id) : [] }

    func setTasks(_ jobID: Int64, _ list: [RoutineLoadTask]?) { lock.withLock { tasks[jobID] = list } }

    /// Asks for a job round on the next tick, at once, after a statement changed a job.
    func wake() {
        lock.withLock { woken = true }
        tickSoon()
    }

    /// Runs the next tick now instead of after the 20 ms pause (a task on the embedded node finished, a job changed).
    func tickSoon() { ticks.signal() }

    func start() {
        nextRound = Date().timeIntervalSince1970 + 1          // soon after start: RUNNING jobs resume
        restartRound = true
        let thread = Thread { [self] in
            while true {
                tick(now: Date().timeIntervalSince1970)
                _ = ticks.wait(timeout: .now() + .milliseconds(20))
            }
        }
        thread.name = "tributary-routine-load"
        thread.stackSize = Parser.threadStackSize               // it plans loads: COLUMNS expressions are parsed here
        thread.start()
    }

    /// One pass of the scheduler (also driven directly by tests).
    func tick(now: Double) {
        let wokenNow = lock.withLock { defer { woken = false }; return woken }
        if now >= nextRound || (wokenNow && !restartRound) {
            jobRound(now: now, runningOnly: restartRound)
            nextRound = now + (restartRound ? Double(config.routineLoadSchedulerIntervalSeconds) - 1 : Double(config.routineLoadSchedulerIntervalSeconds))
            restartRound = false
        }
        for jobID in lock.withLock({ Array(tasks.keys) }) { advance(jobID, now: now) }
    }

    func loadJob(_ id: Int64) -> RoutineLoadJob? {
        guard let stored = (try? catalog.routineLoadJob(id: id)) ?? nil else { return nil }
        return RoutineLoadJob(stored: stored)
    }

    /// Applies `change` to a job with compare-and-set, retrying if it changed meanwhile.
    func modifyJob(_ id: Int64, _ change: (inout RoutineLoadJob) -> Void) {
        for _ in 0..<5 {
            guard let stored = (try? catalog.routineLoadJob(id: id)) ?? nil, var job = RoutineLoadJob(stored: stored) else { return }
            change(&job)
            if save(job, over: stored) { return }
        }
    }

    static func kafkaProperties(_ job: RoutineLoadJob) -> [(String, String)] {
        job.definition.source.customProperties.filter { $0.key != "kafka_default_offsets" }.map { ($0.key, $0.value) }
    }

    /// The LoadSpec of a job for the table as it is now (schema changes are picked up by the next task).
    static func spec(_ job: RoutineLoadJob, _ table: TableInfo) -> LoadSpec {
        let j = job.definition.job, load = job.definition.load
        var spec = LoadSpec(format: j.format == "json" ? .json : .csv, tableColumns: table.definition.columns, keysType: table.definition.keysType)
        if let s = load.columnSeparator { spec.columnSeparator = s }
        if let d = load.rowDelimiter { spec.rowDelimiter = d }
        spec.enclose = j.enclose
        spec.escape = j.escape
        spec.trimSpace = j.trimSpace
        spec.jsonPaths = j.jsonpaths
        spec.jsonRoot = j.jsonRoot
        spec.stripOuterArray = j.stripOuterArray
        spec.columns = load.columns
        spec.whereClause = load.whereClause
        spec.strictMode = j.strictMode
        spec.timeZone = j.timezone
        return spec
    }
}
