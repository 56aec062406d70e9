import Expressions
import Foundation
import GRDB
import SQLParser

/// An immutable segment: one transaction's rows for one table, as a small SQLite file with a
/// versioned header (`segment_meta`) and a `rows` table (plus `__op` for primary-key deletes).
public enum Segment {
    public static let format = "tributary-segment-v1"

    /// Writes rows to `path` atomically (temporary file, then rename). Row values are already
    /// converted to the columns' types.
    public static func write(to path: String, columns: [Relation.Column], rows: [[Value]], ops: [Int64]? = nil) throws {
        let dir = (path as NSString).deletingLastPathComponent
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        let temp = path + ".tmp"
        try? FileManager.default.removeItem(atPath: temp)
        do {
            let queue = try DatabaseQueue(path: temp)
            try queue.write { db in
                try db.execute(sql: "CREATE TABLE segment_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)")
                try db.execute(sql: "INSERT INTO segment_meta VALUES ('format', ?), ('row_count', ?)", arguments: [format, rows.count])
                let defs = columns.map { "\(quote($0.name)) \(SelectTranslator.affinity($0.type))" } + ["\"__op\" INTEGER NOT NULL DEFAULT 0"]
                try db.execute(sql: "CREATE TABLE rows (\(defs.joined(separator: ", ")))")
                let marks = Array(repeating: "?", count: columns.count + 1).joined(separator: ", ")
                let insert = try db.makeStatement(sql: "INSERT INTO rows VALUES (\(marks))")
                for (i, row) in rows.enumerated() {
                    try insert.execute(arguments: StatementArguments(row.map(\.databaseValue) + [(ops?[i] ?? 0).databaseValue]))
                }
            }
            try queue.close()
        }
        if FileManager.default.fileExists(atPath: path) { try FileManager.default.removeItem(atPath: path) }
        try FileManager.default.moveItem(atPath: temp, toPath: path)
    }

    static func quote(_ s: String) -> String { "\"" + s.replacingAll("\"", with: "\"\"") + "\"" }
}
