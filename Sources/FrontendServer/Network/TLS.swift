import COpenSSL
import Foundation

/// The server's TLS configuration: an OpenSSL context with the certificate and key, TLS 1.2+.
/// Without configured files, a self-signed certificate is generated into `<meta_dir>/tls` on first start.
final class TLSContext: @unchecked Sendable {
    let context: OpaquePointer

    init(certificatePath: String, keyPath: String) throws {
        guard let ctx = SSL_CTX_new(TLS_server_method()) else { throw ServerError.config("cannot create a TLS context: \(Self.lastError())") }
        context = ctx
        guard tributary_ssl_ctx_set_min_tls12(ctx) == 1 else { throw ServerError.config("cannot require TLS 1.2: \(Self.lastError())") }
        guard SSL_CTX_use_certificate_chain_file(ctx, certificatePath) == 1 else {
            throw ServerError.config("cannot load TLS certificate \(certificatePath): \(Self.lastError())")
        }
        guard SSL_CTX_use_PrivateKey_file(ctx, keyPath, SSL_FILETYPE_PEM) == 1, SSL_CTX_check_private_key(ctx) == 1 else {
            throw ServerError.config("cannot load TLS key \(keyPath): \(Self.lastError())")
        }
    }

    deinit { SSL_CTX_free(context) }

    static func lastError() -> String {
        let code = ERR_get_error()
        guard code != 0 else { return "unknown OpenSSL error" }
        var buf = [CChar](repeating: 0, count: 256)
        ERR_error_string_n(code, &buf, buf.count)
        return String(cString: buf)
    }

    /// Writes a fresh RSA-2048 key and a 10-year self-signed certificate (CN=tributary) unless both exist.
    static func ensureSelfSigned(certificatePath: String, keyPath: String) throws {
        let fm = FileManager.default
        if fm.fileExists(atPath: certificatePath), fm.fileExists(atPath: keyPath) { return }
        try fm.createDirectory(atPath: (certificatePath as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        guard let kctx = EVP_PKEY_CTX_new_id(EVP_PKEY_RSA, nil) else { throw ServerError.config("keygen: \(lastError())") }
        defer { EVP_PKEY_CTX_free(kctx) }
        var key: OpaquePointer?
        guard EVP_PKEY_keygen_init(kctx) == 1, EVP_PKEY_CTX_set_rsa_keygen_bits(kctx, 2048) == 1,
              EVP_PKEY_keygen(kctx, &key) == 1, let key else { throw ServerError.config("keygen: \(lastError())") }
        defer { EVP_PKEY_free(key) }
        guard let cert = X509_new() else { throw ServerError.config("x509: \(lastError())") }
        defer { X509_free(cert) }
        X509_set_version(cert, 2)
        ASN1_INTEGER_set(X509_get_serialNumber(cert), Int(UInt32.random(in: 1...UInt32.max)))
        X509_gmtime_adj(X509_getm_notBefore(cert), -3600)
        X509_gmtime_adj(X509_getm_notAfter(cert), 10 * 365 * 24 * 3600)
        X509_set_pubkey(cert, key)
        let name = X509_get_subject_name(cert)
        X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC, "tributary", -1, -1, 0)
        X509_NAME_add_entry_by_txt(name, "O", MBSTRING_ASC, "Tributary FE (self-signed)", -1, -1, 0)
        X509_set_issuer_name(cert, name)
        guard X509_sign(cert, key, EVP_sha256()) > 0 else { throw ServerError.config("x509 sign: \(lastError())") }
        guard let kbio = BIO_new_file(keyPath, "w") else { throw ServerError.config("cannot write \(keyPath)") }
        PEM_write_bio_PrivateKey(kbio, key, nil, nil, 0, nil, nil)
        BIO_free(kbio)
        chmod(keyPath, 0o600)
        guard let cbio = BIO_new_file(certificatePath, "w") else { throw ServerError.config("cannot write \(certificatePath)") }
        PEM_write_bio_X509(cbio, cert)
        BIO_free(cbio)
    }
}

/// One connection's TLS state over memory BIOs: ciphertext from the socket goes in with ``receive(_:)``,
/// plaintext comes out; plaintext to send goes in with ``send(_:)`` and ciphertext for the socket comes
/// out of ``takeOutput()``. No socket I/O happens here.
final class TLSSession {
    private let ssl: OpaquePointer
    private let input: OpaquePointer     // network → OpenSSL
    private let output: OpaquePointer    // OpenSSL → network
    private(set) var handshakeDone = false
    /// Where SSL_read decrypts to, kept across calls (a query is read with one or two calls).
    private var readBuffer = [UInt8](repeating: 0, count: 16 * 1024)

