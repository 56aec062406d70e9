import Expressions
import Foundation
import GRDBSQLite

/// Why a segment could not be written.
public struct SegmentError: Error, CustomStringConvertible, Sendable {
    public var description: String
}

/// Writes one segment incrementally, so a load can stream rows into it while it still reads: a temporary
/// SQLite file without a journal (it is private until renamed) inside one transaction; ``finish()`` records the row
/// count, commits, fsyncs and renames it into place; ``cancel()`` (or dropping an unfinished writer) deletes it.
/// The first ``smallSegmentRows`` rows wait in memory: a segment that ends below that (a trickle's batch) is written
/// with 4 KiB pages, a few KiB on disk, and a larger one with 64 KiB pages, which append a fifth cheaper. Values are
/// bound through SQLite's C API, 32 rows per INSERT: this is the hot path of every load. Thread-safe: concurrent
/// appends are serialized.
public final class SegmentWriter: @unchecked Sendable {
    private let path: String
    private let temp: String
    private let columns: [Relation.Column]
    private var columnCount: Int { columns.count }
    private let lock = NSLock()
    private var db: OpaquePointer?
    private var insert: OpaquePointer?
    /// The same INSERT for ``rowsPerInsert`` rows at once: one statement step per group of rows instead of per row.
    private var insertMany: OpaquePointer?
    /// 32 rows, or fewer for a table so wide that 32 rows would pass SQLite's limit on bound parameters.
    let rowsPerInsert: Int
    private var extraMeta: [String: String] = [:]
    public private(set) var rowCount = 0
    /// Rows appended with a non-zero `__op` (deletes).
    private var deleteCount = 0
    /// Rows not yet in the file (only before it is created), with their `__op`.
    private var pending: [[Value]] = []
    private var pendingOps: [Int64] = []
    private var closed = false

    /// SQLite's limit on bound parameters in one statement.
    private static let variableLimit: Int = {
        var db: OpaquePointer?
        defer { sqlite3_close(db) }
        guard sqlite3_open(":memory:", &db) == SQLITE_OK else { return 999 }
        return Int(sqlite3_limit(db, SQLITE_LIMIT_VARIABLE_NUMBER, -1))
    }()

    /// Below this many rows a segment gets small pages.
    static let smallSegmentRows = 1024

    public init(path: String, columns: [Relation.Column]) throws {
        self.path = path
        temp = path + ".tmp"
        self.columns = columns
        rowsPerInsert = max(1, min(32, Self.variableLimit / (columns.count + 1)))
        try FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
    }

    /// Creates the temporary file with `pageSize` pages and writes the rows waiting in memory.
    private func open(pageSize: Int) throws {
        try? FileManager.default.removeItem(atPath: temp)
        // No SQLite mutex per call (every bind would take one): `lock` already serializes every use of the connection.
        guard sqlite3_open_v2(temp, &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, nil) == SQLITE_OK else {
            defer { cleanUp() }
            throw error("cannot create segment \(temp)")
        }
        NumericCollation.register(on: db!)
        let defs = columns.map { "\(Segment.quote($0.name)) \(SelectTranslator.columnDeclaration($0.type))" } + [Segment.opColumn]
        do {
            try exec("""
                PRAGMA page_size = \(pageSize); PRAGMA journal_mode = OFF; PRAGMA synchronous = OFF; BEGIN;
                CREATE TABLE segment_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
                CREATE TABLE rows (\(defs.joined(separator: ", ")));
                """)
            let marks = "(" + Array(repeating: "?", count: columns.count + 1).joined(separator: ", ") + ")"
            let many = Array(repeating: marks, count: rowsPerInsert).joined(separator: ", ")
            guard sqlite3_prepare_v2(db, "INSERT INTO rows VALUES \(marks)", -1, &insert, nil) == SQLITE_OK,
                  sqlite3_prepare_v2(db, "INSERT INTO rows VALUES \(many)", -1, &insertMany, nil) == SQLITE_OK else { throw error("prepare") }
            let rows = pending, ops = pendingOps
            pending = []; pendingOps = []
            try write(rows, ops: ops)
        } catch {
            cleanUp()
            throw error
        }
    }

    deinit { cleanUp() }

    /// Records how the rows are to be applied (see `Segment.updateColumnsKey`, `Segment.mergeConditionKey`).
    public func setMeta(_ key: String, _ value: String) { lock.withLock { extraMeta[key] = value } }

    /// Appends rows (and their `__op`, 0 when nil).
    public func append(_ rows: [[Value]], ops: [Int64]? = nil) throws {
        try lock.withLock {
            guard !closed else { throw SegmentError(description: "segment \(path) is closed") }
            guard ops == nil || ops!.count == rows.count else { throw SegmentError(description: "segment \(path): an __op per row") }
            rowCount += rows.count
            if let ops { deleteCount += ops.reduce(0) { $0 + ($1 != 0 ? 1 : 0) } }
            if db == nil {
                pending += rows
                pendingOps += ops ?? Array(repeating: 0, count: rows.count)
                if pending.count >= Self.smallSegmentRows { try open(pageSize: 65536) }
                return
            }
            try write(rows, ops: ops)
        }
    }

