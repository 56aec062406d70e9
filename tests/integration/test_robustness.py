"""Bad input and hostile clients: nothing crashes the FE, a bad connection never blocks others,
idle and half-finished connections are cleaned up."""
import os
import random
import socket
import struct
import threading
import time

import pymysql
import pytest

from conftest import FE, mysql


def connect(fe, **kw):
    return pymysql.connect(host="127.0.0.1", port=fe.port, user="root", **kw)


def raw_greeting(port):
    s = socket.create_connection(("127.0.0.1", port), timeout=5)
    header = s.recv(4)
    length = header[0] | header[1] << 8 | header[2] << 16
    payload = b""
    while len(payload) < length:
        payload += s.recv(length - len(payload))
    return s, payload


def test_greeting_bytes_follow_the_reference(fe):
    s, g = raw_greeting(fe.port)
    s.close()
    assert g[0] == 10
    version, rest = g[1:].split(b"\0", 1)
    assert version == b"8.0.33"
    assert rest[4 + 8] == 0                        # filler after scramble part 1
    assert rest[4 + 8 + 1 + 2] == 33               # charset
    assert rest[4 + 8 + 1 + 2 + 1 + 2 + 2] == 21   # auth_plugin_data_len
    assert rest.endswith(b"mysql_native_password\0")


def test_bad_statement_keeps_the_connection_usable(fe):
    c = connect(fe)
    cur = c.cursor()
    for bad in ["selec 1", "select * from nosuch.t", "select (((1", "\x00\x01\x02", "SET nosuch = 1"]:
        try:
            cur.execute(bad)
        except pymysql.MySQLError as e:
            assert e.args[0] in (1064, 5501, 1193, 1046), e
    cur.execute("select 7")
    assert cur.fetchone() == (7,)


def test_random_bytes_and_malformed_packets_close_only_their_connection(fe):
    survivor = connect(fe)
    rng = random.Random(1234)
    for i in range(60):
        s, _ = raw_greeting(fe.port)
        if i % 3 == 0:
            junk = os.urandom(rng.randint(1, 400))                              # garbage instead of a handshake
        elif i % 3 == 1:
            junk = struct.pack("<I", 0xFFFFFF)[:3] + b"\x01" + os.urandom(100)  # frame that never completes
        else:
            junk = b"\x05\x00\x00\x01\xff\xff\xff\xff\xff"                       # short, nonsense handshake
        s.sendall(junk)
        s.close()
    cur = survivor.cursor()
    cur.execute("select 'still here'")
    assert cur.fetchone() == ("still here",)
    assert fe.alive()


def test_garbage_commands_after_login_are_answered_or_close_only_that_connection(fe):
    for _ in range(30):
        c = connect(fe)
        sock = c._sock
        payload = os.urandom(random.randint(1, 50))
        sock.sendall(struct.pack("<I", len(payload))[:3] + b"\x00" + payload)
        sock.settimeout(2)
        try:
            sock.recv(4096)
        except OSError:
            pass
        sock.close()
    assert mysql(fe.port, "select 1")[0] == 0


def test_deep_nesting_and_huge_statements_get_errors_not_crashes(fe):
    c = connect(fe, max_allowed_packet=64 << 20)
    cur = c.cursor()
    for shape in [("(", ")"), ("NOT ", ""), ("- ", ""), ("(SELECT ", ")"), ("CASE WHEN 1 THEN ", " END")]:
        try:
            cur.execute("SELECT " + shape[0] * 100000 + "1" + shape[1] * 100000)
        except pymysql.MySQLError as e:
            assert e.args[0] == 1064 and "nested too deeply" in e.args[1]
    cur.execute("SELECT '" + "x" * (1 << 20) + "' AS one_mb")
    assert len(cur.fetchone()[0]) == 1 << 20
    cur.execute("SELECT '" + "y" * (17 << 20) + "' AS seventeen_mb")       # 16 MiB packet splitting both ways
    assert len(cur.fetchone()[0]) == 17 << 20
    n = (16 << 20) - 1 - len("SELECT '' AS h") - 1                          # payload of exactly 0xFFFFFF bytes
    cur.execute("SELECT '" + "z" * n + "' AS h")
    assert len(cur.fetchone()[0]) == n
    assert fe.alive()


