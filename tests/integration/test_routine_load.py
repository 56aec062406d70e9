"""Routine-load jobs through the mysql CLI: every CREATE ROUTINE LOAD of the seed guides verbatim (broker
addresses pointed at loopback), SHOW ROUTINE LOAD's columns and JSON, PAUSE / ALTER / RESUME / STOP, SHOW ALL,
errors with StarRocks' texts, DROP TABLE cancelling a job, and jobs surviving restarts. The FE fixture's
scheduler interval is an hour, so these jobs stay NEED_SCHEDULE until paused or stopped; loading is in
test_load_execution.py."""
import signal

from conftest import SEEDS_DDL, mysql

SEED_JOBS = [
    ('automq_db', 'CREATE ROUTINE LOAD automq_example_load ON users\nCOLUMNS(id, name, timestamp, status)\nPROPERTIES\n(\n  "desired_concurrent_number" = "5",\n  "format" = "json",\n  "jsonpaths" = "[\\"$.id\\",\\"$.name\\",\\"$.timestamp\\",\\"$.status\\"]"\n)\nFROM KAFKA\n(\n  "kafka_broker_list" = "10.0.96.4:9092",\n  "kafka_topic" = "example_topic",\n  "kafka_partitions" = "0",\n  "property.kafka_default_offsets" = "OFFSET_BEGINNING"\n)'),
    ('example_db', 'CREATE ROUTINE LOAD quickstart.clicks ON site_clicks\nPROPERTIES\n(\n    "format" = "JSON",\n    "jsonpaths" ="[\\"$.uid\\",\\"$.site\\",\\"$.vtime\\"]"\n)\nFROM KAFKA\n(     \n    "kafka_broker_list" = "redpanda:29092",\n    "kafka_topic" = "test2",\n    "kafka_partitions" = "0",\n    "kafka_offsets" = "OFFSET_BEGINNING"\n)'),
    ('example_db', 'CREATE ROUTINE LOAD example_db.example_tbl1_ordertest1 ON example_tbl1\nCOLUMNS TERMINATED BY ",",\nCOLUMNS (order_id, pay_dt, customer_name, nationality, temp_gender, price)\nPROPERTIES\n(\n    "desired_concurrent_number" = "5"\n)\nFROM KAFKA\n(\n    "kafka_broker_list" = "<kafka_broker1_ip>:<kafka_broker1_port>,<kafka_broker2_ip>:<kafka_broker2_port>",\n    "kafka_topic" = "ordertest1",\n    "kafka_partitions" = "0,1,2,3,4",\n    "property.kafka_default_offsets" = "OFFSET_BEGINNING"\n)'),
    ('example_db', 'CREATE ROUTINE LOAD example_db.example_tbl2_ordertest2 ON example_tbl2\nCOLUMNS(commodity_id, customer_name, country, pay_time, price, pay_dt=from_unixtime(pay_time, \'%Y%m%d\'))\nPROPERTIES\n(\n    "desired_concurrent_number" = "5",\n    "format" = "json",\n    "jsonpaths" = "[\\"$.commodity_id\\",\\"$.customer_name\\",\\"$.country\\",\\"$.pay_time\\",\\"$.price\\"]"\n )\nFROM KAFKA\n(\n    "kafka_broker_list" = "<kafka_broker1_ip>:<kafka_broker1_port>,<kafka_broker2_ip>:<kafka_broker2_port>",\n    "kafka_topic" = "ordertest2",\n    "kafka_partitions" = "0,1,2,3,4",\n    "property.kafka_default_offsets" = "OFFSET_BEGINNING"\n)'),
    ('example_db', 'CREATE ROUTINE LOAD example_db.sensor_log_load_job ON sensor_log \nPROPERTIES  \n(  \n    "format" = "avro"  \n)  \nFROM KAFKA  \n(  \n    "kafka_broker_list" = "<kafka_broker1_ip>:<kafka_broker1_port>,<kafka_broker2_ip>:<kafka_broker2_port>,...",\n    "confluent.schema.registry.url" = "http://172.xx.xxx.xxx:8081",  \n    "kafka_topic" = "topic_0",  \n    "kafka_partitions" = "0,1,2,3,4,5",  \n    "property.kafka_default_offsets" = "OFFSET_BEGINNING"  \n)'),
]


