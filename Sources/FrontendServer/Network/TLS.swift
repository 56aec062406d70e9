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

    /// The first error on this thread's OpenSSL error queue, which it empties (a leftover entry would make the next
    /// `SSL_get_error` on the thread report SSL_ERROR_SSL).
    static func lastError() -> String {
        defer { ERR_clear_error() }
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

/// One connection's TLS over its socket: OpenSSL reads and writes the descriptor itself (socket BIOs behind buffer BIOs),
/// so a query costs one `recv` and one `send` with no copies between Swift arrays and memory BIOs. Bytes the client sent
/// after its SSLRequest before TLS started (the start of its ClientHello) are read first. The socket is blocking with a
/// receive timeout (``MySQLConnection``): a read that times out is reported, not an error.
final class TLSSession {
    private let ssl: OpaquePointer
    /// Buffers the records of one answer, sent at ``write(_:)``'s flush.
    private let output: OpaquePointer

    /// What a read gave.
    enum ReadResult: Equatable {
        case bytes(Int)
        /// The socket's receive timeout passed first; nothing was lost, read again.
        case timedOut
        case closed
    }

    /// A session on `fd` in the server's role; `received` are bytes already read from the socket that belong to TLS.
    init(_ context: TLSContext, fd: Int32, received: [UInt8]) throws {
        let ssl = SSL_new(context.context)
        let input = BIO_new(BIO_f_buffer()), inSocket = BIO_new_socket(fd, BIO_NOCLOSE)
        let output = BIO_new(BIO_f_buffer()), outSocket = BIO_new_socket(fd, BIO_NOCLOSE)
        guard let ssl, let input, let inSocket, let output, let outSocket else {
            for bio in [input, inSocket, output, outSocket] { if let bio { BIO_free(bio) } }
            if let ssl { SSL_free(ssl) }
            throw ServerError.config("cannot create a TLS session: \(TLSContext.lastError())")
        }
        // 64 KiB each way: several records per recv, and an answer's records leave in one send.
        _ = BIO_int_ctrl(input, BIO_C_SET_BUFF_SIZE, 64 << 10, 0)
        _ = BIO_int_ctrl(output, BIO_C_SET_BUFF_SIZE, 64 << 10, 1)
        if !received.isEmpty {
            _ = received.withUnsafeBytes { BIO_ctrl(input, BIO_C_SET_BUFF_READ_DATA, $0.count, UnsafeMutableRawPointer(mutating: $0.baseAddress)) }
        }
        BIO_push(input, inSocket)
        BIO_push(output, outSocket)
        SSL_set_bio(ssl, input, output)          // the session owns both chains from here
        SSL_set_accept_state(ssl)
        self.ssl = ssl
        self.output = output
    }

    deinit { SSL_free(ssl) }   // frees both BIO chains; the descriptor stays open (BIO_NOCLOSE)

    /// Runs the handshake. `tick` is called each time the socket's receive timeout passes and returns false to give up.
    func handshake(tick: () -> Bool) throws {
        while true {
            ERR_clear_error()
            let r = SSL_do_handshake(ssl)
            if r == 1 { break }
            let e = SSL_get_error(ssl, r)
            if e == SSL_ERROR_WANT_READ || e == SSL_ERROR_WANT_WRITE, tick() { continue }
            throw ServerError.socket("TLS handshake failed: \(TLSContext.lastError())")
        }
        guard BIO_ctrl(output, BIO_CTRL_FLUSH, 0, nil) > 0 else { throw ServerError.socket("TLS handshake failed: cannot send") }
    }

    /// Decrypts into `buffer`: what the client sent, or why nothing came.
    func read(into buffer: inout [UInt8]) throws -> ReadResult {
        ERR_clear_error()
        let n = buffer.withUnsafeMutableBytes { SSL_read(ssl, $0.baseAddress, Int32($0.count)) }
        if n > 0 { return .bytes(Int(n)) }
        switch SSL_get_error(ssl, n) {
        case SSL_ERROR_WANT_READ, SSL_ERROR_WANT_WRITE: return .timedOut
        case SSL_ERROR_ZERO_RETURN: return .closed
        case SSL_ERROR_SYSCALL where ERR_peek_error() == 0: return .closed      // the peer went away without close_notify
        default: throw ServerError.socket("TLS read failed: \(TLSContext.lastError())")
        }
    }

    /// Encrypts `bytes` and sends them; returns when the socket took them all. Throws when the peer is gone or stopped
    /// reading (the socket's send timeout).
    func write(_ bytes: [UInt8]) throws {
        var offset = 0
        while offset < bytes.count {
            ERR_clear_error()
            let n = bytes.withUnsafeBytes { SSL_write(ssl, $0.baseAddress! + offset, Int32(min($0.count - offset, 1 << 20))) }
            if n <= 0, SSL_get_error(ssl, n) == SSL_ERROR_WANT_WRITE, errno == EINTR { continue }   // not the send timeout
            guard n > 0 else { throw ServerError.socket("TLS write failed: \(TLSContext.lastError())") }
            offset += Int(n)
        }
        guard BIO_ctrl(output, BIO_CTRL_FLUSH, 0, nil) > 0 else { throw ServerError.socket("TLS write failed: cannot send") }
    }

    /// The negotiated cipher, e.g. `TLS_AES_256_GCM_SHA384`.
    var cipherName: String {
        guard let c = SSL_get_current_cipher(ssl), let n = SSL_CIPHER_get_name(c) else { return "" }
        return String(cString: n)
    }
}
