import Expressions
import MySQLProtocol
import SQLParser

/// Server-side prepared statements of one connection (COM_STMT_PREPARE / EXECUTE / SEND_LONG_DATA /
/// RESET / CLOSE). A statement is parsed once; each execute binds its parameters into the AST.
struct PreparedStatements {
    struct Entry {
        var sql: String
        var statement: Statement
        var parameterCount: Int
        var columns: [ColumnDefinition41]
        var types: [(UInt8, Bool)] = []
        var longData: [Int: [UInt8]] = [:]
    }

    private var entries: [UInt32: Entry] = [:]
    private var nextID: UInt32 = 1

    mutating func add(_ entry: Entry) -> UInt32 {
        let id = nextID
        nextID &+= 1
        entries[id] = entry
        return id
    }

    subscript(id: UInt32) -> Entry? {
        get { entries[id] }
        set { entries[id] = newValue }
    }

    mutating func close(_ id: UInt32) { entries.removeValue(forKey: id) }
    mutating func removeAll() { entries.removeAll() }

    static func unknown(_ id: UInt32, _ command: String) -> ERRPacket {
        ERRPacket(code: 1243, sqlState: "HY000", message: "Unknown prepared statement handler (\(id)) given to \(command)")
    }

    /// A bound parameter as a literal of the statement.
    static func literal(_ p: BoundParameter) -> Literal {
        switch p {
        case .null: return .null
        case .int(let v): return .integer(String(v))
        case .uint(let v): return .integer(String(v))
        case .double(let d): return .float("\(d)")
        case .text(let s): return .string(s)
        case .bytes(let b): return .string(String(decoding: b, as: UTF8.self))
        }
    }
}
