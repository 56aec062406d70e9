/// SHOW statements and DESC.
extension Parser {
    mutating func parseShow() throws(ParseError) -> Statement {
        try expectKeyword("SHOW")
        if acceptKeywords("ROUTINE", "LOAD") { return try parseShowRoutineLoad(all: false) }
        if acceptKeywords("ALL", "ROUTINE", "LOAD") { return try parseShowRoutineLoad(all: true) }
        if acceptKeywords("CREATE", "ROUTINE", "LOAD") { return .routineLoad(.showCreate(try qualifiedName())) }
        if acceptKeywords("COMPUTE", "NODES") { return .cluster(.showNodes(.computeNode)) }
        if acceptKeyword("BACKENDS") { return .cluster(.showNodes(.backend)) }
        if acceptKeyword("FRONTENDS") { return .cluster(.showFrontends) }
        let full = acceptKeyword("FULL")
        var scope: VariableScope?
        if acceptKeyword("GLOBAL") { scope = .global } else if acceptKeyword("SESSION") || acceptKeyword("LOCAL") { scope = .session }

        if acceptKeyword("DATABASES") || acceptKeyword("SCHEMAS") {
            if acceptKeyword("FROM") || acceptKeyword("IN") { _ = try identifier() }
            return .show(.databases(try parseShowFilter()))
        }
        if acceptKeyword("TABLES") {
            let db = try parseOptionalFromDatabase()
            return .show(.tables(database: db, full: full, try parseShowFilter()))
        }
        if acceptKeywords("TABLE", "STATUS") {
            let db = try parseOptionalFromDatabase()
            return .show(.tableStatus(database: db, try parseShowFilter()))
        }
        if acceptKeyword("COLUMNS") || acceptKeyword("FIELDS") {
            guard acceptKeyword("FROM") || acceptKeyword("IN") else { throw unexpected(["'FROM'", "'IN'"]) }
            let table = try qualifiedName()
            let db = try parseOptionalFromDatabase()
            return .show(.columns(table: table, database: db, full: full, try parseShowFilter()))
        }
        if acceptKeyword("CREATE") {
            if acceptKeyword("DATABASE") || acceptKeyword("SCHEMA") { return .show(.createDatabase(try qualifiedName().name)) }
            if acceptKeyword("TABLE") || acceptKeyword("VIEW") { return .show(.createTable(try qualifiedName())) }
            throw unexpected(["'DATABASE'", "'TABLE'"])
        }
        if acceptKeyword("VARIABLES") { return .show(.variables(scope, try parseShowFilter())) }
        if acceptKeyword("STATUS") { return .show(.status(scope, try parseShowFilter())) }
        if acceptKeyword("PROCESSLIST") { return .show(.processlist(full: full)) }
        if acceptKeyword("CHARSET") || acceptKeywords("CHARACTER", "SET") { return .show(.charset(try parseShowFilter())) }
        if acceptKeyword("COLLATION") { return .show(.collation(try parseShowFilter())) }
        if acceptKeyword("ENGINES") || acceptKeywords("STORAGE", "ENGINES") { return .show(.engines) }
        if acceptKeywords("STORAGE", "VOLUMES") {
            return .storageVolume(.show(like: acceptKeyword("LIKE") ? try stringLiteral() : nil))
        }
        if acceptKeyword("WARNINGS") { try skipShowLimit(); return .show(.warnings) }
        if acceptKeyword("ERRORS") { try skipShowLimit(); return .show(.errors) }
        if acceptKeyword("PLUGINS") { return .show(.plugins) }
        if acceptKeyword("INDEX") || acceptKeyword("INDEXES") || acceptKeyword("KEYS") {
            guard acceptKeyword("FROM") || acceptKeyword("IN") else { throw unexpected(["'FROM'", "'IN'"]) }
            let table = try qualifiedName()
            let db = try parseOptionalFromDatabase()
            if acceptKeyword("WHERE") { _ = try parseExpr() }
            return .show(.index(table: table, database: db))
        }
        if acceptKeywords("PROCEDURE", "STATUS") { return .show(.procedureStatus(try parseShowFilter())) }
        if acceptKeywords("FUNCTION", "STATUS") { return .show(.functionStatus(try parseShowFilter())) }
        if acceptKeyword("TRIGGERS") {
            let db = try parseOptionalFromDatabase()
            return .show(.triggers(database: db, try parseShowFilter()))
        }
        if acceptKeyword("PRIVILEGES") { return .show(.privileges) }
        if acceptKeyword("GRANTS") {
            return .show(.grants(acceptKeyword("FOR") ? try parseUserIdentity() : nil))
        }
        throw unexpected(["'DATABASES'", "'TABLES'", "'COLUMNS'", "'CREATE'", "'VARIABLES'", "'PROCESSLIST'"])
    }

    private mutating func parseOptionalFromDatabase() throws(ParseError) -> String? {
        guard acceptKeyword("FROM") || acceptKeyword("IN") else { return nil }
        return try qualifiedName().name
    }

    private mutating func parseShowFilter() throws(ParseError) -> ShowFilter? {
        if acceptKeyword("LIKE") { return .like(try stringLiteral()) }
        if acceptKeyword("WHERE") { return .whereClause(try parseExpr()) }
        return nil
    }

    private mutating func skipShowLimit() throws(ParseError) {
        if acceptKeyword("LIMIT") {
            _ = try integerLiteral()
            if acceptSymbol(",") { _ = try integerLiteral() }
        }
    }

    mutating func parseDescribe() throws(ParseError) -> Statement {
        advance()   // DESC / DESCRIBE / EXPLAIN
        if peekKeyword("SELECT") { throw unexpected(["a legal identifier"]) }
        if acceptKeywords("STORAGE", "VOLUME") { return .storageVolume(.describe(try identifierOrString())) }
        let name = try qualifiedName()
        let all = acceptKeyword("ALL")
        return .describe(name, all: all)
    }
}
