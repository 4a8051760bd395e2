"""Overload without a cliff (issue #21): past its bound on requests in progress the server
answers at once with 503 server-busy and Retry-After, and a client that waits and sends the same
request again loses nothing and doubles nothing, on every backend."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any, cast

import anyio
import anyio.to_thread
import httpx
import pytest
from starlette.types import Receive, Scope, Send

from server.middleware import InProgressLimit
from server.records import ChangeStore
from server.settings import Settings, SettingsError
from tests.server.builders import account_a, paired
from tests.server.conftest import PEPPER, http_client, make_settings
from tests.server.refclient import Device

pytestmark = pytest.mark.anyio


class HeldStore:
    """A store whose pushes wait at a gate: requests held in progress for as long as a test
    wants (the pushes run in worker threads, so a threading gate holds them there)."""

    def __init__(self, store: ChangeStore) -> None:
        self.store = store
        self.entered = threading.Semaphore(0)
        self.gate = threading.Event()

    def __getattr__(self, name: str) -> Any:
        return getattr(self.store, name)

    def push(self, *args: Any, **kwargs: Any) -> Any:
        self.entered.release()
        self.gate.wait(30)
        return self.store.push(*args, **kwargs)


@asynccontextmanager
async def bounded(
    store: ChangeStore, limit: int, queue_wait: float = 0.0
) -> AsyncIterator[tuple[HeldStore, httpx.AsyncClient]]:
    held = HeldStore(store)
    held.gate.set()
    settings = make_settings(max_in_progress=limit, queue_wait=queue_wait)
    async with http_client(cast(ChangeStore, held), settings) as http:
        yield held, http


async def hold_two_pushes(held: HeldStore, devices: list[Device], tasks: Any) -> None:
    """Two other devices' pushes, stopped at the gate: the bound of two is reached."""
    held.gate.clear()
    for other in devices:
        tasks.start_soon(other.push)
    for _ in devices:
        await anyio.to_thread.run_sync(held.entered.acquire)


async def test_past_the_bound_a_request_gets_503_server_busy_with_retry_after_at_once(
    store: ChangeStore,
) -> None:
    async with bounded(store, 2) as (held, http):
        first = await account_a(http)
        others = [await paired(http, first, name) for name in ("b", "c")]
        for n, other in enumerate(others):
            other.edit(bytes([n + 1]) * 16, "name", f"Person {n}")
        headers = {"Authorization": f"Bearer {first.token}"}
        async with anyio.create_task_group() as tasks:
            await hold_two_pushes(held, others, tasks)

            busy = await http.get("/v1/pull", params={"since": 0}, headers=headers)
            health = await http.get("/v1/health")

            held.gate.set()
        after = await http.get("/v1/pull", params={"since": 0}, headers=headers)

    assert busy.status_code == 503
    assert busy.json()["error"] == "server-busy"
    assert busy.headers["retry-after"] == "1"
    assert 20 <= busy.json()["retry_after_ms"] <= 1000, "a hint under Retry-After, in ms"
    assert health.status_code == 200, "the health check is not counted"
    assert after.status_code == 200
    assert {item["record_id"] for item in after.json()["items"]} == {
        (bytes([n + 1]) * 16).hex() for n in range(2)
    }


