"""The ChangeStore contract, run against the in-memory fake, SQLite and a throwaway PostgreSQL."""

from __future__ import annotations

import contextlib
import os
import threading
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest

from server.postgres_store import PostgresStore
from server.records import (
    BasedOnFutureError,
    ChangeStore,
    CursorAheadError,
    NewAccount,
    PassphraseChange,
    PushItem,
    Quota,
    QuotaExceededError,
    WrappedKey,
)
from server.sqlite_store import SqliteStore
from server.storage import open_store
from tests.server.conftest import NIGHTLY, PostgresCluster, StoreFactory

TODAY = "2026-11-23"
BIG = Quota(bytes=10**9, rows=10**9)


def new_account(account_id: bytes | None = None) -> NewAccount:
    return NewAccount(
        account_id=account_id or os.urandom(16),
        kdf='{"alg":"pbkdf2-sha256","iterations":600000,"seed":"AA==","v":1}',
        auth_verifier=b"v" * 32,
        recovery_verifier=b"r" * 32,
        log_id=os.urandom(16),
        keys=(WrappedKey(key_id=1, wrapped_dek=b"w" * 60, recovery_wrapped_dek=b"x" * 60),),
    )


def item(record_id: bytes, based_on: int = 0, size: int = 289, tag: int = 0) -> PushItem:
    return PushItem(record_id=record_id, based_on_seq=based_on, envelope=bytes([tag]) * size)


def make_account(store: ChangeStore) -> bytes:
    account = new_account()
    assert store.create_account(account, today=TODAY)
    return account.account_id


def seqs(store: ChangeStore, account_id: bytes, since: int = 0) -> list[int]:
    """Every seq in the log after `since`, page by page."""
    found: list[int] = []
    while True:
        page = store.pull(account_id, since, limit=10_000, max_bytes=10**9)
        found += [row.seq for row in page.rows]
        if not page.more:
            return found
        since = found[-1]


def test_an_account_round_trips_and_its_id_cannot_be_taken_twice(store: ChangeStore) -> None:
    account = new_account()

    assert store.create_account(account, today=TODAY)
    assert not store.create_account(new_account(account.account_id), today=TODAY)
    found = store.get_account(account.account_id)
    assert found is not None
    assert (found.kdf, found.key_epoch, found.last_seq) == (account.kdf, 1, 0)
    assert found.keys == account.keys
    assert found.log_id == account.log_id
    assert store.get_account(os.urandom(16)) is None


def test_a_push_gets_consecutive_seqs_and_pull_returns_them_in_order(store: ChangeStore) -> None:
    account_id = make_account(store)
    records = [os.urandom(16) for _ in range(5)]

    first = store.push(
        account_id, b"1" * 16, [item(r) for r in records[:3]], today=TODAY, quota=BIG
    )
    second = store.push(
        account_id, b"2" * 16, [item(r) for r in records[3:]], today=TODAY, quota=BIG
    )

    assert (first.first_seq, first.last_seq, second.first_seq, second.last_seq) == (1, 3, 4, 5)
    page = store.pull(account_id, 0, limit=2, max_bytes=10**9)
    assert [row.seq for row in page.rows] == [1, 2]
    assert page.more
    assert [row.record_id for row in page.rows] == records[:2]
    last = store.pull(account_id, 4, limit=2, max_bytes=10**9)
    assert [row.seq for row in last.rows] == [5]
    assert not last.more


def test_a_resent_batch_returns_its_first_range_and_writes_nothing(store: ChangeStore) -> None:
    account_id = make_account(store)
    batch = [item(os.urandom(16)), item(os.urandom(16))]

    results = [store.push(account_id, b"b" * 16, batch, today=TODAY, quota=BIG) for _ in range(10)]

    assert {(r.first_seq, r.last_seq) for r in results} == {(1, 2)}
    assert [r.replayed for r in results] == [False] + [True] * 9
    assert seqs(store, account_id) == [1, 2]


def test_batch_ids_are_per_account(store: ChangeStore) -> None:
    one, two = make_account(store), make_account(store)
    store.push(one, b"b" * 16, [item(os.urandom(16))], today=TODAY, quota=BIG)

    result = store.push(two, b"b" * 16, [item(os.urandom(16))], today=TODAY, quota=BIG)

    assert not result.replayed
    assert seqs(store, two) == [1]


