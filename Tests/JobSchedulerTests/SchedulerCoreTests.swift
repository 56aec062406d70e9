import Foundation
import SQLParser
import Testing
@testable import JobScheduler
import TaskContract

/// The scheduler core fed events by hand: no sockets, no SQLite, no sleeps; time is a number.
@Suite struct SchedulerCoreTests {
    final class Counter: @unchecked Sendable {
        private let lock = NSLock()
        private var n = 0
        func next() -> TaskID { lock.withLock { n += 1; return TaskID("task\(n)") } }
    }

    static let brokers = "k:9092"

    static func job(_ id: Int64, topic: String = "t", partitions: [Int32]? = nil, state: RoutineLoadState = .needSchedule,
                    progress: [Int32: Int64] = [:], latest: [Int32: Int64] = [:], interval: Int = 5, timeout: Int = 60) -> RoutineLoadJob {
        var properties = RoutineLoadJobProperties()
        properties.maxBatchInterval = interval
        properties.taskTimeoutSecond = timeout
        let source = KafkaSource(brokerList: brokers, topic: topic, partitions: partitions, offsets: nil, defaultOffset: .beginning,
                                 customProperties: [Property("group.id", "g\(id)")], groupIDGenerated: true, schemaRegistryURL: nil)
        var job = RoutineLoadJob(id: id, name: "j\(id)", databaseName: "d", tableName: "t",
                                 definition: RoutineLoadDefinition(load: RoutineLoadProperties(), job: properties, source: source), createTime: 0)
        if state == .running || !progress.isEmpty {
            job.currentPartitions = progress.keys.sorted()
            job.progress = progress
            job.latestOffsets = latest
        }
        if state == .running { try? job.started() }
        if state == .paused { try? job.pause(byUser: "root", at: 0) }
        return job
    }

    /// A core with `nodes` alive nodes (node 1 embedded).
    static func core(nodes: Int = 1, slots: Int = 16) -> SchedulerCore {
        let counter = Counter()
        var settings = SchedulerCore.Settings()
        settings.slotsPerNode = slots
        var core = SchedulerCore(settings: settings, makeTaskID: { counter.next() })
        for n in 1...max(1, nodes) { _ = core.nodeChanged(NodeID(Int64(n)), .init(alive: true, embedded: n == 1), now: 0) }
        return core
    }

    static let key = ClusterKey(brokers: brokers, properties: [])

    /// A RUNNING job at offset 0 of partition 0 of `topic`, with its task waiting.
    static func runningCore(jobs: Int = 1, topics: Int = 1, nodes: Int = 1, slots: Int = 16) -> SchedulerCore {
        var core = core(nodes: nodes, slots: slots)
        for i in 1...jobs {
            _ = core.jobSaved(job(Int64(i), topic: "t\((i - 1) % topics)", state: .running, progress: [0: 0], latest: [0: 0]), now: 0)
        }
        return core
    }

    static func starts(_ effects: [SchedulerEffect]) -> [TaskID] {
        effects.compactMap { if case .start(let t, _, _, _, _) = $0 { return t }; return nil }
    }

