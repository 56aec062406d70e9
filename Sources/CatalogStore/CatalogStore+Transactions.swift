import Foundation
import GRDB

/// A committed segment of a table, in version order.
public struct ManifestEntry: Equatable, Sendable {
    public var version: Int64
    public var txnID: Int64
    /// Path of the segment relative to the storage volume root.
    public var segment: String
    public var rowCount: Int64
}

/// The data state of a table: its epoch (bumped by TRUNCATE) and its visible segments.
public struct TableData: Equatable, Sendable {
    public var tableID: Int64
    public var epoch: Int64
    /// The entries are those with a version above this one (0: all of them).
    public var after: Int64 = 0
    public var entries: [ManifestEntry]
    /// The table's visible version.
    public var version: Int64 { entries.last?.version ?? after }
}

public enum TransactionState: String, Sendable { case prepare = "PREPARE", visible = "VISIBLE", aborted = "ABORTED" }

/// The transaction API every write path shares (INSERT now, routine-load tasks later):
/// begin → PREPARE, commit with a segment → VISIBLE as the table's next version, abort → ABORTED.
extension CatalogStore {
    /// Opens a transaction on a table. `segmentPath` names the segment for the new transaction id; it is
    /// recorded at once, so garbage collection keeps the file while the transaction is PREPARE.
    public func beginTransaction(tableID: Int64, label: String, segmentPath: (Int64) -> String) throws(CatalogError) -> (id: Int64, segment: String) {
        try write { db in
            try db.cachedStatement(sql: "INSERT INTO transactions (table_id, label, state, created_at) VALUES (?, ?, 'PREPARE', ?)")
                .execute(arguments: [tableID, label, Date().timeIntervalSince1970])
            let id = db.lastInsertedRowID
            let segment = segmentPath(id)
            try db.cachedStatement(sql: "UPDATE transactions SET segment = ? WHERE id = ?").execute(arguments: [segment, id])
            return (id, segment)
        }
    }

    /// Makes the transaction's segment visible as the table's next version, in one SQLite transaction.
    /// Fails if the transaction is not PREPARE or the table is gone. Returns the new version.
    @discardableResult
    public func commitTransaction(_ txnID: Int64, rowCount: Int64) throws(CatalogError) -> Int64 {
        try write { db in
            guard let row = try Row.fetchOne(try db.cachedStatement(sql: "SELECT table_id, state, segment FROM transactions WHERE id = ?"), arguments: [txnID]) else {
                throw CatalogError.transaction("transaction \(txnID) does not exist")
            }
            let tableID: Int64 = row["table_id"]
            let state: String = row["state"]
            let segment: String = row["segment"]
            guard state == TransactionState.prepare.rawValue else {
                throw CatalogError.transaction("transaction \(txnID) is \(state), not PREPARE")
            }
            return try Self.publish(db, txnID: txnID, tableID: tableID, segment: segment, rowCount: rowCount)
        }
    }

    /// The one place a segment becomes visible: the table's next version in the manifest, and its transaction VISIBLE.
    /// Runs inside the caller's write transaction, after the caller checked the transaction is PREPARE.
    private static func publish(_ db: Database, txnID: Int64, tableID: Int64, segment: String, rowCount: Int64) throws -> Int64 {
        guard try Int.fetchOne(try db.cachedStatement(sql: "SELECT COUNT(*) FROM tables WHERE id = ?"), arguments: [tableID]) == 1 else {
            throw CatalogError.transaction("the table of transaction \(txnID) was dropped")
        }
        let version = (try Int64.fetchOne(try db.cachedStatement(sql: "SELECT MAX(version) FROM manifest WHERE table_id = ?"), arguments: [tableID]) ?? 0) + 1
        try db.cachedStatement(sql: "INSERT INTO manifest (table_id, version, txn_id, segment, row_count) VALUES (?, ?, ?, ?, ?)")
            .execute(arguments: [tableID, version, txnID, segment, rowCount])
        try db.cachedStatement(sql: "UPDATE transactions SET state = 'VISIBLE', row_count = ?, finished_at = ? WHERE id = ?")
            .execute(arguments: [rowCount, Date().timeIntervalSince1970, txnID])
        return version
    }

    /// Aborts a PREPARE transaction. Returns false (and changes nothing) if it is not PREPARE: a committed
    /// transaction's segment must then be kept.
    @discardableResult
    public func abortTransaction(_ txnID: Int64, reason: String) throws(CatalogError) -> Bool {
        try write { db in
            try db.cachedStatement(sql: "UPDATE transactions SET state = 'ABORTED', reason = ?, finished_at = ? WHERE id = ? AND state = 'PREPARE'")
                .execute(arguments: [reason, Date().timeIntervalSince1970, txnID])
            return db.changesCount == 1
        }
    }

    /// A transaction's state (PREPARE, VISIBLE, ABORTED), nil if there is no such transaction.
    public func transactionState(_ txnID: Int64) throws(CatalogError) -> String? {
        try read { db in try String.fetchOne(db, sql: "SELECT state FROM transactions WHERE id = ?", arguments: [txnID]) }
    }

    /// After a restart nothing is in flight: every PREPARE transaction is aborted. Returns how many.
    @discardableResult
    public func abortPreparedTransactions(reason: String) throws(CatalogError) -> Int {
        try write { db in
            try db.cachedStatement(sql: "UPDATE transactions SET state = 'ABORTED', reason = ?, finished_at = ? WHERE state = 'PREPARE'")
                .execute(arguments: [reason, Date().timeIntervalSince1970])
            return db.changesCount
        }
    }

