import GRDB

/// A routine-load job as stored: the job document (JSON of JobScheduler's `RoutineLoadJob`) with the
/// columns lookups need. The catalog does not interpret the document.
public struct StoredRoutineLoadJob: Equatable, Sendable {
    public var id: Int64
    public var databaseName: String
    public var name: String
    public var state: String
    public var document: String
}

extension StoredRoutineLoadJob {
    /// A `routine_load_jobs` row.
    init(row: Row) {
        self.init(id: row["id"], databaseName: row["database_name"], name: row["name"], state: row["state"], document: row["document"])
    }
}

extension CatalogStore {
    /// Stores a new job; `document` receives the new id. Refuses a name used by a non-final job of the database.
    public func createRoutineLoadJob(database: String, name: String, state: String, finalStates: [String],
                                     document: (Int64) throws -> String) throws(CatalogError) -> Int64 {
        try write { db in
            let marks = finalStates.map { _ in "?" }.joined(separator: ", ")
            let used = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM routine_load_jobs WHERE database_name = ? AND name = ? AND state NOT IN (\(marks))",
                                        arguments: StatementArguments([database, name] + finalStates)) ?? 0
            if used > 0 { throw CatalogError.jobNameUsed(name: name, database: database) }
            try db.cachedStatement(sql: "INSERT INTO routine_load_jobs (database_name, name, state, document) VALUES (?, ?, ?, '')")
                .execute(arguments: [database, name, state])
            let id = db.lastInsertedRowID
            try db.cachedStatement(sql: "UPDATE routine_load_jobs SET document = ? WHERE id = ?").execute(arguments: [try document(id), id])
            return id
        }
    }

    /// Reads a job, lets `change` decide its new state and document, and writes them, all in one write transaction:
    /// writers (user statements, the scheduler, commits) take turns, so none overwrites another's change. `change`
    /// returns nil to leave the job as it is; an error it throws is rethrown unchanged and nothing is written.
    /// Returns false if there is no such job.
    public func updateRoutineLoadJob(id: Int64, _ change: (StoredRoutineLoadJob) throws -> (state: String, document: String)?) throws -> Bool {
        var thrown: (any Error)?
        do {
            return try write { db in
                guard let row = try Row.fetchOne(try db.cachedStatement(sql: "SELECT * FROM routine_load_jobs WHERE id = ?"), arguments: [id]) else { return false }
                let new: (state: String, document: String)?
                do { new = try change(StoredRoutineLoadJob(row: row)) } catch { thrown = error; throw error }
                if let new {
                    try db.cachedStatement(sql: "UPDATE routine_load_jobs SET state = ?, document = ? WHERE id = ?").execute(arguments: [new.state, new.document, id])
                }
                return true
            }
        } catch {
            throw thrown ?? error
        }
    }

    public func routineLoadJob(id: Int64) throws(CatalogError) -> StoredRoutineLoadJob? {
        try read { db in
            try Row.fetchOne(try db.cachedStatement(sql: "SELECT * FROM routine_load_jobs WHERE id = ?"), arguments: [id]).map(StoredRoutineLoadJob.init(row:))
        }
    }

    /// Jobs of a database (every database when nil), by ascending id.
    public func routineLoadJobs(database: String?) throws(CatalogError) -> [StoredRoutineLoadJob] {
        try read { db in
            let rows = database == nil
                ? try Row.fetchAll(db, sql: "SELECT * FROM routine_load_jobs ORDER BY id")
                : try Row.fetchAll(try db.cachedStatement(sql: "SELECT * FROM routine_load_jobs WHERE database_name = ? ORDER BY id"), arguments: [database])
            return rows.map(StoredRoutineLoadJob.init(row:))
        }
    }
}
