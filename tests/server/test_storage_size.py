"""What the log costs on disk: edits take their old version's place, new SQLite files get 16 KiB
pages, and databases made before that (schema version 2, 4 KiB pages) upgrade with every
record served byte for byte as before."""

from __future__ import annotations

import contextlib
import os
import sqlite3
from pathlib import Path

import pytest

from server.compact import main as compact_main
from server.postgres_store import PostgresStore
from server.records import ChangeStore, LogRow, PushItem, StorageError
from server.sql import POSTGRES_MIGRATIONS, SQLITE_MIGRATIONS, Cursor, migrate
from server.sqlite_store import PAGE_SIZE, SqliteStore, compact
from tests.server.conftest import PostgresCluster
from tests.server.test_storage import BIG, TODAY, make_account

MAIN_VERSION = 2  # the schema version of databases made before this change


def envelope(size_class: int) -> bytes:
    """An envelope of one of the app's size classes: header, random ciphertext, tag."""
    return os.urandom(33 + size_class)


def push(store: ChangeStore, account_id: bytes, items: list[PushItem]) -> int:
    return store.push(account_id, os.urandom(16), items, today=TODAY, quota=BIG).first_seq


def everything(store: ChangeStore, account_id: bytes) -> list[LogRow]:
    return list(store.pull(account_id, 0, limit=100_000, max_bytes=10**12).rows)


class Log:
    """An account's records and the seq of each one's latest version."""

    def __init__(self, store: ChangeStore) -> None:
        self.store = store
        self.account_id = make_account(store)
        self.seq_of: dict[bytes, int] = {}

    def write(self, record_ids: list[bytes], size_class: int = 1024) -> None:
        items = [
            PushItem(record_id=r, based_on_seq=self.seq_of.get(r, 0), envelope=envelope(size_class))
            for r in record_ids
        ]
        first = push(self.store, self.account_id, items)
        for offset, record_id in enumerate(record_ids):
            self.seq_of[record_id] = first + offset


def page_count(path: Path) -> int:
    with contextlib.closing(sqlite3.connect(path)) as db:
        db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        return int(db.execute("PRAGMA page_count").fetchone()[0])


# --- SQLite: pages and places -------------------------------------------------------------------


def test_a_new_sqlite_file_has_16_kib_pages(tmp_path: Path) -> None:
    store = SqliteStore(tmp_path / "sync.sqlite3")
    try:
        assert store.page_size == PAGE_SIZE == 16384
        assert store.pragmas() == {"journal_mode": "wal", "synchronous": 2}
    finally:
        store.close()


def test_editing_records_over_and_over_does_not_grow_the_sqlite_file(tmp_path: Path) -> None:
    store = SqliteStore(tmp_path / "sync.sqlite3")
    try:
        log = Log(store)
        records = [os.urandom(16) for _ in range(300)]
        log.write(records)
        pages = page_count(tmp_path / "sync.sqlite3")
        for round_ in range(5):
            for start in range(round_, 300, 7):
                log.write(records[start : start + 3])
        assert page_count(tmp_path / "sync.sqlite3") <= pages + 2  # the batches' rows
        rows = everything(store, log.account_id)
        assert sorted(row.seq for row in rows) == sorted(log.seq_of.values())
    finally:
        store.close()


def test_a_push_that_supersedes_the_last_row_and_adds_a_record_keeps_both(tmp_path: Path) -> None:
    # The new record's rowid would be max(rowid) + 1: the place the superseded last row left.
    store = SqliteStore(tmp_path / "sync.sqlite3")
    try:
        log = Log(store)
        first, last, new = os.urandom(16), os.urandom(16), os.urandom(16)
        log.write([first, last])
        log.write([new, last])
        rows = everything(store, log.account_id)
        assert [(row.seq, row.record_id) for row in rows] == [(1, first), (3, new), (4, last)]
    finally:
        store.close()


def test_a_record_with_two_concurrent_versions_keeps_one_place_and_frees_the_other(
    tmp_path: Path,
) -> None:
    store = SqliteStore(tmp_path / "sync.sqlite3")
    try:
        log = Log(store)
        record = os.urandom(16)
        log.write([record])
        base = log.seq_of[record]
        push(
            store, log.account_id, [PushItem(record_id=record, based_on_seq=0, envelope=b"a" * 289)]
        )
        push(
            store,
            log.account_id,
            [PushItem(record_id=record, based_on_seq=base, envelope=b"b" * 289)],
        )
        push(
            store, log.account_id, [PushItem(record_id=record, based_on_seq=3, envelope=b"c" * 289)]
        )
        assert [(row.seq, row.envelope) for row in everything(store, log.account_id)] == [
            (4, b"c" * 289)
        ]
    finally:
        store.close()


