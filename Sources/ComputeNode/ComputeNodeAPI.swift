import FlyingFox
import Foundation
import TaskContract

/// The compute node's HTTP API (served by `tributary-cn` on its heartbeat_service_port, and by the FE's HTTP
/// port for its embedded node's error logs):
/// Every route but the error log requires a request signed with the cluster token (``NodeRequestSigner``).
/// - `GET /api/heartbeat` → ``HeartbeatInfo`` as JSON
/// - `POST /api/task` with a ``LoadTask`` → 200, or 503 with the refusal text
/// - `GET /api/task?id=` → ``TaskReport`` as JSON, 404 if unknown; `DELETE /api/task?id=` forgets it
/// - `GET /api/_load_error_log?file=` → the rejected rows of a task, as text. Not signed: users open these URLs
///   from SHOW ROUTINE LOAD, as in StarRocks; each file name carries 128 random bits, so only someone shown the URL
///   can read it.
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

    /// Largest request body a node reads (a task is a few kilobytes; a wide schema and long COLUMNS make it larger).
    static let maxBodyBytes = 4 << 20

    /// Adds the heartbeat and task routes of a node; each answers only requests signed with the cluster token
    /// (``NodeRequestSigner``), 401 with the reason otherwise, and signs its answers.
    public static func addNodeRoutes(to server: HTTPServer, service: ComputeNodeService, verifier: NodeRequestVerifier,
                                     version: String, startTime: Double) async {
        await server.appendRoute("GET /api/heartbeat") { request in
            await signed(request, verifier) { _ in
                json(HeartbeatInfo(version: version, startTime: startTime, cpuCores: ProcessInfo.processInfo.activeProcessorCount,
                                   runningTasks: service.runningTasks, finishedTasks: service.finishedTasks))
            }
        }
        await server.appendRoute("POST /api/task") { request in
            await signed(request, verifier) { body in
                let task: LoadTask
                do { task = try JSONDecoder().decode(LoadTask.self, from: Data(try verifier.cipher.open([UInt8](body)))) } catch {
                    return HTTPResponse(statusCode: .badRequest, body: Data("invalid task: \(error)\n".utf8))
                }
                do { try service.submit(task) } catch {
                    return HTTPResponse(statusCode: .serviceUnavailable, body: Data("\(error)".utf8))
                }
                return HTTPResponse(statusCode: .ok, body: Data("{\"status\":\"OK\"}".utf8))
            }
        }
        await server.appendRoute("GET /api/task") { request in
            await signed(request, verifier) { _ in
                guard let id = request.query["id"], let report = service.report(id) else {
                    return HTTPResponse(statusCode: .notFound, body: Data("unknown task\n".utf8))
                }
                return json(report)
            }
        }
        await server.appendRoute("DELETE /api/task") { request in
            await signed(request, verifier) { _ in
                if let id = request.query["id"] { service.forget(id) }
                return HTTPResponse(statusCode: .ok)
            }
        }
    }

    /// Runs `handle` for a request signed by the FE, and signs its answer. The signature is checked from the headers
    /// before any body is read; a body must declare its length (no chunked bodies) and stay under ``maxBodyBytes``, and
    /// must hash to what the signature covers.
    private static func signed(_ request: HTTPRequest, _ verifier: NodeRequestVerifier,
                               _ handle: (Data) -> HTTPResponse) async -> HTTPResponse {
        let header = { (name: String) in request.headers[HTTPHeader(name)] }
        let bodyHash: String
        do { bodyHash = try verifier.verify(method: request.method.rawValue, target: request.target.rawValue, headers: header,
                                            now: Date().timeIntervalSince1970) } catch { return unauthorized(error) }
        var body = Data()
        if request.method != .GET {
            guard let length = request.bodySequence.count else {
                return HTTPResponse(statusCode: .lengthRequired, body: Data("a request body must declare its length\n".utf8))
            }
            guard length <= maxBodyBytes else { return HTTPResponse(statusCode: .payloadTooLarge, body: Data("request body too large\n".utf8)) }
            do { body = try await request.bodyData } catch {
                return HTTPResponse(statusCode: .badRequest, body: Data("cannot read the request body\n".utf8))
            }
        }
        guard verifier.bodyMatches([UInt8](body), hash: bodyHash) else {
            return HTTPResponse(statusCode: .unauthorized, body: Data("the body does not match its signature\n".utf8))
        }
        var response = handle(body)
        let nonce = header(NodeRequestSigner.nonceHeader) ?? ""
        let answer = (try? await response.bodyData) ?? Data()
        response.headers[HTTPHeader(NodeRequestSigner.responseHeader)] =
            verifier.signResponse(nonce: nonce, status: response.statusCode.code, body: [UInt8](answer))
        return response
    }

    private static func unauthorized(_ refusal: NodeRequestVerifier.Refusal) -> HTTPResponse {
        HTTPResponse(statusCode: .unauthorized, headers: [.contentType: "text/plain; charset=utf-8"], body: Data("\(refusal)\n".utf8))
    }

    static func json(_ value: some Encodable) -> HTTPResponse {
        guard let data = try? JSONEncoder().encode(value) else { return HTTPResponse(statusCode: .internalServerError) }
        return HTTPResponse(statusCode: .ok, headers: [.contentType: "application/json"], body: data)
    }

    /// Starts `server` on a background task; returns once it listens, or throws at once why it cannot (the port is
    /// taken, the address is not local).
    public static func start(_ server: HTTPServer) throws {
        let failure = FailureBox()
        let settled = DispatchSemaphore(value: 0)
        Task {
            do { try await server.run() } catch { failure.set(error) }
            settled.signal()
        }
        Task {
            try? await server.waitUntilListening(timeout: 10)
            settled.signal()
        }
        settled.wait()
        if let error = failure.get() { throw error }
        let listening = DispatchSemaphore(value: 0)
        let state = FailureBox()
        Task {
            if await !server.isListening { state.set(StartFailure()) }
            listening.signal()
        }
        listening.wait()
        if let error = state.get() { throw error }
    }

    struct StartFailure: Error, CustomStringConvertible {
        var description: String { "the HTTP server did not start listening within 10 seconds" }
    }

    private final class FailureBox: @unchecked Sendable {
        private let lock = NSLock()
        private var error: (any Error)?
        func set(_ e: any Error) { lock.withLock { error = e } }
        func get() -> (any Error)? { lock.withLock { error } }
    }
}
