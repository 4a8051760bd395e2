"""Undo for every command, at the pipeline (history.py): each command's undo puts back exactly
what was there, field by field, keeping what changed since."""

from __future__ import annotations

import json
from typing import Any

from followup import api
from hypothesis import given, settings
from hypothesis import strategies as st

NOW = "2026-11-23T09:00:00+00:00"
TODAY = "2026-11-23"


def call(op: str, **args: Any) -> dict[str, Any]:
    request = {"op": op, "now": NOW, "today": TODAY, **args}
    answer: dict[str, Any] = json.loads(api.call(json.dumps(request)))
    return answer


def command(name: str, payload: dict[str, Any]) -> dict[str, Any]:
    answer = call("command", name=name, payload=payload)
    assert answer["ok"], answer
    return answer


def undo(answer: dict[str, Any]) -> dict[str, Any]:
    return command("undo", {"id": answer["undo"]["id"]})


def export() -> dict[str, Any]:
    data: dict[str, Any] = call("export")["data"]
    return data


def base() -> None:
    assert call("load", data={})["ok"]
    for pid, name in (("ana", "Ana Ruiz"), ("ana2", "Ana R."), ("ben", "Ben Ode")):
        command("add_person", {"id": pid, "name": name, "emails": [f"{pid}@example.com"]})
    command("add_event", {"id": "ev", "name": "Meetup", "date": "2026-11-20"})
    command(
        "record_introduction",
        {"id": "in1", "introducer_id": "ben", "introduced_id": "ana2", "at": NOW},
    )
    command("log_interaction", {"id": "m1", "person_ids": ["ana2"], "kind": "meeting", "at": NOW})
    command(
        "add_opportunity",
        {"id": "op", "organisation": "Acme", "people": [{"person_id": "ana2", "role": "contact"}]},
    )


EVERY_COMMAND: list[tuple[str, dict[str, Any]]] = [
    ("add_person", {"id": "new", "name": "Dee"}),
    ("update_person", {"id": "ana", "notes": "met twice", "tags": ["mentor"]}),
    ("add_event", {"id": "ev2", "name": "Conference", "date": "2026-11-21"}),
    ("record_introduction", {"id": "in2", "introducer_id": "ana", "introduced_id": "ben"}),
    ("update_introduction", {"id": "in1", "context": "for the Acme role"}),
    ("log_interaction", {"id": "m2", "person_ids": ["ben"], "kind": "call", "at": NOW}),
    ("add_opportunity", {"id": "op2", "organisation": "Globex"}),
    ("update_opportunity", {"id": "op", "notes": "second round"}),
    ("move_opportunity", {"id": "op", "stage": "interviewing"}),
    ("landed", {"opportunity_id": "op"}),
    ("mark_done", {"key": "thank-you:m1:ana2"}),
    ("snooze", {"key": "thank-you:m1:ana2", "until": "2026-11-25T09:00:00+00:00"}),
    ("skip", {"key": "thank-you:m1:ana2", "reason": "not needed"}),
    ("merge_people", {"keep_id": "ana", "drop_id": "ana2"}),
    ("save_settings", {"settings": {"today": {"horizon_days": 3}}}),
    ("save_profile", {"name": "Dee Tan", "email": "dee@example.com"}),
    ("capture", {"person": {"id": "cap", "name": "Eve"}, "met": {"id": "m3", "at": NOW}}),
    ("delete", {"records": [{"store": "people", "id": "ana2"}]}),
]


def test_every_command_is_undone_to_exactly_the_state_before_it() -> None:
    for name, payload in EVERY_COMMAND:
        base()
        before = export()
        answer = command(name, payload)
        assert answer["undo"]["label"], name
        assert export() != before, name

        undo(answer)

        assert export() == before, name


def test_restore_erase_and_undo_itself_are_undone_too() -> None:
    base()
    deleted = command("delete", {"records": [{"store": "people", "id": "ana2"}]})
    in_trash = export()
    restored = command("restore", {"id": deleted["events"][0]["entry"]})
    undo(restored)
    assert export() == in_trash

    undone = undo(deleted)
    after_undo = export()
    redo = undo(undone)  # undoing the undo does it again
    assert export() == in_trash
    undo(redo)
    assert export() == after_undo


