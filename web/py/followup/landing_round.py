"""The gratitude round as a landing opens it (the `accepted` move in engine.py): who is in it
and why, and which employers are told, kept as the `gratitude-round:<id>` meta record."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime

from .agenda import open_followups
from .context import Landing
from .gratitude import gratitude_round
from .model import Opportunity, OpportunityId, RoundRecord
from .settings import Rule
from .state import State, apply


def open_round(
    candidates: State,
    landed: State,
    moved: Opportunity,
    landing: Landing,
    when: datetime,
    today: date,
) -> RoundRecord:
    """`candidates`: the state with the job accepted but before the other processes are
    withdrawn; `landed`: after. The employers still considering you then are told (one
    courteous note each: you accepted elsewhere, please withdraw), and no one there is also
    sent the good news."""
    notes = open_followups(candidates, when, today, [Rule.COURTESY_NOTE])
    told = tuple(OpportunityId(n.refs.opportunity_id or "") for n in notes)
    opened = RoundRecord(
        opportunity_id=moved.id, at=moved.stage_at, person_ids=(), courtesy_notes=told
    )
    found = gratitude_round(apply(landed, [opened], ()), landing)
    # Who is in the round, and why, is kept: once thanked, they are still listed in it.
    return replace(
        opened,
        person_ids=tuple(sorted(found.roles)),
        most_doors=found.most_doors,
        roles=tuple(sorted(found.roles.items())),
    )
