import Foundation
import SQLParser

/// Evaluates SQL expressions over the rows of one relation, one result row per input row: what routine loads need for
/// COLUMNS and WHERE. LoadPipeline sees only this protocol; Storage's `SQLiteExpressionEvaluator` implements it over the
/// query engine, so a load and a SELECT agree on every function.
public protocol ExpressionEvaluator: Sendable {
    /// - Parameters:
    ///   - columns: the name, type and nullability of each value of a row (`.null` type: untyped, each value keeps the
    ///     type it has).
    ///   - timeZone: the time zone of date functions.
    func evaluate(_ expressions: [Expr], columns: [(name: String, type: SQLType, nullable: Bool)], rows: [[Value]],
                  timeZone: TimeZone) throws -> [[Value]]
}
