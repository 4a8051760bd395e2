"""Running an app under uvicorn with bounds on every connection (docs/sync-protocol.md §5).

uvicorn bounds neither the size of a request head nor the time it may take to arrive, and keeps
a fresh connection that says nothing open for ever; ten clients trickling 20 MB heads grew the
server by 239 MiB, and a thousand idle sockets took every file descriptor. `BoundedHttpTools`
adds what is missing to uvicorn's httptools protocol:

- a request head (request line and headers) over `header_bytes` gets 431 and is closed;
- a head must arrive in full within `header_seconds` of the connection opening or of the last
  response, or the connection is closed (whether it trickles or says nothing);
- at most `max_connections` are open; beyond that a new one replaces the connection that has
  waited longest for a request head (idle or slow), or is closed at once if all are busy.
  Idle connections cost the server nothing to drop (their clients reconnect), so a flood of
  them can never keep out a request that is ready to be served, such as a health check.

Forwarded headers (`X-Forwarded-For`) are trusted only from the listed proxy addresses, and
then the client is the right-most address that is not a listed proxy; with no list (the
default, and always for `build.py serve`) they are ignored.
"""

from __future__ import annotations

import asyncio
import logging
import resource
import time
from dataclasses import dataclass
from typing import Any

import uvicorn
from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol
from uvicorn.server import ServerState
from uvicorn.supervisors import Multiprocess

log = logging.getLogger("server")

_TOO_LARGE = b'{"error":"headers-too-large","message":"the request head is too large","field":null}'
_TOO_LARGE_RESPONSE = (
    b"HTTP/1.1 431 Request Header Fields Too Large\r\n"
    b"content-type: application/json\r\n"
    b"content-length: " + str(len(_TOO_LARGE)).encode() + b"\r\n"
    b"connection: close\r\n\r\n" + _TOO_LARGE
)
# Descriptors kept for everything that is not a client connection: the listening socket,
# database connections, log files, worker threads' needs.
_RESERVED_FILES = 64


@dataclass(frozen=True, slots=True, kw_only=True)
class ConnectionLimits:
    header_bytes: int = 16 * 1024
    header_seconds: float = 10.0
    keep_alive_seconds: int = 5
    max_connections: int = 1000


class BoundedConfig(uvicorn.Config):
    """uvicorn's configuration plus the connection limits (picklable, for worker processes)."""

    def __init__(self, app: Any, *, connection_limits: ConnectionLimits, **options: Any) -> None:
        super().__init__(
            app,
            http=BoundedHttpTools,
            timeout_keep_alive=connection_limits.keep_alive_seconds,
            h11_max_incomplete_event_size=connection_limits.header_bytes,
            **options,
        )
        self.connection_limits = connection_limits


