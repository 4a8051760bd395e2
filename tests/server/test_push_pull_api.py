"""Push and pull over HTTP on SQLite: order, idempotent batches, refusals, quotas, sync rates."""

from __future__ import annotations

from typing import Any

import anyio
import httpx
import pytest

from server.records import PullPage
from server.settings import Limits
from server.sqlite_store import SqliteStore
from server.storage import MemoryStore
from tests.server.builders import (
    account_a,
    bearer,
    envelope,
    paired,
    push_body,
)
from tests.server.conftest import WIDE, http_client, make_settings

pytestmark = pytest.mark.anyio


# --- Push and pull --------------------------------------------------------------------------------


async def test_a_pushed_batch_comes_back_in_order_with_a_cursor(http: httpx.AsyncClient) -> None:
    phone = await account_a(http)
    body = push_body(3)

    pushed = await http.post("/v1/push", json=body, headers=bearer(phone.token))
    pulled = await http.get(
        "/v1/pull", params={"since": 1, "limit": 1}, headers=bearer(phone.token)
    )

    assert pushed.status_code == 200
    assert {k: v for k, v in pushed.json().items() if k != "server_time"} == {
        "first_seq": 1,
        "last_seq": 3,
        "replayed": False,
    }
    page = pulled.json()
    assert [item["seq"] for item in page["items"]] == [2]
    assert page["items"][0]["envelope"] == body["items"][1]["envelope"]
    assert (page["next_since"], page["more"], page["log_id"]) == (2, True, phone.log_id)
    assert page["server_time"] == "2026-11-23T09:30:00.000Z"


async def test_a_batch_resent_ten_times_is_stored_once(http: httpx.AsyncClient) -> None:
    """D1: identical seq range every time, one set of rows."""
    phone = await account_a(http)
    body = push_body(4)

    answers = [
        (await http.post("/v1/push", json=body, headers=bearer(phone.token))).json()
        for _ in range(10)
    ]
    page = (await http.get("/v1/pull", headers=bearer(phone.token))).json()

    assert {(a["first_seq"], a["last_seq"]) for a in answers} == {(1, 4)}
    assert [a["replayed"] for a in answers] == [False] + [True] * 9
    assert len(page["items"]) == 4


@pytest.mark.parametrize(
    ("change", "code"),
    [
        (lambda b: b["items"].append(dict(b["items"][0])), "duplicate-record"),
        (lambda b: b["items"][0].update(based_on_seq=-1), "invalid-request"),
        (lambda b: b["items"][0].update(envelope="not base64!"), "invalid-request"),
        (lambda b: b["items"][0].update(envelope=""), "invalid-envelope"),
        (lambda b: b["items"][0].update(envelope=envelope(32)), "invalid-envelope"),
        (lambda b: b["items"][0].update(envelope=envelope(version=2)), "invalid-envelope"),
        (lambda b: b["items"][0].update(envelope=envelope(key_id=7)), "unknown-key-id"),
        (lambda b: b["items"][0].update(envelope=envelope(65_537)), "envelope-too-large"),
        (lambda b: b["items"][0].update(based_on_seq=5), "based-on-future"),
        (lambda b: b.update(batch_id="x"), "invalid-request"),
        (lambda b: b.update(items=[]), "invalid-request"),
    ],
)
async def test_a_bad_push_is_refused_whole(http: httpx.AsyncClient, change: Any, code: str) -> None:
    """E3 on the server's side: truncated, empty and oversized envelopes are refused cleanly."""
    phone = await account_a(http)
    body = push_body(2)
    change(body)

    response = await http.post("/v1/push", json=body, headers=bearer(phone.token))
    page = (await http.get("/v1/pull", headers=bearer(phone.token))).json()

    assert response.status_code == 422
    assert response.json()["error"] == code
    assert page["items"] == []


async def test_a_64_kib_envelope_is_accepted(http: httpx.AsyncClient) -> None:
    phone = await account_a(http)

    response = await http.post("/v1/push", json=push_body(size=65_536), headers=bearer(phone.token))

    assert response.status_code == 200


