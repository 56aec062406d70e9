"""Avro loads (issue 14): Confluent-framed messages encoded by a third-party encoder (fastavro) into kafka-mock, a
test schema registry with basic auth, seed 004's sensor_log example, nested and logical types, two schema versions,
the registry going away and coming back, and corrupt messages."""
import base64
import http.server
import io
import json
import threading

import fastavro
from kafka import KafkaProducer

from conftest import SEEDS_DDL, free_port, mysql
from test_load_execution import loading_fe, mock, query, show_job, statistic, wait_until  # noqa: F401 (fixtures)
from test_routine_load import SEED_JOBS

# Seed 004's schema, except the enum symbol AIR-PRESSURE, which is not a valid Avro name (encoders refuse it).
SENSOR = {"type": "record", "name": "sensor_log", "fields": [
    {"name": "id", "type": "long"}, {"name": "name", "type": "string"}, {"name": "checked", "type": "boolean"},
    {"name": "data", "type": "double"},
    {"name": "sensor_type", "type": {"type": "enum", "name": "sensor_type_enum", "symbols": ["TEMPERATURE", "HUMIDITY", "AIR_PRESSURE"]}}]}


class Registry:
    """A Confluent-style schema registry: GET /schemas/ids/<id> with HTTP basic auth; can be stopped and started."""

    def __init__(self, user="key", password="s3cr3t"):
        self.schemas = {}
        self.port = free_port()
        self.auth = "Basic " + base64.b64encode(f"{user}:{password}".encode()).decode()
        self.url = f"http://{user}:{password}@127.0.0.1:{self.port}"
        self.server = None
        self.requests = 0

    def register(self, sid, schema):
        self.schemas[sid] = json.dumps(schema)
        return fastavro.parse_schema(schema)

    def start(self):
        registry = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def do_GET(self):
                registry.requests += 1
                if self.headers.get("Authorization") != registry.auth:
                    return self.answer(401, {"error_code": 401, "message": "Unauthorized"})
                sid = self.path.rsplit("/", 1)[-1]
                if self.path.startswith("/schemas/ids/") and sid.isdigit() and int(sid) in registry.schemas:
                    return self.answer(200, {"schema": registry.schemas[int(sid)]})
                self.answer(404, {"error_code": 40403, "message": "Schema not found"})

            def answer(self, status, body):
                data = json.dumps(body).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/vnd.schemaregistry.v1+json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", self.port), Handler)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        return self

    def stop(self):
        if self.server:
            self.server.shutdown()
            self.server.server_close()
            self.server = None


def framed(sid, parsed, record):
    out = io.BytesIO()
    out.write(b"\x00" + sid.to_bytes(4, "big"))
    fastavro.schemaless_writer(out, parsed, record)
    return out.getvalue()


