import TaskContract
import Expressions
import Foundation
import JobScheduler
import Kafka
import LoadPipeline
import SQLParser

/// SHOW ROUTINE LOAD / SHOW CREATE ROUTINE LOAD text for a job (reference routine_load.md §4). JSON cells
/// keep the key order the seed guide shows; every value is a string except in Statistic.
enum RoutineLoadRendering {
    /// The columns of StarRocks 3.2+ (and the seeds), in their order (reference §4.3).
    static let columns = ["Id", "Name", "CreateTime", "PauseTime", "EndTime", "DbName", "TableName", "State", "DataSourceType",
                          "CurrentTaskNum", "JobProperties", "DataSourceProperties", "CustomProperties", "Statistic", "Progress",
                          "TimestampProgress", "ReasonOfStateChanged", "ErrorLogUrls", "TrackingSQL", "OtherMsg",
                          "LatestSourcePosition", "OffsetLag"]

    /// A job's cells; `taskCount` is the number of tasks SHOW counts for it (``SchedulerCore/JobView/shownTasks``), `view`
    /// what the scheduler knows of it (its cluster's health, the freshest high watermarks), `lag` its partitions' lag and
    /// `unstable` the UNSTABLE substate's reason when it lags longer than routine_load_unstable_threshold_second.
    static func row(_ view: SchedulerCore.JobView, taskCount: Int, lag: [PartitionLag], unstable: ErrorReason?) -> [Value] {
        let job = view.job, source = view.source
        let progress = self.progress(job)
        let urls = job.errorLogURLs.reversed().joined(separator: ", ")
        let tracking = urls.isEmpty ? "" : "select tracking_log from information_schema.load_tracking_logs where job_id=\(job.id)"
        return [.string(String(job.id)), .string(job.name), time(job.createTime), job.pauseTime.map(time) ?? .null,
                job.endTime.map(time) ?? .null, .string(job.databaseName), .string(job.tableName),
                .string(unstable == nil ? job.state.rawValue : "UNSTABLE"),
                .string("KAFKA"), .string(String(taskCount)), .string(jobProperties(job, taskCount: taskCount)), .string(dataSourceProperties(job)),
                .string(customProperties(job)), .string(statistic(job.statistics, lag: lag)), .string(object(progress.map { ($0.0, .string($0.1)) })),
                .string(object(job.timestampProgress.sorted { $0.key < $1.key }.map { (String($0.key), .string(String($0.value))) })),
                .string(unstable?.description ?? job.displayedReason), .string(urls), .string(tracking), .string(otherMessage(job, source)),
                .string(object(view.latest.sorted { $0.key < $1.key }.map { (String($0.key), .string(String($0.value))) })),
                .string(offsetLag(job, lag: lag, unreachable: source.isUnreachable))]
    }

    /// OtherMsg: while the job's brokers cannot be reached, that fact and how old LatestSourcePosition is.
    static func otherMessage(_ job: RoutineLoadJob, _ source: SchedulerCore.SourceHealth) -> String {
        guard job.state == .running || job.state == .needSchedule, source.isUnreachable, let failure = source.failure,
              let failedAt = source.failureAt else {
            return job.otherMessage
        }
        let since = source.reachedAt.map { "last reached at \(DateTimeText.format(epochSeconds: $0))" } ?? "not reached since the FE started"
        return "[\(DateTimeText.format(epochSeconds: failedAt))] kafka is not reachable (\(since)); LatestSourcePosition is the last known "
            + "and OffsetLag unknown: \(failure)"
    }

    static func time(_ t: Double) -> Value { .string(DateTimeText.format(epochSeconds: t)) }

    /// COLUMNS as StarRocks prints them: names, and `name=<expr>` with the expression re-rendered.
    static func columnText(_ mappings: [ColumnMapping]?) -> String {
        guard let mappings else { return "*" }
        return mappings.map { m in
            guard let e = m.expression else { return m.name }
            return m.name + "=" + ((try? Parser.parseExpression(e).sql) ?? e)
        }.joined(separator: ",")
    }