    private func write(_ rows: [[Value]], ops: [Int64]?) throws {
        guard let insert, let insertMany else { throw SegmentError(description: "segment \(path) is closed") }
        let width = columnCount + 1
        var i = 0
        while i < rows.count {
            let group = rows.count - i >= rowsPerInsert ? rowsPerInsert : 1
            let statement = group == 1 ? insert : insertMany
            for k in 0..<group {
                let base = Int32(k * width)
                rows[i + k].withUnsafeBufferPointer { values in
                    for c in 0..<min(columnCount, values.count) { Self.bind(values[c], to: statement, at: base + Int32(c + 1)) }
                }
                sqlite3_bind_int64(statement, base + Int32(width), ops?[i + k] ?? 0)
            }
            let rc = sqlite3_step(statement)
            sqlite3_reset(statement)
            guard rc == SQLITE_DONE else { throw error("insert") }
            i += group
        }
    }

    /// Commits and durably publishes the segment at its path.
    public func finish() throws {
        try lock.withLock {
            guard !closed else { throw SegmentError(description: "segment \(path) is closed") }
            if db == nil { try open(pageSize: 4096) }
            closed = true
            sqlite3_finalize(insert)
            sqlite3_finalize(insertMany)
            insert = nil; insertMany = nil
            var meta = extraMeta
            meta["format"] = Segment.format
            meta["row_count"] = String(rowCount)
            meta[Segment.deleteCountKey] = String(deleteCount)
            let values = meta.map { "('\($0.key.replacingOccurrences(of: "'", with: "''"))', '\($0.value.replacingOccurrences(of: "'", with: "''"))')" }
            try exec("INSERT INTO segment_meta VALUES \(values.joined(separator: ", ")); COMMIT;")
            guard sqlite3_close(db) == SQLITE_OK else { throw error("close") }
            db = nil
            let fd = Glibc.open(temp, O_RDONLY)
            guard fd >= 0 else { throw SegmentError(description: "cannot reopen \(temp)") }
            defer { close(fd) }
            guard fsync(fd) == 0 else { throw SegmentError(description: "fsync of \(temp) failed") }
            if FileManager.default.fileExists(atPath: path) { try FileManager.default.removeItem(atPath: path) }
            try FileManager.default.moveItem(atPath: temp, toPath: path)
        }
    }

    /// Abandons the segment: nothing is left on disk.
    public func cancel() { lock.withLock { closed = true; pending = []; pendingOps = []; cleanUp() } }

    private func cleanUp() {
        if let insert { sqlite3_finalize(insert) }
        if let insertMany { sqlite3_finalize(insertMany) }
        insert = nil; insertMany = nil
        if let db { sqlite3_close(db) }
        if db != nil { try? FileManager.default.removeItem(atPath: temp) }
        db = nil
    }

    private func exec(_ sql: String) throws {
        guard sqlite3_exec(db, sql, nil, nil, nil) == SQLITE_OK else { throw error("write") }
    }

    private func error(_ what: String) -> SegmentError {
        SegmentError(description: "segment \(what) failed: " + (db.map { String(cString: sqlite3_errmsg($0)) } ?? "no database"))
    }

    /// SQLITE_TRANSIENT: SQLite copies the text before the Swift string goes away.
    private static let transient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)

    private static func bind(_ value: Value, to statement: OpaquePointer, at index: Int32) {
        switch value {
        case .null: sqlite3_bind_null(statement, index)
        case .int(let v): sqlite3_bind_int64(statement, index, v)
        case .double(let d): sqlite3_bind_double(statement, index, d)
        case .decimal(let s): bindText(s, to: statement, at: index)             // exact: DECIMAL and LARGEINT are text
        case .string(let s): bindText(s, to: statement, at: index)
        case .bytes(let b): b.withUnsafeBytes { _ = sqlite3_bind_blob(statement, index, $0.baseAddress, Int32($0.count), transient) }
        }
    }

    private static func bindText(_ text: String, to statement: OpaquePointer, at index: Int32) {
        var s = text
        s.withUTF8 { u in
            u.withMemoryRebound(to: CChar.self) { c in
                // An empty buffer may have no address, and a NULL pointer would bind NULL, not ''.
                if let base = c.baseAddress { _ = sqlite3_bind_text(statement, index, base, Int32(c.count), transient) }
                else { _ = sqlite3_bind_text(statement, index, "", 0, nil) }
            }
        }
    }
}
