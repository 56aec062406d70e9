/// Expressions by precedence climbing (one recursion per nesting level, so depth stays shallow).
/// Precedence, low to high: OR/|| · XOR · AND/&& · NOT · comparison, IS, LIKE, IN, BETWEEN ·
/// | · & · << >> · + - · * / DIV % MOD · ^ · unary - ~ ! · primary.
extension Parser {
    private enum Level: Int { case or = 1, xor, and, not, comparison, bitOr, bitAnd, shift, additive, multiplicative, bitXor }

    mutating func parseExpr() throws(ParseError) -> Expr {
        try enter()
        defer { leave() }
        return try parseBinary(Level.or.rawValue)
    }

    private func binaryOperator() -> (BinaryOperator, Int)? {
        switch current.kind {
        case .symbol(let s):
            switch s {
            case "||": return (.or, Level.or.rawValue)
            case "&&": return (.and, Level.and.rawValue)
            case "=": return (.equal, Level.comparison.rawValue)
            case "<=>": return (.nullSafeEqual, Level.comparison.rawValue)
            case "<>", "!=": return (.notEqual, Level.comparison.rawValue)
            case "<": return (.less, Level.comparison.rawValue)
            case "<=": return (.lessOrEqual, Level.comparison.rawValue)
            case ">": return (.greater, Level.comparison.rawValue)
            case ">=": return (.greaterOrEqual, Level.comparison.rawValue)
            case "|": return (.bitOr, Level.bitOr.rawValue)
            case "&": return (.bitAnd, Level.bitAnd.rawValue)
            case "<<": return (.shiftLeft, Level.shift.rawValue)
            case ">>": return (.shiftRight, Level.shift.rawValue)
            case "+": return (.plus, Level.additive.rawValue)
            case "-": return (.minus, Level.additive.rawValue)
            case "*": return (.multiply, Level.multiplicative.rawValue)
            case "/": return (.divide, Level.multiplicative.rawValue)
            case "%": return (.modulo, Level.multiplicative.rawValue)
            case "^": return (.bitXor, Level.bitXor.rawValue)
            default: return nil
            }
        case .word(let w):
            switch w.uppercased() {
            case "OR": return (.or, Level.or.rawValue)
            case "XOR": return (.xor, Level.xor.rawValue)
            case "AND": return (.and, Level.and.rawValue)
            case "DIV": return (.intDivide, Level.multiplicative.rawValue)
            case "MOD": return (.modulo, Level.multiplicative.rawValue)
            default: return nil
            }
        default: return nil
        }
    }

    /// One operand, then operators of at least `minLevel` in a loop: `a + b + c` becomes `(a + b) + c` without
    /// recursion, and the tree's depth is counted one level per operator (``chainReached(_:)``).
    private mutating func parseBinary(_ minLevel: Int) throws(ParseError) -> Expr {
        var left: Expr
        var mark = startMeasure()
        if peekKeyword("NOT"), minLevel <= Level.not.rawValue {
            advance()
            try enter()
            defer { leave() }
            left = .unary(.not, try parseBinary(Level.not.rawValue))
        } else {
            left = try parseUnary()
        }
        var levels = measured(since: mark)
        while true {
            mark = startMeasure()
            if minLevel <= Level.comparison.rawValue, let predicate = try parsePredicateSuffix(left) {
                levels = max(levels, measured(since: mark)) + 1
                try chainReached(levels)
                left = predicate
                continue
            }
            guard let (op, level) = binaryOperator(), level >= minLevel else {
                _ = measured(since: mark)
                return left
            }
            advance()
            if level == Level.comparison.rawValue, peekKeyword("ANY") || peekKeyword("ALL") || peekKeyword("SOME") {
                throw unexpected(["an expression"])
            }
            let right = try parseBinary(level + 1)
            levels = max(levels, measured(since: mark)) + 1
            try chainReached(levels)
            left = .binary(op, left, right)
        }
    }

