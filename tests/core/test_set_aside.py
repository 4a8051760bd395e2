"""Records the engine cannot read are set aside, not fatal (docs/engine-api.md, "Records the
engine cannot read"), over the classes of bad values tests/core/test_bounds.py uses.

An older app, or an older device through sync, may have stored a value today's bounds refuse.
One such record must not stop the app: the load goes through without it, names it and its
field, every screen's op still works, the other records are all there, nothing writes over
it, and once it is repaired the next load takes it back.
"""

from __future__ import annotations

import json
from copy import deepcopy
from typing import Any

import pytest
from followup import api, schema
from followup.bounds import TEXT_MAX
from followup.sync import encode_replica

from .sync_builders import NODE_A, NODE_B, edit
from .sync_builders import person as sync_person
from .test_bounds import DATES, IDS, TEXTS, fields_of, put_at
from .test_codec import CAPTURE

NOW, TODAY = "2026-11-23T09:00:00Z", "2026-11-23"
KEY = {"decisions": "key"}


def call(**request: Any) -> dict[str, Any]:
    answer = api.call(json.dumps(request))
    answer.encode("utf-8")  # every answer can be written as UTF-8
    result: dict[str, Any] = json.loads(answer)
    assert result.get("error") != "internal-error", result
    return result


def first_of(kinds: tuple[str, ...]) -> list[Any]:
    """(store, path) of the first field of each store holding one of `kinds`."""
    cases = []
    for store, shape in schema.SCHEMA.items():
        for path, kind in fields_of(shape):
            if kind in kinds:
                cases.append((store, path, kind))
                break
    return cases


def bad_values() -> list[Any]:
    """Every store, every class of value a load sets aside."""
    cases = []
    for store, path, kind in first_of(DATES):
        far = "0001-01-01" if kind == schema.DAY else "0001-01-01T00:00:00Z"
        cases.append(pytest.param(store, path, far, "out-of-range", id=f"{store}.{path}-date"))
    for store, path, kind in first_of(IDS):
        value = ["p:1"] if kind == schema.IDS else "p:1"
        cases.append(pytest.param(store, path, value, "bad-id", id=f"{store}.{path}-id"))
    for store, path, _ in first_of((schema.KEY,)):
        cases.append(pytest.param(store, path, "reach-out:a b", "bad-id", id=f"{store}-key"))
    for store, path, kind in first_of(TEXTS):
        value = ["Bea\ud800"] if kind in (schema.LINES, schema.URLS) else "Bea\ud800"
        cases.append(pytest.param(store, path, value, "bad-text", id=f"{store}.{path}-broken"))
        cases.append(pytest.param(store, path, 42, "wrong-type", id=f"{store}.{path}-type"))
    return cases


def with_bad(store: str, path: str, value: Any) -> dict[str, Any]:
    data = deepcopy(CAPTURE)
    data[store][0] = put_at(data[store][0], path, value)
    return data


def ident(store: str, record: dict[str, Any]) -> Any:
    return record.get(KEY.get(store, "id"))


def everything_works() -> dict[str, Any]:
    """Today, each draft, each person, People, Pipeline, the graph, insights and export."""
    today = call(op="today", now=NOW, today=TODAY)
    assert today["ok"], today
    for followup in today["followups"]:
        assert call(op="draft", key=followup["key"], now=NOW, today=TODAY)["ok"]
    exported = call(op="export")
    assert exported["ok"]
    for person in exported["data"]["people"]:
        if person.get("id") in ("p0", "p1"):
            person_answer = call(op="person", id=person["id"], now=NOW, today=TODAY)
            assert person_answer["ok"] or person_answer["error"] == "set-aside", person_answer
    for op in ("people", "pipeline", "graph", "insights"):
        assert call(op=op, now=NOW, today=TODAY)["ok"], op
    data: dict[str, Any] = exported["data"]
    return data


@pytest.mark.parametrize(("store", "path", "value", "code"), bad_values())
def test_one_bad_record_is_set_aside_and_everything_else_still_works(
    store: str, path: str, value: Any, code: str
) -> None:
    data = with_bad(store, path, value)
    found_id = ident(store, data[store][0])

    loaded = call(op="load", data=data)

    assert loaded["ok"], loaded
    (aside,) = loaded["set_aside"]
    assert (aside["store"], aside["id"], aside["error"]) == (
        store,
        found_id if isinstance(found_id, str) else None,
        code,
    )
    assert aside["field"].startswith(f"{store}[0].{path}")
    assert aside["message"]
    full = {s: len(CAPTURE[s]) for s in loaded["counts"]}
    assert loaded["counts"] == {**full, store: full[store] - 1}
    exported = everything_works()
    # The export keeps the record as found (a broken character shows as U+FFFD in JSON).
    kept = json.loads(json.dumps(data[store][0]).replace("\\ud800", "\\ufffd"))
    assert kept in exported[store]
    for each in loaded["counts"]:  # every other record is there
        there = [ident(each, r) for r in exported[each]]
        assert sorted(map(str, there)) == sorted(str(ident(each, r)) for r in data[each])


