"""The api's sync operations, through JSON strings as the worker calls them."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest
from followup import api
from followup.sync import CONFLICT_MARKER

NOW = "2026-11-23T09:00:00Z"


def call(**request: Any) -> dict[str, Any]:
    result: dict[str, Any] = json.loads(api.call(json.dumps(request)))
    return result


@pytest.fixture(autouse=True)
def empty_after() -> Iterator[None]:
    yield
    call(op="load", data={})


def person(pid: str, name: str, notes: str = "") -> dict[str, Any]:
    return {"id": pid, "name": name, "notes": notes, "created_at": NOW}


def test_review_lists_the_notes_that_hold_two_devices_versions() -> None:
    both = f"Met at the fair{CONFLICT_MARKER}Met at the meetup"
    call(op="load", data={"people": [person("p1", "Ada", both), person("p2", "Bo", "plain")]})

    answer = call(op="sync_review")

    assert answer["records"] == [{"store": "people", "id": "p1", "name": "Ada"}]


def test_review_names_an_introduction_by_who_introduced_whom() -> None:
    people = [person("p1", "Ada"), person("p2", "Bo")]
    intro = {
        "id": "i1",
        "introducer_id": "p1",
        "introduced_id": "p2",
        "at": NOW,
        "context": f"a{CONFLICT_MARKER}b",
    }
    call(op="load", data={"people": people, "introductions": [intro]})

    assert call(op="sync_review")["records"] == [
        {"store": "introductions", "id": "i1", "name": "Ada → Bo"}
    ]


def test_merge_is_still_an_op_of_the_api() -> None:
    answer = call(op="merge", now=NOW, node="a1b2c3d4e5f60718", clock="", records=[])

    assert answer["ok"]
    assert answer["records"] == []


NODE = "a1b2c3d4e5f60718"


def stamp(**request: Any) -> dict[str, Any]:
    return call(op="stamp", now=NOW, node=NODE, clock="", **request)


def test_a_new_record_is_stamped_field_by_field_and_queued_from_zero() -> None:
    answer = stamp(writes=[{"store": "people", "key": "p1", "record": person("p1", "Ada")}])

    [stamped] = answer["stamped"]
    fields = json.loads(stamped["f"])
    assert stamped["key"] == "people/p1"
    assert fields["name"][0] == "Ada"
    assert fields["name"][1].endswith(NODE)
    assert fields["name"][1] <= answer["clock"]
    assert set(stamped["pending"]) == set(fields)
    assert all(
        base == "1970-01-01T00:00:00.000Z-0000-0000000000000000"
        for base in stamped["pending"].values()
    )


def test_writing_the_same_values_again_stamps_nothing() -> None:
    first = stamp(writes=[{"store": "people", "key": "p1", "record": person("p1", "Ada")}])
    [stamped] = first["stamped"]
    known = {"people/p1": {"f": stamped["f"], "pending": {}}}

    again = stamp(
        known=known, writes=[{"store": "people", "key": "p1", "record": person("p1", "Ada")}]
    )

    assert again["stamped"] == []


def test_a_delete_is_a_stamped_deletion_mark() -> None:
    answer = stamp(writes=[{"store": "people", "key": "p1", "record": None}])

    [stamped] = answer["stamped"]
    assert json.loads(stamped["f"])["_deleted"][0] is True


def test_meta_records_of_the_shell_do_not_sync_and_are_refused() -> None:
    answer = stamp(writes=[{"store": "meta", "key": "backup", "record": {"id": "backup"}}])

    assert answer["error"] == "unknown-value"


OLD = "2025-06-01T00:00:00.000Z-0000-" + "0" * 16
SAVED = "2026-01-01T00:00:00.000Z-0003-" + NODE


def known_ada(**extra: Any) -> dict[str, Any]:
    fields = {"name": ["Ada", OLD], "notes": ["", OLD], "tags:mentor": [True, OLD], **extra}
    return {"people/p1": {"f": json.dumps(fields), "pending": {}}}


def test_an_edit_stamps_only_what_changed_after_the_saved_clock_and_queues_the_old_clocks() -> None:
    record = {"id": "p1", "name": "Ada L.", "notes": "", "tags": ["media"]}

    answer = call(
        op="stamp", now=NOW, node=NODE, clock=SAVED, known=known_ada(),
        writes=[{"store": "people", "key": "p1", "record": record}],
    )  # fmt: skip

    [stamped] = answer["stamped"]
    fields = json.loads(stamped["f"])
    assert fields["notes"] == ["", OLD]
    assert fields["name"][0] == "Ada L."
    assert fields["tags:media"][0] is True
    assert fields["tags:mentor"][0] is False
    assert all(fields[n][1] > SAVED for n in ("name", "tags:media", "tags:mentor"))
    assert stamped["pending"] == {"name": OLD, "tags:media": hlc_zero(), "tags:mentor": OLD}
    assert answer["clock"] == max(fields[n][1] for n in fields)


def test_a_record_without_tags_leaves_its_tags_alone() -> None:
    answer = call(
        op="stamp", now=NOW, node=NODE, clock=SAVED, known=known_ada(),
        writes=[{"store": "people", "key": "p1", "record": {"id": "p1", "name": "Ada L."}}],
    )  # fmt: skip

    [stamped] = answer["stamped"]
    assert json.loads(stamped["f"])["tags:mentor"] == [True, OLD]
    assert set(stamped["pending"]) == {"name"}


def test_a_field_edited_again_before_it_is_sent_stays_queued_from_its_first_base() -> None:
    known = known_ada()
    known["people/p1"]["pending"] = {"name": OLD}
    first = call(
        op="stamp", now=NOW, node=NODE, clock=SAVED, known=known,
        writes=[{"store": "people", "key": "p1", "record": {"id": "p1", "name": "Ada L."}}],
    )  # fmt: skip
    [stamped] = first["stamped"]

    again = call(
        op="stamp", now=NOW, node=NODE, clock=first["clock"],
        known={"people/p1": {"f": stamped["f"], "pending": stamped["pending"]}},
        writes=[{"store": "people", "key": "p1", "record": {"id": "p1", "name": "Ada Lovelace"}}],
    )  # fmt: skip

    assert again["stamped"][0]["pending"] == {"name": OLD}
    assert again["clock"] > first["clock"]


def test_writing_a_deleted_record_again_brings_it_back() -> None:
    answer = call(
        op="stamp", now=NOW, node=NODE, clock=SAVED, known=known_ada(_deleted=[True, OLD]),
        writes=[{"store": "people", "key": "p1", "record": {"id": "p1", "name": "Ada"}}],
    )  # fmt: skip

    fields = json.loads(answer["stamped"][0]["f"])
    assert fields["_deleted"][0] is False
    assert fields["_deleted"][1] > SAVED


def test_a_clock_saved_ahead_of_now_keeps_counting_from_the_saved_clock() -> None:
    ahead = "2030-01-01T00:00:00.000Z-0007-" + NODE

    answer = stamp_at(ahead, {"id": "p1", "name": "Ada"})

    assert answer["clock"].startswith("2030-01-01T00:00:00.000Z-")
    assert answer["clock"] > ahead


def stamp_at(clock: str, record: dict[str, Any]) -> dict[str, Any]:
    return call(
        op="stamp", now=NOW, node=NODE, clock=clock,
        writes=[{"store": "people", "key": "p1", "record": record}],
    )  # fmt: skip


def hlc_zero() -> str:
    return "1970-01-01T00:00:00.000Z-0000-0000000000000000"
