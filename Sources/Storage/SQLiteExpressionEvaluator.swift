import Expressions
import Foundation
import SQLParser

/// ``ExpressionEvaluator`` over the query engine: the expressions become a SELECT over the rows as one in-memory
/// relation, so they run on exactly the function library queries use.
public struct SQLiteExpressionEvaluator: ExpressionEvaluator {
    public init() {}

    public func evaluate(_ expressions: [Expr], columns: [(name: String, type: SQLType, nullable: Bool)], rows: [[Value]],
                         timeZone: TimeZone) throws -> [[Value]] {
        let relation = Relation(schema: "", name: "__rows", columns: columns.map { Relation.Column($0.name, $0.type, nullable: $0.nullable) },
                                rows: rows)
        var select = Select()
        select.items = expressions.enumerated().map { SelectItem(expr: $0.element, alias: "e\($0.offset)", text: "e\($0.offset)") }
        select.from = [.table(QualifiedName([relation.name]), alias: nil)]
        let engine = try QueryEngine()
        engine.timeZone = timeZone
        return try engine.run(select, provider: OneRelation(relation: relation)).rows
    }

    private struct OneRelation: RelationProvider {
        let relation: Relation
        func relation(_ name: QualifiedName) throws(QueryError) -> Relation {
            guard name.parts.count == 1, name.name == relation.name else { throw .unknownTable(name.name) }
            return relation
        }
    }
}
