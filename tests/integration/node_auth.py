"""The FE's request signature for compute nodes, written independently of the Swift code (NodeRequestSigner), so
tests can act as a legitimate FE, a forger with the wrong token, or a replaying eavesdropper."""
import hashlib
import hmac
import json
import time
import uuid


def sign(token: str, method: str, target: str, body: bytes = b"", now: float | None = None, nonce: str | None = None) -> dict:
    timestamp = str(int(now if now is not None else time.time()))
    nonce = nonce or str(uuid.uuid4())
    body_hash = hashlib.sha256(body).hexdigest()
    message = "\n".join(["Tributary-HMAC-SHA256", method.upper(), target, timestamp, nonce, body_hash])
    signature = hmac.new(token.encode(), message.encode(), hashlib.sha256).hexdigest()
    return {"Authorization": f"Tributary-HMAC-SHA256 {signature}", "X-Tributary-Timestamp": timestamp, "X-Tributary-Nonce": nonce,
            "X-Tributary-Content-SHA256": body_hash}


def sign_response(token: str, nonce: str, status: int, body: bytes) -> str:
    """A node's signature of its answer to the request with `nonce`."""
    message = "\n".join(["response", nonce, str(status), hashlib.sha256(body).hexdigest()])
    return hmac.new(token.encode(), message.encode(), hashlib.sha256).hexdigest()


def _task_key(token: str) -> bytes:
    return hmac.new(token.encode(), b"tributary task encryption v1", hashlib.sha256).digest()


def open_task(token: str, sealed: bytes) -> dict:
    """A task as the FE sends it: `TRS1 ‖ nonce(12) ‖ AES-256-GCM(ciphertext ‖ tag)` keyed from the cluster token."""
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM
    assert sealed[:4] == b"TRS1", "the task is not encrypted"
    return json.loads(AESGCM(_task_key(token)).decrypt(sealed[4:16], sealed[16:], None))


def seal_task(token: str, task: dict) -> bytes:
    import os
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM
    nonce = os.urandom(12)
    return b"TRS1" + nonce + AESGCM(_task_key(token)).encrypt(nonce, json.dumps(task).encode(), None)
