"""The load generator of bench/bench_server.py: sync clients in separate processes, each an
asyncio loop speaking HTTP/1.1 over raw keep-alive sockets (no HTTP library: a request costs
the generator a few tens of microseconds, so the generator is not what saturates).

A client is one account with its own records and cursor. A sync pushes a batch of 1-5 records
(70 % new versions of records it pushed before, 30 % new ones; envelopes of 289-801 bytes) and
pulls from its cursor until the log is read. A `503 server-busy` is waited out (the server's
hint, `retry_after_ms`, spread over up to twice that, doubling on each refusal in a row, as the
app does)
and the same request is sent again: a push keeps its batch id. Each client remembers the last
envelope the server acknowledged for each of its records, so that once the load drops the
benchmark can check that the server holds exactly that (nothing lost, nothing doubled).
"""

from __future__ import annotations

import asyncio
import base64
import hashlib
import json
import os
import random
import time
from dataclasses import dataclass, field
from typing import Any


def b64(data: bytes) -> str:
    return base64.b64encode(data).decode()


def envelope(rng: random.Random) -> str:
    padded = 256 * rng.choice((1, 1, 1, 2, 3))
    return b64(b"\x01\x00\x00\x00\x01" + os.urandom(12 + padded + 16))


# Envelopes made once per process and reused (the server cannot tell): the generator's CPU
# goes to requests, not to random bytes and base64.
ENVELOPES = [envelope(random.Random(n)) for n in range(512)]


class Busy(Exception):
    def __init__(self, retry_after: float) -> None:
        self.retry_after = retry_after


class Connection:
    """One keep-alive HTTP/1.1 connection, reopened when the server closes it."""

    IDLE_SECONDS = 4.0  # the server closes a connection idle for 5 s (its keep-alive)

    def __init__(self, host: str, port: int) -> None:
        self.host, self.port = host, port
        self.reader: asyncio.StreamReader | None = None
        self.writer: asyncio.StreamWriter | None = None
        self.used = 0.0
        self.idle = True  # no answer is half read

    async def request(
        self, method: str, path: str, token: str = "", body: bytes = b""
    ) -> tuple[int, dict[str, str], bytes]:
        if self.writer is not None and time.monotonic() - self.used > self.IDLE_SECONDS:
            self.close()  # as browsers do: a connection the server may be closing is not reused
        if self.writer is None or self.writer.is_closing():
            self.reader, self.writer = await asyncio.open_connection(self.host, self.port)
        assert self.reader is not None
        head = f"{method} {path} HTTP/1.1\r\nHost: bench\r\n"
        if token:
            head += f"Authorization: Bearer {token}\r\n"
        if body:
            head += f"Content-Type: application/json\r\nContent-Length: {len(body)}\r\n"
        self.writer.write(head.encode() + b"\r\n" + body)
        self.idle = False
        try:
            status_line = await self.reader.readline()
            if not status_line:
                raise ConnectionResetError("closed")
            status = int(status_line.split()[1])
            headers: dict[str, str] = {}
            while True:
                line = await self.reader.readline()
                if line in (b"\r\n", b"\n", b""):
                    break
                name, _, value = line.decode("latin-1").partition(":")
                headers[name.strip().lower()] = value.strip()
            content = await self.reader.readexactly(int(headers.get("content-length", "0")))
        except (OSError, asyncio.IncompleteReadError, ValueError, IndexError):
            self.close()
            raise
        self.used = time.monotonic()
        self.idle = True
        if headers.get("connection", "").lower() == "close":
            self.close()
        return status, headers, content

    def close(self) -> None:
        if self.writer is not None:
            self.writer.close()
        self.reader = self.writer = None
        self.idle = True


@dataclass
class Tally:
    """What one process saw in one phase."""

    push: list[float] = field(default_factory=list)  # seconds, served requests only
    pull: list[float] = field(default_factory=list)
    refused: int = 0  # 503 server-busy
    errors: int = 0
    problems: list[str] = field(default_factory=list)
    syncs: int = 0
    cpu: float = 0.0  # this process's CPU seconds


