import CatalogStore
import ComputeNode
import Foundation
import Logging
import MySQLProtocol
import SQLParser
import Storage
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// The driver of one client socket. It runs on a thread of its own doing blocking I/O (as MariaDB
/// does): read bytes, frame packets, feed the pure ``SessionStateMachine`` and carry out its actions
/// (write, look up account, execute). A slow or dead client blocks only its own thread. The listener
/// accepts on a Dispatch source; per-request Dispatch hand-offs cost 3/4 of the CPU of a simple query
/// in measurements (docs/benchmarks.md), which is why connections do not use Dispatch sources.
final class MySQLConnection: @unchecked Sendable {
    let id: UInt32
    private let fd: Int32
    private let peerHost: String
    private let server: ServerContext
    private let logger: Logger
    private var machine: SessionStateMachine
    private var decoder: PacketDecoder
    /// The answer being written: framed packets, sent (under TLS encrypted together) at flush.
    private var out = PacketWriter()
    private var closeAfterFlush = false
    private var closed = false
    private var lastActivity = Date()
    private let openedAt = Date()
    private var handler: CommandHandler?
    private var tls: TLSSession?
    /// Host pattern of the account the client logged in as (`%` for root).
    private var matchedHost = "%"
    /// The user name the client tried to log in as, and whether such an account exists.
    private var attemptedUser = ""
    private var attemptedUserExists = false
    /// A password check of this login holds a turn in the login throttle (given back however the connection ends).
    private var checkingPassword = false
    /// Logged in: no longer counted among its host's sockets still logging in (``ConnectionRegistry``).
    private var loggedIn = false
    /// Whether the descriptor is still open; guards `shutdown` from other threads (KILL) against reuse.
    private let descriptorOpen = Mutex<Bool>(true)
    /// The login's race against its deadline: 0 pending, 1 logged in, 2 timed out. Whichever moves it off 0 first wins,
    /// so a timer never closes a session that has logged in, and a login never completes after its deadline.
    private let login = Atomic<UInt8>(0)


    init(fd: Int32, peerHost: String, server: ServerContext, logger: Logger) {
        self.fd = fd
        self.peerHost = peerHost
        self.server = server
        self.logger = logger
        id = server.connections.makeID()
        var rng = SystemRandomNumberGenerator()
        // CLIENT_SSL is advertised only when TLS is configured and working (reference §1.9).
        let capabilities: Capabilities = server.tls == nil ? .server : Capabilities.server.union(.ssl)
        let greeting = HandshakeV10(serverVersion: server.config.mysqlServerVersion, connectionID: id,
                                    scramble: ScrambleGenerator.make(using: &rng), capabilities: capabilities)
        machine = SessionStateMachine(greeting: greeting, peerHost: peerHost)
        decoder = PacketDecoder(maxPacketSize: 64 << 20)
        // Runs on this connection's thread, inside `answer`: a failure only marks the writer broken, and the connection
        // is closed (its place given back) once the command handler has returned.
        out.spill = { [unowned self] bytes in transmit(bytes) }
    }

    /// Starts the connection's thread; false when the system would not create one (then nothing runs, and the caller
    /// refuses the client and gives its place back). Foundation's `Thread` does not report that failure.
    func start() -> Bool {
        var attributes = pthread_attr_t()
        pthread_attr_init(&attributes)
        defer { pthread_attr_destroy(&attributes) }
        pthread_attr_setstacksize(&attributes, Parser.threadStackSize)
        pthread_attr_setdetachstate(&attributes, Int32(PTHREAD_CREATE_DETACHED))
        let context = Unmanaged.passRetained(self).toOpaque()
        var thread = pthread_t()
        let created = pthread_create(&thread, &attributes, { raw in
            let connection = Unmanaged<MySQLConnection>.fromOpaque(raw!).takeRetainedValue()
            connection.serve()
            return nil
        }, context)
        guard created == 0 else {
            Unmanaged<MySQLConnection>.fromOpaque(context).release()
            return false
        }
        return true
    }

