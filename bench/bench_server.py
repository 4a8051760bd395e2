"""Sync server benchmark: paced, saturated and twice-saturated load against `python -m server`
on loopback, and the server's ceilings, in one run.

    python bench/bench_server.py [--clients 50] [--seconds 15] [--processes 2] [--skip-postgres]
                                 [--bound N]

The load comes from separate processes (bench/loadgen.py: asyncio over raw keep-alive sockets,
a few tens of microseconds of CPU per request; the table prints it), so the generator is not
what saturates. Each client is its own account (opaque random keys and envelopes: the server
cannot tell them from real ones). A sync pushes 1-5 records and pulls from its cursor; a `503
server-busy` is waited out (the server's `retry_after_ms`, doubling per refusal in a row, with
jitter) and sent again, as the app does. Phases per backend, each exactly `--seconds` long
(what is still in hand at the end is cut off and not counted):

- paced: `--clients` clients, each syncing about once a second (~91 requests/s): the latency a
  user sees on a heavy but not saturating load;
- saturated: clients with no pause, as many as the server takes in at once (`--clients` when it
  has no bound): the throughput;
- twice: clients on a fixed schedule (a sync every second each, whatever the answers), as many
  as make twice the saturated rate: the p99 of the requests served (goal <= 100 ms), their
  throughput (goal >= 90 % of saturated) and how many were refused;
- converge: the load drops; every client finishes its push and checks that the server holds
  exactly the records it was acknowledged (nothing lost, nothing doubled).

Ceilings: SQLite's commit rate with synchronous=FULL in a tight loop with no HTTP (one small
row per commit, WAL, on this disk), and the server's CPU per request in the saturated phase
(SQLite: one process, so one core at most; PostgreSQL: `--workers` processes plus PostgreSQL's
own processes, on the machine's cores). The saturated throughput is printed as a ratio to the
lower ceiling (goal >= 0.5).

Backends: SQLite (one process, the default) and PostgreSQL 15 (a throwaway cluster with fsync
on, two server processes). The machine's load average is printed at each step: on a shared
machine, read the ratios within one run.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import math
import multiprocessing
import os
import sqlite3
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.loadgen import Tally, create_accounts, worker  # noqa: E402
from server.settings import DEFAULT_MAX_IN_PROGRESS  # noqa: E402
from tests.server.conftest import (  # noqa: E402
    PostgresCluster,
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
    "FOLLOWTHROUGH_PUSH_INTERVAL": "0",
}
OPEN_INTERVAL = 1.0  # seconds between a twice-phase client's syncs
POOL = 1000  # accounts made per backend: enough for twice a saturated rate of ~1,000 req/s


def machine_load() -> str:
    """The load average and, where the kernel has it, the share of time runnable tasks waited
    for a CPU (PSI): the figures below mean little on a busy machine."""
    text = f"load average {os.getloadavg()[0]:.1f}"
    with contextlib.suppress(OSError):
        some = Path("/proc/pressure/cpu").read_text().split()[1]  # avg10=...
        text += f", CPU pressure {some.split('=')[1]} % (avg10)"
    return text


def cpu_seconds(pids: set[int]) -> float:
    """CPU time of these processes and their direct children (uvicorn's workers, PostgreSQL's
    backends), alive ones only."""
    ticks = os.sysconf("SC_CLK_TCK")
    total = 0.0
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(stat.parent.name) in pids or int(fields[1]) in pids:
            total += (int(fields[11]) + int(fields[12])) / ticks
    return total


def percentile(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))] * 1000


def sqlite_commit_rate(directory: Path, seconds: float = 3.0) -> float:
    """Commits a second of one ~500-byte row each, WAL + synchronous=FULL, no HTTP, no server."""
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / "commits.sqlite3"
    connection = sqlite3.connect(path, isolation_level=None)
    connection.execute("PRAGMA journal_mode = WAL")
    connection.execute("PRAGMA synchronous = FULL")
    connection.execute("CREATE TABLE rows (seq INTEGER PRIMARY KEY, record BLOB, envelope BLOB)")
    payload = os.urandom(500)
    count = 0
    started = time.perf_counter()
    until = started + seconds
    while time.perf_counter() < until:
        connection.execute("BEGIN IMMEDIATE")
        connection.execute(
            "INSERT INTO rows (record, envelope) VALUES (?, ?)", (os.urandom(16), payload)
        )
        connection.execute("COMMIT")
        count += 1
    rate = count / (time.perf_counter() - started)
    connection.close()
    return rate


@dataclass
class Phase:
    name: str
    tally: Tally
    seconds: float
    server_cpu: float
    clients: int
    cpu_ceiling: float = 0.0

    @property
    def served(self) -> int:
        return len(self.tally.push) + len(self.tally.pull)

    @property
    def rps(self) -> float:
        return self.served / self.seconds

    @property
    def p99(self) -> float:
        return percentile(self.tally.push + self.tally.pull, 0.99)


def merge(tallies: list[Tally]) -> Tally:
    total = Tally()
    for t in tallies:
        total.push += t.push
        total.pull += t.pull
        total.refused += t.refused
        total.errors += t.errors
        total.problems += t.problems
        total.syncs += t.syncs
        total.cpu += t.cpu
    return total


class Generator:
    """The generator processes, each with its share of the accounts."""

    def __init__(self, url: str, tokens: list[str], processes: int) -> None:
        host, port = url.removeprefix("http://").split(":")
        context = multiprocessing.get_context("fork")
        self.pipes = []
        self.processes = []
        for n in range(processes):
            ours, theirs = context.Pipe()
            share = tokens[n::processes]
            process = context.Process(target=worker, args=(host, int(port), share, n, theirs))
            process.start()
            self.pipes.append(ours)
            self.processes.append(process)

    def run(self, seconds: float, mode: str, interval: float, clients: int) -> Tally:
        per = [
            clients // len(self.pipes) + (n < clients % len(self.pipes))
            for n in range(len(self.pipes))
        ]
        for pipe, count in zip(self.pipes, per, strict=True):
            pipe.send(("phase", seconds, mode, interval, count))
        return merge([pipe.recv() for pipe in self.pipes])

    def converge(self) -> tuple[int, int, float, Tally]:
        for pipe in self.pipes:
            pipe.send(("converge",))
        answers = [pipe.recv() for pipe in self.pipes]
        return (
            sum(a[0] for a in answers),
            sum(a[1] for a in answers),
            max(a[2] for a in answers),
            merge([a[3] for a in answers]),
        )

    def stop(self) -> None:
        for pipe in self.pipes:
            pipe.send(("stop",))
        for process in self.processes:
            process.join(timeout=30)


def report(phase: Phase) -> None:
    t = phase.tally
    offered = (phase.served + t.refused) / phase.seconds
    per_request = phase.server_cpu / max(1, phase.served) * 1000
    generator = t.cpu / max(1, phase.served + t.refused) * 1000
    print(
        f"  {phase.name:<10} {phase.rps:6.0f} req/s served of {offered:6.0f} offered"
        f" ({phase.clients} clients; {phase.served} served, {t.refused} refused 503,"
        f" {t.errors} errors); server CPU {per_request:.2f} ms/served"
        f" ({phase.server_cpu / phase.seconds:.0%} of a core);"
        f" generator CPU {generator:.3f} ms/request"
    )
    for kind, values in (("push", t.push), ("pull", t.pull)):
        p50, p95, p99 = (percentile(values, q) for q in (0.50, 0.95, 0.99))
        print(f"    {kind}: p50 {p50:6.1f} ms   p95 {p95:6.1f} ms   p99 {p99:6.1f} ms")
    for problem in sorted(set(t.problems))[:5]:
        print(f"    error: {problem} x{t.problems.count(problem)}")


def bench(
    url: str, pids: set[int], args: argparse.Namespace, cores: float, in_progress: int
) -> tuple[Phase, Phase, Phase]:
    """The phases against one server that keeps at most `in_progress` requests in progress
    (all its processes; 0: no bound)."""
    host, port = url.removeprefix("http://").split(":")
    tokens = asyncio.run(create_accounts(host, int(port), POOL))
    load = Generator(url, tokens, args.processes)
    try:
        load.run(3, "closed", 1.0, args.clients)  # warm up: first records, connections, caches

        def phase(name: str, mode: str, interval: float, clients: int) -> Phase:
            cpu = cpu_seconds(pids)
            started = time.perf_counter()
            tally = load.run(args.seconds, mode, interval, clients)
            elapsed = time.perf_counter() - started
            result = Phase(name, tally, elapsed, cpu_seconds(pids) - cpu, clients)
            report(result)
            return result

        print(f"  ({machine_load()})")
        paced = phase("paced", "closed", 1.0, args.clients)
        # Saturated: as many clients with no pause as the server takes in at once (a client has
        # one request out at a time), so none is refused and sent to wait a second: more would
        # measure their waits, not the server.
        saturated = phase(
            "saturated", "closed", 0.0, min(args.clients, in_progress or args.clients)
        )
        per_sync = saturated.served / max(1, saturated.tally.syncs)
        wanted = math.ceil(2 * saturated.rps * OPEN_INTERVAL / per_sync)
        if wanted > POOL:
            print(f"  twice the saturated rate needs {wanted} clients; using {POOL}")
        twice = phase("twice", "open", OPEN_INTERVAL, min(POOL, wanted))
        print(f"  ({machine_load()})")
        converged, clients, seconds, settled = load.converge()
        for problem in sorted(set(settled.problems))[:5]:
            print(f"    {problem} x{settled.problems.count(problem)}")
        print(
            f"  converge   {converged} of {clients} clients hold exactly what they were "
            f"acknowledged, {seconds:.1f} s after the load dropped"
        )
    finally:
        load.stop()
    verdicts(paced, saturated, twice, cores)
    return paced, saturated, twice


def verdicts(paced: Phase, saturated: Phase, twice: Phase, cores: float) -> None:
    def ok(good: bool) -> str:
        return "ok" if good else "MISSED"

    print(f"  paced p99 of served: {paced.p99:.1f} ms")
    ratio = twice.rps / saturated.rps
    print(
        f"  twice: p99 of served {twice.p99:.1f} ms (goal <= 100): {ok(twice.p99 <= 100)};"
        f" throughput {ratio:.2f} x saturated (goal >= 0.90): {ok(ratio >= 0.9)};"
        f" saturated p99 {saturated.p99:.1f} ms"
    )
    per_request = saturated.server_cpu / max(1, saturated.served)
    ceiling = cores / per_request
    print(
        f"  CPU ceiling: {per_request * 1000:.2f} ms of CPU per request on {cores:g} core(s)"
        f" = {ceiling:.0f} req/s"
    )
    saturated.cpu_ceiling = ceiling


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


def postmaster(cluster: PostgresCluster) -> int:
    return int((cluster.directory / "data" / "postmaster.pid").read_text().split()[0])


def ceiling_line(saturated: Phase, commit_rate: float | None) -> None:
    """The lower of the two ceilings, in requests a second: the commit ceiling counts one
    commit per push, and as many pulls per push as the saturated phase made."""
    cpu = saturated.cpu_ceiling
    per_push = saturated.served / max(1, len(saturated.tally.push))
    commits = commit_rate * per_push if commit_rate else 0
    if commits:
        print(
            f"  commit ceiling: {commit_rate:.0f} commits/s x {per_push:.2f} requests per push"
            f" = {commits:.0f} req/s"
        )
    lower = min(cpu, commits) if commits else cpu
    which = "commit" if commits and commits < cpu else "CPU"
    ratio = saturated.rps / lower
    print(
        f"  saturated / lower ceiling ({which}, {lower:.0f} req/s): {ratio:.2f}"
        f" (goal >= 0.5): {'ok' if ratio >= 0.5 else 'MISSED'}"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--clients", type=int, default=50, help="clients of the paced and saturated phases"
    )
    parser.add_argument("--seconds", type=float, default=15, help="length of each phase")
    parser.add_argument("--processes", type=int, default=2, help="load generator processes")
    parser.add_argument(
        "--bound",
        type=int,
        default=None,
        help="the server's FOLLOWTHROUGH_MAX_IN_PROGRESS (default: the server's own)",
    )
    parser.add_argument("--skip-postgres", action="store_true")
    args = parser.parse_args()
    cpus = os.cpu_count() or 1
    bound = {} if args.bound is None else {"FOLLOWTHROUGH_MAX_IN_PROGRESS": str(args.bound)}
    bound_value = DEFAULT_MAX_IN_PROGRESS if args.bound is None else args.bound
    print(
        f"{args.clients} clients, {args.seconds:.0f} s per phase, {args.processes} generator "
        f"processes, {cpus} CPUs, bound {args.bound if args.bound is not None else 'default'}; "
        f"{machine_load()} at start"
    )
    with tempfile.TemporaryDirectory() as tmp:
        commit_rate = sqlite_commit_rate(Path(tmp))
        print(
            f"SQLite commit ceiling (WAL, synchronous=FULL, no HTTP): {commit_rate:.0f} commits/s"
        )
        print("SQLite (WAL, synchronous=FULL), 1 server process")
        with server(Path(tmp), **bound) as (url, pid):
            _, sqlite_saturated, _ = bench(url, {pid}, args, 1.0, bound_value)
        again = sqlite_commit_rate(Path(tmp) / "again")
        print(
            f"  SQLite commit ceiling again: {again:.0f} commits/s (the higher of the two is used:"
            " the disk is shared)"
        )
        ceiling_line(sqlite_saturated, max(commit_rate, again))
        if args.skip_postgres:
            print(f"{machine_load()} at the end")
            return 0
        cluster = start_postgres(fsync=True)
        try:
            print("PostgreSQL 15 (fsync on), 2 server processes (CPU: theirs and PostgreSQL's)")
            with server(
                Path(tmp),
                FOLLOWTHROUGH_DATABASE_URL=cluster.admin_url,
                FOLLOWTHROUGH_WORKERS="2",
                **bound,
            ) as (url, pid):
                _, postgres_saturated, _ = bench(
                    url, {pid, postmaster(cluster)}, args, float(min(cpus, 2)), 2 * bound_value
                )
        finally:
            stop_postgres(cluster)
        ceiling_line(postgres_saturated, None)
        print(
            "saturated throughput PostgreSQL (2 processes) / SQLite (1 process): "
            f"{postgres_saturated.rps / sqlite_saturated.rps:.2f}"
        )
    print(f"{machine_load()} at the end")
    return 0


if __name__ == "__main__":
    sys.exit(main())
