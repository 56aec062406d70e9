import Foundation
import GRDB

/// A compute node or backend registered with ALTER SYSTEM ADD (the FE's embedded node is not stored).
public struct ComputeNodeRecord: Equatable, Sendable {
    public var id: Int64
    /// `COMPUTE NODE` or `BACKEND`.
    public var kind: String
    public var host: String
    public var heartbeatPort: Int
}

extension CatalogStore {
    /// Registers a node; refuses a host:port already registered (of either kind) with StarRocks' text.
    public func addComputeNode(kind: String, host: String, port: Int) throws(CatalogError) -> ComputeNodeRecord {
        try write { db in
            if let existing = try String.fetchOne(db, sql: "SELECT kind FROM compute_nodes WHERE host = ? AND heartbeat_port = ?", arguments: [host, port]) {
                let what = existing == "BACKEND" ? "Backend" : "Compute node"
                throw CatalogError.invalidDefinition("\(what) already exists with same host \(host) and port \(port)")
            }
            try db.execute(sql: "INSERT INTO compute_nodes (kind, host, heartbeat_port, created_at) VALUES (?, ?, ?, ?)",
                           arguments: [kind, host, port, Date().timeIntervalSince1970])
            return ComputeNodeRecord(id: db.lastInsertedRowID, kind: kind, host: host, heartbeatPort: port)
        }
    }

    /// Removes a node of `kind`; returns nil if there is none at host:port.
    public func dropComputeNode(kind: String, host: String, port: Int) throws(CatalogError) -> ComputeNodeRecord? {
        try write { db in
            guard let id = try Int64.fetchOne(db, sql: "SELECT id FROM compute_nodes WHERE kind = ? AND host = ? AND heartbeat_port = ?",
                                              arguments: [kind, host, port]) else { return nil }
            try db.execute(sql: "DELETE FROM compute_nodes WHERE id = ?", arguments: [id])
            return ComputeNodeRecord(id: id, kind: kind, host: host, heartbeatPort: port)
        }
    }

    public func computeNodes() throws(CatalogError) -> [ComputeNodeRecord] {
        try read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM compute_nodes ORDER BY id").map {
                ComputeNodeRecord(id: $0["id"], kind: $0["kind"], host: $0["host"], heartbeatPort: $0["heartbeat_port"])
            }
        }
    }
}
