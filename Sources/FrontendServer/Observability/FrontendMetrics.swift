import Foundation
import JobScheduler
import Prometheus
import Synchronization
import TaskContract

/// The FE's Prometheus metrics (GET /metrics on http_port), on swift-prometheus' registry. Routine-load metrics carry
/// StarRocks' names (`starrocks_fe_routine_load_*`) so existing dashboards and alerts work; Tributary's own carry
/// `tributary_`.
///
/// Two kinds: event counters and histograms, moved where the event happens (a statement, a commit); and values read
/// from the scheduler's in-memory job views at each scrape (job states, per-job rows and lag). A scrape never asks
/// Kafka: lag comes from the scheduler's own watermark checks (see ``PartitionLag``).
final class FrontendMetrics: Sendable {
    let registry = PrometheusCollectorRegistry()
    /// Per-job series live in shards, by job id: swift-prometheus copies a family's whole label-set dictionary when it
    /// adds a series, so one registry holding 10,000 jobs' series costs O(n²) to fill (measured: over 15 s for the first
    /// scrape at 10,000 jobs). With 128 shards a family holds ~80 series per shard; the scrape merges the shards' text
    /// family by family (``PrometheusText/merge(_:)``), so each family keeps one HELP and TYPE line.
    private let shards = (0..<128).map { _ in PrometheusCollectorRegistry() }

    /// The statement kinds counted in `tributary_fe_statements_total{type=…}`.
    enum StatementKind: String, CaseIterable, Sendable {
        case select, insert, show, ddl, set, use, kill, user, routine_load, cluster, storage_volume, other
    }

    private let queries: Counter
    private let queryErrors: Counter
    private let statements: [StatementKind: Counter]
    private let taskDuration: DurationHistogram
    private let commitLatency: DurationHistogram
    private let loadedRows: Counter, receivedBytes: Counter, errorRows: Counter, paused: Counter
    private let connections: Gauge
    private let nodesAlive: Gauge, nodesTotal: Gauge
    private let jobsByState: [String: Gauge]

    /// Per job: the counters last seen (deltas move the counters) and its labelled collectors.
    private struct JobSeries {
        var rows: Int64, bytes: Int64, errors: Int64
        let labels: [(String, String)]
        let rowsCounter: Counter, bytesCounter: Counter, errorsCounter: Counter
        let maxLag: Gauge, maxLagTime: Gauge
        var partitions: [Int32: (messages: Gauge, seconds: Gauge)]
    }
    private let jobs = Mutex<[Int64: JobSeries]>([:])
    private let scrapeLock = NSLock()

    static let states = ["NEED_SCHEDULE", "RUNNING", "PAUSED", "STOPPED", "CANCELLED", "UNSTABLE"]

