import CatalogStore
import Foundation
import Logging
import Storage
import TestSupport
import Testing
@testable import FrontendServer

/// The fetched copies of an S3 table's segments: kept while any catch-up holds them, deleted after the last release.
@Suite struct SegmentStoreTests {
    @Test func aFetchedSegmentStaysUntilTheLastCatchUpHoldingItReleasesIt() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("segstore-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let volume = try LocalVolume(root: dir + "/storage")
        let catalog = try CatalogStore.inMemory()
        _ = try catalog.createStorageVolume(StorageVolume(id: 0, name: "v", type: "S3", locations: ["s3://bucket/prefix"],
                                                          params: ["aws.s3.endpoint": "127.0.0.1:9", "aws.s3.access_key": "a",
                                                                   "aws.s3.secret_key": "b"],
                                                          enabled: true, comment: "", isDefault: false))
        try catalog.createDatabase(name: "d", properties: [])
        let t = try TestTables.create("create table t (k int) properties ('storage_volume' = 'v')", in: catalog)
        let store = SegmentStore(local: volume, catalog: catalog, logger: Logger(label: "test"))
        let segment = volume.segmentPath(databaseID: t.databaseID, tableID: t.id, txnID: 5)
        let path = volume.absolute(segment)
        try FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try Data("fetched".utf8).write(to: URL(fileURLWithPath: path))       // as a download leaves it (no network here)

        try store.prefetch([segment])                                          // two catch-ups of the table
        try store.prefetch([segment])
        store.release(segment)
        #expect(FileManager.default.fileExists(atPath: path), "the other catch-up may be about to attach it")
        store.release(segment)
        #expect(!FileManager.default.fileExists(atPath: path))
    }
}
