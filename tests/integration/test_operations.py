"""The operator's view (issue 15): lag from the scheduler's own watermarks in SHOW, information_schema and /metrics
(parsed with prometheus-client), UNSTABLE, health endpoints, the dashboard's API and its page in a real Chromium, and a
graceful SIGTERM."""
import base64
import json
import os
import pathlib
import signal
import subprocess
import urllib.error
import urllib.request

import pytest
from kafka import KafkaProducer
from prometheus_client.parser import text_string_to_metric_families

from conftest import FE, ROOT, mysql
from test_load_execution import loading_fe, mock, query, show_job, start_cn, statistic, wait_until  # noqa: F401 (fixtures)
from test_routine_load import vertical

ARTIFACTS = pathlib.Path(os.environ.get("TRIBUTARY_TEST_ARTIFACTS", ROOT / "test-artifacts"))


def http(fe, path, user=None, password="", method="GET", body=None, headers=None):
    """(status, headers, body) of a request to the FE's http_port."""
    headers = dict(headers or {})
    if user is not None:
        headers["Authorization"] = "Basic " + base64.b64encode(f"{user}:{password}".encode()).decode()
    data = json.dumps(body).encode() if body is not None else None
    if data:
        headers["Content-Type"] = "application/json"
    request = urllib.request.Request(f"http://127.0.0.1:{fe.http_port}{path}", data=data, method=method, headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=10) as r:
            return r.status, dict(r.headers), r.read()
    except urllib.error.HTTPError as e:
        return e.code, dict(e.headers), e.read()


def metrics(fe, **auth):
    """The samples of /metrics as prometheus-client's parser reads them (it names counter samples `<name>_total`)."""
    status, headers, body = http(fe, "/metrics", **auth)
    assert status == 200 and headers["Content-Type"].startswith("text/plain; version=0.0.4")
    samples = {"text": body.decode()}
    for family in text_string_to_metric_families(body.decode()):
        for s in family.samples:
            samples[(s.name, tuple(sorted(s.labels.items())))] = s.value
    return samples


def sample(samples, name, **labels):
    return samples.get((name, tuple(sorted(labels.items()))))


def counter(samples, name, **labels):
    return sample(samples, name if name.endswith("_total") else name + "_total", **labels)


def send(producer, topic, start, count):
    for i in range(start, start + count):
        producer.send(topic, json.dumps({"id": i, "v": f"row {i}"}).encode())
    producer.flush()


JOB = """CREATE DATABASE d; CREATE TABLE d.t (id BIGINT NOT NULL, v STRING) DUPLICATE KEY(id) DISTRIBUTED BY HASH(id);
CREATE ROUTINE LOAD d.j ON t PROPERTIES ("format" = "json", "max_batch_interval" = "1")
FROM KAFKA ("kafka_broker_list" = "{broker}", "kafka_topic" = "{topic}", "property.kafka_default_offsets" = "OFFSET_BEGINNING")"""


