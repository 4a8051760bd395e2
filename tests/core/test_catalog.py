"""The engine's vocabulary as the shell shows it (op `catalog`): one table for every rule."""

from __future__ import annotations

import json
from typing import Any

from followup import api
from followup.catalog import RULES, answer_kind
from followup.model import (
    MEETING_KINDS,
    THANK_YOU_KINDS,
    AdviceKind,
    Channel,
    InteractionKind,
    IntroductionKind,
)
from followup.owed import offered
from followup.settings import Rule

from .builders import draft_for, followup, scenario


def catalog() -> dict[str, Any]:
    answer: dict[str, Any] = json.loads(api.call(json.dumps({"op": "catalog"})))
    assert answer["ok"]
    return answer


def test_every_rule_has_words_and_channels() -> None:
    rules = catalog()["rules"]
    assert set(rules) == {r.value for r in Rule}
    for words in rules.values():
        assert words["label"]
        assert words["verb"]
        assert words["title"]
        assert words["channels"]
        assert set(words["channels"]) <= {c.value for c in Channel}


def test_only_keep_in_touch_has_no_timing_of_its_own() -> None:
    rules = catalog()["rules"]
    assert [r for r, words in rules.items() if not words["timed"]] == ["keep-in-touch"]


def test_any_op_accepts_the_shells_clock() -> None:
    answer = json.loads(
        api.call(
            json.dumps({"op": "catalog", "now": "2026-11-23T09:00:00Z", "today": "2026-11-23"})
        )
    )
    assert answer["ok"]


def test_a_card_always_answers_as_a_thank_you_card() -> None:
    for rule in Rule:
        assert answer_kind(rule, Channel.CARD) is InteractionKind.THANK_YOU_CARD


def test_thanks_answer_as_thank_yous_and_never_as_a_meeting() -> None:
    for rule, words in RULES.items():
        for channel in Channel:
            kind = answer_kind(rule, channel).value
            assert kind not in MEETING_KINDS or kind == "call"
            if words.answer == "thanks":
                assert kind in THANK_YOU_KINDS


def test_every_rule_offers_the_channels_the_catalog_names_in_its_order() -> None:
    for rule in Rule:
        state, key = scenario(rule.value)
        found = followup(state, key)

        offer = offered(found, draft_for(state, key))

        assert offer[: len(RULES[rule].channels)] == RULES[rule].channels
        assert list(found.channels) == [c for c in RULES[rule].channels if c in found.channels]


def test_the_rules_take_their_channels_from_the_catalog() -> None:
    from followup import cadence, commitments, gratitude, rules

    for module in (rules, gratitude, commitments, cadence):
        assert "Channel." not in _channel_lines(module.__file__ or "")


def _channel_lines(path: str) -> str:
    from pathlib import Path

    return "\n".join(line for line in Path(path).read_text().splitlines() if "channels=" in line)


def test_each_answer_logs_the_kind_the_rule_and_channel_call_for() -> None:
    answers = {rule: words["answers"] for rule, words in catalog()["rules"].items()}
    pairs = [
        ("thank-you", "email"), ("thank-you", "call"), ("met-at-event", "sms"),
        ("gratitude", "card"), ("close-loop", "sms"), ("close-loop-outcome", "call"),
        ("reach-out", "email"), ("reach-out", "call"), ("keep-in-touch", "sms"),
        ("promise", "email"),
    ]  # fmt: skip

    kinds = [answers[rule][channel] for rule, channel in pairs]

    assert kinds == [
        "thank_you_email", "thank_you_call", "thank_you_email", "thank_you_card",
        "introducer_update", "introducer_update", "message_sent", "call", "message_sent",
        "message_sent",
    ]  # fmt: skip


def test_every_interaction_advice_and_introduction_kind_has_words() -> None:
    found = catalog()

    assert set(found["timeline_words"]) == {k.value for k in InteractionKind}
    assert set(found["advice_kinds"]) == {k.value for k in AdviceKind}
    assert set(found["introduction_kinds"]) == {k.value for k in IntroductionKind}
    assert set(found["meeting_kinds"]) == MEETING_KINDS
    assert found["meeting_kinds"][0] == "meeting"
