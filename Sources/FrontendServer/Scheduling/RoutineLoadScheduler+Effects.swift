import CatalogStore
import ComputeNode
import Foundation
import JobScheduler
import Kafka
import Logging
import LoadPipeline
import Storage
import TaskContract

/// How the driver carries out each ``SchedulerEffect``: on the work queue, reporting results back as events.
extension RoutineLoadScheduler {
    func perform(_ effects: [SchedulerEffect]) {
        for effect in effects {
            switch effect {
            case .prepare(let job):
                work.async { [self] in
                    var prepared = job
                    let down = prepared.prepare(using: PooledKafkaMetadata(pool: kafka, key: ClusterKey(job.definition.source)), at: Self.now())
                    if prepared.state == .paused {
                        logger.warning("routine load job paused: \(prepared.displayedReason)", metadata: Self.metadata(job: job.id, name: job.name))
                    }
                    send { core, now in core.prepared(JobID(job.id), prepared, unreachable: down?.message, now: now) }
                }
            case .fetchPartitions(let key, let topics):
                work.async { [self] in
                    let found = kafka.partitions(key, topics: topics)
                    send { core, now in core.partitionsFetched(key, found, now: now) }
                }
            case .fetchWatermarks(let key, let partitions):
                work.async { [self] in
                    let result = kafka.highWatermarks(key, partitions)
                    send { core, now in core.watermarksFetched(key, result, now: now) }
                }
            case .refreshLag(let key, let partitions, let sentAt):
                work.async { [self] in
                    let result = kafka.highWatermarks(key, partitions)
                    send { core, now in core.lagRefreshed(key, result, sentAt: sentAt, now: now) }
                }
            case .start(let task, let job, let partitions, let begin, let node):
                work.async { [self] in
                    let result = start(task, job: job, partitions: partitions, begin: begin, node: node)
                    send { core, now in core.taskStarted(task, result, now: now) }
                }
            case .poll(let task, let node):
                work.async { [self] in
                    let result = poll(task, node: node)
                    send { core, now in core.taskPolled(task, result, now: now) }
                }
            case .commit(let task, let txn, let job, let begin, let outcome, let segment, let node):
                work.async { [self] in
                    let clock = ContinuousClock(), started = clock.now
                    let result = commit(txn, job: job, begin: begin, outcome: outcome, segment: segment, node: node)
                    metrics.committed(after: clock.now - started, (try? result.get()) != nil ? outcome : nil)
                    metrics.taskFinished(executeMillis: outcome.executeMillis)
                    send { core, now in core.committed(task, result, now: now) }
                }
            case .abort(let txn, let segment, let reason):
                work.async { [self] in
                    if (try? catalog.abortTransaction(txn.raw, reason: reason)) == true {
                        logger.debug("routine load txn aborted: \(reason)", metadata: Self.metadata(txn: txn.raw))
                        if let segment { segments.remove(segment) }
                    }
                }
            case .forget(let task, let node):
                work.async { [self] in nodes.node(node.raw)?.connection.forget(task.raw) }
            case .save(let id, let change):
                work.async { [self] in
                    if let saved = save(id, change) { send { core, now in self.saved(saved, &core, now) } }
                }
            case .catchUp(let database, let table):
                // Warms the cache for queries (a query catches up by itself too). One queued catch-up per table, a moment
                // after the commit: it applies every commit made before it runs, in one cache transaction per 8 segments,
                // so a thousand jobs committing a trickle cost a few cache writes a second, not one per commit.
                let key = database + "\u{0}" + table
                guard pendingCatchUps.withLock({ $0.insert(key).inserted }) else { continue }
                cacheQueue.asyncAfter(deadline: .now() + Self.catchUpDelay) { [self] in
                    pendingCatchUps.withLock { _ = $0.remove(key) }
                    guard let t = (try? catalog.table(database: database, name: table)) ?? nil else { return }
                    do { try cache.catchUp(t, catalog: catalog) } catch { logger.warning("table cache of \(database).\(table): \(error)") }
                }
            }
        }
    }

    /// Applies a change to the stored job (in one catalog write, so a statement's change is never overwritten) and
    /// returns the job as saved; a failure is logged and the core keeps its own copy.
    func save(_ id: JobID, _ change: JobChange) -> RoutineLoadJob? {
        do { return try repository.update(id.raw) { $0.apply(change, at: Self.now()) } } catch {
            logger.error("cannot save routine load job \(id) (\(change)): \(error)")
            return nil
        }
    }

    /// Log metadata naming a job, task and transaction (swift-log prints them as `key=value` beside the message).
    static func metadata(job: Int64? = nil, name: String? = nil, task: TaskID? = nil, txn: Int64? = nil) -> Logger.Metadata {
        var m: Logger.Metadata = [:]
        if let job { m["job"] = "\(job)" }
        if let name { m["job_name"] = "\(name)" }
        if let task { m["task"] = "\(task)" }
        if let txn { m["txn"] = "\(txn)" }
        return m
    }

