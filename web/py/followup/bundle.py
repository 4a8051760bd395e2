"""One follow-up per person per day: everything owed to the same person is one Today item.

A bundle is a FollowUp with the key `bundle:<person id>`, its `parts` (the follow-ups it
covers, each keeping its own key and decisions) in a natural order for one message (thanks,
then how each introduction went, then the news), and a `label` ("3 things for Ana: thanks ·
Wei's introduction · news"). It ranks where its most urgent part ranks. Done, snooze and skip
on a bundle's key apply to every part; sending it logs one interaction that closes them all
(engine.py). A part added later joins the bundle; parts already decided keep their decisions.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import replace
from datetime import date, datetime

from .agenda import Agenda, agenda
from .bounds import check_id
from .errors import NotFoundError, ValidationError
from .model import (
    DecisionStatus,
    FollowUp,
    FollowUpDecision,
    FollowUpStatus,
    IntroductionKind,
    PersonId,
    first_name,
)
from .schedule import DAY
from .settings import Rule
from .state import State

BUNDLE = "bundle"
# The reason on each part's decision when a bundle is sent as one message.
SENT_IN_ONE = "Sent in one message"
_PREFIX = BUNDLE + ":"
# A bundle's parts in the order one message tells them: thanks first, then what you did with
# their advice and promises, then how each of their introductions went, then the news.
ORDER: dict[str, int] = {
    Rule.THANK_YOU: 0,
    Rule.MET_AT_EVENT: 0,
    Rule.REJECTION_THANKS: 0,
    Rule.REPORT_BACK: 1,
    Rule.ACT_ON_ADVICE: 1,
    Rule.PROMISE: 2,
    Rule.CLOSE_LOOP: 3,
    Rule.CLOSE_LOOP_OUTCOME: 3,
    Rule.GRATITUDE: 4,
    Rule.COURTESY_NOTE: 5,
    Rule.REACH_OUT: 6,
    Rule.KEEP_IN_TOUCH: 7,
    Rule.LAST_NOTE: 8,
    Rule.REPLY: -1,  # answer what they asked before anything else
}
_SHORT: dict[str, str] = {
    Rule.THANK_YOU: "thanks",
    Rule.MET_AT_EVENT: "great to meet",
    Rule.REJECTION_THANKS: "thanks anyway",
    Rule.REPORT_BACK: "their advice",
    Rule.ACT_ON_ADVICE: "their advice",
    Rule.PROMISE: "a promise",
    Rule.GRATITUDE: "news",
    Rule.COURTESY_NOTE: "withdrawal",
    Rule.REACH_OUT: "first hello",
    Rule.KEEP_IN_TOUCH: "catching up",
    Rule.LAST_NOTE: "last note",
    Rule.REPLY: "your reply",
}


def bundle_key(person_id: PersonId) -> str:
    return _PREFIX + person_id


def is_bundle_key(key: str) -> bool:
    return key.startswith(_PREFIX)


def person_of(key: str, field: str = "key") -> PersonId:
    """The person a bundle key is for; an error naming `field` if it is not a bundle key."""
    if not is_bundle_key(key) or len(key) == len(_PREFIX):
        raise ValidationError("unknown-followup", f"'{key}' is not a follow-up key we make.", field)
    return PersonId(check_id(key[len(_PREFIX) :], field))


def bundled(state: State, followups: Iterable[FollowUp]) -> list[FollowUp]:
    """The follow-ups (ranked, as Today ranks them) with everything open for one person joined
    into one bundle, in the place of its most urgent part."""
    slots: list[FollowUp | PersonId] = []
    groups: dict[PersonId, list[FollowUp]] = {}
    for f in followups:
        if len(f.person_ids) != 1 or f.status is not FollowUpStatus.OPEN:
            slots.append(f)
            continue
        pid = f.person_ids[0]
        if pid not in groups:
            groups[pid] = []
            slots.append(pid)
        groups[pid].append(f)
    out: list[FollowUp] = []
    for slot in slots:
        if isinstance(slot, FollowUp):
            out.append(slot)
        else:
            parts = groups[slot]
            out.append(parts[0] if len(parts) == 1 else make_bundle(state, parts))
    return out


def make_bundle(state: State, ranked: Sequence[FollowUp]) -> FollowUp:
    """One item for every part (ranked, most urgent first; all for the same one person)."""
    lead = ranked[0]
    pid = lead.person_ids[0]
    parts = tuple(sorted(ranked, key=lambda f: (ORDER.get(f.rule, 9), f.since, f.key)))
    words = list(dict.fromkeys(part_label(state, f) for f in parts))
    first = first_name(state.name(pid)) or lead.who
    count = len(parts)
    things = "thing" if count == 1 else "things"
    return replace(
        lead,
        key=bundle_key(pid),
        overdue=any(f.overdue for f in parts),
        overdue_hours=max(f.overdue_hours for f in parts),
        priority=max(f.priority for f in parts),
        channels=tuple(dict.fromkeys(c for f in ranked for c in f.channels)),
        group=next((f.group for f in ranked if f.group), None),
        mark=next((f.mark for f in ranked if f.mark), None),
        roles=tuple(dict.fromkeys(r for f in ranked for r in f.roles)),
        why=" ".join(f.why for f in parts),
        parts=parts,
        label=f"{count} {things} for {first}: {' · '.join(words)}",
    )


def part_label(state: State, f: FollowUp) -> str:
    """A part in two or three words: "thanks", "Wei's introduction", "news"."""
    if f.rule in (Rule.CLOSE_LOOP, Rule.CLOSE_LOOP_OUTCOME) and f.refs.introduction_id:
        intro = state.introductions.get(f.refs.introduction_id)
        if intro is not None:
            who = first_name(state.name(intro.introduced_id)) or "their"
            what = "referral" if intro.kind is IntroductionKind.REFERRAL else "introduction"
            return f"{who}'s {what}"
    if f.rule == Rule.GRATITUDE and f.mark:
        return "news and dinner"
    return _SHORT.get(f.rule, "a follow-up")


def bundled_agenda(state: State, now: datetime, today: date) -> Agenda:
    """Today's agenda with bundles; its counts count items as shown (a bundle is one)."""
    found = agenda(state, now, today)
    items = bundled(state, found.followups)
    buckets = {"overdue": found.counts.overdue, "due": found.counts.due}
    buckets["upcoming"] = found.counts.upcoming
    for f in items:
        for part in f.parts:
            buckets[_bucket(part, now, today)] -= 1
        if f.parts:
            buckets[_bucket(f, now, today)] += 1
    return Agenda(
        followups=tuple(items),
        counts=replace(found.counts, **buckets),
    )


