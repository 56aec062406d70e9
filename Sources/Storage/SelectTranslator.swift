import Expressions
import SQLParser

/// Translates a parsed SELECT into SQLite SQL over materialized relations, resolving names against
/// the FROM clause and inferring each result column's StarRocks type. The SQL text is produced from
/// the AST only; user text never reaches SQLite unparsed.
struct SelectTranslator {
    struct Translated {
        var sql: String
        var columns: [ResultColumn]
    }

    /// A FROM-clause entry visible to column references.
    struct ScopeEntry {
        var alias: String
        var schema: String
        var table: String
        var columns: [Relation.Column]
        var isBase: Bool
    }

    final class Scope {
        var entries: [ScopeEntry] = []
        var aliases: [String: SQLType?] = [:]     // select-list aliases, usable in GROUP BY / HAVING / ORDER BY
        let parent: Scope?
        init(parent: Scope?) { self.parent = parent }
    }

    let provider: any RelationProvider
    /// Relations used by the query, by SQLite table name, to be created before running it.
    private(set) var relations: [String: Relation] = [:]
    private var relationNames: [QualifiedName: String] = [:]

    init(provider: any RelationProvider) { self.provider = provider }

    mutating func translate(_ select: Select, parent: Scope? = nil) throws(QueryError) -> Translated {
        var first = try translateCore(select, parent: parent)
        for part in select.unions {
            let next = try translateCore(part.select, parent: parent)
            guard next.columns.count == first.columns.count else {
                throw .execution("Operands have different quantity of columns in union")
            }
            first.sql += (part.all ? " UNION ALL " : " UNION ") + next.sql
        }
        if !select.unions.isEmpty, !select.orderBy.isEmpty || select.limit != nil {
            // ORDER BY / LIMIT of a union apply to the whole: wrap it.
            let scope = Scope(parent: parent)
            scope.entries = [ScopeEntry(alias: "__u", schema: "", table: "__u",
                                        columns: first.columns.map { Relation.Column($0.name, $0.type) }, isBase: false)]
            var sql = "SELECT * FROM (\(first.sql)) AS \"__u\""
            sql += try orderAndLimit(select, scope: scope)
            first.sql = sql
        }
        return first
    }

    private mutating func translateCore(_ select: Select, parent: Scope?) throws(QueryError) -> Translated {
        let scope = Scope(parent: parent)
        var fromSQL: [String] = []
        for ref in select.from { fromSQL.append(try translateTableReference(ref, scope: scope)) }

        var items: [String] = []
        var columns: [ResultColumn] = []
        for item in select.items {
            if case .star(let qualifier) = item.expr {
                let entries = scope.entries.filter { qualifier == nil || $0.alias.equalsIgnoringCase(qualifier!) }
                if entries.isEmpty { throw qualifier.map { .unknownTable($0) } ?? .execution("No tables used") }
                for e in entries {
                    for c in e.columns {
                        items.append("\(quote(e.alias)).\(quote(c.name))")
                        columns.append(ResultColumn(name: c.name, type: c.type, nullable: c.nullable,
                                                    origin: e.isBase ? ColumnOrigin(schema: e.schema, table: e.alias, orgTable: e.table, orgName: c.name) : nil))
                    }
                }
                continue
            }
            let (sql, type) = try expression(item.expr, scope: scope, allowAliases: false)
            var name = item.alias ?? item.text
            var origin: ColumnOrigin?
            var nullable = true
            if item.alias == nil, case .column(let q) = item.expr { name = q.name }
            if case .column(let q) = item.expr, let (entry, column) = try? resolve(q, in: scope), entry.isBase {
                origin = ColumnOrigin(schema: entry.schema, table: entry.alias, orgTable: entry.table, orgName: column.name)
                nullable = column.nullable
            }
            items.append("\(sql) AS \(quote(name))")
            columns.append(ResultColumn(name: name, type: type ?? .null, nullable: nullable, origin: origin))
            if let alias = item.alias { scope.aliases[alias.lowercased()] = type }
        }

        var sql = "SELECT " + (select.distinct ? "DISTINCT " : "") + items.joined(separator: ", ")
        if !fromSQL.isEmpty { sql += " FROM " + fromSQL.joined(separator: ", ") }
        if let w = select.whereClause { sql += " WHERE " + (try expression(w, scope: scope, allowAliases: false)).0 }
        if !select.groupBy.isEmpty {
            sql += " GROUP BY " + (try select.groupBy.map { (e) throws(QueryError) in try expression(e, scope: scope, allowAliases: true).0 }).joined(separator: ", ")
        }
        if let h = select.having { sql += " HAVING " + (try expression(h, scope: scope, allowAliases: true)).0 }
        if select.unions.isEmpty { sql += try orderAndLimit(select, scope: scope) }
        return Translated(sql: sql, columns: columns)
    }

