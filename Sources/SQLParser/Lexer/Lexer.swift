/// Turns statement text into tokens. Linear in the input and total: any byte sequence yields either
/// tokens or a positioned ``ParseError`` (unterminated string or comment), never a trap.
/// Comments (`-- `, `#`, `/* */`) are skipped; MySQL's executable comments `/*! ... */` are read as SQL.
public struct Lexer {
    private let bytes: [UInt8]
    private var i = 0
    private var line = 1
    private var lineStart = 0
    private var inExecutableComment = false

    public init(_ text: String) { bytes = Array(text.utf8) }

    public static func tokenize(_ text: String) throws(ParseError) -> [Token] {
        var lexer = Lexer(text)
        var out: [Token] = []
        while true {
            let t = try lexer.next()
            out.append(t)
            if t.kind == .eof { return out }
        }
    }

    private var position: SourcePosition { SourcePosition(offset: i, line: line, column: i - lineStart) }

    private func peek(_ k: Int = 0) -> UInt8? { i + k < bytes.count ? bytes[i + k] : nil }

    private mutating func advance() {
        if bytes[i] == UInt8(ascii: "\n") { line += 1; lineStart = i + 1 }
        i += 1
    }

    private mutating func skipTrivia() throws(ParseError) {
        while let c = peek() {
            if c == 0x20 || c == 0x09 || c == 0x0A || c == 0x0D || c == 0x0C || c == 0x0B || c == 0 { advance(); continue }
            if c == UInt8(ascii: "#") || (c == UInt8(ascii: "-") && peek(1) == UInt8(ascii: "-")
                && (peek(2) == nil || peek(2) == 0x20 || peek(2) == 0x09 || peek(2) == 0x0A || peek(2) == 0x0D)) {
                while let d = peek(), d != 0x0A { advance() }
                continue
            }
            if c == UInt8(ascii: "/"), peek(1) == UInt8(ascii: "*") {
                if peek(2) == UInt8(ascii: "!"), !inExecutableComment {
                    advance(); advance(); advance()
                    while let d = peek(), d >= 0x30, d <= 0x39 { advance() }   // optional version number
                    inExecutableComment = true
                    continue
                }
                let start = position
                advance(); advance()
                while true {
                    guard let d = peek() else { throw ParseError(position: start, message: "Unterminated comment") }
                    if d == UInt8(ascii: "*"), peek(1) == UInt8(ascii: "/") { advance(); advance(); break }
                    advance()
                }
                continue
            }
            if inExecutableComment, c == UInt8(ascii: "*"), peek(1) == UInt8(ascii: "/") {
                inExecutableComment = false; advance(); advance(); continue
            }
            return
        }
    }

    public mutating func next() throws(ParseError) -> Token {
        try skipTrivia()
        let start = position
        guard let c = peek() else { return Token(kind: .eof, position: start, range: i..<i) }
        let kind: TokenKind
        switch c {
        case UInt8(ascii: "'"), UInt8(ascii: "\""):
            kind = .string(try quoted(c, start: start, escapes: true))
        case UInt8(ascii: "`"):
            kind = .quotedIdentifier(try quoted(c, start: start, escapes: false))
        case UInt8(ascii: "0")...UInt8(ascii: "9"):
            kind = number()
        case UInt8(ascii: "."):
            if let d = peek(1), d >= 0x30, d <= 0x39 { kind = number() } else { advance(); kind = .symbol(".") }
        case UInt8(ascii: "@"):
            kind = try variable(start: start)
        case UInt8(ascii: "?"):
            advance(); kind = .placeholder
        default:
            if isIdentifierStart(c) {
                let s = i
                while let d = peek(), isIdentifierPart(d) { advance() }
                kind = .word(String(decoding: bytes[s..<i], as: UTF8.self))
            } else {
                kind = .symbol(symbol())
            }
        }
        return Token(kind: kind, position: start, range: start.offset..<i)
    }

    private func isIdentifierStart(_ c: UInt8) -> Bool {
        (c >= 0x41 && c <= 0x5A) || (c >= 0x61 && c <= 0x7A) || c == UInt8(ascii: "_") || c == UInt8(ascii: "$") || c >= 0x80
    }
    private func isIdentifierPart(_ c: UInt8) -> Bool { isIdentifierStart(c) || (c >= 0x30 && c <= 0x39) }

