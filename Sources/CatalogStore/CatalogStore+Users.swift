import Foundation
import GRDB

/// A privilege granted to an account on a scope: everything (GLOBAL), a database, or a table.
public struct GrantInfo: Equatable, Hashable, Sendable {
    public enum Scope: String, Sendable { case global = "GLOBAL", database = "DATABASE", table = "TABLE" }
    public var privilege: String
    public var scope: Scope
    public var database: String
    public var table: String
    public init(privilege: String, scope: Scope, database: String = "", table: String = "") {
        self.privilege = privilege; self.scope = scope; self.database = database; self.table = table
    }
}

/// Accounts and grants. Passwords arrive already hashed; the catalog never sees plaintext.
extension CatalogStore {
    public func createUser(_ account: AccountInfo, ifNotExists: Bool) throws(CatalogError) {
        try write { db in
            if try UserRecord.filter(Column("name") == account.user && Column("host") == account.host).fetchCount(db) > 0 {
                if ifNotExists { return }
                throw CatalogError.userExists(account.identity)
            }
            try UserRecord(name: account.user, host: account.host, native_hash: account.nativeHash.map { Data($0) },
                           sha2_hash: account.sha2Hash.map { Data($0) }, created_at: Date().timeIntervalSince1970, plugin: account.plugin).insert(db)
        }
    }

    /// Drops an account and its grants; returns false if it did not exist.
    @discardableResult
    public func dropUser(user: String, host: String) throws(CatalogError) -> Bool {
        try write { db in try UserRecord.filter(Column("name") == user && Column("host") == host).deleteAll(db) > 0 }
    }

    public func setPassword(_ account: AccountInfo) throws(CatalogError) {
        try write { db in
            try db.execute(sql: "UPDATE users SET native_hash = ?, sha2_hash = ?, plugin = ? WHERE name = ? AND host = ?",
                           arguments: [account.nativeHash.map { Data($0) }, account.sha2Hash.map { Data($0) }, account.plugin, account.user, account.host])
            if db.changesCount == 0 { throw CatalogError.unknownUser(account.identity) }
        }
    }

    private static func requireAccount(_ user: String, _ host: String, in db: Database) throws {
        guard try UserRecord.filter(Column("name") == user && Column("host") == host).fetchCount(db) > 0 else {
            throw CatalogError.unknownUser("'\(user)'@'\(host)'")
        }
    }

    public func grant(_ grants: [GrantInfo], to user: String, host: String) throws(CatalogError) {
        try write { db in
            try Self.requireAccount(user, host, in: db)
            for g in grants {
                try db.execute(sql: "INSERT OR IGNORE INTO grants (user, host, privilege, scope, db, tbl) VALUES (?, ?, ?, ?, ?, ?)",
                               arguments: [user, host, g.privilege, g.scope.rawValue, g.database, g.table])
            }
        }
    }

    public func revoke(_ grants: [GrantInfo], from user: String, host: String) throws(CatalogError) {
        try write { db in
            try Self.requireAccount(user, host, in: db)
            for g in grants {
                try db.execute(sql: "DELETE FROM grants WHERE user = ? AND host = ? AND privilege = ? AND scope = ? AND db = ? AND tbl = ?",
                               arguments: [user, host, g.privilege, g.scope.rawValue, g.database, g.table])
            }
        }
    }

    public func grants(user: String, host: String) throws(CatalogError) -> [GrantInfo] {
        try read { db in
            try Row.fetchAll(db, sql: "SELECT privilege, scope, db, tbl FROM grants WHERE user = ? AND host = ? ORDER BY scope DESC, db, tbl, privilege",
                             arguments: [user, host]).map {
                GrantInfo(privilege: $0["privilege"], scope: GrantInfo.Scope(rawValue: $0["scope"]) ?? .global, database: $0["db"], table: $0["tbl"])
            }
        }
    }
}