def _bucket(f: FollowUp, now: datetime, today: date) -> str:
    if f.overdue:
        return "overdue"
    soon = f.due_date <= today if f.due_date is not None else f.due <= now + DAY
    return "due" if soon else "upcoming"


def find_bundle(state: State, person_id: PersonId, now: datetime, today: date) -> FollowUp | None:
    """The bundle (or the single follow-up) Today shows for this person now, if any."""
    for f in bundled(state, agenda(state, now, today).followups):
        if f.person_ids == (person_id,) and (f.parts or f.status is FollowUpStatus.OPEN):
            return f
    return None


def bundle_parts(
    state: State, key: str, now: datetime, today: date, field: str = "key"
) -> tuple[FollowUp, ...]:
    """The parts of the bundle Today shows under `key` now (one follow-up if only one is left);
    `unknown-followup` naming `field` when nothing is owed to them now."""
    found = find_bundle(state, person_of(key, field), now, today)
    if found is None:
        raise NotFoundError("unknown-followup", "Nothing is owed to them now.", field)
    return parts_of(found)


def sent_parts(state: State, key: str, now: datetime, today: date) -> list[FollowUpDecision]:
    """A bundle sent as one message: each part done, under its own key."""
    return [
        FollowUpDecision(key=p.key, status=DecisionStatus.DONE, reason=SENT_IN_ONE, at=now)
        for p in bundle_parts(state, key, now, today, "followup_key")
    ]


def parts_of(f: FollowUp) -> tuple[FollowUp, ...]:
    """The follow-ups an item stands for: a bundle's parts, or itself."""
    return f.parts or (f,)
