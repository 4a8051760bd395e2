"""The phone-class part of bench/bench_boot.py (`--cpu RATE`): the warm offline boots measured at
1x and at RATEx in one run, with every thread slowed, and the renderer's memory at rest.

The page's main thread is slowed by CDP `Emulation.setCPUThrottlingRate`; that throttle does not
reach dedicated or service workers, so their threads are slowed by a cgroup CPU quota
(`../shared/tools/cgthrottle.py`, which needs root and cgroup v1). Each browser gets its own
cgroups, named by this process's id, so two benchmarks at once do not share a quota.
"""

from __future__ import annotations

import importlib.util
import os
import time
from pathlib import Path
from typing import Any

from playwright.sync_api import BrowserContext, CDPSession, Page

ROOT = Path(__file__).resolve().parents[1]
CGTHROTTLE = ROOT.parent / "shared" / "tools" / "cgthrottle.py"

# "Today right on screen": the frame after Today's list from the engine (not the cached one)
# is rendered (app.js marks it `data-today=fresh`).
TODAY_FRESH = """(() => {
  new MutationObserver(() => {
    if (document.documentElement.dataset.today !== "fresh" || window.__todayAt) return;
    window.__todayAt = -1;
    requestAnimationFrame(() => { window.__todayAt = performance.now(); });
  }).observe(document, { attributes: true, subtree: true, attributeFilter: ["data-today"] });
})();"""


def load_cgthrottle() -> Any:
    spec = importlib.util.spec_from_file_location("cgthrottle", CGTHROTTLE)
    if spec is None or spec.loader is None:
        raise SystemExit(f"--cpu needs {CGTHROTTLE}")
    module: Any = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    module.BASE = module.CPU_ROOT / f"ftperf-boot-{os.getpid()}"
    return module


class Slowed:
    """One browser (its profile directory) with every JS thread slowed to `rate`."""

    def __init__(self, cg: Any, context: BrowserContext, profile: Path, page: Page) -> None:
        self.cg = cg
        self.context = context
        self.cdp: CDPSession = context.new_cdp_session(page)
        self.throttler = cg.Throttler(str(profile), 1.0, period_us=10_000)
        self.throttler.start()

    def attach(self, page: Page) -> None:
        """Slow this page (a new tab) instead."""
        self.cdp = self.context.new_cdp_session(page)

    def set_rate(self, rate: float) -> None:
        self.throttler.set_rate(rate)
        self.cdp.send("Emulation.setCPUThrottlingRate", {"rate": rate})

    def close(self) -> None:
        self.throttler.stop()


def renderer_pss_mib(cg: Any, profile: Path) -> float:
    """The largest renderer's proportional set size (the page, its engine worker and its
    service worker share it)."""
    sizes = []
    for pid in cg.browser_pids(str(profile)):
        if cg.process_type(pid) != "renderer":
            continue
        try:
            rollup = Path(f"/proc/{pid}/smaps_rollup").read_text()
        except OSError:
            continue
        for line in rollup.splitlines():
            if line.startswith("Pss:"):
                sizes.append(int(line.split()[1]) / 1024)
    return max(sizes, default=0.0)


def at_rest(
    context: BrowserContext,
    page: Page,
    base: str,
    engine_visit: Any,
    cg: Any,
    profile: Path,
    add: Any,
    who: str,
) -> Page:
    """Memory at rest: a new tab (the old one closed, so neither it nor its back-forward cache
    is counted) booted at 1x with Today on screen, then left alone for 5 s."""
    page.close()
    page = context.new_page()
    engine_visit(page, base)
    page.wait_for_function("() => window.__todayAt > 0", timeout=120_000)
    time.sleep(5)
    add(f"renderer PSS MiB at rest, {who}", renderer_pss_mib(cg, profile))
    marks = page.evaluate("JSON.parse(document.documentElement.dataset.bootMarks)")
    if "heap_mib" in marks:
        add(f"  engine WebAssembly memory MiB, {who}", float(marks["heap_mib"]))
    return page


