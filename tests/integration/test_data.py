"""Table data through the one write path: INSERT commits a segment, the next SELECT on any
connection sees it, key models merge as StarRocks documents, and restarts keep everything."""
import os
import signal

import pymysql

from conftest import SEEDS_DDL, mysql

KEY_MODELS = """
CREATE DATABASE km;
USE km;
CREATE TABLE dup (k INT, v INT) DUPLICATE KEY(k) DISTRIBUTED BY HASH(k);
CREATE TABLE agg (k VARCHAR(10), s BIGINT SUM, mx INT MAX, mn INT MIN, r INT REPLACE, rn INT REPLACE_IF_NOT_NULL)
  AGGREGATE KEY(k) DISTRIBUTED BY HASH(k);
CREATE TABLE uni (k INT NOT NULL, v VARCHAR(10)) UNIQUE KEY(k) DISTRIBUTED BY HASH(k);
CREATE TABLE pk (k INT NOT NULL, v VARCHAR(10)) PRIMARY KEY(k) DISTRIBUTED BY HASH(k);
"""

ROWS = [
    "INSERT INTO dup VALUES (1, 10), (1, 10), (2, NULL)",
    "INSERT INTO agg VALUES ('a', 1, 5, 5, 1, 1), ('b', 7, 1, 1, 1, 1)",
    "INSERT INTO agg VALUES ('a', 2, 9, 3, NULL, NULL), ('a', 3, 1, 1, 4, 4)",
    "INSERT INTO uni VALUES (1, 'one'), (2, 'two')",
    "INSERT INTO uni VALUES (1, 'uno')",
    "INSERT INTO pk VALUES (1, 'one'), (2, 'two'), (1, 'eins')",
]

EXPECTED = {
    "SELECT * FROM dup ORDER BY k, v": "1\t10\n1\t10\n2\tNULL",
    "SELECT * FROM agg ORDER BY k": "a\t6\t9\t1\t4\t4\nb\t7\t1\t1\t1\t1",
    "SELECT * FROM uni ORDER BY k": "1\tuno\n2\ttwo",
    "SELECT * FROM pk ORDER BY k": "1\teins\n2\ttwo",
}


def body(out):
    return "\n".join(out.strip().split("\n")[1:])


def test_insert_reports_label_and_rows_and_select_sees_them_on_another_connection(fe):
    assert mysql(fe.port, SEEDS_DDL)[0] == 0
    writer = pymysql.connect(host="127.0.0.1", port=fe.port, user="root", database="automq_db", autocommit=True)
    reader = pymysql.connect(host="127.0.0.1", port=fe.port, user="root", database="automq_db", autocommit=True)
    cur = writer.cursor()
    n = cur.execute("insert into users values (1, 'testuser', '2023-11-10T12:00:00', 'active'), (2, 'testuser', '2023-11-10T12:00:00', 'active')")
    assert n == 2
    rc, out, err = mysql(fe.port, "insert into automq_db.users values (3, 'x', NULL, NULL)", extra=["-vv"])
    assert "Query OK, 1 row affected" in out and "'status':'VISIBLE'" in out and "{'label':'insert_" in out, out + err
    rcur = reader.cursor()
    rcur.execute("select * from users order by id")
    assert rcur.fetchall() == ((1, "testuser", "2023-11-10T12:00:00", "active"), (2, "testuser", "2023-11-10T12:00:00", "active"),
                               (3, "x", None, None))
    rcur.execute("select count(*), max(name) from users where status = 'active'")
    assert rcur.fetchone() == (2, "testuser")


def test_key_models_merge_like_starrocks_and_survive_restart_and_cache_loss(fe):
    assert mysql(fe.port, KEY_MODELS)[0] == 0
    for sql in ROWS:
        rc, _, err = mysql(fe.port, sql, db="km")
        assert rc == 0, (sql, err)

    def check():
        for sql, expected in EXPECTED.items():
            rc, out, err = mysql(fe.port, sql, db="km")
            assert rc == 0, err
            assert body(out) == expected, sql

    check()
    fe.restart(signal.SIGKILL)
    check()
    fe.stop()
    for f in os.listdir(fe.meta_dir):
        if f.startswith("cache.sqlite"):
            os.remove(fe.meta_dir / f)                  # the cache is disposable: rebuilt from manifest + segments
    fe.start()
    check()


