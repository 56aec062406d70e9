import COpenSSL

/// Names of the two authentication plugins every client in the reference understands.
public enum AuthPlugin {
    public static let nativePassword = "mysql_native_password"
    public static let cachingSHA2 = "caching_sha2_password"
}

/// What the server stores for an account: never the password, only the double hashes the two plugins
/// verify against (SHA1(SHA1(pw)) for native, SHA256(SHA256(pw)) for caching_sha2's fast path).
public struct PasswordHashes: Equatable, Sendable, Codable {
    public var native: [UInt8]
    /// nil when only the native hash is known (an account created from a `*HEX` hash).
    public var sha2: [UInt8]?

    public init(native: [UInt8], sha2: [UInt8]?) { self.native = native; self.sha2 = sha2 }

    public init(password: String) {
        let pw = Array(password.utf8)
        native = Digest.sha1(Digest.sha1(pw))
        sha2 = Digest.sha256(Digest.sha256(pw))
    }

    /// mysql_native_password check: candidate = token XOR SHA1(scramble ‖ stored); SHA1(candidate) == stored.
    public func verifyNative(token: [UInt8], scramble: [UInt8]) -> Bool {
        guard token.count == 20 else { return false }
        let mask = Digest.sha1(scramble + native)
        let candidate = zip(token, mask).map { $0 ^ $1 }
        return Digest.sha1(candidate) == native
    }

    /// caching_sha2_password full authentication: the password itself, received over TLS.
    public func verifyCleartext(_ password: [UInt8]) -> Bool {
        if let sha2 { return Digest.sha256(Digest.sha256(password)) == sha2 }
        return Digest.sha1(Digest.sha1(password)) == native
    }

    /// caching_sha2_password fast path: candidate = token XOR SHA256(stored ‖ scramble); SHA256(candidate) == stored.
    public func verifyCachingSHA2(token: [UInt8], scramble: [UInt8]) -> Bool {
        guard token.count == 32, let sha2 else { return false }
        let mask = Digest.sha256(sha2 + scramble)
        let candidate = zip(token, mask).map { $0 ^ $1 }
        return Digest.sha256(candidate) == sha2
    }
}

/// Client-side scrambles, as the clients compute them (used by tests and tools).
public enum ClientScramble {
    public static func native(password: String, scramble: [UInt8]) -> [UInt8] {
        if password.isEmpty { return [] }
        let h1 = Digest.sha1(Array(password.utf8))
        let mask = Digest.sha1(scramble + Digest.sha1(h1))
        return zip(h1, mask).map { $0 ^ $1 }
    }
    public static func cachingSHA2(password: String, scramble: [UInt8]) -> [UInt8] {
        if password.isEmpty { return [] }
        let h1 = Digest.sha256(Array(password.utf8))
        let mask = Digest.sha256(Digest.sha256(h1) + scramble)
        return zip(h1, mask).map { $0 ^ $1 }
    }
}

/// SHA-1 and SHA-256 from libcrypto.
public enum Digest {
    public static func sha1(_ data: [UInt8]) -> [UInt8] {
        var out = [UInt8](repeating: 0, count: 20)
        data.withUnsafeBufferPointer { p in _ = SHA1(p.baseAddress, p.count, &out) }
        return out
    }
    public static func sha256(_ data: [UInt8]) -> [UInt8] {
        var out = [UInt8](repeating: 0, count: 32)
        data.withUnsafeBufferPointer { p in _ = SHA256(p.baseAddress, p.count, &out) }
        return out
    }
}

/// 20-byte greeting scrambles: printable ASCII without NUL or `$` (reference §1.2).
public enum ScrambleGenerator {
    public static func make<G: RandomNumberGenerator>(using generator: inout G) -> [UInt8] {
        (0..<20).map { _ in
            var b: UInt8
            repeat { b = UInt8.random(in: 0x21...0x7E, using: &generator) } while b == UInt8(ascii: "$")
            return b
        }
    }
}
