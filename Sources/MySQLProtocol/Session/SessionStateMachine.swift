/// Server side of one client connection: greeting, authentication (mysql_native_password,
/// caching_sha2_password fast path, AuthSwitchRequest) and command dispatch. Pure: no sockets,
/// clocks, catalog or SQL execution. Each event returns an ``Action`` the driver carries out; async
/// work (the account lookup) reports back as an event.
///
/// ```
/// connected ─▶ awaitingHandshakeResponse ─┬─▶ awaitingAccount ─┬─▶ ready ⇄ (commands)
///              ▲       (SSLRequest)        │                   ├─▶ awaitingAuthSwitchResponse ─▶ ready
///              └──────── startTLS ─────────┘                   └─▶ awaitingCleartextPassword (TLS only) ─▶ ready
/// any state ── peer error / QUIT / auth failure ──▶ closed
/// ```
public struct SessionStateMachine: Sendable {
    /// What the client sent at login, kept until authentication finishes.
    public struct Login: Equatable, Sendable {
        public var username: String
        public var database: String?
        public var pluginName: String
        public var authResponse: [UInt8]
        public var capabilities: Capabilities
        public var collation: UInt8
        public var attributes: [String: String]
    }

    /// A successful login, handed to the driver to create the SQL session.
    public struct LoginInfo: Equatable, Sendable {
        public var username: String
        public var database: String?
        public var capabilities: Capabilities
        public var collation: UInt8
    }

    /// The account as the catalog knows it; `passwordHashes == nil` means an empty password.
    public struct Account: Equatable, Sendable {
        public var passwordHashes: PasswordHashes?
        public init(passwordHashes: PasswordHashes?) { self.passwordHashes = passwordHashes }
    }

    public enum State: Equatable, Sendable {
        case initial
        case awaitingHandshakeResponse
        case awaitingAccount(Login)
        case awaitingAuthSwitchResponse(Login, Account, databaseError: ERRPacket?)
        /// caching_sha2_password full authentication: the client sends its password in clear, over TLS only.
        case awaitingCleartextPassword(Login, Account, databaseError: ERRPacket?)
        case ready
        case closed
    }

    public enum Action: Equatable, Sendable {
        /// Send these payloads, in order, with consecutive sequence ids.
        case send([[UInt8]])
        /// Look up `username` (and whether `database` exists), then call ``accountLookedUp(_:databaseError:)``.
        case lookUpAccount(username: String, database: String?)
        /// Authentication succeeded: create the session, then send the payloads (the final OK).
        case authenticated(LoginInfo, send: [[UInt8]])
        /// Run this command and answer it; the session stays ready.
        case execute(ClientCommand)
        /// Start TLS on the socket now (after an SSLRequest); the handshake response follows encrypted.
        case startTLS
        /// Send the payloads (if any), then close the connection.
        case close([[UInt8]])
        case none
    }

    public private(set) var state: State = .initial
    public private(set) var capabilities: Capabilities = .server
    /// Whether the connection runs over TLS.
    public private(set) var isSecure = false
    /// Set when a login was refused for its credentials (the driver counts it against the account and host).
    public private(set) var loginFailed = false
    public let scramble: [UInt8]
    public let peerHost: String
    private let greeting: HandshakeV10

    public init(greeting: HandshakeV10, peerHost: String) {
        self.greeting = greeting
        self.scramble = greeting.scramble
        self.peerHost = peerHost
    }

    public var status: ServerStatus = .autocommit
    public var encoder: ResponseEncoder { ResponseEncoder(capabilities: capabilities) }

    // MARK: - Events

    public mutating func connected() -> Action {
        guard state == .initial else { preconditionFailure("connected() called twice") }
        state = .awaitingHandshakeResponse
        return .send([greeting.encode()])
    }

    public mutating func received(_ packet: Packet) -> Action {
        switch state {
        case .initial, .closed:
            return .none
        case .awaitingHandshakeResponse:
            return handshakeResponseReceived(packet.payload)
        case .awaitingAccount:
            // Clients wait for our answer; bytes now are a protocol violation.
            return fail(ERRPacket(code: 1043, sqlState: "08S01", message: "Bad handshake"))
        case .awaitingAuthSwitchResponse(let login, let account, let databaseError):
            var login = login
            login.pluginName = AuthPlugin.nativePassword
            login.authResponse = packet.payload
            return verify(login, account: account, databaseError: databaseError, allowSwitch: false)
        case .awaitingCleartextPassword(let login, let account, let databaseError):
            var password = packet.payload
            if password.last == 0 { password.removeLast() }
            guard let hashes = account.passwordHashes, hashes.verifyCleartext(password) else { return deny(login) }
            return succeed(login, databaseError: databaseError, before: [])
        case .ready:
            return commandReceived(packet.payload)
        }
    }

    /// The account for the login, if it exists. `blocked` is the error to refuse it with without checking the password
    /// (too many failed logins from this host).
    public mutating func accountLookedUp(_ account: Account?, databaseError: ERRPacket?, blocked: ERRPacket? = nil) -> Action {
        guard case .awaitingAccount(let login) = state else { return .none }
        if let blocked { return fail(blocked) }
        guard let account else { return deny(login) }
        return verify(login, account: account, databaseError: databaseError, allowSwitch: true)
    }

