"""Today on a heavy user (5,000 people, 2,000 introductions, 20,000 interactions, 300
opportunities) in CPython and in Pyodide (Chromium), in one run, and their ratio.

    python bench/bench_today_pyodide.py [--runs 15]

The Pyodide figure is a round trip through the engine worker (postMessage + JSON + compute),
timed in the page; the CPython figure is `followup.api.call` in this process.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path

from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "web" / "py"), str(ROOT / "tests"), str(ROOT / "bench")]

from e2e.conftest import CHROMIUM, CHROMIUM_ARGS, PHONE  # noqa: E402
from e2e.pyodide_engine import call_probe_engine, start_probe_engine  # noqa: E402
from followup import api  # noqa: E402
from heavy import NOW, TODAY, make_heavy  # noqa: E402

from tests.support.serving import build_app, serving  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=15)
    args = parser.parse_args()
    data = make_heavy()
    today_request = {"op": "today", "now": NOW.isoformat(), "today": TODAY.isoformat()}

    load_json = json.dumps({"op": "load", "data": data})
    t0 = time.perf_counter()
    assert json.loads(api.call(load_json))["ok"]
    cpython_load = (time.perf_counter() - t0) * 1000
    cpython = []
    for _ in range(args.runs):
        t0 = time.perf_counter()
        answer = json.loads(api.call(json.dumps(today_request)))
        cpython.append((time.perf_counter() - t0) * 1000)
    assert answer["ok"]

    with tempfile.TemporaryDirectory() as tmp:
        dist = Path(tmp) / "dist"
        build_app(dist)
        with serving(dist, quiet=True) as url, sync_playwright() as p:
            context = p.chromium.launch_persistent_context(
                str(Path(tmp) / "profile"),
                executable_path=CHROMIUM,
                headless=True,
                args=CHROMIUM_ARGS,
                viewport=PHONE,
            )
            page = context.new_page()
            page.goto(url)
            page.wait_for_selector("html[data-engine=ready]", timeout=120_000)
            start_probe_engine(page)
            pyodide_load, loaded = call_probe_engine(page, {"op": "load", "data": data})
            assert loaded["ok"], loaded
            pyodide = []
            for _ in range(args.runs):
                ms, response = call_probe_engine(page, today_request)
                assert response["ok"]
                pyodide.append(ms)
            context.close()

    c, py = statistics.median(cpython), statistics.median(pyodide)
    print(
        f"heavy user: {len(data['people'])} people, {len(data['introductions'])} introductions, "
        f"{len(data['interactions'])} interactions, {len(data['opportunities'])} opportunities"
    )
    print(f"load   CPython {cpython_load:8.1f} ms   Pyodide {pyodide_load:8.1f} ms")
    print(
        f"today  CPython {c:8.1f} ms   Pyodide {py:8.1f} ms   ratio {py / c:.2f}  "
        f"(medians of {args.runs}; best {min(cpython):.1f} / {min(pyodide):.1f})"
    )


if __name__ == "__main__":
    main()
