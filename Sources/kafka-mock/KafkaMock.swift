import ArgumentParser
import Dispatch
import Foundation
import Kafka

/// `kafka-mock`: a Kafka-protocol broker on loopback (librdkafka's mock cluster) for tests and demos.
/// Prints `bootstrap: host:port` and runs until killed. Lines on standard input control it: `down` takes the
/// brokers down (an outage on the same ports), `up` brings them back; each is answered with `ok`.
@main
struct KafkaMock: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "kafka-mock",
        abstract: "Run librdkafka's mock Kafka cluster on loopback (kcat and kafka-python 2.0.2 can talk to it).")

    @Option(name: .long, help: "Number of brokers.")
    var brokers: Int32 = 1

    @Option(name: .long, help: "Topic to create, as name:partitions (repeatable).")
    var topic: [String] = []

    func run() throws {
        let cluster = try KafkaMockCluster(brokers: brokers)
        for spec in topic {
            let parts = spec.split(separator: ":")
            guard parts.count == 2, let n = Int32(parts[1]), n > 0 else { throw ValidationError("--topic takes name:partitions, got '\(spec)'") }
            try cluster.createTopic(String(parts[0]), partitions: n)
        }
        FileHandle.standardOutput.write(Data("bootstrap: \(cluster.bootstrapServers)\n".utf8))
        let control = Thread {
            while let line = readLine() {
                switch line.trimmingCharacters(in: .whitespaces) {
                case "down": cluster.setBrokersUp(false)
                case "up": cluster.setBrokersUp(true)
                default: continue
                }
                FileHandle.standardOutput.write(Data("ok\n".utf8))
            }
        }
        control.start()
        withExtendedLifetime(cluster) { dispatchMain() }
    }
}
