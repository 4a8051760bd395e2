"""Drafts: the facts that make each follow-up personal (facts.py), poured into the user's
template for its rule (from settings) or the built-in one in the chosen tone. A part that
renders empty falls back to the built-in. Several follow-ups owed to one person compose into
one message (`compose`); what the records cannot tell is asked of the user (`Draft.needs`).
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime

from .facts import facts_for
from .letter import Part, join_bodies, join_sms
from .model import Draft, FollowUp, Need, Recipient
from .settings import TONES, Rule, Template
from .state import State
from .template import one_line, render
from .wording_tones import built_in

SMS_LIMIT = 300


def draft(
    state: State,
    followup: FollowUp,
    now: datetime,
    *,
    tone: str | None = None,
    answers: Mapping[str, str] | None = None,
) -> Draft:
    """The message for one follow-up, as of `now`: subject, body and a short SMS form, with its
    recipient. The same as `compose` with that one part."""
    return compose(state, [followup], now, tone=tone, answers=answers)


def compose(
    state: State,
    followups: Sequence[FollowUp],
    now: datetime,
    *,
    tone: str | None = None,
    answers: Mapping[str, str] | None = None,
) -> Draft:
    """One message covering several follow-ups owed to the same person, in the given order:
    the greeting once, each part's middle, the last part's closing words, one sign-off and one
    signature. The subject is the first part's. `tone` (warm, brief, formal) overrides the
    setting; `answers` are the user's one-line answers to the draft's `needs`."""
    if not followups:
        raise ValueError("compose needs at least one follow-up")
    voice = tone if tone in TONES else state.settings.tone
    told = dict(answers or {})
    fields = _answer_fields(followups)
    written = [
        _written(
            state, f, now, voice, _answers_for(told, fields, f.key),
            later=any(e.rule == f.rule for e in followups[:i]),
        )
        for i, f in enumerate(followups)
    ]  # fmt: skip
    first = followups[0]
    person = state.people.get(first.person_ids[0]) if first.person_ids else None
    to = Recipient(
        name=person.name if person else first.who,
        email=person.emails[0] if person and person.emails else "",
        phone=person.phones[0] if person and person.phones else "",
    )
    needs = [n for w in written for n in w.needs]
    if not (state.profile.name.strip() or told.get("my_name", "").strip()):
        needs.append(Need(field="my_name", question="Your name, for the signature"))
    channels = tuple(dict.fromkeys(c for f in followups for c in f.channels))
    if len(written) == 1:
        body, sms = written[0].body, written[0].sms
    else:
        body = join_bodies([Part(w.body, has_closing=w.built_in) for w in written])
        sms = join_sms([w.sms for w in written], written[0].my_name)
    return Draft(
        subject=written[0].subject,
        body=body,
        sms=_shorten(sms, SMS_LIMIT),
        channels=channels,
        to=to,
        needs=tuple(_named(n, fields) for n in needs),
        tone=voice,
    )


@dataclass(frozen=True, slots=True)
class _Written:
    subject: str
    body: str
    sms: str
    built_in: bool  # the body is the built-in template's
    needs: tuple[Need, ...]
    my_name: str


def _written(
    state: State,
    followup: FollowUp,
    now: datetime,
    tone: str,
    answers: Mapping[str, str],
    *,
    later: bool = False,
) -> _Written:
    """One follow-up poured into the user's template for its rule, or the built-in one.
    `later`: an earlier part of the same message has the same rule (`is_later`)."""
    facts = facts_for(state, followup, now, answers)
    if later:
        facts["is_later"] = "yes"
    rule = Rule(followup.rule)
    own = state.settings.templates.get(rule, Template())
    base = built_in(rule, tone)
    parts = {
        part: render(getattr(own, part), facts) or render(getattr(base, part), facts)
        for part in ("subject", "body", "sms")
    }
    # A subject is one line, whatever line breaks the user's template has.
    return _Written(
        subject=one_line(parts["subject"]),
        body=parts["body"],
        sms=parts["sms"],
        built_in=not render(own.body, facts),
        needs=tuple(_needs(rule, facts, followup.key)),
        my_name=facts.get("my_name", ""),
    )


def _needs(rule: Rule, facts: Mapping[str, str], key: str) -> list[Need]:
    """What this part would say if the user told us: only what the records leave unsaid."""
    out: list[Need] = []
    if rule is Rule.CLOSE_LOOP and not (
        facts.get("discussed") or facts.get("outcome") or facts.get("how_it_went")
    ):
        who = facts.get("referral_first_name", "")
        question = f"How did it go with {who}?" if who else "How did it go?"
        out.append(Need(field="how_it_went", question=question, key=key))
    if rule is Rule.REPORT_BACK and not facts.get("what_i_did"):
        out.append(
            Need(field="what_i_did", question="What did you do about their advice?", key=key)
        )
    if rule is Rule.ACT_ON_ADVICE and not facts.get("what_i_did"):
        out.append(
            Need(
                field="what_i_did",
                question="What did you do about their advice? (Act on it first, then say what "
                "you did.)",
                key=key,
            )
        )
    return out


def _answer_fields(followups: Sequence[FollowUp]) -> dict[tuple[str, str], str]:
    """The `answers` key of each (field, follow-up key): the field's name, or `field@key` when
    several parts of the message ask the same question."""
    asked: dict[str, list[str]] = {}
    for f in followups:
        rule = Rule(f.rule)
        if rule is Rule.CLOSE_LOOP:
            asked.setdefault("how_it_went", []).append(f.key)
        if rule in (Rule.ACT_ON_ADVICE, Rule.REPORT_BACK):
            asked.setdefault("what_i_did", []).append(f.key)
    return {
        (name, key): name if len(keys) == 1 else f"{name}@{key}"
        for name, keys in asked.items()
        for key in keys
    }


def _answers_for(
    told: Mapping[str, str], fields: Mapping[tuple[str, str], str], key: str
) -> dict[str, str]:
    out = {"my_name": told.get("my_name", "")}
    for (name, part), answer_key in fields.items():
        if part == key and told.get(answer_key, "").strip():
            out[name] = told[answer_key]
    return out


def _named(need: Need, fields: Mapping[tuple[str, str], str]) -> Need:
    answer_key = fields.get((need.field, need.key), need.field)
    return Need(field=answer_key, question=need.question, key=need.key)


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
