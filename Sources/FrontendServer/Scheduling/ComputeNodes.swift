import CatalogStore
import ComputeNode
import Foundation
import JobScheduler
import TaskContract

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
    /// `COMPUTE NODE` or `BACKEND`; both run tasks.
    var kind = "COMPUTE NODE"
    var host: String
    var heartbeatPort: Int
    var httpPort: Int
    var alive: Bool
    var lastHeartbeat: Double?
    var lastStartTime: Double?
    var errorMessage = ""
    var failedHeartbeats = 0
    var version = ""
    var cpuCores = 0
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

extension RoutineLoadScheduler {
    /// The id SHOW COMPUTE NODES gives the FE's embedded node.
    static let embeddedNodeID: Int64 = 10001

    /// Registers the FE's in-process compute node; it is alive as long as the FE is.
    func startEmbeddedNode(errorLogDirectory: String, httpPort: Int) {
        let runner = TaskRunner(segmentRoot: volume.root, errorLogDirectory: errorLogDirectory, errorLogURLBase: "http://127.0.0.1:\(httpPort)")
        let service = ComputeNodeService(runner: runner, slots: 1_000) { [weak self] task in self?.nodeFinishedTask(Self.embeddedNodeID, task) }
        let now = Date().timeIntervalSince1970
        nodes.add(ComputeNodeState(id: Self.embeddedNodeID, host: "127.0.0.1", heartbeatPort: 9050, httpPort: httpPort, alive: true,
                                   lastHeartbeat: now, lastStartTime: now, embedded: true,
                                   connection: EmbeddedNodeConnection(service: service)))
        nodeChanged(Self.embeddedNodeID, SchedulerCore.Node(alive: true, embedded: true))
    }
}

extension RoutineLoadScheduler {
    /// Registers a node added with ALTER SYSTEM (or loaded from the catalog at start): not alive until its
    /// first heartbeat answers.
    func register(_ record: ComputeNodeRecord) {
        nodes.add(ComputeNodeState(id: record.id, kind: record.kind, host: record.host, heartbeatPort: record.heartbeatPort,
                                   httpPort: record.heartbeatPort, alive: false, embedded: false,
                                   connection: HTTPNodeConnection(host: record.host, port: record.heartbeatPort, signer: nodeSigner)))
        nodeChanged(record.id, SchedulerCore.Node(alive: false, embedded: false))
    }

    /// A node dropped with ALTER SYSTEM: its tasks are lost and planned again elsewhere.
    func unregister(_ id: Int64) {
        nodes.remove(id: id)
        nodeChanged(id, nil)
    }

    /// One heartbeat to every registered node (reference catalog_sql.md §3.3): an answer makes a node alive and
    /// clears ErrMsg; after 3 failures in a row it is dead, and its running tasks are re-planned elsewhere.
    func heartbeat(now: Double) {
        for node in nodes.all where !node.embedded {
            guard let connection = node.connection as? HTTPNodeConnection else { continue }
            let wasAlive = node.alive
            do {
                let info = try connection.heartbeat()
                nodes.update(node.id) {
                    $0.alive = true; $0.failedHeartbeats = 0; $0.errorMessage = ""; $0.lastHeartbeat = now
                    $0.version = info.version; $0.cpuCores = info.cpuCores; $0.lastStartTime = info.startTime
                }
            } catch {
                nodes.update(node.id) {
                    $0.failedHeartbeats += 1
                    $0.errorMessage = "\(error)"
                    if $0.failedHeartbeats >= 3 { $0.alive = false }
                }
            }
            if let alive = nodes.node(node.id)?.alive, alive != wasAlive {
                nodeChanged(node.id, SchedulerCore.Node(alive: alive, embedded: false))
            }
        }
    }

    /// Heartbeats every `interval` seconds on a thread of their own.
    func startHeartbeats(interval: Double) {
        let thread = Thread { [self] in
            while true {
                heartbeat(now: Date().timeIntervalSince1970)
                Thread.sleep(forTimeInterval: interval)
            }
        }
        thread.name = "tributary-heartbeat"
        thread.start()
    }
}
