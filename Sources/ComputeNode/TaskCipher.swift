import COpenSSL

/// Tasks travel from the FE to a node encrypted: they carry credentials (an S3 volume's keys, Kafka SASL passwords)
/// and the node API is plain HTTP. AES-256-GCM with a key derived from the cluster token (HMAC-SHA256 of a fixed label,
/// so the key is not the token itself), a random 96-bit nonce per message; `magic ‖ nonce ‖ ciphertext ‖ tag`. The
/// request signature (``NodeRequestSigner``) covers the sealed bytes. Pure apart from the random nonce.
public struct TaskCipher: Sendable {
    static let magic: [UInt8] = Array("TRS1".utf8)
    static let nonceLength = 12, tagLength = 16
    private let key: [UInt8]

    public init(token: String) {
        var out = [UInt8](repeating: 0, count: Int(EVP_MAX_MD_SIZE))
        var length: UInt32 = 0
        let label = Array("tributary task encryption v1".utf8), secret = Array(token.utf8)
        _ = secret.withUnsafeBufferPointer { k in
            label.withUnsafeBufferPointer { d in HMAC(EVP_sha256(), k.baseAddress, Int32(k.count), d.baseAddress, d.count, &out, &length) }
        }
        key = Array(out.prefix(32))
    }

    public struct Failure: Error, CustomStringConvertible {
        public var description: String
    }

    public func seal(_ plaintext: [UInt8]) throws(Failure) -> [UInt8] {
        var nonce = [UInt8](repeating: 0, count: Self.nonceLength)
        guard RAND_bytes(&nonce, Int32(nonce.count)) == 1 else { throw Failure(description: "no random bytes for a nonce") }
        guard let ctx = EVP_CIPHER_CTX_new() else { throw Failure(description: "cannot create a cipher context") }
        defer { EVP_CIPHER_CTX_free(ctx) }
        var out = [UInt8](repeating: 0, count: plaintext.count + 16)
        var n: Int32 = 0, tail: Int32 = 0
        var tag = [UInt8](repeating: 0, count: Self.tagLength)
        guard EVP_EncryptInit_ex(ctx, EVP_aes_256_gcm(), nil, key, nonce) == 1,
              plaintext.withUnsafeBufferPointer({ EVP_EncryptUpdate(ctx, &out, &n, $0.baseAddress, Int32($0.count)) }) == 1,
              out.withUnsafeMutableBufferPointer({ EVP_EncryptFinal_ex(ctx, $0.baseAddress! + Int(n), &tail) }) == 1,
              EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_GCM_GET_TAG, Int32(Self.tagLength), &tag) == 1 else {
            throw Failure(description: "encryption failed")
        }
        return Self.magic + nonce + out.prefix(Int(n + tail)) + tag
    }

    /// The plaintext, or a failure if the message was not sealed with this token or was changed.
    public func open(_ sealed: [UInt8]) throws(Failure) -> [UInt8] {
        let header = Self.magic.count + Self.nonceLength
        guard sealed.count >= header + Self.tagLength, Array(sealed.prefix(Self.magic.count)) == Self.magic else {
            throw Failure(description: "the task is not encrypted with the cluster token")
        }
        let nonce = Array(sealed[Self.magic.count..<header])
        let body = Array(sealed[header..<(sealed.count - Self.tagLength)])
        var tag = Array(sealed.suffix(Self.tagLength))
        guard let ctx = EVP_CIPHER_CTX_new() else { throw Failure(description: "cannot create a cipher context") }
        defer { EVP_CIPHER_CTX_free(ctx) }
        var out = [UInt8](repeating: 0, count: body.count + 16)
        var n: Int32 = 0, tail: Int32 = 0
        guard EVP_DecryptInit_ex(ctx, EVP_aes_256_gcm(), nil, key, nonce) == 1,
              body.withUnsafeBufferPointer({ EVP_DecryptUpdate(ctx, &out, &n, $0.baseAddress, Int32($0.count)) }) == 1,
              EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_GCM_SET_TAG, Int32(Self.tagLength), &tag) == 1,
              out.withUnsafeMutableBufferPointer({ EVP_DecryptFinal_ex(ctx, $0.baseAddress! + Int(n), &tail) }) == 1 else {
            throw Failure(description: "the task cannot be decrypted: the FE and the node have different cluster tokens, or it was changed")
        }
        return Array(out.prefix(Int(n + tail)))
    }
}