def loopback(sql):
    for placeholder in ["<kafka_broker1_ip>:<kafka_broker1_port>,<kafka_broker2_ip>:<kafka_broker2_port>,...",
                        "<kafka_broker1_ip>:<kafka_broker1_port>,<kafka_broker2_ip>:<kafka_broker2_port>", "10.0.96.4:9092"]:
        sql = sql.replace(placeholder, "127.0.0.1:9092")
    return sql


def vertical(out):
    """Rows of `\\G` output as dicts."""
    rows, row = [], None
    for line in out.splitlines():
        if line.startswith("*****"):
            row = {}
            rows.append(row)
        elif row is not None and ": " in line:
            k, v = line.split(": ", 1)
            row[k.strip()] = v
        elif row is not None and line.strip().endswith(":"):
            row[line.strip()[:-1]] = ""
    return rows


def test_seed_jobs_are_created_and_shown_like_the_guide(fe):
    assert mysql(fe.port, SEEDS_DDL)[0] == 0
    for db, sql in SEED_JOBS:
        rc, _, err = mysql(fe.port, loopback(sql), db=db)
        assert rc == 0, (sql[:60], err)
    rc, out, err = mysql(fe.port, "SHOW ROUTINE LOAD FOR example_tbl2_ordertest2\\G", db="example_db")
    assert rc == 0, err
    [row] = vertical(out)
    assert list(row) == ["Id", "Name", "CreateTime", "PauseTime", "EndTime", "DbName", "TableName", "State", "DataSourceType",
                         "CurrentTaskNum", "JobProperties", "DataSourceProperties", "CustomProperties", "Statistic", "Progress",
                         "TimestampProgress", "ReasonOfStateChanged", "ErrorLogUrls", "TrackingSQL", "OtherMsg",
                         "LatestSourcePosition", "OffsetLag"]
    assert row["State"] == "NEED_SCHEDULE" and row["PauseTime"] == "NULL" and row["DbName"] == "example_db"
    assert '"columnToColumnExpr":"commodity_id,customer_name,country,pay_time,price,pay_dt=from_unixtime(`pay_time`, \'%Y%m%d\')"' in row["JobProperties"]
    assert '"dataFormat":"json"' in row["JobProperties"] and '"desireTaskConcurrentNum":"5"' in row["JobProperties"]
    assert row["DataSourceProperties"] == '{"topic":"ordertest2","currentKafkaPartitions":"0,1,2,3,4","brokerList":"127.0.0.1:9092"}'
    assert row["CustomProperties"].startswith('{"kafka_default_offsets":"OFFSET_BEGINNING","group.id":"example_tbl2_ordertest2_')
    assert row["Progress"] == '{"0":"OFFSET_BEGINNING","1":"OFFSET_BEGINNING","2":"OFFSET_BEGINNING","3":"OFFSET_BEGINNING","4":"OFFSET_BEGINNING"}'
    assert row["Statistic"].startswith('{"receivedBytes":0,"errorRows":0,"committedTaskNum":0,"loadedRows":0')
    rc, out, _ = mysql(fe.port, "SHOW ROUTINE LOAD\\G", db="example_db")
    assert [r["Name"] for r in vertical(out)] == ["example_tbl1_ordertest1", "example_tbl2_ordertest2", "sensor_log_load_job"]
    rc, out, _ = mysql(fe.port, "SHOW ROUTINE LOAD\\G", db="automq_db")
    [automq] = vertical(out)
    assert '"jsonpaths":"[\\"$.id\\",\\"$.name\\",\\"$.timestamp\\",\\"$.status\\"]"' in automq["JobProperties"]
    assert automq["Progress"] == '{"0":"OFFSET_BEGINNING"}'