    @Test func aNewJobIsPreparedSplitAndStartsOnlyWhenItsPartitionsHaveData() throws {
        var core = Self.core()
        let new = Self.job(7)
        #expect(core.jobSaved(new, now: 0) == [.prepare(new)])
        #expect(core.jobSaved(new, now: 0).isEmpty)                       // already being prepared
        var prepared = new
        prepared.currentPartitions = [0, 1]
        prepared.progress = [0: 0, 1: 0]
        prepared.latestOffsets = [0: 0, 1: 0]
        #expect(core.prepared(JobID(7), prepared, unreachable: nil, now: 1) == [.save(JobID(7), .prepared(prepared, start: true))])
        let view = try #require(core.view(of: JobID(7)))
        #expect(view.job.state == .running && view.tasks.map(\.partitions) == [[0, 1]])   // min(1 node, 2 partitions, 5, 5)
        // Due at once; nothing known yet: one watermark request for the cluster.
        #expect(core.tick(now: 1) == [.fetchWatermarks(Self.key, [TopicPartition("t", 0), TopicPartition("t", 1)])])
        #expect(core.tick(now: 1.1).isEmpty)                                // the request is out: nothing twice
        let effects = core.watermarksFetched(Self.key, .success([TopicPartition("t", 0): 0, TopicPartition("t", 1): 5]), now: 1.2)
        #expect(effects == [.start(TaskID("task1"), job: core.view(of: JobID(7))!.job, partitions: [0, 1], begin: [0: 0, 1: 0], node: NodeID(1))])
        #expect(core.taskStarted(TaskID("task1"), .started(txn: TxnID(70), segment: "db1/t1/txn70.seg"), now: 1.3).isEmpty)
        // Node 1 is embedded: it says when the task is done, and is polled then (ticks poll it only once a second).
        #expect(core.tick(now: 1.5).isEmpty)
        #expect(core.nodeFinishedTask(NodeID(1), TaskID("task1"), now: 1.6) == [.poll(TaskID("task1"), node: NodeID(1))])
        let outcome = TaskOutcome(endOffsets: [1: 5], latestOffsets: [0: 0, 1: 5], loadedRows: 5)
        #expect(core.taskPolled(TaskID("task1"), .finished(outcome), now: 2) == [
            .forget(TaskID("task1"), node: NodeID(1)),
            .commit(TaskID("task1"), txn: TxnID(70), job: JobID(7), begin: [0: 0, 1: 0], outcome: outcome, segment: "db1/t1/txn70.seg", node: NodeID(1)),
        ])
        var committed = core.view(of: JobID(7))!.job
        try committed.commit(outcome, begin: [0: 0, 1: 0], at: 2)
        #expect(core.committed(TaskID("task1"), .success(committed), now: 2.1) == [.catchUp(database: "d", table: "t")])
        // Caught up: the renewed task is due after max_batch_interval, on the same node.
        let renewed = try #require(core.view(of: JobID(7))?.tasks.first)
        #expect(renewed.id == TaskID("task2") && renewed.phase == .waiting(until: 7.1) && renewed.previousNode == NodeID(1))
        #expect(core.tick(now: 5).isEmpty)
    }

    @Test func anEmbeddedTaskThatFinishesBeforeItsStartIsReportedIsPolledAtOnceThen() {
        var core = Self.runningCore()
        _ = core.tick(now: 1)
        let start = core.watermarksFetched(Self.key, .success([TopicPartition("t0", 0): 3]), now: 1.1)
        #expect(Self.starts(start) == [TaskID("task1")])
        #expect(core.nodeFinishedTask(NodeID(1), TaskID("task1"), now: 1.2).isEmpty)      // still starting
        #expect(core.taskStarted(TaskID("task1"), .started(txn: TxnID(1), segment: "s"), now: 1.3) == [.poll(TaskID("task1"), node: NodeID(1))])
        #expect(core.tick(now: 2.2).isEmpty)                                                 // polled at 1.3
        #expect(core.tick(now: 2.4) == [.poll(TaskID("task1"), node: NodeID(1))])          // the fallback, a second later
    }

    @Test func idleJobsCostOneWatermarkRequestPerClusterAndNoTask() {
        var core = Self.runningCore(jobs: 1000, topics: 10)
        let effects = core.tick(now: 1)
        #expect(effects == [.fetchWatermarks(Self.key, (0..<10).map { TopicPartition("t\($0)", 0) })])
        let caughtUp = Dictionary(uniqueKeysWithValues: (0..<10).map { (TopicPartition("t\($0)", 0), Int64(0)) })
        #expect(core.watermarksFetched(Self.key, .success(caughtUp), now: 1.05).isEmpty)   // no data: no task, no consumer
        #expect(core.nextWake == 6.05)                                                     // all wait max_batch_interval
        #expect(core.tick(now: 6.05).count == 1)                                           // and are checked by one request again
        // One topic gets a row: only the 100 jobs reading it go for a task, 16 at once (one node's slots), the rest queue.
        var marks = caughtUp
        marks[TopicPartition("t3", 0)] = 1
        #expect(Self.starts(core.watermarksFetched(Self.key, .success(marks), now: 6.1)).count == 16)
        #expect(core.views().filter { $0.tasks.first.map { if case .queued = $0.phase { return true }; return false } ?? false }.count == 84)
    }

    @Test func aTaskThatOutlivesItsTimeoutOrLosesItsNodeIsAbortedAndRenewed() throws {
        var core = Self.runningCore(nodes: 2)
        _ = core.tick(now: 1)
        let started = core.watermarksFetched(Self.key, .success([TopicPartition("t0", 0): 3]), now: 1)
        #expect(Self.starts(started) == [TaskID("task1")])
        _ = core.taskStarted(TaskID("task1"), .started(txn: TxnID(1), segment: "s1"), now: 1)
        let timedOut = core.tick(now: 62)
        #expect(timedOut.contains(.abort(TxnID(1), segment: "s1", reason: "timeout by txn manager")))
        #expect(timedOut.contains(.save(JobID(1), .taskAborted(.timeout, node: NodeID(1)))))
        #expect(core.view(of: JobID(1))?.tasks.first?.phase == .waiting(until: 67))
        // The next task starts at once (the last watermarks showed data) on node 1 again; node 1 dies: lost, aborted, renewed.
        let next = core.tick(now: 67)
        #expect(next == [.start(TaskID("task2"), job: core.view(of: JobID(1))!.job, partitions: [0], begin: [0: 0], node: NodeID(1))])
        _ = core.taskStarted(TaskID("task2"), .started(txn: TxnID(2), segment: "s2"), now: 67)
        _ = core.nodeChanged(NodeID(1), .init(alive: false, embedded: true), now: 68)
        let lost = core.tick(now: 68)
        #expect(lost.contains(.save(JobID(1), .taskAborted(.nodeLost(NodeID(1)), node: NodeID(1)))))
        #expect(lost.contains(.abort(TxnID(2), segment: "s2", reason: "compute node 1 is not available")))
    }

    @Test func staleReportsAndTasksOfPausedJobsChangeNothing() throws {
        var core = Self.runningCore()
        _ = core.tick(now: 1)
        let task = try #require(Self.starts(core.watermarksFetched(Self.key, .success([TopicPartition("t0", 0): 3]), now: 1)).first)
        _ = core.taskStarted(task, .started(txn: TxnID(9), segment: "s9"), now: 1)
        #expect(core.taskPolled(TaskID("no-such-task"), .finished(TaskOutcome(endOffsets: [0: 3], loadedRows: 3)), now: 2).isEmpty)
        // A user pauses the job while its task runs: the task's transaction is aborted, a late report ignored.
        var paused = try #require(core.view(of: JobID(1))).job
        try paused.pause(byUser: "root", at: 2)
        #expect(core.jobSaved(paused, now: 2) == [.abort(TxnID(9), segment: "s9", reason: "the job is PAUSED"), .forget(task, node: NodeID(1))])
        #expect(core.taskPolled(task, .finished(TaskOutcome(endOffsets: [0: 3], loadedRows: 3)), now: 3).isEmpty)
        #expect(core.view(of: JobID(1))?.tasks.isEmpty == true)
        // RESUME: prepared again.
        var resumed = paused
        try resumed.resume()
        #expect(core.jobSaved(resumed, now: 4) == [.prepare(resumed)])
        // STOP: final, nothing runs, and the name is free.
        var stopped = resumed
        try stopped.stop(at: 5)
        _ = core.jobSaved(stopped, now: 5)
        #expect(core.liveJob(database: "d", name: "j1") == nil && core.tick(now: 10).allSatisfy { if case .start = $0 { return false }; return true })
    }

    @Test func aTopicThatGrowsIsSplitAgain() {
        var core = Self.runningCore()
        let effects = core.partitionsFetched(Self.key, ["t0": [0, 1, 2]], now: 11)
        let rescheduled = core.view(of: JobID(1))!.job
        #expect(rescheduled.state == .needSchedule)
        #expect(effects == [.save(JobID(1), .reschedule), .prepare(rescheduled)])
        #expect(core.partitionsFetched(Self.key, [:], now: 12).isEmpty)    // a failed discovery changes nothing
    }

    @Test func failuresTheJobPausesOnAndFailuresItRetries() throws {
        var core = Self.runningCore()
        _ = core.tick(now: 1)
        let task = try #require(Self.starts(core.watermarksFetched(Self.key, .success([TopicPartition("t0", 0): 3]), now: 1)).first)
        _ = core.taskStarted(task, .started(txn: TxnID(3), segment: "s3"), now: 1)
        let failure = TaskFailure.offsetOutOfRange("Broker: Offset out of range, this is no data in partition: 0 at offset: 0.")
        #expect(core.taskPolled(task, .failed(failure), now: 2).contains(.save(JobID(1), .taskAborted(failure, node: NodeID(1)))))
        // A partition whose end is before the task's offset: the job pauses with StarRocks' reason.
        var behind = Self.runningCore()
        _ = behind.tick(now: 1)
        let effects = behind.watermarksFetched(Self.key, .success([TopicPartition("t0", 0): 0]), now: 1)
        #expect(effects.isEmpty)
        var ahead = Self.core()
        _ = ahead.jobSaved(Self.job(1, topic: "t0", state: .running, progress: [0: 50], latest: [:]), now: 0)
        _ = ahead.tick(now: 1)
        #expect(ahead.watermarksFetched(Self.key, .success([TopicPartition("t0", 0): 10]), now: 1) == [
            .save(JobID(1), .pause(ErrorReason(code: ErrorReason.tasksAbort, message:
                "FE aborts the task with reason: failed to check task ready to execute, err: partition 0 offset 50 has no data")))])
        // Kafka down: the job stays RUNNING, its task waits, SHOW learns the brokers are unreachable.
        var down = Self.runningCore()
        _ = down.tick(now: 1)
        #expect(down.watermarksFetched(Self.key, .failure(SourceFailure("Local: Broker transport failure", unreachable: true)), now: 1).isEmpty)
        let view = try #require(down.view(of: JobID(1)))
        #expect(view.source.isUnreachable && view.tasks[0].phase == .waiting(until: 6))
        #expect(view.tasks[0].message == "failed to check task ready to execute, err: Local: Broker transport failure")
    }

    @Test func aLoadThatCannotBePlannedPausesTheJob() throws {
        var core = Self.runningCore()
        _ = core.tick(now: 1)
        let task = try #require(Self.starts(core.watermarksFetched(Self.key, .success([TopicPartition("t0", 0): 3]), now: 1)).first)
        #expect(core.taskStarted(task, .unplannable("kafka property 'debug' is not allowed"), now: 2) == [
            .save(JobID(1), .pause(ErrorReason(code: ErrorReason.createTasks, message: "failed to create task: kafka property 'debug' is not allowed")))])
    }

    @Test func afterARestartRunningJobsGetTheirTasksBackWithoutPreparation() {
        var core = Self.core(nodes: 2)
        let effects = core.start(jobs: [Self.job(1, partitions: nil, state: .running, progress: [0: 5, 1: 9], latest: [0: 5, 1: 9]),
                                        Self.job(2)], now: 0)
        #expect(effects == [.prepare(Self.job(2))])
        #expect(core.view(of: JobID(1))?.tasks.map(\.partitions) == [[0], [1]])
    }

    @Test func aThousandJobsShareTheSlotsAndAQuietJobIsNotStarvedByABacklog() throws {
        // Job 1 has a long backlog; jobs 2...1000 each get a row. One node, 16 slots; a task takes 50 ms (a quiet job's task
        // reads one row; the backlog's tasks are capped by their rows), so the slots serve ~320 tasks a second.
        var core = Self.runningCore(jobs: 1000, topics: 1000, slots: 16)
        var now = 0.0
        var backlog: Int64 = 1_000_000
        var running: [TaskID: (job: JobID, end: Double, begin: Int64)] = [:]
        var firstStart: [JobID: Double] = [:]
        var fetch: [TopicPartition]?
        func handle(_ effects: [SchedulerEffect]) {
            for e in effects {
                switch e {
                case .start(let t, let job, _, let begin, _):
                    firstStart[JobID(job.id)] = firstStart[JobID(job.id)] ?? now
                    running[t] = (JobID(job.id), now + 0.05, begin[0]!)
                    _ = core.taskStarted(t, .started(txn: TxnID(Int64(running.count)), segment: "s"), now: now)
                case .fetchWatermarks(_, let ps): fetch = ps
                default: break
                }
            }
        }
        while now < 12 {
            now += 0.01
            handle(core.tick(now: now))
            if let ps = fetch {
                fetch = nil
                var marks: [TopicPartition: Int64] = [:]
                for tp in ps { marks[tp] = tp.topic == "t0" ? backlog : 1 }     // every quiet topic has one new row
                handle(core.watermarksFetched(Self.key, .success(marks), now: now))
            }
            for (t, r) in running where r.end <= now {
                running[t] = nil
                let end = r.job == JobID(1) ? min(r.begin + 200_000, backlog) : 1
                let outcome = TaskOutcome(endOffsets: [0: end], latestOffsets: [0: r.job == JobID(1) ? backlog : 1], loadedRows: end - r.begin)
                handle(core.taskPolled(t, .finished(outcome), now: now))
                var job = core.view(of: r.job)!.job
                try job.commit(outcome, begin: [0: r.begin], at: now)
                handle(core.committed(t, .success(job), now: now))
                if r.job == JobID(1) { backlog += 1 }
            }
        }
        // Every quiet job got its row loaded within 2 × max_batch_interval (10 s), despite the backlog.
        #expect(firstStart.count == 1000)
        #expect(firstStart.values.max()! <= 10, "\(firstStart.values.max()!)")
        #expect(core.view(of: JobID(1))!.job.progress[0]! > 0)
    }
}
