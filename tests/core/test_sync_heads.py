"""Device heads: each device's encrypted note of its counter, its latest edits and what it has
seen, and the checks that turn a server's rollback, omission or fork into a visible warning."""

from __future__ import annotations

import json
from typing import Any

from followup import api

NOW = "2026-11-23T09:00:00Z"
A = "aaaaaaaaaaaaaaaa"
B = "bbbbbbbbbbbbbbbb"
C = "cccccccccccccccc"
S1 = "2026-11-23T08:00:00.000Z-0000-aaaaaaaaaaaaaaaa"
S2 = "2026-11-23T08:30:00.000Z-0000-aaaaaaaaaaaaaaaa"


def call(**request: Any) -> dict[str, Any]:
    result: dict[str, Any] = json.loads(api.call(json.dumps({"now": NOW, **request})))
    return result


def head(device: str, *, previous: Any = None, edits: Any = (), seen: Any = None) -> Any:
    answer = call(
        op="head_next",
        device=device,
        label=f"Laptop {device[:2]}",
        previous=previous,
        edits=list(edits),
        seen=seen or {},
    )
    assert answer["ok"], answer
    return answer


def counted(device: str, counter: int) -> dict[str, Any]:
    return {"i": device, "f": {"counter": [counter, S1]}}


def check(**request: Any) -> dict[str, Any]:
    args = {"device": B, "heads": [], "served": [], "full": False, "seen": {}, "stamps": {}}
    answer = call(op="heads_check", **{**args, **request})
    assert answer["ok"], answer
    return answer


def test_each_push_makes_a_head_whose_counter_grows_and_lists_the_latest_edits() -> None:
    first = head(A, edits=[["people/p1", "name", S1]])
    second = head(A, previous=first["f"], edits=[["people/p1", "name", S2]], seen={B: 3})

    assert (first["counter"], second["counter"]) == (1, 2)
    assert second["key"] == f"heads/{A}"
    assert second["f"]["recent"][0] == [["people/p1", "name", S2]]
    assert second["f"]["seen"][0] == {B: 3}
    assert second["f"]["counter"][1] > first["f"]["counter"][1]


def test_a_head_lists_the_latest_edit_of_each_of_its_last_twenty_records() -> None:
    edits = [[f"people/p{i}", "name", f"2026-11-23T08:00:{i:02d}.000Z-0000-{A}"] for i in range(30)]

    made = head(A, edits=edits)

    recent = made["f"]["recent"][0]
    assert len(recent) == 20
    assert recent[0][0] == "people/p29"
    again = head(A, previous=made["f"], edits=[["people/p29", "notes", S2]])
    assert again["f"]["recent"][0][0] == ["people/p29", "notes", S2]
    assert len(again["f"]["recent"][0]) == 20


def test_an_edit_another_device_listed_but_missing_here_is_an_omission() -> None:
    theirs = head(A, edits=[["people/p1", "name", S2]])

    answer = check(heads=[{"i": A, "f": theirs["f"]}], stamps={"people/p1": {"name": S1}})

    assert [p["kind"] for p in answer["problems"]] == ["omission"]
    assert "1 change that Laptop aa made" in answer["problems"][0]["message"]
    assert answer["repair"]


def test_an_edit_that_is_here_or_newer_is_no_omission() -> None:
    theirs = head(A, edits=[["people/p1", "name", S1]])

    answer = check(heads=[{"i": A, "f": theirs["f"]}], stamps={"people/p1": {"name": S2}})

    assert answer["problems"] == []
    assert answer["seen"] == {A: 1}
    assert answer["heard"] == [
        {"device": A, "label": "Laptop aa", "wall": "2026-11-23T09:00:00+00:00", "counter": 1}
    ]


def test_a_counter_another_device_saw_but_this_one_did_not_is_an_omission() -> None:
    theirs = head(A, seen={C: 4})
    known_c = head(C)

    answer = check(heads=[{"i": A, "f": theirs["f"]}, {"i": C, "f": known_c["f"]}])

    assert [p["kind"] for p in answer["problems"]] == ["omission"]


def test_a_head_served_older_than_one_seen_before_is_a_rollback() -> None:
    answer = check(served=[counted(A, 1), counted(A, 2)], seen={A: 5})

    assert [p["kind"] for p in answer["problems"]] == ["rollback"]
    assert "change 2, after change 5" in answer["problems"][0]["message"]
    assert answer["seen"] == {A: 5}


def test_this_devices_own_head_served_older_is_a_rollback_too() -> None:
    answer = check(served=[counted(B, 1)], seen={B: 3})

    assert "this device's changes" in answer["problems"][0]["message"]


def test_after_reading_everything_a_device_heard_from_before_but_absent_is_withheld() -> None:
    answer = check(full=True, served=[], seen={A: 2})

    assert [p["kind"] for p in answer["problems"]] == ["withheld"]


def test_a_device_id_that_is_not_one_is_refused_naming_the_field() -> None:
    answer = call(op="head_next", device="nope", label="", previous=None, edits=[], seen={})

    assert (answer["ok"], answer["field"]) == (False, "device")
