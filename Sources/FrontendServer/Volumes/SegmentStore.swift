import CatalogStore
import Foundation
import Logging
import ObjectStore
import Storage
import Synchronization
import TaskContract

/// Where every table's segments live. A table bound to no storage volume keeps them in the FE's local directory
/// (`LocalVolume`), which is their durable copy. A table bound to an S3 volume keeps them in the volume's bucket,
/// under `<prefix>/<cluster id>/db<d>/t<t>/txn<x>.seg` (the catalog's cluster id, so two FEs sharing a bucket never
/// touch each other's objects); the local directory then only holds copies on their way in or out
/// (written by the embedded node, or fetched for the table cache, and released once the cache has applied them).
/// Segment paths name their table, so every call here takes the path alone.
final class SegmentStore: SegmentSource, Sendable {
    let local: LocalVolume
    private let catalog: CatalogStore
    private let logger: Logger
    /// Volume name of each table (nil: local), rebuilt when a database or table is created or dropped.
    private let bindings = Mutex<(generation: Int, byTable: [Int64: String])>((-1, [:]))
    /// One client per volume (connections are reused), dropped when the volume is altered or dropped; `generation`
    /// moves on each drop, so a client made from a row read before an ALTER is not kept.
    private let clients = Mutex<(generation: Int, byName: [String: S3Client])>((0, [:]))
    /// How many catch-ups hold each fetched segment: its local copy is deleted when the last one releases it, never
    /// while another is about to attach it (SQLite would create an empty database at a missing path).
    private let holds = Mutex<[String: Int]>([:])

    init(local: LocalVolume, catalog: CatalogStore, logger: Logger) {
        self.local = local; self.catalog = catalog; self.logger = logger
    }

    /// The S3 volume's client for a segment's table; nil for a table on the local directory.
    func client(for segment: String) throws -> S3Client? {
        guard let tableID = SegmentName.tableID(segment), let name = try volumeName(table: tableID) else { return nil }
        return try client(volume: name)
    }

    func client(volume name: String) throws -> S3Client {
        let (cached, generation) = clients.withLock { ($0.byName[name], $0.generation) }
        if let cached { return cached }
        guard let v = try catalog.storageVolume(named: name) else {
            throw ObjectStoreError("access to", "storage volume '\(name)'", "the storage volume does not exist")
        }
        guard let location = v.locations.first else {
            throw ObjectStoreError("access to", "storage volume '\(name)'", "the storage volume has no location")
        }
        var config = try S3Config(location: location, properties: v.params)
        let cluster = try catalog.clusterID()
        config.prefix = config.prefix.isEmpty ? cluster : config.prefix + "/" + cluster
        let c = S3Client(config)
        clients.withLock { if $0.generation == generation { $0.byName[name] = c } }
        return c
    }

    /// Forgets a volume's client after ALTER or DROP STORAGE VOLUME (new credentials or endpoint take effect at once).
    func forget(_ volume: String) {
        clients.withLock {
            $0.generation += 1
            $0.byName[volume] = nil
        }
    }

    /// The volume a table is bound to (nil: the local directory). A catalog that cannot be read is an error, never
    /// "local": that would let an S3 table's segment be committed without its object.
    func volumeName(table id: Int64) throws -> String? {
        let generation = catalog.schemaGeneration
        if let hit = bindings.withLock({ $0.generation == generation ? .some($0.byTable[id]) : nil }) { return hit }
        var map: [Int64: String] = [:]
        for t in try catalog.allTables() {
            if let v = t.definition.properties.first(where: { $0.key.lowercased() == "storage_volume" })?.value { map[t.id] = v }
        }
        bindings.withLock { $0 = (generation, map) }
        return map[id]
    }