def test_health_metrics_and_lag_of_a_paused_job(mock, loading_fe):
    broker = mock("events:2")
    fe = loading_fe()
    assert http(fe, "/api/health")[0] == 200
    assert http(fe, "/api/health/ready")[:3:2] == (200, b'{"status":"READY"}')
    rc, _, err = mysql(fe.port, JOB.format(broker=broker, topic="events"))
    assert rc == 0, err
    producer = KafkaProducer(bootstrap_servers=broker)
    send(producer, "events", 0, 10)
    wait_until(lambda: statistic(show_job(fe, "j", "d"))["loadedRows"] == 10)
    m = metrics(fe)
    assert sample(m, "starrocks_fe_routine_load_jobs", state="RUNNING") == 1
    assert sample(m, "starrocks_fe_routine_load_jobs", state="PAUSED") == 0
    assert "\nstarrocks_fe_routine_load_rows 10\n" in m["text"]                # StarRocks' names as they are, no _total added
    assert counter(m, "starrocks_fe_routine_load_rows") == 10
    assert counter(m, "tributary_fe_routine_load_job_rows", db="d", job_name="j") == 10
    assert counter(m, "starrocks_fe_routine_load_receive_bytes") > 0
    assert counter(m, "starrocks_fe_routine_load_error_rows") == 0
    assert sample(m, "starrocks_fe_routine_load_max_lag_of_partition", db="d", job_name="j") == 0
    assert sample(m, "starrocks_fe_routine_load_max_lag_time_of_partition", db="d", job_name="j") == 0
    assert sample(m, "tributary_fe_routine_load_task_duration_seconds_count") >= 1
    assert sample(m, "tributary_fe_routine_load_commit_latency_seconds_count") >= 1
    assert sample(m, "tributary_fe_compute_nodes_alive") == 1
    assert counter(m, "tributary_fe_statements_total", type="routine_load") >= 1
    selects = counter(m, "tributary_fe_statements_total", type="select") or 0
    assert mysql(fe.port, "SELECT 1; SELECT nosuchcolumn")[0] != 0
    m = metrics(fe)
    assert counter(m, "tributary_fe_statements_total", type="select") == selects + 2
    assert counter(m, "starrocks_fe_query_err") >= 1

    # Paused, the job reads nothing; the scheduler's refresh round still sees the partitions grow.
    assert mysql(fe.port, "PAUSE ROUTINE LOAD FOR d.j")[0] == 0
    send(producer, "events", 10, 7)
    def lag():
        return sum(json.loads(show_job(fe, "j", "d")["OffsetLag"]).values())
    assert wait_until(lambda: lag() == 7, timeout=20)
    row = show_job(fe, "j", "d")
    assert row["State"] == "PAUSED" and "pauses routine load job" in row["ReasonOfStateChanged"]
    assert sorted(json.loads(row["Statistic"])["partitionLagTime"]) == ["0", "1"]
    assert sum(map(int, json.loads(row["LatestSourcePosition"]).values())) == 17
    m = metrics(fe)
    assert sample(m, "starrocks_fe_routine_load_jobs", state="PAUSED") == 1
    assert counter(m, "starrocks_fe_routine_load_paused") == 1
    per_partition = [sample(m, "tributary_fe_routine_load_partition_lag", db="d", job_name="j", partition=p) for p in ("0", "1")]
    assert sum(per_partition) == 7 and sample(m, "starrocks_fe_routine_load_max_lag_of_partition", db="d", job_name="j") == max(per_partition)
    rc, out, err = mysql(fe.port, "SELECT STATE, OFFSET_LAG, TIMESTAMP_PROGRESS FROM information_schema.routine_load_jobs WHERE NAME = 'j'")
    assert rc == 0, err
    state, offset_lag, progress = out.splitlines()[1].split("\t")
    assert state == "PAUSED" and sum(json.loads(offset_lag).values()) == 7 and json.loads(progress)
    # Resumed, it catches up: lag back to 0, every row loaded once.
    assert mysql(fe.port, "RESUME ROUTINE LOAD FOR d.j")[0] == 0
    wait_until(lambda: statistic(show_job(fe, "j", "d"))["loadedRows"] == 17 and lag() == 0)
    assert query(fe, "SELECT count(*), count(distinct id) FROM d.t") == [["17", "17"]]
    assert counter(metrics(fe), "starrocks_fe_routine_load_rows") == 17


def test_a_running_job_that_falls_behind_is_unstable(mock, loading_fe, tmp_path):
    broker = mock("slow:1")
    fe = loading_fe("embedded_compute_node = false\nheartbeat_timeout_second = 1\nroutine_load_unstable_threshold_second = 2\n")
    cn, port = start_cn(tmp_path, "cn", fe)
    try:
        assert mysql(fe.port, f'ALTER SYSTEM ADD COMPUTE NODE "127.0.0.1:{port}"')[0] == 0
        rc, _, err = mysql(fe.port, JOB.format(broker=broker, topic="slow"))
        assert rc == 0, err
        producer = KafkaProducer(bootstrap_servers=broker)
        send(producer, "slow", 0, 5)
        wait_until(lambda: statistic(show_job(fe, "j", "d"))["loadedRows"] == 5)
        cn.kill()
        cn.wait()
        send(producer, "slow", 5, 3)
        # No node to run the job: its lag grows past the threshold and SHOW says UNSTABLE with StarRocks' reason 105.
        row = wait_until(lambda: (r := show_job(fe, "j", "d"))["State"] == "UNSTABLE" and r, timeout=40)
        assert row["ReasonOfStateChanged"].startswith("ErrorReason{errCode = 105, msg='The lag [")
        assert "] of partition [0] exceeds Config.routine_load_unstable_threshold_second [2]'}" in row["ReasonOfStateChanged"]
        assert json.loads(row["OffsetLag"]) == {"0": 3}
        # information_schema keeps RUNNING and no reason (reference §4.7); /metrics counts it as UNSTABLE.
        rc, out, _ = mysql(fe.port, "SELECT STATE, REASONS_OF_STATE_CHANGED FROM information_schema.routine_load_jobs WHERE NAME = 'j'")
        assert out.splitlines()[1].split("\t") == ["RUNNING", ""]
        m = metrics(fe)
        assert sample(m, "starrocks_fe_routine_load_jobs", state="UNSTABLE") == 1
        assert sample(m, "starrocks_fe_routine_load_max_lag_time_of_partition", db="d", job_name="j") > 2
        # The node comes back on its port: the job catches up and is RUNNING again.
        cn, _ = start_cn(tmp_path, "cn-again", fe, port=port)
        wait_until(lambda: (r := show_job(fe, "j", "d"))["State"] == "RUNNING" and statistic(r)["loadedRows"] == 8, timeout=40)
        assert query(fe, "SELECT count(distinct id) FROM d.t") == [["8"]]
    finally:
        cn.kill()
        cn.wait()


