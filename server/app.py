"""The sync API (docs/sync-protocol.md): a careful relay of opaque envelopes.

`create_app(store, settings)` returns the Starlette app. It holds no keys and decrypts nothing;
it checks shapes and sizes (validation.py), authenticates with peppered verifiers, rate-limits,
and hands values to the store (storage.py): writes in worker threads, fast local reads inline.
"""

from __future__ import annotations

import base64
import functools
import hashlib
import hmac
import json
import logging
import re
import secrets
from collections.abc import Callable, Mapping
from datetime import UTC, date, datetime, timedelta
from typing import Any, TypeVar

import anyio
import anyio.to_thread
from limits import RateLimitItem, parse
from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.middleware.cors import CORSMiddleware
from starlette.requests import ClientDisconnect, Request
from starlette.responses import JSONResponse, Response
from starlette.routing import BaseRoute, Route
from starlette.types import Lifespan

from server import validation
from server.errors import error
from server.middleware import AccessLog, BodyLimit, SecurityHeaders
from server.ratelimit import RateLimiter
from server.records import (
    Account,
    BasedOnFutureError,
    ChangeStore,
    CursorAheadError,
    NewAccount,
    PassphraseChange,
    PushItem,
    Quota,
    QuotaExceededError,
    Session,
    StorageError,
    WrappedKey,
)
from server.settings import Limits, Settings
from server.validation import Problem

PROTOCOL = 1
LABEL = b"followthrough-sync/v1"
_FAKE_SEED_INFO = LABEL + b"/fake-seed\0"
_CLIENT_KEY_INFO = LABEL + b"/client-address\0"
_TOKEN = re.compile(r"[A-Za-z0-9_-]{43}")

T = TypeVar("T")


def _utc_now() -> datetime:
    return datetime.now(UTC)


def _problem(problem: Problem) -> JSONResponse:
    return error(problem.code, problem.message, field=problem.field)


def verifier(pepper: bytes, key: bytes) -> bytes:
    """What the server keeps instead of an auth key: HMAC-SHA256(pepper, key) (SYNC-DESIGN
    §6.5). The key is already the output of 600,000 PBKDF2 rounds, so a fast keyed hash is
    enough to stop a stolen database from being replayed as a login."""
    return hmac.new(pepper, key, hashlib.sha256).digest()


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode()


def _token_hash(token: bytes) -> bytes:
    return hashlib.sha256(token).digest()


