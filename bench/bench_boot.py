"""Boot benchmark, one run: the bare `loadPyodide()` of the unmodified npm package against our
engine-ready time (cold, warm, warm offline from the snapshot) and the shell-usable time.

    python bench/bench_boot.py [--runs 5]
    python bench/bench_boot.py --cpu 4 [--runs 2]   # phone class: 1x and 4x, every thread

With `--cpu RATE`, the warm offline boots (bare, ours empty, ours with the heavy user: engine
ready and Today fresh on screen) are measured at 1x and at RATEx in one run, the page slowed by
CDP and the workers by a cgroup quota (bench/boot_cpu.py), and the renderer's memory at rest is
printed.

Prints milliseconds (medians) and ratios to the bare warm boot. Ours are timed from the
navigation's start; "ratio" divides by the bare `loadPyodide()` call alone, "ratio nav" by the
bare page timed from its navigation's start too. Not a test: the machine is
shared and noisy, so only ratios measured in one run mean anything.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import sys
import tempfile
from pathlib import Path

from playwright.sync_api import Page, sync_playwright

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))
sys.path.insert(0, str(ROOT / "bench"))

from boot_cpu import run_cpu  # noqa: E402
from e2e.conftest import CHROMIUM, CHROMIUM_ARGS, PHONE  # noqa: E402
from heavy import make_heavy  # noqa: E402

from buildtool.host import cache_dir  # noqa: E402
from buildtool.pyodide import fetch_pyodide  # noqa: E402
from tests.support.serving import build_app, serving  # noqa: E402

BARE_FILES = ["pyodide.mjs", "pyodide.asm.mjs", "pyodide.asm.wasm", "python_stdlib.zip"]
BARE_HTML = """<!doctype html><html lang="en"><head><meta charset="utf-8"><title>bare</title>
<script type="module" src="bare.js"></script></head><body>bare loadPyodide</body></html>"""
BARE_JS = """import { loadPyodide } from "./pyodide.mjs";
const t0 = performance.now();
const pyodide = await loadPyodide({ indexURL: new URL("./", import.meta.url).href });
pyodide.runPython("1 + 1");
document.documentElement.dataset.bootMs = String(performance.now() - t0);
document.documentElement.dataset.doneAt = String(performance.now());
"""


def add_bare_pyodide(dist: Path) -> None:
    """Serve the unmodified npm package under /bare/ beside the app."""
    package = fetch_pyodide(cache_dir()).directory
    bare = dist / "bare"
    bare.mkdir()
    for name in [*BARE_FILES, "pyodide-lock.json"]:
        shutil.copyfile(package / name, bare / name)
    (bare / "index.html").write_text(BARE_HTML)
    (bare / "bare.js").write_text(BARE_JS)


PUT_RECORDS = """async (data) => {
    const db = await new Promise((resolve, reject) => {
        const request = indexedDB.open('followthrough');
        request.onsuccess = () => resolve(request.result);
        request.onerror = () => reject(request.error);
    });
    const stores = Object.keys(data).filter((name) => Array.isArray(data[name]));
    const tx = db.transaction(stores, 'readwrite');
    for (const store of stores) {
        for (const record of data[store]) tx.objectStore(store).put(record);
    }
    await new Promise((resolve, reject) => {
        tx.oncomplete = resolve;
        tx.onerror = () => reject(tx.error);
    });
    db.close();
}"""


def engine_visit(page: Page, url: str) -> dict[str, float | str]:
    page.goto(url)
    page.wait_for_selector("html[data-engine=ready]", timeout=60_000)
    data = page.evaluate("({...document.documentElement.dataset})")
    return {
        "ready": float(data["engineReadyAt"]),
        "shell": float(data["shellMs"]),
        "boot": str(data["boot"]),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument(
        "--cpu",
        type=float,
        default=None,
        metavar="RATE",
        help="phone class: measure at 1x and RATEx, workers included (needs root)",
    )
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        dist = Path(tmp) / "dist"
        build_app(dist)
        add_bare_pyodide(dist)
        with serving(dist) as base:
            if args.cpu:
                results = run_phone(base, Path(tmp), args.runs, args.cpu)
            else:
                results = run(base, Path(tmp), args.runs)
        shutil.rmtree(dist, ignore_errors=True)
    if args.cpu:
        report_phone(results)
    else:
        report(results)


def run_phone(base: str, tmp: Path, runs: int, rate: float) -> dict[str, list[float]]:
    with sync_playwright() as p:

        def launch(profile: str):  # type: ignore[no-untyped-def]
            return p.chromium.launch_persistent_context(
                profile, executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS, viewport=PHONE
            )

        return run_cpu(launch, base, tmp, runs, rate, make_heavy(), PUT_RECORDS, engine_visit)


def report_phone(results: dict[str, list[float]]) -> None:
    """Medians, and each time's ratio to the bare warm `loadPyodide()` at the same rate."""
    print(f"{'measure':44} {'median':>8} {'ratio':>6}  all")
    for name, values in results.items():
        median = statistics.median(values)
        rate = name.rsplit("@", 1)[1] if "@" in name else ""
        bare = results.get(f"bare warm @{rate}")
        ratio = (
            f"{median / statistics.median(bare):6.2f}"
            if bare and "ms" not in name and "loop" not in name
            else " " * 6
        )
        each = " ".join(f"{value:.0f}" for value in values)
        print(f"{name:44} {median:8.0f} {ratio}  {each}")


