import Foundation
import Synchronization

/// The live connections, for SHOW PROCESSLIST, KILL and the connection limit (every open socket counts, logged in
/// or not). The registry lock is taken
/// only when a connection arrives or leaves and for listings; each connection updates its own
/// ``ConnectionStatus`` (its own lock, never contended by other queries).
final class ConnectionRegistry: Sendable {
    /// One connection's live state.
    final class ConnectionStatus: Sendable {
        struct State: Sendable {
            var database: String?
            var command = "Sleep"
            /// The statement running, as the client sent it: secrets and all. Whatever shows it masks them
            /// (`SecretRedaction`) when it is read, so a query does not pay for that.
            var info: String?
            var since = Date()
        }
        let id: UInt32
        let user: String
        let host: String
        let connectedAt: Date
        let close: @Sendable () -> Void
        /// Stops the statement the connection is running (KILL QUERY).
        let interrupt: @Sendable () -> Void
        private let state: Mutex<State>

        init(id: UInt32, user: String, host: String, database: String?, connectedAt: Date, close: @escaping @Sendable () -> Void,
             interrupt: @escaping @Sendable () -> Void = {}) {
            self.id = id; self.user = user; self.host = host; self.connectedAt = connectedAt; self.close = close; self.interrupt = interrupt
            state = Mutex(State(database: database))
        }

        func update(command: String, info: String?, database: String?) {
            state.withLock { $0 = State(database: database, command: command, info: info, since: Date()) }
        }

        var current: State { state.withLock { $0 } }
    }

    private let entries = Mutex<[UInt32: ConnectionStatus]>([:])
    private let nextID = Atomic<UInt32>(0)
    private let accepted = Atomic<Int>(0)
    private let live = Atomic<Int>(0)
    /// Sockets accepted and not yet closed, logged in or not: each holds a thread, so this is what the limit bounds.
    private let open = Atomic<Int>(0)
    /// Sockets not logged in yet, per client host.
    private let loggingIn = Mutex<[String: Int]>([:])

    /// How many sockets one client host may have open that have not logged in yet once half the places are taken: a
    /// sixteenth of the limit, at least 16. Sockets that never log in hold their place until connect_timeout_second;
    /// one host sending them cannot take every place, so clients on other hosts still get in. While more than half
    /// the places are free there is no such share, so a burst of connects from one address (a pool, a benchmark, every
    /// client of a NAT or docker gateway) is not refused while the FE has room.
    static func loggingInPerHost(limit: Int) -> Int { max(16, limit / 16) }

    /// Takes a place for a socket accepted from `host`, or returns false when `limit` sockets are open already, or half
    /// the places are taken and the host has its share of sockets still logging in (the client gets ERR 1040 and no
    /// thread). The place is given back by ``release(host:loggedIn:)`` when the socket closes.
    func admit(limit: Int, host: String) -> Bool {
        accepted.add(1, ordering: .relaxed)                     // the `Connections` status: attempts, refused or not
        return loggingIn.withLock { hosts in
            guard hosts[host, default: 0] < Self.loggingInPerHost(limit: limit) || open.load(ordering: .relaxed) < limit / 2 else {
                return false
            }
            guard open.add(1, ordering: .relaxed).newValue <= limit else {
                open.subtract(1, ordering: .relaxed)
                return false
            }
            hosts[host, default: 0] += 1
            return true
        }
    }

    /// The socket from `host` logged in: it no longer counts toward the host's sockets logging in.
    func loggedIn(host: String) { loggingIn.withLock { Self.leave(&$0, host) } }

    /// The socket closed; `loggedIn` says whether ``loggedIn(host:)`` was called for it.
    func release(host: String, loggedIn: Bool) {
        if !loggedIn { loggingIn.withLock { Self.leave(&$0, host) } }
        open.subtract(1, ordering: .relaxed)
    }

    private static func leave(_ hosts: inout [String: Int], _ host: String) {
        guard let n = hosts[host] else { return }
        hosts[host] = n > 1 ? n - 1 : nil
    }

    /// A new connection id (1, 2, 3, ...).
    func makeID() -> UInt32 { nextID.add(1, ordering: .relaxed).newValue }

    /// Connection attempts so far, refused ones too (MySQL's `Connections` status).
    var attempts: Int { accepted.load(ordering: .relaxed) }
    var count: Int { live.load(ordering: .relaxed) }

    func register(_ status: ConnectionStatus) {
        entries.withLock { $0[status.id] = status }
        live.add(1, ordering: .relaxed)
    }

    func remove(_ id: UInt32) {
        if entries.withLock({ $0.removeValue(forKey: id) }) != nil { live.subtract(1, ordering: .relaxed) }
    }

    /// The user logged in on connection `id`, or nil if there is no such connection.
    func user(of id: UInt32) -> String? { entries.withLock { $0[id]?.user } }

    func snapshot() -> [ConnectionStatus] { entries.withLock { Array($0.values) }.sorted { $0.id < $1.id } }

    /// Asks connection `id` to close (it does so on its own thread).
    func close(_ id: UInt32) {
        let closer = entries.withLock { $0[id]?.close }
        closer?()
    }

    /// Stops the statement connection `id` is running, if any.
    func interrupt(_ id: UInt32) {
        let interrupter = entries.withLock { $0[id]?.interrupt }
        interrupter?()
    }
}
