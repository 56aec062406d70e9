import Testing
@testable import SQLParser

@Suite struct StorageVolumeParserTests {
    func one(_ sql: String) throws -> Statement { try Parser.parse(sql).first! }

    @Test func seedCreateParses() throws {
        let s = try one("""
            CREATE STORAGE VOLUME s3_volume
                TYPE = S3
                LOCATIONS = ("s3://my-starrocks-bucket/")
                PROPERTIES ("enabled" = "true", "aws.s3.endpoint" = "minio:9000")
            """)
        #expect(s == .storageVolume(.create(CreateStorageVolume(
            name: "s3_volume", ifNotExists: false, type: "S3", locations: ["s3://my-starrocks-bucket/"], comment: nil,
            properties: [Property("enabled", "true"), Property("aws.s3.endpoint", "minio:9000")]))))
    }

    @Test func everyFormParses() throws {
        #expect(try one("CREATE STORAGE VOLUME IF NOT EXISTS `v` TYPE = s3 LOCATIONS = ('s3://a/b', 's3://c') COMMENT 'hi'")
                == .storageVolume(.create(CreateStorageVolume(name: "v", ifNotExists: true, type: "s3", locations: ["s3://a/b", "s3://c"],
                                                              comment: "hi", properties: []))))
        #expect(try one("ALTER STORAGE VOLUME v SET (\"enabled\" = \"false\"), COMMENT = 'x'")
                == .storageVolume(.alter(name: "v", ifExists: false, comment: "x", properties: [Property("enabled", "false")])))
        #expect(try one("ALTER STORAGE VOLUME IF EXISTS 'v' COMMENT = 'x'")
                == .storageVolume(.alter(name: "v", ifExists: true, comment: "x", properties: [])))
        #expect(try one("DROP STORAGE VOLUME IF EXISTS v") == .storageVolume(.drop(name: "v", ifExists: true)))
        #expect(try one("SET s3_volume AS DEFAULT STORAGE VOLUME") == .storageVolume(.setDefault("s3_volume")))
        #expect(try one("SHOW STORAGE VOLUMES LIKE 's3%'") == .storageVolume(.show(like: "s3%")))
        #expect(try one("SHOW STORAGE VOLUMES") == .storageVolume(.show(like: nil)))
        #expect(try one("DESC STORAGE VOLUME s3_volume") == .storageVolume(.describe("s3_volume")))
        #expect(try one("DESCRIBE STORAGE VOLUME `s3_volume`") == .storageVolume(.describe("s3_volume")))
    }

    @Test func variablesStillSet() throws {
        guard case .set = try one("SET autocommit = 1") else { Issue.record("SET no longer parses"); return }
        #expect(throws: ParseError.self) { try one("CREATE STORAGE VOLUME v TYPE = S3") }
        #expect(throws: ParseError.self) { try one("ALTER STORAGE VOLUME v") }
    }
}

@Suite struct SecretRedactionTests {
    @Test func credentialsAreMasked() {
        let sql = """
            CREATE STORAGE VOLUME v TYPE = S3 LOCATIONS = ("s3://b") PROPERTIES ("aws.s3.access_key" = "AK1", \
            "aws.s3.secret_key" = "SK2", "aws.s3.endpoint" = "minio:9000")
            """
        let out = SecretRedaction.redact(sql)
        #expect(!out.contains("AK1") && !out.contains("SK2") && out.contains("minio:9000") && out.contains("'******'"))
        #expect(!SecretRedaction.redact("CREATE USER u IDENTIFIED BY 'pw1'").contains("pw1"))
        #expect(!SecretRedaction.redact("CREATE USER u IDENTIFIED WITH mysql_native_password BY 'pw1'").contains("pw1"))
        #expect(!SecretRedaction.redact("SET PASSWORD = PASSWORD('pw2')").contains("pw2"))
        #expect(!SecretRedaction.redact("SET PASSWORD FOR u = 'pw3'").contains("pw3"))
        #expect(!SecretRedaction.redact(#"CREATE ROUTINE LOAD j ON t FROM KAFKA ("property.sasl.password" = "pw4")"#).contains("pw4"))
        #expect(!SecretRedaction.redact(#"FROM KAFKA ("confluent.schema.registry.url" = "http://k:pw5@h:8081")"#).contains("pw5"))
        #expect(SecretRedaction.redact("SELECT 'password'") == "SELECT 'password'")
        #expect(SecretRedaction.redact("SELECT 1") == "SELECT 1")
        #expect(!SecretRedaction.redact("CREATE USER u IDENTIFIED BY 'unterminated").contains("unterminated"))
    }
}
