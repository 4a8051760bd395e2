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
