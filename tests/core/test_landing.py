"""Landing closes every loop at once and retires the search: a journey through the api, as the
shell calls it, for a prolific introducer and an employer still considering the user."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest
from followup import api
from followup.codec import encode_state
from followup.model import Profile
from followup.state import State

from .builders import (
    DAY,
    HOUR,
    NOW,
    TODAY,
    interaction,
    introduction,
    opportunity,
    person,
    state_of,
)

CLOCK = {"now": NOW.isoformat(), "today": TODAY.isoformat()}


def call(**request: Any) -> dict[str, Any]:
    answer: dict[str, Any] = json.loads(api.call(json.dumps(request)))
    return answer


@pytest.fixture(autouse=True)
def searching() -> Iterator[None]:
    assert call(op="load", data=encode_state(_search()))["ok"]
    yield
    call(op="load", data={})


def _search() -> State:
    """Ana introduced the user to Wei (who led to the offer at Acme), Bo (who led to an
    interview at Globex, with Rita the recruiter), Cy (a coffee, nothing more) and, yesterday,
    Dee (not yet contacted)."""
    return state_of(
        *(person(p, n) for p, n in [("ana", "Ana Lima"), ("wei", "Wei Chen"), ("bo", "Bo Park"),
                                    ("cy", "Cy Diaz"), ("dee", "Dee Ray"), ("rita", "Rita Moss")]),
        introduction("i1", "ana", "wei", at=NOW - 30 * DAY),
        introduction("i2", "ana", "bo", at=NOW - 25 * DAY),
        introduction("i3", "ana", "cy", at=NOW - 20 * DAY),
        introduction("i4", "ana", "dee", at=NOW - 20 * HOUR),
        interaction("m1", "wei", kind="coffee", at=NOW - 29 * DAY),
        interaction("m2", "bo", kind="video_call", at=NOW - 24 * DAY),
        interaction("m3", "cy", kind="coffee", at=NOW - 19 * DAY, notes="Media sales"),
        interaction("m4", "rita", kind="interview", at=NOW - 10 * DAY),
        *(interaction(f"t{i}", p, kind="thank_you_email", at=NOW - d * DAY + HOUR)
          for i, (p, d) in enumerate([("wei", 29), ("bo", 24), ("cy", 19), ("rita", 10)])),
        *(interaction(f"u{i}", "ana", kind="introducer_update", at=NOW - d * DAY + 2 * HOUR)
          for i, d in enumerate([29, 24, 19])),
        opportunity("o1", "Acme", stage="offer", at=NOW - 3 * DAY, introduction_id="i1",
                    people={"wei": "hiring_manager"}),
        opportunity("o2", "Globex", stage="interviewing", at=NOW - 10 * DAY,
                    introduction_id="i2", people={"rita": "recruiter"}),
        opportunity("o3", "Initech", stage="lead", at=NOW - 5 * DAY),
        profile=Profile(name="Sam Seeker"),
    )  # fmt: skip


def _land(withdraw: list[str]) -> dict[str, Any]:
    return call(
        op="command",
        name="landed",
        payload={"opportunity_id": "o1", "at": NOW.isoformat(), "withdraw": withdraw},
        **CLOCK,
    )


def _today() -> list[dict[str, Any]]:
    later = {"now": (NOW + HOUR).isoformat(), "today": TODAY.isoformat()}
    items: list[dict[str, Any]] = call(op="today", **later)["followups"]
    return items


def _parts(items: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [p for f in items for p in f.get("parts", [f])]


def test_the_landing_preview_lists_the_other_open_processes_and_the_introducers() -> None:
    preview = call(op="landing_preview", opportunity_id="o1", **CLOCK)

    assert [(o["organisation"], o["note"]) for o in preview["others"]] == [
        ("Globex", True),
        ("Initech", False),
    ]
    assert preview["legend"] == "Withdraw from the other 2 open processes too"
    assert [i["name"] for i in preview["introducers"]] == ["Ana Lima"]
    assert "Globex, Initech" in preview["detail"]


def test_landing_withdraws_from_the_other_processes_in_one_command() -> None:
    answer = _land(["o2", "o3"])

    stages = {o["id"]: o["stage"] for o in answer["put"]["opportunities"]}
    assert stages == {"o1": "accepted", "o2": "withdrawn", "o3": "withdrawn"}
    moved = [e for e in answer["events"] if e["type"] == "opportunity_moved"]
    assert len(moved) == 3


def test_each_organisation_still_considering_you_gets_one_courteous_note_and_no_other() -> None:
    _land(["o2", "o3"])

    items = _today()

    rita = [p for p in _parts(items) if "rita" in p["person_ids"]]
    assert [p["key"] for p in rita] == ["courtesy-note:o2"]
    assert "courtesy-note:o3" not in [p["key"] for p in _parts(items)]  # a lead: nothing sent
    body = call(op="draft", key="courtesy-note:o2", **CLOCK)["draft"]["body"]
    assert "withdraw my application" in body


def test_a_prolific_introducer_gets_one_message_with_each_outcome_and_the_news() -> None:
    _land(["o2", "o3"])

    ana = [f for f in _today() if "ana" in f["person_ids"]]

    assert [f["key"] for f in ana] == ["bundle:ana"]
    parts = [p["key"] for p in ana[0]["parts"]]
    assert parts == ["close-loop-outcome:i2", "close-loop-outcome:i3", "gratitude:o1:ana"]
    assert (
        ana[0]["label"]
        == "3 things for Ana: Bo's introduction · Cy's introduction · news and dinner"
    )
    body = call(op="draft", key="bundle:ana", **CLOCK)["draft"]["body"]
    assert body.count("Hi Ana") == 1
    # How Bo's introduction ended, how Cy's did, then the news.
    assert "withdrew from the process for the Sales Lead role at Globex" in body
    assert "As for Cy Diaz" in body  # the voice: the second part of one rule follows on
    assert "my search took me elsewhere" in body
    assert "accepted a position as Sales Lead at Acme" in body
    assert "keep you posted" not in body


def test_landing_retires_the_search() -> None:
    _land(["o2", "o3"])

    rules = {p["rule"] for p in _parts(_today())}

    assert "reach-out" not in rules  # Dee, a name from the search, is not chased any more
    assert "close-loop" not in rules  # no "I'll keep you posted" left open


def test_sending_the_bundle_closes_every_loop_with_the_introducer() -> None:
    _land(["o2", "o3"])

    call(
        op="command",
        name="log_interaction",
        payload={
            "id": "s1",
            "person_ids": ["ana"],
            "kind": "thank_you_email",
            "at": NOW.isoformat(),
            "followup_key": "bundle:ana",
        },
        **CLOCK,
    )

    assert not [f for f in _today() if "ana" in f["person_ids"]]


def test_withdrawing_from_a_closed_process_is_refused_naming_it() -> None:
    call(op="command", name="move_opportunity", payload={"id": "o2", "stage": "rejected"}, **CLOCK)

    answer = _land(["o2"])

    assert answer["ok"] is False
    assert answer["field"] == "withdraw[0]"
    assert "Globex" in answer["message"]


def test_only_landing_withdraws_from_the_others() -> None:
    answer = call(
        op="command",
        name="move_opportunity",
        payload={"id": "o1", "stage": "declined", "withdraw": ["o2"]},
        **CLOCK,
    )

    assert answer["ok"] is False
    assert answer["field"] == "withdraw"


def test_a_prolific_introducer_is_one_item_ranked_by_its_most_urgent_part() -> None:
    """Ten introductions, each to a process withdrawn at landing: one item, not eleven."""
    people = [person("ana", "Ana Lima"), person("wei", "Wei Chen")]
    records: list[Any] = [
        introduction("i1", "ana", "wei", at=NOW - 30 * DAY),
        opportunity("o1", "Acme", stage="offer", at=NOW - 3 * DAY, introduction_id="i1"),
    ]
    for n in range(10):
        people.append(person(f"p{n}", f"Pat{n} Doe"))
        records += [
            introduction(f"j{n}", "ana", f"p{n}", at=NOW - (20 - n) * DAY),
            interaction(f"c{n}", f"p{n}", kind="call", at=NOW - (19 - n) * DAY),
            interaction(f"t{n}", f"p{n}", kind="thank_you_email", at=NOW - (19 - n) * DAY + HOUR),
            interaction(f"u{n}", "ana", kind="introducer_update", at=NOW - (19 - n) * DAY + HOUR),
            opportunity(f"q{n}", f"Org{n}", stage="applied", at=NOW - 10 * DAY,
                        introduction_id=f"j{n}"),
        ]  # fmt: skip
    state = state_of(*people, *records, profile=Profile(name="Sam Seeker"))
    assert call(op="load", data=encode_state(state))["ok"]
    _land([f"q{n}" for n in range(10)])

    items = _today()
    ana = [f for f in items if "ana" in f["person_ids"]]

    assert [f["key"] for f in ana] == ["bundle:ana"]
    assert len(ana[0]["parts"]) == 11
    gratitude = [f for f in items if f["group"] == "gratitude" and f["rule"] != "courtesy-note"]
    assert gratitude[0]["key"] == "bundle:ana"  # the dinner invitation comes first
    body = call(op="draft", key="bundle:ana", **CLOCK)["draft"]["body"]
    assert all(f"Pat{n} Doe" in body for n in range(10))
    assert body.count("Hi Ana") == 1
