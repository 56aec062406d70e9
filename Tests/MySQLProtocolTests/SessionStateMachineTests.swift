import Testing
@testable import MySQLProtocol

@Suite struct SessionStateMachineTests {
    let scramble: [UInt8] = Array("abcdefghijklmnopqrst".utf8)
    let clientCaps: Capabilities = [.protocol41, .secureConnection, .pluginAuth, .pluginAuthLenencClientData, .connectWithDB, .longFlag, .multiStatements]

    private func machine() -> SessionStateMachine {
        var m = SessionStateMachine(greeting: HandshakeV10(serverVersion: "8.0.33", connectionID: 1, scramble: scramble), peerHost: "10.0.0.1")
        _ = m.connected()
        return m
    }

    private func response(user: String = "root", auth: [UInt8] = [], plugin: String = AuthPlugin.nativePassword, db: String? = nil) -> Packet {
        Packet(sequenceID: 1, payload: HandshakeResponse41(capabilities: clientCaps, username: user, authResponse: auth, database: db, authPluginName: plugin).encode())
    }

    /// A machine that has logged in root with an empty password.
    private func ready() -> SessionStateMachine {
        var m = machine()
        _ = m.received(response())
        _ = m.accountLookedUp(.init(passwordHashes: nil), databaseError: nil)
        return m
    }

    @Test func connectingSendsTheGreeting() {
        var m = SessionStateMachine(greeting: HandshakeV10(serverVersion: "8.0.33", connectionID: 1, scramble: scramble), peerHost: "h")
        guard case .send(let p) = m.connected() else { Issue.record("expected greeting"); return }
        #expect(p.count == 1 && p[0].first == 10)
    }

    @Test func handshakeResponseAsksForTheAccountAndDatabase() {
        var m = machine()
        #expect(m.received(response(db: "quickstart")) == .lookUpAccount(username: "root", database: "quickstart"))
    }

    @Test func emptyPasswordLogsInWithPlainOK() {
        var m = machine()
        _ = m.received(response(db: "d"))
        let action = m.accountLookedUp(.init(passwordHashes: nil), databaseError: nil)
        guard case .authenticated(let info, let send) = action else { Issue.record("\(action)"); return }
        #expect(info.username == "root" && info.database == "d")
        #expect(send.count == 1 && send[0].first == 0x00, "no AuthMoreData before the OK for empty passwords")
        #expect(m.state == .ready)
    }

    @Test func wrongPasswordIsDeniedWith1045AndCloses() {
        var m = machine()
        _ = m.received(response(auth: ClientScramble.native(password: "bad", scramble: scramble)))
        let action = m.accountLookedUp(.init(passwordHashes: PasswordHashes(password: "good")), databaseError: nil)
        let expected = ERRPacket(code: 1045, sqlState: "28000", message: "Access denied for user 'root'@'10.0.0.1' (using password: YES)")
        #expect(action == .close([expected.encode()]))
        #expect(m.state == .closed)
    }

    @Test func unknownUserIsDeniedLikeAWrongPassword() {
        var m = machine()
        _ = m.received(response(user: "ghost"))
        guard case .close(let p) = m.accountLookedUp(nil, databaseError: nil) else { Issue.record("expected close"); return }
        #expect(String(decoding: p[0].dropFirst(9), as: UTF8.self) == "Access denied for user 'ghost'@'10.0.0.1' (using password: NO)")
    }

    @Test func nativePasswordLogsIn() {
        var m = machine()
        _ = m.received(response(auth: ClientScramble.native(password: "pw", scramble: scramble)))
        guard case .authenticated = m.accountLookedUp(.init(passwordHashes: PasswordHashes(password: "pw")), databaseError: nil) else {
            Issue.record("expected login"); return
        }
    }

    @Test func cachingSHA2FastPathSendsFastAuthSuccessThenOK() {
        var m = machine()
        _ = m.received(response(auth: ClientScramble.cachingSHA2(password: "pw", scramble: scramble), plugin: AuthPlugin.cachingSHA2))
        guard case .authenticated(_, let send) = m.accountLookedUp(.init(passwordHashes: PasswordHashes(password: "pw")), databaseError: nil) else {
            Issue.record("expected login"); return
        }
        #expect(send.first == [0x01, 0x03])
        #expect(send.last?.first == 0x00)
    }

