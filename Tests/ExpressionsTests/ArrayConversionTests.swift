import Expressions
import SQLParser
import Testing

/// Values stored into ARRAY columns: a JSON array whose elements convert to the element type, shown as StarRocks does.
@Suite struct ArrayConversionTests {
    @Test(arguments: [
        ("[1, 2, 3]", SQLType.array(.int), "[1,2,3]"),
        (#"["a", "b"]"#, .array(.varchar(10)), #"["a","b"]"#),
        ("[null, 2]", .array(.bigint), "[null,2]"),
        (#"["1", "2"]"#, .array(.int), "[1,2]"),
        ("[[1], [2, 3]]", .array(.array(.int)), "[[1],[2,3]]"),
        (#"["2020-01-01"]"#, .array(.date), #"["2020-01-01"]"#),
        ("[1.5, 2]", .array(.double), "[1.5,2]"),
        ("[true, false]", .array(.boolean), "[1,0]"),
        (#"["quote \" and \\ back"]"#, .array(.varchar(40)), #"["quote \" and \\ back"]"#),
        ("[]", .array(.int), "[]"),
    ])
    func convertsEachElement(_ text: String, _ type: SQLType, _ stored: String) throws {
        #expect(try Value.string(text).converted(to: type) == .string(stored))
    }

    @Test(arguments: [(#"[1, "x"]"#, SQLType.array(.int)), ("not json", .array(.int)), (#"{"a": 1}"#, .array(.int)),
                      (#"["toolong"]"#, .array(.varchar(3))), ("[2147483648]", .array(.int)), ("5", .array(.int))])
    func refusesWhatDoesNotConvert(_ text: String, _ type: SQLType) {
        #expect(throws: ConversionError.self) { try Value.string(text).converted(to: type) }
    }
}