def test_the_dashboard_api_authenticates_and_shows_what_grants_allow(mock, loading_fe):
    broker = mock("a:1", "b:1")
    fe = loading_fe()
    setup = JOB.format(broker=broker, topic="a") + ";\n" + JOB.replace("CREATE DATABASE d; ", "").replace("TABLE d.t", "TABLE d.t2") \
        .replace("d.j ON t ", "d.k ON t2 ").format(broker=broker, topic="b") + """;
        CREATE USER 'ops'@'%' IDENTIFIED BY 'opspw'; GRANT INSERT ON d.t TO 'ops'@'%';
        CREATE USER 'viewer'@'%' IDENTIFIED BY 'viewpw'; GRANT SELECT ON d.t TO 'viewer'@'%'"""
    rc, _, err = mysql(fe.port, setup)
    assert rc == 0, err
    # No credentials, wrong ones, or no header on a POST: refused, and nothing is paused.
    status, headers, _ = http(fe, "/")
    assert status == 401 and headers["WWW-Authenticate"].startswith("Basic")
    assert http(fe, "/api/dashboard")[0] == 401
    assert http(fe, "/api/dashboard", user="ops", password="wrong")[0] == 401
    assert http(fe, "/api/dashboard", user="nobody", password="")[0] == 401
    assert http(fe, "/api/jobs/pause", user="root", method="POST", body={"database": "d", "name": "j"})[0] == 403
    assert http(fe, "/api/jobs/pause", user="root", method="POST", body=["not", "a", "job"],
                headers={"X-Tributary-Request": "1"})[0] == 400
    # The page: its own script only, framing refused.
    status, headers, page = http(fe, "/", user="root")
    assert status == 200 and b'<script src="/dashboard.js"' in page and "default-src 'self'" in headers["Content-Security-Policy"]
    assert http(fe, "/dashboard.js")[0] == 200
    # root sees both jobs, the nodes and the volumes; ops sees its table's job only; viewer (SELECT) none, no nodes.
    def snapshot(user, password):
        status, _, body = http(fe, "/api/dashboard", user=user, password=password)
        assert status == 200, body
        return json.loads(body)
    root = snapshot("root", "")
    assert sorted(j["name"] for j in root["jobs"]) == ["j", "k"] and root["nodes"][0]["alive"] and root["volumes"] == []
    ops = snapshot("ops", "opspw")
    assert [j["name"] for j in ops["jobs"]] == ["j"] and ops.get("nodes") is None and ops["jobs"][0]["canOperate"]
    assert snapshot("viewer", "viewpw")["jobs"] == []
    # ops pauses and resumes its job; it cannot touch k; the viewer cannot touch j.
    pause = dict(method="POST", headers={"X-Tributary-Request": "1"})
    assert http(fe, "/api/jobs/pause", user="ops", password="opspw", body={"database": "d", "name": "j"}, **pause)[0] == 200
    assert show_job(fe, "j", "d")["State"] == "PAUSED"
    assert "User ops pauses routine load job" in show_job(fe, "j", "d")["ReasonOfStateChanged"]
    status, _, body = http(fe, "/api/jobs/pause", user="ops", password="opspw", body={"database": "d", "name": "k"}, **pause)
    assert status == 403 and b"INSERT" in body and show_job(fe, "k", "d")["State"] != "PAUSED"
    assert http(fe, "/api/jobs/resume", user="viewer", password="viewpw", body={"database": "d", "name": "j"}, **pause)[0] == 403
    assert http(fe, "/api/jobs/resume", user="ops", password="opspw", body={"database": "d", "name": "j"}, **pause)[0] == 200
    assert show_job(fe, "j", "d")["State"] in ("NEED_SCHEDULE", "RUNNING")
    assert http(fe, "/api/jobs/pause", user="ops", password="opspw", body={"database": "d", "name": "nosuch"}, **pause)[0] == 400


