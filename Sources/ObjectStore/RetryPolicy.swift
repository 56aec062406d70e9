/// When a failed S3 request is tried again: connection failures, timeouts, 5xx and 429 (throttling) are retried with
/// exponential backoff; anything else (403, 404, a bad request) is an answer and is not. Pure, so it is unit-tested.
public struct RetryPolicy: Sendable, Equatable {
    public var attempts: Int
    public var firstDelay: Double
    public var maxDelay: Double

    public init(attempts: Int = 4, firstDelay: Double = 0.1, maxDelay: Double = 2) {
        self.attempts = attempts; self.firstDelay = firstDelay; self.maxDelay = maxDelay
    }

    /// What came back from one try.
    public enum Outcome: Sendable, Equatable {
        case transport          // no HTTP answer: refused, reset, timed out, DNS
        case status(Int)
    }

    /// Seconds to wait before try `attempt + 1` (attempts count from 1), or nil to give up.
    public func delay(after attempt: Int, _ outcome: Outcome) -> Double? {
        guard attempt < attempts, Self.isRetryable(outcome) else { return nil }
        return min(maxDelay, firstDelay * Double(1 << min(attempt - 1, 20)))
    }

    public static func isRetryable(_ outcome: Outcome) -> Bool {
        switch outcome {
        case .transport: return true
        case .status(let code): return code >= 500 || code == 429
        }
    }
}
