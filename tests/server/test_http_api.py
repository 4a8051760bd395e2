"""The HTTP layer in-process on SQLite: health, unknown paths, body limits, CORS, clocks and a
store outage."""

from __future__ import annotations

import json
import os
import time
from collections.abc import AsyncIterator
from pathlib import Path

import anyio
import httpx
import pytest

from server.records import PullPage, StorageError
from server.sqlite_store import SqliteStore
from server.storage import MemoryStore
from tests.server.builders import (
    ACCOUNT_A,
    account_a,
    bearer,
    paired,
    push_body,
    setup_body,
)
from tests.server.conftest import FakeClock, http_client, make_settings

pytestmark = pytest.mark.anyio

JSON = {"content-type": "application/json"}  # the API takes no other bodies


# --- Basics -------------------------------------------------------------------------------------


async def test_health_answers_with_the_protocol_version(http: httpx.AsyncClient) -> None:
    response = await http.get("/v1/health")

    assert response.status_code == 200
    assert response.json() == {"ok": True, "protocol": 1}


async def test_health_says_when_the_database_is_down() -> None:
    class Down(MemoryStore):
        def ping(self) -> None:
            raise StorageError("connection refused")

    async with http_client(Down()) as http:
        response = await http.get("/v1/health")

    assert response.status_code == 503
    assert response.json()["error"] == "storage-unavailable"


async def test_unknown_paths_and_methods_answer_with_error_codes(http: httpx.AsyncClient) -> None:
    missing = await http.get("/v1/nothing")
    wrong_method = await http.put("/v1/push")
    not_json = await http.post("/v1/session", content=b"{nope", headers=JSON)

    assert (missing.status_code, missing.json()["error"]) == (404, "not-found")
    assert (wrong_method.status_code, wrong_method.json()["error"]) == (405, "method-not-allowed")
    assert (not_json.status_code, not_json.json()["error"]) == (400, "invalid-json")


# --- Bodies -------------------------------------------------------------------------------------


async def test_a_push_body_of_exactly_one_mib_is_accepted_and_one_byte_more_is_not(
    http: httpx.AsyncClient,
) -> None:
    """G2."""
    phone = await account_a(http)
    raw = json.dumps(push_body(11, size=65_536)).encode()
    exact = raw + b" " * (1024 * 1024 - len(raw))

    accepted = await http.post("/v1/push", content=exact, headers=bearer(phone.token) | JSON)
    refused = await http.post("/v1/push", content=exact + b" ", headers=bearer(phone.token) | JSON)

    assert len(exact) == 1024 * 1024
    assert accepted.status_code == 200
    assert (refused.status_code, refused.json()["error"]) == (413, "body-too-large")


async def test_other_endpoints_take_16_kib(http: httpx.AsyncClient) -> None:
    body = json.dumps(setup_body(ACCOUNT_A)).encode()

    refused = await http.post(
        "/v1/account", content=body + b" " * (16 * 1024 + 1 - len(body)), headers=JSON
    )
    accepted = await http.post(
        "/v1/account", content=body + b" " * (16 * 1024 - len(body)), headers=JSON
    )

    assert refused.status_code == 413
    assert accepted.status_code == 201


async def test_a_chunked_body_is_refused_once_it_passes_the_limit(http: httpx.AsyncClient) -> None:
    """G3 in-process: no Content-Length; the server stops reading at the limit."""
    phone = await account_a(http)
    sent = 0

    async def chunks() -> AsyncIterator[bytes]:
        nonlocal sent
        for _ in range(100):
            sent += 64 * 1024
            yield b" " * (64 * 1024)

    response = await http.post("/v1/push", content=chunks(), headers=bearer(phone.token) | JSON)

    assert (response.status_code, response.json()["error"]) == (413, "body-too-large")
    assert "content-length" not in response.request.headers


async def test_a_body_that_does_not_finish_in_time_is_given_up(sqlite: SqliteStore) -> None:
    """G5 (second half) in-process, with a short deadline; test_server_process.py checks it
    on a real socket."""
    async with http_client(sqlite, make_settings(body_timeout=0.3)) as http:
        phone = await account_a(http)

        async def trickle() -> AsyncIterator[bytes]:
            for _ in range(10):
                await anyio.sleep(0.1)
                yield b" "

        started = time.perf_counter()
        response = await http.post(
            "/v1/push", content=trickle(), headers=bearer(phone.token) | JSON
        )

    assert (response.status_code, response.json()["error"]) == (408, "request-timeout")
    assert time.perf_counter() - started < 1.0


async def test_cross_origin_calls_are_allowed_for_configured_origins(sqlite: SqliteStore) -> None:
    settings = make_settings(cors_origins=("https://app.example",))
    async with http_client(sqlite, settings) as http:
        preflight = await http.options(
            "/v1/push",
            headers={
                "Origin": "https://app.example",
                "Access-Control-Request-Method": "POST",
                "Access-Control-Request-Headers": "authorization,content-type",
            },
        )
        other = await http.get("/v1/health", headers={"Origin": "https://evil.example"})
        allowed = await http.get("/v1/health", headers={"Origin": "https://app.example"})

    assert preflight.status_code == 200
    assert preflight.headers["access-control-allow-origin"] == "https://app.example"
    assert "access-control-allow-origin" not in other.headers
    assert "retry-after" in allowed.headers["access-control-expose-headers"].lower()


# --- Clocks (H) -----------------------------------------------------------------------------------


async def test_the_server_clock_jumping_around_changes_nothing_about_order(
    sqlite: SqliteStore,
) -> None:
    """H: server time is for display only: seqs and pulls ignore it, whichever way it jumps
    (within a session's 90 days: only session expiry reads the server's day)."""
    clock = FakeClock()
    async with http_client(sqlite, clock=clock) as http:
        phone = await account_a(http)
        laptop = await paired(http, phone, "b")
        record = os.urandom(16)
        for delta, value in (
            (60, "two months ahead"),
            (-120, "two months behind"),
            (0.004, "six minutes"),
        ):
            clock.advance(days=delta)
            phone.edit(record, "note", value)
            await phone.sync()
        await laptop.sync()

    assert laptop.visible()[record.hex()]["f"]["note"][0] == "six minutes"
    assert laptop.snapshot() == phone.snapshot()


async def test_a_store_outage_mid_request_is_a_503_not_a_crash(tmp_path: Path) -> None:
    class Flaky(MemoryStore):
        def pull(self, account_id: bytes, since: int, *, limit: int, max_bytes: int) -> PullPage:
            raise StorageError("the disk is gone")

    async with http_client(Flaky()) as http:
        phone = await account_a(http)
        response = await http.get("/v1/pull", headers=bearer(phone.token))

    assert (response.status_code, response.json()["error"]) == (503, "storage-unavailable")
