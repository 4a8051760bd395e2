"""The app's Web Push encryption (web/static/js/push/ece.js, WebCrypto under Node) against
Python's `http_ece` (the library pywebpush builds on): on fixed keys and salt, what our code
seals opens with the subscription's private key, byte for byte what http_ece would send."""

from __future__ import annotations

import base64
import json
import shutil
import subprocess
from pathlib import Path

import http_ece
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec

HARNESS = Path(__file__).with_name("push-seal.mjs")
PAYLOAD = json.dumps(
    {"web_push": 8030, "notification": {"title": "2 follow-ups today", "body": "Thank Sam"}}
).encode()


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def key(n: int) -> ec.EllipticCurvePrivateKey:
    return ec.derive_private_key(n, ec.SECP256R1())


def point(private: ec.EllipticCurvePrivateKey) -> bytes:
    return private.public_key().public_bytes(
        serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint
    )


def jwk(private: ec.EllipticCurvePrivateKey) -> dict[str, str]:
    numbers = private.private_numbers()
    return {
        "kty": "EC",
        "crv": "P-256",
        "d": b64url(numbers.private_value.to_bytes(32, "big")),
        "x": b64url(numbers.public_numbers.x.to_bytes(32, "big")),
        "y": b64url(numbers.public_numbers.y.to_bytes(32, "big")),
    }


RECEIVER = key(0x1D5C3A5E_0F1E_2D3C_4B5A_69788796A5B4C3D2E1F00112233445566778899AABB)
SENDER = key(0x2C3B4A59_6877_8695_A4B3_C2D1E0F0F1E2D3C4B5A69788796A5B4C3D2E1F001122)
AUTH = bytes(range(16))
SALT = bytes(range(100, 116))


def seal_in_node(payload: bytes, pad_to: int = 0) -> bytes:
    node = shutil.which("node")
    if node is None:
        pytest.skip("node is not on PATH")
    request = {
        "payload": b64url(payload),
        "p256dh": b64url(point(RECEIVER)),
        "auth": b64url(AUTH),
        "salt": b64url(SALT),
        "sender": jwk(SENDER),
        "padTo": pad_to,
    }
    out = subprocess.run(
        [node, str(HARNESS), json.dumps(request)],
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    ).stdout
    return base64.urlsafe_b64decode(out + "=" * (-len(out) % 4))


def test_our_ciphertext_opens_with_http_ece_and_equals_its_own() -> None:
    body = seal_in_node(PAYLOAD)
    expected = http_ece.encrypt(
        PAYLOAD,
        salt=SALT,
        private_key=SENDER,
        dh=point(RECEIVER),
        auth_secret=AUTH,
        version="aes128gcm",
    )

    assert http_ece.decrypt(body, private_key=RECEIVER, auth_secret=AUTH) == PAYLOAD
    assert body == expected
    assert body[:16] == SALT
    assert body[21:86] == point(SENDER)  # the key id: the sender's public key


def test_padding_gives_every_message_one_size_and_is_removed_on_opening() -> None:
    short, long = seal_in_node(b'{"n":1}', 2048), seal_in_node(PAYLOAD, 2048)

    assert len(short) == len(long) == 86 + 2048 + 1 + 16
    assert http_ece.decrypt(short, private_key=RECEIVER, auth_secret=AUTH) == b'{"n":1}'
    assert http_ece.decrypt(long, private_key=RECEIVER, auth_secret=AUTH) == PAYLOAD