    public mutating func peerClosed() -> Action {
        state = .closed
        return .none
    }

    // MARK: - Connection phase

    private mutating func handshakeResponseReceived(_ payload: [UInt8]) -> Action {
        let response: HandshakeResponse41
        do { response = try HandshakeResponse41(decoding: payload) } catch {
            return fail(ERRPacket(code: 1043, sqlState: "08S01", message: "Bad handshake"))
        }
        if response.isSSLRequest {
            guard greeting.capabilities.contains(.ssl), !isSecure else {
                return fail(ERRPacket(code: 1043, sqlState: "08S01", message: "Bad handshake: TLS is not enabled on this server"))
            }
            isSecure = true
            return .startTLS                                 // state stays: the real response comes over TLS
        }
        capabilities = greeting.capabilities.intersection(response.capabilities)
        let login = Login(username: response.username, database: response.database,
                          pluginName: response.authPluginName ?? AuthPlugin.nativePassword,
                          authResponse: response.authResponse, capabilities: capabilities,
                          collation: response.collation, attributes: response.attributes)
        state = .awaitingAccount(login)
        return .lookUpAccount(username: login.username, database: login.database)
    }

    private mutating func verify(_ login: Login, account: Account, databaseError: ERRPacket?, allowSwitch: Bool) -> Action {
        let empty = login.authResponse.isEmpty || login.authResponse == [0]
        var extra: [[UInt8]] = []
        let passed: Bool
        switch (login.pluginName, account.passwordHashes) {
        case (_, nil) where empty:
            passed = true                                  // empty password: OK at once, no 0x01 0x03 first
        case (_, nil):
            passed = false
        case (AuthPlugin.nativePassword, let hashes?):
            passed = !empty && hashes.verifyNative(token: login.authResponse, scramble: scramble)
        case (AuthPlugin.cachingSHA2, let hashes?) where !empty && hashes.sha2 != nil:
            passed = hashes.verifyCachingSHA2(token: login.authResponse, scramble: scramble)
            if passed { extra = [[0x01, 0x03]] }           // AuthMoreData: fast auth success
        case (AuthPlugin.cachingSHA2, .some) where !empty && isSecure:
            // No SHA-256 hash to check the scramble against: ask for the password itself (safe over TLS).
            state = .awaitingCleartextPassword(login, account, databaseError: databaseError)
            return .send([[0x01, 0x04]])
        case (_, .some) where allowSwitch:
            // Empty caching_sha2 data (libmysqlclient), an account without a SHA-256 hash, or a plugin we
            // do not speak: one switch to native.
            state = .awaitingAuthSwitchResponse(login, account, databaseError: databaseError)
            return .send([AuthSwitchRequest(pluginName: AuthPlugin.nativePassword, scramble: scramble).encode()])
        case (_, .some):
            passed = false
        }
        guard passed else { return deny(login) }
        return succeed(login, databaseError: databaseError, before: extra)
    }

    private mutating func succeed(_ login: Login, databaseError: ERRPacket?, before extra: [[UInt8]]) -> Action {
        if let databaseError { return fail(databaseError, before: extra) }
        state = .ready
        let info = LoginInfo(username: login.username, database: login.database,
                             capabilities: capabilities, collation: login.collation)
        return .authenticated(info, send: extra + [OKPacket(status: status).encode()])
    }

    private mutating func deny(_ login: Login) -> Action {
        loginFailed = true
        let usedPassword = !(login.authResponse.isEmpty || login.authResponse == [0])
        return fail(ERRPacket(code: 1045, sqlState: "28000",
                              message: "Access denied for user '\(login.username)'@'\(peerHost)' (using password: \(usedPassword ? "YES" : "NO"))"))
    }

    private mutating func fail(_ err: ERRPacket, before: [[UInt8]] = []) -> Action {
        state = .closed
        return .close(before + [err.encode(protocol41: true)])
    }

    // MARK: - Command phase

    private mutating func commandReceived(_ payload: [UInt8]) -> Action {
        let command: ClientCommand
        do { command = try ClientCommand(decoding: payload) } catch {
            // A command too short for its fields (an empty packet, COM_STMT_EXECUTE without a statement id): answered
            // with ER_MALFORMED_PACKET, and the session goes on, as MySQL does.
            return .send([encoder.error(ERRPacket(code: 1835, sqlState: "HY000", message: "Malformed communication packet."))])
        }
        switch command {
        case .quit:
            state = .closed
            return .close([])
        case .ping:
            return .send([encoder.ok(status: status)])
        case .setOption(let on):
            if on { capabilities.insert(.multiStatements) } else { capabilities.remove(.multiStatements) }
            return .send([encoder.terminator(status: status)])
        case .stmtClose, .stmtSendLongData:
            return .execute(command)                       // the handler keeps statements; these have no reply
        case .unknown(let byte):
            return .send([encoder.error(ERRPacket(code: 1047, sqlState: "08S01",
                                                  message: "Unknown command 0x\(String(byte, radix: 16))"))])
        default:
            return .execute(command)
        }
    }
}
