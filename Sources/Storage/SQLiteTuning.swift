import CSQLiteSetup

/// Process-wide SQLite settings, applied once when a daemon starts, before any connection opens (SQLite refuses them
/// afterwards; a late call changes nothing).
public enum SQLiteTuning {
    /// Turns SQLite's memory statistics off: with them on, every allocation SQLite makes takes one process-wide mutex,
    /// which the load threads (segment writers, the table cache) and the query connections all share.
    public static func apply() { _ = tributary_sqlite_configure() }
}
