"""Time the People list (op `people`) and the merge preview on the heavy user, through
`followup.api.call`: the first call after a change (rows built) and the calls after it.

    python bench/bench_people_cpython.py [--seed 1] [--runs 30]
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT / "web" / "py"), str(ROOT / "bench")]

from followup import api  # noqa: E402
from heavy import NOW, TODAY, make_heavy  # noqa: E402

CLOCK = {"now": NOW.isoformat(), "today": TODAY.isoformat()}
ASKS: dict[str, dict[str, Any]] = {
    "first page, needs you first": {"op": "people", "limit": 60},
    "search 'ann smith'": {"op": "people", "query": "ann smith", "limit": 60},
    "they owe me, recent first": {"op": "people", "owing": "owes-me", "sort": "recent"},
    "merging: with duplicates": {"op": "people", "limit": 60, "duplicates": True},
}


def _ms(request: dict[str, Any]) -> float:
    start = time.perf_counter()
    answer = json.loads(api.call(json.dumps({**request, **CLOCK})))
    if not answer["ok"]:
        raise SystemExit(f"engine error: {answer}")
    return (time.perf_counter() - start) * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--runs", type=int, default=30)
    args = parser.parse_args()
    data = make_heavy(args.seed)
    api.call(json.dumps({"op": "load", "data": data}))
    print(f"{len(data['people'])} people, {len(data['interactions'])} interactions")
    print(f"first call after load (rows built): {_ms(ASKS['first page, needs you first']):.1f} ms")
    for label, request in ASKS.items():
        times = [_ms(request) for _ in range(args.runs)]
        print(f"{label}: median {statistics.median(times):.1f} ms, best {min(times):.1f} ms")
    people = data["people"]
    preview = {"op": "merge_preview", "keep_id": people[0]["id"], "drop_id": people[1]["id"]}
    print(f"merge_preview: {statistics.median(_ms(preview) for _ in range(5)):.1f} ms")


if __name__ == "__main__":
    main()
