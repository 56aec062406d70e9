"""Issue 11's defects, each as a user or an attacker met it: statements that crashed the FE, stored jobs that
crashed it on every restart, and the files that held secrets in the open."""
import json
import os
import signal
import sqlite3
import stat
import time

import pymysql
from kafka import KafkaProducer

from conftest import FE, mysql
from test_load_execution import loading_fe, mock, query, show_job, statistic, wait_until  # noqa: F401 (fixtures)


def connect(fe, **kw):
    return pymysql.connect(host="127.0.0.1", port=fe.port, user=kw.pop("user", "root"), **kw)


def test_long_operator_chains_are_refused_or_answered_never_crash(fe):
    """A user without any privilege sends chains of every operator, as long as a packet holds: each is answered
    (up to the depth limit) or refused with a syntax error, and the FE keeps serving."""
    assert mysql(fe.port, "CREATE USER nobody IDENTIFIED BY 'pw'")[0] == 0
    c = connect(fe, user="nobody", password="pw")
    cur = c.cursor()
    cur.execute("SELECT " + "+".join(["1"] * 900))
    assert cur.fetchone() == (900,)
    cur.execute("SELECT " + " OR ".join(["0"] * 500) + " OR 1")
    assert cur.fetchone() == (1,)
    for op in ["+", " AND ", " OR ", " || ", "*", " = ", "^", " XOR ", "-", "/", " DIV ", "&", "<<"]:
        for n in (5_000, 200_000):
            try:
                cur.execute("SELECT " + op.join(["1"] * n))
                raise AssertionError(f"{op!r} x {n} was answered")
            except pymysql.err.ProgrammingError as e:
                assert e.args[0] == 1064 and "Exceeded the maximum depth of an expression tree (1000)" in e.args[1], e
    for sql in ["SELECT 1" + " IS NULL" * 5_000, "SELECT 'a'" + " LIKE 'a'" * 5_000, "SELECT 1 FROM t0" + " JOIN t ON 1=1" * 5_000,
                "SELECT " + "(" * 5_000 + "1" + ")" * 5_000, "SELECT " + "-" * 5_000 + "1", "SELECT 1 IN (" + ",".join(["1"] * 20_000) + ")"]:
        try:
            cur.execute(sql)
            raise AssertionError(f"{sql[:40]} was answered")
        except pymysql.err.ProgrammingError as e:
            assert e.args[0] == 1064, e
    cur.execute("SELECT 'still here'")
    assert cur.fetchone() == ("still here",) and fe.alive()


def test_a_job_with_a_huge_columns_expression_is_refused_and_a_stored_one_pauses_instead_of_crashing(mock, loading_fe):
    broker = mock("cols:1")
    fe = loading_fe()
    assert mysql(fe.port, "CREATE DATABASE d; CREATE TABLE d.c (id BIGINT NOT NULL, v BIGINT) DUPLICATE KEY(id) DISTRIBUTED BY HASH(id)")[0] == 0
    huge = "+".join(["x"] * 10_000)
    rc, _, err = mysql(fe.port, f"""CREATE ROUTINE LOAD d.huge ON c COLUMNS TERMINATED BY ",", COLUMNS(id, x, v = {huge})
        FROM KAFKA ("kafka_broker_list" = "{broker}", "kafka_topic" = "cols", "property.kafka_default_offsets" = "OFFSET_BEGINNING")""")
    assert rc != 0 and "Exceeded the maximum depth of an expression tree (1000)" in err, err
    # A job stored by an older version with such an expression: the FE pauses it with the reason, now and after restarts.
    rc, _, err = mysql(fe.port, f"""CREATE ROUTINE LOAD d.old ON c COLUMNS TERMINATED BY ",", COLUMNS(id, x, v = x + 1)
        PROPERTIES ("max_batch_interval" = "1")
        FROM KAFKA ("kafka_broker_list" = "{broker}", "kafka_topic" = "cols", "property.kafka_default_offsets" = "OFFSET_BEGINNING");
        PAUSE ROUTINE LOAD FOR d.old""")
    assert rc == 0, err
    fe.stop(signal.SIGKILL)
    db = sqlite3.connect(fe.meta_dir / "catalog.sqlite")
    (doc,) = db.execute("SELECT document FROM routine_load_jobs WHERE name = 'old'").fetchone()
    job = json.loads(doc)
    job["definition"]["load"]["columns"][2]["expression"] = huge
    job["state"] = "NEED_SCHEDULE"
    db.execute("UPDATE routine_load_jobs SET document = ?, state = 'NEED_SCHEDULE' WHERE name = 'old'", (json.dumps(job),))
    db.commit()
    db.close()
    producer = KafkaProducer(bootstrap_servers=broker)
    producer.send("cols", b"1,2")
    producer.flush()
    for _ in range(2):
        fe.start()
        paused = wait_until(lambda: (r := show_job(fe, "old", "d")) and r["State"] == "PAUSED" and r, timeout=30)
        assert "Exceeded the maximum depth of an expression tree" in paused["ReasonOfStateChanged"], paused
        time.sleep(1)
        assert fe.alive()
        fe.stop(signal.SIGKILL)
    fe.start()


