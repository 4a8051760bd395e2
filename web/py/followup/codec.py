"""Records <-> their JSON shapes (docs/engine-api.md), and the whole state <-> the `load` payload.

Decoding is strict: a wrong type, an unknown value, an unknown field or a naive time is an error
that names the field (`people[3].emails[0]`). Fields starting with `_` belong to the shell and are
ignored. Optional fields may be left out and take their documented defaults.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any, TypeVar

from . import schema
from .bounds import URL_MAX, waive_lengths
from .errors import CodecError
from .fields import REQUIRED as _REQUIRED
from .fields import Fields, iso
from .model import (
    Advice,
    AdviceKind,
    DecisionStatus,
    Event,
    EventId,
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
    Reply,
    Stage,
)
from .quick import quick_interaction, quick_person
from .rounds import decode_rounds, encode_rounds
from .settings import DEFAULT_SETTINGS, Settings, decode_settings, encode_settings
from .state import Record, SetAside, State, new_state
from .trashed import TRASHED, Trashed, encode_info, trashable

SCHEMA_VERSION = 1
STORES = ("people", "events", "introductions", "interactions", "opportunities", "decisions")

T = TypeVar("T")


PERSON_FIELDS = tuple(schema.PERSON)


def decode_person(raw: object, where: str) -> Person:
    return quick_person(raw) or strict_person(raw, where)


def strict_person(raw: object, where: str) -> Person:
    f = Fields(raw, where, PERSON_FIELDS)
    pid = PersonId(f.ident("id"))
    created = f.instant("created_at")
    return Person(
        id=pid,
        name=f.line("name", _REQUIRED),
        given_name=f.line("given_name"),
        call_them=f.line("call_them"),
        organisation=f.line("organisation"),
        role=f.line("role"),
        emails=f.texts("emails"),
        phones=f.texts("phones"),
        urls=f.texts("urls", URL_MAX),
        tags=f.texts("tags"),
        notes=f.text("notes"),
        how_met=f.text("how_met"),
        event_id=_maybe(EventId, f.ref("event_id")),
        cadence_days=f.integer("cadence_days", 0, 3650),
        created_at=created,
        updated_at=f.instant("updated_at", created),
    )


def decode_event(raw: object, where: str) -> Event:
    f = Fields(raw, where, EVENT_FIELDS)
    return Event(
        id=EventId(f.ident("id")),
        name=f.line("name", _REQUIRED),
        date=f.day("date"),
        place=f.line("place"),
        created_at=f.instant("created_at"),
    )


EVENT_FIELDS = tuple(schema.EVENT)
INTRODUCTION_FIELDS = tuple(schema.INTRODUCTION)


def decode_introduction(raw: object, where: str) -> Introduction:
    f = Fields(raw, where, INTRODUCTION_FIELDS)
    ident = IntroductionId(f.ident("id"))
    at = f.instant("at")
    return Introduction(
        id=ident,
        introducer_id=PersonId(f.ident("introducer_id")),
        introduced_id=PersonId(f.ident("introduced_id")),
        at=at,
        kind=f.choice("kind", IntroductionKind, IntroductionKind.INTRODUCTION),
        context=f.text("context"),
        status=f.choice("status", IntroductionStatus, IntroductionStatus.OFFERED),
        status_at=f.maybe_instant("status_at"),
        outcome=f.text("outcome"),
        created_at=f.instant("created_at", at),
    )


def decode_advice(raw: object, where: str) -> Advice:
    f = Fields(raw, where, ADVICE_FIELDS)
    return Advice(
        text=f.text("text", _REQUIRED),
        kind=f.choice("kind", AdviceKind, AdviceKind.OTHER),
        done_at=f.maybe_instant("done_at"),
    )


def decode_promise(raw: object, where: str) -> Promise:
    f = Fields(raw, where, PROMISE_FIELDS)
    return Promise(
        text=f.text("text", _REQUIRED), due=f.day("due"), done_at=f.maybe_instant("done_at")
    )


INTERACTION_FIELDS = tuple(schema.INTERACTION)
ADVICE_FIELDS = tuple(schema.ADVICE)
PROMISE_FIELDS = tuple(schema.PROMISE)


def decode_interaction(raw: object, where: str) -> Interaction:
    return quick_interaction(raw) or strict_interaction(raw, where)


def strict_interaction(raw: object, where: str) -> Interaction:
    f = Fields(raw, where, INTERACTION_FIELDS)
    ident = InteractionId(f.ident("id"))
    at = f.instant("at")
    return Interaction(
        id=ident,
        person_ids=tuple(PersonId(p) for p in f.ids("person_ids")),
        kind=f.choice("kind", InteractionKind),
        at=at,
        notes=f.text("notes"),
        advice=f.objects("advice", decode_advice),
        promises=f.objects("promises", decode_promise),
        opportunity_id=_maybe(OpportunityId, f.ref("opportunity_id")),
        followup_key=f.ref_key("followup_key"),
        reply=None if f.raw.get("reply") is None else f.choice("reply", Reply),
        subject=f.line("subject"),
        thread=f.line("thread"),
        source_id=f.line("source_id"),
        asks=f.flag("asks"),
        first_line=f.line("first_line"),
        created_at=f.instant("created_at", at),
    )


def decode_link(raw: object, where: str) -> OpportunityPerson:
    f = Fields(raw, where, tuple(schema.OPPORTUNITY_PERSON))
    return OpportunityPerson(
        person_id=PersonId(f.ident("person_id")), role=f.choice("role", OpportunityRole)
    )


OPPORTUNITY_FIELDS = tuple(schema.OPPORTUNITY)


def decode_opportunity(raw: object, where: str) -> Opportunity:
    f = Fields(raw, where, OPPORTUNITY_FIELDS)
    ident = OpportunityId(f.ident("id"))
    stage_at = f.instant("stage_at")
    return Opportunity(
        id=ident,
        organisation=f.line("organisation", _REQUIRED),
        role=f.line("role"),
        stage=f.choice("stage", Stage),
        stage_at=stage_at,
        people=f.objects("people", decode_link),
        introduction_id=_maybe(IntroductionId, f.ref("introduction_id")),
        notes=f.text("notes"),
        created_at=f.instant("created_at", stage_at),
    )


def decode_decision(raw: object, where: str) -> FollowUpDecision:
    f = Fields(raw, where, tuple(schema.DECISION))
    return FollowUpDecision(
        key=f.key("key"),
        status=f.choice("status", DecisionStatus),
        until=f.maybe_instant("until"),
        reason=f.text("reason"),
        at=f.instant("at"),
    )


PROFILE_FIELDS = ("name", "email", "phone", "role", "organisation", "url")
# Before the engine kept them, the page stored these under a leading underscore.
_OLD_PROFILE_FIELDS = ("role", "organisation", "url")


def decode_profile(raw: object, where: str) -> Profile:
    f = Fields(raw, where, tuple(schema.PROFILE))
    values = {k: f.line(k) for k in PROFILE_FIELDS}
    for key in _OLD_PROFILE_FIELDS:
        old = f.raw.get(f"_{key}")
        if not f.has(key) and isinstance(old, str):
            # An old record: read, so nothing is lost; written back plainly.
            values[key] = Fields({key: old}, where, (key,)).line(key)
    return Profile(**values)


# Each store's reader; a record carrying `trashed` reads as `Trashed` (trashed.py).
DECODERS: Mapping[str, Callable[[object, str], Record | Trashed]] = {
    store: trashable(store, decode)
    for store, decode in (
        ("people", decode_person),
        ("events", decode_event),
        ("introductions", decode_introduction),
        ("interactions", decode_interaction),
        ("opportunities", decode_opportunity),
        ("decisions", decode_decision),
    )
}


def decode_records(
    store: str, raw: object, where: str, aside: list[SetAside] | None = None
) -> list[Record | Trashed]:
    """A list of one store's records; the same id twice is an error. With `aside`, a record
    that cannot be read is added to it and left out instead (`read_stored` reads it)."""
    if not isinstance(raw, list):
        raise CodecError("wrong-type", "This should be a list of records.", where)
    decode = DECODERS[store]
    try:
        # The fast path: every record reads. Only when one does not are they read one by one.
        records = [decode(r, f"{where}[{i}]") for i, r in enumerate(raw)]
        seen: set[str] = set()
        for i, record in enumerate(records):
            key = _key(record)
            if key in seen:
                raise CodecError("duplicate-id", f"'{key}' appears twice.", f"{where}[{i}]")
            seen.add(key)
        return records
    except CodecError:
        if aside is None:
            raise
    return _each(store, decode, raw, where, aside)


def _key(record: Record | Trashed) -> str:
    if isinstance(record, Trashed):
        return record.key
    return record.key if isinstance(record, FollowUpDecision) else record.id


def _each(
    store: str,
    decode: Callable[[object, str], Record | Trashed],
    raw: list[object],
    where: str,
    aside: list[SetAside],
) -> list[Record | Trashed]:
    records: list[Record | Trashed] = []
    seen: set[str] = set()
    for i, item in enumerate(raw):
        at = f"{where}[{i}]"
        try:
            record = read_stored(decode, item, at)
            key = _key(record)
            if key in seen:
                raise CodecError("duplicate-id", f"'{key}' appears twice.", at)
        except CodecError as error:
            aside.append(set_aside(store, item, error))
            continue
        seen.add(key)
        records.append(record)
    return records


def read_stored(decode: Callable[[object, str], T], raw: object, where: str) -> T:
    """A stored record, read as the app that stored it allowed: text longer than today's
    limits is read as it is (bounds.waive_lengths). Anything else wrong raises."""
    try:
        return decode(raw, where)
    except CodecError as error:
        if error.code != "too-long":
            raise
    waive_lengths(True)
    try:
        return decode(raw, where)
    finally:
        waive_lengths(False)


def set_aside(store: str, raw: object, error: CodecError) -> SetAside:
    """The report of a stored record that cannot be read, with its id as found."""
    found = raw.get("key" if store == "decisions" else "id") if isinstance(raw, Mapping) else None
    return SetAside(
        store=store,
        id=found if isinstance(found, str) else None,
        field=error.field,
        error=error.code,
        message=error.message,
        raw=raw,
    )


def encode_stored(store: str, record: Record | Trashed) -> dict[str, Any]:
    """A record the engine made, encoded for the shell to store, after checking it decodes
    again: the engine never writes what a later load would refuse (a merge joining two long
    notes, an import). The error names the record's field."""
    if isinstance(record, Trashed):  # a record as it was read, with the trash mark
        return encode_any(record)
    encoded = encode_record(record)
    DECODERS[store](encoded, "")
    return encoded


