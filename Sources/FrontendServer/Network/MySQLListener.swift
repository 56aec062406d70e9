import Dispatch
import Foundation
import Logging
import MySQLProtocol
#if canImport(Glibc)
import Glibc
#endif

/// Accepts MySQL clients on a TCP port with a Dispatch read source on the listening socket, and
/// hands each accepted socket to a new ``MySQLConnection`` (its own thread) while fewer than qe_max_connection are open
/// (``ConnectionRegistry/admit(limit:host:)``).
final class MySQLListener: @unchecked Sendable {
    private let server: ServerContext
    private let logger: Logger
    private let queue = DispatchQueue(label: "tributary.listener")
    private var source: DispatchSourceRead?
    /// The source while accepts pause (descriptors ran out).
    private var paused: DispatchSourceRead?
    /// Descriptors ran out and that was logged; logged again only after an accept has worked.
    private var outOfDescriptors = false
    /// When a refused connection was last logged.
    private var lastRefusalWarning = 0.0
    private var fd: Int32 = -1
    private(set) var port: Int = 0

    init(server: ServerContext, logger: Logger) {
        self.server = server
        self.logger = logger
    }

    /// Takes the port (throws with the OS error text if it is in use); clients are refused until ``startAccepting()``,
    /// so a client that can connect finds every other service of the FE up.
    func bind(host: String, port requested: Int) throws {
        fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw ServerError.socket("socket(): \(String(cString: strerror(errno)))") }
        var on: Int32 = 1
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &on, socklen_t(MemoryLayout<Int32>.size))
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_port = in_port_t(UInt16(requested).bigEndian)
        guard inet_pton(AF_INET, host, &addr.sin_addr) == 1 else { throw ServerError.socket("invalid bind address '\(host)'") }
        let bound = withUnsafePointer(to: &addr) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { Glibc.bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) } }
        guard bound == 0 else {
            let msg = String(cString: strerror(errno))
            Glibc.close(fd)
            throw ServerError.socket("cannot listen on \(host):\(requested): \(msg)")
        }
        var len = socklen_t(MemoryLayout<sockaddr_in>.size)
        withUnsafeMutablePointer(to: &addr) { _ = $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &len) } }
        port = Int(UInt16(bigEndian: addr.sin_port))
        _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK)
    }

    /// Listens and starts taking connections.
    func startAccepting() throws {
        guard Glibc.listen(fd, 1024) == 0 else { throw ServerError.socket("listen(): \(String(cString: strerror(errno)))") }
        let s = DispatchSource.makeReadSource(fileDescriptor: fd, queue: queue)
        s.setEventHandler { [self] in acceptAll() }
        source = s
        s.resume()
    }

    /// Stops taking connections and closes the listening socket (a shutdown: new clients are refused at once).
    func stopAccepting() {
        queue.sync {
            guard let s = source else { return }
            source = nil
            let socket = fd
            s.setCancelHandler { Glibc.close(socket) }
            s.cancel()
        }
    }

    private func acceptAll() {
        while true {
            var addr = sockaddr_in()
            var len = socklen_t(MemoryLayout<sockaddr_in>.size)
            let client = withUnsafeMutablePointer(to: &addr) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { accept(fd, $0, &len) }
            }
            if client < 0 {
                if errno == EINTR || errno == ECONNABORTED { continue }
                if errno == EMFILE || errno == ENFILE {
                    // Out of descriptors: the pending client stays queued, and accepting pauses instead of spinning.
                    if !outOfDescriptors { logger.warning("accept failed: \(String(cString: strerror(errno))); accepts pause 100 ms at a time until descriptors free up") }
                    outOfDescriptors = true
                    pause()
                    return
                }
                if errno != EAGAIN && errno != EWOULDBLOCK { logger.warning("accept failed: \(String(cString: strerror(errno)))") }
                return
            }
            outOfDescriptors = false
            var buf = [CChar](repeating: 0, count: Int(INET_ADDRSTRLEN))
            inet_ntop(AF_INET, &addr.sin_addr, &buf, socklen_t(INET_ADDRSTRLEN))
            let host = String(cString: buf)
            guard server.connections.admit(limit: server.config.qeMaxConnection, host: host) else {
                Self.refuse(client)
                let now = Date().timeIntervalSince1970
                if now - lastRefusalWarning >= 10 {                    // at most one line per 10 s under a flood
                    lastRefusalWarning = now
                    let limit = server.config.qeMaxConnection
                    logger.warning("refused a connection from \(host) (ERR 1040): qe_max_connection (\(limit)) sockets are open, or more than half are and \(host) has \(ConnectionRegistry.loggingInPerHost(limit: limit)) still logging in")
                }
                continue
            }
            guard MySQLConnection(fd: client, peerHost: host, server: server, logger: logger).start() else {
                logger.warning("cannot start a thread for a connection from \(host); refused it")
                server.connections.release(host: host, loggedIn: false)
                Self.refuse(client)
                continue
            }
        }
    }

    /// Suspends the accept source for 100 ms (on the listener queue, like every use of `source`).
    private func pause() {
        guard let s = source, paused == nil else { return }
        s.suspend()
        paused = s
        queue.asyncAfter(deadline: .now() + .milliseconds(100)) { [self] in
            // stopAccepting may have cancelled it meanwhile: resuming still lets the cancel handler close the socket.
            paused?.resume()
            paused = nil
        }
    }

    /// qe_max_connection sockets are open (logged in or not), or the client's host has its share of sockets still
    /// logging in: the client gets ERR 1040 in place of a greeting, as MySQL answers past max_connections, without a
    /// thread. A few bytes into a fresh socket's buffer never block.
    private static func refuse(_ client: Int32) {
        var seq: UInt8 = 0
        let packet = PacketDecoder.frame(ERRPacket(code: 1040, sqlState: "08004", message: "Too many connections").encode(protocol41: false),
                                         sequenceID: &seq)
        _ = packet.withUnsafeBytes { send(client, $0.baseAddress, $0.count, Int32(MSG_DONTWAIT | MSG_NOSIGNAL)) }
        Glibc.close(client)
    }
}
