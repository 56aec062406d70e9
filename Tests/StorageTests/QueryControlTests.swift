import Foundation
import Expressions
import SQLParser
import Synchronization
import Testing
@testable import Storage

@Suite struct QueryControlTests {
    struct Numbers: RelationProvider {
        func relation(_ name: QualifiedName) throws(QueryError) -> Relation {
            Relation(schema: "db", name: name.name, columns: [.init("n", .bigint)], rows: (0..<400).map { [.int(Int64($0))] })
        }
    }

    private func select(_ sql: String) throws -> Select {
        guard case .select(let s) = try Parser.parseOne(sql) else { throw QueryError.unsupported("not a select") }
        return s
    }

    /// 25 billion rows: hours of work unless something stops it.
    private let endless = "SELECT count(*) FROM t a, t b, t c, t d"

    @Test func interruptFromAnotherThreadStopsTheStatementAtOnce() throws {
        let engine = try QueryEngine()
        engine.control.begin(timeoutSeconds: 0, memoryLimit: 0)
        let control = engine.control
        let interruptedAt = Mutex<Date?>(nil)
        DispatchQueue.global().asyncAfter(deadline: .now() + 0.3) {
            interruptedAt.withLock { $0 = Date() }
            control.interrupt()
        }
        #expect(throws: QueryError.stopped(.interrupted)) { _ = try engine.run(try select(endless), provider: Numbers()) }
        // Measured from the interrupt, not from the start: a busy machine may run the timer late.
        let at = try #require(interruptedAt.withLock { $0 })
        #expect(Date().timeIntervalSince(at) < 2)
        // The next statement starts clean.
        engine.control.begin(timeoutSeconds: 0, memoryLimit: 0)
        #expect(try engine.run(try select("SELECT count(*) FROM t"), provider: Numbers()).rows == [[.int(400)]])
    }

    @Test func theDeadlineAndTheMemoryBudgetStopStatements() throws {
        let engine = try QueryEngine()
        engine.control.begin(timeoutSeconds: 1, memoryLimit: 0)
        #expect(throws: QueryError.stopped(.timeout(seconds: 1))) { _ = try engine.run(try select(endless), provider: Numbers()) }
        engine.control.begin(timeoutSeconds: 0, memoryLimit: 1_000_000)
        #expect {
            _ = try engine.run(try select("SELECT a.n, b.n FROM t a, t b"), provider: Numbers())
        } throws: { error in
            if case QueryError.stopped(.memory(let used, 1_000_000)) = error { return used > 1_000_000 }
            return false
        }
    }
}
