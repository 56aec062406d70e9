/// One item of a select list. `text` is the item as written, which names the result column when
/// there is no alias (MySQL behaviour: `SELECT DATABASE()` returns a column named `DATABASE()`).
public struct SelectItem: Equatable, Hashable, Sendable {
    public var expr: Expr
    public var alias: String?
    public var text: String
    public init(expr: Expr, alias: String?, text: String) { self.expr = expr; self.alias = alias; self.text = text }
}

public enum JoinKind: String, Equatable, Hashable, Sendable { case inner = "INNER", left = "LEFT", right = "RIGHT", cross = "CROSS", full = "FULL" }

/// A FROM-clause item.
public indirect enum TableReference: Equatable, Hashable, Sendable {
    case table(QualifiedName, alias: String?)
    case subquery(Select, alias: String)
    case join(TableReference, JoinKind, TableReference, on: Expr?, using: [String])
}

public struct OrderItem: Equatable, Hashable, Sendable {
    public var expr: Expr
    public var ascending: Bool
    public init(expr: Expr, ascending: Bool) { self.expr = expr; self.ascending = ascending }
}

public struct Limit: Equatable, Hashable, Sendable {
    public var count: Expr
    public var offset: Expr?
    public init(count: Expr, offset: Expr?) { self.count = count; self.offset = offset }
}

public struct Select: Equatable, Hashable, Sendable {
    public var distinct = false
    public var items: [SelectItem] = []
    public var from: [TableReference] = []
    public var whereClause: Expr?
    public var groupBy: [Expr] = []
    public var having: Expr?
    public var orderBy: [OrderItem] = []
    public var limit: Limit?
    /// `UNION [ALL] <select>` parts chained after this one.
    public var unions: [UnionPart] = []

    public init() {}
}

public struct UnionPart: Equatable, Hashable, Sendable {
    public var all: Bool
    public var select: Select
    public init(all: Bool, select: Select) { self.all = all; self.select = select }
}
