import TaskContract
import CatalogStore
import Foundation
import Expressions
import SQLParser
import Storage

/// Runs parsed statements for one session: routes each statement family to the catalog, the
/// session, or the query engine. Holds no state of its own beyond the per-connection engine.
final class StatementExecutor {
    let server: ServerContext
    let session: SessionContext
    let engine: QueryEngine
    let memo = CatalogMemo()
    private var resolvedTimeZone: (String, TimeZone)?

    init(server: ServerContext, session: SessionContext) throws {
        self.server = server; self.session = session
        engine = try QueryEngine(cachePath: server.cache.path)
    }

    /// Starts a statement's clock and memory budget (``QueryControl``); an earlier KILL QUERY no longer applies.
    func beginStatement() {
        engine.control.begin(timeoutSeconds: session.queryTimeout, memoryLimit: session.queryMemoryLimit)
    }

    func execute(_ statement: Statement) throws(SQLError) -> StatementResult {
        do {
            let result = try run(statement)
            server.metrics.statement(Self.kind(statement), failed: false)
            return result
        } catch {
            server.metrics.statement(Self.kind(statement), failed: true)
            throw error
        }
    }

    /// The type a statement is counted under in `tributary_fe_statements_total`.
    static func kind(_ statement: Statement) -> FrontendMetrics.StatementKind {
        switch statement {
        case .select: return .select
        case .insert: return .insert
        case .show, .describe: return .show
        case .createDatabase, .dropDatabase, .createTable, .dropTable, .truncateTable: return .ddl
        case .set: return .set
        case .use: return .use
        case .kill: return .kill
        case .user: return .user
        case .routineLoad: return .routine_load
        case .cluster: return .cluster
        case .storageVolume: return .storage_volume
        case .empty, .transaction: return .other
        }
    }

    private func run(_ statement: Statement) throws(SQLError) -> StatementResult {
        beginStatement()
        switch statement {
        case .empty, .transaction: return .done
        case .select(let select): return .rows(try runSelect(select))
        case .set(let assignments): try applySet(assignments); return .done
        case .use(let name): try use(name); return .done
        case .createDatabase(let c): return try createDatabase(c)
        case .dropDatabase(let name, let ifExists, _): return try dropDatabase(name, ifExists: ifExists)
        case .createTable(let c): return try createTable(c)
        case .dropTable(let name, let ifExists, _): return try dropTable(name, ifExists: ifExists)
        case .truncateTable(let name): return try truncateTable(name)
        case .insert(let insert): return try self.insert(insert)
        case .show(let show): return .rows(try self.show(show))
        case .describe(let name, let all): return .rows(try describe(name, all: all))
        case .kill(let id, let queryOnly): try kill(id, queryOnly: queryOnly); return .done
        case .user(let u): return try executeUser(u)
        case .routineLoad(let r): return try executeRoutineLoad(r)
        case .cluster(let c): return try executeCluster(c)
        case .storageVolume(let s): return try executeStorageVolume(s)
        }
    }

    /// COM_INIT_DB and USE.
    func use(_ name: String) throws(SQLError) {
        if InformationSchema.isInformationSchema(name) { session.database = InformationSchema.name; return }
        guard try catalog({ try server.catalog.database(named: name) }) != nil else { throw .unknownDatabase(name) }
        guard privileges.seesDatabase(name) else {
            throw SQLError(1044, "42000", "Access denied for user \(session.currentUser) to database '\(name)'")
        }
        session.database = name
    }

    /// Runs a catalog call, mapping its error.
    func catalog<T>(_ body: () throws -> T) throws(SQLError) -> T {
        do { return try body() } catch let e as CatalogError { throw SQLError(e) } catch let e as SQLError { throw e } catch {
            throw SQLError(1105, "HY000", "\(error)")
        }
    }

    // MARK: - SELECT

    func runSelect(_ select: Select) throws(SQLError) -> ResultSet {
        let bound = try bind(select)
        engine.timeZone = sessionTimeZone
        do {
            return try engine.run(bound, provider: CatalogRelations(server: server, session: session, privileges: privileges, memo: memo))
        } catch {
            throw SQLError(error)
        }
    }

    /// Replaces session-dependent expressions (system and user variables, DATABASE(), USER(), ...) by literals.
    func bind(_ select: Select) throws(SQLError) -> Select {
        if Self.bindsNothing(select) { return select }
        do {
            return try select.rewritten { (e: Expr) throws -> Expr? in try self.bindExpression(e) }
        } catch let e as SQLError { throw e } catch { throw SQLError(1105, "HY000", "\(error)") }
    }

    /// True when no expression of the query can be bound: a plain query (`SELECT 1`, a point lookup) is then run as
    /// parsed instead of being rebuilt. Only literals, columns and operators over them count as plain; anything else
    /// (variables, functions, subqueries) takes the rewrite.
    static func bindsNothing(_ select: Select) -> Bool {
        func plain(_ e: Expr) -> Bool {
            switch e {
            case .literal, .column, .star: return true
            case .unary(_, let x), .cast(let x, _), .isNull(let x, _): return plain(x)
            case .binary(_, let l, let r): return plain(l) && plain(r)
            default: return false
            }
        }
        return select.unions.isEmpty && select.from.allSatisfy { if case .table = $0 { true } else { false } }
            && select.items.allSatisfy { plain($0.expr) } && (select.whereClause.map(plain) ?? true)
            && select.groupBy.allSatisfy(plain) && (select.having.map(plain) ?? true) && select.orderBy.allSatisfy { plain($0.expr) }
    }

