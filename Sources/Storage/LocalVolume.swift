import Foundation

/// The builtin local storage volume: a directory holding segment files at
/// `db<dbId>/t<tableId>/txn<txnId>.seg`. Paths in the catalog are relative to `root`.
public struct LocalVolume: Sendable {
    public let root: String

    public init(root: String) throws {
        self.root = root
        try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
    }

    public func segmentPath(databaseID: Int64, tableID: Int64, txnID: Int64) -> String {
        "db\(databaseID)/t\(tableID)/txn\(txnID).seg"
    }

    public func absolute(_ relative: String) -> String { (root as NSString).appendingPathComponent(relative) }

    /// Every segment file under the volume, as relative paths.
    public func segments() -> [String] {
        guard let e = FileManager.default.enumerator(atPath: root) else { return [] }
        return e.compactMap { $0 as? String }.filter { $0.hasSuffix(".seg") }
    }

    public func remove(_ relative: String) { try? FileManager.default.removeItem(atPath: absolute(relative)) }

    /// Deletes segment files that no catalog entry references (aborted or orphaned writes). Returns the count.
    /// Empty table and database directories left behind are removed too. The files are listed before `live` is read,
    /// so a segment a concurrent task finishes meanwhile is either not listed or already live (its transaction is
    /// recorded before its file appears).
    @discardableResult
    public func collectGarbage(keeping live: () throws -> Set<String>) rethrows -> Int {
        let found = segments()
        let keep = try live()
        var removed = 0
        for s in found where !keep.contains(s) { remove(s); removed += 1 }
        // Downloads a crash cut short (`<segment>.<random>.part`) and segments a killed writer never finished
        // (`<segment>.tmp`), once nothing could still be writing them.
        let fm = FileManager.default
        let files: [String] = fm.enumerator(atPath: root)?.compactMap { $0 as? String } ?? []
        for p in files {
            let age: TimeInterval
            if p.hasSuffix(".part") && p.contains(".seg.") { age = 600 } else if p.hasSuffix(".seg.tmp") { age = 3600 } else { continue }
            let modified = (try? fm.attributesOfItem(atPath: absolute(p)))?[.modificationDate] as? Date
            if let modified, Date().timeIntervalSince(modified) > age { remove(p) }
        }
        let entries: [String] = fm.enumerator(atPath: root)?.compactMap { $0 as? String } ?? []
        let dirs = entries.filter { !$0.hasSuffix(".seg") && !$0.hasSuffix(".tmp") && !$0.hasSuffix(".part") }
        for dir in dirs.sorted(by: { $0.count > $1.count }) {      // deepest first
            let path = absolute(dir)
            if (try? fm.contentsOfDirectory(atPath: path))?.isEmpty == true { try? fm.removeItem(atPath: path) }
        }
        return removed
    }
}

/// Where the table cache reads a committed segment from: a local file, fetched first if the segment lives in an
/// object store. Every `prefetch` of a segment is matched by one `release`: while any catch-up holds a segment its
/// fetched copy stays; the last release lets it go.
public protocol SegmentSource: Sendable {
    /// Holds the segments and fetches them (before the cache takes its writer, so a download never holds it). If it
    /// throws, it holds none of them.
    func prefetch(_ segments: [String]) throws
    /// The local path of a segment this caller holds.
    func localFile(_ segment: String) throws -> String
    /// Gives up one hold of `prefetch`.
    func release(_ segment: String)
}

extension LocalVolume: SegmentSource {
    public func prefetch(_ segments: [String]) throws {}
    public func localFile(_ segment: String) throws -> String { absolute(segment) }
    public func release(_ segment: String) {}
}