    private mutating func orderAndLimit(_ select: Select, scope: Scope) throws(QueryError) -> String {
        var sql = ""
        if !select.orderBy.isEmpty {
            var parts: [String] = []
            for o in select.orderBy {
                let e: String
                if case .literal(.integer(let n)) = o.expr { e = n } else { e = try expression(o.expr, scope: scope, allowAliases: true).0 }
                parts.append(e + (o.ascending ? " ASC" : " DESC"))
            }
            sql += " ORDER BY " + parts.joined(separator: ", ")
        }
        if let limit = select.limit {
            sql += " LIMIT " + (try expression(limit.count, scope: scope, allowAliases: false)).0
            if let off = limit.offset { sql += " OFFSET " + (try expression(off, scope: scope, allowAliases: false)).0 }
        }
        return sql
    }

    // MARK: - FROM

    private mutating func translateTableReference(_ ref: TableReference, scope: Scope) throws(QueryError) -> String {
        switch ref {
        case .table(let name, let alias):
            let relation = try provider.relation(name)
            let shownAlias = alias ?? name.name
            scope.entries.append(ScopeEntry(alias: shownAlias, schema: relation.schema, table: relation.name,
                                            columns: relation.columns, isBase: true))
            if let cached = relation.cacheTable { return "cache.\(quote(cached)) AS \(quote(shownAlias))" }
            let key = QualifiedName([relation.schema.lowercased(), relation.name.lowercased()])
            let sqliteName: String
            if let existing = relationNames[key] { sqliteName = existing } else {
                sqliteName = "r\(relationNames.count)"
                relationNames[key] = sqliteName
                relations[sqliteName] = relation
            }
            return "\(quote(sqliteName)) AS \(quote(shownAlias))"
        case .subquery(let select, let alias):
            let inner = try translate(select, parent: scope.parent)
            scope.entries.append(ScopeEntry(alias: alias, schema: "", table: alias,
                                            columns: inner.columns.map { Relation.Column($0.name, $0.type, nullable: $0.nullable) }, isBase: false))
            return "(\(inner.sql)) AS \(quote(alias))"
        case .join(let l, let kind, let r, let on, let using):
            let left = try translateTableReference(l, scope: scope)
            let right = try translateTableReference(r, scope: scope)
            var sql = "\(left) \(kind == .cross ? "CROSS" : kind.rawValue) JOIN \(right)"
            if let on { sql += " ON " + (try expression(on, scope: scope, allowAliases: false)).0 }
            if !using.isEmpty { sql += " USING (" + using.map(quote).joined(separator: ", ") + ")" }
            return sql
        }
    }

    // MARK: - Names

    private func resolve(_ name: QualifiedName, in scope: Scope) throws(QueryError) -> (ScopeEntry, Relation.Column)? {
        var s: Scope? = scope
        while let current = s {
            var found: [(ScopeEntry, Relation.Column)] = []
            for entry in current.entries {
                if name.parts.count >= 2 {
                    guard entry.alias.equalsIgnoringCase(name.parts[name.parts.count - 2]) else { continue }
                    if name.parts.count >= 3, !entry.schema.equalsIgnoringCase(name.parts[name.parts.count - 3]) { continue }
                }
                if let c = entry.columns.first(where: { $0.name.equalsIgnoringCase(name.name) }) { found.append((entry, c)) }
            }
            if found.count > 1 { throw .ambiguousColumn(name.name) }
            if let f = found.first { return f }
            s = current.parent
        }
        return nil
    }

    // MARK: - Expressions

