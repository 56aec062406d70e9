/// `conf/cn.conf` in StarRocks' `key = value` format. Unknown keys are warnings, never failures.
public struct ComputeNodeConfig: Equatable, Sendable {
    /// The port the FE's ALTER SYSTEM ADD COMPUTE NODE names; it serves the whole node API.
    public var heartbeatServicePort = 9050
    /// Where the node keeps its error logs.
    public var storageRootPath = "cn_storage"
    public var bindAddress = "0.0.0.0"
    public var taskSlots = 16
    public var sysLogLevel = "INFO"

    public init() {}

    public static func parse(_ text: String) -> (ComputeNodeConfig, [String]) {
        var config = ComputeNodeConfig()
        var warnings: [String] = []
        for (n, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = raw.trimmingCharacters(in: " \t\r")
            if line.isEmpty || line.hasPrefix("#") { continue }
            guard let eq = line.firstIndex(of: "=") else { warnings.append("cn.conf line \(n + 1): expected 'key = value'"); continue }
            let key = line[..<eq].trimmingCharacters(in: " \t")
            let value = line[line.index(after: eq)...].trimmingCharacters(in: " \t\"")
            switch key {
            case "heartbeat_service_port":
                if let v = Int(value), (1...65535).contains(v) { config.heartbeatServicePort = v } else { warnings.append("cn.conf line \(n + 1): bad port '\(value)'") }
            case "storage_root_path": config.storageRootPath = value
            case "bind_address": config.bindAddress = value
            case "max_routine_load_task_num_per_be", "task_slots":
                if let v = Int(value), v > 0 { config.taskSlots = v } else { warnings.append("cn.conf line \(n + 1): bad slot count '\(value)'") }
            case "sys_log_level": config.sysLogLevel = value.uppercased()
            default: warnings.append("cn.conf line \(n + 1): unknown key '\(key)' ignored")
            }
        }
        return (config, warnings)
    }
}

extension StringProtocol {
    func trimmingCharacters(in set: String) -> String {
        let chars = Set(set)
        let s = drop { chars.contains($0) }
        return String(s.dropLast(s.reversed().prefix { chars.contains($0) }.count))
    }
}
