"""What People search reads for each person, and the snippet that shows why a row matched.

Search reads the person's own fields (name, organisation, role, tags, notes, how you met, email
addresses) and everything logged with them: each interaction's notes, advice and promises. When
a row matches on something the row does not show (a note, a meeting's advice), the answer
carries the matched words in context: `{"label": "Advice (coffee, 2026-11-20)", "text": "…"}`.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterator

from .model import Person
from .state import State

SNIPPET_BEFORE = 30
SNIPPET_AFTER = 60


def normalise(text: str) -> str:
    """Lower case, accents removed: "Zoë Ångström" -> "zoe angstrom"."""
    if text.isascii():
        return text.lower()
    decomposed = unicodedata.normalize("NFD", text)
    return "".join(c for c in decomposed if not unicodedata.category(c).startswith("M")).lower()


def shown(p: Person) -> str:
    """The words a row shows itself: a match there needs no snippet."""
    return "\n".join((p.name, p.organisation, p.role, " ".join(p.tags)))


def logged_text(state: State, p: Person) -> Iterator[tuple[str, str]]:
    """(label, text) for everything logged with this person, newest first."""
    interactions = state.interactions
    for ident in reversed(state.log(p.id).ids):
        it = interactions.get(ident)
        if it is None:
            continue
        when = f"{it.kind.value.replace('_', ' ')}, {it.at.date().isoformat()}"
        if it.notes:
            yield f"Notes ({when})", it.notes
        for advice in it.advice:
            yield f"Advice ({when})", advice.text
        for promise in it.promises:
            yield f"Promise ({when})", promise.text


def own_text(p: Person) -> Iterator[tuple[str, str]]:
    yield "Notes", p.notes
    yield "How you met", p.how_met
    yield "Email", " ".join(p.emails)


def searchable(state: State, p: Person) -> str:
    """Everything search reads for this person, normalised. Made for every person at once
    after a change, so it only gathers text."""
    parts = [p.name, p.organisation, p.role, " ".join(p.tags), p.notes, p.how_met, *p.emails]
    interactions = state.interactions
    for ident in state.log(p.id).ids:
        it = interactions.get(ident)
        if it is None:
            continue
        if it.notes:
            parts.append(it.notes)
        for advice in it.advice:
            parts.append(advice.text)
        for promise in it.promises:
            parts.append(promise.text)
    return normalise("\n".join(parts))


def snippet(state: State, p: Person, terms: list[str]) -> dict[str, str] | None:
    """Where a term the row does not show was found: the field and the words around it."""
    if not terms:
        return None
    seen = normalise(shown(p))
    missing = [t for t in terms if t not in seen]
    if not missing:
        return None
    for label, text in (*own_text(p), *logged_text(state, p)):
        if not text:
            continue
        folded = normalise(text)
        for term in missing:
            at = folded.find(term)
            if at >= 0 and len(folded) == len(text):
                return {"label": label, "text": _around(text, at, len(term))}
            if at >= 0:
                return {"label": label, "text": _around(text, 0, 0)}
    return None


def _around(text: str, at: int, size: int) -> str:
    start = max(0, at - SNIPPET_BEFORE)
    end = min(len(text), at + size + SNIPPET_AFTER)
    # Whole words at the edges.
    if start > 0:
        space = text.find(" ", start)
        start = space + 1 if 0 <= space < at else start
    if end < len(text):
        space = text.rfind(" ", at + size, end)
        end = space if space > 0 else end
    words = " ".join(text[start:end].split())
    return f"{'…' if start > 0 else ''}{words}{'…' if end < len(text) else ''}"
