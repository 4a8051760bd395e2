"""The codec (codec.py, fields.py): the records JavaScript writes decode; wrong data is refused
with a code naming the field; the whole state survives encode -> decode unchanged."""

from __future__ import annotations

import json
from copy import deepcopy
from typing import Any

import pytest
from followup.codec import (
    SCHEMA_VERSION,
    decode_state,
    encode_state,
    strict_interaction,
    strict_person,
)
from followup.errors import CodecError
from followup.quick import quick_interaction, quick_person
from hypothesis import given, settings

from .strategies import states

# Records exactly as docs/engine-api.md says the shell writes them (a capture, and more).
PERSON = {
    "id": "p1", "name": "Bea Chen", "organisation": "NBC", "role": "Head of Sales",
    "emails": ["bea@nbc.example"], "phones": [], "urls": [], "tags": ["media"],
    "notes": "Met by the coffee stand", "how_met": "Tech Mixer", "event_id": "e1",
    "created_at": "2026-11-22T18:10:00Z", "updated_at": "2026-11-22T18:10:00.123+00:00",
}  # fmt: skip
CAPTURE = {
    "people": [PERSON, {**PERSON, "id": "p0", "name": "Ann Smith", "event_id": None}],
    "events": [{"id": "e1", "name": "Tech Mixer", "date": "2026-11-22", "place": "Loft",
                "created_at": "2026-11-22T17:00:00Z"}],
    "introductions": [{"id": "i1", "introducer_id": "p0", "introduced_id": "p1",
                       "at": "2026-11-22T18:11:00+01:00", "kind": "referral",
                       "context": "talk to her about media sales", "status": "offered",
                       "outcome": "", "created_at": "2026-11-22T18:11:00+01:00"}],
    "interactions": [{"id": "x1", "person_ids": ["p1"], "kind": "coffee",
                      "at": "2026-11-23T08:00:00Z", "notes": "",
                      "advice": [{"text": "Read X", "kind": "book", "done_at": None}],
                      "promises": [{"text": "send CV", "due": "2026-11-25", "done_at": None}],
                      "opportunity_id": None, "followup_key": None,
                      "created_at": "2026-11-23T08:00:00Z"}],
    "opportunities": [{"id": "o1", "organisation": "NBC", "role": "AE", "stage": "applied",
                       "stage_at": "2026-11-20T10:00:00Z",
                       "people": [{"person_id": "p1", "role": "hiring_manager"}],
                       "introduction_id": "i1", "notes": "", "created_at": "2026-11-19T10:00:00Z"}],
    "decisions": [{"key": "reach-out:i1", "status": "snoozed", "until": "2026-11-23T12:00:00Z",
                   "reason": "", "at": "2026-11-23T07:00:00Z"}],
    "meta": [{"id": "settings"}, {"id": "profile", "name": "Sam"}, {"id": "sync", "cursor": 3}],
}  # fmt: skip


def _error(data: dict[str, Any]) -> tuple[str, str | None]:
    with pytest.raises(CodecError) as error:
        decode_state(data)
    return error.value.code, error.value.field


def test_the_records_the_shell_writes_decode() -> None:
    state = decode_state(CAPTURE)

    assert state.people["p1"].event_id == "e1"
    assert state.introductions["i1"].at.isoformat() == "2026-11-22T17:11:00+00:00"
    assert state.profile.name == "Sam"


def test_a_capture_may_leave_out_optional_fields() -> None:
    state = decode_state(
        {"people": [{"id": "p9", "name": "Cy", "created_at": "2026-11-22T18:00:00Z"}]}
    )

    person = state.people["p9"]
    assert (person.emails, person.event_id, person.updated_at) == ((), None, person.created_at)


def test_fields_starting_with_an_underscore_belong_to_the_shell_and_are_ignored() -> None:
    data = deepcopy(CAPTURE)
    data["people"][0]["_hlc"] = "0001"

    assert decode_state(data).people["p1"].name == "Bea Chen"


def test_meta_records_the_engine_does_not_own_are_left_to_the_shell() -> None:
    assert [m["id"] for m in encode_state(decode_state(CAPTURE))["meta"]] == ["settings", "profile"]


