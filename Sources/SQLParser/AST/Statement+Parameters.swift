/// Binding prepared-statement parameters: every `.parameter(i)` node becomes the i-th literal.
/// Values stay in the AST; they are never spliced into SQL text.
extension Statement {
    /// The statement with its parameters bound (statements without expressions are returned as they are).
    public func binding(_ values: [Literal]) -> Statement {
        let bind: (Expr) -> Expr? = { e in
            if case .parameter(let i) = e { return i < values.count ? .literal(values[i]) : .literal(.null) }
            return nil
        }
        switch self {
        case .select(let s): return .select(s.rewritten(bind))
        case .insert(var ins):
            switch ins.source {
            case .values(let rows): ins.source = .values(rows.map { $0.map { $0.rewritten(bind) } })
            case .select(let s): ins.source = .select(s.rewritten(bind))
            }
            return .insert(ins)
        case .set(let assignments):
            return .set(assignments.map {
                switch $0 {
                case .variable(let scope, let name, let value): return .variable(scope: scope, name: name, value: value?.rewritten(bind))
                case .userVariable(let name, let value): return .userVariable(name, value.rewritten(bind))
                default: return $0
                }
            })
        default:
            return self
        }
    }
}
