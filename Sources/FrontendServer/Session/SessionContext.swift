import Expressions
import Foundation

/// The state of one logged-in connection: who, where, which database, and SESSION variable values.
/// Owned by its connection and used only on the connection's queue.
final class SessionContext {
    let connectionID: UInt32
    let user: String
    /// Host pattern of the account (`%` for root): CURRENT_USER() shows it.
    let accountHost: String
    let clientHost: String
    let connectedAt: Date
    var database: String?
    private(set) var sessionValues: [String: Value] = [:]
    /// GLOBAL values as they were when the session started.
    private var initialValues: [String: Value]
    var userVariables: [String: Value] = [:]
    /// The TLS cipher of the connection, nil without TLS (`SHOW STATUS LIKE 'Ssl_cipher'`).
    var tlsCipher: String?
    let variables: SystemVariables

    init(connectionID: UInt32, user: String, accountHost: String = "%", clientHost: String, database: String?, variables: SystemVariables) {
        self.connectionID = connectionID; self.user = user; self.accountHost = accountHost; self.clientHost = clientHost
        self.database = database; self.variables = variables; connectedAt = Date()
        initialValues = variables.globalSnapshot()
        refreshSettings()
    }

    /// `'root'@'%'`: the account, as CURRENT_USER() shows it.
    var currentUser: String { "'\(user)'@'\(accountHost)'" }
    /// `'root'@'127.0.0.1'`: the login, as USER() shows it.
    var loginUser: String { "'\(user)'@'\(clientHost)'" }

    /// The SESSION value of a variable: set in this session, or the GLOBAL value it started with.
    func value(_ name: String) -> Value? {
        if let v = sessionValues[name] ?? initialValues[name] { return v }   // names are mostly lower-case already
        let key = name.lowercased()
        return sessionValues[key] ?? initialValues[key]
    }
    func setSession(_ name: String, _ value: Value?) {
        let key = name.lowercased()
        if let value { sessionValues[key] = value } else { sessionValues.removeValue(forKey: key) }
        refreshSettings()
    }

    /// `@@autocommit`: every OK and EOF packet reports it. This and the settings below are read by every statement or
    /// packet, so they are kept as fields, set when a variable changes, rather than looked up by name each time.
    private(set) var autocommit = true
    private(set) var waitTimeout = 28800
    /// `query_timeout` in seconds (StarRocks: default 300).
    private(set) var queryTimeout = 300
    /// Bytes one statement may hold: `query_mem_limit`, or `exec_mem_limit` when that is 0 (StarRocks' rule).
    private(set) var queryMemoryLimit: Int64 = 2_147_483_648
    /// `time_zone` as set (`SYSTEM`, `+08:00`, `Asia/Tokyo`, ...).
    private(set) var timeZoneName = "SYSTEM"

    private func refreshSettings() {
        timeZoneName = value("time_zone")?.text ?? "SYSTEM"
        autocommit = value("autocommit") != .int(0)
        if case .int(let s)? = value("wait_timeout") { waitTimeout = Int(s) } else { waitTimeout = 28800 }
        if case .int(let s)? = value("query_timeout") { queryTimeout = Int(clamping: s) } else { queryTimeout = 300 }
        if case .int(let q)? = value("query_mem_limit"), q > 0 { queryMemoryLimit = q }
        else if case .int(let e)? = value("exec_mem_limit"), e > 0 { queryMemoryLimit = e }
        else { queryMemoryLimit = 2_147_483_648 }
    }

    /// COM_RESET_CONNECTION: session variables and user variables back to their defaults.
    func reset() {
        sessionValues = [:]
        userVariables = [:]
        initialValues = variables.globalSnapshot()
        refreshSettings()
    }
}
