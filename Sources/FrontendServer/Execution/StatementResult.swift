import Expressions

/// What a statement produced: an OK (with affected rows / info) or a result set.
enum StatementResult: Equatable {
    case ok(affectedRows: UInt64, info: String)
    case rows(ResultSet)
    /// A result whose rows are already in the text protocol's form (``TextRow``): sent as they are.
    case textRows(TextRows)

    static let done = StatementResult.ok(affectedRows: 0, info: "")
}

/// Result columns and rows encoded as text-protocol row payloads (``TextRow``): SHOW ROUTINE LOAD keeps every job's
/// row in this form, so a SHOW of ten thousand jobs copies bytes instead of encoding two hundred thousand cells.
struct TextRows: Equatable {
    var columns: [ResultColumn]
    var rows: [[UInt8]]

    /// The same result as values, for what filters, sorts or re-encodes it (WHERE, ORDER BY, the binary protocol).
    var resultSet: ResultSet { ResultSet(columns: columns, rows: rows.map(TextRow.values)) }
}
