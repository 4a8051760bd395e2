"""The Web Push tables and queries (push_records.py), shared by the SQLite and PostgreSQL stores.

A message is claimed with a lease (`lease_until`) in one transaction and deleted in another once
the push service took it; a sender that dies mid-round leaves its claims to expire, and the next
round sends them. On PostgreSQL, `FOR UPDATE SKIP LOCKED` lets several processes claim side by
side without ever claiming the same row.
"""

from __future__ import annotations

import contextlib
import secrets
from collections.abc import Sequence
from typing import Any, Protocol

from server.push_records import (
    ClaimedMessage,
    PendingMessage,
    TooManySubscriptionsError,
    subscription_id,
)

PUSH_MIGRATION: tuple[str, ...] = (
    """CREATE TABLE push_keys (
        id INTEGER PRIMARY KEY, private_key BLOB NOT NULL)""",
    """CREATE TABLE push_subscriptions (
        account_id BLOB NOT NULL, sub_id BLOB NOT NULL, endpoint TEXT NOT NULL,
        created INTEGER NOT NULL, PRIMARY KEY (account_id, sub_id))""",
    """CREATE TABLE push_messages (
        message_id BLOB PRIMARY KEY, account_id BLOB NOT NULL, sub_id BLOB NOT NULL,
        send_at INTEGER NOT NULL, blob BLOB NOT NULL,
        lease_until INTEGER NOT NULL DEFAULT 0, not_before INTEGER NOT NULL DEFAULT 0,
        attempts INTEGER NOT NULL DEFAULT 0)""",
    "CREATE INDEX push_messages_due ON push_messages (send_at)",
    "CREATE INDEX push_messages_account ON push_messages (account_id, sub_id)",
)


class _Cursor(Protocol):
    def execute(self, sql: str, params: Sequence[Any] = ()) -> None: ...
    def executemany(self, sql: str, params: Sequence[Sequence[Any]]) -> None: ...
    def one(self) -> tuple[Any, ...] | None: ...
    def all(self) -> list[tuple[Any, ...]]: ...
    @property
    def rowcount(self) -> int: ...


