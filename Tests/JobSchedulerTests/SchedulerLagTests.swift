import Testing
@testable import JobScheduler
import TaskContract

/// Lag per partition from the scheduler's own watermark knowledge, the refresh round, and the UNSTABLE substate.
@Suite struct SchedulerLagTests {
    typealias T = SchedulerCoreTests
    static let key = T.key

    @Test func aCaughtUpJobHasNoLagAndABacklogIsCountedFromWhenItWasLastCaughtUp() throws {
        var core = T.runningCore()
        _ = core.tick(now: 1)
        // Nothing new at 1: caught up then.
        _ = core.watermarksFetched(Self.key, .success([TopicPartition("t0", 0): 0]), now: 1.1)
        var view = try #require(core.view(of: JobID(1)))
        #expect(view.lag(now: 2) == [PartitionLag(partition: 0, latest: 0, next: 0, messages: 0, seconds: 0)])
        // The refresh round (every 10 s) sees 40 new messages at 11; at 31 the partition has been behind for 20 s at most.
        #expect(core.tick(now: 11).contains(.refreshLag(Self.key, [TopicPartition("t0", 0)], sentAt: 11)))
        _ = core.lagRefreshed(Self.key, .success([TopicPartition("t0", 0): 40]), sentAt: 11, now: 11.1)
        view = try #require(core.view(of: JobID(1)))
        #expect(view.latest == [0: 40])
        #expect(view.lag(now: 31) == [PartitionLag(partition: 0, latest: 40, next: 0, messages: 40, seconds: 30)])
    }

    @Test func lagSecondsStartAtTheLastConsumedMessageWhenThatIsLater() throws {
        var job = T.job(1, state: .running, progress: [0: 10], latest: [0: 10])
        try job.commit(TaskOutcome(endOffsets: [0: 20], timestamps: [0: 50_000], latestOffsets: [0: 25], loadedRows: 10), begin: [0: 10], at: 50)
        var core = T.core()
        _ = core.jobSaved(job, now: 50)
        let view = try #require(core.view(of: JobID(1)))
        #expect(view.lag(now: 80) == [PartitionLag(partition: 0, latest: 25, next: 20, messages: 5, seconds: 30)])
    }

    @Test func aPausedJobsLagGrowsThroughTheRefreshRoundAlone() throws {
        var core = T.core()
        _ = core.jobSaved(T.job(1, state: .paused, progress: [0: 5], latest: [0: 5]), now: 0)
        #expect(core.tick(now: 5).isEmpty)                      // a paused job runs no task and asks nothing before the round
        #expect(core.tick(now: 10) == [.refreshLag(Self.key, [TopicPartition("t", 0)], sentAt: 10)])
        #expect(core.tick(now: 12).isEmpty)                     // one round at a time
        _ = core.lagRefreshed(Self.key, .success([TopicPartition("t", 0): 5]), sentAt: 10, now: 10.2)
        #expect(core.tick(now: 20) == [.refreshLag(Self.key, [TopicPartition("t", 0)], sentAt: 20)])
        _ = core.lagRefreshed(Self.key, .success([TopicPartition("t", 0): 12]), sentAt: 20, now: 20.2)
        let view = try #require(core.view(of: JobID(1)))
        #expect(view.lag(now: 25) == [PartitionLag(partition: 0, latest: 12, next: 5, messages: 7, seconds: 15)])
        #expect(view.unstableReason(now: 25, threshold: 1) == nil)             // UNSTABLE is a substate of RUNNING only
    }

    @Test func aFailedRefreshChangesNothingAndTheNextRoundTriesAgain() throws {
        var core = T.core()
        _ = core.jobSaved(T.job(1, state: .paused, progress: [0: 5], latest: [0: 5]), now: 0)
        _ = core.tick(now: 10)
        #expect(core.lagRefreshed(Self.key, .failure(SourceFailure("down", unreachable: true)), sentAt: 10, now: 10.5).isEmpty)
        #expect(try #require(core.view(of: JobID(1))).latest == [0: 5])
        #expect(core.tick(now: 20) == [.refreshLag(Self.key, [TopicPartition("t", 0)], sentAt: 20)])
    }

    @Test func aRunningJobLaggingLongerThanTheThresholdIsUnstableWithStarRocksReason() throws {
        var core = T.runningCore()
        _ = core.tick(now: 10)
        _ = core.lagRefreshed(Self.key, .success([TopicPartition("t0", 0): 3]), sentAt: 10, now: 10)
        let view = try #require(core.view(of: JobID(1)))
        // Never seen caught up, nothing consumed: behind since the job was created (0).
        #expect(view.unstableReason(now: 100, threshold: 3600) == nil)
        #expect(view.unstableReason(now: 4000, threshold: 3600)
                == ErrorReason(code: 105, message: "The lag [4000] of partition [0] exceeds Config.routine_load_unstable_threshold_second [3600]"))
    }
}