    static func jobProperties(_ job: RoutineLoadJob, taskCount: Int) -> String {
        let d = job.definition, j = d.job
        // The seed guide's key order (StarRocks' HashMap order); keys the guide does not show come last.
        var pairs: [(String, JSON)] = [
            ("partitions", .string(d.load.partitions?.joined(separator: ",") ?? "*")),
            ("partial_update", .string(String(j.partialUpdate))),
            ("columnToColumnExpr", .string(columnText(d.load.columns))),
            ("maxBatchIntervalS", .string(String(j.maxBatchInterval))),
            ("partial_update_mode", .string("null")),
            ("whereExpr", .string(d.load.whereClause.map { (try? Parser.parseExpression($0).sql) ?? $0 } ?? "*")),
        ]
        if j.format == .json {
            pairs.append(("dataFormat", .string("json")))
        } else {
            pairs.append(("columnSeparator", .string(d.load.columnSeparator ?? "\t")))
            pairs.append(("rowDelimiter", .string(d.load.rowDelimiter ?? "\n")))
        }
        pairs += [
            ("timezone", .string(j.timezone)), ("format", .string(j.format.rawValue)),
            ("log_rejected_record_num", .string(String(j.logRejectedRecordNum))),
            ("taskTimeoutSecond", .string(String(j.taskTimeoutSecond))), ("json_root", .string(j.jsonRoot)),
            ("maxFilterRatio", .string(String(j.maxFilterRatio))), ("strict_mode", .string(String(j.strictMode))),
            ("jsonpaths", .string(j.jsonpaths)), ("taskConsumeSecond", .string(String(j.taskConsumeSecond))),
            ("desireTaskConcurrentNum", .string(String(j.desiredConcurrentNumber))), ("maxErrorNum", .string(String(j.maxErrorNumber))),
            ("strip_outer_array", .string(String(j.stripOuterArray))), ("currentTaskConcurrentNum", .string(String(taskCount))),
            ("maxBatchRows", .string(String(j.maxBatchRows))),
            ("pause_on_fatal_parse_error", .string(String(j.pauseOnFatalParseError))),
        ]
        if j.format == .csv {
            pairs += [("trim_space", .string(String(j.trimSpace))), ("enclose", .string(String(j.enclose))), ("escape", .string(String(j.escape)))]
        }
        if let m = j.mergeCondition { pairs.append(("merge_condition", .string(m))) }
        return object(pairs)
    }

    static func dataSourceProperties(_ job: RoutineLoadJob) -> String {
        let s = job.definition.source
        var pairs: [(String, JSON)] = [
            ("topic", .string(s.topic)),
            ("currentKafkaPartitions", .string((job.currentPartitions.isEmpty ? s.partitions ?? [] : job.currentPartitions).sorted().map(String.init).joined(separator: ","))),
            ("brokerList", .string(s.brokerList)),
        ]
        if let url = s.schemaRegistryURL { pairs.append(("confluent.schema.registry.url", .string(withoutCredentials(url)))) }
        return object(pairs)
    }

    static func customProperties(_ job: RoutineLoadJob) -> String {
        object(job.definition.source.customProperties.map { p in
            let secret = KafkaPropertyPolicy.isSecret(p.key)
            return (p.key, .string(secret ? "******" : p.value))
        })
    }

    /// Statistic in the seed's key order; numbers, not strings; then `partitionLagTime` (StarRocks 3.3+), each partition's
    /// lag in seconds.
    static func statistic(_ s: RoutineLoadStatistics, lag: [PartitionLag]) -> String {
        var pairs: [(String, JSON)] = [("receivedBytes", s.receivedBytes), ("errorRows", s.errorRows), ("committedTaskNum", s.committedTaskNum),
                ("loadedRows", s.loadedRows), ("loadRowsRate", s.loadRowsRate), ("abortedTaskNum", s.abortedTaskNum),
                ("totalRows", s.totalRows), ("unselectedRows", s.unselectedRows), ("receivedBytesRate", s.receivedBytesRate),
                ("taskExecuteTimeMs", s.taskExecuteTimeMs)].map { ($0.0, JSON.number($0.1)) }
        if !lag.isEmpty { pairs.append(("partitionLagTime", .raw(object(lag.map { (String($0.partition), .number($0.seconds)) })))) }
        return object(pairs)
    }

    /// Progress as StarRocks shows it: the last consumed offset (next − 1), OFFSET_ZERO when nothing was consumed
    /// from offset 0; before the first scheduling round, the custom partitions' start positions
    /// (OFFSET_BEGINNING / OFFSET_END / offset − 1).
    static func progress(_ job: RoutineLoadJob) -> [(String, String)] {
        if !job.progress.isEmpty {
            return job.progress.keys.sorted().map { p in
                let next = job.progress[p]!
                return (String(p), next == 0 ? "OFFSET_ZERO" : String(next - 1))
            }
        }
        let s = job.definition.source
        guard let partitions = s.partitions else { return [] }
        return partitions.enumerated().map { i, p in
            let start = s.offsets?[i] ?? s.defaultOffset ?? .end
            switch start {
            case .beginning: return (String(p), "OFFSET_BEGINNING")
            case .end: return (String(p), "OFFSET_END")
            case .offset(0): return (String(p), "OFFSET_ZERO")
            case .offset(let n): return (String(p), String(n - 1))
            case .time(let t): return (String(p), t)
            }
        }
    }

    /// Per partition, the messages not consumed yet: LatestSourcePosition − the next offset to consume, so a caught-up
    /// job shows 0 (StarRocks subtracts the last consumed offset and shows 1); `unknown` while the brokers cannot be
    /// reached; `null` before the job knows its offsets.
    static func offsetLag(_ job: RoutineLoadJob, lag: [PartitionLag], unreachable: Bool) -> String {
        guard !job.progress.isEmpty else { return "null" }
        return object(lag.map { (String($0.partition), unreachable ? .string("unknown") : .number($0.messages)) })
    }