def decode_meta(
    raw: object, where: str, aside: list[SetAside] | None = None
) -> tuple[Settings | None, Profile | None]:
    """Settings and profile from the `meta` records; other meta records are the shell's. With
    `aside`, a record that cannot be read is added to it and left out instead."""
    if not isinstance(raw, list):
        raise CodecError("wrong-type", "This should be a list of records.", where)
    settings: Settings | None = None
    profile: Profile | None = None
    for i, record in enumerate(raw):
        at = f"{where}[{i}]"
        try:
            if not isinstance(record, Mapping) or not isinstance(record.get("id"), str):
                raise CodecError("missing-field", "A meta record needs a text id.", f"{at}.id")
            if record["id"] == "settings":
                settings = read_stored(_settings, record, at)
            elif record["id"] == "profile":
                profile = read_stored(decode_profile, record, at)
        except CodecError as error:
            if aside is None:
                raise
            aside.append(set_aside("meta", record, error))
    return settings, profile


def _settings(record: Any, where: str) -> Settings:
    return decode_settings({k: v for k, v in record.items() if k[:1] != "_"}, where)


def decode_state(data: object) -> State:
    """The whole state from the `load` payload (store name -> list of records). A record that
    cannot be read is set aside (`State.set_aside`) and the rest still load; only a payload
    that is not one at all, or is from a newer schema, is an error."""
    if not isinstance(data, Mapping):
        raise CodecError("wrong-type", "The data should be an object of stores.", "data")
    for key in data:
        if key not in (*STORES, "meta", "schema_version"):
            raise CodecError("unknown-field", f"'{key}' is not a store we know.", f"data.{key}")
    version = data.get("schema_version", SCHEMA_VERSION)
    if isinstance(version, bool) or not isinstance(version, int) or version < 1:
        raise CodecError("wrong-type", "The schema version should be a number.", "schema_version")
    if version > SCHEMA_VERSION:
        raise CodecError(
            "unsupported-schema",
            f"This data was written by a newer version (schema {version}); update the app.",
            "schema_version",
        )
    aside: list[SetAside] = []
    read = {s: decode_records(s, data.get(s, []), s, aside) for s in STORES}
    trash = [r for s in STORES for r in read[s] if isinstance(r, Trashed)]
    stores = {s: [r for r in read[s] if not isinstance(r, Trashed)] for s in STORES}
    settings, profile = decode_meta(data.get("meta", []), "meta", aside)
    return new_state(
        people=stores["people"],  # type: ignore[arg-type]
        events=stores["events"],  # type: ignore[arg-type]
        introductions=stores["introductions"],  # type: ignore[arg-type]
        interactions=stores["interactions"],  # type: ignore[arg-type]
        opportunities=stores["opportunities"],  # type: ignore[arg-type]
        decisions=stores["decisions"],  # type: ignore[arg-type]
        trash=trash,
        settings=settings or DEFAULT_SETTINGS,
        profile=profile or Profile(),
        rounds=decode_rounds(data.get("meta", [])),
        set_aside=aside,
    )


