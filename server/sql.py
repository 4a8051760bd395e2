"""The stores' logic in SQL, one body for SQLite and PostgreSQL: the schema and its migrations,
and every query. sqlite_store.py and postgres_store.py add connections and transactions; the
interface and the values are in records.py."""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Sequence
from typing import Any, Protocol

from server.push_sql import PUSH_MIGRATION, PushSql
from server.records import (
    Account,
    BasedOnFutureError,
    CursorAheadError,
    LogRow,
    NewAccount,
    PassphraseChange,
    PullPage,
    PushItem,
    PushResult,
    Quota,
    QuotaExceededError,
    Session,
    StorageError,
    WrappedKey,
    cut_page,
)

Row = tuple[Any, ...]

# One list per schema version; a database at version n runs the lists after n, in order.
SQLITE_MIGRATIONS: tuple[tuple[str, ...], ...] = (
    (
        """CREATE TABLE accounts (
            account_id BLOB PRIMARY KEY,
            kdf TEXT NOT NULL,
            auth_verifier BLOB NOT NULL,
            recovery_verifier BLOB NOT NULL,
            log_id BLOB NOT NULL,
            key_epoch INTEGER NOT NULL DEFAULT 1,
            next_seq INTEGER NOT NULL DEFAULT 1,
            bytes_used INTEGER NOT NULL DEFAULT 0,
            rows_used INTEGER NOT NULL DEFAULT 0,
            created_day TEXT NOT NULL)""",
        """CREATE TABLE wrapped_keys (
            account_id BLOB NOT NULL, key_id INTEGER NOT NULL, kind INTEGER NOT NULL,
            blob BLOB NOT NULL, PRIMARY KEY (account_id, key_id, kind))""",
        """CREATE TABLE changes (
            account_id BLOB NOT NULL, seq INTEGER NOT NULL, record_id BLOB NOT NULL,
            envelope BLOB NOT NULL, PRIMARY KEY (account_id, seq))""",
        "CREATE INDEX changes_record ON changes (account_id, record_id, seq)",
        """CREATE TABLE batches (
            account_id BLOB NOT NULL, batch_id BLOB NOT NULL, first_seq INTEGER NOT NULL,
            last_seq INTEGER NOT NULL, day TEXT NOT NULL, PRIMARY KEY (account_id, batch_id))""",
        "CREATE INDEX batches_day ON batches (day)",
        """CREATE TABLE sessions (
            token_hash BLOB PRIMARY KEY, account_id BLOB NOT NULL,
            key_epoch INTEGER NOT NULL, expires_day TEXT NOT NULL,
            created INTEGER NOT NULL)""",
        "CREATE INDEX sessions_account ON sessions (account_id, created)",
        "CREATE INDEX sessions_expiry ON sessions (expires_day)",
    ),
    PUSH_MIGRATION,
    (),  # 3: PostgreSQL only (below)
)
POSTGRES_MIGRATIONS: tuple[tuple[str, ...], ...] = (
    *(
        tuple(
            statement.replace("BLOB", "BYTEA").replace("INTEGER", "BIGINT")
            for statement in migration
        )
        for migration in SQLITE_MIGRATIONS[:2]
    ),
    # 3: every edit leaves its superseded row dead. Vacuumed once 2 % of the log is dead (not
    # the default 20 %), the space is reused before the table grows past it
    # (bench/bench_storage.py). A storage parameter: no row is touched.
    ("ALTER TABLE changes SET (autovacuum_vacuum_scale_factor = 0.02)",),
)
_KIND_PASSPHRASE = 1
_KIND_RECOVERY = 2


class Cursor(Protocol):
    def execute(self, sql: str, params: Sequence[Any] = ()) -> None: ...
    def executemany(self, sql: str, params: Sequence[Sequence[Any]]) -> None: ...
    def one(self) -> Row | None: ...
    def all(self) -> list[Row]: ...
    @property
    def rowcount(self) -> int: ...


