"""A small, safe template language for drafts, built-in or written by the user.

`{name}` inserts a fact. `[ ... ]` is an optional section: it appears only when every fact in it
is known; `[a|b]` shows the first alternative whose facts are all known. `{is_x}` facts are flags:
they print nothing and only decide whether their section appears. A fact that is missing outside
any section removes its whole sentence. So a missing fact never prints "None", "{x}" or "with .".
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

from .errors import ValidationError

# Every fact a template may use, with the words the settings screen shows for it.
PLACEHOLDERS: Mapping[str, str] = {
    "name": "the full name of the person you write to",
    "first_name": "their first name",
    "their_company": "the organisation they work for",
    "my_name": "your name, from your profile",
    "introducer": "who made the introduction",
    "introducer_first_name": "the introducer's first name",
    "referral": "the person you were introduced to",
    "referral_first_name": "their first name",
    "context": "why you were introduced, e.g. 'media sales'",
    "event": "the event where you met",
    "meeting": "the kind of meeting: coffee, call, interview…",
    "contact": "how you got in touch: 'met', 'spoke with'…",
    "discussed": "what you discussed (the first line of your notes)",
    "advice": "the advice they gave",
    "promise": "what you promised",
    "promised_thing": "what you promised to send, e.g. 'my portfolio'",
    "met_when": "when you met or spoke, e.g. 'on Tuesday'",
    "how_it_went": "how it went, in your own words (the draft asks you)",
    "what_i_did": "what you did about their advice (the draft asks you)",
    "outcome": "what came of it",
    "company": "the organisation of the opportunity",
    "position": "the role you applied for",
    "new_job": "your new job, e.g. 'Head of Sales at Yahoo'",
    "new_company": "the organisation you are joining",
    "introduced_names": "whom they introduced you to on the way to the new job",
    "their_subject": "the subject of their message, for a reply",
    "is_chain": "flag: they are on the chain of introductions to the new job",
    "is_reference": "flag: they were one of your references",
    "is_helper": "flag: they gave time, advice or names during the search",
    "is_most_doors": "flag: they opened the most doors",
    "is_landed": "flag: you have landed a job",
    "is_acted": "flag: you have acted on their advice",
    "is_met": "flag: you met or spoke with the person introduced",
    "is_later": "flag: an earlier part of the same message is about the same kind of thing",
}

# What each fact says in the settings screen's preview ("Preview, with example details"). Flags
# are empty here; `example_facts` sets the ones the rule is about.
EXAMPLES: Mapping[str, str] = {
    "name": "Maria Lopez",
    "first_name": "Maria",
    "their_company": "Northwind",
    "my_name": "Alex Kim",
    "introducer": "Ashok Mehta",
    "introducer_first_name": "Ashok",
    "referral": "Maria Lopez",
    "referral_first_name": "Maria",
    "context": "media sales",
    "event": "the Media Sales Meetup",
    "meeting": "coffee",
    "contact": "met",
    "discussed": "how her team hires",
    "advice": "talk to the agency side too",
    "promise": "send my portfolio",
    "promised_thing": "my portfolio",
    "met_when": "on Tuesday",
    "how_it_went": "She offered to introduce me to her head of sales.",
    "what_i_did": "I called two agencies last week",
    "outcome": "an interview next week",
    "company": "Northwind",
    "position": "Account Director",
    "new_job": "Head of Sales at Northwind",
    "new_company": "Northwind",
    "introduced_names": "Maria Lopez",
    "their_subject": "the analyst role",
    "is_chain": "",
    "is_reference": "",
    "is_helper": "",
    "is_most_doors": "",
    "is_landed": "",
    "is_acted": "",
    "is_met": "",
    "is_later": "",
}
# The rules written after the user has landed a job: their examples have landed.
_LANDED_RULES = frozenset({"gratitude", "courtesy-note"})


def example_facts(rule: str, my_name: str = "") -> dict[str, str]:
    """The example facts a rule's template is previewed with (the user's own name if known)."""
    facts = dict(EXAMPLES)
    if my_name.strip():
        facts["my_name"] = my_name.strip()
    if rule in _LANDED_RULES:
        facts.update(is_chain="yes", is_helper="yes", is_landed="yes")
    return facts


def preview(text: str, facts: Mapping[str, str], field: str) -> str:
    """`text` rendered with `facts`, or a ValidationError naming `field` and what is wrong."""
    _parse(text, field)
    return render(text, facts)


_TOKEN = re.compile(r"\{([a-z_]+)\}|\{|\}|\[|\]|\|")
_MISSING = "\x00"
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+")
_PUNCTUATION_ONLY = re.compile(r"[.,;:!?]+")


@dataclass(frozen=True, slots=True)
class _Slot:
    name: str


_Piece = str | _Slot
_Section = tuple[tuple[_Piece, ...], ...]  # alternatives
_Node = _Piece | _Section


def check(text: str, field: str) -> None:
    """Raise a ValidationError naming `field` if `text` is not a valid template."""
    _parse(text, field)


def placeholders_in(text: str) -> frozenset[str]:
    """The fact names a template uses (for documentation and tests)."""
    return frozenset(m.group(1) for m in _TOKEN.finditer(text) if m.group(1))


def render(text: str, facts: Mapping[str, str]) -> str:
    """Fill `text` with `facts`; unknown or empty facts drop their section or sentence."""
    out: list[str] = []
    for node in _parse(text, "template"):
        if isinstance(node, str):
            out.append(node)
        elif isinstance(node, _Slot):
            out.append(_value(node.name, facts) or _MISSING)
        else:
            out.append(_render_section(node, facts))
    return _tidy("".join(out))


def one_line(text: str) -> str:
    """A rendered text as one line (a subject), tidied again: the line breaks it loses must not
    leave a space before punctuation ("Thanks ." from "Thanks\n\n.")."""
    return _tidy_line(" ".join(text.split()))


def _value(name: str, facts: Mapping[str, str]) -> str:
    value = facts.get(name, "")
    return "" if name.startswith("is_") else value


def _render_section(section: _Section, facts: Mapping[str, str]) -> str:
    for alternative in section:
        slots = [p.name for p in alternative if isinstance(p, _Slot)]
        if all(facts.get(name, "") for name in slots):
            return "".join(p if isinstance(p, str) else _value(p.name, facts) for p in alternative)
    return ""


def _parse(text: str, field: str) -> list[_Node]:
    nodes: list[_Node] = []
    section: list[list[_Piece]] | None = None
    pos = 0
    for m in _TOKEN.finditer(text):
        literal = text[pos : m.start()]
        pos = m.end()
        target: list[_Piece] | list[_Node] = section[-1] if section is not None else nodes
        if literal:
            target.append(literal)
        token = m.group(0)
        if m.group(1):
            if m.group(1) not in PLACEHOLDERS:
                raise ValidationError(
                    "unknown-placeholder",
                    f"The template uses {{{m.group(1)}}}, which is not a known fact.",
                    field,
                )
            target.append(_Slot(m.group(1)))
        elif token == "[":
            if section is not None:
                raise ValidationError(
                    "bad-template", "Optional sections [ ] cannot be nested.", field
                )
            section = [[]]
        elif token == "]":
            if section is None:
                raise ValidationError("bad-template", "A ] has no matching [.", field)
            nodes.append(tuple(tuple(alt) for alt in section))
            section = None
        elif token == "|":
            if section is None:
                raise ValidationError(
                    "bad-template", "A | may only separate choices inside [ ].", field
                )
            section.append([])
        else:
            raise ValidationError(
                "bad-template",
                "A { or } is not part of a {placeholder}; placeholders look like {first_name}.",
                field,
            )
    if section is not None:
        raise ValidationError("bad-template", "A [ is never closed with ].", field)
    if pos < len(text):
        nodes.append(text[pos:])
    return nodes


def _tidy(text: str) -> str:
    lines_out: list[str] = []
    for line in text.split("\n"):
        if not line.strip():
            lines_out.append("")
            continue
        kept = [s for s in _SENTENCE_END.split(line) if _MISSING not in s]
        joined = _tidy_line(" ".join(kept))
        # A line left with only punctuation lost every fact it had: an empty bit, not a line.
        if joined and not _PUNCTUATION_ONLY.fullmatch(joined):
            lines_out.append(joined)
    result = "\n".join(lines_out)
    result = re.sub(r"\n{3,}", "\n\n", result)
    return result.strip()


def _tidy_line(line: str) -> str:
    line = re.sub(r"[ \t]+", " ", line)
    line = re.sub(r" +([,.;:!?])", r"\1", line)
    line = re.sub(r"([,;:])(?=[.!?])", "", line)
    line = re.sub(r"\(\s*\)", "", line)
    line = re.sub(r"[ \t]+", " ", line)
    return line.strip()
