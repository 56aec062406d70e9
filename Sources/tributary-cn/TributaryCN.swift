import ArgumentParser
import ComputeNode
import FlyingFox
import Foundation
import Kafka
import Logging
import Storage
import TaskContract
#if canImport(Glibc)
import Glibc
#endif

/// `tributary-cn`: a stateless compute node. Register it with `ALTER SYSTEM ADD COMPUTE NODE "host:9050"`;
/// the FE heartbeats it and sends it routine-load tasks over HTTP on that port, signed with the cluster token.
@main
struct TributaryCN: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "tributary-cn", abstract: "Run a Tributary compute node.",
                                                    version: TributaryVersion.current)

    @Option(name: .long, help: "Path of cn.conf.")
    var config: String?

    @Option(name: .long, help: "Overrides heartbeat_service_port.")
    var port: Int?

    @Option(name: .long, help: "Log level: trace, debug, info, notice, warning, error or critical (overrides sys_log_level).")
    var logLevel: String?

    func run() throws {
        AllocatorTuning.applyForLoads()
        SQLiteTuning.apply()
        umask(0o077)
        var logger = Logger(label: "tributary.cn")
        var conf = ComputeNodeConfig()
        if let path = config {
            guard let text = try? String(contentsOfFile: path, encoding: .utf8) else { throw ValidationError("cannot read config file \(path)") }
            do {
                let (parsed, warnings) = try ComputeNodeConfig.parse(text)
                conf = parsed
                for w in warnings { logger.warning("\(w)") }
            } catch { throw ValidationError(error.description) }
        }
        if let port {
            guard (1...65535).contains(port) else { throw ValidationError("--port must be 1-65535") }
            conf.heartbeatServicePort = port
        }
        if let token = ProcessInfo.processInfo.environment["TRIBUTARY_CLUSTER_TOKEN"], !token.isEmpty { conf.clusterToken = token }
        guard conf.clusterToken.utf8.count >= NodeRequestSigner.minimumTokenLength else {
            throw ValidationError("cluster_token is not set (or shorter than \(NodeRequestSigner.minimumTokenLength) characters): set it in "
                + "cn.conf or TRIBUTARY_CLUSTER_TOKEN to the FE's token (fe.conf cluster_token, or the file <meta_dir>/cluster_token "
                + "the FE writes at first start). The node accepts only requests signed with it.")
        }
        if let logLevel {
            guard Logger.Level(rawValue: logLevel.lowercased()) != nil else {
                throw ValidationError("--log-level must be one of trace, debug, info, notice, warning, error, critical")
            }
            conf.sysLogLevel = logLevel
        }
        logger.logLevel = Logger.Level(rawValue: conf.sysLogLevel.lowercased()) ?? .info
        KafkaPropertyPolicy.protect(config.map { [$0] } ?? [])             // cn.conf holds the cluster token
        let errorLogs = (conf.storageRootPath as NSString).appendingPathComponent("error_log")
        do { try FileManager.default.createDirectory(atPath: errorLogs, withIntermediateDirectories: true) } catch {
            throw ValidationError("cannot create \(errorLogs) under storage_root_path: \(String(cString: strerror(errno)))")
        }
        let host = ProcessInfo.processInfo.hostName
        let runner = TaskRunner(segmentRoot: conf.storageRootPath, errorLogDirectory: errorLogs,
                                errorLogURLBase: "http://\(host):\(conf.heartbeatServicePort)")
        let service = ComputeNodeService(runner: runner, slots: conf.taskSlots)
        let verifier = NodeRequestVerifier(token: conf.clusterToken)
        let server = HTTPServer(address: try .inet(ip4: conf.bindAddress, port: UInt16(conf.heartbeatServicePort)),
                                logger: HTTPServerLogging(label: "tributary.cn.http"))
        let started = Date().timeIntervalSince1970
        let ready = DispatchSemaphore(value: 0)
        Task {
            await ComputeNodeAPI.addNodeRoutes(to: server, service: service, verifier: verifier, version: "tributary-cn \(TributaryVersion.current)", startTime: started)
            await ComputeNodeAPI.addErrorLogRoute(to: server, directory: errorLogs)
            ready.signal()
        }
        ready.wait()
        do { try ComputeNodeAPI.start(server) } catch {
            throw ValidationError("cannot listen on \(conf.bindAddress):\(conf.heartbeatServicePort): \(error)")
        }
        logger.info("tributary-cn listening on \(conf.bindAddress):\(conf.heartbeatServicePort), storage_root_path \(conf.storageRootPath)")
        FileHandle.standardOutput.write(Data("tributary-cn ready on port \(conf.heartbeatServicePort)\n".utf8))
        // SIGTERM/SIGINT: refuse new tasks, give running ones (and the FE's collection of their reports) the grace
        // period, then exit 0. A task cut short is aborted by the FE and loaded again by another task.
        let grace = Double(conf.shutdownGraceSeconds)
        let stop = ShutdownSignals { [logger] signalName in
            logger.info("\(signalName) received: waiting up to \(Int(grace)) s for \(service.pendingReports) tasks")
            service.drain()
            let deadline = Date().timeIntervalSince1970 + grace
            while service.pendingReports > 0 && Date().timeIntervalSince1970 < deadline { Thread.sleep(forTimeInterval: 0.05) }
            logger.info("shut down with \(service.pendingReports) reports not collected")
            Foundation.exit(0)
        }
        withExtendedLifetime(stop) { dispatchMain() }
    }
}
