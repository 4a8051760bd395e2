"""Builders for domain records with defaults that read well, a fixed clock, and helpers to run
commands and read Today. Tests override only what matters to them."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from typing import Any

from followup.agenda import agenda, find, plan
from followup.commands import parse_command
from followup.drafts import draft
from followup.engine import Decision, decide
from followup.model import (
    Advice,
    AdviceKind,
    DecisionStatus,
    Draft,
    Event,
    EventId,
    FollowUp,
    FollowUpDecision,
    Interaction,
    InteractionId,
    InteractionKind,
    Introduction,
    IntroductionId,
    IntroductionKind,
    IntroductionStatus,
    Opportunity,
    OpportunityId,
    OpportunityPerson,
    OpportunityRole,
    Person,
    PersonId,
    Profile,
    Promise,
    Stage,
)
from followup.settings import DEFAULT_SETTINGS, Settings
from followup.state import Record, State, new_state

# Monday 23 November 2026, 09:00 UTC: "the next morning" in the journeys.
NOW = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)
TODAY = date(2026, 11, 23)
HOUR = timedelta(hours=1)
DAY = timedelta(days=1)
LONG_AGO = NOW - timedelta(days=400)


def person(pid: str, name: str | None = None, **overrides: Any) -> Person:
    fields: dict[str, Any] = {
        "id": PersonId(pid),
        "name": name if name is not None else pid.replace("-", " ").title(),
        "emails": (f"{pid}@example.com",),
        "created_at": LONG_AGO,
        "updated_at": LONG_AGO,
    }
    fields.update(overrides)
    return Person(**fields)


def event(eid: str = "mixer", name: str = "Tech Mixer", **overrides: Any) -> Event:
    fields: dict[str, Any] = {
        "id": EventId(eid),
        "name": name,
        "date": TODAY - timedelta(days=1),
        "created_at": NOW - 2 * DAY,
    }
    fields.update(overrides)
    return Event(**fields)


def introduction(
    iid: str, introducer: str, introduced: str, at: datetime = NOW - 15 * HOUR, **overrides: Any
) -> Introduction:
    fields: dict[str, Any] = {
        "id": IntroductionId(iid),
        "introducer_id": PersonId(introducer),
        "introduced_id": PersonId(introduced),
        "at": at,
        "kind": IntroductionKind.INTRODUCTION,
        "created_at": at,
    }
    fields.update(overrides)
    fields["kind"] = IntroductionKind(fields["kind"])
    fields["status"] = IntroductionStatus(fields.get("status", "offered"))
    return Introduction(**fields)


def interaction(
    iid: str,
    *people: str,
    kind: InteractionKind | str = InteractionKind.MEETING,
    at: datetime = NOW - 15 * HOUR,
    **overrides: Any,
) -> Interaction:
    fields: dict[str, Any] = {
        "id": InteractionId(iid),
        "person_ids": tuple(PersonId(p) for p in people),
        "kind": InteractionKind(kind),
        "at": at,
        "created_at": at,
    }
    fields.update(overrides)
    return Interaction(**fields)


def advice(text: str = "read Never Eat Alone", done_at: datetime | None = None) -> Advice:
    return Advice(text=text, kind=AdviceKind.BOOK, done_at=done_at)


def promise(
    text: str = "send my portfolio", due: date = TODAY + timedelta(days=2), **overrides: Any
) -> Promise:
    return Promise(text=text, due=due, **overrides)


def opportunity(
    oid: str,
    organisation: str = "Acme",
    stage: Stage | str = Stage.INTERVIEWING,
    at: datetime = NOW - 5 * DAY,
    people: dict[str, str] | None = None,
    **overrides: Any,
) -> Opportunity:
    fields: dict[str, Any] = {
        "id": OpportunityId(oid),
        "organisation": organisation,
        "role": "Sales Lead",
        "stage": Stage(stage),
        "stage_at": at,
        "people": tuple(
            OpportunityPerson(person_id=PersonId(p), role=OpportunityRole(r))
            for p, r in (people or {}).items()
        ),
        "created_at": NOW - 30 * DAY,
    }
    fields.update(overrides)
    return Opportunity(**fields)


def decision(
    key: str, status: DecisionStatus | str = DecisionStatus.DONE, **overrides: Any
) -> FollowUpDecision:
    fields: dict[str, Any] = {"key": key, "status": DecisionStatus(status), "at": NOW - HOUR}
    fields.update(overrides)
    return FollowUpDecision(**fields)


def state_of(
    *records: Record, settings: Settings = DEFAULT_SETTINGS, profile: Profile | None = None
) -> State:
    """A state holding `records`, sorted into their stores."""
    kinds: dict[type, list[Any]] = {}
    for record in records:
        kinds.setdefault(type(record), []).append(record)
    return new_state(
        people=kinds.get(Person, []),
        events=kinds.get(Event, []),
        introductions=kinds.get(Introduction, []),
        interactions=kinds.get(Interaction, []),
        opportunities=kinds.get(Opportunity, []),
        decisions=kinds.get(FollowUpDecision, []),
        settings=settings,
        profile=profile or Profile(name="Sam Seeker", email="sam@example.com"),
    )


def run(
    state: State, name: str, payload: dict[str, Any], now: datetime = NOW, today: date = TODAY
) -> Decision:
    """Parse and decide one command, as the api does."""
    return decide(state, parse_command(name, payload, now), now, today)


def keys(state: State, now: datetime = NOW, today: date = TODAY) -> list[str]:
    """Today's follow-up keys, in order."""
    return [f.key for f in plan(state, now, today)]


