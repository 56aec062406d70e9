import Testing
@testable import CatalogStore
import SQLParser

@Suite struct StorageVolumeTests {
    @Test func namesFollowStarRocks() {
        #expect(throws: StorageVolumeError("'storage volume name' can not be null or empty")) { try StorageVolumeRules.checkName("") }
        #expect(throws: StorageVolumeError("builtin_storage_volume can not be created by SQL")) { try StorageVolumeRules.checkName("builtin_storage_volume") }
        #expect(throws: StorageVolumeError("Incorrect storage volume name '1abc'", code: 5063, sqlState: "42000")) { try StorageVolumeRules.checkName("1abc") }
        #expect(throws: StorageVolumeError.self) { try StorageVolumeRules.checkName(String(repeating: "a", count: 65)) }
        #expect(throws: StorageVolumeError.self) { try StorageVolumeRules.checkName("a-b") }
        #expect(throws: Never.self) { try StorageVolumeRules.checkName("s3_volume"); try StorageVolumeRules.checkName("_x1") }
    }

    @Test func typesAndLocations() throws {
        #expect(throws: StorageVolumeError("Unknown storage volume type: FTP")) { _ = try StorageVolumeRules.checkType("FTP") }
        #expect(throws: StorageVolumeError.self) { _ = try StorageVolumeRules.checkType("hdfs") }
        #expect(try StorageVolumeRules.checkType("s3") == "S3")
        #expect(throws: StorageVolumeError("'storage volume locations' can not be empty")) { try StorageVolumeRules.checkLocations([]) }
        #expect(throws: StorageVolumeError("'location in storage volume' can not be empty")) { try StorageVolumeRules.checkLocations([""]) }
        #expect(throws: StorageVolumeError("Invalid location hdfs://x")) { try StorageVolumeRules.checkLocations(["hdfs://x"]) }
    }

    @Test func propertiesAreCheckedAndDefaulted() throws {
        #expect(throws: StorageVolumeError("Invalid properties aws.s3.bogus")) { _ = try StorageVolumeRules.params([("aws.s3.bogus", "1")], location: "s3://b") }
        #expect(throws: StorageVolumeError.self) { _ = try StorageVolumeRules.params([("aws.s3.num_partitioned_prefix", "x")], location: "s3://b") }
        #expect(throws: StorageVolumeError.self) { _ = try StorageVolumeRules.params([("aws.s3.num_partitioned_prefix", "-1")], location: "s3://b") }
        #expect(throws: StorageVolumeError.self) {
            _ = try StorageVolumeRules.params([("aws.s3.enable_partitioned_prefix", "true")], location: "s3://b/sub")
        }
        let (params, enabled) = try StorageVolumeRules.params([("enabled", "TRUE"), ("aws.s3.endpoint", "minio:9000")], location: "s3://b/")
        #expect(enabled == true)
        #expect(params == ["aws.s3.endpoint": "minio:9000", "aws.s3.region": "us-east-1", "aws.s3.use_instance_profile": "false",
                           "aws.s3.use_web_identity_token_file": "false", "aws.s3.use_aws_sdk_default_behavior": "false"])
    }

    @Test func displayMasksSecretsInSeedOrder() {
        let json = StorageVolume.displayJSON(["aws.s3.secret_key": "S", "aws.s3.access_key": "A", "aws.s3.endpoint": "minio:9000",
                                              "aws.s3.region": "us-east-1", "aws.s3.enable_path_style_access": "true"])
        #expect(json == #"{"aws.s3.access_key":"******","aws.s3.secret_key":"******","aws.s3.endpoint":"minio:9000","aws.s3.region":"us-east-1","aws.s3.enable_path_style_access":"true"}"#)
    }

    @Test func alterMergesAndGuards() throws {
        let v = StorageVolume(id: 1, name: "v", type: "S3", locations: ["s3://b"], params: ["aws.s3.region": "us-east-1", "aws.s3.access_key": "A"],
                              enabled: true, comment: "", isDefault: true)
        let merged = try StorageVolumeRules.merged(v, with: [("aws.s3.access_key", "B")])
        #expect(merged.params["aws.s3.access_key"] == "B" && merged.params["aws.s3.region"] == "us-east-1" && merged.enabled)
        #expect(throws: StorageVolumeError("Default volume can not be disabled")) { _ = try StorageVolumeRules.merged(v, with: [("enabled", "false")]) }
        #expect(throws: StorageVolumeError("Storage volume property 'aws.s3.enable_partitioned_prefix' is immutable!")) {
            _ = try StorageVolumeRules.merged(v, with: [("aws.s3.enable_partitioned_prefix", "true")])
        }
    }

    @Test func catalogKeepsOneDefaultAndFindsReferences() throws {
        let store = try CatalogStore.inMemory()
        let v = StorageVolume(id: 0, name: "a", type: "S3", locations: ["s3://b"], params: [:], enabled: true, comment: "", isDefault: false)
        #expect(try store.createStorageVolume(v, makeDefaultIfNone: true))
        #expect(try !store.createStorageVolume(v))
        var w = v
        w.name = "b"
        try store.createStorageVolume(w, makeDefaultIfNone: true)
        #expect(try store.defaultStorageVolume()?.name == "a")
        try store.setDefaultStorageVolume("b")
        #expect(try store.storageVolumes().filter(\.isDefault).map(\.name) == ["b"])
        let db = try store.createDatabase(name: "d", properties: [Property("storage_volume", "a")])
        #expect(try store.storageVolumeReferences("a").databases == [db.id])
        #expect(try store.storageVolumeReferences("b").databases.isEmpty)
    }
}