def test_meta_dir_and_secret_files_are_private(fe):
    assert mysql(fe.port, """CREATE DATABASE d; CREATE TABLE d.t (id INT) DISTRIBUTED BY HASH(id);
        CREATE ROUTINE LOAD d.j ON t FROM KAFKA ("kafka_broker_list" = "127.0.0.1:1", "kafka_topic" = "t",
            "property.security.protocol" = "SASL_PLAINTEXT", "property.sasl.mechanism" = "PLAIN",
            "property.sasl.username" = "u", "property.sasl.password" = "topsecret")""")[0] == 0
    assert stat.S_IMODE(os.stat(fe.meta_dir).st_mode) == 0o700
    for root, dirs, files in os.walk(fe.meta_dir):
        for d in dirs:
            assert stat.S_IMODE(os.stat(os.path.join(root, d)).st_mode) == 0o700, d
        for f in files:
            assert stat.S_IMODE(os.stat(os.path.join(root, f)).st_mode) == 0o600, f
    token = (fe.meta_dir / "cluster_token").read_text().strip()
    assert len(token) == 64


def test_an_existing_world_readable_meta_dir_is_tightened_at_start(tmp_path):
    meta = tmp_path / "meta"
    server = FE(meta).start()
    server.stop()
    os.chmod(meta, 0o755)
    os.chmod(meta / "catalog.sqlite", 0o644)
    server.start()
    try:
        assert stat.S_IMODE(os.stat(meta).st_mode) == 0o700
        assert stat.S_IMODE(os.stat(meta / "catalog.sqlite").st_mode) == 0o600
    finally:
        server.stop(signal.SIGKILL)


def big_table(fe, rows=2000):
    c = connect(fe, autocommit=True)
    cur = c.cursor()
    cur.execute("CREATE DATABASE IF NOT EXISTS q")
    cur.execute("CREATE TABLE q.t (id BIGINT NOT NULL, s VARCHAR(100)) DUPLICATE KEY(id) DISTRIBUTED BY HASH(id)")
    cur.execute("INSERT INTO q.t VALUES " + ",".join(f"({i}, 'row-{i}-padding-padding')" for i in range(rows)))
    return c


CROSS = "SELECT count(*) FROM q.t a, q.t b, q.t c"           # 8e9 rows: runs for hours unless stopped


def processlist_command(fe, cid):
    for row in query_rows(fe, "SHOW PROCESSLIST"):
        if row[0] == str(cid):
            return row[4]


def query_rows(fe, sql):
    rc, out, err = mysql(fe.port, sql)
    assert rc == 0, err
    return [line.split("\t") for line in out.splitlines()[1:]]


