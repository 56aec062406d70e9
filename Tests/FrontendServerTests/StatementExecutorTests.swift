import CatalogStore
import Expressions
import Foundation
import JobScheduler
import Logging
import Storage
import SQLParser
import Testing
@testable import FrontendServer

/// The executor driven directly with SQL, without sockets, over an in-memory catalog.
@Suite struct StatementExecutorTests {
    let executor: StatementExecutor
    let server: ServerContext

    init() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("exec-\(UUID().uuidString)").path
        let volume = try LocalVolume(root: dir + "/storage")
        let catalog = try CatalogStore.inMemory()
        let segments = SegmentStore(local: volume, catalog: catalog, logger: Logger(label: "test"))
        server = ServerContext(catalog: catalog, volume: volume, segments: segments,
                                   cache: try TableCache(path: dir + "/cache.sqlite", segments: segments),
                                   variables: SystemVariables(serverVersion: "8.0.33", versionComment: "Tributary test", port: 9030),
                                   config: FrontendConfig())
        let session = SessionContext(connectionID: 7, user: "root", clientHost: "127.0.0.1", database: nil, variables: server.variables)
        executor = try StatementExecutor(server: server, session: session)
    }

    @discardableResult
    private func run(_ sql: String) throws -> StatementResult {
        var last = StatementResult.done
        for s in try Parser.parse(sql) { last = try executor.execute(s) }
        return last
    }

    private func rows(_ sql: String) throws -> ResultSet {
        switch try run(sql) {
        case .rows(let r): return r
        case .textRows(let kept): return kept.resultSet
        case .ok: throw SQLError(0, "", "no rows")
        }
    }

    @Test func showCreateTableOfTheQuickstartTableMatchesStarRocksLayout() throws {
        try run("""
            CREATE DATABASE IF NOT EXISTS quickstart; USE quickstart;
            CREATE TABLE site_clicks (
                `uid` bigint NOT NULL COMMENT "uid",
                `site` string NOT NULL COMMENT "site url",
                `vtime` bigint NOT NULL COMMENT "vtime"
            )
            DISTRIBUTED BY HASH(`uid`)
            PROPERTIES("replication_num"="1");
            """)
        let r = try rows("SHOW CREATE TABLE site_clicks")
        #expect(r.rows[0][1].text == """
            CREATE TABLE `site_clicks` (
              `uid` bigint(20) NOT NULL COMMENT "uid",
              `site` varchar(65533) NOT NULL COMMENT "site url",
              `vtime` bigint(20) NOT NULL COMMENT "vtime"
            ) ENGINE=OLAP 
            DUPLICATE KEY(`uid`)
            COMMENT "OLAP"
            DISTRIBUTED BY HASH(`uid`)
            PROPERTIES (
            "compression" = "LZ4",
            "replication_num" = "1"
            );
            """)
        let desc = try rows("DESC site_clicks")
        #expect(desc.rows[0] == [.string("uid"), .string("bigint"), .string("NO"), .string("true"), .null, .string("")])
    }

    @Test func variablesSelectTypedAndShowAsText() throws {
        let r = try rows("SELECT @@autocommit, @@session.max_allowed_packet AS m, @@version_comment")
        #expect(r.columns.map(\.type) == [.bigint, .bigint, .varchar(14)])
        #expect(r.columns.map(\.name) == ["@@autocommit", "m", "@@version_comment"])
        #expect(r.rows == [[.int(1), .int(67_108_864), .string("Tributary test")]])
        try run("SET autocommit = OFF, sql_mode = CONCAT(@@sql_mode, ',ANSI_QUOTES'), NAMES utf8mb4")
        #expect(try rows("SELECT @@autocommit").rows == [[.int(0)]])
        #expect(try rows("SHOW VARIABLES LIKE 'autocommit'").rows == [[.string("autocommit"), .string("OFF")]])
        #expect(try rows("SELECT @@sql_mode").rows[0][0].text?.hasSuffix(",ANSI_QUOTES") == true)
        #expect(throws: SQLError(1238, "HY000", "Variable 'version' is a read only variable")) { try run("SET version = 'x'") }
    }

    @Test func informationSchemaAnswersTheDBeaverColumnsQuery() throws {
        try run("CREATE DATABASE d; CREATE TABLE d.t (k bigint NOT NULL, v varchar(26) NULL COMMENT 'value') PRIMARY KEY(k) DISTRIBUTED BY HASH(k)")
        let r = try rows("SELECT * FROM information_schema.COLUMNS WHERE TABLE_SCHEMA='d' AND TABLE_NAME='t' ORDER BY ORDINAL_POSITION")
        let name = r.columns.firstIndex { $0.name == "COLUMN_NAME" }!, type = r.columns.firstIndex { $0.name == "DATA_TYPE" }!
        let key = r.columns.firstIndex { $0.name == "COLUMN_KEY" }!, comment = r.columns.firstIndex { $0.name == "COLUMN_COMMENT" }!
        #expect(r.rows.map { [$0[name], $0[type], $0[key], $0[comment]] } == [
            [.string("k"), .string("bigint"), .string("PRI"), .string("")], [.string("v"), .string("varchar"), .string(""), .string("value")]])
        #expect(try rows("SELECT SCHEMA_NAME FROM information_schema.SCHEMATA ORDER BY 1").rows == [[.string("d")], [.string("information_schema")]])
        #expect(try rows("SHOW FULL TABLES FROM d").rows == [[.string("t"), .string("BASE TABLE")]])
    }

    @Test func sessionFunctionsAndErrors() throws {
        #expect(try rows("SELECT DATABASE(), CURRENT_USER(), USER(), CONNECTION_ID()").rows == [[.null, .string("'root'@'%'"), .string("'root'@'127.0.0.1'"), .int(7)]])
        #expect(throws: SQLError.noDatabaseSelected) { try run("SHOW TABLES") }
        #expect(throws: SQLError.unknownDatabase("nope")) { try run("USE nope") }
        #expect(throws: SQLError(5502, "42602", "Unknown table 'information_schema.nope'")) { try run("SELECT * FROM information_schema.nope") }
        #expect(throws: SQLError(1064, "HY000", "Can't create database 'information_schema'; database exists")) { try run("CREATE DATABASE information_schema") }
    }

    @Test func plainQueriesSkipBindingAndGiveWhatBindingWouldHave() throws {
        try run("SET @x = 5")
        func select(_ sql: String) throws -> Select {
            guard case .select(let s) = try #require(try Parser.parse(sql).first) else { throw SQLError(0, "", "not a SELECT") }
            return s
        }
        let plain = ["SELECT 1", "SELECT v FROM kv WHERE id = 4242", "SELECT -a, CAST(b AS INT) FROM t WHERE c IS NULL ORDER BY a",
                     "SELECT a FROM t GROUP BY a HAVING a > 1"]
        for sql in plain {
            let s = try select(sql)
            #expect(StatementExecutor.bindsNothing(s), "\(sql)")
            #expect(try s.rewritten { try executor.bindExpression($0) } == s, "\(sql): the full binding keeps it as it is")
        }
        // Anything binding may change takes the rewrite, however deep it sits.
        let bound = ["SELECT DATABASE()", "SELECT @@version_comment", "SELECT @x", "SELECT 1 FROM t WHERE a = @x",
                     "SELECT * FROM (SELECT DATABASE()) d", "SELECT 1 UNION SELECT USER()", "SELECT 1 FROM t WHERE a IN (SELECT @x)",
                     "SELECT 1 FROM t ORDER BY -(CONNECTION_ID())", "SELECT a FROM t GROUP BY a HAVING a > @x",
                     "SELECT * FROM a JOIN b ON a.x = @x"]
        for sql in bound {
            let s = try select(sql)
            #expect(!StatementExecutor.bindsNothing(s), "\(sql)")
        }
        #expect(try select("SELECT @x").rewritten { try executor.bindExpression($0) } != (try select("SELECT @x")), "the check above can fail")
        #expect(try rows("SELECT @x, -(1 + 2)").rows == [[.int(5), .int(-3)]])
    }

    /// Database `d`, table `d.t`, and jobs `d.j0` … reading topics `t0` … of a broker nobody answers on.
    private func createJobs(_ n: Int) throws {
        try run("CREATE DATABASE d; CREATE TABLE d.t (id INT NOT NULL) DUPLICATE KEY(id) DISTRIBUTED BY HASH(id)")
        for i in 0..<n {
            try run("""
                CREATE ROUTINE LOAD d.j\(i) ON t PROPERTIES ("format" = "json")
                FROM KAFKA ("kafka_broker_list" = "127.0.0.1:1", "kafka_topic" = "t\(i)")
                """)
        }
    }

    @Test func theSchedulersWarmUpRendersEveryJobsShowRow() throws {
        try createJobs(3)
        #expect(server.loads.shownRows.count == 0, "nothing renders a row before a SHOW or the warm-up")
        server.loads.renderShownRows()
        #expect(server.loads.shownRows.count == 3)
        #expect(try rows("SHOW ROUTINE LOAD FROM d").rows.map { $0[1] } == [.string("j0"), .string("j1"), .string("j2")])
    }

    @Test func showRoutineLoadSendsTheKeptRowsAsRenderedAndFiltersTheirValues() throws {
        try createJobs(2)
        // Two SHOWs with the jobs unchanged around them (the scheduler may still be preparing them, in the background).
        var shows: [TextRows] = [], views: [SchedulerCore.JobView] = []
        for _ in 0..<50 where shows.isEmpty {
            views = server.loads.views(database: "d")
            shows = try (0..<2).map { _ in
                guard case .textRows(let kept) = try run("SHOW ROUTINE LOAD FROM d") else { throw SQLError(0, "", "not the kept rows") }
                return kept
            }
            if server.loads.views(database: "d") != views { shows = [] }
        }
        let kept = try #require(shows.first)
        #expect(kept.columns.map(\.name) == RoutineLoadRendering.columns)
        #expect(kept.resultSet.rows == views.map { RoutineLoadRendering.row($0, taskCount: 0, lag: [], unstable: nil) })
        #expect(kept.resultSet.rows[0][3] == .null, "PauseTime")
        #expect(shows[1] == kept)
        // A statement changes a job: its row is rendered again.
        try run("PAUSE ROUTINE LOAD FOR d.j1")
        #expect(try rows("SHOW ROUTINE LOAD FOR d.j1").rows.map { $0[7] } == [.string("PAUSED")])
        #expect(try rows("SHOW ROUTINE LOAD FROM d").rows.map { $0[7] } == [.string("NEED_SCHEDULE"), .string("PAUSED")])
        // WHERE, ORDER BY and LIMIT read the rows as values.
        guard case .rows(let filtered) = try run("SHOW ROUTINE LOAD FROM d WHERE State = 'PAUSED'") else { Issue.record("no rows"); return }
        #expect(filtered.rows.map { $0[1] } == [.string("j1")])
        #expect(try rows("SHOW ROUTINE LOAD FROM d ORDER BY Id DESC LIMIT 1").rows.map { $0[1] } == [.string("j1")])
    }

    @Test func textRowsReadBackAsTheyWereWrittenWhateverTheirLength() {
        let values: [Value] = [.string(""), .null, .string("é{\"a\":1}"), .string(String(repeating: "x", count: 300)),
                               .string(String(repeating: "y", count: 70_000)), .null]
        let row = TextRow.encode(values)
        #expect(row.count == 1 + 1 + 10 + 303 + 70_004 + 1)
        #expect(TextRow.values(row) == values)
        #expect(TextRow.values([]) == [])
        // Not a row: read up to where it stops making sense, never past the end.
        #expect(TextRow.values([0xFF, 1, 2]) == [])
        #expect(TextRow.values([0xFC, 0x01]) == [])
        #expect(TextRow.values([1, 0x41, 5, 0x42]) == [.string("A")])
    }
}
