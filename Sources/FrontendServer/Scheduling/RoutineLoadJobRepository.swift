import CatalogStore
import Foundation
import JobScheduler

/// The one way routine-load jobs are read from and written to the catalog, for user statements and the scheduler
/// alike: the job document's coding, creation under a unique live name, and read-change-write in one catalog write
/// transaction (so concurrent writers take turns instead of retrying). Failures are thrown, never swallowed.
struct RoutineLoadJobRepository: Sendable {
    let catalog: CatalogStore

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

    static func decode(_ stored: StoredRoutineLoadJob) throws(Failure) -> RoutineLoadJob {
        do { return try JSONDecoder().decode(RoutineLoadJob.self, from: Data(stored.document.utf8)) } catch {
            throw .unreadable(stored.id, "\(error)")
        }
    }

    static func encode(_ job: RoutineLoadJob) throws -> String {
        String(decoding: try JSONEncoder().encode(job), as: UTF8.self)
    }

    /// Stores a new job made by `make` from its id; refuses a name a live (not STOPPED or CANCELLED) job of the database uses.
    func create(database: String, name: String, _ make: (Int64) -> RoutineLoadJob) throws -> RoutineLoadJob {
        var created: RoutineLoadJob?
        _ = try catalog.createRoutineLoadJob(database: database, name: name, state: RoutineLoadState.needSchedule.rawValue,
                                             finalStates: RoutineLoadState.allCases.filter(\.isFinal).map(\.rawValue)) { id in
            let job = make(id)
            created = job
            return try Self.encode(job)
        }
        guard let created else { throw Failure.missing(0) }
        return created
    }

    func job(_ id: Int64) throws -> RoutineLoadJob? {
        try catalog.routineLoadJob(id: id).map(Self.decode)
    }

    /// The jobs of a database (every database when nil), by id. A document that cannot be read is an error.
    func jobs(database: String?) throws -> [RoutineLoadJob] {
        try catalog.routineLoadJobs(database: database).map(Self.decode)
    }

    /// Applies `change` to the stored job and saves it, in one catalog write transaction; returns the job as saved.
    /// An error `change` throws is rethrown and nothing is written.
    @discardableResult
    func update(_ id: Int64, _ change: (inout RoutineLoadJob) throws -> Void) throws -> RoutineLoadJob {
        var saved: RoutineLoadJob?
        let found = try catalog.updateRoutineLoadJob(id: id) { stored in
            var job = try Self.decode(stored)
            let before = job
            try change(&job)
            saved = job
            return job == before ? nil : (job.state.rawValue, try Self.encode(job))
        }
        guard found, let saved else { throw Failure.missing(id) }
        return saved
    }
}