    init(_ context: TLSContext) throws {
        guard let ssl = SSL_new(context.context), let rbio = BIO_new(BIO_s_mem()), let wbio = BIO_new(BIO_s_mem()) else {
            throw ServerError.config("cannot create a TLS session: \(TLSContext.lastError())")
        }
        self.ssl = ssl; input = rbio; output = wbio
        SSL_set_bio(ssl, rbio, wbio)
        SSL_set_accept_state(ssl)
    }

    deinit { SSL_free(ssl) }   // frees both BIOs

    /// Feeds ciphertext; returns the plaintext it completes. Throws when the peer's TLS is broken.
    func receive(_ bytes: [UInt8]) throws -> [UInt8] {
        if !bytes.isEmpty { bytes.withUnsafeBytes { _ = BIO_write(input, $0.baseAddress, Int32($0.count)) } }
        if !handshakeDone {
            let r = SSL_do_handshake(ssl)
            if r == 1 { handshakeDone = true } else {
                let e = SSL_get_error(ssl, r)
                if e == SSL_ERROR_WANT_READ || e == SSL_ERROR_WANT_WRITE { return [] }
                throw ServerError.socket("TLS handshake failed: \(TLSContext.lastError())")
            }
        }
        var plain: [UInt8] = []
        while true {
            let n = readBuffer.withUnsafeMutableBytes { SSL_read(ssl, $0.baseAddress, Int32($0.count)) }
            if n > 0 { plain.append(contentsOf: readBuffer[0..<Int(n)]); continue }
            let e = SSL_get_error(ssl, n)
            if e == SSL_ERROR_WANT_READ || e == SSL_ERROR_WANT_WRITE { return plain }
            if e == SSL_ERROR_ZERO_RETURN { return plain }
            throw ServerError.socket("TLS read failed: \(TLSContext.lastError())")
        }
    }

    /// Encrypts plaintext for the peer (call ``takeOutput()`` to get the ciphertext).
    func send(_ bytes: [UInt8]) throws {
        var offset = 0
        while offset < bytes.count {
            let n = bytes.withUnsafeBytes { SSL_write(ssl, $0.baseAddress! + offset, Int32(min($0.count - offset, 1 << 20))) }
            guard n > 0 else { throw ServerError.socket("TLS write failed: \(TLSContext.lastError())") }
            offset += Int(n)
        }
    }

    /// The negotiated cipher, e.g. `TLS_AES_256_GCM_SHA384`.
    var cipherName: String {
        guard let c = SSL_get_current_cipher(ssl), let n = SSL_CIPHER_get_name(c) else { return "" }
        return String(cString: n)
    }

    /// Ciphertext waiting for the socket (handshake messages and encrypted records).
    func takeOutput() -> [UInt8] {
        let pending = Int(tributary_bio_pending(output))
        guard pending > 0 else { return [] }
        var out = [UInt8](repeating: 0, count: pending)
        let n = out.withUnsafeMutableBytes { BIO_read(output, $0.baseAddress, Int32(pending)) }
        return n > 0 ? Array(out[0..<Int(n)]) : []
    }
}
