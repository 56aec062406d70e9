import Testing
@testable import SQLParser

@Suite struct ParserTests {
    @Test func selectWithEveryClauseParses() throws {
        let s = try Parser.parseOne("SELECT DISTINCT a AS x, t.b, COUNT(*) FROM db.t AS t LEFT JOIN u ON t.id = u.id WHERE a > 1 AND b LIKE 'x%' GROUP BY a HAVING COUNT(*) > 2 ORDER BY x DESC LIMIT 10, 20")
        guard case .select(let sel) = s else { Issue.record("not a select"); return }
        #expect(sel.distinct)
        #expect(sel.items.map(\.alias) == ["x", nil, nil])
        #expect(sel.items[2].text == "COUNT(*)")
        #expect(sel.limit == Limit(count: .literal(.integer("20")), offset: .literal(.integer("10"))))
        #expect(sel.orderBy == [OrderItem(expr: .column(QualifiedName(["x"])), ascending: false)])
        guard case .join(_, .left, _, let on?, _) = sel.from[0] else { Issue.record("expected left join"); return }
        #expect(on == .binary(.equal, .column(QualifiedName(["t", "id"])), .column(QualifiedName(["u", "id"]))))
    }

    @Test func selectItemTextIsKeptAsWrittenForColumnNames() throws {
        guard case .select(let s) = try Parser.parseOne("select DATABASE(), USER()  limit 1") else { return }
        #expect(s.items.map(\.text) == ["DATABASE()", "USER()"])
        guard case .select(let v) = try Parser.parseOne("SELECT @@session.auto_increment_increment AS auto_increment_increment") else { return }
        #expect(v.items[0].expr == .systemVariable(.session, "auto_increment_increment"))
    }

    @Test func precedenceOfNotAndComparisonMatchesMySQL() throws {
        #expect(try Parser.parseExpression("NOT a = 1 OR b") == .binary(.or, .unary(.not, .binary(.equal, .column(QualifiedName(["a"])), .literal(.integer("1")))), .column(QualifiedName(["b"]))))
        #expect(try Parser.parseExpression("1 + 2 * 3") == .binary(.plus, .literal(.integer("1")), .binary(.multiply, .literal(.integer("2")), .literal(.integer("3")))))
        #expect(try Parser.parseExpression("x BETWEEN 1 AND 2 AND y") == .binary(.and, .between(.column(QualifiedName(["x"])), .literal(.integer("1")), .literal(.integer("2")), negated: false), .column(QualifiedName(["y"]))))
        #expect(try Parser.parseExpression("a NOT IN (1, 2)") == .inList(.column(QualifiedName(["a"])), [.literal(.integer("1")), .literal(.integer("2"))], negated: true))
    }

