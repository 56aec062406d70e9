import Testing
@testable import SQLParser

@Suite struct LexerTests {
    private func kinds(_ s: String) throws -> [TokenKind] { try Lexer.tokenize(s).map(\.kind) }

    @Test func variablesStringsAndNumbersLex() throws {
        #expect(try kinds("@@global.x @y 'it''s' \"d\" `q``b` 12 1.5 2e3 0x1F") == [
            .systemVariable(.global, "x"), .userVariable("y"), .string("it's"), .string("d"), .quotedIdentifier("q`b"),
            .integer("12"), .decimal("1.5"), .float("2e3"), .integer("31"), .eof])
    }

    @Test func commentsAreSkippedAndExecutableCommentsRead() throws {
        #expect(try kinds("a -- c\n# d\n/* e */ b /*!40101 c */") == [.word("a"), .word("b"), .word("c"), .eof])
    }

    @Test func positionsCountLinesAndZeroBasedColumns() throws {
        let t = try Lexer.tokenize("a\n  bc")
        #expect(t[1].position == SourcePosition(offset: 4, line: 2, column: 2))
    }
}
