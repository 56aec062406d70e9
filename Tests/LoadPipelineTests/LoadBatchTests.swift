import CatalogStore
import Expressions
import Foundation
import SQLParser
import Storage
import TestSupport
import Testing
@testable import LoadPipeline
import TaskContract

/// Loads the messages through a plan and returns the result.
func load(_ spec: LoadSpec, _ messages: [String]) throws -> LoadResult {
    let batch = LoadBatch(plan: try LoadPlan(spec), evaluator: SQLiteExpressionEvaluator())
    for m in messages { Array(m.utf8).withUnsafeBytes { batch.add($0) } }
    return try batch.finish()
}


@Suite struct LoadBatchTests {
    // Seed 004, CSV: example_tbl1 with COLUMNS naming a placeholder (temp_gender) that is not loaded.
    let tbl1 = [TestTables.column("order_id", .bigint, nullable: false, key: true), TestTables.column("pay_dt", .date, nullable: false, key: true),
                TestTables.column("customer_name", .varchar(26)), TestTables.column("nationality", .varchar(26)), TestTables.column("price", .double)]
    let seedCSV = ["2020050802,2020-05-08,Johann Georg Faust,Deutschland,male,895",
                   "2020050802,2020-05-08,Julien Sorel,France,male,893",
                   "2020050803,2020-05-08,Dorian Grey,UK,male,1262",
                   "2020050901,2020-05-09,Anna Karenina\",Russia,female,175",
                   "2020051001,2020-05-10,Tess Durbeyfield,US,female,986",
                   "2020051101,2020-05-11,Edogawa Conan,japan,male,8924"]

    @Test func seed004CSVLoadsFiveColumnsAndSkipsThePlaceholder() throws {
        var spec = LoadSpec(format: .csv, tableColumns: tbl1, keysType: .duplicate)
        spec.columnSeparator = ","
        spec.columns = ["order_id", "pay_dt", "customer_name", "nationality", "temp_gender", "price"].map { ColumnMapping(name: $0) }
        let r = try load(spec, seedCSV)
        #expect(r.loadedRows == 6 && r.filteredRows == 0)
        #expect(r.rows[3] == [.int(2020050901), .string("2020-05-09"), .string("Anna Karenina\""), .string("Russia"), .double(175)])
        #expect(r.rows[0][2] == .string("Johann Georg Faust"))
    }

    @Test func seed004JSONDerivesPayDtWithFromUnixtime() throws {
        let tbl2 = [TestTables.column("commodity_id", .varchar(26), key: true), TestTables.column("customer_name", .varchar(26), key: true),
                    TestTables.column("country", .varchar(26), key: true), TestTables.column("pay_time", .bigint, key: true), TestTables.column("pay_dt", .date, key: true),
                    TestTables.column("price", .double)]
        var spec = LoadSpec(format: .json, tableColumns: tbl2, keysType: .aggregate)
        spec.columns = ["commodity_id", "customer_name", "country", "pay_time", "price"].map { ColumnMapping(name: $0) }
            + [ColumnMapping(name: "pay_dt", expression: "from_unixtime(pay_time, '%Y%m%d')")]
        spec.jsonPaths = #"["$.commodity_id","$.customer_name","$.country","$.pay_time","$.price"]"#
        let r = try load(spec, [
            #"{"commodity_id": "1", "customer_name": "Mark Twain", "country": "US","pay_time": 1589191487,"price": 875}"#,
            #"{"commodity_id": "2", "customer_name": "Oscar Wilde", "country": "UK","pay_time": 1589191487,"price": 895}"#,
            #"{"commodity_id": "3", "customer_name": "Antoine de Saint-Exupéry","country": "France","pay_time": 1589191487,"price": 895}"#,
        ])
        #expect(r.loadedRows == 3 && r.filteredRows == 0)
        #expect(r.rows[0] == [.string("1"), .string("Mark Twain"), .string("US"), .int(1589191487), .string("2020-05-11"), .double(875)])
        #expect(r.rows[2][1] == .string("Antoine de Saint-Exupéry"))
    }