    private func serve() {
        Self.configure(fd, writeTimeout: 60)
        // The login's deadline, kept from outside this thread: a client that sends a byte now and then would keep a read
        // (inside OpenSSL, during a TLS handshake or record) from ever timing out.
        DispatchQueue.global().asyncAfter(deadline: .now() + .seconds(max(1, server.config.connectTimeoutSeconds))) { [weak self] in
            guard let self, self.login.compareExchange(expected: 0, desired: 2, ordering: .acquiringAndReleasing).exchanged else { return }
            self.requestClose()
        }
        run(machine.connected())
        var buffer = [UInt8](repeating: 0, count: 64 * 1024)
        while !closed {
            // Blocking read with a 1-second SO_RCVTIMEO: timeouts are checked when it expires.
            let n: Int
            if let tls {
                let result: TLSSession.ReadResult
                do { result = try tls.read(into: &buffer) } catch {
                    logger.debug("connection \(id): \(error)")
                    break
                }
                switch result {
                case .bytes(let count): n = count
                case .timedOut: checkTimeouts(); continue
                case .closed: n = 0
                }
            } else {
                n = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
                if n < 0 {
                    if errno == EAGAIN || errno == EWOULDBLOCK { checkTimeouts(); continue }
                    if errno == EINTR { continue }
                    break
                }
            }
            guard n > 0 else { _ = machine.peerClosed(); break }
            lastActivity = Date()
            buffer.withUnsafeBytes { decoder.append(UnsafeRawBufferPointer(rebasing: $0[0..<n])) }
            processPackets()
        }
        close()
    }

    private static func configure(_ fd: Int32, writeTimeout: Int) {
        var on: Int32 = 1
        setsockopt(fd, Int32(IPPROTO_TCP), TCP_NODELAY, &on, socklen_t(MemoryLayout<Int32>.size))
        setsockopt(fd, SOL_SOCKET, SO_KEEPALIVE, &on, socklen_t(MemoryLayout<Int32>.size))
        var idle: Int32 = 60, interval: Int32 = 10, count: Int32 = 3
        setsockopt(fd, Int32(IPPROTO_TCP), TCP_KEEPIDLE, &idle, socklen_t(MemoryLayout<Int32>.size))
        setsockopt(fd, Int32(IPPROTO_TCP), TCP_KEEPINTVL, &interval, socklen_t(MemoryLayout<Int32>.size))
        setsockopt(fd, Int32(IPPROTO_TCP), TCP_KEEPCNT, &count, socklen_t(MemoryLayout<Int32>.size))
        // A client that stops reading (net_write_timeout) is dropped instead of holding its thread forever.
        var tv = timeval(tv_sec: writeTimeout, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, socklen_t(MemoryLayout<timeval>.size))
        var tick = timeval(tv_sec: 1, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tick, socklen_t(MemoryLayout<timeval>.size))
        let flags = fcntl(fd, F_GETFL)
        _ = fcntl(fd, F_SETFL, flags & ~O_NONBLOCK)
    }

    /// Asks the connection to close from any thread (KILL): its blocked read returns at once.
    func requestClose() {
        descriptorOpen.withLock { open in if open { _ = shutdown(fd, Int32(SHUT_RDWR)) } }
    }

    // MARK: - Reading

    private func processPackets() {
        while !closed {
            let packet: Packet?
            do { packet = try decoder.next() } catch {
                if case .packetTooLarge = error {
                    write(ERRPacket(code: 1153, sqlState: "08S01", message: "Got a packet bigger than 'max_allowed_packet' bytes").encode())
                }
                closeAfterFlush = true
                flush()
                return
            }
            guard let packet else { return }
            out.sequenceID = packet.sequenceID &+ 1
            if attemptedUserExists, awaitsPasswordReply, !checkingPassword, let refused = takePasswordTurn() {
                write(refused.encode())
                closeAfterFlush = true
                flush()
                return
            }
            run(machine.received(packet))
            pausePasswordCheckForReply()
        }
    }

    // MARK: - Actions

