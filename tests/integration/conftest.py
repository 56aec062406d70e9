"""Fixtures that run a real tributary-fe process on a free port with a temporary meta_dir."""
import os
import pathlib
import signal
import socket
import subprocess
import time

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[2]
BINARY = os.environ.get("TRIBUTARY_FE", str(ROOT / ".build" / "debug" / "tributary-fe"))


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class FE:
    """A running tributary-fe; restart() keeps meta_dir, so the catalog must survive."""

    # Tests that create routine-load jobs against unreachable brokers expect them to stay NEED_SCHEDULE:
    # the scheduler round is pushed out unless a test asks for it.
    DEFAULT_CONFIG = "routine_load_scheduler_interval_second = 3600\n"

    def __init__(self, meta_dir: pathlib.Path, config: str | None = None):
        self.meta_dir = meta_dir
        self.port = free_port()
        self.http_port = free_port()
        self.config = meta_dir.parent / f"fe-{self.port}.conf"
        self.config.write_text(self.DEFAULT_CONFIG + f"http_port = {self.http_port}\n" + (config or ""))
        self.log_path = meta_dir.parent / f"fe-{self.port}.log"
        self.proc = None
        self.preexec = None                         # runs in the child before exec (e.g. to set rlimits)

    def start(self):
        args = [BINARY, "--meta-dir", str(self.meta_dir), "--query-port", str(self.port), "--config", str(self.config)]
        self.log = open(self.log_path, "ab")
        self.proc = subprocess.Popen(args, stdout=self.log, stderr=self.log, cwd=self.meta_dir.parent, preexec_fn=self.preexec)
        deadline = time.time() + 20
        while time.time() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"tributary-fe exited: {self.log_path.read_text()}")
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=0.2).close()
                return self
            except OSError:
                time.sleep(0.05)
        raise RuntimeError("tributary-fe did not start listening")

    def stop(self, sig=signal.SIGTERM):
        if self.proc and self.proc.poll() is None:
            self.proc.send_signal(sig)
            self.proc.wait(timeout=30)              # SIGTERM drains running tasks (shutdown_grace_second)
        self.log.close()

    def restart(self, sig=signal.SIGTERM):
        self.stop(sig)
        return self.start()

    def alive(self) -> bool:
        return self.proc.poll() is None

    def logs(self) -> str:
        return self.log_path.read_text(errors="replace")


@pytest.fixture
def fe(tmp_path):
    server = FE(tmp_path / "meta").start()
    yield server
    server.stop(signal.SIGKILL)


def mysql(port, sql, db=None, user="root", password=None, extra=()):
    """Runs the real mysql (MariaDB) CLI in batch mode; returns (returncode, stdout, stderr)."""
    args = ["mysql", "-h", "127.0.0.1", "-P", str(port), "-u", user, "--batch"] + list(extra)
    if password is not None:
        args.append(f"--password={password}")
    if db:
        args.append(db)
    p = subprocess.run(args, input=sql, capture_output=True, text=True, timeout=60)
    return p.returncode, p.stdout, p.stderr


SEEDS_DDL = """
create database automq_db;
use automq_db;
create table users (
  id bigint NOT NULL,
  name string NOT NULL,
  timestamp string NULL,
  status string NULL
) PRIMARY KEY (id)
DISTRIBUTED BY HASH(id)
PROPERTIES (
  "enable_persistent_index" = "true"
);
CREATE DATABASE IF NOT EXISTS quickstart;
USE quickstart;
CREATE TABLE site_clicks (
    `uid` bigint NOT NULL COMMENT "uid",
    `site` string NOT NULL COMMENT "site url",
    `vtime` bigint NOT NULL COMMENT "vtime"
)
DISTRIBUTED BY HASH(`uid`)
PROPERTIES("replication_num"="1");
CREATE DATABASE example_db;
CREATE TABLE example_db.example_tbl1 ( 
    `order_id` bigint NOT NULL COMMENT "注文番号",
    `pay_dt` date NOT NULL COMMENT "支払い日", 
    `customer_name` varchar(26) NULL COMMENT "顧客名", 
    `nationality` varchar(26) NULL COMMENT "国籍", 
    `price`double NULL COMMENT "支払い金額"
) 
ENGINE=OLAP 
DUPLICATE KEY (order_id,pay_dt) 
DISTRIBUTED BY HASH(`order_id`); 
USE example_db;
CREATE TABLE `example_tbl2` ( 
    `commodity_id` varchar(26) NULL COMMENT "商品ID", 
    `customer_name` varchar(26) NULL COMMENT "顧客名", 
    `country` varchar(26) NULL COMMENT "顧客国籍", 
    `pay_time` bigint(20) NULL COMMENT "支払時間", 
    `pay_dt` date NULL COMMENT "支払日", 
    `price` double SUM NULL COMMENT "支払金額"
)
ENGINE=OLAP
AGGREGATE KEY(`commodity_id`,`customer_name`,`country`,`pay_time`,`pay_dt`) 
DISTRIBUTED BY HASH(`commodity_id`); 
CREATE TABLE example_db.sensor_log ( 
    `id` bigint NOT NULL COMMENT "センサーID",
    `name` varchar(26) NOT NULL COMMENT "センサー名", 
    `checked` boolean NOT NULL COMMENT "チェック済み", 
    `data` double NULL COMMENT "センサーデータ", 
    `sensor_type` varchar(26) NOT NULL COMMENT "センサータイプ"
) 
ENGINE=OLAP 
DUPLICATE KEY (id) 
DISTRIBUTED BY HASH(`id`); 
"""
