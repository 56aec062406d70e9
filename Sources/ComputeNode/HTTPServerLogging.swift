import FlyingSocks
import Logging

/// FlyingFox's HTTP server logs through swift-log instead of printing to stdout: its per-request lines ("open
/// connection", "request: GET …") become debug messages, its warnings and errors stay warnings and errors. Used by the
/// FE's http_port and by tributary-cn.
public struct HTTPServerLogging: FlyingSocks.Logging {
    let logger: Logger

    public init(label: String) { logger = Logger(label: label) }

    public func logDebug(_ debug: @autoclosure () -> String) { logger.trace("\(debug())") }
    public func logInfo(_ info: @autoclosure () -> String) { logger.debug("\(info())") }
    public func logWarning(_ warning: @autoclosure () -> String) { logger.warning("\(warning())") }
    public func logError(_ error: @autoclosure () -> String) { logger.warning("\(error())") }
    public func logCritical(_ critical: @autoclosure () -> String) { logger.error("\(critical())") }
}
