import ComputeNode
import Foundation
import JobScheduler

/// How the coordinator talks to one compute node: in-process for the embedded node, HTTP for `tributary-cn`.
protocol ComputeNodeConnection: Sendable {
    func submit(_ task: LoadTask) throws
    /// The task's report, or nil if the node does not know the task (it restarted or never got it).
    func report(_ taskID: String) throws -> TaskReport?
    func forget(_ taskID: String)
}

/// The FE's own compute node, called directly.
struct EmbeddedNodeConnection: ComputeNodeConnection {
    let service: ComputeNodeService
    func submit(_ task: LoadTask) throws { try service.submit(task) }
    func report(_ taskID: String) throws -> TaskReport? { service.report(taskID) }
    func forget(_ taskID: String) { service.forget(taskID) }
}

/// A registered compute node and what heartbeats learned about it (SHOW COMPUTE NODES).
struct ComputeNodeState: Sendable {
    var id: Int64
    var host: String
    var heartbeatPort: Int
    var httpPort: Int
    var alive: Bool
    var lastHeartbeat: Double?
    var lastStartTime: Double?
    var errorMessage = ""
    var failedHeartbeats = 0
    var embedded: Bool
    var connection: any ComputeNodeConnection
}

/// The nodes tasks can go to. Thread-safe; the coordinator reads it every tick, SHOW reads it on demand.
final class ComputeNodeRegistry: @unchecked Sendable {
    private let lock = NSLock()
    private var nodes: [Int64: ComputeNodeState] = [:]

    func add(_ node: ComputeNodeState) { lock.withLock { nodes[node.id] = node } }
    func remove(id: Int64) { lock.withLock { _ = nodes.removeValue(forKey: id) } }
    var all: [ComputeNodeState] { lock.withLock { nodes.values.sorted { ($0.host, $0.heartbeatPort) < ($1.host, $1.heartbeatPort) } } }
    var alive: [ComputeNodeState] { all.filter(\.alive) }
    func node(_ id: Int64) -> ComputeNodeState? { lock.withLock { nodes[id] } }
    func update(_ id: Int64, _ change: (inout ComputeNodeState) -> Void) {
        lock.withLock { if var n = nodes[id] { change(&n); nodes[id] = n } }
    }
}

extension LoadCoordinator {
    /// The id SHOW COMPUTE NODES gives the FE's embedded node.
    static let embeddedNodeID: Int64 = 10001

    /// Registers the FE's in-process compute node; it is alive as long as the FE is.
    func startEmbeddedNode(errorLogDirectory: String, httpPort: Int) {
        let runner = TaskRunner(errorLogDirectory: errorLogDirectory, errorLogURLBase: "http://127.0.0.1:\(httpPort)")
        let service = ComputeNodeService(runner: runner, slots: 1_000)
        let now = Date().timeIntervalSince1970
        nodes.add(ComputeNodeState(id: Self.embeddedNodeID, host: "127.0.0.1", heartbeatPort: 9050, httpPort: httpPort, alive: true,
                                   lastHeartbeat: now, lastStartTime: now, embedded: true,
                                   connection: EmbeddedNodeConnection(service: service)))
    }
}
