import CatalogStore
import ComputeNode
import Expressions
import Foundation
import JobScheduler
import Kafka
import LoadPipeline

/// The task loop (reference routine_load.md §3.4–§3.7): start due tasks on a node under a PREPARE transaction,
/// collect reports, commit or abort, renew.
extension LoadCoordinator {
    func advance(_ jobID: Int64, now: Double) {
        var list = tasks(of: jobID)
        var job: RoutineLoadJob?
        func currentJob() -> RoutineLoadJob? {
            if job == nil { job = loadJob(jobID) }
            return job
        }
        var changed = false
        for i in list.indices {
            var task = list[i]
            if task.isRunning {
                if let id = task.nodeID, nodes.node(id)?.embedded == false {
                    if now - (lastPoll[task.id] ?? 0) < 0.1 { continue }
                    lastPoll[task.id] = now
                }
                guard let next = collect(task, now: now) else { continue }
                lastPoll.removeValue(forKey: task.id)
                list[i] = next; changed = true; job = nil
                task = next                     // a renewed task with a backlog starts in this same pass
            }
            if !task.isRunning, now >= task.notBefore {
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
    func start(_ task: RoutineLoadTask, job: RoutineLoadJob, running: [RoutineLoadTask], now: Double) -> RoutineLoadTask? {
        var task = task
        let interval = Double(job.definition.job.maxBatchInterval)
        let begin = Dictionary(uniqueKeysWithValues: task.partitions.compactMap { p in job.progress[p].map { (p, $0) } })
        guard begin.count == task.partitions.count,
              let table = (try? catalog.table(database: job.databaseName, name: job.tableName)) ?? nil else { return nil }
        if let refusal = KafkaPropertyPolicy.firstRefusal(Self.kafkaProperties(job)) {
            // A job stored before the allowlist existed: it must not reach librdkafka, not even for a readiness check.
            modifyJob(job.id) { try? $0.pause(ErrorReason(code: ErrorReason.createTasks, message: "failed to create task: \(refusal)"), at: now) }
            return nil
        }
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
        let spec = Self.spec(job, table)
        do { try LoadBatch.check(try LoadPlan(spec)) } catch {
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
                                begin: begin, spec: spec, segment: segment,
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
    func readiness(_ job: RoutineLoadJob, begin: [Int32: Int64]) -> Readiness {
        if begin.contains(where: { p, o in (job.latestOffsets[p] ?? 0) > o }) { return .ready }
        do {
            let marks = try kafka.watermarks(brokers: job.definition.source.brokerList, topic: job.definition.source.topic,
                                             partitions: Array(begin.keys), properties: Self.kafkaProperties(job))
            sources.reached(job.id, at: Date().timeIntervalSince1970)
            // Partitions in order; the first that decides wins (§3.5 step 2).
            for (p, o) in begin.sorted(by: { $0.key < $1.key }) {
                guard let high = marks[p]?.high else { continue }
                if high > o { return .ready }
                if high < o { return .noData(partition: p, offset: o) }
            }
            return .noNewData
        } catch {
            if error is SourceUnreachable { sources.failed(job.id, "\(error)", at: Date().timeIntervalSince1970) }
            return .failed("\(error)")
        }
    }

    /// Looks at a running task: its report, its node, its timeout. Returns the renewed task when it ended.
    func collect(_ task: RoutineLoadTask, now: Double) -> RoutineLoadTask? {
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
            if reason.hasPrefix("kafka consume failed") { sources.failed(task.jobID, reason, at: now) }
            abort(task, reason: reason)
            modifyJob(task.jobID) { $0.taskAborted(reason: reason, nodeID: nodeID, at: now) }
            logger.warning("routine load task \(task.id) of job \(task.jobID) failed: \(reason)")
            return task.renewed(now: now, notBefore: now + interval, message: "previous task aborted because of \(reason)")
        }
        if outcome.consumedAnything || !outcome.latestOffsets.isEmpty { sources.reached(task.jobID, at: now) }   // it read from Kafka
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
        if outcome.loadedRows > 0, let segment = task.segment, !FileManager.default.fileExists(atPath: volume.absolute(segment)) {
            // The node wrote the segment somewhere the FE cannot see: committing would move the offsets without the rows.
            let reason = "segment \(segment) of compute node \(nodeID) is not in the storage volume \(volume.root); "
                + "a compute node must write into the FE's storage volume (its storage_root_path on a shared directory)"
            abort(task, reason: reason)
            modifyJob(task.jobID) { $0.taskAborted(reason: reason, nodeID: nodeID, at: now) }
            logger.warning("routine load task \(task.id) of job \(task.jobID) failed: \(reason)")
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
        if let table = try? catalog.table(database: committed?.databaseName ?? "", name: committed?.tableName ?? "") {
            // Off the task loop, so the next task starts while the cache copies this one's rows (a SELECT catches
            // up by itself if it comes first).
            cacheQueue.async { [catalog, cache] in
                if let data = try? catalog.tableData(tableID: table.id) { try? cache.catchUp(table, data: data) }
            }
        }
        // More data waiting: the next task starts at once; caught up: after max_batch_interval (§3.7).
        let behind = task.partitions.contains { p in (committed?.latestOffsets[p] ?? 0) > (committed?.progress[p] ?? 0) }
        return task.renewed(now: now, notBefore: behind ? now : now + interval, message: nil)
    }
}