    @Test func emptyCachingSHA2DataForAPasswordAccountSwitchesToNativeOnce() {
        var m = machine()
        _ = m.received(response(plugin: AuthPlugin.cachingSHA2))
        let hashes = PasswordHashes(password: "pw")
        let action = m.accountLookedUp(.init(passwordHashes: hashes), databaseError: nil)
        #expect(action == .send([AuthSwitchRequest(pluginName: AuthPlugin.nativePassword, scramble: scramble).encode()]))
        let reply = Packet(sequenceID: 3, payload: ClientScramble.native(password: "pw", scramble: scramble))
        guard case .authenticated = m.received(reply) else { Issue.record("expected login after switch"); return }
    }

    @Test func unknownPluginIsSwitchedAndAWrongReplyDenied() {
        var m = machine()
        _ = m.received(response(auth: [9, 9], plugin: "client_ed25519"))
        guard case .send = m.accountLookedUp(.init(passwordHashes: PasswordHashes(password: "pw")), databaseError: nil) else {
            Issue.record("expected switch"); return
        }
        guard case .close = m.received(Packet(sequenceID: 3, payload: [1, 2, 3])) else { Issue.record("expected denial"); return }
    }

    @Test func unknownDatabaseAtLoginClosesWithTheDatabaseError() {
        var m = machine()
        _ = m.received(response(db: "nosuch"))
        let err = ERRPacket(code: 5501, sqlState: "3F000", message: "Unknown database 'nosuch'")
        #expect(m.accountLookedUp(.init(passwordHashes: nil), databaseError: err) == .close([err.encode()]))
    }

    @Test func sslRequestWithoutTLSIsRefused() {
        var m = machine()
        let ssl = Packet(sequenceID: 1, payload: HandshakeResponse41(capabilities: [.protocol41, .ssl], isSSLRequest: true).encode())
        guard case .close = m.received(ssl) else { Issue.record("expected close"); return }
    }

    @Test func garbageHandshakeClosesWithBadHandshake() {
        var m = machine()
        #expect(m.received(Packet(sequenceID: 1, payload: [1, 2])) == .close([ERRPacket(code: 1043, sqlState: "08S01", message: "Bad handshake").encode()]))
    }

    @Test func commandsAreDispatchedOrAnsweredByTheMachine() {
        var m = ready()
        #expect(m.received(Packet(sequenceID: 0, payload: [0x03] + Array("SELECT 1\0".utf8))) == .execute(.query("SELECT 1")))
        #expect(m.received(Packet(sequenceID: 0, payload: [0x0E])) == .send([OKPacket().encode()]))
        #expect(m.received(Packet(sequenceID: 0, payload: [0x19, 1, 0, 0, 0])) == .execute(.stmtClose(statementID: 1)))
        guard case .send(let err) = m.received(Packet(sequenceID: 0, payload: [0x7F])) else { Issue.record("expected ERR"); return }
        #expect(err[0].first == 0xFF)
        #expect(m.state == .ready, "an unknown command keeps the connection")
        #expect(m.received(Packet(sequenceID: 0, payload: [0x01])) == .close([]))
    }

    @Test func commandsTooShortForTheirFieldsAreAnsweredWithMalformedPacketAndTheSessionGoesOn() {
        var m = ready()
        let payloads: [[UInt8]] = [[0x17], [0x18], [0x19], [0x1A], [0x1B], [0x0C, 1], [0x17, 1, 0], []]
        for payload in payloads {
            let action = m.received(Packet(sequenceID: 0, payload: payload))
            guard case .send(let packets) = action, packets.count == 1 else { Issue.record("\(payload): \(action)"); continue }
            #expect(packets[0].first == 0xFF && packets[0][1] == 0x2B && packets[0][2] == 0x07, "ER_MALFORMED_PACKET 1835")
            #expect(m.state == .ready)
        }
        #expect(m.received(Packet(sequenceID: 0, payload: [0x03] + Array("SELECT 1".utf8))) == .execute(.query("SELECT 1")))
    }

    @Test func setOptionTogglesMultiStatementsAndAnswersInTheNegotiatedEOFMode() {
        var m = ready()
        guard case .send(let p) = m.received(Packet(sequenceID: 0, payload: [0x1B, 1, 0])) else { Issue.record("expected answer"); return }
        #expect(p == [EOFPacket().encode()], "client did not negotiate DEPRECATE_EOF")
        #expect(!m.capabilities.contains(.multiStatements))
    }

