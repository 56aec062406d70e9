import Foundation

/// Why a job changed state, shown as `ErrorReason{errCode = <n>, msg='<msg>'}` (reference §2.3).
public struct ErrorReason: Equatable, Sendable, Codable {
    public var code: Int
    public var message: String
    public init(code: Int, message: String) { self.code = code; self.message = message }

    public static let manualPause = 100, manualStop = 101, tooManyFailureRows = 102, createTasks = 103, tasksAbort = 104, slowRunning = 105
    public static let partitions = 4, databaseDropped = 5, tableDropped = 6

    public var description: String { "ErrorReason{errCode = \(code), msg='\(message)'}" }
}

/// A routine-load job: definition, state and what SHOW reports. Changes of state go through the
/// mutating methods below, which enforce StarRocks' transition rules (reference §2.2) and stamp times;
/// the scheduler that runs tasks drives the same methods.
public struct RoutineLoadJob: Equatable, Sendable, Codable {
    public var id: Int64
    public var name: String
    public var databaseName: String
    public var tableName: String
    public var definition: RoutineLoadDefinition
    public private(set) var state: RoutineLoadState = .needSchedule
    public private(set) var createTime: Double
    public private(set) var pauseTime: Double?
    public private(set) var endTime: Double?
    /// The last pause or cancel reason (SHOW shows it only in PAUSED and CANCELLED).
    public private(set) var reason: ErrorReason?
    public var otherMessage = ""
    /// Partitions being consumed (the pinned list, or the topic's partitions once discovered).
    public internal(set) var currentPartitions: [Int32] = []
    /// Next offset to consume per partition (StarRocks' KafkaProgress semantics, without sentinels).
    public internal(set) var progress: [Int32: Int64] = [:]
    /// High watermark per partition at the last check (LatestSourcePosition).
    public internal(set) var latestOffsets: [Int32: Int64] = [:]
    /// Kafka timestamp (ms) of the last consumed message per partition (TimestampProgress).
    public internal(set) var timestampProgress: [Int32: Int64] = [:]
    public internal(set) var statistics = RoutineLoadStatistics()
    /// The three most recent error-log URLs.
    public internal(set) var errorLogURLs: [String] = []

    public init(id: Int64, name: String, databaseName: String, tableName: String, definition: RoutineLoadDefinition, createTime: Double) {
        self.id = id; self.name = name; self.databaseName = databaseName; self.tableName = tableName
        self.definition = definition; self.createTime = createTime
    }

    /// The reason SHOW ROUTINE LOAD displays for the current state.
    public var displayedReason: String { Self.displayedReason(state: state, reason: reason) }

    /// ``displayedReason`` of a job in `state` whose last reason is `reason`.
    public static func displayedReason(state: RoutineLoadState, reason: ErrorReason?) -> String {
        switch state {
        case .paused, .cancelled: return reason?.description ?? ""
        default: return ""
        }
    }

    private mutating func transition(to next: RoutineLoadState) throws(RoutineLoadError) {
        guard state.canTransition(to: next) else {
            throw .invalid("Could not transform \(state.rawValue) to \(next.rawValue)")
        }
        state = next
    }

    /// PAUSE by a user: reason 100.
    public mutating func pause(byUser user: String, at now: Double) throws(RoutineLoadError) {
        try pause(ErrorReason(code: ErrorReason.manualPause, message: "User \(user) pauses routine load job"), at: now)
    }

    /// ALTER changed the partitions or offsets: their progress is taken from the definition again.
    public mutating func resetProgress(of partitions: [Int32]) {
        for p in partitions { progress.removeValue(forKey: p) }
    }

    /// PAUSE for a reason (errors, Kafka failures).
    public mutating func pause(_ why: ErrorReason, at now: Double) throws(RoutineLoadError) {
        try transition(to: .paused)
        reason = why
        pauseTime = now
    }

    /// RESUME: back to NEED_SCHEDULE (from PAUSED, NEED_SCHEDULE or RUNNING); clears OtherMsg and PauseTime.
    public mutating func resume() throws(RoutineLoadError) {
        try transition(to: .needSchedule)
        pauseTime = nil
        otherMessage = ""
    }

    /// The scheduler split the job into tasks (a RUNNING job re-split after a restart stays RUNNING).
    public mutating func started() throws(RoutineLoadError) {
        if state == .running { return }
        try transition(to: .running)
    }

    /// The topic's partitions changed: back to NEED_SCHEDULE so the job is split again.
    public mutating func reschedule() throws(RoutineLoadError) {
        try transition(to: .needSchedule)
    }

    /// STOP by a user: final.
    public mutating func stop(at now: Double) throws(RoutineLoadError) {
        try transition(to: .stopped)
        endTime = now
    }

    /// CANCELLED (the table or database is gone): final.
    public mutating func cancel(_ why: ErrorReason, at now: Double) throws(RoutineLoadError) {
        try transition(to: .cancelled)
        reason = why
        endTime = now
    }
}

extension RoutineLoadJob {
    private enum CodingKeys: String, CodingKey {
        case id, name, databaseName, tableName, definition, state, createTime, pauseTime, endTime, reason, otherMessage
        case currentPartitions, progress, latestOffsets, timestampProgress, statistics, errorLogURLs
    }

    /// Documents written before a field existed still decode: fields added later default when absent.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        id = try c.decode(Int64.self, forKey: .id)
        name = try c.decode(String.self, forKey: .name)
        databaseName = try c.decode(String.self, forKey: .databaseName)
        tableName = try c.decode(String.self, forKey: .tableName)
        definition = try c.decode(RoutineLoadDefinition.self, forKey: .definition)
        state = try c.decode(RoutineLoadState.self, forKey: .state)
        createTime = try c.decode(Double.self, forKey: .createTime)
        pauseTime = try c.decodeIfPresent(Double.self, forKey: .pauseTime)
        endTime = try c.decodeIfPresent(Double.self, forKey: .endTime)
        reason = try c.decodeIfPresent(ErrorReason.self, forKey: .reason)
        otherMessage = try c.decodeIfPresent(String.self, forKey: .otherMessage) ?? ""
        currentPartitions = try c.decodeIfPresent([Int32].self, forKey: .currentPartitions) ?? []
        progress = try c.decodeIfPresent([Int32: Int64].self, forKey: .progress) ?? [:]
        latestOffsets = try c.decodeIfPresent([Int32: Int64].self, forKey: .latestOffsets) ?? [:]
        timestampProgress = try c.decodeIfPresent([Int32: Int64].self, forKey: .timestampProgress) ?? [:]
        statistics = try c.decodeIfPresent(RoutineLoadStatistics.self, forKey: .statistics) ?? RoutineLoadStatistics()
        errorLogURLs = try c.decodeIfPresent([String].self, forKey: .errorLogURLs) ?? []
    }
}
