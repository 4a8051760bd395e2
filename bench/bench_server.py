"""Sync server benchmark: 50 concurrent clients against `python -m server` on loopback.

    python bench/bench_server.py [--clients 50] [--seconds 20] [--skip-postgres]

Each client is its own account (opaque random keys and envelopes: the server cannot tell them
from real ones, and client-side crypto is not what is measured). A client loops: push a batch of
1-5 records (70 % new versions of records it pushed before, pruning the old ones, 30 % new
records; envelopes of 289-801 bytes), then pull from its cursor. Two phases per backend:

- paced: each client syncs about once a second (a pause of 0.5-1.5 s after each sync), a heavy
  but not saturating load of ~100 requests/s: the latency a user sees (target p99 <= 50 ms on
  SQLite);
- saturated: no think time, as fast as the server answers: throughput.

Backends: SQLite (one process, the default) and PostgreSQL (a throwaway cluster with fsync on,
two server processes: FOLLOWTHROUGH_WORKERS=2). The client runs in this process on the same
machine, so its own CPU time is inside the latencies.
"""

from __future__ import annotations

import argparse
import asyncio
import base64
import contextlib
import os
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.server.conftest import (  # noqa: E402
    free_port,
    server_env,
    start_postgres,
    start_server,
    stop_postgres,
)

UNLIMITED = {
    "FOLLOWTHROUGH_LIMIT_SYNCS_PER_ACCOUNT": "100000000/minute",
    "FOLLOWTHROUGH_LIMIT_ACCOUNTS_PER_CLIENT": "100000/minute",
    "FOLLOWTHROUGH_LIMIT_LOGINS_PER_CLIENT": "100000/minute",
    "FOLLOWTHROUGH_LOG_LEVEL": "warning",
}


def b64(data: bytes) -> str:
    return base64.b64encode(data).decode()


def envelope(rng: random.Random) -> str:
    padded = 256 * rng.choice((1, 1, 1, 2, 3))
    return b64(b"\x01\x00\x00\x00\x01" + os.urandom(12 + padded + 16))


@dataclass
class Stats:
    push: list[float] = field(default_factory=list)
    pull: list[float] = field(default_factory=list)
    errors: int = 0
    problems: list[str] = field(default_factory=list)

    def requests(self) -> int:
        return len(self.push) + len(self.pull)


async def make_client(http: httpx.AsyncClient) -> str:
    body = {
        "account_id": os.urandom(16).hex(),
        "kdf": {"alg": "pbkdf2-sha256", "iterations": 600_000, "seed": b64(os.urandom(32)), "v": 1},
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
    response = await http.post("/v1/account", json=body)
    response.raise_for_status()
    token: str = response.json()["token"]
    return token


async def client_loop(
    http: httpx.AsyncClient,
    token: str,
    seed: int,
    until: float,
    think: tuple[float, float],
    stats: Stats,
) -> None:
    rng = random.Random(seed)
    headers = {"Authorization": f"Bearer {token}"}
    mine: list[str] = []
    cursor = 0
    if think[1]:
        await asyncio.sleep(rng.uniform(0, think[1]))  # spread the clients' first syncs
    while time.perf_counter() < until:
        count = rng.randint(1, 5)
        chosen: set[str] = set()
        for _ in range(count):
            if mine and rng.random() < 0.7:
                chosen.add(rng.choice(mine))
            else:
                record = os.urandom(16).hex()
                mine.append(record)
                chosen.add(record)
        body = {
            "batch_id": os.urandom(16).hex(),
            "items": [
                {"record_id": r, "based_on_seq": cursor, "envelope": envelope(rng)} for r in chosen
            ],
        }
        try:
            started = time.perf_counter()
            response = await http.post("/v1/push", json=body, headers=headers)
            stats.push.append(time.perf_counter() - started)
            if response.status_code != 200:
                stats.errors += 1
            more = True
            while more:
                started = time.perf_counter()
                response = await http.get("/v1/pull", params={"since": cursor}, headers=headers)
                stats.pull.append(time.perf_counter() - started)
                if response.status_code != 200:
                    stats.errors += 1
                    break
                page = response.json()
                cursor, more = page["next_since"], page["more"]
        except httpx.TransportError as problem:
            stats.errors += 1
            stats.problems.append(repr(problem))
        if think[1]:
            await asyncio.sleep(rng.uniform(*think))


async def run_phase(
    url: str, tokens: list[str], seconds: float, think: tuple[float, float]
) -> tuple[Stats, float]:
    stats = Stats()
    limits = httpx.Limits(
        max_connections=len(tokens) + 10, max_keepalive_connections=len(tokens) + 10
    )
    async with httpx.AsyncClient(base_url=url, timeout=30, limits=limits) as http:
        started = time.perf_counter()
        until = started + seconds
        await asyncio.gather(
            *(client_loop(http, token, n, until, think, stats) for n, token in enumerate(tokens))
        )
        elapsed = time.perf_counter() - started
    return stats, elapsed


def machine_load() -> str:
    """The load average and, where the kernel has it, the share of time runnable tasks waited
    for a CPU (PSI): the figures below mean little on a busy machine."""
    text = f"load average {os.getloadavg()[0]:.1f}"
    with contextlib.suppress(OSError):
        some = Path("/proc/pressure/cpu").read_text().split()[1]  # avg10=...
        text += f", CPU pressure {some.split('=')[1]} % (avg10)"
    return text


def cpu_seconds(pid: int) -> float:
    """CPU time of the server: the process and its direct children (uvicorn's workers)."""
    ticks = os.sysconf("SC_CLK_TCK")
    total = 0.0
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if stat.parent.name == str(pid) or fields[1] == str(pid):
            total += (int(fields[11]) + int(fields[12])) / ticks
    return total


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))] * 1000


