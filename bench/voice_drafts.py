"""Ten drafts from realistic data, as the person receiving them would read them: the cases
issue 11 names (an imported card with a title, a card with no name, notes typed as they come,
advice not yet acted on, an update with nothing known, no name in the profile, a promise with
an emoji, an outcome, and one introducer owed two things). Not a test: for reading.

    python bench/voice_drafts.py                  # this tree's engine
    python bench/voice_drafts.py --engine ../main  # another checkout's engine (the "before")

Works with engines older than `compose` and Person.given_name (it leaves out what they lack).
"""

from __future__ import annotations

import argparse
import dataclasses
import sys
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

parser = argparse.ArgumentParser()
parser.add_argument("--engine", type=Path, default=Path(__file__).resolve().parents[1])
parser.add_argument("--tone", default=None)
args = parser.parse_args()
sys.path.insert(0, str(args.engine / "web" / "py"))

from followup import drafts  # noqa: E402
from followup.agenda import find  # noqa: E402
from followup.model import (  # noqa: E402
    Advice,
    Interaction,
    InteractionId,
    InteractionKind,
    Introduction,
    IntroductionId,
    IntroductionStatus,
    Person,
    PersonId,
    Profile,
    Promise,
)
from followup.state import new_state  # noqa: E402

NOW = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)
TODAY = date(2026, 11, 23)
H, D = timedelta(hours=1), timedelta(days=1)
PERSON_FIELDS = {f.name for f in dataclasses.fields(Person)}


def person(pid: str, name: str, **more: Any) -> Person:
    kept = {k: v for k, v in more.items() if k in PERSON_FIELDS}
    return Person(
        id=PersonId(pid), name=name, emails=(f"{pid}@example.com",),
        created_at=NOW - 90 * D, updated_at=NOW - 90 * D, **kept,
    )  # fmt: skip


def met(iid: str, who: str, kind: str, at: datetime, **more: Any) -> Interaction:
    return Interaction(
        id=InteractionId(iid), person_ids=(PersonId(who),), kind=InteractionKind(kind), at=at,
        created_at=at, **more,
    )  # fmt: skip


def intro(iid: str, by: str, to: str, at: datetime, **more: Any) -> Introduction:
    return Introduction(
        id=IntroductionId(iid), introducer_id=PersonId(by), introduced_id=PersonId(to), at=at,
        created_at=at, **more,
    )  # fmt: skip


