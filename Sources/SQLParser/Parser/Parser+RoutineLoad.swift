/// CREATE / ALTER / PAUSE / RESUME / STOP / SHOW [ALL] ROUTINE LOAD and SHOW ROUTINE LOAD TASK /
/// SHOW CREATE ROUTINE LOAD (reference routine_load.md §1.1).
extension Parser {
    /// After `CREATE ROUTINE LOAD`.
    mutating func parseCreateRoutineLoad() throws(ParseError) -> Statement {
        let name = try qualifiedName()
        try expectKeyword("ON")
        let table = try identifier()
        let load = try parseLoadProperties()
        let properties = acceptKeyword("PROPERTIES") ? try parsePropertyList() : []
        try expectKeyword("FROM")
        let source = try identifier().uppercased()
        let sourceProperties = peekSymbol("(") ? try parsePropertyList() : []
        return .routineLoad(.create(CreateRoutineLoad(name: name, table: table, load: load, properties: properties,
                                                      sourceType: source, sourceProperties: sourceProperties)))
    }

    /// After `ALTER ROUTINE LOAD`.
    mutating func parseAlterRoutineLoad() throws(ParseError) -> Statement {
        try expectKeyword("FOR")
        let name = try qualifiedName()
        let load = try parseLoadProperties()
        let properties = acceptKeyword("PROPERTIES") ? try parsePropertyList() : []
        var source: String?
        var sourceProperties: [Property] = []
        if acceptKeyword("FROM") {
            source = try identifier().uppercased()
            sourceProperties = try parsePropertyList()
        }
        return .routineLoad(.alter(AlterRoutineLoad(name: name, load: load, properties: properties, sourceType: source, sourceProperties: sourceProperties)))
    }

    /// After `PAUSE` / `RESUME` / `STOP`.
    mutating func parseRoutineLoadControl(_ verb: String) throws(ParseError) -> Statement {
        try expectKeyword("ROUTINE")
        try expectKeyword("LOAD")
        try expectKeyword("FOR")
        let name = try qualifiedName()
        switch verb {
        case "PAUSE": return .routineLoad(.pause(name))
        case "RESUME": return .routineLoad(.resume(name))
        default: return .routineLoad(.stop(name))
        }
    }

    /// After `SHOW [ALL] ROUTINE LOAD`.
    mutating func parseShowRoutineLoad(all: Bool) throws(ParseError) -> Statement {
        if acceptKeyword("TASK") {
            var db: String?
            if acceptKeyword("FROM") || acceptKeyword("IN") { db = try identifier() }
            let condition: Expr? = acceptKeyword("WHERE") ? try parseExpr() : nil
            return .routineLoad(.showTasks(database: db, whereClause: condition))
        }
        var show = ShowRoutineLoad(all: all, name: nil, database: nil, whereClause: nil, orderBy: [], limit: nil)
        if acceptKeyword("FOR") { show.name = try qualifiedName() }
        if acceptKeyword("FROM") || acceptKeyword("IN") { show.database = try identifier() }
        if acceptKeyword("WHERE") { show.whereClause = try parseExpr() }
        show.orderBy = try parseOrderBy()
        show.limit = try parseLimit()
        return .routineLoad(.show(show))
    }

    /// Comma-separated load properties in any order; each may appear once.
    private mutating func parseLoadProperties() throws(ParseError) -> RoutineLoadProperties {
        var p = RoutineLoadProperties()
        func repeated(_ what: String) -> ParseError {
            ParseError(position: current.position, message: "repeat setting of \(what)")
        }
        while true {
            if peekKeyword("COLUMNS"), peekKeyword("TERMINATED", at: 1) {
                advance(); advance(); try expectKeyword("BY")
                guard p.columnSeparator == nil else { throw repeated("column separator") }
                p.columnSeparator = try stringLiteral()
            } else if peekKeyword("ROWS"), peekKeyword("TERMINATED", at: 1) {
                advance(); advance(); try expectKeyword("BY")
                guard p.rowDelimiter == nil else { throw repeated("row delimiter") }
                p.rowDelimiter = try stringLiteral()
            } else if peekKeyword("COLUMNS"), peekSymbolAt(1, "(") {
                advance(); advance()
                guard p.columns == nil else { throw repeated("columns info") }
                var cols: [ColumnMapping] = []
                repeat {
                    let name = try identifier()
                    if acceptSymbol("=") {
                        let start = current.range.lowerBound
                        _ = try parseExpr()
                        cols.append(ColumnMapping(name: name, expression: text(start..<previousEnd)))
                    } else {
                        cols.append(ColumnMapping(name: name))
                    }
                } while acceptSymbol(",")
                try expectSymbol(")")
                p.columns = cols
            } else if peekKeyword("WHERE") {
                advance()
                guard p.whereClause == nil else { throw repeated("where predicate") }
                let start = current.range.lowerBound
                _ = try parseExpr()
                p.whereClause = text(start..<previousEnd)
            } else if peekKeyword("TEMPORARY") || peekKeyword("PARTITION") || peekKeyword("PARTITIONS") {
                let temporary = acceptKeyword("TEMPORARY")
                guard acceptKeyword("PARTITION") || acceptKeyword("PARTITIONS") else { throw unexpected(["'PARTITION'"]) }
                guard p.partitions == nil else { throw repeated("partition names") }
                let parenthesized = acceptSymbol("(")
                var names: [String] = []
                repeat { names.append(try identifierOrString()) } while acceptSymbol(",") && !(peekKeyword("PROPERTIES") || peekKeyword("FROM"))
                if parenthesized { try expectSymbol(")") }
                p.partitions = names
                p.temporaryPartitions = temporary
            } else {
                return p
            }
            if !acceptSymbol(",") { return p }
        }
    }
}
