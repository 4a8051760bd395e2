"""The SQLite store: one file, WAL journal, synchronous=FULL; the default."""

from __future__ import annotations

import contextlib
import queue
import sqlite3
import threading
from collections.abc import Iterator
from pathlib import Path

from server.records import StorageError
from server.sql import SQLITE_MIGRATIONS, Cursor, DbApiCursor, SqlStore, migrate

# The app's envelopes are 1, 2 or 4 KiB plus 33 bytes (crypto.js size classes): on 4 KiB pages a
# 2 KiB-class row fills a page alone (twice its bytes); a 16 KiB page holds 14, 7 or 3 of them
# (bench/bench_storage.py). Only a new file takes it: a WAL database keeps its page size until
# `compact` rewrites it.
PAGE_SIZE = 16384
# Checkpoint at about 4 MiB of WAL whatever the page size, and cut the file back to that after a
# checkpoint, so a burst (or a long read holding checkpoints back) leaves no large WAL behind.
WAL_BYTES = 4 * 1024 * 1024


# At most this many write transactions share one commit (bounds the wait of the first one).
GROUP_MAX = 32


class _Group:
    """Write transactions that share one commit: each waits until it is on the disk."""

    def __init__(self) -> None:
        self.members = 0
        self.done = threading.Event()
        self.failure = ""  # why the commit failed, else empty


class SqliteStore(SqlStore):
    """One file, WAL journal, synchronous=FULL: a push is acknowledged only after its commit
    reached the disk. One writer connection (writes are serial in SQLite anyway; waiting on a
    Python lock is cheaper than SQLite's busy-retry sleeps) and a pool of readers.

    Group commit: while one commit waits for the disk (an fsync can take tens of milliseconds
    on a busy disk), the write transactions that arrive queue for the writer. Each runs in its
    own savepoint of one shared transaction, and the last of the queue commits for all (at most
    GROUP_MAX): one fsync covers several pushes. Every one of them returns only once that commit
    is durable, and all fail together if it fails; one that raises is rolled back to its
    savepoint alone. Nothing is acknowledged before it is on the disk."""

    fast_reads = True
    _place_column = ", rowid"

    def __init__(self, path: Path, *, readers: int = 8) -> None:
        self.path = path
        path.parent.mkdir(parents=True, exist_ok=True)
        self._write_lock = threading.Lock()
        self._wanting_lock = threading.Lock()
        self._wanting = 0  # write transactions waiting for the writer
        self._group: _Group | None = None  # the open shared transaction, if any
        self._writer = self._connect()
        self._readers: queue.LifoQueue[sqlite3.Connection] = queue.LifoQueue()
        self._all_readers: list[sqlite3.Connection] = []
        self._reader_slots = threading.BoundedSemaphore(readers)
        self._readers_lock = threading.Lock()
        self._migrate()

    def _connect(self) -> sqlite3.Connection:
        connection = sqlite3.connect(
            self.path, isolation_level=None, check_same_thread=False, timeout=5.0
        )
        connection.execute(f"PRAGMA page_size = {PAGE_SIZE}")  # a new, empty file only
        connection.execute("PRAGMA journal_mode = WAL")
        connection.execute("PRAGMA synchronous = FULL")
        connection.execute("PRAGMA busy_timeout = 5000")
        connection.execute(f"PRAGMA journal_size_limit = {WAL_BYTES}")
        page_size = int(connection.execute("PRAGMA page_size").fetchone()[0])
        connection.execute(f"PRAGMA wal_autocheckpoint = {max(WAL_BYTES // page_size, 1)}")
        return connection

    @property
    def page_size(self) -> int:
        with self._write_lock:
            return int(self._writer.execute("PRAGMA page_size").fetchone()[0])

    def pragmas(self) -> dict[str, object]:
        """journal_mode and synchronous as the writer sees them (checked at startup, C3)."""
        with self._write_lock:
            journal = self._writer.execute("PRAGMA journal_mode").fetchone()[0]
            synchronous = self._writer.execute("PRAGMA synchronous").fetchone()[0]
        return {"journal_mode": journal, "synchronous": synchronous}

    def _migrate(self) -> None:
        found = self.pragmas()
        if found != {"journal_mode": "wal", "synchronous": 2}:
            raise StorageError(f"SQLite refused WAL + synchronous=FULL: {found}")
        with self._transaction(write=True) as cur:
            migrate(cur, SQLITE_MIGRATIONS, integer="INTEGER")

    @contextlib.contextmanager
    def _transaction(self, *, write: bool) -> Iterator[Cursor]:
        if write:
            yield from self._write()
            return
        with self._reader_slots:
            try:
                connection = self._readers.get_nowait()
            except queue.Empty:
                connection = self._connect()
                with self._readers_lock:
                    self._all_readers.append(connection)
            try:
                yield from self._run(connection, "BEGIN")
            finally:
                self._readers.put(connection)

    def _write(self) -> Iterator[Cursor]:
        with self._wanting_lock:
            self._wanting += 1
        self._write_lock.acquire()
        with self._wanting_lock:
            self._wanting -= 1
        writer = self._writer
        group = self._group
        if group is None:
            try:
                writer.execute("BEGIN IMMEDIATE")
            except sqlite3.Error as error:
                self._write_lock.release()
                raise StorageError(str(error)) from error
            group = self._group = _Group()
        joined = False
        try:
            try:
                writer.execute("SAVEPOINT one_write")
            except sqlite3.Error as error:
                raise StorageError(str(error)) from error
            try:
                yield DbApiCursor(writer.cursor())
            except BaseException:
                with contextlib.suppress(sqlite3.Error):
                    writer.execute("ROLLBACK TO one_write")
                    writer.execute("RELEASE one_write")
                raise
            try:
                writer.execute("RELEASE one_write")
            except sqlite3.Error as error:
                raise StorageError(str(error)) from error
            group.members += 1
            joined = True
        finally:
            self._end_turn(group)
        if joined:
            group.done.wait()
            if group.failure:
                raise StorageError(group.failure)

    def _end_turn(self, group: _Group) -> None:
        """Hand the open transaction to the next writer waiting, or commit it for all."""
        with self._wanting_lock:
            hand_over = self._wanting > 0 and group.members < GROUP_MAX
        if not hand_over:
            self._group = None
            try:
                self._writer.execute("COMMIT")
            except sqlite3.Error as error:
                with contextlib.suppress(sqlite3.Error):
                    self._writer.execute("ROLLBACK")
                group.failure = str(error) or type(error).__name__
            group.done.set()
        self._write_lock.release()

    @staticmethod
    def _run(connection: sqlite3.Connection, begin: str) -> Iterator[Cursor]:
        try:
            connection.execute(begin)
        except sqlite3.Error as error:
            raise StorageError(str(error)) from error
        try:
            yield DbApiCursor(connection.cursor())
        except BaseException:
            with contextlib.suppress(sqlite3.Error):
                connection.execute("ROLLBACK")
            raise
        try:
            connection.execute("COMMIT")
        except sqlite3.Error as error:
            with contextlib.suppress(sqlite3.Error):
                connection.execute("ROLLBACK")
            raise StorageError(str(error)) from error

    def close(self) -> None:
        with self._readers_lock:
            for connection in self._all_readers:
                connection.close()
            self._all_readers.clear()
        with self._write_lock:
            self._writer.close()