class _Api:
    def __init__(
        self, store: ChangeStore, settings: Settings, clock: Callable[[], datetime]
    ) -> None:
        self.store = store
        self.settings = settings
        self.limits: Limits = settings.limits
        self.clock = clock
        self.limiter = RateLimiter(settings.rate_limit_storage)
        self.rates: dict[str, RateLimitItem] = {
            name: parse(getattr(self.limits, name))
            for name in (
                "failed_logins",
                "logins_per_client",
                "kdf_lookups_per_client",
                "accounts_per_client",
                "syncs_per_account",
            )
        }
        self.active: dict[bytes, int] = {}
        self.forgotten_on = ""
        # Compared against when an account does not exist, so both paths do the same work.
        self.dummy_verifier = verifier(settings.pepper, b"\0" * validation.KEY_BYTES)

    # --- plumbing ---------------------------------------------------------------------------

    async def run(self, function: Callable[..., T], /, *args: Any, **kwargs: Any) -> T:
        """A store call that writes (or waits on the network): in a worker thread."""
        return await anyio.to_thread.run_sync(functools.partial(function, *args, **kwargs))

    async def read(self, function: Callable[..., T], /, *args: Any, **kwargs: Any) -> T:
        """A store call that only reads: inline when the store's reads are fast."""
        if self.store.fast_reads:
            return function(*args, **kwargs)
        return await self.run(function, *args, **kwargs)

    def today(self) -> date:
        return self.clock().astimezone(UTC).date()

    def server_time(self) -> str:
        now = self.clock().astimezone(UTC)
        return now.strftime("%Y-%m-%dT%H:%M:%S.") + f"{now.microsecond // 1000:03d}Z"

    def client_key(self, request: Request) -> str:
        # Client addresses are rate-limit keys only: peppered and hashed, never stored.
        host = request.client.host if request.client else "unknown"
        return hmac.new(
            self.settings.pepper, _CLIENT_KEY_INFO + host.encode(), "sha256"
        ).hexdigest()[:24]

    async def limited(self, rate: str, key: str) -> Response | None:
        """Count one request; a 429 with Retry-After once the rate is used up."""
        item = self.rates[rate]
        if await self.limiter.hit(item, rate, key):
            return None
        return await self.too_many(rate, key)

    async def too_many(self, rate: str, key: str) -> Response:
        retry = await self.limiter.retry_after(self.rates[rate], rate, key)
        return error(
            "rate-limited", f"too many requests ({rate})", headers={"Retry-After": str(retry)}
        )

    async def json_body(self, request: Request) -> dict[str, Any] | Response:
        # Only application/json: a form or text/plain POST is one a page of another site can
        # send without asking (no CORS preflight), e.g. wrong logins in a visitor's name.
        media_type = request.headers.get("content-type", "").partition(";")[0].strip().lower()
        if media_type != "application/json":
            return error("unsupported-media-type", "send Content-Type: application/json")
        raw = await request.body()
        try:
            body = json.loads(raw)
        except (ValueError, UnicodeDecodeError):
            return error("invalid-json", "the body is not JSON")
        except RecursionError:
            return error("invalid-json", "the body is nested too deeply")
        if not isinstance(body, dict):
            return error("invalid-json", "the body is not a JSON object")
        return body

    async def session(self, request: Request) -> tuple[Session, bytes] | Response:
        header = request.headers.get("authorization", "")
        scheme, _, token = header.partition(" ")
        if scheme.lower() != "bearer" or not token:
            return error("missing-token", "send Authorization: Bearer <token>")
        if _TOKEN.fullmatch(token) is None:
            return error("invalid-token", "sign in again")
        token_hash = _token_hash(base64.urlsafe_b64decode(token + "="))
        today = self.today()
        session = await self.read(self.store.get_session, token_hash, today=today.isoformat())
        if session is None:
            return error("invalid-token", "sign in again")
        if session.is_stale:
            return error("passphrase-changed", "the passphrase was changed on another device")
        expires = (today + timedelta(days=self.limits.session_days)).isoformat()
        if session.expires_day < expires:
            await self.run(self.store.extend_session, token_hash, expires)
        return session, token_hash

    async def new_session(self, account_id: bytes, key_epoch: int) -> dict[str, str]:
        token = secrets.token_bytes(32)
        today = self.today()
        expires = (today + timedelta(days=self.limits.session_days)).isoformat()
        await self.run(
            self.store.add_session,
            account_id,
            _token_hash(token),
            key_epoch=key_epoch,
            expires_day=expires,
            max_sessions=self.limits.sessions_per_account,
        )
        if self.forgotten_on != today.isoformat():
            self.forgotten_on = today.isoformat()
            await self.run(
                self.store.forget,
                batches_before=(today - timedelta(days=self.limits.batch_days)).isoformat(),
                sessions_before=today.isoformat(),
            )
        return {
            "token": base64.urlsafe_b64encode(token).rstrip(b"=").decode(),
            "expires_day": expires,
        }

    async def check_proof(
        self, request: Request, body: Mapping[str, Any], proof: str
    ) -> Account | Response:
        """A login-like proof: rate limits first, then a constant-time compare that answers
        the same for an unknown account and a wrong key.

        The client address's limit comes first, so one address cannot spend an account's
        budget beyond its own. Then a passphrase proof is counted against the account before
        it is checked, in one atomic step of the limiter: concurrent guesses cannot all pass a
        test made before the first of them failed. Two kinds of request are not counted
        against the account, so that strangers cannot lock its owner out: a recovery proof (a
        random 256-bit key, hopeless to guess) and a request that carries a session token of
        this account (a device already signed in, even one whose session the passphrase change
        made stale). A right passphrase clears the account's count."""
        account_hex = str(body["account_id"])
        account_id = bytes.fromhex(account_hex)
        refused = await self.limited("logins_per_client", self.client_key(request))
        if refused:
            return refused
        counted = proof == "auth_key" and not await self.holds_session(request, account_id)
        failed_logins = self.rates["failed_logins"]
        if counted and not await self.limiter.hit(failed_logins, "failed_logins", account_hex):
            return await self.too_many("failed_logins", account_hex)
        account = await self.read(self.store.get_account, account_id)
        given = verifier(self.settings.pepper, base64.b64decode(body[proof]))
        if account is None:
            expected = self.dummy_verifier
        elif proof == "auth_key":
            expected = account.auth_verifier
        else:
            expected = account.recovery_verifier
        if hmac.compare_digest(given, expected) and account is not None:
            if counted:
                await self.limiter.clear(failed_logins, "failed_logins", account_hex)
            return account
        return error("bad-credentials", "wrong passphrase or unknown account")

    async def holds_session(self, request: Request, account_id: bytes) -> bool:
        """Whether the request carries a token of one of the account's sessions (stale or
        not: a passphrase change elsewhere makes a device's session stale, not a stranger's)."""
        scheme, _, token = request.headers.get("authorization", "").partition(" ")
        if scheme.lower() != "bearer" or _TOKEN.fullmatch(token) is None:
            return False
        token_hash = _token_hash(base64.urlsafe_b64decode(token + "="))
        session = await self.read(
            self.store.get_session, token_hash, today=self.today().isoformat()
        )
        return session is not None and session.account_id == account_id

    # --- endpoints --------------------------------------------------------------------------

    async def health(self, request: Request) -> Response:
        await self.read(self.store.ping)
        return JSONResponse({"ok": True, "protocol": PROTOCOL})

    async def create_account(self, request: Request) -> Response:
        body = await self.json_body(request)
        if isinstance(body, Response):
            return body
        problem = validation.check_account_setup(body)
        if problem:
            return _problem(problem)
        refused = await self.limited("accounts_per_client", self.client_key(request))
        if refused:
            return refused
        account_id = bytes.fromhex(body["account_id"])
        pepper = self.settings.pepper
        created = await self.run(
            self.store.create_account,
            NewAccount(
                account_id=account_id,
                kdf=_canonical(body["kdf"]),
                auth_verifier=verifier(pepper, base64.b64decode(body["auth_key"])),
                recovery_verifier=verifier(pepper, base64.b64decode(body["recovery_auth_key"])),
                log_id=secrets.token_bytes(16),
                keys=tuple(
                    WrappedKey(
                        key_id=key["key_id"],
                        wrapped_dek=base64.b64decode(key["wrapped_dek"]),
                        recovery_wrapped_dek=base64.b64decode(key["recovery_wrapped_dek"]),
                    )
                    for key in body["keys"]
                ),
            ),
            today=self.today().isoformat(),
        )
        if not created:
            return error("account-exists", "this account id is taken")
        return await self.signed_in(account_id, status_code=201)

    async def signed_in(self, account_id: bytes, *, status_code: int = 200) -> Response:
        account = await self.read(self.store.get_account, account_id)
        if account is None:
            raise StorageError("the account vanished")
        session = await self.new_session(account_id, account.key_epoch)
        return JSONResponse({**session, "account": _account(account)}, status_code=status_code)

    async def kdf(self, request: Request) -> Response:
        refused = await self.limited("kdf_lookups_per_client", self.client_key(request))
        if refused:
            return refused
        account_hex = request.path_params["account_id"]
        problem = validation.check_id(account_hex, "account_id")
        if problem:
            return _problem(problem)
        account_id = bytes.fromhex(account_hex)
        account = await self.read(self.store.get_account, account_id)
        # Unknown ids get stable made-up parameters, so this endpoint is no account oracle.
        fake_seed = hmac.new(self.settings.pepper, _FAKE_SEED_INFO + account_id, "sha256")
        if account is None:
            kdf: dict[str, Any] = {
                "alg": validation.KDF_ALG,
                "iterations": validation.KDF_MIN_ITERATIONS,
                "seed": _b64(fake_seed.digest()),
                "v": validation.KDF_VERSION,
            }
        else:
            kdf = json.loads(account.kdf)
        return JSONResponse({"kdf": kdf})

    async def login(self, request: Request) -> Response:
        body = await self.json_body(request)
        if isinstance(body, Response):
            return body
        problem = validation.check_login(body)
        if problem:
            return _problem(problem)
        account = await self.check_proof(request, body, "auth_key")
        if isinstance(account, Response):
            return account
        return await self.signed_in(account.account_id)

    async def recovery(self, request: Request) -> Response:
        body = await self.json_body(request)
        if isinstance(body, Response):
            return body
        problem = validation.check_login(body, "recovery_auth_key")
        if problem:
            return _problem(problem)
        account = await self.check_proof(request, body, "recovery_auth_key")
        if isinstance(account, Response):
            return account
        return JSONResponse({"account": _account(account)})

    async def get_account(self, request: Request) -> Response:
        found = await self.session(request)
        if isinstance(found, Response):
            return found
        account = await self.read(self.store.get_account, found[0].account_id)
        if account is None:
            return error("invalid-token", "sign in again")
        return JSONResponse({"account": _account(account)})

    async def passphrase(self, request: Request) -> Response:
        body = await self.json_body(request)
        if isinstance(body, Response):
            return body
        problem = validation.check_passphrase_change(body)
        if problem:
            return _problem(problem)
        account = await self.check_proof(request, body, validation.proof_field(body))
        if isinstance(account, Response):
            return account
        problem = validation.check_rewrap(
            [key["key_id"] for key in body["keys"]], [key.key_id for key in account.keys]
        )
        recovery = body.get("recovery")
        if problem is None and recovery is not None:
            problem = validation.check_rewrap(
                [key["key_id"] for key in recovery["keys"]], [key.key_id for key in account.keys]
            )
        if problem:
            return _problem(problem)
        pepper = self.settings.pepper
        new_epoch = await self.run(
            self.store.change_passphrase,
            PassphraseChange(
                account_id=account.account_id,
                expected_key_epoch=body["expected_key_epoch"],
                kdf=_canonical(body["kdf"]),
                auth_verifier=verifier(pepper, base64.b64decode(body["new_auth_key"])),
                wrapped={k["key_id"]: base64.b64decode(k["wrapped_dek"]) for k in body["keys"]},
                recovery_verifier=(
                    verifier(pepper, base64.b64decode(recovery["recovery_auth_key"]))
                    if recovery
                    else None
                ),
                recovery_wrapped=(
                    {
                        k["key_id"]: base64.b64decode(k["recovery_wrapped_dek"])
                        for k in recovery["keys"]
                    }
                    if recovery
                    else None
                ),
            ),
        )
        if new_epoch is None:
            current = await self.read(self.store.get_account, account.account_id)
            return error(
                "key-epoch-mismatch",
                "the passphrase was changed meanwhile",
                extra={"key_epoch": current.key_epoch if current else None},
            )
        return await self.signed_in(account.account_id)

    async def logout(self, request: Request) -> Response:
        found = await self.session(request)
        if isinstance(found, Response):
            return found
        await self.run(self.store.delete_session, found[1])
        return Response(status_code=204)

    async def revoke_others(self, request: Request) -> Response:
        found = await self.session(request)
        if isinstance(found, Response):
            return found
        session, token_hash = found
        revoked = await self.run(self.store.delete_other_sessions, session.account_id, token_hash)
        return JSONResponse({"revoked": revoked})

    async def sync_slot(self, session: Session) -> Response | None:
        """Count a push or pull against the account's rate, and refuse a third at once."""
        refused = await self.limited("syncs_per_account", session.account_id.hex())
        if refused:
            return refused
        if self.active.get(session.account_id, 0) >= self.limits.concurrent_syncs_per_account:
            return error(
                "rate-limited",
                "too many syncs at once for this account",
                headers={"Retry-After": "1"},
            )
        self.active[session.account_id] = self.active.get(session.account_id, 0) + 1
        return None

    def release(self, session: Session) -> None:
        left = self.active[session.account_id] - 1
        if left:
            self.active[session.account_id] = left
        else:
            del self.active[session.account_id]

    async def push(self, request: Request) -> Response:
        found = await self.session(request)
        if isinstance(found, Response):
            return found
        session = found[0]
        refused = await self.sync_slot(session)
        if refused:
            return refused
        try:
            return await self._push(request, session)
        finally:
            self.release(session)

    async def _push(self, request: Request, session: Session) -> Response:
        body = await self.json_body(request)
        if isinstance(body, Response):
            return body
        problem = validation.check_push(body, session.key_ids, self.limits)
        if problem:
            return _problem(problem)
        items = [
            PushItem(
                record_id=bytes.fromhex(item["record_id"]),
                based_on_seq=item["based_on_seq"],
                envelope=base64.b64decode(item["envelope"]),
            )
            for item in body["items"]
        ]
        try:
            result = await self.run(
                self.store.push,
                session.account_id,
                bytes.fromhex(body["batch_id"]),
                items,
                today=self.today().isoformat(),
                quota=Quota(bytes=self.limits.account_bytes, rows=self.limits.account_rows),
            )
        except QuotaExceededError:
            return error("quota-exceeded", "the account is full")
        except BasedOnFutureError:
            return error("based-on-future", "based_on_seq is beyond the log", field="items")
        return JSONResponse(
            {
                "first_seq": result.first_seq,
                "last_seq": result.last_seq,
                "replayed": result.replayed,
                "server_time": self.server_time(),
            }
        )

    async def pull(self, request: Request) -> Response:
        found = await self.session(request)
        if isinstance(found, Response):
            return found
        session = found[0]
        problem = validation.check_pull_query(request.query_params)
        if problem:
            return _problem(problem)
        refused = await self.sync_slot(session)
        if refused:
            return refused
        since = int(request.query_params.get("since", "0"))
        limit = min(
            int(request.query_params.get("limit", self.limits.items_per_page)),
            self.limits.items_per_page,
        )
        try:
            page = await self.read(
                self.store.pull,
                session.account_id,
                since,
                limit=limit,
                max_bytes=self.limits.page_bytes,
            )
        except CursorAheadError:
            return error("cursor-ahead", "the cursor is beyond this log: pull from 0")
        finally:
            self.release(session)
        return JSONResponse(
            {
                "items": [
                    {
                        "seq": row.seq,
                        "record_id": row.record_id.hex(),
                        "envelope": _b64(row.envelope),
                    }
                    for row in page.rows
                ],
                "next_since": page.rows[-1].seq if page.rows else since,
                "more": page.more,
                "log_id": session.log_id.hex(),
                "server_time": self.server_time(),
            }
        )


