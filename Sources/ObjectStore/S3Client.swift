import CCurl
import COpenSSL
import Foundation
import Synchronization

/// A failed object-store operation, worded for users: `upload to s3://bucket/key failed: <reason>`. The reason is
/// libcurl's or S3's text; credentials are never part of it (they travel only in libcurl's SigV4 signer).
public struct ObjectStoreError: Error, CustomStringConvertible, Sendable, Equatable {
    public var operation: String
    public var target: String
    public var reason: String
    /// The HTTP status, when S3 answered.
    public var status: Int?

    public init(_ operation: String, _ target: String, _ reason: String, status: Int? = nil) {
        self.operation = operation; self.target = target; self.reason = reason; self.status = status
    }

    public var description: String { "\(operation) \(target) failed: \(reason)" }
}

/// An S3 client on libcurl: requests are signed by libcurl's AWS SigV4 (`CURLOPT_AWS_SIGV4`), the payload hash is sent
/// as `x-amz-content-sha256`, only http and https are spoken, redirects are not followed, and failed requests are
/// retried by `RetryPolicy`. Objects above `multipartThreshold` are uploaded in parts; downloads stream to a file.
/// Easy handles are pooled so connections are reused.
public final class S3Client: Sendable {
    public let config: S3Config
    let retry: RetryPolicy
    private let handles = Mutex<[EasyHandle]>([])
    /// Objects above this go up in parts of `partSize` (S3's smallest part is 5 MiB).
    let multipartThreshold: Int
    let partSize: Int
    private static let globalInit: Bool = curl_global_init(3) == CURLE_OK        // CURL_GLOBAL_ALL

    public init(_ config: S3Config, retry: RetryPolicy = RetryPolicy(), multipartThreshold: Int = 16 << 20, partSize: Int = 8 << 20) {
        self.config = config
        self.retry = retry
        self.multipartThreshold = multipartThreshold
        self.partSize = max(5 << 20, partSize)
        _ = Self.globalInit
    }

    deinit {
        handles.withLock { for h in $0 { curl_easy_cleanup(h.raw) } }
    }

    // MARK: operations

    /// Uploads a local file as `key` (multipart above the threshold).
    public func upload(file path: String, to key: String) throws(ObjectStoreError) {
        let target = config.displayURL(key)
        guard let handle = FileHandle(forReadingAtPath: path) else {
            throw ObjectStoreError("upload to", target, "cannot read \(path)")
        }
        defer { try? handle.close() }
        guard let size = (try? FileManager.default.attributesOfItem(atPath: path))?[.size] as? Int else {
            throw ObjectStoreError("upload to", target, "cannot read \(path)")
        }
        func read(_ count: Int) throws(ObjectStoreError) -> [UInt8] {
            do { return [UInt8](try handle.read(upToCount: count) ?? Data()) } catch {
                throw ObjectStoreError("upload to", target, "cannot read \(path): \(error)")
            }
        }
        if size <= multipartThreshold {
            let body = try read(size)
            guard body.count == size else { throw ObjectStoreError("upload to", target, "\(path) changed while it was read") }
            _ = try send(config.putObject(key, body: body), "upload to", target)
            return
        }
        let created = try send(config.createMultipartUpload(key), "upload to", target)
        guard let uploadID = S3XML.value(of: "UploadId", in: created.text) else {
            throw ObjectStoreError("upload to", target, "no upload id in the answer to CreateMultipartUpload")
        }
        do throws(ObjectStoreError) {
            var etags: [String] = []
            var sent = 0
            while sent < size {
                let chunk = try read(min(partSize, size - sent))
                guard !chunk.isEmpty else { throw ObjectStoreError("upload to", target, "\(path) changed while it was read") }
                sent += chunk.count
                let r = try send(config.uploadPart(key, uploadID: uploadID, part: etags.count + 1, body: chunk), "upload to", target)
                guard let etag = r.headers["etag"] else { throw ObjectStoreError("upload to", target, "no ETag for part \(etags.count + 1)") }
                etags.append(etag)
            }
            _ = try send(config.completeMultipartUpload(key, uploadID: uploadID, etags: etags), "upload to", target)
        } catch {
            _ = try? send(config.abortMultipartUpload(key, uploadID: uploadID), "upload to", target)
            throw error
        }
    }

