"""Load execution end to end: kafka-mock (real Kafka protocol), kafka-python 2.0.2 producers, tributary-fe with
its embedded compute node, and the mysql CLI. Rows land exactly once; SHOW ROUTINE LOAD reports the progress;
bad rows pause the job with StarRocks' reason and their error log is served over HTTP."""
import json
import pathlib
import random
import signal
import subprocess
import time
import urllib.error
import urllib.request

import pytest
from kafka import KafkaProducer

from conftest import FE, SEEDS_DDL, mysql
from kafka_auth_broker import AuthBroker
from test_kafka_mock import MOCK
from test_routine_load import SEED_JOBS, vertical


@pytest.fixture
def mock():
    """Starts kafka-mock with the given topics; returns the bootstrap address."""
    procs = []

    def start(*topics, brokers=1):
        args = [MOCK, "--brokers", str(brokers)] + [a for t in topics for a in ("--topic", t)]
        proc = subprocess.Popen(args, stdout=subprocess.PIPE, text=True)
        procs.append(proc)
        return proc.stdout.readline().strip().split(": ", 1)[1]
    start.procs = procs
    yield start
    for p in procs:
        p.kill()
        p.wait()


@pytest.fixture
def loading_fe(tmp_path):
    """An FE whose scheduler round runs every second, as a user would tune it for a lab."""
    servers = []

    def start(extra=""):
        fe = FE(tmp_path / f"meta{len(servers)}", config="routine_load_scheduler_interval_second = 1\n" + extra).start()
        servers.append(fe)
        return fe
    yield start
    for fe in servers:
        fe.stop(signal.SIGKILL)


def wait_until(check, timeout=60, interval=0.3):
    deadline = time.time() + timeout
    last = None
    while time.time() < deadline:
        last = check()
        if last:
            return last
        time.sleep(interval)
    raise AssertionError(f"timed out; last value: {last!r}")


def show_job(fe, name, db):
    rc, out, err = mysql(fe.port, f"SHOW ROUTINE LOAD FOR {name}\\G", db=db)
    assert rc == 0, err
    [row] = vertical(out)
    return row


def statistic(row):
    return json.loads(row["Statistic"])


def query(fe, sql, db=None):
    rc, out, err = mysql(fe.port, sql, db=db)
    assert rc == 0, err
    return [line.split("\t") for line in out.splitlines()[1:]]


def gen(producer, topic, start, count):
    """What the seed lab's gen.py publishes: click events as JSON."""
    sites = ["https://www.starrocks.io/", "https://www.starrocks.io/blog", "https://docs.starrocks.io/"]
    for uid in range(start, start + count):
        producer.send(topic, json.dumps({"uid": uid, "site": random.choice(sites), "vtime": 1718031441 + uid}).encode())
    producer.flush()


def test_seed_lab_loads_five_then_ten_rows_exactly_once(mock, loading_fe):
    broker = mock("test2:1")
    fe = loading_fe()
    assert mysql(fe.port, SEEDS_DDL)[0] == 0
    job = SEED_JOBS[1][1].replace("redpanda:29092", broker)           # the seed's CREATE ROUTINE LOAD, verbatim otherwise
    rc, _, err = mysql(fe.port, job, db="quickstart")
    assert rc == 0, err
    producer = KafkaProducer(bootstrap_servers=broker)
    gen(producer, "test2", 0, 5)
    row = wait_until(lambda: (r := show_job(fe, "clicks", "quickstart")) and statistic(r)["loadedRows"] == 5 and r)
    assert row["State"] == "RUNNING" and row["CurrentTaskNum"] == "1"
    assert row["Progress"] == '{"0":"4"}' and row["LatestSourcePosition"] == '{"0":"5"}' and row["OffsetLag"] == '{"0":0}'
    assert '"currentTaskConcurrentNum":"1"' in row["JobProperties"]
    s = statistic(row)
    assert s["totalRows"] == 5 and s["errorRows"] == 0 and s["committedTaskNum"] == 1 and s["receivedBytes"] > 0
    assert list(json.loads(row["TimestampProgress"])) == ["0"]
    assert query(fe, "SELECT count(*) FROM site_clicks", db="quickstart") == [["5"]]

    gen(producer, "test2", 5, 5)                                       # "python gen.py 5" again
    row = wait_until(lambda: (r := show_job(fe, "clicks", "quickstart")) and statistic(r)["loadedRows"] == 10 and r, timeout=40)
    assert row["Progress"] == '{"0":"9"}'
    assert query(fe, "SELECT count(*), count(DISTINCT uid), min(uid), max(uid) FROM site_clicks", db="quickstart") == [["10", "10", "0", "9"]]
    def task():
        rc, out, _ = mysql(fe.port, "SHOW ROUTINE LOAD TASK WHERE JobName = \"clicks\"\\G", db="quickstart")
        [t] = vertical(out)
        return t
    caught_up = wait_until(lambda: (t := task()) and t["Message"].startswith("there is no new data") and t)
    assert caught_up["Message"] == "there is no new data in kafka, wait for 10 seconds to schedule again"
    assert caught_up["DataSourceProperties"] == 'Progress:{"0":10},LatestOffset:{"0":10}' and caught_up["Timeout"] == "60"


