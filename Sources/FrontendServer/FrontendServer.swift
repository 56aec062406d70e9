import CatalogStore
import Foundation
import Kafka
import Logging
#if canImport(Glibc)
import Glibc
#endif

/// The FE daemon's composition root: opens the catalog in `meta_dir`, builds the shared context
/// and starts the MySQL listener. Holds no business rules.
public final class FrontendServer: @unchecked Sendable {
    public let config: FrontendConfig
    private let logger: Logger
    private var listener: MySQLListener?

    public init(config: FrontendConfig, logger: Logger) {
        self.config = config
        self.logger = logger
    }

    /// The port the MySQL listener is bound to (useful with `query_port = 0`).
    public var queryPort: Int { listener?.port ?? config.queryPort }

    public func start() throws {
        signal(SIGPIPE, SIG_IGN)
        let catalog = try CatalogStore.open(directory: config.metaDir)
        let variables = SystemVariables(serverVersion: config.mysqlServerVersion, versionComment: TributaryVersion.comment, port: config.queryPort)
        let context = ServerContext(catalog: catalog, variables: variables, config: config)
        let listener = MySQLListener(server: context, logger: logger)
        try listener.start(host: config.bindAddress, port: config.queryPort)
        self.listener = listener
        logger.info("Tributary \(TributaryVersion.current) FE started (librdkafka \(KafkaLibrary.version)); meta_dir=\(config.metaDir)")
        logger.info("MySQL protocol listening on \(config.bindAddress):\(listener.port); connect with: mysql -h 127.0.0.1 -P \(listener.port) -u root")
    }
}
