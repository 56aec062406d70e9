import Foundation

/// Where a storage volume's objects live and how to reach them: a normalized endpoint, the bucket and key prefix,
/// the addressing style and the credentials. Built from a volume's location and `aws.s3.*` properties; its
/// `description` never shows the secret key (nor does any error built from it).
public struct S3Config: Codable, Hashable, Sendable, CustomStringConvertible {
    /// `http[s]://host[:port]`, no path and no trailing slash.
    public var endpoint: String
    public var region: String
    public var bucket: String
    /// The key prefix inside the bucket, without leading or trailing slashes ("" for the bucket's root).
    public var prefix: String
    /// Path-style addressing (`endpoint/bucket/key`) rather than virtual-host (`bucket.host/key`).
    public var pathStyle: Bool
    public var accessKey: String
    public var secretKey: String
    /// `aws.s3.num_partitioned_prefix` when `aws.s3.enable_partitioned_prefix` is on (keys spread over that many hashed
    /// top-level prefixes, S3's request rate being per prefix); 0 otherwise.
    public var partitions: Int

    public init(endpoint: String, region: String, bucket: String, prefix: String, pathStyle: Bool, accessKey: String, secretKey: String,
                partitions: Int = 0) {
        self.endpoint = endpoint; self.region = region; self.bucket = bucket; self.prefix = prefix
        self.pathStyle = pathStyle; self.accessKey = accessKey; self.secretKey = secretKey; self.partitions = partitions
    }

    public static let defaultRegion = "us-east-1"

    public var description: String { "s3://\(bucket)\(prefix.isEmpty ? "" : "/" + prefix) at \(endpoint)" }

    /// `s3://bucket/prefix/key` for messages.
    public func displayURL(_ key: String) -> String { "s3://\(bucket)/\(key)" }

    /// The object key of a path relative to the volume (`db1/t2/txn3.seg` → `prefix/db1/t2/txn3.seg`, or
    /// `002a/db1/t2/txn3.seg` with partitioned prefixes).
    public func key(_ relative: String) -> String {
        let base = prefix.isEmpty ? relative : prefix + "/" + relative
        guard partitions > 0 else { return base }
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325                     // FNV-1a: stable across processes and versions
        for byte in relative.utf8 { hash = (hash ^ UInt64(byte)) &* 0x100_0000_01b3 }
        return String(format: "%04x", Int(hash % UInt64(partitions))) + "/" + base
    }

    /// What to list to see every key of the volume: its prefix up to the first `/`, so that no listing request has
    /// to encode a `/` in its query. S3-compatible servers disagree on how an encoded `/` in a query is signed
    /// (moto checks the signature over the decoded query), and a `/` sent unencoded breaks AWS's own rule; listings
    /// are filtered by `relative(_:)` anyway.
    public var listPrefix: String { partitions > 0 ? "" : String(prefix.prefix { $0 != "/" }) }

    /// The path relative to the volume of one of its keys (nil for a key that is not the volume's).
    public func relative(_ key: String) -> String? {
        var rest = Substring(key)
        if partitions > 0 {
            guard let slash = rest.firstIndex(of: "/") else { return nil }
            rest = rest[rest.index(after: slash)...]
        }
        if !prefix.isEmpty {
            guard rest.hasPrefix(prefix + "/") else { return nil }
            rest = rest.dropFirst(prefix.count + 1)
        }
        return key == self.key(String(rest)) ? String(rest) : nil
    }
}

/// Why a location or an endpoint cannot be used.
public struct S3ConfigError: Error, Equatable, CustomStringConvertible, Sendable {
    public var description: String
    public init(_ description: String) { self.description = description }
}

extension S3Config {
    /// Whether bucket, prefix and endpoint have the shapes `init(location:properties:)` makes (a config from the
    /// network is used only if so).
    public var isWellFormed: Bool {
        guard let parsed = Self.parseLocation("s3://\(bucket)" + (prefix.isEmpty ? "" : "/" + prefix)),
              parsed.bucket == bucket, parsed.prefix == prefix else { return false }
        return (try? Self.normalizeEndpoint(endpoint, region: region)) == endpoint && (0...1024).contains(partitions)
    }

