"""A heavy user's data, made deterministically from a seed, as the `load` payload's `data`.

5,000 people, 2,000 introductions, 20,000 interactions and 300 opportunities spread over two
years before NOW, with the shapes JavaScript writes (docs/engine-api.md).

    python bench/heavy.py --seed 1 [--diligence 0.85] > heavy.json
"""

from __future__ import annotations

import argparse
import bisect
import json
import random
from datetime import UTC, datetime, timedelta
from typing import Any

NOW = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)
TODAY = NOW.date()
SPAN = timedelta(days=730)

FIRST = ["Ann", "Bea", "Carl", "Dora", "Eli", "Fay", "Gus", "Hana", "Ivo", "Jun", "Kai", "Lena"]
LAST = ["Smith", "Chen", "Diaz", "Okafor", "Novak", "Berg", "Ito", "Rossi", "Haddad", "Kim"]
ORGS = ["Acme", "Globex", "Initech", "Umbrella", "Hooli", "Yahoo", "Vandelay", "Wonka", "Stark"]
ROLES = ["Head of Sales", "Account Executive", "Media Planner", "Analyst", "Sales Manager"]
MEETING = ["meeting", "call", "coffee", "interview", "informational_interview"]
OTHER = ["message_sent", "message_received", "introducer_update", "note"]
THANKS = ["thank_you_email", "thank_you_card", "thank_you_call"]
STAGES = ["lead", "applied", "interviewing", "offer", "declined", "rejected", "withdrawn"]
TOPICS = ["media sales", "the ad market", "a move to Berlin", "pricing", "her team's growth"]


def iso(at: datetime) -> str:
    return at.isoformat()


