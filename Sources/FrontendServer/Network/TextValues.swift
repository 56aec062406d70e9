import Expressions
import MySQLProtocol

extension ByteWriter {
    /// A result value in the text protocol, written in place: its text (``Value/text``) length-encoded, NULL as 0xFB.
    mutating func text(_ value: Value) {
        lenencText(value.text)
    }
}
