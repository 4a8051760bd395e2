"""The Web Push endpoints (docs/sync-protocol.md, "Push"): the server's VAPID public key, a
device's subscription (its endpoint only), and the account's sealed messages, replaced whole.

The server never sees what a message says: the client encrypts each one to its subscription's
keys (RFC 8291) before uploading it; the server adds a VAPID signature and posts it on time
(push_sender.py)."""

from __future__ import annotations

import ipaddress
from collections.abc import Mapping
from datetime import datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from limits import parse
from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from server.api import ApiBase
from server.errors import error, from_problem
from server.push_records import PendingMessage, PushStore, TooManySubscriptionsError
from server.validation import Problem, decode_b64
from server.vapid import Vapid, key_from_file, new_private_key

MAX_ENDPOINT = 1024
# How far ahead a message may be scheduled, and how late it may still be accepted.
MAX_AHEAD_SECONDS = 16 * 86400
MAX_LATE_SECONDS = 3600


def load_vapid(store: PushStore, key_file: str, subject: str) -> Vapid:
    """The server's VAPID key: from its file if one is named, else from the database (created
    on first use, the same for every process)."""
    scalar = (
        key_from_file(Path(key_file)) if key_file else store.vapid_private_key(new_private_key())
    )
    return Vapid(scalar, subject)


def _is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def check_endpoint(value: object, field: str) -> Problem | None:
    """An https URL (http only on loopback, for local push services in tests)."""
    if not isinstance(value, str) or not 0 < len(value) <= MAX_ENDPOINT:
        return Problem("invalid-request", field, f"expected a URL of at most {MAX_ENDPOINT} chars")
    try:
        url = urlsplit(value)
        host = url.hostname or ""
    except ValueError:
        return Problem("invalid-request", field, "expected a URL")
    if not host or not (url.scheme == "https" or (url.scheme == "http" and _is_loopback(host))):
        return Problem("invalid-request", field, "expected an https URL")
    return None


class PushEndpoints(ApiBase):
    _vapid: Vapid | None = None

    @property
    def push_store(self) -> PushStore:
        return self.store

    async def vapid(self) -> Vapid:
        if self._vapid is None:
            self._vapid = await self.run(
                load_vapid,
                self.push_store,
                self.settings.vapid_key_file,
                self.settings.vapid_subject,
            )
        return self._vapid

    async def push_key(self, request: Request) -> Response:
        vapid = await self.vapid()
        return JSONResponse({"public_key": vapid.public_key})

    async def _push_session(self, request: Request) -> tuple[bytes, dict[str, Any]] | Response:
        found = await self.session(request)
        if isinstance(found, Response):
            return found
        account_id = found[0].account_id
        if "push_uploads_per_account" not in self.rates:
            self.rates["push_uploads_per_account"] = parse(self.limits.push_uploads_per_account)
        refused = await self.limited("push_uploads_per_account", account_id.hex())
        if refused:
            return refused
        body = await self.json_body(request)
        if isinstance(body, Response):
            return body
        return account_id, body

    async def add_subscription(self, request: Request) -> Response:
        found = await self._push_session(request)
        if isinstance(found, Response):
            return found
        account_id, body = found
        problem = check_endpoint(body.get("endpoint"), "endpoint")
        if problem:
            return from_problem(problem)
        try:
            await self.run(
                self.push_store.add_subscription,
                account_id,
                body["endpoint"],
                now=int(self.clock().timestamp()),
                cap=self.limits.push_subscriptions_per_account,
            )
        except TooManySubscriptionsError:
            return error(
                "too-many-subscriptions",
                f"an account has at most {self.limits.push_subscriptions_per_account}"
                " push subscriptions",
                field="endpoint",
            )
        return JSONResponse({"ok": True})

    async def drop_subscription(self, request: Request) -> Response:
        found = await self._push_session(request)
        if isinstance(found, Response):
            return found
        account_id, body = found
        problem = check_endpoint(body.get("endpoint"), "endpoint")
        if problem:
            return from_problem(problem)
        dropped = await self.run(self.push_store.drop_subscription, account_id, body["endpoint"])
        return JSONResponse({"dropped": dropped})

    async def replace_messages(self, request: Request) -> Response:
        found = await self._push_session(request)
        if isinstance(found, Response):
            return found
        account_id, body = found
        now = int(self.clock().timestamp())
        checked = check_messages(
            body, now, self.limits.push_messages_per_account, self.limits.push_message_bytes
        )
        if isinstance(checked, Problem):
            return from_problem(checked)
        unknown = await self.run(self.push_store.replace_messages, account_id, checked, now=now)
        stored = sum(1 for m in checked if m.endpoint not in set(unknown))
        return JSONResponse({"stored": stored, "unknown": unknown})


def check_messages(
    body: Mapping[str, Any], now: int, cap: int, max_bytes: int
) -> list[PendingMessage] | Problem:
    """`{"messages": [{"endpoint", "send_at": ISO 8601 instant, "blob": base64}]}`."""
    messages = body.get("messages")
    if not isinstance(messages, list):
        return Problem("invalid-request", "messages", "expected a list")
    if len(messages) > cap:
        return Problem("too-many-messages", "messages", f"at most {cap} messages per account")
    out = []
    for index, item in enumerate(messages):
        field = f"messages[{index}]"
        if not isinstance(item, dict):
            return Problem("invalid-request", field, "expected a JSON object")
        problem = check_endpoint(item.get("endpoint"), f"{field}.endpoint")
        if problem:
            return problem
        send_at = _instant(item.get("send_at"))
        if send_at is None:
            return Problem("invalid-request", f"{field}.send_at", "expected an ISO 8601 instant")
        if not now - MAX_LATE_SECONDS <= send_at <= now + MAX_AHEAD_SECONDS:
            return Problem("invalid-request", f"{field}.send_at", "out of range")
        blob = decode_b64(item.get("blob"))
        if blob is None or not blob:
            return Problem("invalid-request", f"{field}.blob", "expected standard base64")
        if len(blob) > max_bytes:
            return Problem(
                "message-too-large", f"{field}.blob", f"a message has at most {max_bytes} bytes"
            )
        out.append(PendingMessage(endpoint=item["endpoint"], send_at=send_at, blob=blob))
    return out


def _instant(value: object) -> int | None:
    if not isinstance(value, str) or len(value) > 40:
        return None
    try:
        parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    if parsed.tzinfo is None:
        return None
    return int(parsed.timestamp())
