"""What the shell asks for, in the imperative, parsed from `{name, payload}` with errors that
name the payload field. Checks that need the state (does this person exist?) are in engine.py.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from .bundle import is_bundle_key, person_of
from .codec import (
    INTERACTION_FIELDS,
    INTRODUCTION_FIELDS,
    OPPORTUNITY_FIELDS,
    PERSON_FIELDS,
    decode_event,
    decode_interaction,
    decode_introduction,
    decode_opportunity,
    decode_person,
    decode_profile,
)
from .errors import ValidationError
from .fields import Fields
from .history import Undo, parse_undo
from .model import (
    Event,
    EventId,
    Interaction,
    Introduction,
    IntroductionId,
    Opportunity,
    OpportunityId,
    Person,
    PersonId,
    Profile,
    Stage,
)
from .profile import checked
from .reply_ops import record_payload
from .settings import Rule
from .trash import Delete, Erase, Restore, parse_delete, parse_entry

# How many subjects follow the rule in a follow-up key ("thank-you:<interaction>:<person>").
KEY_SUBJECTS: Mapping[Rule, int] = {
    Rule.REACH_OUT: 1,
    Rule.THANK_YOU: 2,
    Rule.MET_AT_EVENT: 1,
    Rule.REJECTION_THANKS: 1,
    Rule.CLOSE_LOOP: 1,
    Rule.CLOSE_LOOP_OUTCOME: 1,
    Rule.ACT_ON_ADVICE: 2,
    Rule.REPORT_BACK: 2,
    Rule.PROMISE: 2,
    Rule.GRATITUDE: 2,
    Rule.COURTESY_NOTE: 1,
    Rule.KEEP_IN_TOUCH: 1,
    Rule.LAST_NOTE: 2,
    Rule.REPLY: 2,
}
_STAMPS = ("created_at", "updated_at")


@dataclass(frozen=True, slots=True, kw_only=True)
class AddPerson:
    person: Person


@dataclass(frozen=True, slots=True, kw_only=True)
class UpdatePerson:
    person_id: PersonId
    changes: Mapping[str, Any]


@dataclass(frozen=True, slots=True, kw_only=True)
class AddEvent:
    event: Event


@dataclass(frozen=True, slots=True, kw_only=True)
class RecordIntroduction:
    introduction: Introduction


@dataclass(frozen=True, slots=True, kw_only=True)
class UpdateIntroduction:
    introduction_id: IntroductionId
    changes: Mapping[str, Any]


@dataclass(frozen=True, slots=True, kw_only=True)
class LogInteraction:
    interaction: Interaction


@dataclass(frozen=True, slots=True, kw_only=True)
class AddOpportunity:
    opportunity: Opportunity


@dataclass(frozen=True, slots=True, kw_only=True)
class UpdateOpportunity:
    opportunity_id: OpportunityId
    changes: Mapping[str, Any]


@dataclass(frozen=True, slots=True, kw_only=True)
class MoveOpportunity:
    """Move to a stage; `accepted` ("I landed the job") opens the gratitude round, and
    withdraws from the other open processes listed in `withdraw` (landing.py)."""

    opportunity_id: OpportunityId
    stage: Stage
    at: datetime
    withdraw: tuple[OpportunityId, ...] = ()


@dataclass(frozen=True, slots=True, kw_only=True)
class MarkDone:
    key: str


@dataclass(frozen=True, slots=True, kw_only=True)
class Snooze:
    key: str
    until: datetime


@dataclass(frozen=True, slots=True, kw_only=True)
class Skip:
    key: str
    reason: str


@dataclass(frozen=True, slots=True, kw_only=True)
class Reopen:
    key: str


@dataclass(frozen=True, slots=True, kw_only=True)
class MergePeople:
    keep_id: PersonId
    drop_id: PersonId


@dataclass(frozen=True, slots=True, kw_only=True)
class SaveSettings:
    patch: Mapping[str, Any]


@dataclass(frozen=True, slots=True, kw_only=True)
class SaveProfile:
    profile: Profile


@dataclass(frozen=True, slots=True, kw_only=True)
class Capture:
    """A person and how you know them, decided as one: someone new (a `Person`) or saved (an
    id); where you met (a new `Event` or a saved one's id); who introduced you (new or saved),
    with the introduction; and "met today" as an interaction. All of it is done, or none."""

    person: Person | PersonId
    event: Event | EventId | None = None
    introducer: Person | PersonId | None = None
    introduction: Introduction | None = None
    met: Interaction | None = None


Command = (
    AddPerson | UpdatePerson | AddEvent | RecordIntroduction | UpdateIntroduction
    | LogInteraction | AddOpportunity | UpdateOpportunity | MoveOpportunity | MarkDone
    | Snooze | Skip | Reopen | MergePeople | SaveSettings | SaveProfile | Capture
    | Delete | Restore | Erase | Undo
)  # fmt: skip


def parse_command(name: str, payload: object, now: datetime) -> Command:
    """The command `name` from its payload; records get `now` as their creation time."""
    parser = _PARSERS.get(name)
    if parser is None:
        raise ValidationError("unknown-command", f"There is no command called '{name}'.", "name")
    if not isinstance(payload, Mapping):
        raise ValidationError("wrong-type", "The payload should be an object.", "payload")
    return parser(payload, now)


def split_key(key: str, field: str = "key") -> tuple[Rule, tuple[str, ...]]:
    """A follow-up key's rule and subjects; an error naming `field` if it is not one of ours."""
    rule_name, *subjects = key.split(":")
    try:
        rule = Rule(rule_name)
    except ValueError:
        raise ValidationError(
            "unknown-followup", f"'{key}' is not a follow-up key we make.", field
        ) from None
    if len(subjects) != KEY_SUBJECTS[rule] or not all(subjects):
        raise ValidationError("unknown-followup", f"'{key}' is not a follow-up key we make.", field)
    return rule, tuple(subjects)


def _record(
    payload: Mapping[str, Any],
    now: datetime,
    allowed: tuple[str, ...],
    stamps: Mapping[str, datetime],
) -> dict[str, Any]:
    """The payload as a record to decode: only its own fields, plus the engine's timestamps."""
    for key in payload:
        if key not in allowed or key in _STAMPS:
            raise ValidationError("unknown-field", f"'{key}' is not a field here.", key)
    return {**payload, **stamps}


def _add_person(payload: Mapping[str, Any], now: datetime) -> Command:
    raw = _record(payload, now, PERSON_FIELDS, {"created_at": now, "updated_at": now})
    return AddPerson(person=decode_person(raw, ""))


def _update(allowed: tuple[str, ...], make: Callable[[str, dict[str, Any]], Command]) -> Any:
    def parse(payload: Mapping[str, Any], now: datetime) -> Command:
        ident = Fields(payload, "", allowed).ident("id")
        changes = {k: v for k, v in payload.items() if k != "id"}
        for key in changes:
            if key in _STAMPS:
                raise ValidationError("unknown-field", f"'{key}' is set by the engine.", key)
        return make(ident, changes)

    return parse


def _add_event(payload: Mapping[str, Any], now: datetime) -> Command:
    raw = _record(payload, now, ("id", "name", "date", "place"), {"created_at": now})
    return AddEvent(event=decode_event(raw, ""))


def _record_introduction(payload: Mapping[str, Any], now: datetime) -> Command:
    allowed = tuple(f for f in INTRODUCTION_FIELDS if f not in ("status", "status_at"))
    raw = _record(payload, now, allowed, {"created_at": now})
    raw.setdefault("at", now)
    return RecordIntroduction(introduction=decode_introduction(raw, ""))


def _log_interaction(payload: Mapping[str, Any], now: datetime) -> Command:
    raw = _record(payload, now, INTERACTION_FIELDS, {"created_at": now})
    raw.setdefault("at", now)
    interaction = decode_interaction(raw, "")
    key = interaction.followup_key
    if key is not None:
        if is_bundle_key(key):
            person_of(key, "followup_key")
        else:
            split_key(key, "followup_key")
    return LogInteraction(interaction=interaction)


def _record_reply(payload: Mapping[str, Any], now: datetime) -> Command:
    """Paste a reply: the label the user confirmed, recorded as `log_interaction` would."""
    return _log_interaction(record_payload(payload, now), now)


def _add_opportunity(payload: Mapping[str, Any], now: datetime) -> Command:
    allowed = tuple(f for f in OPPORTUNITY_FIELDS if f != "stage_at")
    raw = _record(payload, now, allowed, {"created_at": now, "stage_at": now})
    raw.setdefault("stage", Stage.LEAD.value)
    return AddOpportunity(opportunity=decode_opportunity(raw, ""))


def _move_opportunity(payload: Mapping[str, Any], now: datetime) -> Command:
    f = Fields(payload, "", ("id", "stage", "at", "withdraw"))
    stage = f.choice("stage", Stage)
    withdraw = _withdraw(f)
    if withdraw and stage is not Stage.ACCEPTED:
        raise ValidationError(
            "not-landed", "Only landing the job withdraws from the others.", "withdraw"
        )
    return MoveOpportunity(
        opportunity_id=OpportunityId(f.ident("id")),
        stage=stage,
        at=f.instant("at", now),
        withdraw=withdraw,
    )


def _withdraw(f: Fields) -> tuple[OpportunityId, ...]:
    """The other processes to withdraw from on landing (ids; absent: none)."""
    if f.raw.get("withdraw") is None:
        return ()
    return tuple(dict.fromkeys(OpportunityId(i) for i in f.ids("withdraw")))


def _landed(payload: Mapping[str, Any], now: datetime) -> Command:
    f = Fields(payload, "", ("opportunity_id", "at", "withdraw"))
    return MoveOpportunity(
        opportunity_id=OpportunityId(f.ident("opportunity_id")),
        stage=Stage.ACCEPTED,
        at=f.instant("at", now),
        withdraw=_withdraw(f),
    )


def _key_command(make: Callable[[Fields, str], Command], allowed: tuple[str, ...]) -> Any:
    def parse(payload: Mapping[str, Any], now: datetime) -> Command:
        f = Fields(payload, "", ("key", *allowed))
        key = f.key("key")
        if is_bundle_key(key):
            person_of(key)
        else:
            split_key(key)
        return make(f, key)

    return parse


def _snooze(f: Fields, key: str) -> Command:
    return Snooze(key=key, until=f.instant("until"))


def _merge(payload: Mapping[str, Any], now: datetime) -> Command:
    f = Fields(payload, "", ("keep_id", "drop_id"))
    keep, drop = PersonId(f.ident("keep_id")), PersonId(f.ident("drop_id"))
    if keep == drop:
        raise ValidationError("same-person", "Choose two different people to merge.", "drop_id")
    return MergePeople(keep_id=keep, drop_id=drop)


def _save_settings(payload: Mapping[str, Any], now: datetime) -> Command:
    f = Fields(payload, "", ("settings",))
    patch = f.raw.get("settings")
    if not isinstance(patch, Mapping):
        raise ValidationError("wrong-type", "The settings should be an object.", "settings")
    return SaveSettings(patch=patch)


def _save_profile(payload: Mapping[str, Any], now: datetime) -> Command:
    # The card is checked here (not when records are read), so old data always loads.
    return SaveProfile(profile=checked(decode_profile(payload, "")))


_CAPTURE_PARTS = ("person", "event", "introduced_by", "introduction", "met")


def _capture(payload: Mapping[str, Any], now: datetime) -> Command:
    f = Fields(payload, "payload", _CAPTURE_PARTS)
    person = _new_or_saved(f.value("person"), f.field("person"), now)
    person_id = person.id if isinstance(person, Person) else person
    introducer = _maybe_part(f, "introduced_by", lambda raw, at: _new_or_saved(raw, at, now))
    raw_intro = f.raw.get("introduction")
    if introducer is None and raw_intro is not None:
        raise ValidationError("missing-field", "Say who introduced them.", f.field("introduced_by"))
    introduction = None
    if introducer is not None:
        if raw_intro is None:
            raise ValidationError(
                "missing-field", "An introduction needs its id.", f.field("introduction")
            )
        introducer_id = introducer.id if isinstance(introducer, Person) else introducer
        introduction = _capture_introduction(
            raw_intro, f.field("introduction"), introducer_id, person_id, now
        )
    return Capture(
        person=person,
        event=_maybe_part(f, "event", lambda raw, at: _capture_event(raw, at, now)),
        introducer=introducer,
        introduction=introduction,
        met=_maybe_part(f, "met", lambda raw, at: _capture_met(raw, at, person_id, now)),
    )


def _maybe_part(f: Fields, key: str, read: Callable[[object, str], Any]) -> Any:
    raw = f.raw.get(key)
    return None if raw is None else read(raw, f.field(key))


def _saved_id(raw: object) -> bool:
    """`{"id"}` alone names someone (or something) already saved."""
    return isinstance(raw, Mapping) and {k for k in raw if not str(k).startswith("_")} == {"id"}


def _new_or_saved(raw: object, where: str, now: datetime) -> Person | PersonId:
    if _saved_id(raw):
        return PersonId(Fields(raw, where, ("id",)).ident("id"))
    Fields(raw, where, tuple(f for f in PERSON_FIELDS if f not in _STAMPS))
    assert isinstance(raw, Mapping)  # Fields checked it
    return decode_person({**raw, "created_at": now, "updated_at": now}, where)


def _capture_event(raw: object, where: str, now: datetime) -> Event | EventId:
    if _saved_id(raw):
        return EventId(Fields(raw, where, ("id",)).ident("id"))
    Fields(raw, where, ("id", "name", "date", "place"))
    assert isinstance(raw, Mapping)
    return decode_event({**raw, "created_at": now}, where)


def _capture_introduction(
    raw: object, where: str, introducer: PersonId, introduced: PersonId, now: datetime
) -> Introduction:
    f = Fields(raw, where, ("id", "kind", "context", "at"))
    at = f.instant("at", now)
    record = {**f.raw, "introducer_id": introducer, "introduced_id": introduced, "at": at}
    return decode_introduction({**record, "created_at": now}, where)


def _capture_met(raw: object, where: str, person: PersonId, now: datetime) -> Interaction:
    f = Fields(raw, where, ("id", "at", "kind"))
    record = {**f.raw, "person_ids": [person], "kind": f.raw.get("kind", "meeting")}
    return decode_interaction({**record, "created_at": now}, where)


_PARSERS: Mapping[str, Callable[[Mapping[str, Any], datetime], Command]] = {
    "add_person": _add_person,
    "update_person": _update(
        PERSON_FIELDS, lambda i, c: UpdatePerson(person_id=PersonId(i), changes=c)
    ),
    "add_event": _add_event,
    "record_introduction": _record_introduction,
    "update_introduction": _update(
        ("id", "kind", "context", "status", "outcome", "at"),
        lambda i, c: UpdateIntroduction(introduction_id=IntroductionId(i), changes=c),
    ),
    "log_interaction": _log_interaction,
    "add_opportunity": _add_opportunity,
    "update_opportunity": _update(
        ("id", "organisation", "role", "people", "introduction_id", "notes"),
        lambda i, c: UpdateOpportunity(opportunity_id=OpportunityId(i), changes=c),
    ),
    "move_opportunity": _move_opportunity,
    "landed": _landed,
    "mark_done": _key_command(lambda f, k: MarkDone(key=k), ()),
    "snooze": _key_command(_snooze, ("until",)),
    "skip": _key_command(lambda f, k: Skip(key=k, reason=f.text("reason")), ("reason",)),
    "reopen": _key_command(lambda f, k: Reopen(key=k), ()),
    "merge_people": _merge,
    "save_settings": _save_settings,
    "save_profile": _save_profile,
    "capture": _capture,
    "delete": parse_delete,
    "restore": parse_entry(Restore),
    "erase": parse_entry(Erase),
    "undo": parse_undo,
    "record_reply": _record_reply,
}

COMMAND_NAMES = tuple(_PARSERS)