class SqlStore(PushSql):
    """The store's logic in SQL. Subclasses provide transactions and the account lock."""

    _lock_suffix = ""  # PostgreSQL: " FOR UPDATE"
    # SQLite: ", rowid". A new version of a record takes the place of the one it supersedes, so
    # the row lands in the page the old one leaves (the same size class, mostly): edits do not
    # scatter holes through the table that only a VACUUM would close. Without it, new rows are
    # appended at the table's end (PostgreSQL reuses freed space through its free space map).
    _place_column = ""

    def _transaction(self, *, write: bool) -> contextlib.AbstractContextManager[Cursor]:
        raise NotImplementedError

    def ping(self) -> None:
        with self._transaction(write=False) as cur:
            cur.execute("SELECT 1")
            cur.one()

    def create_account(self, account: NewAccount, *, today: str) -> bool:
        with self._transaction(write=True) as cur:
            cur.execute("SELECT 1 FROM accounts WHERE account_id = ?", (account.account_id,))
            if cur.one() is not None:
                return False
            cur.execute(
                "INSERT INTO accounts (account_id, kdf, auth_verifier, recovery_verifier, log_id,"
                " created_day) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING",
                (
                    account.account_id,
                    account.kdf,
                    account.auth_verifier,
                    account.recovery_verifier,
                    account.log_id,
                    today,
                ),
            )
            if cur.rowcount != 1:
                return False
            cur.executemany(
                "INSERT INTO wrapped_keys (account_id, key_id, kind, blob) VALUES (?, ?, ?, ?)",
                [
                    (account.account_id, key.key_id, kind, blob)
                    for key in account.keys
                    for kind, blob in (
                        (_KIND_PASSPHRASE, key.wrapped_dek),
                        (_KIND_RECOVERY, key.recovery_wrapped_dek),
                    )
                ],
            )
            return True

    def get_account(self, account_id: bytes) -> Account | None:
        with self._transaction(write=False) as cur:
            cur.execute(
                "SELECT kdf, auth_verifier, recovery_verifier, log_id, key_epoch, next_seq"
                " FROM accounts WHERE account_id = ?",
                (account_id,),
            )
            row = cur.one()
            if row is None:
                return None
            cur.execute(
                "SELECT key_id, kind, blob FROM wrapped_keys WHERE account_id = ?"
                " ORDER BY key_id, kind",
                (account_id,),
            )
            blobs: dict[int, dict[int, bytes]] = {}
            for key_id, kind, blob in cur.all():
                blobs.setdefault(int(key_id), {})[int(kind)] = bytes(blob)
            return Account(
                account_id=account_id,
                kdf=str(row[0]),
                auth_verifier=bytes(row[1]),
                recovery_verifier=bytes(row[2]),
                log_id=bytes(row[3]),
                key_epoch=int(row[4]),
                last_seq=int(row[5]) - 1,
                keys=tuple(
                    WrappedKey(
                        key_id=key_id,
                        wrapped_dek=kinds[_KIND_PASSPHRASE],
                        recovery_wrapped_dek=kinds[_KIND_RECOVERY],
                    )
                    for key_id, kinds in sorted(blobs.items())
                ),
            )

    def add_session(
        self,
        account_id: bytes,
        token_hash: bytes,
        *,
        key_epoch: int,
        expires_day: str,
        max_sessions: int,
    ) -> None:
        with self._transaction(write=True) as cur:
            # The account row is locked so that two logins at once cannot both keep 10 others.
            cur.execute(
                "SELECT 1 FROM accounts WHERE account_id = ?" + self._lock_suffix, (account_id,)
            )
            cur.execute(
                "SELECT coalesce(max(created), 0) + 1 FROM sessions WHERE account_id = ?",
                (account_id,),
            )
            created = _first_int(cur.one())
            cur.execute(
                "INSERT INTO sessions (token_hash, account_id, key_epoch, expires_day, created)"
                " VALUES (?, ?, ?, ?, ?)",
                (token_hash, account_id, key_epoch, expires_day, created),
            )
            cur.execute(
                "DELETE FROM sessions WHERE account_id = ? AND created < (SELECT min(created)"
                " FROM (SELECT created FROM sessions WHERE account_id = ?"
                " ORDER BY created DESC LIMIT ?) AS newest)",
                (account_id, account_id, max_sessions),
            )

    def get_session(self, token_hash: bytes, *, today: str) -> Session | None:
        with self._transaction(write=False) as cur:
            # One round trip: a row per key id of the account (every push checks key ids).
            cur.execute(
                "SELECT s.account_id, s.key_epoch, a.key_epoch, s.expires_day, a.log_id, w.key_id"
                " FROM sessions s JOIN accounts a ON a.account_id = s.account_id"
                " JOIN wrapped_keys w ON w.account_id = s.account_id AND w.kind = ?"
                " WHERE s.token_hash = ? AND s.expires_day >= ?",
                (_KIND_PASSPHRASE, token_hash, today),
            )
            rows = cur.all()
            if not rows:
                return None
            row = rows[0]
            return Session(
                account_id=bytes(row[0]),
                key_epoch=int(row[1]),
                account_key_epoch=int(row[2]),
                expires_day=str(row[3]),
                key_ids=frozenset(int(r[5]) for r in rows),
                log_id=bytes(row[4]),
            )

    def extend_session(self, token_hash: bytes, expires_day: str) -> None:
        with self._transaction(write=True) as cur:
            cur.execute(
                "UPDATE sessions SET expires_day = ? WHERE token_hash = ? AND expires_day < ?",
                (expires_day, token_hash, expires_day),
            )

    def delete_session(self, token_hash: bytes) -> bool:
        with self._transaction(write=True) as cur:
            cur.execute("DELETE FROM sessions WHERE token_hash = ?", (token_hash,))
            return cur.rowcount > 0

    def delete_other_sessions(self, account_id: bytes, keep_token_hash: bytes) -> int:
        with self._transaction(write=True) as cur:
            cur.execute(
                "DELETE FROM sessions WHERE account_id = ? AND token_hash <> ?",
                (account_id, keep_token_hash),
            )
            return cur.rowcount

    def change_passphrase(self, change: PassphraseChange) -> int | None:
        with self._transaction(write=True) as cur:
            cur.execute(
                "UPDATE accounts SET kdf = ?, auth_verifier = ?,"
                " recovery_verifier = coalesce(?, recovery_verifier), key_epoch = key_epoch + 1"
                " WHERE account_id = ? AND key_epoch = ?",
                (
                    change.kdf,
                    change.auth_verifier,
                    change.recovery_verifier,
                    change.account_id,
                    change.expected_key_epoch,
                ),
            )
            if cur.rowcount != 1:
                return None
            updates = [(_KIND_PASSPHRASE, change.wrapped)]
            if change.recovery_wrapped is not None:
                updates.append((_KIND_RECOVERY, change.recovery_wrapped))
            for kind, blobs in updates:
                for key_id, blob in blobs.items():
                    cur.execute(
                        "UPDATE wrapped_keys SET blob = ?"
                        " WHERE account_id = ? AND key_id = ? AND kind = ?",
                        (blob, change.account_id, key_id, kind),
                    )
                    if cur.rowcount == 0:  # a new key (rotation): validated to come with both
                        cur.execute(
                            "INSERT INTO wrapped_keys (account_id, key_id, kind, blob)"
                            " VALUES (?, ?, ?, ?)",
                            (change.account_id, key_id, kind, blob),
                        )
            return change.expected_key_epoch + 1

    def push(
        self,
        account_id: bytes,
        batch_id: bytes,
        items: Sequence[PushItem],
        *,
        today: str,
        quota: Quota,
    ) -> PushResult:
        with self._transaction(write=True) as cur:
            # Lock first, then look the batch up: a concurrent retry of the same batch waits here
            # and then finds the first attempt's rows.
            cur.execute(
                "SELECT next_seq, bytes_used, rows_used FROM accounts WHERE account_id = ?"
                + self._lock_suffix,
                (account_id,),
            )
            account = cur.one()
            if account is None:
                raise StorageError("no such account")
            next_seq, bytes_used, rows_used = (int(value) for value in account)
            cur.execute(
                "SELECT first_seq, last_seq FROM batches WHERE account_id = ? AND batch_id = ?",
                (account_id, batch_id),
            )
            known = cur.one()
            if known is not None:
                return PushResult(first_seq=int(known[0]), last_seq=int(known[1]), replayed=True)
            if any(item.based_on_seq >= next_seq for item in items):
                raise BasedOnFutureError
            places: list[int | None] = []
            for item in items:
                place = None
                if item.based_on_seq > 0:
                    cur.execute(
                        "DELETE FROM changes WHERE account_id = ? AND record_id = ? AND seq <= ?"
                        " RETURNING length(envelope)" + self._place_column,
                        (account_id, item.record_id, item.based_on_seq),
                    )
                    freed = cur.all()
                    bytes_used -= sum(int(r[0]) for r in freed)
                    rows_used -= len(freed)
                    if freed and self._place_column:
                        place = max(int(r[1]) for r in freed)
                places.append(place)
            bytes_used += sum(len(item.envelope) for item in items)
            rows_used += len(items)
            if bytes_used > quota.bytes or rows_used > quota.rows:
                raise QuotaExceededError
            rows = [
                (place, account_id, next_seq + offset, item.record_id, item.envelope)
                for offset, (place, item) in enumerate(zip(places, items, strict=True))
            ]
            # The placed rows first: a new row's rowid is max(rowid) + 1, which may be the place
            # a superseded last row left.
            placed = [row for row in rows if row[0] is not None]
            if placed:
                cur.executemany(
                    "INSERT INTO changes (rowid, account_id, seq, record_id, envelope)"
                    " VALUES (?, ?, ?, ?, ?)",
                    placed,
                )
            appended = [row[1:] for row in rows if row[0] is None]
            if appended:
                cur.executemany(
                    "INSERT INTO changes (account_id, seq, record_id, envelope)"
                    " VALUES (?, ?, ?, ?)",
                    appended,
                )
            last_seq = next_seq + len(items) - 1
            cur.execute(
                "UPDATE accounts SET next_seq = ?, bytes_used = ?, rows_used = ?"
                " WHERE account_id = ?",
                (last_seq + 1, bytes_used, rows_used, account_id),
            )
            cur.execute(
                "INSERT INTO batches (account_id, batch_id, first_seq, last_seq, day)"
                " VALUES (?, ?, ?, ?, ?)",
                (account_id, batch_id, next_seq, last_seq, today),
            )
            return PushResult(first_seq=next_seq, last_seq=last_seq, replayed=False)

    def pull(self, account_id: bytes, since: int, *, limit: int, max_bytes: int) -> PullPage:
        with self._transaction(write=False) as cur:
            cur.execute("SELECT next_seq FROM accounts WHERE account_id = ?", (account_id,))
            if since >= _first_int(cur.one()):
                raise CursorAheadError
            # Sizes first, so a page of large envelopes is cut before any of them is read.
            cur.execute(
                "SELECT seq, length(envelope) FROM changes WHERE account_id = ? AND seq > ?"
                " ORDER BY seq LIMIT ?",
                (account_id, since, limit + 1),
            )
            sizes = [(int(seq), int(size)) for seq, size in cur.all()]
            page = cut_page(sizes, limit, max_bytes)
            if not page:
                return PullPage(rows=(), more=False)
            cur.execute(
                "SELECT seq, record_id, envelope FROM changes"
                " WHERE account_id = ? AND seq > ? AND seq <= ? ORDER BY seq",
                (account_id, since, page[-1][0]),
            )
            rows = tuple(
                LogRow(seq=int(seq), record_id=bytes(record_id), envelope=bytes(envelope))
                for seq, record_id, envelope in cur.all()
            )
            return PullPage(rows=rows, more=len(sizes) > len(page))

    def forget(self, *, batches_before: str, sessions_before: str) -> None:
        with self._transaction(write=True) as cur:
            cur.execute("DELETE FROM batches WHERE day < ?", (batches_before,))
            cur.execute("DELETE FROM sessions WHERE expires_day < ?", (sessions_before,))


