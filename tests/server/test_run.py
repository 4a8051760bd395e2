"""`python -m server` under connection-level attack, on loopback only: oversized and slow request
heads, a flood of idle sockets, forged X-Forwarded-For, and its command line (server/run.py)."""

from __future__ import annotations

import contextlib
import resource
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import httpx
import pytest

from server.run import ConnectionLimits, config
from tests.server.conftest import ServerProcess, free_port, server_env, start_server

StartServer = Callable[..., ServerProcess]
MIB = 1024 * 1024


def rss_kib(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    raise AssertionError("no VmRSS")


def address(server: ServerProcess) -> tuple[str, int]:
    host, port = server.url.removeprefix("http://").split(":")
    return host, int(port)


def health(server: ServerProcess, **headers: str) -> httpx.Response:
    return httpx.get(f"{server.url}/v1/health", headers=headers, timeout=10)


@contextlib.contextmanager
def open_files(wanted: int) -> Iterator[None]:
    """This test process may hold `wanted` descriptors (raised within the hard limit)."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft != resource.RLIM_INFINITY and soft < wanted:
        if hard != resource.RLIM_INFINITY and hard < wanted:
            pytest.skip(f"this process may open only {hard} files")
        resource.setrlimit(resource.RLIMIT_NOFILE, (wanted, hard))
    try:
        yield
    finally:
        resource.setrlimit(resource.RLIMIT_NOFILE, (soft, hard))


def closed_within(sock: socket.socket, seconds: float) -> bool:
    """Whether the server closes the connection (EOF or reset) within `seconds`."""
    sock.settimeout(seconds)
    try:
        while sock.recv(65536):
            pass
    except TimeoutError:
        return False
    except OSError:
        return True
    return True


# --- Request heads ------------------------------------------------------------------------------


def send_big_head(target: tuple[str, int], size: int, answers: list[bytes]) -> socket.socket:
    """Start a request whose head never ends, and push up to `size` bytes of it."""
    sock = socket.create_connection(target, timeout=30)
    chunk = b"a" * 65536
    try:
        sock.sendall(b"GET /v1/health HTTP/1.1\r\nHost: sync.test\r\nX-Big: ")
        for _ in range(size // len(chunk)):
            sock.sendall(chunk)
    except OSError:
        pass  # the server hung up: what a bounded server does
    with contextlib.suppress(OSError):
        sock.settimeout(1)
        answers.append(sock.recv(4096))
    return sock


def test_ten_unfinished_20_mb_heads_do_not_grow_the_server(server_process: StartServer) -> None:
    server = server_process()
    before = rss_kib(server.process.pid)
    answers: list[bytes] = []
    sockets: list[socket.socket] = []

    def attack() -> None:
        sockets.append(send_big_head(address(server), 20 * MIB, answers))

    threads = [threading.Thread(target=attack) for _ in range(10)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    grown_mib = (rss_kib(server.process.pid) - before) / 1024
    still = health(server)
    for sock in sockets:
        sock.close()

    print(f"10 unfinished 20 MB heads grew the server by {grown_mib:.1f} MiB")
    assert grown_mib < 16
    assert any(answer.startswith(b"HTTP/1.1 431") for answer in answers)
    assert still.status_code == 200


def test_a_head_over_the_limit_gets_431_and_a_closed_connection(
    server_process: StartServer,
) -> None:
    server = server_process(FOLLOWTHROUGH_HEADER_BYTES="4096")

    with socket.create_connection(address(server), timeout=10) as sock:
        sock.sendall(b"GET /v1/health HTTP/1.1\r\nHost: sync.test\r\nX-Big: " + b"a" * 8192)
        answer = sock.recv(4096)
        closed = closed_within(sock, 5)

    assert answer.startswith(b"HTTP/1.1 431")
    assert b'"error":"headers-too-large"' in answer
    assert closed


def test_a_normal_head_is_still_served(server_process: StartServer) -> None:
    server = server_process(FOLLOWTHROUGH_HEADER_BYTES="4096")

    response = health(server, **{"X-Padding": "p" * 3000})

    assert response.status_code == 200


@pytest.mark.parametrize("trickle", [False, True], ids=["silent", "trickling"])
def test_a_head_that_does_not_arrive_in_time_is_closed(
    server_process: StartServer, trickle: bool
) -> None:
    server = server_process(FOLLOWTHROUGH_HEADER_TIMEOUT="1")

    with socket.create_connection(address(server), timeout=10) as sock:
        started = time.monotonic()
        if trickle:
            for byte in b"GET /v1/health HTTP/1.1\r\nHost: a\r\n":
                try:
                    sock.sendall(bytes([byte]))
                except OSError:
                    break
                time.sleep(0.1)
        closed = closed_within(sock, 5)
        took = time.monotonic() - started

    assert closed
    assert took < 4


def test_an_idle_keep_alive_connection_is_closed(server_process: StartServer) -> None:
    server = server_process(FOLLOWTHROUGH_KEEP_ALIVE_TIMEOUT="1")

    with socket.create_connection(address(server), timeout=10) as sock:
        sock.sendall(b"GET /v1/health HTTP/1.1\r\nHost: sync.test\r\n\r\n")
        answer = sock.recv(4096)
        closed = closed_within(sock, 5)

    assert answer.startswith(b"HTTP/1.1 200")
    assert closed


# --- Many connections ---------------------------------------------------------------------------


def test_health_answers_with_1100_idle_and_slow_sockets_open(
    server_process: StartServer,
) -> None:
    """The attack that took every descriptor: the server may hold 1,024 files (soft and hard,
    as on a default host), 1,100 sockets stay open, half of them trickling a head."""
    server = server_process(open_files=1024)
    sockets: list[socket.socket] = []
    with open_files(1400):
        try:
            for n in range(1100):
                sock = socket.create_connection(address(server), timeout=10)
                if n % 2:
                    sock.sendall(b"GET /v1/health HTTP/1.1\r\nHost: a\r\n")
                sockets.append(sock)
            started = time.monotonic()
            answered = [health(server).status_code for _ in range(3)]
            took = time.monotonic() - started
        finally:
            for sock in sockets:
                sock.close()

    print(f"health answered {answered} in {took:.2f} s with 1,100 sockets open")
    assert answered == [200, 200, 200]
    assert took < 10


# --- Forwarded addresses ------------------------------------------------------------------------


def login(server: ServerProcess, forwarded_for: str) -> int:
    body = {"account_id": "c0" * 16, "auth_key": "A" * 43 + "="}
    response = httpx.post(
        f"{server.url}/v1/session",
        json=body,
        headers={"X-Forwarded-For": forwarded_for},
        timeout=10,
    )
    return response.status_code


def test_by_default_a_forged_forwarded_for_gives_no_fresh_rate_limit(
    server_process: StartServer,
) -> None:
    server = server_process(FOLLOWTHROUGH_LIMIT_LOGINS_PER_CLIENT="3/minute")

    codes = [login(server, f"203.0.113.{n}") for n in range(5)]

    assert codes == [401, 401, 401, 429, 429]


def test_behind_a_trusted_proxy_the_client_is_the_rightmost_untrusted_address(
    server_process: StartServer,
) -> None:
    server = server_process(
        FOLLOWTHROUGH_LIMIT_LOGINS_PER_CLIENT="3/minute",
        FOLLOWTHROUGH_FORWARDED_ALLOW_IPS="127.0.0.1",
    )

    # The proxy appends the address it saw; what the client wrote before it is not believed.
    forged = [login(server, f"198.51.100.{n}, 203.0.113.7") for n in range(5)]
    another_client = login(server, "203.0.113.8")

    assert forged == [401, 401, 401, 429, 429]
    assert another_client == 401


def test_the_local_one_process_run_trusts_no_forwarded_headers_and_names_no_server() -> None:
    local = config(object(), host="127.0.0.1", port=8000)

    assert local.proxy_headers is False
    assert local.server_header is False
    assert local.connection_limits == ConnectionLimits()


# --- Command line -------------------------------------------------------------------------------


def run_server_command(directory: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "server", *args],
        cwd=directory,
        env=server_env(directory, free_port()),
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_help_lists_the_settings_as_flags(tmp_path: Path) -> None:
    shown = run_server_command(tmp_path, "--help")

    assert shown.returncode == 0
    for flag in ("--port", "--host", "--database-url", "--forwarded-allow-ips", "--workers"):
        assert flag in shown.stdout


def test_an_unknown_argument_is_refused_with_a_message(tmp_path: Path) -> None:
    refused = run_server_command(tmp_path, "--prot", "9000")

    assert refused.returncode == 2
    assert "unrecognized arguments: --prot" in refused.stderr


def test_the_port_flag_is_obeyed(tmp_path: Path) -> None:
    port = free_port()
    env = server_env(tmp_path, free_port())  # FOLLOWTHROUGH_PORT says another port

    server = start_server(tmp_path, env, port=port, args=["--port", str(port)])
    try:
        answered = health(server).status_code
    finally:
        server.process.terminate()
        server.process.wait(timeout=10)

    assert answered == 200
