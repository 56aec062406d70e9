/// Storage volume statements (StarRocks shared-data): CREATE / ALTER / DROP / SHOW / DESC STORAGE VOLUME and
/// `SET name AS DEFAULT STORAGE VOLUME`.
public enum StorageVolumeStatement: Equatable, Sendable {
    case create(CreateStorageVolume)
    case alter(name: String, ifExists: Bool, comment: String?, properties: [Property])
    case drop(name: String, ifExists: Bool)
    case setDefault(String)
    case show(like: String?)
    case describe(String)
}

/// `CREATE STORAGE VOLUME [IF NOT EXISTS] name TYPE = t LOCATIONS = ('…', …) [COMMENT '…'] [PROPERTIES (…)]`.
public struct CreateStorageVolume: Equatable, Sendable {
    public var name: String
    public var ifNotExists: Bool
    public var type: String
    public var locations: [String]
    public var comment: String?
    public var properties: [Property]

    public init(name: String, ifNotExists: Bool, type: String, locations: [String], comment: String?, properties: [Property]) {
        self.name = name; self.ifNotExists = ifNotExists; self.type = type; self.locations = locations
        self.comment = comment; self.properties = properties
    }
}