def test_seed_004_csv_and_json_examples_give_the_documented_rows(mock, loading_fe):
    broker = mock("ordertest1:5", "ordertest2:5")
    fe = loading_fe()
    assert mysql(fe.port, SEEDS_DDL)[0] == 0
    placeholder = "<kafka_broker1_ip>:<kafka_broker1_port>,<kafka_broker2_ip>:<kafka_broker2_port>"
    for _, sql in SEED_JOBS[2:4]:
        rc, _, err = mysql(fe.port, sql.replace(placeholder, broker), db="example_db")
        assert rc == 0, err
    csv_rows = ["2020050802,2020-05-08,Johann Georg Faust,Deutschland,male,895",
                "2020050802,2020-05-08,Julien Sorel,France,male,893",
                "2020050803,2020-05-08,Dorian Grey,UK,male,1262",
                '2020050901,2020-05-09,Anna Karenina",Russia,female,175',
                "2020051001,2020-05-10,Tess Durbeyfield,US,female,986",
                "2020051101,2020-05-11,Edogawa Conan,japan,male,8924"]
    json_rows = ['{"commodity_id": "1", "customer_name": "Mark Twain", "country": "US","pay_time": 1589191487,"price": 875}',
                 '{"commodity_id": "2", "customer_name": "Oscar Wilde", "country": "UK","pay_time": 1589191487,"price": 895}',
                 '{"commodity_id": "3", "customer_name": "Antoine de Saint-Exupéry","country": "France","pay_time": 1589191487,"price": 895}']
    producer = KafkaProducer(bootstrap_servers=broker)
    for i, r in enumerate(csv_rows):
        producer.send("ordertest1", r.encode(), partition=i % 5)
    for i, r in enumerate(json_rows):
        producer.send("ordertest2", r.encode(), partition=i % 5)
    producer.flush()
    wait_until(lambda: statistic(show_job(fe, "example_tbl1_ordertest1", "example_db"))["loadedRows"] == 6)
    wait_until(lambda: statistic(show_job(fe, "example_tbl2_ordertest2", "example_db"))["loadedRows"] == 3)
    rows = query(fe, "SELECT * FROM example_tbl1 ORDER BY order_id, customer_name", db="example_db")
    assert rows == [["2020050802", "2020-05-08", "Johann Georg Faust", "Deutschland", "895"],
                    ["2020050802", "2020-05-08", "Julien Sorel", "France", "893"],
                    ["2020050803", "2020-05-08", "Dorian Grey", "UK", "1262"],
                    ["2020050901", "2020-05-09", 'Anna Karenina"', "Russia", "175"],
                    ["2020051001", "2020-05-10", "Tess Durbeyfield", "US", "986"],
                    ["2020051101", "2020-05-11", "Edogawa Conan", "japan", "8924"]]
    rows = query(fe, "SELECT * FROM example_tbl2 ORDER BY commodity_id", db="example_db")
    assert rows == [["1", "Mark Twain", "US", "1589191487", "2020-05-11", "875"],
                    ["2", "Oscar Wilde", "UK", "1589191487", "2020-05-11", "895"],
                    ["3", "Antoine de Saint-Exupéry", "France", "1589191487", "2020-05-11", "895"]]
    row = show_job(fe, "example_tbl1_ordertest1", "example_db")
    assert row["CurrentTaskNum"] == "1"             # min(1 alive node, 5 partitions, 5 desired, 5 max)
    assert json.loads(row["Progress"]) == {"0": "1", "1": "0", "2": "0", "3": "0", "4": "0"}   # 6 rows over 5 partitions


