import TaskContract
import CatalogStore
import ComputeNode
import FlyingFox
import Foundation
import Kafka
import Logging
import ObjectStore
import Storage
#if canImport(Glibc)
import Glibc
#endif

/// The FE daemon's composition root: opens the catalog in `meta_dir`, builds the shared context
/// and starts the MySQL listener. Holds no business rules.
public final class FrontendServer: @unchecked Sendable {
    public let config: FrontendConfig
    private let logger: Logger
    private var listener: MySQLListener?
    private var httpServer: HTTPServer?
    private var garbageTimer: DispatchSourceTimer?

    public init(config: FrontendConfig, logger: Logger) {
        self.config = config
        self.logger = logger
    }

    /// The port the MySQL listener is bound to (useful with `query_port = 0`).
    public var queryPort: Int { listener?.port ?? config.queryPort }

    /// The TLS context: fe.conf's certificate, or a self-signed one generated into `<meta_dir>/tls`.
    private func makeTLS() throws -> TLSContext? {
        guard config.enableSSL else { return nil }
        var cert = config.sslCertPath, key = config.sslKeyPath
        if cert.isEmpty || key.isEmpty {
            cert = config.metaDir + "/tls/cert.pem"
            key = config.metaDir + "/tls/key.pem"
            try TLSContext.ensureSelfSigned(certificatePath: cert, keyPath: key)
        }
        let context = try TLSContext(certificatePath: cert, keyPath: key)
        logger.info("TLS enabled with certificate \(cert)")
        return context
    }

    /// fe.conf's `aws_s3_*` settings (with `run_mode = shared_data`) create `builtin_storage_volume`, or update it to
    /// match; it becomes the default volume if there is none. An unreachable bucket is logged, not fatal (the object
    /// store may start after the FE).
    private func installBuiltinVolume(_ catalog: CatalogStore) throws {
        let builtin: StorageVolume?
        do { builtin = try config.sharedData.builtinVolume() } catch { throw ServerError.config(error.description) }
        guard var volume = builtin else { return }
        let s3: S3Config
        do { s3 = try S3Config(location: volume.locations[0], properties: volume.params) } catch {
            throw ServerError.config("fe.conf: builtin_storage_volume: \(error)")
        }
        if var existing = try catalog.storageVolume(named: volume.name) {
            existing.params = volume.params
            existing.locations = volume.locations
            try catalog.updateStorageVolume(existing)
            volume = existing
        } else {
            try catalog.createStorageVolume(volume, makeDefaultIfNone: true)
        }
        do { try S3Client(s3, retry: RetryPolicy(attempts: 1)).checkAccess() } catch {
            logger.warning("builtin_storage_volume is not reachable yet: \(error)")
        }
    }

    /// After a restart: abort what was in flight, delete orphaned segments, rebuild the table cache.
    private func recover(_ context: ServerContext) throws {
        let aborted = try context.catalog.abortPreparedTransactions(reason: "FE restarted")
        let removed = try context.segments.collectGarbage { try context.catalog.liveSegments() }
        var tables = 0
        for db in try context.catalog.databases() {
            for t in try context.catalog.tables(inDatabase: db.name) {
                try context.cache.catchUp(t, catalog: context.catalog)
                tables += 1
            }
        }
        logger.info("recovered: \(aborted) unfinished transactions aborted, \(removed) orphaned segments removed, \(tables) tables cached")
    }

    /// Every 10 minutes, segments nothing references are deleted locally and in every S3 volume: an upload that a
    /// node finished after its transaction was aborted (a task that timed out) leaves one behind.
    private func startGarbageCollection(_ context: ServerContext) {
        let timer = DispatchSource.makeTimerSource(queue: DispatchQueue(label: "tributary-segment-gc", qos: .utility))
        timer.schedule(deadline: .now() + Self.garbageInterval, repeating: Self.garbageInterval, leeway: .seconds(30))
        timer.setEventHandler { [logger] in
            do {
                let removed = try context.segments.collectGarbage { try context.catalog.liveSegments() }
                if removed > 0 { logger.info("removed \(removed) unused segments") }
            } catch {
                logger.warning("segment garbage collection failed: \(error)")
            }
        }
        timer.resume()
        garbageTimer = timer
    }

    static let garbageInterval: DispatchTimeInterval = .seconds(600)

    private var errorLogDirectory: String { config.metaDir + "/error_log" }

    /// The HTTP port on `bind_address`: error logs of the embedded compute node. A port that cannot be bound stops
    /// the start, as the query port does.
    private func startHTTP(_ config: FrontendConfig, _ context: ServerContext) throws {
        let server: HTTPServer
        do { server = HTTPServer(address: try .inet(ip4: config.bindAddress, port: UInt16(clamping: config.httpPort)),
                                 logger: HTTPServerLogging(label: "tributary.http")) } catch {
            throw ServerError.config("invalid bind_address '\(config.bindAddress)' for http_port")
        }
        let directory = errorLogDirectory
        let routes = DispatchSemaphore(value: 0)
        Task {
            await ComputeNodeAPI.addErrorLogRoute(to: server, directory: directory)
            await FrontendHTTP.addRoutes(to: server, server: context)
            routes.signal()
        }
        routes.wait()
        do { try ComputeNodeAPI.start(server) } catch {
            throw ServerError.socket("cannot listen on http_port \(config.bindAddress):\(config.httpPort): \(ServerError.describe(error))")
        }
        httpServer = server
        logger.info("HTTP listening on \(config.bindAddress):\(config.httpPort)")
    }

