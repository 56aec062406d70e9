import Testing
@testable import MySQLProtocol

@Suite struct HandshakeTests {
    let scramble: [UInt8] = Array("abcdefghijklmnopqrst".utf8)

    @Test func greetingHasTheLayoutEveryClientParses() throws {
        let bytes = HandshakeV10(serverVersion: "8.0.33", connectionID: 7, scramble: scramble).encode()
        var r = ByteReader(bytes)
        #expect(try r.int1() == 10)
        #expect(r.nulString() == "8.0.33")
        #expect(try r.int4() == 7)
        #expect(try r.bytes(8) == Array(scramble[0..<8]))
        #expect(try r.int1() == 0)
        let low = try r.int2()
        #expect(try r.int1() == 33)
        #expect(try r.int2() == ServerStatus.autocommit.rawValue)
        let caps = Capabilities(rawValue: UInt32(low) | UInt32(try r.int2()) << 16)
        #expect(caps.contains([.protocol41, .secureConnection, .pluginAuth, .connectWithDB, .longPassword]))
        #expect(!caps.contains(.ssl), "no CLIENT_SSL until TLS works")
        #expect(!caps.contains(.sessionTrack) && !caps.contains(.queryAttributes))
        #expect(try r.int1() == 21, "auth_plugin_data_len")
        #expect(try r.bytes(10) == [UInt8](repeating: 0, count: 10))
        #expect(try r.bytes(13) == Array(scramble[8..<20]) + [0])
        #expect(r.nulString() == "mysql_native_password")
        #expect(r.isAtEnd)
    }

    @Test func generatedScramblesAvoidNulAndDollar() {
        var rng = SystemRandomNumberGenerator()
        for _ in 0..<200 {
            let s = ScrambleGenerator.make(using: &rng)
            #expect(s.count == 20)
            #expect(!s.contains(0) && !s.contains(UInt8(ascii: "$")))
        }
    }

    @Test func handshakeResponseWithLenencAuthDatabaseAndAttributesDecodes() throws {
        var w = ByteWriter()
        let caps: Capabilities = [.protocol41, .secureConnection, .pluginAuth, .pluginAuthLenencClientData, .connectWithDB, .connectAttrs]
        w.int4(caps.rawValue); w.int4(1 << 24); w.int1(255); w.zeros(23)
        w.nulString("root"); w.lenencBytes([1, 2, 3]); w.nulString("quickstart"); w.nulString("caching_sha2_password")
        var attrs = ByteWriter(); attrs.lenencString("_client_name"); attrs.lenencString("libmariadb")
        w.lenencBytes(attrs.bytes)
        let r = try HandshakeResponse41(decoding: w.bytes)
        #expect(r.username == "root")
        #expect(r.authResponse == [1, 2, 3])
        #expect(r.database == "quickstart")
        #expect(r.authPluginName == "caching_sha2_password")
        #expect(r.attributes == ["_client_name": "libmariadb"])
        #expect(r.collation == 255)
        #expect(!r.isSSLRequest)
    }

    @Test func thirtyTwoByteRequestWithSSLFlagIsAnSSLRequest() throws {
        let r = try HandshakeResponse41(decoding: HandshakeResponse41(capabilities: [.protocol41, .ssl], isSSLRequest: true).encode())
        #expect(r.isSSLRequest)
    }

    @Test func garbageResponsesThrowAndNeverTrap() {
        var rng = SystemRandomNumberGenerator()
        for n in 0..<300 {
            let bytes = (0..<(n % 80)).map { _ in UInt8.random(in: 0...255, using: &rng) }
            _ = try? HandshakeResponse41(decoding: bytes)
            _ = try? ClientCommand(decoding: bytes)
        }
    }
}
