"""What Capture's pickers show: saved people matching what was typed in "introduced by", who a
typed name means, and the people and events captured recently. Ops `(state, fields) ->
(state, answer)` as in api.py; `CAPTURE_OPS` joins its table. Saving is the `capture` command.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable, Mapping
from typing import Any

from .errors import NotFoundError, ValidationError
from .fields import Fields
from .model import Person
from .state import State

Answer = tuple[State, dict[str, Any]]
MAX_OPTIONS = 6
RECENT_PEOPLE = 5
RECENT_EVENTS = 8
MAX_LIST = 5000


def fold(text: str) -> str:
    """Case, accents and spacing aside: "José  Álvarez" and "jose alvarez" read the same."""
    bare = "".join(c for c in unicodedata.normalize("NFD", text) if not unicodedata.combining(c))
    return " ".join(bare.casefold().split())


def label(person: Person) -> str:
    """ "Maria Lopez (Northwind)": the organisation tells people with one name apart."""
    return f"{person.name} ({person.organisation})" if person.organisation else person.name


class _Folded:
    """A person's name and organisation folded once per state (a search runs per keystroke)."""

    __slots__ = ("label", "name", "org", "org_words", "person", "words")

    def __init__(self, person: Person) -> None:
        self.person = person
        self.name = fold(person.name)
        self.words = self.name.split()
        self.org = fold(person.organisation)
        self.org_words = self.org.split()
        self.label = fold(label(person))


def _folded(state: State) -> list[_Folded]:
    key = ("capture", "folded")
    found = state.memo.get(key)
    if found is None:
        found = state.memo[key] = [_Folded(p) for p in state.people.values()]
    return found  # type: ignore[return-value]


def match_people(state: State, query: str, limit: int = MAX_OPTIONS) -> list[Person]:
    """Saved people matching `query`, best first: names that start with it, then names with a
    word that does, then organisations, then names that contain it; ties by name. Nothing
    typed: the people saved most recently."""
    q = fold(query)
    if not q:
        newest = sorted(state.people.values(), key=lambda p: (p.created_at, p.id), reverse=True)
        return newest[:limit]
    scored: list[tuple[int, str, str, Person]] = []
    for f in _folded(state):
        if f.name.startswith(q):
            score = 0
        elif any(w.startswith(q) for w in f.words):
            score = 1
        elif f.org and (f.org.startswith(q) or any(w.startswith(q) for w in f.org_words)):
            score = 2
        elif q in f.name:
            score = 3
        else:
            continue
        scored.append((score, f.name, f.person.id, f.person))
    scored.sort(key=lambda s: s[:3])
    return [s[3] for s in scored[:limit]]


def _is_saved_name(state: State, text: str) -> list[Person]:
    q = fold(text)
    return [f.person for f in _folded(state) if q in (f.name, f.label)]


def _option(person: Person) -> dict[str, Any]:
    detail = ", ".join(x for x in (person.role, person.organisation) if x)
    return {"id": person.id, "name": person.name, "label": label(person), "detail": detail}


def everyone_by_name(state: State, limit: int) -> list[Person]:
    """Every saved person, by name (accents and case aside), for a plain list to choose from."""
    return [f.person for f in sorted(_folded(state), key=lambda f: (f.name, f.label, f.person.id))][
        :limit
    ]


def _people(state: State, f: Fields) -> Answer:
    query = f.text("query")
    order = f.text("order", "match")
    if order not in ("match", "name"):
        raise ValidationError("unknown-value", f"'{order}' is not one of: match, name.", "order")
    limit = f.integer("limit", 1, MAX_LIST) or MAX_OPTIONS
    text = " ".join(query.split())
    new_name = text if text and not _is_saved_name(state, text) else None
    found = everyone_by_name(state, limit) if order == "name" else match_people(state, query, limit)
    return state, {"people": [_option(p) for p in found], "new_name": new_name}


def _introducer(state: State, f: Fields) -> Answer:
    """Who a typed "introduced by" means, when nobody was picked from the list."""
    text = " ".join(f.text("text").split())
    q = fold(text)
    by_label = [x.person for x in _folded(state) if x.label == q]
    by_name = [x.person for x in _folded(state) if x.name == q]
    found = by_label if len(by_label) == 1 else by_name
    if len(found) == 1:
        return state, {"person": _option(found[0])}
    if len(by_name) > 1:
        raise ValidationError(
            "ambiguous-person",
            f"{len(by_name)} saved people are called “{text}”. Pick the right one from the list.",
            "text",
        )
    raise NotFoundError(
        "unknown-person",
        f"Nobody called “{text}” is saved yet. Pick “Add {text} as a new person” from the "
        "list, or clear this field.",
        "text",
    )


def _recent(state: State, f: Fields) -> Answer:
    """The people captured last, with what Capture's list says under each, and recent events'
    names for the "met at" suggestions."""
    people = sorted(state.people.values(), key=lambda p: (p.created_at, p.id), reverse=True)
    recent = []
    for p in people[:RECENT_PEOPLE]:
        event = state.events.get(p.event_id) if p.event_id else None
        lines = [p.notes] if p.notes else []
        if event is not None:
            lines.append(f"Met at {event.name}")
        recent.append({"id": p.id, "name": p.name, "lines": lines})
    events = sorted(state.events.values(), key=lambda e: (e.date, e.id), reverse=True)
    names = list(dict.fromkeys(e.name for e in events[:RECENT_EVENTS]))
    return state, {"people": recent, "event_names": names}


CAPTURE_OPS: Mapping[str, tuple[tuple[str, ...], Callable[[State, Fields], Answer]]] = {
    "capture_people": (("query", "limit", "order"), _people),
    "capture_introducer": (("text",), _introducer),
    "capture_recent": ((), _recent),
}
