"""The api's operations about what is owed to whom (`draft`, `send_links`, `person`, `round`):
handlers taking `(state, fields)` and returning `(state, answer)`, as in api.py. `OWED_OPS`
joins its table. None of them changes anything.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import date, datetime
from typing import Any

from .agenda import find, for_person
from .bounds import LINE_MAX, clean_text
from .bundle import find_bundle, is_bundle_key, parts_of, person_of
from .catalog import channels_of
from .checklist import Item, checklist
from .codec import encode_record
from .daily import doors_words, role_words
from .drafts import compose
from .errors import NotFoundError, ValidationError
from .fields import Fields, iso, parse_day, parse_instant
from .graph import chain_to, doors
from .model import Channel, Draft, FollowUp, OpportunityId, Person, PersonId
from .outreach import send_link, send_links
from .settings import TONES, Rule, tone_of
from .state import State
from .stop import stops_for, suggest_no_reply
from .wording_tones import TONE_LABELS

Answer = tuple[State, dict[str, Any]]


def _clock(f: Fields) -> tuple[datetime, date]:
    return parse_instant(f.value("now"), "now"), parse_day(f.value("today"), "today")


def _ios(f: Fields) -> bool:
    return f.raw.get("ios") is True


def _draft(state: State, f: Fields) -> Answer:
    """The draft for one follow-up, with its send links as written."""
    now, today = _clock(f)
    key = f.key("key")
    if is_bundle_key(key):
        followup = find_bundle(state, person_of(key), now, today)
    else:
        followup = find(state, key, now, today)
    if followup is None:
        raise NotFoundError("unknown-followup", "Nothing is owed under this key now.", "key")
    # A bundle is one message covering each part, in its natural order.
    written = compose(state, parts_of(followup), now, tone=_tone(f), answers=_answers(f))
    offer = offered(followup, written)
    return state, {
        "followup": encode_followup(followup),
        "draft": {
            **encode_draft(written),
            "tones": [{"value": t, "label": TONE_LABELS[t]} for t in TONES],
            "offer": [c.value for c in offer],
            "pick": pick(offer, written).value,
            **send_links(
                email=written.to.email,
                phone=written.to.phone,
                subject=written.subject,
                body=written.body,
                sms=written.sms,
                ios=_ios(f),
            ),
        },
    }


def _tone(f: Fields) -> str | None:
    """The per-draft tone switch: one of the tones, or None for the setting's."""
    raw = f.raw.get("tone")
    return None if raw is None else tone_of(raw, "tone")


def _answers(f: Fields) -> dict[str, str]:
    """The user's one-line answers to a draft's `needs`, by field."""
    raw = f.raw.get("answers")
    if raw is None:
        return {}
    if not isinstance(raw, dict) or not all(
        isinstance(k, str) and isinstance(v, str) for k, v in raw.items()
    ):
        raise ValidationError(
            "wrong-type", "Answers are an object of one line of text each.", "answers"
        )
    return {k: clean_text(v, f"answers.{k}", LINE_MAX) for k, v in raw.items()}


def offered(followup: FollowUp, written: Draft) -> tuple[Channel, ...]:
    """The channels a draft offers: the rule's, in its order of preference (even without an
    address: one can be typed into the draft), then any other the follow-up names or that we
    have an address for (a text, to someone whose number we know)."""
    to = written.to
    known = (Channel.EMAIL,) * bool(to.email) + (Channel.SMS, Channel.CALL) * bool(to.phone)
    return tuple(dict.fromkeys((*channels_of(Rule(followup.rule)), *written.channels, *known)))


def pick(offer: tuple[Channel, ...], written: Draft) -> Channel:
    """The channel a draft opens on: the first offered that we have an address for; else email,
    typed by hand."""
    to = written.to
    reachable = {Channel.EMAIL: bool(to.email), Channel.SMS: bool(to.phone)}
    reachable[Channel.CALL] = reachable[Channel.SMS]
    for channel in offer:
        if reachable.get(channel):
            return channel
    return Channel.EMAIL if Channel.EMAIL in offer or not offer else offer[0]


def _send_links(state: State, f: Fields) -> Answer:
    """The links for a draft as the user edited it (`ios`: the phone is an iPhone or iPad)."""
    return state, send_links(
        email=f.text("email"),
        phone=f.text("phone"),
        subject=f.text("subject"),
        body=f.text("body"),
        sms=f.text("sms"),
        ios=_ios(f),
    )