def test_seed_004_sensor_log_from_avro(mock, loading_fe):
    broker = mock("topic_0:6")
    registry = Registry().start()
    fe = loading_fe()
    try:
        assert mysql(fe.port, SEEDS_DDL)[0] == 0
        parsed = registry.register(1, SENSOR)
        job = SEED_JOBS[4][1].replace("<kafka_broker1_ip>:<kafka_broker1_port>,<kafka_broker2_ip>:<kafka_broker2_port>,...", broker)
        job = job.replace("http://172.xx.xxx.xxx:8081", registry.url)       # the seed's statement, addresses filled in
        rc, _, err = mysql(fe.port, job, db="example_db")
        assert rc == 0, err
        producer = KafkaProducer(bootstrap_servers=broker)
        rows = [{"id": 1, "name": "sensor-1", "checked": True, "data": 21.5, "sensor_type": "TEMPERATURE"},
                {"id": 2, "name": "sensor-2", "checked": False, "data": 40.25, "sensor_type": "HUMIDITY"},
                {"id": 3, "name": "センサー", "checked": True, "data": -3.0, "sensor_type": "AIR_PRESSURE"}]
        for i, r in enumerate(rows):
            producer.send("topic_0", framed(1, parsed, r), partition=i % 6)
        producer.flush()
        wait_until(lambda: statistic(show_job(fe, "sensor_log_load_job", "example_db"))["loadedRows"] == 3, timeout=40)
        assert query(fe, "SELECT * FROM sensor_log ORDER BY id", db="example_db") == [
            ["1", "sensor-1", "1", "21.5", "TEMPERATURE"], ["2", "sensor-2", "0", "40.25", "HUMIDITY"],
            ["3", "センサー", "1", "-3", "AIR_PRESSURE"]]
        # The registry password is masked everywhere a user sees the URL, and survives ALTER ROUTINE LOAD.
        row = show_job(fe, "sensor_log_load_job", "example_db")
        assert "s3cr3t" not in json.dumps(row) and f"key:******@127.0.0.1:{registry.port}" in row["DataSourceProperties"]
        assert mysql(fe.port, "PAUSE ROUTINE LOAD FOR sensor_log_load_job; ALTER ROUTINE LOAD FOR sensor_log_load_job "
                              "PROPERTIES (\"max_error_number\" = \"5\"); RESUME ROUTINE LOAD FOR sensor_log_load_job", db="example_db")[0] == 0
        rc, out, _ = mysql(fe.port, "SHOW CREATE ROUTINE LOAD sensor_log_load_job", db="example_db")
        assert "s3cr3t" not in out and f"key:******@127.0.0.1:{registry.port}" in out
        producer.send("topic_0", framed(1, parsed, {"id": 4, "name": "n", "checked": False, "data": 1.0, "sensor_type": "HUMIDITY"}), partition=0)
        producer.flush()
        wait_until(lambda: query(fe, "SELECT count(*) FROM sensor_log", db="example_db") == [["4"]], timeout=40)
    finally:
        registry.stop()


NESTED_V1 = {"type": "record", "name": "event", "namespace": "lab", "fields": [
    {"name": "id", "type": "long"},
    {"name": "data", "type": {"type": "record", "name": "payload", "fields": [
        {"name": "data_x", "type": "int"}, {"name": "data_y", "type": ["null", "string"], "default": None}]}},
    {"name": "tags", "type": {"type": "array", "items": "string"}},
    {"name": "attrs", "type": {"type": "map", "values": "long"}},
    {"name": "score", "type": ["null", "long", "double"]},
    {"name": "at", "type": {"type": "long", "logicalType": "timestamp-millis"}},
    {"name": "day", "type": {"type": "int", "logicalType": "date"}},
    {"name": "price", "type": {"type": "bytes", "logicalType": "decimal", "precision": 10, "scale": 2}},
    {"name": "again", "type": ["null", "payload"], "default": None}]}
NESTED_V2 = {**NESTED_V1, "fields": NESTED_V1["fields"][:2] + [{"name": "extra", "type": "string", "default": "none"}]}


