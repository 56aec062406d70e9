"""A MariaDB server started for a benchmark run, the reference the benchmarks print their ratios against
(bench/mysql_qps, bench/jobs). Imported by those scripts; not run on its own."""
import pathlib
import socket
import subprocess
import sys
import time


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_port(port, proc, what):
    for _ in range(600):
        if proc.poll() is not None:
            sys.exit(f"{what} exited early")
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            return
        except OSError:
            time.sleep(0.1)
    sys.exit(f"{what} did not start")


def start(work: pathlib.Path, tls: bool = False):
    """mariadbd on a fresh datadir under `work` (root without a password; a self-signed certificate when `tls`);
    returns (process, port) once it accepts connections."""
    port, datadir = free_port(), work / "mariadb"
    subprocess.run(["mariadb-install-db", f"--datadir={datadir}", "--auth-root-authentication-method=normal",
                    "--user=root", "--skip-test-db"], check=True, capture_output=True)
    args = ["/usr/sbin/mariadbd", "--no-defaults", f"--datadir={datadir}", f"--port={port}", f"--socket={work}/mariadb.sock",
            "--bind-address=127.0.0.1", "--user=root", "--skip-log-bin", "--max-connections=200"]
    if tls:
        subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-subj", "/CN=localhost", "-days", "2",
                        "-keyout", str(work / "maria-key.pem"), "-out", str(work / "maria-cert.pem")], check=True, capture_output=True)
        args += [f"--ssl-cert={work / 'maria-cert.pem'}", f"--ssl-key={work / 'maria-key.pem'}"]
    proc = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        wait_port(port, proc, "mariadbd")
    except BaseException:                               # wait_port exits on failure: leave no server behind
        proc.kill()
        raise
    return proc, port