    /// SQLite text and static type (nil when only the data can tell) of an expression. A thin dispatcher: each kind
    /// of node is translated by a function of its own, so the frame of this function, which recursion repeats once per
    /// tree level, stays small in every build.
    mutating func expression(_ expr: Expr, scope: Scope, allowAliases: Bool) throws(QueryError) -> (String, SQLType?) {
        switch expr {
        case .literal(let lit): return Self.literal(lit)
        case .column(let name): return try column(name, scope: scope, allowAliases: allowAliases)
        case .star: throw .unsupported("'*' is not allowed here")
        case .systemVariable(_, let n): throw .execution("Unknown system variable '\(n)'")
        case .userVariable: return ("NULL", .varchar(SQLType.stringLength))
        case .parameter: throw .unsupported("parameter markers outside prepared statements")
        case .unary(let op, let e): return try unary(op, e, scope: scope, allowAliases: allowAliases)
        case .binary(let op, let l, let r): return try binary(op, l, r, scope: scope, allowAliases: allowAliases)
        case .function(let name, let args, let distinct):
            return Self.exactNumeric(try function(name, args, distinct: distinct, scope: scope, allowAliases: allowAliases))
        case .cast(let e, let type): return try cast(e, type, scope: scope, allowAliases: allowAliases)
        case .caseWhen(let operand, let whens, let otherwise):
            return Self.exactNumeric(try caseWhen(operand, whens, otherwise, scope: scope, allowAliases: allowAliases))
        case .inList, .between, .like, .regexp, .isNull, .isBoolean:
            return (try predicate(expr, scope: scope, allowAliases: allowAliases), .boolean)
        case .inSubquery, .exists, .subquery: return try subquery(expr, scope: scope, allowAliases: allowAliases)
        case .interval: throw .unsupported("INTERVAL expressions")
        }
    }

    /// A function or CASE whose value is DECIMAL or LARGEINT (IFNULL(price, 0), MAX(price), CASE … THEN price) passes on
    /// the column's exact text but not its affinity and collation, and SQLite orders any text after every number: the
    /// value is given TEXT affinity and the numeric collation again, so `MAX(price) > 100` compares numbers.
    private static func exactNumeric(_ translated: (String, SQLType?)) -> (String, SQLType?) {
        switch translated.1 {
        case .decimal?, .largeint?: return ("CAST(\(translated.0) AS TEXT) COLLATE \(NumericCollation.name)", translated.1)
        default: return translated
        }
    }

    private mutating func column(_ name: QualifiedName, scope: Scope, allowAliases: Bool) throws(QueryError) -> (String, SQLType?) {
        if let (entry, column) = try resolve(name, in: scope) {
            return ("\(quote(entry.alias)).\(quote(column.name))", column.type)
        }
        if allowAliases, name.parts.count == 1, let t = findAlias(name.name, scope) { return (quote(name.name), t) }
        throw .unknownColumn(name.parts.joined(separator: "."), clause: allowAliases ? "order clause" : "field list")
    }

    private mutating func unary(_ op: UnaryOperator, _ e: Expr, scope: Scope, allowAliases: Bool) throws(QueryError) -> (String, SQLType?) {
        let (s, t) = try expression(e, scope: scope, allowAliases: allowAliases)
        switch op {
        case .not: return ("(NOT \(s))", .boolean)
        case .minus: return ("(- \(s))", t)
        case .plus: return (s, t)
        case .bitNot: return ("(~\(s))", .bigint)
        }
    }

    private mutating func cast(_ e: Expr, _ type: SQLType, scope: Scope, allowAliases: Bool) throws(QueryError) -> (String, SQLType?) {
        let (s, _) = try expression(e, scope: scope, allowAliases: allowAliases)
        return ("CAST(\(s) AS \(Self.affinity(type)))", type)
    }

    private mutating func caseWhen(_ operand: Expr?, _ whens: [WhenClause], _ otherwise: Expr?, scope: Scope,
                                   allowAliases: Bool) throws(QueryError) -> (String, SQLType?) {
        var sql = "CASE"
        if let operand { sql += " " + (try expression(operand, scope: scope, allowAliases: allowAliases)).0 }
        var type: SQLType?
        for w in whens {
            let c = try expression(w.condition, scope: scope, allowAliases: allowAliases).0
            let (r, t) = try expression(w.result, scope: scope, allowAliases: allowAliases)
            if type == nil || type == .null { type = t }
            sql += " WHEN \(c) THEN \(r)"
        }
        if let otherwise {
            let (o, t) = try expression(otherwise, scope: scope, allowAliases: allowAliases)
            if type == nil || type == .null { type = t }
            sql += " ELSE \(o)"
        }
        return (sql + " END", type)
    }

