import ObjectStore
import Synchronization

/// The node's S3 clients, one per volume's settings (endpoint, bucket, credentials), so the uploads of successive
/// tasks reuse connections. New credentials are new settings and get a new client; at most `limit` are kept.
final class ObjectStoreClients: Sendable {
    private let clients = Mutex<[S3Config: S3Client]>([:])
    static let limit = 64

    func client(_ config: S3Config) -> S3Client {
        clients.withLock { clients in
            if let c = clients[config] { return c }
            if clients.count >= Self.limit { clients.removeAll() }
            let c = S3Client(config)
            clients[config] = c
            return c
        }
    }
}