    /// Downloads `key` into `path` (written to `path.<random>.part`, then renamed, so `path` only ever holds a whole
    /// object). Downloads of the same object to the same path may run at once (two catch-ups of a table): each writes its
    /// own partial file, and the renames replace a whole copy with a whole copy.
    public func download(_ key: String, to path: String) throws(ObjectStoreError) {
        let target = config.displayURL(key)
        let partial = path + "." + String(UInt64.random(in: 0...UInt64.max), radix: 36) + ".part"
        try? FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        var attempt = 1
        while true {
            let fd = open(partial, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, 0o600)
            guard fd >= 0 else { throw ObjectStoreError("download of", target, "cannot write \(partial)") }
            let result = perform(config.getObject(key), sinkFD: fd)
            let synced = fsync(fd) == 0
            close(fd)
            switch result {
            case .success(let r) where (200..<300).contains(r.status):
                guard synced, rename(partial, path) == 0 else {
                    unlink(partial)
                    throw ObjectStoreError("download of", target, "cannot write \(path)")
                }
                return
            case .success(let r):
                unlink(partial)
                if let wait = retry.delay(after: attempt, .status(r.status)) { Thread.sleep(forTimeInterval: wait); attempt += 1; continue }
                throw Self.answerError("download of", target, r)
            case .failure(let failure):
                unlink(partial)
                if let wait = retry.delay(after: attempt, .transport) { Thread.sleep(forTimeInterval: wait); attempt += 1; continue }
                throw ObjectStoreError("download of", target, failure.reason)
            }
        }
    }

    /// Whether `key` exists (HEAD).
    public func exists(_ key: String) throws(ObjectStoreError) -> Bool { try size(of: key) != nil }

    /// The size of `key`, or nil if there is no such object (HEAD).
    public func size(of key: String) throws(ObjectStoreError) -> Int64? {
        let r: Response
        do { r = try send(config.headObject(key), "check of", config.displayURL(key)) } catch where error.status == 404 {
            return nil
        }
        guard let length = r.headers["content-length"].flatMap({ Int64($0) }) else {
            throw ObjectStoreError("check of", config.displayURL(key), "the answer has no Content-Length")
        }
        return length
    }

    /// Deletes `key` (deleting a missing key is not an error in S3).
    public func delete(_ key: String) throws(ObjectStoreError) {
        _ = try send(config.deleteObject(key), "delete of", config.displayURL(key))
    }

    /// Every key under `prefix`.
    public func list(prefix: String) throws(ObjectStoreError) -> [String] {
        var keys: [String] = []
        var token: String?
        var seen: Set<String> = []
        repeat {
            let r = try send(config.listObjects(prefix: prefix, continuation: token), "listing of", config.displayURL(prefix))
            let page = S3XML.listPage(r.text)
            keys += page.keys
            token = page.next
            if let t = token, !seen.insert(t).inserted {               // a server repeating itself would loop forever
                throw ObjectStoreError("listing of", config.displayURL(prefix), "the server repeated a continuation token")
            }
        } while token != nil
        return keys
    }

    /// Aborts multipart uploads under `prefix` begun more than `age` seconds ago (a process killed mid-upload leaves
    /// its parts, which S3 keeps and bills until aborted). Returns how many.
    @discardableResult
    public func abortStaleUploads(prefix: String, olderThan age: Double, keep: (String) -> Bool = { _ in false }) throws(ObjectStoreError) -> Int {
        let r = try send(config.listMultipartUploads(prefix: prefix), "listing of uploads in", config.displayURL(prefix))
        var aborted = 0
        for u in S3XML.uploads(r.text) where !keep(u.key) {
            guard let started = u.initiated, Date().timeIntervalSince(started) > age else { continue }
            _ = try send(config.abortMultipartUpload(u.key, uploadID: u.uploadID), "abort of upload", config.displayURL(u.key))
            aborted += 1
        }
        return aborted
    }

    /// Checks that the bucket answers and the credentials may list the volume's prefix.
    public func checkAccess() throws(ObjectStoreError) {
        _ = try send(config.listObjects(prefix: config.listPrefix, maxKeys: 1), "access to", "s3://\(config.bucket)/\(config.prefix)")
    }

    // MARK: transport

    struct Response {
        var status: Int
        var headers: [String: String]
        var body: [UInt8]
        var text: String { String(decoding: body, as: UTF8.self) }
    }