def test_nested_logical_evolving_and_broken_avro(mock, loading_fe):
    import datetime
    import decimal
    broker = mock("events:1")
    registry = Registry().start()
    fe = loading_fe()
    try:
        v1, v2 = registry.register(7, NESTED_V1), registry.register(8, NESTED_V2)
        assert mysql(fe.port, """CREATE DATABASE d; CREATE TABLE d.events (id BIGINT NOT NULL, data_y STRING, x INT, tags STRING,
            attrs STRING, score DOUBLE, at DATETIME, day DATE, price DECIMAL(10, 2), extra STRING) DUPLICATE KEY(id) DISTRIBUTED BY HASH(id)""")[0] == 0
        rc, _, err = mysql(fe.port, f"""CREATE ROUTINE LOAD d.ev ON events
            COLUMNS(id, data_y, x, tags, attrs, score, at, day, price, extra)
            PROPERTIES ("format" = "avro", "max_error_number" = "100", "timezone" = "UTC",
                        "jsonpaths" = "[\\"$.id\\",\\"$.data.data_y\\",\\"$.data.data_x\\",\\"$.tags\\",\\"$.attrs\\",\\"$.score\\",\\"$.at\\",\\"$.day\\",\\"$.price\\",\\"$.extra\\"]")
            FROM KAFKA ("kafka_broker_list" = "{broker}", "kafka_topic" = "events", "confluent.schema.registry.url" = "{registry.url}",
                        "property.kafka_default_offsets" = "OFFSET_BEGINNING")""")
        assert rc == 0, err
        producer = KafkaProducer(bootstrap_servers=broker)
        at = datetime.datetime(2026, 12, 1, 10, 30, 15, 250000, tzinfo=datetime.timezone.utc)
        base = {"data": {"data_x": 5, "data_y": "yes"}, "tags": ["a", "b"], "attrs": {"k": 1}, "score": 2.5, "at": at,
                "day": datetime.date(2026, 12, 1), "price": decimal.Decimal("-1234.56"), "again": None}
        messages = [framed(7, v1, {**base, "id": 1}),
                    framed(8, v2, {"id": 2, "data": {"data_x": 6, "data_y": None}, "extra": "v2"}),     # a newer schema
                    framed(7, v1, {**base, "id": 3, "score": 9, "again": {"data_x": 1, "data_y": "z"}}),
                    b"not avro at all",                                                       # bad magic byte
                    b"\x00\x00\x00\x03\xe7" + b"\x02",                                         # unknown schema id 999
                    framed(7, v1, {**base, "id": 4})[:12]]                                   # a body cut short
        for m in messages:
            producer.send("events", m)
        producer.flush()
        row = wait_until(lambda: (r := show_job(fe, "ev", "d")) and statistic(r)["totalRows"] >= 6 and r, timeout=40)
        s = statistic(row)
        assert s["loadedRows"] == 3 and s["errorRows"] == 3, s
        assert query(fe, "SELECT id, data_y, x, tags, attrs, score, at, day, price, extra FROM d.events ORDER BY id") == [
            ["1", "yes", "5", '["a","b"]', '{"k":1}', "2.5", "2026-12-01 10:30:15.250000", "2026-12-01", "-1234.56", "NULL"],
            ["2", "NULL", "6", "NULL", "NULL", "NULL", "NULL", "NULL", "NULL", "v2"],
            ["3", "yes", "5", '["a","b"]', '{"k":1}', "9", "2026-12-01 10:30:15.250000", "2026-12-01", "-1234.56", "NULL"]]
        log = json.loads(row["ErrorLogUrls"]) if row["ErrorLogUrls"].startswith("[") else row["ErrorLogUrls"]
        assert log, row
        # The registry goes away: a message with a schema the node has not seen fails its task (no error row), the job
        # says why, and once the registry is back the rows load.
        registry.stop()
        v3 = registry.register(9, {**NESTED_V2, "fields": NESTED_V2["fields"][:1]})
        producer.send("events", framed(9, v3, {"id": 5}))
        producer.flush()
        row = wait_until(lambda: (r := show_job(fe, "ev", "d")) and "schema registry" in r["OtherMsg"] and r, timeout=40)
        assert row["State"] == "RUNNING" and statistic(row)["errorRows"] == 3 and "s3cr3t" not in row["OtherMsg"]
        registry.start()
        wait_until(lambda: query(fe, "SELECT count(*) FROM d.events") == [["4"]], timeout=40)
        assert statistic(show_job(fe, "ev", "d"))["errorRows"] == 3
    finally:
        registry.stop()


ARRAYS = {"type": "record", "name": "arrays", "fields": [
    {"name": "id", "type": "long"},
    {"name": "nums", "type": {"type": "array", "items": "long"}},
    {"name": "names", "type": {"type": "array", "items": ["null", "string"]}},
    {"name": "grid", "type": {"type": "array", "items": {"type": "array", "items": "int"}}},
    {"name": "days", "type": {"type": "array", "items": {"type": "int", "logicalType": "date"}}}]}