async def test_a_refused_push_is_pushed_again_after_retry_after_and_stored_once(
    store: ChangeStore,
) -> None:
    async with bounded(store, 2) as (held, http):
        first = await account_a(http)
        others = [await paired(http, first, name) for name in ("b", "c")]
        for n, other in enumerate(others):
            other.edit(bytes([n + 1]) * 16, "name", f"Person {n}")
        mine = [bytes([0xA0 + n]) * 16 for n in range(3)]
        for n, record_id in enumerate(mine):
            first.edit(record_id, "name", f"Mine {n}")
        await first.pull()

        async def wait(seconds: float) -> None:
            # While the refused device waits, the two held pushes finish.
            held.gate.set()
            while not all(other.pending is None for other in others):
                await anyio.sleep(0.01)

        first.sleep = wait
        async with anyio.create_task_group() as tasks:
            await hold_two_pushes(held, others, tasks)
            answer = await first.push()
        reader = await paired(http, first, "d")
        await reader.pull()
        page = await reader.fetch(0, 500)

    assert answer is not None
    assert answer["last_seq"] - answer["first_seq"] == 2
    assert len(first.busy_waits) == 1, "refused once, sent again once"
    assert 0.02 <= first.busy_waits[0] <= 2, "at least the server's hint, with jitter"
    assert first.pending is None
    assert not first.dirty
    ids = [item["record_id"] for item in page["items"]]
    assert len(ids) == len(set(ids)) == 5, "every record once: none lost, none doubled"
    assert {record_id.hex() for record_id in mine} <= set(reader.visible())


async def test_a_request_past_the_bound_waits_a_moment_for_a_slot_before_it_is_refused(
    store: ChangeStore,
) -> None:
    async with bounded(store, 2, queue_wait=10) as (held, http):
        first = await account_a(http)
        others = [await paired(http, first, name) for name in ("b", "c")]
        for n, other in enumerate(others):
            other.edit(bytes([n + 1]) * 16, "name", f"Person {n}")
        headers = {"Authorization": f"Bearer {first.token}"}
        answers: list[httpx.Response] = []

        async def pull() -> None:
            answers.append(await http.get("/v1/pull", params={"since": 0}, headers=headers))

        async with anyio.create_task_group() as tasks:
            await hold_two_pushes(held, others, tasks)
            tasks.start_soon(pull)
            await anyio.sleep(0.2)
            assert not answers, "the pull waits for a slot"
            held.gate.set()

    assert [answer.status_code for answer in answers] == [200], "served once a slot was free"


def test_the_bound_is_a_setting_with_a_sane_default() -> None:
    defaults = Settings(pepper=PEPPER)
    assert (defaults.max_in_progress, defaults.queue_wait, defaults.busy_retry_after) == (
        8,
        0.05,
        1,
    )
    environ = {
        "FOLLOWTHROUGH_PEPPER": PEPPER.hex(),
        "FOLLOWTHROUGH_MAX_IN_PROGRESS": "4",
        "FOLLOWTHROUGH_BUSY_RETRY_AFTER": "3",
        "FOLLOWTHROUGH_QUEUE_WAIT": "0.2",
    }
    settings = Settings.from_environ(environ)
    assert (settings.max_in_progress, settings.busy_retry_after, settings.queue_wait) == (4, 3, 0.2)
    with pytest.raises(SettingsError, match="MAX_IN_PROGRESS"):
        Settings(pepper=PEPPER, max_in_progress=-1)
    with pytest.raises(SettingsError, match="QUEUE_WAIT"):
        Settings(pepper=PEPPER, queue_wait=-1)
    with pytest.raises(SettingsError, match="BUSY_RETRY_AFTER"):
        Settings(pepper=PEPPER, busy_retry_after=0)


def test_the_busy_hint_is_the_backlog_at_the_recent_pace_between_20_ms_and_retry_after() -> None:
    async def app(scope: Scope, receive: Receive, send: Send) -> None:
        pass

    limit = InProgressLimit(app, limit=8, retry_after=1, queue_seconds=0.05)
    limit.pace, limit.in_progress = 0.002, 8  # 500 requests a second ended lately; 8 in hand
    assert limit.hint_ms() == 20, "never under 20 ms"
    loop = asyncio.new_event_loop()
    try:
        limit.waiting.extend(loop.create_future() for _ in range(31))
        assert limit.hint_ms() == 80, "40 in hand or waiting at 2 ms each"
    finally:
        loop.close()
    limit.pace = 0.1
    assert limit.hint_ms() == 1000, "never over Retry-After"
