"""ASGI middleware: a bound on the requests in progress, body limits that never buffer, headers
for answers nobody should keep, and an access log without addresses."""

from __future__ import annotations

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
    """At most `limit` requests in progress in this process; the next ones are answered at once
    with `503 server-busy` and `Retry-After`, before their body is read (docs/sync-protocol.md
    §5). Without it every request waits in one unbounded queue, and once more arrive than the
    server can serve, each of them waits longer than the last (issue #21: a p99 of a second).
    A refused request did nothing: the client sends it again, a push with the same batch id.

    The health check is not counted: it says whether the server is up, busy or not. A refused
    request whose body is large says `Connection: close` (the rest of its upload is not read);
    a small one keeps its connection, which the client reuses for the retry."""

    EXEMPT = ("/v1/health",)
    KEEP_BODY_BYTES = 64 * 1024

    def __init__(self, app: ASGIApp, *, limit: int, retry_after: int) -> None:
        self.app = app
        self.limit = limit
        self.retry_after = str(retry_after)
        self.in_progress = 0
        self.refused = 0

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or self.limit <= 0 or scope["path"].endswith(self.EXEMPT):
            await self.app(scope, receive, send)
            return
        if self.in_progress >= self.limit:
            self.refused += 1
            headers = {"Retry-After": self.retry_after}
            declared = _content_length(scope) or 0
            if declared > self.KEEP_BODY_BYTES or _header(scope, b"transfer-encoding"):
                headers["Connection"] = "close"
            busy = error(
                "server-busy", "the server is busy; retry after Retry-After", headers=headers
            )
            await busy(scope, receive, send)
            return
        self.in_progress += 1
        try:
            await self.app(scope, receive, send)
        finally:
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
