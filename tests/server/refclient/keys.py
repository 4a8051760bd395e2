"""The key schedule (SYNC-DESIGN §6.1): passphrase and recovery keys, wrapped data keys."""

from __future__ import annotations

import functools
import hashlib
import hmac
import unicodedata
from dataclasses import dataclass

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

LABEL = "followthrough-sync/v1"
ITERATIONS = 600_000


def hkdf_info(label: str, purpose: str) -> bytes:
    return f"{label}/{purpose}".encode() + b"\0"


def hkdf(ikm: bytes, info: bytes, length: int = 32, salt: bytes = b"") -> bytes:
    return HKDF(algorithm=hashes.SHA256(), length=length, salt=salt, info=info).derive(ikm)


def kdf_salt(account_id: bytes, seed: bytes, label: str = LABEL) -> bytes:
    return hashlib.sha256(hkdf_info(label, "kdf-salt") + account_id + seed).digest()[:16]


@dataclass(frozen=True, slots=True)
class Keys:
    root: bytes
    auth_key: bytes
    kek: bytes


@functools.lru_cache(maxsize=64)
def derive(
    passphrase: str,
    account_id: bytes,
    seed: bytes,
    iterations: int = ITERATIONS,
    label: str = LABEL,
    secret_key: bytes | None = None,
) -> Keys:
    """Passphrase → root (PBKDF2-HMAC-SHA256) → auth_key and kek (HKDF branches). With a
    secret key (key-schedule version 2) the root is HKDF(PBKDF2 output, salt = secret key)."""
    secret = unicodedata.normalize("NFKC", passphrase).encode()
    root = hashlib.pbkdf2_hmac("sha256", secret, kdf_salt(account_id, seed, label), iterations, 32)
    if secret_key is not None:
        root = hkdf(root, hkdf_info(label, "root-v2") + account_id, salt=secret_key)
    return Keys(
        root=root,
        auth_key=hkdf(root, hkdf_info(label, "auth") + account_id),
        kek=hkdf(root, hkdf_info(label, "kek") + account_id),
    )


def recovery_keys(
    recovery_key: bytes, account_id: bytes, label: str = LABEL
) -> tuple[bytes, bytes]:
    """(rk_kek, recovery_auth_key)."""
    return (
        hkdf(recovery_key, hkdf_info(label, "recovery") + account_id),
        hkdf(recovery_key, hkdf_info(label, "recovery-auth") + account_id),
    )


def dek_aad(account_id: bytes, key_id: int, label: str = LABEL) -> bytes:
    return hkdf_info(label, "dek") + account_id + key_id.to_bytes(4, "big")


def wrap(
    kek: bytes, dek: bytes, account_id: bytes, key_id: int, iv: bytes, label: str = LABEL
) -> bytes:
    return iv + AESGCM(kek).encrypt(iv, dek, dek_aad(account_id, key_id, label))


def unwrap(kek: bytes, wrapped: bytes, account_id: bytes, key_id: int, label: str = LABEL) -> bytes:
    """Raises InvalidTag for a wrong kek (wrong passphrase) or a tampered blob."""
    return AESGCM(kek).decrypt(wrapped[:12], wrapped[12:], dek_aad(account_id, key_id, label))


def id_key(first_dek: bytes, account_id: bytes, label: str = LABEL) -> bytes:
    """Key-schedule version 2's record-id key: AES-GCM's keystream of the first data key under
    the all-zero IV (which no record uses) over 32 zero bytes."""
    return AESGCM(first_dek).encrypt(
        bytes(12), bytes(32), hkdf_info(label, "record-id-key") + account_id
    )[:32]


def keyed_record_id(key: bytes, store: str, record_key: str, label: str = LABEL) -> bytes:
    """A record's server id in version 2: HMAC-SHA256(id key, L"/record-id\\0" ‖ store ‖ 0 ‖ key),
    cut to 16 bytes."""
    message = hkdf_info(label, "record-id") + f"{store}\0{record_key}".encode()
    return hmac.new(key, message, hashlib.sha256).digest()[:16]
