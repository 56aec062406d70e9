import TaskContract
import Kafka
import SQLParser

/// CREATE ROUTINE LOAD analysis in StarRocks' order and with its texts: name, job properties, then the
/// data source (reference routine_load.md §1.2–1.5). Pure; object checks (db, table) are the caller's.
extension RoutineLoadDefinition {
    static let jobKeys: Set<String> = [
        "desired_concurrent_number", "max_error_number", "max_filter_ratio", "max_batch_interval", "max_batch_rows", "max_batch_size",
        "pause_on_fatal_parse_error", "format", "jsonpaths", "strip_outer_array", "json_root", "strict_mode", "timezone",
        "partial_update", "merge_condition", "trim_space", "enclose", "escape", "log_rejected_record_num", "task_consume_second",
        "task_timeout_second",
    ]

    /// StarRocks' job-name rules: `^[a-zA-Z]\w{0,63}$|^_[a-zA-Z0-9]\w{0,62}$`, then the label regex `^[-\w]{1,128}$`.
    public static func checkName(_ name: String) throws(RoutineLoadError) {
        let chars = Array(name)
        func isWord(_ c: Character) -> Bool { c.isASCII && (c.isLetter || c.isNumber || c == "_") }
        let valid: Bool
        if let f = chars.first, f.isASCII, f.isLetter { valid = chars.count <= 64 && chars.allSatisfy(isWord) }
        else if chars.first == "_", chars.count >= 2, chars[1].isASCII, chars[1].isLetter || chars[1].isNumber { valid = chars.count <= 64 && chars.allSatisfy(isWord) }
        else { valid = false }
        guard valid else { throw .wrongName("Incorrect ROUTINE LOAD NAME name '\(name)'") }
    }

    public static func validate(_ stmt: CreateRoutineLoad, jobName: String, sessionTimeZone: String,
                                makeGroupID: () -> String) throws(RoutineLoadError) -> RoutineLoadDefinition {
        try checkName(jobName)
        let job = try jobProperties(stmt.properties, sessionTimeZone: sessionTimeZone)
        guard stmt.sourceType == "KAFKA" else { throw .invalid("routine load job does not support this type \(stmt.sourceType)") }
        let source = try kafka(stmt.sourceProperties, format: job.format, makeGroupID: makeGroupID)
        for (what, value) in [("column", stmt.load.columnSeparator), ("row", stmt.load.rowDelimiter)] {
            if let v = value, v.isEmpty { _ = what; throw .invalid("Delimiter cannot be empty or null") }
        }
        return RoutineLoadDefinition(load: stmt.load, job: job, source: source)
    }

