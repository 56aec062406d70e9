/// OK packet. With `asEOF` it is the 0xFE-headed OK that ends a result set under CLIENT_DEPRECATE_EOF,
/// kept short (no info) so clients cannot mistake it for a row. A non-empty info string is written
/// length-encoded, as StarRocks does and as libmariadb (the MariaDB CLI) reads it.
public struct OKPacket: Equatable, Sendable {
    public var affectedRows: UInt64 = 0
    public var lastInsertID: UInt64 = 0
    public var status: ServerStatus = .autocommit
    public var warnings: UInt16 = 0
    public var info: String = ""
    public var asEOF = false

    public init(affectedRows: UInt64 = 0, lastInsertID: UInt64 = 0, status: ServerStatus = .autocommit,
                warnings: UInt16 = 0, info: String = "", asEOF: Bool = false) {
        self.affectedRows = affectedRows; self.lastInsertID = lastInsertID; self.status = status
        self.warnings = warnings; self.info = info; self.asEOF = asEOF
    }

    public func encode() -> [UInt8] {
        var w = ByteWriter()
        w.int1(asEOF ? 0xFE : 0x00)
        w.lenenc(affectedRows); w.lenenc(lastInsertID)
        w.int2(status.rawValue); w.int2(warnings)
        if !asEOF, !info.isEmpty { w.lenencString(info) }
        return w.bytes
    }
}

/// Classic 5-byte EOF packet (clients without CLIENT_DEPRECATE_EOF).
public struct EOFPacket: Equatable, Sendable {
    public var warnings: UInt16 = 0
    public var status: ServerStatus = .autocommit
    public init(warnings: UInt16 = 0, status: ServerStatus = .autocommit) { self.warnings = warnings; self.status = status }
    public func encode() -> [UInt8] {
        var w = ByteWriter(capacity: 5)
        w.int1(0xFE); w.int2(warnings); w.int2(status.rawValue)
        return w.bytes
    }
}

/// ERR packet: code, SQLSTATE and message. Before the handshake is answered there is no SQLSTATE marker.
public struct ERRPacket: Equatable, Sendable, Error {
    public var code: UInt16
    public var sqlState: String
    public var message: String

    public init(code: UInt16, sqlState: String, message: String) {
        self.code = code; self.sqlState = sqlState; self.message = message
    }

    public func encode(protocol41: Bool = true) -> [UInt8] {
        var w = ByteWriter()
        w.int1(0xFF); w.int2(code)
        if protocol41 {
            w.raw("#")
            let state = Array(sqlState.utf8.prefix(5))
            w.raw(state + Array(repeating: UInt8(ascii: "0"), count: 5 - state.count))
        }
        w.raw(message.isEmpty ? "Unknown error" : message)
        return w.bytes
    }
}

/// 0xFE + plugin name + plugin data (20-byte scramble + NUL), reference §1.8.
public struct AuthSwitchRequest: Equatable, Sendable {
    public var pluginName: String
    public var scramble: [UInt8]
    public init(pluginName: String, scramble: [UInt8]) { self.pluginName = pluginName; self.scramble = scramble }
    public func encode() -> [UInt8] {
        var w = ByteWriter()
        w.int1(0xFE); w.nulString(pluginName); w.raw(scramble); w.int1(0)
        return w.bytes
    }
}
