import Expressions
import SQLParser
import Testing

@Suite struct ValueConversionTests {
    @Test(arguments: [
        (Value.string("42"), SQLType.int, Value.int(42)), (.string(" -7 "), .bigint, .int(-7)), (.double(3.9), .int, .int(3)),
        (.string("1"), .boolean, .int(1)), (.string("false"), .boolean, .int(0)), (.int(5), .double, .double(5)),
        (.string("12.345"), .decimal(precision: 10, scale: 2), .decimal("12.35")), (.string("-0.001"), .decimal(precision: 5, scale: 2), .decimal("0.00")),
        (.int(7), .decimal(precision: 4, scale: 1), .decimal("7.0")), (.string("9.995"), .decimal(precision: 5, scale: 2), .decimal("10.00")),
        (.string("2024-02-29"), .date, .string("2024-02-29")), (.string("20230102"), .date, .string("2023-01-02")),
        (.string("2023/1/2"), .date, .string("2023-01-02")), (.string("2023-11-10T12:00:00"), .datetime, .string("2023-11-10 12:00:00")),
        (.string("2023-11-10"), .datetime, .string("2023-11-10 00:00:00")), (.string("2023-11-10 01:02:03.5"), .datetime, .string("2023-11-10 01:02:03.500000")),
        (.string("日本"), .varchar(6), .string("日本")), (.null, .int, .null),
    ])
    func valuesConvertToTheirStoredForm(_ input: Value, _ type: SQLType, _ expected: Value) throws {
        #expect(try input.converted(to: type) == expected)
    }

    @Test(arguments: [
        (Value.string("abc"), SQLType.int), (.int(128), .tinyint), (.string("2023-02-30"), .date), (.string("2023-13-01"), .date),
        (.string("12345.6"), .decimal(precision: 5, scale: 2)), (.string("日本語"), .varchar(6)), (.string("maybe"), .boolean),
        (.string("2023-01-01 25:00:00"), .datetime), (.string("1e400"), .double),
    ])
    func invalidValuesAreRejected(_ input: Value, _ type: SQLType) {
        #expect(throws: ConversionError.self) { try input.converted(to: type) }
    }
}