def test_bad_rows_pause_the_job_with_the_reason_and_resume_after_alter(mock, loading_fe):
    broker = mock("orders:1", "events:1")
    fe = loading_fe()
    setup = """CREATE DATABASE d; USE d;
        CREATE TABLE orders (id INT NOT NULL, qty INT NOT NULL) DUPLICATE KEY(id) DISTRIBUTED BY HASH(id);
        CREATE TABLE events (id INT NOT NULL, name VARCHAR(20)) DUPLICATE KEY(id) DISTRIBUTED BY HASH(id);"""
    assert mysql(fe.port, setup)[0] == 0
    jobs = f"""CREATE ROUTINE LOAD d.orders_job ON orders COLUMNS TERMINATED BY ","
          PROPERTIES ("max_batch_interval" = "1")
          FROM KAFKA ("kafka_broker_list" = "{broker}", "kafka_topic" = "orders", "property.kafka_default_offsets" = "OFFSET_BEGINNING");
        CREATE ROUTINE LOAD d.events_job ON events PROPERTIES ("format" = "json", "max_batch_interval" = "1", "max_error_number" = "1")
          FROM KAFKA ("kafka_broker_list" = "{broker}", "kafka_topic" = "events", "property.kafka_default_offsets" = "OFFSET_BEGINNING");"""
    rc, _, err = mysql(fe.port, jobs, db="d")
    assert rc == 0, err
    producer = KafkaProducer(bootstrap_servers=broker)
    for m in ["1,10", "2,twenty", "3,30", "4"]:                       # a wrong-typed field and a short row
        producer.send("orders", m.encode())
    for m in ['{"id": 1, "name": "a"}', '{"id": 2, "name": ', '{"id": 3, "name": "c"}', 'not json']:
        producer.send("events", m.encode())
    producer.flush()

    row = wait_until(lambda: (r := show_job(fe, "orders_job", "d")) and r["State"] == "PAUSED" and r)
    assert row["ReasonOfStateChanged"].startswith(
        "ErrorReason{errCode = 102, msg='Current error rows: 2 is more than max error num: 0. Check the 'TrackingSQL' field")
    s = statistic(row)
    assert (s["loadedRows"], s["errorRows"], s["totalRows"]) == (2, 2, 4)
    assert row["CurrentTaskNum"] == "0" and '"currentTaskConcurrentNum":"0"' in row["JobProperties"]
    assert query(fe, "SELECT id, qty FROM orders ORDER BY id", db="d") == [["1", "10"], ["3", "30"]]   # the good rows committed
    url = row["ErrorLogUrls"]
    assert url.startswith(f"http://127.0.0.1:{fe.http_port}/api/_load_error_log?file=")
    assert row["TrackingSQL"].startswith("select tracking_log from information_schema.load_tracking_logs where job_id=")
    log = urllib.request.urlopen(url, timeout=10).read().decode()
    assert "Error: column 'qty': 'twenty' cannot be converted to int and the column is NOT NULL. Row: 2,twenty" in log
    assert "Error: Value count does not match column count. Expect 2, but got 1.. Row: 4" in log
    rc, out, err = mysql(fe.port, row["TrackingSQL"])                  # what TrackingSQL says to run
    assert rc == 0 and "Row: 2,twenty" in out, err

    events = wait_until(lambda: (r := show_job(fe, "events_job", "d")) and r["State"] == "PAUSED" and r)
    assert "Current error rows: 2 is more than max error num: 1" in events["ReasonOfStateChanged"]
    assert statistic(events)["loadedRows"] == 2

    rc, _, err = mysql(fe.port, """ALTER ROUTINE LOAD FOR orders_job PROPERTIES ("max_error_number" = "5");
                                   RESUME ROUTINE LOAD FOR orders_job""", db="d")
    assert rc == 0, err
    for m in ["5,50", "6,x", "7,70"]:
        producer.send("orders", m.encode())
    producer.flush()
    row = wait_until(lambda: (r := show_job(fe, "orders_job", "d")) and statistic(r)["loadedRows"] == 4 and r)
    assert row["State"] == "RUNNING" and statistic(row)["errorRows"] == 3
    assert query(fe, "SELECT count(*) FROM orders", db="d") == [["4"]]


def test_where_and_max_filter_ratio(mock, loading_fe):
    broker = mock("t:1")
    fe = loading_fe()
    assert mysql(fe.port, "CREATE DATABASE d; CREATE TABLE d.t (id INT NOT NULL, price DOUBLE) DUPLICATE KEY(id) DISTRIBUTED BY HASH(id)")[0] == 0
    rc, _, err = mysql(fe.port, f"""CREATE ROUTINE LOAD d.j ON t COLUMNS TERMINATED BY ",", COLUMNS(id, p, price = p * 2), WHERE price > 10
        PROPERTIES ("max_batch_interval" = "1", "max_error_number" = "100", "max_filter_ratio" = "0.4")
        FROM KAFKA ("kafka_broker_list" = "{broker}", "kafka_topic" = "t", "property.kafka_default_offsets" = "OFFSET_BEGINNING")""")
    assert rc == 0, err
    producer = KafkaProducer(bootstrap_servers=broker)
    for m in ["1,3", "2,8", "3,20"]:
        producer.send("t", m.encode())
    producer.flush()
    row = wait_until(lambda: (r := show_job(fe, "j", "d")) and statistic(r)["loadedRows"] == 2 and r)
    assert statistic(row)["unselectedRows"] == 1
    assert query(fe, "SELECT id, price FROM d.t ORDER BY id") == [["2", "16"], ["3", "40"]]
    for m in ["x,40", "y,50", "6,50"]:                                # 2 of 3 filtered (bad ids): above max_filter_ratio 0.4
        producer.send("t", m.encode())
    producer.flush()
    row = wait_until(lambda: (r := show_job(fe, "j", "d")) and r["State"] == "PAUSED" and r)
    assert "too many filtered rows" in row["ReasonOfStateChanged"] and "'max_filter_ratio' property" in row["ReasonOfStateChanged"]
    assert row["Progress"] == '{"0":"2"}'                              # the batch was not committed
    assert query(fe, "SELECT count(*) FROM d.t") == [["2"]]


