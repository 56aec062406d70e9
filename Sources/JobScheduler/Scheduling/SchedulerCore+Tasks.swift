/// The task loop (reference routine_load.md §3.4–§3.7): due tasks are checked for new data and started on a node under a
/// transaction; running tasks are polled, timed out or declared lost; reports are committed or aborted, and the task is
/// renewed.
extension SchedulerCore {
    /// The earliest moment something is due: the driver's next tick. Running tasks are looked at every poll interval.
    public var nextWake: Double? {
        let nextDue = due.min?.at
        return active.isEmpty ? nextDue : min(nextDue ?? .infinity, lastTick + settings.pollInterval)
    }

    /// Time passes: due tasks are checked, running ones polled or timed out, discovery rounds and watermark requests go
    /// out.
    public mutating func tick(now: Double) -> [SchedulerEffect] {
        lastTick = now
        var effects: [SchedulerEffect] = []
        while let next = due.min, next.at <= now {
            _ = due.removeMin()
            effects += wake(next, now: now)
        }
        for (taskID, jobID) in active { effects += watch(taskID, of: jobID, now: now) }
        effects += requests(now: now)
        effects += startQueued(now: now)
        return effects
    }

    /// A shutdown: from now on no task starts (due ones stay waiting); those holding a transaction run to their commit
    /// or abort. ``tasksInFlight`` says when none is left.
    public mutating func drain() { draining = true }

    /// Tasks that hold a transaction or are starting one.
    public var tasksInFlight: Int { active.count }

    /// Starts queued tasks while slots are free, oldest first.
    mutating func startQueued(now: Double) -> [SchedulerEffect] {
        guard !draining else { return [] }
        var effects: [SchedulerEffect] = []
        while let head = queue.first {
            guard let (entry, i) = task(head.task, of: head.job), case .queued = entry.tasks[i].phase, entry.job.state == .running else {
                queue.removeFirst()
                continue
            }
            guard let node = chooseNode(previous: entry.tasks[i].previousNode) else { break }
            queue.removeFirst()
            let job = entry.job, partitions = entry.tasks[i].partitions
            let begin = Dictionary(uniqueKeysWithValues: partitions.compactMap { p in job.progress[p].map { (p, $0) } })
            effects += launch(head.job, i, on: node, begin: begin, now: now)
        }
        return effects
    }

    /// A due task: started if its partitions have data the cluster's last watermarks show, left waiting for the next
    /// watermark request otherwise.
    private mutating func wake(_ due: Due, now: Double) -> [SchedulerEffect] {
        guard let (entry, i) = task(due.task, of: due.job), case .waiting(let until) = entry.tasks[i].phase, until == due.at else { return [] }
        guard entry.job.state == .running else { return [] }
        jobs[due.job]?.tasks[i].phase = .checking(since: now)
        return evaluate(due.job, i, now: now)
    }

    /// Decides a checking task from what is known of its cluster's watermarks (§3.5 step 2).
    mutating func evaluate(_ jobID: JobID, _ i: Int, now: Double) -> [SchedulerEffect] {
        guard let entry = jobs[jobID], case .checking(let since) = entry.tasks[i].phase else { return [] }
        let job = entry.job, task = entry.tasks[i], topic = job.definition.source.topic
        let cluster = clusters[entry.cluster] ?? ClusterEntry()
        let begin = Dictionary(uniqueKeysWithValues: task.partitions.compactMap { p in job.progress[p].map { (p, $0) } })
        guard begin.count == task.partitions.count else { return [] }
        let interval = Double(job.definition.job.maxBatchInterval)
        if begin.contains(where: { p, next in (cluster.latest[TopicPartition(topic, p)] ?? job.latestOffsets[p] ?? 0) > next }) {
            return startTask(jobID, i, begin: begin, now: now)
        }
        guard cluster.fetchedAt >= since else {
            // Nothing known newer than the moment the task became due: it rides on the cluster's next request.
            for p in task.partitions { clusters[entry.cluster, default: ClusterEntry()].wanted.insert(TopicPartition(topic, p)) }
            clusters[entry.cluster]?.checking.insert(TaskRef(job: jobID, task: task.id))
            return []
        }
        // Partitions in order; the first that decides wins (§3.5 step 2).
        for p in task.partitions.sorted() {
            guard let high = cluster.latest[TopicPartition(topic, p)], let next = begin[p], high < next else { continue }
            let reason = "FE aborts the task with reason: failed to check task ready to execute, err: partition \(p) offset \(next) has no data"
            return [.save(jobID, .pause(ErrorReason(code: ErrorReason.tasksAbort, message: reason)))]
        }
        noteCaughtUp(jobID, partitions: task.partitions, latest: { cluster.latest[TopicPartition(topic, $0)] }, at: cluster.fetchedAt)
        return wait(jobID, i, until: now + interval,
                    message: "there is no new data in kafka, wait for \(job.definition.job.maxBatchInterval) seconds to schedule again")
    }