def test_many_concurrent_connections_while_one_client_stalls(fe):
    stalled = socket.create_connection(("127.0.0.1", fe.port))              # connects, never answers the greeting
    c = connect(fe)
    big = c.cursor()
    # A client that sends a query producing a large answer and does not read it.
    lazy = socket.create_connection(("127.0.0.1", fe.port))
    errors = []

    def worker(n):
        try:
            conn = connect(fe, database=None)
            cur = conn.cursor()
            for i in range(20):
                cur.execute("SELECT %s + %s", (n, i))
                assert cur.fetchone() == (n + i,)
            conn.close()
        except Exception as e:  # noqa: BLE001 - collected and asserted below
            errors.append(e)

    threads = [threading.Thread(target=worker, args=(n,)) for n in range(64)]
    start = time.time()
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert not errors, errors[:3]
    assert time.time() - start < 30
    big.execute("SELECT 1")
    stalled.close()
    lazy.close()


def test_handshake_timeout_and_idle_wait_timeout_close_connections(tmp_path):
    fe = FE(tmp_path / "meta", config="connect_timeout_second = 1\n").start()
    try:
        s = socket.create_connection(("127.0.0.1", fe.port), timeout=10)
        s.recv(1024)                                                         # greeting, then silence
        t0 = time.time()
        assert s.recv(1024) == b""                                           # server closed it
        assert time.time() - t0 < 5
        c = pymysql.connect(host="127.0.0.1", port=fe.port, user="root")
        cur = c.cursor()
        cur.execute("SET wait_timeout = 1")
        time.sleep(3)
        try:
            cur.execute("SELECT 1")
            closed = False
        except pymysql.err.OperationalError:
            closed = True
        assert closed, "idle connection past wait_timeout must be closed"
    finally:
        fe.stop()


def test_sockets_that_never_log_in_count_toward_qe_max_connection(tmp_path):
    """Each socket holds a thread until it logs in or its connect timeout passes, so every open socket counts: past
    the limit a client gets ERR 1040 at once (no greeting, no thread), one host's sockets that have not logged in take
    at most a sixteenth of the places (at least 16), and places come back as sockets close."""
    fe = FE(tmp_path / "meta", config="qe_max_connection = 20\nconnect_timeout_second = 12\n").start()
    held, others = [], []

    def connect_soon(**kw):                                   # a place given back shows up within a moment
        deadline = time.time() + 5
        while True:
            try:
                return connect(fe, **kw)
            except pymysql.err.OperationalError:
                assert time.time() < deadline, "a place did not come back after its socket closed"
                time.sleep(0.1)

    def refused(**kw):
        with pytest.raises(pymysql.err.OperationalError) as e:
            connect(fe, connect_timeout=5, **kw)
        return e.value.args[0]
    try:
        time.sleep(0.5)                                       # the start probe's socket has been closed
        opened = time.time()
        for _ in range(16):
            s, greeting = raw_greeting(fe.port)               # admitted: a greeting, and silence from us
            assert greeting[0] == 10
            held.append(s)
        for _ in range(10):                                   # this host has its share of sockets logging in
            assert refused() == 1040
        others = [connect(fe, bind_address="127.0.0.2") for _ in range(4)]    # another host still gets in: 20 open
        for _ in range(10):                                   # and past the limit everyone is refused
            assert refused(bind_address="127.0.0.3") == 1040
        rc, _, err = mysql(fe.port, "SELECT 1")
        assert rc != 0 and "Too many connections" in err, err
        for s in held[:5]:
            s.close()
        five = [connect_soon() for _ in range(5)]             # exactly the five places given back
        assert refused(bind_address="127.0.0.3") == 1040
        assert time.time() - opened < 12, "the silent sockets timed out before the check above (machine too slow)"
        cur = five[0].cursor()
        cur.execute("SELECT 1")
        assert cur.fetchone() == (1,)
        for c in five + others:
            c.close()
        time.sleep(max(0.0, opened + 13 - time.time()))       # the silent sockets pass connect_timeout_second
        others = [connect_soon() for _ in range(20)]
        assert all(o.open for o in others)
        assert fe.alive()
    finally:
        for c in others:
            c.close()
        for s in held:
            s.close()
        fe.stop()


