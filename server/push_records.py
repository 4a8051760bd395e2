"""What the server keeps for Web Push, and the interface the stores share for it.

The server keeps, per account, the push subscriptions' endpoints (nothing else of them: the
keys that encrypt to a subscription stay on the devices) and the pending messages: each an
opaque blob the client encrypted (RFC 8291), the endpoint it goes to, and when to send it.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol


def subscription_id(endpoint: str) -> bytes:
    """The key of a subscription in the store: a hash of its endpoint."""
    return hashlib.sha256(endpoint.encode()).digest()[:16]


@dataclass(frozen=True, slots=True, kw_only=True)
class PendingMessage:
    """One sealed notification to send at `send_at` (Unix seconds)."""

    endpoint: str
    send_at: int
    blob: bytes


@dataclass(frozen=True, slots=True, kw_only=True)
class ClaimedMessage:
    """A message this sender holds (leased) until it reports the outcome."""

    message_id: bytes
    account_id: bytes
    endpoint: str
    send_at: int
    blob: bytes
    attempts: int


@dataclass(frozen=True, slots=True, kw_only=True)
class PushCaps:
    subscriptions: int
    messages: int


class TooManySubscriptionsError(Exception):
    pass


class PushStore(Protocol):
    """Blocking calls, run in worker threads like the rest of the store."""

    def vapid_private_key(self, new_key: bytes) -> bytes:
        """The server's VAPID private key: the stored one, or `new_key`, stored now."""
        ...

    def add_subscription(self, account_id: bytes, endpoint: str, *, now: int, cap: int) -> None:
        """Register (or keep) a subscription; TooManySubscriptionsError beyond the cap."""
        ...

    def drop_subscription(self, account_id: bytes, endpoint: str) -> bool:
        """Forget a subscription and its pending messages."""
        ...

    def subscriptions(self, account_id: bytes) -> list[str]: ...

    def replace_messages(
        self, account_id: bytes, messages: Sequence[PendingMessage], *, now: int
    ) -> list[str]:
        """Replace the account's pending messages (those not being sent right now); answers
        the endpoints that are not registered (their messages are left out)."""
        ...

    def claim_due(self, *, now: int, lease: int, limit: int) -> list[ClaimedMessage]:
        """Due messages nobody holds, leased to the caller until now + lease."""
        ...

    def message_sent(self, message_id: bytes) -> None:
        """The push service took it: delete it (one transaction)."""
        ...

    def message_retry(self, message_id: bytes, *, at: int) -> None:
        """Give the message back, to be tried again from `at` (a replacement replaces it)."""
        ...

    def subscription_gone(self, account_id: bytes, endpoint: str) -> None:
        """The push service answered 404/410: drop the subscription and its messages."""
        ...
