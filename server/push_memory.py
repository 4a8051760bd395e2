"""The Web Push part of the in-memory store (storage.py's MemoryStore), for unit tests."""

from __future__ import annotations

import secrets
import threading
from collections.abc import Sequence
from dataclasses import dataclass, replace

from server.push_records import ClaimedMessage, PendingMessage, TooManySubscriptionsError


@dataclass(frozen=True, slots=True)
class _Message:
    account_id: bytes
    endpoint: str
    send_at: int
    blob: bytes
    lease_until: int = 0
    not_before: int = 0
    attempts: int = 0


class MemoryPush:
    _lock: threading.Lock

    def __init__(self) -> None:
        self._vapid: bytes | None = None
        self._subscriptions: dict[bytes, list[str]] = {}
        self._messages: dict[bytes, _Message] = {}

    def vapid_private_key(self, new_key: bytes) -> bytes:
        with self._lock:
            if self._vapid is None:
                self._vapid = new_key
            return self._vapid

    def add_subscription(self, account_id: bytes, endpoint: str, *, now: int, cap: int) -> None:
        with self._lock:
            mine = self._subscriptions.setdefault(account_id, [])
            if endpoint in mine:
                return
            if len(mine) >= cap:
                raise TooManySubscriptionsError
            mine.append(endpoint)

    def drop_subscription(self, account_id: bytes, endpoint: str) -> bool:
        with self._lock:
            return self._drop(account_id, endpoint)

    def _drop(self, account_id: bytes, endpoint: str) -> bool:
        for key in [
            k
            for k, m in self._messages.items()
            if m.account_id == account_id and m.endpoint == endpoint
        ]:
            del self._messages[key]
        mine = self._subscriptions.get(account_id, [])
        if endpoint in mine:
            mine.remove(endpoint)
            return True
        return False

    def subscriptions(self, account_id: bytes) -> list[str]:
        with self._lock:
            return list(self._subscriptions.get(account_id, []))

    def replace_messages(
        self, account_id: bytes, messages: Sequence[PendingMessage], *, now: int
    ) -> list[str]:
        with self._lock:
            known = set(self._subscriptions.get(account_id, []))
            for key in [
                k
                for k, m in self._messages.items()
                if m.account_id == account_id and m.lease_until <= now
            ]:
                del self._messages[key]
            for m in messages:
                if m.endpoint in known:
                    self._messages[secrets.token_bytes(16)] = _Message(
                        account_id, m.endpoint, m.send_at, m.blob
                    )
            return sorted({m.endpoint for m in messages} - known)

    def claim_due(self, *, now: int, lease: int, limit: int) -> list[ClaimedMessage]:
        with self._lock:
            due = sorted(
                (
                    (k, m)
                    for k, m in self._messages.items()
                    if m.send_at <= now and m.lease_until <= now and m.not_before <= now
                ),
                key=lambda km: km[1].send_at,
            )[:limit]
            claimed = []
            for key, m in due:
                m = replace(m, lease_until=now + lease, attempts=m.attempts + 1)
                self._messages[key] = m
                claimed.append(
                    ClaimedMessage(
                        message_id=key,
                        account_id=m.account_id,
                        endpoint=m.endpoint,
                        send_at=m.send_at,
                        blob=m.blob,
                        attempts=m.attempts,
                    )
                )
            return claimed

    def message_sent(self, message_id: bytes) -> None:
        with self._lock:
            self._messages.pop(message_id, None)

    def message_retry(self, message_id: bytes, *, at: int) -> None:
        with self._lock:
            m = self._messages.get(message_id)
            if m is not None:
                self._messages[message_id] = replace(m, lease_until=0, not_before=at)

    def subscription_gone(self, account_id: bytes, endpoint: str) -> None:
        with self._lock:
            self._drop(account_id, endpoint)
