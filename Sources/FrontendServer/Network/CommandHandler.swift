import Expressions
import Foundation
import MySQLProtocol
import SQLParser

/// Answers one command of a logged-in connection by writing its packets into the connection's ``PacketWriter``: runs
/// COM_QUERY scripts statement by statement (multi-results with MORE_RESULTS_EXISTS, stopping at the first error), and
/// the other commands (INIT_DB, FIELD_LIST, STATISTICS, ...). Pure with respect to sockets.
final class CommandHandler {
    let server: ServerContext
    let session: SessionContext
    let executor: StatementExecutor
    private var prepared = PreparedStatements()
    /// Recently parsed query texts: repeated statements (pools, dashboards) skip the parser. Statements
    /// are values and hold no session state, so reuse is safe.
    private var parsed: [String: [Statement]] = [:]
    private static let parsedLimit = 128
    /// This connection's entry in SHOW PROCESSLIST.
    var status: ConnectionRegistry.ConnectionStatus?

    init(server: ServerContext, session: SessionContext) throws {
        self.server = server
        self.session = session
        executor = try StatementExecutor(server: server, session: session)
    }

    var waitTimeout: Int { session.waitTimeout }

    private func report(_ command: String, _ info: String?) {
        status?.update(command: command, info: info, database: session.database)
    }

    private func status(_ base: ServerStatus) -> ServerStatus {
        var s = base
        if session.autocommit { s.insert(.autocommit) } else { s.remove(.autocommit) }
        return s
    }

    func handle(_ command: ClientCommand, encoder: ResponseEncoder, status base: ServerStatus, into out: inout PacketWriter) {
        server.countQuestion()
        switch command {
        case .query(let sql):
            report("Query", sql)
            defer { report("Sleep", nil) }
            query(sql, encoder: encoder, base: base, into: &out)
        case .initDB(let name):
            do {
                try executor.use(name)
                report("Sleep", nil)
                out.packet(encoder.ok(status: status(base)))
            } catch { out.packet(encoder.error(error.packet)) }
        case .fieldList(let table, _):
            fieldList(table, encoder: encoder, base: base, into: &out)
        case .statistics:
            let uptime = max(1, server.uptimeSeconds)
            let qps = String(format: "%.3f", Double(server.questions) / Double(uptime))
            out.packet { $0.raw("Uptime: \(uptime)  Threads: \(server.connections.count)  Questions: \(server.questions)  Slow queries: 0  Opens: 0  Flush tables: 1  Open tables: 0  Queries per second avg: \(qps)") }
        case .processKill(let id):
            respond(.kill(connectionID: Int64(id), queryOnly: false), encoder: encoder, base: base, more: false, into: &out)
        case .debug:
            out.packet(encoder.ok(status: status(base)))
        case .resetConnection:
            session.reset()
            prepared.removeAll()
            out.packet(encoder.ok(status: status(base)))
        case .stmtPrepare(let sql):
            prepare(sql, encoder: encoder, base: base, into: &out)
        case .stmtExecute(let id, let payload):
            execute(id, payload: payload, encoder: encoder, base: base, into: &out)
        case .stmtSendLongData(let id, let parameter, let data):
            prepared[id]?.longData[parameter, default: []].append(contentsOf: data)
        case .stmtReset(let id):
            guard prepared[id] != nil else { return out.packet(encoder.error(PreparedStatements.unknown(id, "mysqld_stmt_reset"))) }
            prepared[id]?.longData = [:]
            out.packet(encoder.ok(status: status(base)))
        case .stmtClose(let id):
            prepared.close(id)
        case .changeUser:
            out.packet(encoder.error(ERRPacket(code: 1047, sqlState: "HY000", message: "COM_CHANGE_USER is not supported; reconnect instead")))
        case .quit, .ping, .setOption, .unknown:
            break   // answered by the state machine
        }
    }

    private func query(_ sql: String, encoder: ResponseEncoder, base: ServerStatus, into out: inout PacketWriter) {
        let statements: [Statement]
        if let cached = parsed[sql] {
            statements = cached
        } else {
            do { statements = try Parser.parse(sql) } catch {
                return out.packet(encoder.error(SQLError(error).packet))
            }
            if parsed.count >= Self.parsedLimit { parsed.removeAll(keepingCapacity: true) }
            if sql.utf8.count <= 4096 { parsed[sql] = statements }
        }
        if statements.count > 1, !encoder.capabilities.contains(.multiStatements) {
            return out.packet(encoder.error(SQLError(1064, "HY000", "Getting syntax error. Detail message: Multiple statements in one query need the CLIENT_MULTI_STATEMENTS capability.").packet))
        }
        for (i, statement) in statements.enumerated() {
            let more = i < statements.count - 1
            // Stop at the first error, or once the client is gone (a spill of a large answer failed).
            guard respond(statement, encoder: encoder, base: base, more: more, into: &out), !out.broken else { break }
        }
    }

