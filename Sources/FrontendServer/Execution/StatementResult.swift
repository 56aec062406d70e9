import Expressions

/// What a statement produced: an OK (with affected rows / info) or a result set.
enum StatementResult: Equatable {
    case ok(affectedRows: UInt64, info: String)
    case rows(ResultSet)

    static let done = StatementResult.ok(affectedRows: 0, info: "")
}
