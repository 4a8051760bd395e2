"""Every draft reads well whatever the user typed: over a corpus of real-world phrasings
(corpus/phrasings.txt) put into every slot of every rule, in every tone, alone and composed
into one message, no sentence doubles a word, capitalises an ordinary word after a
mid-sentence "about", dangles, or leaves a slot empty; and no draft shows a placeholder,
"None", braces, an empty name or an ISO date."""

from __future__ import annotations

import re
from dataclasses import replace
from pathlib import Path

import pytest
from followup.common_words import COMMON
from followup.drafts import compose, draft
from followup.model import Draft
from followup.settings import TONES
from followup.state import State

from .builders import (
    DAY,
    HOUR,
    NOW,
    TODAY,
    followup,
    interaction,
    introduction,
    person,
    scenario,
    state_of,
)
from .builders import advice as advice_record
from .builders import promise as promise_record

CORPUS = Path(__file__).parent / "corpus" / "phrasings.txt"
PHRASINGS = [
    line
    for line in CORPUS.read_text(encoding="utf-8").split("\n")
    if line.strip() and not line.startswith("#")
]
RULES = (
    "reach-out", "thank-you", "close-loop", "close-loop-outcome", "act-on-advice",
    "report-back", "promise",
)  # fmt: skip

_SENTENCE = re.compile(r"(?<=[.!?…])\s+(?=\S)")
_DOUBLED = re.compile(r"\b(\w+)\s+\1\b", re.IGNORECASE | re.UNICODE)
_ABOUT = re.compile(r"\S.*?\babout\s+(\w[\w'\u2019-]*)")
_DANGLING = re.compile(
    r"(?:\b(?:about|to|with|for|on|of|and|or|the|a|an|my|your|their|at|in|re)|[:,;])\s*[.!?]$",
    re.IGNORECASE,
)
_EMPTY = ("  ", " .", " ,", ":.", "“”", '""', "()", "Hi ,", "Dear ,", ": ,", "about .")
_BAD = ("{", "}", "None", "null", "\n\n\n")
_ISO = re.compile(r"\b\d{4}-\d{2}-\d{2}\b")


def test_the_corpus_holds_at_least_200_phrasings() -> None:
    assert len(PHRASINGS) >= 200


def _with_phrase(state: State, phrase: str) -> State:
    """The same records, with every typed text replaced by `phrase`."""
    intros = [replace(i, context=phrase, outcome=phrase) for i in state.introductions.values()]
    interactions = [
        replace(
            i,
            notes=phrase,
            advice=tuple(replace(a, text=phrase) for a in i.advice),
            promises=tuple(replace(p, text=phrase) for p in i.promises),
        )
        for i in state.interactions.values()
    ]
    return state_of(
        *state.people.values(), *state.events.values(), *intros, *interactions,
        *state.opportunities.values(), profile=state.profile,
    )  # fmt: skip


def _bundle(phrase: str) -> tuple[State, list[str]]:
    """Ann introduced Bea, had coffee with you, advised and was promised something: four parts
    of one message to Ann."""
    ann, bea = person("ann", "Ann Smith"), person("bea", "Bea Chen")
    state = state_of(
        ann, bea,
        introduction("i1", "ann", "bea", at=NOW - 3 * DAY, context=phrase),
        interaction("m1", "bea", kind="coffee", at=NOW - 2 * DAY, notes=phrase),
        interaction("t1", "bea", kind="thank_you_email", at=NOW - 2 * DAY + HOUR),
        interaction(
            "m2", "ann", kind="coffee", at=NOW - 10 * HOUR, notes=phrase,
            advice=(advice_record(phrase),), promises=(promise_record(phrase, due=TODAY),),
        ),
    )  # fmt: skip
    return state, ["thank-you:m2:ann", "close-loop:i1", "act-on-advice:m2:0", "promise:m2:0"]


def _problems(d: Draft) -> list[str]:
    found: list[str] = []
    for part, text in (("subject", d.subject), ("body", d.body), ("sms", d.sms)):
        if not text.strip():
            found.append(f"{part} is empty")
        found += [f"{part} has {b!r}" for b in (*_BAD, *_EMPTY) if b in text]
        if _ISO.search(text):
            found.append(f"{part} has an ISO date")
        for line in text.split("\n"):
            for sentence in _SENTENCE.split(line.strip()):
                found += _sentence_problems(part, sentence)
    return found


def _sentence_problems(part: str, sentence: str) -> list[str]:
    found: list[str] = []
    if not sentence:
        return found
    doubled = _DOUBLED.search(sentence)
    if doubled and not doubled.group(1).isdigit():
        found.append(f"{part} doubles {doubled.group(1)!r}: {sentence}")
    for m in _ABOUT.finditer(sentence):
        word = m.group(1)
        if word[:1].isupper() and word[1:].islower() and word.casefold() in COMMON:
            found.append(f"{part} capitalises {word!r} after about: {sentence}")
    if _DANGLING.search(sentence) and not sentence.endswith((",", "Hello,")):
        found.append(f"{part} dangles: {sentence}")
    return found


@pytest.mark.parametrize("phrase", PHRASINGS)
def test_every_draft_of_every_rule_and_tone_reads_well(phrase: str) -> None:
    problems: list[str] = []
    for rule in RULES:
        state, key = scenario(rule)
        state = _with_phrase(state, phrase)
        f = followup(state, key, NOW, TODAY)
        for tone in TONES:
            problems += [f"{rule}/{tone}: {p}" for p in _problems(draft(state, f, NOW, tone=tone))]
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("phrase", PHRASINGS)
def test_one_message_composed_of_four_parts_reads_well(phrase: str) -> None:
    state, keys = _bundle(phrase)
    parts = [followup(state, k, NOW, TODAY) for k in keys]
    for tone in TONES:
        d = compose(state, parts, NOW, tone=tone)
        assert not _problems(d), "\n".join(f"{tone}: {p}" for p in _problems(d))
        assert d.body.count("Hi Ann") + d.body.count("Dear Ann") == 1