async def test_a_push_of_501_items_is_refused(http: httpx.AsyncClient) -> None:
    phone = await account_a(http)

    response = await http.post(
        "/v1/push", json=push_body(501, size=40), headers=bearer(phone.token)
    )
    accepted = await http.post(
        "/v1/push", json=push_body(500, size=40), headers=bearer(phone.token)
    )

    assert (response.status_code, response.json()["error"]) == (422, "too-many-items")
    assert accepted.status_code == 200


async def test_a_full_account_is_refused_with_quota_exceeded(sqlite: SqliteStore) -> None:
    limits = Limits(account_bytes=2000, accounts_per_client="9/minute")
    async with http_client(sqlite, make_settings(limits)) as http:
        phone = await account_a(http)
        first = await http.post(
            "/v1/push", json=push_body(5, size=289), headers=bearer(phone.token)
        )
        second = await http.post(
            "/v1/push", json=push_body(5, size=289), headers=bearer(phone.token)
        )

    assert first.status_code == 200
    assert (second.status_code, second.json()["error"]) == (413, "quota-exceeded")


async def test_pull_parameters_are_checked_and_the_page_size_capped(sqlite: SqliteStore) -> None:
    async with http_client(sqlite, make_settings(_with(items_per_page=3))) as http:
        phone = await account_a(http)
        await http.post("/v1/push", json=push_body(5), headers=bearer(phone.token))
        auth = bearer(phone.token)
        capped = await http.get("/v1/pull", params={"limit": 100}, headers=auth)
        negative = await http.get("/v1/pull", params={"since": -1}, headers=auth)
        zero = await http.get("/v1/pull", params={"limit": 0}, headers=auth)
        word = await http.get("/v1/pull", params={"since": "abc"}, headers=auth)
        ahead = await http.get("/v1/pull", params={"since": 6}, headers=auth)

    assert [item["seq"] for item in capped.json()["items"]] == [1, 2, 3]
    assert capped.json()["more"]
    assert [r.json()["field"] for r in (negative, zero, word)] == ["since", "limit", "since"]
    assert {r.status_code for r in (negative, zero, word)} == {422}
    assert (ahead.status_code, ahead.json()["error"]) == (409, "cursor-ahead")


def _with(**changes: Any) -> Limits:
    return Limits(**{**{f: getattr(WIDE, f) for f in WIDE.__dataclass_fields__}, **changes})


async def test_the_121st_sync_in_a_minute_is_refused(sqlite: SqliteStore) -> None:
    """G5 (first half): 120 pushes and pulls per account per minute."""
    async with http_client(sqlite, make_settings(_with(syncs_per_account="120/minute"))) as http:
        phone = await account_a(http)
        laptop = await paired(http, phone, "b")
        codes = [
            (await http.get("/v1/pull", headers=bearer(phone.token))).status_code for _ in range(60)
        ] + [
            (
                await http.post("/v1/push", json=push_body(), headers=bearer(laptop.token))
            ).status_code
            for _ in range(61)
        ]
        refused = await http.get("/v1/pull", headers=bearer(phone.token))

    assert codes == [200] * 120 + [429]
    assert refused.status_code == 429
    assert int(refused.headers["retry-after"]) >= 1


async def test_a_third_sync_at_once_for_one_account_is_refused() -> None:
    release = anyio.Event()
    entered = 0

    class Slow(MemoryStore):
        fast_reads = False  # pulls run in worker threads, where they can wait

        def pull(self, account_id: bytes, since: int, *, limit: int, max_bytes: int) -> PullPage:
            nonlocal entered
            entered += 1
            anyio.from_thread.run(release.wait)
            return super().pull(account_id, since, limit=limit, max_bytes=max_bytes)

    async with http_client(Slow(), make_settings(_with(concurrent_syncs_per_account=2))) as http:
        phone = await account_a(http)
        codes: list[int] = []

        async def pull() -> None:
            codes.append((await http.get("/v1/pull", headers=bearer(phone.token))).status_code)

        async with anyio.create_task_group() as group:
            group.start_soon(pull)
            group.start_soon(pull)
            while entered < 2:
                await anyio.sleep(0.01)
            third = await http.get("/v1/pull", headers=bearer(phone.token))
            release.set()

    assert (third.status_code, third.headers["retry-after"]) == (429, "1")
    assert codes == [200, 200]
