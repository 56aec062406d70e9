import Foundation
import Synchronization

/// Which librdkafka settings a routine load's `property.*` may carry. Settings come from SQL users, and
/// librdkafka has settings that run a shell command (`sasl.kerberos.kinit.cmd`), load shared libraries
/// (`plugin.library.paths`, `ssl.engine.location`, `ssl.providers`) or change what exactly-once relies on
/// (`auto.offset.reset`, `enable.auto.commit`), so only an allowlist passes: security (SASL, SSL), client
/// identity, fetch and queue sizes, isolation level, protocol versions and socket timeouts. The FE checks it at
/// CREATE and ALTER ROUTINE LOAD, and every Kafka client built from user settings checks it again (the FE's
/// metadata client and each compute node's consumer), so a forged task cannot get past it either.
public enum KafkaPropertyPolicy {
    /// Settings of our own that are never handed to librdkafka.
    public static let tributaryKeys: Set<String> = ["kafka_default_offsets"]

    /// librdkafka consumer settings a routine load may set, with their kind of value.
    static let allowed: [String: Value] = {
        var m: [String: Value] = [:]
        for k in ["security.protocol"] { m[k] = .oneOf(["plaintext", "ssl", "sasl_plaintext", "sasl_ssl"]) }
        m["sasl.mechanism"] = .oneOf(["plain", "scram-sha-256", "scram-sha-512", "gssapi", "oauthbearer"])
        m["sasl.mechanisms"] = m["sasl.mechanism"]
        for k in ["sasl.username", "sasl.password", "ssl.key.password", "ssl.keystore.password", "ssl.ca.pem",
                  "ssl.certificate.pem", "ssl.key.pem", "ssl.cipher.suites", "ssl.curves.list", "ssl.sigalgs.list",
                  "client.id", "client.rack", "group.id", "group.instance.id", "sasl.oauthbearer.config",
                  "sasl.oauthbearer.extensions", "broker.version.fallback"] { m[k] = .text }
        // Files are read, never written; the path must be a plain path (no shell or URL syntax).
        for k in ["ssl.ca.location", "ssl.certificate.location", "ssl.key.location", "ssl.keystore.location",
                  "ssl.crl.location", "sasl.kerberos.keytab"] { m[k] = .path }
        // Interpolated by librdkafka into the default kinit command line: letters, digits and . _ / @ - only.
        for k in ["sasl.kerberos.principal", "sasl.kerberos.service.name"] { m[k] = .token }
        // OIDC (sasl.oauthbearer.method=oidc and its token endpoint) is left out: it would have the FE and every node
        // send HTTP requests to an address a SQL user picks.
        m["sasl.oauthbearer.method"] = .oneOf(["default"])
        m["ssl.endpoint.identification.algorithm"] = .oneOf(["none", "https"])
        m["isolation.level"] = .oneOf(["read_committed", "read_uncommitted"])
        m["broker.address.family"] = .oneOf(["any", "v4", "v6"])
        m["client.dns.lookup"] = .oneOf(["use_all_dns_ips", "resolve_canonical_bootstrap_servers_only"])
        for k in ["enable.ssl.certificate.verification", "api.version.request", "check.crcs", "socket.keepalive.enable",
                  "socket.nagle.disable", "enable.sasl.oauthbearer.unsecure.jwt"] { m[k] = .boolean }
        for k in ["fetch.wait.max.ms", "fetch.min.bytes", "fetch.max.bytes", "fetch.message.max.bytes", "max.partition.fetch.bytes",
                  "fetch.error.backoff.ms", "fetch.queue.backoff.ms", "queued.min.messages", "queued.max.messages.kbytes",
                  "receive.message.max.bytes", "message.max.bytes", "api.version.request.timeout.ms", "api.version.fallback.ms",
                  "socket.timeout.ms", "socket.connection.setup.timeout.ms", "socket.send.buffer.bytes",
                  "socket.receive.buffer.bytes", "reconnect.backoff.ms", "reconnect.backoff.max.ms", "retry.backoff.ms",
                  "retry.backoff.max.ms", "metadata.max.age.ms", "topic.metadata.refresh.interval.ms",
                  "connections.max.idle.ms", "sasl.kerberos.min.time.before.relogin", "session.timeout.ms",
                  "heartbeat.interval.ms", "max.poll.interval.ms"] { m[k] = .number(max: 2_147_483_647) }
        // Queue sizes bound what one consumer holds in memory.
        m["queued.min.messages"] = .number(max: 10_000_000)
        m["queued.max.messages.kbytes"] = .number(max: 1_048_576)
        return m
    }()

    /// Settings whose values are secrets: shown as `******` everywhere.
    public static func isSecret(_ key: String) -> Bool {
        let k = Array(key.lowercased().utf8)
        // A byte search: Foundation's `contains` took a few percent of a cold SHOW ROUTINE LOAD of ten thousand jobs.
        func has(_ word: String) -> Bool {
            let w = Array(word.utf8)
            return k.count >= w.count && (0...(k.count - w.count)).contains { k[$0..<($0 + w.count)].elementsEqual(w) }
        }
        return has("password") || has("secret") || ["ssl.key.pem", "sasl.oauthbearer.config", "sasl.oauthbearer.extensions"].contains { Array($0.utf8) == k }
    }

    /// Directories no file setting may point into (the FE's meta_dir with its keys and catalog; a node's config).
    /// Set once at start by the process.
    public static func protect(_ paths: [String]) {
        let cwd = FileManager.default.currentDirectoryPath
        protected.withLock {
            $0 = paths.map { p in
                let absolute = p.hasPrefix("/") ? p : (cwd as NSString).appendingPathComponent(p)
                return ((absolute as NSString).standardizingPath as NSString).resolvingSymlinksInPath
            }
        }
    }
    private static let protected = Mutex<[String]>([])

