import Testing
@testable import JobScheduler
import TaskContract

/// A shutdown (``SchedulerCore/drain()``): nothing starts, what runs may finish.
@Suite struct SchedulerShutdownTests {
    typealias T = SchedulerCoreTests

    @Test func aDrainingSchedulerStartsNothingAndLetsRunningTasksCommit() {
        var core = T.runningCore(jobs: 2, topics: 2)
        _ = core.tick(now: 1)
        // Job 1's partition has data: its task starts. Then the shutdown begins.
        let started = core.watermarksFetched(T.key, .success([TopicPartition("t0", 0): 3]), now: 1.1)
        #expect(T.starts(started) == [TaskID("task1")])
        _ = core.taskStarted(TaskID("task1"), .started(txn: TxnID(1), segment: "s1"), now: 1.2)
        core.drain()
        #expect(core.tasksInFlight == 1)
        // Job 2 gets data now: it does not start.
        _ = core.tick(now: 1.7)
        #expect(T.starts(core.watermarksFetched(T.key, .success([TopicPartition("t1", 0): 5]), now: 1.8)).isEmpty)
        // The running task finishes and commits; nothing is left in flight and nothing new starts.
        let outcome = TaskOutcome(endOffsets: [0: 3], latestOffsets: [0: 3], loadedRows: 3)
        _ = core.taskPolled(TaskID("task1"), .finished(outcome), now: 2)
        var job = core.view(of: JobID(1))!.job
        try? job.commit(outcome, begin: [0: 0], at: 2)
        #expect(T.starts(core.committed(TaskID("task1"), .success(job), now: 2.1)).isEmpty)
        #expect(core.tasksInFlight == 0)
        #expect(T.starts(core.tick(now: 30)).isEmpty)
    }
}