    private func run(_ action: SessionStateMachine.Action) {
        switch action {
        case .none:
            break
        case .send(let payloads):
            payloads.forEach(write)
            flush()
        case .lookUpAccount(let username, let database):
            run(lookUp(username: username, database: database))
        case .authenticated(let info, let payloads):
            guard login.compareExchange(expected: 0, desired: 1, ordering: .acquiringAndReleasing).exchanged else {
                close()                                // connect_timeout passed first
                return
            }
            server.logins.succeeded(user: info.username, host: peerHost, heldTurn: checkingPassword)
            checkingPassword = false
            server.connections.loggedIn(host: peerHost)
            loggedIn = true
            let session = SessionContext(connectionID: id, user: info.username, accountHost: matchedHost, clientHost: peerHost,
                                         database: info.database, variables: server.variables)
            session.tlsCipher = tls?.cipherName
            do {
                handler = try CommandHandler(server: server, session: session)
            } catch {
                write(ERRPacket(code: 1105, sqlState: "HY000", message: "Cannot start session: \(error)").encode())
                closeAfterFlush = true
                flush()
                return
            }
            let control = handler?.executor.engine.control
            let status = ConnectionRegistry.ConnectionStatus(id: id, user: info.username, host: peerHost, database: info.database,
                                                              connectedAt: openedAt, close: { [weak self] in self?.requestClose() },
                                                              interrupt: { control?.interrupt() })
            server.connections.register(status)
            handler?.status = status
            payloads.forEach(write)
            flush()
        case .execute(let command):
            guard let handler else { return }
            let sent = answer(command, with: handler)
            // A large result leaves its pages spread over the heaps: give them back (now that the result is freed), so
            // the FE returns to its baseline.
            if sent > 32 << 20 || handler.executor.engine.control.heldBytes > 32 << 20 { AllocatorTuning.releaseFreeMemory() }
        case .close(let payloads):
            if machine.loginFailed, handler == nil {
                // Counted per user and host; the answer comes only after a pause, so guessing passwords is slow.
                server.logins.failed(user: attemptedUser, host: peerHost, knownUser: attemptedUserExists, heldTurn: checkingPassword,
                                     now: Date().timeIntervalSince1970)
                checkingPassword = false
                Thread.sleep(forTimeInterval: server.logins.failureDelay)
            } else if checkingPassword {
                server.logins.abandoned(user: attemptedUser, host: peerHost)   // refused for another reason (unknown database)
                checkingPassword = false
            }
            payloads.forEach(write)
            closeAfterFlush = true
            flush()
        case .startTLS:
            // A ClientHello may have arrived with the SSLRequest: TLS reads those bytes first.
            guard let context = server.tls else { close(); return }
            let session: TLSSession
            do { session = try TLSSession(context, fd: fd, received: decoder.takeBuffered()) } catch {
                logger.warning("connection \(id): \(error)")
                close()
                return
            }
            do {
                try session.handshake { !closed }             // the login timer closes a handshake that takes too long
            } catch {
                logger.debug("connection \(id): \(error)")
                close()
                return
            }
            tls = session
        }
    }

    /// Runs a command and sends its answer, written straight into the send buffer; returns the bytes written.
    private func answer(_ command: ClientCommand, with handler: CommandHandler) -> Int {
        let before = out.spilled + out.count
        handler.handle(command, encoder: machine.encoder, status: machine.status, into: &out)
        let bytes = out.spilled + out.count - before
        flush()
        return bytes
    }

    private func lookUp(username: String, database: String?) -> SessionStateMachine.Action {
        attemptedUser = username
        if let blocked = server.logins.refusal(user: username, host: peerHost, now: Date().timeIntervalSince1970) {
            return machine.accountLookedUp(nil, databaseError: nil, blocked: blocked)
        }
        let account: AccountInfo?
        do { account = Self.bestMatch(try server.catalog.accounts(user: username), host: peerHost) } catch {
            logger.error("account lookup failed: \(error)")
            account = nil
        }
        matchedHost = account?.host ?? "%"
        attemptedUserExists = account != nil
        var dbError: ERRPacket?
        if let database, !InformationSchema.isInformationSchema(database) {
            let exists = (try? server.catalog.database(named: database)) != nil
            if !exists { dbError = SQLError.unknownDatabase(database).packet }
        }
        if account != nil, let refused = takePasswordTurn() { return machine.accountLookedUp(nil, databaseError: nil, blocked: refused) }
        let action = machine.accountLookedUp(account.map { a in
            SessionStateMachine.Account(passwordHashes: a.nativeHash.map { PasswordHashes(native: $0, sha2: a.sha2Hash) })
        }, databaseError: dbError)
        pausePasswordCheckForReply()
        return action
    }

