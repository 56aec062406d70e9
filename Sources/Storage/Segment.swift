import Expressions
import Foundation
import GRDB
import GRDBSQLite
import SQLParser

/// An immutable segment: one transaction's rows for one table, as a small SQLite file with a
/// versioned header (`segment_meta`) and a `rows` table (plus `__op` for primary-key deletes).
public enum Segment {
    public static let format = "tributary-segment-v1"

    /// Writes rows to `path` atomically and durably: a temporary file written without a journal (it is
    /// private until renamed), fsynced, then renamed. Row values are already converted to the columns' types.
    /// Values are bound through SQLite's C API: this is the hot path of every load.
    public static func write(to path: String, columns: [Relation.Column], rows: [[Value]], ops: [Int64]? = nil) throws {
        let dir = (path as NSString).deletingLastPathComponent
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        let temp = path + ".tmp"
        try? FileManager.default.removeItem(atPath: temp)
        do {
            let queue = try DatabaseQueue(path: temp)
            try queue.writeWithoutTransaction { db in
                try db.execute(sql: "PRAGMA journal_mode = OFF; PRAGMA synchronous = OFF")
                try db.inTransaction {
                    try db.execute(sql: "CREATE TABLE segment_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)")
                    try db.execute(sql: "INSERT INTO segment_meta VALUES ('format', ?), ('row_count', ?)", arguments: [format, rows.count])
                    let defs = columns.map { "\(quote($0.name)) \(SelectTranslator.affinity($0.type))" } + ["\"__op\" INTEGER NOT NULL DEFAULT 0"]
                    try db.execute(sql: "CREATE TABLE rows (\(defs.joined(separator: ", ")))")
                    let marks = Array(repeating: "?", count: columns.count + 1).joined(separator: ", ")
                    let insert = try db.makeStatement(sql: "INSERT INTO rows VALUES (\(marks))")
                    let statement = insert.sqliteStatement
                    for (i, row) in rows.enumerated() {
                        for (c, value) in row.enumerated() { bind(value, to: statement, at: Int32(c + 1)) }
                        sqlite3_bind_int64(statement, Int32(columns.count + 1), ops?[i] ?? 0)
                        guard sqlite3_step(statement) == SQLITE_DONE else {
                            throw DatabaseError(resultCode: ResultCode(rawValue: sqlite3_errcode(db.sqliteConnection)),
                                                message: String(cString: sqlite3_errmsg(db.sqliteConnection)))
                        }
                        sqlite3_reset(statement)
                    }
                    return .commit
                }
            }
            try queue.close()
        }
        try syncFile(temp)
        if FileManager.default.fileExists(atPath: path) { try FileManager.default.removeItem(atPath: path) }
        try FileManager.default.moveItem(atPath: temp, toPath: path)
    }

    /// SQLITE_TRANSIENT: SQLite copies the text before the Swift string goes away.
    private static let transient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)

    private static func bind(_ value: Value, to statement: OpaquePointer, at index: Int32) {
        switch value {
        case .null: sqlite3_bind_null(statement, index)
        case .int(let v): sqlite3_bind_int64(statement, index, v)
        case .double(let d): sqlite3_bind_double(statement, index, d)
        case .decimal(let s): sqlite3_bind_double(statement, index, Double(s) ?? 0)
        case .string(let s): sqlite3_bind_text(statement, index, s, -1, transient)
        case .bytes(let b): b.withUnsafeBytes { _ = sqlite3_bind_blob(statement, index, $0.baseAddress, Int32($0.count), transient) }
        }
    }

    /// Makes the file's contents durable before the catalog may reference it.
    private static func syncFile(_ path: String) throws {
        let fd = open(path, O_RDONLY)
        guard fd >= 0 else { throw CocoaError(.fileReadNoSuchFile) }
        defer { close(fd) }
        guard fsync(fd) == 0 else { throw CocoaError(.fileWriteUnknown) }
    }

    static func quote(_ s: String) -> String { "\"" + s.replacingAll("\"", with: "\"\"") + "\"" }
}