def test_an_undo_keeps_a_field_changed_since_and_puts_back_the_others() -> None:
    base()
    first = command("update_person", {"id": "ana", "name": "Ana Ruiz-Diaz", "notes": "one"})
    command("update_person", {"id": "ana", "notes": "two"})

    undo(first)

    ana = next(p for p in export()["people"] if p["id"] == "ana")
    assert (ana["name"], ana["notes"]) == ("Ana Ruiz", "two")


def test_merge_then_undo_gives_back_both_people_and_every_link() -> None:
    base()
    before = export()
    merged = command("merge_people", {"keep_id": "ana", "drop_id": "ana2"})
    assert merged["undo"]["label"] == "Merged Ana R. into Ana Ruiz"
    assert "ana2" not in [p["id"] for p in export()["people"]]

    undo(merged)

    assert export() == before


def test_the_history_lists_recent_commands_in_words_newest_first() -> None:
    base()
    command("merge_people", {"keep_id": "ana", "drop_id": "ana2"})
    later = "2026-11-23T09:02:00+00:00"

    entries = call("history", now=later)["entries"]

    assert entries[0]["words"] == "Merged Ana R. into Ana Ruiz · 2 min ago"
    assert entries[0]["can_undo"] is True
    assert [e["label"] for e in entries[1:3]] == [
        "Added the opportunity Acme",
        "Logged meeting with Ana R.",
    ]


def test_an_undone_command_cannot_be_undone_twice() -> None:
    base()
    answer = command("update_person", {"id": "ana", "notes": "x"})
    undo(answer)

    again = call("command", name="undo", payload={"id": answer["undo"]["id"]})

    assert (again["error"], again["field"]) == ("already-undone", "id")
    assert call("history")["entries"][1]["undone"] is True


def test_the_history_keeps_the_last_fifty_commands() -> None:
    assert call("load", data={})["ok"]
    answers = [command("add_person", {"id": f"p{i}", "name": f"P {i}"}) for i in range(55)]

    assert len(call("history", limit=100)["entries"]) == 50
    assert answers[-1]["history"]["delete"] == [answers[4]["undo"]["id"]]
    gone = call("command", name="undo", payload={"id": answers[0]["undo"]["id"]})
    assert gone["error"] == "not-in-history"


def test_the_history_survives_a_reload_from_what_the_worker_stored() -> None:
    base()
    answer = command("update_person", {"id": "ana", "notes": "x"})
    data = export()
    data["meta"].extend(answer["history"]["put"])
    assert call("load", data=data)["ok"]

    undo(answer)

    assert next(p for p in export()["people"] if p["id"] == "ana")["notes"] == ""


# --- The property: undoing the last k of n commands is the state after the first n - k --------

PEOPLE = ["ana", "ana2", "ben"]
steps = st.one_of(
    st.builds(
        lambda p, n: ("update_person", {"id": p, "notes": n}),
        st.sampled_from(PEOPLE),
        st.sampled_from(["a", "b", ""]),
    ),
    st.builds(
        lambda p, t: ("update_person", {"id": p, "tags": t}),
        st.sampled_from(PEOPLE),
        st.lists(st.sampled_from(["x", "y"]), unique=True),
    ),
    st.builds(
        lambda i, p: ("log_interaction", {"id": f"i{i}", "person_ids": [p], "kind": "call"}),
        st.integers(0, 5),
        st.sampled_from(PEOPLE),
    ),
    st.builds(lambda i: ("add_person", {"id": f"n{i}", "name": f"New {i}"}), st.integers(0, 3)),
    st.builds(
        lambda s: ("move_opportunity", {"id": "op", "stage": s}),
        st.sampled_from(["applied", "interviewing", "offer"]),
    ),
    st.just(("mark_done", {"key": "thank-you:m1:ana2"})),
    st.just(("merge_people", {"keep_id": "ana", "drop_id": "ana2"})),
    st.builds(
        lambda p: ("delete", {"records": [{"store": "people", "id": p}]}),
        st.sampled_from(PEOPLE),
    ),
)


