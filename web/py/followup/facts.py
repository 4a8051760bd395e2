"""The facts a draft can quote, gathered from the records for one follow-up: names to greet and
mention (greeting.py), what was said, advised and promised, shaped to sit inside a sentence
(weave.py), and when things happened, in words. Facts we don't know are simply absent.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import datetime, timedelta

from . import weave
from .context import join_names, make_context
from .graph import chain_people
from .gratitude import MOST_DOORS
from .greeting import called, first_name_of
from .landing import landing_facts
from .model import (
    CONTACT_KINDS,
    MEETING_KINDS,
    FollowUp,
    Interaction,
    InteractionKind,
    Introduction,
    Opportunity,
    Person,
    PersonId,
    Stage,
)
from .settings import Rule
from .state import State

_KIND_WORDS = {
    InteractionKind.MEETING: "meeting",
    InteractionKind.CALL: "call",
    InteractionKind.COFFEE: "coffee",
    InteractionKind.INTERVIEW: "interview",
    InteractionKind.INFORMATIONAL_INTERVIEW: "conversation",
}
_CONTACT_WORDS = {
    "meeting": "met",
    "call": "spoke with",
    "coffee": "had coffee with",
    "interview": "met",
    "informational_interview": "met",
}
# The user's one-line answers a draft can weave in (`needs`/`answers`), by fact name.
ANSWERS = ("how_it_went", "what_i_did", "my_name")


def facts_for(
    state: State, f: FollowUp, now: datetime, answers: Mapping[str, str] | None = None
) -> dict[str, str]:
    """Every fact this follow-up can quote; facts we don't know are simply absent. `answers`
    are the user's one-line answers to the draft's questions (`needs`)."""
    facts: dict[str, str] = {"my_name": state.profile.name}
    person = state.people.get(f.person_ids[0]) if f.person_ids else None
    if person is not None:
        facts.update(name=person.name, first_name=called(person))
        facts["their_company"] = person.organisation
    refs = f.refs
    intro = state.introductions.get(refs.introduction_id) if refs.introduction_id else None
    interaction = state.interactions.get(refs.interaction_id) if refs.interaction_id else None
    opp = state.opportunities.get(refs.opportunity_id) if refs.opportunity_id else None
    if intro is not None:
        facts.update(_introduction_facts(state, intro, f.rule, now))
    if interaction is not None:
        facts.update(_interaction_facts(interaction, refs.item, now))
    if opp is not None:
        facts.update(company=opp.organisation, position=_role(opp.role))
    if f.rule == Rule.MET_AT_EVENT and refs.event_id in state.events:
        facts["event"] = state.events[refs.event_id].name  # type: ignore[index]
    if f.rule == Rule.THANK_YOU and person is not None and interaction is not None:
        facts["introduced_names"] = _introduced_around(state, person.id, interaction)
    if f.rule == Rule.CLOSE_LOOP_OUTCOME and intro is not None and not intro.outcome:
        facts["outcome"] = _stage_outcome(opp) if opp else ""
    facts.update(landing_facts(state, f, now))  # landed, new_job, new_company (landing.py)
    if f.rule in (Rule.GRATITUDE, Rule.KEEP_IN_TOUCH):
        facts.update(_landing_facts(state, f, now))
    told = {k: v.strip() for k, v in (answers or {}).items() if k in ANSWERS and v.strip()}
    if "my_name" in told:
        facts["my_name"] = told["my_name"]
    if "what_i_did" in told:
        facts.update(what_i_did=weave.step(told["what_i_did"]), is_acted="yes")
    cleaned = {k: _clean(v) for k, v in facts.items() if _clean(v)}
    if "how_it_went" in told:  # a sentence of its own: it keeps its own full stop or "!"
        cleaned["how_it_went"] = weave.line(told["how_it_went"])
    return cleaned


def mention(person: Person | None, fallback: str = "") -> str:
    """How a draft names someone mid-sentence: what the user calls them, else their name's
    first real word, else their whole name as filed."""
    if person is None:
        return fallback
    return called(person) or person.name


def _introduction_facts(
    state: State, intro: Introduction, rule: str, now: datetime
) -> dict[str, str]:
    introducer = state.people.get(intro.introducer_id)
    referral = state.people.get(intro.introduced_id)
    facts = {
        "introducer": introducer.name if introducer else "",
        "introducer_first_name": mention(introducer),
        "referral": referral.name if referral else "",
        "referral_first_name": mention(referral),
        "context": weave.topic(intro.context),
        "outcome": weave.step(intro.outcome)
        if rule == Rule.CLOSE_LOOP
        else weave.sentence(intro.outcome),
    }
    if rule == Rule.REACH_OUT and referral is not None and referral.event_id in state.events:
        facts["event"] = state.events[referral.event_id].name  # type: ignore[index]
    if rule == Rule.CLOSE_LOOP and referral is not None:
        found = _in_touch(state, intro, now)
        if found is not None:
            kind, at, notes = found
            facts["contact"] = _CONTACT_WORDS.get(kind, "got in touch with")
            facts["discussed"] = weave.topic(notes)
            facts["met_when"] = when_words(at, now)
            if kind in MEETING_KINDS:
                facts["is_met"] = "yes"
    return facts


def _in_touch(state: State, intro: Introduction, now: datetime) -> tuple[str, datetime, str] | None:
    """Your latest meeting with the person introduced since the introduction (else your first
    contact): its kind, when, and its notes."""
    log = state.log(intro.introduced_id)
    met = log.last_between(intro.at, now, MEETING_KINDS)
    if met is not None:
        return met[1], met[0], state.interactions[met[2]].notes
    first = log.first_kind_since(intro.at, CONTACT_KINDS)
    if first is None or first[0] > now:
        return None
    return first[1], first[0], state.interactions[log.ids[log.times.index(first[0])]].notes


def when_words(at: datetime, now: datetime) -> str:
    """ "today", "yesterday", "on Tuesday", "on 12 November", "on 3 March 2025": when
    something happened, as a person says it."""
    days = (now.date() - at.date()).days
    if days <= 0:
        return "today"
    if days == 1:
        return "yesterday"
    if days < 7:
        return f"on {at.strftime('%A')}"
    year = f" {at.year}" if at.year != now.year else ""
    return f"on {at.day} {at.strftime('%B')}{year}"


def _interaction_facts(interaction: Interaction, item: int | None, now: datetime) -> dict[str, str]:
    facts = {
        "meeting": _KIND_WORDS.get(interaction.kind, ""),
        "discussed": weave.topic(interaction.notes),
        "met_when": when_words(interaction.at, now),
        # Issue 18: their message's subject, without the "Re:" and "Fwd:" a thread piles up.
        "their_subject": _bare_subject(interaction.subject),
    }
    chosen = 0 if item is None else item
    if chosen < len(interaction.advice):
        facts["advice"] = weave.advice(interaction.advice[chosen].text)
        if interaction.advice[chosen].done_at is not None:
            facts["is_acted"] = "yes"
    if item is not None and item < len(interaction.promises):
        text = interaction.promises[item].text
        facts["promise"] = weave.promise(text)
        facts["promised_thing"] = weave.thing(text)
    return facts


def _introduced_around(state: State, person_id: PersonId, interaction: Interaction) -> str:
    """The people this person introduced you to around that meeting (the day before to the
    week after), to thank them for it in the same note."""
    names = []
    for intro_id in state.index.intro.by_introducer.get(person_id, ()):
        intro = state.introductions[intro_id]
        if timedelta(days=-1) <= intro.at - interaction.at <= timedelta(days=7):
            names.append(state.name(intro.introduced_id))
    return join_names(sorted(names))


def _landing_facts(state: State, f: FollowUp, now: datetime) -> dict[str, str]:
    """The new job, for the gratitude round and, once landed, for keep-in-touch notes."""
    ctx = make_context(state, now, now.date())
    if f.rule == Rule.GRATITUDE and f.refs.opportunity_id in state.opportunities:
        opp = state.opportunities[f.refs.opportunity_id]  # type: ignore[index]
    elif ctx.landing is not None and ctx.is_landed:
        opp = ctx.landing.opportunity
    else:
        return {}
    facts = {
        "new_job": f"{opp.role} at {opp.organisation}" if opp.organisation else opp.role,
        "new_company": opp.organisation,
        "is_landed": "yes",
    }
    if not opp.role:
        facts["new_job"] = ""
    if f.rule == Rule.GRATITUDE:
        for role in f.roles:
            facts[f"is_{role}"] = "yes"
        if f.mark == MOST_DOORS:
            facts["is_most_doors"] = "yes"
        if f.person_ids:
            introduced = chain_people(state, opp).get(f.person_ids[0], set())
            facts["introduced_names"] = join_names(sorted(state.name(p) for p in introduced))
    return facts


def _role(role: str) -> str:
    """A role as it follows "the … role": without a doubled "role"."""
    return re.sub(r"\s+(?:role|position)$", "", role.strip(), flags=re.I)


def _stage_outcome(opp: Opportunity) -> str:
    """One sentence on how an opportunity ended, for the introducer."""
    at = f" at {opp.organisation}" if opp.organisation else ""
    role = f" the {_role(opp.role)} role" if _role(opp.role) else " the role"
    return {
        Stage.REJECTED: f"In the end they chose another candidate for{role}{at}",
        Stage.DECLINED: f"In the end I decided not to take{role}{at}",
        Stage.WITHDRAWN: f"In the end I withdrew from the process for{role}{at}",
        Stage.ACCEPTED: f"I accepted{role}{at}",
    }.get(opp.stage, "")


def _clean(value: str) -> str:
    """One line, no doubled spaces, no trailing punctuation (the template brings its own)."""
    return re.sub(r"\s+", " ", value).strip().rstrip(".,;:").strip()


__all__ = ["ANSWERS", "facts_for", "first_name_of", "mention", "when_words"]


_SUBJECT_PREFIX = re.compile(r"^\s*((re|fwd?|tr|aw|wg|rv|res|enc)\s*(\[\d+\])?\s*:\s*)+", re.I)


def _bare_subject(subject: str) -> str:
    """ "Re: Fwd: the analyst role" -> "the analyst role"."""
    return _SUBJECT_PREFIX.sub("", subject).strip()
