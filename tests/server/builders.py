"""Builders for the server tests: devices with fixed ids and seeds (so PBKDF2 runs once per
passphrase and account for the whole session), and raw request bodies."""

from __future__ import annotations

import itertools
import os
import random
from collections.abc import Callable
from typing import Any

import httpx

from tests.server import refclient
from tests.server.refclient import Device, b64

PASSPHRASE = "correct horse battery staple"
ACCOUNT_A = bytes.fromhex("a0" * 16)
ACCOUNT_B = bytes.fromhex("b0" * 16)
SEED_A = bytes(range(32))
SEED_B = bytes(range(32, 64))
RECOVERY_A = bytes(range(64, 96))
START_MS = 1_795_000_000_000  # 2026-11-18


def ticking(start: int = START_MS, step: int = 7) -> Callable[[], int]:
    counter = itertools.count(start, step)
    return lambda: next(counter)


def device(
    http: httpx.AsyncClient,
    name: str = "a",
    *,
    rng: random.Random | None = None,
    now_ms: Callable[[], int] | None = None,
) -> Device:
    node = (name.encode().hex() * 16)[:16]
    return Device(
        http=http,
        node=node,
        now_ms=now_ms or ticking(),
        random_bytes=rng.randbytes if rng else os.urandom,
    )


async def account_a(http: httpx.AsyncClient, name: str = "a", **options: Any) -> Device:
    """Account A set up on a first device."""
    first = device(http, name, **options)
    await first.create_account(
        PASSPHRASE, account_id=ACCOUNT_A, seed=SEED_A, recovery_key=RECOVERY_A
    )
    return first


async def paired(http: httpx.AsyncClient, first: Device, name: str, **options: Any) -> Device:
    other = device(http, name, **options)
    await other.login(PASSPHRASE, first.account_id)
    return other


def envelope(size: int = 289, *, key_id: int = 1, version: int = 1) -> str:
    """An opaque envelope the server accepts (it cannot tell it from real ciphertext)."""
    header = bytes([version]) + key_id.to_bytes(4, "big")
    return b64((header + os.urandom(max(0, size - len(header))))[:size])


def push_body(count: int = 1, *, size: int = 289, based_on: int = 0) -> dict[str, Any]:
    return {
        "batch_id": os.urandom(16).hex(),
        "items": [
            {
                "record_id": os.urandom(16).hex(),
                "based_on_seq": based_on,
                "envelope": envelope(size),
            }
            for _ in range(count)
        ],
    }


def setup_body(account_id: bytes, /, **overrides: Any) -> dict[str, Any]:
    keys = refclient.derive(PASSPHRASE, account_id, SEED_A)
    body = {
        "account_id": account_id.hex(),
        "kdf": {"alg": "pbkdf2-sha256", "iterations": 600_000, "seed": b64(SEED_A), "v": 1},
        "auth_key": b64(keys.auth_key),
        "recovery_auth_key": b64(os.urandom(32)),
        "keys": [
            {
                "key_id": 1,
                "wrapped_dek": b64(os.urandom(60)),
                "recovery_wrapped_dek": b64(os.urandom(60)),
            }
        ],
    }
    body.update(overrides)
    return body


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}
