"""Settings (settings.py): defaults, partial records, strict errors, and merging changes."""

from __future__ import annotations

import pytest
from followup.errors import EngineError
from followup.settings import (
    DEFAULT_SETTINGS,
    Rule,
    Template,
    decode_settings,
    encode_settings,
    merge_settings,
)


def test_every_rule_has_a_default_timing() -> None:
    assert set(DEFAULT_SETTINGS.rules) == set(Rule)


def test_the_default_timings_follow_the_product_brief() -> None:
    rules = DEFAULT_SETTINGS.rules

    assert rules[Rule.REACH_OUT].due_hours == 24
    assert rules[Rule.THANK_YOU].due_hours == 24
    assert rules[Rule.REJECTION_THANKS].due_hours == 24


def test_an_empty_settings_record_means_the_defaults() -> None:
    assert decode_settings({"id": "settings"}) == DEFAULT_SETTINGS


def test_a_partial_settings_record_changes_only_what_it_names() -> None:
    settings = decode_settings({"rules": {"thank-you": {"due_hours": 12}}})

    assert settings.rules[Rule.THANK_YOU].due_hours == 12
    assert settings.rules[Rule.THANK_YOU].expire_days == 7
    assert settings.rules[Rule.REACH_OUT] == DEFAULT_SETTINGS.rules[Rule.REACH_OUT]


def test_settings_survive_encoding_and_decoding() -> None:
    settings = decode_settings(
        {
            "rules": {"close-loop": {"enabled": False}},
            "keep_in_touch": {"landed": {"met": 180}, "max_per_day": 3},
            "today": {"horizon_days": 14},
            "templates": {"thank-you": {"subject": "Thanks, {first_name}!"}},
        }
    )

    assert decode_settings(encode_settings(settings)) == settings


def test_merging_changes_keeps_the_other_settings_and_templates() -> None:
    first = merge_settings(DEFAULT_SETTINGS, {"templates": {"thank-you": {"body": "Thanks!"}}})

    second = merge_settings(
        first, {"keep_in_touch": {"max_per_day": 5}, "templates": {"promise": {"sms": "Done."}}}
    )

    assert second.keep_in_touch.max_per_day == 5
    assert second.templates == {
        Rule.THANK_YOU: Template(body="Thanks!"),
        Rule.PROMISE: Template(sms="Done."),
    }


def test_an_empty_template_removes_the_users_own_wording() -> None:
    first = merge_settings(DEFAULT_SETTINGS, {"templates": {"thank-you": {"body": "Thanks!"}}})

    assert merge_settings(first, {"templates": {"thank-you": {}}}).templates == {}


@pytest.mark.parametrize(
    ("raw", "code", "field"),
    [
        ({"colour": "blue"}, "unknown-field", "settings.colour"),
        ({"rules": {"say-hi": {}}}, "unknown-value", "settings.rules"),
        (
            {"rules": {"thank-you": {"due_hours": "24"}}},
            "wrong-type",
            "settings.rules.thank-you.due_hours",
        ),
        (
            {"rules": {"thank-you": {"due_hours": -1}}},
            "out-of-range",
            "settings.rules.thank-you.due_hours",
        ),
        (
            {"rules": {"thank-you": {"enabled": 1}}},
            "wrong-type",
            "settings.rules.thank-you.enabled",
        ),
        (
            {"keep_in_touch": {"landed": {"met": 99999}}},
            "out-of-range",
            "settings.keep_in_touch.landed.met",
        ),
        ({"today": {"max_items": 0}}, "out-of-range", "settings.today.max_items"),
        (
            {"templates": {"thank-you": {"body": "Hi {nam}"}}},
            "unknown-placeholder",
            "settings.templates.thank-you.body",
        ),
    ],
)
def test_a_wrong_setting_is_refused_naming_the_field(
    raw: dict[str, object], code: str, field: str
) -> None:
    with pytest.raises(EngineError) as error:
        decode_settings(raw)

    assert (error.value.code, error.value.field) == (code, field)