def encode_state(state: State) -> dict[str, Any]:
    """The whole state as the `load` payload, every list sorted by id, then the records set
    aside, as they were found (so a backup loses nothing)."""
    out: dict[str, Any] = {"schema_version": SCHEMA_VERSION}
    for store in STORES:
        records: Mapping[str, Record] = getattr(state, store)
        out[store] = [encode_record(records[k]) for k in sorted(records)]
        trashed = [t for (s, k), t in sorted(state.trash.items()) if s == store]
        out[store].extend(encode_any(t) for t in trashed)
    aside = {(x.store, x.id) for x in state.set_aside}
    out["meta"] = [
        *([] if ("meta", "settings") in aside else [encode_settings(state.settings)]),
        *([] if ("meta", "profile") in aside else [encode_profile(state.profile)]),
        *encode_rounds(state.rounds),
    ]
    for x in state.set_aside:
        out[x.store].append(x.raw)
    return out


def encode_profile(profile: Profile) -> dict[str, Any]:
    return {"id": "profile", **{k: getattr(profile, k) for k in PROFILE_FIELDS}}


def encode_any(record: Record | Trashed) -> dict[str, Any]:
    """A live record, or one in the trash with its `trashed` mark."""
    if isinstance(record, Trashed):
        return {**encode_record(record.record), TRASHED: encode_info(record)}
    return encode_record(record)


