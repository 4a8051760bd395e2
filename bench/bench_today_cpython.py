"""Time the heavy user's `load` (decode and index) and `today` through `followup.api.call`.

    python bench/bench_today_cpython.py [--seed 1] [--runs 30] [--diligence 0.85] [--landed]

Prints milliseconds; `today` is the median (and best) of `--runs` calls.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT / "web" / "py"), str(ROOT / "bench")]

from followup import api  # noqa: E402

HOUR = timedelta(hours=1)
from heavy import NOW, TODAY, make_heavy  # noqa: E402


def _timed(request: str) -> tuple[float, float, dict[str, object]]:
    """Wall-clock and CPU milliseconds of one call (CPU time shows less of a busy machine)."""
    start, cpu = time.perf_counter(), time.process_time()
    answer = api.call(request)
    wall_ms = (time.perf_counter() - start) * 1000
    cpu_ms = (time.process_time() - cpu) * 1000
    parsed = json.loads(answer)
    if not parsed["ok"]:
        raise SystemExit(f"engine error: {answer}")
    return wall_ms, cpu_ms, parsed


def _summary(label: str, walls: list[float], cpus: list[float]) -> str:
    return (
        f"{label}: median {statistics.median(walls):.1f} ms, best {min(walls):.1f} ms "
        f"(CPU median {statistics.median(cpus):.1f} ms) over {len(walls)} runs"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument(
        "--diligence", type=float, default=0.85, help="0: the worst case, nothing followed up"
    )
    parser.add_argument(
        "--landed", action="store_true", help="the user accepted a job this morning"
    )
    args = parser.parse_args()

    data = make_heavy(args.seed, diligence=args.diligence)
    if args.landed:
        # The gratitude round for a heavy user: thousands of people to thank.
        data["opportunities"][0].update(stage="accepted", stage_at=(NOW - 9 * HOUR).isoformat())
    load = json.dumps({"op": "load", "data": data})
    today = json.dumps({"op": "today", "now": NOW.isoformat(), "today": TODAY.isoformat()})

    loads = [_timed(load) for _ in range(3)]
    todays = [_timed(today) for _ in range(args.runs)]
    answer = todays[-1][2]
    followups = answer["followups"]
    assert isinstance(followups, list)

    landed = ", landed this morning" if args.landed else ""
    print(f"python {sys.version.split()[0]}, seed {args.seed}, diligence {args.diligence}{landed}")
    print(
        "data: "
        + ", ".join(f"{len(data[s])} {s}" for s in ("people", "introductions", "interactions"))
        + f", {len(data['opportunities'])} opportunities ({len(load) / 1e6:.1f} MB JSON)"
    )
    print(_summary("load  (json + decode + index)", [x[0] for x in loads], [x[1] for x in loads]))
    print(_summary("today (plan + json)", [x[0] for x in todays], [x[1] for x in todays]))
    print(f"today shows {len(followups)} follow-ups; counts {answer['counts']}")


if __name__ == "__main__":
    main()