@pytest.mark.parametrize(("store", "path", "value", "code"), bad_values())
def test_the_next_load_with_the_record_repaired_takes_it_back(
    store: str, path: str, value: Any, code: str
) -> None:
    assert call(op="load", data=with_bad(store, path, value))["set_aside"]

    repaired = call(op="load", data=CAPTURE)

    assert repaired["set_aside"] == []
    assert repaired["counts"] == {s: len(CAPTURE[s]) for s in repaired["counts"]}


TOUCH = {
    "people": ("update_person", lambda i: {"id": i, "notes": "x"}),
    "events": ("add_event", lambda i: {"id": i, "name": "Mixer", "date": "2026-11-23"}),
    "introductions": ("update_introduction", lambda i: {"id": i, "context": "x"}),
    "interactions": (
        "log_interaction",
        lambda i: {"id": i, "person_ids": ["p0"], "kind": "coffee", "at": NOW},
    ),
    "opportunities": ("update_opportunity", lambda i: {"id": i, "notes": "x"}),
    "decisions": ("snooze", lambda i: {"key": i, "until": "2026-11-24T09:00:00Z"}),
}


@pytest.mark.parametrize(("store", "path", "value", "code"), bad_values())
def test_a_command_that_touches_a_set_aside_record_is_refused_naming_it(
    store: str, path: str, value: Any, code: str
) -> None:
    data = with_bad(store, path, value)
    found_id = ident(store, data[store][0])
    call(op="load", data=data)
    before = call(op="export")
    name, payload = TOUCH[store]

    answer = call(op="command", name=name, payload=payload(found_id), now=NOW, today=TODAY)

    assert (answer["ok"], answer["error"]) == (False, "set-aside"), answer
    assert f"'{found_id}'" in answer["message"]
    assert call(op="export") == before


def test_a_command_that_would_write_over_a_set_aside_record_changes_nothing() -> None:
    data = with_bad("people", "created_at", "0001-01-01T00:00:00Z")
    call(op="load", data=data)
    before = call(op="export")["data"]

    answer = call(
        op="command", name="add_person", payload={"id": "p1", "name": "Bea"}, now=NOW, today=TODAY
    )

    assert answer["error"] == "set-aside"
    assert "'p1'" in answer["message"]
    assert call(op="export")["data"] == before


def test_a_log_naming_a_set_aside_person_is_refused_and_one_naming_others_is_not() -> None:
    call(op="load", data=with_bad("people", "created_at", "0001-01-01T00:00:00Z"))

    def log(pid: str, iid: str) -> dict[str, Any]:
        payload = {"id": iid, "person_ids": [pid], "kind": "coffee", "at": NOW}
        return call(op="command", name="log_interaction", payload=payload, now=NOW, today=TODAY)

    assert log("p1", "x8")["error"] == "set-aside"
    assert log("p0", "x9")["ok"]


def test_a_set_aside_settings_record_leaves_the_defaults_in_use_and_is_not_written_over() -> None:
    data = deepcopy(CAPTURE)
    data["meta"][0] = {"id": "settings", "rules": {"thank-you": {"due_hours": "1"}}}

    loaded = call(op="load", data=data)

    assert [(x["store"], x["id"]) for x in loaded["set_aside"]] == [("meta", "settings")]
    assert data["meta"][0] in call(op="export")["data"]["meta"]
    saved = call(op="command", name="save_settings", payload={"settings": {}}, now=NOW, today=TODAY)
    assert saved["error"] == "set-aside"


def test_an_over_long_name_from_an_older_app_is_read_but_an_edit_applies_the_limit() -> None:
    long_name = "B" * 1_500
    loaded = call(op="load", data=with_bad("people", "name", long_name))

    assert loaded["set_aside"] == []
    assert call(op="person", id="p1", now=NOW, today=TODAY)["person"]["name"] == long_name
    everything_works()
    edit = call(
        op="command", name="update_person", payload={"id": "p1", "notes": "x"}, now=NOW, today=TODAY
    )
    assert (edit["ok"], edit["error"], edit["field"]) == (False, "too-long", "name")
    renamed = call(
        op="command",
        name="update_person",
        payload={"id": "p1", "name": "Bea"},
        now=NOW,
        today=TODAY,
    )
    assert renamed["ok"], renamed


