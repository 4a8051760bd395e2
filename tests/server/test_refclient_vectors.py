"""The reference client's key schedule and envelope against known answers: the design's
Appendix A (label `jsn-sync/v1`), our label's vectors, and the published PBKDF2, HKDF and GCM
vectors. WebCrypto reproduces Appendix A (SYNC-DESIGN, Appendix A); these tests pin the Python
side to it byte for byte, with the label as a parameter."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

import pytest
from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from server.app import verifier
from tests.server import refclient

VECTORS = Path(__file__).parent / "vectors"
FILES = ["appendix-a.json", "followthrough-sync-v1.json"]


def load(name: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((VECTORS / name).read_text())
    return data


def h(value: str) -> bytes:
    return bytes.fromhex(value)


@pytest.fixture(params=FILES)
def vector(request: pytest.FixtureRequest) -> dict[str, Any]:
    return load(request.param)


def test_the_key_schedule_reproduces_the_vectors(vector: dict[str, Any]) -> None:
    account_id, seed, label = h(vector["account_id"]), h(vector["seed"]), vector["label"]

    keys = refclient.derive(vector["passphrase"], account_id, seed, vector["iterations"], label)

    assert refclient.kdf_salt(account_id, seed, label).hex() == vector["kdf_salt"]
    assert keys.root.hex() == vector["root"]
    assert keys.auth_key.hex() == vector["auth_key"]
    assert keys.kek.hex() == vector["kek"]


def test_the_server_verifier_reproduces_the_vectors(vector: dict[str, Any]) -> None:
    expected = vector["auth_verifier (pepper = 32 zero bytes)"]

    assert verifier(bytes(32), h(vector["auth_key"])).hex() == expected


def test_wrapping_the_data_key_reproduces_the_vectors(vector: dict[str, Any]) -> None:
    account_id, key_id = h(vector["account_id"]), int(vector["key_id"], 16)
    iv, label = h(vector["wrap_iv"]), vector["label"]

    wrapped = refclient.wrap(h(vector["kek"]), h(vector["dek"]), account_id, key_id, iv, label)

    assert refclient.dek_aad(account_id, key_id, label).hex() == vector["wrap_aad"]
    # Appendix A lists the ciphertext alone; the protocol's wrapped_dek is iv ‖ ciphertext.
    assert wrapped.hex().endswith(vector["wrapped_dek"])
    assert len(wrapped) == 60
    unwrapped = refclient.unwrap(h(vector["kek"]), wrapped, account_id, key_id, label)
    assert unwrapped.hex() == vector["dek"]


def test_sealing_a_record_reproduces_the_envelope(vector: dict[str, Any]) -> None:
    account_id, record_id = h(vector["account_id"]), h(vector["record_id"])
    key_id, label = int(vector["key_id"], 16), vector["label"]
    plaintext = vector["plaintext"].encode()

    envelope = refclient.seal(
        h(vector["dek"]), account_id, record_id, key_id, plaintext, h(vector["rec_iv"]), label
    )

    assert refclient.record_aad(account_id, record_id, key_id, label).hex() == vector["rec_aad"]
    assert len(refclient.pad(plaintext)) == vector["padded_len"]
    assert len(envelope) == vector["envelope_len"]
    assert envelope.hex() == vector["envelope"]
    deks = {key_id: h(vector["dek"])}
    assert refclient.open_envelope(deks, account_id, record_id, envelope, label) == plaintext


def test_the_negative_checks_of_appendix_a_fail_as_listed() -> None:
    vector = load("appendix-a.json")
    account_id, record_id, label = h(vector["account_id"]), h(vector["record_id"]), vector["label"]
    envelope = bytearray(h(vector["envelope"]))
    deks = {1: h(vector["dek"])}
    flipped = bytes(envelope[:17]) + bytes([envelope[17] ^ 1]) + bytes(envelope[18:])
    wrong = refclient.derive(
        "correct horse battery stapler", account_id, h(vector["seed"]), 600_000, label
    )
    wrapped = h(vector["wrap_iv"]) + h(vector["wrapped_dek"])

    with pytest.raises(refclient.TamperedError):
        refclient.open_envelope(deks, account_id, record_id, flipped, label)
    with pytest.raises(refclient.TamperedError):
        refclient.open_envelope(deks, account_id, bytes(16), bytes(envelope), label)
    with pytest.raises(InvalidTag):
        refclient.unwrap(wrong.kek, wrapped, account_id, 1, label)


def test_the_label_is_bound_into_every_key_and_envelope() -> None:
    ours, theirs = load("followthrough-sync-v1.json"), load("appendix-a.json")

    assert ours["auth_key"] != theirs["auth_key"]
    assert ours["kek"] != theirs["kek"]
    with pytest.raises(refclient.TamperedError):
        refclient.open_envelope(
            {1: h(ours["dek"])},
            h(ours["account_id"]),
            h(ours["record_id"]),
            h(theirs["envelope"]),
            "followthrough-sync/v1",
        )


def test_the_recovery_branch_reproduces_our_vectors() -> None:
    vector = load("followthrough-sync-v1.json")
    account_id = h(vector["account_id"])

    rk_kek, recovery_auth_key = refclient.recovery_keys(h(vector["recovery_key"]), account_id)

    assert rk_kek.hex() == vector["rk_kek"]
    assert recovery_auth_key.hex() == vector["recovery_auth_key"]
    wrapped = refclient.wrap(rk_kek, h(vector["dek"]), account_id, 1, h(vector["recovery_wrap_iv"]))
    assert wrapped.hex() == vector["recovery_wrapped_dek"]


@pytest.mark.parametrize(
    ("password", "salt", "count", "expected"),
    [
        # RFC 7914 §11
        (
            b"passwd",
            b"salt",
            1,
            "55ac046e56e3089fec1691c22544b605f94185216dde0465e68b9d57c20dacbc49ca9cccf179b645991664b39d77ef317c71b845b1e30bd509112041d3a19783",
        ),
        (
            b"Password",
            b"NaCl",
            80_000,
            "4ddcd8f60b98be21830cee5ef22701f9641a4418d04c0414aeff08876b34ab56a1d425a1225833549adb841b51c9b3176a272bdebba1d078478f62b397f33c8d",
        ),
    ],
)
def test_pbkdf2_sha256_matches_rfc_7914(
    password: bytes, salt: bytes, count: int, expected: str
) -> None:
    assert hashlib.pbkdf2_hmac("sha256", password, salt, count, 64).hex() == expected


def test_hkdf_matches_rfc_5869() -> None:
    ikm = b"\x0b" * 22
    case_1 = HKDF(hashes.SHA256(), 42, bytes(range(13)), bytes(range(0xF0, 0xFA))).derive(ikm)

    assert case_1.hex() == (
        "3cb25f25faacd57a90434f64d0362f2a2d2d0a90cf1a5a4c5db02d56ecc4c5bf34007208d5b887185865"
    )
    # Test case 3: empty salt and info, as the key schedule uses an empty salt.
    assert refclient.hkdf(ikm, b"", 42).hex() == (
        "8da4e775a563c18f715f802a063c5a31b8a11f5c5ee1879ec3454e5f3c738d2d9d201395faa4b61a96c8"
    )


def test_aes_256_gcm_matches_the_gcm_spec_test_case_16() -> None:
    key = h("feffe9928665731c6d6a8f9467308308feffe9928665731c6d6a8f9467308308")
    iv = h("cafebabefacedbaddecaf888")
    plaintext = h(
        "d9313225f88406e5a55909c5aff5269a86a7a9531534f7da2e4c303d8a318a72"
        "1c3c0c95956809532fcf0e2449a6b525b16aedf5aa0de657ba637b39"
    )
    aad = h("feedfacedeadbeeffeedfacedeadbeefabaddad2")

    sealed = AESGCM(key).encrypt(iv, plaintext, aad)

    assert sealed.hex() == (
        "522dc1f099567d07f47f37a32a84427d643a8cdcbfe5c0c97598a2bd2555d1aa"
        "8cb08e48590dbb3da7b08b1056828838c5f61e6393ba7a0abcc9f662"
        "76fc6ece0f4e1768cddf8853bb2d551b"
    )


def test_the_secret_key_schedule_reproduces_its_vectors() -> None:
    """Version 2: the secret key mixed into the root; everything after the root is as in v1."""
    v = load("followthrough-sync-v2-secret-key.json")
    account_id, seed = h(v["account_id"]), h(v["seed"])

    keys = refclient.derive(
        v["passphrase"],
        account_id,
        seed,
        v["iterations"],
        v["label"],
        secret_key=h(v["secret_key"]),
    )
    plain = refclient.derive(v["passphrase"], account_id, seed, v["iterations"], v["label"])

    assert keys.root.hex() == v["root"]
    assert (keys.auth_key.hex(), keys.kek.hex()) == (v["auth_key"], v["kek"])
    assert plain.root.hex() == v["stretched"]  # version 1's root is the stretched passphrase
    assert keys.auth_key != plain.auth_key
    assert verifier(bytes(32), keys.auth_key).hex() == v["auth_verifier (pepper = 32 zero bytes)"]
    assert refclient.unwrap(keys.kek, h(v["wrapped_dek"]), account_id, 1, v["label"]) == h(v["dek"])


def test_without_the_secret_key_a_right_passphrase_opens_nothing() -> None:
    v = load("followthrough-sync-v2-secret-key.json")
    account_id, seed = h(v["account_id"]), h(v["seed"])
    wrong_secret = bytes(16)

    for keys in (
        refclient.derive(v["passphrase"], account_id, seed, v["iterations"], v["label"]),
        refclient.derive(
            v["passphrase"], account_id, seed, v["iterations"], v["label"], secret_key=wrong_secret
        ),
    ):
        assert (
            verifier(bytes(32), keys.auth_key).hex() != v["auth_verifier (pepper = 32 zero bytes)"]
        )
        with pytest.raises(InvalidTag):
            refclient.unwrap(keys.kek, h(v["wrapped_dek"]), account_id, 1, v["label"])


def test_keyed_record_ids_reproduce_their_vectors() -> None:
    v = load("followthrough-sync-v2-secret-key.json")
    account_id = h(v["account_id"])

    key = refclient.id_key(h(v["dek"]), account_id, v["label"])

    assert key.hex() == v["id_key"]
    assert (
        refclient.keyed_record_id(key, "people", "p1", v["label"]).hex()
        == (v["record_id_of_people_p1"])
    )
    assert (
        refclient.keyed_record_id(key, "people", "p2", v["label"]).hex()
        != (v["record_id_of_people_p1"])
    )
