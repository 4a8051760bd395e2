"""Erase now (docs/sync-protocol.md, "Erasing a record"): the server needs nothing new. A push
of the erased mark based on the last pulled seq deletes every older ciphertext of the record,
so after the next sync the server holds only the mark."""

from __future__ import annotations

import os

from server.records import ChangeStore
from tests.server.test_storage import BIG, TODAY, item, make_account


def envelopes(store: ChangeStore, account_id: bytes, record_id: bytes) -> list[bytes]:
    page = store.pull(account_id, 0, limit=10_000, max_bytes=10**9)
    return [row.envelope for row in page.rows if row.record_id == record_id]


def test_the_erased_mark_replaces_every_stored_ciphertext_of_the_record(store: ChangeStore) -> None:
    account_id = make_account(store)
    record, other = os.urandom(16), os.urandom(16)
    store.push(account_id, b"1" * 16, [item(record, tag=1), item(other)], today=TODAY, quota=BIG)
    store.push(account_id, b"2" * 16, [item(record, based_on=2, tag=2)], today=TODAY, quota=BIG)

    # The device that erases has pulled up to seq 3: its mark is based on it.
    store.push(account_id, b"3" * 16, [item(record, based_on=3, tag=9)], today=TODAY, quota=BIG)

    assert envelopes(store, account_id, record) == [bytes([9]) * 289]
    assert len(envelopes(store, account_id, other)) == 1


def test_a_version_pushed_meanwhile_goes_when_the_mark_is_pushed_again(store: ChangeStore) -> None:
    account_id = make_account(store)
    record = os.urandom(16)
    store.push(account_id, b"1" * 16, [item(record, tag=1)], today=TODAY, quota=BIG)  # 1
    store.push(account_id, b"2" * 16, [item(record, based_on=1, tag=9)], today=TODAY, quota=BIG)
    store.push(account_id, b"3" * 16, [item(record, based_on=1, tag=5)], today=TODAY, quota=BIG)

    # The eraser pulls seq 3 (old content), and sends its mark again based on it.
    store.push(account_id, b"4" * 16, [item(record, based_on=3, tag=9)], today=TODAY, quota=BIG)

    assert envelopes(store, account_id, record) == [bytes([9]) * 289]