def encode_record(record: Record) -> dict[str, Any]:
    """One record in its IndexedDB shape (every field present)."""
    if isinstance(record, Person):
        return {
            "id": record.id, "name": record.name, "given_name": record.given_name,
            "call_them": record.call_them, "organisation": record.organisation,
            "role": record.role, "emails": list(record.emails), "phones": list(record.phones),
            "urls": list(record.urls), "tags": list(record.tags), "notes": record.notes,
            "how_met": record.how_met, "event_id": record.event_id,
            "cadence_days": record.cadence_days, "created_at": iso(record.created_at),
            "updated_at": iso(record.updated_at),
        }  # fmt: skip
    if isinstance(record, Event):
        return {
            "id": record.id, "name": record.name, "date": record.date.isoformat(),
            "place": record.place, "created_at": iso(record.created_at),
        }  # fmt: skip
    if isinstance(record, Introduction):
        return {
            "id": record.id, "introducer_id": record.introducer_id,
            "introduced_id": record.introduced_id, "at": iso(record.at), "kind": record.kind.value,
            "context": record.context, "status": record.status.value,
            "status_at": iso(record.status_at), "outcome": record.outcome,
            "created_at": iso(record.created_at),
        }  # fmt: skip
    if isinstance(record, Interaction):
        return {
            "id": record.id, "person_ids": list(record.person_ids), "kind": record.kind.value,
            "at": iso(record.at), "notes": record.notes,
            "advice": [
                {"text": a.text, "kind": a.kind.value, "done_at": iso(a.done_at)}
                for a in record.advice
            ],
            "promises": [
                {"text": p.text, "due": p.due.isoformat(), "done_at": iso(p.done_at)}
                for p in record.promises
            ],
            "opportunity_id": record.opportunity_id, "followup_key": record.followup_key,
            "reply": record.reply.value if record.reply is not None else None,
            "subject": record.subject, "thread": record.thread, "source_id": record.source_id,
            "asks": record.asks, "first_line": record.first_line,
            "created_at": iso(record.created_at),
        }  # fmt: skip
    if isinstance(record, Opportunity):
        return {
            "id": record.id, "organisation": record.organisation, "role": record.role,
            "stage": record.stage.value, "stage_at": iso(record.stage_at),
            "people": [{"person_id": p.person_id, "role": p.role.value} for p in record.people],
            "introduction_id": record.introduction_id, "notes": record.notes,
            "created_at": iso(record.created_at),
        }  # fmt: skip
    return {
        "key": record.key, "status": record.status.value, "until": iso(record.until),
        "reason": record.reason, "at": iso(record.at),
    }  # fmt: skip


def _maybe(kind: Callable[[str], T], value: str | None) -> T | None:
    return None if value is None else kind(value)
