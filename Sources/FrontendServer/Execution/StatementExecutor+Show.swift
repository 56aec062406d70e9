import CatalogStore
import Expressions
import Foundation
import SQLParser
import Storage

/// SHOW statements and DESC. Each builds a result set; `LIKE` filters the first column
/// (case-insensitive) and `WHERE` runs through the query engine over the result's columns.
extension StatementExecutor {
    func show(_ statement: ShowStatement) throws(SQLError) -> ResultSet {
        switch statement {
        case .databases(let filter):
            let names = [InformationSchema.name] + (try catalog { try server.catalog.databases() }).map(\.name).filter(privileges.seesDatabase)
            return try filtered(ResultSet(textColumns: ["Database"], rows: names.sorted().map { [.string($0)] }), filter)
        case .tables(let db, let full, let filter):
            return try filtered(showTables(db, full: full), filter)
        case .tableStatus(let db, let filter):
            return try filtered(tableStatus(db), filter)
        case .columns(let table, let db, let full, let filter):
            return try filtered(columns(table, database: db, full: full), filter)
        case .createTable(let name):
            let table = try userTable(name)
            return ResultSet(textColumns: ["Table", "Create Table"], rows: [[.string(table.name), .string(TableRendering.createTable(table))]])
        case .createDatabase(let name):
            var text = "CREATE DATABASE `\(name)`"
            if !InformationSchema.isInformationSchema(name) {
                guard let db = try catalog({ try server.catalog.database(named: name) }) else { throw .unknownDatabase(name) }
                if let sv = db.properties.first(where: { $0.key.lowercased() == "storage_volume" }) {
                    text += "\nPROPERTIES (\"storage_volume\" = \"\(sv.value)\")"
                }
            }
            return ResultSet(textColumns: ["Database", "Create Database"], rows: [[.string(name), .string(text)]])
        case .variables(let scope, let filter):
            let rows: [[Value]] = server.variables.sortedNames.compactMap { name in
                guard let def = server.variables.definition(name) else { return nil }
                let v = (scope == .global ? server.variables.globalValue(name) : session.value(name)) ?? .null
                return [.string(name), .string(def.showText(v))]
            }
            return try filtered(ResultSet(textColumns: ["Variable_name", "Value"], rows: rows), filter)
        case .status(_, let filter):
            let rows: [[Value]] = [
                ["Connections", String(server.connections.attempts)], ["Questions", String(server.questions)],
                ["Ssl_cipher", session.tlsCipher ?? ""], ["Threads_connected", String(server.connections.count)], ["Uptime", String(server.uptimeSeconds)],
            ].map { $0.map(Value.string) }
            return try filtered(ResultSet(textColumns: ["Variable_name", "Value"], rows: rows), filter)
        case .processlist(let full):
            return processList(full: full)
        case .charset(let filter):
            return try filtered(ResultSet(textColumns: ["Charset", "Description", "Default collation", "Maxlen"],
                                          rows: Charsets.all.map { [.string($0.name), .string($0.description), .string($0.defaultCollation), .int($0.maxLength)] }), filter)
        case .collation(let filter):
            return try filtered(ResultSet(textColumns: ["Collation", "Charset", "Id", "Default", "Compiled", "Sortlen"],
                                          rows: Charsets.collations.map { [.string($0.name), .string($0.charset), .int($0.id), .string($0.isDefault ? "Yes" : ""), .string("Yes"), .int(1)] }), filter)
        case .engines:
            return ResultSet(textColumns: ["Engine", "Support", "Comment", "Transactions", "XA", "Savepoints"], rows: [Charsets.engine.map(Value.string)])
        case .warnings, .errors:
            return ResultSet(textColumns: ["Level", "Code", "Message"], rows: [])
        case .plugins:
            return ResultSet(textColumns: ["Name", "Status", "Type", "Library", "License"],
                             rows: ["mysql_native_password", "caching_sha2_password"].map { [.string($0), .string("ACTIVE"), .string("AUTHENTICATION"), .null, .string("GPL")] })
        case .index(let table, let db):
            _ = try userTable(db.map { QualifiedName([$0, table.name]) } ?? table)
            return ResultSet(textColumns: ["Table", "Non_unique", "Key_name", "Seq_in_index", "Column_name", "Collation", "Cardinality",
                                           "Sub_part", "Packed", "Null", "Index_type", "Comment", "Index_comment"], rows: [])
        case .procedureStatus(let filter), .functionStatus(let filter):
            return try filtered(ResultSet(textColumns: ["Db", "Name", "Type", "Definer", "Modified", "Created", "Security_type", "Comment",
                                                        "character_set_client", "collation_connection", "Database Collation"], rows: []), filter)
        case .triggers(_, let filter):
            return try filtered(ResultSet(textColumns: ["Trigger", "Event", "Table", "Statement", "Timing", "Created", "sql_mode", "Definer",
                                                        "character_set_client", "collation_connection", "Database Collation"], rows: []), filter)
        case .privileges:
            return ResultSet(textColumns: ["Privilege", "Context", "Comment"],
                             rows: [["Select", "Tables", "To retrieve rows from table"], ["Insert", "Tables", "To insert data into tables"],
                                    ["Create", "Databases,Tables", "To create new databases and tables"], ["Drop", "Databases,Tables", "To drop databases and tables"]]
                                .map { $0.map(Value.string) })
        case .grants(let user):
            return try showGrants(user)
        }
    }