    static func jobProperties(_ props: [Property], sessionTimeZone: String) throws(RoutineLoadError) -> RoutineLoadJobProperties {
        var j = RoutineLoadJobProperties()
        j.timezone = sessionTimeZone
        var values: [String: String] = [:]
        for p in props {
            let key = p.key.lowercased()
            guard jobKeys.contains(key) else { throw .invalid("\(p.key) is invalid property") }
            values[key] = p.value
        }
        func int(_ key: String, _ hint: String, _ ok: (Int) -> Bool) throws(RoutineLoadError) -> Int? {
            guard let v = values[key] else { return nil }
            guard let n = Int(v.trimmed), ok(n) else { throw .invalid(hint) }
            return n
        }
        func bool(_ key: String) -> Bool? { values[key].map { $0.trimmed.lowercased() == "true" } }
        if let n = try int("desired_concurrent_number", "desired_concurrent_number should > 0", { $0 > 0 }) { j.desiredConcurrentNumber = n }
        // Deliberate deviation: 1 second and up (StarRocks: ≥ 5).
        if let n = try int("max_batch_interval", "max_batch_interval should >= 1", { $0 >= 1 }) { j.maxBatchInterval = n }
        if let n = try int("max_batch_rows", "max_batch_rows should >= 200000", { $0 >= 200_000 }) { j.maxBatchRows = n }
        if let n = try int("max_error_number", "max_error_number should >= 0", { $0 >= 0 }) { j.maxErrorNumber = n }
        if let n = try int("log_rejected_record_num", "log_rejected_record_num should >= -1", { $0 >= -1 }) { j.logRejectedRecordNum = n }
        if let v = values["max_filter_ratio"] {
            guard let r = Double(v.trimmed) else { throw .invalid("Incorrect format of max_filter_ratio") }
            guard (0...1).contains(r) else { throw .invalid("max_filter_ratio must between 0.0 and 1.0.") }
            j.maxFilterRatio = r
        }
        if let v = values["format"] {
            guard let f = LoadFormat(rawValue: v.trimmed.lowercased()) else { throw .invalid("Format type is invalid. format=`\(v)`") }
            j.format = f
        }
        if let v = values["timezone"] {
            guard let tz = standardTimeZone(v) else { throw .invalid("Unknown or incorrect time zone: '\(v)'") }
            j.timezone = tz
        }
        j.strictMode = bool("strict_mode") ?? false
        j.partialUpdate = bool("partial_update") ?? false
        j.stripOuterArray = bool("strip_outer_array") ?? false
        j.trimSpace = bool("trim_space") ?? false
        j.pauseOnFatalParseError = bool("pause_on_fatal_parse_error") ?? false
        j.jsonpaths = values["jsonpaths"] ?? ""
        j.jsonRoot = values["json_root"] ?? ""
        j.mergeCondition = values["merge_condition"]
        if let e = values["enclose"] { guard let b = e.utf8.first else { throw .invalid("enclose can not be empty") }; j.enclose = b }
        if let e = values["escape"] { guard let b = e.utf8.first else { throw .invalid("escape can not be empty") }; j.escape = b }
        let consume = try values["task_consume_second"].map { (v) throws(RoutineLoadError) -> Int in
            guard let n = Int(v.trimmed) else { throw .invalid("For input string: \"\(v)\"") }; return n }
        let timeout = try values["task_timeout_second"].map { (v) throws(RoutineLoadError) -> Int in
            guard let n = Int(v.trimmed) else { throw .invalid("For input string: \"\(v)\"") }; return n }
        switch (consume, timeout) {
        case let (c?, t?):
            guard c < t else { throw .invalid("task_timeout_second must be larger than task_consume_second") }
            j.taskConsumeSecond = c; j.taskTimeoutSecond = t
        case let (c?, nil): j.taskConsumeSecond = c; j.taskTimeoutSecond = c * 4
        case let (nil, t?): j.taskTimeoutSecond = t; j.taskConsumeSecond = t / 4
        case (nil, nil): break
        }
        return j
    }

    /// IANA names as given; `+8:00` style offsets as `+08:00`.
    static func standardTimeZone(_ raw: String) -> String? {
        let v = raw.trimmed
        if v.uppercased() == "UTC" || v.uppercased() == "SYSTEM" { return v.uppercased() }
        if let sign = v.first, sign == "+" || sign == "-" {
            let parts = v.dropFirst().split(separator: ":")
            guard parts.count == 2, let h = Int(parts[0]), let m = Int(parts[1]), (0...14).contains(h), (0...59).contains(m) else { return nil }
            return "\(sign)\(h < 10 ? "0" : "")\(h):\(m < 10 ? "0" : "")\(m)"
        }
        return KnownTimeZones.isValid(v) ? v : nil
    }

    /// `http[s]://[key:secret@]host[:port][/path]`, checked when the job is created or altered (not first at a task).
    static func registryURL(_ raw: String) throws(RoutineLoadError) -> String {
        let v = raw.trimmed
        let lower = v.lowercased()
        guard lower.hasPrefix("http://") || lower.hasPrefix("https://") else {
            throw .invalid("confluent.schema.registry.url must be http[s]://[<key>:<secret>@]<host>[:<port>]")
        }
        let rest = v.drop { $0 != "/" }.dropFirst(2)
        let authority = rest.prefix { $0 != "/" }
        let host = authority.split(separator: "@").last.map(String.init) ?? ""
        guard !host.isEmpty, host.utf8.count <= 255, !v.contains(where: { $0.isWhitespace || $0 == "\\" }) else {
            throw .invalid("confluent.schema.registry.url must be http[s]://[<key>:<secret>@]<host>[:<port>]")
        }
        return v
    }

