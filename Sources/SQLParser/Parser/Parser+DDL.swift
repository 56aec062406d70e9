/// CREATE / DROP for databases and tables.
extension Parser {
    mutating func parseCreate() throws(ParseError) -> Statement {
        try expectKeyword("CREATE")
        if acceptKeyword("USER") { return try parseCreateUser() }
        if acceptKeywords("ROUTINE", "LOAD") { return try parseCreateRoutineLoad() }
        if acceptKeywords("STORAGE", "VOLUME") { return try parseCreateStorageVolume() }
        if acceptKeyword("DATABASE") || acceptKeyword("SCHEMA") { return .createDatabase(try parseCreateDatabase()) }
        _ = acceptKeyword("EXTERNAL") || acceptKeyword("TEMPORARY")
        if acceptKeyword("TABLE") { return .createTable(try parseCreateTable()) }
        throw unexpected(["'DATABASE'", "'TABLE'"])
    }

    mutating func parseDrop() throws(ParseError) -> Statement {
        try expectKeyword("DROP")
        if acceptKeyword("USER") { return try parseDropUser() }
        if acceptKeywords("STORAGE", "VOLUME") { return try parseDropStorageVolume() }
        if acceptKeyword("DATABASE") || acceptKeyword("SCHEMA") {
            let ifExists = acceptKeywords("IF", "EXISTS")
            let name = try qualifiedName().name
            let force = acceptKeyword("FORCE")
            return .dropDatabase(name: name, ifExists: ifExists, force: force)
        }
        _ = acceptKeyword("TEMPORARY")
        if acceptKeyword("TABLE") {
            let ifExists = acceptKeywords("IF", "EXISTS")
            let name = try qualifiedName()
            let force = acceptKeyword("FORCE")
            return .dropTable(name, ifExists: ifExists, force: force)
        }
        throw unexpected(["'DATABASE'", "'TABLE'"])
    }

    private mutating func parseCreateDatabase() throws(ParseError) -> CreateDatabase {
        let ifNotExists = acceptKeywords("IF", "NOT", "EXISTS")
        let name = try qualifiedName().name
        while true {
            _ = acceptKeyword("DEFAULT")
            if acceptKeyword("CHARSET") || acceptKeywords("CHARACTER", "SET") || acceptKeyword("COLLATE") {
                _ = acceptSymbol("=")
                _ = try identifierOrString()
            } else { break }
        }
        let properties = acceptKeyword("PROPERTIES") ? try parsePropertyList() : []
        return CreateDatabase(name: name, ifNotExists: ifNotExists, properties: properties)
    }

    /// `("k" = "v", ...)`; keys and values are strings (or bare words for keys).
    mutating func parsePropertyList() throws(ParseError) -> [Property] {
        try expectSymbol("(")
        var out: [Property] = []
        if acceptSymbol(")") { return out }
        repeat {
            let key = try identifierOrString()
            try expectSymbol("=")
            let value: String
            switch current.kind {
            case .string(let s), .integer(let s), .decimal(let s): advance(); value = s
            case .word(let w): advance(); value = w
            default: throw unexpected(["a string literal"])
            }
            out.append(Property(key, value))
        } while acceptSymbol(",")
        try expectSymbol(")")
        return out
    }

    private mutating func parseCreateTable() throws(ParseError) -> CreateTable {
        let ifNotExists = acceptKeywords("IF", "NOT", "EXISTS")
        var table = CreateTable(name: try qualifiedName())
        table.ifNotExists = ifNotExists
        try expectSymbol("(")
        repeat {
            if acceptKeyword("INDEX") {
                try skipIndexDefinition()
            } else {
                table.columns.append(try parseColumnDefinition())
            }
        } while acceptSymbol(",")
        try expectSymbol(")")
        if acceptKeyword("ENGINE") {
            _ = acceptSymbol("=")
            table.engine = try identifier()
        }
        for kind in [KeysType.duplicate, .aggregate, .unique, .primary] where peekKeyword(kind.keyword) && peekKeyword("KEY", at: 1) {
            advance(); advance()
            table.keysType = kind
            table.keyColumns = try parseColumnList()
            break
        }
        if acceptKeyword("COMMENT") { table.comment = try stringLiteral() }
        if peekKeyword("PARTITION"), peekKeyword("BY", at: 1) { table.partitionClause = try capturePartitionClause() }
        if acceptKeywords("DISTRIBUTED", "BY") {
            if acceptKeyword("HASH") {
                let cols = try parseColumnList()
                table.distribution = .hash(columns: cols, buckets: try parseBuckets())
            } else if acceptKeyword("RANDOM") {
                table.distribution = .random(buckets: try parseBuckets())
            } else {
                throw unexpected(["'HASH'", "'RANDOM'"])
            }
        }
        if acceptKeywords("ORDER", "BY") { table.orderBy = try parseColumnList() }
        if acceptKeyword("PROPERTIES") { table.properties = try parsePropertyList() }
        return table
    }

