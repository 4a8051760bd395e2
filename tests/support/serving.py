"""The app as a real process, for end-to-end tests and benchmarks: build it into a folder, serve
it with `python build.py serve --no-build` on a free port, wait until it answers, always stop it.
"""

from __future__ import annotations

import contextlib
import os
import secrets
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import IO

ROOT = Path(__file__).resolve().parents[2]


def free_port() -> int:
    """A TCP port on loopback that nothing listens on right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def wait_for_server(process: subprocess.Popen[bytes], url: str, timeout: float = 30) -> None:
    """Return once url answers; fail at once if the process exits, or after timeout seconds."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"server exited with {process.returncode}")
        try:
            with urllib.request.urlopen(url, timeout=1):
                return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError(f"server at {url} did not start")


def build_app(out: Path) -> Path:
    """`python build.py --out out`: a fresh build of the app."""
    subprocess.run([sys.executable, "build.py", "--out", str(out)], cwd=ROOT, check=True)
    return out


def sync_env(database: Path, **extra: str) -> dict[str, str]:
    """The environment of a test's server: this process's, a SQLite database at `database`, a
    fresh pepper, and any `extra` settings."""
    return {
        **os.environ,
        "FOLLOWTHROUGH_DATABASE_URL": f"sqlite:///{database}",
        "FOLLOWTHROUGH_PEPPER": secrets.token_hex(32),
        **extra,
    }


@contextlib.contextmanager
def serving(
    dist: Path,
    *,
    env: Mapping[str, str] | None = None,
    log: Path | None = None,
    quiet: bool = False,
    timeout: float = 30,
    port: int | None = None,
) -> Iterator[str]:
    """Serve the build in dist (and the sync API at /api/) until the block ends; yields the
    app's URL, `http://127.0.0.1:PORT/`.

    env replaces the server's environment (e.g. its database); its output goes to log when
    given, nowhere when quiet, else to this process's. `port`: this one rather than any free
    one (a benchmark reusing a browser profile needs the same origin again)."""
    port = port or free_port()
    with contextlib.ExitStack() as stack:
        output: int | IO[bytes] | None = None
        if log is not None:
            output = stack.enter_context(log.open("ab"))
        elif quiet:
            output = subprocess.DEVNULL
        process = subprocess.Popen(
            [
                sys.executable,
                "build.py",
                "serve",
                "--no-build",
                "--out",
                str(dist),
                "--port",
                str(port),
            ],
            cwd=ROOT,
            env=None if env is None else dict(env),
            stdout=output,
            stderr=subprocess.STDOUT if output is not None else None,
        )
        url = f"http://127.0.0.1:{port}/"
        try:
            wait_for_server(process, url, timeout)
            yield url
        finally:
            process.terminate()
            process.wait(timeout=10)