def calibrate(page: Page) -> float:
    """Milliseconds of a fixed loop on the page's thread."""
    return float(
        page.evaluate("""() => { const t = performance.now(); let x = 0;
            for (let i = 0; i < 3e7; i++) x = (x + i * 7) % 1000003;
            return performance.now() - t + (x < 0 ? 1 : 0); }""")
    )


def run_cpu(
    launch: Any,
    base: str,
    tmp: Path,
    runs: int,
    rate: float,
    heavy: dict[str, Any],
    put_records: str,
    engine_visit: Any,
) -> dict[str, list[float]]:
    """Per run: the bare warm boot, ours warm offline (empty user, then the heavy user: engine
    ready and Today fresh on screen), each at 1x and at `rate`, then the renderer's memory
    at rest after the heavy user's boot."""
    cg = load_cgthrottle()
    rates = [1.0, rate]
    results: dict[str, list[float]] = {}

    def add(name: str, value: float) -> None:
        results.setdefault(name, []).append(value)

    try:
        for i in range(runs):
            profile = tmp / f"cpu-bare-{i}"
            bare = launch(str(profile))
            page = bare.new_page()
            for _ in range(2):  # cold, then the visit that keeps the code cache
                page.goto(base + "bare/index.html")
                page.wait_for_selector("html[data-boot-ms]", timeout=120_000)
            slowed = Slowed(cg, bare, profile, page)
            for r in rates:
                slowed.set_rate(r)
                add(f"page loop @{r:g}x", calibrate(page))
                for _ in range(2):
                    page.goto(base + "bare/index.html")
                    page.wait_for_selector("html[data-boot-ms]", timeout=120_000)
                    add(
                        f"bare warm @{r:g}x",
                        float(page.evaluate("document.documentElement.dataset.bootMs")),
                    )
            slowed.set_rate(1)
            slowed.close()
            bare.close()

            profile = tmp / f"cpu-ours-{i}"
            ours = launch(str(profile))
            ours.add_init_script(TODAY_FRESH)
            page = ours.new_page()
            engine_visit(page, base)
            page.wait_for_function(
                "async () => (await (await caches.open('followthrough-snapshots')).keys()).length",
                timeout=60_000,
            )
            for _ in range(2):
                engine_visit(page, base)
            ours.set_offline(True)
            slowed = Slowed(cg, ours, profile, page)
            for r in rates:
                slowed.set_rate(r)
                for _ in range(2):
                    visit = engine_visit(page, base)
                    add(f"ours warm offline, empty @{r:g}x", float(visit["ready"]))
            slowed.set_rate(1)
            page = at_rest(ours, page, base, engine_visit, cg, profile, add, "empty")
            slowed.attach(page)
            page.evaluate(put_records, heavy)
            engine_visit(page, base)
            for r in rates:
                slowed.set_rate(r)
                for _ in range(2):
                    visit = engine_visit(page, base)
                    page.wait_for_function("() => window.__todayAt > 0", timeout=120_000)
                    add(f"heavy: engine ready @{r:g}x", float(visit["ready"]))
                    add(
                        f"heavy: Today fresh on screen @{r:g}x",
                        float(page.evaluate("window.__todayAt")),
                    )
                    marks = page.evaluate("JSON.parse(document.documentElement.dataset.bootMarks)")
                    started = float(
                        page.evaluate("document.documentElement.dataset.workerStartedAt")
                    )
                    for mark in ("snapshot_read", "data_read", "runtime", "engine", "ready"):
                        if mark in marks:
                            add(f"  heavy worker mark {mark} @{r:g}x", started + float(marks[mark]))
            slowed.set_rate(1)
            slowed.close()
            at_rest(ours, page, base, engine_visit, cg, profile, add, "heavy")
            ours.close()
    finally:
        cg.Throttler.cleanup()
    return results