    func bindExpression(_ e: Expr) throws -> Expr? {
        let varchar = SQLType.varchar(SQLType.stringLength)
        func string(_ s: String?) -> Expr { s.map { .literal(.string($0)) } ?? .cast(.literal(.null), varchar) }
        switch e {
        case .systemVariable(let scope, let name):
            guard let def = server.variables.definition(name) else { throw SQLError.unknownSystemVariable(name) }
            let value = (scope == .global ? server.variables.globalValue(name) : session.value(name)) ?? .null
            if value == .null { return .cast(.literal(.null), def.sqlType) }
            return .literal(value.literal)
        case .userVariable(let name):
            let v = session.userVariables[name.lowercased()] ?? .null
            return v == .null ? .cast(.literal(.null), varchar) : .literal(v.literal)
        case .function(let name, let args, _) where args.isEmpty:
            switch name.uppercased() {
            case "DATABASE", "SCHEMA": return string(session.database)
            case "USER", "SESSION_USER", "SYSTEM_USER": return string(session.loginUser)
            case "CURRENT_USER": return string(session.currentUser)
            case "CONNECTION_ID": return .literal(.integer(String(session.connectionID)))
            case "VERSION": return string(server.config.mysqlServerVersion)
            case "CURRENT_VERSION": return string(TributaryVersion.starRocksCompatible)
            case "CURRENT_CATALOG": return string("default_catalog")
            case "CURRENT_ROLE": return string("root")
            case "LAST_INSERT_ID", "ROW_COUNT", "FOUND_ROWS": return .literal(.integer("0"))
            default: return nil
            }
        default:
            return nil
        }
    }

    /// The session's `time_zone` (`SYSTEM`, an IANA name or `+08:00`) as a TimeZone, resolved once per value.
    var sessionTimeZone: TimeZone {
        let name = session.timeZoneName
        if let (cachedName, zone) = resolvedTimeZone, cachedName == name { return zone }
        let zone = DateTimeText.timeZone(named: name)
        resolvedTimeZone = (name, zone)
        return zone
    }


    /// Evaluates a scalar expression in this session (SET values).
    func evaluate(_ expr: Expr) throws(SQLError) -> Value {
        var select = Select()
        select.items = [SelectItem(expr: expr, alias: "v", text: "v")]
        let result = try runSelect(select)
        return result.rows.first?.first ?? .null
    }

    // MARK: - KILL

    private func kill(_ id: Int64, queryOnly: Bool) throws(SQLError) {
        guard let target = UInt32(exactly: id), let owner = server.connections.user(of: target) else {
            throw SQLError(1094, "HY000", "Unknown thread id: \(id)")
        }
        guard owner == session.user || privileges.allows("OPERATE") else {
            throw SQLError(1095, "HY000", "You are not owner of thread \(id)")
        }
        // KILL QUERY stops the target's running statement (ERR 1317 to its client); KILL also closes its connection.
        server.connections.interrupt(target)
        if !queryOnly { server.connections.close(target) }
    }
}

/// Resolves table names for the query engine: information_schema tables (materialized) and catalog
/// tables, which are brought up to their latest visible version in the table cache first.
struct CatalogRelations: RelationProvider {
    let server: ServerContext
    let session: SessionContext
    let privileges: Privileges
    let memo: CatalogMemo

    func relation(_ name: QualifiedName) throws(QueryError) -> Relation {
        guard let database = name.qualifier ?? session.database else { throw .noDatabaseSelected }
        if InformationSchema.isInformationSchema(database) {
            guard let r = InformationSchema(server: server, privileges: privileges).relation(name.name) else {
                throw .unknownTable("\(InformationSchema.name).\(name.name)")
            }
            return r
        }
        do {
            guard let table = try memo.table(server.catalog, database: database, name: name.name) else {
                throw QueryError.unknownTable("\(database).\(name.name)")
            }
            guard privileges.allows("SELECT", database: database, table: table.name) else {
                throw QueryError.accessDenied(privilege: "SELECT", table: table.name)
            }
            if !memo.isCurrent(table.id, server.catalog) {
                try server.cache.catchUp(table, catalog: server.catalog)
                memo.markCurrent(table.id)
            }
            return Relation(schema: database, name: table.name,
                            columns: table.definition.columns.map { Relation.Column($0.name, $0.type, nullable: $0.nullable) },
                            cacheTable: TableCache.tableName(table.id))
        } catch let e as QueryError {
            throw e
        } catch CatalogError.unknownDatabase(let d) {
            throw .unknownDatabase(d)
        } catch {
            throw .execution("cannot read table \(database).\(name.name): \(error)")
        }
    }
}
