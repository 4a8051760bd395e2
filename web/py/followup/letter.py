"""A message's shape: a greeting line, the middle, the closing paragraph, a sign-off with the
signature. `compose` (drafts.py) joins several rendered parts into one message by this shape:
the greeting once, each part's middle, the last part's closing, one sign-off and signature.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

_GREETING_MAX = 80
_SIGN_OFF_MAX = 40
_SENTENCE = re.compile(r"(?<=[.!?])\s+")
_SMS_GREETING = re.compile(r"^(?:hi|hello|dear|hey)\b[^,.!?]{0,60},\s*", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class Shape:
    greeting: str
    middle: tuple[str, ...]  # paragraphs
    sign: str  # the sign-off and signature, as one paragraph ("" if the body has none)


@dataclass(frozen=True, slots=True)
class Part:
    body: str
    # The body follows the built-in shape: its last middle paragraph is a closing that only
    # the last part of a joined message keeps.
    has_closing: bool


def shape(body: str) -> Shape:
    """A rendered body cut into greeting, middle paragraphs and sign-off."""
    paragraphs = [p for p in body.split("\n\n") if p.strip()]
    greeting = ""
    if paragraphs and _is_greeting(paragraphs[0]):
        greeting = paragraphs.pop(0)
    sign = ""
    if paragraphs and _is_sign(paragraphs[-1]):
        sign = paragraphs.pop()
    return Shape(greeting=greeting, middle=tuple(paragraphs), sign=sign)


def join_bodies(parts: Sequence[Part]) -> str:
    """One body from several: the first greeting, every middle (a closing only from the last
    part), the first sign-off and signature."""
    shapes = [shape(p.body) for p in parts]
    out: list[str] = []
    greeting = next((s.greeting for s in shapes if s.greeting), "")
    if greeting:
        out.append(greeting)
    for index, (part, s) in enumerate(zip(parts, shapes, strict=True)):
        middle = list(s.middle)
        last = index == len(parts) - 1
        if part.has_closing and not last and len(middle) > 1:
            middle.pop()
        out.extend(p for p in middle if p not in out)
    sign = next((s.sign for s in shapes if s.sign), "")
    if sign:
        out.append(sign)
    return "\n\n".join(out)


def join_sms(texts: Sequence[str], my_name: str) -> str:
    """One text message from several: the first greeting, then each part without its own
    greeting or signature, and the name once at the end if the parts were signed."""
    name = my_name.strip()
    signed = False
    pieces: list[str] = []
    for index, text in enumerate(texts):
        text = text.strip()
        if name and text.endswith(" " + name):
            text = text[: -len(name) - 1].rstrip()
            signed = True
        if index:
            text = _SMS_GREETING.sub("", text)
            text = text[:1].upper() + text[1:]
        if text:
            pieces.append(text)
    joined = " ".join(_last_of_each(pieces))
    return f"{joined} {name}" if signed else joined


def _last_of_each(pieces: Sequence[str]) -> list[str]:
    """The sentences of every piece in order, a sentence said again kept only where it is
    said last ("Thank you for the introduction!" once, at the end)."""
    sentences = [s for piece in pieces for s in _SENTENCE.split(piece) if s]
    last = {s: i for i, s in enumerate(sentences)}
    return [s for i, s in enumerate(sentences) if last[s] == i]


def _is_greeting(paragraph: str) -> bool:
    line = paragraph.strip()
    return "\n" not in line and line.endswith(",") and len(line) <= _GREETING_MAX


def _is_sign(paragraph: str) -> bool:
    lines = paragraph.strip().split("\n")
    return len(lines) <= 2 and lines[0].endswith(",") and len(lines[0]) <= _SIGN_OFF_MAX
