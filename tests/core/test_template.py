"""The draft template language (template.py): placeholders, optional sections, choices, flags,
and graceful degradation when a fact is missing."""

from __future__ import annotations

import pytest
from followup.errors import ValidationError
from followup.template import PLACEHOLDERS, check, one_line, placeholders_in, render
from followup.wording import BUILT_IN
from hypothesis import given, settings
from hypothesis import strategies as st

from .strategies import template_texts

FACTS = {"first_name": "Ann", "event": "Tech Mixer", "introducer": "Bo Li"}


def test_a_placeholder_is_replaced_by_its_fact() -> None:
    assert render("Hi {first_name}, great to meet you.", FACTS) == "Hi Ann, great to meet you."


def test_an_optional_section_appears_when_its_facts_are_known() -> None:
    assert render("Great to meet you[ at {event}].", FACTS) == "Great to meet you at Tech Mixer."


def test_an_optional_section_disappears_when_a_fact_is_missing() -> None:
    assert render("Great to meet you[ at {event}].", {}) == "Great to meet you."


def test_a_choice_takes_the_first_alternative_whose_facts_are_known() -> None:
    text = "[Hi {first_name},|Hello,] thanks."

    assert render(text, FACTS) == "Hi Ann, thanks."
    assert render(text, {}) == "Hello, thanks."


def test_a_missing_fact_outside_a_section_drops_its_whole_sentence() -> None:
    text = "Thanks for the coffee with {referral}. See you soon."

    assert render(text, {}) == "See you soon."


def test_a_missing_fact_never_leaves_an_empty_line_behind() -> None:
    assert render("Hi {first_name},\n\nThanks.\n\n{my_name}", {}) == "Thanks."


def test_a_line_left_with_only_punctuation_is_dropped() -> None:
    assert render("Thanks {first_name}\n\n.\n{my_name} !", {"first_name": "Bea"}) == ("Thanks Bea")


def test_one_line_joins_lines_without_a_space_before_punctuation() -> None:
    assert one_line("Thanks\n.") == "Thanks."
    assert one_line("Thanks\n, Bea\n\n  again") == "Thanks, Bea again"


def test_a_flag_prints_nothing_and_only_decides_whether_its_section_appears() -> None:
    text = "Thanks![{is_most_doors} Dinner is on me.]"

    assert render(text, {"is_most_doors": "yes"}) == "Thanks! Dinner is on me."
    assert render(text, {}) == "Thanks!"


def test_a_fact_that_looks_like_a_placeholder_is_printed_as_written() -> None:
    assert render("About {discussed}.", {"discussed": "{first_name}"}) == "About {first_name}."


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("Hi {frist_name}", "unknown-placeholder"),
        ("Hi [a [b] c]", "bad-template"),
        ("Hi [there", "bad-template"),
        ("Hi there]", "bad-template"),
        ("a | b", "bad-template"),
        ("Hi {", "bad-template"),
        ("Hi {First Name}", "bad-template"),
    ],
)
def test_a_broken_template_is_refused_naming_the_field(text: str, code: str) -> None:
    with pytest.raises(ValidationError) as error:
        check(text, "templates.thank-you.body")

    assert error.value.code == code
    assert error.value.field == "templates.thank-you.body"


def test_every_built_in_template_uses_only_known_facts() -> None:
    used = {
        name
        for t in BUILT_IN.values()
        for text in (t.subject, t.body, t.sms)
        for name in placeholders_in(text)
    }

    assert used <= set(PLACEHOLDERS)


@pytest.mark.parametrize("rule", sorted(BUILT_IN))
def test_a_built_in_template_never_renders_empty_even_with_no_facts(rule: str) -> None:
    template = BUILT_IN[rule]

    assert all(render(text, {}) for text in (template.subject, template.body, template.sms))


@settings(max_examples=60, deadline=None)
@given(
    template_texts(),
    st.dictionaries(
        st.sampled_from(sorted(PLACEHOLDERS)), st.sampled_from(["", "Ann", "Tech Mixer"])
    ),
)
def test_rendering_any_valid_template_leaves_no_markup_and_no_dangling_punctuation(
    text: str, facts: dict[str, str]
) -> None:
    out = render(text, facts)

    for bad in ("{", "}", "[", "]", "|", "None", "  ", " .", " ,", "\n\n\n"):
        assert bad not in out