    /// Opens the task's transaction and sends it to the node (§3.5 steps 3–5).
    func start(_ task: TaskID, job: RoutineLoadJob, partitions: [Int32], begin: [Int32: Int64], node nodeID: NodeID) -> StartResult {
        let found: TableInfo?
        do { found = try catalog.table(database: job.databaseName, name: job.tableName) } catch {
            return .notStarted("cannot read table \(job.databaseName).\(job.tableName) from the catalog: \(error)")
        }
        guard let table = found else { return .notStarted("table \(job.databaseName).\(job.tableName) is not available") }
        let properties = job.definition.source.customProperties.map { ($0.key, $0.value) }
        if let refusal = KafkaPropertyPolicy.firstRefusal(properties) { return .unplannable(refusal) }    // a job stored before the allowlist
        let spec = Self.spec(job, table)
        if checkedSpecs.withLock({ $0[job.id] }) != spec {      // planned once per job and schema, not per task
            do { try LoadBatch.check(try LoadPlan(spec), evaluator: SQLiteExpressionEvaluator()) } catch { return .unplannable("\(error)") }
            checkedSpecs.withLock { $0[job.id] = spec }
        }
        guard let node = nodes.node(nodeID.raw) else { return .notStarted("compute node \(nodeID) is not available") }
        let label = "\(job.name)-\(job.id)-\(task)"
        let begun: (Int64, String)
        do {
            begun = try catalog.beginTransaction(tableID: table.id, label: label) {
                self.volume.segmentPath(databaseID: table.databaseID, tableID: table.id, txnID: $0)
            }
        } catch { return .notStarted("cannot begin a transaction: \(error)") }
        let (txn, segment) = begun
        var loadTask = LoadTask(id: task.raw, jobID: job.id, label: label, txnID: txn, brokers: job.definition.source.brokerList,
                                topic: job.definition.source.topic,
                                properties: job.definition.source.customProperties.filter { !KafkaPropertyPolicy.tributaryKeys.contains($0.key) },
                                begin: begin, spec: spec, segment: segment, consumeSeconds: Double(job.definition.job.taskConsumeSecond),
                                maxBatchRows: job.definition.job.maxBatchRows, maxBatchBytes: config.maxRoutineLoadBatchSize)
        do { loadTask.upload = try segments.upload(for: segment, embeddedNode: node.embedded) } catch {
            return .submitFailed(txn: TxnID(txn), segment: segment, "\(error)")
        }
        do { try node.connection.submit(loadTask) } catch {
            return .submitFailed(txn: TxnID(txn), segment: segment, "\(error)")
        }
        return .started(txn: TxnID(txn), segment: segment)
    }

    /// What the node says of a task.
    func poll(_ task: TaskID, node nodeID: NodeID) -> PollResult {
        guard let node = nodes.node(nodeID.raw) else { return .unknown }
        let report: TaskReport?
        do { report = try node.connection.report(task.raw) } catch { return .unreachable }
        guard let report else { return .unknown }
        switch report.status {
        case .running: return .running
        case .finished: return report.outcome.map(PollResult.finished) ?? .failed(.failed("the node reported no outcome"))
        case .failed:
            let text = report.failure ?? "unknown failure"
            logger.warning("routine load task failed: \(text)", metadata: ["task": "\(task)", "node": "\(nodeID)"])
            return .failed(report.failureKind == .offsetOutOfRange ? .offsetOutOfRange(text) : .failed(text))
        }
    }

    /// Commits data, offsets and statistics in one catalog transaction (the job's commit rule inside it); aborts and
    /// deletes the segment if it cannot.
    func commit(_ txn: TxnID, job id: JobID, begin: [Int32: Int64], outcome: TaskOutcome, segment: String,
                node: NodeID) -> Result<RoutineLoadJob, TaskFailure> {
        if outcome.loadedRows > 0, let missing = segments.missing(segment, bytes: outcome.segmentBytes) {
            // The segment is not where the FE reads it from: committing would move the offsets without the rows.
            let reason = "compute node \(node): \(missing)"
            _ = try? catalog.abortTransaction(txn.raw, reason: reason)
            _ = save(id, .taskAborted(.notCommitted(reason), node: node))
            return .failure(.notCommitted(reason))
        }
        var committed: RoutineLoadJob?
        do {
            try catalog.finishLoadTransaction(txn.raw, rowCount: outcome.loadedRows, jobID: id.raw,
                                              emptyReason: "No rows were imported from upstream") { stored in
                var j = try repository.decode(stored)
                try j.commit(outcome, begin: begin, at: Self.now())
                committed = j
                return (j.state.rawValue, try repository.encode(j))
            }
        } catch {
            // Only an aborted transaction's segment goes: a repeated report of a committed one can fail too (a busy
            // catalog), and its segment is then the table's data.
            if (try? catalog.transactionState(txn.raw)) == TransactionState.aborted.rawValue { segments.remove(segment) }
            logger.info("routine load task not committed: \(error)", metadata: Self.metadata(job: id.raw, txn: txn.raw))
            return .failure(.notCommitted("\(error)"))
        }
        if outcome.loadedRows == 0 { segments.remove(segment) }
        logger.debug("routine load task committed", metadata: Self.metadata(job: id.raw, txn: txn.raw).merging([
            "rows": "\(outcome.loadedRows)", "error_rows": "\(outcome.filteredRows)", "node": "\(node)"]) { a, _ in a })
        if let committed { return .success(committed) }
        // The txn was already VISIBLE (a repeated commit): the job as stored.
        do {
            guard let job = try repository.job(id.raw) else { return .failure(.notCommitted("the job is gone")) }
            return .success(job)
        } catch { return .failure(.notCommitted("\(error)")) }
    }

    /// The LoadSpec of a job for the table as it is now (schema changes are picked up by the next task).
    static func spec(_ job: RoutineLoadJob, _ table: TableInfo) -> LoadSpec {
        let j = job.definition.job, load = job.definition.load
        var spec = LoadSpec(format: j.format, tableColumns: table.definition.columns, keysType: table.definition.keysType)
        if let s = load.columnSeparator { spec.columnSeparator = s }
        if let d = load.rowDelimiter { spec.rowDelimiter = d }
        spec.enclose = j.enclose
        spec.escape = j.escape
        spec.trimSpace = j.trimSpace
        spec.partialUpdate = j.partialUpdate
        spec.schemaRegistryURL = job.definition.source.schemaRegistryURL
        spec.mergeCondition = j.mergeCondition
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
