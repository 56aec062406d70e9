import Kafka
import SQLParser

/// ALTER ROUTINE LOAD on a PAUSED job (reference routine_load.md §5): load properties replace the stored
/// ones, the alterable job properties are re-validated, and the source's partitions, offsets and
/// `property.*` keys are updated.
extension RoutineLoadDefinition {
    static let alterableJobKeys: Set<String> = [
        "desired_concurrent_number", "max_error_number", "max_filter_ratio", "max_batch_interval", "max_batch_rows", "max_batch_size",
        "jsonpaths", "json_root", "strip_outer_array", "task_timeout_second", "task_consume_second", "strict_mode", "timezone",
        "pause_on_fatal_parse_error",
    ]

    public mutating func alter(load: RoutineLoadProperties, properties: [Property], source: [Property]) throws(RoutineLoadError) {
        if let v = load.columnSeparator { self.load.columnSeparator = v }
        if let v = load.rowDelimiter { self.load.rowDelimiter = v }
        if let v = load.columns { self.load.columns = v }
        if let v = load.whereClause { self.load.whereClause = v }
        if let v = load.partitions { self.load.partitions = v; self.load.temporaryPartitions = load.temporaryPartitions }
        for p in properties where !Self.alterableJobKeys.contains(p.key.lowercased()) { throw .invalid("\(p.key) is invalid property") }
        for p in properties {
            switch p.key.lowercased() {
            case "task_consume_second", "task_timeout_second":
                guard let n = Int(p.value.trimmed) else { throw .invalid("Incorrect format of \(p.key.lowercased())") }
                guard n > 0 else { throw .invalid("\(p.key.lowercased()) must be greater than 0") }
            case "max_batch_rows":
                guard let n = Int(p.value.trimmed), n >= 200_000 else { throw .invalid("max_batch_rows should > 200000") }
            default: break
            }
        }
        // Re-validate with the stored values as the base, the way CREATE would.
        var merged = storedProperties()
        for p in properties { merged[p.key.lowercased()] = p.value }
        let consume = properties.first { $0.key.lowercased() == "task_consume_second" }
        let timeout = properties.first { $0.key.lowercased() == "task_timeout_second" }
        if consume == nil, timeout != nil { merged.removeValue(forKey: "task_consume_second") }
        if timeout == nil, consume != nil { merged.removeValue(forKey: "task_timeout_second") }
        job = try Self.jobProperties(merged.map { Property($0.key, $0.value) }, sessionTimeZone: job.timezone)
        try alterSource(source)
    }

    private func storedProperties() -> [String: String] {
        var m: [String: String] = [
            "desired_concurrent_number": String(job.desiredConcurrentNumber), "max_batch_interval": String(job.maxBatchInterval),
            "max_batch_rows": String(job.maxBatchRows), "max_error_number": String(job.maxErrorNumber),
            "max_filter_ratio": String(job.maxFilterRatio), "strict_mode": String(job.strictMode), "timezone": job.timezone,
            "partial_update": String(job.partialUpdate), "format": job.format.rawValue, "jsonpaths": job.jsonpaths, "json_root": job.jsonRoot,
            "strip_outer_array": String(job.stripOuterArray), "trim_space": String(job.trimSpace),
            "log_rejected_record_num": String(job.logRejectedRecordNum), "task_consume_second": String(job.taskConsumeSecond),
            "task_timeout_second": String(job.taskTimeoutSecond), "pause_on_fatal_parse_error": String(job.pauseOnFatalParseError),
        ]
        if let c = job.mergeCondition { m["merge_condition"] = c }
        if job.enclose != 0 { m["enclose"] = String(UnicodeScalar(job.enclose)) }
        if job.escape != 0 { m["escape"] = String(UnicodeScalar(job.escape)) }
        return m
    }

    private mutating func alterSource(_ props: [Property]) throws(RoutineLoadError) {
        var partitions: [Int32]?, offsets: [KafkaOffset]?
        for p in props {
            switch p.key {
            case "kafka_partitions":
                partitions = try p.value.split(separator: ",").map { (s) throws(RoutineLoadError) -> Int32 in
                    guard let v = Int32(String(s).trimmed), v >= 0 else {
                        throw .invalid("Invalid kafka partition: '\(String(s).trimmed)'. Expected values should be an integer")
                    }
                    return v
                }
            case "kafka_offsets":
                offsets = try p.value.split(separator: ",").map { (s) throws(RoutineLoadError) -> KafkaOffset in try KafkaOffset.parse(String(s)) }
            case "confluent.schema.registry.url": source.schemaRegistryURL = try Self.registryURL(p.value)
            default:
                guard p.key.hasPrefix("property.") else { throw .invalid("\(p.key) is invalid kafka custom property") }
                let key = String(p.key.dropFirst("property.".count))
                guard !key.isEmpty, !p.value.isEmpty else { throw .invalid("kafka property value could not be a empty string") }
                if let refusal = KafkaPropertyPolicy.refusal(key: key, value: p.value) ?? KafkaPropertyPolicy.fileRefusal([(key, p.value)]) {
                    throw .invalid(refusal)
                }
                if key == "kafka_default_offsets" { source.defaultOffset = try KafkaOffset.parse(p.value) }
                if let i = source.customProperties.firstIndex(where: { $0.key == key }) {
                    source.customProperties[i].value = p.value
                } else {
                    source.customProperties.append(Property(key, p.value))
                }
                if key == "group.id" { source.groupIDGenerated = false }
            }
        }
        switch (partitions, offsets) {
        case (nil, nil): return
        case (_?, nil): throw .invalid("Partition and offset must be specified at the same time")
        case (nil, _?): throw .invalid("Missing kafka partition info")
        case let (ps?, os?):
            guard ps.count == os.count else { throw .invalid("Partitions number should be equals to offsets number") }
            if let custom = source.partitions {
                for p in ps where !custom.contains(p) { throw .invalid("The specified partition \(p) is not in the custom partitions") }
                var offs = source.offsets ?? custom.map { _ in source.defaultOffset ?? .end }
                for (p, o) in zip(ps, os) { offs[custom.firstIndex(of: p)!] = o }
                source.offsets = offs
            } else {
                source.partitions = ps
                source.offsets = os
            }
        }
    }
}
