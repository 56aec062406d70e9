/// INSERT INTO ... VALUES / SELECT, with StarRocks' optional `WITH LABEL l`.
extension Parser {
    mutating func parseInsert() throws(ParseError) -> Insert {
        try expectKeyword("INSERT")
        try expectKeyword("INTO")
        _ = acceptKeyword("TABLE")
        let table = try qualifiedName()
        var label: String?
        if acceptKeywords("WITH", "LABEL") { label = try identifierOrString() }
        var columns: [String]?
        if peekSymbol("("), !peekKeyword("SELECT", at: 1) { columns = try parseColumnList() }
        if acceptKeyword("VALUES") || acceptKeyword("VALUE") {
            var rows: [[Expr]] = []
            repeat {
                try expectSymbol("(")
                var row: [Expr] = []
                if !peekSymbol(")") {
                    repeat { row.append(try parseExpr()) } while acceptSymbol(",")
                }
                try expectSymbol(")")
                rows.append(row)
            } while acceptSymbol(",")
            return Insert(table: table, columns: columns, label: label, source: .values(rows))
        }
        guard peekKeyword("SELECT") || peekSymbol("(") || peekKeyword("WITH") else { throw unexpected(["'VALUES'", "'SELECT'"]) }
        return Insert(table: table, columns: columns, label: label, source: .select(try parseSelect()))
    }
}