    /// IS [NOT] NULL|TRUE|FALSE, [NOT] LIKE / REGEXP / IN / BETWEEN after an operand.
    private mutating func parsePredicateSuffix(_ left: Expr) throws(ParseError) -> Expr? {
        if acceptKeyword("IS") {
            let negated = acceptKeyword("NOT")
            if acceptKeyword("NULL") { return .isNull(left, negated: negated) }
            if acceptKeyword("TRUE") { return .isBoolean(left, true, negated: negated) }
            if acceptKeyword("FALSE") { return .isBoolean(left, false, negated: negated) }
            throw unexpected(["'NULL'", "'TRUE'", "'FALSE'"])
        }
        let save = index
        let negated = acceptKeyword("NOT")
        if acceptKeyword("LIKE") {
            return .like(left, try parseBinary(Level.bitOr.rawValue), negated: negated)
        }
        if acceptKeyword("REGEXP") || acceptKeyword("RLIKE") {
            return .regexp(left, try parseBinary(Level.bitOr.rawValue), negated: negated)
        }
        if acceptKeyword("BETWEEN") {
            let low = try parseBinary(Level.bitOr.rawValue)
            try expectKeyword("AND")
            let high = try parseBinary(Level.bitOr.rawValue)
            return .between(left, low, high, negated: negated)
        }
        if acceptKeyword("IN") {
            try expectSymbol("(")
            if peekKeyword("SELECT") {
                let sub = try parseSelect()
                try expectSymbol(")")
                return .inSubquery(left, sub, negated: negated)
            }
            var items = [try parseExpr()]
            while acceptSymbol(",") {
                items.append(try parseExpr())
                try checkChildren(items.count)
            }
            try expectSymbol(")")
            return .inList(left, items, negated: negated)
        }
        index = save
        return nil
    }

    private mutating func parseUnary() throws(ParseError) -> Expr {
        if acceptSymbol("-") {
            try enter(); defer { leave() }
            let operand = try parseUnary()
            func negated(_ s: String) -> String { s.hasPrefix("-") ? String(s.dropFirst()) : "-" + s }
            if case .literal(.integer(let s)) = operand { return .literal(.integer(negated(s))) }
            if case .literal(.decimal(let s)) = operand { return .literal(.decimal(negated(s))) }
            if case .literal(.float(let s)) = operand { return .literal(.float(negated(s))) }
            return .unary(.minus, operand)
        }
        if acceptSymbol("+") { try enter(); defer { leave() }; return try parseUnary() }
        if acceptSymbol("~") { try enter(); defer { leave() }; return .unary(.bitNot, try parseUnary()) }
        if acceptSymbol("!") { try enter(); defer { leave() }; return .unary(.not, try parseUnary()) }
        return try parsePrimary()
    }

    private mutating func parsePrimary() throws(ParseError) -> Expr {
        let token = current
        switch token.kind {
        case .string(var s):
            advance()
            while case .string(let more) = current.kind { s += more; advance() }   // 'a' 'b' is 'ab'
            return .literal(.string(s))
        case .integer(let s): advance(); return .literal(.integer(s))
        case .decimal(let s): advance(); return .literal(.decimal(s))
        case .float(let s): advance(); return .literal(.float(s))
        case .systemVariable(let scope, let name): advance(); return .systemVariable(scope, name)
        case .userVariable(let name): advance(); return .userVariable(name)
        case .placeholder:
            advance()
            defer { parameterCount += 1 }
            return .parameter(parameterCount)
        case .symbol("("):
            advance()
            try enter(); defer { leave() }
            if peekKeyword("SELECT") {
                let sub = try parseSelect()
                try expectSymbol(")")
                return .subquery(sub)
            }
            let e = try parseExpr()
            try expectSymbol(")")
            return e
        case .symbol("["):
            return .literal(.string(try parseArrayLiteral()))
        case .symbol("*"):
            advance()
            return .star(qualifier: nil)
        case .quotedIdentifier:
            return try parseColumnReference()
        case .word(let w):
            return try parseWordExpression(w.uppercased())
        default:
            throw unexpected(["an expression"])
        }
    }

