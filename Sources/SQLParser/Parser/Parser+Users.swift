/// CREATE / DROP / ALTER USER, SET PASSWORD, GRANT and REVOKE.
extension Parser {
    /// `'u'@'h'`, `u@h`, `'u'`, `u`; `@` followed by a host lexes as a user variable.
    mutating func parseUserIdentity() throws(ParseError) -> UserIdentity {
        let name = try identifierOrString()
        if case .userVariable(let host) = current.kind { advance(); return UserIdentity(name: name, host: host) }
        if case .symbol("@") = current.kind {
            advance()
            return UserIdentity(name: name, host: try identifierOrString())
        }
        return UserIdentity(name: name)
    }

    mutating func parseCreateUser() throws(ParseError) -> Statement {
        let ifNotExists = acceptKeywords("IF", "NOT", "EXISTS")
        let user = try parseUserIdentity()
        let auth = try parseAuthentication()
        if acceptKeywords("DEFAULT", "ROLE") { repeat { _ = try identifierOrString() } while acceptSymbol(",") }
        return .user(.create(user, auth, ifNotExists: ifNotExists))
    }

    mutating func parseAuthentication() throws(ParseError) -> Authentication? {
        guard acceptKeyword("IDENTIFIED") else { return nil }
        if acceptKeyword("BY") {
            _ = acceptKeyword("PASSWORD")
            return .password(try stringLiteral(), plugin: nil)
        }
        try expectKeyword("WITH")
        let plugin = try identifierOrString()
        if acceptKeyword("BY") { return .password(try stringLiteral(), plugin: plugin) }
        if acceptKeyword("AS") { return .nativeHash(try stringLiteral()) }
        return .password("", plugin: plugin)
    }

    mutating func parseDropUser() throws(ParseError) -> Statement {
        let ifExists = acceptKeywords("IF", "EXISTS")
        return .user(.drop(try parseUserIdentity(), ifExists: ifExists))
    }

    mutating func parseAlterUser() throws(ParseError) -> Statement {
        let ifExists = acceptKeywords("IF", "EXISTS")
        let user = try parseUserIdentity()
        guard let auth = try parseAuthentication() else { throw unexpected(["'IDENTIFIED'"]) }
        return .user(.alter(user, auth, ifExists: ifExists))
    }

    /// After `SET PASSWORD`: `[FOR user] = PASSWORD('pw') | 'pw'`.
    mutating func parseSetPassword() throws(ParseError) -> Statement {
        let user: UserIdentity? = acceptKeyword("FOR") ? try parseUserIdentity() : nil
        try expectSymbol("=")
        if acceptKeyword("PASSWORD") {
            try expectSymbol("(")
            let pw = try stringLiteral()
            try expectSymbol(")")
            return .user(.setPassword(user, pw))
        }
        return .user(.setPassword(user, try stringLiteral()))
    }

    mutating func parseGrant(revoke: Bool) throws(ParseError) -> Statement {
        advance()   // GRANT / REVOKE
        var privileges: [String] = []
        repeat {
            guard case .word(let w) = current.kind else { throw unexpected(["a privilege"]) }
            advance()
            var p = w.uppercased()
            if p == "ALL" { _ = acceptKeyword("PRIVILEGES") }
            if p == "CREATE", case .word(let obj) = current.kind, ["DATABASE", "TABLE", "VIEW"].contains(obj.uppercased()) {
                advance(); p += " " + obj.uppercased()
            }
            privileges.append(p)
        } while acceptSymbol(",")
        try expectKeyword("ON")
        let target = try parseGrantTarget()
        if revoke { try expectKeyword("FROM") } else { try expectKeyword("TO") }
        _ = acceptKeyword("USER")
        let user = try parseUserIdentity()
        if !revoke, acceptKeywords("WITH", "GRANT", "OPTION") {}
        let g = GrantStatement(privileges: privileges, target: target, user: user)
        return .user(revoke ? .revoke(g) : .grant(g))
    }

    private mutating func parseGrantTarget() throws(ParseError) -> GrantTarget {
        if acceptKeyword("SYSTEM") { return .global }
        if acceptKeywords("ALL", "TABLES", "IN") {
            if acceptKeywords("ALL", "DATABASES") { return .global }
            try expectKeyword("DATABASE")
            return .database(try identifier())
        }
        if acceptKeyword("DATABASE") { return .database(try identifier()) }
        _ = acceptKeyword("TABLE")
        if acceptSymbol("*") {
            if acceptSymbol(".") { try expectSymbol("*"); return .global }
            return .database(nil)
        }
        let first = try identifier()
        guard acceptSymbol(".") else { return .table(nil, first) }
        if acceptSymbol("*") { return .database(first) }
        return .table(first, try identifier())
    }
}