def test_types_conversions_defaults_and_errors(fe):
    rc, _, err = mysql(fe.port, """
        CREATE DATABASE t; USE t;
        CREATE TABLE typed (id BIGINT NOT NULL AUTO_INCREMENT, d DATE, dt DATETIME DEFAULT CURRENT_TIMESTAMP, dec DECIMAL(10, 2),
                            b BOOLEAN, s VARCHAR(5) DEFAULT 'x', f DOUBLE) PRIMARY KEY(id) DISTRIBUTED BY HASH(id);
        INSERT INTO typed (d, dec, b, f) VALUES ('20240229', '12.345', 'true', 1.5), ('2024-01-02', 7, 0, NULL);
    """)
    assert rc == 0, err
    c = pymysql.connect(host="127.0.0.1", port=fe.port, user="root", database="t")
    cur = c.cursor()
    cur.execute("SELECT id, d, dec, b, s, f, dt IS NOT NULL FROM typed ORDER BY id")
    rows = cur.fetchall()
    import datetime
    import decimal
    assert rows == ((1, datetime.date(2024, 2, 29), decimal.Decimal("12.35"), 1, "x", 1.5, 1),
                    (2, datetime.date(2024, 1, 2), decimal.Decimal("7.00"), 0, "x", None, 1))
    assert [d[1] for d in cur.description][:4] == [pymysql.FIELD_TYPE.LONGLONG, pymysql.FIELD_TYPE.DATE,
                                                   pymysql.FIELD_TYPE.NEWDECIMAL, pymysql.FIELD_TYPE.TINY]
    failures = {
        "INSERT INTO typed (d) VALUES ('2023-02-30')": "row 1 column 'd': '2023-02-30' is not a valid date",
        "INSERT INTO typed (s) VALUES ('toolong')": "row 1 column 's': value is 7 bytes, longer than varchar(5)",
        "INSERT INTO typed (d) VALUES ('2023-01-01', 1)": "Column count doesn't match value count",
        "INSERT INTO typed (nope) VALUES (1)": "Unknown column 'nope' in 'typed'",
        "INSERT INTO typed (d, s) SELECT '2023-01-01'": "Inserted target column count: 2 doesn't match select/value column count: 1",
    }
    for sql, text in failures.items():
        try:
            cur.execute(sql)
            raise AssertionError(f"{sql} should fail")
        except pymysql.MySQLError as e:
            assert text in e.args[1], (sql, e.args)
    cur.execute("SELECT COUNT(*) FROM typed")
    assert cur.fetchone() == (2,), "failed inserts load nothing"


def test_insert_select_truncate_and_drop(fe):
    assert mysql(fe.port, SEEDS_DDL)[0] == 0
    rc, out, err = mysql(fe.port, """
        INSERT INTO example_db.example_tbl1 VALUES (1, '2023-01-01', 'ann', 'JP', 10.5), (2, '2023-01-02', 'bob', 'US', 20);
        INSERT INTO example_db.example_tbl2 (commodity_id, customer_name, country, pay_time, pay_dt, price)
            SELECT CONCAT('c', order_id), customer_name, nationality, order_id * 100, pay_dt, price FROM example_db.example_tbl1;
        INSERT INTO example_db.example_tbl2 SELECT commodity_id, customer_name, country, pay_time, pay_dt, price FROM example_db.example_tbl2;
        SELECT commodity_id, price FROM example_db.example_tbl2 ORDER BY 1;
        SELECT t1.customer_name, t2.price FROM example_db.example_tbl1 t1 JOIN example_db.example_tbl2 t2 ON t2.commodity_id = CONCAT('c', t1.order_id) ORDER BY 1;
        TRUNCATE TABLE example_db.example_tbl1;
        SELECT COUNT(*) FROM example_db.example_tbl1;
    """)
    assert rc == 0, err
    assert "c1\t21\nc2\t40" in out                              # AGG SUM doubled by re-inserting itself
    assert "ann\t21\nbob\t40" in out
    assert out.strip().endswith("COUNT(*)\n0")
    storage = fe.meta_dir / "storage"
    assert any(storage.rglob("*.seg"))
    assert mysql(fe.port, "DROP DATABASE example_db")[0] == 0
    assert mysql(fe.port, "DROP TABLE automq_db.users")[0] == 0
    assert not any(storage.rglob("*.seg")), "dropped tables' segments are deleted"