def test_a_push_prunes_only_the_versions_its_record_was_based_on(store: ChangeStore) -> None:
    account_id = make_account(store)
    mine, other = os.urandom(16), os.urandom(16)
    store.push(account_id, b"1" * 16, [item(mine), item(other)], today=TODAY, quota=BIG)  # 1, 2
    store.push(account_id, b"2" * 16, [item(mine)], today=TODAY, quota=BIG)  # 3

    store.push(account_id, b"3" * 16, [item(mine, based_on=2)], today=TODAY, quota=BIG)  # 4

    assert seqs(store, account_id) == [2, 3, 4]  # seq 3 is newer than what 4 was based on


def test_a_push_based_on_a_future_seq_is_refused_whole(store: ChangeStore) -> None:
    account_id = make_account(store)
    store.push(account_id, b"1" * 16, [item(os.urandom(16))], today=TODAY, quota=BIG)

    with pytest.raises(BasedOnFutureError):
        store.push(
            account_id,
            b"2" * 16,
            [item(os.urandom(16)), item(os.urandom(16), based_on=2)],
            today=TODAY,
            quota=BIG,
        )

    assert seqs(store, account_id) == [1]
    assert not store.push(
        account_id, b"2" * 16, [item(os.urandom(16))], today=TODAY, quota=BIG
    ).replayed


def test_the_quota_counts_bytes_and_rows_after_pruning(store: ChangeStore) -> None:
    account_id = make_account(store)
    record = os.urandom(16)
    quota = Quota(bytes=1000, rows=3)
    store.push(account_id, b"1" * 16, [item(record, size=600)], today=TODAY, quota=quota)

    with pytest.raises(QuotaExceededError):
        store.push(
            account_id, b"2" * 16, [item(os.urandom(16), size=600)], today=TODAY, quota=quota
        )
    # Replacing the record frees its old bytes first.
    store.push(
        account_id, b"3" * 16, [item(record, based_on=1, size=600)], today=TODAY, quota=quota
    )
    store.push(account_id, b"4" * 16, [item(os.urandom(16), size=100)], today=TODAY, quota=quota)
    store.push(account_id, b"5" * 16, [item(os.urandom(16), size=100)], today=TODAY, quota=quota)
    with pytest.raises(QuotaExceededError):
        store.push(account_id, b"6" * 16, [item(os.urandom(16), size=10)], today=TODAY, quota=quota)

    assert seqs(store, account_id) == [2, 3, 4]


def test_a_page_stops_at_the_byte_cap_but_never_comes_back_empty(store: ChangeStore) -> None:
    account_id = make_account(store)
    store.push(
        account_id,
        b"1" * 16,
        [item(os.urandom(16), size=size) for size in (5000, 300, 300, 300)],
        today=TODAY,
        quota=BIG,
    )

    alone = store.pull(account_id, 0, limit=500, max_bytes=1000)
    next_three = store.pull(account_id, 1, limit=500, max_bytes=1000)

    assert [row.seq for row in alone.rows] == [1]
    assert alone.more
    assert [row.seq for row in next_three.rows] == [2, 3, 4]
    assert not next_three.more


def test_a_cursor_beyond_the_log_is_refused(store: ChangeStore) -> None:
    account_id = make_account(store)
    store.push(account_id, b"1" * 16, [item(os.urandom(16))], today=TODAY, quota=BIG)

    assert store.pull(account_id, 1, limit=5, max_bytes=10**6).rows == ()
    with pytest.raises(CursorAheadError):
        store.pull(account_id, 2, limit=5, max_bytes=10**6)


def test_sessions_expire_by_day_and_only_the_newest_ten_stay(store: ChangeStore) -> None:
    account_id = make_account(store)
    hashes = [bytes([n]) * 32 for n in range(12)]
    for token_hash in hashes:
        store.add_session(
            account_id, token_hash, key_epoch=1, expires_day="2027-02-21", max_sessions=10
        )

    live = [h for h in hashes if store.get_session(h, today=TODAY)]

    assert live == hashes[2:]
    session = store.get_session(hashes[5], today=TODAY)
    assert session is not None
    assert (session.account_id, session.key_ids, session.is_stale) == (account_id, {1}, False)
    assert store.get_session(hashes[5], today="2027-02-22") is None
    store.extend_session(hashes[5], "2027-03-01")
    assert store.get_session(hashes[5], today="2027-02-22") is not None