def test_running_out_of_descriptors_pauses_accepts_instead_of_spinning(tmp_path):
    """With a tiny open-file limit the FE warns at start; clients past the descriptors wait in the backlog while
    accepts pause (no core spins on a failing accept), and once sockets close, logins work again."""
    import resource
    fe = FE(tmp_path / "meta", config="connect_timeout_second = 30\n")
    fe.preexec = lambda: resource.setrlimit(resource.RLIMIT_NOFILE, (96, 96))
    fe.start()
    held = []
    try:
        assert "open-file limit (96) is below qe_max_connection" in fe.logs()
        for _ in range(120):
            held.append(socket.create_connection(("127.0.0.1", fe.port), timeout=5))
        time.sleep(1)
        ticks = lambda: sum(int(x) for x in open(f"/proc/{fe.proc.pid}/stat").read().rsplit(")", 1)[1].split()[11:13])
        before = ticks()
        time.sleep(2)
        assert ticks() - before < 0.5 * os.sysconf("SC_CLK_TCK"), "accept must not spin while descriptors are out"
        assert "accepts pause 100 ms at a time" in fe.logs()
        for s in held:
            s.close()
        held.clear()
        deadline = time.time() + 20
        while True:
            try:
                c = connect(fe)
                break
            except pymysql.err.OperationalError:
                assert time.time() < deadline, "logins did not come back once descriptors were free"
                time.sleep(0.2)
        cur = c.cursor()
        cur.execute("SELECT 1")
        assert cur.fetchone() == (1,)
        c.close()
        assert fe.alive()
    finally:
        for s in held:
            s.close()
        fe.stop()


def test_processlist_and_kill(fe):
    victim = connect(fe, database=None)
    vid = victim.thread_id()
    admin = connect(fe)
    cur = admin.cursor()
    cur.execute("SHOW PROCESSLIST")
    rows = cur.fetchall()
    assert [d[0] for d in cur.description] == ["Id", "User", "Host", "Db", "Command", "ConnectionStartTime", "Time", "State", "Info", "IsPending"]
    assert {r[0] for r in rows} >= {vid, admin.thread_id()}
    mine = [r for r in rows if r[0] == admin.thread_id()][0]
    assert mine[4] == "Query" and mine[8] == "SHOW PROCESSLIST"
    cur.execute(f"KILL {vid}")
    time.sleep(0.3)
    try:
        victim.cursor().execute("SELECT 1")
        killed = False
    except pymysql.err.OperationalError:
        killed = True
    assert killed
    try:
        cur.execute("KILL 999999")
    except pymysql.MySQLError as e:
        assert e.args == (1094, "Unknown thread id: 999999")


