import Testing
@testable import SQLParser

/// No statement, however long, may crash: the parser bounds its own nesting and the depth of the trees it builds,
/// counting a chain like `1+1+…+1` one level per operator, and the width of lists.
@Suite struct ParserLimitTests {
    private func expectDepthError(_ sql: String) {
        #expect {
            _ = try Parser.parseOne(sql)
        } throws: { error in
            (error as? ParseError)?.message == "Exceeded the maximum depth of an expression tree (\(Parser.maxTreeDepth))"
        }
    }

    @Test func chainsUpToTheLimitParseAndLongerOnesAreRefusedEarly() throws {
        _ = try Parser.parseOne("SELECT " + Array(repeating: "1", count: 900).joined(separator: " + "))
        for op in [" + ", " AND ", " OR ", " || ", " * ", " = ", " ^ ", " XOR "] {
            expectDepthError("SELECT " + Array(repeating: "a", count: 5_000).joined(separator: op))
        }
        expectDepthError("SELECT 1" + String(repeating: " IS NULL", count: 1_200))
        expectDepthError("SELECT 'a'" + String(repeating: " LIKE 'a'", count: 1_200))
        // 200,000 operands: refused at the limit, without building the rest.
        expectDepthError("SELECT " + Array(repeating: "1", count: 200_000).joined(separator: "+"))
    }

    @Test func chainsInsideParenthesesAddUp() throws {
        // 40 nested levels, each holding a chain of 30: fine for the nesting limit, 1,200+ levels as a tree.
        var sql = "1"
        for _ in 0..<40 { sql = "(" + sql + String(repeating: " + 1", count: 30) + ")" }
        expectDepthError("SELECT " + sql)
        // The same operands on one level: a flat chain the depth limit allows.
        _ = try Parser.parseOne("SELECT " + Array(repeating: "1", count: 600).joined(separator: " + "))
        // Nested function calls whose arguments are chains.
        var call = "1"
        for _ in 0..<30 { call = "abs(" + call + String(repeating: " - 1", count: 40) + ")" }
        expectDepthError("SELECT " + call)
    }

    @Test func joinChainsAreBoundedToo() throws {
        let joins = (1..<1_200).map { " JOIN t\($0) ON 1 = 1" }.joined()
        expectDepthError("SELECT 1 FROM t0" + joins)
        _ = try Parser.parseOne("SELECT 1 FROM t0" + (1..<200).map { " JOIN t\($0) ON 1 = 1" }.joined())
    }

    @Test func widthIsBounded() throws {
        let wide = (0..<10_001).map(String.init).joined(separator: ",")
        for sql in ["SELECT 1 IN (\(wide))", "SELECT concat(\(wide))", "SELECT \(wide)"] {
            #expect {
                _ = try Parser.parseOne(sql)
            } throws: { error in
                (error as? ParseError)?.message == "The number of children in expr are 10001 exceeded the maximum limit 10000"
            }
        }
        _ = try Parser.parseOne("SELECT 1 IN (\((0..<10_000).map(String.init).joined(separator: ",")))")
    }

    @Test func nestingStaysBoundedAsBefore() {
        for sql in ["SELECT " + String(repeating: "(", count: 200) + "1" + String(repeating: ")", count: 200),
                    "SELECT " + String(repeating: "-", count: 200) + "1", "SELECT " + String(repeating: "NOT ", count: 200) + "1"] {
            #expect(throws: ParseError.self) { _ = try Parser.parseOne(sql) }
        }
    }
}
