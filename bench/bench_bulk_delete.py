"""Time a bulk delete of 500 people on the heavy user (5,000 people, 20,000 interactions):
the engine alone (CPython, through `followup.api.call`: preview, delete, undo) and, with
`--chromium`, in the browser: the engine worker under Pyodide deciding and committing it to
IndexedDB (stamped for sync) in one transaction.

    python bench/bench_bulk_delete.py [--runs 5] [--chromium]

Prints milliseconds (medians). Not a test: the machine is shared and noisy.
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
sys.path[:0] = [str(ROOT / "web" / "py"), str(ROOT / "bench"), str(ROOT), str(ROOT / "tests")]

from followup import api  # noqa: E402
from heavy import NOW, TODAY, make_heavy  # noqa: E402

CLOCK = {"now": NOW.isoformat(), "today": TODAY.isoformat()}
COUNT = 500


CPU: dict[str, list[float]] = {}


def _call(request: dict[str, Any], label: str) -> tuple[float, dict[str, Any]]:
    """Wall time in ms (and this process's CPU time, kept in CPU: on a shared machine the
    wall time mostly measures the other processes)."""
    start, cpu = time.perf_counter(), time.process_time()
    answer = json.loads(api.call(json.dumps({**request, **CLOCK})))
    if not answer["ok"]:
        raise SystemExit(f"engine error: {answer}")
    CPU.setdefault(label, []).append((time.process_time() - cpu) * 1000)
    return (time.perf_counter() - start) * 1000, answer


def engine(data: dict[str, Any], runs: int) -> None:
    records = [{"store": "people", "id": p["id"]} for p in data["people"][:COUNT]]
    times: dict[str, list[float]] = {"delete_preview": [], "delete": [], "undo": []}
    for _ in range(runs):
        api.call(json.dumps({"op": "load", "data": data}))
        ms, _ = _call({"op": "delete_preview", "records": records}, "delete_preview")
        times["delete_preview"].append(ms)
        delete = {"op": "command", "name": "delete", "payload": {"records": records}}
        ms, answer = _call(delete, "delete")
        times["delete"].append(ms)
        undo = {"op": "command", "name": "undo", "payload": {"id": answer["undo"]["id"]}}
        ms, _ = _call(undo, "undo")
        times["undo"].append(ms)
    gone = sum(len(v) for v in answer["put"].values())
    print(f"engine (CPython), {COUNT} people, {gone} records written per delete:")
    for label, values in times.items():
        wall, cpu = statistics.median(values), statistics.median(CPU[label])
        print(f"  {label:15} median {wall:7.1f} ms wall, {cpu:7.1f} ms CPU")


PUT_RAW = """async (data) => {
    const db = await (await import('./static/js/store.js')).database();
    const stores = Object.keys(data).filter((name) => Array.isArray(data[name]));
    await new Promise((resolve, reject) => {
        const tx = db.transaction(stores, 'readwrite');
        for (const store of stores) for (const r of data[store]) tx.objectStore(store).put(r);
        tx.oncomplete = resolve;
        tx.onabort = () => reject(tx.error);
    });
}"""

DELETE_IN_WORKER = """async (records) => {
    // An engine worker as the app runs it: it loads IndexedDB, then decides the delete and
    // commits it (stamped for sync) in one transaction before it answers.
    const worker = new Worker('./static/js/engine.worker.js',
        { type: 'module', name: 'followthrough-engine' });
    let next = 0;
    const ask = (request) => new Promise((resolve) => {
        const id = ++next;
        const listen = (event) => {
            if (event.data?.type === 'response' && event.data.id === id) {
                worker.removeEventListener('message', listen);
                resolve(event.data.response);
            }
        };
        worker.addEventListener('message', listen);
        worker.postMessage({ id, request });
    });
    try {
        const now = new Date().toISOString();
        const today = now.slice(0, 10);
        await ask({ op: 'version' });
        const t0 = performance.now();
        const answer = await ask(
            { op: 'command', name: 'delete', payload: { records }, now, today });
        const ms = performance.now() - t0;
        if (!answer.ok) return { error: answer.message };
        const t1 = performance.now();
        const undone = await ask(
            { op: 'command', name: 'undo', payload: { id: answer.undo.id }, now, today });
        return { ms, undo_ms: performance.now() - t1, ok: undone.ok };
    } finally {
        worker.terminate();
    }
}"""


def chromium(data: dict[str, Any], runs: int) -> None:
    from e2e.conftest import CHROMIUM, CHROMIUM_ARGS, PHONE
    from playwright.sync_api import sync_playwright

    from tests.support.serving import build_app, serving

    records = [{"store": "people", "id": p["id"]} for p in data["people"][:COUNT]]
    times: list[float] = []
    undo: list[float] = []
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
                page.goto(base)
                page.wait_for_selector("html[data-engine=ready]", timeout=120_000)
                page.evaluate(PUT_RAW, data)
                result = page.evaluate(DELETE_IN_WORKER, records)
                context.close()
                if "error" in result:
                    raise SystemExit(f"engine error: {result['error']}")
                times.append(result["ms"])
                undo.append(result["undo_ms"])
    print(f"Chromium (engine worker under Pyodide + IndexedDB commit), {COUNT} people:")
    print(f"  delete          median {statistics.median(times):7.1f} ms   max {max(times):7.1f} ms")
    print(f"  undo            median {statistics.median(undo):7.1f} ms   max {max(undo):7.1f} ms")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--chromium", action="store_true")
    args = parser.parse_args()
    data = make_heavy(args.seed)
    print(f"{len(data['people'])} people, {len(data['interactions'])} interactions")
    engine(data, args.runs)
    if args.chromium:
        chromium(data, max(1, args.runs // 2))


if __name__ == "__main__":
    main()
