import Expressions
import SQLParser
import Testing
@testable import Storage

@Suite struct QueryEngineTests {
    struct Tables: RelationProvider {
        func relation(_ name: QualifiedName) throws(QueryError) -> Relation {
            guard name.name.lowercased() == "people" else { throw .unknownTable(name.name) }
            return Relation(schema: "db", name: "people", columns: [.init("id", .bigint, nullable: false), .init("name", .varchar(20)), .init("score", .double)],
                            rows: [[.int(1), .string("ann"), .double(1.5)], [.int(2), .string("bob"), .null], [.int(3), .string("cy"), .double(3)]])
        }
    }

    private func run(_ sql: String) throws -> ResultSet {
        guard case .select(let s) = try Parser.parseOne(sql) else { throw QueryError.unsupported("not a select") }
        return try QueryEngine().run(s, provider: Tables())
    }

    @Test func selectWithoutFromTypesLiterals() throws {
        let r = try run("SELECT 1, 'x' AS s, 2.50, NULL, 1 = 1")
        #expect(r.columns.map(\.name) == ["1", "s", "2.50", "NULL", "1 = 1"])
        #expect(r.columns.map(\.type) == [.bigint, .varchar(1), .decimal(precision: 3, scale: 2), .null, .boolean])
        #expect(r.rows == [[.int(1), .string("x"), .decimal("2.50"), .null, .int(1)]])
    }

    @Test func starExpandsWithOriginsAndWhereOrderLimitApply() throws {
        let r = try run("SELECT * FROM db.people p WHERE p.id >= 2 ORDER BY id DESC LIMIT 1")
        #expect(r.columns.map(\.name) == ["id", "name", "score"])
        #expect(r.columns[0].origin == ColumnOrigin(schema: "db", table: "p", orgTable: "people", orgName: "id"))
        #expect(r.columns[0].nullable == false)
        #expect(r.rows == [[.int(3), .string("cy"), .double(3)]])
    }

    @Test func aggregatesAndFunctionsHaveMySQLTypes() throws {
        let r = try run("SELECT COUNT(*), SUM(id), AVG(score), MAX(name), CONCAT(name, '!'), IFNULL(score, 0), IF(id > 1, 'big', 'small') FROM people WHERE name LIKE 'a%' OR id = 2 GROUP BY name ORDER BY 1, name")
        #expect(r.columns.map(\.type) == [.bigint, .bigint, .double, .varchar(20), .varchar(65533), .double, .varchar(3)])
        #expect(r.rows.count == 2)
        #expect(r.rows[0][4] == .string("ann!"))
    }

    @Test func unknownNamesAreQueryErrors() {
        #expect(throws: QueryError.unknownColumn("nope", clause: "field list")) { try run("SELECT nope FROM people") }
        #expect(throws: QueryError.unknownTable("ghost")) { try run("SELECT * FROM ghost") }
        #expect(throws: QueryError.self) { try run("SELECT no_such_function(1)") }
    }

    @Test func filterAppliesWhereToAResult() throws {
        let rs = ResultSet(textColumns: ["Variable_name", "Value"], rows: [[.string("a"), .string("1")], [.string("b"), .string("2")]])
        let out = try QueryEngine().filter(rs, where: Parser.parseExpression("Variable_name IN ('b', 'c')"))
        #expect(out.rows == [[.string("b"), .string("2")]])
    }

    @Test(arguments: [("t%", "tributary", true), ("%BUT%", "tributary", true), ("t_x%", "tributary", false), ("a\\_b", "a_b", true), ("a\\_b", "axb", false), ("", "", true)])
    func likePatternsMatchCaseInsensitively(_ pattern: String, _ text: String, _ expected: Bool) {
        #expect(LikePattern(pattern).matches(text) == expected)
    }

    @Test func doublesPrintLikeMySQL() {
        #expect(Value.double(1).text == "1")
        #expect(Value.double(1.5).text == "1.5")
        #expect(Value.double(1e20).text == "1e20")
    }
}
