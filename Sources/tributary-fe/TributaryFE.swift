import ArgumentParser
import ComputeNode
import Dispatch
import Foundation
import FrontendServer
import Logging
import Storage
import TaskContract

/// `tributary-fe`: reads conf/fe.conf, applies command-line overrides and runs the FE until killed.
@main
struct TributaryFE: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tributary-fe",
        abstract: "StarRocks-compatible frontend for continuous Kafka ingestion.",
        version: TributaryVersion.current)

    @Option(name: .long, help: "Path of fe.conf (StarRocks key = value format).")
    var config: String?

    @Option(name: .long, help: "Directory for the catalog (overrides meta_dir).")
    var metaDir: String?

    @Option(name: .long, help: "MySQL protocol port (overrides query_port; 0 picks a free port).")
    var queryPort: Int?

    @Option(name: .long, help: "HTTP port (overrides http_port).")
    var httpPort: Int?

    @Option(name: .long, help: "Log level: trace, debug, info, notice, warning, error or critical (overrides sys_log_level).")
    var logLevel: String?

    func run() throws {
        AllocatorTuning.applyForLoads()
        SQLiteTuning.apply()
        var settings = FrontendConfig()
        var warnings: [String] = []
        let path = config ?? (FileManager.default.fileExists(atPath: "conf/fe.conf") ? "conf/fe.conf" : nil)
        if let path {
            guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
                throw ValidationError("cannot read config file \(path)")
            }
            do { (settings, warnings) = try FrontendConfig.parse(text) } catch {
                throw ValidationError("\(path): \(error.description)")
            }
        }
        if let metaDir {
            guard !metaDir.isEmpty else { throw ValidationError("--meta-dir must not be empty") }
            settings.metaDir = metaDir
        }
        if let queryPort {
            guard (0...65535).contains(queryPort) else { throw ValidationError("--query-port must be from 0 to 65535") }
            settings.queryPort = queryPort
        }
        if let httpPort {
            guard (1...65535).contains(httpPort) else { throw ValidationError("--http-port must be from 1 to 65535") }
            settings.httpPort = httpPort
        }

        if let logLevel {
            guard Logger.Level(rawValue: logLevel.lowercased()) != nil else {
                throw ValidationError("--log-level must be one of trace, debug, info, notice, warning, error, critical")
            }
            settings.sysLogLevel = logLevel.uppercased()
        }
        let level = Logger.Level(rawValue: settings.sysLogLevel.lowercased()) ?? .info
        LoggingSystem.bootstrap { label in
            var h = StreamLogHandler.standardError(label: label)
            h.logLevel = level
            return h
        }
        let logger = Logger(label: "tributary.fe")
        for w in warnings { logger.warning("\(w)") }
        let server = FrontendServer(config: settings, logger: logger)
        do { try server.start() } catch {
            logger.critical("cannot start: \(error)")
            throw ExitCode(1)
        }
        // Stdout line for scripts and tests waiting for readiness.
        FileHandle.standardOutput.write(Data("tributary-fe ready on port \(server.queryPort)\n".utf8))
        let stop = ShutdownSignals { signalName in
            logger.info("\(signalName) received")
            server.shutdown()
            Foundation.exit(0)
        }
        withExtendedLifetime(stop) { dispatchMain() }
    }
}