    @Test func resultSetsFollowTheNegotiatedEOFMode() {
        let cols = [ColumnDefinition41(name: "a", type: .longlong)]
        var out = PacketWriter()
        ResponseEncoder(capabilities: [.protocol41]).resultSet(columns: cols, rows: [["1"], [nil]] as [[String?]], status: .autocommit, into: &out) {
            for v in $0 { $1.lenencText(v) }
        }
        let classic = out.payloads
        #expect(classic.count == 6)            // count, def, EOF, 2 rows, EOF
        #expect(classic[2] == EOFPacket().encode())
        #expect(classic[4] == [0xFB])
        out = PacketWriter()
        ResponseEncoder(capabilities: [.protocol41, .deprecateEOF]).resultSet(columns: cols, rows: [["1"]] as [[String?]], status: .autocommit, into: &out) {
            for v in $0 { $1.lenencText(v) }
        }
        let modern = out.payloads
        #expect(modern.count == 4)             // count, def, row, OK-0xFE
        #expect(modern[3].first == 0xFE && modern[3].count < 9)
    }
}

@Suite struct SessionStateMachineTLSTests {
    let scramble: [UInt8] = Array("abcdefghijklmnopqrst".utf8)
    let caps: Capabilities = [.protocol41, .secureConnection, .pluginAuth, .pluginAuthLenencClientData, .ssl]

    private func machine(tls: Bool) -> SessionStateMachine {
        let server = tls ? Capabilities.server.union(.ssl) : .server
        var m = SessionStateMachine(greeting: HandshakeV10(serverVersion: "8.0.33", connectionID: 1, scramble: scramble, capabilities: server), peerHost: "h")
        _ = m.connected()
        return m
    }

    private func response(_ auth: [UInt8], plugin: String) -> Packet {
        Packet(sequenceID: 2, payload: HandshakeResponse41(capabilities: caps, username: "carol", authResponse: auth, authPluginName: plugin).encode())
    }

    @Test func sslRequestStartsTLSAndTheResponseFollows() {
        var m = machine(tls: true)
        #expect(m.received(Packet(sequenceID: 1, payload: HandshakeResponse41(capabilities: caps, isSSLRequest: true).encode())) == .startTLS)
        #expect(m.isSecure)
        #expect(m.received(response([], plugin: AuthPlugin.nativePassword)) == .lookUpAccount(username: "carol", database: nil))
    }

    @Test func fullAuthenticationAsksForTheCleartextPasswordOnlyOverTLS() {
        let nativeOnly = SessionStateMachine.Account(passwordHashes: PasswordHashes(native: PasswordHashes(password: "pw").native, sha2: nil))
        var secure = machine(tls: true)
        _ = secure.received(Packet(sequenceID: 1, payload: HandshakeResponse41(capabilities: caps, isSSLRequest: true).encode()))
        _ = secure.received(response(ClientScramble.cachingSHA2(password: "pw", scramble: scramble), plugin: AuthPlugin.cachingSHA2))
        #expect(secure.accountLookedUp(nativeOnly, databaseError: nil) == .send([[0x01, 0x04]]))
        guard case .authenticated = secure.received(Packet(sequenceID: 4, payload: Array("pw\0".utf8))) else { Issue.record("expected login"); return }

        var plain = machine(tls: false)
        _ = plain.received(response(ClientScramble.cachingSHA2(password: "pw", scramble: scramble), plugin: AuthPlugin.cachingSHA2))
        #expect(plain.accountLookedUp(nativeOnly, databaseError: nil)
                == .send([AuthSwitchRequest(pluginName: AuthPlugin.nativePassword, scramble: scramble).encode()]),
                "without TLS the password never travels: switch to mysql_native_password instead")
    }

    @Test func wrongCleartextPasswordIsDenied() {
        var m = machine(tls: true)
        _ = m.received(Packet(sequenceID: 1, payload: HandshakeResponse41(capabilities: caps, isSSLRequest: true).encode()))
        _ = m.received(response([1, 2, 3], plugin: AuthPlugin.cachingSHA2))
        _ = m.accountLookedUp(.init(passwordHashes: PasswordHashes(native: PasswordHashes(password: "pw").native, sha2: nil)), databaseError: nil)
        guard case .close = m.received(Packet(sequenceID: 4, payload: Array("nope\0".utf8))) else { Issue.record("expected denial"); return }
    }
}