    /// `[1, 'a', NULL, [2, 3]]`, StarRocks' array literal, as the JSON text an ARRAY column stores and shows; a column
    /// converts each element to its element type when the value is stored. Elements are constants.
    private mutating func parseArrayLiteral() throws(ParseError) -> String {
        try expectSymbol("[")
        try enter(); defer { leave() }
        var parts: [String] = []
        if acceptSymbol("]") { return "[]" }
        repeat {
            if peekSymbol("[") { parts.append(try parseArrayLiteral()); continue }
            let position = current.position
            guard let text = Self.jsonConstant(try parseExpr()) else {
                throw ParseError(position: position, message: "Array literal elements must be constants")
            }
            parts.append(text)
        } while acceptSymbol(",")
        try expectSymbol("]")
        return "[" + parts.joined(separator: ",") + "]"
    }

    /// A constant's JSON text: numbers in JSON's form, strings quoted, NULL as null; nil for anything else.
    static func jsonConstant(_ e: Expr) -> String? {
        switch e {
        case .literal(.null): return "null"
        case .literal(.boolean(let b)): return b ? "true" : "false"
        case .literal(.integer(let n)), .literal(.decimal(let n)), .literal(.float(let n)): return jsonNumber(n)
        case .literal(.string(let s)): return JSONString.quoted(s)
        case .unary(.minus, .literal(.integer(let n))), .unary(.minus, .literal(.decimal(let n))), .unary(.minus, .literal(.float(let n))):
            return jsonNumber(n).map { "-" + $0 }
        default: return nil
        }
    }

    /// A SQL number literal (`007`, `.5`, `1.`, `2e3`, `-4`) as JSON writes it (`7`, `0.5`, `1`, `2e3`, `-4`); nil for
    /// anything else.
    static func jsonNumber(_ text: String) -> String? {
        if text.hasPrefix("-") { return jsonNumber(String(text.dropFirst())).map { "-" + $0 } }
        let parts = text.split(separator: "e", maxSplits: 1, omittingEmptySubsequences: false).flatMap { $0.split(separator: "E", maxSplits: 1, omittingEmptySubsequences: false) }
        guard let mantissa = parts.first, parts.count <= 2 else { return nil }
        let halves = mantissa.split(separator: ".", maxSplits: 1, omittingEmptySubsequences: false)
        let whole = halves[0].drop { $0 == "0" }, fraction = halves.count > 1 ? halves[1] : ""
        guard whole.allSatisfy(\.isASCII), whole.allSatisfy(\.isNumber), fraction.allSatisfy(\.isASCII), fraction.allSatisfy(\.isNumber),
              !(halves[0].isEmpty && fraction.isEmpty) else { return nil }
        var out = whole.isEmpty ? "0" : String(whole)
        if !fraction.isEmpty { out += "." + fraction }
        if parts.count == 2 {
            let exponent = parts[1]
            let digits = exponent.first == "+" || exponent.first == "-" ? exponent.dropFirst() : exponent
            guard !digits.isEmpty, digits.allSatisfy(\.isASCII), digits.allSatisfy(\.isNumber) else { return nil }
            out += "e" + exponent
        }
        return out
    }