def test_pause_alter_resume_stop_and_show_all(fe):
    assert mysql(fe.port, SEEDS_DDL)[0] == 0
    for db, sql in SEED_JOBS[3:4]:
        assert mysql(fe.port, loopback(sql), db=db)[0] == 0
    job = "example_tbl2_ordertest2"
    rc, _, err = mysql(fe.port, f"ALTER ROUTINE LOAD FOR {job} PROPERTIES (\"desired_concurrent_number\" = \"6\")", db="example_db")
    assert "Only supports modification of PAUSED jobs" in err
    rc, _, err = mysql(fe.port, f"PAUSE ROUTINE LOAD FOR {job}; PAUSE ROUTINE LOAD FOR {job}", db="example_db")
    assert "ERROR 1064 (HY000) at line 1: Could not transform PAUSED to PAUSED" in err
    rc, _, err = mysql(fe.port, f"""ALTER ROUTINE LOAD FOR {job}
        PROPERTIES ("desired_concurrent_number" = "6")
        FROM kafka ("kafka_partitions" = "0,1,2,3,4,5,6,7", "kafka_offsets" = "100,OFFSET_BEGINNING,OFFSET_BEGINNING,OFFSET_BEGINNING,OFFSET_END,OFFSET_END,OFFSET_END,OFFSET_END")""",
                       db="example_db")
    assert "The specified partition 5 is not in the custom partitions" in err
    rc, _, err = mysql(fe.port, f"""ALTER ROUTINE LOAD FOR {job} PROPERTIES ("desired_concurrent_number" = "6")
        FROM kafka ("kafka_partitions" = "0,4", "kafka_offsets" = "100,OFFSET_END")""", db="example_db")
    assert rc == 0, err
    rc, out, _ = mysql(fe.port, f"SHOW ROUTINE LOAD FOR {job}\\G", db="example_db")
    [row] = vertical(out)
    assert row["State"] == "PAUSED" and row["PauseTime"] != "NULL"
    assert row["ReasonOfStateChanged"] == "ErrorReason{errCode = 100, msg='User root pauses routine load job'}"
    assert '"desireTaskConcurrentNum":"6"' in row["JobProperties"]
    assert row["Progress"] == '{"0":"99","1":"OFFSET_BEGINNING","2":"OFFSET_BEGINNING","3":"OFFSET_BEGINNING","4":"OFFSET_END"}'
    rc, out, err = mysql(fe.port, f"RESUME ROUTINE LOAD FOR {job}; SHOW ROUTINE LOAD FOR {job}\\G", db="example_db")
    assert rc == 0, err
    assert vertical(out)[0]["State"] == "NEED_SCHEDULE" and vertical(out)[0]["PauseTime"] == "NULL"
    rc, _, err = mysql(fe.port, f"STOP ROUTINE LOAD FOR {job}; RESUME ROUTINE LOAD FOR {job}", db="example_db")
    assert f"Routine load job [{job}] not found when checking privilege" in err
    rc, _, err = mysql(fe.port, f"SHOW ROUTINE LOAD FOR {job}", db="example_db")
    assert (f"There is no running job named {job} in db example_db. Include history? false, you can try "
            "`show all routine load job for job_name` if you want to list stopped and cancelled jobs") in err
    rc, out, _ = mysql(fe.port, f"SHOW ALL ROUTINE LOAD FOR {job}\\G", db="example_db")
    [row] = vertical(out)
    assert row["State"] == "STOPPED" and row["EndTime"] != "NULL" and row["ReasonOfStateChanged"] == ""
    # The name of a stopped job can be used again.
    assert mysql(fe.port, loopback(SEED_JOBS[3][1]), db="example_db")[0] == 0
    rc, out, _ = mysql(fe.port, "SHOW ALL ROUTINE LOAD WHERE State = 'STOPPED' ORDER BY Id DESC LIMIT 5\\G", db="example_db")
    assert [r["State"] for r in vertical(out)] == ["STOPPED"]


