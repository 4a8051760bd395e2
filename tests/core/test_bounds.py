"""Bad values in every field (bounds.py, issue 15), as classes of cases through `api.call`.

The fields come from the codec's own schema (schema.py): every field of every record (through
`load`) and of every command payload is tried with dates past both ends of the range, ids
holding each reserved character, text holding broken and control characters or one character
too many, and text typed in another Unicode form. The answer is always valid UTF-8, never
`internal-error`, and an error names the field.
"""

from __future__ import annotations

import json
import unicodedata
from collections.abc import Iterator
from copy import deepcopy
from pathlib import Path
from typing import Any

import pytest
from followup import api, schema
from followup.bounds import ID_MAX, KEY_MAX, LINE_MAX, MAX_DAY, MIN_DAY, TEXT_MAX, URL_MAX
from followup.quick import quick_interaction, quick_person

from .test_codec import CAPTURE

NOW, TODAY = "2026-11-23T09:00:00Z", "2026-11-23"

# Past either end of the range (1900-01-01 .. 9000-12-31), and where Python's dates end.
FAR_TIMES = (
    "0001-01-01T00:00:00Z",
    "0001-01-01T00:00:00+01:00",  # before year 1 in UTC
    "1899-12-31T23:59:59.999999Z",
    "9001-01-01T00:00:00Z",
    "9999-12-31T23:59:59Z",
    "9999-12-31T23:00:00-05:00",  # in the year 10000 in UTC
)
FAR_DAYS = ("0001-01-01", "1899-12-31", "9001-01-01", "9999-12-31")
EDGE_TIMES = ("1900-01-01T00:00:00Z", "9000-12-31T23:59:59.999999Z", "1900-01-01T01:00:00+01:00")
EDGE_DAYS = ("1900-01-01", "9000-12-31")
# What no id may hold: the key separator, spaces, controls, a broken (half) character, and
# characters that print as nothing.
RESERVED_IN_IDS = (":", " ", "\t", "\n", "\x00", "\x1f", "\x7f", "\x85", "\ud800", "\u200b")
RESERVED_IN_KEYS = tuple(c for c in RESERVED_IN_IDS if c != ":")
# What no text may hold: broken characters (lone surrogates) and control characters.
BAD_IN_TEXT = ("\ud800", "\udfff", "\x00", "\x08", "\x0b", "\x1b", "\x7f", "\x9f")
GOOD_IN_TEXT = ("\t", "\n", "\r\n", "\u00a0", "\u200d", "👩‍👩‍👧", "l'équipe")
LIMITS = {
    schema.LINE: LINE_MAX,
    schema.LINES: LINE_MAX,
    schema.URLS: URL_MAX,
    schema.TEXT: TEXT_MAX,
    schema.ID: ID_MAX,
    schema.REF: ID_MAX,
    schema.IDS: ID_MAX,
}
LISTS = (schema.LINES, schema.URLS, schema.IDS)
TEXTS = (schema.LINE, schema.LINES, schema.URLS, schema.TEXT)
IDS = (schema.ID, schema.REF, schema.IDS)
DATES = (schema.TIME, schema.MAYBE_TIME, schema.DAY)


def call(**request: Any) -> dict[str, Any]:
    answer = api.call(json.dumps(request))
    answer.encode("utf-8")  # every answer can be written as UTF-8
    result: dict[str, Any] = json.loads(answer)
    assert result.get("error") != "internal-error", result
    return result


@pytest.fixture(autouse=True)
def loaded() -> Iterator[None]:
    assert call(op="load", data=CAPTURE)["ok"]
    yield
    call(op="load", data={})


# --- Every field, from the schema ---------------------------------------------------------------


def fields_of(shape: schema.Schema, prefix: str = "") -> Iterator[tuple[str, str]]:
    """(path, kind) for every field, nested objects' fields as `advice[0].text`."""
    for name, kind in shape.items():
        if isinstance(kind, str):
            yield f"{prefix}{name}", kind
        else:
            yield from fields_of(kind, f"{prefix}{name}[0].")


def record_fields(*kinds: str) -> list[Any]:
    return [
        pytest.param(store, path, kind, id=f"{store}.{path}")
        for store, shape in schema.SCHEMA.items()
        for path, kind in fields_of(shape)
        if kind in kinds
    ]


def put_at(record: dict[str, Any], path: str, value: Any) -> dict[str, Any]:
    """A copy of `record` with `value` at `path` (`advice[0].text`); lists get `[value]`."""
    record = deepcopy(record)
    *parents, last = path.split(".")
    target = record
    for part in parents:
        name, index = part.rstrip("]").split("[")
        target = target[name][int(index)]
    target[last] = value
    return record


def loading(store: str, path: str, value: Any, kind: str) -> dict[str, Any]:
    """`load` with the store's first record's field set to `value` (as a list for lists)."""
    data = deepcopy(CAPTURE)
    data[store][0] = put_at(data[store][0], path, [value] if kind in LISTS else value)
    return call(op="load", data=data)


def set_aside(answer: dict[str, Any]) -> tuple[str, str]:
    """The load went through, with exactly one record set aside: its (error, field)."""
    assert answer["ok"], answer
    (found,) = answer["set_aside"]
    return found["error"], found["field"]