    func describe(_ name: QualifiedName, all: Bool) throws(SQLError) -> ResultSet {
        let database = try databaseFor(name)
        if InformationSchema.isInformationSchema(database) {
            guard let cols = InformationSchema.columns(of: name.name) else { throw .unknownTable("\(database).\(name.name)") }
            return ResultSet(textColumns: ["Field", "Type", "Null", "Key", "Default", "Extra"],
                             rows: cols.map { [.string($0.name), .string($0.type.describeName), .string("YES"), .string("false"), .null, .string("")] })
        }
        let table = try userTable(name)
        let d = table.definition
        let rows: [[Value]] = d.columns.map { c in
            let extra = d.keysType == .primary ? "" : (c.aggregate?.rawValue ?? "")
            return [.string(c.name), .string(c.type.describeName), .string(c.nullable ? "YES" : "NO"), .string(c.isKey ? "true" : "false"),
                    TableRendering.defaultText(c.defaultValue).map(Value.string) ?? .null, .string(extra)]
        }
        if all {
            return ResultSet(textColumns: ["IndexName", "IndexKeysType", "Field", "Type", "Null", "Key", "Default", "Extra"],
                             rows: rows.enumerated().map { i, r in [i == 0 ? .string(table.name) : .string(""), i == 0 ? .string(d.keysType.rawValue) : .string("")] + r })
        }
        return ResultSet(textColumns: ["Field", "Type", "Null", "Key", "Default", "Extra"], rows: rows)
    }

    /// A table of the catalog the session may see, or `Unknown table 'db.t'` / access denied.
    func userTable(_ name: QualifiedName) throws(SQLError) -> TableInfo {
        let database = try databaseFor(name)
        guard let t = try catalog({ try memo.table(server.catalog, database: database, name: name.name) }) else {
            throw .unknownTable("\(database).\(name.name)")
        }
        guard privileges.seesTable(database, t.name) else { throw .accessDenied("ANY", "TABLE \(t.name)") }
        return t
    }

    private func filtered(_ result: ResultSet, _ filter: ShowFilter?) throws(SQLError) -> ResultSet {
        switch filter {
        case nil: return result
        case .like(let pattern)?:
            let p = LikePattern(pattern)
            return ResultSet(columns: result.columns, rows: result.rows.filter { p.matches($0.first?.text ?? "") })
        case .whereClause(let e)?:
            do { return try engine.filter(result, where: e) } catch { throw SQLError(error) }
        }
    }

