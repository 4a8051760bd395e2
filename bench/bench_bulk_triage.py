"""Bulk triage benchmark in Chromium: the heavy user of bench/heavy.py (5,000 people, 20,000
interactions), 500 of them added by one import; on People, the time from a tap to the screen
answering:

- ticking one person (the count updates);
- "Choose all" for the 500 of the import, and for all 5,000 (the count updates);
- "Save tags" on the 500 and on the 5,000: until the button says it is working, and until the
  change is on disk and the toast says so;
- "Move to the trash" on the 500, when the engine has the trash's `delete` command.

    python bench/bench_bulk_triage.py [--runs 3]

Prints medians in milliseconds. Not a test: the machine is shared and noisy.
"""

from __future__ import annotations

import argparse
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

from bench_boot import PUT_RECORDS  # noqa: E402
from e2e.conftest import CHROMIUM, CHROMIUM_ARGS, PHONE  # noqa: E402
from heavy import make_heavy  # noqa: E402

from tests.support.serving import build_app, serving  # noqa: E402

IMPORTED = "2026-11-20T10:00:00+00:00"

# Click `selector` (optionally after filling an input), then wait until `done` is true; answers
# the milliseconds between, measured in the page.
TIMED = """async ({ click, done, early }) => {
    const check = new Function(`return (${done})`);
    const first = new Function(`return (${early || done})`);
    let earlyMs = null;
    const start = performance.now();
    document.querySelector(click).click();
    return await new Promise((resolve, reject) => {
        let timer = 0;
        const observer = new MutationObserver(() => poll());
        const finish = (fn) => { observer.disconnect(); clearTimeout(timer); fn(); };
        const poll = () => {
            if (earlyMs === null && first()) earlyMs = performance.now() - start;
            if (check()) finish(() => resolve([earlyMs, performance.now() - start]));
            else if (performance.now() - start > 60000) {
                finish(() => reject(new Error(`never: ${done}`)));
            }
            else { clearTimeout(timer); timer = setTimeout(poll, 20); }
        };
        const all = { subtree: true, childList: true, characterData: true, attributes: true };
        observer.observe(document.body, all);
        poll();
    });
}"""


def timed(page: Page, click: str, done: str, early: str = "") -> float:
    """Milliseconds from the click until `done`; with `early`, also until `early` (kept in
    EARLY)."""
    first, ms = page.evaluate(TIMED, {"click": click, "done": done, "early": early})
    EARLY.append(float(first))
    print(f"  {click} -> {done[:60]}: {ms:.0f} ms ({first:.0f})", file=sys.stderr, flush=True)
    return float(ms)


EARLY: list[float] = []


def count_is(text: str) -> str:
    return f"document.querySelector('#bulk-count')?.textContent === {text!r}"


def toast_has(text: str) -> str:
    return (
        "document.querySelector('#toast').classList.contains('show') && "
        f"document.querySelector('#toast').textContent.includes({text!r})"
    )


def open_people(page: Page, base: str) -> None:
    page.goto(base + "#people")
    page.reload()
    page.wait_for_selector("html[data-engine=ready]", timeout=120_000)
    page.wait_for_selector("#people-list li", timeout=60_000)


def choose(page: Page, added: bool) -> None:
    """Choosing mode on, with the import's filter (or none)."""
    if page.locator("#bulk-count").is_hidden():
        page.get_by_role("button", name="Choose many").click()
    page.locator(".people-filters").evaluate("(d) => { d.open = true; }")
    page.get_by_label("Added together (an import)").select_option(IMPORTED if added else "")
    expected = "500 of 5,000 match." if added else "5,000 people"
    page.locator(".people-status", has_text=expected).wait_for()


def tag(page: Page, n: str, name: str) -> float:
    """Tag the chosen people; the time until the change is on disk (the toast)."""
    page.get_by_role("button", name="Tag…").click()
    page.get_by_role("dialog").get_by_label("Tag", exact=True).fill(name)
    page.locator("dialog[open] button[type=submit]").wait_for()
    button = "document.querySelector('dialog[open] button[type=submit]')"
    progress = f"{button}?.textContent.startsWith('Tagging')"
    saved = timed(
        page, "dialog[open] button[type=submit]", toast_has(f"Tagged {n} people"), progress
    )
    page.locator(".people-chip", has_text=name).wait_for(timeout=60_000)
    return saved


def run(base: str, tmp: Path, runs: int) -> dict[str, list[float]]:
    results: dict[str, list[float]] = {
        "tick one person": [],
        "choose all 500 of the import": [],
        "choose all 5,000": [],
        "tag 500: progress shown": [],
        "tag 500 (on disk, toast)": [],
        "tag 5,000 (on disk, toast)": [],
        "move 500 to the trash": [],
    }
    heavy: dict[str, Any] = make_heavy()
    for p in heavy["people"][:500]:
        p["created_at"] = p["updated_at"] = IMPORTED
    with sync_playwright() as pw:
        for i in range(runs):
            context = pw.chromium.launch_persistent_context(
                str(tmp / f"profile-{i}"),
                executable_path=CHROMIUM,
                headless=True,
                args=CHROMIUM_ARGS,
                viewport=PHONE,
            )
            page = context.new_page()
            page.goto(base)
            page.wait_for_selector("html[data-engine=ready]", timeout=120_000)
            print(f"run {i}: writing the heavy user", file=sys.stderr, flush=True)
            page.evaluate(PUT_RECORDS, heavy)
            # The engine reads the database when the page opens.
            open_people(page, base)

            choose(page, added=True)
            results["tick one person"].append(
                timed(page, "#people-list input[type=checkbox]", count_is("1 person chosen."))
            )
            page.get_by_role("button", name="Clear choice").click()
            results["choose all 500 of the import"].append(
                timed(page, ".people-bulk-top button", count_is("500 people chosen."))
            )
            results["tag 500 (on disk, toast)"].append(tag(page, "500", f"run{i}a"))
            results["tag 500: progress shown"].append(EARLY[-1])
            page.get_by_role("button", name="Clear choice").click()
            choose(page, added=False)
            results["choose all 5,000"].append(
                timed(page, ".people-bulk-top button", count_is("5,000 people chosen."))
            )
            results["tag 5,000 (on disk, toast)"].append(tag(page, "5,000", f"run{i}b"))
            page.get_by_role("button", name="Clear choice").click()
            choose(page, added=True)
            page.get_by_role("button", name="Choose all 500").click()
            page.get_by_role("button", name="Move to trash…").click()
            page.locator("dialog[open] button[type=submit]").wait_for()
            ms = timed(
                page,
                "dialog[open] button[type=submit]",
                toast_has("Moved 500 people")
                + " || document.querySelector('dialog[open] .error:not([hidden])') !== null",
            )
            if page.locator("dialog[open] .error:not([hidden])").count() == 0:
                results["move 500 to the trash"].append(ms)
            context.close()
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        dist = Path(tmp) / "dist"
        build_app(dist)
        with serving(dist) as base:
            results = run(base, Path(tmp), args.runs)
    print(f"{'measure':34} {'median ms':>10}  runs  all (ms)")
    for name, values in results.items():
        if not values:
            print(f"{name:34} {'—':>10}     0  (not in this build)")
            continue
        each = " ".join(f"{v:.0f}" for v in values)
        print(f"{name:34} {statistics.median(values):10.0f}  {len(values):4}  {each}")


if __name__ == "__main__":
    main()
