import CatalogStore
import Expressions
import Foundation
import JobScheduler
import SQLParser

/// CREATE / ALTER / PAUSE / RESUME / STOP / SHOW [ALL] ROUTINE LOAD, SHOW ROUTINE LOAD TASK and SHOW CREATE
/// ROUTINE LOAD: validation, state changes through `RoutineLoadJob`, and durable storage in the catalog.
/// Running the jobs (tasks, Kafka) is the scheduler's part (`RoutineLoadScheduler`); a statement that changes a job hands
/// it the stored job, so it is scheduled (or its tasks dropped) at once. SHOW reads the scheduler's live jobs.
extension StatementExecutor {
    func executeRoutineLoad(_ statement: RoutineLoadStatement) throws(SQLError) -> StatementResult {
        switch statement {
        case .create(let c): try createRoutineLoad(c); return .done
        case .alter(let a): try alterRoutineLoad(a); return .done
        case .pause(let name):
            try changeJob(name) { (job) throws(RoutineLoadError) in try job.pause(byUser: session.user, at: Date().timeIntervalSince1970) }
            return .done
        case .resume(let name):
            try changeJob(name) { (job) throws(RoutineLoadError) in try job.resume() }
            return .done
        case .stop(let name):
            try changeJob(name) { (job) throws(RoutineLoadError) in try job.stop(at: Date().timeIntervalSince1970) }
            return .done
        case .show(let show): return try showRoutineLoad(show)
        case .showTasks(let db, let condition): return .rows(try showRoutineLoadTasks(db, condition))
        case .showCreate(let name):
            // The job's definition (brokers, topic, security settings, table) needs what SHOW ROUTINE LOAD needs: INSERT on
            // its table.
            let database = try databaseFor(name)
            let found = try jobs(in: database).filter { $0.name == name.name && !$0.state.isFinal }
            for job in found { try require("INSERT", table: job.tableName, in: database) }
            let rows = found.map { [Value.string($0.name), .string(RoutineLoadRendering.createStatement($0))] }
            return .rows(ResultSet(textColumns: ["Job", "Create Job"], rows: rows))
        }
    }

    // MARK: - Storage

    func jobs(in database: String?) throws(SQLError) -> [RoutineLoadJob] {
        try catalog { try server.loads.repository.jobs(database: database) }
    }

    /// Applies `change` to the stored job with `id` in one catalog write (the scheduler's saves take turns with it);
    /// the scheduler gets the saved job.
    func modify(_ id: Int64, _ change: (inout RoutineLoadJob) throws(SQLError) -> Void) throws(SQLError) {
        let saved = try catalog {
            try server.loads.repository.update(id) { job in
                try change(&job)
            }
        }
        server.loads.jobSaved(saved)
    }

    private static func sqlError(_ e: RoutineLoadError) -> SQLError {
        switch e {
        case .invalid(let m): return .analysis(m)
        case .wrongName(let m): return SQLError(1064, "42000", m)
        }
    }

    // MARK: - CREATE / ALTER

    private func createRoutineLoad(_ c: CreateRoutineLoad) throws(SQLError) {
        let database = try databaseFor(c.name)
        let name = c.name.name
        do { try RoutineLoadDefinition.checkName(name) } catch { throw Self.sqlError(error) }
        guard try catalog({ try server.catalog.database(named: database) }) != nil else { throw .unknownDatabase(database) }
        guard let table = try catalog({ try server.catalog.table(database: database, name: c.table) }) else { throw .unknownTable(c.table) }
        try require("INSERT", table: c.table, in: database)
        let zone = session.value("time_zone")?.text ?? "UTC"
        let definition: RoutineLoadDefinition
        do {
            definition = try RoutineLoadDefinition.validate(c, jobName: name, sessionTimeZone: zone == "SYSTEM" ? TimeZone.current.identifier : zone) {
                "\(name)_\(UUID().uuidString.lowercased())"
            }
        } catch { throw Self.sqlError(error) }
        if let column = definition.job.mergeCondition {
            // merge_condition compares a value column of a Primary Key table (StarRocks checks it the same way;
            // these texts are Tributary's).
            guard table.definition.keysType == .primary else {
                throw .analysis("merge_condition is only supported for PRIMARY KEY tables")
            }
            guard let col = table.definition.column(named: column), !col.isKey else {
                throw .analysis("merge_condition column '\(column)' must be a value column of table '\(c.table)'")
            }
        }
        let now = Date().timeIntervalSince1970
        let created = try catalog {
            try server.loads.repository.create(database: database, name: name) { id in
                RoutineLoadJob(id: id, name: name, databaseName: database, tableName: c.table, definition: definition, createTime: now)
            }
        }
        server.loads.jobSaved(created)
    }

