import Expressions
import Foundation
import SQLParser

/// An immutable segment: one transaction's rows for one table, as a small SQLite file with a
/// versioned header (`segment_meta`) and a `rows` table (plus `__op` for primary-key deletes).
public enum Segment {
    public static let format = "tributary-segment-v1"

    /// Writes rows to `path` atomically and durably (see ``SegmentWriter``). Row values are already converted
    /// to the columns' types.
    public static func write(to path: String, columns: [Relation.Column], rows: [[Value]], ops: [Int64]? = nil) throws {
        let writer = try SegmentWriter(path: path, columns: columns)
        try writer.append(rows, ops: ops)
        try writer.finish()
    }

    static func quote(_ s: String) -> String { "\"" + s.replacingAll("\"", with: "\"\"") + "\"" }
}