    /// IN lists, BETWEEN, LIKE, REGEXP and IS tests: boolean, parenthesized.
    private mutating func predicate(_ expr: Expr, scope: Scope, allowAliases: Bool) throws(QueryError) -> String {
        func sql(_ e: Expr) throws(QueryError) -> String { try expression(e, scope: scope, allowAliases: allowAliases).0 }
        switch expr {
        case .inList(let e, let items, let negated):
            let s = try sql(e)
            var list: [String] = []
            list.reserveCapacity(items.count)
            for i in items { list.append(try sql(i)) }
            return "(\(s)\(negated ? " NOT" : "") IN (\(list.joined(separator: ", "))))"
        case .between(let e, let lo, let hi, let negated):
            return "(\(try sql(e))\(negated ? " NOT" : "") BETWEEN \(try sql(lo)) AND \(try sql(hi)))"
        case .like(let e, let p, let negated):
            return "(\(try sql(e))\(negated ? " NOT" : "") LIKE \(try sql(p)) ESCAPE '\\')"
        case .regexp(let e, let p, let negated):
            let a = try sql(e)
            return "(\(negated ? "NOT " : "")regexp(\(try sql(p)), \(a)))"
        case .isNull(let e, let negated):
            return "(\(try sql(e)) IS \(negated ? "NOT " : "")NULL)"
        case .isBoolean(let e, let b, let negated):
            return "((\(try sql(e)) <> 0) IS \(negated ? "NOT " : "")\(b ? "TRUE" : "FALSE"))"
        default:
            preconditionFailure("predicate(_:) called with \(expr)")
        }
    }

    private mutating func subquery(_ expr: Expr, scope: Scope, allowAliases: Bool) throws(QueryError) -> (String, SQLType?) {
        switch expr {
        case .inSubquery(let e, let select, let negated):
            let s = try expression(e, scope: scope, allowAliases: allowAliases).0
            let sub = try translate(select, parent: scope)
            return ("(\(s)\(negated ? " NOT" : "") IN (\(sub.sql)))", .boolean)
        case .exists(let select):
            return ("EXISTS (\(try translate(select, parent: scope).sql))", .boolean)
        case .subquery(let select):
            let sub = try translate(select, parent: scope)
            return ("(\(sub.sql))", sub.columns.first?.type)
        default:
            preconditionFailure("subquery(_:scope:allowAliases:) called with \(expr)")
        }
    }

    private func findAlias(_ name: String, _ scope: Scope) -> SQLType?? {
        scope.aliases[name.lowercased()]
    }

    /// The type the translator gives a literal (nil where only the data can tell).
    static func literalType(_ lit: Literal) -> SQLType? { literal(lit).1 }

    /// SQLite text and type of a literal.
    static func literal(_ lit: Literal) -> (String, SQLType?) {
        switch lit {
        case .null: return ("NULL", .null)
        case .boolean(let b): return (b ? "1" : "0", .boolean)
        case .integer(let s):
            if Int64(s) != nil { return (s, .bigint) }
            return ("'\(s)'", .largeint)
        case .decimal(let s):
            let digits = s.filter(\.isNumber)
            let parts = s.split(separator: ".", omittingEmptySubsequences: false)
            let scale = parts.count == 2 ? parts[1].filter(\.isNumber).count : 0
            let type = SQLType.decimal(precision: max(1, min(38, digits.count)), scale: min(scale, 38))
            // Whole numbers beyond Int64 travel as text so SQLite's REAL cannot round them.
            return (scale == 0 ? Self.quoteString(s) : s, type)
        case .float(let s): return (s, .double)
        case .string(let s): return (Self.quoteString(s), .varchar(max(1, s.utf8.count)))
        }
    }

    private mutating func binary(_ op: BinaryOperator, _ l: Expr, _ r: Expr, scope: Scope, allowAliases: Bool) throws(QueryError) -> (String, SQLType?) {
        let (sql, type) = try infix(op, l, r, scope: scope, allowAliases: allowAliases)
        return Self.infixLevel(op) == nil ? (sql, type) : ("(\(sql))", type)
    }

    /// SQLite's precedence level of an operator written infix (higher binds tighter), nil for the forms written as
    /// functions. SQLite's binary operators are all left-associative.
    private static func infixLevel(_ op: BinaryOperator) -> Int? {
        switch op {
        case .or, .concat: return 1
        case .and: return 2
        case .equal, .notEqual, .nullSafeEqual: return 4
        case .less, .lessOrEqual, .greater, .greaterOrEqual: return 5
        case .bitOr, .bitAnd, .shiftLeft, .shiftRight: return 7
        case .plus, .minus: return 8
        case .multiply, .divide, .modulo: return 9
        case .xor, .bitXor, .intDivide: return nil
        }
    }

