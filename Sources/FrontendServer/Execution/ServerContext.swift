import CatalogStore
import Foundation
import Logging
import Storage
import Synchronization

/// Everything statements share across connections: the catalog, the storage volume and table cache,
/// server variables, the live connection registry and counters. Built once by ``FrontendServer``.
final class ServerContext: Sendable {
    let catalog: CatalogStore
    let volume: LocalVolume
    /// Where each table's segments live: the local directory or an S3 storage volume.
    let segments: SegmentStore
    let cache: TableCache
    /// TLS for clients that ask for it; nil when disabled in fe.conf.
    let tls: TLSContext?
    let variables: SystemVariables
    let connections: ConnectionRegistry
    /// Failed logins per user and host, and the lockout after too many (fe.conf `max_failed_login_attempts`).
    let logins: LoginThrottle
    let config: FrontendConfig
    /// The routine-load scheduler and the compute nodes it uses (started by ``FrontendServer``).
    let loads: RoutineLoadScheduler
    let startedAt = Date()
    /// Prometheus metrics (GET /metrics).
    let metrics = FrontendMetrics()
    private let questionCount = Atomic<Int>(0)
    private let ready = Atomic<Bool>(false)

    init(catalog: CatalogStore, volume: LocalVolume, segments: SegmentStore, cache: TableCache, variables: SystemVariables, config: FrontendConfig, tls: TLSContext? = nil) {
        self.catalog = catalog; self.volume = volume; self.segments = segments; self.cache = cache; self.variables = variables; self.config = config; self.tls = tls
        connections = ConnectionRegistry()
        logins = LoginThrottle(maxAttempts: config.maxFailedLoginAttempts, lockSeconds: config.passwordLockIntervalSeconds)
        loads = RoutineLoadScheduler(catalog: catalog, volume: volume, segments: segments, cache: cache, config: config, metrics: metrics,
                                     logger: Logger(label: "tributary.routine-load"))
    }

    var uptimeSeconds: Int { Int(Date().timeIntervalSince(startedAt)) }
    var questions: Int { questionCount.load(ordering: .relaxed) }
    func countQuestion() { questionCount.add(1, ordering: .relaxed) }

    /// Whether /api/health/ready answers 200: the catalog is open, the scheduler holds every job and the query port
    /// accepts; false again once a shutdown began.
    var isReady: Bool { ready.load(ordering: .acquiring) }
    func setReady(_ value: Bool) { ready.store(value, ordering: .releasing) }
}
