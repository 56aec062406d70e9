import Foundation
import GRDB
import SQLParser

/// Storage volumes in the catalog, and which databases and tables are bound to them (by name, in their
/// `storage_volume` property, resolved when they are created).
extension CatalogStore {
    /// This catalog's cluster id (a UUID made at first use): S3 keys carry it, so FEs with different catalogs can share
    /// a bucket and prefix without reading or collecting each other's objects.
    public func clusterID() throws(CatalogError) -> String {
        if let id = try read({ db in try String.fetchOne(db, sql: "SELECT cluster_id FROM cluster_identity WHERE id = 1") }) { return id }
        return try write { db in
            try db.execute(sql: "INSERT OR IGNORE INTO cluster_identity (id, cluster_id) VALUES (1, ?)",
                           arguments: [UUID().uuidString.lowercased()])
            return try String.fetchOne(db, sql: "SELECT cluster_id FROM cluster_identity WHERE id = 1")!
        }
    }

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

    /// Ids of the databases and tables bound to `name`.
    public func storageVolumeReferences(_ name: String) throws(CatalogError) -> (databases: [Int64], tables: [Int64]) {
        try read { db in try Self.references(name, db) }
    }

    /// Drops a volume unless a database or table is bound to it (checked in the same transaction, so a concurrent
    /// CREATE cannot bind to a volume being dropped). Returns the references that prevented it, or nil once dropped.
    public func dropStorageVolume(_ name: String) throws(CatalogError) -> (databases: [Int64], tables: [Int64])? {
        try schemaWrite { db in
            let refs = try Self.references(name, db)
            if !refs.databases.isEmpty || !refs.tables.isEmpty { return refs }
            try db.execute(sql: "DELETE FROM storage_volumes WHERE name = ?", arguments: [name])
            return nil
        }
    }

    private static func references(_ name: String, _ db: Database) throws -> (databases: [Int64], tables: [Int64]) {
        func bound(_ properties: [Property]) -> Bool { properties.contains { $0.key.lowercased() == "storage_volume" && $0.value == name } }
        let dbs = try DatabaseRecord.order(Column("id")).fetchAll(db).map { $0.info() }.filter { bound($0.properties) }.map(\.id)
        let tables = try TableRecord.order(Column("id")).fetchAll(db).compactMap { r -> Int64? in
            guard let def = JSON.decode(TableDefinition.self, r.definition), bound(def.properties) else { return nil }
            return r.id
        }
        return (dbs, tables)
    }

    private static func volume(_ row: Row) -> StorageVolume {
        StorageVolume(id: row["id"], name: row["name"], type: row["type"],
                      locations: JSON.decode([String].self, row["locations"]) ?? [],
                      params: JSON.decode([String: String].self, row["params"]) ?? [:],
                      enabled: row["enabled"], comment: row["comment"], isDefault: row["is_default"])
    }
}
