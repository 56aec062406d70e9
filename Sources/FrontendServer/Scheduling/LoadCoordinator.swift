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
    private let catalog: CatalogStore
    private let volume: LocalVolume
    private let cache: TableCache
    private let config: FrontendConfig
    private let logger: Logger
    private let kafka: any KafkaMetadataSource
    let nodes = ComputeNodeRegistry()

    private let lock = NSLock()
    /// Tasks by job id (guarded by `lock`; changed only on the coordinator thread).
    private var tasks: [Int64: [RoutineLoadTask]] = [:]
    private var nextRound: Double = 0
    /// When a task on a remote node was last polled: nodes over HTTP are asked every 100 ms, not every tick.
    private var lastPoll: [String: Double] = [:]
    /// The round right after start only gives RUNNING jobs their tasks back; the others wait for the regular round.
    private var restartRound = false

    init(catalog: CatalogStore, volume: LocalVolume, cache: TableCache, config: FrontendConfig, logger: Logger,
         kafka: any KafkaMetadataSource = LibrdkafkaMetadata()) {
        self.catalog = catalog; self.volume = volume; self.cache = cache; self.config = config; self.logger = logger; self.kafka = kafka
    }

    func tasks(of jobID: Int64) -> [RoutineLoadTask] { lock.withLock { tasks[jobID] ?? [] } }

    /// The tasks SHOW reports for a job (SHOW ROUTINE LOAD TASK, CurrentTaskNum): none unless it is RUNNING, as
    /// StarRocks clears tasks on every other state, even before this scheduler has dropped them.
    func shownTasks(of job: RoutineLoadJob) -> [RoutineLoadTask] { job.state == .running ? tasks(of: job.id) : [] }

    private func setTasks(_ jobID: Int64, _ list: [RoutineLoadTask]?) { lock.withLock { tasks[jobID] = list } }

    func start() {
        nextRound = Date().timeIntervalSince1970 + 1          // soon after start: RUNNING jobs resume
        restartRound = true
        let thread = Thread { [self] in
            while true {
                tick(now: Date().timeIntervalSince1970)
                Thread.sleep(forTimeInterval: 0.02)
            }
        }
        thread.name = "tributary-routine-load"
        thread.start()
    }

    /// One pass of the scheduler (also driven directly by tests).
    func tick(now: Double) {
        if now >= nextRound {
            jobRound(now: now, runningOnly: restartRound)
            nextRound = now + (restartRound ? Double(config.routineLoadSchedulerIntervalSeconds) - 1 : Double(config.routineLoadSchedulerIntervalSeconds))
            restartRound = false
        }
        for jobID in lock.withLock({ Array(tasks.keys) }) { advance(jobID, now: now) }
    }

    // MARK: - Job round

    private func jobRound(now: Double, runningOnly: Bool = false) {
        guard let stored = try? catalog.routineLoadJobs(database: nil) else { return }
        var seen = Set<Int64>()
        for s in stored {
            seen.insert(s.id)
            guard let job = RoutineLoadJob(stored: s), !runningOnly || job.state == .running else { continue }
            switch job.state {
            case .needSchedule:
                dropTasks(job.id, reason: "the job is rescheduled")
                schedule(job, stored: s, now: now)
            case .running:
                if let pinned = job.definition.source.partitions, pinned.sorted() == job.currentPartitions.sorted() {
                    if tasks(of: job.id).isEmpty { schedule(job, stored: s, now: now) }
                } else if let current = try? kafka.partitions(brokers: job.definition.source.brokerList, topic: job.definition.source.topic,
                                                             properties: Self.kafkaProperties(job)),
                          current.sorted() != job.currentPartitions.sorted() {
                    // The topic grew or shrank: split again.
                    dropTasks(job.id, reason: "the partitions of the topic changed")
                    var changed = job
                    try? changed.reschedule()
                    if save(changed, over: s) { schedule(changed, stored: nil, now: now) }
                } else if tasks(of: job.id).isEmpty {
                    schedule(job, stored: s, now: now)
                }
            case .paused, .stopped, .cancelled:
                dropTasks(job.id, reason: "the job is \(job.state.rawValue)")
            }
        }
        for jobID in lock.withLock({ Array(tasks.keys) }) where !seen.contains(jobID) { dropTasks(jobID, reason: "the job is gone") }
    }

    /// Prepares a job and splits it into tasks when nodes are alive (§3.1 step 3).
    private func schedule(_ job: RoutineLoadJob, stored: StoredRoutineLoadJob?, now: Double) {
        guard let current = stored ?? (try? catalog.routineLoadJob(id: job.id)) ?? nil else { return }
        var prepared = job
        // A RUNNING job that only lost its tasks (FE restart) keeps its partitions and offsets: a Kafka hiccup
        // must not pause it (§2.6: discovery failures of RUNNING jobs are ignored).
        let resplit = job.state == .running && !job.currentPartitions.isEmpty && job.currentPartitions.allSatisfy { job.progress[$0] != nil }
        if !resplit { prepared.prepare(using: kafka, at: now) }
        let n = RoutineLoadPlanner.concurrency(aliveNodes: nodes.alive.count, partitions: prepared.currentPartitions.count,
                                               desired: prepared.definition.job.desiredConcurrentNumber,
                                               maxConcurrent: config.maxRoutineLoadTaskConcurrentNum)
        var planned: [RoutineLoadTask] = []
        if prepared.state != .paused, n > 0 {
            planned = RoutineLoadPlanner.split(prepared.currentPartitions, into: n).map {
                RoutineLoadTask(jobID: job.id, partitions: $0, now: now, notBefore: now)
            }
            try? prepared.started()
        }
        if prepared.state == .paused { logger.warning("routine load job \(job.name) paused: \(prepared.displayedReason)") }
        if prepared == job || save(prepared, over: current) {
            if !planned.isEmpty { setTasks(job.id, planned) }
        }
    }

    /// Compare-and-set of a job document: a user's PAUSE or STOP that happened meanwhile wins.
    private func save(_ job: RoutineLoadJob, over stored: StoredRoutineLoadJob) -> Bool {
        guard let data = try? JSONEncoder().encode(job) else { return false }
        return (try? catalog.updateRoutineLoadJob(id: job.id, state: job.state.rawValue, document: String(decoding: data, as: UTF8.self),
                                                  expected: stored.document)) ?? false
    }

    /// Forgets a job's tasks; running ones have their transactions aborted (a late report is then rejected).
    private func dropTasks(_ jobID: Int64, reason: String) {
        let dropped = lock.withLock { tasks.removeValue(forKey: jobID) } ?? []
        for t in dropped where t.isRunning {
            abort(t, reason: reason)
            lastPoll.removeValue(forKey: t.id)
        }
    }

    /// Aborts a task's transaction and deletes its segment, unless the transaction already committed.
    private func abort(_ task: RoutineLoadTask, reason: String) {
        if task.txnID > 0, (try? catalog.abortTransaction(task.txnID, reason: reason)) == true, let segment = task.segment {
            volume.remove(segment)
        }
        if let id = task.nodeID, let node = nodes.node(id) { node.connection.forget(task.id) }
    }

    // MARK: - Task loop

    private func advance(_ jobID: Int64, now: Double) {
        var list = tasks(of: jobID)
        var job: RoutineLoadJob?
        func currentJob() -> RoutineLoadJob? {
            if job == nil { job = loadJob(jobID) }
            return job
        }
        var changed = false
        for i in list.indices {
            let task = list[i]
            if task.isRunning {
                if let id = task.nodeID, nodes.node(id)?.embedded == false {
                    if now - (lastPoll[task.id] ?? 0) < 0.1 { continue }
                    lastPoll[task.id] = now
                }
                if let next = collect(task, now: now) {
                    lastPoll.removeValue(forKey: task.id)
                    list[i] = next; changed = true; job = nil
                }
            } else if now >= task.notBefore {
                guard let j = currentJob(), j.state == .running else {
                    // Keep what this pass changed, then drop everything (running tasks are aborted).
                    lock.withLock { if tasks[jobID] != nil { tasks[jobID] = list } }
                    dropTasks(jobID, reason: "the job is not RUNNING")
                    return
                }
                if let next = start(task, job: j, running: list, now: now) { list[i] = next; changed = true }
            }
        }
        if changed { lock.withLock { if tasks[jobID] != nil { tasks[jobID] = list } } }
    }

    /// Starts a due task: ready check, node slot, PREPARE transaction, submit. Returns the changed task.
    private func start(_ task: RoutineLoadTask, job: RoutineLoadJob, running: [RoutineLoadTask], now: Double) -> RoutineLoadTask? {
        var task = task
        let interval = Double(job.definition.job.maxBatchInterval)
        let begin = Dictionary(uniqueKeysWithValues: task.partitions.compactMap { p in job.progress[p].map { (p, $0) } })
        guard begin.count == task.partitions.count,
              let table = (try? catalog.table(database: job.databaseName, name: job.tableName)) ?? nil else { return nil }
        switch readiness(job, begin: begin) {
        case .ready: break
        case .noNewData:
            task.notBefore = now + interval
            task.message = "there is no new data in kafka, wait for \(job.definition.job.maxBatchInterval) seconds to schedule again"
            return task
        case .failed(let error):
            task.notBefore = now + interval
            task.message = "failed to check task ready to execute, err: \(error)"
            return task
        case .noData(let p, let o):
            let reason = "FE aborts the task with reason: failed to check task ready to execute, err: partition \(p) offset \(o) has no data"
            modifyJob(job.id) { try? $0.pause(ErrorReason(code: ErrorReason.tasksAbort, message: reason), at: now) }
            return nil
        }
        do { try LoadBatch.check(try LoadPlan(Self.spec(job, table))) } catch {
            // A load that cannot be planned (bad COLUMNS expression, bad jsonpaths) would fail on every node.
            modifyJob(job.id) { try? $0.pause(ErrorReason(code: ErrorReason.createTasks, message: "failed to create task: \(error)"), at: now) }
            return nil
        }
        var load: [Int64: Int] = [:]
        for n in nodes.alive { load[n.id] = 0 }
        // Running tasks per node: other jobs' as stored, this job's as being updated in this pass.
        let others = lock.withLock { tasks.filter { $0.key != job.id }.values.flatMap { $0 } }
        for t in others + running where t.isRunning { if let id = t.nodeID, load[id] != nil { load[id]! += 1 } }
        guard let nodeID = RoutineLoadPlanner.chooseNode(previous: task.previousNodeID, running: load, slots: config.maxRoutineLoadTaskNumPerBe),
              let node = nodes.node(nodeID) else {
            task.notBefore = now + interval
            task.message = "failed to allocate be slot, wait for \(job.definition.job.maxBatchInterval) second to schedule again, "
                + "you can set max_routine_load_task_num_per_be bigger in fe.conf, current value is \(config.maxRoutineLoadTaskNumPerBe)"
            return task
        }
        let label = "\(job.name)-\(job.id)-\(task.id)"
        guard let (txn, segment) = try? catalog.beginTransaction(tableID: table.id, label: label, segmentPath: {
            self.volume.segmentPath(databaseID: table.databaseID, tableID: table.id, txnID: $0)
        }) else { return nil }
        let loadTask = LoadTask(id: task.id, jobID: job.id, label: label, txnID: txn, brokers: job.definition.source.brokerList,
                                topic: job.definition.source.topic, properties: job.definition.source.customProperties.filter { $0.key != "kafka_default_offsets" },
                                begin: begin, spec: Self.spec(job, table), volumeRoot: volume.root, segment: segment,
                                consumeSeconds: Double(job.definition.job.taskConsumeSecond), maxBatchRows: job.definition.job.maxBatchRows,
                                maxBatchBytes: config.maxRoutineLoadBatchSize)
        task.nodeID = nodeID
        task.txnID = txn
        task.txnStatus = "PREPARE"
        task.segment = segment
        task.begin = begin
        task.lastScheduledTime = now
        task.executeStartTime = now
        do {
            try node.connection.submit(loadTask)
            task.message = "task submitted to execute"
        } catch {
            // As in StarRocks the task counts as started and times out; the failure is shown in OtherMsg.
            task.message = "\(error)"
            modifyJob(job.id) { $0.otherMessage = "[\(DateTimeText.format(epochSeconds: now))] \(error)" }
        }
        return task
    }

    enum Readiness { case ready, noNewData, failed(String), noData(partition: Int32, offset: Int64) }

    /// Whether any partition has data past the task's begin offsets: the cached LatestSourcePosition first,
    /// then Kafka (§3.5 step 2). A failed query re-queues the task; the job stays RUNNING (§2.6).
    private func readiness(_ job: RoutineLoadJob, begin: [Int32: Int64]) -> Readiness {
        if begin.contains(where: { p, o in (job.latestOffsets[p] ?? 0) > o }) { return .ready }
        do {
            let marks = try kafka.watermarks(brokers: job.definition.source.brokerList, topic: job.definition.source.topic,
                                             partitions: Array(begin.keys), properties: Self.kafkaProperties(job))
            // Partitions in order; the first that decides wins (§3.5 step 2).
            for (p, o) in begin.sorted(by: { $0.key < $1.key }) {
                guard let high = marks[p]?.high else { continue }
                if high > o { return .ready }
                if high < o { return .noData(partition: p, offset: o) }
            }
            return .noNewData
        } catch {
            return .failed("\(error)")
        }
    }

    /// Looks at a running task: its report, its node, its timeout. Returns the renewed task when it ended.
    private func collect(_ task: RoutineLoadTask, now: Double) -> RoutineLoadTask? {
        guard let nodeID = task.nodeID, let start = task.executeStartTime else { return nil }
        let node = nodes.node(nodeID)
        var report: TaskReport?
        var unreachable = false
        do { report = try node?.connection.report(task.id) } catch { unreachable = true }
        let job = loadJob(task.jobID)
        let interval = Double(job?.definition.job.maxBatchInterval ?? 10)
        let timeout = Double(job?.definition.job.taskTimeoutSecond ?? 60)
        guard let report, report.status != .running else {
            // Lost: the node was dropped, heartbeats declared it dead, or it answers but no longer knows the task
            // (it restarted). A node that does not answer one poll is given until heartbeats decide.
            let lost = node == nil || node?.alive == false || (!unreachable && report == nil)
            guard lost || now - start > timeout else { return nil }
            let reason = lost ? "compute node \(nodeID) is not available" : "timeout by txn manager"
            abort(task, reason: reason)
            modifyJob(task.jobID) { $0.taskAborted(reason: reason, nodeID: nodeID, at: now) }
            return task.renewed(now: now, notBefore: now + interval, message: "previous task aborted because of \(reason)")
        }
        defer { node?.connection.forget(task.id) }
        guard report.status == .finished, let outcome = report.outcome else {
            let reason = report.failure ?? "unknown failure"
            abort(task, reason: reason)
            modifyJob(task.jobID) { $0.taskAborted(reason: reason, nodeID: nodeID, at: now) }
            logger.warning("routine load task \(task.id) of job \(task.jobID) failed: \(reason)")
            return task.renewed(now: now, notBefore: now + interval, message: "previous task aborted because of \(reason)")
        }
        guard outcome.consumedAnything else {
            abort(task, reason: "no new data")
            modifyJob(task.jobID) { j in j.observeLatest(outcome.latestOffsets) }
            return task.renewed(now: now, notBefore: now + interval,
                                message: "there is no new data in kafka, wait for \(Int(interval)) seconds to schedule again")
        }
        if let job, job.exceedsFilterRatio(outcome) {
            let reason = "too many filtered rows: \(outcome.filteredRows) of \(outcome.totalRows) rows were filtered"
            abort(task, reason: reason)
            modifyJob(task.jobID) { $0.taskAborted(reason: reason, nodeID: nodeID, at: now) }
            return task.renewed(now: now, notBefore: now + interval, message: "previous task aborted because of \(reason)")
        }
        var committed: RoutineLoadJob?
        do {
            try catalog.finishLoadTransaction(task.txnID, rowCount: outcome.loadedRows, jobID: task.jobID,
                                              emptyReason: "No rows were imported from upstream") { stored in
                guard var j = RoutineLoadJob(stored: stored) else { throw RoutineLoadError.invalid("the job document cannot be read") }
                try j.commit(outcome, begin: task.begin, at: now)
                committed = j
                return (j.state.rawValue, String(decoding: try JSONEncoder().encode(j), as: UTF8.self))
            }
        } catch {
            if let segment = task.segment { volume.remove(segment) }
            logger.info("routine load task \(task.id) of job \(task.jobID) was not committed: \(error)")
            return task.renewed(now: now, notBefore: now + interval, message: "previous task aborted because of \(error)")
        }
        logger.debug("routine load task \(task.id) of job \(task.jobID): \(outcome.loadedRows) rows in \(outcome.executeMillis) ms, committed \(Int((Date().timeIntervalSince1970 - (task.executeStartTime ?? now)) * 1000)) ms after start")
        if outcome.loadedRows == 0, let segment = task.segment { volume.remove(segment) }
        if let table = try? catalog.table(database: committed?.databaseName ?? "", name: committed?.tableName ?? ""),
           let data = try? catalog.tableData(tableID: table.id) {
            try? cache.catchUp(table, data: data)
        }
        // More data waiting: the next task starts at once; caught up: after max_batch_interval (§3.7).
        let behind = task.partitions.contains { p in (committed?.latestOffsets[p] ?? 0) > (committed?.progress[p] ?? 0) }
        return task.renewed(now: now, notBefore: behind ? now : now + interval, message: nil)
    }

    private func loadJob(_ id: Int64) -> RoutineLoadJob? {
        guard let stored = (try? catalog.routineLoadJob(id: id)) ?? nil else { return nil }
        return RoutineLoadJob(stored: stored)
    }

    /// Applies `change` to a job with compare-and-set, retrying if it changed meanwhile.
    private func modifyJob(_ id: Int64, _ change: (inout RoutineLoadJob) -> Void) {
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