def rules_of(state: State, now: datetime = NOW, today: date = TODAY) -> list[str]:
    return [f.rule for f in plan(state, now, today)]


def followup(state: State, key: str, now: datetime = NOW, today: date = TODAY) -> FollowUp:
    found = find(state, key, now, today)
    assert found is not None, f"{key} is not owed at {now}"
    return found


def draft_for(state: State, key: str, now: datetime = NOW, today: date = TODAY) -> Draft:
    return draft(state, followup(state, key, now, today), now)


def counts(state: State, now: datetime = NOW, today: date = TODAY) -> dict[str, int]:
    c = agenda(state, now, today).counts
    return {
        "overdue": c.overdue,
        "due": c.due,
        "upcoming": c.upcoming,
        "snoozed": c.snoozed,
        "hidden": c.hidden,
        "resting": c.resting,
    }


def with_settings(state: State, **changes: Any) -> State:
    return replace(state, settings=replace(state.settings, **changes))


def scenario(rule: str) -> tuple[State, str]:
    """A small state in which `rule` owes exactly the returned key at NOW."""
    ann, bea = person("ann", "Ann Smith"), person("bea", "Bea Chen")
    met = interaction("m1", "bea", kind="coffee", at=NOW - 20 * HOUR)
    thanked = interaction("t1", "bea", kind="thank_you_email", at=NOW - 19 * HOUR)
    intro = introduction("i1", "ann", "bea", at=NOW - 3 * DAY)
    table: dict[str, tuple[list[Record], str]] = {
        "reach-out": ([ann, bea, introduction("i1", "ann", "bea")], "reach-out:i1"),
        "thank-you": ([bea, met], "thank-you:m1:bea"),
        "met-at-event": (
            [event(), person("bea", event_id=EventId("mixer"), created_at=NOW - 14 * HOUR)],
            "met-at-event:bea",
        ),
        "rejection-thanks": (
            [bea, opportunity("o1", stage="rejected", at=NOW - HOUR, people={"bea": "recruiter"})],
            "rejection-thanks:o1",
        ),
        "close-loop": ([ann, bea, intro, met, thanked], "close-loop:i1"),
        "close-loop-outcome": (
            [
                ann,
                bea,
                intro,
                met,
                thanked,
                interaction("u1", "ann", kind="introducer_update", at=NOW - 18 * HOUR),
                opportunity("o1", stage="withdrawn", at=NOW - 2 * HOUR, introduction_id="i1"),
            ],
            "close-loop-outcome:i1",
        ),
        "act-on-advice": (
            [bea, replace(met, advice=(advice(),)), thanked],
            "act-on-advice:m1:0",
        ),
        "report-back": (
            [bea, replace(met, advice=(advice(done_at=NOW - 2 * HOUR),)), thanked],
            "report-back:m1:0",
        ),
        "promise": ([bea, replace(met, promises=(promise(due=TODAY),)), thanked], "promise:m1:0"),
        "gratitude": (
            [bea, opportunity("o1", stage="accepted", at=NOW - HOUR, people={"bea": "reference"})],
            "gratitude:o1:bea",
        ),
        "courtesy-note": (
            [
                opportunity("o1", stage="accepted", at=NOW - HOUR),
                opportunity("o2", "Globex", stage="interviewing"),
            ],
            "courtesy-note:o2",
        ),
        "keep-in-touch": (
            [
                bea,
                interaction("m1", "bea", at=NOW - 70 * DAY),
                interaction("t1", "bea", kind="thank_you_email", at=NOW - 69 * DAY),
            ],
            "keep-in-touch:bea",
        ),
        "last-note": (
            [
                bea,
                interaction("s1", "bea", kind="message_sent", at=NOW - 9 * DAY),
                interaction("nr", "bea", kind="no_reply", at=NOW - HOUR),
            ],
            "last-note:nr:bea",
        ),
        "reply": (
            [
                bea,
                interaction(
                    "r1",
                    "bea",
                    kind="message_received",
                    at=NOW - 3 * DAY,
                    asks=True,
                    subject="Your portfolio",
                    thread="t-1",
                ),
            ],
            "reply:r1:bea",
        ),
    }
    records, key = table[rule]
    return state_of(*records), key
