import ComputeNode
import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
import TaskContract
#endif

/// A blocking HTTP/JSON call, for the coordinator and heartbeat threads (never a client connection's thread).
enum BlockingHTTP {
    struct Failure: Error, CustomStringConvertible { var description: String }

    static func call(_ method: String, _ url: String, body: Data? = nil, headers: [String: String] = [:],
                     timeout: Double = 3) throws -> (status: Int, body: Data, headers: [String: String]) {
        guard let u = URL(string: url) else { throw Failure(description: "invalid URL \(url)") }
        var request = URLRequest(url: u, timeoutInterval: timeout)
        request.httpMethod = method
        for (k, v) in headers { request.setValue(v, forHTTPHeaderField: k) }
        if let body { request.httpBody = body; request.setValue("application/json", forHTTPHeaderField: "Content-Type") }
        let done = DispatchSemaphore(value: 0)
        let box = ResultBox()
        URLSession.shared.dataTask(with: request) { data, response, error in
            if let error { box.result = .failure(Failure(description: error.localizedDescription)) }
            else {
                let http = response as? HTTPURLResponse
                var fields: [String: String] = [:]
                for (k, v) in http?.allHeaderFields ?? [:] { if let k = k as? String, let v = v as? String { fields[k.lowercased()] = v } }
                box.result = .success((http?.statusCode ?? 0, data ?? Data(), fields))
            }
            done.signal()
        }.resume()
        done.wait()
        return try box.result!.get()
    }

    private final class ResultBox: @unchecked Sendable { var result: Result<(status: Int, body: Data, headers: [String: String]), any Error>? }
}

/// A `tributary-cn` reached over its HTTP API (``ComputeNodeAPI``); every request is signed with the cluster token.
struct HTTPNodeConnection: ComputeNodeConnection {
    let base: String
    let signer: NodeRequestSigner

    init(host: String, port: Int, signer: NodeRequestSigner) {
        base = "http://\(host):\(port)"
        self.signer = signer
    }

    private func call(_ method: String, _ target: String, body: Data? = nil, timeout: Double = 3) throws -> (status: Int, body: Data) {
        let headers = signer.headers(method: method, target: target, body: body.map { [UInt8]($0) } ?? [], now: Date().timeIntervalSince1970)
        let (status, answer, answerHeaders) = try BlockingHTTP.call(method, base + target, body: body, headers: headers, timeout: timeout)
        if status == 401 {
            throw BlockingHTTP.Failure(description: "the node refused the FE: \(String(decoding: answer, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines))")
        }
        // Only the node holding the token can sign an answer to this request: a forged report is never believed.
        guard signer.verifyResponse(nonce: headers[NodeRequestSigner.nonceHeader] ?? "", status: status, body: [UInt8](answer),
                                    signature: answerHeaders[NodeRequestSigner.responseHeader.lowercased()]) else {
            throw BlockingHTTP.Failure(description: "the answer of \(base) is not signed with the cluster token")
        }
        return (status, answer)
    }

    func submit(_ task: LoadTask) throws {
        // Tasks carry credentials (S3 volume keys, Kafka passwords): they go encrypted with the cluster token.
        let sealed = try TaskCipher(token: signer.token).seal([UInt8](try JSONEncoder().encode(task)))
        let (status, body) = try call("POST", "/api/task", body: Data(sealed))
        guard status == 200 else { throw BlockingHTTP.Failure(description: String(decoding: body, as: UTF8.self)) }
    }

    func report(_ taskID: String) throws -> TaskReport? {
        let (status, body) = try call("GET", "/api/task?id=" + taskID)
        if status == 404 { return nil }
        guard status == 200 else { throw BlockingHTTP.Failure(description: "HTTP \(status)") }
        return try JSONDecoder().decode(TaskReport.self, from: body)
    }

    func forget(_ taskID: String) { _ = try? call("DELETE", "/api/task?id=" + taskID) }

    func heartbeat() throws -> ComputeNodeAPI.HeartbeatInfo {
        let (status, body) = try call("GET", "/api/heartbeat", timeout: 2)
        guard status == 200 else { throw BlockingHTTP.Failure(description: "HTTP \(status)") }
        return try JSONDecoder().decode(ComputeNodeAPI.HeartbeatInfo.self, from: body)
    }
}
