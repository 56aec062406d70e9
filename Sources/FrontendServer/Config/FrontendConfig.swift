import SQLParser

/// `conf/fe.conf`: StarRocks' `key = value` format with `#` comments. Parsing is pure; unknown keys
/// and ignored keys produce warnings, never failures, so a StarRocks fe.conf can be reused as is.
public struct FrontendConfig: Equatable, Sendable {
    public var queryPort = 9030
    public var httpPort = 8030
    public var metaDir = "meta"
    /// Root of the builtin local storage volume; empty means `<meta_dir>/storage`.
    public var storageRootPath = ""
    public var sysLogLevel = "INFO"
    /// Address the MySQL listener binds to.
    public var bindAddress = "0.0.0.0"
    /// Version reported in the greeting and `@@version`; clients change behaviour by it (reference §6).
    public var mysqlServerVersion = "8.0.33"
    public var qeMaxConnection = 4096
    /// Seconds a client has to finish the handshake.
    public var connectTimeoutSeconds = 10
    /// TLS for MySQL clients (SSLRequest). With no certificate configured, a self-signed one is generated.
    /// Seconds between routine-load scheduler rounds (StarRocks: routine_load_scheduler_interval_millisecond, 10 s).
    public var routineLoadSchedulerIntervalSeconds = 10
    /// Run a compute node inside the FE, so `tributary-fe` alone loads data.
    public var embeddedComputeNode = true
    /// Per-job task cap (StarRocks: max_routine_load_task_concurrent_num, 5).
    public var maxRoutineLoadTaskConcurrentNum = 5
    /// Task slots per compute node (StarRocks: max_routine_load_task_num_per_be, 16).
    public var maxRoutineLoadTaskNumPerBe = 16
    /// Bytes one task consumes at most (StarRocks: max_routine_load_batch_size, 4 GB).
    public var maxRoutineLoadBatchSize: Int64 = 4_294_967_296
    /// Seconds between heartbeats to compute nodes (StarRocks: heartbeat_timeout_second, 5).
    public var heartbeatIntervalSeconds = 5
    public var enableSSL = true
    public var sslCertPath = ""
    public var sslKeyPath = ""

    public init() {}

    /// The storage volume root actually used.
    public var volumeRoot: String { storageRootPath.isEmpty ? metaDir + "/storage" : storageRootPath }

    /// Keys accepted with a warning because they do not apply to Tributary.
    static let ignoredKeys: Set<String> = [
        "priority_networks", "rpc_port", "edit_log_port", "JAVA_OPTS", "JAVA_OPTS_FOR_JDK_9", "JAVA_OPTS_FOR_JDK_11",
        "LOG_DIR", "DATE", "sys_log_dir", "audit_log_dir", "run_mode", "cloud_native_meta_port", "default_replication_num",
    ]

    /// Parses fe.conf text. Returns the config and human-readable warnings (with line numbers).
    public static func parse(_ text: String, base: FrontendConfig = FrontendConfig()) -> (FrontendConfig, [String]) {
        var config = base
        var warnings: [String] = []
        for (n, rawLine) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = String(rawLine).trimmed
            if line.isEmpty || line.hasPrefix("#") { continue }
            guard let eq = line.firstIndex(of: "=") else {
                warnings.append("fe.conf line \(n + 1): expected 'key = value', ignored: \(line)")
                continue
            }
            let key = String(line[..<eq]).trimmed
            var value = String(line[line.index(after: eq)...]).trimmed
            if value.count >= 2, value.first == "\"", value.last == "\"" { value = String(value.dropFirst().dropLast()) }
            func int(_ apply: (Int) -> Void) {
                if let v = Int(value), v >= 0 { apply(v) } else { warnings.append("fe.conf line \(n + 1): \(key) must be a non-negative integer, got '\(value)'; keeping the default") }
            }
            func bool(_ apply: (Bool) -> Void) {
                switch value.lowercased() {
                case "true": apply(true)
                case "false": apply(false)
                default: warnings.append("fe.conf line \(n + 1): \(key) must be true or false, got '\(value)'; keeping the default")
                }
            }
            switch key {
            case "query_port": int { config.queryPort = $0 }
            case "http_port": int { config.httpPort = $0 }
            case "meta_dir": config.metaDir = value
            case "storage_root_path": config.storageRootPath = value
            case "sys_log_level": config.sysLogLevel = value.uppercased()
            case "bind_address": config.bindAddress = value
            case "mysql_server_version": config.mysqlServerVersion = value
            case "qe_max_connection": int { config.qeMaxConnection = $0 }
            case "connect_timeout_second": int { config.connectTimeoutSeconds = $0 }
            case "routine_load_scheduler_interval_second": int { config.routineLoadSchedulerIntervalSeconds = max(1, $0) }
            case "embedded_compute_node": bool { config.embeddedComputeNode = $0 }
            case "max_routine_load_task_concurrent_num": int { config.maxRoutineLoadTaskConcurrentNum = max(1, $0) }
            case "max_routine_load_task_num_per_be": int { config.maxRoutineLoadTaskNumPerBe = max(1, $0) }
            case "max_routine_load_batch_size": int { config.maxRoutineLoadBatchSize = Int64(max(1, $0)) }
            case "heartbeat_timeout_second": int { config.heartbeatIntervalSeconds = max(1, $0) }
            case "enable_ssl": bool { config.enableSSL = $0 }
            case "ssl_cert_path": config.sslCertPath = value
            case "ssl_key_path": config.sslKeyPath = value
            default:
                if ignoredKeys.contains(key) {
                    warnings.append("fe.conf line \(n + 1): \(key) is ignored by Tributary")
                } else {
                    warnings.append("fe.conf line \(n + 1): unknown key '\(key)' ignored")
                }
            }
        }
        return (config, warnings)
    }
}
