import CatalogStore
import SQLParser

/// What the session's account may do. `root` holds every privilege; others hold their grants:
/// GLOBAL grants apply everywhere, DATABASE grants to a database and its tables, TABLE grants to one table.
/// `ALL` stands for every privilege.
struct Privileges {
    let isRoot: Bool
    let grants: [GrantInfo]

    func allows(_ privilege: String, database: String? = nil, table: String? = nil) -> Bool {
        if isRoot { return true }
        return grants.contains { g in
            guard g.privilege == privilege || g.privilege == "ALL" else { return false }
            switch g.scope {
            case .global: return true
            case .database: return database == g.database
            case .table: return database == g.database && table == g.table
            }
        }
    }

    /// Any privilege on the database or on one of its tables: enough to see it and USE it.
    func seesDatabase(_ database: String) -> Bool {
        isRoot || grants.contains { $0.scope == .global || $0.database == database }
    }

    /// Any privilege on the table: enough to see it in SHOW TABLES, DESC it or read its definition.
    func seesTable(_ database: String, _ table: String) -> Bool {
        isRoot || grants.contains { $0.scope == .global || ($0.scope == .database && $0.database == database) || ($0.database == database && $0.table == table) }
    }
}

extension StatementExecutor {
    var privileges: Privileges {
        if session.user == "root" { return Privileges(isRoot: true, grants: []) }
        return Privileges(isRoot: false, grants: (try? server.catalog.grants(user: session.user, host: session.accountHost)) ?? [])
    }

    func require(_ privilege: String, table: String, in database: String) throws(SQLError) {
        guard privileges.allows(privilege, database: database, table: table) else { throw .accessDenied(privilege, "TABLE \(table)") }
    }

    func require(_ privilege: String, database: String) throws(SQLError) {
        guard privileges.allows(privilege, database: database) else { throw .accessDenied(privilege, "DATABASE \(database)") }
    }

    func requireSystem(_ privilege: String) throws(SQLError) {
        guard privileges.allows(privilege) else { throw .accessDenied(privilege, "SYSTEM") }
    }
}