@dataclass
class Client:
    host: str
    port: int
    token: str
    seed: int
    rng: random.Random = field(init=False)
    mine: list[str] = field(default_factory=list)
    acked: dict[str, str] = field(default_factory=dict)  # record id -> sha256 of its envelope
    cursor: int = 0
    pending: bytes | None = None  # the batch being pushed (same batch id on every retry)
    pending_items: dict[str, str] = field(default_factory=dict)
    behind: bool = False  # the cursor is behind this client's last acknowledged push
    connection: Connection = field(init=False)

    def __post_init__(self) -> None:
        self.rng = random.Random(self.seed)
        self.connection = Connection(self.host, self.port)

    async def call(
        self, tally: Tally, kind: str, method: str, path: str, body: bytes = b""
    ) -> dict[str, Any]:
        refusals = 0
        while True:
            started = time.perf_counter()
            try:
                status, headers, content = await self.connection.request(
                    method, path, self.token, body
                )
            except (OSError, asyncio.IncompleteReadError, ValueError, IndexError) as problem:
                tally.errors += 1
                tally.problems.append(type(problem).__name__)
                await asyncio.sleep(0.2)
                continue
            elapsed = time.perf_counter() - started
            if status == 503 and b"server-busy" in content:
                tally.refused += 1
                # As the app: the server's hint (retry_after_ms, else Retry-After), doubling per
                # refusal in a row, at most 60 s, spread over up to twice that.
                hint = json.loads(content).get("retry_after_ms")
                base = hint / 1000 if hint else float(headers.get("retry-after", "1"))
                wait = min(60.0, base * 2.0**refusals)
                refusals += 1
                await asyncio.sleep(wait * (1 + self.rng.random()))
                continue
            if status != 200:
                tally.errors += 1
                tally.problems.append(f"{status} {content[:80]!r}")
                await asyncio.sleep(0.2)
                continue
            (tally.push if kind == "push" else tally.pull).append(elapsed)
            answer: dict[str, Any] = json.loads(content)
            return answer

    async def push(self, tally: Tally) -> None:
        if self.pending is None:
            items: dict[str, str] = {}
            for _ in range(self.rng.randint(1, 5)):
                if self.mine and self.rng.random() < 0.7:
                    record = self.rng.choice(self.mine)
                else:
                    record = os.urandom(16).hex()
                    self.mine.append(record)
                items[record] = self.rng.choice(ENVELOPES)
            body = {
                "batch_id": os.urandom(16).hex(),
                "items": [
                    {"record_id": r, "based_on_seq": self.cursor, "envelope": e}
                    for r, e in items.items()
                ],
            }
            self.pending = json.dumps(body).encode()
            self.pending_items = items
        await self.call(tally, "push", "POST", "/v1/push", self.pending)
        for record, sealed in self.pending_items.items():
            self.acked[record] = hashlib.sha256(sealed.encode()).hexdigest()
        self.behind = True
        self.pending, self.pending_items = None, {}

    async def pull(self, tally: Tally) -> None:
        more = True
        while more:
            page = await self.call(tally, "pull", "GET", f"/v1/pull?since={self.cursor}")
            self.cursor, more = page["next_since"], page["more"]
        self.behind = False

    async def sync(self, tally: Tally) -> None:
        if self.behind:
            # A pull cut off at a phase's end left the cursor behind this client's own last
            # push: a push based on it would keep the older version too (a conflict).
            await self.pull(tally)
        await self.push(tally)
        await self.pull(tally)
        tally.syncs += 1

    async def server_view(self) -> dict[str, str]:
        """Every record of this account on the server, from 0: record id -> envelope hash
        (a record twice in the log is a failure: the value is then 'doubled')."""
        seen: dict[str, str] = {}
        since, more = 0, True
        scratch = Tally()
        while more:
            page = await self.call(scratch, "pull", "GET", f"/v1/pull?since={since}")
            for item in page["items"]:
                digest = hashlib.sha256(item["envelope"].encode()).hexdigest()
                seen[item["record_id"]] = "doubled" if item["record_id"] in seen else digest
            since, more = page["next_since"], page["more"]
        return seen