def test_processlist_masks_the_secrets_of_a_running_statement(fe):
    """A statement's text is kept as sent and masked when SHOW PROCESSLIST reads it (not on every query)."""
    setup = connect(fe)
    with setup.cursor() as c:
        c.execute("CREATE DATABASE IF NOT EXISTS plmask")
        c.execute("CREATE TABLE IF NOT EXISTS plmask.t (k INT) DUPLICATE KEY(k) DISTRIBUTED BY HASH(k)")
        c.execute("INSERT INTO plmask.t VALUES " + ", ".join(f"({i})" for i in range(400)))
    runner, admin = connect(fe), connect(fe)
    failure = []

    def slow():                                     # 64M combinations: seconds, unless KILL QUERY stops it
        try:
            with runner.cursor() as c:
                c.execute("""SELECT count(*) FROM plmask.t a, plmask.t b, plmask.t c
                             WHERE "aws.s3.secret_key" = 'hunter2' OR a.k + b.k + c.k >= 0""")
        except pymysql.MySQLError as e:
            if e.args[0] != 1317:                   # "Query execution was interrupted": our KILL QUERY below
                failure.append(e)
    thread = threading.Thread(target=slow, daemon=True)
    thread.start()
    try:
        cur = admin.cursor()
        running = []
        for _ in range(100):
            cur.execute("SHOW FULL PROCESSLIST")
            running = [r for r in cur.fetchall() if r[0] == runner.thread_id() and r[4] == "Query"]
            if running or failure:
                break
            time.sleep(0.02)
        assert not failure, failure
        assert running, "the slow statement never showed in SHOW PROCESSLIST"
        info = running[0][8]
        assert "hunter2" not in info and """"aws.s3.secret_key" = '******'""" in info, info
        cur.execute("SHOW PROCESSLIST")             # the short form masks too
        short = [r for r in cur.fetchall() if r[0] == runner.thread_id()][0][8]
        assert short is None or "hunter2" not in short, short
    finally:
        admin.cursor().execute(f"KILL QUERY {runner.thread_id()}")
        thread.join(30)
        for c in (setup, runner, admin):
            c.close()
    assert not failure, failure


def test_multi_statements_return_one_result_each_and_stop_at_the_first_error(fe):
    c = pymysql.connect(host="127.0.0.1", port=fe.port, user="root", client_flag=pymysql.constants.CLIENT.MULTI_STATEMENTS)
    cur = c.cursor()
    cur.execute("SELECT 1; SELECT 2, 3; SET @x = 5")
    assert cur.fetchall() == ((1,),)
    assert cur.nextset()
    assert cur.fetchall() == ((2, 3),)
    rc, out, err = mysql(fe.port, "select 1; select nosuch; select 3")
    assert out.split() == ["1", "1"] and "ERROR 5509" in err


def test_a_client_gone_in_the_middle_of_a_large_answer_stops_its_statements_and_gives_its_place_back(fe):
    # A large answer leaves in parts while it is written. When the client resets the connection right after sending a
    # multi-statement query, a part fails to go out: the statements after it do not run, and the connection keeps its
    # place until its thread is done, then gives it back.
    c = connect(fe, autocommit=True)
    cur = c.cursor()
    cur.execute("CREATE DATABASE gone")
    cur.execute("CREATE TABLE gone.big (id INT NOT NULL, s VARCHAR(300)) DUPLICATE KEY(id) DISTRIBUTED BY HASH(id)")
    cur.execute("CREATE TABLE gone.marks (id INT NOT NULL) DUPLICATE KEY(id) DISTRIBUTED BY HASH(id)")
    for k in range(0, 8000, 1000):
        cur.execute("INSERT INTO gone.big VALUES " + ",".join(f"({i}, '{'z' * 250}')" for i in range(k, k + 1000)))
    for attempt in range(3):
        leaving = connect(fe, client_flag=pymysql.constants.CLIENT.MULTI_STATEMENTS)
        leaving._execute_command(pymysql.constants.COMMAND.COM_QUERY,
                                 "SELECT * FROM gone.big; SELECT * FROM gone.big; SELECT * FROM gone.big; "
                                 f"INSERT INTO gone.marks VALUES ({attempt})")
        leaving._sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))   # close with a reset
        leaving._rfile.close()                                              # PyMySQL's reader holds the descriptor too
        leaving._sock.close()
    deadline = time.time() + 10
    while time.time() < deadline:
        cur.execute("SHOW STATUS LIKE 'Threads_connected'")
        if cur.fetchone()[1] == "1":
            break
        time.sleep(0.1)
    cur.execute("SHOW STATUS LIKE 'Threads_connected'")
    connected = cur.fetchone()[1]
    cur.execute("SHOW FULL PROCESSLIST")
    assert connected == "1", f"every reset connection gave its place back: {cur.fetchall()}"
    cur.execute("SELECT count(*) FROM gone.marks")
    assert cur.fetchone() == (0,), "no statement ran after the client was gone"
    cur.execute("SELECT count(*) FROM gone.big")
    assert cur.fetchone() == (8000,)
