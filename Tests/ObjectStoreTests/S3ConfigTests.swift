import Foundation
import ObjectStore
import Testing

@Suite struct S3ConfigTests {
    let keys = ["aws.s3.access_key": "AK", "aws.s3.secret_key": "SECRETSECRET"]

    @Test func seedVolume() throws {
        var p = keys
        p["aws.s3.endpoint"] = "minio:9000"
        let c = try S3Config(location: "s3://my-starrocks-bucket/", properties: p)
        #expect(c.endpoint == "http://minio:9000")
        #expect(c.region == "us-east-1")
        #expect(c.bucket == "my-starrocks-bucket" && c.prefix == "")
        #expect(c.pathStyle)
        #expect(c.url(key: "db1/t2/txn3.seg") == "http://minio:9000/my-starrocks-bucket/db1/t2/txn3.seg")
        #expect(!c.description.contains("SECRET") && !"\(c)".contains("AK"))
    }

    @Test func awsVirtualHostAndPrefix() throws {
        var p = keys
        p["aws.s3.region"] = "eu-west-1"
        let c = try S3Config(location: "s3://bucket-a/some/prefix//", properties: p)
        #expect(c.prefix == "some/prefix")
        #expect(c.endpoint == "https://s3.eu-west-1.amazonaws.com")
        #expect(!c.pathStyle)
        #expect(c.url(key: c.key("db1/x.seg")) == "https://bucket-a.s3.eu-west-1.amazonaws.com/some/prefix/db1/x.seg")
        p["aws.s3.enable_path_style_access"] = "true"
        #expect(try S3Config(location: "s3://bucket-a", properties: p).url(key: "k") == "https://s3.eu-west-1.amazonaws.com/bucket-a/k")
    }

    @Test func endpoints() throws {
        #expect(try S3Config.normalizeEndpoint("https://10.0.0.1:9000/", region: "x") == "https://10.0.0.1:9000")
        #expect(try S3Config.normalizeEndpoint("s3.amazonaws.com", region: "x") == "https://s3.amazonaws.com")
        #expect(try S3Config.normalizeEndpoint("[::1]:9000", region: "x") == "http://[::1]:9000")
        for bad in ["file:///etc/passwd", "http://user:pw@host", "http://host/path", "host:99999", "gopher://h", "a b"] {
            #expect(throws: S3ConfigError.self) { try S3Config.normalizeEndpoint(bad, region: "x") }
        }
    }

    @Test func locations() {
        #expect(S3Config.parseLocation("s3://ab") == nil)
        #expect(S3Config.parseLocation("s3://Upper") == nil)
        #expect(S3Config.parseLocation("hdfs://x/y") == nil)
        #expect(S3Config.parseLocation("s3://bkt/../etc") == nil)
        #expect(S3Config.parseLocation("s3://bkt/a b") == nil)
        #expect(S3Config.parseLocation("s3://bkt/a/b_c-d.e")! == ("bkt", "a/b_c-d.e"))
    }

    @Test func credentialsModes() {
        #expect(throws: S3ConfigError.self) { try S3Config(location: "s3://bkt", properties: [:]) }
        var p = keys
        p["aws.s3.use_instance_profile"] = "true"
        #expect(throws: S3ConfigError.self) { try S3Config(location: "s3://bkt", properties: p) }
    }