    private func prepare(_ sql: String, encoder: ResponseEncoder, base: ServerStatus, into out: inout PacketWriter) {
        do {
            let (statement, count) = try Parser.parsePrepared(sql)
            var columns: [ColumnDefinition41] = []
            if case .select(var select) = statement.binding(Array(repeating: .null, count: count)) {
                // Describe the result by running the query with NULL parameters and no rows.
                select.limit = Limit(count: .literal(.integer("0")), offset: nil)
                executor.beginStatement()
                columns = try executor.runSelect(select).columns.map(ColumnDefinitions.definition(for:))
            }
            let id = prepared.add(.init(sql: sql, statement: statement, parameterCount: count, columns: columns))
            encoder.prepareOK(statementID: id, parameterCount: count, columns: columns, status: status(base), into: &out)
        } catch let e as ParseError {
            out.packet(encoder.error(SQLError(e).packet))
        } catch let e as SQLError {
            out.packet(encoder.error(e.packet))
        } catch {
            out.packet(encoder.error(SQLError(1105, "HY000", "\(error)").packet))
        }
    }

    private func execute(_ id: UInt32, payload: [UInt8], encoder: ResponseEncoder, base: ServerStatus, into out: inout PacketWriter) {
        guard var entry = prepared[id] else { return out.packet(encoder.error(PreparedStatements.unknown(id, "mysqld_stmt_execute"))) }
        let request: ComStmtExecute
        do {
            request = try ComStmtExecute(statementID: id, payload: payload, parameterCount: entry.parameterCount,
                                         previousTypes: entry.types, longData: entry.longData)
        } catch {
            return out.packet(encoder.error(ERRPacket(code: 1835, sqlState: "HY000", message: "Malformed communication packet.")))
        }
        entry.types = request.types
        entry.longData = [:]
        prepared[id] = entry
        let bound = entry.statement.binding(request.parameters.map(PreparedStatements.literal))
        report("Execute", entry.sql)
        defer { report("Sleep", nil) }
        respond(bound, encoder: encoder, base: base, more: false, binary: true, into: &out)
    }

    /// Runs one statement and writes its answer; false when the answer is an error.
    @discardableResult
    private func respond(_ statement: Statement, encoder: ResponseEncoder, base: ServerStatus, more: Bool, binary: Bool = false,
                         into out: inout PacketWriter) -> Bool {
        let result: StatementResult
        do { result = try executor.execute(statement) } catch {
            out.packet(encoder.error(error.packet))
            return false
        }
        var st = status(base)
        if more { st.insert(.moreResultsExist) }
        switch result {
        case .ok(let affected, let info):
            out.packet(encoder.ok(affectedRows: affected, status: st, info: info))
        case .textRows(let kept) where !binary:
            let columns = kept.columns.map(ColumnDefinitions.definition(for:))
            encoder.resultSet(columns: columns, rows: kept.rows, status: st, into: &out) { row, w in w.raw(row) }
        case .textRows(let kept):
            respond(kept.resultSet, encoder: encoder, status: st, binary: true, into: &out)
        case .rows(let rs):
            respond(rs, encoder: encoder, status: st, binary: binary, into: &out)
        }
        return true
    }

    /// A result set of values, in the text or the binary protocol.
    private func respond(_ rs: ResultSet, encoder: ResponseEncoder, status st: ServerStatus, binary: Bool, into out: inout PacketWriter) {
        let columns = rs.columns.map(ColumnDefinitions.definition(for:))
        if binary {
            encoder.resultSet(columns: columns, rows: rs.rows, status: st, into: &out) { row, w in
                BinaryRow.encode(row.map(\.text), columns: columns, into: &w)
            }
        } else {
            encoder.resultSet(columns: columns, rows: rs.rows, status: st, into: &out) { row, w in
                for value in row { w.text(value) }
            }
        }
    }

    /// COM_FIELD_LIST: the table's columns with their defaults; ERR for an unknown table.
    private func fieldList(_ table: String, encoder: ResponseEncoder, base: ServerStatus, into out: inout PacketWriter) {
        do {
            let desc = try executor.describe(QualifiedName([table]), all: false)
            let types: [SQLType]
            if let db = session.database, !InformationSchema.isInformationSchema(db) {
                types = try executor.userTable(QualifiedName([table])).definition.columns.map(\.type)
            } else {
                types = (InformationSchema.columns(of: table) ?? []).map(\.type)
            }
            let defs: [(ColumnDefinition41, default: String?)] = zip(desc.rows, types).map { row, type in
                var c = ColumnDefinitions.definition(for: ResultColumn(name: row[0].text ?? "", type: type, nullable: row[2] == .string("YES")))
                c.schema = session.database ?? ""
                c.table = table; c.orgTable = table; c.orgName = c.name
                return (c, default: row[4].text)
            }
            encoder.fieldList(columns: defs, status: status(base), into: &out)
        } catch {
            out.packet(encoder.error(error.packet))
        }
    }
}
