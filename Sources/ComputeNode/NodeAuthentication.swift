import COpenSSL
import Foundation

/// How a compute node knows a request comes from its FE: both sides hold the cluster token (fe.conf and cn.conf
/// `cluster_token`), and every request carries an HMAC-SHA256 of its method, target, timestamp, a nonce and the
/// SHA-256 of its body (also sent as a header, so the signature is checked before the body is read), keyed by the
/// token. The node refuses requests without a valid signature, outside a five-minute clock window, or with a nonce it
/// has already seen (a captured request cannot be replayed). Its answers are signed too, bound to the request's nonce,
/// so nobody between FE and node can forge a task report. The token itself never crosses the network. Pure apart from
/// the clock the caller passes in.
public struct NodeRequestSigner: Sendable {
    public static let scheme = "Tributary-HMAC-SHA256"
    public static let timestampHeader = "X-Tributary-Timestamp"
    public static let nonceHeader = "X-Tributary-Nonce"
    public static let bodyHashHeader = "X-Tributary-Content-SHA256"
    public static let responseHeader = "X-Tributary-Response-Signature"
    /// A token shorter than this is refused at start: it could be guessed.
    public static let minimumTokenLength = 16

    private let key: [UInt8]
    /// The cluster token (for ``TaskCipher``; never sent).
    public let token: String

    public init(token: String) { key = Array(token.utf8); self.token = token }

    /// The headers that authenticate a request (Authorization, timestamp, nonce, body hash).
    public func headers(method: String, target: String, body: [UInt8], now: Double,
                        nonce: String = UUID().uuidString) -> [String: String] {
        let timestamp = String(Int64(now)), bodyHash = Self.hex(Self.sha256(body))
        return ["Authorization": "\(Self.scheme) \(signature(method: method, target: target, timestamp: timestamp, nonce: nonce, bodyHash: bodyHash))",
                Self.timestampHeader: timestamp, Self.nonceHeader: nonce, Self.bodyHashHeader: bodyHash]
    }

    func signature(method: String, target: String, timestamp: String, nonce: String, bodyHash: String) -> String {
        let message = [Self.scheme, method.uppercased(), target, timestamp, nonce, bodyHash].joined(separator: "\n")
        return Self.hex(hmac(Array(message.utf8)))
    }

    /// The signature of a node's answer to the request with `nonce`: its status and body, bound to that request.
    public func responseSignature(nonce: String, status: Int, body: [UInt8]) -> String {
        let message = ["response", nonce, String(status), Self.hex(Self.sha256(body))].joined(separator: "\n")
        return Self.hex(hmac(Array(message.utf8)))
    }

    /// Whether an answer carries the signature only the node holding the token can make.
    public func verifyResponse(nonce: String, status: Int, body: [UInt8], signature: String?) -> Bool {
        guard let signature else { return false }
        let expected = responseSignature(nonce: nonce, status: status, body: body)
        return signature.utf8.count == expected.utf8.count && CRYPTO_memcmp(signature, expected, expected.utf8.count) == 0
    }

    private func hmac(_ data: [UInt8]) -> [UInt8] {
        var out = [UInt8](repeating: 0, count: Int(EVP_MAX_MD_SIZE))
        var length: UInt32 = 0
        _ = key.withUnsafeBufferPointer { k in
            data.withUnsafeBufferPointer { d in HMAC(EVP_sha256(), k.baseAddress, Int32(k.count), d.baseAddress, d.count, &out, &length) }
        }
        return Array(out.prefix(Int(length)))
    }

    static func sha256(_ data: [UInt8]) -> [UInt8] {
        var out = [UInt8](repeating: 0, count: Int(SHA256_DIGEST_LENGTH))
        data.withUnsafeBufferPointer { p in _ = SHA256(p.baseAddress, p.count, &out) }
        return out
    }