    private mutating func quoted(_ q: UInt8, start: SourcePosition, escapes: Bool) throws(ParseError) -> String {
        advance()
        var out: [UInt8] = []
        while true {
            guard let c = peek() else {
                throw ParseError(position: start, message: q == UInt8(ascii: "`") ? "Unterminated quoted identifier" : "Unterminated string literal")
            }
            if c == q {
                if peek(1) == q { out.append(q); advance(); advance(); continue }   // doubled quote
                advance(); break
            }
            if escapes, c == UInt8(ascii: "\\"), let n = peek(1) {
                advance(); advance()
                switch n {
                case UInt8(ascii: "n"): out.append(0x0A)
                case UInt8(ascii: "t"): out.append(0x09)
                case UInt8(ascii: "r"): out.append(0x0D)
                case UInt8(ascii: "0"): out.append(0)
                case UInt8(ascii: "b"): out.append(0x08)
                case UInt8(ascii: "Z"): out.append(0x1A)
                case UInt8(ascii: "%"), UInt8(ascii: "_"): out.append(UInt8(ascii: "\\")); out.append(n)  // kept for LIKE
                default: out.append(n)
                }
                continue
            }
            out.append(c); advance()
        }
        return String(decoding: out, as: UTF8.self)
    }

    private mutating func number() -> TokenKind {
        let s = i
        if peek() == UInt8(ascii: "0"), let x = peek(1), x == UInt8(ascii: "x") || x == UInt8(ascii: "X"),
           let h = peek(2), isHex(h) {
            advance(); advance()
            while let d = peek(), isHex(d) { advance() }
            let hex = String(decoding: bytes[(s + 2)..<i], as: UTF8.self)
            return .integer(UInt64(hex, radix: 16).map(String.init) ?? hex)
        }
        var sawDot = false, sawExp = false
        while let d = peek() {
            if d >= 0x30 && d <= 0x39 { advance(); continue }
            if d == UInt8(ascii: "."), !sawDot, !sawExp { sawDot = true; advance(); continue }
            if (d == UInt8(ascii: "e") || d == UInt8(ascii: "E")), !sawExp {
                let n1 = peek(1)
                let digitAfter = n1.map { $0 >= 0x30 && $0 <= 0x39 } ?? false
                let signDigit = (n1 == UInt8(ascii: "+") || n1 == UInt8(ascii: "-")) && (peek(2).map { $0 >= 0x30 && $0 <= 0x39 } ?? false)
                if digitAfter || signDigit { sawExp = true; advance(); advance(); continue }
            }
            break
        }
        // 1abc is an identifier in MySQL; we keep it simple and let the parser reject it.
        let text = String(decoding: bytes[s..<i], as: UTF8.self)
        return sawExp ? .float(text) : sawDot ? .decimal(text) : .integer(text)
    }

    private func isHex(_ c: UInt8) -> Bool {
        (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x46) || (c >= 0x61 && c <= 0x66)
    }

    private mutating func variable(start: SourcePosition) throws(ParseError) -> TokenKind {
        advance()
        if peek() == UInt8(ascii: "@") {
            advance()
            var name = try variableName(start: start)
            var scope: VariableScope?
            let lower = name.lowercased()
            if peek() == UInt8(ascii: "."), ["global", "session", "local"].contains(lower) {
                advance()
                scope = lower == "global" ? .global : .session
                name = try variableName(start: start)
            }
            return .systemVariable(scope, name)
        }
        return .userVariable(try variableName(start: start))
    }

    private mutating func variableName(start: SourcePosition) throws(ParseError) -> String {
        if let q = peek(), q == UInt8(ascii: "`") || q == UInt8(ascii: "'") || q == UInt8(ascii: "\"") {
            return try quoted(q, start: start, escapes: q != UInt8(ascii: "`"))
        }
        let s = i
        while let d = peek(), isIdentifierPart(d) { advance() }
        guard i > s else { throw ParseError(position: start, message: "Unexpected input '@', the most similar input is {a legal identifier}") }
        return String(decoding: bytes[s..<i], as: UTF8.self)
    }

    private mutating func symbol() -> String {
        let three = [UInt8](bytes[i..<min(i + 3, bytes.count)])
        if three == Array("<=>".utf8) { advance(); advance(); advance(); return "<=>" }
        let twos = ["<>", "!=", "<=", ">=", "||", "&&", "<<", ">>", ":="]
        if three.count >= 2 {
            let two = String(decoding: three[0..<2], as: UTF8.self)
            if twos.contains(two) { advance(); advance(); return two }
        }
        let c = bytes[i]
        advance()
        if c < 0x80 { return String(UnicodeScalar(c)) }
        return String(decoding: [c], as: UTF8.self)
    }
}
