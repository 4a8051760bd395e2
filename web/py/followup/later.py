"""Snoozed and skipped: what the user put off or let go, each with who it is for and why it was
owed, so it can be brought back (the `reopen` command).

Op `later` answers `{"snoozed": [...], "skipped": [...]}`: snoozed follow-ups that have not come
back yet (soonest first, with `until`), and skipped ones (latest first, with `reason`). The words
are the follow-up's own, as it would read if it came back now; when what made it owed is gone
(the meeting was deleted, say), the entry still lists the people its key names.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime
from typing import Any

from .agenda import open_followups
from .fields import Fields, iso, parse_day, parse_instant
from .model import DecisionStatus, FollowUp, FollowUpDecision, PersonId
from .settings import Rule
from .state import State, apply


def later(state: State, now: datetime, today: date) -> dict[str, list[dict[str, Any]]]:
    snoozed = [
        d
        for d in state.decisions.values()
        if d.status is DecisionStatus.SNOOZED and d.until is not None and d.until > now
    ]
    skipped = [d for d in state.decisions.values() if d.status is DecisionStatus.SKIPPED]
    shown = [*snoozed, *skipped]
    found = _followups(state, shown, now, today)
    snoozed.sort(key=lambda d: (d.until or now, d.key))
    skipped.sort(key=lambda d: (d.at, d.key), reverse=True)
    return {
        "snoozed": [_entry(state, d, found.get(d.key)) for d in snoozed],
        "skipped": [_entry(state, d, found.get(d.key)) for d in skipped],
    }


def _followups(
    state: State, decisions: list[FollowUpDecision], now: datetime, today: date
) -> dict[str, FollowUp]:
    """The follow-ups these decisions are about, as they would be with the decisions undone."""
    if not decisions:
        return {}
    rules: set[Rule] = set()
    for d in decisions:
        try:
            rules.add(Rule(d.key.split(":", 1)[0]))
        except ValueError:
            continue
    bare = apply(state, (), [("decisions", d.key) for d in decisions])
    keys = {d.key for d in decisions}
    ordered = [r for r in Rule if r in rules]
    return {f.key: f for f in open_followups(bare, now, today, ordered) if f.key in keys}


def _entry(state: State, d: FollowUpDecision, f: FollowUp | None) -> dict[str, Any]:
    rule = d.key.split(":", 1)[0]
    if f is not None:
        who, why, people = f.who, f.why, list(f.person_ids)
    else:
        # What made it owed is gone: name whoever its key names.
        people = [PersonId(s) for s in d.key.split(":")[1:] if s in state.people]
        who = ", ".join(state.people[p].name for p in people) or "Someone no longer saved"
        why = "What this follow-up was about has changed since; it may not come back."
    entry: dict[str, Any] = {
        "key": d.key,
        "rule": rule,
        "who": who,
        "why": why,
        "person_ids": people,
        "at": iso(d.at),
        "returns": f is not None,
    }
    if d.status is DecisionStatus.SNOOZED:
        entry["until"] = iso(d.until)
    else:
        entry["reason"] = d.reason
    return entry


def _later_op(state: State, f: Fields) -> tuple[State, dict[str, Any]]:
    now, today = parse_instant(f.value("now"), "now"), parse_day(f.value("today"), "today")
    return state, later(state, now, today)


LATER_OPS: Mapping[str, tuple[tuple[str, ...], Any]] = {
    "later": ((), _later_op),
}