def test_kill_query_and_kill_stop_a_running_statement(fe):
    import threading
    c = big_table(fe)
    cur = c.cursor()
    cur.execute("SELECT CONNECTION_ID()")
    (cid,) = cur.fetchone()
    stopped = {}

    def run():
        t0 = time.time()
        try:
            cur.execute(CROSS)
        except pymysql.MySQLError as e:
            stopped["error"], stopped["after"] = e.args, time.time() - t0
    worker = threading.Thread(target=run)
    worker.start()
    wait_until(lambda: processlist_command(fe, cid) == "Query", timeout=10, interval=0.05)
    time.sleep(0.5)
    sent = time.time()
    rc, _, err = mysql(fe.port, f"KILL QUERY {cid}")
    assert rc == 0, err
    worker.join(timeout=5)
    assert stopped["error"] == (1317, "Query execution was interrupted")
    assert time.time() - sent < 1.0
    cur.execute("SELECT 'same connection'")                    # the connection stays usable
    assert cur.fetchone() == ("same connection",)
    assert processlist_command(fe, cid) == "Sleep"
    # KILL drops the client and stops its statement too: the FE is idle again.
    stopped.clear()
    worker = threading.Thread(target=run)
    worker.start()
    wait_until(lambda: processlist_command(fe, cid) == "Query", timeout=10, interval=0.05)
    assert mysql(fe.port, f"KILL {cid}")[0] == 0
    worker.join(timeout=5)
    assert stopped["error"][0] in (2013, 1317), stopped
    wait_until(lambda: processlist_command(fe, cid) is None, timeout=5, interval=0.1)
    # Someone else's statement: not without OPERATE.
    assert mysql(fe.port, "CREATE USER mallory IDENTIFIED BY 'pw'")[0] == 0
    c2 = connect(fe)
    c2.cursor().execute("SELECT CONNECTION_ID()")
    rc, _, err = mysql(fe.port, f"KILL QUERY {c2.thread_id()}", user="mallory", password="pw")
    assert rc != 0 and f"ERROR 1095 (HY000) at line 1: You are not owner of thread {c2.thread_id()}" in err


def test_ctrl_c_in_the_mysql_cli_stops_the_query(fe):
    import pexpect
    big_table(fe)
    child = pexpect.spawn("mysql", ["-h", "127.0.0.1", "-P", str(fe.port), "-u", "root"], encoding="utf-8", timeout=20)
    child.expect("MariaDB|MySQL")
    child.expect(r"> ")
    child.sendline(CROSS + ";")
    time.sleep(1.0)
    t0 = time.time()
    child.sendintr()
    child.expect(r"ERROR 1317 \(70100\).*Query execution was interrupted")
    assert time.time() - t0 < 2
    child.expect(r"> ")
    child.sendline("SELECT 6*7;")
    child.expect("42")
    child.sendline("exit")
    child.close()
    busy = [r for r in query_rows(fe, "SHOW PROCESSLIST") if r[4] == "Query" and "count(*)" in r[-1]]
    assert busy == []


def test_query_timeout_and_memory_budget_stop_runaway_queries_and_memory_comes_back(fe):
    c = big_table(fe)
    cur = c.cursor()
    cur.execute("SET query_timeout = 1")
    t0 = time.time()
    try:
        cur.execute(CROSS)
        raise AssertionError("answered")
    except pymysql.MySQLError as e:
        assert e.args == (3024, "Query reached its timeout of 1 seconds, please increase the 'query_timeout' session variable and retry")
    assert time.time() - t0 < 2.5
    cur.execute("SET query_timeout = 300")
    cur.execute("SELECT @@query_timeout, @@query_mem_limit, @@exec_mem_limit")
    assert cur.fetchone() == (300, 0, 2147483648)
    cur.execute("SET query_mem_limit = 50000000")
    try:
        cur.execute("SELECT a.s, b.s FROM q.t a, q.t b")          # 4 million rows
        raise AssertionError("answered")
    except pymysql.MySQLError as e:
        assert e.args[0] == 1064 and e.args[1].startswith("Memory of query exceed limit. Used: ") and "query_mem_limit" in e.args[1]
    rc, _, err = mysql(fe.port, "SET query_timeout = 1; SELECT count(*) FROM q.t a, q.t b, q.t c")
    assert "ERROR 3024 (HY000) at line 1: Query reached its timeout of 1 seconds" in err   # the CLI shows it as is


def rss_kib(pid):
    with open(f"/proc/{pid}/status") as f:
        return next(int(line.split()[1]) for line in f if line.startswith("VmRSS"))


def test_memory_returns_near_the_baseline_after_a_big_result(fe):
    c = big_table(fe, rows=1000)
    cur = c.cursor()
    cur.execute("SELECT 1")
    cur.fetchall()
    baseline = rss_kib(fe.proc.pid)
    cur.execute("SELECT a.s, b.s, a.id FROM q.t a, q.t b")     # 1 million rows
    assert len(cur.fetchall()) == 1_000_000
    time.sleep(0.5)
    after = rss_kib(fe.proc.pid)
    assert after < baseline + 96 * 1024, (baseline, after)


