"""Sync client benchmark in Chromium against a real server on loopback (`build.py serve`):

1. first pull of N records (default 5,000) on a newly paired device, including decryption,
   the engine's merge and the IndexedDB writes (target <= 5 s);
2. an incremental sync of one edit: the editing device's push and the other device's pull
   (target <= 300 ms each).

    python bench/bench_sync_client.py [--records 5000] [--runs 3]

Prints milliseconds. Not a test: the machine is shared, so figures vary from run to run.
"""

from __future__ import annotations

import argparse
import os
import secrets
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from playwright.sync_api import BrowserContext, Page, sync_playwright

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.e2e.conftest import CHROMIUM, CHROMIUM_ARGS, PHONE, put_records  # noqa: E402
from tests.support.serving import build_app, serving  # noqa: E402

PASSPHRASE = "bench horse battery staple 5000"
SEED_PEOPLE = """async (n) => {
    const at = new Date().toISOString();
    const people = [];
    for (let i = 0; i < n; i++) {
        people.push({
            id: crypto.randomUUID(), name: `Person ${i} Benchmark`,
            organisation: `Company ${i % 97}`, role: 'Engineer', emails: [`p${i}@example.com`],
            phones: [], urls: [], tags: i % 3 ? ['mentor'] : [],
            notes: 'Met at the meetup; talk about the role and send the CV. '.repeat(3),
            how_met: '', event_id: null, created_at: at, updated_at: at,
        });
    }
    return people;
}"""
STORE = "(await import('./static/js/store.js'))"
SYNC = """async () => {
    const { startSync } = await import('./static/js/sync/index.js');
    const t0 = performance.now();
    const result = await startSync(null).syncNow({ reason: 'bench' });
    return { ...result, total_ms: performance.now() - t0 };
}"""


def open_sync_screen(context: BrowserContext, url: str) -> Page:
    page = context.new_page()
    page.goto(url + "#sync")
    page.wait_for_selector("html[data-engine=ready]", timeout=120_000)
    page.wait_for_selector("[data-testid=sync-status]")
    return page


def run(records: int, runs: int) -> dict[str, Any]:
    work = Path(tempfile.mkdtemp(prefix="bench-sync-"))
    dist = work / "dist"
    build_app(dist)
    env = {
        **os.environ,
        "FOLLOWTHROUGH_DATABASE_URL": f"sqlite:///{work / 'sync.sqlite3'}",
        "FOLLOWTHROUGH_PEPPER": secrets.token_hex(32),
        "FOLLOWTHROUGH_LOG_LEVEL": "warning",
    }
    out: dict[str, Any] = {"records": records}
    with serving(dist, env=env, quiet=True) as url, sync_playwright() as pw:

        def launch(name: str) -> BrowserContext:
            return pw.chromium.launch_persistent_context(
                str(work / name),
                executable_path=CHROMIUM,
                headless=True,
                args=CHROMIUM_ARGS,
                viewport={"width": PHONE["width"], "height": PHONE["height"]},
            )

        seeder_context = launch("seeder")
        seeder = open_sync_screen(seeder_context, url)
        put_records(seeder, {"people": seeder.evaluate(SEED_PEOPLE, records)})
        t0 = time.perf_counter()
        seeder.fill("#setup-passphrase", PASSPHRASE)
        seeder.fill("#setup-passphrase-again", PASSPHRASE)
        seeder.click("form[data-form=setup] button[type=submit]")
        seeder.get_by_test_id("kit-saved").click(timeout=120_000)
        seeder.wait_for_function(
            """() => document.querySelector('[data-testid=sync-status]').textContent
                    === 'Synced just now.'""",
            timeout=300_000,
        )
        out["first_push_s"] = round(time.perf_counter() - t0, 2)
        seeder.locator("summary", has_text="Pair another device").click()
        code = seeder.get_by_test_id("pairing-code").inner_text()

        first_pulls = []
        reader: Page | None = None
        for i in range(runs):
            context = launch(f"reader-{i}")
            reader = open_sync_screen(context, url)
            result = reader.evaluate(
                """async ({code, passphrase}) => {
                        const { startSync } = await import('./static/js/sync/index.js');
                        return startSync(null).pair({ code, passphrase });
                    }""",
                {"code": code, "passphrase": PASSPHRASE},
            )
            count = reader.evaluate(f"async () => (await {STORE}.getAll('people')).length")
            assert count == records, f"the reader has {count} people, not {records}"
            first_pulls.append(result["ms"])
            out[f"first_pull_stages_ms_{i}"] = result.get("timings")
            if i < runs - 1:
                context.close()
        out["first_pull_ms"] = [round(x) for x in first_pulls]
        out["first_pull_median_ms"] = round(statistics.median(first_pulls))

        assert reader is not None
        push_ms, pull_ms = [], []
        person = seeder.evaluate(f"async () => (await {STORE}.getAll('people'))[0].id")
        for i in range(max(runs, 5)):
            p = seeder.evaluate(f"async (id) => (await {STORE}.get('people', id))", person)
            put_records(seeder, {"people": [{**p, "role": f"Role {i}"}]})
            pushed = seeder.evaluate(SYNC)
            pulled = reader.evaluate(SYNC)
            assert pushed["pushed"] == 1, pushed
            assert pulled["pulled"] == 1, pulled
            push_ms.append(pushed["total_ms"])
            pull_ms.append(pulled["total_ms"])
        role = reader.evaluate(
            f"async (id) => (await {STORE}.get('people', id)).role",
            person,
        )
        assert role == f"Role {max(runs, 5) - 1}"
        out["incremental_push_ms"] = [round(x) for x in push_ms]
        out["incremental_pull_ms"] = [round(x) for x in pull_ms]
        out["incremental_push_median_ms"] = round(statistics.median(push_ms))
        out["incremental_pull_median_ms"] = round(statistics.median(pull_ms))
        out["incremental_stages_ms"] = {
            "push": pushed.get("timings"),
            "pull": pulled.get("timings"),
        }
        out["database_bytes"] = sum(
            p.stat().st_size for p in work.iterdir() if p.name.startswith("sync.sqlite3")
        )
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--records", type=int, default=5000)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    result = run(args.records, args.runs)
    for key, value in result.items():
        print(f"{key}: {value}")
    print(
        f"first pull of {args.records}: {result['first_pull_median_ms']} ms (target <= 5000); "
        f"one edit: push {result['incremental_push_median_ms']} ms, "
        f"pull {result['incremental_pull_median_ms']} ms (target <= 300 each)"
    )


if __name__ == "__main__":
    main()