    /// What a task writing `segment` must do with it: nothing more for a local table, an upload for an S3 one.
    func upload(for segment: String, embeddedNode: Bool) throws -> SegmentUpload? {
        guard let c = try client(for: segment) else { return nil }
        return SegmentUpload(volume: c.config, key: c.config.key(segment), keepLocalCopy: embeddedNode)
    }

    /// Uploads a segment the FE wrote itself (INSERT) to its table's volume; nothing for a local table.
    func publish(_ segment: String) throws {
        guard let c = try client(for: segment) else { return }
        try c.upload(file: local.absolute(segment), to: c.config.key(segment))
    }

    /// Whether a task's segment is where the commit needs it: in the bucket for an S3 table, in the local
    /// directory otherwise. Nil when it is; else why not.
    func missing(_ segment: String, bytes: Int64?) -> String? {
        do {
            if let c = try client(for: segment) {
                let key = c.config.key(segment)
                guard let size = try c.size(of: key) else { return "segment \(segment) is not in \(c.config.displayURL(key))" }
                if let bytes, bytes != size { return "\(c.config.displayURL(key)) has \(size) bytes, the node wrote \(bytes)" }
                return nil
            }
        } catch { return "\(error)" }
        if FileManager.default.fileExists(atPath: local.absolute(segment)) { return nil }
        return "segment \(segment) is not in the storage volume \(local.root); a compute node must write into the FE's storage "
            + "volume (its storage_root_path on a shared directory) or the table must use an S3 storage volume"
    }

    /// Deletes a segment that will never be committed (aborted or empty), locally and in its bucket.
    func remove(_ segment: String) {
        local.remove(segment)
        do {
            if let c = try client(for: segment) { try c.delete(c.config.key(segment)) }
        } catch {
            logger.warning("cannot delete \(segment) from its storage volume: \(error)")
        }
    }

    // MARK: SegmentSource (the table cache)

    func prefetch(_ segments: [String]) throws {
        holds.withLock { for s in segments { $0[s, default: 0] += 1 } }
        do {
            for s in segments { _ = try localFile(s) }
        } catch {
            for s in segments { release(s) }
            throw error
        }
    }

    func localFile(_ segment: String) throws -> String {
        let path = local.absolute(segment)
        guard let c = try client(for: segment), !FileManager.default.fileExists(atPath: path) else { return path }
        try c.download(c.config.key(segment), to: path)
        return path
    }

    func release(_ segment: String) {
        let last = holds.withLock { h -> Bool in
            let n = (h[segment] ?? 1) - 1
            h[segment] = n > 0 ? n : nil
            return n <= 0
        }
        // Deleted under no hold only: a catch-up that fetches it meanwhile finds it gone and downloads it again.
        if last, (try? client(for: segment)) ?? nil != nil { local.remove(segment) }
    }

    // MARK: Garbage

    /// Deletes segments nothing references (aborted, orphaned or dropped): local files, and the `.seg` objects under
    /// every S3 volume. Each place is listed before the catalog's live set is read (see `LocalVolume.collectGarbage`).
    /// Returns how many were deleted.
    @discardableResult
    func collectGarbage(keeping live: () throws -> Set<String>) rethrows -> Int {
        var removed = try local.collectGarbage(keeping: live)
        for v in (try? catalog.storageVolumes()) ?? [] {
            do {
                let c = try client(volume: v.name)
                let found = try c.list(prefix: c.config.listPrefix).compactMap { key in
                    c.config.relative(key).flatMap { SegmentName.isValid($0) ? (key, $0) : nil }
                }
                let keep = try live()
                for (key, relative) in found where !keep.contains(relative) {
                    try c.delete(key)
                    removed += 1
                }
                // Parts of uploads a node or the FE was killed in the middle of (an hour is longer than any upload).
                try c.abortStaleUploads(prefix: c.config.listPrefix, olderThan: 3600) { c.config.relative($0) == nil }
            } catch {
                logger.warning("cannot collect unused segments of storage volume \(v.name): \(error)")
            }
        }
        return removed
    }
}
