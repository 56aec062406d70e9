/// A syntax error at a position. The frontend turns it into ERR 1064 / HY000 with StarRocks' text:
/// `Getting syntax error at line L, column C. Detail message: <message>.`
public struct ParseError: Error, Equatable, Sendable {
    public var position: SourcePosition
    public var message: String

    public init(position: SourcePosition, message: String) { self.position = position; self.message = message }

    public var starRocksMessage: String {
        "Getting syntax error at line \(position.line), column \(position.column). Detail message: \(message)."
    }
}
