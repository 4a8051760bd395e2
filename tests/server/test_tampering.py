"""A server that tampers with what it stores (SYNC-DESIGN §7 E): the reference client rejects
every altered, swapped or malformed envelope, applies the rest of the page, and says which."""

from __future__ import annotations

import os
import random
import sqlite3
from pathlib import Path

import pytest

from server.sqlite_store import SqliteStore
from tests.server.builders import ACCOUNT_B, SEED_B, account_a, device, paired
from tests.server.conftest import http_client
from tests.server.refclient import Device

pytestmark = pytest.mark.anyio

# The envelope's byte regions (docs/sync-protocol.md §2).
REGIONS = {
    "version": (0, 1),
    "key_id": (1, 5),
    "iv": (5, 17),
    "ciphertext": (17, -16),
    "tag": (-16, None),
}


def rows(path: Path, account_id: bytes) -> list[tuple[int, bytes, bytes]]:
    with sqlite3.connect(path) as connection:
        return connection.execute(
            "SELECT seq, record_id, envelope FROM changes WHERE account_id = ? ORDER BY seq",
            (account_id,),
        ).fetchall()


def rewrite(
    path: Path,
    account_id: bytes,
    seq: int,
    *,
    envelope: bytes | None = None,
    record_id: bytes | None = None,
) -> None:
    with sqlite3.connect(path) as connection:
        if envelope is not None:
            connection.execute(
                "UPDATE changes SET envelope = ? WHERE account_id = ? AND seq = ?",
                (envelope, account_id, seq),
            )
        if record_id is not None:
            connection.execute(
                "UPDATE changes SET record_id = ? WHERE account_id = ? AND seq = ?",
                (record_id, account_id, seq),
            )


def flip(envelope: bytes, region: str, rng: random.Random) -> bytes:
    start, end = REGIONS[region]
    stop = len(envelope) + end if end is not None and end < 0 else (end or len(envelope))
    start = len(envelope) + start if start < 0 else start
    index = rng.randrange(start, stop)
    changed = bytearray(envelope)
    changed[index] ^= 1 << rng.randrange(8)
    return bytes(changed)


async def test_every_flipped_byte_region_is_rejected_and_the_rest_of_the_page_applies(
    tmp_path: Path,
) -> None:
    """E1: 100 envelopes, each with one bit flipped in one region (20 per region), among 100
    untouched ones in the same pages: all 100 rejected, nothing of them stored, the rest applied."""
    path = tmp_path / "s.sqlite3"
    store = SqliteStore(path)
    rng = random.Random(7)
    async with http_client(store) as http:
        phone = await account_a(http, "p")
        names = {}
        for n in range(200):
            record = os.urandom(16)
            names[record] = f"person {n}"
            phone.edit(record, "name", names[record])
        await phone.sync()
        stored = rows(path, phone.account_id)
        tampered = rng.sample(stored, 100)
        for index, (seq, _, envelope) in enumerate(tampered):
            region = list(REGIONS)[index % len(REGIONS)]
            rewrite(path, phone.account_id, seq, envelope=flip(envelope, region, rng))
        laptop = await paired(http, phone, "l")

        await laptop.pull(limit=500)

    store.close()
    bad = {record_id for _, record_id, _ in tampered}
    assert {r.record_id for r in laptop.rejected} == bad
    assert len(laptop.rejected) == 100
    assert not bad & set(laptop.records)
    assert {rid: s["f"]["name"][0] for rid, s in laptop.records.items()} == {
        rid: name for rid, name in names.items() if rid not in bad
    }
    assert laptop.cursor == stored[-1][0]  # the page was consumed, errors kept aside


async def test_envelopes_swapped_between_records_or_accounts_are_rejected(tmp_path: Path) -> None:
    """E2: the AAD binds the account and the record."""
    path = tmp_path / "s.sqlite3"
    store = SqliteStore(path)
    async with http_client(store) as http:
        alice = await account_a(http, "a")
        one, two = os.urandom(16), os.urandom(16)
        alice.edit(one, "name", "one")
        alice.edit(two, "name", "two")
        await alice.sync()
        bob = device(http, "b")
        await bob.create_account(
            "bob's passphrase", account_id=ACCOUNT_B, seed=SEED_B, dek=alice.deks[1]
        )
        bob_record = os.urandom(16)
        bob.edit(bob_record, "name", "bob's")
        await bob.sync()
        stored = {record_id: (seq, env) for seq, record_id, env in rows(path, alice.account_id)}
        bob_envelope = rows(path, ACCOUNT_B)[0][2]
        # Record two's state served as record one's; Bob's record served in Alice's log.
        rewrite(path, alice.account_id, stored[one][0], envelope=stored[two][1])
        rewrite(path, alice.account_id, stored[two][0], envelope=bob_envelope, record_id=bob_record)
        laptop = await paired(http, alice, "l")

        await laptop.pull()

    store.close()
    # Even with the same data key in both accounts, the account id in the AAD tells them apart.
    assert {r.record_id for r in laptop.rejected} == {one, bob_record}
    assert laptop.records == {}


@pytest.mark.parametrize(
    ("name", "mangle"),
    [
        ("truncated", lambda e: e[:40]),
        ("header only", lambda e: e[:17]),
        ("empty", lambda e: b""),
        ("64 KiB + 1", lambda e: e + os.urandom(64 * 1024 + 1 - len(e))),
        ("unknown key id", lambda e: e[:1] + (9).to_bytes(4, "big") + e[5:]),
        ("not padded", lambda e: e[: -16 - 256] + e[-16:]),
    ],
)
async def test_malformed_envelopes_from_the_server_are_rejected_cleanly(
    tmp_path: Path, name: str, mangle: object
) -> None:
    """E3: no exception escapes the sync loop; the good record next to it applies."""
    path = tmp_path / "s.sqlite3"
    store = SqliteStore(path)
    async with http_client(store) as http:
        phone = await account_a(http, "p")
        bad, good = os.urandom(16), os.urandom(16)
        phone.edit(bad, "name", "x" * 300)
        phone.edit(good, "name", "fine")
        await phone.sync()
        seq = next(s for s, rid, _ in rows(path, phone.account_id) if rid == bad)
        envelope = next(e for s, _, e in rows(path, phone.account_id) if s == seq)
        assert callable(mangle)
        rewrite(path, phone.account_id, seq, envelope=mangle(envelope))
        laptop: Device = await paired(http, phone, "l")

        await laptop.sync()

    store.close()
    assert [r.record_id for r in laptop.rejected] == [bad]
    assert set(laptop.records) == {good}


async def test_kdf_parameters_below_the_minimum_are_refused_by_the_client(tmp_path: Path) -> None:
    """F8: a server that lies about the KDF parameters (a downgrade) is not believed."""
    path = tmp_path / "s.sqlite3"
    store = SqliteStore(path)
    async with http_client(store) as http:
        phone = await account_a(http, "p")
        with sqlite3.connect(path) as db:
            db.execute(
                "UPDATE accounts SET kdf = ?",
                ('{"alg":"pbkdf2-sha256","iterations":1000,"seed":"AAAA","v":1}',),
            )
        laptop = device(http, "l")

        with pytest.raises(ValueError, match="weak KDF"):
            await laptop.login("correct horse battery staple", phone.account_id)

    store.close()
    assert laptop.token == ""
