/// Recursive-descent parser for the StarRocks dialect Tributary serves. Produces typed ``Statement``s;
/// errors are positioned ``ParseError``s with StarRocks' wording. Depth is bounded so that no input can exhaust
/// the stack of the parser or of anything that walks the tree after it (binder, translator, evaluator): the
/// parser's own nesting to ``maxDepth``, and the depth of the tree it builds, where a chain like `1+1+…+1` or
/// `a JOIN b JOIN …` nests one level per operator although the parser reads it in a loop, to ``maxTreeDepth``.
///
/// ```swift
/// let statements = try Parser.parse("USE quickstart; SHOW TABLES")
/// ```
public struct Parser {
    static let maxDepth = 96
    /// Deepest expression or join tree a statement may build (SQLite's own limit is 1000).
    public static let maxTreeDepth = 1000
    /// Stack a thread needs to parse statements and walk their trees (binder, SQL translator, load evaluator) at
    /// ``maxTreeDepth``, with room to spare in debug builds, whose frames are several times larger. Threads that do
    /// this (client connections, the scheduler, tasks and their decoders) are created with it.
    public static let threadStackSize = 16 << 20
    /// Most items in one list (IN list, function arguments, CASE branches, select list, VALUES row).
    public static let maxChildren = 10_000

    let source: [UInt8]
    var tokens: [Token]
    var index = 0
    var depth = 0
    /// The deepest tree level reached so far, on the same scale as `depth` (see ``measure(_:)``).
    var reach = 0
    var parameterCount = 0

    init(_ text: String) throws(ParseError) {
        source = Array(text.utf8)
        tokens = try Lexer.tokenize(text)
    }

    /// Parses a script of `;`-separated statements. Empty statements between semicolons are skipped;
    /// a script of only comments yields `[.empty]`.
    public static func parse(_ text: String) throws(ParseError) -> [Statement] {
        var p = try Parser(text)
        var out: [Statement] = []
        while true {
            while p.acceptSymbol(";") {}
            if p.current.kind == .eof { break }
            out.append(try p.parseStatement())
            if p.current.kind != .eof && !p.peekSymbol(";") { throw p.unexpected(["';'"]) }
        }
        return out.isEmpty ? [.empty] : out
    }

    /// Parses exactly one statement; a trailing `;` is allowed.
    public static func parseOne(_ text: String) throws(ParseError) -> Statement {
        var p = try Parser(text)
        while p.acceptSymbol(";") {}
        if p.current.kind == .eof { return .empty }
        let s = try p.parseStatement()
        while p.acceptSymbol(";") {}
        guard p.current.kind == .eof else { throw p.unexpected(["<EOF>"]) }
        return s
    }

    /// Parses one statement for COM_STMT_PREPARE; `?` markers become `.parameter(i)` nodes.
    public static func parsePrepared(_ text: String) throws(ParseError) -> (statement: Statement, parameterCount: Int) {
        var p = try Parser(text)
        while p.acceptSymbol(";") {}
        let s = p.current.kind == .eof ? Statement.empty : try p.parseStatement()
        while p.acceptSymbol(";") {}
        guard p.current.kind == .eof else { throw p.unexpected(["<EOF>"]) }
        return (s, p.parameterCount)
    }

    /// Parses a standalone expression (used for SET values and tests).
    public static func parseExpression(_ text: String) throws(ParseError) -> Expr {
        var p = try Parser(text)
        let e = try p.parseExpr()
        guard p.current.kind == .eof else { throw p.unexpected(["<EOF>"]) }
        return e
    }

    static let statementKeywords = ["ADMIN", "ALTER", "BEGIN", "COMMIT", "CREATE", "DESC", "DROP", "GRANT", "INSERT", "KILL", "PAUSE", "RESUME", "REVOKE", "SELECT", "SET", "SHOW", "STOP", "TRUNCATE", "USE"]