def _first_int(row: Row | None) -> int:
    if row is None:
        raise StorageError("no such account")
    return int(row[0])


class DbApiCursor:
    """A DB-API cursor as a `Cursor`; `translate` turns the shared SQL into the driver's dialect."""

    def __init__(self, cursor: Any, translate: Callable[[str], str] = str) -> None:
        self._cursor = cursor
        self._translate = translate

    def execute(self, sql: str, params: Sequence[Any] = ()) -> None:
        self._cursor.execute(self._translate(sql), params)

    def executemany(self, sql: str, params: Sequence[Sequence[Any]]) -> None:
        self._cursor.executemany(self._translate(sql), params)

    def one(self) -> Row | None:
        row: Row | None = self._cursor.fetchone()
        return row

    def all(self) -> list[Row]:
        return list(self._cursor.fetchall())

    @property
    def rowcount(self) -> int:
        return int(self._cursor.rowcount)


def migrate(cur: Cursor, migrations: tuple[tuple[str, ...], ...], *, integer: str) -> None:
    """Run the migrations after the database's schema version, in order, in this transaction."""
    cur.execute(f"CREATE TABLE IF NOT EXISTS schema_version (version {integer} NOT NULL)")
    cur.execute("SELECT max(version) FROM schema_version")
    row = cur.one()
    current = int(row[0]) if row and row[0] is not None else 0
    for version, statements in enumerate(migrations, start=1):
        if version > current:
            for statement in statements:
                cur.execute(statement)
            cur.execute("INSERT INTO schema_version (version) VALUES (?)", (version,))
