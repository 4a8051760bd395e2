"""Paste a reply: what a message from someone answers, read with rules and word lists (issue 18).

`classify_reply(text)` -> {label, cues, confidence}: the label is one of yes, no, later,
question, out_of_office; the cues are the words that decided. The quoted thread and the signature
are left out first (classify_text.own_text). Every cue list is in classify_words.py, in English,
French, Spanish, German and Portuguese; tests/core/corpus/replies.jsonl is the labelled corpus
and bench/classifier_report.py its report.
"""

from __future__ import annotations

import re
from typing import Any

from .classify import QUESTION_MARK
from .classify_text import own_text
from .classify_words import (
    AUTO_REPLY,
    LATER,
    NEUTRAL,
    NO,
    QUESTION_OPENERS,
    TIMES,
    WH_OPENERS,
    YES,
)

LABELS = ("yes", "no", "later", "question", "out_of_office")
# When two answers score the same, the more careful reading wins: "later" over "no" over a
# question over "yes" (a wrong "yes" would stop nothing and nudge on).
_TIES = {"later": 4, "no": 3, "question": 2, "yes": 1}
_CUES: dict[str, str] = {}
for _label, _words in (
    ("out_of_office", AUTO_REPLY), ("later", LATER), ("no", NO), ("", NEUTRAL), ("yes", YES)
):  # fmt: skip
    for _w in _words:
        _CUES.setdefault(_w, _label)
# One pattern for every cue, longest first, so "no thanks" is read before "thanks" and "no
# problem" (neutral) before "no".
_PATTERN = re.compile(
    r"(?<![\w'])("
    + "|".join(re.escape(c) for c in sorted(_CUES, key=len, reverse=True))
    + r")(?![\w'])"
)
_TIME = re.compile(
    r"(?<![\w'])(" + "|".join(re.escape(t) for t in TIMES) + r")(?![\w'])"
    r"|\b\d{1,2}(:\d\d)?\s*(am|pm|h|uhr)\b|\bat \d{1,2}\b|à \d{1,2}h|a las \d|às \d"
)
_SENTENCE = re.compile(r"[^.!?\n]*[?\uff1f][\u00bf]?|[\u00bf][^?\n]*[?]?|[^.!?\n]+")


def classify_reply(text: str) -> dict[str, Any]:
    own = own_text(text)
    lowered = own.lower().replace("\u2019", "'")
    flat = "\n".join(" ".join(line.split()) for line in lowered.splitlines())
    scores = dict.fromkeys(LABELS, 0)
    cues: dict[str, list[str]] = {label: [] for label in LABELS}
    for sentence in _sentences(flat):
        found = [(m.group(1), _CUES[m.group(1)]) for m in _PATTERN.finditer(sentence)]
        labels = {label for _, label in found}
        asks = _is_question(sentence)
        if asks and (
            _opens_with_wh(sentence) or ("later" not in labels and not _TIME.search(sentence))
        ):
            scores["question"] += 2
            cues["question"].append(_question_cue(sentence))
        for cue, label in found:
            if label:
                scores[label] += 1
                cues[label].append(cue)
    if scores["out_of_office"]:
        label = "out_of_office"
    else:
        label = max(("later", "no", "question", "yes"), key=lambda k: (scores[k], _TIES[k]))
    total = sum(scores.values())
    if scores[label] == 0:
        # Nothing decided: a message is most often a "yes" of some kind; say we are unsure.
        return {"label": "yes" if own else "question", "cues": [], "confidence": 0.3}
    confidence = round(0.5 + 0.45 * scores[label] / total, 2)
    return {"label": label, "cues": _unique(cues[label]), "confidence": confidence}


def _sentences(flat: str) -> list[str]:
    return [s.strip() for s in _SENTENCE.findall(flat) if s.strip()]


def _is_question(sentence: str) -> bool:
    if QUESTION_MARK.search(sentence):
        return True
    words = sentence.split()
    return bool(words) and (words[0] in QUESTION_OPENERS or " ".join(words[:2]) in QUESTION_OPENERS)


def _opens_with_wh(sentence: str) -> bool:
    words = sentence.strip(" \u00bf").split()
    return bool(words) and (words[0] in WH_OPENERS or " ".join(words[:2]) in WH_OPENERS)


def _question_cue(sentence: str) -> str:
    """The question itself, shortened: the words that decided."""
    words = sentence.strip(" \u00bf").split()
    return " ".join(words[:8]) + (" …" if len(words) > 8 else "")


def _unique(items: list[str]) -> list[str]:
    return list(dict.fromkeys(items))