@settings(max_examples=40, deadline=None)
@given(st.lists(steps, min_size=1, max_size=8), st.integers(0, 8))
def test_undoing_the_last_k_commands_gives_the_state_after_the_first_n_minus_k(
    sequence: list[tuple[str, dict[str, Any]]], k: int
) -> None:
    base()
    states = [export()]
    done = []
    for name, payload in sequence:
        answer = call("command", name=name, payload=payload)
        if answer["ok"] and "undo" in answer:
            done.append(answer)
            states.append(export())
    k = min(k, len(done))

    for answer in reversed(done[len(done) - k :]):
        undo(answer)

    assert export() == states[len(done) - k]


# --- Import batches -----------------------------------------------------------------------------

LINKEDIN = (
    "First Name,Last Name,URL,Email Address,Company,Position,Connected On\n"
    "Ana,Ruiz,,ana@example.com,Acme,CTO,01 Nov 2026\n"
    "Cleo,Park,,cleo@example.com,Initech,Designer,02 Nov 2026\n"
    "Dan,Wu,,dan@example.com,Hooli,Engineer,03 Nov 2026\n"
)


def import_file(text: str, file: str) -> dict[str, Any]:
    preview = call("import_preview", text=text)
    assert preview["ok"], preview
    ids = [f"imp-{i}" for i in range(preview["ids_needed"])]
    answer = call("import_commit", text=text, ids=ids, file=file)
    assert answer["ok"], answer
    return answer


def test_an_import_is_a_batch_in_the_history_with_its_file_and_counts() -> None:
    base()
    import_file(LINKEDIN, "Connections.csv")

    (batch,) = call("imports", now="2026-11-23T10:00:00+00:00")["imports"]

    assert (batch["file"], batch["added"], batch["changed"]) == ("Connections.csv", 2, 1)
    assert batch["label"] == "Imported 3 people from Connections.csv"
    assert batch["words"] == "Imported 3 people from Connections.csv · 1 h ago: 2 added, 1 changed"


def test_undo_of_an_import_keeps_an_edit_made_since_and_removes_the_rest() -> None:
    base()
    before = export()
    imported = import_file(LINKEDIN, "Connections.csv")
    ana = next(p for p in export()["people"] if p["id"] == "ana")
    assert ana["organisation"] == "Acme"
    command("update_person", {"id": "ana", "role": "Head of data"})  # an edit since

    preview = call("undo_preview", id=imported["undo"]["id"])
    assert preview["words"] == (  # her given name too, from the import (the voice)
        "Undo removes 2 records it added, puts back 4 fields it changed "
        "and keeps 1 field changed since."
    )
    undo(imported)

    after = export()
    ana = next(p for p in after["people"] if p["id"] == "ana")
    assert (ana["organisation"], ana["role"]) == ("", "Head of data")
    assert sorted(p["id"] for p in after["people"]) == sorted(p["id"] for p in before["people"])


def test_undo_of_an_import_sends_someone_used_since_to_the_trash_not_to_oblivion() -> None:
    base()
    imported = import_file(LINKEDIN, "Connections.csv")
    cleo = next(p["id"] for p in export()["people"] if p["name"] == "Cleo Park")
    command("log_interaction", {"id": "cm", "person_ids": [cleo], "kind": "call", "at": NOW})

    preview = call("undo_preview", id=imported["undo"]["id"])
    undo(imported)

    assert preview["trashed"] == 1
    assert [e["label"] for e in call("trash")["entries"]] == ["Cleo Park"]


def test_a_write_to_a_store_the_engine_does_not_read_is_left_out_of_the_history() -> None:
    from followup import history
    from followup.api import _state

    answer = {"put": {"devices": [{"id": "d1"}], "meta": [{"id": "schedule"}]}, "delete": {}}

    assert history.changes_of(_state, answer) == ()


def test_the_people_an_import_added_can_be_listed_for_a_bulk_action() -> None:
    base()
    imported = import_file(LINKEDIN, "Connections.csv")

    ids = call("import_people", id=imported["undo"]["id"])["ids"]

    names = {p["id"]: p["name"] for p in export()["people"]}
    assert sorted(names[i] for i in ids) == ["Cleo Park", "Dan Wu"]
