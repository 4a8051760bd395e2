"""The sync client: one device speaking docs/sync-protocol.md to the server over httpx."""

from __future__ import annotations

import asyncio
import base64
import json
import os
import random
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

import httpx

from .envelope import TamperedError, open_envelope, seal
from .keys import ITERATIONS, LABEL, derive, recovery_keys, unwrap, wrap
from .records import Clock, State, canonical, is_deleted, merge_states


class ServerError(Exception):
    def __init__(self, status: int, code: str, body: Mapping[str, Any]) -> None:
        super().__init__(f"{status} {code}")
        self.status = status
        self.code = code
        self.body = body


class TransportLostError(Exception):
    """The test dropped a request or its response, as a network would."""


def b64(data: bytes) -> str:
    return base64.b64encode(data).decode()


def unb64(text: str) -> bytes:
    return base64.b64decode(text, validate=True)


@dataclass(slots=True)
class Batch:
    batch_id: bytes
    body: dict[str, Any]
    counters: dict[bytes, int]


@dataclass(slots=True)
class Rejected:
    seq: int
    record_id: bytes
    reason: str


@dataclass(slots=True, kw_only=True)
class Device:
    """One device: its records, outbox, cursor and keys, speaking the protocol over `http`."""

    http: httpx.AsyncClient
    node: str
    now_ms: Callable[[], int]
    random_bytes: Callable[[int], bytes] = os.urandom
    label: str = LABEL
    account_id: bytes = b""
    deks: dict[int, bytes] = field(default_factory=dict)
    key_id: int = 1
    token: str = ""
    key_epoch: int = 0
    cursor: int = 0
    log_id: str = ""
    records: dict[bytes, State] = field(default_factory=dict)
    dirty: dict[bytes, int] = field(default_factory=dict)
    pending: Batch | None = None
    rejected: list[Rejected] = field(default_factory=list)
    clock: Clock | None = None
    # Key-schedule version 2 (docs/sync-protocol.md §2): a secret key the server never sees.
    secret_key: bytes | None = None
    # 503 server-busy (docs/sync-protocol.md §5): the same request again after Retry-After,
    # with jitter, at most this many times; every wait is kept in `busy_waits`.
    busy_retries: int = 8
    sleep: Callable[[float], Awaitable[None]] = asyncio.sleep
    jitter: random.Random = field(default_factory=random.Random)
    busy_waits: list[float] = field(default_factory=list)

    def __post_init__(self) -> None:
        if self.clock is None:
            self.clock = Clock(node=self.node)

    # --- HTTP ---------------------------------------------------------------------------------

    async def call(
        self, method: str, path: str, *, body: Any = None, auth: bool = True, **params: Any
    ) -> dict[str, Any]:
        headers = {"Authorization": f"Bearer {self.token}"} if auth and self.token else {}
        for attempt in range(self.busy_retries + 1):
            response = await self.http.request(
                method, path, json=body, headers=headers, params=params or None
            )
            payload: dict[str, Any] = response.json() if response.content else {}
            busy = response.status_code == 503 and payload.get("error") == "server-busy"
            if not busy or attempt == self.busy_retries:
                break
            # The server's hint (retry_after_ms, else Retry-After), doubling per refusal in a
            # row, spread over up to twice that so that clients refused together do not come
            # back together.
            hint = payload.get("retry_after_ms")
            base = hint / 1000 if hint else float(response.headers.get("retry-after", "1"))
            wait = min(60.0, base * 2.0**attempt) * (1 + self.jitter.random())
            self.busy_waits.append(wait)
            await self.sleep(wait)
        if response.status_code >= 400:
            raise ServerError(response.status_code, str(payload.get("error")), payload)
        return payload

    # --- Account ------------------------------------------------------------------------------

    async def create_account(
        self,
        passphrase: str,
        *,
        account_id: bytes | None = None,
        seed: bytes | None = None,
        dek: bytes | None = None,
        recovery_key: bytes | None = None,
        iterations: int = ITERATIONS,
    ) -> bytes:
        """Set up the account on this (first) device; returns the recovery key."""
        self.account_id = account_id or self.random_bytes(16)
        seed = seed or self.random_bytes(32)
        dek = dek or self.random_bytes(32)
        recovery_key = recovery_key or self.random_bytes(32)
        keys = derive(passphrase, self.account_id, seed, iterations, self.label, self.secret_key)
        rk_kek, recovery_auth_key = recovery_keys(recovery_key, self.account_id, self.label)
        answer = await self.call(
            "POST",
            "/v1/account",
            auth=False,
            body={
                "account_id": self.account_id.hex(),
                "kdf": {
                    "alg": "pbkdf2-sha256",
                    "iterations": iterations,
                    "seed": b64(seed),
                    "v": self._version,
                },
                "auth_key": b64(keys.auth_key),
                "recovery_auth_key": b64(recovery_auth_key),
                "keys": [
                    {
                        "key_id": self.key_id,
                        "wrapped_dek": b64(self._wrap(keys.kek, dek)),
                        "recovery_wrapped_dek": b64(self._wrap(rk_kek, dek)),
                    }
                ],
            },
        )
        self._signed_in(answer)
        self.deks = {self.key_id: dek}
        return recovery_key

    def _wrap(self, kek: bytes, dek: bytes, key_id: int | None = None) -> bytes:
        key_id = self.key_id if key_id is None else key_id
        return wrap(kek, dek, self.account_id, key_id, self.random_bytes(12), self.label)

    @property
    def _version(self) -> int:
        return 1 if self.secret_key is None else 2

    def _derive(self, passphrase: str, kdf: Mapping[str, Any]) -> Any:
        """Refuses what the browser refuses: a version-1 answer to a device holding a secret
        key (a downgrade that would hand the server an offline-guessable verifier). Without a
        secret key it derives as version 1 whatever the server says (the server's made-up answer
        for an unknown account says 2; the browser asks for the pairing code instead)."""
        if kdf.get("v") != 2 and self.secret_key is not None:
            raise ValueError("the server asked a device with a secret key for version 1")
        return derive(
            passphrase,
            self.account_id,
            unb64(kdf["seed"]),
            kdf["iterations"],
            self.label,
            self.secret_key,
        )

    def _signed_in(self, answer: Mapping[str, Any]) -> None:
        self.token = answer["token"]
        account = answer["account"]
        self.key_epoch = account["key_epoch"]
        if self.log_id and account["log_id"] != self.log_id:
            self._forget_cursor()
        self.log_id = account["log_id"]

    async def kdf_params(self, account_id: bytes) -> dict[str, Any]:
        """The server's KDF parameters, refused below the minimum (a lying server)."""
        kdf: dict[str, Any] = (
            await self.call("GET", f"/v1/account/{account_id.hex()}/kdf", auth=False)
        )["kdf"]
        if kdf.get("alg") != "pbkdf2-sha256" or int(kdf.get("iterations", 0)) < ITERATIONS:
            raise ValueError("weak KDF parameters from the server")
        return kdf

    async def login(self, passphrase: str, account_id: bytes | None = None) -> None:
        """Pair or re-login: KDF parameters, derive, log in, unwrap the data key."""
        self.account_id = account_id or self.account_id
        kdf = await self.kdf_params(self.account_id)
        keys = self._derive(passphrase, kdf)
        answer = await self.call(
            "POST",
            "/v1/session",
            auth=True,  # a signed-in device shows its token (not locked out)
            body={"account_id": self.account_id.hex(), "auth_key": b64(keys.auth_key)},
        )
        self.deks = {
            key["key_id"]: unwrap(
                keys.kek, unb64(key["wrapped_dek"]), self.account_id, key["key_id"], self.label
            )
            for key in answer["account"]["keys"]
        }
        self.key_id = max(self.deks)
        self._signed_in(answer)

    async def change_passphrase(
        self, old: str, new: str, *, expected_key_epoch: int | None = None, rotate: bool = False
    ) -> bytes | None:
        """A new passphrase; with `rotate`, also a new data key (the next key id, used for new
        records from now on) and a new recovery kit for every key, whose key is returned."""
        kdf = await self.kdf_params(self.account_id)
        old_keys = self._derive(old, kdf)
        seed = self.random_bytes(32)
        new_keys = derive(new, self.account_id, seed, ITERATIONS, self.label, self.secret_key)
        deks = dict(self.deks)
        body: dict[str, Any] = {
            "account_id": self.account_id.hex(),
            "auth_key": b64(old_keys.auth_key),
            "expected_key_epoch": expected_key_epoch or self.key_epoch,
            "kdf": {
                "alg": "pbkdf2-sha256",
                "iterations": ITERATIONS,
                "seed": b64(seed),
                "v": self._version,
            },
            "new_auth_key": b64(new_keys.auth_key),
        }
        recovery_key = None
        if rotate:
            deks[max(deks) + 1] = self.random_bytes(32)
            recovery_key = self.random_bytes(32)
            rk_kek, recovery_auth_key = recovery_keys(recovery_key, self.account_id, self.label)
            body["recovery"] = {
                "recovery_auth_key": b64(recovery_auth_key),
                "keys": [
                    {"key_id": key_id, "recovery_wrapped_dek": b64(self._wrap(rk_kek, dek, key_id))}
                    for key_id, dek in deks.items()
                ],
            }
        body["keys"] = [
            {"key_id": key_id, "wrapped_dek": b64(self._wrap(new_keys.kek, dek, key_id))}
            for key_id, dek in deks.items()
        ]
        answer = await self.call("POST", "/v1/passphrase", auth=True, body=body)
        self.deks = deks
        self.key_id = max(deks)
        self._signed_in(answer)
        return recovery_key

    async def recover(self, recovery_key: bytes, new: str) -> None:
        """Forgotten passphrase: unwrap with the recovery kit, then set a new passphrase."""
        rk_kek, recovery_auth_key = recovery_keys(recovery_key, self.account_id, self.label)
        account = (
            await self.call(
                "POST",
                "/v1/recovery",
                auth=False,
                body={
                    "account_id": self.account_id.hex(),
                    "recovery_auth_key": b64(recovery_auth_key),
                },
            )
        )["account"]
        self.deks = {
            key["key_id"]: unwrap(
                rk_kek,
                unb64(key["recovery_wrapped_dek"]),
                self.account_id,
                key["key_id"],
                self.label,
            )
            for key in account["keys"]
        }
        seed = self.random_bytes(32)
        new_keys = derive(new, self.account_id, seed, ITERATIONS, self.label, self.secret_key)
        answer = await self.call(
            "POST",
            "/v1/passphrase",
            auth=False,
            body={
                "account_id": self.account_id.hex(),
                "recovery_auth_key": b64(recovery_auth_key),
                "expected_key_epoch": account["key_epoch"],
                "kdf": {
                    "alg": "pbkdf2-sha256",
                    "iterations": ITERATIONS,
                    "seed": b64(seed),
                    "v": self._version,
                },
                "new_auth_key": b64(new_keys.auth_key),
                "keys": [
                    {"key_id": key_id, "wrapped_dek": b64(self._wrap(new_keys.kek, dek, key_id))}
                    for key_id, dek in self.deks.items()
                ],
            },
        )
        self._signed_in(answer)

    # --- Local edits --------------------------------------------------------------------------

    def _stamp(self) -> str:
        assert self.clock is not None
        return self.clock.send(self.now_ms())

    def edit(self, record_id: bytes, name: str, value: Any, *, kind: str = "contact") -> str:
        """Set one field; returns its HLC."""
        stamp = self._stamp()
        change: State = {"v": 1, "t": kind, "f": {name: [value, stamp]}}
        current = self.records.get(record_id)
        self.records[record_id] = merge_states(current, change) if current else change
        self.dirty[record_id] = self.dirty.get(record_id, 0) + 1
        return stamp

    def delete(self, record_id: bytes, *, kind: str = "contact") -> str:
        return self.edit(record_id, "_deleted", True, kind=kind)

    def visible(self) -> dict[str, State]:
        """Materialised records: those not deleted."""
        return {rid.hex(): s for rid, s in sorted(self.records.items()) if not is_deleted(s)}

    def snapshot(self) -> bytes:
        """Every record with every field and HLC, canonically: equal bytes = converged."""
        return canonical({rid.hex(): state for rid, state in sorted(self.records.items())})

    # --- Sync ---------------------------------------------------------------------------------

    def _forget_cursor(self) -> None:
        # Another log (a reset or a new server): read it all, and offer it everything we have.
        self.cursor = 0
        for record_id in self.records:
            self.dirty[record_id] = self.dirty.get(record_id, 0) + 1

    async def fetch(self, since: int, limit: int) -> dict[str, Any]:
        try:
            return await self.call("GET", "/v1/pull", since=since, limit=limit)
        except ServerError as problem:
            if problem.code != "cursor-ahead":
                raise
            self._forget_cursor()
            return await self.call("GET", "/v1/pull", since=0, limit=limit)

    def apply(self, page: Mapping[str, Any]) -> None:
        """Decrypt the whole page first, set aside what fails, merge the rest, move the cursor.
        (The browser does the merge and the cursor in one IndexedDB transaction.)"""
        if page["log_id"] != self.log_id:
            self.log_id = page["log_id"]
        opened: list[tuple[bytes, State]] = []
        for item in page["items"]:
            record_id = bytes.fromhex(item["record_id"])
            try:
                plaintext = open_envelope(
                    self.deks, self.account_id, record_id, unb64(item["envelope"]), self.label
                )
                state = json.loads(plaintext)
                if not isinstance(state, dict) or not isinstance(state.get("f"), dict):
                    raise TamperedError("not a record state")
            except (TamperedError, ValueError) as problem:
                self.rejected.append(Rejected(item["seq"], record_id, str(problem)))
                continue
            opened.append((record_id, state))
        assert self.clock is not None
        for record_id, state in opened:
            current = self.records.get(record_id)
            self.records[record_id] = merge_states(current, state) if current else state
            for _, stamp in state["f"].values():
                self.clock.recv(stamp, self.now_ms())
        self.cursor = max(self.cursor, page["next_since"])

    async def pull(self, limit: int = 500) -> int:
        """Pull until the log is read; returns the number of pages."""
        pages = 0
        while True:
            page = await self.fetch(self.cursor, limit)
            self.apply(page)
            pages += 1
            if not page["more"]:
                return pages

    def next_batch(self, max_items: int = 500) -> Batch | None:
        """The pending batch (retried as is), else a new one from the outbox."""
        if self.pending is not None:
            return self.pending
        chosen = sorted(self.dirty)[:max_items]
        if not chosen:
            return None
        items = []
        for record_id in chosen:
            plaintext = canonical(self.records[record_id])
            envelope = seal(
                self.deks[self.key_id],
                self.account_id,
                record_id,
                self.key_id,
                plaintext,
                self.random_bytes(12),
                self.label,
            )
            items.append(
                {
                    "record_id": record_id.hex(),
                    "based_on_seq": self.cursor,
                    "envelope": b64(envelope),
                }
            )
        batch_id = self.random_bytes(16)
        self.pending = Batch(
            batch_id=batch_id,
            body={"batch_id": batch_id.hex(), "items": items},
            counters={rid: self.dirty[rid] for rid in chosen},
        )
        return self.pending

    async def push(self, max_items: int = 500, *, lose: str = "") -> dict[str, Any] | None:
        """Send the pending or a new batch. lose="request" drops it before the server sees it;
        lose="response" lets the server apply it and drops the answer."""
        batch = self.next_batch(max_items)
        if batch is None:
            return None
        if lose == "request":
            raise TransportLostError
        answer = await self.call("POST", "/v1/push", body=batch.body)
        if lose == "response":
            raise TransportLostError
        for record_id, counter in batch.counters.items():
            if self.dirty.get(record_id) == counter:  # not edited again meanwhile
                del self.dirty[record_id]
        self.pending = None
        return answer

    async def sync(self, limit: int = 500) -> None:
        """Pull, push until the outbox is empty, pull again (SYNC-DESIGN §6.8)."""
        await self.pull(limit)
        while await self.push() is not None:
            pass
        await self.pull(limit)