    static func kafka(_ props: [Property], format: LoadFormat, makeGroupID: () -> String) throws(RoutineLoadError) -> KafkaSource {
        var brokers: String?, topic: String?, partitionsText: String?, offsetsText: String?, registry: String?
        var custom: [Property] = []
        for p in props {
            switch p.key {
            case "kafka_broker_list": brokers = p.value.filter { $0 != " " }
            case "kafka_topic": topic = p.value.filter { $0 != " " }
            case "kafka_partitions": partitionsText = p.value
            case "kafka_offsets": offsetsText = p.value
            case "confluent.schema.registry.url": registry = try Self.registryURL(p.value)
            default:
                guard p.key.hasPrefix("property.") else { throw .invalid("\(p.key) is invalid kafka custom property") }
                let key = String(p.key.dropFirst("property.".count))
                guard !key.isEmpty, !p.value.isEmpty else { throw .invalid("kafka property value could not be a empty string") }
                if let refusal = KafkaPropertyPolicy.refusal(key: key, value: p.value) ?? KafkaPropertyPolicy.fileRefusal([(key, p.value)]) {
                    throw .invalid(refusal)
                }
                custom.append(Property(key, p.value))
            }
        }
        guard let brokers, !brokers.isEmpty else { throw .invalid("kafka_broker_list is a required property") }
        for b in brokers.split(separator: ",", omittingEmptySubsequences: false) where !isBroker(String(b)) {
            throw .invalid("kafka_broker_list: \(b) does not match pattern .*?\\[?([0-9a-zA-Z\\-%._:]*)\\]?:(\\d+)")
        }
        guard let topic, !topic.isEmpty else { throw .invalid("kafka_topic is a required property") }
        var partitions: [Int32]?
        if let text = partitionsText {
            guard !text.trimmed.isEmpty else { throw .invalid("kafka_partitions could not be a empty string") }
            partitions = try text.split(separator: ",", omittingEmptySubsequences: false).map { (s) throws(RoutineLoadError) -> Int32 in
                guard let p = Int32(String(s).trimmed) , p >= 0 else {
                    throw .invalid("Invalid kafka partition: '\(String(s).trimmed)'. Expected values should be an integer")
                }
                return p
            }
        }
        var offsets: [KafkaOffset]?
        if let text = offsetsText {
            guard !text.trimmed.isEmpty else { throw .invalid("kafka_offsets could not be a empty string") }
            let parsed = try text.split(separator: ",", omittingEmptySubsequences: false).map { (s) throws(RoutineLoadError) -> KafkaOffset in
                try KafkaOffset.parse(String(s)) }
            guard parsed.count == partitions?.count else { throw .invalid("Partitions number should be equals to offsets number") }
            offsets = parsed
        }
        var defaultOffset: KafkaOffset?
        if let d = custom.first(where: { $0.key == "kafka_default_offsets" }) { defaultOffset = try KafkaOffset.parse(d.value) }
        var generated = false
        if !custom.contains(where: { $0.key == "group.id" }) {
            custom.append(Property("group.id", makeGroupID()))
            generated = true
        }
        if format == .avro, registry == nil { throw .invalid("confluent.schema.registry.url is a required property") }
        return KafkaSource(brokerList: brokers, topic: topic, partitions: partitions, offsets: offsets, defaultOffset: defaultOffset,
                           customProperties: custom, groupIDGenerated: generated, schemaRegistryURL: registry)
    }

    /// `host:port` (or `[v6]:port`), as StarRocks' broker pattern accepts.
    static func isBroker(_ b: String) -> Bool {
        guard let colon = b.lastIndex(of: ":") else { return false }
        let port = b[b.index(after: colon)...]
        let host = b[..<colon].filter { $0 != "[" && $0 != "]" }
        return !port.isEmpty && port.allSatisfy(\.isNumber)
            && host.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || "-%._:".contains($0)) }
    }
}
