"""The mbox import rate, in MB/s: a generated Takeout-like mbox (tests/support/mailbox.py: long
Received/DKIM headers, multipart bodies, one message in 50 with someone you know) read by the
engine in 4 MB chunks as the worker feeds it (`mbox_begin`, `mbox_feed`, then
`import_preview`): on CPython through `followup.api.call`, and with `--chromium` in the
browser, where the engine worker reads the File with Blob.slice under Pyodide.

    python bench/bench_mbox.py [--mb 100] [--runs 3] [--chromium]

Not a test: the machine is shared and noisy (CPU time is printed beside wall time).
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT / "web" / "py"), str(ROOT), str(ROOT / "tests")]

from followup import api  # noqa: E402

from tests.support.mailbox import person, write_mbox  # noqa: E402

CHUNK = 4 * 1024 * 1024
PEOPLE = 50
CLOCK = {"now": "2026-12-02T09:00:00+00:00", "today": "2026-12-02"}
CREATED = "2026-01-01T00:00:00Z"


def _people() -> list[dict[str, Any]]:
    return [
        {"id": f"p{i}", "name": f"Person {i}", "emails": [person(i)], "created_at": CREATED}
        for i in range(PEOPLE)
    ]


def _call(op: str, **args: Any) -> dict[str, Any]:
    answer: dict[str, Any] = json.loads(api.call(json.dumps({"op": op, **CLOCK, **args})))
    if not answer["ok"]:
        raise SystemExit(f"engine error: {answer}")
    return answer


def cpython(path: Path, runs: int) -> None:
    size = path.stat().st_size
    walls, cpus = [], []
    for _ in range(runs):
        _call("load", data={"people": _people()})
        start, cpu = time.perf_counter(), time.process_time()
        session = _call("mbox_begin")["session"]
        with path.open("rb") as file:
            while chunk := file.read(CHUNK):
                last = file.tell() >= size
                _call("mbox_feed", session=session, chunk=chunk.decode("latin-1"), last=last)
        preview = _call("import_preview", format="mbox", session=session)
        walls.append(time.perf_counter() - start)
        cpus.append(time.process_time() - cpu)
        _call("mbox_end", session=session)
    mb = size / 1e6
    print(
        f"CPython engine, {mb:.0f} MB, {preview['messages']:,} messages, {preview['new']:,} kept:"
    )
    print(
        f"  {mb / statistics.median(walls):6.1f} MB/s wall, {mb / statistics.median(cpus):6.1f} "
        f"MB/s CPU (median of {runs})"
    )


def chromium(path: Path, runs: int) -> None:
    from e2e.conftest import CHROMIUM, CHROMIUM_ARGS, PHONE, put_records
    from playwright.sync_api import sync_playwright

    from tests.support.serving import build_app, serving

    size = path.stat().st_size
    rates: list[float] = []
    with tempfile.TemporaryDirectory() as tmp, sync_playwright() as p:
        dist = Path(tmp) / "dist"
        build_app(dist)
        with serving(dist) as base:
            for i in range(runs):
                context = p.chromium.launch_persistent_context(
                    str(Path(tmp) / f"profile-{i}"),
                    executable_path=CHROMIUM,
                    headless=True,
                    args=CHROMIUM_ARGS,
                    viewport=PHONE,
                )
                page = context.new_page()
                page.goto(base + "#transfer")
                page.wait_for_selector("html[data-engine=ready]", timeout=120_000)
                put_records(page, {"people": _people()})
                start = time.perf_counter()
                page.set_input_files("#mail-file", str(path))
                page.wait_for_selector("#mail-words", timeout=600_000)
                rates.append(size / 1e6 / (time.perf_counter() - start))
                context.close()
    print(f"Chromium (engine worker under Pyodide, Blob.slice), {size / 1e6:.0f} MB:")
    print(f"  {statistics.median(rates):6.1f} MB/s wall (median of {runs}), from choosing the file")
    print("  to the preview on screen")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--mb", type=int, default=100)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--chromium", action="store_true")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "bench.mbox"
        write_mbox(path, args.mb * 1_000_000, people=PEOPLE)
        cpython(path, args.runs)
        if args.chromium:
            chromium(path, args.runs)


if __name__ == "__main__":
    main()
