/// A decoded command-phase packet (reference §2.1).
public enum ClientCommand: Equatable, Sendable {
    case quit
    case initDB(String)
    /// SQL text, with a trailing NUL (sent by some clients) removed.
    case query(String)
    case fieldList(table: String, wildcard: String)
    case statistics
    case ping
    case processKill(UInt32)
    case debug
    case resetConnection
    case setOption(multiStatements: Bool)
    case stmtPrepare(String)
    case stmtExecute(statementID: UInt32, payload: [UInt8])
    case stmtSendLongData(statementID: UInt32, parameter: Int, data: [UInt8])
    case stmtClose(statementID: UInt32)
    case stmtReset(statementID: UInt32)
    case changeUser
    case unknown(UInt8)

    public init(decoding payload: [UInt8]) throws(ProtocolError) {
        var r = ByteReader(payload)
        let byte = try r.int1()
        guard let command = CommandByte(rawValue: byte) else { self = .unknown(byte); return }
        func text(_ bytes: [UInt8]) -> String {
            var b = bytes
            while b.last == 0 { b.removeLast() }
            return String(decoding: b, as: UTF8.self)
        }
        switch command {
        case .quit: self = .quit
        case .initDB: self = .initDB(text(r.rest()))
        case .query: self = .query(text(r.rest()))
        case .fieldList:
            let table = r.nulString()
            self = .fieldList(table: table, wildcard: text(r.rest()))
        case .statistics: self = .statistics
        case .ping: self = .ping
        case .processKill: self = .processKill(try r.int4())
        case .debug: self = .debug
        case .resetConnection: self = .resetConnection
        case .setOption: self = .setOption(multiStatements: try r.int2() == 0)
        case .stmtPrepare: self = .stmtPrepare(text(r.rest()))
        case .stmtExecute: self = .stmtExecute(statementID: try r.int4(), payload: r.rest())
        case .stmtSendLongData:
            self = .stmtSendLongData(statementID: try r.int4(), parameter: Int(try r.int2()), data: r.rest())
        case .stmtClose: self = .stmtClose(statementID: try r.int4())
        case .stmtReset: self = .stmtReset(statementID: try r.int4())
        case .changeUser: self = .changeUser
        case .processInfo, .stmtFetch: self = .unknown(byte)
        }
    }
}