def test_errors_and_drop_table_cancels_and_restart_keeps_jobs(fe):
    assert mysql(fe.port, SEEDS_DDL)[0] == 0
    cases = {
        "CREATE ROUTINE LOAD `1bad` ON example_tbl1 FROM KAFKA (\"kafka_broker_list\"=\"h:1\", \"kafka_topic\"=\"t\")":
            "ERROR 1064 (42000) at line 1: Incorrect ROUTINE LOAD NAME name '1bad'",
        "CREATE ROUTINE LOAD j ON nosuch FROM KAFKA (\"kafka_broker_list\"=\"h:1\", \"kafka_topic\"=\"t\")":
            "ERROR 5502 (42602) at line 1: Unknown table 'nosuch'",
        "CREATE ROUTINE LOAD j ON example_tbl1 PROPERTIES (\"max_batch_interval\"=\"0\") FROM KAFKA (\"kafka_broker_list\"=\"h:1\", \"kafka_topic\"=\"t\")":
            "ERROR 1064 (HY000) at line 1: Getting analyzing error. Detail message: max_batch_interval should >= 1.",
        "CREATE ROUTINE LOAD j ON example_tbl1 FROM KAFKA (\"kafka_topic\"=\"t\")":
            "ERROR 1064 (HY000) at line 1: Getting analyzing error. Detail message: kafka_broker_list is a required property.",
        "SHOW ROUTINE LOAD TASK": "designate a jobName in where expr",
        "SHOW ROUTINE LOAD TASK WHERE JobName = \"nope\"": "The job named nopedoes not exists or job state is stopped or cancelled",
    }
    for sql, expected in cases.items():
        rc, _, err = mysql(fe.port, sql, db="example_db")
        assert expected in err, (sql, err)
    for db, sql in SEED_JOBS[2:]:
        assert mysql(fe.port, loopback(sql), db=db)[0] == 0
    fe.restart(signal.SIGKILL)
    rc, out, _ = mysql(fe.port, "SHOW ROUTINE LOAD\\G", db="example_db")
    assert len(vertical(out)) == 3
    rc, out, _ = mysql(fe.port, "SHOW CREATE ROUTINE LOAD example_db.example_tbl1_ordertest1\\G")
    assert "CREATE ROUTINE LOAD example_db.example_tbl1_ordertest1 on example_tbl1" in out
    assert "COLUMNS TERMINATED BY ','" in out and '"kafka_topic"="ordertest1"' in out
    assert mysql(fe.port, "DROP TABLE example_db.sensor_log")[0] == 0
    rc, out, _ = mysql(fe.port, "SHOW ALL ROUTINE LOAD FOR sensor_log_load_job\\G", db="example_db")
    [row] = vertical(out)
    assert row["State"] == "CANCELLED" and row["ReasonOfStateChanged"] == "ErrorReason{errCode = 6, msg='table not exist'}"


def test_information_schema_routine_load_jobs(fe):
    assert mysql(fe.port, SEEDS_DDL)[0] == 0
    for db, sql in SEED_JOBS[2:4]:
        assert mysql(fe.port, loopback(sql), db=db)[0] == 0
    mysql(fe.port, "PAUSE ROUTINE LOAD FOR example_db.example_tbl2_ordertest2")
    rc, out, err = mysql(fe.port, "SELECT NAME, DB_NAME, TABLE_NAME, STATE, DATA_SOURCE_TYPE, REASONS_OF_STATE_CHANGED "
                                  "FROM information_schema.routine_load_jobs ORDER BY ID")
    assert rc == 0, err
    assert out.strip().split("\n")[1:] == [
        "example_tbl1_ordertest1\texample_db\texample_tbl1\tNEED_SCHEDULE\tKAFKA\t",
        "example_tbl2_ordertest2\texample_db\texample_tbl2\tPAUSED\tKAFKA\tErrorReason{errCode = 100, msg='User root pauses routine load job'}",
    ]


