import Dispatch
import Foundation
import JobScheduler
import Kafka
import LoadPipeline
import Storage

/// Runs one task to completion (reference routine_load.md §3.6): consume the task's partitions from their
/// begin offsets until task_consume_second, the byte or row cap, or the end of every partition; decode and
/// transform the messages; write the loaded rows as the transaction's segment; write rejected rows to an
/// error log. Never throws: every failure becomes a failed report the FE turns into an aborted transaction.
public struct TaskRunner: Sendable {
    /// Directory of error-log files, and the URL prefix they are served under.
    public let errorLogDirectory: String
    public let errorLogURLBase: String

    public init(errorLogDirectory: String, errorLogURLBase: String) {
        self.errorLogDirectory = errorLogDirectory; self.errorLogURLBase = errorLogURLBase
    }

    public func run(_ task: LoadTask) -> TaskReport {
        let started = DispatchTime.now()
        do {
            let outcome = try execute(task, started: started)
            return TaskReport(taskID: task.id, txnID: task.txnID, status: .finished, outcome: outcome)
        } catch {
            return TaskReport(taskID: task.id, txnID: task.txnID, status: .failed, failure: "\(error)")
        }
    }

    private func execute(_ task: LoadTask, started: DispatchTime) throws -> TaskOutcome {
        let plan = try LoadPlan(task.spec)
        let batch = LoadBatch(plan: plan)
        let consumer = try KafkaPartitionConsumer(brokers: task.brokers, topic: task.topic, start: task.begin,
                                                  properties: task.properties.map { ($0.key, $0.value) })
        var next: [Int32: Int64] = [:], timestamps: [Int32: Int64] = [:], latest: [Int32: Int64] = [:]
        var atEnd = Set<Int32>()
        var bytes: Int64 = 0
        let deadline = started.uptimeNanoseconds + UInt64(task.consumeSeconds * 1e9)
        while atEnd.count < task.begin.count, bytes < task.maxBatchBytes, batch.recordCount < task.maxBatchRows {
            let now = DispatchTime.now().uptimeNanoseconds
            guard now < deadline else { break }
            let wait = Int32(min(100, max(1, (deadline - now) / 1_000_000)))
            let events: [KafkaConsumerEvent]
            do {
                events = try consumer.poll(timeoutMilliseconds: wait) { m in
                    batch.add(m.payload)
                    next[m.partition] = m.offset + 1
                    if m.timestamp >= 0 { timestamps[m.partition] = m.timestamp }
                    bytes += Int64(m.payload.count)
                    atEnd.remove(m.partition)
                }
            } catch {
                throw Self.consumeFailure(error, at: next, begin: task.begin)
            }
            for case .endOfPartition(let p, let end) in events {
                atEnd.insert(p)
                latest[p] = end
                // An end beyond the last message (transaction markers) still moves the offset.
                if end > (next[p] ?? task.begin[p] ?? end) { next[p] = end }
            }
        }
        let result = try batch.finish()
        if !result.rows.isEmpty {
            let columns = task.spec.tableColumns.map { Relation.Column($0.name, $0.type, nullable: $0.nullable) }
            try Segment.write(to: (task.volumeRoot as NSString).appendingPathComponent(task.segment), columns: columns,
                              rows: result.rows, ops: result.ops)
        }
        var url: String?
        if !result.rejected.isEmpty { url = try writeErrorLog(task, result.rejected) }
        let elapsed = Int64((DispatchTime.now().uptimeNanoseconds - started.uptimeNanoseconds) / 1_000_000)
        return TaskOutcome(endOffsets: next, timestamps: timestamps, latestOffsets: latest, loadedRows: Int64(result.loadedRows),
                           filteredRows: Int64(result.filteredRows), unselectedRows: Int64(result.unselectedRows),
                           receivedBytes: bytes, executeMillis: max(1, elapsed), errorLogURL: url)
    }

    /// The task's failure text for a consumer error; an offset outside the log gets StarRocks' advice.
    static func consumeFailure(_ error: KafkaError, at next: [Int32: Int64], begin: [Int32: Int64]) -> LoadError {
        guard case .partitionFailed(let p, let text) = error else { return LoadError("\(error)") }
        guard text.lowercased().contains("offset out of range") else { return LoadError(text) }
        return LoadError("\(text), this is no data in partition: \(p) at offset: \(next[p] ?? begin[p] ?? -1). "
            + "you can modify kafka_offsets by alter routine load, then resume the job. "
            + "refer to https://docs.starrocks.io/docs/sql-reference/sql-statements/data-manipulation/ALTER_ROUTINE_LOAD")
    }

    /// One line per rejected row: `Error: <reason>. Row: <row>`, as StarRocks' error logs read.
    private func writeErrorLog(_ task: LoadTask, _ rows: [RejectedRow]) throws -> String {
        try FileManager.default.createDirectory(atPath: errorLogDirectory, withIntermediateDirectories: true)
        let name = "error_log_\(task.label.replacingOccurrences(of: "/", with: "_"))_\(task.txnID)"
        let text = rows.map { "Error: \($0.reason). Row: \($0.row)\n" }.joined()
        try Data(text.utf8).write(to: URL(fileURLWithPath: (errorLogDirectory as NSString).appendingPathComponent(name)))
        return errorLogURLBase + "/api/_load_error_log?file=" + name
    }
}
