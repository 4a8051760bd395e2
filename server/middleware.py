"""ASGI middleware: a bound on the requests in progress, body limits that never buffer, headers
for answers nobody should keep, and an access log without addresses."""

from __future__ import annotations

import asyncio
import collections
import contextlib
import logging
import time

import anyio
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from server.errors import error
from server.settings import Limits

log = logging.getLogger("server.access")


class _BodyTooLargeError(Exception):
    pass


class _BodyTimeoutError(Exception):
    pass


class BodyLimit:
    """Refuse a body over the endpoint's limit before reading it (Content-Length), or as soon
    as the streamed bytes pass it (chunked bodies), and give up on a body still arriving after
    30 s. Nothing is buffered beyond the limit (SYNC-DESIGN §6.6, Starlette issue #2155).

    A response sent before its request body was read in full says `Connection: close`, so the
    server drops the connection instead of reading (and discarding) the rest of the upload."""

    def __init__(self, app: ASGIApp, *, limits: Limits, body_seconds: float) -> None:
        self.app = app
        self.limits = limits
        self.body_seconds = body_seconds

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        path: str = scope["path"]
        limit = (
            self.limits.push_body_bytes
            if path.endswith(("/v1/push", "/v1/push/messages"))
            else self.limits.other_body_bytes
        )
        declared = _content_length(scope)
        finished = not (declared or _header(scope, b"transfer-encoding"))
        started = False

        async def closing_send(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
                if not finished:
                    headers = [*message.get("headers", ()), (b"connection", b"close")]
                    message = {**message, "headers": headers}
            await send(message)

        if declared is not None and declared > limit:
            too_large = error("body-too-large", f"the body limit here is {limit} bytes")
            await too_large(scope, receive, closing_send)
            return
        received = 0
        deadline = time.monotonic() + self.body_seconds

        async def limited_receive() -> Message:
            nonlocal received, finished
            if finished:
                return await receive()
            try:
                with anyio.fail_after(max(0.0, deadline - time.monotonic())):
                    message = await receive()
            except TimeoutError:
                raise _BodyTimeoutError from None
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit:
                    raise _BodyTooLargeError
                finished = not message.get("more_body", False)
            return message

        try:
            await self.app(scope, limited_receive, closing_send)
        except _BodyTooLargeError:
            if started:
                raise
            too_large = error("body-too-large", f"the body limit here is {limit} bytes")
            await too_large(scope, receive, closing_send)
        except _BodyTimeoutError:
            if started:
                raise
            timeout = error("request-timeout", "the body took too long to arrive")
            await timeout(scope, receive, closing_send)


def _header(scope: Scope, name: bytes) -> bytes | None:
    for key, value in scope["headers"]:
        if key == name:
            return bytes(value)
    return None


def _content_length(scope: Scope) -> int | None:
    value = _header(scope, b"content-length")
    try:
        return int(value) if value is not None else None
    except ValueError:
        return None


class InProgressLimit:
    """At most `limit` requests in progress in this process. The next one waits for a slot
    for at most `queue_seconds` (a short burst is served, not refused), in a waiting room of at
    most 4 x `limit`; past that it is answered with `503 server-busy` before its body is read
    (docs/sync-protocol.md §5). Without a bound every request waits in one unbounded queue, and
    once more arrive than the server can serve, each waits longer than the last (issue #21: a
    p99 over a second). A refused request did nothing: the client sends it again, a push with
    the same batch id.

    The answer says when to come back: `Retry-After` in whole seconds (HTTP allows no less),
    and `retry_after_ms` in the body, the time this process needs to work through what it has
    in hand now (its recent pace x the requests in progress and waiting), at least 20 ms and at
    most Retry-After. Clients that read it come back as soon as there is room, with jitter, so
    the server is neither idle behind clients sleeping a whole second nor flooded.

    The 503 is written straight to the connection (no Response object, no JSON encoding): a
    refusal costs a fraction of a served request. The health check is not counted: it says
    whether the server is up, busy or not. A refused request whose body is large says
    `Connection: close` (the rest of its upload is not read); a small one keeps its
    connection, which the client reuses for the retry."""

    EXEMPT = ("/v1/health",)
    KEEP_BODY_BYTES = 64 * 1024
    MIN_HINT_MS = 20
    PACE_WEIGHT = 0.05  # of the newest interval between two requests ending, in the moving pace

    def __init__(
        self, app: ASGIApp, *, limit: int, retry_after: int, queue_seconds: float = 0.0
    ) -> None:
        self.app = app
        self.limit = limit
        self.retry_after = str(retry_after)
        self.max_hint_ms = 1000 * retry_after
        self.queue_seconds = queue_seconds
        self.in_progress = 0
        self.waiting: collections.deque[asyncio.Future[None]] = collections.deque()
        self.refused = 0
        self.pace = 0.0  # moving average of the seconds between two requests ending
        self.last_end = 0.0

    def hint_ms(self) -> int:
        """Milliseconds until this process has worked through the requests in progress and
        waiting, at its recent pace."""
        backlog = self.in_progress + len(self.waiting) + 1
        hint = int(1000 * self.pace * backlog)
        return max(self.MIN_HINT_MS, min(self.max_hint_ms, hint))

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or self.limit <= 0 or scope["path"].endswith(self.EXEMPT):
            await self.app(scope, receive, send)
            return
        if self.in_progress < self.limit:
            self.in_progress += 1
        elif not await self._slot():
            self.refused += 1
            await self._busy(scope, send)
            return
        try:
            await self.app(scope, receive, send)
        finally:
            self._release()

    async def _busy(self, scope: Scope, send: Send) -> None:
        body = (
            b'{"error":"server-busy","message":"the server is busy; retry after Retry-After",'
            b'"field":null,"retry_after_ms":%d}' % self.hint_ms()
        )
        headers = [
            (b"content-type", b"application/json"),
            (b"content-length", b"%d" % len(body)),
            (b"retry-after", self.retry_after.encode()),
        ]
        declared = _content_length(scope) or 0
        if declared > self.KEEP_BODY_BYTES or _header(scope, b"transfer-encoding"):
            headers.append((b"connection", b"close"))
        await send({"type": "http.response.start", "status": 503, "headers": headers})
        await send({"type": "http.response.body", "body": body})

    async def _slot(self) -> bool:
        """Wait for a request in progress to hand over its slot; False after queue_seconds or
        when the waiting room is full."""
        if self.queue_seconds <= 0 or len(self.waiting) >= 4 * self.limit:
            return False
        handed: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        self.waiting.append(handed)
        try:
            await asyncio.wait_for(asyncio.shield(handed), self.queue_seconds)
        except TimeoutError:
            pass
        except BaseException:  # the client went away: pass on a slot handed over meanwhile
            if handed.done() and not handed.cancelled():
                self._release()
            handed.cancel()
            raise
        finally:
            with contextlib.suppress(ValueError):
                self.waiting.remove(handed)
        if handed.done() and not handed.cancelled():
            return True
        handed.cancel()
        return False

    def _release(self) -> None:
        """A request ended: its slot goes to the longest waiting one, else back to the pool."""
        now = time.monotonic()
        if self.last_end:
            # Idle gaps (nothing in progress) say nothing of the pace: capped at a second.
            interval = min(1.0, now - self.last_end)
            self.pace += self.PACE_WEIGHT * (interval - self.pace)
        self.last_end = now
        while self.waiting:
            handed = self.waiting.popleft()
            if not handed.done():
                handed.set_result(None)
                return
        self.in_progress -= 1


class SecurityHeaders:
    """Every answer carries tokens, wrapped keys or nothing worth keeping: not cached, not
    sniffed, not rendered as a page or in a frame. Any `server` header is dropped."""

    HEADERS = (
        (b"cache-control", b"no-store"),
        (b"x-content-type-options", b"nosniff"),
        (b"content-security-policy", b"default-src 'none'; frame-ancestors 'none'"),
        (b"referrer-policy", b"no-referrer"),
    )

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                names = {name for name, _ in self.HEADERS} | {b"server"}
                headers = [
                    (name, value)
                    for name, value in message.get("headers", ())
                    if name.lower() not in names
                ]
                message = {**message, "headers": [*headers, *self.HEADERS]}
            await send(message)

        await self.app(scope, receive, send_with_headers)


class AccessLog:
    """One line per request: method, route template, status, duration. No address, no path
    (it may hold an account id), no query, no body."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        status = 500

        async def send_status(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
            await send(message)

        try:
            await self.app(scope, receive, send_status)
        finally:
            route = scope.get("route")
            template = getattr(route, "path", "-")
            log.info(
                "%s %s %d %.1fms",
                scope["method"],
                template,
                status,
                (time.perf_counter() - started) * 1000,
            )
