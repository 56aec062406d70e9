import SQLParser
import Testing
@testable import JobScheduler

@Suite struct RoutineLoadDefinitionTests {
    private func create(_ properties: String = "", _ source: String = #""kafka_broker_list" = "127.0.0.1:9092", "kafka_topic" = "t""#,
                        name: String = "job1") throws -> RoutineLoadDefinition {
        let props = properties.isEmpty ? "" : "PROPERTIES (\(properties))"
        guard case .routineLoad(.create(let c)) = try Parser.parseOne("CREATE ROUTINE LOAD \(name) ON tbl \(props) FROM KAFKA (\(source))") else {
            throw RoutineLoadError.invalid("not create")
        }
        return try RoutineLoadDefinition.validate(c, jobName: c.name.name, sessionTimeZone: "Asia/Tokyo") { "gid" }
    }

    @Test func defaultsFollowStarRocks() throws {
        let d = try create()
        #expect(d.job == RoutineLoadJobProperties(timezone: "Asia/Tokyo"))
        #expect(d.job.desiredConcurrentNumber == 5 && d.job.maxBatchInterval == 10 && d.job.maxBatchRows == 200_000)
        #expect(d.job.taskConsumeSecond == 15 && d.job.taskTimeoutSecond == 60)
        #expect(d.source.customProperties == [Property("group.id", "gid")] && d.source.groupIDGenerated)
        #expect(d.source.partitions == nil)
    }

    @Test func consumeAndTimeoutArePaired() throws {
        #expect(try create(#""task_consume_second" = "5""#).job.taskTimeoutSecond == 20)
        #expect(try create(#""task_timeout_second" = "30""#).job.taskConsumeSecond == 7)
        #expect(throws: RoutineLoadError.invalid("task_timeout_second must be larger than task_consume_second")) {
            try create(#""task_consume_second" = "30", "task_timeout_second" = "30""#)
        }
    }

    @Test func maxBatchIntervalGoesDownToOneSecond() throws {
        #expect(try create(#""max_batch_interval" = "1""#).job.maxBatchInterval == 1)
        #expect(throws: RoutineLoadError.invalid("max_batch_interval should >= 1")) { try create(#""max_batch_interval" = "0""#) }
    }

    @Test(arguments: [
        (#""desired_concurrent_number" = "0""#, "desired_concurrent_number should > 0"),
        (#""max_batch_rows" = "100""#, "max_batch_rows should >= 200000"),
        (#""max_error_number" = "-1""#, "max_error_number should >= 0"),
        (#""max_filter_ratio" = "x""#, "Incorrect format of max_filter_ratio"),
        (#""max_filter_ratio" = "1.5""#, "max_filter_ratio must between 0.0 and 1.0."),
        (#""format" = "xml""#, "Format type is invalid. format=`xml`"),
        (#""timezone" = "Mars/Base""#, "Unknown or incorrect time zone: 'Mars/Base'"),
        (#""log_rejected_record_num" = "-2""#, "log_rejected_record_num should >= -1"),
        (#""partial_update_mode" = "row""#, "partial_update_mode is invalid property"),
    ])
    func jobPropertyErrorsUseStarRocksTexts(_ props: String, _ message: String) {
        #expect(throws: RoutineLoadError.invalid(message)) { try create(props) }
    }

    @Test(arguments: [
        (#""kafka_topic" = "t""#, "kafka_broker_list is a required property"),
        (#""kafka_broker_list" = "h:1""#, "kafka_topic is a required property"),
        (#""kafka_broker_list" = "nohost", "kafka_topic" = "t""#, #"kafka_broker_list: nohost does not match pattern .*?\[?([0-9a-zA-Z\-%._:]*)\]?:(\d+)"#),
        (#""kafka_broker_list" = "h:1", "kafka_topic" = "t", "kafka_partitions" = """#, "kafka_partitions could not be a empty string"),
        (#""kafka_broker_list" = "h:1", "kafka_topic" = "t", "kafka_partitions" = "0,x""#, "Invalid kafka partition: 'x'. Expected values should be an integer"),
        (#""kafka_broker_list" = "h:1", "kafka_topic" = "t", "kafka_partitions" = "0,1", "kafka_offsets" = "0""#, "Partitions number should be equals to offsets number"),
        (#""kafka_broker_list" = "h:1", "kafka_topic" = "t", "kafka_partitions" = "0", "kafka_offsets" = "-5""#, "Can not specify offset smaller than 0"),
        (#""kafka_broker_list" = "h:1", "kafka_topic" = "t", "kafka_partitions" = "0", "kafka_offsets" = "soon""#,
         "Invalid kafka offset: 'soon'. Expected values should be an integer, OFFSET_BEGINNING, or OFFSET_END"),
        (#""kafka_broker_list" = "h:1", "kafka_topic" = "t", "kafka_typo" = "1""#, "kafka_typo is invalid kafka custom property"),
        (#""kafka_broker_list" = "h:1", "kafka_topic" = "t", "confluent.schema.registry.url" = "file:///etc/passwd""#,
         "confluent.schema.registry.url must be http[s]://[<key>:<secret>@]<host>[:<port>]"),
        (#""kafka_broker_list" = "h:1", "kafka_topic" = "t", "property.sasl.kerberos.kinit.cmd" = "id > /tmp/x""#,
         "kafka property 'sasl.kerberos.kinit.cmd' is not allowed: it runs a shell command"),
        (#""kafka_broker_list" = "h:1", "kafka_topic" = "t", "property.plugin.library.paths" = "/tmp/x.so""#,
         "kafka property 'plugin.library.paths' is not allowed: it loads code into the process"),
    ])
    func sourceErrorsUseStarRocksTexts(_ source: String, _ message: String) {
        #expect(throws: RoutineLoadError.invalid(message)) { try create("", source) }
    }

    @Test func offsetsAndCustomPropertiesAreKept() throws {
        let d = try create("", #""kafka_broker_list" = " h1:9092, h2:9092 ", "kafka_topic" = "t", "kafka_partitions" = "0,1,2", "kafka_offsets" = "OFFSET_BEGINNING, offset_end, 1000", "property.group.id" = "g", "property.kafka_default_offsets" = "OFFSET_END""#)
        #expect(d.source.brokerList == "h1:9092,h2:9092")
        #expect(d.source.partitions == [0, 1, 2])
        #expect(d.source.offsets == [.beginning, .end, .offset(1000)])
        #expect(d.source.defaultOffset == .end)
        #expect(!d.source.groupIDGenerated)
    }

    @Test(arguments: ["job", "_1job", "Job_Name_2", String(repeating: "a", count: 64)])
    func validNames(_ name: String) throws { try RoutineLoadDefinition.checkName(name) }

    @Test(arguments: ["1job", "_", "job-x", "job name", String(repeating: "a", count: 65), "日本"])
    func invalidNames(_ name: String) {
        #expect(throws: RoutineLoadError.wrongName("Incorrect ROUTINE LOAD NAME name '\(name)'")) { try RoutineLoadDefinition.checkName(name) }
    }
}
