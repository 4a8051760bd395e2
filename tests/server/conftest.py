"""Fixtures for the sync server's tests: settings, stores (in-memory, SQLite, a throwaway
PostgreSQL cluster), an in-process HTTP client, and a real `python -m server` process."""

from __future__ import annotations

import contextlib
import hashlib
import os
import resource
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import AsyncIterator, Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest

from server.app import create_app
from server.postgres_store import PostgresStore
from server.records import ChangeStore
from server.settings import Limits, Settings
from server.sqlite_store import SqliteStore
from server.storage import MemoryStore

ROOT = Path(__file__).resolve().parents[2]
PEPPER = hashlib.sha256(b"the tests' pepper").digest()
NOW = datetime(2026, 11, 23, 9, 30, tzinfo=UTC)
# Rates no test reaches unless it is about rates.
WIDE = Limits(
    failed_logins="1000/minute",
    logins_per_client="100000/minute",
    kdf_lookups_per_client="100000/minute",
    accounts_per_client="100000/minute",
    syncs_per_account="1000000/minute",
    concurrent_syncs_per_account=1000,
)
# Nightly sizes: FOLLOWTHROUGH_NIGHTLY=1 python -m pytest tests/server
NIGHTLY = os.environ.get("FOLLOWTHROUGH_NIGHTLY") == "1"


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


def make_settings(limits: Limits = WIDE, **overrides: Any) -> Settings:
    return Settings(pepper=PEPPER, limits=limits, **overrides)


class FakeClock:
    """A settable clock for the server (days matter: session expiry, batch retention)."""

    def __init__(self, now: datetime = NOW) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> None:
        self.now += timedelta(**delta)


@contextlib.asynccontextmanager
async def http_client(
    store: ChangeStore,
    settings: Settings | None = None,
    *,
    clock: Callable[[], datetime] | None = None,
    client: tuple[str, int] = ("127.0.0.1", 50000),
    **app_options: Any,
) -> AsyncIterator[httpx.AsyncClient]:
    """The real app in-process: httpx over ASGI (no sockets)."""
    app = create_app(store, settings or make_settings(), clock=clock or FakeClock(), **app_options)
    transport = httpx.ASGITransport(app=app, client=client)
    async with httpx.AsyncClient(transport=transport, base_url="http://sync.test") as http:
        yield http


@pytest.fixture
def sqlite(tmp_path: Path) -> Iterator[SqliteStore]:
    store = SqliteStore(tmp_path / "sync.sqlite3")
    yield store
    store.close()


@pytest.fixture
async def http(sqlite: SqliteStore) -> AsyncIterator[httpx.AsyncClient]:
    async with http_client(sqlite) as client:
        yield client


# --- Stores -------------------------------------------------------------------------------------


@dataclass
class PostgresCluster:
    directory: Path
    port: int
    run_as: list[str]
    counter: int = 0

    @property
    def admin_url(self) -> str:
        return f"postgresql://postgres@127.0.0.1:{self.port}/postgres"

    def new_database(self) -> str:
        """A URL whose tables live in a fresh schema (cheaper than CREATE DATABASE)."""
        import psycopg

        self.counter += 1
        name = f"t{os.getpid()}_{self.counter}"
        with psycopg.connect(self.admin_url, autocommit=True) as connection:
            connection.execute(f"CREATE SCHEMA {name}")
        return f"{self.admin_url}?options=-csearch_path%3D{name}"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def start_postgres(*, fsync: bool = True) -> PostgresCluster:
    """initdb + pg_ctl start in a fresh directory; as root, through `runuser -u postgres`
    (PostgreSQL refuses to run as root)."""
    initdb, pg_ctl = shutil.which("initdb"), shutil.which("pg_ctl")
    if initdb is None or pg_ctl is None:
        pytest.skip("PostgreSQL's initdb/pg_ctl are not on PATH; the PostgreSQL tests need them")
    directory = Path(tempfile.mkdtemp(prefix="followthrough-pg-"))
    run_as: list[str] = []
    if os.geteuid() == 0:
        shutil.chown(directory, "postgres", "postgres")
        run_as = ["runuser", "-u", "postgres", "--"]
    data = directory / "data"
    subprocess.run(
        [*run_as, initdb, "-D", str(data), "-A", "trust", "-U", "postgres", "--no-sync"],
        check=True,
        capture_output=True,
    )
    port = free_port()
    options = f"-p {port} -k {directory} -c listen_addresses=127.0.0.1 -c max_connections=200"
    if not fsync:
        options += " -c fsync=off -c synchronous_commit=off"
    subprocess.run(
        [
            *run_as,
            pg_ctl,
            "-D",
            str(data),
            "-o",
            options,
            "-l",
            str(directory / "log"),
            "-w",
            "start",
        ],
        check=True,
        capture_output=True,
    )
    return PostgresCluster(directory=directory, port=port, run_as=run_as)


def stop_postgres(cluster: PostgresCluster) -> None:
    pg_ctl = shutil.which("pg_ctl")
    assert pg_ctl is not None
    subprocess.run(
        [*cluster.run_as, pg_ctl, "-D", str(cluster.directory / "data"), "-m", "immediate", "stop"],
        capture_output=True,
    )
    shutil.rmtree(cluster.directory, ignore_errors=True)


