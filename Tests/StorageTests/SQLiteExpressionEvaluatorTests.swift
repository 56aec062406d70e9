import Expressions
import Foundation
import SQLParser
import Storage
import Testing

/// The evaluator routine loads use for COLUMNS and WHERE: the query engine's functions, one result row per input row.
@Suite struct SQLiteExpressionEvaluatorTests {
    @Test func expressionsRunPerRowWithTheLoadsTimeZone() throws {
        let evaluator: any ExpressionEvaluator = SQLiteExpressionEvaluator()
        let exprs = [try Parser.parseExpression("from_unixtime(ts)"), try Parser.parseExpression("v * 2 > 3")]
        let rows = try evaluator.evaluate(exprs, columns: [("ts", .bigint, true), ("v", .int, true)],
                                          rows: [[.int(0), .int(1)], [.int(86_400), .int(2)], [.null, .null]],
                                          timeZone: TimeZone(identifier: "Asia/Tokyo")!)
        #expect(rows == [[.string("1970-01-01 09:00:00"), .int(0)], [.string("1970-01-02 09:00:00"), .int(1)], [.null, .null]])
    }

    @Test func anUnknownFunctionIsAnError() throws {
        let evaluator = SQLiteExpressionEvaluator()
        #expect(throws: (any Error).self) {
            try evaluator.evaluate([try Parser.parseExpression("no_such_function(1)")], columns: [("a", .int, true)], rows: [[.int(1)]],
                                   timeZone: TimeZone(identifier: "UTC")!)
        }
    }
}