def test_restart_mid_load_loses_and_duplicates_nothing_and_running_jobs_run_again(mock, loading_fe):
    broker = mock("stream:4")
    fe = loading_fe()
    assert mysql(fe.port, "CREATE DATABASE d; CREATE TABLE d.s (id BIGINT NOT NULL, v VARCHAR(20)) DUPLICATE KEY(id) DISTRIBUTED BY HASH(id)")[0] == 0
    rc, _, err = mysql(fe.port, f"""CREATE ROUTINE LOAD d.sj ON s PROPERTIES ("format" = "json", "max_batch_interval" = "1")
        FROM KAFKA ("kafka_broker_list" = "{broker}", "kafka_topic" = "stream", "property.kafka_default_offsets" = "OFFSET_BEGINNING")""")
    assert rc == 0, err
    producer = KafkaProducer(bootstrap_servers=broker)
    total = 0
    for round_ in range(6):
        for _ in range(500):
            producer.send("stream", json.dumps({"id": total, "v": f"r{round_}"}).encode(), key=str(total).encode())
            total += 1
        producer.flush()
        if round_ in (1, 3):
            fe.restart(signal.SIGKILL)                                 # kill -9 mid-load
        time.sleep(0.3)
    wait_until(lambda: query(fe, "SELECT count(*) FROM d.s") == [[str(total)]], timeout=90)
    assert query(fe, "SELECT count(DISTINCT id), min(id), max(id) FROM d.s") == [[str(total), "0", str(total - 1)]]
    row = show_job(fe, "sj", "d")
    assert row["State"] == "RUNNING" and statistic(row)["loadedRows"] <= total
    fe.restart(signal.SIGKILL)
    row = wait_until(lambda: (r := show_job(fe, "sj", "d")) and r["State"] == "RUNNING" and r["CurrentTaskNum"] == "1" and r, timeout=30)
    assert query(fe, "SELECT count(*) FROM d.s") == [[str(total)]]


CN = str(pathlib.Path(MOCK).with_name("tributary-cn"))


def start_cn(tmp_path, name, fe, port=None):
    """A tributary-cn that shares the FE's storage directory and cluster token, as a shared-disk node is set up."""
    from conftest import free_port
    port = port or free_port()
    conf = tmp_path / f"{name}.conf"
    token = (fe.meta_dir / "cluster_token").read_text().strip()
    conf.write_text(f"storage_root_path = {fe.meta_dir / 'storage'}\ncluster_token = {token}\n")
    log = open(tmp_path / f"{name}.log", "ab")
    proc = subprocess.Popen([CN, "--config", str(conf), "--port", str(port)], stdout=subprocess.PIPE, stderr=log, cwd=tmp_path, text=True)
    assert proc.stdout.readline().startswith("tributary-cn ready"), (tmp_path / f"{name}.log").read_text()
    return proc, port


def signed(fe, method, port, target, body=b"", token=None):
    """A request to a node signed as the FE signs it (tests/integration/node_auth.py mirrors NodeRequestSigner)."""
    from node_auth import sign
    token = token or (fe.meta_dir / "cluster_token").read_text().strip()
    request = urllib.request.Request(f"http://127.0.0.1:{port}{target}", data=body or None, method=method,
                                     headers=sign(token, method, target, body))
    return urllib.request.urlopen(request, timeout=5)


def cn_info(fe, port):
    return json.loads(signed(fe, "GET", port, "/api/heartbeat").read())