def non_loopback_address():
    """An address of this machine other than loopback (the route to a public address, no packet sent), or None."""
    import socket
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
        try:
            s.connect(("192.0.2.1", 9))
            address = s.getsockname()[0]
        except OSError:
            return None
    return None if address.startswith("127.") else address


def test_credentials_need_loopback_or_the_opt_in_and_a_known_host_name(tmp_path):
    fe = FE(tmp_path / "meta").start()
    try:
        # A DNS-rebinding page sends its own host name: refused before any password check.
        status, _, body = http(fe, "/api/dashboard", user="root", headers={"Host": "attacker.example"})
        assert status == 403 and b"http_allowed_hosts" in body
        assert http(fe, "/api/dashboard", user="root", headers={"Host": f"localhost:{fe.http_port}"})[0] == 200
        assert http(fe, "/api/health", headers={"Host": "attacker.example"})[0] == 200      # probes need no credentials
        address = non_loopback_address()
        if address:                                   # the same FE reached over the machine's own network address
            request = urllib.request.Request(f"http://{address}:{fe.http_port}/api/dashboard",
                                             headers={"Authorization": "Basic " + base64.b64encode(b"root:").decode()})
            with pytest.raises(urllib.error.HTTPError) as refused:
                urllib.request.urlopen(request, timeout=10)
            assert refused.value.code == 403 and b"http_remote_basic_auth" in refused.value.read()
    finally:
        fe.stop(signal.SIGKILL)
    if address:
        opted = FE(tmp_path / "meta2", config="http_remote_basic_auth = true\nhttp_allowed_hosts = tributary.lab\n").start()
        try:
            request = urllib.request.Request(f"http://{address}:{opted.http_port}/api/dashboard",
                                             headers={"Authorization": "Basic " + base64.b64encode(b"root:").decode()})
            with urllib.request.urlopen(request, timeout=10) as r:
                assert r.status == 200
            assert http(opted, "/api/dashboard", user="root", headers={"Host": "tributary.lab:8030"})[0] == 200
        finally:
            opted.stop(signal.SIGKILL)


def test_read_only_dashboard_and_metrics_behind_credentials(tmp_path):
    fe = FE(tmp_path / "meta", config="http_dashboard_operations = false\nmetrics_require_auth = true\n").start()
    try:
        assert http(fe, "/metrics")[0] == 401
        assert sample(metrics(fe, user="root"), "tributary_fe_compute_nodes_alive") == 1
        assert json.loads(http(fe, "/api/dashboard", user="root")[2])["operationsEnabled"] is False
        status, _, body = http(fe, "/api/jobs/pause", user="root", method="POST", body={"database": "d", "name": "j"},
                               headers={"X-Tributary-Request": "1"})
        assert status == 403 and b"turned off" in body
    finally:
        fe.stop(signal.SIGKILL)
    off = FE(tmp_path / "meta2", config="http_dashboard = false\n").start()
    try:
        assert http(off, "/", user="root")[0] == 404 and http(off, "/api/health")[0] == 200
    finally:
        off.stop(signal.SIGKILL)


