/// Tributary's own version, shown in `@@version_comment` and `current_version()`.
public enum TributaryVersion {
    public static let current = "0.1.0"
    public static var comment: String { "Tributary \(current)" }
}