class BoundedHttpTools(HttpToolsProtocol):
    """uvicorn's httptools protocol with a head size limit, a head timeout and a connection
    cap (see the module's docstring)."""

    def __init__(
        self,
        config: uvicorn.Config,
        server_state: ServerState,
        app_state: dict[str, Any],
        _loop: asyncio.AbstractEventLoop | None = None,
    ) -> None:
        super().__init__(config, server_state, app_state, _loop)
        self.limits: ConnectionLimits = getattr(config, "connection_limits", ConnectionLimits())
        self.awaiting_head = True
        self.head_bytes = 0
        self.waiting_since = time.monotonic()
        self.head_timer: asyncio.TimerHandle | None = None

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        super().connection_made(transport)
        self._await_head()
        if len(self.connections) > self.limits.max_connections and not self._evict_one():
            transport.close()

    def connection_lost(self, exc: Exception | None) -> None:
        self._stop_head_timer()
        super().connection_lost(exc)

    def data_received(self, data: bytes) -> None:
        counting = self.awaiting_head
        if counting:
            self.head_bytes += len(data)
        super().data_received(data)
        if counting and self.awaiting_head and self.head_bytes > self.limits.header_bytes:
            self._stop_head_timer()
            if not self.transport.is_closing():
                self.transport.write(_TOO_LARGE_RESPONSE)
                self.transport.close()

    def on_headers_complete(self) -> None:
        self.awaiting_head = False
        self.head_bytes = 0
        self._stop_head_timer()
        super().on_headers_complete()

    def on_message_complete(self) -> None:
        super().on_message_complete()
        # Bytes after this belong to the next request's head (its timer starts once the
        # response is out: the client may wait for the answer without sending anything).
        self.awaiting_head = True
        self.waiting_since = time.monotonic()

    def on_response_complete(self) -> None:
        super().on_response_complete()
        if self.awaiting_head and not self.transport.is_closing() and not self.pipeline:
            self._await_head()

    def _await_head(self) -> None:
        self._stop_head_timer()
        self.waiting_since = time.monotonic()
        self.head_timer = self.loop.call_later(self.limits.header_seconds, self._head_timed_out)

    def _stop_head_timer(self) -> None:
        if self.head_timer is not None:
            self.head_timer.cancel()
            self.head_timer = None

    def _head_timed_out(self) -> None:
        self.head_timer = None
        if self.awaiting_head and not self.transport.is_closing():
            self.transport.close()

    def _is_idle(self) -> bool:
        """Waiting for a request head, with no request of its own in hand."""
        return (
            self.awaiting_head
            and (self.cycle is None or self.cycle.response_complete)
            and not self.transport.is_closing()
        )

    def _evict_one(self) -> bool:
        """Close the connection that has waited longest for a head; False if none is idle."""
        idle = [
            other
            for other in self.connections
            if other is not self and isinstance(other, BoundedHttpTools) and other._is_idle()
        ]
        if not idle:
            return False
        oldest = min(idle, key=lambda other: other.waiting_since)
        oldest._stop_head_timer()
        oldest.transport.close()
        return True


def config(
    app: Any,
    *,
    host: str,
    port: int,
    trust_forwarded: str = "",
    limits: ConnectionLimits | None = None,
    **options: Any,
) -> BoundedConfig:
    """uvicorn's configuration for the app: bounded connections, no `server` header, and
    forwarded headers trusted only from the proxy addresses listed in trust_forwarded
    (comma-separated addresses or networks; empty: none)."""
    return BoundedConfig(
        app,
        connection_limits=fitted(limits or ConnectionLimits()),
        host=host,
        port=port,
        proxy_headers=bool(trust_forwarded.strip()),
        forwarded_allow_ips=trust_forwarded.strip() or None,
        server_header=False,
        **options,
    )


def fitted(limits: ConnectionLimits) -> ConnectionLimits:
    """The limits, with max_connections lowered to what the process's descriptors allow
    (after raising the soft limit as far as the hard one lets it)."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    wanted = limits.max_connections + _RESERVED_FILES
    if soft != resource.RLIM_INFINITY and soft < wanted:
        raised = wanted if hard == resource.RLIM_INFINITY else min(wanted, hard)
        try:
            resource.setrlimit(resource.RLIMIT_NOFILE, (raised, hard))
            soft = raised
        except (ValueError, OSError):
            pass
    if soft == resource.RLIM_INFINITY or soft >= wanted:
        return limits
    fit = max(1, soft - _RESERVED_FILES)
    log.warning(
        "only %d file descriptors: at most %d connections instead of %d",
        soft,
        fit,
        limits.max_connections,
    )
    return ConnectionLimits(
        header_bytes=limits.header_bytes,
        header_seconds=limits.header_seconds,
        keep_alive_seconds=limits.keep_alive_seconds,
        max_connections=fit,
    )


def serve(app: Any, *, host: str, port: int, **options: Any) -> None:
    """Serve an app object in this process (the local one-process run, `build.py serve`):
    bounded connections, no forwarded headers trusted, no access log (uvicorn's names client
    addresses)."""
    options.setdefault("log_level", "info")
    options.setdefault("access_log", False)
    run(config(app, host=host, port=port, **options))


def run(bounded: BoundedConfig) -> None:
    """uvicorn.run for a configuration made by `config` (uvicorn.run builds its own)."""
    if bounded.workers > 1:
        Multiprocess(bounded, sockets=[bounded.bind_socket()]).run()
    else:
        uvicorn.Server(config=bounded).run()
