import Foundation
import LoadPipeline
import ObjectStore
import Synchronization

/// Writer schemas from a Confluent schema registry (`GET <url>/schemas/ids/<id>`), with HTTP basic auth from the URL's
/// user info (`http[s]://key:secret@host[:port]`), cached per id for the life of the node (a registered id never
/// changes its schema). 404 makes the message an error row; anything else that is not an answer (down, 5xx, refused
/// credentials) fails the task, which is retried.
final class SchemaRegistry: AvroSchemaSource {
    let base: String
    private let user: String?
    private let password: String?
    private let cache = Mutex<[Int32: String]>([:])
    /// Ids the registry said it does not have, with when: asked again after a minute, not for every message.
    private let unknown = Mutex<[Int32: (String, Double)]>([:])

    struct Invalid: Error, CustomStringConvertible { var description: String }

    init(url: String) throws(Invalid) {
        guard var parts = URLComponents(string: url.trimmingCharacters(in: .whitespaces)),
              let scheme = parts.scheme?.lowercased(), scheme == "http" || scheme == "https", let host = parts.host, !host.isEmpty else {
            throw Invalid(description: "confluent.schema.registry.url must be http[s]://[key:secret@]host[:port]")
        }
        user = parts.user.map { $0.removingPercentEncoding ?? $0 }
        password = parts.password.map { $0.removingPercentEncoding ?? $0 }
        parts.user = nil
        parts.password = nil
        parts.query = nil
        parts.fragment = nil
        var text = parts.string ?? ""
        while text.hasSuffix("/") { text.removeLast() }
        base = text
    }

    func schema(id: Int32) throws(AvroSchemaError) -> String {
        if let s = cache.withLock({ $0[id] }) { return s }
        let now = Date().timeIntervalSince1970
        if let (why, at) = unknown.withLock({ $0[id] }), now - at < 60 { throw .unknown(why) }
        let answer: (status: Int, body: [UInt8])
        do { answer = try HTTPGet.fetch("\(base)/schemas/ids/\(id)", user: user, password: password) } catch {
            throw .unavailable("\(base): \(error)")
        }
        let text = String(decoding: answer.body, as: UTF8.self)
        let parsed = try? JSONParser.parse(text)
        switch answer.status {
        case 200:
            guard case .string(let schema)? = parsed?["schema"] else { throw .unavailable("\(base) answered without a schema") }
            cache.withLock { $0[id] = schema }
            return schema
        case 404 where (parsed?["error_code"]).map({ if case .number("40403") = $0 { return true } else { return false } }) == true:
            // Only the registry's own "schema not found" makes the message an error row; any other 404 (a wrong base path,
            // a proxy) is the registry not answering, so nothing is dropped.
            let why: String = { if case .string(let m)? = parsed?["message"] { return m } else { return "Schema not found" } }()
            unknown.withLock { if $0.count > 1024 { $0.removeAll() }; $0[id] = (why, now) }
            throw .unknown(why)
        default:
            let message: String = { if case .string(let m)? = parsed?["message"] { return ": \(m)" } else { return "" } }()
            throw .unavailable("\(base) answered HTTP \(answer.status)\(message)")
        }
    }
}

/// The node's registries by URL, shared by its tasks (each keeps its schema cache).
final class SchemaRegistries: Sendable {
    private let registries = Mutex<[String: SchemaRegistry]>([:])

    func registry(_ url: String) throws -> SchemaRegistry {
        if let r = registries.withLock({ $0[url] }) { return r }
        let r = try SchemaRegistry(url: url)
        registries.withLock { if $0.count >= 64 { $0.removeAll() }; $0[url] = r }
        return r
    }
}