    /// An infix operation without outer parentheses. The left operand of a left-deep chain at the same SQLite level
    /// (`a + b - c`, `x AND y AND z`) is written without parentheses too, so a chain of any length stays flat for
    /// SQLite's parser, whose stack holds about a hundred open parentheses.
    private mutating func infix(_ op: BinaryOperator, _ l: Expr, _ r: Expr, scope: Scope, allowAliases: Bool) throws(QueryError) -> (String, SQLType?) {
        let a: String, ta: SQLType?
        if case .binary(let lop, let ll, let lr) = l, let level = Self.infixLevel(lop), level == Self.infixLevel(op) {
            (a, ta) = try infix(lop, ll, lr, scope: scope, allowAliases: allowAliases)
        } else {
            (a, ta) = try expression(l, scope: scope, allowAliases: allowAliases)
        }
        let (b, tb) = try expression(r, scope: scope, allowAliases: allowAliases)
        switch op {
        case .and: return ("\(a) AND \(b)", .boolean)
        case .or, .concat: return ("\(a) OR \(b)", .boolean)
        case .xor: return ("tr_xor(\(a), \(b))", .boolean)
        case .equal, .notEqual, .less, .lessOrEqual, .greater, .greaterOrEqual:
            return ("\(a) \(op.rawValue) \(b)", .boolean)
        case .nullSafeEqual: return ("\(a) IS \(b)", .boolean)
        case .plus, .minus, .multiply:
            return ("\(a) \(op.rawValue) \(b)", Self.arithmeticType(ta, tb))
        case .divide: return ("\(a) * 1.0 / \(b)", .double)        // MySQL's `/` never divides integers
        case .intDivide: return ("CAST(\(a) / \(b) AS INTEGER)", .bigint)
        case .modulo: return ("\(a) % \(b)", Self.arithmeticType(ta, tb))
        case .bitOr, .bitAnd, .shiftLeft, .shiftRight: return ("\(a) \(op.rawValue) \(b)", .bigint)
        case .bitXor: return ("tr_bitxor(\(a), \(b))", .bigint)
        }
    }

    static func arithmeticType(_ a: SQLType?, _ b: SQLType?) -> SQLType? {
        guard let a, let b else { return nil }
        if a == .double || b == .double || a == .float || b == .float { return .double }
        if case .decimal = a { return .double }
        if case .decimal = b { return .double }
        if a.isInteger && b.isInteger { return .bigint }
        return .double
    }