def compact(path: Path, *, page_size: int = PAGE_SIZE) -> tuple[int, int]:
    """Rewrite a database that no server has open with `page_size` pages and no free space
    (VACUUM), so that a file made with 4 KiB pages costs what a new one does. Every row is kept
    as it is; a crash midway leaves the old file (the rollback journal). Returns the bytes before
    and after. Refuses, changing nothing, while another connection has the file open."""
    if not path.is_file():
        raise StorageError(f"No SQLite database at {path}.")
    before = _file_bytes(path)
    connection = sqlite3.connect(path, isolation_level=None, timeout=0)
    try:
        # Leaving WAL needs the only connection: a running server keeps the file in WAL mode.
        mode = str(connection.execute("PRAGMA journal_mode = DELETE").fetchone()[0])
        if mode != "delete":
            raise StorageError(f"{path} is in use (stop the server first).")
        connection.execute("PRAGMA synchronous = FULL")
        connection.execute(f"PRAGMA page_size = {page_size}")
        connection.execute("VACUUM")
        connection.execute("PRAGMA journal_mode = WAL")
    except sqlite3.Error as error:
        raise StorageError(f"{path} was not compacted: {error}") from error
    finally:
        connection.close()
    return before, _file_bytes(path)


def _file_bytes(path: Path) -> int:
    return sum(
        p.stat().st_size
        for p in (path, path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm"))
        if p.exists()
    )