# --- Upgrading what the older code made --------------------------------------------------------


class OldSqlite(SqliteStore):
    """The store as it was: schema version 2, 4 KiB pages, every new row at the table's end."""

    _place_column = ""

    def __init__(self, path: Path) -> None:
        if not path.exists():
            with contextlib.closing(sqlite3.connect(path)) as db:
                db.execute("PRAGMA page_size = 4096")
                db.execute("PRAGMA journal_mode = WAL")
        super().__init__(path)

    def _migrate(self) -> None:
        with self._transaction(write=True) as cur:
            migrate(cur, SQLITE_MIGRATIONS[:MAIN_VERSION], integer="INTEGER")


class OldPostgres(PostgresStore):
    _place_column = ""

    def _migrate(self) -> None:
        with self._transaction(write=True) as cur:
            migrate(cur, POSTGRES_MIGRATIONS[:MAIN_VERSION], integer="BIGINT")


def old_log(store: ChangeStore) -> tuple[bytes, list[LogRow]]:
    """An account with every size class, edits and a record with two versions, as served."""
    log = Log(store)
    records = [os.urandom(16) for _ in range(120)]
    for size_class, part in zip(
        (1024, 2048, 4096), (records[:80], records[80:110], records[110:]), strict=True
    ):
        log.write(part, size_class)
    for start in range(0, 120, 9):
        log.write(records[start : start + 2], 1024 if start < 80 else 2048)
    push(
        store, log.account_id, [PushItem(record_id=records[5], based_on_seq=0, envelope=b"z" * 289)]
    )
    rows = everything(store, log.account_id)
    assert len(rows) == 121
    return log.account_id, rows


def schema_version(cur: Cursor) -> int:
    cur.execute("SELECT max(version) FROM schema_version")
    row = cur.one()
    assert row is not None
    return int(row[0])


def still_serves(store: ChangeStore, account_id: bytes, rows: list[LogRow]) -> None:
    assert everything(store, account_id) == rows
    # and takes edits: one more version of the first record supersedes it
    first = rows[0]
    push(
        store,
        account_id,
        [PushItem(record_id=first.record_id, based_on_seq=first.seq, envelope=b"n" * 289)],
    )
    after = everything(store, account_id)
    assert after[:-1] == rows[1:]
    assert after[-1].envelope == b"n" * 289


def test_an_sqlite_file_from_before_serves_every_record_as_it_was_then_compacts(
    tmp_path: Path,
) -> None:
    path = tmp_path / "sync.sqlite3"
    old = OldSqlite(path)
    account_id, rows = old_log(old)
    old.close()

    store = SqliteStore(path)
    try:
        assert store.page_size == 4096  # a WAL file keeps its pages until compacted
        with store._transaction(write=False) as cur:
            assert schema_version(cur) == len(SQLITE_MIGRATIONS)
        assert everything(store, account_id) == rows
        with pytest.raises(StorageError, match="not compacted"):
            compact(path)  # the server has it open
    finally:
        store.close()

    assert compact_main([f"sqlite:///{path}"]) == 0
    store = SqliteStore(path)
    try:
        assert store.page_size == PAGE_SIZE
        still_serves(store, account_id, rows)
    finally:
        store.close()


@pytest.fixture
def postgres_url(postgres: PostgresCluster) -> str:
    return postgres.new_database()


def test_a_postgres_database_from_before_serves_every_record_as_it_was(postgres_url: str) -> None:
    old = OldPostgres(postgres_url)
    account_id, rows = old_log(old)
    old.close()

    store = PostgresStore(postgres_url)
    try:
        with store._transaction(write=False) as cur:
            assert schema_version(cur) == len(POSTGRES_MIGRATIONS)
            cur.execute("SELECT reloptions FROM pg_class WHERE oid = 'changes'::regclass")
            assert cur.one() == (["autovacuum_vacuum_scale_factor=0.02"],)
        still_serves(store, account_id, rows)
    finally:
        store.close()


def test_compact_names_what_it_cannot_do(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert compact_main([f"sqlite:///{tmp_path / 'missing.sqlite3'}"]) == 1
    assert "No SQLite database" in capsys.readouterr().err
    assert compact_main(["postgresql://db/x"]) == 1
    assert "Not an SQLite URL" in capsys.readouterr().err