def test_a_connection_sending_ever_new_statements_keeps_its_memory(fe):
    # Each point lookup with a new key is a new statement: the FE keeps the last 128 of them prepared, not every one
    # (it kept every prepared statement before: ~3 KB each, and every later statement got slower).
    c = big_table(fe, rows=100)
    cur = c.cursor()
    cur.execute("SELECT s FROM q.t WHERE id = -1")
    baseline = rss_kib(fe.proc.pid)
    for i in range(15_000):
        cur.execute(f"SELECT s FROM q.t WHERE id = {i % 100} AND {i} = {i}")
        assert cur.fetchall() == ((f"row-{i % 100}-padding-padding",),)
    after = rss_kib(fe.proc.pid)
    assert after < baseline + 16 * 1024, (baseline, after)


def test_invalid_utf8_and_empty_messages_are_error_rows_not_data(mock, loading_fe):
    import urllib.request
    broker = mock("texts:1", "blobs:1")
    fe = loading_fe()
    assert mysql(fe.port, """CREATE DATABASE d; CREATE TABLE d.t (id INT NOT NULL, name VARCHAR(20)) DUPLICATE KEY(id) DISTRIBUTED BY HASH(id);
        CREATE TABLE d.j (id INT NOT NULL, name VARCHAR(20)) DUPLICATE KEY(id) DISTRIBUTED BY HASH(id)""")[0] == 0
    producer = KafkaProducer(bootstrap_servers=broker)
    for m in [b"1,ok", b"2,bad\xff\xfe", b"", b"3,caf\xc3\xa9"]:
        producer.send("texts", m)
    for m in [b'{"id": 1, "name": "ok"}', b'{"id": 2, "name": "\xc0\xaf"}', b"", b'{"id": 3, "name": "caf\xc3\xa9"}']:
        producer.send("blobs", m)
    producer.flush()
    rc, _, err = mysql(fe.port, f"""
        CREATE ROUTINE LOAD d.csvjob ON t COLUMNS TERMINATED BY "," PROPERTIES ("max_batch_interval" = "1", "max_error_number" = "10")
          FROM KAFKA ("kafka_broker_list" = "{broker}", "kafka_topic" = "texts", "property.kafka_default_offsets" = "OFFSET_BEGINNING");
        CREATE ROUTINE LOAD d.jsonjob ON j PROPERTIES ("format" = "json", "max_batch_interval" = "1", "max_error_number" = "10")
          FROM KAFKA ("kafka_broker_list" = "{broker}", "kafka_topic" = "blobs", "property.kafka_default_offsets" = "OFFSET_BEGINNING")""", db="d")
    assert rc == 0, err
    wait_until(lambda: query(fe, "SELECT count(*) FROM d.t") == [["2"]] and query(fe, "SELECT count(*) FROM d.j") == [["2"]])
    assert query(fe, "SELECT id, name FROM d.t ORDER BY id") == [["1", "ok"], ["3", "café"]]
    assert query(fe, "SELECT id, name FROM d.j ORDER BY id") == [["1", "ok"], ["3", "café"]]
    csv, js = show_job(fe, "csvjob", "d"), show_job(fe, "jsonjob", "d")
    assert statistic(csv)["errorRows"] == 1 and statistic(csv)["loadedRows"] == 2 and csv["Progress"] == '{"0":"3"}'
    assert statistic(js)["errorRows"] == 2 and statistic(js)["loadedRows"] == 2 and js["Progress"] == '{"0":"3"}'
    log = urllib.request.urlopen(csv["ErrorLogUrls"].split(",")[0].strip(), timeout=5).read().decode()
    assert "Error: Invalid UTF-8 row." in log
    log = urllib.request.urlopen(js["ErrorLogUrls"].split(",")[0].strip(), timeout=5).read().decode()
    assert "The input is not valid UTF-8" in log and "The input is empty" in log