def test_scheduler_round_resolves_offsets_from_kafka_and_pauses_on_unreachable_brokers(tmp_path):
    import subprocess
    import time
    from conftest import FE
    from test_kafka_mock import MOCK
    from kafka import KafkaProducer

    mock = subprocess.Popen([MOCK, "--topic", "ordertest2:5"], stdout=subprocess.PIPE, text=True)
    broker = mock.stdout.readline().strip().split(": ", 1)[1]
    fe = FE(tmp_path / "meta", config="routine_load_scheduler_interval_second = 1\n").start()
    try:
        producer = KafkaProducer(bootstrap_servers=broker)
        for i in range(3):
            producer.send("ordertest2", partition=0, value=b'{"commodity_id": "c"}')
        producer.flush()
        assert mysql(fe.port, SEEDS_DDL)[0] == 0
        job = SEED_JOBS[3][1].replace("<kafka_broker1_ip>:<kafka_broker1_port>,<kafka_broker2_ip>:<kafka_broker2_port>", broker)
        assert mysql(fe.port, job, db="example_db")[0] == 0                        # OFFSET_BEGINNING for partitions 0-4
        unreachable = ("CREATE ROUTINE LOAD example_db.nowhere ON example_tbl1 FROM KAFKA "
                       "(\"kafka_broker_list\" = \"127.0.0.1:1\", \"kafka_topic\" = \"t\")")
        assert mysql(fe.port, unreachable)[0] == 0
        deadline = time.time() + 30
        rows = {}
        while time.time() < deadline:
            rc, out, _ = mysql(fe.port, "SHOW ROUTINE LOAD\\G", db="example_db")
            rows = {r["Name"]: r for r in vertical(out)}
            if rows.get("nowhere", {}).get("State") == "PAUSED" and '"loadedRows":3' in rows["example_tbl2_ordertest2"]["Statistic"]:
                break
            time.sleep(0.5)
        ordered = rows["example_tbl2_ordertest2"]
        assert ordered["State"] == "RUNNING"                                       # split over the embedded compute node
        # OFFSET_BEGINNING became offset 0; partition 0 consumed offsets 0..2.
        assert ordered["Progress"] == '{"0":"2","1":"OFFSET_ZERO","2":"OFFSET_ZERO","3":"OFFSET_ZERO","4":"OFFSET_ZERO"}'
        assert rows["nowhere"]["State"] == "PAUSED"
        assert rows["nowhere"]["ReasonOfStateChanged"].startswith(
            "ErrorReason{errCode = 4, msg='Job failed to fetch all current partition with error [")
        assert fe.alive()
    finally:
        fe.stop()
        mock.kill()


def test_merge_condition_must_name_a_value_column_of_a_primary_key_table(fe):
    assert mysql(fe.port, SEEDS_DDL)[0] == 0
    source = 'FROM KAFKA ("kafka_broker_list" = "127.0.0.1:9092", "kafka_topic" = "t")'
    rc, _, err = mysql(fe.port, f'CREATE ROUTINE LOAD j1 ON users PROPERTIES ("merge_condition" = "id") {source}', db="automq_db")
    assert "merge_condition column 'id' must be a value column of table 'users'" in err
    rc, _, err = mysql(fe.port, f'CREATE ROUTINE LOAD j2 ON example_tbl1 PROPERTIES ("merge_condition" = "price") {source}', db="example_db")
    assert "merge_condition is only supported for PRIMARY KEY tables" in err
    rc, _, err = mysql(fe.port, f'CREATE ROUTINE LOAD j3 ON users PROPERTIES ("merge_condition" = "status") {source}', db="automq_db")
    assert rc == 0, err


def test_a_damaged_job_document_is_logged_and_does_not_block_the_other_jobs(fe):
    assert mysql(fe.port, SEEDS_DDL)[0] == 0
    for db, sql in SEED_JOBS[2:]:
        assert mysql(fe.port, loopback(sql), db=db)[0] == 0
    fe.stop(signal.SIGKILL)
    import sqlite3
    db = sqlite3.connect(fe.meta_dir / "catalog.sqlite")
    db.execute("UPDATE routine_load_jobs SET document = '{not json' WHERE name = 'example_tbl1_ordertest1'")
    db.commit()
    db.close()
    fe.start()
    rc, out, err = mysql(fe.port, "PAUSE ROUTINE LOAD FOR example_tbl2_ordertest2; SHOW ROUTINE LOAD FOR example_tbl2_ordertest2\\G",
                         db="example_db")
    assert rc == 0, err
    assert vertical(out)[0]["State"] == "PAUSED"
    assert mysql(fe.port, "DROP TABLE example_db.sensor_log")[0] == 0
    rc, out, _ = mysql(fe.port, "SHOW ALL ROUTINE LOAD FOR sensor_log_load_job\\G", db="example_db")
    assert vertical(out)[0]["State"] == "CANCELLED"
    assert "routine load job" in fe.logs() and "cannot be read from the catalog" in fe.logs()
