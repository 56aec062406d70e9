/// Column types: StarRocks' scalar types with their aliases, and ARRAY / MAP / STRUCT.
extension Parser {
    mutating func parseType() throws(ParseError) -> SQLType {
        guard case .word(let w) = current.kind else { throw unexpected(["a type"]) }
        let upper = w.uppercased()
        let start = current.position
        advance()
        switch upper {
        case "BOOLEAN", "BOOL": return .boolean
        case "TINYINT": try skipDisplayWidth(); return .tinyint
        case "SMALLINT": try skipDisplayWidth(); return .smallint
        case "INT", "INTEGER": try skipDisplayWidth(); return .int
        case "BIGINT": try skipDisplayWidth(); return .bigint
        case "LARGEINT": try skipDisplayWidth(); return .largeint
        case "FLOAT": return .float
        case "DOUBLE": _ = acceptKeyword("PRECISION"); return .double
        case "DECIMAL", "DECIMALV2", "DECIMAL32", "DECIMAL64", "DECIMAL128", "NUMERIC", "NUMBER":
            var p = 10, s = 0
            if acceptSymbol("(") {
                p = Int(try integerLiteral())
                if acceptSymbol(",") { s = Int(try integerLiteral()) }
                try expectSymbol(")")
            }
            guard (1...38).contains(p) else {
                throw ParseError(position: start, message: "DECIMAL's precision should range from 1 to 38")
            }
            guard (0...p).contains(s) else {
                throw ParseError(position: start, message: "DECIMAL's scale must be between 0 and its precision \(p)")
            }
            return .decimal(precision: p, scale: s)
        case "DATE": return .date
        case "DATETIME", "TIMESTAMP": return .datetime
        case "TIME": return .time
        case "CHAR", "CHARACTER":
            let n = try optionalLength() ?? 1
            guard (1...255).contains(n) else { throw ParseError(position: start, message: "Char size must between 1~255. Size was set to: \(n)") }
            return .char(n)
        case "VARCHAR":
            let n = try optionalLength() ?? SQLType.maxVarcharLength
            guard (1...SQLType.maxVarcharLength).contains(n) else {
                throw ParseError(position: start, message: "Varchar size must between 1~\(SQLType.maxVarcharLength). Size was set to: \(n)")
            }
            return .varchar(n)
        case "STRING", "TEXT": return .varchar(SQLType.stringLength)
        case "JSON": return .json
        case "VARBINARY", "BINARY": return .varbinary(try optionalLength())
        case "BITMAP": return .bitmap
        case "HLL": return .hll
        case "PERCENTILE": return .percentile
        case "ARRAY":
            try expectSymbol("<")
            let t = try parseType()
            try expectCloseAngle()
            return .array(t)
        case "MAP":
            try expectSymbol("<")
            let k = try parseType()
            try expectSymbol(",")
            let v = try parseType()
            try expectCloseAngle()
            return .map(k, v)
        case "STRUCT":
            try expectSymbol("<")
            var fields: [SQLType.StructField] = []
            repeat {
                let name = try identifier()
                fields.append(.init(name: name, type: try parseType()))
            } while acceptSymbol(",")
            try expectCloseAngle()
            return .structure(fields)
        default:
            index -= 1
            throw ParseError(position: start, message: "Unsupported type specification: '\(w)'")
        }
    }

    private mutating func skipDisplayWidth() throws(ParseError) {
        if acceptSymbol("(") { _ = try integerLiteral(); try expectSymbol(")") }
        _ = acceptKeyword("SIGNED")
        _ = acceptKeyword("UNSIGNED")
    }

    private mutating func optionalLength() throws(ParseError) -> Int? {
        guard acceptSymbol("(") else { return nil }
        let n = try integerLiteral()
        try expectSymbol(")")
        return Int(clamping: n)
    }

    /// `>` closing a type; `>>` (two closes lexed as one shift operator) is split in place.
    private mutating func expectCloseAngle() throws(ParseError) {
        if acceptSymbol(">") { return }
        if peekSymbol(">>") {
            tokens[index].kind = .symbol(">")
            tokens[index].range = (current.range.lowerBound + 1)..<current.range.upperBound
            return
        }
        throw unexpected(["'>'"])
    }
}
