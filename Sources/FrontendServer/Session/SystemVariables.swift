import Expressions
import Foundation
import SQLParser
import Synchronization

/// One server variable: its type decides how `SELECT @@x` (typed) and `SHOW VARIABLES` (text) answer.
struct SystemVariable: Sendable {
    enum Kind: Sendable { case int, string, bool, unsignedBig }
    let name: String
    let kind: Kind
    let defaultValue: Value
    let readOnly: Bool
    let globalOnly: Bool
    /// The values an integer variable may take (SET outside it: ERR 1231).
    let range: ClosedRange<Int64>?

    init(_ name: String, _ kind: Kind, _ value: Value, readOnly: Bool = false, globalOnly: Bool = false, range: ClosedRange<Int64>? = nil) {
        self.name = name; self.kind = kind; self.defaultValue = value; self.readOnly = readOnly; self.globalOnly = globalOnly
        self.range = range
    }

    /// The SQL type a SELECT of this variable reports (clients compare several of these with integers).
    var sqlType: SQLType {
        switch kind {
        case .int, .bool: return .bigint
        case .unsignedBig: return .decimal(precision: 20, scale: 0)
        case .string: return .varchar(SQLType.stringLength)
        }
    }

    /// The value as SHOW VARIABLES prints it (booleans as ON / OFF).
    func showText(_ v: Value) -> String {
        if kind == .bool, case .int(let i) = v { return i != 0 ? "ON" : "OFF" }
        return v.text ?? ""
    }

    /// Converts a SET value to this variable's type, or nil if it cannot hold it.
    func coerce(_ v: Value) -> Value? {
        switch kind {
        case .bool:
            switch v {
            case .int(let i) where i == 0 || i == 1: return .int(i)
            case .string(let s):
                switch s.uppercased() { case "ON", "TRUE", "1": return .int(1); case "OFF", "FALSE", "0": return .int(0); default: return nil }
            default: return nil
            }
        case .int:
            let n: Int64?
            switch v {
            case .int(let i): n = i
            case .string(let s): n = Int64(s)
            case .double(let d): n = Int64(exactly: d.rounded(.towardZero))
            case .decimal(let s): n = Int64(s)
            default: n = nil
            }
            guard let n, range?.contains(n) ?? true else { return nil }
            return .int(n)
        case .unsignedBig:
            switch v {
            case .int(let i) where i >= 0: return .decimal(String(i))
            case .decimal(let s) where UInt64(s) != nil: return .decimal(s)
            case .string(let s) where UInt64(s) != nil: return .decimal(s)
            default: return nil
            }
        case .string:
            if v == .null { return .null }
            return v.text.map(Value.string)
        }
    }
}

/// The variable catalogue (reference mysql_clients.md §3.10) and the server-wide (GLOBAL) values.
public final class SystemVariables: Sendable {
    let definitions: [String: SystemVariable]
    private let globals = Mutex<[String: Value]>([:])