def test_largeint_and_wide_decimals_are_exact_through_every_client(fe):
    import mysql.connector as connector
    big, small = "170141183460469231731687303715884105727", "-170141183460469231731687303715884105728"
    wide = "1234567890123456789012345678.0123456789"
    rc, out, err = mysql(fe.port, f"""CREATE DATABASE d; CREATE TABLE d.n (id INT NOT NULL, v LARGEINT, p DECIMAL(38,10))
        DUPLICATE KEY(id) DISTRIBUTED BY HASH(id);
        INSERT INTO d.n VALUES (1, {big}, {wide}), (2, {small}, -0.5), (3, 9300000000000000000, 1.5), (4, 100000000000000000000, 0);
        SELECT v, p FROM d.n ORDER BY v;
        SELECT id FROM d.n WHERE v = {big} OR p = 1.5 ORDER BY id""")
    assert rc == 0, err
    lines = out.splitlines()
    assert lines[1:5] == [f"{small}\t-0.5000000000", "9300000000000000000\t1.5000000000", "100000000000000000000\t0.0000000000",
                          f"{big}\t{wide}"]
    assert lines[6:] == ["1", "3"]
    cur = connect(fe).cursor()
    cur.execute("SELECT v, p FROM d.n WHERE id = 1")
    v, p = cur.fetchone()
    assert str(v) == big and str(p) == wide
    cn = connector.connect(host="127.0.0.1", port=fe.port, user="root", use_pure=True)
    pc = cn.cursor(prepared=True)
    pc.execute("SELECT v, p FROM d.n WHERE v > ? ORDER BY v", (9223372036854775807,))
    assert [(str(a), str(b)) for a, b in pc.fetchall()] == [("9300000000000000000", "1.5000000000"), ("100000000000000000000", "0E-10"),
                                                           (big, wide)]


def test_commands_too_short_for_their_fields_get_an_err_and_the_session_goes_on(fe):
    import struct
    c = connect(fe)
    s = c._sock
    s.settimeout(3)
    for command in (0x17, 0x18, 0x19, 0x1A, 0x1B):
        s.sendall(struct.pack("<I", 1)[:3] + b"\x00" + bytes([command]))
        header = s.recv(4)
        payload = s.recv(header[0] | header[1] << 8 | header[2] << 16)
        assert payload[0] == 0xFF and struct.unpack("<H", payload[1:3])[0] == 1835 and b"Malformed communication packet." in payload
    query = b"\x03SELECT 42"
    s.sendall(struct.pack("<I", len(query))[:3] + b"\x00" + query)
    answer = b""
    while b"\x0242" not in answer:
        chunk = s.recv(4096)
        assert chunk, answer
        answer += chunk


def test_show_create_routine_load_and_its_tasks_need_the_privilege_show_routine_load_needs(fe):
    assert mysql(fe.port, """CREATE DATABASE db1; CREATE DATABASE db2;
        CREATE TABLE db1.t (id INT) DISTRIBUTED BY HASH(id); CREATE TABLE db2.secret (id INT) DISTRIBUTED BY HASH(id);
        CREATE ROUTINE LOAD db2.job ON secret FROM KAFKA ("kafka_broker_list" = "10.1.2.3:9092", "kafka_topic" = "payroll",
            "property.security.protocol" = "SASL_PLAINTEXT", "property.sasl.mechanism" = "PLAIN",
            "property.sasl.username" = "svc-payroll", "property.sasl.password" = "pw");
        CREATE USER peeker IDENTIFIED BY 'pw'; GRANT INSERT ON db1.* TO peeker""")[0] == 0
    for sql in ("SHOW CREATE ROUTINE LOAD db2.job", 'SHOW ROUTINE LOAD TASK FROM db2 WHERE JobName = "job"'):
        rc, out, err = mysql(fe.port, sql, user="peeker", password="pw")
        assert rc != 0 and "ERROR 5203 (42000)" in err and "INSERT privilege(s) on TABLE secret" in err, (sql, err)
        assert "payroll" not in out + err and "svc-payroll" not in out + err and "10.1.2.3" not in out + err
    rc, out, err = mysql(fe.port, "SHOW ROUTINE LOAD FROM db2", user="peeker", password="pw")
    assert "payroll" not in out
    assert mysql(fe.port, "GRANT INSERT ON db2.secret TO peeker")[0] == 0
    rc, out, err = mysql(fe.port, "SHOW CREATE ROUTINE LOAD db2.job", user="peeker", password="pw")
    assert rc == 0 and "payroll" in out, err


