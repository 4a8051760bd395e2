"""The People list (op `people`) and the merge preview (op `merge_preview`): rows, search,
filters and orders decided by the engine, and a preview that is what merging then writes."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from followup.codec import encode_record
from followup.errors import EngineError
from followup.fields import Fields
from followup.people import PEOPLE_OPS, initials, name_key, normalise
from followup.state import State

from .builders import DAY, NOW, TODAY, event, interaction, introduction, person, run, state_of


def ask(state: State, op: str, **args: Any) -> dict[str, Any]:
    """One op, as api.call runs it (with the shell's clock)."""
    allowed, handler = PEOPLE_OPS[op]
    request = {"op": op, "now": NOW.isoformat(), "today": TODAY.isoformat(), **args}
    answer: dict[str, Any] = handler(state, Fields(request, "", ("op", "now", "today", *allowed)))[
        1
    ]
    return answer


def names(answer: dict[str, Any]) -> list[str]:
    return [r["name"] for r in answer["rows"]]


def network() -> State:
    """An introducer, two people he introduced, an event, a recruiter who owes a reply."""
    return state_of(
        person("ashok", "Ashok Mehta", organisation="Northwind", role="Head of Sales",
               tags=("mentor", "media"), notes="Knows everyone in ad sales."),
        person("maria", "María López", organisation="Contoso", tags=("media",),
               created_at=NOW - 2 * DAY),
        person("zoe", "Zoë Ångström", role="Recruiter", event_id="meetup",
               created_at=NOW - 3 * DAY),
        person("li", "Li Wei", notes="Hiring in spring", created_at=NOW - 20 * DAY),
        event("meetup", "Media Sales Meetup", date=TODAY - timedelta(days=3)),
        introduction("i-maria", "ashok", "maria", at=NOW - 2 * DAY),
        introduction("i-li", "ashok", "li", at=NOW - 20 * DAY),
        interaction("x-li", "li", at=NOW - 18 * DAY),
        interaction("x-li-thanks", "li", kind="thank_you_email", at=NOW - 17 * DAY),
        interaction("x-zoe", "zoe", kind="message_sent", at=NOW - 2 * DAY),
        interaction("x-zoe-note", "zoe", kind="note", at=NOW - DAY),
    )  # fmt: skip


def test_names_are_compared_without_case_or_accents_and_numbers_in_order() -> None:
    assert normalise("Zoë ÅNGSTRÖM") == "zoe angstrom"
    assert sorted(["Ana 10", "ana 9", "Ána 1"], key=name_key) == ["Ána 1", "ana 9", "Ana 10"]
    assert initials("María  de la López") == "ML"
    assert initials("   ") == "?"


def test_a_row_carries_what_the_list_shows() -> None:
    rows = {r["id"]: r for r in ask(network(), "people")["rows"]}

    # Ashok owes nothing; you owe him word of how it went with Li.
    assert rows["ashok"] == {
        "id": "ashok", "name": "Ashok Mehta", "initials": "AM",
        "line": "Head of Sales at Northwind", "tags": ["mentor", "media"],
        "owe": 1, "waiting_since": None,
    }  # fmt: skip
    assert rows["zoe"]["line"] == "Recruiter"
    assert (
        rows["zoe"]["waiting_since"] == "2026-11-21T09:00:00+00:00"
    )  # the note after is not a reply


def test_search_ignores_case_and_accents_and_every_word_must_match() -> None:
    state = network()

    assert names(ask(state, "people", query="MARIA")) == ["María López"]
    assert names(ask(state, "people", query="zoe angstrom")) == ["Zoë Ångström"]
    assert names(ask(state, "people", query="northwind sales")) == ["Ashok Mehta"]
    assert names(ask(state, "people", query="spring hiring")) == ["Li Wei"]
    assert ask(state, "people", query="nobody like this")["matched"] == 0


def test_filters_by_tag_introducer_event_and_who_owes_whom() -> None:
    state = network()

    assert set(names(ask(state, "people", tag="media"))) == {"Ashok Mehta", "María López"}
    assert set(names(ask(state, "people", introducer="ashok"))) == {"María López", "Li Wei"}
    assert names(ask(state, "people", event="meetup")) == ["Zoë Ångström"]
    assert names(ask(state, "people", owing="owes-me")) == ["Zoë Ångström"]
    owe = ask(state, "people", owing="i-owe")
    # A reach-out to a new referral, and telling Ashok how it went with Li.
    assert set(names(owe)) == {"María López", "Ashok Mehta"}


def test_a_filter_naming_something_gone_is_dropped() -> None:
    answer = ask(
        network(), "people", tag="nope", introducer="maria", event="gone",
        added="2020-01-01T00:00:00Z",
    )  # fmt: skip

    assert answer["filters"] == {
        "query": "", "tag": "", "introducer": "", "event": "", "owing": "", "sort": "attention",
        "logged": "", "added": "",
    }  # fmt: skip
    assert answer["matched"] == 4


def test_those_you_owe_come_first_then_those_who_owe_you_then_the_latest_in_touch() -> None:
    assert names(ask(network(), "people")) == [
        "María López",
        "Ashok Mehta",
        "Zoë Ångström",
        "Li Wei",
    ]


def test_the_other_orders_by_name_by_last_contact_and_by_when_added() -> None:
    state = network()

    assert names(ask(state, "people", sort="name")) == [
        "Ashok Mehta", "Li Wei", "María López", "Zoë Ångström",
    ]  # fmt: skip
    assert names(ask(state, "people", sort="recent"))[0] == "María López"  # added 2 days ago
    assert names(ask(state, "people", sort="added"))[-1] == "Ashok Mehta"


def test_the_list_comes_a_page_at_a_time_with_the_counts() -> None:
    answer = ask(network(), "people", sort="name", offset=1, limit=2)

    assert (answer["total"], answer["matched"], answer["offset"]) == (4, 4, 1)
    assert names(answer) == ["Li Wei", "María López"]


def test_the_filters_offer_tags_with_counts_introducers_and_events() -> None:
    answer = ask(network(), "people")

    assert answer["tags"] == [{"tag": "media", "count": 2}, {"tag": "mentor", "count": 1}]
    assert answer["introducers"] == [{"id": "ashok", "label": "Ashok Mehta (Northwind)"}]
    assert answer["events"] == [{"id": "meetup", "label": "Media Sales Meetup (2026-11-20)"}]


def test_an_unknown_order_is_refused_naming_the_field() -> None:
    with pytest.raises(EngineError) as raised:
        ask(network(), "people", sort="shoe size")

    assert raised.value.field == "sort"


def test_likely_duplicates_share_an_email_a_phone_or_a_name() -> None:
    state = state_of(
        person("a", "María López", emails=("m@x.example",)),
        person("b", "Maria Lopez", emails=()),
        person("c", "Mia", emails=("M@x.example ",)),
        person("d", "Dee", emails=(), phones=("+351 912 345",)),
        person("e", "Eve", emails=(), phones=("+351912345",)),
    )

    pairs = ask(state, "people", duplicates=True)["duplicates"]

    assert [({p["a"]["id"], p["b"]["id"]}, p["why"]) for p in pairs] == [
        ({"a", "c"}, "same email"), ({"d", "e"}, "same phone"), ({"a", "b"}, "same name"),
    ]  # fmt: skip


def duplicate_pair() -> State:
    return state_of(
        person("maria", "María López", emails=("maria@contoso.example",), tags=("media",),
               notes="Talk about media sales"),
        person("maria2", "Maria Lopez", emails=("maria@gmail.example",), phones=("+34 600",),
               tags=("spain",), notes="Met in 2023", created_at=NOW - 500 * DAY),
        person("sam", "Sam Reyes"),
        introduction("i-sam", "maria2", "sam"),
        introduction("i-self", "maria", "maria2"),
        interaction("x-call", "maria2", kind="call"),
    )  # fmt: skip


def test_the_merge_preview_is_exactly_what_merging_then_writes() -> None:
    state = duplicate_pair()

    preview = ask(state, "merge_preview", keep_id="maria", drop_id="maria2")
    written = run(state, "merge_people", {"keep_id": "maria", "drop_id": "maria2"})

    merged = {k: v for k, v in preview["merged"].items() if k != "event_name"}
    assert merged == encode_record(written.state.people["maria"])  # type: ignore[arg-type]
    assert preview["merged"]["emails"] == ["maria@contoso.example", "maria@gmail.example"]


def test_the_merge_preview_says_what_moves_and_what_the_person_keeps() -> None:
    preview = ask(duplicate_pair(), "merge_preview", keep_id="maria", drop_id="maria2")

    assert preview["keep"]["name"] == "María López"
    assert preview["drop"]["name"] == "Maria Lopez"
    assert preview["moves"] == {"introductions": 1, "interactions": 1}
    assert preview["deletes"] == {"people": 1, "introductions": 1}  # one introduced to herself
    assert preview["kept"] == {"introductions": 1, "interactions": 1, "opportunities": 0}


def test_the_merge_preview_changes_nothing() -> None:
    state = duplicate_pair()

    ask(state, "merge_preview", keep_id="maria", drop_id="maria2")

    assert set(state.people) == {"maria", "maria2", "sam"}


def test_the_merge_preview_refuses_what_the_merge_refuses() -> None:
    with pytest.raises(EngineError) as same:
        ask(duplicate_pair(), "merge_preview", keep_id="maria", drop_id="maria")
    with pytest.raises(EngineError) as unknown:
        ask(duplicate_pair(), "merge_preview", keep_id="maria", drop_id="nobody")

    assert (same.value.field, unknown.value.field) == ("drop_id", "drop_id")
