import Expressions
import MySQLProtocol

extension ByteWriter {
    /// A result value in the text protocol, written in place: its text (``Value/text``) length-encoded, NULL as 0xFB.
    mutating func text(_ value: Value) {
        lenencText(value.text)
    }
}

/// A row in the text protocol's form, the payload of its row packet: each cell's text length-encoded, NULL as 0xFB. A
/// result kept to be sent again (SHOW ROUTINE LOAD's rendered rows) is kept in this form and sent as it is.
enum TextRow {
    static func encode(_ values: [Value]) -> [UInt8] {
        var w = ByteWriter(capacity: 64 * values.count)
        for v in values { w.text(v) }
        return w.bytes
    }

    /// The cells of a row made by ``encode(_:)``: NULL, or the text as a string (a row of text and NULL cells reads back
    /// as it was written). A payload that is not such a row ends it where it stops making sense.
    static func values(_ payload: [UInt8]) -> [Value] {
        var r = ByteReader(payload), values: [Value] = []
        while !r.isAtEnd {
            if payload[r.index] == 0xFB {
                _ = try? r.int1()
                values.append(.null)
            } else {
                guard let text = try? r.lenencBytes() else { break }
                values.append(.string(String(decoding: text, as: UTF8.self)))
            }
        }
        return values
    }
}