def test_compute_nodes_share_the_load_and_a_killed_node_loses_nothing(mock, loading_fe, tmp_path):
    broker = mock("wide:6")
    fe = loading_fe("heartbeat_timeout_second = 1\n")
    (cn1, port1), (cn2, port2) = start_cn(tmp_path, "cn1", fe), start_cn(tmp_path, "cn2", fe)
    try:
        rc, _, err = mysql(fe.port, f'ALTER SYSTEM ADD COMPUTE NODE "127.0.0.1:{port1}", "127.0.0.1:{port2}"')
        assert rc == 0, err
        rc, _, err = mysql(fe.port, f'ALTER SYSTEM ADD COMPUTE NODE "127.0.0.1:{port1}"')
        assert f"ERROR 1064 (HY000) at line 1: Compute node already exists with same host 127.0.0.1 and port {port1}" in err
        rc, _, err = mysql(fe.port, 'ALTER SYSTEM ADD COMPUTE NODE "127.0.0.1:99999"')
        assert "Port is out of range: 99999" in err
        rc, _, err = mysql(fe.port, 'ALTER SYSTEM DROP COMPUTE NODE "127.0.0.1:1"')
        assert "compute node does not exists[127.0.0.1:1]" in err

        def nodes():
            rc, out, _ = mysql(fe.port, "SHOW COMPUTE NODES\\G")
            return vertical(out)
        alive = wait_until(lambda: (n := nodes()) and sum(r["Alive"] == "true" for r in n) == 3 and n, timeout=20)
        assert sorted(int(r["HeartbeatPort"]) for r in alive if r["ComputeNodeId"] != "10001") == sorted([port1, port2])
        assert all(r["StatusCode"] == "OK" and r["LastHeartbeat"] != "NULL" for r in alive)
        # Requests not signed with the cluster token are refused; garbage from the FE is refused without hurting the node.
        for path, body, code in [("/api/task", b"garbage", 401), ("/api/heartbeat", None, 401), ("/api/task?id=x", None, 401),
                                 ("/api/_load_error_log?file=../../etc/passwd", None, 400)]:
            request = urllib.request.Request(f"http://127.0.0.1:{port2}{path}", data=body, method="POST" if body else "GET")
            with pytest.raises(urllib.error.HTTPError) as refused:
                urllib.request.urlopen(request, timeout=5)
            assert refused.value.code == code
        with pytest.raises(urllib.error.HTTPError) as refused:
            signed(fe, "GET", port2, "/api/heartbeat", token="not-the-cluster-token")
        assert refused.value.code == 401 and b"different cluster tokens" in refused.value.read()
        for body in (b"garbage", b'{"id": 1}'):
            with pytest.raises(urllib.error.HTTPError) as refused:
                signed(fe, "POST", port2, "/api/task", body)
            assert refused.value.code == 400
        assert cn_info(fe, port2)["runningTasks"] == 0
        rc, out, _ = mysql(fe.port, "SHOW FRONTENDS\\G")
        assert vertical(out)[0]["Role"] == "LEADER" and vertical(out)[0]["QueryPort"] == str(fe.port)

        assert mysql(fe.port, "CREATE DATABASE d; CREATE TABLE d.w (id BIGINT NOT NULL) DUPLICATE KEY(id) DISTRIBUTED BY HASH(id)")[0] == 0
        rc, _, err = mysql(fe.port, f"""CREATE ROUTINE LOAD d.wj ON w PROPERTIES ("format" = "json", "max_batch_interval" = "1")
            FROM KAFKA ("kafka_broker_list" = "{broker}", "kafka_topic" = "wide", "property.kafka_default_offsets" = "OFFSET_BEGINNING")""")
        assert rc == 0, err
        row = wait_until(lambda: (r := show_job(fe, "wj", "d")) and r["State"] == "RUNNING" and r)
        assert row["CurrentTaskNum"] == "3"                            # min(3 alive nodes, 6 partitions, 5, 5)
        producer = KafkaProducer(bootstrap_servers=broker)
        total = 0
        for round_ in range(8):
            for _ in range(300):
                producer.send("wide", json.dumps({"id": total}).encode(), key=str(total).encode())
                total += 1
            producer.flush()
            if round_ == 2:
                wait_until(lambda: cn_info(fe, port1)["finishedTasks"] > 0 and cn_info(fe, port2)["finishedTasks"] > 0, timeout=30)
                cn1.kill()                                             # kill -9 a node mid-load
                cn1.wait()
            if round_ == 4:
                fe.restart(signal.SIGKILL)                             # and the FE, while cn2 may be running a task
            time.sleep(0.3)
        wait_until(lambda: query(fe, "SELECT count(*) FROM d.w") == [[str(total)]], timeout=90)
        assert query(fe, "SELECT count(DISTINCT id) FROM d.w") == [[str(total)]]
        dead = wait_until(lambda: [r for r in nodes() if r["HeartbeatPort"] == str(port1) and r["Alive"] == "false"], timeout=20)
        # CONNECTING: the restarted FE has never heard from this node.
        assert dead[0]["ErrMsg"] != "" and dead[0]["StatusCode"] == "CONNECTING"
        cn1, _ = start_cn(tmp_path, "cn1-again", fe, port=port1)          # the node comes back: alive again
        back = wait_until(lambda: [r for r in nodes() if r["HeartbeatPort"] == str(port1) and r["Alive"] == "true"], timeout=20)
        assert back[0]["ErrMsg"] == "" and back[0]["StatusCode"] == "OK"
        # The job is split again whenever the alive nodes change: over the embedded node, cn2 and cn1 now.
        row = wait_until(lambda: (r := show_job(fe, "wj", "d")) and r["CurrentTaskNum"] == "3" and r, timeout=20)
        assert row["State"] == "RUNNING"
        rc, _, err = mysql(fe.port, f'ALTER SYSTEM DROP COMPUTE NODE "127.0.0.1:{port1}"; ALTER SYSTEM ADD BACKEND "127.0.0.1:{port1}"')
        assert rc == 0, err
        assert len(nodes()) == 2
        backend = wait_until(lambda: (b := vertical(mysql(fe.port, "SHOW BACKENDS\\G")[1])) and b[0]["Alive"] == "true" and b, timeout=20)
        assert backend[0]["HeartbeatPort"] == str(port1) and backend[0]["BackendId"] not in ("10001",)
    finally:
        for p in (cn1, cn2):
            p.kill()


def test_kafka_going_away_keeps_the_job_running_and_loses_nothing(mock, loading_fe):
    broker = mock("gone:1")
    fe = loading_fe()
    assert mysql(fe.port, "CREATE DATABASE d; CREATE TABLE d.g (id INT NOT NULL) DUPLICATE KEY(id) DISTRIBUTED BY HASH(id)")[0] == 0
    rc, _, err = mysql(fe.port, f"""CREATE ROUTINE LOAD d.gj ON g PROPERTIES ("max_batch_interval" = "1")
        FROM KAFKA ("kafka_broker_list" = "{broker}", "kafka_topic" = "gone", "property.kafka_default_offsets" = "OFFSET_BEGINNING")""")
    assert rc == 0, err
    producer = KafkaProducer(bootstrap_servers=broker)
    for i in range(3):
        producer.send("gone", str(i).encode())
    producer.flush()
    wait_until(lambda: statistic(show_job(fe, "gj", "d"))["loadedRows"] == 3)
    producer.close(timeout=1)
    for proc in mock.procs:
        proc.kill()                                                    # the broker goes away

    def task_message():
        rc, out, _ = mysql(fe.port, "SHOW ROUTINE LOAD TASK WHERE JobName = \"gj\"\\G", db="d")
        rows = vertical(out)
        return rows and rows[0]["Message"].startswith("failed to check task ready to execute, err:") and rows[0]["Message"]
    wait_until(task_message, timeout=40)
    row = show_job(fe, "gj", "d")
    assert row["State"] == "RUNNING" and row["Progress"] == '{"0":"2"}'
    assert query(fe, "SELECT count(*) FROM d.g") == [["3"]] and fe.alive()


