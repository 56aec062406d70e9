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
        ("[9007199254740993, -9223372036854775808]", .array(.bigint), "[9007199254740993,-9223372036854775808]"),
        ("[12345678901.123456789]", .array(.decimal(precision: 38, scale: 9)), "[12345678901.123456789]"),
        ("[170141183460469231731687303715884105727]", .array(.largeint), "[170141183460469231731687303715884105727]"),
        (#"["\u00e9\ud83d\ude00\n"]"#, .array(.varchar(20)), #"["é😀\n"]"#),
        ("[ [ 1 , 2 ] ]", .array(.array(.int)), "[[1,2]]"),
    ])
    func convertsEachElement(_ text: String, _ type: SQLType, _ stored: String) throws {
        #expect(try Value.string(text).converted(to: type) == .string(stored))
    }

    @Test(arguments: [(#"[1, "x"]"#, SQLType.array(.int)), ("not json", .array(.int)), (#"{"a": 1}"#, .array(.int)),
                      (#"["toolong"]"#, .array(.varchar(3))), ("[2147483648]", .array(.int)), ("5", .array(.int)),
                      ("[01]", .array(.int)), ("[1.]", .array(.double)), ("[tru]", .array(.boolean)), (#"["a]"#, .array(.varchar(5))),
                      ("[1,]", .array(.int)), ("[1] x", .array(.int)), (#"["\ud83d"]"#, .array(.varchar(5))),
                      (String(repeating: "[", count: 100) + String(repeating: "]", count: 100), .array(.int))])
    func refusesWhatDoesNotConvert(_ text: String, _ type: SQLType) {
        #expect(throws: ConversionError.self) { try Value.string(text).converted(to: type) }
    }
}
