"""The envelope (SYNC-DESIGN §6.3): padded, AES-GCM sealed records bound to their ids."""

from __future__ import annotations

from collections.abc import Mapping

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from .keys import LABEL, hkdf_info

ENVELOPE_VERSION = 1
PAD_BLOCK = 256


class TamperedError(Exception):
    """An envelope that is not what this account's key sealed for this record."""


def record_aad(account_id: bytes, record_id: bytes, key_id: int, label: str = LABEL) -> bytes:
    return hkdf_info(label, "rec") + account_id + record_id + key_id.to_bytes(4, "big")


def pad(plaintext: bytes) -> bytes:
    padded = plaintext + b"\x80"
    return padded + b"\0" * (-len(padded) % PAD_BLOCK)


def unpad(padded: bytes) -> bytes:
    stripped = padded.rstrip(b"\0")
    if not stripped.endswith(b"\x80") or len(padded) % PAD_BLOCK:
        raise TamperedError("bad padding")
    return stripped[:-1]


def seal(
    dek: bytes,
    account_id: bytes,
    record_id: bytes,
    key_id: int,
    plaintext: bytes,
    iv: bytes,
    label: str = LABEL,
) -> bytes:
    aad = record_aad(account_id, record_id, key_id, label)
    header = bytes([ENVELOPE_VERSION]) + key_id.to_bytes(4, "big") + iv
    return header + AESGCM(dek).encrypt(iv, pad(plaintext), aad)


def open_envelope(
    deks: Mapping[int, bytes],
    account_id: bytes,
    record_id: bytes,
    envelope: bytes,
    label: str = LABEL,
) -> bytes:
    """The plaintext, or TamperedError for anything else (never another exception)."""
    if len(envelope) < 1 + 4 + 12 + 16 or envelope[0] != ENVELOPE_VERSION:
        raise TamperedError("not a version 1 envelope")
    key_id = int.from_bytes(envelope[1:5], "big")
    dek = deks.get(key_id)
    if dek is None:
        raise TamperedError("unknown key id")
    iv, ciphertext = envelope[5:17], envelope[17:]
    try:
        padded = AESGCM(dek).decrypt(
            iv, ciphertext, record_aad(account_id, record_id, key_id, label)
        )
    except InvalidTag:
        raise TamperedError("authentication failed") from None
    return unpad(padded)
