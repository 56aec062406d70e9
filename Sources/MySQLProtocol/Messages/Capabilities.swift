/// Client/server capability flags (reference mysql_clients.md §1.3).
public struct Capabilities: OptionSet, Sendable, Hashable {
    public let rawValue: UInt32
    public init(rawValue: UInt32) { self.rawValue = rawValue }

    public static let longPassword = Capabilities(rawValue: 0x1)
    public static let foundRows = Capabilities(rawValue: 0x2)
    public static let longFlag = Capabilities(rawValue: 0x4)
    public static let connectWithDB = Capabilities(rawValue: 0x8)
    public static let noSchema = Capabilities(rawValue: 0x10)
    public static let compress = Capabilities(rawValue: 0x20)
    public static let odbc = Capabilities(rawValue: 0x40)
    public static let localFiles = Capabilities(rawValue: 0x80)
    public static let ignoreSpace = Capabilities(rawValue: 0x100)
    public static let protocol41 = Capabilities(rawValue: 0x200)
    public static let interactive = Capabilities(rawValue: 0x400)
    public static let ssl = Capabilities(rawValue: 0x800)
    public static let transactions = Capabilities(rawValue: 0x2000)
    public static let secureConnection = Capabilities(rawValue: 0x8000)
    public static let multiStatements = Capabilities(rawValue: 1 << 16)
    public static let multiResults = Capabilities(rawValue: 1 << 17)
    public static let psMultiResults = Capabilities(rawValue: 1 << 18)
    public static let pluginAuth = Capabilities(rawValue: 1 << 19)
    public static let connectAttrs = Capabilities(rawValue: 1 << 20)
    public static let pluginAuthLenencClientData = Capabilities(rawValue: 1 << 21)
    public static let canHandleExpiredPasswords = Capabilities(rawValue: 1 << 22)
    public static let sessionTrack = Capabilities(rawValue: 1 << 23)
    public static let deprecateEOF = Capabilities(rawValue: 1 << 24)
    public static let queryAttributes = Capabilities(rawValue: 1 << 27)

    /// What Tributary offers. No SSL (until TLS works), no SESSION_TRACK, QUERY_ATTRIBUTES or COMPRESS:
    /// each would change packet layouts we do not produce.
    public static let server: Capabilities = [
        .longPassword, .foundRows, .longFlag, .connectWithDB, .protocol41, .interactive, .transactions,
        .secureConnection, .multiStatements, .multiResults, .psMultiResults, .pluginAuth, .connectAttrs,
        .pluginAuthLenencClientData, .deprecateEOF,
    ]
}

/// Server status flags carried by OK and EOF packets.
public struct ServerStatus: OptionSet, Sendable, Hashable {
    public let rawValue: UInt16
    public init(rawValue: UInt16) { self.rawValue = rawValue }
    public static let inTransaction = ServerStatus(rawValue: 0x1)
    public static let autocommit = ServerStatus(rawValue: 0x2)
    public static let moreResultsExist = ServerStatus(rawValue: 0x8)
    public static let noIndexUsed = ServerStatus(rawValue: 0x20)
}

/// First byte of a command-phase packet.
public enum CommandByte: UInt8, Sendable {
    case quit = 0x01, initDB = 0x02, query = 0x03, fieldList = 0x04, statistics = 0x09, processInfo = 0x0A
    case processKill = 0x0C, debug = 0x0D, ping = 0x0E, changeUser = 0x11
    case stmtPrepare = 0x16, stmtExecute = 0x17, stmtSendLongData = 0x18, stmtClose = 0x19, stmtReset = 0x1A
    case setOption = 0x1B, stmtFetch = 0x1C, resetConnection = 0x1F
}
