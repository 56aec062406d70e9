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

    /// `ADMIN SHOW FRONTEND CONFIG [LIKE 'p']` and `ADMIN SET FRONTEND CONFIG ("k" = "v") [WITH PERSISTENT]`.
    mutating func parseAdmin() throws(ParseError) -> Statement {
        try expectKeyword("ADMIN")
        if acceptKeyword("SHOW") {
            try expectKeyword("FRONTEND")
            try expectKeyword("CONFIG")
            return .cluster(.showFrontendConfig(like: acceptKeyword("LIKE") ? try stringLiteral() : nil))
        }
        try expectKeyword("SET")
        try expectKeyword("FRONTEND")
        try expectKeyword("CONFIG")
        let properties = try parsePropertyList()
        if acceptKeyword("WITH") { try expectKeyword("PERSISTENT") }
        return .cluster(.setFrontendConfig(properties))
    }
}