def _canonical(value: object) -> str:
    return json.dumps(value, sort_keys=True, separators=(",", ":"))


def _account(account: Account) -> dict[str, Any]:
    return {
        "account_id": account.account_id.hex(),
        "key_epoch": account.key_epoch,
        "log_id": account.log_id.hex(),
        "kdf": json.loads(account.kdf),
        "keys": [
            {
                "key_id": key.key_id,
                "wrapped_dek": _b64(key.wrapped_dek),
                "recovery_wrapped_dek": _b64(key.recovery_wrapped_dek),
            }
            for key in account.keys
        ],
    }


# --- The app ------------------------------------------------------------------------------------


async def _http_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, HTTPException)
    if exc.status_code == 405:
        return error("method-not-allowed")
    if exc.status_code == 404:
        return error("not-found")
    return JSONResponse(
        {"error": "http-error", "message": str(exc.detail), "field": None},
        status_code=exc.status_code,
    )


async def _storage_error(request: Request, exc: Exception) -> Response:
    logging.getLogger("server").error("storage unavailable: %s", type(exc).__name__)
    return error("storage-unavailable", "the database does not answer; retry later")


async def _client_gone(request: Request, exc: Exception) -> Response:
    """The client hung up mid-body: nobody reads this answer, and it is no server fault."""
    return Response(status_code=400, headers={"connection": "close"})


async def _internal_error(request: Request, exc: Exception) -> Response:
    return error("internal-error", "the server failed; retry later")


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
                allow_methods=["GET", "POST", "DELETE"],
                allow_headers=["Authorization", "Content-Type"],
                expose_headers=["Retry-After", "Date"],
                max_age=600,
            )
        )
    middleware.append(
        Middleware(BodyLimit, limits=settings.limits, body_seconds=settings.body_timeout)
    )
    app = Starlette(
        routes=routes(_Api(store, settings, clock)),
        middleware=middleware,
        exception_handlers={
            HTTPException: _http_error,
            StorageError: _storage_error,
            ClientDisconnect: _client_gone,
            Exception: _internal_error,
        },
        lifespan=lifespan,
    )
    # No redirect for a trailing slash: Starlette builds its Location from the Host header.
    app.router.redirect_slashes = False
    return app
