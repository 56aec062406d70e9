import FlyingFox
import Foundation

/// The compute node's HTTP API (served by `tributary-cn` on its heartbeat_service_port, and by the FE's HTTP
/// port for its embedded node's error logs):
/// - `GET /api/heartbeat` → ``HeartbeatInfo`` as JSON
/// - `POST /api/task` with a ``LoadTask`` → 200, or 503 with the refusal text
/// - `GET /api/task?id=` → ``TaskReport`` as JSON, 404 if unknown; `DELETE /api/task?id=` forgets it
/// - `GET /api/_load_error_log?file=` → the rejected rows of a task, as text
public enum ComputeNodeAPI {
    /// What a heartbeat answers.
    public struct HeartbeatInfo: Codable, Equatable, Sendable {
        public var version: String
        public var startTime: Double
        public var cpuCores: Int
        public var runningTasks: Int
        public var finishedTasks: Int
        public init(version: String, startTime: Double, cpuCores: Int, runningTasks: Int, finishedTasks: Int) {
            self.version = version; self.startTime = startTime; self.cpuCores = cpuCores; self.runningTasks = runningTasks
            self.finishedTasks = finishedTasks
        }
    }

    /// Adds the error-log route (every node serves it).
    public static func addErrorLogRoute(to server: HTTPServer, directory: String) async {
        await server.appendRoute("GET /api/_load_error_log") { request in
            guard let file = request.query["file"], !file.isEmpty, !file.contains("/"), !file.contains("..") else {
                return HTTPResponse(statusCode: .badRequest, body: Data("missing or invalid file parameter\n".utf8))
            }
            guard let data = FileManager.default.contents(atPath: (directory as NSString).appendingPathComponent(file)) else {
                return HTTPResponse(statusCode: .notFound, body: Data("no such error log: \(file)\n".utf8))
            }
            return HTTPResponse(statusCode: .ok, headers: [.contentType: "text/plain; charset=utf-8"], body: data)
        }
    }

    /// Adds the heartbeat and task routes of a node.
    public static func addNodeRoutes(to server: HTTPServer, service: ComputeNodeService, version: String, startTime: Double) async {
        await server.appendRoute("GET /api/heartbeat") { _ in
            json(HeartbeatInfo(version: version, startTime: startTime, cpuCores: ProcessInfo.processInfo.activeProcessorCount,
                               runningTasks: service.runningTasks, finishedTasks: service.finishedTasks))
        }
        await server.appendRoute("POST /api/task") { request in
            let task: LoadTask
            do { task = try JSONDecoder().decode(LoadTask.self, from: try await request.bodyData) } catch {
                return HTTPResponse(statusCode: .badRequest, body: Data("invalid task: \(error)\n".utf8))
            }
            do { try service.submit(task) } catch {
                return HTTPResponse(statusCode: .serviceUnavailable, body: Data("\(error)".utf8))
            }
            return HTTPResponse(statusCode: .ok, body: Data("{\"status\":\"OK\"}".utf8))
        }
        await server.appendRoute("GET /api/task") { request in
            guard let id = request.query["id"], let report = service.report(id) else {
                return HTTPResponse(statusCode: .notFound, body: Data("unknown task\n".utf8))
            }
            return json(report)
        }
        await server.appendRoute("DELETE /api/task") { request in
            if let id = request.query["id"] { service.forget(id) }
            return HTTPResponse(statusCode: .ok)
        }
    }

    static func json(_ value: some Encodable) -> HTTPResponse {
        guard let data = try? JSONEncoder().encode(value) else { return HTTPResponse(statusCode: .internalServerError) }
        return HTTPResponse(statusCode: .ok, headers: [.contentType: "application/json"], body: data)
    }

    /// Starts `server` on a background task; returns once it listens (or throws why it cannot).
    public static func start(_ server: HTTPServer) throws {
        let failure = FailureBox()
        Task { do { try await server.run() } catch { failure.set(error) } }
        let ready = DispatchSemaphore(value: 0)
        Task { try? await server.waitUntilListening(timeout: 10); ready.signal() }
        ready.wait()
        if let error = failure.get() { throw error }
    }

    private final class FailureBox: @unchecked Sendable {
        private let lock = NSLock()
        private var error: (any Error)?
        func set(_ e: any Error) { lock.withLock { error = e } }
        func get() -> (any Error)? { lock.withLock { error } }
    }
}