    /// Sends with retries; a non-2xx answer that is not retried becomes an error with S3's code and message.
    private func send(_ request: S3Request, _ operation: String, _ target: String) throws(ObjectStoreError) -> Response {
        var attempt = 1
        while true {
            switch perform(request, sinkFD: nil) {
            case .success(let r) where (200..<300).contains(r.status):
                return r
            case .success(let r):
                if let wait = retry.delay(after: attempt, .status(r.status)) { Thread.sleep(forTimeInterval: wait); attempt += 1; continue }
                throw Self.answerError(operation, target, r)
            case .failure(let failure):
                if let wait = retry.delay(after: attempt, .transport) { Thread.sleep(forTimeInterval: wait); attempt += 1; continue }
                throw ObjectStoreError(operation, target, failure.reason)
            }
        }
    }

    static func answerError(_ operation: String, _ target: String, _ r: Response) -> ObjectStoreError {
        let code = S3XML.value(of: "Code", in: r.text), message = S3XML.value(of: "Message", in: r.text)
        var reason = "HTTP \(r.status)"
        if let code { reason += " \(code)" }
        if let message, !message.isEmpty { reason += ": \(message)" }
        else if r.status == 404 { reason += ": not found" }
        else if r.status == 403 { reason += ": access denied" }
        return ObjectStoreError(operation, target, reason, status: r.status)
    }

    /// Where a transfer's callbacks write: the response's status, headers and body (or a file, for 2xx GETs).
    final class Transfer {
        var status = 0
        var headers: [String: String] = [:]
        var body: [UInt8] = []
        let sinkFD: Int32?
        var writeFailed = false
        init(sinkFD: Int32?) { self.sinkFD = sinkFD }
    }

    /// A libcurl easy handle at rest in the pool: a handle is used by one request at a time, and only the thread that
    /// took it from the pool touches it until it is given back.
    struct EasyHandle: @unchecked Sendable { let raw: UnsafeMutableRawPointer }

    struct TransportFailure: Error { var reason: String }

    private func perform(_ request: S3Request, sinkFD: Int32?) -> Result<Response, TransportFailure> {
        let pooled: UnsafeMutableRawPointer? = handles.withLock { $0.popLast()?.raw }
        guard let curl = pooled ?? curl_easy_init() else { return .failure(TransportFailure(reason: "cannot create a libcurl handle")) }
        let transfer = Transfer(sinkFD: sinkFD)
        var errorBuffer = [CChar](repeating: 0, count: Int(CURL_ERROR_SIZE) + 1)
        var headers: UnsafeMutablePointer<curl_slist>?
        let hash = Self.sha256Hex(request.body)
        // No "Expect:" line to suppress 100-continue: libcurl 7.88 would sign the empty header it then leaves out.
        for h in ["x-amz-content-sha256: \(hash)", "Content-Type: application/octet-stream"] {
            headers = curl_slist_append(headers, h)
        }
        defer { curl_slist_free_all(headers) }
        let context = Unmanaged.passUnretained(transfer).toOpaque()
        let code: CURLcode = request.body.withUnsafeBufferPointer { body in
            errorBuffer.withUnsafeMutableBufferPointer { err in
                _ = tr_curl_set_str(curl, CURLOPT_URL, request.url)
                _ = tr_curl_set_str(curl, CURLOPT_PROTOCOLS_STR, "http,https")
                _ = tr_curl_set_long(curl, CURLOPT_FOLLOWLOCATION, 0)
                _ = tr_curl_set_long(curl, CURLOPT_NOSIGNAL, 1)
                _ = tr_curl_set_long(curl, CURLOPT_CONNECTTIMEOUT, 5)
                _ = tr_curl_set_long(curl, CURLOPT_LOW_SPEED_LIMIT, 1024)         // slower than 1 KiB/s for 30 s: give up
                _ = tr_curl_set_long(curl, CURLOPT_LOW_SPEED_TIME, 30)
                _ = tr_curl_set_long(curl, CURLOPT_TIMEOUT, request.method == "GET" && sinkFD != nil ? 3600 : 300)
                _ = tr_curl_set_long(curl, CURLOPT_PATH_AS_IS, 1)                 // the path is sent as built, never collapsed
                _ = tr_curl_set_str(curl, CURLOPT_PROXY, "")                      // no proxy from the environment
                _ = tr_curl_set_long(curl, CURLOPT_EXPECT_100_TIMEOUT_MS, 0)     // send bodies without waiting for 100 Continue
                _ = tr_curl_set_str(curl, CURLOPT_AWS_SIGV4, "aws:amz:\(config.region):s3")
                _ = tr_curl_set_str(curl, CURLOPT_USERNAME, config.accessKey)
                _ = tr_curl_set_str(curl, CURLOPT_PASSWORD, config.secretKey)
                _ = tr_curl_set_list(curl, CURLOPT_HTTPHEADER, headers)
                _ = tr_curl_set_ptr(curl, CURLOPT_ERRORBUFFER, err.baseAddress)
                _ = tr_curl_set_write(curl, Self.onBody)
                _ = tr_curl_set_ptr(curl, CURLOPT_WRITEDATA, context)
                _ = tr_curl_set_header_fn(curl, Self.onHeader)
                _ = tr_curl_set_ptr(curl, CURLOPT_HEADERDATA, context)
                switch request.method {
                case "GET": _ = tr_curl_set_long(curl, CURLOPT_HTTPGET, 1)
                case "HEAD": _ = tr_curl_set_long(curl, CURLOPT_NOBODY, 1)
                case "PUT", "POST":
                    // The body as POSTFIELDS so that libcurl's signer hashes the same bytes we declare.
                    _ = tr_curl_set_ptr(curl, CURLOPT_POSTFIELDS, UnsafeMutableRawPointer(mutating: body.baseAddress ?? UnsafePointer(bitPattern: 1)!))
                    _ = tr_curl_set_off(curl, CURLOPT_POSTFIELDSIZE_LARGE, curl_off_t(body.count))
                    if request.method == "PUT" { _ = tr_curl_set_str(curl, CURLOPT_CUSTOMREQUEST, "PUT") }
                default: _ = tr_curl_set_str(curl, CURLOPT_CUSTOMREQUEST, request.method)
                }
                return curl_easy_perform(curl)
            }
        }
        let reason = code == CURLE_OK ? "" : {
            let text = String(cString: errorBuffer)
            let base = text.isEmpty ? String(cString: curl_easy_strerror(code)) : text
            let osError = tr_curl_os_errno(curl)
            return osError == 0 ? base : "\(base) (\(String(cString: strerror(Int32(osError))).lowercased()))"
        }()
        let status = tr_curl_response_code(curl)
        // Everything is read off the handle before it is reset (dropping its pointers into this call's buffers) and
        // given back: from then on another request may use it.
        if code == CURLE_OK {
            curl_easy_reset(curl)
            let idle = EasyHandle(raw: curl)
            handles.withLock { $0.append(idle) }
        } else {
            curl_easy_cleanup(curl)
        }
        if code != CURLE_OK { return .failure(TransportFailure(reason: transfer.writeFailed ? "cannot write the downloaded object" : reason)) }
        return .success(Response(status: status, headers: transfer.headers, body: transfer.body))
    }

