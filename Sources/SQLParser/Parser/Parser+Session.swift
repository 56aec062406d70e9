/// Session statements: SET, USE, KILL, BEGIN / COMMIT / ROLLBACK.
extension Parser {
    mutating func parseUse() throws(ParseError) -> Statement {
        try expectKeyword("USE")
        return .use(try qualifiedName().name)
    }

    mutating func parseKill() throws(ParseError) -> Statement {
        try expectKeyword("KILL")
        var queryOnly = false
        if acceptKeyword("QUERY") { queryOnly = true } else { _ = acceptKeyword("CONNECTION") }
        return .kill(connectionID: try integerLiteral(), queryOnly: queryOnly)
    }

    mutating func parseTransaction() throws(ParseError) -> Statement {
        if acceptKeyword("BEGIN") { _ = acceptKeyword("WORK"); return .transaction(.begin) }
        if acceptKeyword("START") {
            try expectKeyword("TRANSACTION")
            repeat {
                if acceptKeywords("READ", "ONLY") || acceptKeywords("READ", "WRITE") || acceptKeywords("WITH", "CONSISTENT", "SNAPSHOT") {}
            } while acceptSymbol(",")
            return .transaction(.begin)
        }
        if acceptKeyword("COMMIT") { _ = acceptKeyword("WORK"); return .transaction(.commit) }
        try expectKeyword("ROLLBACK")
        _ = acceptKeyword("WORK")
        return .transaction(.rollback)
    }

    mutating func parseSet() throws(ParseError) -> Statement {
        try expectKeyword("SET")
        var out: [SetAssignment] = []
        repeat { out.append(try parseSetAssignment()) } while acceptSymbol(",")
        return .set(out)
    }

    private mutating func parseSetAssignment() throws(ParseError) -> SetAssignment {
        var scope: VariableScope?
        if acceptKeyword("GLOBAL") { scope = .global } else if acceptKeyword("SESSION") || acceptKeyword("LOCAL") { scope = .session }
        if acceptKeyword("TRANSACTION") {
            // ISOLATION LEVEL ... | READ ONLY | READ WRITE, possibly comma separated: consume to the end.
            while current.kind != .eof, !peekSymbol(";") { advance() }
            return .transaction
        }
        if scope == nil {
            if acceptKeyword("NAMES") {
                if acceptKeyword("DEFAULT") { return .names(charset: nil, collation: nil) }
                let cs = try identifierOrString()
                let collation = acceptKeyword("COLLATE") ? try identifierOrString() : nil
                return .names(charset: cs, collation: collation)
            }
            if acceptKeyword("CHARSET") || acceptKeywords("CHARACTER", "SET") {
                if acceptKeyword("DEFAULT") { return .characterSet(nil) }
                return .characterSet(try identifierOrString())
            }
            if case .userVariable(let name) = current.kind {
                advance()
                try expectAssignment()
                return .userVariable(name, try parseExpr())
            }
        }
        let name: String
        if case .systemVariable(let s, let n) = current.kind {
            advance()
            if let s { scope = s }
            name = n
        } else {
            name = try identifier()
            if peekSymbol("."), nextToken.kind != .eof {           // SET SESSION a.b = ...: rare; join
                advance()
                _ = try identifier()
            }
        }
        try expectAssignment()
        return .variable(scope: scope, name: name, value: try parseSetValue())
    }

    private mutating func expectAssignment() throws(ParseError) {
        if acceptSymbol("=") || acceptSymbol(":=") { return }
        throw unexpected(["'='"])
    }

    /// A SET value: DEFAULT, a bare word such as ON / OFF / TRADITIONAL (taken as a string), or an expression.
    private mutating func parseSetValue() throws(ParseError) -> Expr? {
        if acceptKeyword("DEFAULT") { return nil }
        if case .word(let w) = current.kind, nextToken.kind != .symbol("("), nextToken.kind != .symbol("."),
           !["NULL", "TRUE", "FALSE", "CASE", "NOT", "INTERVAL"].contains(w.uppercased()),
           nextToken.kind == .eof || nextToken.kind == .symbol(",") || nextToken.kind == .symbol(";") {
            advance()
            return .literal(.string(w))
        }
        return try parseExpr()
    }
}
