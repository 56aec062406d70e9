/// A load that cannot run at all (bad expression, bad jsonpaths): the task fails with this text.
public struct LoadError: Error, Equatable, Sendable, CustomStringConvertible {
    public var message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}
