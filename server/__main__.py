"""`python -m server`: settings from the environment, the store, the app, uvicorn.

    FOLLOWTHROUGH_HOST=127.0.0.1 FOLLOWTHROUGH_PORT=8787 \
    FOLLOWTHROUGH_DATABASE_URL=sqlite:///data/sync.sqlite3 python -m server

With FOLLOWTHROUGH_WORKERS=n, uvicorn runs n processes, each with its own connections; use
PostgreSQL for that (FOLLOWTHROUGH_DATABASE_URL=postgresql://…, and a shared pepper).
"""

from __future__ import annotations

import contextlib
import copy
import logging
import os
import sys
from collections.abc import AsyncIterator, Mapping, Sequence

import anyio
import uvicorn
from starlette.applications import Starlette
from starlette.types import Receive, Scope, Send

from server.app import create_app
from server.errors import error
from server.records import StorageError
from server.settings import Settings, SettingsError
from server.storage import open_store


def app_from_environ(environ: Mapping[str, str] | None = None) -> Starlette:
    """The app over the store the environment names; the store closes with the app."""
    settings = Settings.from_environ(os.environ if environ is None else environ)
    store = open_store(settings.database_url)

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        try:
            yield
        finally:
            store.close()

    return create_app(store, settings, lifespan=lifespan)


class LazyApp:
    """The API for mounting next to the app (`python build.py serve`): the store is opened on
    the first request under /v1/, so merely building the app's routes touches no database."""

    def __init__(self, environ: Mapping[str, str] | None = None) -> None:
        self._environ = environ
        self._app: Starlette | None = None
        self._lock = anyio.Lock()

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
                    self._app = app_from_environ(self._environ)
        await self._app(scope, receive, send)


def log_config(level: str) -> dict[str, object]:
    """uvicorn's logging plus the server's own loggers (also in worker processes)."""
    config = copy.deepcopy(uvicorn.config.LOGGING_CONFIG)
    config["loggers"]["server"] = {"handlers": ["default"], "level": level.upper()}
    return config


def main(argv: Sequence[str] | None = None) -> int:
    try:
        settings = Settings.from_environ(os.environ)
        # Open once here so a bad URL or schema problem stops the start with a clear message.
        open_store(settings.database_url).close()
    except (SettingsError, StorageError) as problem:
        print(f"server: {problem}", file=sys.stderr)
        return 1
    logging.getLogger("server").info("sync server on %s:%d", settings.host, settings.port)
    uvicorn.run(
        "server.__main__:app_from_environ",
        factory=True,
        host=settings.host,
        port=settings.port,
        workers=settings.workers,
        log_config=log_config(settings.log_level),
        log_level=settings.log_level,
        access_log=False,  # uvicorn's access log names client addresses; ours does not
        proxy_headers=True,
        forwarded_allow_ips=settings.forwarded_allow_ips,
        timeout_keep_alive=5,
        server_header=False,
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
