import Dispatch
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// SIGTERM and SIGINT, delivered on a queue instead of killing the process: `handle` runs once, with the signal's
/// name, and decides when to exit. Used by tributary-fe and tributary-cn (docker stop, Ctrl-C, systemd).
public final class ShutdownSignals {
    private let sources: [any DispatchSourceSignal]

    public init(queue: DispatchQueue = DispatchQueue(label: "tributary-shutdown"), _ handle: @escaping @Sendable (String) -> Void) {
        let fired = Atomic<Bool>(false)
        sources = [(SIGTERM, "SIGTERM"), (SIGINT, "SIGINT")].map { number, name in
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: queue)
            source.setEventHandler {
                if !fired.exchange(true, ordering: .acquiringAndReleasing) { handle(name) }
            }
            source.resume()
            return source
        }
    }
}