@pytest.fixture(scope="session")
def postgres() -> Iterator[PostgresCluster]:
    # fsync off: these tests check the store's logic, not PostgreSQL's durability.
    cluster = start_postgres(fsync=False)
    try:
        yield cluster
    finally:
        stop_postgres(cluster)


@dataclass
class RedisServer:
    process: subprocess.Popen[bytes]
    port: int

    @property
    def url(self) -> str:
        """The rate limiter's storage URL (FOLLOWTHROUGH_RATE_LIMIT_STORAGE)."""
        return f"async+redis://127.0.0.1:{self.port}"


@pytest.fixture(scope="session")
def redis() -> Iterator[RedisServer]:
    """A throwaway redis-server on a free loopback port, nothing written to disk (Debian's
    `redis-server`; .ci/setup installs it)."""
    binary = shutil.which("redis-server")
    if binary is None:
        pytest.skip("redis-server is not on PATH; the shared rate-limit tests need it")
    port = free_port()
    process = subprocess.Popen(
        [binary, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
        cwd=tempfile.gettempdir(),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 20
        while True:
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=1) as sock:
                    sock.sendall(b"PING\r\n")
                    if sock.recv(64).startswith(b"+PONG"):
                        break
            except OSError:
                if process.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError("redis-server did not start") from None
                time.sleep(0.05)
        yield RedisServer(process=process, port=port)
    finally:
        process.terminate()
        process.wait(timeout=10)


StoreFactory = Callable[[], ChangeStore]


@pytest.fixture(params=["memory", "sqlite", "postgres"])
def store_factory(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[StoreFactory]:
    """Opens the same kind of store (on the same database) as often as a test asks."""
    opened: list[ChangeStore] = []
    url = request.getfixturevalue("postgres").new_database() if request.param == "postgres" else ""
    memory = MemoryStore()

    def factory() -> ChangeStore:
        store: ChangeStore
        if request.param == "memory":
            store = memory
        elif request.param == "sqlite":
            store = SqliteStore(tmp_path / "sync.sqlite3")
        else:
            store = PostgresStore(url)
        opened.append(store)
        return store

    yield factory
    for store in opened:
        store.close()


@pytest.fixture
def store(store_factory: StoreFactory) -> ChangeStore:
    return store_factory()


# --- A real server process ----------------------------------------------------------------------


@dataclass
class ServerProcess:
    process: subprocess.Popen[bytes]
    url: str
    log: Path

    def kill(self) -> None:
        self.process.kill()
        self.process.wait(timeout=10)


def server_env(directory: Path, port: int, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("FOLLOWTHROUGH_")}
    env.update(
        {
            "FOLLOWTHROUGH_HOST": "127.0.0.1",
            "FOLLOWTHROUGH_PORT": str(port),
            "FOLLOWTHROUGH_PEPPER": PEPPER.hex(),
            "FOLLOWTHROUGH_DATABASE_URL": f"sqlite:///{directory / 'sync.sqlite3'}",
            "PYTHONPATH": str(ROOT),
        }
    )
    env.update(extra)
    return env


def start_server(
    directory: Path,
    env: Mapping[str, str],
    *,
    port: int,
    args: Sequence[str] = (),
    open_files: int | None = None,
) -> ServerProcess:
    """`python -m server [args]`; with open_files, the process may hold no more descriptors
    than that (soft and hard limit, as on a host configured so)."""
    log = directory / "server.log"

    def limit_files() -> None:
        if open_files is not None:
            resource.setrlimit(resource.RLIMIT_NOFILE, (open_files, open_files))

    with log.open("ab") as output:  # the child keeps its own descriptor
        process = subprocess.Popen(
            [sys.executable, "-m", "server", *args],
            cwd=directory,
            env=dict(env),
            stdout=output,
            stderr=subprocess.STDOUT,
            preexec_fn=limit_files if open_files is not None else None,
        )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"server exited with {process.returncode}: {log.read_text()}")
        try:
            if httpx.get(f"{url}/v1/health", timeout=1).status_code == 200:
                return ServerProcess(process=process, url=url, log=log)
        except httpx.TransportError:
            time.sleep(0.05)
    process.kill()
    raise RuntimeError(f"server at {url} did not start: {log.read_text()}")


@pytest.fixture
def server_process(tmp_path: Path) -> Iterator[Callable[..., ServerProcess]]:
    """Start `python -m server` (as often as a test likes, e.g. after kill -9); all are
    stopped at the end."""
    started: list[ServerProcess] = []
    port = free_port()

    def start(
        *, args: Sequence[str] = (), open_files: int | None = None, **extra: str
    ) -> ServerProcess:
        server = start_server(
            tmp_path,
            server_env(tmp_path, port, **extra),
            port=port,
            args=args,
            open_files=open_files,
        )
        started.append(server)
        return server

    yield start
    for server in started:
        if server.process.poll() is None:
            server.process.terminate()
            try:
                server.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                server.kill()
