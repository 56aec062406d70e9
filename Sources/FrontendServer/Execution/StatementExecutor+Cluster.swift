import TaskContract
import CatalogStore
import Expressions
import Foundation
import SQLParser
import Storage

/// ALTER SYSTEM ADD/DROP COMPUTE NODE|BACKEND and SHOW COMPUTE NODES / BACKENDS / FRONTENDS
/// (reference catalog_sql.md §3). Registered nodes are kept in the catalog; liveness comes from heartbeats.
extension StatementExecutor {
    func executeCluster(_ statement: ClusterStatement) throws(SQLError) -> StatementResult {
        switch statement {
        case .addNodes(let kind, let hosts):
            try requireSystem("NODE")
            let parsed = try hosts.map { (h) throws(SQLError) -> (String, Int) in try Self.hostPort(h) }
            for (host, port) in parsed {
                // A duplicate is a DDL error: StarRocks sends its raw text.
                let record = try catalog { () throws -> ComputeNodeRecord in
                    do { return try server.catalog.addComputeNode(kind: kind.rawValue, host: host, port: port) } catch CatalogError.invalidDefinition(let m) {
                        throw SQLError.ddl(m)
                    }
                }
                server.loads.register(record)
            }
            return .ok(affectedRows: 0, info: "")
        case .dropNodes(let kind, let hosts):
            try requireSystem("NODE")
            let parsed = try hosts.map { (h) throws(SQLError) -> (String, Int) in try Self.hostPort(h) }
            for (host, port) in parsed {
                guard let record = try catalog({ try server.catalog.dropComputeNode(kind: kind.rawValue, host: host, port: port) }) else {
                    throw .ddl(kind == .backend ? "backend does not exists[\(host):\(port)]" : "compute node does not exists[\(host):\(port)]")
                }
                server.loads.unregister(record.id)
            }
            return .ok(affectedRows: 0, info: "")
        case .showNodes(let kind):
            try requireSystem("NODE")
            let nodes = server.loads.nodes.all.filter { $0.kind == kind.rawValue }
            return .rows(kind == .backend ? Self.backendRows(nodes) : Self.computeNodeRows(nodes))
        case .showFrontends:
            try requireSystem("NODE")
            return .rows(frontendRows())
        case .showFrontendConfig(let like):
            try requireSystem("OPERATE")
            let pattern = like.map { LikePattern($0) }
            let rows: [[Value]] = server.config.shownEntries.filter { pattern?.matches($0.key) ?? true }.map {
                [.string($0.key), .string("[]"), .string($0.value), .string($0.type), .string("false"), .string($0.comment)]
            }
            return .rows(ResultSet(textColumns: ["Key", "AliasNames", "Value", "Type", "IsMutable", "Comment"], rows: rows))
        case .setFrontendConfig(let properties):
            try requireSystem("OPERATE")
            // Every setting is read at start; none can change while the FE runs.
            let key = properties.first?.key ?? ""
            throw SQLError(5102, "HY000", "Config '\(key)' does not exist or is not mutable")
        }
    }

    /// `host:port` as StarRocks validates it (SystemInfoService.validateHostAndPort).
    static func hostPort(_ text: String) throws(SQLError) -> (String, Int) {
        let t = text.trimmed
        guard let colon = t.lastIndex(of: ":") else { throw .analysis("Invalid host port: \(text)") }
        let host = String(t[..<colon]).trimmed, portText = String(t[t.index(after: colon)...]).trimmed
        guard !host.isEmpty else { throw .analysis("Host is null") }
        guard let port = Int(portText) else { throw .analysis("Invalid host port: \(text)") }
        guard (1...65535).contains(port) else { throw .analysis("Port is out of range: \(port)") }
        return (host, port)
    }

    private static func time(_ t: Double?) -> Value { t.map { .string(DateTimeText.format(epochSeconds: $0)) } ?? .null }