def test_over_long_notes_are_read_as_they_are() -> None:
    notes = "n" * (TEXT_MAX + 1)

    assert call(op="load", data=with_bad("people", "notes", notes))["set_aside"] == []

    assert call(op="export")["data"]["people"][1]["notes"] == notes


def test_an_upsert_sets_aside_what_it_cannot_read_and_takes_the_rest() -> None:
    call(op="load", data=CAPTURE)
    bad = put_at(CAPTURE["people"][0], "id", "p:2")
    good = {**CAPTURE["people"][1], "id": "p3"}

    answer = call(op="upsert", data={"people": [bad, good]})

    assert [(x["id"], x["error"]) for x in answer["set_aside"]] == [("p:2", "bad-id")]
    assert answer["counts"]["people"] == 3


def test_a_record_another_tab_stored_badly_leaves_memory_and_a_good_copy_brings_it_back() -> None:
    call(op="load", data=CAPTURE)
    bad = put_at(CAPTURE["people"][0], "created_at", "0001-01-01T00:00:00Z")

    applied = call(op="apply", put={"people": [bad]})

    assert [x["id"] for x in applied["set_aside"]] == ["p1"]
    assert applied["counts"]["people"] == 1
    assert call(op="person", id="p1", now=NOW, today=TODAY)["error"] == "set-aside"
    assert call(op="apply", put={"people": [CAPTURE["people"][0]]})["counts"]["people"] == 2
    assert call(op="person", id="p1", now=NOW, today=TODAY)["ok"]


def test_a_whole_payload_that_is_wrong_still_fails_the_load() -> None:
    assert call(op="load", data=[])["error"] == "wrong-type"
    assert call(op="load", data={"schema_version": 99})["error"] == "unsupported-schema"


# --- Sync: records merged from another device --------------------------------------------------


def merged(*records: dict[str, Any]) -> dict[str, Any]:
    """`merge` of people first seen on another device (no local state)."""
    items = []
    for record in records:
        theirs, _ = edit(None, record, node=NODE_B)
        key = f"people/{record['id']}"
        items.append({"key": key, "local": None, "remote": [encode_replica(theirs)]})
    return call(op="merge", now=NOW, node=NODE_A, clock="", records=items)


def test_an_older_devices_over_long_name_syncs_in_and_shows() -> None:
    call(op="load", data=CAPTURE)

    answer = merged(sync_person(pid="p7", name="L" * 1_500))

    assert [r["held"] for r in answer["records"]] == [None]
    assert call(op="person", id="p7", now=NOW, today=TODAY)["person"]["name"] == "L" * 1_500


def test_a_synced_record_that_cannot_be_read_is_held_and_the_others_apply() -> None:
    call(op="load", data=CAPTURE)

    answer = merged(sync_person(pid="p7", created_at="0001-01-01T00:00:00Z"), sync_person(pid="p8"))

    assert answer["ok"]
    assert [bool(r["held"]) for r in answer["records"]] == [True, False]
    assert [p["id"] for p in answer["put"]["people"]] == ["p8"]
    assert call(op="person", id="p8", now=NOW, today=TODAY)["ok"]


def test_a_readable_version_synced_in_takes_a_set_aside_record_back() -> None:
    call(op="load", data=with_bad("people", "created_at", "0001-01-01T00:00:00Z"))
    assert call(op="person", id="p1", now=NOW, today=TODAY)["error"] == "set-aside"

    merged(sync_person(pid="p1", name="Bea Chen"))

    assert call(op="person", id="p1", now=NOW, today=TODAY)["person"]["name"] == "Bea Chen"
    assert call(op="command", name="update_person", payload={"id": "p1", "notes": "x"},
                now=NOW, today=TODAY)["ok"]  # fmt: skip


def test_a_second_copy_under_one_id_is_set_aside_and_the_first_stays() -> None:
    call(op="load", data=CAPTURE)
    first = {**CAPTURE["people"][0], "id": "p5", "name": "First"}
    second = {**first, "name": "Second"}

    answer = call(op="upsert", data={"people": [first, second]})

    assert [(x["id"], x["error"]) for x in answer["set_aside"]] == [("p5", "duplicate-id")]
    assert answer["counts"]["people"] == 3
