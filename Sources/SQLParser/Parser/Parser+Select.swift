/// SELECT: select list, FROM with joins and derived tables, WHERE, GROUP BY, HAVING, UNION,
/// ORDER BY, and both LIMIT forms (`LIMIT n OFFSET m`, `LIMIT m, n` as DBeaver sends it).
extension Parser {
    mutating func parseSelect() throws(ParseError) -> Select {
        try enter(); defer { leave() }
        if acceptSymbol("(") {
            var inner = try parseSelect()
            try expectSymbol(")")
            try parseSelectTail(&inner)
            return inner
        }
        var select = try parseSelectCore()
        try parseSelectTail(&select)
        return select
    }

    private mutating func parseSelectTail(_ select: inout Select) throws(ParseError) {
        while acceptKeyword("UNION") {
            let all = acceptKeyword("ALL")
            if !all { _ = acceptKeyword("DISTINCT") }
            let part: Select
            if acceptSymbol("(") { part = try parseSelect(); try expectSymbol(")") } else { part = try parseSelectCore() }
            select.unions.append(UnionPart(all: all, select: part))
            try checkChildren(select.unions.count)
        }
        select.orderBy = try parseOrderBy()
        select.limit = try parseLimit()
        if acceptKeywords("FOR", "UPDATE") {}
    }

    /// `ORDER BY e [ASC|DESC], ...`, or nothing.
    mutating func parseOrderBy() throws(ParseError) -> [OrderItem] {
        guard acceptKeywords("ORDER", "BY") else { return [] }
        var items: [OrderItem] = []
        repeat {
            let e = try parseExpr()
            var asc = true
            if acceptKeyword("DESC") { asc = false } else { _ = acceptKeyword("ASC") }
            items.append(OrderItem(expr: e, ascending: asc))
            try checkChildren(items.count)
        } while acceptSymbol(",")
        return items
    }

    /// `LIMIT n`, `LIMIT m, n` (DBeaver's form) or `LIMIT n OFFSET m`, or nothing.
    mutating func parseLimit() throws(ParseError) -> Limit? {
        guard acceptKeyword("LIMIT") else { return nil }
        let first = try parseLimitValue()
        if acceptSymbol(",") { return Limit(count: try parseLimitValue(), offset: first) }
        if acceptKeyword("OFFSET") { return Limit(count: first, offset: try parseLimitValue()) }
        return Limit(count: first, offset: nil)
    }

    private mutating func parseLimitValue() throws(ParseError) -> Expr {
        switch current.kind {
        case .integer(let s): advance(); return .literal(.integer(s))
        case .placeholder: advance(); defer { parameterCount += 1 }; return .parameter(parameterCount)
        default: throw unexpected(["an integer"])
        }
    }

    private mutating func parseSelectCore() throws(ParseError) -> Select {
        try expectKeyword("SELECT")
        var select = Select()
        if acceptKeyword("DISTINCT") { select.distinct = true } else { _ = acceptKeyword("ALL") }
        repeat {
            select.items.append(try parseSelectItem())
            try checkChildren(select.items.count)
        } while acceptSymbol(",")
        if acceptKeyword("FROM") {
            if acceptKeyword("DUAL") {} else {
                repeat {
                    select.from.append(try parseTableReference())
                    try checkChildren(select.from.count)
                } while acceptSymbol(",")
            }
        }
        if acceptKeyword("WHERE") { select.whereClause = try parseExpr() }
        if acceptKeywords("GROUP", "BY") {
            repeat {
                select.groupBy.append(try parseExpr())
                try checkChildren(select.groupBy.count)
            } while acceptSymbol(",")
        }
        if acceptKeyword("HAVING") { select.having = try parseExpr() }
        return select
    }

    private mutating func parseSelectItem() throws(ParseError) -> SelectItem {
        let start = current.range.lowerBound
        let expr = try parseExpr()
        let written = text(start..<previousEnd)
        return SelectItem(expr: expr, alias: try parseAlias(), text: written)
    }

    /// `[AS] alias` where alias is an identifier or a string.
    mutating func parseAlias() throws(ParseError) -> String? {
        if acceptKeyword("AS") { return try identifierOrString() }
        switch current.kind {
        case .quotedIdentifier(let s), .string(let s): advance(); return s
        case .word(let w) where !Self.reserved.contains(w.uppercased()) && !Self.clauseWords.contains(w.uppercased()):
            advance(); return w
        default: return nil
        }
    }

    /// Non-reserved words that still end a select item or table reference.
    static let clauseWords: Set<String> = ["STRAIGHT_JOIN", "NATURAL", "SEPARATOR", "DUAL", "LATERAL"]

    /// A table factor and its joins, in a loop; each join nests the tree one level (``chainReached(_:)``).
    private mutating func parseTableReference() throws(ParseError) -> TableReference {
        try enter(); defer { leave() }
        var mark = startMeasure()
        var left = try parseTableFactor()
        var levels = measured(since: mark)
        while true {
            mark = startMeasure()
            var kind: JoinKind
            if acceptKeyword("JOIN") || acceptKeywords("INNER", "JOIN") || acceptKeyword("STRAIGHT_JOIN") { kind = .inner }
            else if acceptKeywords("CROSS", "JOIN") { kind = .cross }
            else if acceptKeyword("LEFT") { _ = acceptKeyword("OUTER"); try expectKeyword("JOIN"); kind = .left }
            else if acceptKeyword("RIGHT") { _ = acceptKeyword("OUTER"); try expectKeyword("JOIN"); kind = .right }
            else if acceptKeyword("FULL") { _ = acceptKeyword("OUTER"); try expectKeyword("JOIN"); kind = .full }
            else {
                _ = measured(since: mark)
                return left
            }
            let right = try parseTableFactor()
            var on: Expr?
            var using: [String] = []
            if acceptKeyword("ON") { on = try parseExpr() }
            else if acceptKeyword("USING") {
                try expectSymbol("(")
                repeat { using.append(try identifier()) } while acceptSymbol(",")
                try expectSymbol(")")
            }
            if kind == .cross, on != nil { kind = .inner }
            levels = max(levels, measured(since: mark)) + 1
            try chainReached(levels)
            left = .join(left, kind, right, on: on, using: using)
        }
    }

    private mutating func parseTableFactor() throws(ParseError) -> TableReference {
        if acceptSymbol("(") {
            if peekKeyword("SELECT") || peekSymbol("(") {
                let sub = try parseSelect()
                try expectSymbol(")")
                guard let alias = try parseAlias() else { throw unexpected(["an alias"]) }
                return .subquery(sub, alias: alias)
            }
            let inner = try parseTableReference()
            try expectSymbol(")")
            return inner
        }
        let name = try qualifiedName()
        return .table(name, alias: try parseAlias())
    }
}