    static func hex(_ bytes: [UInt8]) -> String {
        let digits = Array("0123456789abcdef".utf8)
        var out = [UInt8]()
        out.reserveCapacity(bytes.count * 2)
        for b in bytes { out.append(digits[Int(b >> 4)]); out.append(digits[Int(b & 15)]) }
        return String(decoding: out, as: UTF8.self)
    }
}

/// The node's side of ``NodeRequestSigner``: checks a request's signature, clock window and nonce. Thread-safe.
public final class NodeRequestVerifier: @unchecked Sendable {
    public enum Refusal: Error, Equatable, CustomStringConvertible {
        case missing, malformed, clockSkew, replayed, badSignature
        public var description: String {
            switch self {
            case .missing: return "authentication required: requests must be signed with the cluster token"
            case .malformed: return "malformed authentication headers"
            case .clockSkew: return "request timestamp outside the allowed window (check the clocks of FE and node)"
            case .replayed: return "request nonce already used"
            case .badSignature: return "invalid signature: the FE and the node have different cluster tokens"
            }
        }
    }

    /// Seconds a request's timestamp may differ from the node's clock.
    public static let window: Double = 300
    private let signer: NodeRequestSigner
    /// Opens the tasks the FE sends encrypted.
    public let cipher: TaskCipher
    private let lock = NSLock()
    /// Nonces seen within the window, with their timestamps.
    private var seen: [String: Double] = [:]
    private var lastPurge: Double = 0

    public init(token: String) { signer = NodeRequestSigner(token: token); cipher = TaskCipher(token: token) }

    /// Checks a request's signature, clock window and nonce from its headers alone, before its body is read; on success
    /// the nonce is remembered (the same request is refused next time) and the body hash the signature covers is
    /// returned, to compare with the body once read (``bodyMatches(_:hash:)``).
    public func verify(method: String, target: String, headers: (String) -> String?, now: Double) throws(Refusal) -> String {
        let (signature, timestamp, nonce, bodyHash) = try parse(headers: headers, now: now)
        let expected = signer.signature(method: method, target: target, timestamp: timestamp, nonce: nonce, bodyHash: bodyHash)
        guard signature.utf8.count == expected.utf8.count,
              CRYPTO_memcmp(signature, expected, expected.utf8.count) == 0 else { throw .badSignature }
        let fresh = lock.withLock { () -> Bool in
            if now - lastPurge > 60 {
                seen = seen.filter { now - $0.value <= 2 * Self.window }
                lastPurge = now
            }
            guard seen[nonce] == nil else { return false }
            seen[nonce] = Double(timestamp) ?? now
            return true
        }
        guard fresh else { throw .replayed }
        return bodyHash
    }

    /// Whether `body` is the one the signature covers.
    public func bodyMatches(_ body: [UInt8], hash: String) -> Bool { NodeRequestSigner.hex(NodeRequestSigner.sha256(body)) == hash }

    /// Signs the node's answer to a verified request.
    public func signResponse(nonce: String, status: Int, body: [UInt8]) -> String {
        signer.responseSignature(nonce: nonce, status: status, body: body)
    }

    private func parse(headers: (String) -> String?, now: Double) throws(Refusal) -> (String, String, String, String) {
        guard let auth = headers("Authorization"), let timestamp = headers(NodeRequestSigner.timestampHeader),
              let nonce = headers(NodeRequestSigner.nonceHeader), let bodyHash = headers(NodeRequestSigner.bodyHashHeader) else { throw .missing }
        let parts = auth.split(separator: " ", omittingEmptySubsequences: true)
        guard parts.count == 2, parts[0] == NodeRequestSigner.scheme, parts[1].utf8.count == 64, bodyHash.utf8.count == 64,
              (1...128).contains(nonce.utf8.count), let t = Int64(timestamp) else { throw .malformed }
        guard abs(Double(t) - now) <= Self.window else { throw .clockSkew }
        return (String(parts[1]), timestamp, nonce, bodyHash)
    }
}
