import Testing
@testable import JobScheduler
import TaskContract

/// What SHOW ROUTINE LOAD's kept rows read of the core: each job's stamp, which must move whenever anything its row is
/// rendered from moves, and only then.
@Suite struct SchedulerShowTests {
    typealias T = SchedulerCoreTests
    static let key = T.key

    /// What a row is rendered from (RoutineLoadRendering.row's inputs), as of `now`.
    struct RenderInputs: Equatable {
        var job: RoutineLoadJob
        var taskCount: Int
        var unreachable: SchedulerCore.SourceHealth?
        var latest: [Int32: Int64]
        var lag: [PartitionLag]
        var unstable: ErrorReason?

        init(_ view: SchedulerCore.JobView, now: Double, threshold: Int) {
            job = view.job
            taskCount = view.job.state == .running ? view.tasks.count : 0
            unreachable = view.source.isUnreachable ? view.source : nil
            latest = view.latest
            lag = view.lag(now: now)
            unstable = view.unstableReason(lag: lag, threshold: threshold)
        }
    }

    static func stamp(_ core: inout SchedulerCore, _ id: Int64 = 1, now: Double) throws -> SchedulerCore.ShownStamp {
        let shown = core.shown(JobID(id), now: now)
        return try #require(shown).stamp
    }

    @Test func equalStampsMeanEqualRowsAndEveryChangeARowShowsMovesTheStamp() throws {
        var core = T.runningCore()
        var seen: [(stamp: SchedulerCore.ShownStamp, inputs: RenderInputs)] = []
        func look(_ now: Double) throws {
            let stamp = try Self.stamp(&core, now: now)
            let inputs = RenderInputs(try #require(core.view(of: JobID(1))), now: now, threshold: 20)
            for (s, i) in seen where s == stamp { #expect(i == inputs, "equal stamps at \(now), different rows") }
            seen.append((stamp, inputs))
        }
        try look(0)
        _ = core.tick(now: 1)
        try look(1)
        _ = core.watermarksFetched(Self.key, .success([TopicPartition("t0", 0): 0]), now: 1.1)        // caught up
        for now in [1.2, 5, 60, 600] { try look(now) }
        #expect(try Self.stamp(&core, now: 2) == Self.stamp(&core, now: 600), "a caught-up job's row does not age")
        // Forty messages arrive (the refresh round sees them): the row shows them, and a lag that grows by the second.
        _ = core.tick(now: 11)
        _ = core.lagRefreshed(Self.key, .success([TopicPartition("t0", 0): 40]), sentAt: 11, now: 11.1)
        let behind = try Self.stamp(&core, now: 12)
        #expect(behind.latest == [0: 40] && behind.secondsBehind.count == 1)
        #expect(try Self.stamp(&core, now: 12.05) == behind)
        #expect(try Self.stamp(&core, now: 14) != behind)
        for now in [12, 12.5, 13, 31, 32, 40] { try look(now) }                                          // UNSTABLE past 20 s
        // Kafka stops answering: OtherMsg says so.
        _ = core.tick(now: 41)
        _ = core.watermarksFetched(Self.key, .failure(SourceFailure("down", unreachable: true)), now: 41.5)
        try look(42)
        #expect(try Self.stamp(&core, now: 42).unreachable?.failure == "down")
        // A statement pauses the job: a new revision, no task counted.
        var paused = try #require(core.view(of: JobID(1))).job
        try paused.pause(byUser: "root", at: 43)
        _ = core.jobSaved(paused, now: 43)
        try look(44)
        #expect(try Self.stamp(&core, now: 44).taskCount == 0)
        #expect(seen.contains { $0.inputs.unstable != nil }, "the scenario reaches UNSTABLE")
    }

    @Test func forEachShownGivesEachJobOfTheDatabaseByIdAndChangesNothing() throws {
        var core = T.core()
        for id: Int64 in [3, 1, 2] {
            var job = T.job(id, state: .paused)
            if id == 2 { job.databaseName = "other" }
            _ = core.jobSaved(job, now: 0)
        }
        let before = core
        var shown: [SchedulerCore.ShownJob] = []
        core.forEachShown(database: "d", now: 1) { shown.append($0) }
        #expect(shown.map(\.id) == [JobID(1), JobID(3)])
        #expect(shown.map(\.name) == ["j1", "j3"] && shown.allSatisfy { $0.state == .paused && $0.tableName == "t" })
        #expect(shown[0].displayedReason == "ErrorReason{errCode = 100, msg='User root pauses routine load job'}")
        #expect(core == before)
        var all: [JobID] = []
        core.forEachShown(database: nil, now: 1) { all.append($0.id) }
        #expect(all == [JobID(1), JobID(2), JobID(3)])
        let missing = core.shown(JobID(9), now: 1)
        #expect(missing == nil)
    }
}
