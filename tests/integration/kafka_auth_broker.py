"""A Kafka-protocol endpoint that speaks just enough to authenticate a client with SASL/PLAIN, optionally under TLS,
and records what the client sent. librdkafka 2.0.2's mock cluster has neither SASL nor TLS listeners, so this is
how the tests see a routine load's `property.security.protocol` / `sasl.*` / `ssl.*` settings reach the wire.
After authentication it closes the connection (it serves no metadata or data)."""
import socket
import ssl
import struct
import threading

API_VERSIONS, SASL_HANDSHAKE, SASL_AUTHENTICATE, METADATA = 18, 17, 36, 3


def _uvarint(n):
    out = b""
    while True:
        b = n & 0x7F
        n >>= 7
        if n:
            out += bytes([b | 0x80])
        else:
            return out + bytes([b])


class AuthBroker:
    def __init__(self, tls=None):
        """tls: (certfile, keyfile) to accept TLS connections, or None for plaintext."""
        self.sock = socket.socket()
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(8)
        self.port = self.sock.getsockname()[1]
        self.context = None
        if tls:
            self.context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
            self.context.load_cert_chain(*tls)
        self.mechanisms = []        # SaslHandshake mechanisms requested
        self.auth = []              # SaslAuthenticate payloads
        self.tls_versions = []      # negotiated TLS versions
        self.handshake_failures = 0
        threading.Thread(target=self._serve, daemon=True).start()

    def close(self):
        self.sock.close()

    def _serve(self):
        while True:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return
            threading.Thread(target=self._client, args=(conn,), daemon=True).start()

    def _client(self, conn):
        try:
            if self.context:
                try:
                    conn = self.context.wrap_socket(conn, server_side=True)
                except (ssl.SSLError, OSError):
                    self.handshake_failures += 1
                    return
                self.tls_versions.append(conn.version())
            while True:
                request = self._read_frame(conn)
                if request is None:
                    return
                reply = self._answer(request)
                if reply is None:
                    return
                conn.sendall(struct.pack(">i", len(reply)) + reply)
        except OSError:
            pass
        finally:
            conn.close()

    @staticmethod
    def _read_frame(conn):
        def exactly(n):
            buf = b""
            while len(buf) < n:
                chunk = conn.recv(n - len(buf))
                if not chunk:
                    return None
                buf += chunk
            return buf
        size = exactly(4)
        return exactly(struct.unpack(">i", size)[0]) if size else None

    def _answer(self, request):
        key, version, correlation = struct.unpack(">hhi", request[:8])
        client_id_len = struct.unpack(">h", request[8:10])[0]
        pos = 10 + max(0, client_id_len)
        if key == API_VERSIONS:
            # Response header v0; body v3 (flexible): error, compact array of (key, min, max, tags), throttle, tags.
            apis = [(API_VERSIONS, 0, 3), (SASL_HANDSHAKE, 0, 1), (SASL_AUTHENTICATE, 0, 0), (METADATA, 0, 4)]
            if version >= 3:
                body = struct.pack(">h", 0) + _uvarint(len(apis) + 1)
                body += b"".join(struct.pack(">hhh", *a) + _uvarint(0) for a in apis)
                body += struct.pack(">i", 0) + _uvarint(0)
            else:
                body = struct.pack(">hi", 0, len(apis)) + b"".join(struct.pack(">hhh", *a) for a in apis)
                if version >= 1:
                    body += struct.pack(">i", 0)
            return struct.pack(">i", correlation) + body
        if key == SASL_HANDSHAKE:
            n = struct.unpack(">h", request[pos:pos + 2])[0]
            self.mechanisms.append(request[pos + 2:pos + 2 + n].decode())
            return struct.pack(">i", correlation) + struct.pack(">hi", 0, 1) + struct.pack(">h", 5) + b"PLAIN"
        if key == SASL_AUTHENTICATE:
            n = struct.unpack(">i", request[pos:pos + 4])[0]
            self.auth.append(request[pos + 4:pos + 4 + n])
            return struct.pack(">i", correlation) + struct.pack(">hhi", 0, -1, 0)
        return None                 # anything else (Metadata): hang up
