"""Delete to the trash, restore and erase (trash.py), through the api as the worker calls it."""

from __future__ import annotations

import json
from typing import Any

from followup import api

NOW = "2026-11-23T09:00:00+00:00"
TODAY = "2026-11-23"


def call(op: str, now: str = NOW, **args: Any) -> dict[str, Any]:
    answer: dict[str, Any] = json.loads(
        api.call(json.dumps({"op": op, "now": now, "today": TODAY, **args}))
    )
    return answer


def command(name: str, payload: dict[str, Any], now: str = NOW) -> dict[str, Any]:
    answer = call("command", now=now, name=name, payload=payload)
    assert answer["ok"], answer
    return answer


def person(pid: str, name: str) -> dict[str, Any]:
    return {"id": pid, "name": name}


def seed() -> None:
    assert call("load", data={})["ok"]
    command("add_person", person("ana", "Ana Ruiz"))
    command("add_person", person("ben", "Ben Ode"))
    command("add_person", person("cy", "Cy Tan"))
    command("add_event", {"id": "ev", "name": "Meetup", "date": "2026-11-20"})
    command("update_person", {"id": "ana", "event_id": "ev"})
    command(
        "record_introduction",
        {"id": "in1", "introducer_id": "ben", "introduced_id": "ana", "at": NOW},
    )
    command("log_interaction", {"id": "m1", "person_ids": ["ana"], "kind": "meeting", "at": NOW})
    command(
        "log_interaction",
        {"id": "m2", "person_ids": ["ana", "cy"], "kind": "meeting", "at": NOW},
    )
    command(
        "add_opportunity",
        {"id": "op", "organisation": "Acme", "people": [{"person_id": "ana", "role": "contact"}]},
    )


def export() -> dict[str, Any]:
    data: dict[str, Any] = call("export")["data"]
    return data


def ids(data: dict[str, Any], store: str) -> list[str]:
    return sorted(r["id"] for r in data[store] if not r.get("trashed"))


ANA = [{"store": "people", "id": "ana"}]


def test_deleting_a_person_says_what_goes_with_them_before_anything_changes() -> None:
    seed()
    before = export()

    preview = call("delete_preview", records=ANA)

    assert preview["label"] == "Ana Ruiz"
    assert preview["with"] == {"interactions": 1, "introductions": 1}
    assert preview["with_words"] == "1 interaction and 1 introduction"
    assert preview["words"].startswith("Ana Ruiz will go to the trash, with 1 interaction and 1")
    assert "lose the link" in preview["words"]
    assert export() == before


def test_deleting_a_person_takes_their_interactions_and_introductions_to_the_trash() -> None:
    seed()

    answer = command("delete", {"records": ANA})

    assert [r["trashed"]["main"] for r in answer["put"]["people"]] == [True]
    data = export()
    assert ids(data, "people") == ["ben", "cy"]
    assert ids(data, "interactions") == ["m2"]
    assert ids(data, "introductions") == []
    shared = next(r for r in data["interactions"] if r["id"] == "m2")
    assert shared["person_ids"] == ["cy"]
    opp = next(r for r in data["opportunities"] if r["id"] == "op")
    assert opp["people"] == []
    assert all(f["person_ids"] != ["ana"] for f in call("today")["followups"])
    assert "ana" not in [n["id"] for n in call("graph")["nodes"]]
    entries = call("trash")["entries"]
    assert [(e["label"], e["with_words"]) for e in entries] == [
        ("Ana Ruiz", "1 interaction and 1 introduction")
    ]
    assert entries[0]["days_left"] == 30


def test_restoring_puts_back_everything_and_every_link() -> None:
    seed()
    before = export()
    entry = command("delete", {"records": ANA})["events"][0]["entry"]

    answer = command("restore", {"id": entry})

    assert all(r.get("trashed", None) is None for r in answer["put"]["people"])
    assert "trashed" in answer["put"]["people"][0]  # cleared explicitly, for sync
    assert export() == before
    assert call("trash")["entries"] == []


def test_erase_removes_it_for_good_and_marks_it_for_every_device() -> None:
    seed()
    entry = command("delete", {"records": ANA})["events"][0]["entry"]

    answer = command("erase", {"id": entry})

    assert answer["erase"]["people"] == ["ana"]
    assert sorted(answer["erase"]["interactions"]) == ["m1"]
    assert call("trash")["entries"] == []
    assert all(not r.get("trashed") for s in ("people", "interactions") for r in export()[s])
    again = call("command", name="restore", payload={"id": entry})
    assert (again["error"], again["field"]) == ("not-in-trash", "id")


def test_erase_leaves_no_image_of_it_in_the_history_of_this_device() -> None:
    seed()
    entry = command("delete", {"records": ANA})["events"][0]["entry"]

    answer = command("erase", {"id": entry})

    # Entries that only held Ana go; the others lose her images and her name.
    assert answer["history"]["delete"]
    assert "Ana Ruiz" not in json.dumps(answer["history"]["put"])
    assert "Ana Ruiz" not in json.dumps(call("history"))
    assert "Ana Ruiz" not in json.dumps(_history_images())


def _history_images() -> list[Any]:
    """Every before/after image the engine holds in its history (what undo could bring back)."""
    return [[c.before, c.after] for e in api._state.history for c in e.changes]


def test_the_trash_is_emptied_of_what_is_older_than_thirty_days() -> None:
    seed()
    command("delete", {"records": ANA})
    later = "2026-12-24T09:00:00+00:00"

    answer = command("add_person", person("dee", "Dee"), now=later)

    assert answer["erase"]["people"] == ["ana"]
    assert call("trash", now=later)["entries"] == []


def test_deleting_what_is_not_there_names_the_record() -> None:
    seed()
    answer = call("command", name="delete", payload={"records": [{"store": "people", "id": "zz"}]})
    assert (answer["error"], answer["field"]) == ("not-found", "records[0].id")
    bad = call("command", name="delete", payload={"records": [{"store": "meta", "id": "x"}]})
    assert (bad["error"], bad["field"]) == ("unknown-value", "records[0].store")


def test_deleting_an_event_leaves_the_people_who_met_there_and_restore_relinks_them() -> None:
    seed()
    before = export()
    answer = command("delete", {"records": [{"store": "events", "id": "ev"}]})
    ana = next(r for r in export()["people"] if r["id"] == "ana")
    assert ana["event_id"] is None

    command("restore", {"id": answer["events"][0]["entry"]})

    assert export() == before


def test_a_trashed_record_survives_a_reload() -> None:
    seed()
    command("delete", {"records": ANA})
    data = export()

    assert call("load", data=data)["ok"]

    assert export() == data
    assert [e["label"] for e in call("trash")["entries"]] == ["Ana Ruiz"]


def test_a_backup_carries_the_trash_to_a_fresh_device() -> None:
    seed()
    command("delete", {"records": ANA})
    text = call("export_json")["text"]
    assert call("load", data={})["ok"]

    answer = call("restore", text=text, mode="merge")

    assert answer["ok"], answer
    assert [e["label"] for e in call("trash")["entries"]] == ["Ana Ruiz"]
    assert "ana" not in ids(export(), "people")