    @Test func partialUpdatesNameTheLoadedColumnsAndSkipTheOthersRules() throws {
        let users = [TestTables.column("id", .bigint, nullable: false, key: true), TestTables.column("name", .varchar(20), nullable: false),
                     TestTables.column("status", .varchar(20))]
        var spec = LoadSpec(format: .json, tableColumns: users, keysType: .primary)
        spec.partialUpdate = true
        spec.columns = ["id", "status"].map { ColumnMapping(name: $0) }
        #expect(try LoadPlan(spec).updateColumns == ["id", "status"])
        // name is NOT NULL without a default, but a partial update does not set it: the row loads.
        let r = try load(spec, [#"{"id": 1, "status": "gone"}"#])
        #expect(r.loadedRows == 1 && r.rows[0] == [.int(1), .null, .string("gone")])
        spec.columns = [ColumnMapping(name: "status")]
        #expect(throws: LoadError.self) { try LoadPlan(spec) }                 // the key must be loaded
        spec.partialUpdate = false
        spec.columns = ["id", "status"].map { ColumnMapping(name: $0) }
        #expect(try LoadPlan(spec).updateColumns == nil)
        #expect(try load(spec, [#"{"id": 1, "status": "gone"}"#]).filteredRows == 1)      // a full row needs name
    }

    @Test func jsonSimpleModeMatchesKeysByExactNameAndAcceptsNDJSONAndArrays() throws {
        let table = [TestTables.column("id", .int), TestTables.column("name", .varchar(10))]
        var spec = LoadSpec(format: .json, tableColumns: table, keysType: .duplicate)
        var r = try load(spec, [#"{"id": 1, "name": "a", "extra": true}"# + "\n" + #"{"ID": 2, "id": 3}"#])
        #expect(r.rows == [[.int(1), .string("a")], [.int(3), .null]])
        r = try load(spec, [#"[{"id": 1}]"#])
        #expect(r.loadedRows == 0 && r.filteredRows == 1)
        #expect(r.rejected.first?.reason == "JSON data is an array, strip_outer_array must be set true")
        spec.stripOuterArray = true
        spec.jsonRoot = "$.data"
        r = try load(spec, [#"{"data": [{"id": 1}, {"id": 2, "name": "b"}]}"#])
        #expect(r.rows == [[.int(1), .null], [.int(2), .string("b")]])
    }

    @Test func malformedJSONIsAFilteredRowWithTheRawTextAndReason() throws {
        let spec = LoadSpec(format: .json, tableColumns: [TestTables.column("id", .int)], keysType: .duplicate)
        let r = try load(spec, [#"{"id": 1"#, "hello", #"{"id": 2}"#])
        #expect(r.loadedRows == 1 && r.filteredRows == 2 && r.totalRows == 3)
        #expect(r.rejected[0].row == #"{"id": 1"# && r.rejected[0].reason.hasPrefix("Failed to parse json"))
        #expect(r.rejected[1].reason == "illegal json started with h")
    }

    @Test func csvOptionsHexSeparatorEncloseEscapeTrimAndNull() throws {
        let table = [TestTables.column("a", .varchar(20)), TestTables.column("b", .varchar(20)), TestTables.column("c", .int)]
        var spec = LoadSpec(format: .csv, tableColumns: table, keysType: .duplicate)
        spec.columnSeparator = "\\x01\\x02"
        spec.rowDelimiter = "0x0a"
        spec.enclose = UInt8(ascii: "\"")
        spec.escape = UInt8(ascii: "\\")
        spec.trimSpace = true
        let sep = "\u{01}\u{02}"
        let r = try load(spec, [" \"x\u{01}\u{02}y\" \(sep) b\\\"q \(sep)\\N\n\"he said \"\"hi\"\"\"\(sep)\(sep) 7 \n\n"])
        #expect(r.rows == [[.string("x\u{01}\u{02}y"), .string("b\"q"), .null], [.string("he said \"hi\""), .string(""), .int(7)]], "\(r.rejected)")
    }

    @Test func wrongTypesFollowStrictModeAndNotNull() throws {
        let table = [TestTables.column("id", .int, nullable: false), TestTables.column("score", .int)]
        var spec = LoadSpec(format: .csv, tableColumns: table, keysType: .duplicate)
        spec.columnSeparator = ","
        var r = try load(spec, ["1,abc", "x,2", "3,4", "5"])
        // Non-strict: a bad value becomes NULL unless the column is NOT NULL.
        #expect(r.rows == [[.int(1), .null], [.int(3), .int(4)]])
        #expect(r.filteredRows == 2)
        // Decoding rejects come first (while adding), conversion rejects when the batch finishes.
        #expect(r.rejected.map(\.reason) == ["Value count does not match column count. Expect 2, but got 1.",
                                             "column 'id': 'x' cannot be converted to int and the column is NOT NULL"])
        spec.strictMode = true
        r = try load(spec, ["1,abc", "3,4"])
        #expect(r.rows == [[.int(3), .int(4)]])
        #expect(r.rejected.first?.row == "1,abc" && r.rejected.first?.reason == "column 'score': 'abc' is not a valid int")
    }

    /// Rows whose values already fit their columns are taken as they are; a value at a type's edge, over a CHAR's or
    /// VARCHAR's length, of another representation or NULL in a NOT NULL column still goes through the column's rules.
    @Test func valuesThatFitTheirColumnsPassAndTheRestAreConverted() throws {
        let table = [TestTables.column("t", .tinyint, nullable: false), TestTables.column("s", .varchar(3)),
                     TestTables.column("c", .char(2)), TestTables.column("b", .bigint)]
        var spec = LoadSpec(format: .json, tableColumns: table, keysType: .duplicate)
        spec.strictMode = true
        let r = try load(spec, [#"{"t": 127, "s": "abc", "c": "xy", "b": -9223372036854775808}"#,
                                #"{"t": -128, "s": "ab", "c": "x", "b": "12"}"#,
                                #"{"t": 128, "s": "a", "c": "x", "b": 1}"#,
                                #"{"t": 1, "s": "abcd", "c": "x", "b": 1}"#,
                                #"{"t": 1, "s": "a", "c": "xyz", "b": 1}"#,
                                #"{"t": null, "s": "a", "c": "x", "b": 1}"#,
                                #"{"t": "7", "s": null, "c": null, "b": null}"#])
        #expect(r.rows == [[.int(127), .string("abc"), .string("xy"), .int(Int64.min)],
                           [.int(-128), .string("ab"), .string("x"), .int(12)],
                           [.int(7), .null, .null, .null]])
        #expect(r.rejected.map(\.reason) == ["column 't': 128 is out of range for tinyint", "column 's': value is 4 bytes, longer than varchar(3)",
                                             "column 'c': value is 3 bytes, longer than char(2)", "NULL value in non-nullable column 't'"])
    }

    /// The pass-through of rows that fit gives what the conversion loop gives, row for row, on values at every integer
    /// type's edges, text around CHAR and VARCHAR lengths, doubles (Avro's), NULLs, with and without strict mode, with
    /// `__op` from a field or an expression, and with WHERE.
    @Test func passThroughAgreesWithTheConversionLoop() throws {
        let integers: [Int64] = [0, 1, -1, 127, 128, -128, -129, 32767, 32768, -32768, -32769, 2147483647, 2147483648,
                                 -2147483648, -2147483649, Int64.max, Int64.min]
        let texts: [Value] = [.string(""), .string("a"), .string("ab"), .string("abc"), .string("é"), .string("éa"), .null]
        var records: [[Value]] = []
        for (i, n) in integers.enumerated() {
            let text = texts[i % texts.count]
            records.append([.int(n), .int(n), .int(n), .int(n), text, text, i % 3 == 0 ? .double(Double(n) / 3) : .int(n), .int(Int64(i % 2))])
            records.append([.string(String(n)), .null, .int(n), .double(1.5), text, .int(n), .null, .int(0)])
        }
        let table = [TestTables.column("t", .tinyint, nullable: false, key: true), TestTables.column("s", .smallint),
                     TestTables.column("i", .int), TestTables.column("b", .bigint), TestTables.column("c", .char(2)),
                     TestTables.column("v", .varchar(2)), TestTables.column("d", .double)]
        for (strict, keys, opExpression, condition) in [(false, KeysType.duplicate, false, nil as String?), (true, .duplicate, false, nil),
                                                        (false, .primary, false, nil), (true, .primary, true, "b > 0")] {
            var spec = LoadSpec(format: .json, tableColumns: table, keysType: keys)
            spec.strictMode = strict
            spec.whereClause = condition
            if keys == .primary {
                spec.columns = table.map { ColumnMapping(name: $0.name) }
                    + [opExpression ? ColumnMapping(name: "__op", expression: "0") : ColumnMapping(name: "__op")]
            }
            let plan = try LoadPlan(spec)
            func run(_ passThrough: Bool) throws -> LoadResult {
                let batch = LoadBatch(plan: plan, evaluator: SQLiteExpressionEvaluator())
                batch.passThrough = passThrough
                batch.records = records.map { keys == .primary && !opExpression ? $0 : Array($0.prefix(table.count)) }
                return try batch.finish()
            }
            let fast = try run(true), slow = try run(false)
            #expect(fast.rows == slow.rows && fast.ops == slow.ops, "strict \(strict), \(keys), op expression \(opExpression)")
            #expect(fast.rejected == slow.rejected && fast.filteredRows == slow.filteredRows && fast.unselectedRows == slow.unselectedRows)
            #expect(fast.loadedRows > 0)
        }
    }

    @Test func oneColumnConversionForInsertAndLoads() throws {
        let score = TestTables.column("score", .int), id = TestTables.column("id", .int, nullable: false)
        #expect(try score.converted(.string("7"), strict: true) == .int(7))
        #expect(try score.converted(.string("abc"), strict: false) == .null)              // non-strict: NULL
        #expect(throws: ConversionError("column 'score': 'abc' is not a valid int")) { try score.converted(.string("abc"), strict: true) }
        #expect(try score.converted(nil, strict: true) == .null)                           // not given: its default
        #expect(throws: ConversionError("Field 'id' doesn't have a default value")) { try id.converted(nil, strict: false) }
        #expect(throws: ConversionError("NULL value in non-nullable column 'id'")) { try id.converted(.null, strict: false) }
        #expect(throws: ConversionError("column 'id': 'x' cannot be converted to int and the column is NOT NULL")) {
            try id.converted(.string("x"), strict: false)
        }
    }

    @Test func whereFiltersConvertedRowsAsUnselected() throws {
        let table = [TestTables.column("id", .int), TestTables.column("price", .double)]
        var spec = LoadSpec(format: .csv, tableColumns: table, keysType: .duplicate)
        spec.columnSeparator = ","
        spec.whereClause = "price > 100 AND id <> 4"
        let r = try load(spec, ["1,99", "2,101", "3,1000", "4,500", "oops"])
        #expect(r.rows == [[.int(2), .double(101)], [.int(3), .double(1000)]])
        #expect(r.unselectedRows == 2 && r.filteredRows == 1 && r.totalRows == 5)
    }

    @Test func expressionsCastsArithmeticAndConditionals() throws {
        let table = [TestTables.column("id", .bigint), TestTables.column("total", .double), TestTables.column("label", .varchar(40)), TestTables.column("d", .datetime)]
        var spec = LoadSpec(format: .json, tableColumns: table, keysType: .duplicate)
        spec.columns = [ColumnMapping(name: "id"), ColumnMapping(name: "qty"), ColumnMapping(name: "unit"), ColumnMapping(name: "name"),
                        ColumnMapping(name: "ts"),
                        ColumnMapping(name: "total", expression: "qty * unit"),
                        ColumnMapping(name: "label", expression: "concat(upper(ifnull(name, 'none')), '-', if(qty > 10, 'big', 'small'))"),
                        ColumnMapping(name: "d", expression: "str_to_date(ts, '%d/%m/%Y %H:%i')")]
        let r = try load(spec, [#"{"id": 7, "qty": 12, "unit": 2.5, "ts": "03/04/2024 10:30"}"#, #"{"id": 8, "qty": 2, "unit": 1, "name": "x", "ts": "bad"}"#])
        #expect(r.rows == [[.int(7), .double(30), .string("NONE-big"), .string("2024-04-03 10:30:00")],
                           [.int(8), .double(2), .string("X-small"), .null]])
    }

    @Test func primaryKeyLoadsCarryOp() throws {
        let table = [TestTables.column("id", .int, nullable: false, key: true), TestTables.column("v", .varchar(5))]
        var spec = LoadSpec(format: .json, tableColumns: table, keysType: .primary)
        spec.columns = [ColumnMapping(name: "id"), ColumnMapping(name: "v"), ColumnMapping(name: "__op")]
        let r = try load(spec, [#"{"id": 1, "v": "a", "__op": 0}{"id": 2, "__op": 1}"#])
        #expect(r.ops == [0, 1])
    }

    @Test func unknownFunctionsAndColumnsAreFoundBeforeAnyRowIsRead() throws {
        var spec = LoadSpec(format: .csv, tableColumns: [TestTables.column("id", .int), TestTables.column("v", .int)], keysType: .duplicate)
        spec.columns = [ColumnMapping(name: "id"), ColumnMapping(name: "v", expression: "no_such_function(id)")]
        #expect(throws: LoadError.self) { try LoadBatch.check(try LoadPlan(spec), evaluator: SQLiteExpressionEvaluator()) }
        spec.columns = [ColumnMapping(name: "id"), ColumnMapping(name: "v", expression: "id + 1")]
        spec.whereClause = "nosuchcolumn > 1"
        #expect(throws: LoadError.self) { try LoadBatch.check(try LoadPlan(spec), evaluator: SQLiteExpressionEvaluator()) }
        spec.whereClause = "v > 1"
        try LoadBatch.check(try LoadPlan(spec), evaluator: SQLiteExpressionEvaluator())
    }

    @Test func badExpressionsAndPathsFailThePlanNotTheProcess() {
        var spec = LoadSpec(format: .json, tableColumns: [TestTables.column("id", .int)], keysType: .duplicate)
        spec.jsonPaths = "[\"id\"]"
        #expect(throws: LoadError.self) { try LoadPlan(spec) }
        spec.jsonPaths = ""
        spec.columns = [ColumnMapping(name: "id", expression: "1 +")]
        #expect(throws: LoadError.self) { try LoadPlan(spec) }
    }

}

@Suite struct JSONParserTests {
    @Test func parsesDocumentsKeepingNumberText() throws {
        let v = try JSONParser.parse(#"{"a": [1, -2.50, 3e2, true, null], "b": "x\"\u00e9\ud83d\ude00"}"#)
        #expect(v["a"] == .array([.number("1"), .number("-2.50"), .number("3e2"), .bool(true), .null]))
        #expect(v["b"] == .string("x\"é😀"))
        #expect(v.text == #"{"a":[1,-2.50,3e2,true,null],"b":"x\"é😀"}"#)
    }

    @Test func rejectsMalformedInputWithoutCrashing() {
        for bad in ["{", "[1,]", "{\"a\" 1}", "\"\\x\"", "01x", "tru", String(repeating: "[", count: 100_000), "{\"a\":\"\u{01}\"}"] {
            #expect(throws: JSONParseError.self) { try JSONParser.parse(bad) }
        }
    }
}

/// The JSON fast path must give exactly what the tree parser gives, or step aside.
@Suite struct JSONRowScannerTests {
    let messages = [
        #"{"id": 1, "name": "a"}"#, #"{"name":"b","id":2,"extra":{"x":[1,2,{"y":null}]}}"#, #"{"id": 3}{"id": 4, "name": "d"}"#,
        "{\"id\": 5, \"name\": \"tab\\there \\u00e9\"}\n{\"id\": 6}", #"{"id": -7.5, "name": true}"#, #"{"id": 99999999999999999999}"#,
        #"{"id": 1, "id": 2}"#, #"{"name": {"nested": [1, "two"]}, "id": null}"#, #"{}"#, #"  {"id":8}  "#,
        #"[{"id": 9}]"#, #"{"id": 1"#, "nope", "", #"{"i\"d": 1}"#, #"{"id": 1,}"#, #"{"id": 1} trailing"#, "{\"id\": tru}",
        // Integers the fast path reads in place, and the edges where it hands the text over instead.
        #"{"id": -0, "name": 007}"#, #"{"id": 9223372036854775807, "name": -9223372036854775808}"#,
        #"{"id": 9223372036854775808, "name": -9223372036854775809}"#, #"{"id": 1e3, "name": 2.50}"#, #"{"id": -}"#,
        #"{"id": 12x}"#, #"{"id":18446744073709551616}"#,
    ]

    private func rows(_ spec: LoadSpec, _ message: String, fast: Bool) throws -> (LoadResult, [RejectedRow]) {
        let batch = LoadBatch(plan: try LoadPlan(spec), evaluator: SQLiteExpressionEvaluator())
        batch.fastPath = fast
        Array(message.utf8).withUnsafeBytes { batch.add($0) }
        let r = try batch.finish()
        return (r, r.rejected)
    }

    @Test func fastAndTreePathsAgreeOnEveryMessage() throws {
        let table = [TestTables.column("id", .varchar(40)), TestTables.column("name", .varchar(40))]
        var simple = LoadSpec(format: .json, tableColumns: table, keysType: .duplicate)
        var paths = simple
        paths.jsonPaths = #"["$.name", "$.id"]"#
        paths.columns = [ColumnMapping(name: "name"), ColumnMapping(name: "id")]
        simple.stripOuterArray = false
        let integers = LoadSpec(format: .json, tableColumns: [TestTables.column("id", .bigint), TestTables.column("name", .bigint)], keysType: .duplicate)
        for spec in [simple, paths, integers] {
            #expect(try LoadPlan(spec).scanner != nil)
            for m in messages {
                let (fast, fastRejected) = try rows(spec, m, fast: true)
                let (tree, treeRejected) = try rows(spec, m, fast: false)
                #expect(fast.rows == tree.rows, "\(m)")
                #expect(fastRejected == treeRejected && fast.filteredRows == tree.filteredRows, "\(m)")
            }
        }
    }

    @Test func nestedPathsRootsAndRepeatedKeysUseTheTreePath() throws {
        var spec = LoadSpec(format: .json, tableColumns: [TestTables.column("a", .int), TestTables.column("b", .int)], keysType: .duplicate)
        spec.jsonPaths = #"["$.a.b", "$.b"]"#
        #expect(try LoadPlan(spec).scanner == nil)
        spec.jsonPaths = ""
        spec.jsonRoot = "$.data"
        #expect(try LoadPlan(spec).scanner == nil)
        spec.jsonRoot = ""
        spec.columns = [ColumnMapping(name: "a"), ColumnMapping(name: "a")]
        #expect(try LoadPlan(spec).scanner == nil)
    }
}

/// Random bytes through every decoder: rows or rejects, never a crash.
@Suite struct LoadFuzzTests {
    struct SplitMix: RandomNumberGenerator {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
    }

    @Test func randomMessagesNeverCrashTheDecoders() throws {
        var rng = SplitMix(state: 42)
        let alphabet = Array(#"{}[]",:\0123456789abcnulltrue-.eE "#.utf8) + [0x01, 0x0A, 0xFF, 0xC3]
        let table = [TestTables.column("a", .int), TestTables.column("b", .varchar(8)), TestTables.column("c", .double, nullable: false)]
        var csv = LoadSpec(format: .csv, tableColumns: table, keysType: .duplicate)
        csv.columnSeparator = ","
        csv.enclose = UInt8(ascii: "\"")
        csv.escape = UInt8(ascii: "\\")
        csv.trimSpace = true
        var json = LoadSpec(format: .json, tableColumns: table, keysType: .duplicate)
        json.stripOuterArray = true
        var derived = json
        derived.columns = [ColumnMapping(name: "a"), ColumnMapping(name: "b"), ColumnMapping(name: "c", expression: "a * 2 + length(b)")]
        derived.whereClause = "c > 0"
        // After every random message comes a valid one: garbage must never crash a decoder or spill into the
        // next message, so every valid message still loads.
        let valid: [(LoadSpec, String, [Value])] = [
            (csv, "1,x,2.5", [.int(1), .string("x"), .double(2.5)]),
            (json, #"{"a": 1, "b": "x", "c": 2.5}"#, [.int(1), .string("x"), .double(2.5)]),
            (derived, #"{"a": 1, "b": "x"}"#, [.int(1), .string("x"), .double(3)]),
        ]
        for (spec, message, row) in valid {
            let batch = LoadBatch(plan: try LoadPlan(spec), evaluator: SQLiteExpressionEvaluator())
            for _ in 0..<3000 {
                let length = Int.random(in: 0...40, using: &rng)
                let bytes = (0..<length).map { _ in alphabet[Int.random(in: 0..<alphabet.count, using: &rng)] }
                bytes.withUnsafeBytes { batch.add($0) }
                Array(message.utf8).withUnsafeBytes { batch.add($0) }
            }
            let r = try batch.finish()
            #expect(r.rows.filter { $0 == row }.count >= 3000)
            #expect(r.filteredRows > 0)
        }
    }
}

@Suite struct CSVReaderPathsTests {
    /// The in-place path for plain CSV gives the rows and fields of the general loop (forced here by an enclose byte
    /// that never occurs), on random text made of separators, delimiters, spaces, `\N` and letters.
    @Test func plainPathMatchesTheGeneralLoop() {
        var rng = SystemRandomNumberGenerator()
        let alphabet = Array("ab,, \n\\N\t".utf8)
        for trim in [false, true] {
            let plain = CSVReader(separator: ",", delimiter: "\n", enclose: 0, escape: 0, trimSpace: trim)
            let general = CSVReader(separator: ",", delimiter: "\n", enclose: 0x01, escape: 0, trimSpace: trim)
            for _ in 0..<2000 {
                let text = (0..<Int.random(in: 0...24, using: &rng)).map { _ in alphabet.randomElement(using: &rng)! }
                var a: [[String?]] = [], b: [[String?]] = []
                text.withUnsafeBytes { plain.read($0) { a.append($0) } }
                text.withUnsafeBytes { general.read($0) { b.append($0) } }
                #expect(a == b, "\(String(decoding: text, as: UTF8.self).debugDescription)")
                if a != b { return }
            }
        }
    }
}