    private mutating func parseWordExpression(_ upper: String) throws(ParseError) -> Expr {
        switch upper {
        case "NULL": advance(); return .literal(.null)
        case "TRUE": advance(); return .literal(.boolean(true))
        case "FALSE": advance(); return .literal(.boolean(false))
        case "CASE": return try parseCase()
        case "CAST":
            advance()
            try expectSymbol("(")
            let e = try parseExpr()
            try expectKeyword("AS")
            let type = try parseCastType()
            try expectSymbol(")")
            return .cast(e, type)
        case "CONVERT" where nextToken.kind == .symbol("("):
            advance(); advance()
            let e = try parseExpr()
            if acceptKeyword("USING") {
                _ = try identifierOrString()
                try expectSymbol(")")
                return e
            }
            try expectSymbol(",")
            let type = try parseCastType()
            try expectSymbol(")")
            return .cast(e, type)
        case "EXISTS":
            advance()
            try expectSymbol("(")
            let sub = try parseSelect()
            try expectSymbol(")")
            return .exists(sub)
        case "INTERVAL":
            advance()
            let e = try parseBinary(Level.additive.rawValue)
            guard case .word(let unit) = current.kind else { throw unexpected(["a time unit"]) }
            advance()
            return .interval(e, unit: unit.uppercased())
        case "DATE", "DATETIME", "TIMESTAMP":
            if case .string(let s) = nextToken.kind {
                advance(); advance()
                return .cast(.literal(.string(s)), upper == "DATE" ? .date : .datetime)
            }
        case "CURRENT_TIMESTAMP", "CURRENT_DATE", "CURRENT_TIME", "CURRENT_USER", "LOCALTIME", "LOCALTIMESTAMP",
             "UTC_TIMESTAMP", "CURRENT_ROLE", "CURRENT_CATALOG":
            if nextToken.kind != .symbol("(") {
                advance()
                return .function(upper, [], distinct: false)
            }
        default: break
        }
        if nextToken.kind == .symbol("("), !["IN", "AND", "OR", "NOT", "IS", "LIKE"].contains(upper) {
            return try parseFunctionCall()
        }
        return try parseColumnReference()
    }

    private mutating func parseFunctionCall() throws(ParseError) -> Expr {
        guard case .word(let name) = current.kind else { throw unexpected(["a function name"]) }
        advance()
        try expectSymbol("(")
        try enter(); defer { leave() }
        if acceptSymbol(")") { return .function(name, [], distinct: false) }
        let distinct = acceptKeyword("DISTINCT")
        _ = acceptKeyword("ALL")
        var args: [Expr] = []
        if peekSymbol("*"), nextToken.kind == .symbol(")") {
            advance()
            args = [.star(qualifier: nil)]
        } else {
            args.append(try parseExpr())
            while acceptSymbol(",") {
                args.append(try parseExpr())
                try checkChildren(args.count)
            }
            // GROUP_CONCAT(x SEPARATOR ','), CONVERT(x USING utf8): keep the main argument.
            if acceptKeyword("SEPARATOR") { args.append(.literal(.string(try stringLiteral()))) }
            if acceptKeyword("USING") { _ = try identifier() }
        }
        try expectSymbol(")")
        return .function(name, args, distinct: distinct)
    }

    private mutating func parseColumnReference() throws(ParseError) -> Expr {
        var parts = [try identifier()]
        while peekSymbol(".") {
            advance()
            if acceptSymbol("*") { return .star(qualifier: parts.last) }
            parts.append(try identifier())
        }
        return .column(QualifiedName(parts))
    }

    private mutating func parseCase() throws(ParseError) -> Expr {
        try expectKeyword("CASE")
        let operand: Expr? = peekKeyword("WHEN") ? nil : try parseExpr()
        var whens: [WhenClause] = []
        while acceptKeyword("WHEN") {
            try checkChildren(whens.count + 1)
            let c = try parseExpr()
            try expectKeyword("THEN")
            whens.append(WhenClause(condition: c, result: try parseExpr()))
        }
        guard !whens.isEmpty else { throw unexpected(["'WHEN'"]) }
        let otherwise: Expr? = acceptKeyword("ELSE") ? try parseExpr() : nil
        try expectKeyword("END")
        return .caseWhen(operand: operand, whens: whens, otherwise: otherwise)
    }

    /// Types allowed after CAST(... AS: the column types plus MySQL's SIGNED/UNSIGNED [INTEGER].
    private mutating func parseCastType() throws(ParseError) -> SQLType {
        if acceptKeyword("SIGNED") || acceptKeyword("UNSIGNED") { _ = acceptKeyword("INTEGER") || acceptKeyword("INT"); return .bigint }
        return try parseType()
    }
}
