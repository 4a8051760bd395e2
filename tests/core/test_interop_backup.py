"""The JSON backup: everything, versioned; restore into an empty or a non-empty app (merge or
replace); a damaged or foreign file is refused naming the problem."""

from __future__ import annotations

import json

import pytest
from followup.codec import SCHEMA_VERSION, encode_state
from followup.errors import EngineError
from followup.interop.backup import plan_restore, read_backup, write_backup
from followup.model import Profile
from followup.state import State, apply, new_state
from hypothesis import HealthCheck, given, settings

from .builders import NOW, introduction, person
from .strategies import states


@settings(max_examples=50, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(states())
def test_backup_then_restore_into_an_empty_app_gives_back_identical_data(state: State) -> None:
    backup = read_backup(write_backup(state, NOW))

    restored = plan_restore(new_state(), backup.state, "merge").state

    assert encode_state(restored) == encode_state(state)
    assert restored == state


def test_the_backup_says_what_it_is_its_schema_and_when_it_was_made() -> None:
    raw = json.loads(write_backup(new_state(people=[person("p1")]), NOW))

    assert raw["format"] == "followthrough-backup"
    assert raw["schema_version"] == SCHEMA_VERSION
    assert raw["exported_at"] == "2026-11-23T09:00:00+00:00"
    assert raw["counts"]["people"] == 1


def test_merge_adds_what_is_missing_and_changes_nothing_that_is_here() -> None:
    here = new_state(people=[person("p1", "Ann Here"), person("p2", "Bo")])
    backup = new_state(
        people=[person("p1", "Ann There"), person("p3", "Cy")],
        introductions=[introduction("i1", "p1", "p3")],
    )

    restore = plan_restore(here, backup, "merge")

    assert restore.delete == ()
    assert {p.name for p in restore.state.people.values()} == {"Ann Here", "Bo", "Cy"}
    assert restore.counts["people"] == {
        "backup": 2,
        "new": 1,
        "same": 0,
        "differ": 1,
        "only_here": 1,
    }
    assert len(restore.state.introductions) == 1


def test_replace_makes_the_device_hold_exactly_the_backup() -> None:
    here = new_state(
        people=[person("p1", "Ann Here"), person("p2", "Bo")], profile=Profile(name="Me")
    )
    backup = new_state(people=[person("p1", "Ann There"), person("p3", "Cy")])

    restore = plan_restore(here, backup, "replace")

    assert restore.delete == (("people", "p2"),)
    assert apply(here, restore.put, restore.delete) == backup
    assert restore.state == backup


@pytest.mark.parametrize(
    ("text", "code", "words"),
    [
        (
            '{"format": "followthrough-backup", "schema_version": 1, "data": {"people": [',
            "not-json",
            "line 1",
        ),
        ("not json at all", "not-json", "not valid JSON"),
        ('{"contacts": []}', "not-a-backup", "not a Followthrough backup"),
        ("[1, 2]", "not-a-backup", "not a Followthrough backup"),
        (
            '{"format": "followthrough-backup", "schema_version": 99, "data": {}}',
            "unsupported-schema",
            "newer version",
        ),
        (
            '{"format": "followthrough-backup", "schema_version": 1, "data": {"people": '
            '[{"id": "p1", "name": 5, "created_at": "2026-11-23T09:00:00Z"}]}}',
            "bad-backup",
            "people[0].name",
        ),
        (
            '{"format": "followthrough-backup", "schema_version": "1", "data": {}}',
            "bad-backup",
            "schema_version",
        ),
    ],
)
def test_a_damaged_or_foreign_file_is_refused_saying_what_and_where(
    text: str, code: str, words: str
) -> None:
    with pytest.raises(EngineError) as error:
        read_backup(text)

    assert error.value.code == code
    assert words in error.value.message