def test_repeated_failed_logins_lock_the_account_for_that_host(tmp_path):
    server = FE(tmp_path / "meta", config="max_failed_login_attempts = 5\npassword_lock_interval_seconds = 3\n").start()
    try:
        assert mysql(server.port, "CREATE USER alice IDENTIFIED BY 'right'")[0] == 0
        t0 = time.time()
        for _ in range(5):
            try:
                pymysql.connect(host="127.0.0.1", port=server.port, user="alice", password="wrong")
                raise AssertionError("logged in")
            except pymysql.err.OperationalError as e:
                assert e.args[0] == 1045
        assert time.time() - t0 >= 5 * 0.3                                   # every failure is answered after a pause
        try:
            pymysql.connect(host="127.0.0.1", port=server.port, user="alice", password="right")
            raise AssertionError("logged in while locked")
        except pymysql.err.OperationalError as e:
            assert e.args[0] == 3955 and "Account is blocked for 3 second(s)" in e.args[1] and "due to 5 consecutive failed logins" in e.args[1]
        rc, _, err = mysql(server.port, "SELECT 1", user="alice", password="right")
        assert "ERROR 3955 (HY000)" in err
        # Another client host is not locked out.
        pymysql.connect(host="127.0.0.1", port=server.port, user="alice", password="right", bind_address="127.0.0.2").close()
        time.sleep(3.2)
        pymysql.connect(host="127.0.0.1", port=server.port, user="alice", password="right").close()
    finally:
        server.stop(signal.SIGKILL)


def test_guesses_sent_on_many_connections_at_once_get_no_more_tries_than_the_limit(tmp_path):
    """Checks under way count with the failures: 40 wrong passwords sent at once get 5 answers of 1045 and 35 of the
    lock, while a pool of 40 connections with the right password, all at once, logs in."""
    import concurrent.futures
    server = FE(tmp_path / "meta", config="max_failed_login_attempts = 5\npassword_lock_interval_seconds = 30\n").start()
    try:
        assert mysql(server.port, "CREATE USER alice IDENTIFIED BY 'right'; CREATE USER app IDENTIFIED BY 'pw'")[0] == 0

        def attempt(user, password):
            try:
                pymysql.connect(host="127.0.0.1", port=server.port, user=user, password=password, connect_timeout=20).close()
                return 0
            except pymysql.err.OperationalError as e:
                return e.args[0]
        with concurrent.futures.ThreadPoolExecutor(40) as pool:
            guesses = list(pool.map(lambda _: attempt("alice", "wrong"), range(40)))
            logins = list(pool.map(lambda _: attempt("app", "pw"), range(40)))
        assert guesses.count(1045) == 5 and guesses.count(3955) == 35, guesses
        assert logins == [0] * 40, logins
        assert attempt("alice", "right") == 3955
    finally:
        server.stop(signal.SIGKILL)


def test_clients_that_go_quiet_after_an_auth_switch_hold_no_login_turn(tmp_path):
    """A login waiting for the client's reply to an AuthSwitchRequest holds no turn of the login throttle, so silent
    clients cannot keep the account's real logins waiting."""
    import socket
    import struct
    server = FE(tmp_path / "meta", config="max_failed_login_attempts = 2\n").start()
    quiet = []
    try:
        assert mysql(server.port, "CREATE USER alice IDENTIFIED BY 'right'")[0] == 0
        for _ in range(4):
            s = socket.create_connection(("127.0.0.1", server.port), timeout=5)
            length = int.from_bytes(s.recv(4)[:3], "little")
            while length:
                length -= len(s.recv(length))
            caps = 0x1 | 0x200 | 0x8000 | 0x80000             # long password, 4.1, secure connection, plugin auth
            body = struct.pack("<IIB23x", caps, 1 << 24, 33) + b"alice\0" + b"\x00" + b"dialog\0"
            s.sendall(len(body).to_bytes(3, "little") + b"\x01" + body)
            header = s.recv(4)
            assert s.recv(1) == b"\xfe"                       # AuthSwitchRequest: the server waits for the reply
            quiet.append(s)
        t0 = time.time()
        pymysql.connect(host="127.0.0.1", port=server.port, user="alice", password="right", connect_timeout=20).close()
        assert time.time() - t0 < 2, "a real login waited for clients that went quiet"
    finally:
        for s in quiet:
            s.close()
        server.stop(signal.SIGKILL)