async def run_phase(
    clients: list[Client], seconds: float, mode: str, interval: float, tally: Tally
) -> None:
    """`closed`: each client syncs again as soon as the last sync ended, pausing `interval`
    times 0.5-1.5 in between (0: no pause). `open`: each client starts a sync every `interval`
    seconds on a fixed schedule whatever the answers (a late sync starts at once). Only what
    is answered within `seconds` counts."""
    until = time.perf_counter() + seconds

    async def closed(client: Client) -> None:
        if interval:
            await asyncio.sleep(client.rng.uniform(0, interval))
        while time.perf_counter() < until:
            await client.sync(tally)
            if interval:
                await asyncio.sleep(interval * client.rng.uniform(0.5, 1.5))

    async def opened(client: Client) -> None:
        next_start = time.perf_counter() + client.rng.uniform(0, interval)
        while next_start < until:
            await asyncio.sleep(max(0.0, next_start - time.perf_counter()))
            await client.sync(tally)
            next_start += interval

    runner = opened if mode == "open" else closed
    tasks = [asyncio.ensure_future(runner(client)) for client in clients]
    # The phase is `seconds` long: what is still in hand then is not counted (a client waiting
    # out a refusal would otherwise stretch the phase with the server idle). A cancelled request
    # leaves its connection mid-answer: closed. A cancelled push keeps its batch (same batch id
    # when the converge phase sends it again); a cancelled pull keeps its cursor.
    _, late = await asyncio.wait(tasks, timeout=max(0.0, until - time.perf_counter()))
    for task in late:
        task.cancel()
    await asyncio.gather(*late, return_exceptions=True)
    for client in clients:
        if client.connection.reader is not None and not client.connection.idle:
            client.connection.close()


async def create_accounts(host: str, port: int, count: int) -> list[str]:
    connection = Connection(host, port)
    tokens = []
    for _ in range(count):
        body = {
            "account_id": os.urandom(16).hex(),
            "kdf": {
                "alg": "pbkdf2-sha256",
                "iterations": 600_000,
                "seed": b64(os.urandom(32)),
                "v": 1,
            },
            "auth_key": b64(os.urandom(32)),
            "recovery_auth_key": b64(os.urandom(32)),
            "keys": [
                {
                    "key_id": 1,
                    "wrapped_dek": b64(os.urandom(60)),
                    "recovery_wrapped_dek": b64(os.urandom(60)),
                }
            ],
        }
        status, _, content = await connection.request(
            "POST", "/v1/account", body=json.dumps(body).encode()
        )
        if status not in (200, 201):
            raise RuntimeError(f"account creation: {status} {content[:200]!r}")
        tokens.append(json.loads(content)["token"])
    connection.close()
    return tokens


def worker(host: str, port: int, tokens: list[str], seed: int, pipe: Any) -> None:
    """A generator process: its clients, driven phase by phase by the benchmark over `pipe`
    (("phase", seconds, mode, interval) -> Tally; ("converge",) -> (converged, clients,
    seconds, Tally); ("stop",))."""
    clients = [Client(host, port, token, seed * 100_000 + n) for n, token in enumerate(tokens)]
    loop = asyncio.new_event_loop()
    while True:
        order = pipe.recv()
        if order[0] == "stop":
            break
        tally = Tally()
        cpu = time.process_time()
        if order[0] == "phase":
            _, seconds, mode, interval, count = order
            active = clients[:count]
            loop.run_until_complete(run_phase(active, seconds, mode, interval, tally))
            tally.cpu = time.process_time() - cpu
            pipe.send(tally)
        elif order[0] == "converge":
            started = time.perf_counter()

            async def converge(tally: Tally) -> int:
                # The load has dropped: each client finishes its pending push, syncs once
                # more, then compares the server's records with what it was acknowledged.
                await asyncio.gather(*(c.sync(tally) for c in clients))
                views = await asyncio.gather(*(c.server_view() for c in clients))
                for client, view in zip(clients, views, strict=True):
                    if view != client.acked:
                        doubled = sum(v == "doubled" for v in view.values())
                        lost = sum(view.get(r) != h for r, h in client.acked.items())
                        tally.problems.append(f"diverged: {doubled} doubled, {lost} lost/other")
                return sum(view == c.acked for c, view in zip(clients, views, strict=True))

            converged = loop.run_until_complete(converge(tally))
            tally.cpu = time.process_time() - cpu
            pipe.send((converged, len(clients), time.perf_counter() - started, tally))
    for client in clients:
        client.connection.close()
    loop.close()
