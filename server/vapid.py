"""The server's VAPID identity (RFC 8292): one P-256 key pair, and the `Authorization` header
that signs each push request with it (an ES256 JWT naming the push service's origin)."""

from __future__ import annotations

import base64
import json
import os
from pathlib import Path
from urllib.parse import urlsplit

from server import p256

# How long a signature is good for (RFC 8292 allows at most 24 hours).
JWT_SECONDS = 12 * 3600


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def new_private_key() -> bytes:
    """A fresh private key as its 32-byte scalar."""
    return p256.new_private_key()


class Vapid:
    def __init__(self, private_scalar: bytes, subject: str) -> None:
        self._key = private_scalar
        self.subject = subject
        self.public_key = b64url(p256.public_key(private_scalar))  # the applicationServerKey

    def authorization(self, endpoint: str, *, now: int) -> str:
        """`vapid t=<JWT>, k=<public key>` for a request to `endpoint`."""
        url = urlsplit(endpoint)
        header = b64url(json.dumps({"typ": "JWT", "alg": "ES256"}).encode())
        claims = b64url(
            json.dumps(
                {
                    "aud": f"{url.scheme}://{url.netloc}",
                    "exp": now + JWT_SECONDS,
                    "sub": self.subject,
                },
                separators=(",", ":"),
            ).encode()
        )
        signing_input = f"{header}.{claims}".encode()
        signature = b64url(p256.sign(self._key, signing_input))
        return f"vapid t={header}.{claims}.{signature}, k={self.public_key}"


def key_from_file(path: Path) -> bytes:
    """The private key kept in a file (hex), created with owner-only permissions on first use."""
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            pass  # another process created it first
        else:
            with os.fdopen(fd, "w") as file:
                file.write(new_private_key().hex() + "\n")
    return bytes.fromhex(path.read_text().strip())