    mutating func parseStatement() throws(ParseError) -> Statement {
        guard case .word(let w) = current.kind else {
            if peekSymbol("(") { return .select(try parseSelect()) }
            throw unexpected(Self.statementKeywords.map { "'\($0)'" })
        }
        switch w.uppercased() {
        case "SELECT", "WITH": return .select(try parseSelect())
        case "SET":
            if peekKeyword("PASSWORD", at: 1), peekKeyword("FOR", at: 2) || peekSymbolAt(2, "=") {
                advance(); advance()
                return try parseSetPassword()
            }
            if peekKeyword("AS", at: 2), peekKeyword("DEFAULT", at: 3), peekKeyword("STORAGE", at: 4) {
                return try parseSetDefaultStorageVolume()
            }
            return try parseSet()
        case "ALTER":
            advance()
            if acceptKeywords("ROUTINE", "LOAD") { return try parseAlterRoutineLoad() }
            if acceptKeyword("SYSTEM") { return try parseAlterSystem() }
            if acceptKeywords("STORAGE", "VOLUME") { return try parseAlterStorageVolume() }
            try expectKeyword("USER")
            return try parseAlterUser()
        case "PAUSE", "RESUME", "STOP":
            advance()
            return try parseRoutineLoadControl(w.uppercased())
        case "GRANT": return try parseGrant(revoke: false)
        case "REVOKE": return try parseGrant(revoke: true)
        case "USE": return try parseUse()
        case "CREATE": return try parseCreate()
        case "DROP": return try parseDrop()
        case "SHOW": return try parseShow()
        case "DESC", "DESCRIBE", "EXPLAIN": return try parseDescribe()
        case "KILL": return try parseKill()
        case "ADMIN": return try parseAdmin()
        case "INSERT": return .insert(try parseInsert())
        case "TRUNCATE":
            advance()
            _ = acceptKeyword("TABLE")
            return .truncateTable(try qualifiedName())
        case "BEGIN", "START", "COMMIT", "ROLLBACK": return try parseTransaction()
        default: throw unexpected(Self.statementKeywords.map { "'\($0)'" })
        }
    }

    // MARK: - Token helpers

    var current: Token { tokens[index] }
    var nextToken: Token { tokens[min(index + 1, tokens.count - 1)] }

    mutating func advance() { if index < tokens.count - 1 { index += 1 } }

    func peekKeyword(_ k: String) -> Bool {
        if case .word(let w) = current.kind { return w.equalsIgnoringASCIICase(k) }
        return false
    }
    func peekKeyword(_ k: String, at offset: Int) -> Bool {
        let i = min(index + offset, tokens.count - 1)
        if case .word(let w) = tokens[i].kind { return w.equalsIgnoringASCIICase(k) }
        return false
    }
    func peekSymbol(_ s: String) -> Bool { current.kind == .symbol(s) }
    func peekSymbolAt(_ offset: Int, _ s: String) -> Bool { tokens[min(index + offset, tokens.count - 1)].kind == .symbol(s) }

    mutating func acceptKeyword(_ k: String) -> Bool {
        if peekKeyword(k) { advance(); return true }
        return false
    }
    mutating func acceptKeywords(_ ks: String...) -> Bool {
        for (n, k) in ks.enumerated() where !peekKeyword(k, at: n) { return false }
        for _ in ks { advance() }
        return true
    }
    mutating func expectKeyword(_ k: String) throws(ParseError) {
        guard acceptKeyword(k) else { throw unexpected(["'\(k)'"]) }
    }
    mutating func acceptSymbol(_ s: String) -> Bool {
        if peekSymbol(s) { advance(); return true }
        return false
    }
    mutating func expectSymbol(_ s: String) throws(ParseError) {
        guard acceptSymbol(s) else { throw unexpected(["'\(s)'"]) }
    }

    /// An identifier: a non-reserved word or a backquoted name.
    mutating func identifier() throws(ParseError) -> String {
        switch current.kind {
        case .quotedIdentifier(let s): advance(); return s
        case .word(let w) where !Self.reserved.contains(w.uppercased()): advance(); return w
        default: throw unexpected(["a legal identifier"])
        }
    }