    @Test(arguments: [
        "SET NAMES utf8mb4", "SET NAMES 'utf8mb4' COLLATE 'utf8mb4_general_ci'", "SET CHARACTER SET utf8",
        "SET autocommit=1, sql_mode = concat(@@sql_mode,',STRICT_TRANS_TABLES')", "SET @@session.autocommit = OFF",
        "SET SESSION TRANSACTION ISOLATION LEVEL READ COMMITTED", "SET character_set_results = NULL", "SET sql_select_limit=DEFAULT",
        "set autocommit=1, sql_mode=CONCAT(@@sql_mode,',STRICT_TRANS_TABLES'), NAMES utf8mb4", "SET @x = 1 + 2",
        "SHOW VARIABLES WHERE Variable_name in ('max_allowed_packet','time_zone')", "SHOW SESSION STATUS LIKE 'Ssl_cipher'",
        "SHOW FULL TABLES FROM `db`", "SHOW FULL COLUMNS FROM t FROM db LIKE '%'", "SHOW TABLE STATUS FROM `db` LIKE 'tbl'",
        "SHOW CREATE DATABASE quickstart", "SHOW CHARACTER SET", "SHOW COLLATION", "SHOW ENGINES", "SHOW PLUGINS", "SHOW FULL PROCESSLIST",
        "SHOW INDEX FROM t", "SHOW PROCEDURE STATUS WHERE Db='x'", "SHOW GRANTS", "DESC t", "DESCRIBE db.t ALL", "KILL QUERY 3",
        "START TRANSACTION READ ONLY", "COMMIT", "ROLLBACK", "USE `quickstart`", "/* ping */", "SELECT 1 FROM DUAL",
        "/* mysql-connector-j-9.1.0 */SELECT @@session.auto_increment_increment AS auto_increment_increment, @@license AS license",
        "select @@character_set_client, @@character_set_connection, @@character_set_server, @@character_set_database limit 1",
        "SELECT * FROM information_schema.TABLES t WHERE t.TABLE_SCHEMA = 'information_schema' AND t.TABLE_NAME = 'CHECK_CONSTRAINTS'",
        "SELECT kc.CONSTRAINT_NAME FROM INFORMATION_SCHEMA.KEY_COLUMN_USAGE kc WHERE kc.TABLE_SCHEMA='d' AND kc.REFERENCED_TABLE_NAME IS NULL",
        "CREATE TABLE t (a ARRAY<ARRAY<INT>>, m MAP<INT,STRING>, s STRUCT<x INT, y VARCHAR(10)>)",
        "/*!40101 SET NAMES utf8 */",
        "SELECT CONVERT (CASE DATA_TYPE WHEN 'year' THEN NUMERIC_SCALE ELSE 0 END, UNSIGNED INTEGER) x, CONVERT('a' USING utf8mb4), CAST(1 as signed integer)",
    ])
    func clientStatementsParse(_ sql: String) throws {
        _ = try Parser.parse(sql)
    }

