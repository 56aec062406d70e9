"""TLS: CLIENT_SSL is advertised because the upgrade works; the mysql CLI with --ssl, PyMySQL and
mysql-connector-python (TLS by default) talk over it; full caching_sha2 authentication runs only over
TLS; enable_ssl = false turns it off cleanly."""
import socket
import ssl
import struct
import time

import mysql.connector as connector
import pymysql

from conftest import FE, mysql
from test_robustness import raw_greeting


def insecure_context():
    ctx = ssl.create_default_context()
    ctx.check_hostname = False
    ctx.verify_mode = ssl.CERT_NONE
    return ctx


def capabilities(greeting):
    rest = greeting[1:].split(b"\0", 1)[1]
    low = struct.unpack("<H", rest[13:15])[0]
    high = struct.unpack("<H", rest[18:20])[0]
    return low | high << 16


def test_clients_negotiate_tls_with_the_generated_certificate(fe):
    s, g = raw_greeting(fe.port)
    s.close()
    assert capabilities(g) & 0x800, "CLIENT_SSL advertised"
    assert (fe.meta_dir / "tls" / "cert.pem").exists() and (fe.meta_dir / "tls" / "key.pem").exists()
    rc, out, err = mysql(fe.port, "SHOW SESSION STATUS LIKE 'Ssl_cipher'; SELECT @@have_ssl", extra=["--ssl"])
    assert rc == 0, err
    assert "Ssl_cipher\tTLS_" in out and "YES" in out
    c = pymysql.connect(host="127.0.0.1", port=fe.port, user="root", ssl=insecure_context(), max_allowed_packet=64 << 20)
    cur = c.cursor()
    cur.execute("SHOW STATUS LIKE 'Ssl_cipher'")
    assert cur.fetchone()[1].startswith("TLS_")
    cur.execute("SELECT '" + "x" * (17 << 20) + "'")                     # 16 MiB splitting inside TLS records
    assert len(cur.fetchone()[0]) == 17 << 20
    m = connector.connect(host="127.0.0.1", port=fe.port, user="root", use_pure=True)
    mc = m.cursor()
    mc.execute("SHOW STATUS LIKE 'Ssl_cipher'")
    assert mc.fetchall()[0][1].startswith("TLS_"), "mysql-connector-python uses TLS when offered"


def test_caching_sha2_full_authentication_runs_over_tls(fe):
    assert mysql(fe.port, "CREATE USER carol IDENTIFIED WITH mysql_native_password AS '*81F5E21E35407D884A6CD4A731AEBFB6AF209E1B'")[0] == 0
    m = connector.connect(host="127.0.0.1", port=fe.port, user="carol", password="root", use_pure=True, auth_plugin="caching_sha2_password")
    cur = m.cursor()
    cur.execute("SELECT CURRENT_USER()")
    assert cur.fetchall() == [("'carol'@'%'",)]
    m = connector.connect(host="127.0.0.1", port=fe.port, user="carol", password="root", use_pure=True,
                          auth_plugin="caching_sha2_password", ssl_disabled=True)
    m.close()                                                              # without TLS: switched to native, no cleartext


def test_a_client_that_dribbles_its_tls_handshake_is_closed_at_connect_timeout(tmp_path):
    """OpenSSL reads the socket itself and waits for a whole record: a byte every 0.3 s would keep it reading forever
    without the login deadline kept from outside the connection's thread."""
    fe = FE(tmp_path / "meta", config="connect_timeout_second = 2\n").start()
    try:
        s, _ = raw_greeting(fe.port)
        ssl_request = struct.pack("<IIB", 0x800 | 0x200 | 0x8000, 16 << 20, 33) + b"\0" * 23   # CLIENT_SSL, PROTOCOL_41
        s.sendall(struct.pack("<I", len(ssl_request))[:3] + b"\x01" + ssl_request)
        hello = b"\x16\x03\x01\x02\x00" + b"\x01" * 512                  # a ClientHello record's start, never complete
        s.settimeout(0.3)
        start, closed = time.time(), False
        for byte in hello:
            try:
                s.send(bytes([byte]))
                closed = s.recv(1) == b""
            except socket.timeout:
                pass
            except OSError:
                closed = True
            if closed or time.time() - start > 10:
                break
        assert closed, "the dribbling client was never closed"
        assert time.time() - start < 6
        assert mysql(fe.port, "SELECT 1", extra=["--ssl"])[0] == 0           # and the FE serves everyone else
    finally:
        fe.stop()


def test_ssl_can_be_disabled(tmp_path):
    fe = FE(tmp_path / "meta", config="enable_ssl = false\n").start()
    try:
        s, g = raw_greeting(fe.port)
        s.close()
        assert not capabilities(g) & 0x800
        rc, out, _ = mysql(fe.port, "SELECT @@have_ssl")
        assert "DISABLED" in out
        c = pymysql.connect(host="127.0.0.1", port=fe.port, user="root")
        c.cursor().execute("SELECT 1")
    finally:
        fe.stop()


def test_answers_larger_than_the_send_buffer_arrive_whole_over_tls_and_plain(fe):
    # Answers past 256 KiB leave while the rest is still written: rows, result sets of a multi-statement query and
    # prepared-statement (binary) rows must arrive whole and in order, over TLS and without.
    c = pymysql.connect(host="127.0.0.1", port=fe.port, user="root", ssl=insecure_context(), autocommit=True,
                        client_flag=pymysql.constants.CLIENT.MULTI_STATEMENTS)
    cur = c.cursor()
    cur.execute("CREATE DATABASE big")
    cur.execute("CREATE TABLE big.t (id INT NOT NULL, s VARCHAR(300)) DUPLICATE KEY(id) DISTRIBUTED BY HASH(id)")
    rows = [(i, f"{i:06d}" + "abcdefghij" * 25) for i in range(6000)]          # ~1.5 MB of text rows
    for k in range(0, len(rows), 1000):
        cur.execute("INSERT INTO big.t VALUES " + ",".join(f"({i}, '{s}')" for i, s in rows[k:k + 1000]))
    query = "SELECT id, s FROM big.t ORDER BY id"
    cur.execute(query + "; SELECT count(*) FROM big.t; " + query)
    assert cur.fetchall() == tuple(rows)
    assert cur.nextset() and cur.fetchall() == ((6000,),)
    assert cur.nextset() and cur.fetchall() == tuple(rows)
    cur.execute("SELECT 1")                                                 # the session goes on after the large answers
    assert cur.fetchall() == ((1,),)
    plain = pymysql.connect(host="127.0.0.1", port=fe.port, user="root", ssl_disabled=True).cursor()
    plain.execute(query)
    assert plain.fetchall() == tuple(rows)
    m = connector.connect(host="127.0.0.1", port=fe.port, user="root", use_pure=True)
    prepared = m.cursor(prepared=True)                                      # COM_STMT_EXECUTE: binary rows, over TLS
    prepared.execute("SELECT id, s FROM big.t WHERE id >= ? ORDER BY id", (0,))
    assert [tuple(r) for r in prepared.fetchall()] == rows
    rc, out, err = mysql(fe.port, query, extra=["--ssl", "--skip-column-names"])
    assert rc == 0, err
    assert out.splitlines() == [f"{i}\t{s}" for i, s in rows]