@pytest.mark.parametrize(
    ("change", "code", "field"),
    [
        (lambda d: d["people"][0].pop("name"), "missing-field", "people[0].name"),
        (lambda d: d["people"][0].update(emails="bea@x"), "wrong-type", "people[0].emails"),
        (lambda d: d["people"][0].update(emails=[3]), "wrong-type", "people[0].emails[0]"),
        (lambda d: d["people"][0].update(colour="red"), "unknown-field", "people[0].colour"),
        (lambda d: d["people"][0].update(notes=None), "wrong-type", "people[0].notes"),
        (lambda d: d["people"][1].update(id="p1"), "duplicate-id", "people[1]"),
        (
            lambda d: d["people"][0].update(created_at="2026-11-22T18:10:00"),
            "naive-time",
            "people[0].created_at",
        ),
        (
            lambda d: d["people"][0].update(created_at="yesterday"),
            "bad-time",
            "people[0].created_at",
        ),
        (lambda d: d["events"][0].update(date="22/11/2026"), "bad-date", "events[0].date"),
        (
            lambda d: d["introductions"][0].update(status="done"),
            "unknown-value",
            "introductions[0].status",
        ),
        (
            lambda d: d["interactions"][0].update(kind="lunch"),
            "unknown-value",
            "interactions[0].kind",
        ),
        (
            lambda d: d["interactions"][0]["advice"][0].pop("text"),
            "missing-field",
            "interactions[0].advice[0].text",
        ),
        (
            lambda d: d["interactions"][0]["promises"][0].update(due=None),
            "wrong-type",
            "interactions[0].promises[0].due",
        ),
        (
            lambda d: d["opportunities"][0]["people"][0].update(role="boss"),
            "unknown-value",
            "opportunities[0].people[0].role",
        ),
        (
            lambda d: d["decisions"][0].update(status="later"),
            "unknown-value",
            "decisions[0].status",
        ),
        (
            lambda d: d["meta"][0].update(rules={"thank-you": {"due_hours": "1"}}),
            "wrong-type",
            "meta[0].rules.thank-you.due_hours",
        ),
    ],
)
def test_a_wrong_record_is_set_aside_naming_the_field(change: Any, code: str, field: str) -> None:
    data = deepcopy(CAPTURE)
    change(data)

    (found,) = decode_state(data).set_aside
    assert (found.error, found.field) == (code, field)


@pytest.mark.parametrize(
    ("change", "code", "field"),
    [
        (lambda d: d.update(contacts=[]), "unknown-field", "data.contacts"),
        (lambda d: d.update(people={}), "wrong-type", "people"),
    ],
)
def test_wrong_data_is_refused_naming_the_field(change: Any, code: str, field: str) -> None:
    data = deepcopy(CAPTURE)
    change(data)

    assert _error(data) == (code, field)


def test_data_from_a_newer_schema_is_refused_so_nothing_is_lost() -> None:
    assert _error({"schema_version": SCHEMA_VERSION + 1}) == (
        "unsupported-schema",
        "schema_version",
    )


def test_encoding_writes_the_schema_version_and_every_field() -> None:
    encoded = encode_state(decode_state(CAPTURE))

    assert encoded["schema_version"] == SCHEMA_VERSION
    assert set(encoded["people"][0]) == set(PERSON) | {"cadence_days", "given_name", "call_them"}


def test_encoding_twice_gives_the_same_json() -> None:
    once = encode_state(decode_state(CAPTURE))

    assert encode_state(decode_state(json.loads(json.dumps(once)))) == once


@settings(max_examples=30, deadline=None)
@given(states())
def test_decoding_the_encoded_state_gives_the_same_state(state: Any) -> None:
    assert decode_state(json.loads(json.dumps(encode_state(state)))) == state


@settings(max_examples=20, deadline=None)
@given(states())
def test_the_fast_path_and_the_strict_reader_agree_on_every_record(state: Any) -> None:
    encoded = encode_state(state)
    for i, raw in enumerate(encoded["people"]):
        quick = quick_person(raw)
        assert quick is None or quick == strict_person(raw, f"people[{i}]")
    for i, raw in enumerate(encoded["interactions"]):
        quick = quick_interaction(raw)
        assert quick is None or quick == strict_interaction(raw, f"interactions[{i}]")


def test_the_fast_path_takes_the_common_records_and_leaves_the_rest() -> None:
    plain = {**CAPTURE["interactions"][0], "advice": [], "promises": []}

    assert quick_interaction(plain) is not None
    assert quick_interaction(CAPTURE["interactions"][0]) is None
    assert quick_person(PERSON) is not None
    assert quick_person({**PERSON, "created_at": "2026-11-22T19:10:00+01:00"}) is None