def test_sessions_can_be_revoked_one_or_all_but_one(store: ChangeStore) -> None:
    account_id, other = make_account(store), make_account(store)
    for n in range(3):
        store.add_session(
            account_id, bytes([n]) * 32, key_epoch=1, expires_day="2027-01-01", max_sessions=10
        )
    store.add_session(other, b"o" * 32, key_epoch=1, expires_day="2027-01-01", max_sessions=10)

    assert store.delete_session(b"\0" * 32)
    assert not store.delete_session(b"\0" * 32)
    assert store.delete_other_sessions(account_id, b"\1" * 32) == 1

    assert store.get_session(b"\1" * 32, today=TODAY) is not None
    assert store.get_session(b"\2" * 32, today=TODAY) is None
    assert store.get_session(b"o" * 32, today=TODAY) is not None


def test_a_passphrase_change_is_a_compare_and_swap_on_the_epoch(store: ChangeStore) -> None:
    account_id = make_account(store)
    store.add_session(account_id, b"s" * 32, key_epoch=1, expires_day="2027-01-01", max_sessions=10)
    change = PassphraseChange(
        account_id=account_id,
        expected_key_epoch=1,
        kdf='{"new":1}',
        auth_verifier=b"n" * 32,
        wrapped={1: b"W" * 60},
    )

    assert store.change_passphrase(change) == 2
    assert store.change_passphrase(change) is None

    account = store.get_account(account_id)
    assert account is not None
    assert (account.kdf, account.auth_verifier, account.key_epoch) == ('{"new":1}', b"n" * 32, 2)
    assert account.keys == (
        WrappedKey(key_id=1, wrapped_dek=b"W" * 60, recovery_wrapped_dek=b"x" * 60),
    )
    assert account.recovery_verifier == b"r" * 32
    session = store.get_session(b"s" * 32, today=TODAY)
    assert session is not None
    assert session.is_stale


def test_forgotten_batch_ids_are_appended_again(store: ChangeStore) -> None:
    account_id = make_account(store)
    batch = [item(os.urandom(16))]
    store.push(account_id, b"b" * 16, batch, today="2026-10-01", quota=BIG)

    store.forget(batches_before="2026-10-24", sessions_before=TODAY)

    assert not store.push(account_id, b"b" * 16, batch, today=TODAY, quota=BIG).replayed
    assert seqs(store, account_id) == [1, 2]


def test_the_log_survives_closing_and_reopening(store_factory: StoreFactory) -> None:
    first = store_factory()
    account_id = make_account(first)
    first.push(account_id, b"b" * 16, [item(os.urandom(16))], today=TODAY, quota=BIG)
    first.close()

    again = store_factory()  # migrations run again: nothing to do

    assert seqs(again, account_id) == [1]
    assert again.push(
        account_id, b"b" * 16, [item(os.urandom(16))], today=TODAY, quota=BIG
    ).replayed


def test_sqlite_runs_in_wal_mode_with_full_sync(tmp_path: Path) -> None:
    store = SqliteStore(tmp_path / "s.sqlite3")

    assert store.pragmas() == {"journal_mode": "wal", "synchronous": 2}
    store.close()


def test_database_urls_pick_the_store(tmp_path: Path) -> None:
    store = open_store(f"sqlite:///{tmp_path / 'x' / 'y.sqlite3'}")

    assert isinstance(store, SqliteStore)
    assert (tmp_path / "x" / "y.sqlite3").is_file()
    store.close()
    with pytest.raises(Exception, match="Unsupported"):
        open_store("mysql://nope")


# --- Crashes between statements -----------------------------------------------------------------


class _Crash(Exception):
    pass


@contextlib.contextmanager
def crash_at(store: ChangeStore, statement: int) -> Iterator[None]:
    """Make the store's next write transaction fail before its n-th statement."""
    original = store._transaction  # type: ignore[attr-defined]
    count = 0

    @contextlib.contextmanager
    def failing(*, write: bool) -> Iterator[Any]:
        with original(write=write) as cursor:
            if not write:
                yield cursor
                return

            class Failing:
                def __getattr__(self, name: str) -> Any:
                    return getattr(cursor, name)

                def execute(self, sql: str, params: Any = ()) -> None:
                    nonlocal count
                    count += 1
                    if count == statement:
                        raise _Crash
                    cursor.execute(sql, params)

                def executemany(self, sql: str, params: Any) -> None:
                    self.execute("-- many", ())
                    cursor.executemany(sql, params)

            yield Failing()

    store._transaction = failing  # type: ignore[attr-defined]
    try:
        yield
    finally:
        store._transaction = original  # type: ignore[attr-defined]


