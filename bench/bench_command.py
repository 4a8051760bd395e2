"""One command for the heavy user in Chromium, at 1x and at a phone-class CPU, in one run.

The heavy user of bench/heavy.py (5,000 people, 20,000 interactions; 500 of the people added by
one import). On Today, "More" then "Done another way" on the first card: the time from the tap
until the change is saved (the toast says "Marked done"), the card is gone from Today and the
next frame is drawn. Second row: on People, "Save tags" for the 500 of the import, until the
toast says they are tagged.

At `--cpu N` the page's main thread is slowed by CDP `Emulation.setCPUThrottlingRate` and the
engine worker (which CDP cannot slow) by a cgroup CPU quota (../shared/tools/cgthrottle.py,
needs root and cgroup v1; its cgroups are named for this benchmark so that another throttled
benchmark running beside it keeps its own).

    python bench/bench_command.py [--taps 7] [--tags 2] [--cpu 4]

Prints medians in milliseconds, at 1x and at N x, with the CPU time a tap cost the page's main
thread and the engine worker (from /proc: the CPU time stays the same under a throttle, and
shows what a quiet machine would wait when a loaded one stretches the wall time). Not a test:
the machine is shared and noisy.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
from pathlib import Path
from typing import Any

from playwright.sync_api import Page, sync_playwright

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))
sys.path.insert(0, str(ROOT / "bench"))
sys.path.insert(0, str(ROOT.parent / "shared" / "tools"))

from bench_boot import PUT_RECORDS  # noqa: E402
from bench_bulk_triage import IMPORTED, choose, open_people, tag  # noqa: E402
from e2e.conftest import CHROMIUM, CHROMIUM_ARGS, PHONE  # noqa: E402
from heavy import make_heavy  # noqa: E402

from tests.support.serving import build_app, serving  # noqa: E402

# Click "Done another way" in the open sheet, then wait until the card is gone from Today and
# the toast says so; then one more frame (the one that shows it). Milliseconds, in the page.
DONE_ANOTHER_WAY = """async (key) => {
    const button = [...document.querySelectorAll('dialog[open] button')]
        .find((b) => b.textContent === 'Done another way');
    const gone = () => !document.querySelector(`#view-today [data-key="${CSS.escape(key)}"]`);
    const saved = () => document.querySelector('#toast').textContent.includes('Marked done');
    // The last tap's toast is forgotten, so this one is seen afresh.
    document.querySelector('#toast').textContent = '';
    const start = performance.now();
    button.click();
    await new Promise((resolve, reject) => {
        const observer = new MutationObserver(() => check());
        const check = () => {
            if (gone() && saved()) { observer.disconnect(); resolve(null); }
            else if (performance.now() - start > 30000) {
                observer.disconnect();
                reject(new Error('never'));
            }
        };
        const all = { subtree: true, childList: true, characterData: true, attributes: true };
        observer.observe(document.body, all);
        check();
    });
    await new Promise((resolve) => requestAnimationFrame(() => setTimeout(resolve, 0)));
    return performance.now() - start;
}"""


class Threads:
    """CPU time spent by the browser's renderer main threads and its dedicated workers (the
    engine), read from /proc (schedstat: nanoseconds on a CPU). A loaded machine stretches
    wall time; the CPU time a tap costs is what a quiet one would wait, at 1x."""

    def __init__(self, profile: str) -> None:
        import cgthrottle

        self.profile = profile
        self.cg = cgthrottle

    def read(self) -> tuple[float, float]:
        main = worker = 0.0
        for pid in self.cg.browser_pids(self.profile):
            if self.cg.process_type(pid) != "renderer":
                continue
            try:
                tids = os.listdir(f"/proc/{pid}/task")
            except OSError:
                continue
            for tid in tids:
                try:
                    comm = Path(f"/proc/{pid}/task/{tid}/comm").read_text().strip()
                    ns = int(Path(f"/proc/{pid}/task/{tid}/schedstat").read_text().split()[0])
                except OSError:
                    continue
                if int(tid) == pid:
                    main += ns / 1e6
                elif comm == "DedicatedWorker":
                    worker += ns / 1e6
        return main, worker


def done_another_way(page: Page, threads: Threads) -> tuple[float, float, float]:
    """Milliseconds of wall time, and of CPU on the page's main thread and in the engine."""
    card = page.locator("#today-list > li[data-key]").first
    key = card.get_attribute("data-key")
    card.locator("[data-action=more]").click()
    page.locator("dialog[open] button", has_text="Done another way").wait_for()
    main, worker = threads.read()
    ms = float(page.evaluate(DONE_ANOTHER_WAY, key))
    main2, worker2 = threads.read()
    cpu = (main2 - main, worker2 - worker)
    print(
        f"  done another way: {ms:.0f} ms (CPU main {cpu[0]:.0f}, engine {cpu[1]:.0f})",
        file=sys.stderr,
        flush=True,
    )
    return ms, cpu[0], cpu[1]


