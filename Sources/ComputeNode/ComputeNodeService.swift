import Foundation
import SQLParser
import TaskContract

/// A compute node's task table: accepts tasks, runs each on its own thread, and keeps the report until the
/// FE has fetched it. Used in-process by the FE's embedded node and behind `tributary-cn`'s HTTP API.
public final class ComputeNodeService: @unchecked Sendable {
    public let runner: TaskRunner
    public let slots: Int
    private let lock = NSLock()
    private var reports: [String: TaskReport] = [:]
    /// When each finished report was written; reports nobody fetched (the FE restarted) are dropped after a while.
    private var finishedAt: [String: Double] = [:]
    private var finished = 0
    static let uncollectedReportSeconds: Double = 600

    /// Called with a task's id once its report is ready (the FE's embedded node tells its scheduler).
    private let onFinish: @Sendable (String) -> Void

    public init(runner: TaskRunner, slots: Int = 16, onFinish: @escaping @Sendable (String) -> Void = { _ in }) {
        self.runner = runner; self.slots = slots; self.onFinish = onFinish
    }

    public enum SubmitError: Error, CustomStringConvertible {
        case tooManyTasks(Int)
        case shuttingDown
        public var description: String {
            switch self {
            case .tooManyTasks(let n): return "failed to submit task. error code: TOO_MANY_TASKS, running tasks: \(n)"
            case .shuttingDown: return "failed to submit task: the compute node is shutting down"
            }
        }
    }

    private var draining = false

    /// A shutdown: new tasks are refused; running ones finish. ``pendingReports`` says when the FE has collected every
    /// report, so the node can exit without losing a finished batch.
    public func drain() { lock.withLock { draining = true } }

    /// Tasks running or finished whose report the FE has not collected yet.
    public var pendingReports: Int { lock.withLock { reports.count } }

    public var runningTasks: Int { lock.withLock { reports.values.filter { $0.status == .running }.count } }
    /// Tasks this node has finished since it started.
    public var finishedTasks: Int { lock.withLock { finished } }

    /// Starts the task; a task id already known is accepted again without running twice.
    public func submit(_ task: LoadTask) throws(SubmitError) {
        let accepted: Result<Bool, SubmitError> = lock.withLock {
            let now = Date().timeIntervalSince1970
            for (id, at) in finishedAt where now - at > Self.uncollectedReportSeconds {
                reports.removeValue(forKey: id)
                finishedAt.removeValue(forKey: id)
            }
            if reports[task.id] != nil { return .success(false) }
            if draining { return .failure(.shuttingDown) }
            let running = reports.values.filter { $0.status == .running }.count
            if running >= slots { return .failure(.tooManyTasks(running)) }
            reports[task.id] = TaskReport(taskID: task.id, txnID: task.txnID, status: .running)
            return .success(true)
        }
        guard try accepted.get() else { return }
        let runner = self.runner
        let thread = Thread { [weak self] in
            let report = runner.run(task)
            guard let self else { return }
            self.lock.withLock {
                self.finished += 1
                if self.reports[task.id] != nil {
                    self.reports[task.id] = report
                    self.finishedAt[task.id] = Date().timeIntervalSince1970
                }
            }
            self.onFinish(task.id)
        }
        thread.name = "tributary-task"
        thread.stackSize = Parser.threadStackSize               // the task's COLUMNS and WHERE are parsed and translated here
        thread.start()
    }

    /// The task's report; a finished report is handed out until ``forget(_:)``.
    public func report(_ taskID: String) -> TaskReport? { lock.withLock { reports[taskID] } }

    /// Drops a task's report (the FE has committed or aborted it). A still-running task finishes unobserved.
    public func forget(_ taskID: String) {
        lock.withLock {
            reports.removeValue(forKey: taskID)
            finishedAt.removeValue(forKey: taskID)
        }
    }
}
