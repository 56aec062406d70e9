/// `conf/cn.conf` in StarRocks' `key = value` format. Unknown keys are warnings; a known key with an invalid value
/// is an error, so a typo never starts a node on a default the operator did not ask for.
public struct ComputeNodeConfig: Equatable, Sendable {
    /// The port the FE's ALTER SYSTEM ADD COMPUTE NODE names; it serves the whole node API.
    public var heartbeatServicePort = 9050
    /// The node's own directory: segments (`db<d>/t<t>/txn<x>.seg`) and error logs are written under it and nowhere
    /// else. Until S3 volumes exist it must be the FE's storage volume, shared with the FE.
    public var storageRootPath = "cn_storage"
    public var bindAddress = "0.0.0.0"
    public var taskSlots = 16
    public var sysLogLevel = "INFO"
    /// The secret the FE signs its requests with (fe.conf `cluster_token`, or the FE's `<meta_dir>/cluster_token`).
    public var clusterToken = ""
    /// Seconds SIGTERM/SIGINT waits for running tasks and the FE's collection of their reports.
    public var shutdownGraceSeconds = 10

    public init() {}

    public struct Invalid: Error, CustomStringConvertible {
        public var description: String
    }

    /// Parses cn.conf text: the config and warnings, or the first invalid value.
    public static func parse(_ text: String) throws(Invalid) -> (ComputeNodeConfig, [String]) {
        var config = ComputeNodeConfig()
        var warnings: [String] = []
        for (n, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = raw.trimmingCharacters(in: " \t\r")
            if line.isEmpty || line.hasPrefix("#") { continue }
            guard let eq = line.firstIndex(of: "=") else { throw Invalid(description: "cn.conf line \(n + 1): expected 'key = value'") }
            let key = line[..<eq].trimmingCharacters(in: " \t")
            let value = line[line.index(after: eq)...].trimmingCharacters(in: " \t\"")
            func bad(_ what: String) -> Invalid { Invalid(description: "cn.conf line \(n + 1): \(key) must be \(what), got '\(value)'") }
            switch key {
            case "heartbeat_service_port":
                guard let v = Int(value), (1...65535).contains(v) else { throw bad("a port number (1-65535)") }
                config.heartbeatServicePort = v
            case "storage_root_path":
                guard !value.isEmpty else { throw bad("a directory") }
                config.storageRootPath = value
            case "bind_address":
                guard isIPv4(value) else { throw bad("an IPv4 address") }
                config.bindAddress = value
            case "max_routine_load_task_num_per_be", "task_slots":
                guard let v = Int(value), (1...4096).contains(v) else { throw bad("a slot count (1-4096)") }
                config.taskSlots = v
            case "sys_log_level":
                guard ["TRACE", "DEBUG", "INFO", "NOTICE", "WARN", "WARNING", "ERROR", "CRITICAL"].contains(value.uppercased()) else {
                    throw bad("DEBUG, INFO, WARN or ERROR")
                }
                config.sysLogLevel = value.uppercased() == "WARN" ? "WARNING" : value.uppercased()
            case "cluster_token": config.clusterToken = value
            case "shutdown_grace_second":
                guard let v = Int(value), (0...3600).contains(v) else { throw bad("an integer from 0 to 3600") }
                config.shutdownGraceSeconds = v
            default: warnings.append("cn.conf line \(n + 1): unknown key '\(key)' ignored")
            }
        }
        return (config, warnings)
    }

    static func isIPv4(_ s: String) -> Bool {
        let parts = s.split(separator: ".", omittingEmptySubsequences: false)
        return parts.count == 4 && parts.allSatisfy { p in p.count <= 3 && !p.isEmpty && p.allSatisfy { $0.isASCII && $0.isNumber } && (Int(p) ?? 256) <= 255 }
    }
}

extension StringProtocol {
    func trimmingCharacters(in set: String) -> String {
        let chars = Set(set)
        let s = drop { chars.contains($0) }
        return String(s.dropLast(s.reversed().prefix { chars.contains($0) }.count))
    }
}
