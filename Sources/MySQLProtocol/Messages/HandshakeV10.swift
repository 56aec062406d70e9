/// The server greeting (Protocol::HandshakeV10), laid out exactly as reference §1.2 requires:
/// 20-byte scramble without NUL bytes, auth_plugin_data_len 21, part 2 = 12 bytes + NUL.
public struct HandshakeV10: Equatable, Sendable {
    public var serverVersion: String
    public var connectionID: UInt32
    public var scramble: [UInt8]          // 20 bytes
    public var capabilities: Capabilities
    public var characterSet: UInt8
    public var status: ServerStatus
    public var authPluginName: String

    public init(serverVersion: String, connectionID: UInt32, scramble: [UInt8],
                capabilities: Capabilities = .server, characterSet: UInt8 = 33,
                status: ServerStatus = .autocommit, authPluginName: String = AuthPlugin.nativePassword) {
        precondition(scramble.count == 20, "scramble must be 20 bytes")
        self.serverVersion = serverVersion; self.connectionID = connectionID; self.scramble = scramble
        self.capabilities = capabilities; self.characterSet = characterSet; self.status = status
        self.authPluginName = authPluginName
    }

    public func encode() -> [UInt8] {
        var w = ByteWriter(capacity: 96)
        w.int1(10)
        w.nulString(serverVersion)
        w.int4(connectionID)
        w.raw(Array(scramble[0..<8]))
        w.int1(0)
        w.int2(UInt16(capabilities.rawValue & 0xFFFF))
        w.int1(characterSet)
        w.int2(status.rawValue)
        w.int2(UInt16(capabilities.rawValue >> 16))
        w.int1(21)
        w.zeros(10)
        w.raw(Array(scramble[8..<20]))
        w.int1(0)
        w.nulString(authPluginName)
        return w.bytes
    }
}
