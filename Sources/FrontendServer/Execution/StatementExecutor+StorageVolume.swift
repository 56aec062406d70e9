import CatalogStore
import Expressions
import ObjectStore
import SQLParser
import Storage

/// CREATE / ALTER / DROP / SHOW / DESC STORAGE VOLUME and SET … AS DEFAULT STORAGE VOLUME (reference
/// catalog_sql.md §1), and the volume a new database or table is bound to (§1.10). Secrets never leave masked.
extension StatementExecutor {
    static let storageVolumePrivilege = "CREATE STORAGE VOLUME"

    func executeStorageVolume(_ statement: StorageVolumeStatement) throws(SQLError) -> StatementResult {
        switch statement {
        case .create(let c): return try createStorageVolume(c)
        case .alter(let name, let ifExists, let comment, let properties):
            try requireSystem(Self.storageVolumePrivilege)
            guard var volume = try catalog({ try server.catalog.storageVolume(named: name) }) else {
                if ifExists { return .done }
                throw .ddl("Storage volume '\(name)' does not exist")
            }
            let (params, enabled) = try volumeRule { () throws(StorageVolumeError) in
                try StorageVolumeRules.merged(volume, with: properties.map { ($0.key, $0.value) })
            }
            volume.params = params
            volume.enabled = enabled
            if let comment { volume.comment = comment }
            guard let location = volume.locations.first else { throw .ddl("Storage volume '\(name)' has no location") }
            let config = try Self.s3Config(location, params)
            if enabled, !properties.isEmpty { try checkReachable(volume.name, config) }     // a new comment alone changes no access
            try catalog { try server.catalog.updateStorageVolume(volume) }
            server.segments.forget(volume.name)
            return .done
        case .drop(let name, let ifExists):
            try requireSystem(Self.storageVolumePrivilege)
            guard let volume = try catalog({ try server.catalog.storageVolume(named: name) }) else {
                if ifExists { return .done }
                throw .ddl("Storage volume '\(name)' does not exist")
            }
            if volume.isDefault { throw .ddl("default storage volume can not be removed") }
            if let refs = try catalog({ try server.catalog.dropStorageVolume(name) }) {
                throw .ddl("Storage volume '\(name)' is referenced by dbs or tables, dbs: \(refs.databases), tables: \(refs.tables)")
            }
            server.segments.forget(name)
            return .done
        case .setDefault(let name):
            try requireSystem(Self.storageVolumePrivilege)
            guard let volume = try catalog({ try server.catalog.storageVolume(named: name) }) else {
                throw .ddl("Storage volume '\(name)' does not exist")
            }
            guard volume.enabled else { throw .ddl("Storage volume '\(name)' is disabled") }
            try catalog { try server.catalog.setDefaultStorageVolume(name) }
            return .done
        case .show(let like):
            let pattern = like.map { LikePattern($0) }
            let visible = privileges.allows(Self.storageVolumePrivilege)
            let rows: [[Value]] = try catalog { try server.catalog.storageVolumes() }
                .filter { visible && (pattern?.matches($0.name) ?? true) }.map { [.string($0.name)] }
            return .rows(ResultSet(textColumns: ["Storage Volume"], rows: rows))
        case .describe(let name):
            try requireSystem(Self.storageVolumePrivilege)
            guard let v = try catalog({ try server.catalog.storageVolume(named: name) }) else {
                throw .ddl("Storage volume '\(name)' does not exist")
            }
            let row: [Value] = [.string(v.name), .string(v.type), .string(v.isDefault ? "true" : "false"),
                                .string(v.locations.joined(separator: ", ")), .string(v.displayParams),
                                .string(v.enabled ? "true" : "false"), .string(v.comment)]
            return .rows(ResultSet(textColumns: ["Name", "Type", "IsDefault", "Location", "Params", "Enabled", "Comment"], rows: [row]))
        }
    }

    private func createStorageVolume(_ c: CreateStorageVolume) throws(SQLError) -> StatementResult {
        try requireSystem(Self.storageVolumePrivilege)
        let (type, params, enabled) = try volumeRule { () throws(StorageVolumeError) in
            try StorageVolumeRules.checkName(c.name)
            let type = try StorageVolumeRules.checkType(c.type)
            try StorageVolumeRules.checkLocations(c.locations)
            let (params, enabled) = try StorageVolumeRules.params(c.properties.map { ($0.key, $0.value) }, location: c.locations[0])
            return (type, params, enabled ?? true)
        }
        if try catalog({ try server.catalog.storageVolume(named: c.name) }) != nil {
            if c.ifNotExists { return .done }
            throw .ddl("Storage volume '\(c.name)' already exists")
        }
        let config = try Self.s3Config(c.locations[0], params)
        if enabled { try checkReachable(c.name, config) }
        let volume = StorageVolume(id: 0, name: c.name, type: type, locations: c.locations, params: params, enabled: enabled,
                                   comment: c.comment ?? "", isDefault: false)
        guard try catalog({ try server.catalog.createStorageVolume(volume) }) else {
            if c.ifNotExists { return .done }
            throw .ddl("Storage volume '\(c.name)' already exists")
        }
        return .done
    }

    private func volumeRule<T>(_ body: () throws(StorageVolumeError) -> T) throws(SQLError) -> T {
        do { return try body() } catch { throw SQLError(UInt16(error.code), error.sqlState, error.message) }
    }

    /// The S3 settings of a volume, or StarRocks' `Storage params is not valid` with the params masked.
    static func s3Config(_ location: String, _ params: [String: String]) throws(SQLError) -> S3Config {
        do { return try S3Config(location: location, properties: params) } catch {
            throw .ddl("Storage params is not valid \(StorageVolume.displayJSON(params)): \(error)")
        }
    }

    /// Creating or altering an enabled volume lists its prefix once, so a wrong endpoint, bucket or key is found now
    /// rather than by the first load.
    func checkReachable(_ name: String, _ config: S3Config) throws(SQLError) {
        do { try S3Client(config, retry: RetryPolicy(attempts: 2)).checkAccess() } catch {
            throw .ddl("Storage volume '\(name)' cannot be used: \(error)")
        }
    }

    /// The volume a new database or table is bound to: the one named (`default`: the default volume), else
    /// `inherited` (the database's), else the default volume, else none (the FE's local directory).
    func bindVolume(named: String?, inherited: String?) throws(SQLError) -> String? {
        if let named {
            if named.lowercased() == "default" {
                guard let d = try catalog({ try server.catalog.defaultStorageVolume() }) else {
                    throw SQLError(5506, "55000", "The default storage volume does not exist. A default storage volume can be created by "
                                   + "following these steps: 1. Create a storage volume. 2. Set the storage volume as default")
                }
                return d.name
            }
            guard let v = try catalog({ try server.catalog.storageVolume(named: named) }) else {
                throw .ddl("Unknown storage volume \"\(named)\"")
            }
            guard v.enabled else { throw .ddl("Storage volume \(named) is disabled") }
            return v.name
        }
        if let inherited { return inherited }
        return try catalog { try server.catalog.defaultStorageVolume() }?.name
    }
}
