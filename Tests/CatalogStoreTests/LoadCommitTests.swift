import Foundation
import SQLParser
import TestSupport
import Testing
@testable import CatalogStore

/// The routine-load commit: segment, job document and transaction state change together or not at all.
@Suite struct LoadCommitTests {
    struct Stale: Error {}

    private func setup() throws -> (CatalogStore, TableInfo, Int64) {
        let store = try CatalogStore.inMemory()
        try store.createDatabase(name: "d", properties: [])
        let table = try TestTables.create("create table t (a int)", in: store)
        let job = try store.createRoutineLoadJob(database: "d", name: "j", state: "RUNNING", finalStates: []) { _ in "v0" }
        return (store, table, job)
    }

    private func begin(_ store: CatalogStore, _ table: TableInfo) throws -> Int64 {
        try store.beginTransaction(tableID: table.id, label: UUID().uuidString) { "t/txn\($0).seg" }.id
    }

    private func txnState(_ store: CatalogStore, _ txn: Int64) throws -> String? {
        try store.read { try String.fetchOne($0, sql: "SELECT state FROM transactions WHERE id = ?", arguments: [txn]) }
    }

    @Test func aCommitPublishesTheSegmentAndTheJobTogetherAndARepeatIsAnsweredTheSame() throws {
        let (store, table, job) = try setup()
        let txn = try begin(store, table)
        let version = try store.finishLoadTransaction(txn, rowCount: 5, jobID: job, emptyReason: "empty") { stored in
            #expect(stored.document == "v0")
            return ("RUNNING", "v1")
        }
        #expect(version == 1)
        #expect(try store.tableData(tableID: table.id)?.entries.map(\.rowCount) == [5])
        #expect(try store.routineLoadJob(id: job)?.document == "v1")
        #expect(try txnState(store, txn) == "VISIBLE")
        // The node reports again: nothing changes, the same version is answered.
        let again = try store.finishLoadTransaction(txn, rowCount: 5, jobID: job, emptyReason: "empty") { _ in ("RUNNING", "v2") }
        #expect(again == 1)
        #expect(try store.routineLoadJob(id: job)?.document == "v1")
        // Dropping the task afterwards must not abort it (its segment is now part of the table).
        #expect(try store.abortTransaction(txn, reason: "job paused") == false)
        #expect(try txnState(store, txn) == "VISIBLE")
    }

    @Test func aStaleTaskIsRejectedAndItsTransactionAbortedWithNothingElseChanged() throws {
        let (store, table, job) = try setup()
        let txn = try begin(store, table)
        #expect(throws: CatalogError.self) {
            try store.finishLoadTransaction(txn, rowCount: 5, jobID: job, emptyReason: "empty") { _ in throw Stale() }
        }
        #expect(try txnState(store, txn) == "ABORTED")
        #expect(try store.tableData(tableID: table.id)?.entries.isEmpty == true)
        #expect(try store.routineLoadJob(id: job)?.document == "v0")
        // An aborted task reporting late is refused too.
        #expect(throws: CatalogError.self) {
            try store.finishLoadTransaction(txn, rowCount: 5, jobID: job, emptyReason: "empty") { _ in ("RUNNING", "late") }
        }
        #expect(try store.routineLoadJob(id: job)?.document == "v0")
    }

    @Test func aBatchWithoutLoadedRowsMovesTheJobButPublishesNoSegment() throws {
        let (store, table, job) = try setup()
        let txn = try begin(store, table)
        let version = try store.finishLoadTransaction(txn, rowCount: 0, jobID: job, emptyReason: "No rows were imported from upstream") { _ in ("RUNNING", "v1") }
        #expect(version == nil)
        #expect(try txnState(store, txn) == "ABORTED")
        #expect(try store.routineLoadJob(id: job)?.document == "v1")
        #expect(try store.tableData(tableID: table.id)?.entries.isEmpty == true)
    }

    @Test func jobUpdatesFromManyWritersTakeTurnsAndARefusedChangeWritesNothing() throws {
        let (store, _, job) = try setup()
        try #require(try store.updateRoutineLoadJob(id: job) { _ in ("RUNNING", "0") })
        // Two writers (a statement, the scheduler) each add 1 to the document 200 times: no change is lost.
        DispatchQueue.concurrentPerform(iterations: 2) { _ in
            for _ in 0..<200 {
                _ = try? store.updateRoutineLoadJob(id: job) { stored in ("RUNNING", String(Int(stored.document)! + 1)) }
            }
        }
        #expect(try store.routineLoadJob(id: job)?.document == "400")
        #expect(throws: Stale.self) { try store.updateRoutineLoadJob(id: job) { _ in throw Stale() } }
        #expect(try store.updateRoutineLoadJob(id: job) { _ in nil } == true)
        #expect(try store.routineLoadJob(id: job)?.document == "400")
        #expect(try store.updateRoutineLoadJob(id: job + 1) { _ in ("RUNNING", "x") } == false)
    }

    @Test func computeNodesAreUniqueByHostAndPort() throws {
        let store = try CatalogStore.inMemory()
        let a = try store.addComputeNode(kind: "COMPUTE NODE", host: "h", port: 9050)
        #expect(a.id == 10002)
        #expect(throws: CatalogError.invalidDefinition("Compute node already exists with same host h and port 9050")) {
            try store.addComputeNode(kind: "BACKEND", host: "h", port: 9050)
        }
        #expect(try store.dropComputeNode(kind: "BACKEND", host: "h", port: 9050) == nil)
        #expect(try store.dropComputeNode(kind: "COMPUTE NODE", host: "h", port: 9050)?.id == a.id)
        #expect(try store.computeNodes().isEmpty)
    }
}