    public init(serverVersion: String, versionComment: String, port: Int, ssl: Bool = false) {
        let tz = TimeZone.current.identifier
        let max64 = Value.decimal("18446744073709551615")
        let list: [SystemVariable] = [
            .init("auto_increment_increment", .int, .int(1)),
            .init("autocommit", .bool, .int(1)),
            .init("character_set_client", .string, .string("utf8mb4")),
            .init("character_set_connection", .string, .string("utf8mb4")),
            .init("character_set_database", .string, .string("utf8mb4")),
            .init("character_set_filesystem", .string, .string("binary")),
            .init("character_set_results", .string, .string("utf8mb4")),
            .init("character_set_server", .string, .string("utf8mb4")),
            .init("character_set_system", .string, .string("utf8mb3"), readOnly: true),
            .init("collation_connection", .string, .string("utf8mb4_general_ci")),
            .init("collation_database", .string, .string("utf8mb4_general_ci")),
            .init("collation_server", .string, .string("utf8mb4_general_ci")),
            .init("default_authentication_plugin", .string, .string("mysql_native_password"), readOnly: true),
            .init("default_storage_engine", .string, .string("InnoDB")),
            .init("default_tmp_storage_engine", .string, .string("InnoDB")),
            .init("div_precision_increment", .int, .int(4)),
            .init("event_scheduler", .string, .string("OFF")),
            .init("exec_mem_limit", .int, .int(2_147_483_648), range: 0...Int64.max),
            .init("foreign_key_checks", .bool, .int(1)),
            .init("group_concat_max_len", .int, .int(1024), range: 4...67_108_864),
            .init("have_query_cache", .string, .string("NO"), readOnly: true),
            .init("have_ssl", .string, .string(ssl ? "YES" : "DISABLED"), readOnly: true),
            .init("init_connect", .string, .string("")),
            .init("innodb_read_only", .bool, .int(0), readOnly: true),
            .init("interactive_timeout", .int, .int(28800), range: 1...31_536_000),
            .init("language", .string, .string("/usr/share/mysql/"), readOnly: true),
            .init("license", .string, .string("Apache License 2.0"), readOnly: true),
            .init("long_query_time", .int, .int(10), range: 0...31_536_000),
            .init("lower_case_table_names", .int, .int(0), readOnly: true),
            .init("max_allowed_packet", .int, .int(67_108_864), range: 1024...1_073_741_824),
            .init("max_execution_time", .int, .int(0), range: 0...Int64.max),
            .init("max_join_size", .unsignedBig, max64),
            .init("net_buffer_length", .int, .int(16384)),
            .init("net_read_timeout", .int, .int(30), range: 1...31_536_000),
            .init("net_write_timeout", .int, .int(60), range: 1...31_536_000),
            .init("offline_mode", .bool, .int(0)),
            .init("performance_schema", .bool, .int(0), readOnly: true),
            .init("port", .int, .int(Int64(port)), readOnly: true),
            .init("protocol_version", .int, .int(10), readOnly: true),
            .init("query_cache_size", .int, .int(0)),
            .init("query_cache_type", .string, .string("OFF")),
            .init("query_mem_limit", .int, .int(0), range: 0...Int64.max),
            .init("query_timeout", .int, .int(300), range: 1...259_200),
            .init("session_track_system_variables", .string, .string("")),
            .init("socket", .string, .string(""), readOnly: true),
            .init("sql_auto_is_null", .bool, .int(0)),
            .init("sql_mode", .string, .string("ONLY_FULL_GROUP_BY,STRICT_TRANS_TABLES,NO_ZERO_IN_DATE,NO_ZERO_DATE,ERROR_FOR_DIVISION_BY_ZERO,NO_ENGINE_SUBSTITUTION")),
            .init("sql_quote_show_create", .bool, .int(1)),
            .init("sql_safe_updates", .bool, .int(0)),
            .init("sql_select_limit", .unsignedBig, max64),
            .init("system_time_zone", .string, .string(tz), readOnly: true),
            .init("time_zone", .string, .string(tz)),
            .init("transaction_isolation", .string, .string("REPEATABLE-READ")),
            .init("transaction_read_only", .bool, .int(0)),
            .init("tx_isolation", .string, .string("REPEATABLE-READ")),
            .init("tx_read_only", .bool, .int(0)),
            .init("unique_checks", .bool, .int(1)),
            .init("version", .string, .string(serverVersion), readOnly: true),
            .init("version_comment", .string, .string(versionComment), readOnly: true),
            .init("version_compile_machine", .string, .string("x86_64"), readOnly: true),
            .init("version_compile_os", .string, .string("Linux"), readOnly: true),
            .init("wait_timeout", .int, .int(28800), range: 1...31_536_000),
        ]
        definitions = Dictionary(uniqueKeysWithValues: list.map { ($0.name, $0) })
    }

    func definition(_ name: String) -> SystemVariable? { definitions[name.lowercased()] }

    func globalValue(_ name: String) -> Value? {
        let key = name.lowercased()
        guard let d = definitions[key] else { return nil }
        return globals.withLock { $0[key] } ?? d.defaultValue
    }

    /// Every GLOBAL value a new session starts from (MySQL: SET GLOBAL does not change existing sessions).
    func globalSnapshot() -> [String: Value] {
        let overrides = globals.withLock { $0 }
        return definitions.mapValues { $0.defaultValue }.merging(overrides) { _, new in new }
    }

    func setGlobal(_ name: String, _ value: Value) { globals.withLock { $0[name.lowercased()] = value } }
    func resetGlobal(_ name: String) { _ = globals.withLock { $0.removeValue(forKey: name.lowercased()) } }

    var sortedNames: [String] { definitions.keys.sorted() }
}
