import Expressions
import Foundation
import SQLParser

/// An immutable segment: one transaction's rows for one table, as a small SQLite file with a
/// versioned header (`segment_meta`) and a `rows` table (plus `__op` for primary-key deletes).
public enum Segment {
    public static let format = "tributary-segment-v1"
    /// `segment_meta` key: a JSON array of the column names a partial update sets (absent: every column).
    public static let updateColumnsKey = "update_columns"
    /// `segment_meta` key: the column whose value must not go down for a row to replace the stored one.
    public static let mergeConditionKey = "merge_condition"
    /// `segment_meta` key: how many rows are deletes (`__op` ≠ 0), so the cache knows without scanning the rows. Segments
    /// written before it existed lack it.
    public static let deleteCountKey = "delete_count"

    /// The declaration of the `rows` table's last column. The cache's DUPLICATE KEY tables end with the same column,
    /// so a segment is applied with `INSERT … SELECT *`, which SQLite runs as a raw record copy (its "transfer
    /// optimization": same column count, affinities and defaults) instead of decoding and re-encoding every row.
    static let opColumn = "\"__op\" INTEGER NOT NULL DEFAULT 0"

    /// Writes rows to `path` atomically and durably (see ``SegmentWriter``). Row values are already converted
    /// to the columns' types.
    public static func write(to path: String, columns: [Relation.Column], rows: [[Value]], ops: [Int64]? = nil) throws {
        let writer = try SegmentWriter(path: path, columns: columns)
        try writer.append(rows, ops: ops)
        try writer.finish()
    }

    static func quote(_ s: String) -> String { "\"" + s.replacingAll("\"", with: "\"\"") + "\"" }
}