    private mutating func parseBuckets() throws(ParseError) -> Int? {
        guard acceptKeyword("BUCKETS") else { return nil }
        return Int(clamping: try integerLiteral())
    }

    mutating func parseColumnList() throws(ParseError) -> [String] {
        try expectSymbol("(")
        var cols: [String] = []
        repeat { cols.append(try identifier()) } while acceptSymbol(",")
        try expectSymbol(")")
        return cols
    }

    private mutating func parseColumnDefinition() throws(ParseError) -> ColumnDefinition {
        let name = try identifier()
        var column = ColumnDefinition(name: name, type: try parseType())
        _ = acceptKeyword("KEY")
        if case .word(let w) = current.kind, let agg = AggregateType(rawValue: w.uppercased()) {
            advance()
            column.aggregate = agg
        }
        while true {
            if acceptKeywords("NOT", "NULL") { column.nullable = false }
            else if acceptKeyword("NULL") { column.nullable = true }
            else if acceptKeyword("DEFAULT") { column.defaultValue = try parseColumnDefault() }
            else if acceptKeyword("AUTO_INCREMENT") { column.autoIncrement = true }
            else if acceptKeyword("COMMENT") { column.comment = try stringLiteral() }
            else if acceptKeyword("AS") {
                throw ParseError(position: tokens[index - 1].position, message: "Generated columns are not supported")
            }
            else { return column }
        }
    }

    private mutating func parseColumnDefault() throws(ParseError) -> ColumnDefault {
        switch current.kind {
        case .string(let s): advance(); return .value(s)
        case .integer(let s), .decimal(let s), .float(let s): advance(); return .value(s)
        case .symbol("-"):
            advance()
            switch current.kind {
            case .integer(let s), .decimal(let s), .float(let s): advance(); return .value("-" + s)
            default: throw unexpected(["a number"])
            }
        case .symbol("("):
            let start = current.range.lowerBound
            advance()
            _ = try parseExpr()
            try expectSymbol(")")
            return .expression(text(start..<previousEnd))
        default:
            if acceptKeyword("NULL") { return .null }
            if acceptKeyword("CURRENT_TIMESTAMP") || acceptKeyword("NOW") {
                if acceptSymbol("(") { try expectSymbol(")") }
                return .currentTimestamp
            }
            throw unexpected(["a string literal", "'NULL'", "'CURRENT_TIMESTAMP'"])
        }
    }

    /// `INDEX name (cols) [USING BITMAP] [COMMENT '...']`: accepted, not stored.
    private mutating func skipIndexDefinition() throws(ParseError) {
        _ = try identifier()
        _ = try parseColumnList()
        if acceptKeyword("USING") { _ = try identifier() }
        if acceptKeyword("COMMENT") { _ = try stringLiteral() }
    }

    /// The PARTITION BY clause up to DISTRIBUTED / ORDER BY / PROPERTIES at nesting depth 0, as written.
    private mutating func capturePartitionClause() throws(ParseError) -> String {
        let start = current.range.lowerBound
        var depth = 0
        while current.kind != .eof {
            if depth == 0, peekKeyword("DISTRIBUTED") || peekKeyword("PROPERTIES") || (peekKeyword("ORDER") && peekKeyword("BY", at: 1)) || peekSymbol(";") { break }
            if peekSymbol("(") { depth += 1 }
            if peekSymbol(")") { depth -= 1; if depth < 0 { throw unexpected([]) } }
            advance()
        }
        return text(start..<previousEnd)
    }
}