    /// Puts a task back to waiting.
    mutating func wait(_ jobID: JobID, _ i: Int, until: Double, message: String?) -> [SchedulerEffect] {
        guard let task = jobs[jobID]?.tasks[i] else { return [] }
        release(task)
        jobs[jobID]?.tasks[i].phase = .waiting(until: until)
        if let message { jobs[jobID]?.tasks[i].message = message }
        due.insert(Due(at: until, job: jobID, task: task.id))
        return []
    }

    /// New data: a node slot, then a transaction and the submit (one effect, reported by ``taskStarted(_:_:now:)``). Without
    /// a free slot the task queues behind those that came before it.
    private mutating func startTask(_ jobID: JobID, _ i: Int, begin: [Int32: Int64], now: Double) -> [SchedulerEffect] {
        guard let entry = jobs[jobID] else { return [] }
        let task = entry.tasks[i]
        if draining { return wait(jobID, i, until: .infinity, message: "the FE is shutting down") }
        guard queue.isEmpty, let node = chooseNode(previous: task.previousNode) else {
            jobs[jobID]?.tasks[i].phase = .queued(since: now)
            jobs[jobID]?.tasks[i].message = "failed to allocate be slot, waiting for a free one; you can set max_routine_load_task_num_per_be "
                + "bigger in fe.conf, current value is \(settings.slotsPerNode)"
            queue.append((jobID, task.id))
            return []
        }
        return launch(jobID, i, on: node, begin: begin, now: now)
    }

    private mutating func launch(_ jobID: JobID, _ i: Int, on node: NodeID, begin: [Int32: Int64], now: Double) -> [SchedulerEffect] {
        guard let entry = jobs[jobID] else { return [] }
        let task = entry.tasks[i], job = entry.job
        occupy(node)
        active[task.id] = jobID
        jobs[jobID]?.tasks[i].phase = .starting(node: node, since: now)
        jobs[jobID]?.tasks[i].begin = begin
        jobs[jobID]?.tasks[i].lastScheduledTime = now
        return [.start(task.id, job: job, partitions: task.partitions, begin: begin, node: node)]
    }

    /// How starting a task went.
    public mutating func taskStarted(_ taskID: TaskID, _ result: StartResult, now: Double) -> [SchedulerEffect] {
        let effects = handleStarted(taskID, result, now: now)
        return effects + startQueued(now: now)
    }

    private mutating func handleStarted(_ taskID: TaskID, _ result: StartResult, now: Double) -> [SchedulerEffect] {
        guard let jobID = active[taskID], let (entry, i) = task(taskID, of: jobID), case .starting(let node, _) = entry.tasks[i].phase else {
            // Dropped meanwhile (the job was paused): whatever was opened is aborted.
            switch result {
            case .started(let txn, let segment), .submitFailed(let txn, let segment, _):
                return [.abort(txn, segment: segment, reason: "the task was dropped")]
            default: return []
            }
        }
        let interval = Double(entry.job.definition.job.maxBatchInterval)
        switch result {
        case .started(let txn, let segment):
            jobs[jobID]?.tasks[i].phase = .running(.init(txn: txn, segment: segment, node: node, startedAt: now, lastPoll: now))
            jobs[jobID]?.tasks[i].message = "task submitted to execute"
            return finishedBeforeStarted.remove(taskID) != nil ? [.poll(taskID, node: node)] : []
        case .submitFailed(let txn, let segment, let text):
            // As in StarRocks the task counts as started and times out; the failure is shown in OtherMsg.
            jobs[jobID]?.tasks[i].phase = .running(.init(txn: txn, segment: segment, node: node, startedAt: now, lastPoll: now))
            jobs[jobID]?.tasks[i].message = text
            return [.save(jobID, .taskAborted(.failed(text), node: node))]
        case .unplannable(let text):
            _ = wait(jobID, i, until: now + interval, message: text)
            return [.save(jobID, .pause(ErrorReason(code: ErrorReason.createTasks, message: "failed to create task: \(text)")))]
        case .notStarted(let text):
            return wait(jobID, i, until: now + interval, message: text)
        }
    }

