"""Table models in routine loads (issue 14): the AutoMQ seed's PRIMARY KEY users table fed with upserts and deletes,
partial updates, merge_condition, and seed 004's AGGREGATE table summing across batches."""
import json

from kafka import KafkaProducer

from conftest import SEEDS_DDL, mysql
from test_load_execution import loading_fe, mock, query, show_job, statistic, wait_until  # noqa: F401 (fixtures)
from test_routine_load import SEED_JOBS


def send(producer, topic, rows):
    for r in rows:
        producer.send(topic, (r if isinstance(r, str) else json.dumps(r)).encode())
    producer.flush()


def loaded(fe, job, db, n):
    return wait_until(lambda: statistic(show_job(fe, job, db))["loadedRows"] >= n, timeout=40)


def test_automq_seed_users_end_in_their_latest_state(mock, loading_fe):
    broker = mock("example_topic:1", "user_changes:1")
    fe = loading_fe()
    assert mysql(fe.port, SEEDS_DDL)[0] == 0
    job = SEED_JOBS[0][1].replace("10.0.96.4:9092", broker)                 # the AutoMQ seed's statement, verbatim otherwise
    rc, _, err = mysql(fe.port, job, db="automq_db")
    assert rc == 0, err
    producer = KafkaProducer(bootstrap_servers=broker)
    send(producer, "example_topic", ['{"id": 1, "name": "testuser", "timestamp": "2023-11-10T12:00:00", "status": "active"}',
                                     '{"id": 2, "name": "testuser", "timestamp": "2023-11-10T12:00:00", "status": "active"}'])
    loaded(fe, "automq_example_load", "automq_db", 2)
    assert query(fe, "select * from users", db="automq_db") == [
        ["1", "testuser", "2023-11-10T12:00:00", "active"], ["2", "testuser", "2023-11-10T12:00:00", "active"]]
    # Upserts: the same key again, twice in one batch (offset order decides) and in a later batch.
    send(producer, "example_topic", [{"id": 1, "name": "renamed", "timestamp": "2023-11-11T00:00:00", "status": "active"},
                                     {"id": 1, "name": "renamed again", "timestamp": "2023-11-12T00:00:00", "status": "idle"},
                                     {"id": 3, "name": "third", "timestamp": "2023-11-12T00:00:00", "status": "active"}])
    loaded(fe, "automq_example_load", "automq_db", 5)
    # Deletes: a second job whose __op comes from a COLUMNS expression over the message.
    rc, _, err = mysql(fe.port, f"""CREATE ROUTINE LOAD automq_db.user_changes ON users
        COLUMNS(id, name, timestamp, status, op, __op = IF(op = 'delete', 1, 0))
        PROPERTIES ("format" = "json", "jsonpaths" = "[\\"$.id\\",\\"$.name\\",\\"$.timestamp\\",\\"$.status\\",\\"$.op\\"]")
        FROM KAFKA ("kafka_broker_list" = "{broker}", "kafka_topic" = "user_changes", "property.kafka_default_offsets" = "OFFSET_BEGINNING")""")
    assert rc == 0, err
    send(producer, "user_changes", [{"id": 2, "name": "x", "timestamp": "", "status": "", "op": "delete"},
                                    {"id": 4, "name": "fourth", "timestamp": "2023-11-13T00:00:00", "status": "new", "op": "upsert"}])
    loaded(fe, "user_changes", "automq_db", 2)
    assert query(fe, "select * from users order by id", db="automq_db") == [
        ["1", "renamed again", "2023-11-12T00:00:00", "idle"], ["3", "third", "2023-11-12T00:00:00", "active"],
        ["4", "fourth", "2023-11-13T00:00:00", "new"]]


def test_partial_update_and_merge_condition(mock, loading_fe):
    broker = mock("status:1", "versions:1")
    fe = loading_fe()
    assert mysql(fe.port, """CREATE DATABASE d;
        CREATE TABLE d.users (id BIGINT NOT NULL, name STRING NOT NULL, status STRING DEFAULT 'new', version BIGINT)
        PRIMARY KEY (id) DISTRIBUTED BY HASH(id);
        INSERT INTO d.users VALUES (1, 'ann', 'active', 5), (2, 'bob', 'active', 5)""")[0] == 0
    producer = KafkaProducer(bootstrap_servers=broker)
    # partial_update: only status (and the key) are set; name and version stay; a new key gets defaults for the rest.
    rc, _, err = mysql(fe.port, f"""CREATE ROUTINE LOAD d.statuses ON users COLUMNS(id, status)
        PROPERTIES ("format" = "json", "partial_update" = "true")
        FROM KAFKA ("kafka_broker_list" = "{broker}", "kafka_topic" = "status", "property.kafka_default_offsets" = "OFFSET_BEGINNING")""")
    assert rc == 0, err
    send(producer, "status", [{"id": 1, "status": "away"}, {"id": 1, "status": "back"}])
    loaded(fe, "statuses", "d", 2)
    assert query(fe, "SELECT * FROM d.users ORDER BY id") == [["1", "ann", "back", "5"], ["2", "bob", "active", "5"]]
    # merge_condition: a row replaces the stored one only if its version is at least the stored version.
    rc, _, err = mysql(fe.port, f"""CREATE ROUTINE LOAD d.versions ON users
        PROPERTIES ("format" = "json", "merge_condition" = "version")
        FROM KAFKA ("kafka_broker_list" = "{broker}", "kafka_topic" = "versions", "property.kafka_default_offsets" = "OFFSET_BEGINNING")""")
    assert rc == 0, err
    send(producer, "versions", [{"id": 1, "name": "stale", "status": "x", "version": 4},
                                {"id": 2, "name": "bob v6", "status": "busy", "version": 6},
                                {"id": 3, "name": "carol", "status": "new", "version": 1}])
    loaded(fe, "versions", "d", 3)
    assert query(fe, "SELECT * FROM d.users ORDER BY id") == [
        ["1", "ann", "back", "5"], ["2", "bob v6", "busy", "6"], ["3", "carol", "new", "1"]]
    send(producer, "versions", [{"id": 2, "name": "bob v5", "status": "old", "version": 5}])
    loaded(fe, "versions", "d", 4)
    assert query(fe, "SELECT name, version FROM d.users WHERE id = 2") == [["bob v6", "6"]]


