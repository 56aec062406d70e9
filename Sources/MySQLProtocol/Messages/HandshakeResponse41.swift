/// The client's answer to the greeting (reference §1.4). An SSLRequest is its first 32 bytes with
/// CLIENT_SSL set; ``isSSLRequest`` tells the two apart.
public struct HandshakeResponse41: Equatable, Sendable {
    public var capabilities: Capabilities
    public var maxPacketSize: UInt32
    public var collation: UInt8
    public var username: String
    public var authResponse: [UInt8]
    public var database: String?
    public var authPluginName: String?
    public var attributes: [String: String]
    public var isSSLRequest: Bool

    public init(capabilities: Capabilities, maxPacketSize: UInt32 = 1 << 24, collation: UInt8 = 45,
                username: String = "", authResponse: [UInt8] = [], database: String? = nil,
                authPluginName: String? = nil, attributes: [String: String] = [:], isSSLRequest: Bool = false) {
        self.capabilities = capabilities; self.maxPacketSize = maxPacketSize; self.collation = collation
        self.username = username; self.authResponse = authResponse; self.database = database
        self.authPluginName = authPluginName; self.attributes = attributes; self.isSSLRequest = isSSLRequest
    }

    public init(decoding payload: [UInt8]) throws(ProtocolError) {
        var r = ByteReader(payload)
        let caps = Capabilities(rawValue: try r.int4())
        guard caps.contains(.protocol41) else { throw .malformed("pre-4.1 clients are not supported") }
        capabilities = caps
        maxPacketSize = try r.int4()
        collation = try r.int1()
        _ = try r.bytes(23)
        attributes = [:]
        if r.isAtEnd {
            guard caps.contains(.ssl) else { throw .truncated }
            isSSLRequest = true; username = ""; authResponse = []; database = nil; authPluginName = nil
            return
        }
        isSSLRequest = false
        username = r.nulString()
        if caps.contains(.pluginAuthLenencClientData) {
            authResponse = try r.lenencBytes()
        } else if caps.contains(.secureConnection) {
            authResponse = try r.bytes(Int(try r.int1()))
        } else {
            authResponse = r.nulTerminated()
        }
        database = nil
        if caps.contains(.connectWithDB), !r.isAtEnd {
            let db = r.nulString()
            database = db.isEmpty ? nil : db
        }
        authPluginName = nil
        if caps.contains(.pluginAuth), !r.isAtEnd { authPluginName = r.nulString() }
        if caps.contains(.connectAttrs), !r.isAtEnd {
            let total = try r.lenenc()
            guard total <= UInt64(r.remaining) else { throw .truncated }
            var block = ByteReader(try r.bytes(Int(total)))
            while !block.isAtEnd {
                let k = String(decoding: try block.lenencBytes(), as: UTF8.self)
                let v = String(decoding: try block.lenencBytes(), as: UTF8.self)
                attributes[k] = v
            }
        }
    }

    /// Client-side encoding; used by tests to play a client without sockets.
    public func encode() -> [UInt8] {
        var w = ByteWriter()
        w.int4(capabilities.rawValue); w.int4(maxPacketSize); w.int1(collation); w.zeros(23)
        if isSSLRequest { return w.bytes }
        w.nulString(username)
        if capabilities.contains(.pluginAuthLenencClientData) { w.lenencBytes(authResponse) }
        else { w.int1(UInt8(authResponse.count)); w.raw(authResponse) }
        if capabilities.contains(.connectWithDB) { w.nulString(database ?? "") }
        if capabilities.contains(.pluginAuth) { w.nulString(authPluginName ?? "") }
        return w.bytes
    }
}
