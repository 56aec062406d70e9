extension Parser {
    /// After `ALTER SYSTEM`: `ADD|DROP COMPUTE NODE|BACKEND "host:port" [, ...]` with StarRocks' optional
    /// `INTO WAREHOUSE w [CNGROUP g]` / `FROM WAREHOUSE w` / `FORCE`, accepted and ignored (one warehouse).
    mutating func parseAlterSystem() throws(ParseError) -> Statement {
        let add: Bool
        if acceptKeyword("ADD") { add = true } else if acceptKeyword("DROP") { add = false } else { throw unexpected(["'ADD'", "'DROP'"]) }
        let kind: NodeKind
        if acceptKeywords("COMPUTE", "NODE") { kind = .computeNode } else if acceptKeyword("BACKEND") { kind = .backend } else {
            throw unexpected(["'COMPUTE NODE'", "'BACKEND'"])
        }
        var hosts = [try stringLiteral()]
        while acceptSymbol(",") { hosts.append(try stringLiteral()) }
        if acceptKeyword("INTO") || acceptKeyword("FROM") {
            try expectKeyword("WAREHOUSE")
            _ = try identifier()
            if acceptKeyword("CNGROUP") { _ = try identifier() }
        }
        _ = acceptKeyword("FORCE")
        return .cluster(add ? .addNodes(kind, hosts) : .dropNodes(kind, hosts))
    }
}