    private mutating func function(_ name: String, _ args: [Expr], distinct: Bool, scope: Scope, allowAliases: Bool) throws(QueryError) -> (String, SQLType?) {
        let upper = name.uppercased()
        if upper == "COUNT", args == [.star(qualifier: nil)] { return ("COUNT(*)", .bigint) }
        var sqls: [String] = []
        var types: [SQLType?] = []
        for a in args {
            let (s, t) = try expression(a, scope: scope, allowAliases: allowAliases)
            sqls.append(s); types.append(t)
        }
        let d = distinct ? "DISTINCT " : ""
        func call(_ f: String, _ t: SQLType?) -> (String, SQLType?) { ("\(f)(\(d)\(sqls.joined(separator: ", ")))", t) }
        func arity(_ n: ClosedRange<Int>) throws(QueryError) {
            guard n.contains(args.count) else { throw .unknownFunction("\(name)(\(args.count) arguments)") }
        }
        switch upper {
        case "COUNT": try arity(1...1); return call("COUNT", .bigint)
        case "SUM":
            try arity(1...1)
            return call("SUM", types[0].map { $0.isInteger || $0 == .boolean ? .bigint : .double } ?? nil)
        case "AVG": try arity(1...1); return call("AVG", .double)
        case "MIN", "MAX": try arity(1...1); return call(upper, types[0])
        case "GROUP_CONCAT":
            try arity(1...2)
            return ("GROUP_CONCAT(\(d)\(sqls[0]), \(sqls.count > 1 ? sqls[1] : "','"))", .varchar(SQLType.stringLength))
        case "CONCAT":
            try arity(1...255)
            return ("(" + sqls.map { "CAST(\($0) AS TEXT)" }.joined(separator: " || ") + ")", .varchar(SQLType.stringLength))
        case "CONCAT_WS":
            try arity(2...255)
            return ("concat_ws(\(sqls.joined(separator: ", ")))", .varchar(SQLType.stringLength))
        case "UPPER", "UCASE": try arity(1...1); return call("UPPER", types[0])
        case "LOWER", "LCASE": try arity(1...1); return call("LOWER", types[0])
        case "LENGTH", "OCTET_LENGTH": try arity(1...1); return ("length(CAST(\(sqls[0]) AS BLOB))", .bigint)
        case "CHAR_LENGTH", "CHARACTER_LENGTH": try arity(1...1); return call("length", .bigint)
        case "SUBSTR", "SUBSTRING": try arity(2...3); return call("substr", types[0])
        case "LEFT": try arity(2...2); return ("substr(\(sqls[0]), 1, \(sqls[1]))", types[0])
        case "TRIM", "LTRIM", "RTRIM", "REPLACE": return call(upper, types.first ?? nil)
        case "IFNULL", "NVL": try arity(2...2); return call("IFNULL", types[0] == .null ? types[1] : types[0])
        case "COALESCE": try arity(1...255); return call("COALESCE", types.first(where: { $0 != nil && $0 != .null }) ?? nil)
        case "NULLIF": try arity(2...2); return call("NULLIF", types[0])
        case "IF":
            try arity(3...3)
            return ("(CASE WHEN \(sqls[0]) THEN \(sqls[1]) ELSE \(sqls[2]) END)", types[1] == .null ? types[2] : types[1])
        case "ABS": try arity(1...1); return call("ABS", types[0])
        case "ROUND": try arity(1...2); return call("ROUND", args.count == 1 ? .bigint : .double)
        case "FLOOR", "CEIL", "CEILING": try arity(1...1); return ("CAST(\(upper == "FLOOR" ? "floor" : "ceil")(\(sqls[0])) AS INTEGER)", .bigint)
        case "NOW", "CURRENT_TIMESTAMP", "LOCALTIME", "LOCALTIMESTAMP", "SYSDATE":
            return ("strftime('%Y-%m-%d %H:%M:%S', 'now', 'localtime')", .datetime)
        case "UTC_TIMESTAMP": return ("strftime('%Y-%m-%d %H:%M:%S', 'now')", .datetime)
        case "CURDATE", "CURRENT_DATE": return ("strftime('%Y-%m-%d', 'now', 'localtime')", .date)
        case "CURTIME", "CURRENT_TIME": return ("time('now', 'localtime')", .time)
        case "UNIX_TIMESTAMP" where args.isEmpty: return ("CAST(strftime('%s', 'now') AS INTEGER)", .bigint)
        default:
            if let f = FunctionLibrary.function(named: name), f.arity.contains(args.count) {
                return ("\(f.sqliteName)(\(sqls.joined(separator: ", ")))", f.returnType(types))
            }
            throw .unknownFunction("\(name)(\(types.map { $0?.describeName ?? "unknown" }.joined(separator: ", ")))")
        }
    }

    // MARK: - Quoting

    func quote(_ identifier: String) -> String { "\"" + identifier.replacingAll("\"", with: "\"\"") + "\"" }
    static func quoteString(_ s: String) -> String { "'" + s.replacingAll("'", with: "''") + "'" }

    /// How a column of `type` is declared in the cache, in segments and in materialized relations: DECIMAL and
    /// LARGEINT as exact decimal text ordered by ``NumericCollation``, the others by their affinity.
    static func columnDeclaration(_ type: SQLType) -> String {
        switch type {
        case .decimal, .largeint: return "TEXT COLLATE \(NumericCollation.name)"
        default: return affinity(type)
        }
    }

    /// SQLite column affinity for a type (also the target of CAST, where numbers are SQLite's).
    static func affinity(_ type: SQLType) -> String {
        switch type {
        case .boolean, .tinyint, .smallint, .int, .bigint: return "INTEGER"
        case .float, .double: return "REAL"
        case .decimal, .largeint: return "NUMERIC"
        default: return "TEXT"
        }
    }
}

extension String {
    func equalsIgnoringCase(_ other: String) -> Bool { lowercased() == other.lowercased() }
    func replacingAll(_ target: Character, with replacement: String) -> String {
        var out = ""
        out.reserveCapacity(count)
        for c in self { if c == target { out += replacement } else { out.append(c) } }
        return out
    }
}
