import Foundation

/// One S3 REST request as data: method, URL (addressing style applied, key and query encoded the way SigV4 signs
/// them) and body. Building requests is pure; `S3Client` sends them.
public struct S3Request: Equatable, Sendable {
    public var method: String
    public var url: String
    public var body: [UInt8]

    public init(method: String, url: String, body: [UInt8] = []) { self.method = method; self.url = url; self.body = body }
}

extension S3Config {
    /// The URL of a key (nil: the bucket itself) with query parameters, sorted by name and encoded with RFC 3986's
    /// unreserved set — the canonical form SigV4 signs, so the URL and the signature agree whatever libcurl does.
    public func url(key: String?, query: [(String, String)] = []) -> String {
        let path = key.map { "/" + Self.encode($0, keepSlash: true) } ?? "/"
        var base: String
        if pathStyle {
            base = endpoint + "/" + bucket + (key == nil ? "" : path)
            if key == nil { base += "/" }
        } else {
            let r = endpoint.range(of: "://")!
            base = endpoint[..<r.upperBound] + bucket + "." + endpoint[r.upperBound...] + path
        }
        guard !query.isEmpty else { return base }
        let q = query.sorted { $0.0 < $1.0 }.map { Self.encode($0.0, keepSlash: false) + "=" + Self.encode($0.1, keepSlash: false) }
        return base + "?" + q.joined(separator: "&")
    }

    static func encode(_ s: String, keepSlash: Bool) -> String {
        var out = ""
        for byte in s.utf8 {
            let c = Character(UnicodeScalar(byte))
            if c.isASCII && (c.isLetter || c.isNumber || "-._~".contains(c)) || (keepSlash && c == "/") {
                out.append(c)
            } else {
                out += String(format: "%%%02X", byte)
            }
        }
        return out
    }

    public func putObject(_ key: String, body: [UInt8]) -> S3Request { .init(method: "PUT", url: url(key: key), body: body) }
    public func getObject(_ key: String) -> S3Request { .init(method: "GET", url: url(key: key)) }
    public func headObject(_ key: String) -> S3Request { .init(method: "HEAD", url: url(key: key)) }
    public func deleteObject(_ key: String) -> S3Request { .init(method: "DELETE", url: url(key: key)) }

    /// ListObjectsV2 of the keys under `prefix`, `maxKeys` at a time, from a continuation token.
    public func listObjects(prefix: String, maxKeys: Int = 1000, continuation: String? = nil) -> S3Request {
        var q = [("list-type", "2"), ("max-keys", String(maxKeys)), ("prefix", prefix)]
        if let continuation { q.append(("continuation-token", continuation)) }
        return .init(method: "GET", url: url(key: nil, query: q))
    }

    /// ListMultipartUploads under `prefix` (the first 1,000: enough for a garbage pass that runs again).
    public func listMultipartUploads(prefix: String) -> S3Request {
        .init(method: "GET", url: url(key: nil, query: [("prefix", prefix), ("uploads", "")]))
    }

    public func createMultipartUpload(_ key: String) -> S3Request { .init(method: "POST", url: url(key: key, query: [("uploads", "")])) }

    public func uploadPart(_ key: String, uploadID: String, part: Int, body: [UInt8]) -> S3Request {
        .init(method: "PUT", url: url(key: key, query: [("partNumber", String(part)), ("uploadId", uploadID)]), body: body)
    }

    public func completeMultipartUpload(_ key: String, uploadID: String, etags: [String]) -> S3Request {
        var xml = "<CompleteMultipartUpload>"
        for (i, etag) in etags.enumerated() {
            xml += "<Part><PartNumber>\(i + 1)</PartNumber><ETag>\(S3XML.escape(etag))</ETag></Part>"
        }
        xml += "</CompleteMultipartUpload>"
        return .init(method: "POST", url: url(key: key, query: [("uploadId", uploadID)]), body: Array(xml.utf8))
    }

    public func abortMultipartUpload(_ key: String, uploadID: String) -> S3Request {
        .init(method: "DELETE", url: url(key: key, query: [("uploadId", uploadID)]))
    }
}

/// The few pieces of S3's XML answers Tributary reads: listed keys and the continuation token, an upload id, an
/// error's code and message. S3's answers are flat enough that element text by name is all that is needed.
public enum S3XML {
    /// The text of every `<name>…</name>` element, in order, entities decoded.
    public static func values(of name: String, in xml: String) -> [String] {
        var out: [String] = []
        let open = "<\(name)>", close = "</\(name)>"
        var rest = xml[...]
        while let a = rest.range(of: open) {
            guard let b = rest.range(of: close, range: a.upperBound..<rest.endIndex) else { break }
            out.append(unescape(String(rest[a.upperBound..<b.lowerBound])))
            rest = rest[b.upperBound...]
        }
        return out
    }

    public static func value(of name: String, in xml: String) -> String? { values(of: name, in: xml).first }

    /// One page of ListObjectsV2: its keys and, if truncated, the token for the next page.
    public static func listPage(_ xml: String) -> (keys: [String], next: String?) {
        let keys = values(of: "Key", in: xml)
        let truncated = value(of: "IsTruncated", in: xml) == "true"
        return (keys, truncated ? value(of: "NextContinuationToken", in: xml) : nil)
    }

    /// The uploads of a ListMultipartUploads answer: key, upload id and when it began.
    public static func uploads(_ xml: String) -> [(key: String, uploadID: String, initiated: Date?)] {
        let parser = ISO8601DateFormatter()
        parser.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return values(of: "Upload", in: xml).compactMap { block in
            guard let key = value(of: "Key", in: block), let id = value(of: "UploadId", in: block) else { return nil }
            let initiated = value(of: "Initiated", in: block).flatMap { parser.date(from: $0) ?? ISO8601DateFormatter().date(from: $0) }
            return (key, id, initiated)
        }
    }

    public static func escape(_ s: String) -> String {
        s.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
    }

    static func unescape(_ s: String) -> String {
        guard s.contains("&") else { return s }
        return s.replacingOccurrences(of: "&lt;", with: "<").replacingOccurrences(of: "&gt;", with: ">")
            .replacingOccurrences(of: "&quot;", with: "\"").replacingOccurrences(of: "&apos;", with: "'")
            .replacingOccurrences(of: "&#34;", with: "\"").replacingOccurrences(of: "&amp;", with: "&")
    }
}
