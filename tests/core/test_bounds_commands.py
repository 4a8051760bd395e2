"""Bad values in every field of every command (bounds.py, issue 15), through `api.call`.

Each command's payload fields and their kinds come from the record it writes (schema.py), so a
field added to a record is tried here at once. The same classes as for stored records: dates
past the range, ids with reserved characters, text with broken or control characters or too
long, and text in another Unicode form, which is stored composed (NFC).
"""

from __future__ import annotations

import json
import unicodedata
from collections.abc import Iterator, Mapping
from typing import Any

import pytest
from followup import schema
from followup.bounds import ID_MAX, TEXT_MAX
from followup.commands import COMMAND_NAMES

from .test_bounds import (
    BAD_IN_TEXT,
    DATES,
    FAR_DAYS,
    FAR_TIMES,
    IDS,
    LIMITS,
    LISTS,
    NOW,
    RESERVED_IN_IDS,
    RESERVED_IN_KEYS,
    TEXTS,
    TODAY,
    call,
    fields_of,
    put_at,
)
from .test_codec import CAPTURE

_STAMPS = ("created_at", "updated_at")


def _without(shape: schema.Schema, *names: str) -> dict[str, Any]:
    return {k: v for k, v in shape.items() if k not in (*names, *_STAMPS)}


def _only(shape: schema.Schema, *names: str) -> dict[str, Any]:
    return {k: shape[k] for k in names}


# Each command: the kinds of its payload fields (from the record it writes), and a payload the
# CAPTURE state accepts. A command missing here is still sent its clock at the range's ends.
_KEY = "reach-out:i1"
COMMANDS: Mapping[str, tuple[schema.Schema, dict[str, Any]]] = {
    "add_person": (_without(schema.PERSON), {"id": "p9", "name": "Cy Doe"}),
    "update_person": (_without(schema.PERSON), {"id": "p1"}),
    "add_event": (_without(schema.EVENT), {"id": "e9", "name": "Meetup", "date": TODAY}),
    "record_introduction": (
        _without(schema.INTRODUCTION, "status", "status_at"),
        {"id": "i9", "introducer_id": "p0", "introduced_id": "p1"},
    ),
    "update_introduction": (
        _only(schema.INTRODUCTION, "id", "kind", "context", "status", "outcome", "at"),
        {"id": "i1"},
    ),
    "log_interaction": (
        _without(schema.INTERACTION),
        {
            "id": "x9",
            "person_ids": ["p1"],
            "kind": "coffee",
            "advice": [{"text": "Read X"}],
            "promises": [{"text": "Send CV", "due": TODAY}],
            "opportunity_id": "o1",
        },
    ),
    "add_opportunity": (
        _without(schema.OPPORTUNITY, "stage_at"),
        {"id": "o9", "organisation": "Acme", "people": [{"person_id": "p1", "role": "contact"}]},
    ),
    "update_opportunity": (
        _only(
            schema.OPPORTUNITY, "id", "organisation", "role", "people", "introduction_id", "notes"
        ),
        {"id": "o1", "people": [{"person_id": "p1", "role": "contact"}]},
    ),
    "move_opportunity": (
        {"id": schema.ID, "stage": schema.CHOICE, "at": schema.TIME},
        {"id": "o1", "stage": "offer"},
    ),
    "landed": ({"opportunity_id": schema.ID, "at": schema.TIME}, {"opportunity_id": "o1"}),
    "mark_done": ({"key": schema.KEY}, {"key": _KEY}),
    "snooze": (
        {"key": schema.KEY, "until": schema.TIME},
        {"key": _KEY, "until": "2026-11-24T09:00:00Z"},
    ),
    "skip": ({"key": schema.KEY, "reason": schema.TEXT}, {"key": _KEY}),
    "reopen": ({"key": schema.KEY}, {"key": _KEY}),
    "merge_people": (
        {"keep_id": schema.ID, "drop_id": schema.ID},
        {"keep_id": "p0", "drop_id": "p1"},
    ),
    "save_profile": (_without(schema.PROFILE, "id"), {"name": "Sam"}),
    # Issue 10's one decision for "a person, and how I know them" (commands.py, when present).
    "capture": (
        {
            "person": _without(schema.PERSON),
            "event": _without(schema.EVENT),
            "introduced_by": _without(schema.PERSON),
            "introduction": _only(schema.INTRODUCTION, "id", "kind", "context", "at"),
            "met": _only(schema.INTERACTION, "id", "at", "kind"),
        },
        {
            "person": {"id": "p9", "name": "Cy Doe"},
            "event": {"id": "e9", "name": "Meetup", "date": TODAY},
            "introduced_by": {"id": "p8", "name": "Di Roe"},
            "introduction": {"id": "i9"},
            "met": {"id": "x9", "at": NOW},
        },
    ),
}


def _nested(shape: Mapping[str, Any], prefix: str = "") -> Iterator[tuple[str, str]]:
    """Like test_bounds.fields_of, with capture's parts (single objects) as `person.name`."""
    for name, kind in shape.items():
        if isinstance(kind, str):
            yield f"{prefix}{name}", kind
        elif name in ("advice", "promises", "people"):
            yield from fields_of(kind, f"{prefix}{name}[0].")
        else:
            yield from _nested(kind, f"{prefix}{name}.")


def command_fields(*kinds: str) -> list[Any]:
    return [
        pytest.param(name, path, kind, id=f"{name}.{path}")
        for name, (shape, _) in COMMANDS.items()
        if name in COMMAND_NAMES
        for path, kind in _nested(shape)
        if kind in kinds
    ]