def field_named(store: str, path: str, kind: str) -> str:
    return f"{store}[0].{path}" + ("[0]" if kind in LISTS else "")


def exported(store: str, path: str, kind: str) -> Any:
    value = call(op="export")["data"][store]
    record = next(
        r
        for r in value
        if r.get("id", r.get("key")) == CAPTURE[store][0].get("id", CAPTURE[store][0].get("key"))
    )
    for part in path.split("."):
        if "[" in part:
            name, index = part.rstrip("]").split("[")
            record = record[name][int(index)]
        else:
            record = record[part]
    return record[0] if kind in LISTS else record


def test_the_schema_lists_every_field_the_codec_writes() -> None:
    data = call(op="export")["data"]

    for store, shape in schema.SCHEMA.items():
        assert set(data[store][0]) == set(shape), store
    assert set(data["meta"][1]) == set(schema.PROFILE)


# --- Dates: refused past the range, kept at its ends ------------------------------------------


@pytest.mark.parametrize(("store", "path", "kind"), record_fields(*DATES))
def test_a_stored_date_past_either_end_of_the_range_is_set_aside_naming_its_field(
    store: str, path: str, kind: str
) -> None:
    for value in FAR_DAYS if kind == schema.DAY else FAR_TIMES:
        answer = loading(store, path, value, kind)

        assert set_aside(answer) == ("out-of-range", field_named(store, path, kind)), value


@pytest.mark.parametrize(("store", "path", "kind"), record_fields(*DATES))
def test_a_stored_date_at_either_end_of_the_range_is_kept(store: str, path: str, kind: str) -> None:
    for value in EDGE_DAYS if kind == schema.DAY else EDGE_TIMES:
        assert loading(store, path, value, kind)["ok"], value


# --- Ids: reserved characters and length -------------------------------------------------------


@pytest.mark.parametrize(("store", "path", "kind"), record_fields(*IDS))
def test_a_stored_id_with_a_reserved_character_is_set_aside_naming_its_field(
    store: str, path: str, kind: str
) -> None:
    for char in RESERVED_IN_IDS:
        answer = loading(store, path, f"p{char}1", kind)

        assert set_aside(answer) == ("bad-id", field_named(store, path, kind)), repr(char)


@pytest.mark.parametrize(("store", "path", "kind"), record_fields(*IDS))
def test_a_stored_id_longer_than_its_limit_is_set_aside_naming_its_field(
    store: str, path: str, kind: str
) -> None:
    answer = loading(store, path, "x" * (ID_MAX + 1), kind)

    assert set_aside(answer) == ("too-long", field_named(store, path, kind))


@pytest.mark.parametrize(("store", "path", "kind"), record_fields(schema.KEY, schema.REF_KEY))
def test_a_stored_follow_up_key_with_a_reserved_character_is_set_aside_naming_its_field(
    store: str, path: str, kind: str
) -> None:
    for char in RESERVED_IN_KEYS:
        answer = loading(store, path, f"reach-out:i{char}1", kind)

        assert set_aside(answer) == ("bad-id", f"{store}[0].{path}"), repr(char)
    too_long = loading(store, path, "reach-out:" + "x" * KEY_MAX, kind)
    assert set_aside(too_long) == ("too-long", f"{store}[0].{path}")


# --- Text: broken and control characters, length, Unicode form --------------------------------


@pytest.mark.parametrize(("store", "path", "kind"), record_fields(*TEXTS))
def test_stored_text_with_a_broken_or_control_character_is_set_aside_naming_its_field(
    store: str, path: str, kind: str
) -> None:
    for char in BAD_IN_TEXT:
        answer = loading(store, path, f"Bea{char}Chen", kind)

        assert set_aside(answer) == ("bad-text", field_named(store, path, kind)), repr(char)


@pytest.mark.parametrize(("store", "path", "kind"), record_fields(*TEXTS))
def test_stored_text_with_tabs_line_breaks_and_joiners_is_kept_as_it_is(
    store: str, path: str, kind: str
) -> None:
    for good in GOOD_IN_TEXT:
        assert loading(store, path, f"Bea{good}Chen", kind)["ok"], repr(good)

        assert exported(store, path, kind) == f"Bea{good}Chen"


@pytest.mark.parametrize(("store", "path", "kind"), record_fields(*TEXTS))
def test_stored_text_longer_than_its_limit_is_read_as_an_older_app_wrote_it(
    store: str, path: str, kind: str
) -> None:
    limit = LIMITS[kind]

    assert loading(store, path, "x" * limit, kind)["ok"]
    answer = loading(store, path, "x" * (limit + 1), kind)
    assert (answer["ok"], answer["set_aside"]) == (True, [])
    assert exported(store, path, kind) == "x" * (limit + 1)


@pytest.mark.parametrize(("store", "path", "kind"), record_fields(*TEXTS))
def test_stored_text_typed_in_decomposed_form_is_kept_composed(
    store: str, path: str, kind: str
) -> None:
    decomposed = unicodedata.normalize("NFD", "José Núñez")

    assert loading(store, path, decomposed, kind)["ok"]

    assert exported(store, path, kind) == "José Núñez"


