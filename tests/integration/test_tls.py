"""TLS: CLIENT_SSL is advertised because the upgrade works; the mysql CLI with --ssl, PyMySQL and
mysql-connector-python (TLS by default) talk over it; full caching_sha2 authentication runs only over
TLS; enable_ssl = false turns it off cleanly."""
import ssl
import struct

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
