/// Where a token starts in the statement text: byte offset, 1-based line, 0-based column
/// (StarRocks reports columns 0-based, as ANTLR does).
public struct SourcePosition: Equatable, Sendable {
    public var offset: Int
    public var line: Int
    public var column: Int
    public init(offset: Int, line: Int, column: Int) { self.offset = offset; self.line = line; self.column = column }
}

/// Scope prefix of a system variable: `@@global.x`, `@@session.x` / `@@local.x`, or none.
public enum VariableScope: String, Equatable, Sendable { case global, session }

/// One lexical token.
public enum TokenKind: Equatable, Sendable {
    /// Unquoted word: keyword or identifier (keywords are matched case-insensitively by the parser).
    case word(String)
    /// `backquoted` identifier.
    case quotedIdentifier(String)
    /// 'single' or "double" quoted string, escapes resolved.
    case string(String)
    case integer(String)
    case decimal(String)
    case float(String)
    case systemVariable(VariableScope?, String)
    case userVariable(String)
    case placeholder
    /// Punctuation and operators: ( ) , . ; = <> != < > <= >= <=> + - * / % || && ! ~ | & ^ << >> :=
    case symbol(String)
    case eof
}

public struct Token: Equatable, Sendable {
    public var kind: TokenKind
    public var position: SourcePosition
    /// Byte range of the token in the source text.
    public var range: Range<Int>

    /// The text shown in syntax errors: `'x'` as the user wrote it, `<EOF>` at the end.
    public var displayText: String {
        switch kind {
        case .word(let w): return w
        case .quotedIdentifier(let s): return "`\(s)`"
        case .string(let s): return "'\(s)'"
        case .integer(let s), .decimal(let s), .float(let s): return s
        case .systemVariable(let scope, let n): return "@@" + (scope.map { "\($0.rawValue)." } ?? "") + n
        case .userVariable(let n): return "@" + n
        case .placeholder: return "?"
        case .symbol(let s): return s
        case .eof: return "<EOF>"
        }
    }
}