    init() {
        func d(_ name: String, _ help: String) -> MetricNameDescriptor { MetricNameDescriptor(metricName: name, unitName: "", helpText: help) }
        queries = registry.makeCounter(descriptor: d("starrocks_fe_query_total", "Statements received"))
        queryErrors = registry.makeCounter(descriptor: d("starrocks_fe_query_err", "Statements answered with an error"))
        var byKind: [StatementKind: Counter] = [:]
        for kind in StatementKind.allCases {
            byKind[kind] = registry.makeCounter(descriptor: d("tributary_fe_statements_total", "Statements by type"), labels: [("type", kind.rawValue)])
        }
        statements = byKind
        let seconds: [Duration] = [.milliseconds(5), .milliseconds(25), .milliseconds(100), .milliseconds(250), .milliseconds(500),
                                   .seconds(1), .milliseconds(2500), .seconds(5), .seconds(10), .seconds(30), .seconds(60)]
        taskDuration = registry.makeDurationHistogram(descriptor: d("tributary_fe_routine_load_task_duration_seconds",
                                                                     "Time a routine load task spent consuming and writing on its node"), buckets: seconds)
        commitLatency = registry.makeDurationHistogram(descriptor: d("tributary_fe_routine_load_commit_latency_seconds",
                                                                      "Time to publish a task's segment and move its job in the catalog"), buckets: seconds)
        loadedRows = registry.makeCounter(descriptor: d("starrocks_fe_routine_load_rows", "Rows loaded by routine load"))
        receivedBytes = registry.makeCounter(descriptor: d("starrocks_fe_routine_load_receive_bytes", "Bytes received by routine load"))
        errorRows = registry.makeCounter(descriptor: d("starrocks_fe_routine_load_error_rows", "Rows routine load filtered as errors"))
        paused = registry.makeCounter(descriptor: d("starrocks_fe_routine_load_paused", "Times a routine load job went to PAUSED"))
        connections = registry.makeGauge(descriptor: d("starrocks_fe_connection_total", "Open MySQL connections"))
        nodesAlive = registry.makeGauge(descriptor: d("tributary_fe_compute_nodes_alive", "Compute nodes answering heartbeats"))
        nodesTotal = registry.makeGauge(descriptor: d("tributary_fe_compute_nodes", "Compute nodes registered"))
        var states: [String: Gauge] = [:]
        for s in Self.states {
            states[s] = registry.makeGauge(descriptor: d("starrocks_fe_routine_load_jobs", "Routine load jobs by state"), labels: [("state", s)])
        }
        jobsByState = states
    }

    // MARK: - Events

    func statement(_ kind: StatementKind, failed: Bool) {
        queries.increment()
        statements[kind]?.increment()
        if failed { queryErrors.increment() }
    }

    func taskFinished(executeMillis: Int64) { taskDuration.record(.milliseconds(max(0, executeMillis))) }

    /// A task's commit: how long it took, and (when it went through) the rows and bytes it loaded, counted FE-wide.
    func committed(after duration: Duration, _ outcome: TaskOutcome?) {
        commitLatency.record(duration)
        guard let outcome else { return }
        loadedRows.increment(by: max(0, outcome.loadedRows))           // swift-prometheus traps on a negative increment
        receivedBytes.increment(by: max(0, outcome.receivedBytes))
        errorRows.increment(by: max(0, outcome.filteredRows))
    }

    func jobPaused() { paused.increment() }

    // MARK: - Scrape

    /// The metrics text, with the job values read from `views` and the connection and node counts given.
    func scrape(_ views: [SchedulerCore.JobView], now: Double, unstableThreshold: Int, connections open: Int,
                nodes: (alive: Int, total: Int)) -> String {
        scrapeLock.lock()                                  // one scrape at a time: a flood of scrapes costs one core at most
        defer { scrapeLock.unlock() }
        connections.set(Int64(open))
        nodesAlive.set(Int64(nodes.alive))
        nodesTotal.set(Int64(nodes.total))
        var counts = Dictionary(uniqueKeysWithValues: Self.states.map { ($0, 0) })
        jobs.withLock { series in
            // Series of jobs that ended or are gone go first: a job stopped and created again under the same name between
            // two scrapes gets its own series, not the old one's (the registry hands out collectors by name and labels).
            let live = Set(views.lazy.filter { !$0.job.state.isFinal }.map(\.job.id))
            for (id, s) in series where !live.contains(id) {
                let registry = shard(id)
                for c in [s.rowsCounter, s.bytesCounter, s.errorsCounter] { registry.unregisterCounter(c) }
                for g in [s.maxLag, s.maxLagTime] + s.partitions.values.flatMap({ [$0.messages, $0.seconds] }) { registry.unregisterGauge(g) }
                series[id] = nil
            }
            for view in views {
                let job = view.job
                let lag = view.lag(now: now)
                let unstable = view.unstableReason(lag: lag, threshold: unstableThreshold) != nil
                counts[unstable ? "UNSTABLE" : job.state.rawValue, default: 0] += 1
                guard !job.state.isFinal else { continue }
                var s = series[job.id] ?? makeSeries(job)
                let st = job.statistics
                if st.loadedRows > s.rows { s.rowsCounter.increment(by: st.loadedRows - s.rows) }
                if st.receivedBytes > s.bytes { s.bytesCounter.increment(by: st.receivedBytes - s.bytes) }
                if st.errorRows > s.errors { s.errorsCounter.increment(by: st.errorRows - s.errors) }
                s.rows = max(s.rows, st.loadedRows); s.bytes = max(s.bytes, st.receivedBytes); s.errors = max(s.errors, st.errorRows)
                s.maxLag.set(lag.map(\.messages).max() ?? 0)
                s.maxLagTime.set(lag.map(\.seconds).max() ?? 0)
                for p in lag {
                    let gauges = s.partitions[p.partition] ?? makePartition(shard(job.id), s.labels, p.partition)
                    gauges.messages.set(p.messages)
                    gauges.seconds.set(p.seconds)
                    s.partitions[p.partition] = gauges
                }
                series[job.id] = s
            }
        }
        for (state, gauge) in jobsByState { gauge.set(Int64(counts[state] ?? 0)) }
        return registry.emitToString() + PrometheusText.merge(shards.map { $0.emitToString() })
    }

