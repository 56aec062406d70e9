"""Many routine-load jobs on one FE (issue 12): a few hundred jobs load their topics, idle jobs run no task, a new row
reaches every job reading its topic within two max_batch_intervals while one job works through a backlog, and the
jobs come back after a restart. kafka-mock, kafka-python 2.0.2 producers, PyMySQL, the embedded compute node."""
import json
import subprocess
import time

import pymysql
from kafka import KafkaProducer

from test_load_execution import loading_fe, mock, wait_until  # noqa: F401  (fixtures)

JOBS = 240
TOPICS = 8
ROWS = 5
INTERVAL = 3
BACKLOG = 960_000                   # 20k rows in each of 48 partitions (kafka-mock keeps a few MB per partition)


def connect(fe):
    return pymysql.connect(host="127.0.0.1", port=fe.port, user="root", autocommit=True, ssl_disabled=True, read_timeout=120)


def per_job_counts(cur):
    cur.execute("SELECT job, count(*) FROM m.rows GROUP BY job")
    return dict(cur.fetchall())


def task_counts(cur):
    cur.execute("SHOW ROUTINE LOAD FROM m")
    columns = [d[0] for d in cur.description]
    out = {}
    for row in cur.fetchall():
        r = dict(zip(columns, row))
        stats = json.loads(r["Statistic"])
        out[r["Name"]] = (r["State"], stats["committedTaskNum"] + stats["abortedTaskNum"])
    return out


def test_hundreds_of_jobs_load_idle_cheaply_and_stay_fresh_beside_a_backlog(mock, loading_fe):
    broker = mock(*[f"t{i}:1" for i in range(TOPICS)], "backlog:48")
    fe = loading_fe()
    producer = KafkaProducer(bootstrap_servers=broker)
    for t in range(TOPICS):
        for r in range(ROWS):
            producer.send(f"t{t}", json.dumps({"id": r, "sent": 0}).encode())
    producer.flush()
    conn = connect(fe)
    cur = conn.cursor()
    cur.execute("CREATE DATABASE m")
    cur.execute("CREATE TABLE m.rows (job INT NOT NULL, id BIGINT NOT NULL, sent DOUBLE) DUPLICATE KEY(job) DISTRIBUTED BY HASH(job)")
    cur.execute("CREATE TABLE m.big (id BIGINT NOT NULL, v STRING) DUPLICATE KEY(id) DISTRIBUTED BY HASH(id)")
    for j in range(JOBS):
        cur.execute(f"""CREATE ROUTINE LOAD m.j{j} ON rows COLUMNS(id, sent, job = {j})
            PROPERTIES ("format" = "json", "max_batch_interval" = "{INTERVAL}")
            FROM KAFKA ("kafka_broker_list" = "{broker}", "kafka_topic" = "t{j % TOPICS}",
                        "property.kafka_default_offsets" = "OFFSET_BEGINNING")""")

    # Every job loads its topic's rows exactly once.
    wait_until(lambda: (c := per_job_counts(cur)) and len(c) == JOBS and all(n == ROWS for n in c.values()) and c, timeout=120)
    states = task_counts(cur)
    assert len(states) == JOBS and {s for s, _ in states.values()} == {"RUNNING"}

    # Caught-up jobs run no task: the counts stand still over several max_batch_intervals.
    time.sleep(INTERVAL + 1)                                # tasks that were finishing have committed
    before = task_counts(cur)
    time.sleep(3 * INTERVAL)
    assert task_counts(cur) == before

    # One job works through a backlog while a new row of each topic reaches every job reading it.
    data = "".join(f'{i}\t{{"id":{i},"v":"{"x" * 40}"}}\n' for i in range(BACKLOG))
    subprocess.run(["kcat", "-P", "-b", broker, "-t", "backlog", "-K", "\t", "-X", "linger.ms=50"], input=data, text=True,
                   check=True, timeout=120)
    cur.execute(f"""CREATE ROUTINE LOAD m.backlog ON big PROPERTIES ("format" = "json", "max_batch_interval" = "{INTERVAL}",
        "max_batch_rows" = "200000") FROM KAFKA ("kafka_broker_list" = "{broker}", "kafka_topic" = "backlog",
        "property.kafka_default_offsets" = "OFFSET_BEGINNING")""")
    time.sleep(0.5)                                         # its first task is reading
    sent = time.time()
    for t in range(TOPICS):
        producer.send(f"t{t}", json.dumps({"id": 100, "sent": sent}).encode())
    producer.flush()
    wait_until(lambda: (c := per_job_counts(cur)) and all(n == ROWS + 1 for n in c.values()) and c, timeout=60, interval=0.1)
    elapsed = time.time() - sent
    cur.execute("SELECT count(*) FROM m.big")
    loaded = cur.fetchone()[0]
    print(f"newest row in all {JOBS} jobs after {elapsed:.2f} s; backlog job at {loaded} of {BACKLOG} rows")
    still_loading = loaded < BACKLOG
    assert elapsed <= 2 * INTERVAL + 1, f"the newest row took {elapsed:.1f} s to reach all {JOBS} jobs (backlog still loading: {still_loading})"
    try:
        wait_until(lambda: cur.execute("SELECT count(*), count(DISTINCT id) FROM m.big") is not None and cur.fetchone() == (BACKLOG, BACKLOG),
                   timeout=120)
    except AssertionError:
        cur.execute("SHOW ROUTINE LOAD FOR m.backlog")
        print(dict(zip([d[0] for d in cur.description], cur.fetchone())))
        cur.execute("SELECT count(*), count(DISTINCT id) FROM m.big")
        print(cur.fetchone())
        print(fe.logs()[-3000:])
        raise

    # After a restart every job is RUNNING again and nothing is loaded twice.
    conn.close()
    fe.restart()
    conn = connect(fe)
    cur = conn.cursor()
    states = task_counts(cur)
    assert len(states) == JOBS + 1
    wait_until(lambda: {s for s, _ in task_counts(cur).values()} == {"RUNNING"}, timeout=30)
    time.sleep(2 * INTERVAL)
    assert all(n == ROWS + 1 for n in per_job_counts(cur).values())
    cur.execute("SELECT count(*) FROM m.big")
    assert cur.fetchone()[0] == BACKLOG
    conn.close()
