import ComputeNode
import FlyingFox
import Foundation
import JobScheduler

/// The FE's own routes on http_port (the embedded node's error-log route is added beside them):
/// - `GET /api/health` — liveness: 200 while the process serves HTTP.
/// - `GET /api/health/ready` — 200 once the catalog is open, the scheduler holds every job and the query port accepts;
///   503 before, and again once a shutdown began.
/// - `GET /metrics` — Prometheus text (``FrontendMetrics``); basic auth when fe.conf `metrics_require_auth`.
/// - `GET /` — the dashboard page (``DashboardPage``, with `/dashboard.js` and `/dashboard.css`); `GET /api/dashboard` its data; `POST /api/jobs/pause|resume`
///   PAUSE/RESUME a job. All three need MySQL credentials (basic auth); a POST also needs the header
///   `X-Tributary-Request: 1`, which a cross-site form cannot send and a cross-site script cannot without a CORS
///   preflight we never answer, so a logged-in browser cannot be made to pause a job from another site.
enum FrontendHTTP {
    static func addRoutes(to http: HTTPServer, server: ServerContext) async {
        await http.appendRoute("GET /api/health") { _ in json(#"{"status":"OK"}"#) }
        await http.appendRoute("GET /api/health/ready") { _ in
            server.isReady ? json(#"{"status":"READY"}"#) : json(#"{"status":"NOT_READY"}"#, status: .serviceUnavailable)
        }
        await http.appendRoute("GET /metrics") { request in
            if server.config.metricsRequireAuth, case .refused(let answer) = await authenticate(request, server) { return answer }
            let text = await offload { () -> String in
                let nodes = server.loads.nodes.all
                return server.metrics.scrape(server.loads.views(database: nil), now: Date().timeIntervalSince1970,
                                             unstableThreshold: server.config.routineLoadUnstableThresholdSecond,
                                             connections: server.connections.count,
                                             nodes: (nodes.filter(\.alive).count, nodes.count))
            }
            if text.utf8.count > largeAnswer { AllocatorTuning.releaseFreeMemory() }
            return HTTPResponse(statusCode: .ok, headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"], body: Data(text.utf8))
        }
        guard server.config.httpDashboard else { return }
        await http.appendRoute("GET /") { request in
            if case .refused(let answer) = await authenticate(request, server) { return answer }
            return HTTPResponse(statusCode: .ok, headers: [.contentType: "text/html; charset=utf-8", HTTPHeader("Cache-Control"): "no-store",
                                                           HTTPHeader("Content-Security-Policy"): DashboardPage.contentSecurityPolicy,
                                                           HTTPHeader("X-Frame-Options"): "DENY"],
                                body: Data(DashboardPage.html.utf8))
        }
        // The script and style sheet hold no data: served without credentials (the page that uses them asks for them).
        await http.appendRoute("GET /dashboard.js") { _ in asset(DashboardPage.script, "text/javascript; charset=utf-8") }
        await http.appendRoute("GET /dashboard.css") { _ in asset(DashboardPage.css, "text/css; charset=utf-8") }
        await http.appendRoute("GET /api/dashboard") { request in
            let gate = await authenticate(request, server)
            guard case .allowed(let login) = gate else { return gate.answer }
            let result = await offload { () -> Result<Data, any Error> in
                Result { try JSONEncoder().encode(try DashboardAPI(server: server, login: login).snapshot()) }
            }
            if case .success(let data) = result, data.count > largeAnswer { AllocatorTuning.releaseFreeMemory() }
            switch result {
            case .success(let data):
                return HTTPResponse(statusCode: .ok, headers: [.contentType: "application/json", HTTPHeader("Cache-Control"): "no-store"], body: data)
            case .failure(let error):
                return json(errorJSON(1105, "\(error)"), status: .internalServerError)
            }
        }
        for action in [DashboardAPI.Action.pause, .resume] {
            await http.appendRoute(HTTPRoute(stringLiteral: "POST /api/jobs/\(action.rawValue)")) { request in
                let gate = await authenticate(request, server)
                guard case .allowed(let login) = gate else { return gate.answer }
                guard request.headers[HTTPHeader("X-Tributary-Request")] == "1" else {
                    return json(errorJSON(1227, "the request needs the header X-Tributary-Request: 1"), status: .forbidden)
                }
                guard let length = request.bodySequence.count, length <= 4096, let body = try? await request.bodyData,
                      let target = try? JSONDecoder().decode(JobTarget.self, from: body) else {
                    return json(errorJSON(1064, #"expected a JSON body {"database": "...", "name": "..."}"#), status: .badRequest)
                }
                let failure = await offload { () -> SQLError? in
                    do throws(SQLError) { try DashboardAPI(server: server, login: login).perform(action, database: target.database, name: target.name) } catch {
                        return error
                    }
                    return nil
                }
                if let failure {
                    let denied: Set<UInt16> = [1044, 1142, 1227, 5203]          // MySQL's and StarRocks' access-denied codes
                    return json(errorJSON(Int(failure.code), failure.message), status: denied.contains(failure.code) ? .forbidden : .badRequest)
                }
                return json(#"{"status":"OK"}"#)
            }
        }
    }

    struct JobTarget: Decodable { var database: String; var name: String }

    /// An answer this large (thousands of jobs) leaves megabytes of freed buffers in the heaps, which the FE's allocator
    /// settings keep (``AllocatorTuning``); they are handed back to the OS after it is built.
    static let largeAnswer = 1 << 20

    /// Whether a request may go on, with its MySQL login; or the answer refusing it.
    enum Gate {
        case allowed(HTTPBasicAuthentication.Login)
        case refused(HTTPResponse)

        var answer: HTTPResponse {
            if case .refused(let response) = self { return response }
            return HTTPResponse(statusCode: .internalServerError)
        }
    }

    /// The request's MySQL login. Refused, in this order: a Host header that is not an IP address, `localhost` or one of
    /// `http_allowed_hosts` (a DNS-rebinding page cannot borrow a browser's access to the FE); a client whose address is
    /// unknown; credentials from a host other than loopback unless `http_remote_basic_auth` (over plain HTTP the password
    /// travels in clear text); wrong credentials, answered after 300 ms as a failed MySQL login is, and counted towards
    /// the same lockout.
    static func authenticate(_ request: HTTPRequest, _ server: ServerContext) async -> Gate {
        guard HostPolicy.allows(host: request.headers[.host], extra: server.config.httpAllowedHosts) else {
            return .refused(json(errorJSON(1045, "Host '\(request.headers[.host] ?? "")' is not allowed; add it to http_allowed_hosts in fe.conf"),
                                 status: .forbidden))
        }
        let client: String
        switch request.remoteAddress {
        case .ip4(let ip, _)?, .ip6(let ip, _)?: client = ip.hasPrefix("::ffff:") ? String(ip.dropFirst(7)) : ip
        default: return .refused(challenge())
        }
        guard server.config.httpRemoteBasicAuth || HostPolicy.isLoopback(client) else {
            return .refused(json(errorJSON(1045, "credentials over plain HTTP are accepted from this machine only; set http_remote_basic_auth = true "
                                                 + "in fe.conf to accept them from \(client), or reach the FE through an SSH tunnel"), status: .forbidden))
        }
        let header = request.headers[.authorization]
        let login = await offload { HTTPBasicAuthentication(server: server).login(authorization: header, clientHost: client) }
        guard let login else {
            if header != nil { try? await Task.sleep(for: .milliseconds(300)) }
            return .refused(challenge())
        }
        return .allowed(login)
    }

    static func asset(_ text: String, _ type: String) -> HTTPResponse {
        HTTPResponse(statusCode: .ok, headers: [.contentType: type, HTTPHeader("X-Content-Type-Options"): "nosniff"], body: Data(text.utf8))
    }

    static func challenge() -> HTTPResponse {
        HTTPResponse(statusCode: .unauthorized, headers: [HTTPHeader("WWW-Authenticate"): #"Basic realm="Tributary", charset="UTF-8""#,
                                                          .contentType: "text/plain; charset=utf-8"],
                     body: Data("log in with a MySQL user of this FE\n".utf8))
    }

    static func json(_ text: String, status: HTTPStatusCode = .ok) -> HTTPResponse {
        HTTPResponse(statusCode: status, headers: [.contentType: "application/json"], body: Data(text.utf8))
    }

    static func errorJSON(_ code: Int, _ message: String) -> String {
        let data = (try? JSONEncoder().encode(["code": String(code), "message": message])) ?? Data()
        return String(decoding: data, as: UTF8.self)
    }

    /// Runs blocking work (catalog reads, statements) on a Dispatch queue, not on the cooperative threads that serve HTTP.
    static func offload<T: Sendable>(_ work: @escaping @Sendable () -> T) async -> T {
        await withCheckedContinuation { continuation in
            DispatchQueue.global(qos: .userInitiated).async { continuation.resume(returning: work()) }
        }
    }
}