def test_jobs_that_cannot_run_pause_with_starrocks_reasons(mock, loading_fe):
    broker = mock("few:1")
    fe = loading_fe()
    assert mysql(fe.port, "CREATE DATABASE d; CREATE TABLE d.f (id INT NOT NULL, v INT) DUPLICATE KEY(id) DISTRIBUTED BY HASH(id)")[0] == 0
    producer = KafkaProducer(bootstrap_servers=broker)
    for i in range(3):
        producer.send("few", f"{i},{i}".encode())
    producer.flush()
    rc, _, err = mysql(fe.port, f"""CREATE ROUTINE LOAD d.beyond ON f COLUMNS TERMINATED BY ","
          FROM KAFKA ("kafka_broker_list" = "{broker}", "kafka_topic" = "few", "kafka_partitions" = "0", "kafka_offsets" = "100");
        CREATE ROUTINE LOAD d.badexpr ON f COLUMNS TERMINATED BY ",", COLUMNS(id, x, v = no_such_function(x))
          FROM KAFKA ("kafka_broker_list" = "{broker}", "kafka_topic" = "few", "kafka_partitions" = "0", "kafka_offsets" = "OFFSET_BEGINNING")""",
                    db="d")
    assert rc == 0, err
    beyond = wait_until(lambda: (r := show_job(fe, "beyond", "d")) and r["State"] == "PAUSED" and r)
    assert beyond["ReasonOfStateChanged"] == ("ErrorReason{errCode = 104, msg='FE aborts the task with reason: failed to check task ready "
                                              "to execute, err: partition 0 offset 100 has no data'}")
    bad = wait_until(lambda: (r := show_job(fe, "badexpr", "d")) and r["State"] == "PAUSED" and r)
    assert bad["ReasonOfStateChanged"].startswith("ErrorReason{errCode = 103, msg='failed to create task: ")
    assert "no_such_function" in bad["ReasonOfStateChanged"]
    assert query(fe, "SELECT count(*) FROM d.f") == [["0"]]


class HungNode:
    """A compute node that answers heartbeats and accepts tasks but never finishes one: a node stuck in I/O. It
    speaks the node API of ComputeNodeAPI (heartbeat, submit, status, forget)."""

    def __init__(self, token):
        import http.server
        import threading
        from conftest import free_port
        from node_auth import sign_response
        self.port = free_port()
        self.tasks = []
        node = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def reply(self, body):
                data = json.dumps(body).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.send_header("X-Tributary-Response-Signature", sign_response(token, self.headers["X-Tributary-Nonce"], 200, data))
                self.end_headers()
                self.wfile.write(data)

            def do_GET(self):
                if self.path.startswith("/api/heartbeat"):
                    self.reply({"version": "hung", "startTime": time.time(), "cpuCores": 1,
                                "runningTasks": len(node.tasks), "finishedTasks": 0})
                else:                                                  # /api/task?id=...: still running, forever
                    task = next(t for t in node.tasks if self.path.endswith("id=" + t["id"]))
                    self.reply({"taskID": task["id"], "txnID": task["txnID"], "status": "running"})

            def do_POST(self):
                from node_auth import open_task
                node.tasks.append(open_task(token, self.rfile.read(int(self.headers["Content-Length"]))))
                self.reply({"status": "OK"})

            def do_DELETE(self):
                self.reply({})

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", self.port), Handler)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def stop(self):
        self.server.shutdown()


def test_a_task_that_never_reports_times_out_and_runs_again_elsewhere(mock, loading_fe, tmp_path):
    broker = mock("slow:2")
    fe = loading_fe("embedded_compute_node = false\nheartbeat_timeout_second = 1\n")
    hung = HungNode((fe.meta_dir / "cluster_token").read_text().strip())
    cn = None
    try:
        assert mysql(fe.port, f'ALTER SYSTEM ADD COMPUTE NODE "127.0.0.1:{hung.port}"')[0] == 0
        assert mysql(fe.port, "CREATE DATABASE d; CREATE TABLE d.s (id BIGINT NOT NULL) DUPLICATE KEY(id) DISTRIBUTED BY HASH(id)")[0] == 0
        producer = KafkaProducer(bootstrap_servers=broker)
        for i in range(20):
            producer.send("slow", json.dumps({"id": i}).encode(), partition=i % 2)
        producer.flush()
        rc, _, err = mysql(fe.port, f"""CREATE ROUTINE LOAD d.sj ON s PROPERTIES ("format" = "json", "max_batch_interval" = "1",
                "task_consume_second" = "1", "task_timeout_second" = "3")
            FROM KAFKA ("kafka_broker_list" = "{broker}", "kafka_topic" = "slow", "property.kafka_default_offsets" = "OFFSET_BEGINNING")""")
        assert rc == 0, err
        # The only node takes the task and never reports: after task_timeout_second the FE aborts it and plans it again.
        row = wait_until(lambda: (r := show_job(fe, "sj", "d")) and statistic(r)["abortedTaskNum"] >= 1 and r, timeout=30)
        assert row["State"] == "RUNNING" and statistic(row)["loadedRows"] == 0
        assert row["Progress"] == '{"0":"OFFSET_ZERO","1":"OFFSET_ZERO"}'               # nothing committed
        assert row["OtherMsg"].endswith("] timeout by txn manager"), row["OtherMsg"]
        wait_until(lambda: len({t["id"] for t in hung.tasks}) >= 2, timeout=20)
        assert len({t["txnID"] for t in hung.tasks}) == len(hung.tasks)      # every attempt under a new transaction
        # A working node comes and the hung one goes: the task runs there from the committed offsets, exactly once.
        cn, port = start_cn(tmp_path, "cn", fe)
        assert mysql(fe.port, f'ALTER SYSTEM ADD COMPUTE NODE "127.0.0.1:{port}"; ALTER SYSTEM DROP COMPUTE NODE "127.0.0.1:{hung.port}"')[0] == 0
        wait_until(lambda: query(fe, "SELECT count(*), count(DISTINCT id) FROM d.s") == [["20", "20"]], timeout=60)
        assert statistic(show_job(fe, "sj", "d"))["loadedRows"] == 20
    finally:
        hung.stop()
        if cn:
            cn.kill()
            cn.wait()


