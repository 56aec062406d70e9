import Expressions
import Foundation
import JobScheduler
import SQLParser
import CatalogStore

/// What the dashboard shows and does, for one authenticated user: the routine-load jobs their grants let them see
/// (as SHOW ROUTINE LOAD and information_schema do), with lag per partition from the scheduler's memory; compute nodes
/// and storage volumes through the same SHOW statements a MySQL client runs (so the same privileges apply); and PAUSE /
/// RESUME run as that user's statements.
struct DashboardAPI {
    let server: ServerContext
    let login: HTTPBasicAuthentication.Login

    struct Snapshot: Codable, Equatable {
        var user: String
        var now: Double
        /// Whether the page may offer PAUSE/RESUME at all (fe.conf `http_dashboard_operations`).
        var operationsEnabled: Bool
        var jobs: [Job]
        /// Nil when the user lacks the NODE privilege (as SHOW COMPUTE NODES).
        var nodes: [Node]?
        /// Nil when the user lacks the CREATE STORAGE VOLUME privilege (as SHOW STORAGE VOLUMES).
        var volumes: [Volume]?
    }

    struct Node: Codable, Equatable {
        var id: Int64
        var host: String
        var embedded: Bool
        var alive: Bool
        var slots: Int
        var tasks: Int
        var lastHeartbeat: Double?
        var error: String
    }

    struct Volume: Codable, Equatable {
        var name: String
        var type: String
        var locations: [String]
        var enabled: Bool
        var isDefault: Bool
    }

    struct Job: Codable, Equatable {
        var id: Int64
        var database: String
        var name: String
        var table: String
        var topic: String
        var state: String
        var reason: String
        var loadedRows: Int64
        var errorRows: Int64
        var receivedBytes: Int64
        var errorLogURL: String?
        var tasks: Int
        var partitions: [Partition]
        /// The page may offer PAUSE/RESUME for this job: operations are on, and the user sees the job only because they
        /// hold INSERT on its table, which is what PAUSE and RESUME require (the statement checks it again).
        var canOperate: Bool
    }

    struct Partition: Codable, Equatable {
        var partition: Int32
        var nextOffset: Int64
        var latestOffset: Int64
        var lag: Int64
        var lagSeconds: Int64
    }

    private func executor() throws -> StatementExecutor {
        let session = SessionContext(connectionID: 0, user: login.user, accountHost: login.accountHost, clientHost: login.clientHost,
                                     database: nil, variables: server.variables)
        return try StatementExecutor(server: server, session: session)
    }

    func snapshot() throws -> Snapshot {
        let executor = try executor()
        let privileges = executor.privileges
        let now = Date().timeIntervalSince1970
        let threshold = server.config.routineLoadUnstableThresholdSecond
        let views = server.loads.views(database: nil)
        let jobs = views
            .filter { !$0.job.state.isFinal && privileges.allows("INSERT", database: $0.job.databaseName, table: $0.job.tableName) }
            .map { view -> Job in
                let job = view.job
                let unstable = view.unstableReason(now: now, threshold: threshold)
                return Job(id: job.id, database: job.databaseName, name: job.name, table: job.tableName, topic: job.definition.source.topic,
                           state: unstable == nil ? job.state.rawValue : "UNSTABLE", reason: unstable?.description ?? job.displayedReason,
                           loadedRows: job.statistics.loadedRows, errorRows: job.statistics.errorRows, receivedBytes: job.statistics.receivedBytes,
                           errorLogURL: job.errorLogURLs.last, tasks: view.shownTasks.count,
                           partitions: view.lag(now: now).map {
                               Partition(partition: $0.partition, nextOffset: $0.next, latestOffset: $0.latest, lag: $0.messages, lagSeconds: $0.seconds)
                           },
                           canOperate: server.config.httpDashboardOperations)
            }
        var nodes: [Node]?
        if privileges.allows("NODE") {
            var tasks: [Int64: Int] = [:]
            for view in views { for task in view.tasks { if let node = task.occupiedNode { tasks[node.raw, default: 0] += 1 } } }
            nodes = server.loads.nodes.all.map {
                Node(id: $0.id, host: $0.host, embedded: $0.embedded, alive: $0.alive, slots: server.config.maxRoutineLoadTaskNumPerBe,
                     tasks: tasks[$0.id] ?? 0, lastHeartbeat: $0.lastHeartbeat, error: $0.errorMessage)
            }
        }
        var volumes: [Volume]?
        if privileges.allows(StatementExecutor.storageVolumePrivilege) {
            volumes = try server.catalog.storageVolumes().map {
                Volume(name: $0.name, type: $0.type, locations: $0.locations, enabled: $0.enabled, isDefault: $0.isDefault)
            }
        }
        return Snapshot(user: login.user, now: now, operationsEnabled: server.config.httpDashboardOperations, jobs: jobs, nodes: nodes, volumes: volumes)
    }

    enum Action: String { case pause, resume }

    /// PAUSE or RESUME ROUTINE LOAD FOR `database`.`name`, as the user's statement: the same privilege check and
    /// errors as over MySQL.
    func perform(_ action: Action, database: String, name: String) throws(SQLError) {
        guard server.config.httpDashboardOperations else {
            throw SQLError(1227, "42000", "Access denied; routine load operations from the dashboard are turned off (http_dashboard_operations)")
        }
        let job = QualifiedName([database, name])
        let executor: StatementExecutor
        do { executor = try self.executor() } catch { throw SQLError(1105, "HY000", "\(error)") }
        _ = try executor.execute(.routineLoad(action == .pause ? .pause(job) : .resume(job)))
    }
}
