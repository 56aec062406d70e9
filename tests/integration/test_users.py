"""Users and privileges: accounts with both plugins, hashed storage, GRANT/REVOKE, StarRocks'
access-denied texts, what non-root users can see, and persistence across restarts."""
import signal
import sqlite3

import mysql.connector as connector
import pymysql
import pytest

from conftest import SEEDS_DDL, mysql


def connect(fe, user, password, **kw):
    return pymysql.connect(host="127.0.0.1", port=fe.port, user=user, password=password, autocommit=True, **kw)


def denied(privilege, obj):
    return (f"Access denied; you need (at least one of) the {privilege} privilege(s) on {obj} for this operation. "
            "Please ask the admin to grant permission(s) or try activating existing roles using <set [default] role>. "
            "Current role(s): NONE. Inactivated role(s): NONE.")


@pytest.fixture
def accounts(fe):
    rc, _, err = mysql(fe.port, SEEDS_DDL + """
        CREATE USER 'alice'@'%' IDENTIFIED BY 'a-secret';
        CREATE USER bob IDENTIFIED WITH caching_sha2_password BY 'b-secret';
        CREATE USER carol IDENTIFIED WITH mysql_native_password AS '*81F5E21E35407D884A6CD4A731AEBFB6AF209E1B';
        GRANT SELECT, INSERT ON quickstart.site_clicks TO 'alice'@'%';
        GRANT ALL ON example_db.* TO bob;
    """)
    assert rc == 0, err
    return fe


def test_passwords_are_stored_hashed_never_plaintext(accounts):
    db = sqlite3.connect(accounts.meta_dir / "catalog.sqlite")
    dump = "\n".join(db.iterdump())
    assert "a-secret" not in dump and "b-secret" not in dump
    assert db.execute("SELECT COUNT(*) FROM users WHERE native_hash IS NOT NULL").fetchone()[0] == 3


def test_both_plugins_and_hash_only_accounts_log_in(accounts):
    for user, pw in [("alice", "a-secret"), ("bob", "b-secret"), ("carol", "root")]:
        cur = connect(accounts, user, pw).cursor()
        cur.execute("SELECT CURRENT_USER()")
        assert cur.fetchone() == (f"'{user}'@'%'",)
    c = connector.connect(host="127.0.0.1", port=accounts.port, user="bob", password="b-secret", use_pure=True,
                                auth_plugin="caching_sha2_password")
    c.close()
    with pytest.raises(pymysql.err.OperationalError) as e:
        connect(accounts, "alice", "nope")
    assert e.value.args == (1045, "Access denied for user 'alice'@'127.0.0.1' (using password: YES)")
    rc, _, err = mysql(accounts.port, "select 1", user="bob", password="b-secret")
    assert rc == 0, err


def test_grants_allow_and_deny_with_starrocks_texts(accounts):
    alice = connect(accounts, "alice", "a-secret").cursor()
    alice.execute("INSERT INTO quickstart.site_clicks VALUES (1, 'a', 100)")
    alice.execute("SELECT * FROM quickstart.site_clicks")
    assert alice.fetchall() == ((1, "a", 100),)
    alice.execute("SHOW DATABASES")
    assert [r[0] for r in alice.fetchall()] == ["information_schema", "quickstart"]
    alice.execute("SELECT TABLE_NAME FROM information_schema.TABLES WHERE TABLE_SCHEMA NOT IN ('information_schema')")
    assert alice.fetchall() == (("site_clicks",),)
    cases = {
        "SELECT * FROM automq_db.users": (5203, denied("SELECT", "TABLE users")),
        "INSERT INTO automq_db.users VALUES (1, 'x', NULL, NULL)": (5203, denied("INSERT", "TABLE users")),
        "CREATE DATABASE nope": (5203, denied("CREATE DATABASE", "SYSTEM")),
        "CREATE TABLE quickstart.t (a INT)": (5203, denied("CREATE TABLE", "DATABASE quickstart")),
        "DROP TABLE quickstart.site_clicks": (5203, denied("DROP", "TABLE site_clicks")),
        "TRUNCATE TABLE quickstart.site_clicks": (5203, denied("DELETE", "TABLE site_clicks")),
        "CREATE USER eve": (5203, denied("GRANT", "SYSTEM")),
        "USE automq_db": (1044, "Access denied for user 'alice'@'%' to database 'automq_db'"),
    }
    for sql, expected in cases.items():
        with pytest.raises(pymysql.MySQLError) as e:
            alice.execute(sql)
        assert e.value.args == expected, sql
    bob = connect(accounts, "bob", "b-secret").cursor()
    bob.execute("INSERT INTO example_db.sensor_log VALUES (1, 'n', true, 1.5, 't')")
    bob.execute("CREATE TABLE example_db.mine (a INT)")
    bob.execute("DROP TABLE example_db.mine")


def test_show_grants_revoke_password_and_drop_survive_restart(accounts):
    rc, out, _ = mysql(accounts.port, "SHOW GRANTS FOR alice; SHOW GRANTS FOR bob; SHOW GRANTS")
    assert "'alice'@'%'\tdefault_catalog\tGRANT INSERT, SELECT ON TABLE quickstart.site_clicks TO USER 'alice'@'%'" in out
    assert "GRANT ALL ON example_db.* TO USER 'bob'@'%'" in out
    assert "'root'@'%'\tNULL\tGRANT 'root' TO 'root'@'%'" in out
    rc, _, err = mysql(accounts.port, "REVOKE INSERT ON quickstart.site_clicks FROM alice; SET PASSWORD FOR alice = PASSWORD('new-one'); DROP USER carol;")
    assert rc == 0, err
    accounts.restart(signal.SIGKILL)
    alice = connect(accounts, "alice", "new-one").cursor()
    with pytest.raises(pymysql.MySQLError) as e:
        alice.execute("INSERT INTO quickstart.site_clicks VALUES (2, 'b', 1)")
    assert e.value.args[0] == 5203
    alice.execute("SET PASSWORD = PASSWORD('own-choice')")
    connect(accounts, "alice", "own-choice").close()
    with pytest.raises(pymysql.err.OperationalError):
        connect(accounts, "carol", "root")
    rc, _, err = mysql(accounts.port, "CREATE USER alice; DROP USER carol; DROP USER root")
    assert "user 'alice'@'%' already exists!" in err
    rc, _, err = mysql(accounts.port, "DROP USER carol")
    assert "cannot find user 'carol'@'%'!" in err
    rc, _, err = mysql(accounts.port, "DROP USER root")
    assert "ERROR 1396 (HY000)" in err


def test_non_root_sees_only_own_connections(accounts):
    admin = connect(accounts, "root", "")
    alice = connect(accounts, "alice", "a-secret")
    cur = alice.cursor()
    cur.execute("SHOW PROCESSLIST")
    assert {r[1] for r in cur.fetchall()} == {"alice"}
    with pytest.raises(pymysql.MySQLError) as e:
        cur.execute(f"KILL {admin.thread_id()}")
    assert e.value.args == (1095, f"You are not owner of thread {admin.thread_id()}")