    /// The visible data of a table: its epoch and the manifest entries above version `after` (a reader that has
    /// applied up to a version reads only what came since; the primary key makes that a range read).
    public func tableData(tableID: Int64, after: Int64 = 0) throws(CatalogError) -> TableData? {
        try read { db in
            guard let epoch = try Int64.fetchOne(try db.cachedStatement(sql: "SELECT data_epoch FROM tables WHERE id = ?"), arguments: [tableID]) else { return nil }
            var entries: [ManifestEntry] = []
            let rows = try Row.fetchCursor(db, sql: """
                SELECT version, txn_id, segment, row_count FROM manifest WHERE table_id = ? AND version > ? ORDER BY version
                """, arguments: [tableID, after])
            while let row = try rows.next() {
                entries.append(ManifestEntry(version: row[0], txnID: row[1], segment: row[2], rowCount: row[3]))
            }
            return TableData(tableID: tableID, epoch: epoch, after: after, entries: entries)
        }
    }

    /// TRUNCATE: the table keeps its schema and loses all visible segments; its epoch moves on.
    public func truncateTable(database: String, name: String) throws(CatalogError) {
        try write { db in
            guard let d = try DatabaseRecord.filter(Column("name") == database).fetchOne(db) else { throw CatalogError.unknownDatabase(database) }
            guard let id = try Int64.fetchOne(try db.cachedStatement(sql: "SELECT id FROM tables WHERE database_id = ? AND name = ?"), arguments: [d.id, name]) else {
                throw CatalogError.unknownTable(database: database, table: name)
            }
            try db.cachedStatement(sql: "DELETE FROM manifest WHERE table_id = ?").execute(arguments: [id])
            try db.cachedStatement(sql: "UPDATE tables SET data_epoch = data_epoch + 1 WHERE id = ?").execute(arguments: [id])
        }
    }

    /// Segments that must be kept: visible ones and those of transactions still in PREPARE.
    public func liveSegments() throws(CatalogError) -> Set<String> {
        try read { db in
            Set(try String.fetchAll(db, sql: "SELECT segment FROM manifest UNION SELECT segment FROM transactions WHERE state = 'PREPARE' AND segment IS NOT NULL"))
        }
    }

    /// Reserves `count` AUTO_INCREMENT values for a table; returns the first.
    public func reserveAutoIncrement(tableID: Int64, count: Int64) throws(CatalogError) -> Int64 {
        try write { db in
            guard let next = try Int64.fetchOne(try db.cachedStatement(sql: "SELECT next_auto_increment FROM tables WHERE id = ?"), arguments: [tableID]) else {
                throw CatalogError.transaction("table \(tableID) does not exist")
            }
            try db.cachedStatement(sql: "UPDATE tables SET next_auto_increment = ? WHERE id = ?").execute(arguments: [next + count, tableID])
            return next
        }
    }
}

/// Routine-load commits: data, offsets and statistics in one SQLite transaction.
extension CatalogStore {
    /// Finishes a load task's transaction together with its job (DESIGN.md, "Data flow" step 4). Inside one
    /// SQLite transaction: the txn must be PREPARE; `update` receives the job as stored and returns its new
    /// state and document, or throws to reject the task (stale task, job not RUNNING). With rows, the segment
    /// becomes the table's next version and the txn VISIBLE; with none, the txn is ABORTED with
    /// `emptyReason` while the job's offsets still move. A rejected task aborts the txn and changes nothing else.
    /// A repeated call for a VISIBLE txn changes nothing and returns its version again.
    /// Returns the new version, or nil when no segment was published.
    @discardableResult
    public func finishLoadTransaction(_ txnID: Int64, rowCount: Int64, jobID: Int64, emptyReason: String,
                                      update: (StoredRoutineLoadJob) throws -> (state: String, document: String)) throws(CatalogError) -> Int64? {
        do {
            return try write { db -> Int64? in
                guard let txn = try Row.fetchOne(try db.cachedStatement(sql: "SELECT table_id, state, segment FROM transactions WHERE id = ?"), arguments: [txnID]) else {
                    throw CatalogError.transaction("transaction \(txnID) does not exist")
                }
                let state: String = txn["state"]
                // A repeated report of a committed task is answered with the version it already made.
                if state == TransactionState.visible.rawValue {
                    return try Int64.fetchOne(try db.cachedStatement(sql: "SELECT version FROM manifest WHERE txn_id = ?"), arguments: [txnID])
                }
                guard state == TransactionState.prepare.rawValue else { throw CatalogError.transaction("transaction \(txnID) is \(state), not PREPARE") }
                guard let row = try Row.fetchOne(try db.cachedStatement(sql: "SELECT * FROM routine_load_jobs WHERE id = ?"), arguments: [jobID]) else {
                    throw CatalogError.transaction("routine load job \(jobID) does not exist")
                }
                let stored = StoredRoutineLoadJob(row: row)
                let (newState, document): (String, String)
                do { (newState, document) = try update(stored) } catch { throw CatalogError.transaction("\(error)") }
                try db.cachedStatement(sql: "UPDATE routine_load_jobs SET state = ?, document = ? WHERE id = ?").execute(arguments: [newState, document, jobID])
                guard rowCount > 0 else {
                    try db.cachedStatement(sql: "UPDATE transactions SET state = 'ABORTED', reason = ?, finished_at = ? WHERE id = ?")
                        .execute(arguments: [emptyReason, Date().timeIntervalSince1970, txnID])
                    return nil
                }
                return try Self.publish(db, txnID: txnID, tableID: txn["table_id"], segment: txn["segment"], rowCount: rowCount)
            }
        } catch {
            try? abortTransaction(txnID, reason: "\(error)")       // only a PREPARE transaction is changed
            throw error
        }
    }
}
