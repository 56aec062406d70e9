import Foundation
import ObjectStore
import Synchronization
import Testing

/// The client against a real S3-protocol server. Runs when `TRIBUTARY_TEST_S3` names one as JSON
/// (`{"endpoint": "host:port", "access_key": …, "secret_key": …, "bucket": …}`): tests/integration/test_storage_volumes.py
/// starts moto_server with signatures checked and runs this suite against it.
@Suite struct S3ClientLiveTests {
    static let server: [String: String]? = ProcessInfo.processInfo.environment["TRIBUTARY_TEST_S3"]
        .flatMap { try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: String] }

    @Test(.enabled(if: server != nil)) func multipartUploadStreamingDownloadListAndDelete() throws {
        let s = Self.server!
        let config = try S3Config(location: "s3://\(s["bucket"]!)/live/nested", properties: [
            "aws.s3.endpoint": s["endpoint"]!, "aws.s3.access_key": s["access_key"]!, "aws.s3.secret_key": s["secret_key"]!,
        ])
        let client = S3Client(config, multipartThreshold: 5 << 20, partSize: 5 << 20)
        try client.checkAccess()
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("s3live-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let body = Data((0..<(11 << 20)).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ $0 >> 13) })     // 3 parts
        try body.write(to: URL(fileURLWithPath: dir + "/big.seg"))
        let key = config.key("db1/t2/txn3.seg")
        try client.upload(file: dir + "/big.seg", to: key)
        try Data("small".utf8).write(to: URL(fileURLWithPath: dir + "/small.seg"))
        try client.upload(file: dir + "/small.seg", to: config.key("db1/t2/txn4.seg"))
        #expect(try client.exists(key))
        try client.download(key, to: dir + "/copy.seg")
        #expect(try Data(contentsOf: URL(fileURLWithPath: dir + "/copy.seg")) == body)
        // Two catch-ups may fetch the same segment at once: every download succeeds, whole, and leaves no partial file.
        let failures = Mutex(0)
        DispatchQueue.concurrentPerform(iterations: 6) { _ in
            do { try client.download(key, to: dir + "/copy.seg") } catch { failures.withLock { $0 += 1 } }
        }
        #expect(failures.withLock { $0 } == 0)
        #expect(try Data(contentsOf: URL(fileURLWithPath: dir + "/copy.seg")) == body)
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir).filter { $0.hasSuffix(".part") }.isEmpty)
        let listed = try client.list(prefix: config.listPrefix).compactMap(config.relative)
        #expect(Set(listed) == ["db1/t2/txn3.seg", "db1/t2/txn4.seg"])
        try client.delete(key)
        try client.delete(config.key("db1/t2/txn4.seg"))
        #expect(try !client.exists(key))
        #expect(throws: ObjectStoreError.self) { try client.download(key, to: dir + "/gone.seg") }

        var wrong = config
        wrong.secretKey = "not-the-secret"
        do {
            try S3Client(wrong, retry: RetryPolicy(attempts: 1)).checkAccess()
            Issue.record("a wrong secret was accepted")
        } catch {
            #expect(error.status == 403 && !error.description.contains("not-the-secret"))
        }
    }
}