    @Test func userStatementsParse() throws {
        #expect(try Parser.parseOne("CREATE USER IF NOT EXISTS 'u'@'10.%' IDENTIFIED WITH caching_sha2_password BY 'p'")
                == .user(.create(UserIdentity(name: "u", host: "10.%"), .password("p", plugin: "caching_sha2_password"), ifNotExists: true)))
        #expect(try Parser.parseOne("GRANT SELECT, CREATE TABLE ON db.* TO USER u@'%'")
                == .user(.grant(GrantStatement(privileges: ["SELECT", "CREATE TABLE"], target: .database("db"), user: UserIdentity(name: "u")))))
        #expect(try Parser.parseOne("REVOKE ALL PRIVILEGES ON *.* FROM u") == .user(.revoke(GrantStatement(privileges: ["ALL"], target: .global, user: UserIdentity(name: "u")))))
        #expect(try Parser.parseOne("GRANT INSERT ON TABLE d.t TO 'u'") == .user(.grant(GrantStatement(privileges: ["INSERT"], target: .table("d", "t"), user: UserIdentity(name: "u")))))
        #expect(try Parser.parseOne("SET PASSWORD FOR 'u'@'%' = PASSWORD('x')") == .user(.setPassword(UserIdentity(name: "u"), "x")))
        #expect(try Parser.parseOne("SET PASSWORD = 'x'") == .user(.setPassword(nil, "x")))
        #expect(try Parser.parseOne("SHOW GRANTS FOR 'u'@'h'") == .show(.grants(UserIdentity(name: "u", host: "h"))))
        #expect(try Parser.parseOne("INSERT INTO db.t (a, b) VALUES (1, ?), (2, 'x')")
                == .insert(Insert(table: QualifiedName(["db", "t"]), columns: ["a", "b"], label: nil,
                                  source: .values([[.literal(.integer("1")), .parameter(0)], [.literal(.integer("2")), .literal(.string("x"))]]))))
    }

    @Test func seedCreateTableParsesWithKeysCommentsAndDistribution() throws {
        let sql = """
            CREATE TABLE `example_tbl2` (
                `commodity_id` varchar(26) NULL COMMENT "商品ID",
                `pay_time` bigint(20) NULL COMMENT "支払時間",
                `price` double SUM NULL COMMENT "支払金額"
            )
            ENGINE=OLAP
            AGGREGATE KEY(`commodity_id`,`pay_time`)
            DISTRIBUTED BY HASH(`commodity_id`) BUCKETS 4
            PROPERTIES("replication_num"="1");
            """
        guard case .createTable(let t) = try Parser.parseOne(sql) else { Issue.record("not create table"); return }
        #expect(t.keysType == .aggregate)
        #expect(t.keyColumns == ["commodity_id", "pay_time"])
        #expect(t.columns[2] == ColumnDefinition(name: "price", type: .double, aggregate: .sum, nullable: true, comment: "支払金額"))
        #expect(t.columns[1].type == .bigint)
        #expect(t.distribution == .hash(columns: ["commodity_id"], buckets: 4))
        #expect(t.properties == [Property("replication_num", "1")])
    }

    @Test func stringTypesAndDefaultsNormalize() throws {
        guard case .createTable(let t) = try Parser.parseOne("create table t (a string, b text, c varchar(10) default 'x', d datetime default current_timestamp, e int default -1)") else { return }
        #expect(t.columns.map(\.type) == [.varchar(65533), .varchar(65533), .varchar(10), .datetime, .int])
        #expect(t.columns.map(\.defaultValue) == [nil, nil, .value("x"), .currentTimestamp, .value("-1")])
    }

    @Test func syntaxErrorsCarryStarRocksTextAndZeroBasedColumns() {
        #expect(throws: ParseError(position: SourcePosition(offset: 7, line: 1, column: 7), message: "Unexpected input ';', the most similar input is {an expression}")) {
            try Parser.parse("select ;")
        }
        do { _ = try Parser.parse("SELECT 1\nFROM") } catch {
            #expect(error.starRocksMessage == "Getting syntax error at line 2, column 4. Detail message: Unexpected input '<EOF>', the most similar input is {a legal identifier}.")
        }
        #expect(throws: ParseError.self) { try Parser.parse("select 'unterminated") }
        #expect(throws: ParseError.self) { try Parser.parse("create table t (a decimal(40, 2))") }
    }

    @Test func deepNestingIsAnErrorNotACrash() {
        let deep = "SELECT " + String(repeating: "(", count: 10_000) + "1" + String(repeating: ")", count: 10_000)
        #expect(throws: ParseError.self) { try Parser.parse(deep) }
        let deepNot = "SELECT " + String(repeating: "NOT ", count: 10_000) + "1"
        #expect(throws: ParseError.self) { try Parser.parse(deepNot) }
        let deepMinus = "SELECT " + String(repeating: "- ", count: 10_000) + "1"
        #expect(throws: ParseError.self) { try Parser.parse(deepMinus) }
    }

    @Test func randomInputNeverTraps() {
        var rng = SystemRandomNumberGenerator()
        let alphabet = Array("select from where ( ) , ; ' \" ` @@ @ ? * + - / . 1 2.5 e9 a b c NOT IN AND OR create table show ".utf8)
        for n in 0..<2000 {
            let bytes = (0..<(n % 120)).map { _ in n % 2 == 0 ? alphabet[Int.random(in: 0..<alphabet.count, using: &rng)] : UInt8.random(in: 0...255, using: &rng) }
            _ = try? Parser.parse(String(decoding: bytes, as: UTF8.self))
        }
    }

    @Test func scriptsSplitOnSemicolonsAndCommentOnlyTextIsEmpty() throws {
        #expect(try Parser.parse("select 1; select 2;").count == 2)
        #expect(try Parser.parse("-- nothing\n/* here */") == [.empty])
    }
}

@Suite struct ClusterStatementTests {
    @Test func alterSystemAndShowNodes() throws {
        #expect(try Parser.parseOne(#"ALTER SYSTEM ADD COMPUTE NODE "cn1:9050", "cn2:9050""#) == .cluster(.addNodes(.computeNode, ["cn1:9050", "cn2:9050"])))
        #expect(try Parser.parseOne(#"alter system drop backend "be:9050" from warehouse default_warehouse force"#) == .cluster(.dropNodes(.backend, ["be:9050"])))
        #expect(try Parser.parseOne("SHOW COMPUTE NODES") == .cluster(.showNodes(.computeNode)))
        #expect(try Parser.parseOne("show backends") == .cluster(.showNodes(.backend)))
        #expect(try Parser.parseOne("SHOW FRONTENDS") == .cluster(.showFrontends))
        #expect(throws: ParseError.self) { try Parser.parseOne("ALTER SYSTEM ADD COMPUTE NODE cn1") }
    }
}
