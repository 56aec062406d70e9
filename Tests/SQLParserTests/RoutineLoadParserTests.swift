import Testing
@testable import SQLParser

/// Every routine-load statement of the seed guides, verbatim (the mysql CLI's `\\G` removed, as the CLI does).
@Suite struct RoutineLoadParserTests {
    static let seedStatements = [
        #"""
CREATE ROUTINE LOAD automq_example_load ON users
COLUMNS(id, name, timestamp, status)
PROPERTIES
(
  "desired_concurrent_number" = "5",
  "format" = "json",
  "jsonpaths" = "[\"$.id\",\"$.name\",\"$.timestamp\",\"$.status\"]"
)
FROM KAFKA
(
  "kafka_broker_list" = "10.0.96.4:9092",
  "kafka_topic" = "example_topic",
  "kafka_partitions" = "0",
  "property.kafka_default_offsets" = "OFFSET_BEGINNING"
)
"""#,
        #"""
show routine load
"""#,
        #"""
CREATE ROUTINE LOAD quickstart.clicks ON site_clicks
PROPERTIES
(
    "format" = "JSON",
    "jsonpaths" ="[\"$.uid\",\"$.site\",\"$.vtime\"]"
)
FROM KAFKA
(     
    "kafka_broker_list" = "redpanda:29092",
    "kafka_topic" = "test2",
    "kafka_partitions" = "0",
    "kafka_offsets" = "OFFSET_BEGINNING"
)
"""#,
        #"""
SHOW ROUTINE LOAD
"""#,
        #"""
CREATE ROUTINE LOAD example_db.example_tbl1_ordertest1 ON example_tbl1
COLUMNS TERMINATED BY ",",
COLUMNS (order_id, pay_dt, customer_name, nationality, temp_gender, price)
PROPERTIES
(
    "desired_concurrent_number" = "5"
)
FROM KAFKA
(
    "kafka_broker_list" = "<kafka_broker1_ip>:<kafka_broker1_port>,<kafka_broker2_ip>:<kafka_broker2_port>",
    "kafka_topic" = "ordertest1",
    "kafka_partitions" = "0,1,2,3,4",
    "property.kafka_default_offsets" = "OFFSET_BEGINNING"
)
"""#,
        #"""
CREATE ROUTINE LOAD example_db.example_tbl2_ordertest2 ON example_tbl2
COLUMNS(commodity_id, customer_name, country, pay_time, price, pay_dt=from_unixtime(pay_time, '%Y%m%d'))
PROPERTIES
(
    "desired_concurrent_number" = "5",
    "format" = "json",
    "jsonpaths" = "[\"$.commodity_id\",\"$.customer_name\",\"$.country\",\"$.pay_time\",\"$.price\"]"
 )
FROM KAFKA
(
    "kafka_broker_list" = "<kafka_broker1_ip>:<kafka_broker1_port>,<kafka_broker2_ip>:<kafka_broker2_port>",
    "kafka_topic" = "ordertest2",
    "kafka_partitions" = "0,1,2,3,4",
    "property.kafka_default_offsets" = "OFFSET_BEGINNING"
)
"""#,
        #"""
CREATE ROUTINE LOAD example_db.sensor_log_load_job ON sensor_log 
PROPERTIES  
(  
    "format" = "avro"  
)  
FROM KAFKA  
(  
    "kafka_broker_list" = "<kafka_broker1_ip>:<kafka_broker1_port>,<kafka_broker2_ip>:<kafka_broker2_port>,...",
    "confluent.schema.registry.url" = "http://172.xx.xxx.xxx:8081",  
    "kafka_topic" = "topic_0",  
    "kafka_partitions" = "0,1,2,3,4,5",  
    "property.kafka_default_offsets" = "OFFSET_BEGINNING"  
)
"""#,
        #"""
PAUSE ROUTINE LOAD FOR example_tbl2_ordertest2
"""#,
        #"""
RESUME ROUTINE LOAD FOR example_tbl2_ordertest2
"""#,
        #"""
ALTER ROUTINE LOAD FOR example_tbl2_ordertest2
PROPERTIES
(
    "desired_concurrent_number" = "6"
)
FROM kafka
(
    "kafka_partitions" = "0,1,2,3,4,5,6,7",
    "kafka_offsets" = "OFFSET_BEGINNING,OFFSET_BEGINNING,OFFSET_BEGINNING,OFFSET_BEGINNING,OFFSET_END,OFFSET_END,OFFSET_END,OFFSET_END"
)
"""#,
        #"""
SHOW ROUTINE LOAD FOR example_tbl2_ordertest2
"""#,
        #"""
SHOW ROUTINE LOAD TASK WHERE JobName = "example_tbl2_ordertest2"
"""#,
        #"""
STOP ROUTINE LOAD FOR example_db.example_tbl2_ordertest2
"""#,
        #"""
SHOW ALL ROUTINE LOAD FROM example_db WHERE State = 'PAUSED' ORDER BY CreateTime DESC LIMIT 2
"""#,
        #"""
SHOW CREATE ROUTINE LOAD example_db.example_tbl1_ordertest1
"""#
    ]

    @Test(arguments: seedStatements)
    func seedStatementsParse(_ sql: String) throws {
        guard case .routineLoad = try Parser.parseOne(sql) else { Issue.record("not a routine load statement: \(sql)"); return }
    }

    @Test func createKeepsLoadPropertiesPropertiesAndSource() throws {
        let sql = """
            CREATE ROUTINE LOAD example_db.example_tbl1_ordertest1 ON example_tbl1
            COLUMNS TERMINATED BY ",",
            COLUMNS (order_id, pay_dt, customer_name, nationality, temp_gender, price),
            WHERE price > 0,
            TEMPORARY PARTITION (p1, "p2")
            PROPERTIES ("desired_concurrent_number" = "5")
            FROM KAFKA ("kafka_broker_list" = "127.0.0.1:9092", "kafka_topic" = "ordertest1")
            """
        guard case .routineLoad(.create(let c)) = try Parser.parseOne(sql) else { Issue.record("not create"); return }
        #expect(c.name == QualifiedName(["example_db", "example_tbl1_ordertest1"]))
        #expect(c.table == "example_tbl1")
        #expect(c.load.columnSeparator == ",")
        #expect(c.load.columns?.map(\.name) == ["order_id", "pay_dt", "customer_name", "nationality", "temp_gender", "price"])
        #expect(c.load.whereClause == "price > 0")
        #expect(c.load.partitions == ["p1", "p2"] && c.load.temporaryPartitions)
        #expect(c.properties == [Property("desired_concurrent_number", "5")])
        #expect(c.sourceType == "KAFKA")
        #expect(c.sourceProperties.map(\.key) == ["kafka_broker_list", "kafka_topic"])
    }

    @Test func derivedColumnsKeepTheirExpressionText() throws {
        let sql = "CREATE ROUTINE LOAD j ON t COLUMNS(a, pay_dt=from_unixtime(pay_time, '%Y%m%d')) FROM KAFKA (\"kafka_topic\"=\"x\")"
        guard case .routineLoad(.create(let c)) = try Parser.parseOne(sql) else { Issue.record("not create"); return }
        #expect(c.load.columns == [ColumnMapping(name: "a"), ColumnMapping(name: "pay_dt", expression: "from_unixtime(pay_time, '%Y%m%d')")])
    }

    @Test func repeatedLoadPropertiesAreSyntaxErrors() {
        #expect(throws: ParseError.self) { try Parser.parseOne("CREATE ROUTINE LOAD j ON t COLUMNS(a), COLUMNS(b) FROM KAFKA") }
        do { _ = try Parser.parseOne("CREATE ROUTINE LOAD j ON t WHERE a > 1, WHERE b > 1 FROM KAFKA") } catch {
            #expect(error.message == "repeat setting of where predicate")
        }
    }
}
