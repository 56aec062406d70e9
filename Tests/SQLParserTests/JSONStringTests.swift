import Foundation
import SQLParser
import Testing

/// JSONString: the one JSON string escaping rule (SHOW cells, error logs, Avro records, ARRAY columns).
@Suite struct JSONStringTests {
    @Test func escapesQuotesBackslashesAndControlCharactersOnly() {
        #expect(JSONString.quoted("") == "\"\"")
        #expect(JSONString.quoted("plain text, 1.5") == "\"plain text, 1.5\"")
        #expect(JSONString.quoted("a\"b\\c") == "\"a\\\"b\\\\c\"")
        #expect(JSONString.quoted("\n\r\t") == "\"\\n\\r\\t\"")
        #expect(JSONString.quoted("\u{0}\u{1}\u{1f}") == "\"\\u0000\\u0001\\u001f\"")
        #expect(JSONString.quoted("é🙂\u{7f}") == "\"é🙂\u{7f}\"", "multi-byte characters and DEL pass through")
        var out = Array("{".utf8)
        JSONString.append(quoted: "k\"", to: &out)
        #expect(String(decoding: out, as: UTF8.self) == "{\"k\\\"\"")
    }

    @Test func whatItWritesReadsBackAsTheSameString() throws {
        var samples = ["", "x", "\"", "\\", "tab\there", "é🙂", String(repeating: "ab\"\\\n", count: 50)]
        samples += (0..<0x80).map { String(UnicodeScalar(UInt8($0))) }
        for s in samples {
            let decoded = try JSONDecoder().decode(String.self, from: Data(JSONString.quoted(s).utf8))
            #expect(decoded == s)
        }
    }
}
