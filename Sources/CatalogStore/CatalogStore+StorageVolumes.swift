import Foundation
import GRDB
import SQLParser

/// Storage volumes in the catalog, and which databases and tables are bound to them (by name, in their
/// `storage_volume` property, resolved when they are created).
extension CatalogStore {
    public func storageVolumes() throws(CatalogError) -> [StorageVolume] {
        try read { db in try Row.fetchAll(db, sql: "SELECT * FROM storage_volumes ORDER BY id").map(Self.volume) }
    }

    public func storageVolume(named name: String) throws(CatalogError) -> StorageVolume? {
        try read { db in try Row.fetchOne(db, sql: "SELECT * FROM storage_volumes WHERE name = ?", arguments: [name]).map(Self.volume) }
    }

    public func defaultStorageVolume() throws(CatalogError) -> StorageVolume? {
        try read { db in try Row.fetchOne(db, sql: "SELECT * FROM storage_volumes WHERE is_default = 1").map(Self.volume) }
    }

    /// Adds a volume; false if one of that name exists. The first volume ever made the default stays so only if
    /// `makeDefault` (fe.conf's builtin volume becomes the default when there is none).
    @discardableResult
    public func createStorageVolume(_ v: StorageVolume, makeDefaultIfNone: Bool = false) throws(CatalogError) -> Bool {
        try write { db in
            if try Int.fetchOne(db, sql: "SELECT count(*) FROM storage_volumes WHERE name = ?", arguments: [v.name])! > 0 { return false }
            let hasDefault = try Int.fetchOne(db, sql: "SELECT count(*) FROM storage_volumes WHERE is_default = 1")! > 0
            try db.execute(sql: """
                INSERT INTO storage_volumes (name, type, locations, params, enabled, comment, is_default, created_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                """, arguments: [v.name, v.type, JSON.encode(v.locations), JSON.encode(v.params), v.enabled, v.comment,
                                 makeDefaultIfNone && !hasDefault, Date().timeIntervalSince1970])
            return true
        }
    }

    /// Replaces a volume's params, enabled flag and comment.
    public func updateStorageVolume(_ v: StorageVolume) throws(CatalogError) {
        try write { db in
            try db.execute(sql: "UPDATE storage_volumes SET params = ?, enabled = ?, comment = ?, locations = ? WHERE name = ?",
                           arguments: [JSON.encode(v.params), v.enabled, v.comment, JSON.encode(v.locations), v.name])
        }
    }

    public func setDefaultStorageVolume(_ name: String) throws(CatalogError) {
        try write { db in
            try db.execute(sql: "UPDATE storage_volumes SET is_default = (name = ?)", arguments: [name])
        }
    }

    /// Ids of the databases and tables bound to `name` (refusing DROP while any is).
    public func storageVolumeReferences(_ name: String) throws(CatalogError) -> (databases: [Int64], tables: [Int64]) {
        let dbs = try databases().filter { $0.properties.contains { $0.key.lowercased() == "storage_volume" && $0.value == name } }
        let tables = try allTables().filter { $0.definition.properties.contains { $0.key.lowercased() == "storage_volume" && $0.value == name } }
        return (dbs.map(\.id), tables.map(\.id))
    }

    public func dropStorageVolume(_ name: String) throws(CatalogError) {
        try write { db in try db.execute(sql: "DELETE FROM storage_volumes WHERE name = ?", arguments: [name]) }
    }

    private static func volume(_ row: Row) -> StorageVolume {
        StorageVolume(id: row["id"], name: row["name"], type: row["type"],
                      locations: JSON.decode([String].self, row["locations"]) ?? [],
                      params: JSON.decode([String: String].self, row["params"]) ?? [:],
                      enabled: row["enabled"], comment: row["comment"], isDefault: row["is_default"])
    }
}
