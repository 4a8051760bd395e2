"""The gratitude round as a checklist (checklist.py, op `round`): everyone the round thanks and
every employer it tells, with where each stands, even once they are done."""

from __future__ import annotations

import json
from typing import Any

from followup import api
from followup.checklist import checklist
from followup.codec import encode_state
from followup.model import OpportunityId, PersonId, RoundRecord
from followup.rounds import decode_rounds, encode_round
from followup.state import State, apply

from .builders import DAY, HOUR, NOW, TODAY, decision, interaction, opportunity, run, state_of
from .test_gratitude import _search


def _offer_state() -> State:
    offer = opportunity(
        "o1", "Globex", stage="offer", introduction_id="i2",
        people={"carl": "hiring_manager", "ref": "reference"},
    )  # fmt: skip
    return state_of(*[r for r in _search() if getattr(r, "id", "") != "o1"], offer)


def _landed() -> State:
    return run(_offer_state(), "landed", {"opportunity_id": "o1"}, now=NOW - 2 * HOUR).state


def _states(state: State) -> dict[str, str]:
    opp = state.opportunities[OpportunityId("o1")]
    return {i.key: i.state for i in checklist(state, opp, NOW, TODAY).items}


def test_landing_records_who_is_in_the_round_and_why() -> None:
    decision_ = run(_offer_state(), "landed", {"opportunity_id": "o1"})

    [record] = [r for r in decision_.put if isinstance(r, RoundRecord)]
    assert record.opportunity_id == "o1"
    assert set(record.person_ids) == {"ann", "bea", "carl", "ref", "gus", "hal"}
    assert record.most_doors == "ann"
    assert set(record.courtesy_notes) == {"o2", "o3"}
    assert dict(record.roles)[PersonId("ref")] == ("reference",)


def test_the_checklist_lists_everyone_open_most_doors_first_then_the_chain() -> None:
    state = _landed()
    opp = state.opportunities[OpportunityId("o1")]

    found = checklist(state, opp, NOW, TODAY)

    assert found.current
    assert found.items[0].name == "Ann Smith"
    assert found.items[0].most
    assert {i.state for i in found.items} == {"open"}
    assert {i.key for i in found.items if i.kind == "courtesy"} == {
        "courtesy-note:o2",
        "courtesy-note:o3",
    }


def test_done_skipped_snoozed_and_sent_items_stay_on_the_checklist_with_their_state() -> None:
    state = apply(
        _landed(),
        [
            decision("gratitude:o1:bea", at=NOW - HOUR),
            decision("gratitude:o1:gus", status="skipped", at=NOW - HOUR),
            decision("gratitude:o1:hal", status="snoozed", until=NOW + 2 * DAY, at=NOW - HOUR),
            interaction(
                "t1", "carl", kind="thank_you_email", at=NOW - HOUR,
                followup_key="gratitude:o1:carl",
            ),
        ],
    )  # fmt: skip

    states = _states(state)

    assert states["gratitude:o1:bea"] == "done"
    assert states["gratitude:o1:gus"] == "skipped"
    assert states["gratitude:o1:hal"] == "snoozed"
    assert states["gratitude:o1:carl"] == "sent"
    assert states["gratitude:o1:ann"] == "open"


def test_someone_thanked_another_way_is_still_listed_as_thanked() -> None:
    state = apply(_landed(), [interaction("t1", "ref", kind="thank_you_card", at=NOW - HOUR)])

    assert _states(state)["gratitude:o1:ref"] == "thanked"


def test_an_employer_told_by_withdrawing_is_still_listed_from_the_record() -> None:
    landed = _landed()
    withdrawn = run(landed, "move_opportunity", {"id": "o2", "stage": "withdrawn"}).state

    assert _states(withdrawn)["courtesy-note:o2"] == "thanked"


def test_without_a_record_the_round_is_worked_out_from_the_records() -> None:
    state = state_of(*_search(accepted_at=NOW - 2 * HOUR))

    states = _states(state)

    assert {k for k in states if k.startswith("gratitude:")} == {
        f"gratitude:o1:{p}" for p in ("ann", "bea", "carl", "ref", "gus", "hal")
    }


def test_a_snapshot_written_by_an_earlier_version_reads_as_the_rounds_record() -> None:
    old = {
        "id": "gratitude-round:o1", "opportunity_id": "o1", "at": "2026-11-23T07:00:00.000Z",
        "person_ids": ["ann", "ref"], "most_doors": "ann", "courtesy_notes": ["o2"],
        "roles": {"ann": ["chain"]},
    }  # fmt: skip

    [record] = decode_rounds([{"id": "settings"}, old, {"id": "gratitude-round:x", "at": 3}])

    assert record.person_ids == ("ann", "ref")
    assert record.courtesy_notes == ("o2",)
    assert dict(record.roles) == {"ann": ("chain",)}
    assert decode_rounds([encode_round(record)]) == [record]


def test_the_round_record_is_exported_and_loaded_back() -> None:
    state = _landed()

    data = encode_state(state)

    assert any(m["id"] == "gratitude-round:o1" for m in data["meta"])


def call(**request: Any) -> dict[str, Any]:
    answer: dict[str, Any] = json.loads(api.call(json.dumps(request)))
    return answer


def test_the_round_op_answers_the_opportunity_and_its_items() -> None:
    assert call(op="load", data=encode_state(_landed()))["ok"]

    answer = call(op="round", opportunity_id="o1", now=NOW.isoformat(), today=str(TODAY))

    assert answer["opportunity"]["organisation"] == "Globex"
    assert answer["current"] is True
    first = answer["items"][0]
    assert (first["name"], first["most"], first["state"], first["kind"]) == (
        "Ann Smith", True, "open", "thanks",
    )  # fmt: skip
    assert first["followup"]["key"] == "gratitude:o1:ann"
    missing = call(op="round", opportunity_id="nope", now=NOW.isoformat(), today=str(TODAY))
    assert missing["error"] == "unknown-opportunity"
    call(op="load", data={})


def test_an_old_snapshot_on_disk_keeps_its_round_once_loaded() -> None:
    told_by_withdrawing = opportunity("o2", "Initech", stage="withdrawn", at=NOW - HOUR)
    data = encode_state(
        state_of(*[r for r in _search() if getattr(r, "id", "") != "o2"], told_by_withdrawing)
    )
    data["meta"].append(
        {
            "id": "gratitude-round:o1", "opportunity_id": "o1", "at": "2026-11-23T07:00:00.000Z",
            "person_ids": ["ann"], "most_doors": "ann", "courtesy_notes": ["o2"], "roles": {},
        }
    )  # fmt: skip
    assert call(op="load", data=data)["ok"]

    answer = call(op="round", opportunity_id="o1", now=NOW.isoformat(), today=str(TODAY))

    told = {i["key"]: i["state"] for i in answer["items"] if i["kind"] == "courtesy"}
    assert told["courtesy-note:o2"] == "thanked"
    call(op="load", data={})
