import SQLParser
import Testing
@testable import JobScheduler

@Suite struct RoutineLoadJobTests {
    private func job() -> RoutineLoadJob {
        let source = KafkaSource(brokerList: "h:1", topic: "t", partitions: nil, offsets: nil, defaultOffset: nil,
                                 customProperties: [], groupIDGenerated: true, schemaRegistryURL: nil)
        return RoutineLoadJob(id: 1, name: "j", databaseName: "d", tableName: "t",
                              definition: RoutineLoadDefinition(load: RoutineLoadProperties(), job: RoutineLoadJobProperties(), source: source),
                              createTime: 100)
    }

    @Test func pauseRecordsReasonAndTimeAndResumeClearsThem() throws {
        var j = job()
        #expect(j.state == .needSchedule)
        try j.pause(byUser: "root", at: 200)
        #expect(j.state == .paused && j.pauseTime == 200)
        #expect(j.displayedReason == "ErrorReason{errCode = 100, msg='User root pauses routine load job'}")
        #expect(throws: RoutineLoadError.invalid("Could not transform PAUSED to PAUSED")) { try j.pause(byUser: "root", at: 300) }
        j.otherMessage = "previous task aborted"
        try j.resume()
        #expect(j.state == .needSchedule && j.pauseTime == nil && j.otherMessage.isEmpty && j.displayedReason.isEmpty)
    }

    @Test func finalStatesRefuseEverything() throws {
        var stopped = job()
        try stopped.started()
        try stopped.stop(at: 500)
        #expect(stopped.state == .stopped && stopped.endTime == 500)
        #expect(throws: RoutineLoadError.invalid("Could not transform STOPPED to NEED_SCHEDULE")) { try stopped.resume() }
        var cancelled = job()
        try cancelled.cancel(ErrorReason(code: ErrorReason.tableDropped, message: "table not exist"), at: 9)
        #expect(cancelled.displayedReason == "ErrorReason{errCode = 6, msg='table not exist'}")
        #expect(throws: RoutineLoadError.invalid("Could not transform CANCELLED to PAUSED")) { try cancelled.pause(byUser: "root", at: 10) }
    }

    @Test func runningJobsCanBeRescheduledByResume() throws {
        var j = job()
        try j.started()
        try j.resume()
        #expect(j.state == .needSchedule)
    }

    @Test func alterChangesOnlyAlterablePropertiesAndPairsTaskTimes() throws {
        var d = job().definition
        try d.alter(load: RoutineLoadProperties(), properties: [Property("desired_concurrent_number", "6"), Property("task_consume_second", "10")],
                    source: [Property("kafka_partitions", "0,1"), Property("kafka_offsets", "OFFSET_BEGINNING,5"), Property("property.client.id", "c")])
        #expect(d.job.desiredConcurrentNumber == 6 && d.job.taskConsumeSecond == 10 && d.job.taskTimeoutSecond == 40)
        #expect(d.source.partitions == [0, 1] && d.source.offsets == [.beginning, .offset(5)])
        #expect(d.source.customProperties == [Property("client.id", "c")])
        #expect(throws: RoutineLoadError.invalid("format is invalid property")) {
            try d.alter(load: RoutineLoadProperties(), properties: [Property("format", "json")], source: [])
        }
        #expect(throws: RoutineLoadError.invalid("Partition and offset must be specified at the same time")) {
            try d.alter(load: RoutineLoadProperties(), properties: [], source: [Property("kafka_partitions", "0")])
        }
    }
}
