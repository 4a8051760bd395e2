"""Where the server keeps accounts, sessions and each account's log of opaque envelopes.

One interface (`ChangeStore`), three implementations: SQLite (the default; WAL, synchronous=FULL)
and PostgreSQL (several server processes; seqs assigned under a per-account row lock so they
become visible in commit order), in sqlite_store.py and postgres_store.py over the shared SQL
of sql.py, and the in-memory fake below for unit tests. The methods are blocking; the app runs
them in worker threads. The values and the interface are in records.py.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from urllib.parse import unquote, urlsplit

from server.postgres_store import PostgresStore
from server.push_memory import MemoryPush
from server.records import (
    Account,
    BasedOnFutureError,
    ChangeStore,
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
from server.sqlite_store import SqliteStore

# --- In-memory fake -----------------------------------------------------------------------------


@dataclass(slots=True, kw_only=True)
class _FakeAccount:
    account: Account
    next_seq: int = 1
    bytes_used: int = 0


class MemoryStore(MemoryPush):
    """The whole store in dicts, behind one lock. For unit tests; not durable."""

    fast_reads = True

    def __init__(self) -> None:
        super().__init__()
        self._lock = threading.Lock()
        self._accounts: dict[bytes, _FakeAccount] = {}
        self._sessions: dict[bytes, tuple[bytes, int, str, int]] = {}  # hash -> acct, epoch, day, n
        self._session_counter = 0
        self._changes: dict[bytes, dict[int, LogRow]] = {}
        self._batches: dict[tuple[bytes, bytes], tuple[int, int, str]] = {}

    def ping(self) -> None:
        pass

    def close(self) -> None:
        pass

    def create_account(self, account: NewAccount, *, today: str) -> bool:
        with self._lock:
            if account.account_id in self._accounts:
                return False
            self._accounts[account.account_id] = _FakeAccount(
                account=Account(
                    account_id=account.account_id,
                    kdf=account.kdf,
                    auth_verifier=account.auth_verifier,
                    recovery_verifier=account.recovery_verifier,
                    log_id=account.log_id,
                    keys=account.keys,
                    key_epoch=1,
                    last_seq=0,
                )
            )
            self._changes[account.account_id] = {}
            return True

    def get_account(self, account_id: bytes) -> Account | None:
        with self._lock:
            found = self._accounts.get(account_id)
            if found is None:
                return None
            return replace(found.account, last_seq=found.next_seq - 1)

    def add_session(
        self,
        account_id: bytes,
        token_hash: bytes,
        *,
        key_epoch: int,
        expires_day: str,
        max_sessions: int,
    ) -> None:
        with self._lock:
            self._session_counter += 1
            self._sessions[token_hash] = (account_id, key_epoch, expires_day, self._session_counter)
            mine = sorted((n, h) for h, (a, _, _, n) in self._sessions.items() if a == account_id)
            for _, old in mine[: max(0, len(mine) - max_sessions)]:
                del self._sessions[old]

    def get_session(self, token_hash: bytes, *, today: str) -> Session | None:
        with self._lock:
            found = self._sessions.get(token_hash)
            if found is None or found[2] < today:
                return None
            account = self._accounts[found[0]].account
            return Session(
                account_id=found[0],
                key_epoch=found[1],
                account_key_epoch=account.key_epoch,
                expires_day=found[2],
                key_ids=frozenset(key.key_id for key in account.keys),
                log_id=account.log_id,
            )

    def extend_session(self, token_hash: bytes, expires_day: str) -> None:
        with self._lock:
            found = self._sessions.get(token_hash)
            if found is not None:
                self._sessions[token_hash] = (found[0], found[1], expires_day, found[3])

    def delete_session(self, token_hash: bytes) -> bool:
        with self._lock:
            return self._sessions.pop(token_hash, None) is not None

    def delete_other_sessions(self, account_id: bytes, keep_token_hash: bytes) -> int:
        with self._lock:
            doomed = [
                h for h, s in self._sessions.items() if s[0] == account_id and h != keep_token_hash
            ]
            for h in doomed:
                del self._sessions[h]
            return len(doomed)

    def change_passphrase(self, change: PassphraseChange) -> int | None:
        with self._lock:
            found = self._accounts.get(change.account_id)
            if found is None or found.account.key_epoch != change.expected_key_epoch:
                return None
            found.account = replace(
                found.account,
                kdf=change.kdf,
                auth_verifier=change.auth_verifier,
                recovery_verifier=change.recovery_verifier or found.account.recovery_verifier,
                keys=_rewrapped(found.account.keys, change),
                key_epoch=change.expected_key_epoch + 1,
            )
            return found.account.key_epoch

    def push(
        self,
        account_id: bytes,
        batch_id: bytes,
        items: Sequence[PushItem],
        *,
        today: str,
        quota: Quota,
    ) -> PushResult:
        with self._lock:
            known = self._batches.get((account_id, batch_id))
            if known is not None:
                return PushResult(first_seq=known[0], last_seq=known[1], replayed=True)
            found = self._accounts[account_id]
            log = self._changes[account_id]
            if any(item.based_on_seq >= found.next_seq for item in items):
                raise BasedOnFutureError
            doomed = {
                row.seq
                for item in items
                for row in log.values()
                if row.record_id == item.record_id and row.seq <= item.based_on_seq
            }
            freed = sum(len(log[seq].envelope) for seq in doomed)
            added = sum(len(item.envelope) for item in items)
            if (
                found.bytes_used - freed + added > quota.bytes
                or len(log) - len(doomed) + len(items) > quota.rows
            ):
                raise QuotaExceededError
            for seq in doomed:
                del log[seq]
            first = found.next_seq
            for offset, item in enumerate(items):
                log[first + offset] = LogRow(
                    seq=first + offset, record_id=item.record_id, envelope=item.envelope
                )
            found.next_seq += len(items)
            found.bytes_used += added - freed
            self._batches[(account_id, batch_id)] = (first, found.next_seq - 1, today)
            return PushResult(first_seq=first, last_seq=found.next_seq - 1, replayed=False)

    def pull(self, account_id: bytes, since: int, *, limit: int, max_bytes: int) -> PullPage:
        with self._lock:
            found = self._accounts[account_id]
            if since >= found.next_seq:
                raise CursorAheadError
            rows = sorted(
                (row for seq, row in self._changes[account_id].items() if seq > since),
                key=lambda row: row.seq,
            )
            page = cut_page([(row.seq, len(row.envelope)) for row in rows], limit, max_bytes)
            return PullPage(rows=tuple(rows[: len(page)]), more=len(rows) > len(page))

    def forget(self, *, batches_before: str, sessions_before: str) -> None:
        with self._lock:
            for batch in [k for k, v in self._batches.items() if v[2] < batches_before]:
                del self._batches[batch]
            for token_hash in [k for k, v in self._sessions.items() if v[2] < sessions_before]:
                del self._sessions[token_hash]


def _rewrapped(keys: tuple[WrappedKey, ...], change: PassphraseChange) -> tuple[WrappedKey, ...]:
    recovery = change.recovery_wrapped or {}
    kept = {key.key_id: key for key in keys}
    return tuple(
        WrappedKey(
            key_id=key_id,
            wrapped_dek=blob,
            recovery_wrapped_dek=recovery.get(key_id, kept[key_id].recovery_wrapped_dek)
            if key_id in kept
            else recovery[key_id],
        )
        for key_id, blob in sorted(change.wrapped.items())
    )


# --- Opening ------------------------------------------------------------------------------------


def open_store(database_url: str) -> ChangeStore:
    """The store a database URL names: `sqlite:///relative/path`, `sqlite:////absolute/path`,
    or `postgresql://…`. The schema is created or migrated before this returns."""
    scheme = urlsplit(database_url).scheme
    if scheme == "sqlite":
        return SqliteStore(sqlite_path(database_url))
    if scheme in ("postgresql", "postgres"):
        return PostgresStore(database_url)
    raise StorageError(f"Unsupported database URL scheme {scheme!r}: use sqlite or postgresql.")


def sqlite_path(database_url: str) -> Path:
    """The file a `sqlite:///relative/path` or `sqlite:////absolute/path` URL names."""
    if urlsplit(database_url).scheme != "sqlite":
        raise StorageError(f"Not an SQLite URL: {database_url!r}.")
    path = unquote(database_url.removeprefix("sqlite://").removeprefix("/"))
    if not path:
        raise StorageError("The SQLite URL names no file: use sqlite:///data/sync.sqlite3.")
    return Path(path)