    private func makeSeries(_ job: RoutineLoadJob) -> JobSeries {
        func d(_ name: String, _ help: String) -> MetricNameDescriptor { MetricNameDescriptor(metricName: name, unitName: "", helpText: help) }
        let labels = [("db", job.databaseName), ("job_name", job.name)]
        // A job's counters start at its totals as stored, so a restarted FE goes on from them; the FE-wide ones count
        // what this FE process committed (``committed(after:_:)``).
        let s = job.statistics
        let registry = shard(job.id)
        let rows = registry.makeCounter(descriptor: d("tributary_fe_routine_load_job_rows", "Rows loaded by a job"), labels: labels)
        let bytes = registry.makeCounter(descriptor: d("tributary_fe_routine_load_job_receive_bytes", "Bytes received by a job"), labels: labels)
        let errors = registry.makeCounter(descriptor: d("tributary_fe_routine_load_job_error_rows", "Rows a job filtered as errors"), labels: labels)
        let (loaded, received, failed) = (max(0, s.loadedRows), max(0, s.receivedBytes), max(0, s.errorRows))
        rows.increment(by: loaded); bytes.increment(by: received); errors.increment(by: failed)
        return JobSeries(rows: loaded, bytes: received, errors: failed, labels: labels,
                         rowsCounter: rows, bytesCounter: bytes, errorsCounter: errors,
                         maxLag: registry.makeGauge(descriptor: d("starrocks_fe_routine_load_max_lag_of_partition",
                                                                  "A job's largest partition lag, in messages"), labels: labels),
                         maxLagTime: registry.makeGauge(descriptor: d("starrocks_fe_routine_load_max_lag_time_of_partition",
                                                                      "A job's largest partition lag, in seconds"), labels: labels),
                         partitions: [:])
    }

    private func shard(_ job: Int64) -> PrometheusCollectorRegistry { shards[Int(job.magnitude % UInt64(shards.count))] }

    private func makePartition(_ registry: PrometheusCollectorRegistry, _ labels: [(String, String)], _ p: Int32) -> (messages: Gauge, seconds: Gauge) {
        func d(_ name: String, _ help: String) -> MetricNameDescriptor { MetricNameDescriptor(metricName: name, unitName: "", helpText: help) }
        let l = labels + [("partition", String(p))]
        return (registry.makeGauge(descriptor: d("tributary_fe_routine_load_partition_lag", "Messages not loaded yet, per partition"), labels: l),
                registry.makeGauge(descriptor: d("tributary_fe_routine_load_partition_lag_seconds",
                                                 "How long a partition has been behind, in seconds"), labels: l))
    }
}