    private func alterRoutineLoad(_ a: AlterRoutineLoad) throws(SQLError) {
        let id = try liveJob(a.name).id
        if let t = a.sourceType, t != "KAFKA" { throw .ddl("The specified job type is not: \(t)") }
        let repositioned = a.sourceProperties.first { $0.key == "kafka_partitions" }?.value
            .split(separator: ",").compactMap { Int32($0.filter { !$0.isWhitespace }) } ?? []
        try modify(id) { (job) throws(SQLError) in
            guard job.state == .paused else { throw .ddl("Only supports modification of PAUSED jobs") }
            do throws(RoutineLoadError) {
                try job.definition.alter(load: a.load, properties: a.properties, source: a.sourceProperties)
            } catch { throw Self.sqlError(error) }
            job.resetProgress(of: repositioned)
        }
    }

    // MARK: - PAUSE / RESUME / STOP

    /// The non-final job named `name` (StarRocks looks only at those, during its privilege check).
    private func liveJob(_ name: QualifiedName) throws(SQLError) -> RoutineLoadJob {
        let database = try databaseFor(name)
        guard let job = try jobs(in: database).first(where: { $0.name == name.name && !$0.state.isFinal }) else {
            throw .ddl("Routine load job [\(name.name)] not found when checking privilege")
        }
        try require("INSERT", table: job.tableName, in: database)
        return job
    }

    private func changeJob(_ name: QualifiedName, _ change: (inout RoutineLoadJob) throws(RoutineLoadError) -> Void) throws(SQLError) {
        try modify(try liveJob(name).id) { (job) throws(SQLError) in
            do throws(RoutineLoadError) { try change(&job) } catch {
                if case .invalid(let m) = error { throw .ddl(m) }
                throw Self.sqlError(error)
            }
        }
    }

    /// The table or its database was dropped: its live jobs are CANCELLED (reference §2.5).
    func cancelRoutineLoads(database: String, table: String?) throws(SQLError) {
        let now = Date().timeIntervalSince1970
        let reason = table == nil ? ErrorReason(code: ErrorReason.databaseDropped, message: "db \(database)not exist")
                                  : ErrorReason(code: ErrorReason.tableDropped, message: "table not exist")
        for job in try jobs(in: database) where !job.state.isFinal && (table == nil || job.tableName == table) {
            try modify(job.id) { (job) throws(SQLError) in try? job.cancel(reason, at: now) }
        }
    }

    // MARK: - SHOW

