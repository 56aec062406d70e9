import SQLParser

/// `conf/fe.conf`: StarRocks' `key = value` format with `#` comments. Parsing is pure; unknown keys
/// and ignored keys produce warnings, so a StarRocks fe.conf can be reused as is, while a known key with an
/// invalid value stops the start with the line at fault.
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
    /// A RUNNING job whose partition has been behind longer than this shows UNSTABLE (StarRocks' default, 3600).
    public var routineLoadUnstableThresholdSecond = 3600
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
    /// Shared secret that authenticates the FE to `tributary-cn` nodes (cn.conf's `cluster_token` must match).
    /// Empty: the FE uses `<meta_dir>/cluster_token`, generated at first start.
    public var clusterToken = ""
    /// Failed logins in a row, per user and client host, after which that user's logins from that host are refused for
    /// `password_lock_interval_seconds` (MySQL's FAILED_LOGIN_ATTEMPTS / PASSWORD_LOCK_TIME). 0 turns the lockout off.
    public var maxFailedLoginAttempts = 5
    public var passwordLockIntervalSeconds = 300
    public var enableSSL = true
    /// The web dashboard on http_port (basic auth with MySQL accounts).
    public var httpDashboard = true
    /// PAUSE/RESUME buttons on the dashboard, for users whose grants allow them; false makes it read-only.
    public var httpDashboardOperations = true
    /// /metrics asks for MySQL credentials (basic auth) like the dashboard; off by default, as StarRocks' /metrics,
    /// so a Prometheus scraper needs no password. It shows counts, job names and lag, never data or secrets.
    public var metricsRequireAuth = false
    /// Accept HTTP basic credentials from hosts other than loopback. The HTTP port is plain HTTP, so they travel in clear
    /// text: off by default (an SSH tunnel, or a lab on one machine).
    public var httpRemoteBasicAuth = false
    /// Host names (besides IP addresses and `localhost`) the authenticated HTTP routes answer; `*` for any.
    public var httpAllowedHosts: [String] = []
    /// Seconds a SIGTERM/SIGINT waits for running tasks to finish before aborting them (StarRocks has no equivalent).
    public var shutdownGraceSeconds = 10
    public var sslCertPath = ""
    public var sslKeyPath = ""
    /// `run_mode` and the builtin storage volume's `aws_s3_*` settings.
    public var sharedData = SharedDataConfig()

    public init() {}

    /// The storage volume root actually used.
    public var volumeRoot: String { storageRootPath.isEmpty ? metaDir + "/storage" : storageRootPath }

    /// Keys accepted with a warning because they do not apply to Tributary.
    static let ignoredKeys: Set<String> = [
        "priority_networks", "rpc_port", "edit_log_port", "JAVA_OPTS", "JAVA_OPTS_FOR_JDK_9", "JAVA_OPTS_FOR_JDK_11",
        "LOG_DIR", "DATE", "sys_log_dir", "audit_log_dir", "cloud_native_meta_port", "default_replication_num",
    ]

    /// A known key with a value it cannot take, or a line that is not `key = value`: the FE does not start.
    public struct Invalid: Error, Equatable, CustomStringConvertible {
        public var description: String
    }

    /// Parses fe.conf text. Returns the config and human-readable warnings (with line numbers) for unknown and
    /// ignored keys; throws for a known key with an invalid value, so a typo never starts the FE on a default.
    public static func parse(_ text: String, base: FrontendConfig = FrontendConfig()) throws(Invalid) -> (FrontendConfig, [String]) {
        var config = base
        var warnings: [String] = []
        for (n, rawLine) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = String(rawLine).trimmed
            if line.isEmpty || line.hasPrefix("#") { continue }
            guard let eq = line.firstIndex(of: "=") else {
                throw Invalid(description: "fe.conf line \(n + 1): expected 'key = value', got '\(line.prefix(80))'")
            }
            let key = String(line[..<eq]).trimmed
            var value = String(line[line.index(after: eq)...]).trimmed
            if value.count >= 2, value.first == "\"", value.last == "\"" { value = String(value.dropFirst().dropLast()) }
            func bad(_ what: String) -> Invalid { Invalid(description: "fe.conf line \(n + 1): \(key) must be \(what), got '\(value.prefix(80))'") }
            func int(_ range: ClosedRange<Int>, _ apply: (Int) -> Void) throws(Invalid) {
                guard let v = Int(value), range.contains(v) else {
                    throw bad(range.upperBound == Int.max ? "an integer >= \(range.lowerBound)" : "an integer from \(range.lowerBound) to \(range.upperBound)")
                }
                apply(v)
            }
            func bool(_ apply: (Bool) -> Void) throws(Invalid) {
                switch value.lowercased() {
                case "true": apply(true)
                case "false": apply(false)
                default: throw bad("true or false")
                }
            }
            func text(_ apply: (String) -> Void) throws(Invalid) {
                guard !value.isEmpty else { throw bad("set") }
                apply(value)
            }
            switch key {
            case "query_port": try int(0...65535) { config.queryPort = $0 }
            case "http_port": try int(1...65535) { config.httpPort = $0 }
            case "meta_dir": try text { config.metaDir = $0 }
            case "storage_root_path": config.storageRootPath = value
            case "sys_log_level":
                guard logLevels.contains(value.uppercased()) else { throw bad("DEBUG, INFO, WARN or ERROR") }
                config.sysLogLevel = value.uppercased() == "WARN" ? "WARNING" : value.uppercased()
            case "bind_address":
                guard isIPv4(value) else { throw bad("an IPv4 address") }
                config.bindAddress = value
            case "mysql_server_version": try text { config.mysqlServerVersion = $0 }
            case "qe_max_connection": try int(1...1_000_000) { config.qeMaxConnection = $0 }
            case "connect_timeout_second": try int(1...86_400) { config.connectTimeoutSeconds = $0 }
            case "routine_load_scheduler_interval_second": try int(1...86_400) { config.routineLoadSchedulerIntervalSeconds = $0 }
            case "routine_load_unstable_threshold_second": try int(1...Int.max) { config.routineLoadUnstableThresholdSecond = $0 }
            case "embedded_compute_node": try bool { config.embeddedComputeNode = $0 }
            case "max_routine_load_task_concurrent_num": try int(1...1024) { config.maxRoutineLoadTaskConcurrentNum = $0 }
            case "max_routine_load_task_num_per_be": try int(1...4096) { config.maxRoutineLoadTaskNumPerBe = $0 }
            case "max_routine_load_batch_size": try int(1...Int.max) { config.maxRoutineLoadBatchSize = Int64($0) }
            case "heartbeat_timeout_second": try int(1...3600) { config.heartbeatIntervalSeconds = $0 }
            case "enable_ssl": try bool { config.enableSSL = $0 }
            case "http_dashboard": try bool { config.httpDashboard = $0 }
            case "http_dashboard_operations": try bool { config.httpDashboardOperations = $0 }
            case "metrics_require_auth": try bool { config.metricsRequireAuth = $0 }
            case "http_remote_basic_auth": try bool { config.httpRemoteBasicAuth = $0 }
            case "http_allowed_hosts": config.httpAllowedHosts = value.split(separator: ",").map { String($0).trimmed }.filter { !$0.isEmpty }
            case "shutdown_grace_second": try int(0...3600) { config.shutdownGraceSeconds = $0 }
            case "max_failed_login_attempts": try int(0...1_000_000) { config.maxFailedLoginAttempts = $0 }
            case "password_lock_interval_seconds": try int(1...31_536_000) { config.passwordLockIntervalSeconds = $0 }
            case "ssl_cert_path": config.sslCertPath = value
            case "ssl_key_path": config.sslKeyPath = value
            case "cluster_token":
                guard value.isEmpty || value.utf8.count >= 16 else {
                    throw Invalid(description: "fe.conf line \(n + 1): cluster_token must be at least 16 characters (or empty for a generated one)")
                }
                config.clusterToken = value
            default:
                if try config.sharedData.apply(key, value, bad: bad) { continue }
                if ignoredKeys.contains(key) {
                    warnings.append("fe.conf line \(n + 1): \(key) is ignored by Tributary")
                } else {
                    warnings.append("fe.conf line \(n + 1): unknown key '\(key)' ignored")
                }
            }
        }
        return (config, warnings)
    }

    static let logLevels: Set<String> = ["TRACE", "DEBUG", "INFO", "NOTICE", "WARN", "WARNING", "ERROR", "CRITICAL"]

    static func isIPv4(_ s: String) -> Bool {
        let parts = s.split(separator: ".", omittingEmptySubsequences: false)
        return parts.count == 4 && parts.allSatisfy { p in p.count <= 3 && !p.isEmpty && p.allSatisfy { $0.isASCII && $0.isNumber } && (Int(p) ?? 256) <= 255 }
    }
}