    /// A running task: polled every poll interval, aborted when its node is lost or it outlives task_timeout_second.
    private mutating func watch(_ taskID: TaskID, of jobID: JobID, now: Double) -> [SchedulerEffect] {
        guard let (entry, i) = task(taskID, of: jobID), case .running(var run) = entry.tasks[i].phase else { return [] }
        let node = nodes[run.node]
        if node == nil || node?.alive == false { return finish(jobID, i, .failed(.nodeLost(run.node)), now: now) }
        if now - run.startedAt > Double(entry.job.definition.job.taskTimeoutSecond) { return finish(jobID, i, .failed(.timeout), now: now) }
        // The embedded node says when a task finishes (``nodeFinishedTask(_:_:now:)``): its polls are only a fallback.
        let interval = node?.embedded == true ? settings.embeddedPollInterval : settings.pollInterval
        guard now - run.lastPoll >= interval else { return [] }
        run.lastPoll = now
        jobs[jobID]?.tasks[i].phase = .running(run)
        return [.poll(taskID, node: run.node)]
    }

    /// The embedded node finished a task: it is polled now rather than at its next poll.
    public mutating func nodeFinishedTask(_ node: NodeID, _ taskID: TaskID, now: Double) -> [SchedulerEffect] {
        guard let jobID = active[taskID], let (entry, i) = task(taskID, of: jobID) else { return [] }
        if case .starting(node, _) = entry.tasks[i].phase {
            finishedBeforeStarted.insert(taskID)              // polled as soon as its start is reported
            return []
        }
        guard case .running(var run) = entry.tasks[i].phase, run.node == node else { return [] }
        run.lastPoll = now
        jobs[jobID]?.tasks[i].phase = .running(run)
        return [.poll(taskID, node: node)]
    }

    /// What a node answered about a task.
    public mutating func taskPolled(_ taskID: TaskID, _ result: PollResult, now: Double) -> [SchedulerEffect] {
        guard let jobID = active[taskID], let (entry, i) = task(taskID, of: jobID), case .running(let run) = entry.tasks[i].phase else { return [] }
        switch result {
        case .running, .unreachable: return []
        case .unknown: return finish(jobID, i, .failed(.nodeLost(run.node)), now: now) + startQueued(now: now)
        default: return finish(jobID, i, result, now: now) + startQueued(now: now)
        }
    }

    /// A report (or a loss): abort and renew, or commit.
    private mutating func finish(_ jobID: JobID, _ i: Int, _ result: PollResult, now: Double) -> [SchedulerEffect] {
        guard let entry = jobs[jobID], let run = entry.tasks[i].run else { return [] }
        let job = entry.job, task = entry.tasks[i]
        let interval = Double(job.definition.job.maxBatchInterval)
        switch result {
        case .finished(let outcome):
            note(outcome.latestOffsets, of: jobID)
            if outcome.consumedAnything || !outcome.latestOffsets.isEmpty { jobs[jobID]?.source.reachedAt = now }
            guard outcome.consumedAnything else {
                noteCaughtUp(jobID, partitions: task.partitions, latest: { outcome.latestOffsets[$0] }, at: now)
                return renew(jobID, i, now: now, notBefore: now + interval,
                             message: "there is no new data in kafka, wait for \(Int(interval)) seconds to schedule again")
                    + [.abort(run.txn, segment: run.segment, reason: "no new data"), .forget(task.id, node: run.node),
                       .save(jobID, .observeLatest(outcome.latestOffsets))]
            }
            if job.exceedsFilterRatio(outcome) {
                return abortAndRenew(jobID, i, .tooManyFilteredRows(filtered: outcome.filteredRows, total: outcome.totalRows), now: now)
            }
            jobs[jobID]?.tasks[i].phase = .committing(run)
            return [.forget(task.id, node: run.node),
                    .commit(task.id, txn: run.txn, job: jobID, begin: task.begin, outcome: outcome, segment: run.segment, node: run.node)]
        case .failed(let failure):
            if case .failed(let text) = failure, text.hasPrefix("kafka consume failed") {
                jobs[jobID]?.source.failureAt = now
                jobs[jobID]?.source.failure = text
            }
            return abortAndRenew(jobID, i, failure, now: now)
        default:
            return []
        }
    }

