import Expressions
import Foundation
import SQLParser
import Testing
@testable import Storage

@Suite struct FunctionLibraryTests {
    private func eval(_ expr: String, timeZone: TimeZone = TimeZone(identifier: "UTC")!) throws -> Value {
        guard case .select(let s) = try Parser.parseOne("SELECT " + expr) else { return .null }
        let engine = try QueryEngine()
        engine.timeZone = timeZone
        struct None: RelationProvider { func relation(_ n: QualifiedName) throws(QueryError) -> Relation { throw .unknownTable(n.name) } }
        return try engine.run(s, provider: None()).rows[0][0]
    }

    @Test(arguments: [
        ("from_unixtime(1700000000, '%Y%m%d')", Value.string("20231114")), ("from_unixtime(1700000000)", .string("2023-11-14 22:13:20")),
        ("from_unixtime(-1)", .null), ("unix_timestamp('2023-11-10 00:00:00')", .int(1_699_574_400)),
        ("date_format('2023-11-10 12:34:56', '%Y/%m/%d %H:%i:%s %a %b %j %p')", .string("2023/11/10 12:34:56 Fri Nov 314 PM")),
        ("str_to_date('10/11/2023 7:05:09 PM', '%d/%m/%Y %h:%i:%s %p')", .string("2023-11-10 19:05:09")),
        ("str_to_date('31/02/2023', '%d/%m/%Y')", .null), ("date('2023-11-10 12:00:00')", .string("2023-11-10")),
        ("datediff('2023-11-10', '2023-11-01 23:59:59')", .int(9)), ("month('2023-11-10')", .int(11)), ("hour('2023-11-10 17:01:02')", .int(17)),
        ("lpad('7', 3, '0')", .string("007")), ("rpad('ab', 5, 'xy')", .string("abxyx")), ("lpad('abcdef', 3, '0')", .string("abc")),
        ("right('tributary', 4)", .string("tary")), ("locate('bu', 'tributary')", .int(4)), ("split_part('a,b,c', ',', 3)", .string("c")),
        ("greatest(1, 5.5, 3)", .double(5.5)), ("greatest(1, 7, 3)", .int(7)), ("least('b', 'a')", .string("a")), ("greatest(1, NULL)", .null),
        ("pow(2, 10)", .double(1024)), ("mod(7, 3)", .int(1)), ("sqrt(-1)", .null), ("truncate(3.789, 1)", .double(3.7)),
    ])
    func functionsFollowMySQLSemantics(_ expr: String, _ expected: Value) throws {
        #expect(try eval(expr) == expected)
    }

    @Test func timeZoneChangesFromUnixtime() throws {
        #expect(try eval("from_unixtime(0)", timeZone: TimeZone(secondsFromGMT: 9 * 3600)!) == .string("1970-01-01 09:00:00"))
    }
}
