"""A generated user's Today before and after importing their LinkedIn archive (issue #18), for
the release note. "Before": the user imported only Connections.csv, as the app allowed until
now. "After": the whole archive (messages, invitations, job applications) on top of it.

    python bench/linkedin_today.py [--connections 200] [--messages 1000]

Prints both Todays (who, why), then what changed. The engine alone, on CPython.
"""

from __future__ import annotations

import argparse
import base64
import json
import sys
from datetime import timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT / "web" / "py"), str(ROOT)]

from followup import api  # noqa: E402

from tests.support.linkedin_archive import Spec, archive_files, archive_zip  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--connections", type=int, default=200)
    parser.add_argument("--messages", type=int, default=1000)
    args = parser.parse_args()
    spec = Spec(connections=args.connections, messages=args.messages, recent_questions=4)
    clock = {"now": spec.now.isoformat(), "today": spec.now.date().isoformat()}

    def call(op: str, **fields: Any) -> dict[str, Any]:
        answer: dict[str, Any] = json.loads(api.call(json.dumps({"op": op, **clock, **fields})))
        assert answer["ok"], answer
        return answer

    def commit(**fields: Any) -> dict[str, Any]:
        preview = call("import_preview", **fields)
        ids = [f"{fields['file'][:4]}{i}" for i in range(preview["ids_needed"])]
        return call("import_commit", ids=ids, **fields)

    def show(title: str) -> list[str]:
        today = call("today")
        lines = [f"{f['who']}: {f['why']}" for f in today["followups"]]
        print(f"\n## {title} ({len(lines)} items; counts {today.get('counts')})")
        for line in lines[:25]:
            print("-", line)
        if len(lines) > 25:
            print(f"- … and {len(lines) - 25} more")
        data = call("export")["data"]
        last: dict[str, str] = {}
        for i in data["interactions"]:
            for pid in i["person_ids"]:
                last[pid] = max(last.get(pid, ""), i["at"])
        names = {p["id"]: p["name"] for p in data["people"]}
        recent = sorted(last.items(), key=lambda kv: kv[1], reverse=True)[:5]
        print(f"Last in touch known for {len(last)} of {len(names)} people; most recent:")
        for pid, at in recent:
            print(f"  {names[pid]}: {at[:10]}")
        waiting = call("people", owing="owes-me", limit=5)
        print(f"Waiting for their answer (you wrote last): {waiting['matched']}")
        return lines

    call("load", data={})
    commit(text=archive_files(spec)["Connections.csv"], file="Connections.csv")
    # What the user typed in by hand: who introduced them to whom, months ago.
    ids = {p["name"]: p["id"] for p in call("export")["data"]["people"]}
    for n, (introducer, introduced) in enumerate(
        (("Ben Ruiz", "Eli Ruiz"), ("Ivo Ruiz", "Ana Ruiz"))
    ):
        at = (spec.now - timedelta(days=120)).isoformat()
        payload = {
            "id": f"intro{n}",
            "introducer_id": ids[introducer],
            "introduced_id": ids[introduced],
            "at": at,
        }
        call("command", name="record_introduction", payload=payload)
    print(f"# A generated user on {clock['today']}: {spec.connections} connections, "
          f"{spec.messages} messages")  # fmt: skip
    before = show("Today before: Connections.csv only")
    done = commit(zip=base64.b64encode(archive_zip(spec)).decode(), file="Archive.zip")
    print("\nImported:", {k: v for k, v in done["counts"].items() if v})
    after = show("Today after the whole archive")
    gone, new = set(before) - set(after), set(after) - set(before)
    print(f"\n{len(new)} items new, {len(gone)} gone.")


if __name__ == "__main__":
    main()