def test_aggregate_table_sums_across_batches(mock, loading_fe):
    broker = mock("ordertest2:5")
    fe = loading_fe()
    assert mysql(fe.port, SEEDS_DDL)[0] == 0
    placeholder = "<kafka_broker1_ip>:<kafka_broker1_port>,<kafka_broker2_ip>:<kafka_broker2_port>"
    rc, _, err = mysql(fe.port, SEED_JOBS[3][1].replace(placeholder, broker), db="example_db")
    assert rc == 0, err
    producer = KafkaProducer(bootstrap_servers=broker)
    row = '{"commodity_id": "1", "customer_name": "Mark Twain", "country": "US","pay_time": 1589191487,"price": 875}'
    send(producer, "ordertest2", [row, row])                               # twice in one batch
    loaded(fe, "example_tbl2_ordertest2", "example_db", 2)
    send(producer, "ordertest2", [row])                                    # and once more in a later batch
    loaded(fe, "example_tbl2_ordertest2", "example_db", 3)
    assert query(fe, "SELECT commodity_id, price FROM example_tbl2", db="example_db") == [["1", "2625"]]


def test_offsets_by_time_start_each_partition_at_its_first_message_at_or_after_it(mock, loading_fe):
    import datetime
    broker = mock("timed:2")
    fe = loading_fe()
    assert mysql(fe.port, "CREATE DATABASE d; CREATE TABLE d.t (id INT NOT NULL) DUPLICATE KEY(id) DISTRIBUTED BY HASH(id)")[0] == 0
    producer = KafkaProducer(bootstrap_servers=broker)
    base = 1_796_086_800_000                                          # 2026-12-01 01:00:00 UTC
    for i in range(20):                                                # one message a minute, alternating partitions
        producer.send("timed", json.dumps({"id": i}).encode(), partition=i % 2, timestamp_ms=base + i * 60_000)
    producer.flush()
    at = datetime.datetime.fromtimestamp((base + 9 * 60_000) / 1000, datetime.timezone(datetime.timedelta(hours=9)))
    text = at.strftime("%Y-%m-%d %H:%M:%S")                           # 10:09:00 in +09:00: message 9 and later
    rc, _, err = mysql(fe.port, f"""CREATE ROUTINE LOAD d.from_time ON t PROPERTIES ("format" = "json", "timezone" = "+09:00")
        FROM KAFKA ("kafka_broker_list" = "{broker}", "kafka_topic" = "timed", "property.kafka_default_offsets" = "{text}")""")
    assert rc == 0, err
    loaded(fe, "from_time", "d", 11)
    assert query(fe, "SELECT min(id), max(id), count(*) FROM d.t") == [["9", "19", "11"]]
    # kafka_offsets per partition: one by time (after every message: the end), one explicit.
    rc, _, err = mysql(fe.port, f"""CREATE ROUTINE LOAD d.pinned ON t PROPERTIES ("format" = "json", "timezone" = "UTC")
        FROM KAFKA ("kafka_broker_list" = "{broker}", "kafka_topic" = "timed", "kafka_partitions" = "0,1",
                    "kafka_offsets" = "2027-01-01 00:00:00,8")""")
    assert rc == 0, err
    loaded(fe, "pinned", "d", 2)                                        # partition 1 from offset 8: messages 17 and 19
    row = show_job(fe, "pinned", "d")
    assert json.loads(row["Progress"]) == {"0": "9", "1": "9"}
    assert query(fe, "SELECT count(*) FROM d.t") == [["13"]]
    rc, _, err = mysql(fe.port, f"""CREATE ROUTINE LOAD d.bad ON t FROM KAFKA ("kafka_broker_list" = "{broker}", "kafka_topic" = "timed",
        "property.kafka_default_offsets" = "yesterday")""")
    assert rc != 0 and "Invalid kafka offset: 'yesterday'" in err
