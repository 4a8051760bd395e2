"""Group commit in the SQLite store (issue #21): writes that queue while another is in hand
share one commit (one fsync), each returns only once that commit is on the disk, and one that
fails is rolled back alone."""

from __future__ import annotations

import sqlite3
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from server.records import StorageError
from server.sqlite_store import SqliteStore


@pytest.fixture
def store(tmp_path: Path) -> Iterator[SqliteStore]:
    store = SqliteStore(tmp_path / "sync.sqlite3")
    with store._transaction(write=True) as cur:
        cur.execute("CREATE TABLE notes (n INTEGER PRIMARY KEY)")
    yield store
    store.close()


def committed(path: Path) -> set[int]:
    """What another connection reads: only what was committed."""
    connection = sqlite3.connect(path)
    try:
        return {row[0] for row in connection.execute("SELECT n FROM notes")}
    finally:
        connection.close()


def commits_during(store: SqliteStore, statements: list[str]) -> None:
    store._writer.set_trace_callback(statements.append)


def wait_until(condition: object) -> None:
    deadline = time.monotonic() + 10
    while not condition():  # type: ignore[operator]
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.005)


def queue_writes(
    store: SqliteStore, numbers: list[int], outcomes: dict[int, str], seen: dict[int, set[int]]
) -> list[threading.Thread]:
    """One thread per number, each inserting it (a duplicate fails), behind a write in hand."""

    def write(n: int) -> None:
        try:
            with store._transaction(write=True) as cur:
                cur.execute("INSERT INTO notes (n) VALUES (?)", (n,))
            outcomes[n] = "ok"
            seen[n] = committed(store.path)
        except sqlite3.IntegrityError:
            outcomes[n] = "refused"

    threads = [threading.Thread(target=write, args=(n,)) for n in numbers]
    for thread in threads:
        thread.start()
    return threads


def test_writes_that_queue_behind_one_share_its_commit_and_each_returns_once_committed(
    store: SqliteStore,
) -> None:
    statements: list[str] = []
    commits_during(store, statements)
    gate = threading.Event()
    outcomes: dict[int, str] = {}
    seen: dict[int, set[int]] = {}

    def first() -> None:
        with store._transaction(write=True) as cur:
            cur.execute("INSERT INTO notes (n) VALUES (0)")
            gate.wait()
        seen[0] = committed(store.path)

    holder = threading.Thread(target=first)
    holder.start()
    wait_until(lambda: "INSERT INTO notes (n) VALUES (0)" in statements)
    threads = queue_writes(store, [1, 2, 3, 4], outcomes, seen)
    wait_until(lambda: store._wanting == 4)
    gate.set()
    for thread in [holder, *threads]:
        thread.join(10)

    assert outcomes == dict.fromkeys([1, 2, 3, 4], "ok")
    assert statements.count("COMMIT") == 1, "five writes, one commit"
    assert all(seen[n] >= {n} for n in range(5)), "each returned once its row was committed"
    assert committed(store.path) == {0, 1, 2, 3, 4}


def test_a_write_that_fails_in_a_group_is_rolled_back_alone(store: SqliteStore) -> None:
    gate = threading.Event()
    outcomes: dict[int, str] = {}
    seen: dict[int, set[int]] = {}
    statements: list[str] = []
    commits_during(store, statements)

    def first() -> None:
        with store._transaction(write=True) as cur:
            cur.execute("INSERT INTO notes (n) VALUES (0)")
            gate.wait()

    holder = threading.Thread(target=first)
    holder.start()
    wait_until(lambda: "INSERT INTO notes (n) VALUES (0)" in statements)
    threads = queue_writes(store, [1, 0, 2], outcomes, seen)  # 0 again: refused
    wait_until(lambda: store._wanting == 3)
    gate.set()
    for thread in [holder, *threads]:
        thread.join(10)

    assert outcomes == {1: "ok", 0: "refused", 2: "ok"}
    assert committed(store.path) == {0, 1, 2}


def test_when_the_shared_commit_fails_every_write_of_the_group_fails(store: SqliteStore) -> None:
    real = store._writer
    statements: list[str] = []
    commits_during(store, statements)

    class FailingCommit:
        """The writer connection, except that COMMIT fails (a full disk, say)."""

        def execute(self, sql: str, *args: object) -> object:
            if sql == "COMMIT":
                raise sqlite3.OperationalError("disk I/O error")
            return real.execute(sql, *args)

        def __getattr__(self, name: str) -> object:
            return getattr(real, name)

    gate = threading.Event()
    failures: list[str] = []

    def write(n: int, hold: bool) -> None:
        try:
            with store._transaction(write=True) as cur:
                cur.execute(f"INSERT INTO notes (n) VALUES ({n})")
                if hold:
                    gate.wait()
        except StorageError as problem:
            failures.append(str(problem))

    store._writer = FailingCommit()  # type: ignore[assignment]
    try:
        holder = threading.Thread(target=write, args=(0, True))
        holder.start()
        wait_until(lambda: "INSERT INTO notes (n) VALUES (0)" in statements)
        threads = [threading.Thread(target=write, args=(n, False)) for n in (1, 2)]
        for thread in threads:
            thread.start()
        wait_until(lambda: store._wanting == 2)
        gate.set()
        for thread in [holder, *threads]:
            thread.join(10)
    finally:
        store._writer = real

    assert failures == ["disk I/O error"] * 3, "none of the three is acknowledged"
    assert committed(store.path) == set()
    with store._transaction(write=True) as cur:
        cur.execute("INSERT INTO notes (n) VALUES (8)")
    assert committed(store.path) == {8}, "the writer works again after a failed commit"
