/// SQL text of an expression as StarRocks prints it back (columns in backquotes, strings in single
/// quotes), e.g. `from_unixtime(`pay_time`, '%Y%m%d')` in SHOW ROUTINE LOAD.
extension Expr {
    public var sql: String {
        switch self {
        case .literal(let l):
            switch l {
            case .null: return "NULL"
            case .boolean(let b): return b ? "TRUE" : "FALSE"
            case .integer(let s), .decimal(let s), .float(let s): return s
            case .string(let s): return "'" + s.replacingQuotes() + "'"
            }
        case .column(let q): return q.parts.map { "`\($0)`" }.joined(separator: ".")
        case .star(let q): return q.map { "`\($0)`.*" } ?? "*"
        case .systemVariable(let scope, let n): return "@@" + (scope.map { "\($0.rawValue)." } ?? "") + n
        case .userVariable(let n): return "@" + n
        case .parameter: return "?"
        case .unary(let op, let e): return op == .not ? "NOT \(e.nested)" : "\(op.rawValue)\(e.nested)"
        case .binary(let op, let l, let r): return "\(l.nested) \(op.rawValue) \(r.nested)"
        case .function(let n, let args, let d): return "\(n)(\(d ? "DISTINCT " : "")\(args.map(\.sql).joined(separator: ", ")))"
        case .cast(let e, let t): return "CAST(\(e.sql) AS \(t.describeName.uppercased()))"
        case .caseWhen(let operand, let whens, let otherwise):
            var s = "CASE" + (operand.map { " " + $0.sql } ?? "")
            for w in whens { s += " WHEN \(w.condition.sql) THEN \(w.result.sql)" }
            if let o = otherwise { s += " ELSE \(o.sql)" }
            return s + " END"
        case .inList(let e, let items, let n): return "\(e.nested)\(n ? " NOT" : "") IN (\(items.map(\.sql).joined(separator: ", ")))"
        case .inSubquery(let e, _, let n): return "\(e.nested)\(n ? " NOT" : "") IN (<subquery>)"
        case .exists: return "EXISTS (<subquery>)"
        case .subquery: return "(<subquery>)"
        case .between(let e, let lo, let hi, let n): return "\(e.nested)\(n ? " NOT" : "") BETWEEN \(lo.nested) AND \(hi.nested)"
        case .like(let e, let p, let n): return "\(e.nested)\(n ? " NOT" : "") LIKE \(p.nested)"
        case .regexp(let e, let p, let n): return "\(e.nested)\(n ? " NOT" : "") REGEXP \(p.nested)"
        case .isNull(let e, let n): return "\(e.nested) IS \(n ? "NOT " : "")NULL"
        case .isBoolean(let e, let b, let n): return "\(e.nested) IS \(n ? "NOT " : "")\(b ? "TRUE" : "FALSE")"
        case .interval(let e, let unit): return "INTERVAL \(e.sql) \(unit)"
        }
    }

    /// Parenthesized when it is itself an operator expression.
    private var nested: String {
        switch self {
        case .binary, .between, .like, .regexp, .inList, .isNull, .isBoolean, .unary(.not, _): return "(\(sql))"
        default: return sql
        }
    }
}

extension String {
    func replacingQuotes() -> String {
        var out = ""
        for c in self { if c == "'" || c == "\\" { out.append("\\") }; out.append(c) }
        return out
    }
}
