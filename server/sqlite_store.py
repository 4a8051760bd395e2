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


class SqliteStore(SqlStore):
    """One file, WAL journal, synchronous=FULL: a push is acknowledged only after its commit
    reached the disk. One writer connection (writes are serial in SQLite anyway; waiting on a
    Python lock is cheaper than SQLite's busy-retry sleeps) and a pool of readers."""

    fast_reads = True

    def __init__(self, path: Path, *, readers: int = 8) -> None:
        self.path = path
        path.parent.mkdir(parents=True, exist_ok=True)
        self._write_lock = threading.Lock()
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
        connection.execute("PRAGMA journal_mode = WAL")
        connection.execute("PRAGMA synchronous = FULL")
        connection.execute("PRAGMA busy_timeout = 5000")
        return connection

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
            with self._write_lock:
                yield from self._run(self._writer, "BEGIN IMMEDIATE")
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