def make_heavy(
    seed: int = 1,
    people: int = 5000,
    introductions: int = 2000,
    interactions: int = 20000,
    opportunities: int = 300,
    diligence: float = 0.85,
) -> dict[str, Any]:
    """The heavy user's stores, ready for `{"op": "load", "data": ...}`.

    Activity is spread evenly over two years. `diligence` is how often the user follows through
    (thanks a meeting, contacts a referral, updates the introducer, acts on advice, keeps a
    promise); 0 makes the worst case, where every follow-up is still owed."""
    rng = random.Random(seed)
    start = NOW - SPAN

    def when(after: datetime = start, within: timedelta = SPAN) -> datetime:
        seconds = int(min(within, NOW - after).total_seconds())
        return after + timedelta(seconds=rng.randrange(max(seconds, 1)))

    def later(at: datetime, low_hours: float, high_hours: float) -> datetime:
        return at + timedelta(hours=rng.uniform(low_hours, high_hours))

    events = [
        {
            "id": f"ev{i}",
            "name": f"{rng.choice(ORGS)} mixer #{i}",
            "date": (start + timedelta(days=7 * i)).date().isoformat(),
            "place": "Downtown",
            "created_at": iso(start + timedelta(days=7 * i)),
        }
        for i in range(100)
    ]
    created = sorted(when() for _ in range(people))
    person_records = []
    for i, at in enumerate(created):
        name = f"{rng.choice(FIRST)} {rng.choice(LAST)}"
        event = rng.choice(events) if rng.random() < 0.3 else None
        person_records.append(
            {
                "id": f"p{i}",
                "name": name,
                "organisation": rng.choice(ORGS),
                "role": rng.choice(ROLES),
                "emails": [f"{name.lower().replace(' ', '.')}{i}@example.com"]
                if rng.random() < 0.7
                else [],
                "phones": [f"+1555{i:07d}"] if rng.random() < 0.4 else [],
                "urls": [],
                "tags": ["network"] if rng.random() < 0.2 else [],
                "notes": "",
                "how_met": "",
                "event_id": event["id"] if event else None,
                "created_at": iso(at),
                "updated_at": iso(at),
            }
        )

    def known_by(at: datetime, count: int) -> list[int]:
        """`count` people who already existed at `at`."""
        pool = max(bisect.bisect_right(created, at), count + 1)
        return rng.sample(range(pool), count)

    interaction_records: list[dict[str, Any]] = []

    def log(who: list[int], kind: str, at: datetime, **extra: Any) -> None:
        if at > NOW or len(interaction_records) >= interactions:
            return
        record = {
            "id": f"it{len(interaction_records)}",
            "person_ids": [f"p{p}" for p in who],
            "kind": kind,
            "at": iso(at),
            "notes": f"Talked about {rng.choice(TOPICS)}." if kind in MEETING else "",
            "advice": [],
            "promises": [],
            "opportunity_id": None,
            "followup_key": None,
            "created_at": iso(at),
        }
        record.update(extra)
        interaction_records.append(record)

    intro_records = []
    for i in range(introductions):
        at = when()
        introducer, introduced = known_by(at, 2)
        status, status_at = "offered", None
        if rng.random() < diligence:
            contact = later(at, 1, 72)
            kind = rng.choice(["message_sent", "call", "coffee"])
            log([introduced], kind, contact)
            status, status_at = ("met" if kind == "coffee" else "contacted"), iso(contact)
            if rng.random() < diligence:
                log([introducer], "introducer_update", later(contact, 4, 96))
        intro_records.append(
            {
                "id": f"in{i}",
                "introducer_id": f"p{introducer}",
                "introduced_id": f"p{introduced}",
                "at": iso(at),
                "kind": rng.choice(["introduction", "referral", "name"]),
                "context": rng.choice(TOPICS),
                "status": status,
                "status_at": status_at,
                "outcome": "",
                "created_at": iso(at),
            }
        )
    while len(interaction_records) < interactions:
        at = when()
        who = known_by(at, rng.choice([1, 1, 1, 2]))
        if rng.random() < 0.2:
            log(who, rng.choice(OTHER), at)
            continue
        advice, promises = [], []
        if rng.random() < 0.1:
            acted = later(at, 24, 24 * 7) if rng.random() < diligence else None
            advice = [
                {"text": f"read about {rng.choice(TOPICS)}", "kind": "book",
                 "done_at": iso(acted) if acted and acted <= NOW else None}
            ]  # fmt: skip
            if acted:
                log(who, "message_sent", later(acted, 1, 40))
        if rng.random() < 0.05:
            due = (at + timedelta(days=3)).date()
            kept = later(at, 2, 60) if rng.random() < diligence else None
            promises = [
                {"text": "send my portfolio", "due": due.isoformat(),
                 "done_at": iso(kept) if kept and kept <= NOW else None}
            ]  # fmt: skip
        log(who, rng.choice(MEETING), at, advice=advice, promises=promises)
        for person in who:
            if rng.random() < diligence:
                log([person], rng.choice(THANKS), later(at, 2, 30))
    interaction_records.sort(key=lambda r: r["at"])
    opportunity_records = []
    for i in range(opportunities):
        at = when()
        links = [
            {"person_id": f"p{p}", "role": rng.choice(["recruiter", "interviewer", "reference"])}
            for p in known_by(at, rng.randint(1, 3))
        ]
        intro = f"in{rng.randrange(introductions)}" if rng.random() < 0.3 else None
        opportunity_records.append(
            {
                "id": f"op{i}",
                "organisation": rng.choice(ORGS),
                "role": rng.choice(ROLES),
                "stage": rng.choice(STAGES),
                "stage_at": iso(when(at, timedelta(days=60))),
                "people": links,
                "introduction_id": intro,
                "notes": "",
                "created_at": iso(at),
            }
        )
    decisions = [
        {
            "key": f"keep-in-touch:p{p}",
            "status": "done",
            "until": None,
            "reason": "",
            "at": iso(when(NOW - timedelta(days=90))),
        }
        for p in rng.sample(range(people), 300)
    ]
    return {
        "schema_version": 1,
        "people": person_records,
        "events": events,
        "introductions": intro_records,
        "interactions": interaction_records,
        "opportunities": opportunity_records,
        "decisions": decisions,
        "meta": [{"id": "profile", "name": "Sam Seeker", "email": "sam@example.com", "phone": ""}],
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--diligence", type=float, default=0.85)
    args = parser.parse_args()
    print(json.dumps(make_heavy(args.seed, diligence=args.diligence)))


if __name__ == "__main__":
    main()
