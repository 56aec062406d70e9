/// Bottom-up rewriting of expressions, used to bind session values (variables, DATABASE(), ...)
/// into a statement before it is executed.
extension Expr {
    /// Applies `transform` to every sub-expression, children first; a nil result keeps the node.
    public func rewritten(_ transform: (Expr) throws -> Expr?) rethrows -> Expr {
        let rebuilt: Expr
        switch self {
        case .literal, .column, .star, .systemVariable, .userVariable, .parameter:
            rebuilt = self
        case .unary(let op, let e): rebuilt = .unary(op, try e.rewritten(transform))
        case .binary(let op, let l, let r): rebuilt = .binary(op, try l.rewritten(transform), try r.rewritten(transform))
        case .function(let n, let args, let d): rebuilt = .function(n, try args.map { try $0.rewritten(transform) }, distinct: d)
        case .cast(let e, let t): rebuilt = .cast(try e.rewritten(transform), t)
        case .caseWhen(let operand, let whens, let otherwise):
            rebuilt = .caseWhen(operand: try operand?.rewritten(transform),
                                whens: try whens.map { WhenClause(condition: try $0.condition.rewritten(transform), result: try $0.result.rewritten(transform)) },
                                otherwise: try otherwise?.rewritten(transform))
        case .inList(let e, let items, let n): rebuilt = .inList(try e.rewritten(transform), try items.map { try $0.rewritten(transform) }, negated: n)
        case .inSubquery(let e, let s, let n): rebuilt = .inSubquery(try e.rewritten(transform), try s.rewritten(transform), negated: n)
        case .exists(let s): rebuilt = .exists(try s.rewritten(transform))
        case .subquery(let s): rebuilt = .subquery(try s.rewritten(transform))
        case .between(let e, let l, let h, let n): rebuilt = .between(try e.rewritten(transform), try l.rewritten(transform), try h.rewritten(transform), negated: n)
        case .like(let e, let p, let n): rebuilt = .like(try e.rewritten(transform), try p.rewritten(transform), negated: n)
        case .regexp(let e, let p, let n): rebuilt = .regexp(try e.rewritten(transform), try p.rewritten(transform), negated: n)
        case .isNull(let e, let n): rebuilt = .isNull(try e.rewritten(transform), negated: n)
        case .isBoolean(let e, let b, let n): rebuilt = .isBoolean(try e.rewritten(transform), b, negated: n)
        case .interval(let e, let u): rebuilt = .interval(try e.rewritten(transform), unit: u)
        }
        return try transform(rebuilt) ?? rebuilt
    }
}

extension Select {
    /// Applies ``Expr/rewritten(_:)`` to every expression of the query, including subqueries and unions.
    public func rewritten(_ transform: (Expr) throws -> Expr?) rethrows -> Select {
        var s = self
        s.items = try items.map { SelectItem(expr: try $0.expr.rewritten(transform), alias: $0.alias, text: $0.text) }
        s.from = try from.map { try $0.rewritten(transform) }
        s.whereClause = try whereClause?.rewritten(transform)
        s.groupBy = try groupBy.map { try $0.rewritten(transform) }
        s.having = try having?.rewritten(transform)
        s.orderBy = try orderBy.map { OrderItem(expr: try $0.expr.rewritten(transform), ascending: $0.ascending) }
        s.unions = try unions.map { UnionPart(all: $0.all, select: try $0.select.rewritten(transform)) }
        return s
    }
}

extension TableReference {
    func rewritten(_ transform: (Expr) throws -> Expr?) rethrows -> TableReference {
        switch self {
        case .table: return self
        case .subquery(let s, let alias): return .subquery(try s.rewritten(transform), alias: alias)
        case .join(let l, let k, let r, let on, let using):
            return .join(try l.rewritten(transform), k, try r.rewritten(transform), on: try on?.rewritten(transform), using: using)
        }
    }
}
