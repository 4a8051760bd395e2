"""`python -m server`: settings from the environment, the store, the app, uvicorn.

    FOLLOWTHROUGH_HOST=127.0.0.1 FOLLOWTHROUGH_PORT=8787 \
    FOLLOWTHROUGH_DATABASE_URL=sqlite:///data/sync.sqlite3 python -m server

or the same as flags (`python -m server --port 8787`; `--help` lists them).

With FOLLOWTHROUGH_WORKERS=n, uvicorn runs n processes, each with its own connections; use
PostgreSQL for that (FOLLOWTHROUGH_DATABASE_URL=postgresql://…, and a shared pepper).
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import copy
import logging
import os
import sys
from collections.abc import AsyncIterator, Mapping, Sequence

import anyio
import anyio.to_thread
import uvicorn
from starlette.applications import Starlette
from starlette.types import Receive, Scope, Send

from server.app import create_app
from server.errors import error
from server.push_api import load_vapid
from server.push_sender import PushSender
from server.records import ChangeStore, StorageError
from server.run import ConnectionLimits, config, run
from server.settings import Settings, SettingsError
from server.storage import open_store


def app_from_environ(environ: Mapping[str, str] | None = None) -> Starlette:
    """The app over the store the environment names, with the Web Push sender running beside
    it; the store closes with the app."""
    settings = Settings.from_environ(os.environ if environ is None else environ)
    store = open_store(settings.database_url)

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        try:
            async with anyio.create_task_group() as tasks:
                tasks.start_soon(run_sender, store, settings)
                yield
                tasks.cancel_scope.cancel()
        finally:
            store.close()

    return create_app(store, settings, lifespan=lifespan)


async def run_sender(store: ChangeStore, settings: Settings) -> None:
    """The Web Push sender's rounds, for as long as the server runs (none with interval 0)."""
    if settings.push_interval <= 0:
        return
    vapid = await anyio.to_thread.run_sync(
        load_vapid, store, settings.vapid_key_file, settings.vapid_subject
    )
    sender = PushSender(store, vapid, lease=settings.push_lease)
    try:
        await sender.run(settings.push_interval)
    finally:
        with anyio.CancelScope(shield=True):
            await sender.aclose()


class LazyApp:
    """The API for mounting next to the app (`python build.py serve`): the store is opened on
    the first request under /v1/, so merely building the app's routes touches no database. The
    Web Push sender starts then too, as a task of the serving event loop."""

    def __init__(self, environ: Mapping[str, str] | None = None) -> None:
        self._environ = environ
        self._app: Starlette | None = None
        self._lock = anyio.Lock()
        self._sender: asyncio.Task[None] | None = None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "lifespan":
            return  # a mounted app gets no lifespan events; the process exit closes the file
        root = scope.get("root_path", "")
        path = scope.get("path", "")
        if not path.removeprefix(root).startswith("/v1/"):
            await error("not-found")(scope, receive, send)
            return
        if self._app is None:
            async with self._lock:
                if self._app is None:
                    settings = Settings.from_environ(
                        os.environ if self._environ is None else self._environ
                    )
                    store = open_store(settings.database_url)
                    self._app = create_app(store, settings)
                    self._sender = asyncio.get_running_loop().create_task(
                        run_sender(store, settings)
                    )
        await self._app(scope, receive, send)


def log_config(level: str) -> dict[str, object]:
    """uvicorn's logging plus the server's own loggers (also in worker processes)."""
    config = copy.deepcopy(uvicorn.config.LOGGING_CONFIG)
    config["loggers"]["server"] = {"handlers": ["default"], "level": level.upper()}
    return config


