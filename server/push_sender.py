"""The sender: a loop in the server process that posts each sealed message when its time has
come, with a VAPID signature, and deletes it once the push service took it.

Each round claims the due messages with a lease (one transaction; on PostgreSQL
`FOR UPDATE SKIP LOCKED`, so several processes never claim the same one), posts them one by one,
and deletes each in its own transaction as soon as the push service answered 201. A process
killed mid-round leaves its claims to expire; the next round (here or in another process) sends
them. The `Topic` header names the message's morning, so a message resent after a crash
replaces, at the push service, one that was not yet delivered.
"""

from __future__ import annotations

import base64
import hashlib
import logging
import time
from collections.abc import Callable

import anyio
import anyio.to_thread
import httpx

from server.push_records import ClaimedMessage, PushStore
from server.vapid import Vapid

log = logging.getLogger("server.push")

# How long the push service keeps a message for an offline device (a morning's news is stale
# after half a day), and how late a message is still worth sending.
TTL_SECONDS = 12 * 3600
ROUND_LIMIT = 50
MAX_BACKOFF = 3600


def topic(message: ClaimedMessage) -> str:
    """At most 32 URL-safe characters naming the subscription's morning (RFC 8030 §5.4)."""
    digest = hashlib.sha256(message.endpoint.encode() + str(message.send_at).encode()).digest()
    return base64.urlsafe_b64encode(digest[:18]).decode()


class PushSender:
    def __init__(
        self,
        store: PushStore,
        vapid: Vapid,
        *,
        lease: int = 60,
        clock: Callable[[], float] = time.time,
        client: httpx.AsyncClient | None = None,
    ) -> None:
        self.store = store
        self.vapid = vapid
        self.lease = lease
        self.clock = clock
        self.client = client or httpx.AsyncClient(timeout=10.0)

    async def run_once(self) -> int:
        """One round: claim what is due and send it; answers how many were claimed."""
        now = int(self.clock())
        claimed = await anyio.to_thread.run_sync(
            lambda: self.store.claim_due(now=now, lease=self.lease, limit=ROUND_LIMIT)
        )
        outcomes: dict[str, int] = {}
        for message in claimed:
            outcome = await self.send(message)
            outcomes[outcome] = outcomes.get(outcome, 0) + 1
        if outcomes:
            log.info("push round: %s", ", ".join(f"{k} {v}" for k, v in sorted(outcomes.items())))
        return len(claimed)

    async def send(self, message: ClaimedMessage) -> str:
        now = int(self.clock())
        try:
            response = await self.client.post(
                message.endpoint,
                content=message.blob,
                headers={
                    "Authorization": self.vapid.authorization(message.endpoint, now=now),
                    "Content-Encoding": "aes128gcm",
                    "Content-Type": "application/octet-stream",
                    "TTL": str(TTL_SECONDS),
                    "Urgency": "normal",
                    "Topic": topic(message),
                },
            )
            status = response.status_code
            retry_after = response.headers.get("retry-after", "")
        except httpx.HTTPError:
            status, retry_after = 0, ""
        if 200 <= status < 300:
            await anyio.to_thread.run_sync(self.store.message_sent, message.message_id)
            return "sent"
        if status in (404, 410):
            await anyio.to_thread.run_sync(
                self.store.subscription_gone, message.account_id, message.endpoint
            )
            return "gone"
        if status in (400, 403, 413) or now > message.send_at + TTL_SECONDS:
            # Refused for good (or too late to matter): trying again would not help.
            await anyio.to_thread.run_sync(self.store.message_sent, message.message_id)
            return "dropped"
        wait = min(MAX_BACKOFF, 30 * 2 ** min(message.attempts, 10))
        if retry_after.isdigit():
            wait = max(wait, min(MAX_BACKOFF, int(retry_after)))
        await anyio.to_thread.run_sync(
            lambda: self.store.message_retry(message.message_id, at=now + wait)
        )
        return "retry"

    async def run(self, interval: float) -> None:
        """Rounds for ever, `interval` seconds apart (less while there is more to send)."""
        while True:
            try:
                claimed = await self.run_once()
            except Exception:
                log.exception("push round failed")
                claimed = 0
            await anyio.sleep(0 if claimed >= ROUND_LIMIT else interval)

    async def aclose(self) -> None:
        await self.client.aclose()