@pytest.mark.parametrize("kind", ["sqlite", "postgres"])
def test_a_push_that_dies_between_any_two_statements_leaves_nothing_and_retries_once(
    kind: str, tmp_path: Path, request: pytest.FixtureRequest
) -> None:
    if kind == "sqlite":
        store: ChangeStore = SqliteStore(tmp_path / "c.sqlite3")
    else:
        store = PostgresStore(request.getfixturevalue("postgres").new_database())
    account_id = make_account(store)
    record = os.urandom(16)
    store.push(account_id, b"0" * 16, [item(record)], today=TODAY, quota=BIG)
    acknowledged = [1]

    for statement in range(1, 9):  # a push is 6 statements here (7 and 8: none fails)
        batch_id = bytes([statement]) * 16
        batch = [item(record, based_on=acknowledged[-1]), item(os.urandom(16))]
        with crash_at(store, statement), contextlib.suppress(_Crash):
            store.push(account_id, batch_id, batch, today=TODAY, quota=BIG)
        result = store.push(account_id, batch_id, batch, today=TODAY, quota=BIG)
        again = store.push(account_id, batch_id, batch, today=TODAY, quota=BIG)
        assert (again.first_seq, again.last_seq) == (result.first_seq, result.last_seq)
        acknowledged.append(result.last_seq)

    rows = store.pull(account_id, 0, limit=500, max_bytes=10**9).rows
    assert len({row.seq for row in rows}) == len(rows)
    assert [row.record_id for row in rows].count(record) == 1  # older versions pruned, none doubled
    store.close()


# --- Concurrency: seqs become visible in order ----------------------------------------------------


@pytest.mark.parametrize("kind", ["sqlite", "postgres"])
def test_concurrent_pushers_never_make_a_reader_skip_a_seq(
    kind: str, tmp_path: Path, request: pytest.FixtureRequest
) -> None:
    """C4: 20 pushers on one account while a reader pulls: the union of what the reader saw is
    exactly the final log (1,000 batches each in the nightly run)."""
    pushers, batches = 20, (1000 if NIGHTLY else 25)
    if kind == "sqlite":
        store: ChangeStore = SqliteStore(tmp_path / "c.sqlite3")
    else:
        cluster: PostgresCluster = request.getfixturevalue("postgres")
        store = PostgresStore(cluster.new_database(), max_connections=pushers + 2)
    account_id = make_account(store)
    done = threading.Event()
    seen: list[int] = []

    def push(pusher: int) -> None:
        for n in range(batches):
            size = 1 + (pusher + n) % 3
            store.push(
                account_id,
                os.urandom(16),
                [item(os.urandom(16)) for _ in range(size)],
                today=TODAY,
                quota=BIG,
            )

    def read() -> None:
        cursor = 0
        while True:
            finished = done.is_set()
            page = store.pull(account_id, cursor, limit=7, max_bytes=10**9)
            seen.extend(row.seq for row in page.rows)
            if page.rows:
                cursor = page.rows[-1].seq
            elif finished:
                return

    reader = threading.Thread(target=read)
    reader.start()
    with ThreadPoolExecutor(pushers) as pool:
        list(pool.map(push, range(pushers)))
    done.set()
    reader.join(timeout=120)

    final = seqs(store, account_id)
    assert final == list(range(1, len(final) + 1))
    assert seen == final
    store.close()


def test_the_stores_share_their_values_through_records_and_import_no_circle() -> None:
    """storage.py opens the SQL stores; the SQL modules must not import storage.py back."""
    import ast
    from pathlib import Path

    server = Path(__file__).resolve().parents[2] / "server"
    for name in ("sql.py", "sqlite_store.py", "postgres_store.py"):
        imported = {
            node.module
            for node in ast.walk(ast.parse((server / name).read_text()))
            if isinstance(node, ast.ImportFrom)
        }

        assert "server.storage" not in imported, name
        assert "server.records" in imported, name