    /// Why the files `settings` name cannot be used here, or nil: each must be a regular file outside the protected
    /// directories (not a device, a FIFO or a key of the FE's own). Checked where a client is made, on each host.
    public static func fileRefusal(_ settings: [(String, String)]) -> String? {
        for (k, v) in settings where allowed[k] == .path && !(k == "ssl.ca.location" && v == "probe") {
            let resolved = ((v as NSString).standardizingPath as NSString).resolvingSymlinksInPath
            if protected.withLock({ $0 }).contains(where: { resolved == $0 || resolved.hasPrefix($0 + "/") }) {
                return "kafka property '\(k)' names a file of Tributary's own"
            }
            var info = stat()
            if stat(resolved, &info) == 0, info.st_mode & S_IFMT != S_IFREG { return "kafka property '\(k)' must name a regular file" }
        }
        return nil
    }

    /// Settings refused with a reason of their own, because they are dangerous rather than merely unknown.
    static let dangerous: [String: String] = [
        "sasl.kerberos.kinit.cmd": "it runs a shell command",
        "plugin.library.paths": "it loads code into the process",
        "ssl.engine.location": "it loads code into the process",
        "ssl.engine.id": "it selects code loaded into the process",
        "ssl.providers": "it loads code into the process",
        "ssl_engine_callback_data": "it passes raw memory to loaded code",
        "opaque": "it passes raw memory to callbacks",
        "debug": "it floods the server log",
        "log_level": "it changes the server log",
        "bootstrap.servers": "set kafka_broker_list instead",
        "metadata.broker.list": "set kafka_broker_list instead",
        "auto.offset.reset": "offsets are managed by the routine load, and a reset would skip or repeat data",
        "enable.auto.commit": "offsets are managed by the routine load",
        "enable.auto.offset.store": "offsets are managed by the routine load",
        "enable.partition.eof": "the routine load relies on end-of-partition events",
    ]

    enum Value: Equatable {
        case text, path, token, boolean
        case number(max: Int64)
        case oneOf(Set<String>)
    }

    /// Why `key = value` is refused, or nil when it may be passed to librdkafka. Keys are librdkafka's, without
    /// the `property.` prefix; ``tributaryKeys`` are accepted here and filtered out by ``librdkafkaSettings(_:)``.
    public static func refusal(key: String, value: String) -> String? {
        if tributaryKeys.contains(key) { return nil }
        if value.utf8.contains(0) || key.utf8.contains(0) { return "kafka property '\(key)' contains a NUL byte" }
        if let why = dangerous[key] { return "kafka property '\(key)' is not allowed: \(why)" }
        if key.hasSuffix("_cb") || key.hasSuffix(".cb") { return "kafka property '\(key)' is not allowed: it installs a callback" }
        guard let kind = allowed[key] else {
            return "kafka property '\(key)' is not supported by routine load; supported: security, SASL, SSL, client id, "
                + "fetch and queue sizes, isolation.level, api.version.* and socket settings (see docs/configuration.md)"
        }
        guard accepts(kind, value) else { return "kafka property '\(key)' has an invalid value: \(expectation(kind, value))" }
        return nil
    }

    /// What a value of `kind` must look like; the value itself is repeated only where it cannot be a secret.
    private static func expectation(_ kind: Value, _ value: String) -> String {
        switch kind {
        case .oneOf(let options): return "'\(value.prefix(64))', expected one of \(options.sorted().joined(separator: ", ")) (any case)"
        case .number(let max): return "'\(value.prefix(64))', expected an integer from 0 to \(max)"
        case .boolean: return "'\(value.prefix(64))', expected true or false"
        case .path: return "expected an absolute file path of letters, digits and . _ / - + , = : @"
        case .token: return "expected letters, digits and . _ / @ - (not starting with -)"
        case .text: return "expected a non-empty value"
        }
    }

    /// The first refusal among `settings`, or nil.
    public static func firstRefusal(_ settings: [(String, String)]) -> String? {
        for (k, v) in settings { if let why = refusal(key: k, value: v) { return why } }
        return nil
    }

    /// `settings` without Tributary's own keys: what reaches librdkafka, once ``firstRefusal(_:)`` found nothing.
    public static func librdkafkaSettings(_ settings: [(String, String)]) -> [(String, String)] {
        settings.filter { !tributaryKeys.contains($0.0) }
    }

    private static func accepts(_ kind: Value, _ value: String) -> Bool {
        guard !value.isEmpty, value.utf8.count <= 65_536 else { return false }
        switch kind {
        case .text: return true
        case .boolean: return ["true", "false"].contains(value.lowercased())
        case .number(let max):
            return value.utf8.count <= 12 && value.utf8.allSatisfy { $0 >= 0x30 && $0 <= 0x39 } && (Int64(value) ?? .max) <= max
        case .oneOf(let options): return options.contains(value.lowercased())
        case .token:
            // Put unquoted into librdkafka's kinit command line: no shell syntax, and no leading '-' (a kinit option).
            return value.first != "-" && value.utf8.allSatisfy { isAlphanumeric($0) || "._/@-".utf8.contains($0) }
        case .path:
            // An absolute path of plain characters (no shell or URL syntax), or librdkafka's `probe` for the CA store.
            return (value.first == "/" || value == "probe") && value.utf8.count <= 4096
                && value.utf8.allSatisfy { isAlphanumeric($0) || "._/-+,=:@".utf8.contains($0) }
        }
    }

    private static func isAlphanumeric(_ b: UInt8) -> Bool {
        (b >= 0x30 && b <= 0x39) || (b >= 0x41 && b <= 0x5A) || (b >= 0x61 && b <= 0x7A)
    }
}
