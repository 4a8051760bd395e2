"""Pure checks of requests: each returns a Problem (an error code, the field at fault and words
for a developer) or None. No I/O, no clock; the app decides what to do with the answer."""

from __future__ import annotations

import binascii
import re
from collections.abc import Collection, Mapping
from dataclasses import dataclass
from typing import Any, TypeGuard

from server.settings import Limits

# Envelope layout (docs/sync-protocol.md §2): version, key id, IV, then ciphertext and tag.
ENVELOPE_VERSION = 1
ENVELOPE_HEADER = 1 + 4 + 12
GCM_TAG = 16
MIN_ENVELOPE = ENVELOPE_HEADER + GCM_TAG
KEY_BYTES = 32
SEED_BYTES = 32
WRAPPED_MIN, WRAPPED_MAX = 12 + GCM_TAG, 512
MAX_KEYS = 8
KDF_ALG = "pbkdf2-sha256"
# OWASP's floor for PBKDF2-HMAC-SHA256; clients enforce the same so a lying server cannot
# downgrade them (SYNC-DESIGN §6.1). The ceiling stops a client from locking itself out.
KDF_MIN_ITERATIONS, KDF_MAX_ITERATIONS = 600_000, 10_000_000
# Version 2 mixes a secret key the server never sees into the root key (the client's business:
# to the server the two differ only by this number). New accounts use 2.
KDF_VERSION = 2
KDF_VERSIONS = frozenset({1, 2})
MAX_KEY_ID = 2**32 - 1
MAX_SEQ = 2**62

_ID = re.compile(r"[0-9a-f]{32}")
_B64 = re.compile(r"(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?")


@dataclass(frozen=True, slots=True)
class Problem:
    code: str
    field: str | None = None
    message: str = ""


def _invalid(field: str, message: str) -> Problem:
    return Problem("invalid-request", field, message)


def is_id(value: object) -> bool:
    """32 lowercase hex digits: a 16-byte id as the protocol writes it."""
    return isinstance(value, str) and _ID.fullmatch(value) is not None


def decode_b64(value: object) -> bytes | None:
    """Standard padded base64 to bytes, or None if it is anything else."""
    if not isinstance(value, str) or _B64.fullmatch(value) is None:
        return None
    try:
        return binascii.a2b_base64(value, strict_mode=True)
    except binascii.Error:
        return None


def _is_int(value: object) -> TypeGuard[int]:
    return isinstance(value, int) and not isinstance(value, bool)


def check_id(value: object, field: str) -> Problem | None:
    if not is_id(value):
        return _invalid(field, "expected 32 lowercase hex digits")
    return None


def check_blob(value: object, field: str, low: int, high: int) -> Problem | None:
    decoded = decode_b64(value)
    if decoded is None:
        return _invalid(field, "expected standard base64 with padding")
    if not low <= len(decoded) <= high:
        size = f"{low}" if low == high else f"{low} to {high}"
        return _invalid(field, f"expected {size} bytes, got {len(decoded)}")
    return None


def check_object(value: object, field: str | None = None) -> Problem | None:
    if not isinstance(value, dict):
        return _invalid(field or "", "expected a JSON object")
    return None


def check_kdf(kdf: object, field: str = "kdf") -> Problem | None:
    """KDF parameters must be PBKDF2-SHA256 at 600,000 iterations or more, with a 32-byte seed."""
    if not isinstance(kdf, dict):
        return _invalid(field, "expected a JSON object")
    if set(kdf) != {"alg", "iterations", "seed", "v"}:
        return _invalid(field, "expected exactly alg, iterations, seed and v")
    if not _is_int(kdf["v"]):
        # `true == 1` in Python: a boolean or 1.0 would be stored, and browsers refuse it.
        return _invalid(f"{field}.v", f"expected the integer {KDF_VERSION} or 1")
    if kdf["alg"] != KDF_ALG or kdf["v"] not in KDF_VERSIONS:
        return Problem(
            "weak-kdf", f"{field}.alg", f"only {KDF_ALG} versions {sorted(KDF_VERSIONS)}"
        )
    iterations = kdf["iterations"]
    if not _is_int(iterations) or not KDF_MIN_ITERATIONS <= iterations <= KDF_MAX_ITERATIONS:
        return Problem(
            "weak-kdf",
            f"{field}.iterations",
            f"iterations must be {KDF_MIN_ITERATIONS:,} to {KDF_MAX_ITERATIONS:,}",
        )
    return check_blob(kdf["seed"], f"{field}.seed", SEED_BYTES, SEED_BYTES)


def _check_keys(keys: object, *, recovery: bool) -> Problem | None:
    if not isinstance(keys, list) or not 1 <= len(keys) <= MAX_KEYS:
        return _invalid("keys", f"expected a list of 1 to {MAX_KEYS} keys")
    seen: set[int] = set()
    for index, key in enumerate(keys):
        field = f"keys[{index}]"
        if not isinstance(key, dict):
            return _invalid(field, "expected a JSON object")
        key_id = key.get("key_id")
        if not _is_int(key_id) or not 1 <= key_id <= MAX_KEY_ID or key_id in seen:
            return _invalid(f"{field}.key_id", "expected distinct integers from 1 to 2**32-1")
        seen.add(key_id)
        names = ("wrapped_dek", "recovery_wrapped_dek") if recovery else ("wrapped_dek",)
        for name in names:
            problem = check_blob(key.get(name), f"{field}.{name}", WRAPPED_MIN, WRAPPED_MAX)
            if problem:
                return problem
    return None


def check_account_setup(body: Mapping[str, Any]) -> Problem | None:
    return (
        check_id(body.get("account_id"), "account_id")
        or check_kdf(body.get("kdf"))
        or check_blob(body.get("auth_key"), "auth_key", KEY_BYTES, KEY_BYTES)
        or check_blob(body.get("recovery_auth_key"), "recovery_auth_key", KEY_BYTES, KEY_BYTES)
        or _check_keys(body.get("keys"), recovery=True)
    )


