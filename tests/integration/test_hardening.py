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
