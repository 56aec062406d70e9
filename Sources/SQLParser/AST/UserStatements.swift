/// `'name'@'host'`; the host defaults to `%`.
public struct UserIdentity: Equatable, Hashable, Sendable {
    public var name: String
    public var host: String
    public init(name: String, host: String = "%") { self.name = name; self.host = host }
    /// `'name'@'host'`, as StarRocks prints identities.
    public var description: String { "'\(name)'@'\(host)'" }
}

/// How an account authenticates: a password (hashed by the server), or a stored hash.
public enum Authentication: Equatable, Sendable {
    case password(String, plugin: String?)
    /// `IDENTIFIED WITH mysql_native_password AS '*HEX'`.
    case nativeHash(String)
}

/// What a GRANT or REVOKE applies to.
public enum GrantTarget: Equatable, Hashable, Sendable {
    case global                               // *.*, ALL TABLES IN ALL DATABASES, SYSTEM
    case database(String?)                    // db.*, DATABASE db, ALL TABLES IN DATABASE db (nil: current)
    case table(String?, String)               // db.t, TABLE db.t, t
}

public struct GrantStatement: Equatable, Sendable {
    public var privileges: [String]
    public var target: GrantTarget
    public var user: UserIdentity
    public init(privileges: [String], target: GrantTarget, user: UserIdentity) {
        self.privileges = privileges; self.target = target; self.user = user
    }
}

public enum UserStatement: Equatable, Sendable {
    case create(UserIdentity, Authentication?, ifNotExists: Bool)
    case drop(UserIdentity, ifExists: Bool)
    case alter(UserIdentity, Authentication, ifExists: Bool)
    /// `SET PASSWORD [FOR user] = PASSWORD('pw')`; nil user means the current one.
    case setPassword(UserIdentity?, String)
    case grant(GrantStatement)
    case revoke(GrantStatement)
}
