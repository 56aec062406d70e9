import SQLParser
import Testing
@testable import JobScheduler
import TaskContract

@Suite struct RoutineLoadPlanningTests {
    @Test func concurrencyIsTheSmallestLimit() {
        #expect(RoutineLoadPlanner.concurrency(aliveNodes: 3, partitions: 6, desired: 5, maxConcurrent: 5) == 3)
        #expect(RoutineLoadPlanner.concurrency(aliveNodes: 8, partitions: 6, desired: 5, maxConcurrent: 4) == 4)
        #expect(RoutineLoadPlanner.concurrency(aliveNodes: 8, partitions: 2, desired: 5, maxConcurrent: 5) == 2)
        #expect(RoutineLoadPlanner.concurrency(aliveNodes: 0, partitions: 2, desired: 5, maxConcurrent: 5) == 0)
        #expect(RoutineLoadPlanner.concurrency(aliveNodes: 9, partitions: 9, desired: 0, maxConcurrent: 5) == 5)
    }

    @Test func partitionsAreSplitRoundRobin() {
        #expect(RoutineLoadPlanner.split([0, 1, 2, 3, 4], into: 2) == [[0, 2, 4], [1, 3]])
        #expect(RoutineLoadPlanner.split([7], into: 3) == [[7]])
        #expect(RoutineLoadPlanner.split([1, 2], into: 0) == [])
    }

    @Test func nodesArePickedByPreviousThenFewestRunning() {
        #expect(RoutineLoadPlanner.chooseNode(previous: 2, running: [1: 0, 2: 3], slots: 4) == 2)
        #expect(RoutineLoadPlanner.chooseNode(previous: 2, running: [1: 0, 2: 4], slots: 4) == 1)
        #expect(RoutineLoadPlanner.chooseNode(previous: 9, running: [1: 2, 2: 1, 3: 1], slots: 4) == 2)
        #expect(RoutineLoadPlanner.chooseNode(previous: nil, running: [1: 4], slots: 4) == nil)
    }
}

@Suite struct RoutineLoadCommitTests {
    private func runningJob(maxErrors: Int = 0, maxFilterRatio: Double = 1) throws -> RoutineLoadJob {
        var properties = RoutineLoadJobProperties()
        properties.maxErrorNumber = maxErrors
        properties.maxFilterRatio = maxFilterRatio
        let source = KafkaSource(brokerList: "h:1", topic: "t", partitions: [0, 1], offsets: nil, defaultOffset: nil,
                                 customProperties: [], groupIDGenerated: true, schemaRegistryURL: nil)
        var job = RoutineLoadJob(id: 1, name: "j", databaseName: "d", tableName: "t",
                                 definition: RoutineLoadDefinition(load: RoutineLoadProperties(), job: properties, source: source), createTime: 0)
        job.progress = [0: 10, 1: 0]
        try job.started()
        return job
    }

    @Test func aCommitMovesProgressAndStatisticsTogether() throws {
        var job = try runningJob()
        let outcome = TaskOutcome(endOffsets: [0: 15], timestamps: [0: 1700], latestOffsets: [0: 15, 1: 0], loadedRows: 4,
                                  unselectedRows: 1, receivedBytes: 100, executeMillis: 50)
        try job.commit(outcome, begin: [0: 10, 1: 0], at: 1)
        #expect(job.progress == [0: 15, 1: 0] && job.timestampProgress == [0: 1700])
        #expect(job.statistics.loadedRows == 4 && job.statistics.totalRows == 5 && job.statistics.committedTaskNum == 1)
        #expect(job.statistics.taskExecuteTimeMs == 51 && job.statistics.receivedBytesRate == 100 * 1000 / 51)
        // The same task again (or any task that began before this one) is stale.
        #expect(throws: RoutineLoadError.self) { try job.commit(outcome, begin: [0: 10], at: 2) }
        #expect(job.statistics.committedTaskNum == 1)
    }

    @Test func anOutcomeOutsideTheTasksPartitionsOrBeforeItsStartIsRefused() throws {
        var job = try runningJob()
        #expect(throws: RoutineLoadError.self) {                    // a partition the task was not given
            try job.commit(TaskOutcome(endOffsets: [0: 11, 1: 5], loadedRows: 1), begin: [0: 10], at: 1)
        }
        #expect(throws: RoutineLoadError.self) {                    // an end before the task's start
            try job.commit(TaskOutcome(endOffsets: [0: 9], loadedRows: 1), begin: [0: 10], at: 1)
        }
        #expect(job.progress == [0: 10, 1: 0] && job.statistics.committedTaskNum == 0)
    }

    @Test func aJobThatLeftRunningAcceptsNoCommit() throws {
        var job = try runningJob()
        try job.pause(byUser: "root", at: 1)
        #expect(throws: RoutineLoadError.invalid("the job is PAUSED, not RUNNING")) {
            try job.commit(TaskOutcome(endOffsets: [0: 11], loadedRows: 1), begin: [0: 10], at: 2)
        }
        #expect(job.progress[0] == 10)
    }

    @Test func errorRowsAboveMaxErrorNumberPauseAfterTheCommit() throws {
        var job = try runningJob(maxErrors: 1)
        try job.commit(TaskOutcome(endOffsets: [0: 12], loadedRows: 1, filteredRows: 1), begin: [0: 10], at: 1)
        #expect(job.state == .running)
        try job.commit(TaskOutcome(endOffsets: [0: 14], loadedRows: 1, filteredRows: 1), begin: [0: 12], at: 2)
        #expect(job.state == .paused && job.progress[0] == 14)
        #expect(job.displayedReason.hasPrefix("ErrorReason{errCode = 102, msg='Current error rows: 2 is more than max error num: 1. Check the 'TrackingSQL'"))
        #expect(job.statistics.currentErrorRows == 0)                  // the window resets after a pause
    }

    @Test func filterRatioAndAbortReasons() throws {
        var job = try runningJob(maxErrors: 100, maxFilterRatio: 0.5)
        #expect(job.exceedsFilterRatio(TaskOutcome(loadedRows: 1, filteredRows: 2)))
        #expect(!job.exceedsFilterRatio(TaskOutcome(loadedRows: 2, filteredRows: 2)))
        job.taskAborted(.timeout, node: NodeID(10001), at: 0)
        #expect(job.state == .running && job.statistics.abortedTaskNum == 1 && job.otherMessage.hasSuffix("] timeout by txn manager"))
        job.taskAborted(.tooManyFilteredRows(filtered: 2, total: 3), node: NodeID(10001), at: 0)
        #expect(job.state == .paused && job.displayedReason.contains("'max_filter_ratio' property"))
        var other = try runningJob()
        other.taskAborted(.offsetOutOfRange("Broker: Offset out of range, this is no data in partition: 0 at offset: 5."), node: NodeID(10002), at: 0)
        #expect(other.state == .paused && other.displayedReason.hasPrefix("ErrorReason{errCode = 104, msg='be 10002 abort task with reason: Broker: Offset out of range"))
    }
}