SAM = Profile(name="Sam Rivera", email="sam@example.com")
ANA = person("ana", "Ana Lopez")
JOHN = person("john", "Mr. John Richter Doe Sr.", given_name="John")
CASES: list[tuple[str, list[Any], Profile, list[str]]] = [
    (
        "1. An imported card whose name starts with a title; the reason typed as people type it",
        [
            ANA,
            JOHN,
            intro("i1", "ana", "john", NOW - 20 * H, context="talk to him about media sales"),
        ],
        SAM,
        ["reach-out:i1"],
    ),
    (
        "2. A card with no name, filed under its email address",
        [person("x", "jo.baker@example.com"), met("m1", "x", "coffee", NOW - 20 * H)],
        SAM,
        ["thank-you:m1:x"],
    ),
    (
        "3. A thank-you whose notes start with a capital",
        [
            person("bo", "Bo Chen"),
            met("m1", "bo", "call", NOW - 20 * H, notes="His team's plans for 2027\nhiring in Q2"),
        ],
        SAM,
        ["thank-you:m1:bo"],
    ),
    (
        "4. Advice not yet acted on",
        [
            person("cy", "Dr. Cy Okafor"),
            met(
                "m1",
                "cy",
                "coffee",
                NOW - 3 * D,
                advice=(Advice(text="Talk to the agency side too."),),
            ),
            met("t1", "cy", "thank_you_email", NOW - 3 * D + 2 * H),
        ],
        SAM,
        ["act-on-advice:m1:0"],
    ),
    (
        "5. An update to an introducer with nothing known about the contact",
        [
            ANA,
            person("dee", "Dee Park"),
            intro("i1", "ana", "dee", NOW - 4 * D),
            met("s1", "dee", "message_sent", NOW - 3 * D),
        ],
        SAM,
        ["close-loop:i1"],
    ),
    (
        "6. An update after a coffee, the notes typed in a hurry",
        [
            ANA,
            person("eve", "Eve Martin"),
            intro("i1", "ana", "eve", NOW - 5 * D),
            met("m1", "eve", "coffee", NOW - 2 * D, notes="re: Q3 hiring!!"),
            met("t1", "eve", "thank_you_email", NOW - 2 * D + H),
        ],
        SAM,
        ["close-loop:i1"],
    ),
    (
        "7. No name in the profile",
        [person("fay", "Fay Wong"), met("m1", "fay", "meeting", NOW - 20 * H)],
        Profile(),
        ["thank-you:m1:fay"],
    ),
    (
        "8. A promise typed with an emoji",
        [
            person("gus", "Gus Novak"),
            met(
                "m1",
                "gus",
                "coffee",
                NOW - 2 * D,
                promises=(Promise(text="send him my CV 🙏", due=TODAY),),
            ),
            met("t1", "gus", "thank_you_email", NOW - 2 * D + H),
        ],
        SAM,
        ["promise:m1:0"],
    ),
    (
        "9. How an introduction ended, as the user typed it",
        [
            ANA,
            person("hal", "Hal Berg"),
            intro(
                "i1",
                "ana",
                "hal",
                NOW - 9 * D,
                outcome="they went with someone internal, but Hal wants to stay in touch!",
                status=IntroductionStatus.OUTCOME,
                status_at=NOW - 20 * H,
            ),
            met("m1", "hal", "call", NOW - 8 * D),
            met("t1", "hal", "thank_you_email", NOW - 8 * D + H),
            met("u1", "ana", "introducer_update", NOW - 7 * D),
        ],
        SAM,
        ["close-loop-outcome:i1"],
    ),
    (
        "10. One introducer owed a thank-you and an update: one message (before: two)",
        [
            ANA,
            person("ivy", "Ivy Shah"),
            intro("i1", "ana", "ivy", NOW - 5 * D),
            met("m1", "ivy", "call", NOW - 3 * D, notes="Partnerships roles at NBC"),
            met("t1", "ivy", "thank_you_email", NOW - 3 * D + H),
            met("m2", "ana", "coffee", NOW - 20 * H, notes="Her move into media sales"),
        ],
        SAM,
        ["thank-you:m2:ana", "close-loop:i1"],
    ),
]


def state_of(records: list[Any], profile: Profile) -> Any:
    by: dict[str, list[Any]] = {"people": [], "introductions": [], "interactions": []}
    for r in records:
        key = {Person: "people", Introduction: "introductions", Interaction: "interactions"}
        by[key[type(r)]].append(r)
    return new_state(**by, events=[], opportunities=[], decisions=[], profile=profile)


def main() -> None:
    for title, records, profile, keys in CASES:
        state = state_of(records, profile)
        found = [find(state, k, NOW, TODAY) for k in keys]
        parts = [f for f in found if f is not None]
        print(f"=== {title}")
        if len(parts) != len(keys):
            print(f"(not owed: {[k for k, f in zip(keys, found, strict=True) if f is None]})")
        extra = {"tone": args.tone} if args.tone else {}
        if hasattr(drafts, "compose"):
            written = [drafts.compose(state, parts, NOW, **extra)]
        else:
            written = [drafts.draft(state, f, NOW) for f in parts]
        for d in written:
            print(f"Subject: {d.subject}\n\n{d.body}\n")
            for need in getattr(d, "needs", ()):
                print(f"  [the sheet asks: {need.question}]")
        print()


if __name__ == "__main__":
    main()