    @Test func queryIsCanonical() throws {
        let c = try S3Config(location: "s3://bkt/pre", properties: keys.merging(["aws.s3.endpoint": "http://h:1"]) { $1 })
        #expect(c.listObjects(prefix: "pre/", continuation: "a+b/c=").url
                == "http://h:1/bkt/?continuation-token=a%2Bb%2Fc%3D&list-type=2&max-keys=1000&prefix=pre%2F")
        let nested = try S3Config(location: "s3://bkt/a/b", properties: keys.merging(["aws.s3.endpoint": "http://h:1"]) { $1 })
        #expect(nested.listPrefix == "a" && nested.relative("a/b/db1/t1/txn1.seg") == "db1/t1/txn1.seg" && nested.relative("a/bc/x") == nil)
        #expect(c.uploadPart("k", uploadID: "u~1", part: 2, body: []).url == "http://h:1/bkt/k?partNumber=2&uploadId=u~1")
    }

    @Test func listAnswers() {
        let xml = """
            <ListBucketResult><IsTruncated>true</IsTruncated><Contents><Key>a/1.seg</Key></Contents>\
            <Contents><Key>a/&amp;2.seg</Key></Contents><NextContinuationToken>tok</NextContinuationToken></ListBucketResult>
            """
        let page = S3XML.listPage(xml)
        #expect(page.keys == ["a/1.seg", "a/&2.seg"] && page.next == "tok")
        #expect(S3XML.listPage("<IsTruncated>false</IsTruncated>").next == nil)
    }

    @Test func retries() {
        let r = RetryPolicy(attempts: 3, firstDelay: 0.1, maxDelay: 1)
        #expect(r.delay(after: 1, .transport) == 0.1)
        #expect(r.delay(after: 2, .status(503)) == 0.2)
        #expect(r.delay(after: 3, .status(503)) == nil)
        #expect(r.delay(after: 1, .status(403)) == nil)
        #expect(r.delay(after: 1, .status(404)) == nil)
        #expect(r.delay(after: 1, .status(429)) == 0.1)
    }
}

@Suite struct S3KeyLayoutTests {
    @Test func partitionedPrefixesSpreadAndInvert() throws {
        let c = try S3Config(location: "s3://bkt", properties: ["aws.s3.access_key": "a", "aws.s3.secret_key": "b",
                                                                "aws.s3.enable_partitioned_prefix": "true", "aws.s3.num_partitioned_prefix": "8"])
        #expect(c.partitions == 8 && c.listPrefix == "")
        let keys = (1...50).map { c.key("db1/t2/txn\($0).seg") }
        #expect(Set(keys.map { $0.prefix(4) }).count > 1)
        #expect(keys.allSatisfy { c.relative($0) != nil })
        #expect(c.relative(keys[0]) == "db1/t2/txn1.seg")
        #expect(c.relative("0000/db1/t2/txn1.seg") == nil || c.key("db1/t2/txn1.seg") == "0000/db1/t2/txn1.seg")
        let plain = try S3Config(location: "s3://bkt/pre", properties: ["aws.s3.access_key": "a", "aws.s3.secret_key": "b"])
        #expect(plain.listPrefix == "pre" && plain.relative("pre/db1/t2/txn1.seg") == "db1/t2/txn1.seg" && plain.relative("other/x") == nil)
    }
}

@Suite struct S3UploadListTests {
    @Test func multipartUploadsAreRead() {
        let xml = """
            <ListMultipartUploadsResult><Upload><Key>c/db1/t1/txn1.seg</Key><UploadId>u+1/x</UploadId>\
            <Initiated>2026-12-01T10:00:00.000Z</Initiated></Upload><Upload><Key>k2</Key><UploadId>u2</UploadId></Upload>\
            </ListMultipartUploadsResult>
            """
        let uploads = S3XML.uploads(xml)
        #expect(uploads.count == 2 && uploads[0].key == "c/db1/t1/txn1.seg" && uploads[0].uploadID == "u+1/x")
        #expect(uploads[0].initiated == Date(timeIntervalSince1970: 1_796_119_200))
        #expect(uploads[1].initiated == nil)
    }
}

@Suite struct S3ConfigShapeTests {
    @Test func onlyWellFormedConfigsPass() throws {
        let good = try S3Config(location: "s3://bkt/a/b", properties: ["aws.s3.access_key": "a", "aws.s3.secret_key": "b", "aws.s3.endpoint": "h:9000"])
        #expect(good.isWellFormed)
        for change in [{ (c: inout S3Config) in c.bucket = "../x" }, { $0.prefix = "a/../../b" }, { $0.endpoint = "file:///etc" },
                       { $0.endpoint = "http://h:9000/path" }, { $0.prefix = "/abs" }, { $0.partitions = -1 }] {
            var c = good
            change(&c)
            #expect(!c.isWellFormed)
        }
    }
}
