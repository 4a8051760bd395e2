"""The sync API (docs/sync-protocol.md): a careful relay of opaque envelopes.

`create_app(store, settings)` returns the Starlette app. It holds no keys and decrypts nothing;
it checks shapes and sizes (validation.py), authenticates with peppered verifiers, rate-limits,
and hands values to the store (storage.py): writes in worker threads, fast local reads inline.
The endpoints live by area in accounts.py and sync.py; what they share, in api.py.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.middleware.cors import CORSMiddleware
from starlette.requests import ClientDisconnect, Request
from starlette.responses import JSONResponse, Response
from starlette.routing import BaseRoute, Route
from starlette.types import Lifespan

from server.accounts import AccountEndpoints
from server.credentials import verifier
from server.errors import client_gone, http_error, internal_error, storage_error
from server.middleware import AccessLog, BodyLimit, InProgressLimit, SecurityHeaders
from server.push_api import PushEndpoints
from server.records import ChangeStore, StorageError
from server.settings import Settings
from server.sync import SyncEndpoints

__all__ = ["PROTOCOL", "create_app", "routes", "verifier"]

PROTOCOL = 1


def _utc_now() -> datetime:
    return datetime.now(UTC)


class _Api(AccountEndpoints, SyncEndpoints, PushEndpoints):
    async def health(self, request: Request) -> Response:
        await self.read(self.store.ping)
        return JSONResponse({"ok": True, "protocol": PROTOCOL})


def routes(api: _Api) -> list[BaseRoute]:
    return [
        Route("/v1/health", api.health, methods=["GET"]),
        Route("/v1/account", api.create_account, methods=["POST"]),
        Route("/v1/account", api.get_account, methods=["GET"]),
        Route("/v1/account/{account_id}/kdf", api.kdf, methods=["GET"]),
        Route("/v1/session", api.login, methods=["POST"]),
        Route("/v1/session", api.logout, methods=["DELETE"]),
        Route("/v1/sessions/revoke-others", api.revoke_others, methods=["POST"]),
        Route("/v1/recovery", api.recovery, methods=["POST"]),
        Route("/v1/passphrase", api.passphrase, methods=["POST"]),
        Route("/v1/push", api.push, methods=["POST"]),
        Route("/v1/pull", api.pull, methods=["GET"]),
        Route("/v1/push/key", api.push_key, methods=["GET"]),
        Route("/v1/push/subscription", api.add_subscription, methods=["POST"]),
        Route("/v1/push/subscription", api.drop_subscription, methods=["DELETE"]),
        Route("/v1/push/messages", api.replace_messages, methods=["PUT"]),
    ]


def create_app(
    store: ChangeStore,
    settings: Settings,
    *,
    clock: Callable[[], datetime] = _utc_now,
    lifespan: Lifespan[Starlette] | None = None,
) -> Starlette:
    """The sync API over a store. The caller opens and closes the store."""
    middleware = [Middleware(AccessLog), Middleware(SecurityHeaders)]
    if settings.cors_origins:
        middleware.append(
            Middleware(
                CORSMiddleware,
                allow_origins=list(settings.cors_origins),
                allow_methods=["GET", "POST", "PUT", "DELETE"],
                allow_headers=["Authorization", "Content-Type"],
                expose_headers=["Retry-After", "Date"],
                max_age=600,
            )
        )
    # After CORS, so that a browser can read the 503's Retry-After; before the body is read.
    middleware.append(
        Middleware(
            InProgressLimit,
            limit=settings.max_in_progress,
            retry_after=settings.busy_retry_after,
            queue_seconds=settings.queue_wait,
        )
    )
    middleware.append(
        Middleware(BodyLimit, limits=settings.limits, body_seconds=settings.body_timeout)
    )
    app = Starlette(
        routes=routes(_Api(store, settings, clock)),
        middleware=middleware,
        exception_handlers={
            HTTPException: http_error,
            StorageError: storage_error,
            ClientDisconnect: client_gone,
            Exception: internal_error,
        },
        lifespan=lifespan,
    )
    # No redirect for a trailing slash: Starlette builds its Location from the Host header.
    app.router.redirect_slashes = False
    return app