def check_login(body: Mapping[str, Any], proof: str = "auth_key") -> Problem | None:
    """A login-like request: an account id and a 32-byte key as the proof."""
    return check_id(body.get("account_id"), "account_id") or check_blob(
        body.get(proof), proof, KEY_BYTES, KEY_BYTES
    )


def proof_field(body: Mapping[str, Any]) -> str:
    """Which proof a passphrase change carries: the current auth key, else the recovery one."""
    return "auth_key" if "auth_key" in body else "recovery_auth_key"


def check_passphrase_change(body: Mapping[str, Any]) -> Problem | None:
    problem = (
        check_login(body, proof_field(body))
        or _check_epoch(body.get("expected_key_epoch"))
        or check_kdf(body.get("kdf"))
        or check_blob(body.get("new_auth_key"), "new_auth_key", KEY_BYTES, KEY_BYTES)
        or _check_keys(body.get("keys"), recovery=False)
    )
    if problem or "recovery" not in body:
        return problem
    recovery = body["recovery"]
    if not isinstance(recovery, dict):
        return _invalid("recovery", "expected a JSON object")
    problem = check_blob(
        recovery.get("recovery_auth_key"), "recovery.recovery_auth_key", KEY_BYTES, KEY_BYTES
    )
    if problem:
        return problem
    keys = recovery.get("keys")
    renamed = (
        [{"key_id": k.get("key_id"), "wrapped_dek": k.get("recovery_wrapped_dek")} for k in keys]
        if isinstance(keys, list) and all(isinstance(k, dict) for k in keys)
        else keys
    )
    problem = _check_keys(renamed, recovery=False)
    if problem:
        return Problem(problem.code, f"recovery.{problem.field}", problem.message)
    return None


def _check_epoch(value: object) -> Problem | None:
    if not _is_int(value) or not 1 <= value <= MAX_SEQ:
        return _invalid("expected_key_epoch", "expected a positive integer")
    return None


def check_rewrap(key_ids: Collection[int], account_key_ids: Collection[int]) -> Problem | None:
    """A passphrase change re-wraps every key the account has and may add one new key (a
    rotation: its id is above every existing one), and no other."""
    have, given = set(account_key_ids), set(key_ids)
    added = given - have
    if not have <= given or len(added) > 1 or (added and min(added) <= max(have)):
        return Problem(
            "keys-mismatch",
            "keys",
            f"re-wrap exactly key ids {sorted(have)}, plus at most one new id above them",
        )
    return None


def check_rotation(
    key_ids: Collection[int], recovery_ids: Collection[int] | None, account_key_ids: Collection[int]
) -> Problem | None:
    """A new key comes with a new recovery kit that opens every key, the new one included."""
    if set(key_ids) == set(account_key_ids):
        return None
    if recovery_ids is None or set(recovery_ids) != set(key_ids):
        return Problem(
            "keys-mismatch",
            "recovery.keys",
            "a new key needs a new recovery kit covering every key id",
        )
    return None


def check_envelope(
    envelope: bytes, key_ids: Collection[int], limits: Limits, field: str
) -> Problem | None:
    """The server checks the envelope's size, version and key id; the rest is ciphertext."""
    if len(envelope) > limits.envelope_bytes:
        return Problem(
            "envelope-too-large", field, f"an envelope is at most {limits.envelope_bytes} bytes"
        )
    if len(envelope) < MIN_ENVELOPE or envelope[0] != ENVELOPE_VERSION:
        return Problem("invalid-envelope", field, "not a version 1 envelope")
    if int.from_bytes(envelope[1:5], "big") not in key_ids:
        return Problem("unknown-key-id", field, "no wrapped key with this key id")
    return None


def check_push(body: Mapping[str, Any], key_ids: Collection[int], limits: Limits) -> Problem | None:
    """A push: a batch id and 1..500 items with distinct record ids and valid envelopes."""
    problem = check_id(body.get("batch_id"), "batch_id")
    if problem:
        return problem
    items = body.get("items")
    if not isinstance(items, list) or not items:
        return _invalid("items", "expected a non-empty list")
    if len(items) > limits.items_per_push:
        return Problem(
            "too-many-items", "items", f"a push has at most {limits.items_per_push} items"
        )
    seen: set[str] = set()
    for index, item in enumerate(items):
        field = f"items[{index}]"
        if not isinstance(item, dict):
            return _invalid(field, "expected a JSON object")
        problem = check_id(item.get("record_id"), f"{field}.record_id")
        if problem:
            return problem
        if item["record_id"] in seen:
            return Problem("duplicate-record", f"{field}.record_id", "one item per record")
        seen.add(item["record_id"])
        based_on = item.get("based_on_seq")
        if not _is_int(based_on) or not 0 <= based_on <= MAX_SEQ:
            return _invalid(f"{field}.based_on_seq", "expected an integer >= 0")
        envelope = decode_b64(item.get("envelope"))
        if envelope is None:
            return _invalid(f"{field}.envelope", "expected standard base64 with padding")
        problem = check_envelope(envelope, key_ids, limits, f"{field}.envelope")
        if problem:
            return problem
    return None


def check_pull_query(query: Mapping[str, str]) -> Problem | None:
    """`since` is a seq (default 0); `limit` is at least 1 (default and cap: the page size)."""
    for name, low in (("since", 0), ("limit", 1)):
        value = query.get(name)
        if value is None:
            continue
        if not value.isascii() or not value.isdigit() or len(value) > 18 or int(value) < low:
            return _invalid(name, f"expected an integer >= {low}")
    return None