    /// Columns of ComputeNodeProcDir in shared-data mode (reference §3.6).
    static func computeNodeRows(_ nodes: [ComputeNodeState]) -> ResultSet {
        let columns = ["ComputeNodeId", "IP", "HeartbeatPort", "BePort", "HttpPort", "BrpcPort", "LastStartTime", "LastHeartbeat", "Alive",
                       "SystemDecommissioned", "ClusterDecommissioned", "ErrMsg", "Version", "CpuCores", "MemLimit", "NumRunningQueries",
                       "MemUsedPct", "CpuUsedPct", "DataCacheMetrics", "HasStoragePath", "StatusCode", "StarletPort", "WorkerId",
                       "WarehouseName", "TabletNum"]
        return ResultSet(textColumns: columns, rows: nodes.map { n in
            [.string(String(n.id)), .string(n.host), .string(String(n.heartbeatPort)), .string("-1"), .string(String(n.httpPort)), .string("-1"),
             time(n.lastStartTime), time(n.lastHeartbeat), .string(String(n.alive)), .string("false"), .string("false"), .string(n.errorMessage),
             .string(n.embedded ? "tributary-fe embedded" : n.version), .string(String(n.embedded ? ProcessInfo.processInfo.activeProcessorCount : n.cpuCores)),
             .string("N/A"), .string("0"), .string("0.00 %"), .string("0.0 %"), .string("N/A"), .string("false"),
             .string(n.alive ? "OK" : (n.lastHeartbeat == nil ? "CONNECTING" : "DISCONNECTED")), .string("-1"), .string(String(n.id)),
             .string("default_warehouse"), .string("0")]
        })
    }

    /// Columns of BackendsProcDir with the shared-data additions (reference §3.5).
    static func backendRows(_ nodes: [ComputeNodeState]) -> ResultSet {
        let columns = ["BackendId", "IP", "HeartbeatPort", "BePort", "HttpPort", "BrpcPort", "LastStartTime", "LastHeartbeat", "Alive",
                       "SystemDecommissioned", "ClusterDecommissioned", "TabletNum", "DataUsedCapacity", "AvailCapacity", "TotalCapacity",
                       "UsedPct", "MaxDiskUsedPct", "ErrMsg", "Version", "Status", "DataTotalCapacity", "DataUsedPct", "CpuCores", "MemLimit",
                       "NumRunningQueries", "MemUsedPct", "CpuUsedPct", "DataCacheMetrics", "Location", "StatusCode", "StarletPort", "WorkerId",
                       "WarehouseName"]
        return ResultSet(textColumns: columns, rows: nodes.map { n in
            [.string(String(n.id)), .string(n.host), .string(String(n.heartbeatPort)), .string("-1"), .string(String(n.httpPort)), .string("-1"),
             time(n.lastStartTime), time(n.lastHeartbeat), .string(String(n.alive)), .string("false"), .string("false"), .string("0"),
             .string("0.000 B"), .string("0.000 B"), .string("0.000 B"), .string("0.00 %"), .string("0.00 %"), .string(n.errorMessage),
             .string(n.version), .string("{\"lastSuccessReportTabletsTime\":\"N/A\"}"), .string("0.000 B"), .string("0.00 %"),
             .string(String(n.cpuCores)), .string("N/A"), .string("0"), .string("0.00 %"), .string("0.0 %"), .string("N/A"), .string(""),
             .string(n.alive ? "OK" : (n.lastHeartbeat == nil ? "CONNECTING" : "DISCONNECTED")), .string("-1"), .string(String(n.id)),
             .string("default_warehouse")]
        })
    }

    /// This FE as the only (leader) frontend (reference §3.7).
    func frontendRows() -> ResultSet {
        let columns = ["Name", "IP", "EditLogPort", "HttpPort", "QueryPort", "RpcPort", "Role", "ClusterId", "Join", "Alive",
                       "ReplayedJournalId", "LastHeartbeat", "IsHelper", "ErrMsg", "StartTime", "Version"]
        let config = server.config
        let host = config.bindAddress == "0.0.0.0" ? "127.0.0.1" : config.bindAddress
        let started = server.startedAt.timeIntervalSince1970
        return ResultSet(textColumns: columns, rows: [[
            .string("\(host)_9010_\(Int64(started * 1000))"), .string(host), .string("9010"), .string(String(config.httpPort)),
            .string(String(config.queryPort)), .string("9020"), .string("LEADER"), .string("1"), .string("true"), .string("true"),
            .string(String(server.catalog.generation)), Self.time(Date().timeIntervalSince1970), .string("true"), .string(""),
            Self.time(started), .string(TributaryVersion.current)]])
    }
}
