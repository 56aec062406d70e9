import Foundation
import Testing
@testable import Kafka

@Suite struct KafkaMetadataClientTests {
    @Test func partitionsAndWatermarksComeFromTheCluster() throws {
        let cluster = try KafkaMockCluster(brokers: 2)
        try cluster.createTopic("orders", partitions: 4)
        let client = KafkaMetadataClient(brokers: cluster.bootstrapServers)
        #expect(try client.partitions(topic: "orders") == [0, 1, 2, 3])
        let producer = try KafkaProducer(brokers: cluster.bootstrapServers)
        for (p, n) in [(0, 1), (3, 3)] { for i in 0..<n { try producer.send(topic: "orders", partition: Int32(p), value: Array("m\(i)".utf8)) } }
        try producer.flush()
        let marks = try client.watermarks(topic: "orders", partitions: [0, 1, 3])
        #expect(marks.count == 3)
        #expect(marks[0]?.low == 0 && marks[0]?.high == 1)
        #expect(marks[1]?.low == 0 && marks[1]?.high == 0)
        #expect(marks[3]?.low == 0 && marks[3]?.high == 3)
    }

    @Test func aPartitionTheTopicDoesNotHaveIsNamedInTheError() throws {
        let cluster = try KafkaMockCluster()
        try cluster.createTopic("orders", partitions: 2)
        let client = KafkaMetadataClient(brokers: cluster.bootstrapServers, timeoutMilliseconds: 2000)
        #expect {
            try client.watermarks(topic: "orders", partitions: [1, 7])
        } throws: { error in
            if case KafkaError.unknownPartition(_, let p) = error { return p == 7 }
            if case KafkaError.partitionFailed(let p, _) = error { return p == 7 }
            return false
        }
    }

    /// librdkafka 2.0.2's mock cluster creates any topic a client asks about (4 partitions), so the
    /// unknown-topic error path cannot be exercised against it; this pins that behaviour down so tests
    /// that rely on explicit topics notice if it changes.
    @Test func theMockCreatesTopicsOnFirstUse() throws {
        let cluster = try KafkaMockCluster()
        let client = KafkaMetadataClient(brokers: cluster.bootstrapServers, timeoutMilliseconds: 2000)
        #expect(try client.partitions(topic: "created_on_demand") == [0, 1, 2, 3])
    }

    @Test func unreachableBrokersTimeOutWithAnError() {
        // Port 1 on loopback: nothing listens, so every request fails fast or times out.
        let client = KafkaMetadataClient(brokers: "127.0.0.1:1", timeoutMilliseconds: 1000)
        #expect {
            try client.partitions(topic: "orders")
        } throws: { error in
            if case KafkaError.unreachable = error { return true }
            return false
        }
    }

    @Test func badLibrdkafkaSettingsAreReportedAsStarRocksDoes() {
        let client = KafkaMetadataClient(brokers: "127.0.0.1:1", properties: [("fetch.wait.max.ms", "999999999")])
        #expect {
            try client.partitions(topic: "t")
        } throws: { error in
            if case KafkaError.failed(let m) = error { return m.hasPrefix("failed to set 'fetch.wait.max.ms', value: '999999999', err:") }
            return false
        }
    }

    @Test func settingsOutsideTheAllowlistNeverReachLibrdkafka() {
        let marker = FileManager.default.temporaryDirectory.appendingPathComponent("kinit-\(UUID().uuidString)").path
        let client = KafkaMetadataClient(brokers: "127.0.0.1:1", timeoutMilliseconds: 500, properties: [
            ("security.protocol", "SASL_PLAINTEXT"), ("sasl.mechanism", "GSSAPI"), ("sasl.kerberos.kinit.cmd", "touch \(marker)")])
        #expect(throws: KafkaError.failed("kafka property 'sasl.kerberos.kinit.cmd' is not allowed: it runs a shell command")) {
            try client.partitions(topic: "t")
        }
        #expect(throws: KafkaError.self) {
            _ = try KafkaPartitionConsumer(brokers: "127.0.0.1:1", topic: "t", start: [0: 0], properties: [("plugin.library.paths", "/tmp/x.so")])
        }
        Thread.sleep(forTimeInterval: 0.2)
        #expect(!FileManager.default.fileExists(atPath: marker))
    }
}

