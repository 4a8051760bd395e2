"""What the stores hold and answer, and the one interface they share (`ChangeStore`).

The stores are in storage.py (the in-memory fake, `open_store`), sql.py (the SQL both SQL stores
share), sqlite_store.py and postgres_store.py; all import from here, never from storage.py.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

from server.push_records import PushStore

# --- Values -------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True, kw_only=True)
class WrappedKey:
    key_id: int
    wrapped_dek: bytes
    recovery_wrapped_dek: bytes


@dataclass(frozen=True, slots=True, kw_only=True)
class NewAccount:
    account_id: bytes
    kdf: str  # canonical JSON text
    auth_verifier: bytes
    recovery_verifier: bytes
    log_id: bytes
    keys: tuple[WrappedKey, ...]


@dataclass(frozen=True, slots=True, kw_only=True)
class Account:
    account_id: bytes
    kdf: str
    auth_verifier: bytes
    recovery_verifier: bytes
    log_id: bytes
    keys: tuple[WrappedKey, ...]
    key_epoch: int
    last_seq: int


@dataclass(frozen=True, slots=True, kw_only=True)
class Session:
    account_id: bytes
    key_epoch: int  # the account's epoch when the session was made
    account_key_epoch: int  # the account's epoch now
    expires_day: str
    key_ids: frozenset[int]
    log_id: bytes

    @property
    def is_stale(self) -> bool:
        """The passphrase changed since this session logged in."""
        return self.key_epoch != self.account_key_epoch


@dataclass(frozen=True, slots=True, kw_only=True)
class PushItem:
    record_id: bytes
    based_on_seq: int
    envelope: bytes


@dataclass(frozen=True, slots=True, kw_only=True)
class PushResult:
    first_seq: int
    last_seq: int
    replayed: bool


@dataclass(frozen=True, slots=True, kw_only=True)
class LogRow:
    seq: int
    record_id: bytes
    envelope: bytes


@dataclass(frozen=True, slots=True, kw_only=True)
class PullPage:
    rows: tuple[LogRow, ...]
    more: bool


@dataclass(frozen=True, slots=True, kw_only=True)
class Quota:
    bytes: int
    rows: int


@dataclass(frozen=True, slots=True, kw_only=True)
class PassphraseChange:
    account_id: bytes
    expected_key_epoch: int
    kdf: str
    auth_verifier: bytes
    wrapped: dict[int, bytes]  # key_id -> wrapped_dek
    recovery_verifier: bytes | None = None
    recovery_wrapped: dict[int, bytes] | None = None


class StorageError(Exception):
    """The database refused or could not be reached."""


class QuotaExceededError(Exception):
    """The push would take the account past its quota."""


class BasedOnFutureError(Exception):
    """An item claims to be based on a seq the account has not reached."""


class CursorAheadError(Exception):
    """A pull cursor is beyond the account's last seq."""


class ChangeStore(PushStore, Protocol):
    # True when reads are local and take microseconds (SQLite, memory): the app then runs them
    # on the event loop instead of paying a worker-thread hop for each.
    fast_reads: bool

    def ping(self) -> None: ...
    def close(self) -> None: ...

    def create_account(self, account: NewAccount, *, today: str) -> bool:
        """False if the id is taken."""
        ...

    def get_account(self, account_id: bytes) -> Account | None: ...

    def add_session(
        self,
        account_id: bytes,
        token_hash: bytes,
        *,
        key_epoch: int,
        expires_day: str,
        max_sessions: int,
    ) -> None:
        """Store a session; beyond max_sessions the oldest ones are removed."""
        ...

    def get_session(self, token_hash: bytes, *, today: str) -> Session | None:
        """The live session for this token hash (None if unknown or expired)."""
        ...

    def extend_session(self, token_hash: bytes, expires_day: str) -> None: ...
    def delete_session(self, token_hash: bytes) -> bool: ...
    def delete_other_sessions(self, account_id: bytes, keep_token_hash: bytes) -> int: ...

    def change_passphrase(self, change: PassphraseChange) -> int | None:
        """Swap KDF, verifier and wrapped keys if the epoch matches; the new epoch, else None."""
        ...

    def push(
        self,
        account_id: bytes,
        batch_id: bytes,
        items: Sequence[PushItem],
        *,
        today: str,
        quota: Quota,
    ) -> PushResult:
        """Append items once per batch id (pruning what each one supersedes)."""
        ...

    def pull(self, account_id: bytes, since: int, *, limit: int, max_bytes: int) -> PullPage:
        """Rows with seq > since, in seq order, within limit and max_bytes (at least one)."""
        ...

    def forget(self, *, batches_before: str, sessions_before: str) -> None:
        """Drop batch ids recorded before a day and sessions that expired before a day."""
        ...


def cut_page(sizes: Sequence[tuple[int, int]], limit: int, max_bytes: int) -> list[tuple[int, int]]:
    """The longest prefix within limit items and max_bytes, but never empty if sizes isn't."""
    page: list[tuple[int, int]] = []
    total = 0
    for seq, size in sizes[:limit]:
        if page and total + size > max_bytes:
            break
        page.append((seq, size))
        total += size
    return page