    /// An identifier or a quoted string (names written either way, e.g. storage volumes, users).
    mutating func identifierOrString() throws(ParseError) -> String {
        if case .string(let s) = current.kind { advance(); return s }
        return try identifier()
    }

    mutating func qualifiedName() throws(ParseError) -> QualifiedName {
        var parts = [try identifier()]
        while peekSymbol(".") { advance(); parts.append(try identifier()) }
        return QualifiedName(parts)
    }

    mutating func stringLiteral() throws(ParseError) -> String {
        guard case .string(let s) = current.kind else { throw unexpected(["a string literal"]) }
        advance()
        return s
    }

    mutating func integerLiteral() throws(ParseError) -> Int64 {
        guard case .integer(let s) = current.kind, let v = Int64(s) else { throw unexpected(["an integer"]) }
        advance()
        return v
    }

    func unexpected(_ expected: [String]) -> ParseError {
        let t = current
        let list = expected.isEmpty ? "" : ", the most similar input is {\(expected.joined(separator: ", "))}"
        return ParseError(position: t.position, message: "Unexpected input '\(t.displayText)'\(list)")
    }

    func text(_ range: Range<Int>) -> String {
        String(decoding: source[max(0, range.lowerBound)..<min(source.count, range.upperBound)], as: UTF8.self)
    }

    /// End offset of the previous token (the last consumed one).
    var previousEnd: Int { index > 0 ? tokens[index - 1].range.upperBound : 0 }

    mutating func enter() throws(ParseError) {
        depth += 1
        if depth > Self.maxDepth {
            throw ParseError(position: current.position, message: "The statement is nested too deeply (more than \(Self.maxDepth) levels)")
        }
        reach = max(reach, depth)
    }
    mutating func leave() { depth -= 1 }

    /// Starts measuring how deep the tree parsed from here goes; pass the token to ``measured(since:)``.
    mutating func startMeasure() -> Int {
        defer { reach = depth }
        return reach
    }

    /// Levels below the current depth that the tree parsed since ``startMeasure()`` reached.
    mutating func measured(since saved: Int) -> Int {
        let levels = max(0, reach - depth)
        reach = max(saved, reach)
        return levels
    }

    /// A chain (`a op b op c …`, joins) built one node per step in a loop: its depth is `levels` below the current
    /// depth. Throws once the tree would be deeper than ``maxTreeDepth``.
    mutating func chainReached(_ levels: Int) throws(ParseError) {
        reach = max(reach, depth + levels)
        if depth + levels > Self.maxTreeDepth {
            throw ParseError(position: current.position, message: "Exceeded the maximum depth of an expression tree (\(Self.maxTreeDepth))")
        }
    }

    /// Counts one more item of a list; throws past ``maxChildren``.
    func checkChildren(_ count: Int) throws(ParseError) {
        if count > Self.maxChildren {
            throw ParseError(position: current.position,
                             message: "The number of children in expr are \(count) exceeded the maximum limit \(Self.maxChildren)")
        }
    }

    /// Words that cannot be bare identifiers or implicit aliases.
    static let reserved: Set<String> = [
        "ALL", "AND", "AS", "ASC", "BETWEEN", "BY", "CASE", "CREATE", "CROSS", "DELETE", "DESC", "DISTINCT", "DIV",
        "DROP", "ELSE", "END", "EXISTS", "FALSE", "FOR", "FROM", "FULL", "GROUP", "HAVING", "IN", "INNER", "INSERT",
        "INTERVAL", "INTO", "IS", "JOIN", "LEFT", "LIKE", "LIMIT", "NOT", "NULL", "ON", "OR", "ORDER", "OUTER",
        "REGEXP", "RIGHT", "RLIKE", "SELECT", "SET", "THEN", "TRUE", "UNION", "UPDATE", "USING", "VALUES", "WHEN",
        "WHERE", "WITH", "XOR", "OFFSET",
    ]
}
