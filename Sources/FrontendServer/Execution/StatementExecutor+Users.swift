import CatalogStore
import Expressions
import MySQLProtocol
import SQLParser

/// CREATE / DROP / ALTER USER, SET PASSWORD, GRANT, REVOKE and SHOW GRANTS. Passwords are hashed here,
/// before they reach the catalog.
extension StatementExecutor {
    static let knownPrivileges: Set<String> = [
        "ALL", "SELECT", "INSERT", "UPDATE", "DELETE", "ALTER", "DROP", "CREATE DATABASE", "CREATE TABLE", "CREATE VIEW",
        "USAGE", "GRANT", "OPERATE", "NODE",
    ]

    func executeUser(_ statement: UserStatement) throws(SQLError) -> StatementResult {
        switch statement {
        case .create(let user, let auth, let ifNotExists):
            try requireSystem("GRANT")
            try catalog { try server.catalog.createUser(try account(user, auth), ifNotExists: ifNotExists) }
        case .drop(let user, let ifExists):
            try requireSystem("GRANT")
            if user.name == "root" {
                throw SQLError(1396, "HY000", "Operation DROP USER failed for \(user.description) : cannot drop user \(user.description)")
            }
            let dropped = try catalog { try server.catalog.dropUser(user: user.name, host: user.host) }
            if !dropped, !ifExists { throw SQLError(CatalogError.unknownUser(user.description)) }
        case .alter(let user, let auth, let ifExists):
            try requireSystem("GRANT")
            let updated = try account(user, auth)
            do { try server.catalog.setPassword(updated) } catch .unknownUser where ifExists {} catch { throw SQLError(error) }
        case .setPassword(let user, let password):
            let target = user ?? UserIdentity(name: session.user, host: session.accountHost)
            if target.name != session.user || target.host != session.accountHost { try requireSystem("GRANT") }
            try catalog { try server.catalog.setPassword(try account(target, .password(password, plugin: nil))) }
        case .grant(let g):
            try requireSystem("GRANT")
            try catalog { try server.catalog.grant(try grants(g), to: g.user.name, host: g.user.host) }
        case .revoke(let g):
            try requireSystem("GRANT")
            try catalog { try server.catalog.revoke(try grants(g), from: g.user.name, host: g.user.host) }
        }
        return .done
    }

    private func account(_ user: UserIdentity, _ auth: Authentication?) throws(SQLError) -> AccountInfo {
        guard !user.name.isEmpty else { throw .analysis("Does not support anonymous user") }
        switch auth {
        case nil, .password("", _)?:
            return AccountInfo(user: user.name, host: user.host, nativeHash: nil, sha2Hash: nil, plugin: AuthPlugin.nativePassword)
        case .password(let pw, let plugin)?:
            let plugin = plugin?.lowercased() ?? AuthPlugin.nativePassword
            guard [AuthPlugin.nativePassword, AuthPlugin.cachingSHA2].contains(plugin) else {
                throw .analysis("Unsupported authentication plugin: \(plugin)")
            }
            let h = PasswordHashes(password: pw)
            return AccountInfo(user: user.name, host: user.host, nativeHash: h.native, sha2Hash: h.sha2, plugin: plugin)
        case .nativeHash(let hex)?:
            guard hex.count == 41, hex.hasPrefix("*"), let bytes = Self.hexBytes(String(hex.dropFirst())) else {
                throw .analysis("Password hash should be a 41-digit hexadecimal number")
            }
            return AccountInfo(user: user.name, host: user.host, nativeHash: bytes, sha2Hash: nil, plugin: AuthPlugin.nativePassword)
        }
    }

    static func hexBytes(_ hex: String) -> [UInt8]? {
        var out: [UInt8] = []
        var it = hex.makeIterator()
        while let a = it.next() {
            guard let b = it.next(), let v = UInt8(String([a, b]), radix: 16) else { return nil }
            out.append(v)
        }
        return out
    }

    private func grants(_ g: GrantStatement) throws(SQLError) -> [GrantInfo] {
        for p in g.privileges where !Self.knownPrivileges.contains(p) { throw .analysis("Unknown privilege type \(p)") }
        switch g.target {
        case .global: return g.privileges.map { GrantInfo(privilege: $0, scope: .global) }
        case .database(let db):
            guard let db = db ?? session.database else { throw .noDatabaseSelected }
            guard try catalog({ try server.catalog.database(named: db) }) != nil else { throw .unknownDatabase(db) }
            return g.privileges.map { GrantInfo(privilege: $0, scope: .database, database: db) }
        case .table(let db, let t):
            let table = try userTable(QualifiedName([db, t].compactMap { $0 }))
            return g.privileges.map { GrantInfo(privilege: $0, scope: .table, database: table.databaseName, table: table.name) }
        }
    }

    /// SHOW GRANTS [FOR user]: `UserIdentity`, `Catalog`, `Grants`, one row per scope.
    func showGrants(_ user: UserIdentity?) throws(SQLError) -> ResultSet {
        let target = user ?? UserIdentity(name: session.user, host: session.accountHost)
        if target.name != session.user { try requireSystem("GRANT") }
        let columns = ["UserIdentity", "Catalog", "Grants"]
        if target.name == "root" {
            return ResultSet(textColumns: columns, rows: [[.string(target.description), .null, .string("GRANT 'root' TO \(target.description)")]])
        }
        guard try catalog({ try server.catalog.accounts(user: target.name) }).contains(where: { $0.host == target.host }) else {
            throw SQLError(CatalogError.unknownUser(target.description))
        }
        let all = try catalog { try server.catalog.grants(user: target.name, host: target.host) }
        var groups: [(String, [String])] = []
        for g in all {
            let object: String
            switch g.scope {
            case .global: object = "*.*"
            case .database: object = "\(g.database).*"
            case .table: object = "TABLE \(g.database).\(g.table)"
            }
            if let i = groups.firstIndex(where: { $0.0 == object }) { groups[i].1.append(g.privilege) } else { groups.append((object, [g.privilege])) }
        }
        return ResultSet(textColumns: columns, rows: groups.map { object, privs in
            [.string(target.description), .string("default_catalog"),
             .string("GRANT \(privs.sorted().joined(separator: ", ")) ON \(object) TO USER \(target.description)")]
        })
    }
}