# Flags, each the same as a FOLLOWTHROUGH_* variable (the flag wins).
FLAGS: tuple[tuple[str, str, str], ...] = (
    ("--host", "HOST", "address to listen on (default 127.0.0.1)"),
    ("--port", "PORT", "port (default 8787)"),
    (
        "--database-url",
        "DATABASE_URL",
        "sqlite:///path or postgresql://… (default sqlite:///data/sync.sqlite3)",
    ),
    ("--pepper-file", "PEPPER_FILE", "file holding the pepper, 64 hex digits"),
    ("--workers", "WORKERS", "processes (PostgreSQL and a shared pepper; default 1)"),
    ("--cors-origins", "CORS_ORIGINS", "the app's origins, comma-separated"),
    (
        "--forwarded-allow-ips",
        "FORWARDED_ALLOW_IPS",
        "proxy addresses whose X-Forwarded-For is believed, comma-separated (default: none)",
    ),
    (
        "--rate-limit-storage",
        "RATE_LIMIT_STORAGE",
        "where rate-limit counters live (default async+memory://; async+redis://host:port)",
    ),
    (
        "--vapid-key-file",
        "VAPID_KEY_FILE",
        "file holding the Web Push (VAPID) private key, created on first start"
        " (default: kept in the database)",
    ),
    (
        "--vapid-subject",
        "VAPID_SUBJECT",
        "contact the push services see: mailto:you@example.org or https://your.site",
    ),
    (
        "--push-interval",
        "PUSH_INTERVAL",
        "seconds between rounds of the Web Push sender (default 5; 0 turns it off)",
    ),
    ("--log-level", "LOG_LEVEL", "debug, info, warning or error (default info)"),
    ("--body-timeout", "BODY_TIMEOUT", "seconds for a request body (default 30)"),
    ("--header-bytes", "HEADER_BYTES", "largest request head (default 16384)"),
    ("--header-timeout", "HEADER_TIMEOUT", "seconds for a request head (default 10)"),
    (
        "--keep-alive-timeout",
        "KEEP_ALIVE_TIMEOUT",
        "seconds an idle connection is kept (default 5)",
    ),
    (
        "--max-connections",
        "MAX_CONNECTIONS",
        "connections open at once, per process (default 1000)",
    ),
    (
        "--max-in-progress",
        "MAX_IN_PROGRESS",
        "requests in progress at once, per process; the next get 503 server-busy at once"
        " (default 8; 0: no bound)",
    ),
    (
        "--queue-wait",
        "QUEUE_WAIT",
        "seconds a request past --max-in-progress may wait for a slot before 503 (default 0.05)",
    ),
    (
        "--busy-retry-after",
        "BUSY_RETRY_AFTER",
        "the Retry-After of a 503 server-busy, in seconds (default 1)",
    ),
)


def parse_flags(argv: Sequence[str] | None) -> dict[str, str]:
    """The flags given, as FOLLOWTHROUGH_* variables; unknown arguments stop with a message."""
    parser = argparse.ArgumentParser(
        prog="python -m server",
        description="The Followthrough sync server. Every flag can also be given as the "
        "FOLLOWTHROUGH_* variable named after it (e.g. --port 9000 or FOLLOWTHROUGH_PORT=9000); "
        "FOLLOWTHROUGH_PEPPER and FOLLOWTHROUGH_LIMIT_<NAME> are variables only.",
    )
    for flag, name, words in FLAGS:
        parser.add_argument(flag, dest=name, metavar=name.split("_")[-1], help=words)
    given = vars(parser.parse_args(argv))
    return {f"FOLLOWTHROUGH_{name}": value for name, value in given.items() if value is not None}


def main(argv: Sequence[str] | None = None) -> int:
    # Flags become variables so that worker processes, which read the environment, see them.
    os.environ.update(parse_flags(argv))
    try:
        settings = Settings.from_environ(os.environ)
        # Open once here so a bad URL or schema problem stops the start with a clear message.
        open_store(settings.database_url).close()
    except (SettingsError, StorageError) as problem:
        print(f"server: {problem}", file=sys.stderr)
        return 1
    logging.getLogger("server").info("sync server on %s:%d", settings.host, settings.port)
    run(
        config(
            "server.__main__:app_from_environ",
            factory=True,
            host=settings.host,
            port=settings.port,
            trust_forwarded=settings.forwarded_allow_ips,
            limits=ConnectionLimits(
                header_bytes=settings.header_bytes,
                header_seconds=settings.header_timeout,
                keep_alive_seconds=settings.keep_alive_timeout,
                max_connections=settings.max_connections,
            ),
            workers=settings.workers,
            log_config=log_config(settings.log_level),
            log_level=settings.log_level,
            access_log=False,  # uvicorn's access log names client addresses; ours does not
        )
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
