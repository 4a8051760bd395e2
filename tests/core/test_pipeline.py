"""The Pipeline board (op `pipeline`) and its words in the catalog: the engine groups, orders
and names everything the board shows."""

from __future__ import annotations

from typing import Any

from followup.catalog import encode_catalog
from followup.fields import Fields
from followup.model import Stage
from followup.pipeline import PIPELINE_OPS
from followup.state import State

from .builders import DAY, NOW, TODAY, introduction, opportunity, person, state_of


def board(state: State) -> dict[str, Any]:
    allowed, handler = PIPELINE_OPS["pipeline"]
    request = {"op": "pipeline", "now": NOW.isoformat(), "today": TODAY.isoformat()}
    answer: dict[str, Any] = handler(state, Fields(request, "", ("op", "now", "today", *allowed)))[
        1
    ]
    return answer


def pipeline_state() -> State:
    return state_of(
        person("ashok", "Ashok Mehta", organisation="Northwind"),
        person("maria", "María López"),
        person("maria-2", "María López", organisation="Contoso"),
        introduction("i-maria", "ashok", "maria", at=NOW - 9 * DAY),
        opportunity("globex", "Globex", stage="applied", at=NOW - 3 * DAY,
                    introduction_id="i-maria", people={"maria": "recruiter"}),
        opportunity("acme", "Acme", stage="applied", at=NOW - DAY, role=""),
        opportunity("initech", "Initech", stage="rejected", at=NOW - DAY),
    )  # fmt: skip


def test_the_board_shows_every_active_stage_and_the_others_only_when_used() -> None:
    stages = [column["stage"] for column in board(pipeline_state())["board"]]

    assert stages == ["lead", "applied", "interviewing", "offer", "rejected"]


def test_cards_in_a_stage_come_newest_move_first() -> None:
    applied = next(c for c in board(pipeline_state())["board"] if c["stage"] == "applied")

    assert [card["title"] for card in applied["cards"]] == ["Acme", "Sales Lead at Globex"]


def test_a_card_names_the_introduction_and_the_people_there() -> None:
    cards = {c["id"]: c for col in board(pipeline_state())["board"] for c in col["cards"]}

    assert cards["globex"]["came_from"] == {
        "introducer": {"id": "ashok", "name": "Ashok Mehta"},
        "introduced": {"id": "maria", "name": "María López"},
    }
    assert cards["globex"]["people"] == [
        {"id": "maria", "name": "María López", "label": "María López", "role": "recruiter",
         "role_label": "Recruiter"},
    ]  # fmt: skip


def test_a_rejection_says_when_a_thank_you_anyway_is_waiting() -> None:
    cards = {c["id"]: c for col in board(pipeline_state())["board"] for c in col["cards"]}

    assert cards["initech"]["rejection_open"] is True
    assert cards["globex"]["rejection_open"] is False


def test_the_form_names_people_apart_by_organisation_where_names_clash() -> None:
    labels = [p["label"] for p in board(pipeline_state())["people"]]

    assert labels == ["Ashok Mehta", "María López", "María López (Contoso)"]


def test_the_form_lists_introductions_in_words_newest_first() -> None:
    [intro] = board(pipeline_state())["introductions"]

    assert intro["text"] == "Ashok Mehta introduced María López"
    assert intro["introduced_id"] == "maria"


def test_a_landing_with_thank_yous_owed_is_announced() -> None:
    state = state_of(
        person("ashok", "Ashok Mehta"),
        person("maria", "María López"),
        introduction("i-maria", "ashok", "maria", at=NOW - 9 * DAY),
        opportunity("globex", "Globex", stage=Stage.ACCEPTED, at=NOW - DAY,
                    introduction_id="i-maria"),
    )  # fmt: skip

    landed = board(state)["landed"]

    assert landed is not None
    assert (landed["id"], landed["title"]) == ("globex", "Sales Lead at Globex")
    assert landed["owed"] >= 1


def test_the_catalog_names_every_stage_its_next_step_and_every_role() -> None:
    catalog = encode_catalog()

    assert [s["id"] for s in catalog["stages"]] == [s.value for s in Stage]
    offer = next(s for s in catalog["stages"] if s["id"] == "offer")
    assert offer["next"] == {"stage": "accepted", "label": "I landed the job"}
    assert catalog["opportunity_roles"][0] == {"id": "contact", "label": "Contact"}
    assert set(catalog["gratitude_roles"]) == {"chain", "reference", "helper"}
