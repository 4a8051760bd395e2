"""The Web Push sender in a real `python -m server`, killed with kill -9 in the middle of a
sending round: every sealed message reaches the (fake) push service once, none is lost, and
with several processes on one PostgreSQL database no message goes out twice. The words sealed
in the messages appear neither in the database nor in the server's log."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import anyio
import httpx
import pytest

from tests.server import fakepush
from tests.server.builders import account_a, bearer
from tests.server.conftest import (
    PostgresCluster,
    ServerProcess,
    free_port,
    server_env,
    start_server,
)
from tests.server.refclient import b64

pytestmark = pytest.mark.anyio
CANARY = "Zyxwvut-canary-Qrstuv"
MESSAGES = 20
# A lease long enough that a loaded machine's slow send is not taken for a dead sender's.
FAST = {"FOLLOWTHROUGH_PUSH_INTERVAL": "0.05", "FOLLOWTHROUGH_PUSH_LEASE": "6"}


@pytest.fixture
def push_service() -> Iterator[fakepush.FakePushService]:
    service = fakepush.FakePushService()
    server = fakepush.start(service)
    yield service
    service.release.set()
    server.shutdown()
    server.server_close()


async def upload(url: str, service: fakepush.FakePushService) -> None:
    """An account, two devices' subscriptions, and MESSAGES sealed messages due now."""
    subs = [service.subscribe("phone"), service.subscribe("laptop")]
    async with httpx.AsyncClient(base_url=url, timeout=30) as http:
        auth = bearer((await account_a(http)).token)
        service.server_key = (await http.get("/v1/push/key")).json()["public_key"]
        for sub in subs:
            await http.post("/v1/push/subscription", headers=auth, json={"endpoint": sub.endpoint})
        due = (datetime.now(UTC) - timedelta(seconds=5)).isoformat()
        messages = []
        for n in range(MESSAGES):
            sub = subs[n % 2]
            payload = json.dumps({"n": n, "title": f"Reach out to {CANARY}"}).encode()
            messages.append(
                {"endpoint": sub.endpoint, "send_at": due, "blob": b64(sub.seal(payload))}
            )
        answer = await http.put("/v1/push/messages", headers=auth, json={"messages": messages})
        assert answer.json() == {"stored": MESSAGES, "unknown": []}


async def delivered_all(service: fakepush.FakePushService, seconds: float = 40) -> list[int]:
    deadline = time.monotonic() + seconds
    while len(service.delivered) < MESSAGES and time.monotonic() < deadline:
        await anyio.sleep(0.1)
    await anyio.sleep(6)  # a lease's length more: nothing arrives twice late
    return sorted(p["n"] for p in service.payloads())


async def kill_mid_round(server: ServerProcess, service: fakepush.FakePushService) -> None:
    assert await anyio.to_thread.run_sync(service.held.wait, 30), "the round never started"
    server.kill()  # SIGKILL while the push service holds the sixth request
    service.hold_at = 0


async def test_kill_9_during_a_sending_round_sends_each_message_once(
    tmp_path: Path, push_service: fakepush.FakePushService
) -> None:
    port = free_port()
    push_service.hold_at = 6
    first = start_server(tmp_path, server_env(tmp_path, port, **FAST), port=port)
    await upload(first.url, push_service)
    await kill_mid_round(first, push_service)
    assert len(push_service.delivered) == 5
    second = start_server(tmp_path, server_env(tmp_path, port, **FAST), port=port)
    try:
        assert await delivered_all(push_service) == list(range(MESSAGES))
    finally:
        second.process.terminate()
        second.process.wait(timeout=10)
    assert push_service.refused == []
    for path in [*tmp_path.glob("sync.sqlite3*"), tmp_path / "server.log"]:
        assert CANARY.encode() not in path.read_bytes(), path.name


async def test_several_processes_on_postgresql_send_each_message_once_across_a_kill(
    tmp_path: Path, push_service: fakepush.FakePushService, postgres: PostgresCluster
) -> None:
    database = {"FOLLOWTHROUGH_DATABASE_URL": postgres.new_database(), **FAST}
    ports = [free_port(), free_port()]
    push_service.hold_at = 6
    first = start_server(tmp_path, server_env(tmp_path, ports[0], **database), port=ports[0])
    await upload(first.url, push_service)
    await kill_mid_round(first, push_service)
    assert len(push_service.delivered) == 5
    both = [
        start_server(tmp_path, server_env(tmp_path, port, **database), port=port) for port in ports
    ]
    try:
        assert await delivered_all(push_service) == list(range(MESSAGES))
    finally:
        for server in both:
            server.process.terminate()
            server.process.wait(timeout=10)
    assert push_service.refused == []
    assert CANARY.encode() not in (tmp_path / "server.log").read_bytes()