def test_avro_arrays_load_into_array_columns_and_json_arrays_are_checked_element_by_element(mock, loading_fe):
    import datetime
    broker = mock("arrays:1", "json_arrays:1")
    registry = Registry().start()
    fe = loading_fe()
    try:
        parsed = registry.register(11, ARRAYS)
        assert mysql(fe.port, """CREATE DATABASE d; CREATE TABLE d.arrays (id BIGINT NOT NULL, nums ARRAY<BIGINT>, names ARRAY<VARCHAR(10)>,
            grid ARRAY<ARRAY<INT>>, days ARRAY<DATE>) DUPLICATE KEY(id) DISTRIBUTED BY HASH(id);
            CREATE TABLE d.j (id BIGINT NOT NULL, ints ARRAY<INT>) DUPLICATE KEY(id) DISTRIBUTED BY HASH(id)""")[0] == 0
        rc, _, err = mysql(fe.port, f"""CREATE ROUTINE LOAD d.av ON arrays PROPERTIES ("format" = "avro")
            FROM KAFKA ("kafka_broker_list" = "{broker}", "kafka_topic" = "arrays", "confluent.schema.registry.url" = "{registry.url}",
                        "property.kafka_default_offsets" = "OFFSET_BEGINNING");
            CREATE ROUTINE LOAD d.js ON j PROPERTIES ("format" = "json", "max_error_number" = "10", "strict_mode" = "true")
            FROM KAFKA ("kafka_broker_list" = "{broker}", "kafka_topic" = "json_arrays", "property.kafka_default_offsets" = "OFFSET_BEGINNING")""")
        assert rc == 0, err
        producer = KafkaProducer(bootstrap_servers=broker)
        producer.send("arrays", framed(11, parsed, {"id": 1, "nums": [1, -2, 3], "names": ["a", None, "c\"d"], "grid": [[1], [2, 3], []],
                                                    "days": [datetime.date(2026, 12, 1)]}))
        producer.send("arrays", framed(11, parsed, {"id": 2, "nums": [], "names": [], "grid": [], "days": []}))
        # JSON arrays are converted element by element: a string that is a number converts, one that is not is an error
        # row in strict mode, and a value out of INT's range too.
        for row in ({"id": 1, "ints": [1, "2", 3]}, {"id": 2, "ints": [1, "x"]}, {"id": 3, "ints": [2147483648]}, {"id": 4, "ints": None}):
            producer.send("json_arrays", json.dumps(row).encode())
        producer.flush()
        wait_until(lambda: statistic(show_job(fe, "av", "d"))["loadedRows"] == 2 and statistic(show_job(fe, "js", "d"))["totalRows"] == 4,
                   timeout=40)
        assert query(fe, "SELECT * FROM d.arrays ORDER BY id") == [
            ["1", "[1,-2,3]", '["a",null,"c\\\\"d"]', "[[1],[2,3],[]]", '["2026-12-01"]'], ["2", "[]", "[]", "[]", "[]"]]
        assert query(fe, "SELECT * FROM d.j ORDER BY id") == [["1", "[1,2,3]"], ["4", "NULL"]]
        # INSERT takes StarRocks' array literals through the same conversion.
        assert mysql(fe.port, "INSERT INTO d.j VALUES (5, [7, '8']), (6, [])")[0] == 0
        rc, _, err = mysql(fe.port, "INSERT INTO d.j VALUES (7, ['x'])")
        assert rc != 0 and "'x' is not a valid int" in err
        assert query(fe, "SELECT * FROM d.j WHERE id >= 5 ORDER BY id") == [["5", "[7,8]"], ["6", "[]"]]
        assert statistic(show_job(fe, "js", "d"))["errorRows"] == 2
    finally:
        registry.stop()
