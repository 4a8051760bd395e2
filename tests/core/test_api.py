"""The JavaScript entry point (api.py), through JSON strings only, as the worker calls it."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest
from followup import api

from .test_codec import CAPTURE

NOW, TODAY = "2026-11-23T09:00:00Z", "2026-11-23"


def call(**request: Any) -> dict[str, Any]:
    answer = api.call(json.dumps(request))
    assert isinstance(answer, str)
    result: dict[str, Any] = json.loads(answer)
    return result


@pytest.fixture(autouse=True)
def loaded() -> Iterator[None]:
    assert call(op="load", data=CAPTURE)["ok"]
    yield
    call(op="load", data={})


def test_load_answers_how_many_records_of_each_kind_it_holds() -> None:
    assert call(op="load", data=CAPTURE)["counts"] == {
        "people": 2, "events": 1, "introductions": 1, "interactions": 1,
        "opportunities": 1, "decisions": 1,
    }  # fmt: skip


def test_today_lists_follow_ups_with_everything_the_ui_shows() -> None:
    answer = call(op="today", now=NOW, today=TODAY)

    first = answer["followups"][0]
    assert set(first) == {
        "key", "rule", "person_ids", "who", "why", "since", "due", "all_day", "overdue",
        "overdue_hours", "priority", "channels", "group", "mark", "roles", "refs", "status",
        "snoozed_until", "label", "parts",
    }  # fmt: skip
    # Everything owed to p1 is one bundle: its parts are follow-ups like any other.
    assert first["key"] == "bundle:p1"
    assert set(first["parts"][0]) == set(first) - {"label", "parts"}
    assert set(answer["counts"]) == {"overdue", "due", "upcoming", "snoozed", "hidden", "resting"}


def test_a_command_answers_what_to_store_and_what_happened() -> None:
    answer = call(
        op="command", name="log_interaction", now=NOW, today=TODAY,
        payload={"id": "x2", "person_ids": ["p1"], "kind": "thank_you_email",
                 "followup_key": "thank-you:x1:p1"},
    )  # fmt: skip

    assert answer["ok"]
    assert [r["id"] for r in answer["put"]["interactions"]] == ["x2"]
    assert [e["type"] for e in answer["events"]][:2] == ["interaction_logged", "follow_up_answered"]
    assert "thank-you:x1:p1" not in [
        f["key"] for f in call(op="today", now=NOW, today=TODAY)["followups"]
    ]


def test_the_draft_for_a_follow_up_comes_with_its_recipient() -> None:
    answer = call(op="draft", key="thank-you:x1:p1", now=NOW, today=TODAY)

    assert answer["draft"]["to"] == {"name": "Bea Chen", "email": "bea@nbc.example", "phone": ""}
    assert answer["draft"]["subject"] == "Thank you for the coffee"
    assert answer["followup"]["key"] == "thank-you:x1:p1"


def test_a_promise_due_on_a_day_is_sent_as_an_all_day_follow_up() -> None:
    found = call(op="draft", key="promise:x1:0", now=NOW, today=TODAY)["followup"]

    assert (found["due"], found["all_day"]) == ("2026-11-25", True)


def test_the_person_view_has_their_chain_timeline_and_follow_ups() -> None:
    answer = call(op="person", id="p1", now=NOW, today=TODAY)

    assert [p["id"] for p in answer["chain"]] == ["p0"]
    assert [p["id"] for p in answer["introduced_by"]] == ["p0"]
    assert [i["id"] for i in answer["timeline"]] == ["x1"]
    assert {f["rule"] for f in answer["followups"]} >= {"thank-you", "act-on-advice", "promise"}


def test_the_graph_has_nodes_edges_and_who_opened_most_doors() -> None:
    answer = call(op="graph")

    assert answer["edges"] == [{"from": "p0", "to": "p1", "introduction_id": "i1"}]
    assert answer["most_doors"] == "p0"


def test_graph_nodes_carry_their_initials_for_the_drawing() -> None:
    nodes = call(op="graph")["nodes"]

    assert all(n["initials"] and n["initials"] == n["initials"].upper() for n in nodes)


def test_insights_are_plain_numbers_and_lists() -> None:
    answer = call(op="insights", now=NOW, today=TODAY)

    assert answer["open_loops"] == 1
    assert len(answer["meetings_per_week"]) == 12


def test_upsert_takes_records_the_shell_wrote_itself() -> None:
    capture = {"people": [{"id": "p7", "name": "Cy", "created_at": "2026-11-23T08:30:00Z"}]}

    assert call(op="upsert", data=capture)["counts"]["people"] == 3


def test_export_gives_back_what_load_takes() -> None:
    exported = call(op="export")["data"]

    assert call(op="load", data=exported)["ok"]
    assert call(op="export")["data"] == exported


def test_settings_lists_the_built_in_templates_and_the_facts_they_can_use() -> None:
    answer = call(op="settings")

    assert "reach-out" in answer["built_in"]
    assert "first_name" in answer["placeholders"]


def test_a_record_that_cannot_be_read_comes_back_set_aside_with_its_code_and_field() -> None:
    answer = json.loads(api.call('{"op": "load", "data": {"people": [{"id": 1}]}}'))

    assert answer["ok"] is True
    assert [(x["store"], x["id"], x["error"], x["field"]) for x in answer["set_aside"]] == [
        ("people", None, "wrong-type", "people[0].id")
    ]


@pytest.mark.parametrize(
    ("request_text", "code", "field"),
    [
        ("{not json", "bad-json", None),
        ("[]", "bad-request", "op"),
        ('{"op": "fly"}', "unknown-op", "op"),
        ('{"op": "today", "today": "2026-11-23"}', "missing-field", "now"),
        (
            '{"op": "today", "now": "2026-11-23T09:00:00", "today": "2026-11-23"}',
            "naive-time",
            "now",
        ),
        (
            '{"op": "today", "now": "2026-11-23T09:00:00Z", "today": "2026-11-23", "x": 1}',
            "unknown-field",
            "x",
        ),
        (
            '{"op": "draft", "key": "reach-out:nope", "now": "2026-11-23T09:00:00Z", '
            '"today": "2026-11-23"}',
            "unknown-followup",
            "key",
        ),
        (
            '{"op": "command", "name": "add_person", "payload": {"id": "p1", "name": "B"}, '
            '"now": "2026-11-23T09:00:00Z", "today": "2026-11-23"}',
            "already-exists",
            "id",
        ),
    ],
)
def test_errors_come_back_as_codes_with_a_message_and_the_field(
    request_text: str, code: str, field: str | None
) -> None:
    answer = json.loads(api.call(request_text))

    assert answer["ok"] is False
    assert (answer["error"], answer["field"]) == (code, field)
    assert answer["message"]


def test_a_failed_command_changes_nothing() -> None:
    before = call(op="export")["data"]

    call(op="command", name="add_person", payload={"id": "p9", "name": ""}, now=NOW, today=TODAY)

    assert call(op="export")["data"] == before


def test_a_failed_load_keeps_the_state_that_was_loaded() -> None:
    call(op="load", data={"people": "oops"})

    assert call(op="export")["data"]["people"][0]["id"] == "p0"


def test_the_api_never_raises_even_on_nonsense() -> None:
    for request in ["", "null", "1", '{"op": null}', '{"op": "load", "data": null}', "\x00"]:
        assert json.loads(api.call(request))["ok"] is False


def test_apply_takes_records_another_tab_put_and_deleted() -> None:
    written = {"people": [{"id": "p7", "name": "Cy", "created_at": "2026-11-23T08:30:00Z"}]}

    answer = call(op="apply", put=written, delete={"opportunities": ["o1"]})

    assert answer["counts"]["people"] == 3
    assert answer["counts"]["opportunities"] == 0


def test_put_records_answers_the_records_as_the_engine_reads_them_for_the_worker_to_write() -> None:
    written = {"people": [{"id": "p7", "name": "Cy", "created_at": "2026-11-23T08:30:00Z"}]}

    answer = call(op="put_records", put=written, delete={"opportunities": ["o1"]})

    assert answer["put"]["people"][0]["id"] == "p7"
    assert answer["put"]["people"][0]["name"] == "Cy"
    assert answer["delete"] == {"opportunities": ["o1"]}
    assert any(p["id"] == "p7" for p in call(op="export")["data"]["people"])


def test_put_records_refuses_them_all_when_one_cannot_be_read() -> None:
    answer = call(op="put_records", put={"people": [{"id": "p7", "name": "Cy"}, {"name": "no id"}]})

    assert answer["ok"] is False
    assert answer["field"].startswith("put.people")
    assert all(p["id"] != "p7" for p in call(op="export")["data"]["people"])


def test_rollback_puts_back_the_state_from_before_the_last_op() -> None:
    call(op="apply", put={"people": [{"id": "p7", "name": "Cy", "created_at": NOW}]})

    answer = call(op="rollback")

    assert answer["counts"]["people"] == 2
    assert call(op="rollback")["counts"]["people"] == 2


def test_stamping_the_changes_does_not_move_what_rollback_puts_back() -> None:
    call(op="apply", put={"people": [{"id": "p7", "name": "Cy", "created_at": NOW}]})
    stamped = call(
        op="stamp",
        now=NOW,
        node="a1b2c3d4e5f60718",
        writes=[{"store": "people", "key": "p7", "record": {"id": "p7", "name": "Cy"}}],
    )

    answer = call(op="rollback")

    assert stamped["ok"]
    assert answer["counts"]["people"] == 2


def test_asking_for_today_while_a_command_is_written_does_not_move_what_rollback_puts_back() -> (
    None
):
    call(op="apply", put={"people": [{"id": "p7", "name": "Cy", "created_at": NOW}]})
    shown = call(op="today", now=NOW, today=NOW[:10])

    answer = call(op="rollback")

    assert shown["ok"]
    assert answer["counts"]["people"] == 2
