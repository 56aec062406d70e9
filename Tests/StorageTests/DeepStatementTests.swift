import Foundation
import Expressions
import SQLParser
import Testing
@testable import Storage

/// The deepest trees the parser accepts are walked by the binder and translated and run by SQLite without
/// exhausting the stack of a thread made with `Parser.threadStackSize` (in this debug build, whose frames are the
/// largest), so no statement can crash the FE.
@Suite struct DeepStatementTests {
    struct OneTable: RelationProvider {
        func relation(_ name: QualifiedName) throws(QueryError) -> Relation {
            Relation(schema: "db", name: name.name, columns: [.init("a", .bigint)], rows: [[.int(1)]])
        }
    }

    /// Parses and runs `sql` on a thread with the stack every statement thread gets; the error text, or nil.
    private func runOnStatementThread(_ sql: String) -> String? {
        final class Box: @unchecked Sendable { var error: String? }
        let box = Box(), done = DispatchSemaphore(value: 0)
        let thread = Thread {
            do {
                guard case .select(let s) = try Parser.parseOne(sql) else { box.error = "not a select"; done.signal(); return }
                let bound = try s.rewritten { _ in nil }
                _ = try QueryEngine().run(bound, provider: OneTable())
            } catch { box.error = "\(error)" }
            done.signal()
        }
        thread.stackSize = Parser.threadStackSize
        thread.start()
        done.wait()
        return box.error
    }

    @Test func theDeepestAcceptedShapesRunOrFailCleanly() {
        let depth = Parser.maxTreeDepth - 3
        func chain(_ item: String, _ op: String, _ n: Int) -> String { Array(repeating: item, count: n).joined(separator: op) }
        let joins: String = (1..<depth / 2).map { (i: Int) -> String in " JOIN t t\(i) ON t\(i).a = t0.a" }.joined()
        var shapes: [String] = []
        shapes.append("SELECT " + chain("a", " + ", depth) + " FROM t")
        shapes.append("SELECT 1 FROM t WHERE " + chain("a = 1", " OR ", depth / 2))
        shapes.append("SELECT a" + String(repeating: " IS NULL", count: depth) + " FROM t")
        shapes.append("SELECT 'x'" + String(repeating: " LIKE 'x'", count: depth) + " FROM t")
        shapes.append("SELECT " + chain("a", " ^ ", depth) + " FROM t")
        shapes.append("SELECT " + chain("a", " / ", depth) + " FROM t")
        shapes.append("SELECT 1 FROM t t0" + joins)
        for sql in shapes {
            // SQLite may refuse some (its own depth limits): a clean error is fine; a crash would end this process.
            if let error = runOnStatementThread(sql) { #expect(!error.isEmpty) }
        }
        #expect(runOnStatementThread("SELECT " + chain("a", " + ", 900) + " FROM t") == nil)
        #expect(runOnStatementThread("SELECT 1 FROM t WHERE " + chain("a = 1", " OR ", 400)) == nil)
    }

    @Test func chainsTranslateFlatAndKeepTheirMeaning() throws {
        guard case .select(let s) = try Parser.parseOne("SELECT 7 / 2, 7 DIV 2, 5 ^ 3, 1 XOR 0, - -3, 2 - 1 - 1, 2 - (1 - 1), "
                                                        + "2 * 3 + 4 * 5, (1 + 2) * 3, 1 = 1 = 1, NOT 1 = 2, 1 | 2 & 3, (1 | 2) & 3, 8 >> 1 << 2") else { return }
        let r = try QueryEngine().run(s, provider: OneTable())
        #expect(r.rows == [[.double(3.5), .int(3), .int(6), .int(1), .int(3), .int(0), .int(2), .int(26), .int(9), .int(1), .int(1),
                            .int(3), .int(3), .int(16)]])
    }
}