def test_the_dashboard_in_chromium_shows_jobs_lag_and_pauses(mock, loading_fe):
    from browser import Browser
    broker = mock("clicks:1")
    fe = loading_fe()
    rc, _, err = mysql(fe.port, JOB.format(broker=broker, topic="clicks"))
    assert rc == 0, err
    producer = KafkaProducer(bootstrap_servers=broker)
    send(producer, "clicks", 0, 10)
    wait_until(lambda: statistic(show_job(fe, "j", "d"))["loadedRows"] == 10)
    browser = Browser()
    try:
        browser.open(f"http://127.0.0.1:{fe.http_port}/", "root", "")
        row = 'document.querySelector(\'tr[data-job="d.j"]\')'
        assert browser.wait_for(f"{row} && {row}.dataset.state") == "RUNNING"
        assert browser.evaluate(f"{row}.children[6].textContent") == "0"                      # error rows
        assert browser.wait_for(f"{row}.querySelector('.partition').textContent") == "0: 10 · 0 · 0 s"
        assert browser.evaluate("document.getElementById('nodes-section').hidden") is False
        # Pause with the page's button; then the lag the page shows grows as messages arrive.
        browser.evaluate(f"{row}.querySelector('button[data-action=pause]').click()")
        assert browser.wait_for(f"{row}.dataset.state === 'PAUSED' && {row}.querySelector('.reason').textContent")\
            .startswith("ErrorReason{errCode = 100, msg='User root pauses routine load job'}")
        send(producer, "clicks", 10, 5)
        browser.wait_for(f"{row}.querySelector('.partition').dataset.lag === '5'")
        send(producer, "clicks", 15, 7)
        browser.wait_for(f"{row}.querySelector('.partition').dataset.lag === '12'")
        assert browser.wait_for("document.querySelector('#chart-lag polyline[data-job=\"d.j\"]')"
                                "?.getAttribute('points').split(' ').length > 2")
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        browser.screenshot(ARTIFACTS / "dashboard.png")
        assert (ARTIFACTS / "dashboard.png").stat().st_size > 10_000
        browser.evaluate(f"{row}.querySelector('button[data-action=resume]').click()")
        browser.wait_for(f"{row}.dataset.state === 'RUNNING' && {row}.querySelector('.partition').dataset.lag === '0'", timeout=40)
    finally:
        browser.close()
    assert query(fe, "SELECT count(*) FROM d.t") == [["22"]]


def test_sigterm_lets_tasks_finish_leaves_no_open_transaction_and_exits_zero(mock, loading_fe):
    broker = mock("stream:2")
    fe = loading_fe()
    rc, _, err = mysql(fe.port, JOB.format(broker=broker, topic="stream"))
    assert rc == 0, err
    producer = KafkaProducer(bootstrap_servers=broker)
    send(producer, "stream", 0, 20000)
    wait_until(lambda: statistic(show_job(fe, "j", "d"))["loadedRows"] > 0, interval=0.05)
    fe.proc.send_signal(signal.SIGTERM)
    assert fe.proc.wait(timeout=30) == 0
    log = fe.logs()
    assert "SIGTERM received" in log and "open transactions aborted" in log
    fe.log.close()
    # Nothing to recover at the next start, and every row once.
    fe.start()
    assert "recovered: 0 unfinished transactions aborted" in fe.logs()
    wait_until(lambda: statistic(show_job(fe, "j", "d"))["loadedRows"] == 20000)
    assert query(fe, "SELECT count(*), count(distinct id) FROM d.t") == [["20000", "20000"]]


def test_log_level_and_version_flags(tmp_path):
    from conftest import BINARY
    out = subprocess.run([BINARY, "--version"], capture_output=True, text=True, timeout=30)
    assert out.returncode == 0 and out.stdout.strip()[0].isdigit()
    bad = subprocess.run([BINARY, "--log-level", "loud", "--meta-dir", str(tmp_path / "m")], capture_output=True, text=True, timeout=30)
    assert bad.returncode != 0 and "--log-level must be one of" in bad.stderr
    args_fe = FE(tmp_path / "meta3")
    proc = subprocess.Popen([BINARY, "--meta-dir", str(args_fe.meta_dir), "--query-port", str(args_fe.port), "--config", str(args_fe.config),
                             "--log-level", "debug"], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        assert proc.stdout.readline().startswith("tributary-fe ready")
        assert mysql(args_fe.port, "CREATE DATABASE x")[0] == 0
    finally:
        proc.send_signal(signal.SIGINT)
        assert proc.wait(timeout=30) == 0
    log = proc.stderr.read()
    assert " debug tributary.fe: [FrontendServer] settings in effect: bind_address=0.0.0.0 cluster_token=******" in log