def report(name: str, stats: Stats, elapsed: float, cpu: float) -> float:
    throughput = stats.requests() / elapsed
    print(
        f"  {name:<10} {throughput:7.0f} req/s  "
        f"({stats.requests()} requests, {stats.errors} errors; "
        f"server CPU {cpu / stats.requests() * 1000:.2f} ms per request)"
    )
    for kind, values in (("push", stats.push), ("pull", stats.pull)):
        p50, p95, p99 = (percentile(values, q) for q in (0.50, 0.95, 0.99))
        mean = statistics.fmean(values) * 1000
        print(
            f"    {kind}: p50 {p50:6.1f} ms   p95 {p95:6.1f} ms   p99 {p99:6.1f} ms"
            f"   mean {mean:6.1f} ms"
        )
    for problem in sorted(set(stats.problems)):
        print(f"    error: {problem} x{stats.problems.count(problem)}")
    return throughput


async def bench(url: str, pid: int, clients: int, seconds: float) -> tuple[float, float]:
    async with httpx.AsyncClient(base_url=url, timeout=30) as http:
        tokens = [await make_client(http) for _ in range(clients)]
    # Warm up (first records, connections, caches), starting the clients at random offsets.
    await run_phase(url, tokens, 3, (0.0, 1.0))
    cpu = cpu_seconds(pid)
    paced, paced_time = await run_phase(url, tokens, seconds, (0.5, 1.5))
    paced_cpu, cpu = cpu_seconds(pid) - cpu, cpu_seconds(pid)
    saturated, saturated_time = await run_phase(url, tokens, seconds, (0.0, 0.0))
    saturated_cpu = cpu_seconds(pid) - cpu
    report("paced", paced, paced_time, paced_cpu)
    throughput = report("saturated", saturated, saturated_time, saturated_cpu)
    paced_p99 = max(percentile(paced.push, 0.99), percentile(paced.pull, 0.99))
    return paced_p99, throughput


@contextmanager
def server(directory: Path, **extra: str) -> Iterator[tuple[str, int]]:
    port = free_port()
    process = start_server(directory, server_env(directory, port, **UNLIMITED, **extra), port=port)
    try:
        yield process.url, process.process.pid
    finally:
        process.process.terminate()
        process.process.wait(timeout=30)
        problems = [line for line in process.log.read_text().splitlines() if "ERROR" in line]
        for line in problems[:10]:
            print(f"  server log: {line}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=20)
    parser.add_argument("--skip-postgres", action="store_true")
    args = parser.parse_args()
    print(
        f"{args.clients} clients, {args.seconds:.0f} s per phase, {os.cpu_count()} CPUs, "
        f"{machine_load()} at start"
    )
    with tempfile.TemporaryDirectory() as tmp:
        print("SQLite (WAL, synchronous=FULL), 1 server process")
        with server(Path(tmp)) as (url, pid):
            sqlite_p99, sqlite_rps = asyncio.run(bench(url, pid, args.clients, args.seconds))
        print(
            f"  paced p99 (worse of push/pull): {sqlite_p99:.1f} ms (target <= 50 ms): "
            f"{'ok' if sqlite_p99 <= 50 else 'MISSED'}"
        )
        if args.skip_postgres:
            return 0
        cluster = start_postgres(fsync=True)
        try:
            print("PostgreSQL 15 (fsync on), 2 server processes")
            with server(
                Path(tmp), FOLLOWTHROUGH_DATABASE_URL=cluster.admin_url, FOLLOWTHROUGH_WORKERS="2"
            ) as (url, pid):
                _, postgres_rps = asyncio.run(bench(url, pid, args.clients, args.seconds))
        finally:
            stop_postgres(cluster)
        print(
            "throughput PostgreSQL (2 processes) / SQLite (1 process): "
            f"{postgres_rps / sqlite_rps:.2f}"
        )
    print(f"{machine_load()} at the end")
    return 0


if __name__ == "__main__":
    sys.exit(main())
