"""Time importing a LinkedIn archive of 2,000 connections and 10,000 messages (issue #18): the
engine alone (CPython, through `followup.api.call`: `import_preview` then `import_commit`, the
ZIP passed base64 as the worker passes it) and, with `--chromium`, the whole path in the
browser (the page reads the ZIP, the engine worker under Pyodide previews it, then commits it
to IndexedDB in one transaction).

    python bench/bench_linkedin_history.py [--runs 3] [--chromium]

Prints milliseconds (medians) and the archive's size. Not a test: the machine is shared.
"""

from __future__ import annotations

import argparse
import base64
import json
import statistics
import sys
import time
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT / "web" / "py"), str(ROOT)]

from followup import api  # noqa: E402

from tests.support.linkedin_archive import Spec, archive_zip  # noqa: E402

SPEC = Spec(connections=2000, messages=10_000, recent_questions=12)
CPU: list[float] = []  # preview + commit + Today, CPU time (the machine is shared)
CLOCK = {"now": SPEC.now.isoformat(), "today": SPEC.now.date().isoformat()}


def call(op: str, **args: Any) -> dict[str, Any]:
    answer: dict[str, Any] = json.loads(api.call(json.dumps({"op": op, **CLOCK, **args})))
    assert answer["ok"], answer
    return answer


def engine(data: str) -> tuple[float, float, float, dict[str, Any]]:
    call("load", data={})
    c0 = time.process_time()
    t0 = time.perf_counter()
    preview = call("import_preview", zip=data)
    t1 = time.perf_counter()
    ids = [f"p{i}" for i in range(preview["ids_needed"])]
    done = call("import_commit", zip=data, ids=ids, file="archive.zip")
    t2 = time.perf_counter()
    call("today")
    t3 = time.perf_counter()
    CPU.append((time.process_time() - c0) * 1000)
    return (t1 - t0) * 1000, (t2 - t1) * 1000, (t3 - t2) * 1000, done["counts"]


def chromium(path: Path) -> dict[str, float]:
    """The whole path in Chromium: pick the ZIP on Import, preview, confirm (linkedin_drive)."""
    import tempfile

    from playwright.sync_api import sync_playwright

    from tests.e2e.conftest import CHROMIUM, CHROMIUM_ARGS
    from tests.e2e.linkedin_drive import import_archive
    from tests.support.serving import build_app, serving

    with tempfile.TemporaryDirectory() as tmp, sync_playwright() as p:
        dist = Path(tmp) / "dist"
        build_app(dist)
        with serving(dist) as base:
            context = p.chromium.launch_persistent_context(
                str(Path(tmp) / "profile"), executable_path=CHROMIUM, headless=True,
                args=CHROMIUM_ARGS, viewport={"width": 1280, "height": 900},
            )  # fmt: skip
            page = context.new_page()
            page.goto(base + "#transfer")
            page.wait_for_selector("html[data-engine=ready]", timeout=120_000)
            times = import_archive(page, path)
            context.close()
    return times


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--chromium", action="store_true")
    args = parser.parse_args()
    spec = SPEC
    raw = archive_zip(spec)
    data = base64.b64encode(raw).decode()
    print(f"archive: {len(raw) / 1e6:.2f} MB zipped, {spec.connections} connections, "
          f"{spec.messages} messages")  # fmt: skip
    runs = [engine(data) for _ in range(args.runs)]
    counts = runs[-1][3]
    print(f"engine (CPython) preview {statistics.median(r[0] for r in runs):.0f} ms, "
          f"commit {statistics.median(r[1] for r in runs):.0f} ms, "
          f"Today after {statistics.median(r[2] for r in runs):.0f} ms")  # fmt: skip
    print(f"engine CPU time, all three: {statistics.median(CPU):.0f} ms")
    print("kept:", {k: v for k, v in counts.items() if v})
    if args.chromium:
        import tempfile

        with tempfile.TemporaryDirectory() as tmp:
            path = Path(tmp) / "Basic_LinkedInDataExport.zip"
            # The browser's clock is today's: the archive ends now.
            now = datetime.now(UTC)
            path.write_bytes(archive_zip(replace(SPEC, now=now)))
            for name, ms in chromium(path).items():
                print(f"chromium (Pyodide worker + IndexedDB) {name}: {ms:.0f} ms")


if __name__ == "__main__":
    main()
