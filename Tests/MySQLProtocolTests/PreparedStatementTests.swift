import Testing
@testable import MySQLProtocol

@Suite struct PreparedStatementTests {
    /// An execute payload (after the command byte and statement id) as go-sql-driver builds it.
    private func payload(types: [(UInt8, UInt8)], nullBitmap: [UInt8], values: [UInt8], bound: Bool = true) -> [UInt8] {
        var w = ByteWriter()
        w.int1(0); w.int4(1)
        w.raw(nullBitmap)
        w.int1(bound ? 1 : 0)
        if bound { for (t, f) in types { w.int1(t); w.int1(f) } }
        w.raw(values)
        return w.bytes
    }

    @Test func executeDecodesEveryParameterKind() throws {
        var v = ByteWriter()
        v.int8(UInt64(bitPattern: -5))                     // LONGLONG
        v.int8((2.5).bitPattern)                           // DOUBLE
        v.lenencString("héllo")                            // VAR_STRING
        v.int1(7); v.int2(2024); v.int1(1); v.int1(2); v.int1(3); v.int1(4); v.int1(5)   // DATETIME
        v.int1(0xFF)                                       // TINY unsigned 255
        let p = payload(types: [(0x08, 0), (0x05, 0), (0xFD, 0), (0x0C, 0), (0x06, 0), (0x01, 0x80)],
                        nullBitmap: [0b0001_0000], values: v.bytes)
        let e = try ComStmtExecute(statementID: 1, payload: p, parameterCount: 6, previousTypes: [])
        #expect(e.parameters == [.int(-5), .double(2.5), .text("héllo"), .text("2024-01-02 03:04:05"), .null, .uint(255)])
    }

    @Test func typesFromAPreviousExecuteAreReusedAndLongDataFillsItsParameter() throws {
        var v = ByteWriter()
        v.int4(42)
        let p = payload(types: [], nullBitmap: [0], values: v.bytes, bound: false)
        let e = try ComStmtExecute(statementID: 1, payload: p, parameterCount: 2, previousTypes: [(0x03, false), (0xFC, false)],
                                   longData: [1: [1, 2, 3]])
        #expect(e.parameters == [.int(42), .bytes([1, 2, 3])])
        #expect(throws: ProtocolError.self) {
            try ComStmtExecute(statementID: 1, payload: p, parameterCount: 2, previousTypes: [])
        }
    }

    @Test func binaryRowsEncodeNullBitmapAndTypedValues() {
        let cols = [ColumnDefinition41(name: "a", type: .longlong), ColumnDefinition41(name: "b", type: .varString),
                    ColumnDefinition41(name: "c", type: .date), ColumnDefinition41(name: "d", type: .tiny)]
        let row = BinaryRow.encode(["7", nil, "2024-01-02", "1"], columns: cols)
        #expect(row == [0x00, 0b0000_1000, 7, 0, 0, 0, 0, 0, 0, 0, 4, 0xE8, 0x07, 1, 2, 1])
    }

    @Test func prepareOKFollowsTheEOFMode() {
        var out = PacketWriter()
        ResponseEncoder(capabilities: [.protocol41]).prepareOK(statementID: 3, parameterCount: 2, columns: [ColumnDefinition41(name: "x", type: .long)],
                                                               status: .autocommit, into: &out)
        let classic = out.payloads
        #expect(classic.count == 1 + 2 + 1 + 1 + 1)
        #expect(classic[0] == [0, 3, 0, 0, 0, 1, 0, 2, 0, 0, 0, 0])
        out = PacketWriter()
        ResponseEncoder(capabilities: [.protocol41, .deprecateEOF]).prepareOK(statementID: 3, parameterCount: 0, columns: [], status: .autocommit, into: &out)
        let modern = out.payloads
        #expect(modern.count == 1)
    }
}