def open_today(page: Page, base: str) -> None:
    page.goto(base + "#today")
    page.reload()
    page.wait_for_selector("html[data-engine=ready]", timeout=180_000)
    page.wait_for_selector("html[data-today=fresh]", timeout=180_000)
    page.wait_for_selector("#today-list > li[data-key]", timeout=60_000)


class Rate:
    """The page and the engine worker slowed together (or not, at 1x)."""

    def __init__(self, page: Page, profile: str) -> None:
        self.cdp = page.context.new_cdp_session(page)
        self.profile = profile
        self.throttler: Any = None

    def set(self, rate: float) -> None:
        if rate > 1 and self.throttler is None:
            import cgthrottle

            cgthrottle.BASE = cgthrottle.CPU_ROOT / "ftperf-command"
            self.throttler = cgthrottle.Throttler(self.profile, 1.0, period_us=10_000)
            self.throttler.start()
        if self.throttler is not None:
            self.throttler.set_rate(rate)
        self.cdp.send("Emulation.setCPUThrottlingRate", {"rate": rate})

    def close(self) -> None:
        if self.throttler is not None:
            import cgthrottle

            self.throttler.stop()
            cgthrottle.Throttler.cleanup()


def run(base: str, tmp: Path, rates: list[float], taps: int, tags: int) -> dict[str, list[float]]:
    results: dict[str, list[float]] = {}
    heavy: dict[str, Any] = make_heavy()
    for p in heavy["people"][:500]:
        p["created_at"] = p["updated_at"] = IMPORTED
    profile = str(tmp / "profile")
    with sync_playwright() as pw:
        context = pw.chromium.launch_persistent_context(
            profile, executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS, viewport=PHONE
        )
        page = context.new_page()
        page.goto(base)
        page.wait_for_selector("html[data-engine=ready]", timeout=120_000)
        print("writing the heavy user", file=sys.stderr, flush=True)
        page.evaluate(PUT_RECORDS, heavy)
        open_today(page, base)
        nodes = page.evaluate("() => document.querySelectorAll('#view-today *').length")
        print(f"Today: {nodes} nodes", file=sys.stderr, flush=True)
        rate = Rate(page, profile)
        threads = Threads(profile)
        # The worker's thread is moved into the cgroup as it starts: start it under the poller.
        rate.set(max(rates))
        rate.set(1)
        open_today(page, base)
        try:
            for r in rates:
                rate.set(r)
                label = f"{r:g}x"
                row = results.setdefault(f"done another way, {label}", [])
                main = results.setdefault(f"  CPU: page main thread, {label}", [])
                engine = results.setdefault(f"  CPU: engine worker, {label}", [])
                for _ in range(taps):
                    ms, on_main, in_engine = done_another_way(page, threads)
                    row.append(ms)
                    main.append(on_main)
                    engine.append(in_engine)
                tag_row = results.setdefault(f"tag 500 (on disk, toast), {label}", [])
                tag_main = results.setdefault(f"  CPU: page main thread, {label} ", [])
                tag_engine = results.setdefault(f"  CPU: engine worker, {label} ", [])
                for i in range(tags):
                    open_people(page, base)
                    choose(page, added=True)
                    page.get_by_role("button", name="Choose all 500").click()
                    main_before, engine_before = threads.read()
                    tag_row.append(tag(page, "500", f"bench{label}{i}"))
                    main_after, engine_after = threads.read()
                    tag_main.append(main_after - main_before)
                    tag_engine.append(engine_after - engine_before)
                rate.set(1)
                open_today(page, base)
        finally:
            rate.close()
        context.close()
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--taps", type=int, default=7, help="commands timed at each rate")
    parser.add_argument("--tags", type=int, default=2, help="bulk tags of 500 timed at each rate")
    parser.add_argument("--cpu", type=float, default=4.0, help="the slower rate (1 = only 1x)")
    args = parser.parse_args()
    rates = [1.0] if args.cpu <= 1 else [1.0, args.cpu]
    with tempfile.TemporaryDirectory() as tmp:
        dist = Path(tmp) / "dist"
        build_app(dist)
        with serving(dist) as base:
            results = run(base, Path(tmp), rates, args.taps, args.tags)
    print(f"{'measure':36} {'median ms':>10}  runs  all (ms)")
    for name, values in results.items():
        each = " ".join(f"{v:.0f}" for v in values)
        print(f"{name:36} {statistics.median(values):10.0f}  {len(values):4}  {each}")


if __name__ == "__main__":
    main()
