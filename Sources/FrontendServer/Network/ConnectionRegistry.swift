import Foundation
import Synchronization

/// The live connections, for SHOW PROCESSLIST, KILL and connection limits. Thread-safe; each entry
/// is updated by its own connection and read by others.
final class ConnectionRegistry: Sendable {
    struct Entry: Sendable {
        var id: UInt32
        var user: String
        var host: String
        var database: String?
        var command: String
        var info: String?
        var connectedAt: Date
        var stateSince: Date
        var close: @Sendable () -> Void
    }

    private let entries = Mutex<[UInt32: Entry]>([:])
    private let nextID = Atomic<UInt32>(0)
    private let accepted = Atomic<Int>(0)

    /// A new connection id (1, 2, 3, ...), also counted as an accepted connection.
    func makeID() -> UInt32 {
        accepted.add(1, ordering: .relaxed)
        return nextID.add(1, ordering: .relaxed).newValue
    }

    var totalAccepted: Int { accepted.load(ordering: .relaxed) }
    var count: Int { entries.withLock { $0.count } }
    func contains(_ id: UInt32) -> Bool { entries.withLock { $0[id] != nil } }
    /// The user logged in on connection `id`, or nil if there is no such connection.
    func user(of id: UInt32) -> String? { entries.withLock { $0[id]?.user } }

    func register(_ entry: Entry) { entries.withLock { $0[entry.id] = entry } }
    func remove(_ id: UInt32) { _ = entries.withLock { $0.removeValue(forKey: id) } }

    func update(_ id: UInt32, command: String, info: String?, database: String?) {
        entries.withLock {
            $0[id]?.command = command
            $0[id]?.info = info
            $0[id]?.database = database
            $0[id]?.stateSince = Date()
        }
    }

    func snapshot() -> [Entry] { entries.withLock { Array($0.values) }.sorted { $0.id < $1.id } }

    /// Asks connection `id` to close (it does so on its own queue).
    func close(_ id: UInt32) {
        let closer = entries.withLock { $0[id]?.close }
        closer?()
    }
}
