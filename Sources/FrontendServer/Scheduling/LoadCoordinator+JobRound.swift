import CatalogStore
import ComputeNode
import Expressions
import Foundation
import JobScheduler
import LoadPipeline

/// The job round (reference routine_load.md §3.1): prepare, split and re-split jobs; drop the tasks of jobs that
/// left RUNNING.
extension LoadCoordinator {
    func jobRound(now: Double, runningOnly: Bool = false) {
        guard let stored = try? catalog.routineLoadJobs(database: nil) else { return }
        var seen = Set<Int64>()
        for s in stored {
            seen.insert(s.id)
            guard let job = RoutineLoadJob(stored: s), !runningOnly || job.state == .running else { continue }
            switch job.state {
            case .needSchedule:
                dropTasks(job.id, reason: "the job is rescheduled")
                schedule(job, stored: s, now: now)
            case .running:
                if let pinned = job.definition.source.partitions, pinned.sorted() == job.currentPartitions.sorted() {
                    if tasks(of: job.id).isEmpty { schedule(job, stored: s, now: now) }
                } else if let current = try? kafka.partitions(brokers: job.definition.source.brokerList, topic: job.definition.source.topic,
                                                             properties: Self.kafkaProperties(job)),
                          current.sorted() != job.currentPartitions.sorted() {
                    // The topic grew or shrank: split again.
                    dropTasks(job.id, reason: "the partitions of the topic changed")
                    var changed = job
                    try? changed.reschedule()
                    if save(changed, over: s) { schedule(changed, stored: nil, now: now) }
                } else if tasks(of: job.id).isEmpty {
                    schedule(job, stored: s, now: now)
                }
            case .paused, .stopped, .cancelled:
                dropTasks(job.id, reason: "the job is \(job.state.rawValue)")
            }
        }
        for jobID in lock.withLock({ Array(tasks.keys) }) where !seen.contains(jobID) { dropTasks(jobID, reason: "the job is gone") }
    }

    /// Prepares a job and splits it into tasks when nodes are alive (§3.1 step 3).
    func schedule(_ job: RoutineLoadJob, stored: StoredRoutineLoadJob?, now: Double) {
        guard let current = stored ?? (try? catalog.routineLoadJob(id: job.id)) ?? nil else { return }
        var prepared = job
        // A RUNNING job that only lost its tasks (FE restart) keeps its partitions and offsets: a Kafka hiccup
        // must not pause it (§2.6: discovery failures of RUNNING jobs are ignored).
        let resplit = job.state == .running && !job.currentPartitions.isEmpty && job.currentPartitions.allSatisfy { job.progress[$0] != nil }
        if !resplit {
            if let down = prepared.prepare(using: kafka, at: now) {
                // Resumed during an outage: the job runs on the partitions and offsets it knows; its tasks wait for Kafka.
                sources.failed(job.id, down.message, at: now)
                logger.warning("routine load job \(job.name): kafka is not reachable (\(down.message)); scheduling it on its known partitions")
            } else if prepared.state != .paused {
                sources.reached(job.id, at: now)
            }
        }
        let n = RoutineLoadPlanner.concurrency(aliveNodes: nodes.alive.count, partitions: prepared.currentPartitions.count,
                                               desired: prepared.definition.job.desiredConcurrentNumber,
                                               maxConcurrent: config.maxRoutineLoadTaskConcurrentNum)
        var planned: [RoutineLoadTask] = []
        if prepared.state != .paused, n > 0 {
            planned = RoutineLoadPlanner.split(prepared.currentPartitions, into: n).map {
                RoutineLoadTask(jobID: job.id, partitions: $0, now: now, notBefore: now)
            }
            try? prepared.started()
        }
        if prepared.state == .paused { logger.warning("routine load job \(job.name) paused: \(prepared.displayedReason)") }
        if prepared == job || save(prepared, over: current) {
            if !planned.isEmpty { setTasks(job.id, planned) }
        }
    }

    /// Compare-and-set of a job document: a user's PAUSE or STOP that happened meanwhile wins.
    func save(_ job: RoutineLoadJob, over stored: StoredRoutineLoadJob) -> Bool {
        guard let data = try? JSONEncoder().encode(job) else { return false }
        return (try? catalog.updateRoutineLoadJob(id: job.id, state: job.state.rawValue, document: String(decoding: data, as: UTF8.self),
                                                  expected: stored.document)) ?? false
    }

    /// Forgets a job's tasks; running ones have their transactions aborted (a late report is then rejected).
    func dropTasks(_ jobID: Int64, reason: String) {
        let dropped = lock.withLock { tasks.removeValue(forKey: jobID) } ?? []
        for t in dropped where t.isRunning {
            abort(t, reason: reason)
            lastPoll.removeValue(forKey: t.id)
        }
    }

    /// Aborts a task's transaction and deletes its segment, unless the transaction already committed.
    func abort(_ task: RoutineLoadTask, reason: String) {
        if task.txnID > 0, (try? catalog.abortTransaction(task.txnID, reason: reason)) == true, let segment = task.segment {
            volume.remove(segment)
        }
        if let id = task.nodeID, let node = nodes.node(id) { node.connection.forget(task.id) }
    }
}
