"""Lighthouse on the app: the npm package `lighthouse` 13 (mobile, its default preset) against a
fresh build served by `python build.py serve`, in Debian's Chromium.

    python bench/lighthouse.py [--runs 3] [--url URL] [--report out.json]

Installs lighthouse into the build cache (.cache/lighthouse) with npm on first use. Prints each
run's scores and metrics with the machine's load average (Lighthouse simulates a slow phone by
multiplying the main thread's observed task times by 4, so a loaded machine reads as a slow
page: compare builds in one session, alternating), then the accessibility, best-practices and
performance scores (the median of --runs for performance, which is the noisy one) and every
audit that cost points, and exits 1 if a goal of issue #21 is missed: accessibility 100, best
practices 100, performance >= 98.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

from e2e.conftest import CHROMIUM, CHROMIUM_ARGS  # noqa: E402

from tests.support.serving import build_app, serving  # noqa: E402

LIGHTHOUSE_VERSION = "13"
CATEGORIES = ("accessibility", "best-practices", "performance")
GOALS = {"accessibility": 100, "best-practices": 100, "performance": 98}
METRICS = (
    "first-contentful-paint",
    "largest-contentful-paint",
    "total-blocking-time",
    "cumulative-layout-shift",
    "speed-index",
)
SHORT = dict(zip(METRICS, ("FCP", "LCP", "TBT", "CLS", "SI"), strict=True))


def cache_dir() -> Path:
    return Path(os.environ.get("FOLLOWTHROUGH_CACHE", ROOT / ".cache"))


def lighthouse_cli() -> Path:
    """The lighthouse CLI, installed with npm into the build cache if it is not there yet."""
    prefix = cache_dir() / "lighthouse"
    cli = prefix / "node_modules" / "lighthouse" / "cli" / "index.js"
    if not cli.is_file():
        prefix.mkdir(parents=True, exist_ok=True)
        subprocess.run(
            ["npm", "install", "--prefix", str(prefix), "--no-audit", "--no-fund",
             f"lighthouse@{LIGHTHOUSE_VERSION}"],
            check=True,
        )  # fmt: skip
    return cli


def run_lighthouse(cli: Path, url: str, out: Path) -> dict[str, Any]:
    """One Lighthouse run; returns the JSON report (lhr)."""
    flags = " ".join([*CHROMIUM_ARGS, "--headless=new"])
    subprocess.run(
        [
            "node",
            str(cli),
            url,
            "--quiet",
            "--output=json",
            f"--output-path={out}",
            f"--only-categories={','.join(CATEGORIES)}",
            f"--chrome-flags={flags}",
        ],
        check=True,
        env={**os.environ, "CHROME_PATH": CHROMIUM},
    )
    report: dict[str, Any] = json.loads(out.read_text())
    return report


def scores(report: dict[str, Any]) -> dict[str, int]:
    return {c: round(report["categories"][c]["score"] * 100) for c in CATEGORIES}


def metrics(report: dict[str, Any]) -> str:
    """One run's metrics, in short: FCP 1.1 s, LCP …, TBT …"""
    audits = report["audits"]
    return ", ".join(f"{SHORT[m]} {audits[m].get('displayValue', '-')}" for m in METRICS)


def lost_points(report: dict[str, Any]) -> list[str]:
    """Each audit that counts in a category and did not pass, with what Lighthouse measured."""
    lines = []
    for category in CATEGORIES:
        for ref in report["categories"][category]["auditRefs"]:
            audit = report["audits"][ref["id"]]
            score = audit.get("score")
            if ref.get("weight", 0) <= 0 or score is None or score >= 1:
                continue
            shown = f" ({audit['displayValue']})" if audit.get("displayValue") else ""
            lines.append(f"  {category}: {ref['id']} {score:.2f}{shown} — {audit['title']}")
    return lines


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=1, help="runs (median performance)")
    parser.add_argument("--url", help="audit a running server instead of a fresh build")
    parser.add_argument("--report", type=Path, help="keep the last JSON report here")
    args = parser.parse_args(argv)
    cli = lighthouse_cli()

    with tempfile.TemporaryDirectory(prefix="lighthouse-") as tmp:
        work = Path(tmp)
        url = args.url
        with contextlib.ExitStack() as stack:
            if not url:
                url = stack.enter_context(serving(build_app(work / "dist"), timeout=60, quiet=True))
            runs = []
            for i in range(args.runs):
                load = os.getloadavg()[0]
                report = run_lighthouse(cli, url, work / f"run-{i}.json")
                runs.append((scores(report), report))
                print(f"run {i + 1} (load {load:.1f}): {runs[-1][0]} {metrics(report)}", flush=True)
        final = {
            c: int(statistics.median(r[0][c] for r in runs))
            if c == "performance"
            else runs[-1][0][c]
            for c in CATEGORIES
        }
        report = runs[-1][1]
        if args.report:
            args.report.write_text(json.dumps(report))

    print(f"lighthouse {report['lighthouseVersion']} ({report['configSettings']['formFactor']})")
    for category in CATEGORIES:
        mark = "ok" if final[category] >= GOALS[category] else f"below {GOALS[category]}"
        print(f"{category:>15}: {final[category]:3d}  {mark}")
    for metric in METRICS:
        print(f"{metric:>25}: {report['audits'][metric].get('displayValue', '-')}")
    lost = lost_points(report)
    if lost:
        print("audits that cost points (last run):")
        print("\n".join(lost))
    return 0 if all(final[c] >= GOALS[c] for c in CATEGORIES) else 1


if __name__ == "__main__":
    sys.exit(main())
