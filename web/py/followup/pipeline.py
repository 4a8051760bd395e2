"""The Pipeline screen as it shows: every opportunity on the board by stage (newest move first),
with the introduction it came from and the people there named, what Today still owes about it,
and the choices its form offers (people and introductions).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from .agenda import agenda
from .catalog import OPPORTUNITY_ROLES, encode_pipeline_words
from .fields import Fields, iso, parse_day, parse_instant
from .model import ACTIVE_STAGES, Opportunity, Person, PersonId, Stage
from .people import name_key
from .state import State

GRATITUDE_GROUP = "gratitude"
REJECTION_THANKS = "rejection-thanks:"


def job_title(opp: Opportunity) -> str:
    """ "Product designer at Initech", or just the organisation."""
    return f"{opp.role} at {opp.organisation}" if opp.role else opp.organisation


def person_labels(state: State) -> dict[PersonId, str]:
    """How a form names each person: the name, with the organisation where two share a name.
    Sorted by name; when two labels still clash, the first keeps it."""
    people = sorted(state.people.values(), key=lambda p: (name_key(p.name), p.id))
    shared: dict[str, int] = {}
    for p in people:
        shared[p.name] = shared.get(p.name, 0) + 1
    labels: dict[PersonId, str] = {}
    taken: set[str] = set()
    for p in people:
        label = f"{p.name} ({p.organisation})" if shared[p.name] > 1 and p.organisation else p.name
        if label not in taken:
            taken.add(label)
            labels[p.id] = label
    return labels


def _pipeline_op(state: State, f: Fields) -> tuple[State, dict[str, Any]]:
    now, today = parse_instant(f.value("now"), "now"), parse_day(f.value("today"), "today")
    followups = agenda(state, now, today).followups
    open_keys = {x.key for x in followups}
    gratitude_owed = sum(1 for x in followups if x.group == GRATITUDE_GROUP)
    labels = person_labels(state)
    opps = sorted(state.opportunities.values(), key=lambda o: (o.stage_at, o.id), reverse=True)
    by_stage: dict[Stage, list[dict[str, Any]]] = {}
    for opp in opps:
        card = _card(state, opp, labels, REJECTION_THANKS + opp.id in open_keys)
        card["since"] = stage_since(opp.stage_at.date(), today)
        by_stage.setdefault(opp.stage, []).append(card)
    words = encode_pipeline_words()
    landed = next((o for o in opps if o.stage is Stage.ACCEPTED), None)
    intros = sorted(state.introductions.values(), key=lambda i: (i.at, i.id), reverse=True)
    return state, {
        "stages": words["stages"],
        "roles": words["opportunity_roles"],
        "count": len(opps),
        "board": [
            {"stage": stage.value, "cards": by_stage.get(stage, [])}
            for stage in Stage
            if stage in ACTIVE_STAGES or stage in by_stage
        ],
        "landed": (
            {"id": landed.id, "title": job_title(landed), "owed": gratitude_owed}
            if landed is not None and gratitude_owed
            else None
        ),
        "people": [{"id": pid, "label": label} for pid, label in labels.items()],
        "introductions": [
            {
                "id": i.id,
                "introduced_id": i.introduced_id,
                "text": f"{_name(state, i.introducer_id)} introduced "
                f"{_name(state, i.introduced_id)}",
                "at": iso(i.at),
            }
            for i in intros
        ],
    }


def stage_since(day: date, today: date) -> str:
    """How long a card has been in its stage, read after the stage's name: "Interviewing since
    today", "Applied for 5 days" (never "Interviewing this minute")."""
    days = (today - day).days
    if days <= 0:
        return "since today"
    if days == 1:
        return "since yesterday"
    if days < 14:
        return f"for {days} days"
    if days < 61:
        return f"for {days // 7} weeks"
    return f"for {days // 30} months"


def _name(state: State, pid: PersonId) -> str:
    return state.name(pid) or "someone"


def _card(
    state: State, opp: Opportunity, labels: Mapping[PersonId, str], rejection_open: bool
) -> dict[str, Any]:
    intro = state.introductions.get(opp.introduction_id) if opp.introduction_id else None
    return {
        "id": opp.id,
        "organisation": opp.organisation,
        "role": opp.role,
        "title": job_title(opp),
        "stage": opp.stage.value,
        "stage_at": iso(opp.stage_at),
        "notes": opp.notes,
        "introduction_id": opp.introduction_id,
        "came_from": (
            {
                "introducer": _brief(state, intro.introducer_id),
                "introduced": _brief(state, intro.introduced_id),
            }
            if intro is not None
            else None
        ),
        "people": [
            {
                **_brief(state, link.person_id),
                "label": labels.get(link.person_id, ""),
                "role": link.role.value,
                "role_label": OPPORTUNITY_ROLES[link.role],
            }
            for link in opp.people
        ],
        "rejection_open": rejection_open,
    }


def _brief(state: State, pid: PersonId) -> dict[str, str]:
    person: Person | None = state.people.get(pid)
    return {"id": pid, "name": person.name if person else "someone"}


PIPELINE_OPS: Mapping[str, tuple[tuple[str, ...], Any]] = {
    "pipeline": ((), _pipeline_op),
}
