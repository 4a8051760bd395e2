"""The engine's `merge` op alone, in CPython: the first pull of N people (default 27,000) in pages
of 500 through `api.call`, as the worker sends them (no local state, one remote state each).
Prints CPU seconds (the machine is shared: CPU time, not wall time), in total and for the first,
middle and last page, so that a cost growing with the state shows.

    python bench/bench_merge.py [--records 27000] [--page 500]
"""

from __future__ import annotations

import argparse
import json
import sys
import time
import uuid
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "web" / "py"))

from followup import api

AT = "2026-12-05T14:00:00.000Z"


def state(i: int) -> dict[str, Any]:
    """One person's sync state as another device pushed it (bench_sync_client's people)."""
    stamp = f"{AT}-{i % 65536:04x}-0123456789abcdef"
    record = {
        "name": f"Person {i} Benchmark", "organisation": f"Company {i % 97}", "role": "Engineer",
        "emails": [f"p{i}@example.com"], "phones": [], "urls": [],
        "notes": "Met at the meetup; talk about the role and send the CV. " * 3, "how_met": "",
        "event_id": None, "created_at": AT, "updated_at": AT,
    }  # fmt: skip
    fields = {k: [v, stamp] for k, v in record.items()}
    if i % 3:
        fields["tags:mentor"] = [True, stamp]
    return {
        "t": "people",
        "i": str(uuid.UUID(int=i + 1)),
        "f": dict(sorted(fields.items())),
        "v": 1,
    }


def run(records: int, page: int) -> dict[str, float]:
    states = [state(i) for i in range(records)]
    clock, calls, pages = "", 0.0, []
    t0 = time.process_time()
    for start in range(0, records, page):
        request = json.dumps({
            "op": "merge", "now": "2026-12-05T15:00:00.000Z", "node": "00112233aabbccdd",
            "clock": clock,
            "records": [
                {"key": f"people/{s['i']}", "local": None, "pending": {}, "remote": [s]}
                for s in states[start : start + page]
            ],
        })  # fmt: skip
        a = time.process_time()
        answer = json.loads(api.call(request))
        pages.append(time.process_time() - a)
        assert answer["ok"], answer
        clock = answer["clock"]
    calls = sum(pages)
    return {
        "total_cpu_s": round(time.process_time() - t0, 2),
        "api_call_cpu_s": round(calls, 2),
        "first_page_ms": round(1000 * pages[0], 1),
        "middle_page_ms": round(1000 * pages[len(pages) // 2], 1),
        "last_page_ms": round(1000 * pages[-1], 1),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--records", type=int, default=27_000)
    parser.add_argument("--page", type=int, default=500)
    args = parser.parse_args()
    for key, value in run(args.records, args.page).items():
        print(f"{key}: {value}")


if __name__ == "__main__":
    main()
