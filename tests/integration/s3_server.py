"""A real S3-protocol server for the tests: moto_server (PyPI moto[server]) with request signing enforced (IAM auth
on, so a wrong secret or a badly signed request is refused as S3 refuses it), reached through a TCP relay the tests
can cut and restore to simulate an object store that goes away and comes back."""
import json
import os
import socket
import subprocess
import threading
import time

import boto3

from conftest import free_port


class Relay:
    """Forwards 127.0.0.1:port to a target port; stop() refuses connections (and drops open ones) until start()."""

    def __init__(self, target_port):
        self.target = target_port
        self.port = free_port()
        self.listener = None
        self.open = []
        self.lock = threading.Lock()

    def start(self):
        s = socket.socket()
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        s.bind(("127.0.0.1", self.port))
        s.listen(64)
        self.listener = s
        threading.Thread(target=self._accept, args=(s,), daemon=True).start()
        return self

    def stop(self):
        with self.lock:
            if self.listener:
                self.listener.close()
                self.listener = None
            for c in self.open:
                try:
                    c.shutdown(socket.SHUT_RDWR)
                except OSError:
                    pass
                c.close()
            self.open.clear()

    def _accept(self, listener):
        while True:
            try:
                client, _ = listener.accept()
            except OSError:
                return
            try:
                upstream = socket.create_connection(("127.0.0.1", self.target))
            except OSError:
                client.close()
                continue
            with self.lock:
                self.open += [client, upstream]
            for a, b in ((client, upstream), (upstream, client)):
                threading.Thread(target=self._pipe, args=(a, b), daemon=True).start()

    @staticmethod
    def _pipe(src, dst):
        try:
            while data := src.recv(65536):
                dst.sendall(data)
        except OSError:
            pass
        finally:
            for s in (src, dst):
                try:
                    s.shutdown(socket.SHUT_RDWR)
                except OSError:
                    pass


class S3Server:
    def __init__(self, tmp_path):
        self.port = free_port()
        self.log = open(tmp_path / "moto.log", "ab")
        # The first 3 requests (creating the user, its key and its policy) are not authenticated; every later one is.
        env = dict(os.environ, INITIAL_NO_AUTH_ACTION_COUNT="3")
        self.proc = subprocess.Popen(["moto_server", "-H", "127.0.0.1", "-p", str(self.port)], stdout=self.log, stderr=self.log, env=env)
        deadline = time.time() + 30
        while True:
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=0.2).close()
                break
            except OSError:
                if time.time() > deadline or self.proc.poll() is not None:
                    raise RuntimeError("moto_server did not start")
                time.sleep(0.1)
        iam = boto3.client("iam", endpoint_url=self.url, aws_access_key_id="bootstrap", aws_secret_access_key="bootstrap",
                           region_name="us-east-1")
        iam.create_user(UserName="tributary")
        key = iam.create_access_key(UserName="tributary")["AccessKey"]
        iam.put_user_policy(UserName="tributary", PolicyName="all", PolicyDocument=json.dumps(
            {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]}))
        self.access_key, self.secret_key = key["AccessKeyId"], key["SecretAccessKey"]
        self.s3 = boto3.client("s3", endpoint_url=self.url, aws_access_key_id=self.access_key,
                               aws_secret_access_key=self.secret_key, region_name="us-east-1")
        self.relay = Relay(self.port).start()

    @property
    def url(self):
        return f"http://127.0.0.1:{self.port}"

    @property
    def endpoint(self):
        """What a storage volume is given: host:port of the relay, no scheme (as seed 001 writes minio:9000)."""
        return f"127.0.0.1:{self.relay.port}"

    def keys(self, bucket, prefix=""):
        pages = self.s3.get_paginator("list_objects_v2").paginate(Bucket=bucket, Prefix=prefix)
        return sorted(o["Key"] for p in pages for o in p.get("Contents", []))

    def close(self):
        self.relay.stop()
        self.proc.kill()
        self.proc.wait()
        self.log.close()
