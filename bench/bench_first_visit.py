"""First-visit benchmark: what a new visitor's browser downloads until the app works offline.

    python bench/bench_first_visit.py [--dist DIR] [--runs 1] [--mbps 40]

Builds the app (or takes a build with --dist), serves it in this process with the bundled
server's app (`buildtool.serve.create_app`), and counts on the server side every request and
every byte sent (status line, headers and body) while a fresh Chromium profile on a phone
viewport visits the page, boots the engine and installs the service worker, until no request
has come for a while. Then it goes offline, reloads and checks that the engine boots.

Two visits per run, each in a new profile:
  - "compressed": the browser's own Accept-Encoding, as any visitor;
  - "uncompressed": the server is made to ignore Accept-Encoding (a host that compresses
    nothing).
Prints requests, bytes over the wire, the files fetched more than once and what they cost.
--mbps slows each response (a slow network, where the service worker's install overlaps the
page's own downloads).
Not a test: a fixed figure of this build, not a timing, but still not part of the suite.
"""

from __future__ import annotations

import argparse
import asyncio
import collections
import contextlib
import socket
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import uvicorn
from playwright.sync_api import Playwright, sync_playwright

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

from e2e.conftest import CHROMIUM, CHROMIUM_ARGS, PHONE  # noqa: E402

from buildtool.serve import create_app  # noqa: E402
from tests.support.serving import build_app  # noqa: E402

QUIET_SECONDS = 3.0  # no request for this long: the visit is over


@dataclass
class Served:
    path: str
    status: int
    wire: int  # status line + headers + body, as sent
    body: int
    encoding: str


@dataclass
class Counter:
    """Every response the server sent, while `strip_encoding` says whether it hides the
    browser's Accept-Encoding from the app."""

    served: list[Served] = field(default_factory=list)
    strip_encoding: bool = False
    rate: float = 0.0  # bytes per second of each response body; 0: as fast as it goes
    last: float = field(default_factory=time.monotonic)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def reset(self, *, strip_encoding: bool) -> None:
        with self.lock:
            self.served = []
            self.strip_encoding = strip_encoding
            self.last = time.monotonic()


def counting(app: Any, counter: Counter) -> Any:
    """An ASGI middleware that records what each response put on the wire."""

    async def wrapped(scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await app(scope, receive, send)
            return
        if counter.strip_encoding:
            headers = [(k, v) for k, v in scope["headers"] if k.lower() != b"accept-encoding"]
            scope = {**scope, "headers": headers}
        record = Served(scope["path"], 0, 0, 0, "")

        async def counted_send(message: dict[str, Any]) -> None:
            if message["type"] == "http.response.start":
                record.status = message["status"]
                headers = message.get("headers", [])
                record.wire += len(f"HTTP/1.1 {record.status} OK\r\n\r\n")
                record.wire += sum(len(k) + len(v) + 4 for k, v in headers)
                for k, v in headers:
                    if k.lower() == b"content-encoding":
                        record.encoding = v.decode()
            elif message["type"] == "http.response.body":
                size = len(message.get("body", b""))
                record.body += size
                record.wire += size
                if counter.rate:
                    # A slow network: the service worker's install then starts while the
                    # page's big downloads are still under way.
                    await asyncio.sleep(size / counter.rate)
            await send(message)

        try:
            await app(scope, receive, counted_send)
        finally:
            with counter.lock:
                counter.served.append(record)
                counter.last = time.monotonic()

    return wrapped


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextlib.contextmanager
def serving(dist: Path, counter: Counter) -> Iterator[str]:
    """The bundled server's app (without the sync API) on a free port, in a thread."""
    port = free_port()
    app = counting(create_app(dist, mount=lambda routes: None), counter)
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("the server did not start")
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}/"
    finally:
        server.should_exit = True
        thread.join(timeout=10)


def visit(p: Playwright, url: str, profile: Path, counter: Counter) -> list[Served]:
    """One first visit in a new profile; returns what the server sent until it went quiet.
    Then checks that the app boots offline."""
    context = p.chromium.launch_persistent_context(
        str(profile),
        executable_path=CHROMIUM,
        headless=True,
        args=CHROMIUM_ARGS,
        viewport=PHONE,
        device_scale_factor=2,
        is_mobile=True,
        has_touch=True,
    )
    try:
        page = context.new_page()
        page.goto(url)
        page.wait_for_selector("html[data-engine=ready]", timeout=120_000)
        page.wait_for_function("() => navigator.serviceWorker.controller !== null", timeout=120_000)
        while time.monotonic() - counter.last < QUIET_SECONDS:
            time.sleep(0.2)
        with counter.lock:
            served = list(counter.served)
        context.set_offline(True)
        page.reload()
        page.wait_for_selector("html[data-engine=ready]", timeout=120_000)
        return served
    finally:
        context.close()


def report(name: str, served: list[Served], sizes: dict[str, int]) -> None:
    by_path: dict[str, list[Served]] = collections.defaultdict(list)
    for record in served:
        by_path[record.path].append(record)
    wire = sum(r.wire for r in served)
    body = sum(r.body for r in served)
    once = sum(sizes.get(path, 0) for path in by_path)
    again = {path: rs for path, rs in by_path.items() if sum(r.status == 200 for r in rs) > 1}
    again_bytes = sum(r.wire for rs in again.values() for r in rs[1:])
    encodings = collections.Counter(r.encoding or "identity" for r in served if r.status == 200)
    statuses = collections.Counter(r.status for r in served)
    print(f"{name}:")
    print(f"  requests            {len(served):6d}   ({dict(sorted(statuses.items()))})")
    print(f"  distinct paths      {len(by_path):6d}")
    print(f"  bytes over the wire {wire / 1e6:9.2f} MB  (bodies {body / 1e6:.2f} MB)")
    print(f"  files' own size     {once / 1e6:9.2f} MB  (each path once, as built)")
    print(f"  fetched again       {len(again):6d} paths, {again_bytes / 1e6:.2f} MB")
    print(f"  encodings           {dict(encodings)}")
    big = sorted(by_path.items(), key=lambda item: -sum(r.wire for r in item[1]))[:6]
    for path, rs in big:
        each = ", ".join(f"{r.status} {r.wire / 1e6:.2f} MB {r.encoding or 'identity'}" for r in rs)
        print(f"    {path:32} {each}")


def file_sizes(dist: Path) -> dict[str, int]:
    sizes = {
        "/" + path.relative_to(dist).as_posix(): path.stat().st_size
        for path in dist.rglob("*")
        if path.is_file()
    }
    sizes["/"] = sizes.get("/index.html", 0)
    return sizes


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dist", type=Path, help="an existing build (default: build afresh)")
    parser.add_argument("--runs", type=int, default=1, help="visits of each kind")
    parser.add_argument(
        "--mbps", type=float, default=0, help="send each response at most this fast (Mbit/s)"
    )
    args = parser.parse_args(argv)
    counter = Counter(rate=args.mbps * 1e6 / 8)
    with tempfile.TemporaryDirectory(prefix="first-visit-") as tmp:
        work = Path(tmp)
        dist = args.dist or build_app(work / "dist")
        sizes = file_sizes(dist)
        with serving(dist, counter) as url, sync_playwright() as p:
            for run in range(args.runs):
                for kind, strip in (("compressed", False), ("uncompressed", True)):
                    counter.reset(strip_encoding=strip)
                    served = visit(p, url, work / f"profile-{kind}-{run}", counter)
                    report(f"first visit, {kind} (run {run + 1})", served, sizes)
    print("offline after the first visit: the engine booted (each visit)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