    // MARK: - Login throttle turns

    /// Takes the login throttle's turn for the password check about to run (checks under way count with the failures,
    /// so guesses on parallel connections cannot pass the limit); the error to refuse the login with, if any.
    private func takePasswordTurn() -> ERRPacket? {
        let deadline = openedAt.timeIntervalSince1970 + Double(max(1, server.config.connectTimeoutSeconds))
        switch server.logins.beginCheck(user: attemptedUser, host: peerHost, deadline: deadline,
                                        stop: { login.load(ordering: .acquiring) == 2 }) {
        case .go: checkingPassword = true; return nil
        case .unguarded: return nil
        case .refused(let blocked): return blocked
        case .busy: return LoginThrottle.busy(user: attemptedUser, host: peerHost)
        }
    }

    /// Whether the login waits for the client's answer to an AuthSwitchRequest or a cleartext-password request.
    private var awaitsPasswordReply: Bool {
        switch machine.state {
        case .awaitingAuthSwitchResponse, .awaitingCleartextPassword: return true
        default: return false
        }
    }

    /// The check waits for a reply from the client: its turn is given back meanwhile (a client that goes quiet holds
    /// none), and the reply takes a new one.
    private func pausePasswordCheckForReply() {
        guard checkingPassword, awaitsPasswordReply else { return }
        server.logins.abandoned(user: attemptedUser, host: peerHost)
        checkingPassword = false
    }

    /// The account whose host pattern matches the client, most specific first (exact host, then patterns, then `%`).
    static func bestMatch(_ accounts: [AccountInfo], host: String) -> AccountInfo? {
        func rank(_ pattern: String) -> Int { pattern == "%" ? 2 : pattern.contains("%") || pattern.contains("_") ? 1 : 0 }
        return accounts.filter { LikePattern($0.host).matches(host) }.min { (rank($0.host), $0.host) < (rank($1.host), $1.host) }
    }

    // MARK: - Writing

    private func write(_ payload: [UInt8]) {
        out.packet(payload)
    }

    /// Sends everything buffered (encrypted under TLS); blocks this connection's thread only. Closes the connection when
    /// the peer is gone (now, or during a spill of this answer) or net_write_timeout passed.
    private func flush() {
        defer { out.clear() }
        let delivered = out.broken ? false : out.isEmpty || transmit(out.bytes)
        if !delivered || closeAfterFlush { close() }
    }

    /// Sends `bytes` (a whole answer, or the part of a large one the writer spilled); false when the peer is gone or
    /// net_write_timeout passed. It never closes: a spill runs while the command handler is still answering.
    private func transmit(_ bytes: [UInt8]) -> Bool {
        guard !closed else { return false }
        if let tls {
            do { try tls.write(bytes) } catch {
                logger.debug("connection \(id): \(error)")
                return false
            }
            return true
        }
        return bytes.withUnsafeBytes { p -> Bool in
            var offset = 0
            while offset < p.count {
                let n = send(fd, p.baseAddress! + offset, p.count - offset, Int32(MSG_NOSIGNAL))
                if n > 0 { offset += n; continue }
                if n < 0, errno == EINTR { continue }
                return false
            }
            return true
        }
    }

    // MARK: - Lifetime

    /// Closes a logged-in session idle past `wait_timeout`. A login's own deadline is the timer `serve` starts.
    private func checkTimeouts() {
        if let h = handler, Date().timeIntervalSince(lastActivity) > Double(h.waitTimeout) { close() }
    }

    private func close() {
        guard !closed else { return }
        closed = true
        server.connections.remove(id)
        if checkingPassword { server.logins.abandoned(user: attemptedUser, host: peerHost) }
        handler = nil
        descriptorOpen.withLock { open in
            open = false
            _ = Glibc.close(fd)
        }
        server.connections.release(host: peerHost, loggedIn: loggedIn)
    }
}