    private func showRoutineLoad(_ show: ShowRoutineLoad) throws(SQLError) -> StatementResult {
        guard let database = show.name?.qualifier ?? show.database ?? session.database else { throw .noDatabaseSelected }
        guard try catalog({ try server.catalog.database(named: database) }) != nil else {
            throw .ddl("failed to find database by dbFullName \(database)")
        }
        let visible = privileges
        // The scheduler's live jobs and their kept rows: no catalog read, JSON decoding or cell encoding per SHOW.
        let rows: [[UInt8]]
        if let name = show.name, !show.all {
            rows = server.loads.shownRow(database: database, name: name.name) {
                visible.allows("INSERT", database: database, table: $0.tableName)
            }.map { [$0] } ?? []
        } else {
            rows = server.loads.shownRows(database: database, include: { job in
                (show.all || !job.state.isFinal) && (show.name == nil || job.name == show.name!.name)
                    && visible.allows("INSERT", database: database, table: job.tableName)
            }, { $1 })
        }
        if let name = show.name, rows.isEmpty {
            throw .ddl("There is no running job named \(name.name) in db \(database). Include history? \(show.all), you can try `show all routine load job for job_name` if you want to list stopped and cancelled jobs")
        }
        let shown = TextRows(columns: ResultSet.textColumns(RoutineLoadRendering.columns), rows: rows)
        guard show.whereClause != nil || !show.orderBy.isEmpty || show.limit != nil else { return .textRows(shown) }
        var result = shown.resultSet
        let textColumns = result.columns
        result.columns[0].type = .bigint                                   // Id and CurrentTaskNum compare as numbers
        result.columns[9].type = .bigint
        do { result = try engine.filter(result, where: show.whereClause, orderBy: show.orderBy, limit: show.limit) } catch { throw SQLError(error) }
        result.columns = textColumns
        return .rows(result)
    }

    private func showRoutineLoadTasks(_ db: String?, _ condition: Expr?) throws(SQLError) -> ResultSet {
        let columns = ["TaskId", "TxnId", "TxnStatus", "JobId", "CreateTime", "LastScheduledTime", "ExecuteStartTime", "Timeout", "BeId",
                       "DataSourceProperties", "Message"]
        guard let condition else {
            throw .ddl("analysis show routine load task error: please designate a jobName in where expr such as JobName=\"ILoveStarRocks\"")
        }
        guard case .binary(.equal, .column(let c), .literal(.string(let name))) = condition, c.parts.count == 1,
              c.name.lowercased() == "jobname" else {
            throw .ddl("analysis show routine load task error: show routine load job only support one equal expr which is sames like JobName=\"ILoveStarRocks\"")
        }
        guard let database = db ?? session.database else { throw .noDatabaseSelected }
        guard try jobs(in: database).contains(where: { $0.name == name && !$0.state.isFinal }) else {
            throw .ddl("The job named \(name)does not exists or job state is stopped or cancelled")
        }
        guard let job = try jobs(in: database).first(where: { $0.name == name && !$0.state.isFinal }) else { return ResultSet(textColumns: columns, rows: []) }
        try require("INSERT", table: job.tableName, in: database)
        let tasks = server.loads.view(of: job.id).map(\.shownTasks) ?? []
        let live = server.loads.view(of: job.id)?.job ?? job
        let rows: [[Value]] = tasks.map { t in
            let progress = "{" + t.partitions.sorted().map { "\"\($0)\":\(t.begin[$0] ?? live.progress[$0] ?? -1)" }.joined(separator: ",") + "}"
            let latest = t.partitions.compactMap { p in live.latestOffsets[p].map { "\"\(p)\":\($0)" } }
            let source = "Progress:\(progress),LatestOffset:" + (latest.isEmpty ? "null" : "{" + latest.joined(separator: ",") + "}")
            return [.string(t.id.raw), .string(String(t.run?.txn.raw ?? -1)), .string(t.transactionStatus), .string(String(job.id)),
                    RoutineLoadRendering.time(t.createTime), t.lastScheduledTime.map(RoutineLoadRendering.time) ?? .string("NULL"),
                    t.executeStartTime.map(RoutineLoadRendering.time) ?? .string("NULL"), .string(String(job.definition.job.taskTimeoutSecond)),
                    .string(String(t.occupiedNode?.raw ?? -1)), .string(source), .string(t.message ?? "NULL")]
        }
        return ResultSet(textColumns: columns, rows: rows)
    }
}