def run(base: str, tmp: Path, runs: int) -> dict[str, list[float]]:
    """Each run visits both pages in a fresh on-disk profile. The first visit is cold; on the
    second, Chrome compiles the scripts afresh and keeps their code cache for the third visit
    on. "Warm" is the third visit and later, for both pages: an installed app opened every
    day is past its second start."""
    results: dict[str, list[float]] = {
        "bare cold": [],
        "bare 2nd visit": [],
        "bare warm": [],
        # The same boots timed as ours are, from the navigation's start: the page and
        # pyodide.mjs load first.
        "bare warm, from navigation": [],
        "ours cold": [],
        "ours 2nd visit (snapshot)": [],
        "ours warm (snapshot)": [],
        "ours warm offline (snapshot)": [],
        "ours warm plain (no snapshot)": [],
        "ours warm offline, heavy user": [],
        "shell usable, 2nd visit": [],
        "shell usable, warm": [],
    }
    heavy = make_heavy()
    with sync_playwright() as p:

        def context(profile: str):  # type: ignore[no-untyped-def]
            return p.chromium.launch_persistent_context(
                str(tmp / profile),
                executable_path=CHROMIUM,
                headless=True,
                args=CHROMIUM_ARGS,
                viewport=PHONE,
            )

        for i in range(runs):
            bare = context(f"bare-{i}")
            page = bare.new_page()
            for visit in range(4):
                page.goto(base + "bare/index.html")
                page.wait_for_selector("html[data-boot-ms]", timeout=60_000)
                data = page.evaluate("({...document.documentElement.dataset})")
                name = ["bare cold", "bare 2nd visit"][visit] if visit < 2 else "bare warm"
                results[name].append(float(data["bootMs"]))
                if visit >= 2:
                    results["bare warm, from navigation"].append(float(data["doneAt"]))
            bare.close()

            ours = context(f"ours-{i}")
            page = ours.new_page()
            first = engine_visit(page, base)
            results["ours cold"].append(float(first["ready"]))
            page.wait_for_function(
                "async () => (await (await caches.open('followthrough-snapshots')).keys()).length",
                timeout=30_000,
            )
            for n in range(3):
                visit = engine_visit(page, base)
                assert visit["boot"] == "snapshot", visit
                warm = n > 0
                results["ours warm (snapshot)" if warm else "ours 2nd visit (snapshot)"].append(
                    float(visit["ready"])
                )
                results["shell usable, warm" if warm else "shell usable, 2nd visit"].append(
                    float(visit["shell"])
                )
            ours.set_offline(True)
            for _ in range(2):
                visit = engine_visit(page, base)
                assert visit["boot"] == "snapshot", visit
                results["ours warm offline (snapshot)"].append(float(visit["ready"]))
                results["shell usable, warm"].append(float(visit["shell"]))
            visit = engine_visit(page, base + "?nosnapshot")
            assert visit["boot"] == "plain", visit
            results["ours warm plain (no snapshot)"].append(float(visit["ready"]))
            # The heavy user of bench/heavy.py, written straight into the stores.
            page.evaluate(PUT_RECORDS, heavy)
            engine_visit(page, base)
            for _ in range(2):
                visit = engine_visit(page, base)
                assert visit["boot"] == "snapshot", visit
                results["ours warm offline, heavy user"].append(float(visit["ready"]))
            ours.close()
    return results


def report(results: dict[str, list[float]]) -> None:
    """Ratios to the bare warm boot: to `loadPyodide()` alone (the strict one, since ours are
    timed from the navigation's start), and to the bare page timed from its navigation too."""
    bare = statistics.median(results["bare warm"])
    bare_nav = statistics.median(results["bare warm, from navigation"])
    print(f"{'measure':34} {'median ms':>10} {'ratio':>6} {'ratio nav':>9}  runs  all (ms)")
    for name, values in results.items():
        median = statistics.median(values)
        each = " ".join(f"{value:.0f}" for value in values)
        ratios = f"{median / bare:6.2f} {median / bare_nav:9.2f}"
        print(f"{name:34} {median:10.0f} {ratios}  {len(values):4}  {each}")


if __name__ == "__main__":
    main()