def _payload(name: str, path: str, value: Any, kind: str) -> dict[str, Any]:
    payload = COMMANDS[name][1]
    parts = path.split(".")
    if len(parts) > 1 and "[" not in parts[0]:  # a part of capture: {"person": {...}}
        part, rest = parts[0], ".".join(parts[1:])
        inner = put_at(dict(payload.get(part) or {}), rest, [value] if kind in LISTS else value)
        return {**payload, part: inner}
    return put_at(payload, path, [value] if kind in LISTS else value)


def send(name: str, path: str, value: Any, kind: str) -> dict[str, Any]:
    payload = _payload(name, path, value, kind)
    return call(op="command", name=name, payload=payload, now=NOW, today=TODAY)


def refusal(answer: dict[str, Any]) -> tuple[str, str]:
    """The error and the field it names, as a payload path (capture's start "payload.")."""
    return answer["error"], str(answer["field"]).removeprefix("payload.")


def named(path: str, kind: str) -> str:
    return path + ("[0]" if kind in LISTS else "")


@pytest.fixture(autouse=True)
def loaded() -> Iterator[None]:
    assert call(op="load", data=CAPTURE)["ok"]
    yield
    call(op="load", data={})


@pytest.mark.parametrize("name", [n for n in COMMANDS if n in COMMAND_NAMES])
def test_every_sample_payload_is_accepted(name: str) -> None:
    answer = call(op="command", name=name, payload=COMMANDS[name][1], now=NOW, today=TODAY)

    assert answer["ok"], answer


@pytest.mark.parametrize(("name", "path", "kind"), command_fields(*DATES))
def test_a_date_past_either_end_of_the_range_is_refused_naming_its_field(
    name: str, path: str, kind: str
) -> None:
    for value in FAR_DAYS if kind == schema.DAY else FAR_TIMES:
        answer = send(name, path, value, kind)

        assert refusal(answer) == ("out-of-range", named(path, kind)), (value, answer)


@pytest.mark.parametrize(("name", "path", "kind"), command_fields(*IDS))
def test_an_id_with_a_reserved_character_is_refused_naming_its_field(
    name: str, path: str, kind: str
) -> None:
    for char in RESERVED_IN_IDS:
        answer = send(name, path, f"p{char}1", kind)

        assert refusal(answer) == ("bad-id", named(path, kind)), (repr(char), answer)
    too_long = send(name, path, "p" * (ID_MAX + 1), kind)
    assert refusal(too_long) == ("too-long", named(path, kind))


@pytest.mark.parametrize(("name", "path", "kind"), command_fields(schema.KEY))
def test_a_follow_up_key_with_a_reserved_character_is_refused_naming_its_field(
    name: str, path: str, kind: str
) -> None:
    for char in RESERVED_IN_KEYS:
        answer = send(name, path, f"reach-out:i{char}1", kind)

        assert refusal(answer) == ("bad-id", named(path, kind)), (repr(char), answer)


@pytest.mark.parametrize(("name", "path", "kind"), command_fields(*TEXTS))
def test_text_with_a_broken_or_control_character_is_refused_naming_its_field(
    name: str, path: str, kind: str
) -> None:
    for char in BAD_IN_TEXT:
        answer = send(name, path, f"Bea{char}Chen", kind)

        assert refusal(answer) == ("bad-text", named(path, kind)), (repr(char), answer)


@pytest.mark.parametrize(("name", "path", "kind"), command_fields(*TEXTS))
def test_text_longer_than_its_limit_is_refused_naming_its_field(
    name: str, path: str, kind: str
) -> None:
    answer = send(name, path, "x" * (LIMITS[kind] + 1), kind)

    assert refusal(answer) == ("too-long", named(path, kind)), answer


@pytest.mark.parametrize(("name", "path", "kind"), command_fields(*TEXTS))
def test_text_in_decomposed_form_is_stored_composed(name: str, path: str, kind: str) -> None:
    decomposed = unicodedata.normalize("NFD", "José Núñez@example.com")

    answer = send(name, path, decomposed, kind)

    if answer["ok"]:  # a field's own rules may refuse it; what is stored is composed
        stored = json.dumps(answer["put"], ensure_ascii=False)
        assert "José Núñez@example.com" in stored
        assert decomposed not in stored
    else:
        # An email, phone or web address that is not one: refused for that, naming the field.
        assert answer["error"] in {"invalid-email", "bad-card"}, answer
        assert answer["field"].endswith(named(path, kind)), answer


def test_a_one_megabyte_name_is_refused_not_turned_into_a_one_megabyte_subject() -> None:
    answer = call(
        op="command",
        name="add_person",
        payload={"id": "p9", "name": "N" * 1_000_000},
        now=NOW,
        today=TODAY,
    )

    assert (answer["error"], answer["field"]) == ("too-long", "name")


@pytest.mark.parametrize("part", ["subject", "body", "sms"])
def test_a_template_saved_from_settings_is_text_like_any_other(part: str) -> None:
    for bad, code in (("Hi\x00", "bad-text"), ("x" * (TEXT_MAX + 1), "too-long")):
        answer = call(
            op="command",
            name="save_settings",
            payload={"settings": {"templates": {"thank-you": {part: bad}}}},
            now=NOW,
            today=TODAY,
        )

        assert (answer["error"], answer["field"]) == (code, f"settings.templates.thank-you.{part}")


def test_a_merge_that_would_join_notes_past_their_limit_is_refused_and_changes_nothing() -> None:
    data = {**CAPTURE, "people": [{**p, "notes": p["id"] * 30_000} for p in CAPTURE["people"]]}
    assert call(op="load", data=data)["ok"]
    before = call(op="export")

    answer = call(
        op="command",
        name="merge_people",
        payload={"keep_id": "p0", "drop_id": "p1"},
        now=NOW,
        today=TODAY,
    )

    assert (answer["error"], answer["field"]) == ("too-long", "notes")
    assert call(op="export") == before
