import ArgumentParser
import ComputeNode
import FlyingFox
import Foundation
import Logging

/// `tributary-cn`: a stateless compute node. Register it with `ALTER SYSTEM ADD COMPUTE NODE "host:9050"`;
/// the FE heartbeats it and sends it routine-load tasks over HTTP on that port.
@main
struct TributaryCN: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "tributary-cn", abstract: "Run a Tributary compute node.")

    @Option(name: .long, help: "Path of cn.conf.")
    var config: String?

    @Option(name: .long, help: "Overrides heartbeat_service_port.")
    var port: Int?

    func run() throws {
        AllocatorTuning.applyForLoads()
        var logger = Logger(label: "tributary.cn")
        var conf = ComputeNodeConfig()
        if let path = config {
            let text = try String(contentsOfFile: path, encoding: .utf8)
            let (parsed, warnings) = ComputeNodeConfig.parse(text)
            conf = parsed
            for w in warnings { logger.warning("\(w)") }
        }
        if let port { conf.heartbeatServicePort = port }
        logger.logLevel = Logger.Level(rawValue: conf.sysLogLevel.lowercased()) ?? .info
        let errorLogs = (conf.storageRootPath as NSString).appendingPathComponent("error_log")
        try FileManager.default.createDirectory(atPath: errorLogs, withIntermediateDirectories: true)
        let host = ProcessInfo.processInfo.hostName
        let runner = TaskRunner(errorLogDirectory: errorLogs, errorLogURLBase: "http://\(host):\(conf.heartbeatServicePort)")
        let service = ComputeNodeService(runner: runner, slots: conf.taskSlots)
        let server = HTTPServer(address: try .inet(ip4: conf.bindAddress, port: UInt16(conf.heartbeatServicePort)))
        let started = Date().timeIntervalSince1970
        let ready = DispatchSemaphore(value: 0)
        Task {
            await ComputeNodeAPI.addNodeRoutes(to: server, service: service, version: "tributary-cn 0.1.0", startTime: started)
            await ComputeNodeAPI.addErrorLogRoute(to: server, directory: errorLogs)
            ready.signal()
        }
        ready.wait()
        try ComputeNodeAPI.start(server)
        logger.info("tributary-cn listening on \(conf.bindAddress):\(conf.heartbeatServicePort)")
        FileHandle.standardOutput.write(Data("tributary-cn ready on port \(conf.heartbeatServicePort)\n".utf8))
        dispatchMain()
    }
}
