import CCurl
import Foundation

/// One plain HTTP(S) GET over libcurl, with optional basic auth: what the Avro schema registry needs. Only http and
/// https, no redirects, no proxies from the environment, a bounded answer and time.
public enum HTTPGet {
    public struct Failure: Error, CustomStringConvertible, Sendable {
        public var description: String
    }

    /// The status and body of `url`; a failure when no HTTP answer came (refused, timed out, too large).
    public static func fetch(_ url: String, user: String? = nil, password: String? = nil, timeoutSeconds: Int = 10,
                             maxBytes: Int = 8 << 20) throws(Failure) -> (status: Int, body: [UInt8]) {
        guard let curl = curl_easy_init() else { throw Failure(description: "cannot create a libcurl handle") }
        defer { curl_easy_cleanup(curl) }
        final class Sink { var body: [UInt8] = []; var limit = 0; var overflow = false }
        let sink = Sink()
        sink.limit = maxBytes
        var errorBuffer = [CChar](repeating: 0, count: Int(CURL_ERROR_SIZE) + 1)
        let context = Unmanaged.passUnretained(sink).toOpaque()
        let onBody: @convention(c) (UnsafeMutablePointer<CChar>?, Int, Int, UnsafeMutableRawPointer?) -> Int = { data, size, count, ctx in
            guard let data, let ctx else { return 0 }
            let sink = Unmanaged<Sink>.fromOpaque(ctx).takeUnretainedValue()
            let n = size * count
            guard sink.body.count + n <= sink.limit else { sink.overflow = true; return 0 }
            data.withMemoryRebound(to: UInt8.self, capacity: n) { sink.body.append(contentsOf: UnsafeBufferPointer(start: $0, count: n)) }
            return n
        }
        let code: CURLcode = errorBuffer.withUnsafeMutableBufferPointer { err in
            _ = tr_curl_set_str(curl, CURLOPT_URL, url)
            _ = tr_curl_set_str(curl, CURLOPT_PROTOCOLS_STR, "http,https")
            _ = tr_curl_set_long(curl, CURLOPT_FOLLOWLOCATION, 0)
            _ = tr_curl_set_long(curl, CURLOPT_NOSIGNAL, 1)
            _ = tr_curl_set_long(curl, CURLOPT_CONNECTTIMEOUT, min(5, timeoutSeconds))
            _ = tr_curl_set_long(curl, CURLOPT_TIMEOUT, timeoutSeconds)
            _ = tr_curl_set_str(curl, CURLOPT_PROXY, "")
            if let user { _ = tr_curl_set_str(curl, CURLOPT_USERNAME, user) }
            if let password { _ = tr_curl_set_str(curl, CURLOPT_PASSWORD, password) }
            _ = tr_curl_set_ptr(curl, CURLOPT_ERRORBUFFER, err.baseAddress)
            _ = tr_curl_set_write(curl, onBody)
            _ = tr_curl_set_ptr(curl, CURLOPT_WRITEDATA, context)
            return curl_easy_perform(curl)
        }
        guard code == CURLE_OK else {
            if sink.overflow { throw Failure(description: "the answer is larger than \(maxBytes) bytes") }
            let text = String(cString: errorBuffer)
            throw Failure(description: text.isEmpty ? String(cString: curl_easy_strerror(code)) : text)
        }
        return (tr_curl_response_code(curl), sink.body)
    }
}