def test_kafka_properties_reach_librdkafka(mock, loading_fe):
    """Allowed property.* settings are handed to librdkafka as they are: a value librdkafka refuses comes back with
    its own text, and a valid one (a client id, a fetch size) loads as usual."""
    broker = mock("props:1")
    fe = loading_fe()
    assert mysql(fe.port, "CREATE DATABASE d; CREATE TABLE d.p (id INT NOT NULL) DUPLICATE KEY(id) DISTRIBUTED BY HASH(id)")[0] == 0
    producer = KafkaProducer(bootstrap_servers=broker)
    for i in range(5):
        producer.send("props", json.dumps({"id": i}).encode())
    producer.flush()
    rc, _, err = mysql(fe.port, f"""
        CREATE ROUTINE LOAD d.badprop ON p PROPERTIES ("format" = "json")
          FROM KAFKA ("kafka_broker_list" = "{broker}", "kafka_topic" = "props", "property.fetch.wait.max.ms" = "999999999");
        CREATE ROUTINE LOAD d.goodprop ON p PROPERTIES ("format" = "json", "max_batch_interval" = "1")
          FROM KAFKA ("kafka_broker_list" = "{broker}", "kafka_topic" = "props", "property.client.id" = "tributary-test",
                      "property.fetch.max.bytes" = "1048576", "property.kafka_default_offsets" = "OFFSET_BEGINNING")""", db="d")
    assert rc == 0, err
    wrong = wait_until(lambda: (r := show_job(fe, "badprop", "d")) and r["State"] == "PAUSED" and r)
    assert "failed to set 'fetch.wait.max.ms', value: '999999999', err: " in wrong["ReasonOfStateChanged"]
    wait_until(lambda: query(fe, "SELECT count(*) FROM d.p") == [["5"]])
    assert show_job(fe, "goodprop", "d")["State"] == "RUNNING"


