"""Drafts: the facts that make each follow-up personal, poured into the user's template for its
rule (from settings) or the built-in one. A part that renders empty falls back to the built-in.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from .context import join_names, make_context
from .graph import chain_people
from .gratitude import MOST_DOORS
from .landing import landing_facts
from .letter import Part, join_bodies, join_sms
from .model import (
    Draft,
    FollowUp,
    Interaction,
    InteractionKind,
    Introduction,
    Opportunity,
    PersonId,
    Recipient,
    Stage,
    first_name,
)
from .rules import how_in_touch
from .settings import Rule, Template
from .state import State
from .template import one_line, render
from .wording import BUILT_IN

SMS_LIMIT = 300
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


def draft(state: State, followup: FollowUp, now: datetime, *, tone: str | None = None) -> Draft:
    """The message for one follow-up, as of `now`: subject, body and a short SMS form, with its
    recipient. The same as `compose` with that one part."""
    return compose(state, [followup], now, tone=tone)


def compose(
    state: State, followups: Sequence[FollowUp], now: datetime, *, tone: str | None = None
) -> Draft:
    """One message covering several follow-ups owed to the same person, in the given order:
    the greeting once, each part's middle, the last part's closing words, one sign-off and one
    signature. The subject is the first part's."""
    if not followups:
        raise ValueError("compose needs at least one follow-up")
    written = [_written(state, f, now) for f in followups]
    first = followups[0]
    person = state.people.get(first.person_ids[0]) if first.person_ids else None
    to = Recipient(
        name=person.name if person else first.who,
        email=person.emails[0] if person and person.emails else "",
        phone=person.phones[0] if person and person.phones else "",
    )
    channels = tuple(dict.fromkeys(c for f in followups for c in f.channels))
    if len(written) == 1:
        only = written[0]
        return Draft(
            subject=only.subject,
            body=only.body,
            sms=_shorten(only.sms, SMS_LIMIT),
            channels=channels,
            to=to,
        )
    return Draft(
        subject=written[0].subject,
        body=join_bodies([Part(w.body, has_closing=w.built_in) for w in written]),
        sms=_shorten(join_sms([w.sms for w in written], state.profile.name), SMS_LIMIT),
        channels=channels,
        to=to,
    )


@dataclass(frozen=True, slots=True)
class _Written:
    subject: str
    body: str
    sms: str
    built_in: bool  # the body is the built-in template's


def _written(state: State, followup: FollowUp, now: datetime) -> _Written:
    """One follow-up poured into the user's template for its rule, or the built-in one."""
    facts = facts_for(state, followup, now)
    rule = Rule(followup.rule)
    own = state.settings.templates.get(rule, Template())
    built_in = BUILT_IN[rule]
    parts = {
        part: render(getattr(own, part), facts) or render(getattr(built_in, part), facts)
        for part in ("subject", "body", "sms")
    }
    # A subject is one line, whatever line breaks the user's template has.
    return _Written(
        subject=one_line(parts["subject"]),
        body=parts["body"],
        sms=parts["sms"],
        built_in=not render(own.body, facts),
    )


