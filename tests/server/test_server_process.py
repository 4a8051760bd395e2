"""`python -m server` as a real process on a loopback port: sync through it, kill -9 it during
pushes, send it oversized and slow bodies, and grep what it leaves on disk (SYNC-DESIGN §7 C, G,
I)."""

from __future__ import annotations

import contextlib
import hashlib
import os
import random
import re
import socket
import sqlite3
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import anyio
import httpx
import pytest

from tests.server import refclient
from tests.server.builders import ACCOUNT_A, PASSPHRASE, account_a, paired
from tests.server.conftest import (
    NIGHTLY,
    PEPPER,
    ROOT,
    PostgresCluster,
    ServerProcess,
    free_port,
    server_env,
)
from tests.server.refclient import Device

pytestmark = pytest.mark.anyio

StartServer = Callable[..., ServerProcess]
# For tests that push as fast as they can from several devices of one account.
UNLIMITED = {
    "FOLLOWTHROUGH_LIMIT_SYNCS_PER_ACCOUNT": "1000000/minute",
    "FOLLOWTHROUGH_LIMIT_CONCURRENT_SYNCS_PER_ACCOUNT": "100",
}


def rss_kib(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    raise AssertionError("no VmRSS")


def raw_request(
    url: str, head: bytes, chunks: list[bytes], *, delay: float = 0.0
) -> tuple[bytes, float, int]:
    """Send a request over a plain socket, chunk by chunk; returns what came back, after how
    long, and how many chunks went out before the server answered or hung up."""
    host, port = url.removeprefix("http://").split(":")
    with socket.create_connection((host, int(port)), timeout=10) as sock:
        started = time.perf_counter()
        sock.sendall(head)
        sent = 0
        sock.setblocking(False)
        answer = b""
        for chunk in chunks:
            with contextlib.suppress(BlockingIOError):
                answer += sock.recv(65536)
            if answer:
                break
            try:
                sock.setblocking(True)
                sock.sendall(chunk)
                sock.setblocking(False)
            except OSError:
                break
            sent += 1
            if delay:
                time.sleep(delay)
        sock.setblocking(True)
        sock.settimeout(10)
        with contextlib.suppress(OSError):
            while data := sock.recv(65536):
                answer += data
        return answer, time.perf_counter() - started, sent


# --- Syncing through a real process -------------------------------------------------------------


async def test_two_devices_sync_through_a_real_server_process(server_process: StartServer) -> None:
    server = server_process()
    async with httpx.AsyncClient(base_url=server.url, timeout=10) as http:
        phone = await account_a(http, "p")
        laptop = await paired(http, phone, "l")
        record = os.urandom(16)
        phone.edit(record, "name", "Ada")
        await phone.sync()
        laptop.edit(record, "company", "Analytical Engines")
        await laptop.sync()
        await phone.sync()
        health = await http.get("/v1/health")

    assert phone.snapshot() == laptop.snapshot()
    assert phone.visible()[record.hex()]["f"]["company"][0] == "Analytical Engines"
    assert "date" in health.headers  # clients measure their clock skew against it
    assert "server" not in health.headers


async def test_several_processes_share_one_postgresql_database(
    server_process: StartServer, postgres: PostgresCluster
) -> None:
    server = server_process(
        FOLLOWTHROUGH_DATABASE_URL=postgres.new_database(), FOLLOWTHROUGH_WORKERS="2", **UNLIMITED
    )
    async with httpx.AsyncClient(base_url=server.url, timeout=10) as http:
        devices = [await account_a(http, "p")]
        devices += [await paired(http, devices[0], f"d{n}") for n in range(3)]

        async def work(who: Device) -> None:
            for n in range(10):
                who.edit(os.urandom(16), "name", f"{who.node} {n}")
                await who.sync()

        async with anyio.create_task_group() as group:
            for who in devices:
                group.start_soon(work, who)
        for who in devices:
            await who.sync()

    assert len({who.snapshot() for who in devices}) == 1
    assert len(devices[0].visible()) == 40


def test_a_bad_configuration_stops_the_start_with_a_message(tmp_path: Path) -> None:
    env = server_env(tmp_path, free_port(), FOLLOWTHROUGH_DATABASE_URL="mysql://nowhere/x")
    unsupported = subprocess.run(
        [sys.executable, "-m", "server"],
        env=env,
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=30,
    )
    env = server_env(tmp_path, free_port(), FOLLOWTHROUGH_DATABASE_URL="postgresql://x/y")
    del env["FOLLOWTHROUGH_PEPPER"]
    no_pepper = subprocess.run(
        [sys.executable, "-m", "server"],
        env=env,
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=30,
    )

    assert unsupported.returncode == 1
    assert "Unsupported database URL scheme 'mysql'" in unsupported.stderr
    assert no_pepper.returncode == 1
    assert "FOLLOWTHROUGH_PEPPER" in no_pepper.stderr


# --- Crashes (C1) ---------------------------------------------------------------------------------


async def test_kill_9_during_pushes_loses_nothing_acknowledged_and_doubles_nothing(
    server_process: StartServer,
) -> None:
    """C1: three devices push new records in a loop; the server is killed with SIGKILL at a
    random moment; after the restart each device resends its unacknowledged batch with the same
    batch id. Every record acknowledged or resent ends up in the log exactly once, and every
    acknowledged seq range still holds exactly the records it was acknowledged for."""
    rng = random.Random(1)
    cycles = 500 if NIGHTLY else 8
    server = server_process(**UNLIMITED)
    acknowledged: dict[bytes, tuple[int, int, list[bytes]]] = {}
    written: set[bytes] = set()
    async with httpx.AsyncClient(base_url=server.url, timeout=5) as http:
        phone = await account_a(http, "p")
        devices = [phone, await paired(http, phone, "l"), await paired(http, phone, "t")]

    async def push_until_killed(who: Device) -> None:
        while True:
            if who.pending is None:
                for _ in range(rng.randint(1, 5)):
                    record = os.urandom(16)
                    who.edit(record, "name", record.hex())
                    written.add(record)
            batch = who.next_batch()
            assert batch is not None
            try:
                answer = await who.push()
            except httpx.TransportError:
                return
            assert answer is not None
            acknowledged[batch.batch_id] = (
                answer["first_seq"],
                answer["last_seq"],
                [bytes.fromhex(i["record_id"]) for i in batch.body["items"]],
            )

    for _ in range(cycles):
        async with httpx.AsyncClient(base_url=server.url, timeout=5) as http:
            for who in devices:
                who.http = http

            async def kill_soon(victim: ServerProcess) -> None:
                await anyio.sleep(rng.uniform(0.005, 0.3))
                victim.kill()

            async with anyio.create_task_group() as group:
                for who in devices:
                    group.start_soon(push_until_killed, who)
                group.start_soon(kill_soon, server)
        server = server_process(**UNLIMITED)
        async with httpx.AsyncClient(base_url=server.url, timeout=5) as http:
            for who in devices:
                who.http = http
                batch = who.pending
                if batch is not None:
                    answer = await who.push()  # the same batch id, whatever happened to it
                    assert answer is not None
                    acknowledged[batch.batch_id] = (
                        answer["first_seq"],
                        answer["last_seq"],
                        [bytes.fromhex(i["record_id"]) for i in batch.body["items"]],
                    )

    async with httpx.AsyncClient(base_url=server.url, timeout=10) as http:
        reader = await paired(http, phone, "r")
        log: list[dict[str, object]] = []
        cursor = 0
        while True:
            page = await reader.fetch(cursor, 500)
            log.extend(page["items"])
            cursor = page["next_since"]
            if not page["more"]:
                break
    by_seq = {int(str(item["seq"])): bytes.fromhex(str(item["record_id"])) for item in log}
    records = list(by_seq.values())
    assert len(records) == len(set(records)), "a record was stored twice"
    assert set(records) == written, "an edit was lost"
    for first, last, batch_records in acknowledged.values():
        assert [by_seq[seq] for seq in range(first, last + 1)] == batch_records
    assert len(acknowledged) >= cycles


# --- Limits on a real socket (G1, G3, G5) -------------------------------------------------------


async def test_a_10_mb_body_is_refused_at_once_without_being_buffered(
    server_process: StartServer,
) -> None:
    """G1: 413 in < 200 ms, and the server's memory grows by < 5 MB."""
    server = server_process()
    async with httpx.AsyncClient(base_url=server.url, timeout=10) as http:
        phone = await account_a(http, "p")
    before = rss_kib(server.process.pid)
    head = (
        b"POST /v1/push HTTP/1.1\r\nHost: sync\r\nContent-Type: application/json\r\n"
        + f"Authorization: Bearer {phone.token}\r\n".encode()
        + b"Content-Length: 10485760\r\n\r\n"
    )

    answer, seconds, _ = await anyio.to_thread.run_sync(
        lambda: raw_request(server.url, head, [b" " * 65536] * 160)
    )

    assert answer.startswith(b"HTTP/1.1 413")
    assert b'"body-too-large"' in answer
    assert seconds < 0.2
    assert rss_kib(server.process.pid) - before < 5 * 1024


async def test_a_chunked_body_is_refused_mid_stream(server_process: StartServer) -> None:
    """G3: no Content-Length. The client sends 2 MiB of a longer chunked body and then waits:
    the server must answer 413 and hang up without waiting for the rest."""
    server = server_process()
    async with httpx.AsyncClient(base_url=server.url, timeout=10) as http:
        phone = await account_a(http, "p")
    head = (
        b"POST /v1/push HTTP/1.1\r\nHost: sync\r\nTransfer-Encoding: chunked\r\n"
        b"Content-Type: application/json\r\n"
        + f"Authorization: Bearer {phone.token}\r\n\r\n".encode()
    )
    chunk = b"10000\r\n" + b" " * 65536 + b"\r\n"

    answer, seconds, _ = await anyio.to_thread.run_sync(
        lambda: raw_request(server.url, head, [chunk] * 32)
    )

    assert answer.startswith(b"HTTP/1.1 413")
    assert b"connection: close" in answer.lower()
    assert seconds < 5


async def test_a_body_trickled_a_byte_at_a_time_is_cut_off(server_process: StartServer) -> None:
    """G5: with the deadline at 2 s here (30 s by default), the server answers 408 and closes
    the connection."""
    server = server_process(FOLLOWTHROUGH_BODY_TIMEOUT="2")
    head = (
        b"POST /v1/session HTTP/1.1\r\nHost: sync\r\nContent-Type: application/json\r\n"
        b"Content-Length: 100\r\n\r\n"
    )

    answer, seconds, sent = await anyio.to_thread.run_sync(
        lambda: raw_request(server.url, head, [b" "] * 100, delay=0.25)
    )

    assert answer.startswith(b"HTTP/1.1 408")
    assert 2.0 <= seconds < 3.5
    assert sent < 15


# --- Privacy (I1, I3) ---------------------------------------------------------------------------

CANARIES = [
    "Zebulon Canaryfield",
    "canary.7f3a9@example.org",
    "Quokka Canary Works",
    "CANARY-NOTE-8c1d: met at the robotics meetup",
    "tag-canary-recruiter",
]


def _forms(secret: bytes) -> list[bytes]:
    import base64

    return [
        secret,
        secret.hex().encode(),
        base64.b64encode(secret),
        base64.urlsafe_b64encode(secret).rstrip(b"="),
    ]


async def test_the_server_keeps_no_plaintext_no_keys_and_no_addresses(
    server_process: StartServer, tmp_path: Path
) -> None:
    """I1 and I3: after a full multi-device sync with canary strings, a passphrase change and a
    recovery, none of them (nor the passphrase, keys, tokens or client addresses) is in the
    database, its WAL or the server's log; tokens are stored only as hashes."""
    server = server_process()
    new_passphrase = "canary passphrase 2: blue whale"
    async with httpx.AsyncClient(base_url=server.url, timeout=10) as http:
        phone = await account_a(http, "p")
        laptop = await paired(http, phone, "l")
        record = os.urandom(16)
        phone.edit(record, "name", CANARIES[0])
        phone.edit(record, "email", CANARIES[1])
        laptop.edit(record, "company", CANARIES[2])
        laptop.edit(record, "note", CANARIES[3])
        laptop.edit(record, f"tags:{CANARIES[4]}", True)
        for who in (phone, laptop, phone):
            await who.sync()
        await phone.change_passphrase(PASSPHRASE, new_passphrase)
        await laptop.login(new_passphrase)
        await laptop.sync()
        tokens = [phone.token, laptop.token]
    files = [p for p in tmp_path.iterdir() if p.name.startswith("sync.sqlite3")]
    stored = b"".join(p.read_bytes() for p in files)  # while it runs: the WAL too
    server.process.terminate()
    server.process.wait(timeout=10)
    stored += (tmp_path / "sync.sqlite3").read_bytes()  # and once checkpointed
    log = server.log.read_bytes()
    old_keys = refclient.derive(PASSPHRASE, ACCOUNT_A, bytes(range(32)))
    secrets = [PASSPHRASE.encode(), new_passphrase.encode(), old_keys.auth_key, old_keys.kek]
    secrets += [old_keys.root, phone.deks[1], PEPPER]
    assert phone.visible()[record.hex()]["f"]["note"][0] == CANARIES[3]
    assert {p.name for p in files} >= {"sync.sqlite3", "sync.sqlite3-wal"}
    for canary in CANARIES:
        assert canary.encode() not in stored
        assert canary.encode() not in log
    for secret in secrets:
        for form in _forms(secret):
            assert form not in stored
            assert form not in log
    for token in tokens:
        raw = refclient.unb64(token.replace("-", "+").replace("_", "/") + "=")
        assert token.encode() not in stored
        assert raw not in stored
    assert re.search(rb"\d+\.\d+\.\d+\.\d+:\d+ - ", log) is None  # no access-log addresses
    assert ACCOUNT_A.hex().encode() not in log
    with sqlite3.connect(tmp_path / "sync.sqlite3") as db:
        kdf = db.execute("SELECT kdf, auth_verifier FROM accounts").fetchone()
        hashes = {row[0] for row in db.execute("SELECT token_hash FROM sessions")}
    assert '"iterations":600000' in kdf[0]
    assert len(kdf[1]) == 32
    assert kdf[1] != old_keys.auth_key
    raw_tokens = [refclient.unb64(t.replace("-", "+").replace("_", "/") + "=") for t in tokens]
    assert {hashlib.sha256(t).digest() for t in raw_tokens} <= hashes


def test_the_server_package_imports_no_decryption_code() -> None:
    """I2: a static check of every import in server/."""
    import ast

    banned = re.compile(r"cryptography|hazmat|Crypto|nacl|aead|AES|decrypt|Fernet", re.IGNORECASE)
    found = []
    for path in sorted((ROOT / "server").rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(), str(path))):
            names: list[str] = []
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom):
                names = [node.module or ""] + [alias.name for alias in node.names]
            elif isinstance(node, ast.Call) and getattr(node.func, "id", "") == "__import__":
                names = [ast.unparse(node)]
            found += [f"{path.name}: {name}" for name in names if banned.search(name)]

    assert found == []


def test_loading_the_server_loads_no_decryption_code() -> None:
    """I2, at run time: importing the app and the stores pulls in no AEAD implementation."""
    code = (
        "import sys, server.__main__, server.app, server.storage\n"
        "print(sorted(m for m in sys.modules\n"
        "             if 'cryptography' in m or 'Crypto' in m or 'nacl' in m))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    )

    assert result.stdout.strip() == "[]"
