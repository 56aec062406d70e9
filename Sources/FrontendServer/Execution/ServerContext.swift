import CatalogStore
import Foundation
import Synchronization

/// Everything statements share across connections: the catalog, server variables, the live
/// connection registry and counters. Built once by ``FrontendServer``.
final class ServerContext: Sendable {
    let catalog: CatalogStore
    let variables: SystemVariables
    let connections: ConnectionRegistry
    let config: FrontendConfig
    let startedAt = Date()
    private let questionCount = Atomic<Int>(0)

    init(catalog: CatalogStore, variables: SystemVariables, config: FrontendConfig) {
        self.catalog = catalog; self.variables = variables; self.config = config
        connections = ConnectionRegistry()
    }

    var uptimeSeconds: Int { Int(Date().timeIntervalSince(startedAt)) }
    var questions: Int { questionCount.load(ordering: .relaxed) }
    func countQuestion() { questionCount.add(1, ordering: .relaxed) }
}
