import CatalogStore
import Foundation
import JobScheduler
import Logging
import Synchronization

/// The one way routine-load jobs are read from and written to the catalog, for user statements and the scheduler
/// alike: the job document's coding, creation under a unique live name, and read-change-write in one catalog write
/// transaction (so concurrent writers take turns instead of retrying). Failures are thrown, never swallowed.
struct RoutineLoadJobRepository: Sendable {
    let catalog: CatalogStore
    let logger: Logger
    /// Each job's last document with its decoded value: a commit reads the job it saved itself, so decoding becomes a
    /// string comparison (JSON decoding inside the catalog's write transaction was most of a small task's commit).
    private let decoded = Decoded()

    private final class Decoded: Sendable {
        let byID = Mutex<[Int64: (document: String, job: RoutineLoadJob)]>([:])
    }

    init(catalog: CatalogStore, logger: Logger) { self.catalog = catalog; self.logger = logger }

    /// Why a job could not be read or saved.
    enum Failure: Error, CustomStringConvertible {
        case missing(Int64)
        case unreadable(Int64, String)

        var description: String {
            switch self {
            case .missing(let id): return "routine load job \(id) does not exist"
            case .unreadable(let id, let why): return "routine load job \(id) cannot be read from the catalog: \(why)"
            }
        }
    }

    func decode(_ stored: StoredRoutineLoadJob) throws(Failure) -> RoutineLoadJob {
        if let hit = decoded.byID.withLock({ $0[stored.id] }), hit.document == stored.document { return hit.job }
        let job: RoutineLoadJob
        do { job = try JSONDecoder().decode(RoutineLoadJob.self, from: Data(stored.document.utf8)) } catch {
            throw .unreadable(stored.id, "\(error)")
        }
        decoded.byID.withLock { $0[stored.id] = (stored.document, job) }
        return job
    }

    /// The document of a job about to be saved (remembered with the job, for the next ``decode(_:)``).
    func encode(_ job: RoutineLoadJob) throws -> String {
        let document = String(decoding: try JSONEncoder().encode(job), as: UTF8.self)
        decoded.byID.withLock { $0[job.id] = (document, job) }
        return document
    }

    /// Stores a new job made by `make` from its id; refuses a name a live (not STOPPED or CANCELLED) job of the database uses.
    func create(database: String, name: String, _ make: (Int64) -> RoutineLoadJob) throws -> RoutineLoadJob {
        var created: RoutineLoadJob?
        _ = try catalog.createRoutineLoadJob(database: database, name: name, state: RoutineLoadState.needSchedule.rawValue,
                                             finalStates: RoutineLoadState.allCases.filter(\.isFinal).map(\.rawValue)) { id in
            let job = make(id)
            created = job
            return try encode(job)
        }
        guard let created else { throw Failure.missing(0) }
        return created
    }

    func job(_ id: Int64) throws -> RoutineLoadJob? {
        try catalog.routineLoadJob(id: id).map(decode)
    }

    /// The jobs of a database (every database when nil), by id. A document that cannot be read is logged as an error and
    /// left out, so one damaged job does not stop statements on the others (PAUSE, STOP, DROP TABLE's cancellation).
    func jobs(database: String?) throws -> [RoutineLoadJob] {
        try catalog.routineLoadJobs(database: database).compactMap { stored in
            do { return try decode(stored) } catch {
                logger.error("\(error)")
                return nil
            }
        }
    }

    /// Applies `change` to the stored job and saves it, in one catalog write transaction; returns the job as saved.
    /// An error `change` throws is rethrown and nothing is written.
    @discardableResult
    func update(_ id: Int64, _ change: (inout RoutineLoadJob) throws -> Void) throws -> RoutineLoadJob {
        var saved: RoutineLoadJob?
        let found = try catalog.updateRoutineLoadJob(id: id) { stored in
            var job = try decode(stored)
            let before = job
            try change(&job)
            saved = job
            return job == before ? nil : (job.state.rawValue, try encode(job))
        }
        guard found, let saved else { throw Failure.missing(id) }
        return saved
    }
}