    /// A registry URL as SHOW prints it: `http://key:******@host:8081` (the secret masked, the key kept so users can
    /// tell which credentials a job has).
    static func withoutCredentials(_ url: String) -> String {
        guard let scheme = url.range(of: "://"), let at = url.lastIndex(of: "@"), at > scheme.upperBound else { return url }
        let userInfo = url[scheme.upperBound..<at]
        let user = userInfo.split(separator: ":", maxSplits: 1).first.map(String.init) ?? ""
        return String(url[..<scheme.upperBound]) + user + ":******" + String(url[at...])
    }

    /// SHOW CREATE ROUTINE LOAD (reference §4.6).
    static func createStatement(_ job: RoutineLoadJob) -> String {
        let d = job.definition, j = d.job, s = d.source
        var text = "CREATE ROUTINE LOAD \(job.databaseName).\(job.name) on \(job.tableName)"
        var clauses: [String] = []
        if let sep = d.load.columnSeparator { clauses.append("COLUMNS TERMINATED BY '\(sep)'") }
        if let rows = d.load.rowDelimiter { clauses.append("ROWS TERMINATED BY '\(rows)'") }
        if d.load.columns != nil { clauses.append("COLUMNS (\(columnText(d.load.columns).replacingOccurrences(of: ",", with: ", ")))") }
        if let p = d.load.partitions { clauses.append("\(d.load.temporaryPartitions ? "TEMPORARY " : "")PARTITION(\(p.joined(separator: ", ")))") }
        if let w = d.load.whereClause { clauses.append("WHERE \((try? Parser.parseExpression(w).sql) ?? w)") }
        if !clauses.isEmpty { text += "\n" + clauses.joined(separator: ",\n") }
        var props: [(String, String)] = [
            ("desired_concurrent_number", String(j.desiredConcurrentNumber)), ("max_error_number", String(j.maxErrorNumber)),
            ("max_filter_ratio", String(j.maxFilterRatio)), ("max_batch_interval", String(j.maxBatchInterval)),
            ("max_batch_rows", String(j.maxBatchRows)), ("task_consume_second", String(j.taskConsumeSecond)),
            ("task_timeout_second", String(j.taskTimeoutSecond)), ("format", j.format.rawValue), ("jsonpaths", j.jsonpaths),
            ("strip_outer_array", String(j.stripOuterArray)), ("json_root", j.jsonRoot), ("strict_mode", String(j.strictMode)),
            ("pause_on_fatal_parse_error", String(j.pauseOnFatalParseError)), ("timezone", j.timezone),
            ("partial_update", String(j.partialUpdate)),
        ]
        if let m = j.mergeCondition { props.append(("merge_condition", m)) }
        props.append(("trim_space", String(j.trimSpace)))
        props.append(("enclose", String(j.enclose)))
        props.append(("escape", String(j.escape)))
        props.append(("log_rejected_record_num", String(j.logRejectedRecordNum)))
        text += "\nPROPERTIES\n(\n" + props.map { "\"\($0.0)\"=\"\(escaped($0.1))\"" }.joined(separator: ",\n") + "\n)"
        var source: [(String, String)] = [("kafka_broker_list", s.brokerList), ("kafka_topic", s.topic)]
        if let p = s.partitions {
            source.append(("kafka_partitions", p.sorted().map(String.init).joined(separator: ",")))
            if let o = s.offsets { source.append(("kafka_offsets", o.map(offsetText).joined(separator: ","))) }
        }
        if let url = s.schemaRegistryURL { source.append(("confluent.schema.registry.url", withoutCredentials(url))) }
        for p in s.customProperties where !(p.key == "group.id" && s.groupIDGenerated) {
            let secret = KafkaPropertyPolicy.isSecret(p.key)
            source.append(("property." + p.key, secret ? "******" : p.value))
        }
        text += "\nFROM KAFKA\n(\n" + source.map { "\"\($0.0)\"=\"\(escaped($0.1))\"" }.joined(separator: ",\n") + "\n);"
        return text
    }

    static func offsetText(_ o: KafkaOffset) -> String {
        switch o {
        case .beginning: return "OFFSET_BEGINNING"
        case .end: return "OFFSET_END"
        case .offset(let n): return String(n)
        case .time(let t): return t
        }
    }

    private static func escaped(_ s: String) -> String { s.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"") }

    // MARK: - JSON with a fixed key order

    enum JSON { case string(String), number(Int64), raw(String) }

    static func object(_ pairs: [(String, JSON)]) -> String {
        // Written as UTF-8 bytes, one String at the end: a cold SHOW of ten thousand jobs writes a few hundred thousand
        // of these pairs, and appending to a String cost several times more per piece.
        var out: [UInt8] = [0x7B]
        out.reserveCapacity(48 * pairs.count + 2)
        for (i, (k, v)) in pairs.enumerated() {
            if i > 0 { out.append(0x2C) }
            JSONString.append(quoted: k, to: &out)
            out.append(0x3A)
            switch v {
            case .string(let s): JSONString.append(quoted: s, to: &out)
            case .number(let n): out.append(contentsOf: String(n).utf8)
            case .raw(let json): out.append(contentsOf: json.utf8)
            }
        }
        out.append(0x7D)
        return String(decoding: out, as: UTF8.self)
    }
}