    /// `s3://bucket[/prefix][/]` → (bucket, prefix). Bucket names follow S3's rules (3–63 of `a-z 0-9 . -`, starting
    /// and ending with a letter or digit); the prefix may hold letters, digits and `/ . _ -` only, so a key never
    /// needs more than the encoding those have.
    public static func parseLocation(_ location: String) -> (bucket: String, prefix: String)? {
        guard location.lowercased().hasPrefix("s3://") else { return nil }
        let rest = location.dropFirst(5)
        let parts = rest.split(separator: "/", maxSplits: 1, omittingEmptySubsequences: false)
        let bucket = String(parts[0])
        guard isBucketName(bucket) else { return nil }
        var prefix = parts.count > 1 ? String(parts[1]) : ""
        while prefix.hasSuffix("/") { prefix.removeLast() }
        guard prefix.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || "/._-".contains($0)) }),
              !prefix.hasPrefix("/"), !prefix.contains("//"),
              !prefix.split(separator: "/").contains(where: { $0 == "." || $0 == ".." }) else { return nil }
        return (bucket, prefix)
    }

    static func isBucketName(_ s: String) -> Bool {
        guard (3...63).contains(s.count), let first = s.first, let last = s.last,
              first.isASCII, last.isASCII, first.isLetter || first.isNumber, last.isLetter || last.isNumber else { return false }
        return s.allSatisfy { $0.isASCII && ($0.isLowercase || $0.isNumber || $0 == "." || $0 == "-") }
    }

    /// An endpoint as users write it (`minio:9000`, `http://10.0.0.1:9000/`, `https://s3.us-west-2.amazonaws.com`) →
    /// `scheme://host[:port]`. Without a scheme: https for amazonaws.com hosts, http otherwise (MinIO-style labs).
    /// Only http and https; no user info, path, query or fragment. Empty: AWS's regional endpoint.
    public static func normalizeEndpoint(_ raw: String, region: String) throws(S3ConfigError) -> String {
        var s = raw.trimmingCharacters(in: .whitespaces)
        if s.isEmpty { return "https://s3.\(region).amazonaws.com" }
        var scheme: String?
        if let r = s.range(of: "://") {
            scheme = s[..<r.lowerBound].lowercased()
            s = String(s[r.upperBound...])
        }
        while s.hasSuffix("/") { s.removeLast() }
        guard !s.isEmpty, s.count <= 255,
              s.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || ".-:[]".contains($0)) }) else {
            throw S3ConfigError("invalid endpoint '\(raw)'")
        }
        let host = hostName(s)
        let chosen = scheme ?? (host.hasSuffix("amazonaws.com") ? "https" : "http")
        guard chosen == "http" || chosen == "https" else { throw S3ConfigError("invalid endpoint '\(raw)': only http and https are supported") }
        if let port = portOf(s) { guard let p = Int(port), (1...65535).contains(p) else { throw S3ConfigError("invalid endpoint '\(raw)'") } }
        return "\(chosen)://\(s)"
    }

    /// The host of `host[:port]` (an IPv6 literal keeps its brackets).
    static func hostName(_ authority: String) -> String {
        if authority.hasPrefix("["), let close = authority.firstIndex(of: "]") { return String(authority[...close]) }
        return String(authority.split(separator: ":", maxSplits: 1, omittingEmptySubsequences: false)[0])
    }

    static func portOf(_ authority: String) -> String? {
        let afterHost = authority.hasPrefix("[") ? authority.drop(while: { $0 != "]" }).dropFirst() : Substring(authority)
        guard let colon = afterHost.firstIndex(of: ":") else { return nil }
        return String(afterHost[afterHost.index(after: colon)...])
    }

    /// Virtual-host addressing is used only against AWS itself and only when path style was not asked for: MinIO,
    /// moto and other S3-compatible servers on an address or a private name are reached path-style, as they expect.
    public static func usesPathStyle(endpoint: String, requested: Bool) -> Bool {
        if requested { return true }
        let authority = endpoint.components(separatedBy: "://").last ?? endpoint
        return !hostName(authority).hasSuffix("amazonaws.com")
    }
}

extension S3Config {
    /// A volume's location and `aws.s3.*` properties → the config its objects are reached with. Credentials must be
    /// an access key and secret key: the AWS SDK's default chain and instance profiles need an SDK Tributary does not
    /// embed, so volumes asking for them are refused with that reason.
    public init(location: String, properties: [String: String]) throws(S3ConfigError) {
        guard let (bucket, prefix) = Self.parseLocation(location) else { throw S3ConfigError("Invalid location \(location)") }
        func flag(_ key: String) -> Bool { properties[key]?.lowercased() == "true" }
        for mode in ["aws.s3.use_instance_profile", "aws.s3.use_aws_sdk_default_behavior", "aws.s3.use_web_identity_token_file"] where flag(mode) {
            throw S3ConfigError("\(mode) = true is not supported by Tributary: give aws.s3.access_key and aws.s3.secret_key")
        }
        let access = properties["aws.s3.access_key"] ?? "", secret = properties["aws.s3.secret_key"] ?? ""
        guard !access.isEmpty, !secret.isEmpty else { throw S3ConfigError("aws.s3.access_key and aws.s3.secret_key are required") }
        let region = (properties["aws.s3.region"] ?? "").isEmpty ? Self.defaultRegion : properties["aws.s3.region"]!
        guard region.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-") }) else { throw S3ConfigError("invalid region '\(region)'") }
        let endpoint = try Self.normalizeEndpoint(properties["aws.s3.endpoint"] ?? "", region: region)
        let partitions = flag("aws.s3.enable_partitioned_prefix") ? Int(properties["aws.s3.num_partitioned_prefix"] ?? "256") ?? 256 : 0
        self.init(endpoint: endpoint, region: region, bucket: bucket, prefix: prefix,
                  pathStyle: Self.usesPathStyle(endpoint: endpoint, requested: flag("aws.s3.enable_path_style_access")),
                  accessKey: access, secretKey: secret, partitions: partitions)
    }
}
