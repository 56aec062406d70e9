/// Tributary's own version, shown in `@@version_comment` and `current_version()`.
public enum TributaryVersion {
    public static let current = "0.1.0"
    public static var comment: String { "Tributary \(current)" }
    /// What `current_version()` returns: the StarRocks release whose SQL Tributary speaks, then Tributary's own
    /// version, so tools that parse StarRocks versions (the starrocks SQLAlchemy dialect) see a 3.3 server.
    public static var starRocksCompatible: String { "3.3.0-tributary-\(current)" }
}
