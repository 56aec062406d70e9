/// A SQL literal as written. Numbers keep their text so no precision is lost before typing.
public enum Literal: Equatable, Hashable, Sendable {
    case null
    case boolean(Bool)
    case integer(String)
    case decimal(String)
    case float(String)
    case string(String)
}

/// A possibly qualified name: `t`, `db.t`, `catalog.db.t`, or for columns `t.c`, `db.t.c`.
public struct QualifiedName: Equatable, Hashable, Sendable {
    public var parts: [String]
    public init(_ parts: [String]) { self.parts = parts }
    public var name: String { parts.last ?? "" }
    /// The part before the name (database for tables, table for columns).
    public var qualifier: String? { parts.count >= 2 ? parts[parts.count - 2] : nil }
}

public enum UnaryOperator: String, Equatable, Hashable, Sendable { case not = "NOT", minus = "-", plus = "+", bitNot = "~" }

public enum BinaryOperator: String, Equatable, Hashable, Sendable {
    case or = "OR", and = "AND", xor = "XOR"
    case equal = "=", nullSafeEqual = "<=>", notEqual = "<>", less = "<", lessOrEqual = "<=", greater = ">", greaterOrEqual = ">="
    case plus = "+", minus = "-", multiply = "*", divide = "/", intDivide = "DIV", modulo = "%"
    case bitOr = "|", bitAnd = "&", bitXor = "^", shiftLeft = "<<", shiftRight = ">>"
    case concat = "||"
}

public struct WhenClause: Equatable, Hashable, Sendable {
    public var condition: Expr
    public var result: Expr
    public init(condition: Expr, result: Expr) { self.condition = condition; self.result = result }
}

/// A scalar expression.
public indirect enum Expr: Equatable, Hashable, Sendable {
    case literal(Literal)
    case column(QualifiedName)
    /// `*` or `t.*`; only valid in a select list or `COUNT(*)`.
    case star(qualifier: String?)
    case systemVariable(VariableScope?, String)
    case userVariable(String)
    /// The n-th `?` (0-based) of a prepared statement.
    case parameter(Int)
    case unary(UnaryOperator, Expr)
    case binary(BinaryOperator, Expr, Expr)
    /// Function call; the name is kept as written. `distinct` for `COUNT(DISTINCT x)`.
    case function(String, [Expr], distinct: Bool)
    case cast(Expr, SQLType)
    case caseWhen(operand: Expr?, whens: [WhenClause], otherwise: Expr?)
    case inList(Expr, [Expr], negated: Bool)
    case inSubquery(Expr, Select, negated: Bool)
    case exists(Select)
    case subquery(Select)
    case between(Expr, Expr, Expr, negated: Bool)
    case like(Expr, Expr, negated: Bool)
    case regexp(Expr, Expr, negated: Bool)
    case isNull(Expr, negated: Bool)
    case isBoolean(Expr, Bool, negated: Bool)
    case interval(Expr, unit: String)
}
