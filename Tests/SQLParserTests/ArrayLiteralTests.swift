import Testing
@testable import SQLParser

/// StarRocks' array literals become the JSON text an ARRAY column stores.
@Suite struct ArrayLiteralTests {
    @Test(arguments: [("[1, 2, 3]", "[1,2,3]"), ("['a', NULL, 'q\"']", #"["a",null,"q\""]"#), ("[[1], [], [2, -3]]", "[[1],[],[2,-3]]"),
                      ("[]", "[]"), ("[1.5, -2e3, true]", "[1.5,-2e3,true]"),
                      ("[.5, 1., 007, -.5, 2.5E+3]", "[0.5,1,7,-0.5,2.5e+3]")])
    func literalsAreTheirJSONText(_ sql: String, _ json: String) throws {
        #expect(try Parser.parseExpression(sql) == .literal(.string(json)))
    }

    @Test func insertTakesThem() throws {
        guard case .insert(let insert) = try Parser.parseOne("INSERT INTO t VALUES (1, [1, 2])") else { Issue.record("not an INSERT"); return }
        #expect("\(insert)".contains("[1,2]"))
    }

    @Test(arguments: ["[id]", "[1 + 2]", "[1, 2", "[1,,2]"])
    func onlyConstantsAndWellFormed(_ sql: String) {
        #expect(throws: ParseError.self) { try Parser.parseExpression(sql) }
    }
}