    private mutating func abortAndRenew(_ jobID: JobID, _ i: Int, _ failure: TaskFailure, now: Double) -> [SchedulerEffect] {
        guard let entry = jobs[jobID], let run = entry.tasks[i].run else { return [] }
        let interval = Double(entry.job.definition.job.maxBatchInterval)
        return renew(jobID, i, now: now, notBefore: now + interval, message: "previous task aborted because of \(failure)")
            + [.abort(run.txn, segment: run.segment, reason: "\(failure)"), .forget(entry.tasks[i].id, node: run.node),
               .save(jobID, .taskAborted(failure, node: run.node))]
    }

    /// The commit's result: the job as committed (progress, statistics moved), or why it was not.
    public mutating func committed(_ taskID: TaskID, _ result: Result<RoutineLoadJob, TaskFailure>, now: Double) -> [SchedulerEffect] {
        handleCommitted(taskID, result, now: now) + startQueued(now: now)
    }

    private mutating func handleCommitted(_ taskID: TaskID, _ result: Result<RoutineLoadJob, TaskFailure>, now: Double) -> [SchedulerEffect] {
        guard let jobID = active[taskID], let (entry, i) = task(taskID, of: jobID), case .committing = entry.tasks[i].phase else { return [] }
        let interval = Double(entry.job.definition.job.maxBatchInterval)
        switch result {
        case .success(let job):
            jobs[jobID]?.job = job
            let task = entry.tasks[i]
            noteCaughtUp(jobID, partitions: task.partitions, latest: { job.latestOffsets[$0] }, at: now)
            // More data waiting: the next task starts at once; caught up: after max_batch_interval (§3.7).
            let behind = task.partitions.contains { p in (job.latestOffsets[p] ?? 0) > (job.progress[p] ?? 0) }
            return renew(jobID, i, now: now, notBefore: behind ? now : now + interval, message: nil)
                + [.catchUp(database: job.databaseName, table: job.tableName)]
        case .failure(let failure):
            return renew(jobID, i, now: now, notBefore: now + interval, message: "previous task aborted because of \(failure)")
        }
    }

    /// Replaces a finished task with a new one on the same partitions, preferring the same node.
    private mutating func renew(_ jobID: JobID, _ i: Int, now: Double, notBefore: Double, message: String?) -> [SchedulerEffect] {
        guard let old = jobs[jobID]?.tasks[i] else { return [] }
        release(old)
        let next = ScheduledTask(id: makeTaskID(), jobID: jobID, partitions: old.partitions, now: now, notBefore: notBefore,
                                 previousNode: old.occupiedNode ?? old.previousNode, message: message)
        jobs[jobID]?.tasks[i] = next
        due.insert(Due(at: notBefore, job: jobID, task: next.id))
        return resplitIfIdle(jobID, now: now)
    }

    /// High watermarks a task saw at the end of partitions.
    mutating func note(_ latest: [Int32: Int64], of jobID: JobID) {
        guard let entry = jobs[jobID] else { return }
        let topic = entry.job.definition.source.topic
        for (p, high) in latest {
            let tp = TopicPartition(topic, p)
            clusters[entry.cluster, default: ClusterEntry()].latest[tp] = max(clusters[entry.cluster]?.latest[tp] ?? 0, high)
        }
    }

    func task(_ id: TaskID, of jobID: JobID) -> (JobEntry, Int)? {
        guard let entry = jobs[jobID], let i = entry.tasks.firstIndex(where: { $0.id == id }) else { return nil }
        return (entry, i)
    }
}
