"""The FE's request signature for compute nodes, written independently of the Swift code (NodeRequestSigner), so
tests can act as a legitimate FE, a forger with the wrong token, or a replaying eavesdropper."""
import hashlib
import hmac
import time
import uuid


def sign(token: str, method: str, target: str, body: bytes = b"", now: float | None = None, nonce: str | None = None) -> dict:
    timestamp = str(int(now if now is not None else time.time()))
    nonce = nonce or str(uuid.uuid4())
    message = "\n".join(["Tributary-HMAC-SHA256", method.upper(), target, timestamp, nonce, hashlib.sha256(body).hexdigest()])
    signature = hmac.new(token.encode(), message.encode(), hashlib.sha256).hexdigest()
    return {"Authorization": f"Tributary-HMAC-SHA256 {signature}", "X-Tributary-Timestamp": timestamp, "X-Tributary-Nonce": nonce}