    private func showTables(_ db: String?, full: Bool) throws(SQLError) -> ResultSet {
        guard let database = db ?? session.database else { throw .noDatabaseSelected }
        let names: [(String, String)]
        if InformationSchema.isInformationSchema(database) {
            names = InformationSchema.tables.map { ($0.name, "SYSTEM VIEW") }
        } else {
            let visible = privileges
            names = try catalog { try server.catalog.tables(inDatabase: database) }.filter { visible.seesTable(database, $0.name) }.map { ($0.name, "BASE TABLE") }
        }
        let first = "Tables_in_\(database)"
        if full {
            return ResultSet(textColumns: [first, "Table_type"], rows: names.map { [.string($0.0), .string($0.1)] })
        }
        return ResultSet(textColumns: [first], rows: names.map { [.string($0.0)] })
    }

    private func tableStatus(_ db: String?) throws(SQLError) -> ResultSet {
        guard let database = db ?? session.database else { throw .noDatabaseSelected }
        let tables = InformationSchema.isInformationSchema(database) ? [] : try catalog { try server.catalog.tables(inDatabase: database) }
        let names = ["Name", "Engine", "Version", "Row_format", "Rows", "Avg_row_length", "Data_length", "Max_data_length", "Index_length",
                     "Data_free", "Auto_increment", "Create_time", "Update_time", "Check_time", "Collation", "Checksum", "Create_options", "Comment"]
        let rows: [[Value]] = tables.map { t in
            [.string(t.name), .string("StarRocks"), .null, .null, .int(0), .int(0), .int(0), .null, .null, .null, .null,
             InformationSchema.datetime(t.createdAt), .null, .null, .string("utf8mb4_general_ci"), .null, .string(""), .string(t.definition.comment ?? "")]
        }
        return ResultSet(textColumns: names, rows: rows)
    }

    private func columns(_ table: QualifiedName, database db: String?, full: Bool) throws(SQLError) -> ResultSet {
        let name = db.map { QualifiedName([$0, table.name]) } ?? table
        let described = try describe(name, all: false)
        let comments: [String]
        if let database = name.qualifier ?? session.database, !InformationSchema.isInformationSchema(database) {
            comments = try userTable(name).definition.columns.map(\.comment)
        } else {
            comments = Array(repeating: "", count: described.rows.count)
        }
        let rows: [[Value]] = described.rows.enumerated().map { i, r in
            let key: Value = r[3] == .string("true") ? .string("YES") : .string("NO")
            if full {
                return [r[0], r[1], r[1].text?.hasPrefix("varchar") == true || r[1].text?.hasPrefix("char") == true ? .string("utf8mb4_general_ci") : .null,
                        r[2], key, r[4], r[5], .string("select,insert,update,references"), .string(comments[i])]
            }
            return [r[0], r[1], r[2], key, r[4], r[5]]
        }
        let names = full ? ["Field", "Type", "Collation", "Null", "Key", "Default", "Extra", "Privileges", "Comment"]
                         : ["Field", "Type", "Null", "Key", "Default", "Extra"]
        return ResultSet(textColumns: names, rows: rows)
    }

    private func processList(full: Bool) -> ResultSet {
        let now = Date()
        let mine = privileges.allows("OPERATE") ? nil : session.user
        let rows: [[Value]] = server.connections.snapshot().filter { mine == nil || $0.user == mine }.map { c in
            let state = c.current
            // Masked as it is read; the short form masks only the start it shows (a cut literal is masked whole).
            let info = state.info.map { full ? SecretRedaction.redact($0) : String(SecretRedaction.redact(String($0.prefix(4096))).prefix(100)) }
            return [.int(Int64(c.id)), .string(c.user), .string(c.host), state.database.map(Value.string) ?? .null, .string(state.command),
                    InformationSchema.datetime(c.connectedAt.timeIntervalSince1970), .int(Int64(now.timeIntervalSince(state.since))),
                    .string("OK"), info.map(Value.string) ?? .null, .string("false")]
        }
        var result = ResultSet(textColumns: ["Id", "User", "Host", "Db", "Command", "ConnectionStartTime", "Time", "State", "Info", "IsPending"], rows: rows)
        result.columns[0].type = .bigint
        result.columns[6].type = .bigint
        return result
    }
}