    private static let onBody: @convention(c) (UnsafeMutablePointer<CChar>?, Int, Int, UnsafeMutableRawPointer?) -> Int = { data, size, count, context in
        guard let data, let context else { return 0 }
        let transfer = Unmanaged<Transfer>.fromOpaque(context).takeUnretainedValue()
        let n = size * count
        if let fd = transfer.sinkFD, (200..<300).contains(transfer.status) {
            var written = 0
            while written < n {
                let w = write(fd, data + written, n - written)
                if w <= 0 { transfer.writeFailed = true; return 0 }
                written += w
            }
            return n
        }
        guard transfer.body.count + n <= 64 << 20 else { return 0 }      // S3's own answers are small
        data.withMemoryRebound(to: UInt8.self, capacity: n) { transfer.body.append(contentsOf: UnsafeBufferPointer(start: $0, count: n)) }
        return n
    }

    private static let onHeader: @convention(c) (UnsafeMutablePointer<CChar>?, Int, Int, UnsafeMutableRawPointer?) -> Int = { data, size, count, context in
        guard let data, let context else { return 0 }
        let transfer = Unmanaged<Transfer>.fromOpaque(context).takeUnretainedValue()
        let n = size * count
        let line = data.withMemoryRebound(to: UInt8.self, capacity: n) { String(decoding: UnsafeBufferPointer(start: $0, count: n), as: UTF8.self) }
            .trimmingCharacters(in: .whitespacesAndNewlines)
        if line.hasPrefix("HTTP/") {
            let parts = line.split(separator: " ")
            if parts.count > 1, let code = Int(parts[1]) { transfer.status = code }
            transfer.headers = [:]
        } else if let colon = line.firstIndex(of: ":") {
            transfer.headers[line[..<colon].lowercased()] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
        }
        return n
    }

    static func sha256Hex(_ bytes: [UInt8]) -> String {
        var out = [UInt8](repeating: 0, count: 32)
        bytes.withUnsafeBufferPointer { _ = SHA256($0.baseAddress, $0.count, &out) }
        return out.map { String(format: "%02x", $0) }.joined()
    }
}