def facts_for(state: State, f: FollowUp, now: datetime) -> dict[str, str]:
    """Every fact this follow-up can quote; facts we don't know are simply absent."""
    facts: dict[str, str] = {"my_name": state.profile.name}
    person = state.people.get(f.person_ids[0]) if f.person_ids else None
    if person is not None:
        facts.update(name=person.name, first_name=first_name(person.name))
        facts["their_company"] = person.organisation
    refs = f.refs
    intro = state.introductions.get(refs.introduction_id) if refs.introduction_id else None
    interaction = state.interactions.get(refs.interaction_id) if refs.interaction_id else None
    opp = state.opportunities.get(refs.opportunity_id) if refs.opportunity_id else None
    if intro is not None:
        facts.update(_introduction_facts(state, intro, f.rule, now))
    if interaction is not None:
        facts.update(_interaction_facts(interaction, refs.item))
    if opp is not None:
        facts.update(company=opp.organisation, position=opp.role)
    if f.rule == Rule.MET_AT_EVENT and refs.event_id in state.events:
        facts["event"] = state.events[refs.event_id].name  # type: ignore[index]
    if f.rule == Rule.THANK_YOU and person is not None and interaction is not None:
        facts["introduced_names"] = _introduced_around(state, person.id, interaction)
    if f.rule == Rule.CLOSE_LOOP_OUTCOME and intro is not None and not intro.outcome:
        facts["outcome"] = _stage_outcome(opp) if opp else ""
    facts.update(landing_facts(state, f, now))  # landed, new_job, new_company (landing.py)
    if f.rule in (Rule.GRATITUDE, Rule.KEEP_IN_TOUCH):
        facts.update(_landing_facts(state, f, now))
    return {k: _clean(v) for k, v in facts.items() if _clean(v)}


def _introduction_facts(
    state: State, intro: Introduction, rule: str, now: datetime
) -> dict[str, str]:
    introducer = state.name(intro.introducer_id)
    referral = state.people.get(intro.introduced_id)
    facts = {
        "introducer": introducer,
        "introducer_first_name": first_name(introducer),
        "referral": referral.name if referral else "",
        "referral_first_name": first_name(referral.name) if referral else "",
        "context": intro.context,
        "outcome": intro.outcome,
    }
    if rule == Rule.REACH_OUT and referral is not None and referral.event_id in state.events:
        facts["event"] = state.events[referral.event_id].name  # type: ignore[index]
    if rule == Rule.CLOSE_LOOP and referral is not None:
        kind, notes = how_in_touch(state, intro, now)
        facts["contact"] = _CONTACT_WORDS.get(kind, "got in touch with")
        facts["discussed"] = _topic(notes)
    return facts


def _interaction_facts(interaction: Interaction, item: int | None) -> dict[str, str]:
    facts = {
        "meeting": _KIND_WORDS.get(interaction.kind, ""),
        "discussed": _topic(interaction.notes),
    }
    if item is None and interaction.advice:
        facts["advice"] = interaction.advice[0].text
    elif item is not None and item < len(interaction.advice):
        facts["advice"] = interaction.advice[item].text
    if item is not None and item < len(interaction.promises):
        facts["promise"] = interaction.promises[item].text
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


def _stage_outcome(opp: Opportunity) -> str:
    """One sentence on how an opportunity ended, for the introducer."""
    at = f" at {opp.organisation}" if opp.organisation else ""
    role = f" the {opp.role} role" if opp.role else " the role"
    return {
        Stage.REJECTED: f"In the end they chose another candidate for{role}{at}",
        Stage.DECLINED: f"In the end I decided not to take{role}{at}",
        Stage.WITHDRAWN: f"In the end I withdrew from the process for{role}{at}",
        Stage.ACCEPTED: f"I accepted{role}{at}",
    }.get(opp.stage, "")


def _topic(notes: str) -> str:
    """What a meeting was about: the first line of the notes, at most about 140 characters."""
    line = notes.strip().split("\n", 1)[0].strip()
    if len(line) > 140:
        line = line[:140].rsplit(" ", 1)[0]
    return line


def _clean(value: str) -> str:
    """One line, no doubled spaces, no trailing punctuation (the template brings its own)."""
    return re.sub(r"\s+", " ", value).strip().rstrip(".,;:").strip()


def _shorten(text: str, limit: int) -> str:
    """Drop whole sentences from the end until the SMS fits; cut at a word as a last resort."""
    if len(text) <= limit:
        return text
    sentences = re.split(r"(?<=[.!?])\s+", text)
    while len(sentences) > 1 and len(" ".join(sentences)) > limit:
        sentences.pop()
    short = one_line(" ".join(sentences))
    if len(short) > limit:
        short = short[: limit - 1].rsplit(" ", 1)[0].rstrip(".,;:") + "…"
    return short