@pytest.mark.parametrize("part", ["subject", "body", "sms"])
def test_a_template_is_text_like_any_other(part: str) -> None:
    data = deepcopy(CAPTURE)
    data["meta"][0] = {"id": "settings", "templates": {"thank-you": {part: "Hi\ud800"}}}

    answer = call(op="load", data=data)

    assert set_aside(answer) == ("bad-text", f"meta[0].templates.thank-you.{part}")
    data["meta"][0] = {"id": "settings", "templates": {"thank-you": {part: "x" * (TEXT_MAX + 1)}}}
    assert (call(op="load", data=data)["set_aside"]) == []


@pytest.mark.parametrize("store", ["people", "interactions"])
def test_the_fast_path_leaves_every_bad_value_to_the_strict_reader(store: str) -> None:
    read = quick_person if store == "people" else quick_interaction
    plain = {**CAPTURE[store][0]} | ({"advice": [], "promises": []} if store != "people" else {})
    assert read(plain) is not None
    for path, kind in fields_of(schema.SCHEMA[store]):
        if "[" in path:
            continue
        bad = {
            schema.TIME: "9999-12-31T23:59:59Z",
            schema.ID: "a:b",
            schema.REF: "a:b",
            schema.IDS: ["a:b"],
            schema.REF_KEY: "reach-out:a b",
            schema.LINE: "Bea\x00",
            schema.LINES: ["Bea\ud800"],
            schema.URLS: ["x" * (URL_MAX + 1)],
            schema.TEXT: unicodedata.normalize("NFD", "José"),
        }.get(kind)
        if bad is not None:
            assert read({**plain, path: bad}) is None, path


@pytest.mark.parametrize(
    "request_",
    [
        {"op": "no\ud800pe"},
        {"op": "today", "now": "\ud800", "today": TODAY},
        {"op": "today", "now": NOW, "today": "2026-\udc00"},
        {"op": "today", "now": NOW, "today": TODAY, "x\ud800": 1},
        {"op": "command", "name": "add\ud800", "payload": {}, "now": NOW, "today": TODAY},
        {
            "op": "command",
            "name": "log_interaction",
            "payload": {"id": "x9", "person_ids": ["p1"], "kind": "lunch\ud800"},
            "now": NOW,
            "today": TODAY,
        },
        {
            "op": "command",
            "name": "add_person",
            "payload": {"id": "p9", "name": "Bo", "colour\ud800": "red"},
            "now": NOW,
            "today": TODAY,
        },
        {"op": "import_preview", "text": "Name,Col\ud800\nAnn,1\n"},
        {"op": "import_preview", "text": "Name,Organisation\nAnn,Ac\ud800me\n"},
        {"op": "draft", "key": "reach-out:\ud800", "now": NOW, "today": TODAY},
    ],
    ids=lambda r: str(r["op"]).encode("utf-8", "replace").decode(),
)
def test_an_answer_quoting_a_broken_character_can_still_be_written_as_utf8(
    request_: dict[str, Any],
) -> None:
    answer = call(**request_)  # call() checks the answer encodes

    assert "\ud800" not in json.dumps(answer, ensure_ascii=False)


def test_the_limits_are_documented_as_the_engine_keeps_them() -> None:
    docs = (Path(__file__).resolve().parents[2] / "docs" / "engine-api.md").read_text("utf-8")
    limits = docs.split("## Limits", 1)[1].split("\n## ", 1)[0]

    for value in (MIN_DAY, MAX_DAY, *(f"{n:,}" for n in (ID_MAX, KEY_MAX, LINE_MAX, URL_MAX))):
        assert str(value) in limits
    assert f"{TEXT_MAX:,}" in limits
    for code in ("out-of-range", "too-long", "bad-id", "bad-text"):
        assert f"`{code}`" in limits
        assert f"`{code}`" in docs.split("### Error codes", 1)[1]


@pytest.mark.parametrize(
    ("request_", "field"),
    [
        ({"op": "person", "id": "p{}1"}, "id"),
        ({"op": "draft", "key": "reach-out:i{}1"}, "key"),
        ({"op": "export_vcard", "ids": ["p{}1"]}, "ids[0]"),
        ({"op": "export_csv", "ids": ["p{}1"]}, "ids[0]"),
        ({"op": "export_ics", "keys": ["reach-out:i{}1"]}, "keys[0]"),
        ({"op": "import_commit", "text": "Name\nAnn\n", "ids": ["n{}1"]}, "ids[0]"),
    ],
    ids=lambda v: v["op"] if isinstance(v, dict) else v,
)
def test_an_op_argument_naming_records_refuses_reserved_characters(
    request_: dict[str, Any], field: str
) -> None:
    for char in RESERVED_IN_KEYS if "key" in field else RESERVED_IN_IDS:
        sent = json.loads(json.dumps(request_).replace("{}", json.dumps(char)[1:-1]))

        answer = call(**sent, now=NOW, today=TODAY)

        assert (answer["error"], answer["field"]) == ("bad-id", field), repr(char)