    private var context: ServerContext?

    /// Every connection holds a socket: the soft descriptor limit is raised to the hard one, with a warning when that
    /// still leaves too few for qe_max_connection (accepts then pause while descriptors run out; nothing crashes).
    private func raiseDescriptorLimit() {
        var limit = rlimit()
        guard getrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit) == 0 else { return }
        if limit.rlim_cur < limit.rlim_max {
            limit.rlim_cur = limit.rlim_max
            _ = setrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit)
            _ = getrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit)
        }
        let needed = UInt64(config.qeMaxConnection) + 256
        if UInt64(limit.rlim_cur) < needed {
            logger.warning("the open-file limit (\(limit.rlim_cur)) is below qe_max_connection + 256 (\(needed)); raise it (ulimit -n) or lower qe_max_connection")
        }
    }

    /// SIGTERM/SIGINT: /api/health/ready says 503, the query port closes, no routine-load task starts; tasks in flight
    /// get `shutdown_grace_second` to commit, and whatever transaction is still open is aborted, so the next start has
    /// nothing to recover. Returns when the FE may exit.
    public func shutdown() {
        guard let context else { return }
        context.setReady(false)
        listener?.stopAccepting()
        logger.info("shutting down: waiting up to \(config.shutdownGraceSeconds) s for running routine load tasks")
        let left = context.loads.drain(grace: Double(config.shutdownGraceSeconds))
        let aborted = (try? context.catalog.abortPreparedTransactions(reason: "FE shut down")) ?? 0
        logger.info("shut down: \(left) tasks did not finish in time, \(aborted) open transactions aborted")
    }

    public func start() throws {
        signal(SIGPIPE, SIG_IGN)
        raiseDescriptorLimit()
        logger.debug("settings in effect: \(config.shownEntries.map { "\($0.key)=\($0.value)" }.joined(separator: " "))")
        PrivateFiles.restrictProcessUmask()
        var config = self.config
        if let warning = try PrivateFiles.prepareDirectory(config.metaDir) { logger.warning("\(warning)") }
        PrivateFiles.restrict(["catalog.sqlite", "catalog.sqlite-wal", "catalog.sqlite-shm", ClusterToken.fileName, "tls/key.pem"]
            .map { (config.metaDir as NSString).appendingPathComponent($0) })
        config.clusterToken = try ClusterToken.resolve(configured: config.clusterToken, metaDir: config.metaDir)
        KafkaPropertyPolicy.protect([config.metaDir])                  // no routine load may point librdkafka at the FE's keys
        let catalog: CatalogStore
        do { catalog = try CatalogStore.open(directory: config.metaDir) } catch {
            throw ServerError.config("cannot open the catalog in meta_dir \(config.metaDir): \(ServerError.describe(error))")
        }
        try installBuiltinVolume(catalog)
        let volume: LocalVolume
        do { volume = try LocalVolume(root: config.volumeRoot) } catch {
            throw ServerError.config("cannot use the storage directory \(config.volumeRoot): \(ServerError.describe(error))")
        }
        let segments = SegmentStore(local: volume, catalog: catalog, logger: Logger(label: "tributary.segments"))
        let cache: TableCache
        do { cache = try TableCache(path: config.metaDir + "/cache.sqlite", segments: segments) } catch {
            throw ServerError.config("cannot open the table cache \(config.metaDir)/cache.sqlite: \(ServerError.describe(error))")
        }
        let tls = try makeTLS()
        let variables = SystemVariables(serverVersion: config.mysqlServerVersion, versionComment: TributaryVersion.comment,
                                        port: config.queryPort, ssl: tls != nil)
        let context = ServerContext(catalog: catalog, volume: volume, segments: segments, cache: cache, variables: variables, config: config, tls: tls)
        try recover(context)
        self.context = context
        // Take the port first (one in use fails the start before anything runs); listen last, once HTTP is up and the
        // scheduler holds every job, so a client that can connect finds them all (the first SHOW lists every job).
        let listener = MySQLListener(server: context, logger: logger)
        try listener.bind(host: config.bindAddress, port: config.queryPort)
        self.listener = listener
        try startHTTP(config, context)
        if config.embeddedComputeNode { context.loads.startEmbeddedNode(errorLogDirectory: errorLogDirectory, httpPort: config.httpPort) }
        for record in try catalog.computeNodes() { context.loads.register(record) }
        context.loads.startHeartbeats(interval: Double(config.heartbeatIntervalSeconds))
        context.loads.start()
        startGarbageCollection(context)
        try listener.startAccepting()
        context.setReady(true)
        logger.info("Tributary \(TributaryVersion.current) FE started (librdkafka \(KafkaLibrary.version)); meta_dir=\(config.metaDir)")
        logger.info("MySQL protocol listening on \(config.bindAddress):\(listener.port); connect with: mysql -h 127.0.0.1 -P \(listener.port) -u root")
    }
}
