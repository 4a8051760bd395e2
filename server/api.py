"""What every endpoint of the sync API shares: the store off the event loop, the clock, rate
limits, JSON bodies, sessions and login proofs."""

from __future__ import annotations

import base64
import functools
import hmac
import json
import secrets
from collections.abc import Callable, Mapping
from datetime import UTC, date, datetime, timedelta
from typing import Any, TypeVar

import anyio
import anyio.to_thread
from limits import RateLimitItem, parse
from starlette.requests import Request
from starlette.responses import Response

from server import validation
from server.credentials import CLIENT_KEY_INFO, TOKEN, hash_token, verifier
from server.errors import error
from server.ratelimit import RateLimiter
from server.records import Account, ChangeStore, Session
from server.settings import Limits, Settings

T = TypeVar("T")


class ApiBase:
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
            self.settings.pepper, CLIENT_KEY_INFO + host.encode(), "sha256"
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
        if TOKEN.fullmatch(token) is None:
            return error("invalid-token", "sign in again")
        token_hash = hash_token(base64.urlsafe_b64decode(token + "="))
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
            hash_token(token),
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
        if scheme.lower() != "bearer" or TOKEN.fullmatch(token) is None:
            return False
        token_hash = hash_token(base64.urlsafe_b64decode(token + "="))
        session = await self.read(
            self.store.get_session, token_hash, today=self.today().isoformat()
        )
        return session is not None and session.account_id == account_id
