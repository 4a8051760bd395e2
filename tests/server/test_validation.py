"""The pure request checks: an error code (and the field at fault) or None."""

from __future__ import annotations

import base64

import pytest

from server import validation
from server.settings import Limits
from server.validation import Problem


def b64(data: bytes) -> str:
    return base64.b64encode(data).decode()


@pytest.mark.parametrize(
    ("value", "ok"),
    [
        ("00" * 16, True),
        ("AB" * 16, False),  # uppercase is refused: one spelling per id
        ("00" * 15, False),
        ("0g" * 16, False),
        (42, False),
    ],
)
def test_ids_are_32_lowercase_hex_digits(value: object, ok: bool) -> None:
    assert validation.is_id(value) is ok


@pytest.mark.parametrize(
    ("value", "decoded"),
    [
        ("AAEC", b"\x00\x01\x02"),
        ("AAE=", b"\x00\x01"),
        ("", b""),
        ("AAE", None),  # missing padding
        ("AA-_", None),  # base64url is for tokens only
        ("AA E", None),
        (None, None),
    ],
)
def test_blobs_are_standard_padded_base64(value: object, decoded: bytes | None) -> None:
    assert validation.decode_b64(value) == decoded


def kdf(**changes: object) -> dict[str, object]:
    return {
        "alg": "pbkdf2-sha256",
        "iterations": 600_000,
        "seed": b64(bytes(32)),
        "v": 1,
        **changes,
    }


@pytest.mark.parametrize(
    ("value", "problem"),
    [
        (kdf(), None),
        (kdf(iterations=10_000_000), None),
        (kdf(iterations=599_999), Problem("weak-kdf", "kdf.iterations", "")),
        (kdf(iterations=True), Problem("weak-kdf", "kdf.iterations", "")),
        (kdf(alg="argon2id"), Problem("weak-kdf", "kdf.alg", "")),
        (kdf(v=2), None),  # the same parameters, with the secret key mixed in by the client
        (kdf(v=3), Problem("weak-kdf", "kdf.alg", "")),
        (kdf(v=True), Problem("invalid-request", "kdf.v", "")),  # true == 1 in Python
        (kdf(v=1.0), Problem("invalid-request", "kdf.v", "")),
        (kdf(v="1"), Problem("invalid-request", "kdf.v", "")),
        (kdf(seed=b64(bytes(31))), Problem("invalid-request", "kdf.seed", "")),
        (kdf(extra=1), Problem("invalid-request", "kdf", "")),
    ],
)
def test_kdf_parameters_below_the_floor_are_weak(value: object, problem: Problem | None) -> None:
    found = validation.check_kdf(value)

    assert (found and (found.code, found.field)) == (problem and (problem.code, problem.field))


def envelope(size: int = 289, version: int = 1, key_id: int = 1) -> bytes:
    return (bytes([version]) + key_id.to_bytes(4, "big") + bytes(size))[:size]


@pytest.mark.parametrize(
    ("value", "code"),
    [
        (envelope(), None),
        (envelope(33), None),
        (envelope(32), "invalid-envelope"),
        (envelope(version=2), "invalid-envelope"),
        (envelope(key_id=2), "unknown-key-id"),
        (envelope(64 * 1024), None),
        (envelope(64 * 1024 + 1), "envelope-too-large"),
    ],
)
def test_the_server_checks_only_an_envelopes_size_version_and_key(
    value: bytes, code: str | None
) -> None:
    found = validation.check_envelope(value, {1}, Limits(), "e")

    assert (found.code if found else None) == code


def test_a_push_is_checked_item_by_item_with_the_field_named() -> None:
    item = {"record_id": "00" * 16, "based_on_seq": 0, "envelope": b64(envelope())}
    other = {**item, "record_id": "11" * 16, "based_on_seq": False}

    found = validation.check_push({"batch_id": "22" * 16, "items": [item, other]}, {1}, Limits())

    assert found is not None
    assert (found.code, found.field) == ("invalid-request", "items[1].based_on_seq")


@pytest.mark.parametrize(
    ("query", "field"),
    [({}, None), ({"since": "0", "limit": "500"}, None), ({"since": "-1"}, "since"),
     ({"limit": "0"}, "limit"), ({"since": "\uff11"}, "since"), ({"since": "9" * 19}, "since")],
)  # fmt: skip
def test_pull_parameters_are_small_ascii_integers(query: dict[str, str], field: str | None) -> None:
    found = validation.check_pull_query(query)

    assert (found.field if found else None) == field


def test_a_passphrase_change_rewraps_every_key_and_may_add_one_above_them() -> None:
    assert validation.check_rewrap([1], [1]) is None
    assert validation.check_rewrap([1, 2], [1]) is None  # a rotation
    for wrong in ([2], [1, 2, 3], [0, 1], []):
        problem = validation.check_rewrap(wrong, [1])
        assert (problem.code if problem else None) == "keys-mismatch", wrong


def test_a_new_key_comes_with_a_recovery_kit_for_every_key() -> None:
    assert validation.check_rotation([1], None, [1]) is None
    assert validation.check_rotation([1, 2], [1, 2], [1]) is None
    assert validation.check_rotation([1, 2], None, [1]) == Problem(
        "keys-mismatch", "recovery.keys", "a new key needs a new recovery kit covering every key id"
    )
    assert validation.check_rotation([1, 2], [1], [1]) is not None