class PushSql:
    """The PushStore methods over `_transaction` (provided by the store)."""

    _lock_suffix = ""
    _skip_locked_suffix = ""  # PostgreSQL: " FOR UPDATE SKIP LOCKED"

    def _transaction(self, *, write: bool) -> contextlib.AbstractContextManager[Any]:
        raise NotImplementedError

    def vapid_private_key(self, new_key: bytes) -> bytes:
        with self._transaction(write=True) as cur:
            cur.execute(
                "INSERT INTO push_keys (id, private_key) VALUES (1, ?) ON CONFLICT DO NOTHING",
                (new_key,),
            )
            cur.execute("SELECT private_key FROM push_keys WHERE id = 1")
            row = cur.one()
            assert row is not None
            return bytes(row[0])

    def add_subscription(self, account_id: bytes, endpoint: str, *, now: int, cap: int) -> None:
        with self._transaction(write=True) as cur:
            # The account row is locked so that two registrations at once cannot pass the cap.
            cur.execute(
                "SELECT 1 FROM accounts WHERE account_id = ?" + self._lock_suffix, (account_id,)
            )
            sub_id = subscription_id(endpoint)
            cur.execute(
                "SELECT 1 FROM push_subscriptions WHERE account_id = ? AND sub_id = ?",
                (account_id, sub_id),
            )
            if cur.one() is not None:
                return
            cur.execute(
                "SELECT count(*) FROM push_subscriptions WHERE account_id = ?", (account_id,)
            )
            row = cur.one()
            if row is not None and int(row[0]) >= cap:
                raise TooManySubscriptionsError
            cur.execute(
                "INSERT INTO push_subscriptions (account_id, sub_id, endpoint, created)"
                " VALUES (?, ?, ?, ?)",
                (account_id, sub_id, endpoint, now),
            )

    def drop_subscription(self, account_id: bytes, endpoint: str) -> bool:
        with self._transaction(write=True) as cur:
            return _drop(cur, account_id, subscription_id(endpoint))

    def subscriptions(self, account_id: bytes) -> list[str]:
        with self._transaction(write=False) as cur:
            cur.execute(
                "SELECT endpoint FROM push_subscriptions WHERE account_id = ? ORDER BY created",
                (account_id,),
            )
            return [str(row[0]) for row in cur.all()]

    def replace_messages(
        self, account_id: bytes, messages: Sequence[PendingMessage], *, now: int
    ) -> list[str]:
        with self._transaction(write=True) as cur:
            cur.execute(
                "SELECT 1 FROM accounts WHERE account_id = ?" + self._lock_suffix, (account_id,)
            )
            cur.execute(
                "SELECT endpoint FROM push_subscriptions WHERE account_id = ?", (account_id,)
            )
            known = {str(row[0]) for row in cur.all()}
            # Messages being sent right now (leased) are left to their sender.
            cur.execute(
                "DELETE FROM push_messages WHERE account_id = ? AND lease_until <= ?",
                (account_id, now),
            )
            cur.executemany(
                "INSERT INTO push_messages (message_id, account_id, sub_id, send_at, blob)"
                " VALUES (?, ?, ?, ?, ?)",
                [
                    (
                        secrets.token_bytes(16),
                        account_id,
                        subscription_id(m.endpoint),
                        m.send_at,
                        m.blob,
                    )
                    for m in messages
                    if m.endpoint in known
                ],
            )
            return sorted({m.endpoint for m in messages} - known)

    def claim_due(self, *, now: int, lease: int, limit: int) -> list[ClaimedMessage]:
        with self._transaction(write=True) as cur:
            cur.execute(
                "SELECT message_id FROM push_messages"
                " WHERE send_at <= ? AND lease_until <= ? AND not_before <= ?"
                " ORDER BY send_at LIMIT ?" + self._skip_locked_suffix,
                (now, now, now, limit),
            )
            ids = [bytes(row[0]) for row in cur.all()]
            if not ids:
                return []
            cur.executemany(
                "UPDATE push_messages SET lease_until = ?, attempts = attempts + 1"
                " WHERE message_id = ?",
                [(now + lease, message_id) for message_id in ids],
            )
            claimed = []
            for message_id in ids:
                cur.execute(
                    "SELECT m.account_id, s.endpoint, m.send_at, m.blob, m.attempts"
                    " FROM push_messages m JOIN push_subscriptions s"
                    " ON s.account_id = m.account_id AND s.sub_id = m.sub_id"
                    " WHERE m.message_id = ?",
                    (message_id,),
                )
                row = cur.one()
                if row is None:  # its subscription is gone
                    cur.execute("DELETE FROM push_messages WHERE message_id = ?", (message_id,))
                    continue
                claimed.append(
                    ClaimedMessage(
                        message_id=message_id,
                        account_id=bytes(row[0]),
                        endpoint=str(row[1]),
                        send_at=int(row[2]),
                        blob=bytes(row[3]),
                        attempts=int(row[4]),
                    )
                )
            return claimed

    def message_sent(self, message_id: bytes) -> None:
        with self._transaction(write=True) as cur:
            cur.execute("DELETE FROM push_messages WHERE message_id = ?", (message_id,))

    def message_retry(self, message_id: bytes, *, at: int) -> None:
        with self._transaction(write=True) as cur:
            cur.execute(
                "UPDATE push_messages SET lease_until = 0, not_before = ? WHERE message_id = ?",
                (at, message_id),
            )

    def subscription_gone(self, account_id: bytes, endpoint: str) -> None:
        with self._transaction(write=True) as cur:
            _drop(cur, account_id, subscription_id(endpoint))


def _drop(cur: _Cursor, account_id: bytes, sub_id: bytes) -> bool:
    cur.execute(
        "DELETE FROM push_messages WHERE account_id = ? AND sub_id = ?", (account_id, sub_id)
    )
    cur.execute(
        "DELETE FROM push_subscriptions WHERE account_id = ? AND sub_id = ?",
        (account_id, sub_id),
    )
    return cur.rowcount > 0