def test_kafka_settings_that_run_commands_or_load_code_are_refused(mock, loading_fe, tmp_path):
    """A user who may only INSERT into one table tries librdkafka settings that run a shell command, load a library
    or break exactly-once: CREATE and ALTER refuse each with the reason, and nothing runs."""
    broker = mock("evil:1")
    fe = loading_fe()
    marker = tmp_path / "pwned"
    assert mysql(fe.port, """CREATE DATABASE d; CREATE TABLE d.e (id INT NOT NULL) DUPLICATE KEY(id) DISTRIBUTED BY HASH(id);
        CREATE USER 'loader'@'%' IDENTIFIED BY 'pw'; GRANT INSERT ON d.* TO 'loader'@'%'""")[0] == 0
    base = f'"kafka_broker_list" = "{broker}", "kafka_topic" = "evil"'
    attempts = [
        (f'"property.security.protocol" = "SASL_PLAINTEXT", "property.sasl.mechanism" = "GSSAPI", '
         f'"property.sasl.kerberos.kinit.cmd" = "touch {marker}"', "'sasl.kerberos.kinit.cmd' is not allowed: it runs a shell command"),
        (f'"property.plugin.library.paths" = "{tmp_path}/evil.so"', "'plugin.library.paths' is not allowed: it loads code into the process"),
        ('"property.ssl.engine.location" = "/tmp/engine.so"', "'ssl.engine.location' is not allowed: it loads code into the process"),
        ('"property.ssl.providers" = "legacy"', "'ssl.providers' is not allowed: it loads code into the process"),
        ('"property.error_cb" = "1"', "'error_cb' is not allowed: it installs a callback"),
        (f'"property.security.protocol" = "SASL_PLAINTEXT", "property.sasl.mechanism" = "GSSAPI", '
         f'"property.sasl.kerberos.principal" = "x; touch {marker}"', "'sasl.kerberos.principal' has an invalid value"),
        ('"property.auto.offset.reset" = "earliest"', "'auto.offset.reset' is not allowed: offsets are managed by the routine load"),
        ('"property.debug" = "all"', "'debug' is not allowed"),
        ('"property.interceptors" = "x"', "'interceptors' is not supported by routine load"),
        ('"property.security.protocol" = "SASL_PLAINTEXT", "property.sasl.mechanism" = "GSSAPI", '
         '"property.sasl.kerberos.principal" = "-c/tmp/catalog.sqlite"', "'sasl.kerberos.principal' has an invalid value"),
        ('"property.ssl.ca.location" = "/dev/urandom"', "'ssl.ca.location' must name a regular file"),
        (f'"property.ssl.key.location" = "{fe.meta_dir}/tls/key.pem"', "'ssl.key.location' names a file of Tributary's own"),
        ('"property.sasl.oauthbearer.method" = "oidc"', "'sasl.oauthbearer.method' has an invalid value"),
        ('"property.sasl.oauthbearer.token.endpoint.url" = "http://169.254.169.254/"',
         "'sasl.oauthbearer.token.endpoint.url' is not supported by routine load"),
    ]
    for extra, reason in attempts:
        rc, _, err = mysql(fe.port, f"CREATE ROUTINE LOAD d.evil ON e FROM KAFKA ({base}, {extra})", db="d", user="loader", password="pw")
        assert rc != 0 and f"ERROR 1064 (HY000) at line 1: Getting analyzing error. Detail message: kafka property {reason}" in err, err
    rc, _, err = mysql(fe.port, f"CREATE ROUTINE LOAD d.ok ON e FROM KAFKA ({base}); PAUSE ROUTINE LOAD FOR d.ok", user="loader", password="pw")
    assert rc == 0, err
    for extra, reason in attempts[:2]:
        rc, _, err = mysql(fe.port, f"ALTER ROUTINE LOAD FOR d.ok FROM KAFKA ({extra})", user="loader", password="pw")
        assert rc != 0 and reason in err, err
    rc, out, _ = mysql(fe.port, "SHOW CREATE ROUTINE LOAD d.ok")
    assert "kinit" not in out and "plugin" not in out
    # Secrets are masked wherever the job is shown.
    pem = "-----BEGIN PRIVATE KEY-----MIIEvQIBADANBgkqhkiG9w0BAQEFAASC-----END PRIVATE KEY-----"
    rc, _, err = mysql(fe.port, f"""ALTER ROUTINE LOAD FOR d.ok FROM KAFKA ("property.ssl.key.pem" = "{pem}",
        "property.sasl.password" = "hunter2")""", user="loader", password="pw")
    assert rc == 0, err
    for sql in ("SHOW ROUTINE LOAD FOR d.ok", "SHOW CREATE ROUTINE LOAD d.ok", "SELECT * FROM information_schema.routine_load_jobs"):
        rc, out, _ = mysql(fe.port, sql)
        assert "MIIEvQ" not in out and "hunter2" not in out and "******" in out, sql
    time.sleep(2)
    assert not marker.exists() and fe.alive()


def test_sasl_and_ssl_settings_reach_the_broker(loading_fe):
    """property.security.protocol / sasl.* / ssl.* reach librdkafka as they are: the FE's Kafka client checks the
    broker's certificate against ssl.ca.location and logs in with SASL/PLAIN over TLS. Without that CA (the system
    store does not know the broker's self-signed certificate) the handshake fails and no credentials are sent."""
    import shutil
    fe = loading_fe()
    # The broker uses the FE's self-signed pair; its CA file is copied out, since no job may name a file in meta_dir.
    cert, key = fe.meta_dir.parent / "broker-cert.pem", fe.meta_dir.parent / "broker-key.pem"
    shutil.copy(fe.meta_dir / "tls" / "cert.pem", cert)
    shutil.copy(fe.meta_dir / "tls" / "key.pem", key)
    trusted, untrusted = AuthBroker(tls=(cert, key)), AuthBroker(tls=(cert, key))
    assert mysql(fe.port, "CREATE DATABASE d; CREATE TABLE d.s (id INT NOT NULL) DUPLICATE KEY(id) DISTRIBUTED BY HASH(id)")[0] == 0

    def job(name, broker, ca):
        ca_property = f', "property.ssl.ca.location" = "{ca}"' if ca else ""
        return f"""CREATE ROUTINE LOAD d.{name} ON s PROPERTIES ("format" = "json") FROM KAFKA (
            "kafka_broker_list" = "127.0.0.1:{broker.port}", "kafka_topic" = "secure",
            "property.security.protocol" = "SASL_SSL", "property.sasl.mechanism" = "PLAIN",
            "property.sasl.username" = "alice", "property.sasl.password" = "s3cret",
            "property.ssl.endpoint.identification.algorithm" = "none"{ca_property})"""
    rc, _, err = mysql(fe.port, job("trusted", trusted, cert) + ";" + job("untrusted", untrusted, None), db="d")
    assert rc == 0, err
    wait_until(lambda: trusted.auth)
    assert trusted.mechanisms[0] == "PLAIN" and trusted.auth[0] == b"\x00alice\x00s3cret"
    assert trusted.tls_versions[0].startswith("TLSv1.")
    wait_until(lambda: untrusted.handshake_failures > 0)
    assert untrusted.auth == [] and untrusted.mechanisms == []
    # The endpoints serve no metadata, so both jobs pause as with any unreachable cluster.
    for name in ("trusted", "untrusted"):
        paused = wait_until(lambda: (r := show_job(fe, name, "d")) and r["State"] == "PAUSED" and r)
        assert "Job failed to fetch all current partition" in paused["ReasonOfStateChanged"]
    trusted.close(), untrusted.close()
