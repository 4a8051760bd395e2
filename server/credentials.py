"""What the server derives from secrets it is sent: verifiers, token hashes, peppered labels."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import re

LABEL = b"followthrough-sync/v1"
FAKE_SEED_INFO = LABEL + b"/fake-seed\0"
CLIENT_KEY_INFO = LABEL + b"/client-address\0"
TOKEN = re.compile(r"[A-Za-z0-9_-]{43}")


def verifier(pepper: bytes, key: bytes) -> bytes:
    """What the server keeps instead of an auth key: HMAC-SHA256(pepper, key) (SYNC-DESIGN
    §6.5). The key is already the output of 600,000 PBKDF2 rounds, so a fast keyed hash is
    enough to stop a stolen database from being replayed as a login."""
    return hmac.new(pepper, key, hashlib.sha256).digest()


def b64(data: bytes) -> str:
    return base64.b64encode(data).decode()


def hash_token(token: bytes) -> bytes:
    return hashlib.sha256(token).digest()


def canonical(value: object) -> str:
    return json.dumps(value, sort_keys=True, separators=(",", ":"))