@Suite struct KafkaPropertyPolicyTests {
    @Test func routineLoadSettingsPassAndDangerousOnesAreRefusedWithTheirReason() {
        for (k, v) in [("security.protocol", "SASL_SSL"), ("sasl.mechanism", "SCRAM-SHA-512"), ("sasl.username", "u"), ("sasl.password", "p w"),
                       ("ssl.ca.location", "/etc/ssl/ca.pem"), ("ssl.key.password", "x"), ("client.id", "c"), ("group.id", "g"),
                       ("isolation.level", "read_committed"), ("fetch.max.bytes", "1048576"), ("api.version.request", "true"),
                       ("sasl.kerberos.principal", "kafka/host@EXAMPLE.COM"), ("sasl.kerberos.keytab", "/etc/kafka.keytab"),
                       ("kafka_default_offsets", "OFFSET_BEGINNING")] {
            #expect(KafkaPropertyPolicy.refusal(key: k, value: v) == nil, "\(k)")
        }
        #expect(KafkaPropertyPolicy.refusal(key: "sasl.kerberos.kinit.cmd", value: "id") == "kafka property 'sasl.kerberos.kinit.cmd' is not allowed: it runs a shell command")
        #expect(KafkaPropertyPolicy.refusal(key: "plugin.library.paths", value: "x") == "kafka property 'plugin.library.paths' is not allowed: it loads code into the process")
        #expect(KafkaPropertyPolicy.refusal(key: "ssl.engine.location", value: "x")?.contains("loads code") == true)
        #expect(KafkaPropertyPolicy.refusal(key: "dr_msg_cb", value: "1")?.contains("callback") == true)
        #expect(KafkaPropertyPolicy.refusal(key: "interceptors", value: "1")?.contains("is not supported by routine load") == true)
        // Values librdkafka puts into the kinit command line cannot carry shell syntax.
        #expect(KafkaPropertyPolicy.refusal(key: "sasl.kerberos.principal", value: "a; id > /tmp/x") != nil)
        #expect(KafkaPropertyPolicy.refusal(key: "sasl.kerberos.keytab", value: "/k\"$(id)\"") != nil)
        #expect(KafkaPropertyPolicy.refusal(key: "security.protocol", value: "carrier-pigeon") != nil)
        #expect(KafkaPropertyPolicy.refusal(key: "fetch.max.bytes", value: "-1") != nil)
        #expect(KafkaPropertyPolicy.refusal(key: "client.id", value: "a\u{0}b") != nil)
        #expect(KafkaPropertyPolicy.librdkafkaSettings([("kafka_default_offsets", "1"), ("client.id", "c")]).map(\.0) == ["client.id"])
        // A kinit option instead of a principal, a relative path, OIDC's token endpoint, an oversized queue.
        #expect(KafkaPropertyPolicy.refusal(key: "sasl.kerberos.principal", value: "-c/tmp/catalog.sqlite") != nil)
        #expect(KafkaPropertyPolicy.refusal(key: "ssl.ca.location", value: "etc/ca.pem") != nil)
        #expect(KafkaPropertyPolicy.refusal(key: "ssl.ca.location", value: "probe") == nil)
        #expect(KafkaPropertyPolicy.refusal(key: "sasl.oauthbearer.method", value: "oidc") != nil)
        #expect(KafkaPropertyPolicy.refusal(key: "sasl.oauthbearer.token.endpoint.url", value: "http://169.254.169.254/") != nil)
        #expect(KafkaPropertyPolicy.refusal(key: "queued.max.messages.kbytes", value: "2097151") != nil)
        #expect(KafkaPropertyPolicy.isSecret("ssl.key.pem") && KafkaPropertyPolicy.isSecret("sasl.password") && !KafkaPropertyPolicy.isSecret("client.id"))
        for secret in ["SSL.Key.PEM", "ssl.key.password", "sasl.oauthbearer.client.secret", "PASSWORD", "my.Secret.x", "sasl.oauthbearer.config"] {
            #expect(KafkaPropertyPolicy.isSecret(secret), "\(secret)")
        }
        for plain in ["", "pass", "secre", "ssl.key.pem.x", "sasl.oauthbearer.method", "group.id", "sasl.username"] {
            #expect(!KafkaPropertyPolicy.isSecret(plain), "\(plain)")
        }
    }

    @Test func fileSettingsMustNameRegularFilesOutsideTributarysOwn() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("policy-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: dir + "/tls", withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        FileManager.default.createFile(atPath: dir + "/tls/key.pem", contents: Data("k".utf8))
        KafkaPropertyPolicy.protect([dir])
        defer { KafkaPropertyPolicy.protect([]) }
        #expect(KafkaPropertyPolicy.fileRefusal([("ssl.key.location", dir + "/tls/key.pem")])?.contains("a file of Tributary's own") == true)
        #expect(KafkaPropertyPolicy.fileRefusal([("ssl.key.location", dir + "/tls/../tls/key.pem")]) != nil)
        #expect(KafkaPropertyPolicy.fileRefusal([("ssl.ca.location", "/dev/urandom")]) == "kafka property 'ssl.ca.location' must name a regular file")
        #expect(KafkaPropertyPolicy.fileRefusal([("ssl.ca.location", "/etc/hostname")]) == nil)
        #expect(KafkaPropertyPolicy.fileRefusal([("ssl.ca.location", "/no/such/file.pem")]) == nil)      // may exist on the node
    }
}