def test_a_kafka_outage_shows_as_unknown_lag_and_resume_during_it_retries(loading_fe):
    """While the brokers are down SHOW ROUTINE LOAD says so (OffsetLag unknown, OtherMsg with the age of the last
    position) instead of a reassuring 0; PAUSE and RESUME during the outage leave the job running on its known
    offsets, and it loads everything once Kafka is back. A caught-up job shows OffsetLag 0."""
    import subprocess
    from test_kafka_mock import MOCK
    mock = subprocess.Popen([MOCK, "--topic", "outage:1"], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    try:
        broker = mock.stdout.readline().strip().split(": ", 1)[1]

        def control(command):
            mock.stdin.write(command + "\n")
            mock.stdin.flush()
            assert mock.stdout.readline().strip() == "ok"
        fe = loading_fe()
        assert mysql(fe.port, "CREATE DATABASE d; CREATE TABLE d.o (id INT NOT NULL) DUPLICATE KEY(id) DISTRIBUTED BY HASH(id)")[0] == 0
        producer = KafkaProducer(bootstrap_servers=broker)
        for i in range(3):
            producer.send("outage", str(i).encode())
        producer.flush()
        rc, _, err = mysql(fe.port, f"""CREATE ROUTINE LOAD d.oj ON o PROPERTIES ("max_batch_interval" = "1")
            FROM KAFKA ("kafka_broker_list" = "{broker}", "kafka_topic" = "outage", "property.kafka_default_offsets" = "OFFSET_BEGINNING")""")
        assert rc == 0, err
        wait_until(lambda: query(fe, "SELECT count(*) FROM d.o") == [["3"]])
        caught_up = wait_until(lambda: (r := show_job(fe, "oj", "d")) and r["OffsetLag"] == '{"0":0}' and r)
        assert caught_up["LatestSourcePosition"] == '{"0":"3"}' and caught_up["Progress"] == '{"0":"2"}'
        assert mysql(fe.port, "PAUSE ROUTINE LOAD FOR d.oj")[0] == 0
        for i in range(3, 103):
            producer.send("outage", str(i).encode())
        producer.flush()
        producer.close(timeout=1)
        control("down")
        assert mysql(fe.port, "RESUME ROUTINE LOAD FOR d.oj")[0] == 0
        unknown = wait_until(lambda: (r := show_job(fe, "oj", "d")) and r["OffsetLag"] == '{"0":"unknown"}' and r, timeout=60)
        assert unknown["State"] == "RUNNING", unknown
        assert "kafka is not reachable" in unknown["OtherMsg"] and "LatestSourcePosition is the last known" in unknown["OtherMsg"]
        time.sleep(3)
        assert show_job(fe, "oj", "d")["State"] == "RUNNING"                 # not paused by the outage
        control("up")
        wait_until(lambda: query(fe, "SELECT count(*) FROM d.o") == [["103"]], timeout=90)
        back = wait_until(lambda: (r := show_job(fe, "oj", "d")) and r["OffsetLag"] == '{"0":0}' and r, timeout=30)
        assert "kafka is not reachable" not in back["OtherMsg"]
        assert query(fe, "SELECT count(DISTINCT id) FROM d.o") == [["103"]]
        # Pinned partitions on a cluster nobody answers: the reason names the broker failure.
        rc, _, err = mysql(fe.port, """CREATE ROUTINE LOAD d.nowhere ON o FROM KAFKA ("kafka_broker_list" = "127.0.0.1:1",
            "kafka_topic" = "t", "kafka_partitions" = "0", "kafka_offsets" = "OFFSET_BEGINNING")""")
        assert rc == 0, err
        paused = wait_until(lambda: (r := show_job(fe, "nowhere", "d")) and r["State"] == "PAUSED" and r, timeout=60)
        assert "invalid custom partition" not in paused["ReasonOfStateChanged"], paused["ReasonOfStateChanged"]
        assert "failed to get offset of partition: 0 in topic: t, err: " in paused["ReasonOfStateChanged"]
    finally:
        mock.kill()
        mock.wait()


def test_a_node_checks_the_signature_before_it_reads_a_body_and_refuses_replays(loading_fe, tmp_path):
    import http.client
    from node_auth import sign
    from test_load_execution import start_cn
    fe = loading_fe()
    token = (fe.meta_dir / "cluster_token").read_text().strip()
    cn, port = start_cn(tmp_path, "cn", fe)
    try:
        def request(method, target, body=b"", headers=None, chunked=False):
            c = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
            if chunked:
                c.putrequest(method, target)
                for k, v in (headers or {}).items():
                    c.putheader(k, v)
                c.putheader("Transfer-Encoding", "chunked")
                c.endheaders()
                c.send(b"%x\r\n%s\r\n0\r\n\r\n" % (len(body), body))
            else:
                c.request(method, target, body=body or None, headers=headers or {})
            r = c.getresponse()
            return r.status, r.read(), r.getheader("X-Tributary-Response-Signature")
        # Without a valid signature nothing is read: a big chunked body is refused at once.
        t0 = time.time()
        try:
            status, _, _ = request("POST", "/api/task", b"x" * (8 << 20), chunked=True)
        except (ConnectionResetError, BrokenPipeError):
            status = 401                                                   # answered and closed while we were still sending
        assert status == 401 and time.time() - t0 < 5
        # A signed request whose body is not the signed one, a signed chunked body, and a replay.
        status, text, _ = request("POST", "/api/task", b'{"id": 2}', headers=sign(token, "POST", "/api/task", b'{"id": 1}'))
        assert status == 401 and b"does not match" in text
        status, _, _ = request("POST", "/api/task", b'{"id": 1}', headers=sign(token, "POST", "/api/task", b'{"id": 1}'), chunked=True)
        assert status == 411
        signed = sign(token, "GET", "/api/heartbeat")
        status, body, signature = request("GET", "/api/heartbeat", headers=signed)
        assert status == 200 and json.loads(body)["runningTasks"] == 0 and len(signature) == 64
        status, text, _ = request("GET", "/api/heartbeat", headers=signed)
        assert status == 401 and b"nonce already used" in text
        status, text, _ = request("GET", "/api/heartbeat", headers=sign(token, "GET", "/api/heartbeat", now=time.time() - 3600))
        assert status == 401 and b"timestamp outside the allowed window" in text
    finally:
        cn.kill()
        cn.wait()


def test_session_limits_refuse_values_they_cannot_hold(fe):
    c = connect(fe)
    cur = c.cursor()
    for sql in ("SET query_timeout = 18446744074", "SET wait_timeout = 1e30", "SET query_timeout = 0", "SET GLOBAL query_timeout = -1",
                "SET max_allowed_packet = 1e300"):
        try:
            cur.execute(sql)
            raise AssertionError(f"{sql} was accepted")
        except pymysql.err.MySQLError as e:
            assert e.args[0] == 1231, (sql, e)
    cur.execute("SELECT 1")
    assert cur.fetchone() == (1,) and fe.alive()


def test_decimal_values_compare_as_numbers_through_functions(fe):
    rc, out, err = mysql(fe.port, """CREATE DATABASE d; CREATE TABLE d.n (id INT NOT NULL, p DECIMAL(10,2), v LARGEINT)
        DUPLICATE KEY(id) DISTRIBUTED BY HASH(id);
        INSERT INTO d.n VALUES (1, 50.5, 5), (2, 150.25, 170141183460469231731687303715884105727), (3, NULL, NULL), (4, 9.99, -3);
        SELECT id FROM d.n WHERE IFNULL(p, 0) > 100;
        SELECT id FROM d.n ORDER BY COALESCE(p, 0);
        SELECT max(p), min(v) FROM d.n HAVING max(p) > 100;
        SELECT id FROM d.n WHERE CASE WHEN id > 0 THEN p END < 10""")
    assert rc == 0, err
    lines = out.splitlines()
    assert lines == ["id", "2", "id", "3", "4", "1", "2", "max(p)\tmin(v)", "150.25\t-3", "id", "4"], lines


def test_mistyped_user_names_lock_nobody_out(tmp_path):
    server = FE(tmp_path / "meta", config="max_failed_login_attempts = 3\npassword_lock_interval_seconds = 60\n").start()
    try:
        for i in range(6):
            try:
                pymysql.connect(host="127.0.0.1", port=server.port, user=f"guess{i % 2}", password="x")
            except pymysql.err.OperationalError as e:
                assert e.args[0] == 1045
        pymysql.connect(host="127.0.0.1", port=server.port, user="root").close()
    finally:
        server.stop(signal.SIGKILL)


def test_connections_that_come_and_go_leave_no_open_files_behind(fe):
    """Each session has its own query engine on the table cache; closing the session must close them (the fuzzer
    found an engine kept alive by its own interrupt hook, two open files per session that ever connected)."""
    def open_files():
        return len(os.listdir(f"/proc/{fe.proc.pid}/fd"))
    connect(fe).close()
    time.sleep(0.5)
    before = open_files()
    for _ in range(200):
        c = connect(fe)
        c.cursor().execute("SELECT 1")
        c.close()
    time.sleep(1.5)
    assert open_files() < before + 10, (before, open_files())