def _person(state: State, f: Fields) -> Answer:
    now, today = _clock(f)
    pid = PersonId(f.ident("id"))
    person = state.people.get(pid)
    if person is None:
        raise NotFoundError("unknown-person", f"There is no person with id '{pid}'.", "id")
    index = state.index
    introduced = [
        state.introductions[i].introduced_id for i in index.intro.by_introducer.get(pid, ())
    ]
    introduced_by = [
        state.introductions[i].introducer_id for i in index.intro.by_introduced.get(pid, ())
    ]
    log = state.log(pid)
    event = state.events.get(person.event_id) if person.event_id else None
    bundle = find_bundle(state, pid, now, today)
    return state, {
        "person": encode_record(person),
        "event": encode_record(event) if event else None,
        # Every event, latest first: where the person may have been met.
        "events": [
            encode_record(e)
            for e in sorted(state.events.values(), key=lambda e: (e.date, e.id), reverse=True)
        ],
        "contact": _contact(person, _ios(f)),
        "doors": doors(state, pid),
        "doors_text": doors_words(doors(state, pid), len(set(introduced))),
        "chain": _people(state, chain_to(state, pid)),
        "introduced": _people(state, introduced),
        "introduced_by": _people(state, introduced_by),
        # Every introduction to or from them, oldest first, to open and fix (edits.py).
        "introductions": [
            {
                **encode_record(intro),
                "introducer_name": state.name(intro.introducer_id),
                "introduced_name": state.name(intro.introduced_id),
            }
            for intro in sorted(
                (
                    state.introductions[i]
                    for i in (
                        *index.intro.by_introduced.get(pid, ()),
                        *index.intro.by_introducer.get(pid, ()),
                    )
                ),
                key=lambda x: (x.at, x.id),
            )
        ],
        "timeline": [encode_record(state.interactions[i]) for i in reversed(log.ids)],
        # The names of the others in the timeline ("with Ann Smith").
        "names": {
            other: state.name(other)
            for i in log.ids
            for other in state.interactions[i].person_ids
            if other != pid and other in state.people
        },
        "followups": [encode_followup(x) for x in for_person(state, pid, now, today)],
        # What Today shows for them: one bundle when several things are owed (else null).
        "bundle": encode_followup(bundle) if bundle is not None and bundle.parts else None,
        # Why nudges are no longer suggested (stop.py), and whether to offer "No reply".
        "stopped": [
            {
                "code": s.code,
                "reason": s.reason,
                "rules": [r.value for r in s.rules],
                "opportunity_id": s.opportunity_id,
                "since": iso(s.since),
            }
            for s in stops_for(state, pid, now)
        ],
        "suggest_no_reply": suggest_no_reply(state, pid, now),
    }


def _contact(person: Person, ios: bool) -> list[dict[str, str]]:
    """How to reach the person from their page: write, call or text each address."""
    links = [
        {"channel": "email", "value": e, "href": send_link(Channel.EMAIL, e)} for e in person.emails
    ]
    for phone in person.phones:
        for channel in (Channel.CALL, Channel.SMS):
            href = send_link(channel, phone, ios=ios)
            if href:
                links.append({"channel": channel.value, "value": phone, "href": href})
    return links


def _round(state: State, f: Fields) -> Answer:
    """One landing's gratitude round, as a checklist."""
    now, today = _clock(f)
    opp_id = OpportunityId(f.ident("opportunity_id"))
    opp = state.opportunities.get(opp_id)
    if opp is None:
        raise NotFoundError(
            "unknown-opportunity", "This opportunity is not here.", "opportunity_id"
        )
    found = checklist(state, opp, now, today)
    return state, {
        "opportunity": encode_record(opp),
        "current": found.current,
        "items": [{**_item(i), "role_words": role_words(state, opp, i)} for i in found.items],
    }


def _item(i: Item) -> dict[str, Any]:
    return {
        "key": i.key,
        "kind": i.kind,
        "person_id": i.person_id,
        "name": i.name,
        "organisation": i.organisation,
        "roles": list(i.roles),
        "most": i.most,
        "state": i.state,
        "followup": encode_followup(i.followup) if i.followup else None,
        "when": iso(i.when),
        "opportunity_id": i.opportunity_id,
    }


OWED_OPS: Mapping[str, tuple[tuple[str, ...], Callable[[State, Fields], Answer]]] = {
    "draft": (("key", "ios", "tone", "answers"), _draft),
    "send_links": (("email", "phone", "subject", "body", "sms", "ios"), _send_links),
    "person": (("id", "ios"), _person),
    "round": (("opportunity_id",), _round),
}


def encode_followup(f: FollowUp) -> dict[str, Any]:
    refs = f.refs
    return {
        "key": f.key,
        "rule": f.rule,
        "person_ids": list(f.person_ids),
        "who": f.who,
        "why": f.why,
        "since": iso(f.since),
        "due": f.due_date.isoformat() if f.due_date is not None else iso(f.due),
        "all_day": f.due_date is not None,
        "overdue": f.overdue,
        "overdue_hours": f.overdue_hours,
        "priority": f.priority,
        "channels": [c.value for c in f.channels],
        "group": f.group,
        "mark": f.mark,
        "roles": list(f.roles),
        "refs": {
            "introduction_id": refs.introduction_id,
            "interaction_id": refs.interaction_id,
            "opportunity_id": refs.opportunity_id,
            "event_id": refs.event_id,
            "item": refs.item,
        },
        "status": f.status.value,
        "snoozed_until": iso(f.snoozed_until),
        # A bundle (key `bundle:<person>`) carries its parts and its one-line summary.
        **({"label": f.label, "parts": [encode_followup(p) for p in f.parts]} if f.parts else {}),
    }


def encode_draft(d: Draft) -> dict[str, Any]:
    return {
        "subject": d.subject,
        "body": d.body,
        "sms": d.sms,
        "channels": [c.value for c in d.channels],
        "to": {"name": d.to.name, "email": d.to.email, "phone": d.to.phone},
        "needs": [{"field": n.field, "question": n.question, "key": n.key} for n in d.needs],
        "tone": d.tone,
    }


def _people(state: State, ids: list[PersonId]) -> list[dict[str, Any]]:
    unique = dict.fromkeys(p for p in ids if p in state.people)
    return [encode_record(state.people[p]) for p in unique]
