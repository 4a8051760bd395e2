"""The People list as the screen shows it: one row per person (role line, tags, what you owe
them, whether they owe you a reply), searched, filtered and sorted here, a page at a time; the
pairs that look like one person twice; and what merging two of them would make.

Search ignores case and accents and reads the name, organisation, role, tags, notes, how you
met, email addresses, and everything logged with them (notes, advice, promises: search.py); every
word typed must match, and a row matched on words it does not show carries them (`match`).
Bulk triage filters: "nothing logged yet" (`logged: "none"`) and "added together" (`added`: the
creation time people share when one import added them); `all_ids` answers every matching id.
"I owe them": an open follow-up names them (Today's list). "They owe me": the last exchange
with them (notes aside) is a message you sent.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from .agenda import shown_owed
from .codec import encode_record
from .commands import parse_command
from .engine import decide
from .errors import ValidationError
from .fields import Fields, iso, parse_day, parse_instant
from .model import Person, PersonId
from .search import normalise, searchable, snippet
from .state import STORE_OF, State

SORTS = ("attention", "name", "recent", "added")
OWING = ("", "i-owe", "owes-me")
LOGGED = ("", "none")
PAGE_LIMIT = 1000  # most rows one answer carries; the screen asks for more as it scrolls
DUPLICATES_LIMIT = 12
BATCH_MIN = 2  # people added at one time: an import (a capture adds one)
_DIGITS = re.compile(r"(\d+)")
_NOT_DIAL = re.compile(r"[^\d+]")


def initials(name: str) -> str:
    """Up to two initials, for the round badge before a name: the first and last words'."""
    words = name.split()
    letters = [words[0], words[-1]] if len(words) > 1 else words
    return "".join(w[0] for w in letters).upper() or "?"


def role_line(person: Person) -> str:
    """ "Role at Organisation", or whichever is known."""
    if person.role and person.organisation:
        return f"{person.role} at {person.organisation}"
    return person.role or person.organisation


def name_key(name: str) -> tuple[str | int, ...]:
    """Sorts names as people read them: accents and case ignored, "Ana 9" before "Ana 10"."""
    parts = _DIGITS.split(normalise(name).strip())
    return tuple(int(p) if i % 2 else p for i, p in enumerate(parts))


@dataclass(frozen=True, slots=True)
class Row:
    person: Person
    text: str  # what search reads, normalised
    key: tuple[str | int, ...]  # name_key
    touched: datetime  # last exchange (notes aside), or when they were added
    newest: float  # -touched, as a number: sorts newest first
    waiting_since: datetime | None  # the last exchange is a message you sent


@dataclass(frozen=True, slots=True)
class Filters:
    query: str = ""
    tag: str = ""
    introducer: str = ""
    event: str = ""
    owing: str = ""
    sort: str = "attention"
    logged: str = ""  # "none": nothing logged with them yet
    added: datetime | None = None  # added at this very time (by one import)


def rows(state: State) -> tuple[Row, ...]:
    """Every person's row, computed once per state."""
    found = state.memo.get("people-rows")
    if found is None:
        found = state.memo["people-rows"] = _rows(state)
    return found  # type: ignore[return-value]


# The rows last made, and the interactions they were made from: when a change left the
# interactions as they were (tags, "met at" on 500 people), a person kept as they were keeps
# their row, so a bulk edit does not rebuild 5,000 rows.
_last: list[tuple[Mapping[Any, Any], dict[PersonId, Row]]] = []


def _rows(state: State) -> tuple[Row, ...]:
    before = _last[0][1] if _last and _last[0][0] is state.interactions else {}
    made: dict[PersonId, Row] = {}
    for p in state.people.values():
        old = before.get(p.id)
        made[p.id] = old if old is not None and old.person is p else _row(state, p)
    _last[:] = [(state.interactions, made)]
    return tuple(made.values())


def _row(state: State, p: Person) -> Row:
    log = state.log(p.id)
    touched, waiting = p.created_at, None
    for i in range(len(log.kinds) - 1, -1, -1):
        if log.kinds[i] != "note":
            touched = log.times[i]
            waiting = touched if log.kinds[i] == "message_sent" else None
            break
    return Row(p, searchable(state, p), name_key(p.name), touched, -touched.timestamp(), waiting)


def owed(state: State, now: datetime, today: date) -> dict[PersonId, int]:
    """How many open follow-ups name each person (Today's list)."""
    counts: dict[PersonId, int] = {}
    for f in shown_owed(state, now, today):
        for pid in f.person_ids:
            counts[pid] = counts.get(pid, 0) + 1
    return counts


def select(state: State, f: Filters, owe: Mapping[PersonId, int]) -> list[Row]:
    """The rows matching `f`, in its order."""
    terms = normalise(f.query).split()
    introduced: set[PersonId] | None = None
    if f.introducer:
        intros = state.introductions
        made = state.index.intro.by_introducer.get(PersonId(f.introducer), ())
        introduced = {intros[i].introduced_id for i in made}
    found = [
        r
        for r in rows(state)
        if all(t in r.text for t in terms)
        and (not f.tag or f.tag in r.person.tags)
        and (introduced is None or r.person.id in introduced)
        and (not f.event or r.person.event_id == f.event)
        and (f.owing != "i-owe" or owe.get(r.person.id, 0) > 0)
        and (f.owing != "owes-me" or r.waiting_since is not None)
        and (f.logged != "none" or not state.log(r.person.id).ids)
        and (f.added is None or r.person.created_at == f.added)
    ]
    found.sort(key=_ORDERS[f.sort](owe))
    return found


def _by_attention(owe: Mapping[PersonId, int]) -> Any:
    """Those you owe first, then those who owe you, then the most recently in touch."""
    return lambda r: (
        owe.get(r.person.id, 0) <= 0,
        r.waiting_since is None,
        r.newest,
        r.key,
    )


_ORDERS: Mapping[str, Any] = {
    "attention": _by_attention,
    "name": lambda owe: lambda r: r.key,
    "recent": lambda owe: lambda r: (r.newest, r.key),
    "added": lambda owe: lambda r: (-r.person.created_at.timestamp(), r.key),
}


def duplicates(state: State, limit: int = DUPLICATES_LIMIT) -> list[tuple[Person, Person, str]]:
    """Pairs that look like one person twice: a shared email address or phone number, or the
    same name (case and accents ignored)."""
    pairs: list[tuple[Person, Person, str]] = []
    seen: set[tuple[PersonId, PersonId]] = set()
    people = sorted(state.people.values(), key=lambda p: p.id)  # as IndexedDB lists them

    def group(keys_of: Any) -> Iterable[list[Person]]:
        groups: dict[str, list[Person]] = {}
        for p in people:
            for key in dict.fromkeys(keys_of(p)):
                if key:
                    groups.setdefault(key, []).append(p)
        return groups.values()

    checks = (
        (lambda p: [e.strip().lower() for e in p.emails], "same email"),
        (lambda p: [d for t in p.phones if len(d := _NOT_DIAL.sub("", t)) >= 6], "same phone"),
        (lambda p: [" ".join(normalise(p.name).split())], "same name"),
    )
    for keys_of, why in checks:
        for members in group(keys_of):
            for other in members[1:]:
                if len(pairs) >= limit:
                    return pairs
                first = members[0]
                pair = (min(first.id, other.id), max(first.id, other.id))
                if pair not in seen:
                    seen.add(pair)
                    pairs.append((first, other, why))
    return pairs


# --- Ops ------------------------------------------------------------------------------------


def _people_op(state: State, f: Fields) -> tuple[State, dict[str, Any]]:
    now, today = parse_instant(f.value("now"), "now"), parse_day(f.value("today"), "today")
    sort = f.text("sort", "attention")
    owing = f.text("owing", "")
    logged = f.text("logged", "")
    for key, value, allowed in (
        ("sort", sort, SORTS),
        ("owing", owing, OWING),
        ("logged", logged, LOGGED),
    ):
        if value not in allowed:
            raise ValidationError("unknown-value", f"'{value}' is not one of: {allowed}.", key)
    choices = _choices(state)
    tags = choices["tags"]
    # A filter naming something that is gone is dropped, and the answer says so.
    chosen = Filters(
        query=f.text("query"),
        tag=_known(f.text("tag"), tags),
        introducer=_known(f.text("introducer"), {p["id"] for p in choices["introducers"]}),
        event=_known(f.text("event"), state.events),
        owing=owing,
        sort=sort,
        logged=logged,
        added=_known_batch(f, choices["added"]),
    )
    owe = owed(state, now, today)
    found = select(state, chosen, owe)
    offset = f.integer("offset", 0, 10**9) or 0
    limit = f.integer("limit", 1, PAGE_LIMIT) or PAGE_LIMIT
    terms = normalise(chosen.query).split()
    answer: dict[str, Any] = {
        "total": len(state.people),
        "matched": len(found),
        "offset": offset,
        "rows": [_encode_row(state, r, owe, terms) for r in found[offset : offset + limit]],
        "filters": {
            "query": chosen.query,
            "tag": chosen.tag,
            "introducer": chosen.introducer,
            "event": chosen.event,
            "owing": chosen.owing,
            "sort": chosen.sort,
            "logged": chosen.logged,
            "added": iso(chosen.added) or "",
        },
        "tags": [{"tag": t, "count": n} for t, n in tags.items()],
        "introducers": choices["introducers"],
        "events": choices["events"],
        "added": [{"at": iso(at), "count": n} for at, n in choices["added"].items()],
    }
    if f.raw.get("all_ids") is True:
        answer["ids"] = [r.person.id for r in found]
    if f.raw.get("duplicates") is True:
        found_pairs = state.memo.get("people-duplicates")
        if found_pairs is None:
            found_pairs = state.memo["people-duplicates"] = [
                {"a": _brief(a), "b": _brief(b), "why": why} for a, b, why in duplicates(state)
            ]
        answer["duplicates"] = found_pairs
    return state, answer


def _choices(state: State) -> dict[str, Any]:
    """What the filters offer: tags with counts, introducers and events; once per state."""
    found = state.memo.get("people-choices")
    if found is None:
        events = sorted(state.events.values(), key=lambda e: (e.date, e.id), reverse=True)
        found = state.memo["people-choices"] = {
            "tags": _tags(state),
            "introducers": [
                {"id": p.id, "label": f"{p.name} ({p.organisation})" if p.organisation else p.name}
                for p in _introducers(state)
            ],
            "events": [{"id": e.id, "label": f"{e.name} ({e.date.isoformat()})"} for e in events],
            "added": _batches(state),
        }
    return found  # type: ignore[return-value]


def _known(value: str, known: Iterable[str] | Mapping[Any, Any]) -> str:
    return value if value and value in known else ""


def _known_batch(f: Fields, batches: Mapping[datetime, int]) -> datetime | None:
    if not f.raw.get("added"):
        return None
    at = parse_instant(f.value("added"), "added")
    return at if at in batches else None


def _batches(state: State) -> dict[datetime, int]:
    """People added at the very same time (one import), newest first: {when: how many}."""
    counts: dict[datetime, int] = {}
    for p in state.people.values():
        counts[p.created_at] = counts.get(p.created_at, 0) + 1
    return {at: n for at, n in sorted(counts.items(), reverse=True) if n >= BATCH_MIN}


def _introducers(state: State) -> list[Person]:
    found = (state.people.get(pid) for pid in state.index.intro.by_introducer)
    return sorted((p for p in found if p is not None), key=lambda p: (name_key(p.name), p.id))


def _tags(state: State) -> dict[str, int]:
    counts: dict[str, int] = {}
    for p in state.people.values():
        for tag in p.tags:
            counts[tag] = counts.get(tag, 0) + 1
    return {t: counts[t] for t in sorted(counts, key=name_key)}


def _encode_row(
    state: State, r: Row, owe: Mapping[PersonId, int], terms: list[str]
) -> dict[str, Any]:
    p = r.person
    row = {
        "id": p.id,
        "name": p.name,
        "initials": initials(p.name),
        "line": role_line(p),
        "tags": list(p.tags),
        "owe": owe.get(p.id, 0),
        "waiting_since": iso(r.waiting_since),
    }
    found = snippet(state, p, terms)
    if found is not None:
        row["match"] = found  # the row matched on words it does not show
    return row


def _brief(p: Person) -> dict[str, str]:
    return {"id": p.id, "name": p.name}


def _merge_preview_op(state: State, f: Fields) -> tuple[State, dict[str, Any]]:
    """What `merge_people` would write, decided by the command itself and then thrown away."""
    now, today = parse_instant(f.value("now"), "now"), parse_day(f.value("today"), "today")
    payload = {"keep_id": f.value("keep_id"), "drop_id": f.value("drop_id")}
    decision = decide(state, parse_command("merge_people", payload, now), now, today)
    keep = PersonId(payload["keep_id"])
    merged = next(r for r in decision.put if isinstance(r, Person) and r.id == keep)
    moves: dict[str, int] = {}
    for record in decision.put:
        if not isinstance(record, Person):
            store = STORE_OF[type(record)]
            moves[store] = moves.get(store, 0) + 1
    deleted: dict[str, int] = {}
    for store, _ in decision.delete:
        deleted[store] = deleted.get(store, 0) + 1
    after = decision.state
    index = after.index
    events: dict[str, str] = {e.id: e.name for e in state.events.values()}
    return state, {
        "keep": _with_event(state.people[keep], events),
        "drop": _with_event(state.people[PersonId(payload["drop_id"])], events),
        "merged": _with_event(merged, events),
        "moves": moves,
        "deletes": deleted,
        "kept": {
            "introductions": len(
                {*index.intro.by_introducer.get(keep, ()), *index.intro.by_introduced.get(keep, ())}
            ),
            "interactions": len(after.log(keep).ids),
            "opportunities": len(index.opp.by_person.get(keep, ())),
        },
    }


def _with_event(p: Person, events: Mapping[str, str]) -> dict[str, Any]:
    encoded = encode_record(p)
    encoded["event_name"] = events.get(p.event_id, "") if p.event_id else ""
    return encoded


PEOPLE_OPS: Mapping[str, tuple[tuple[str, ...], Any]] = {
    "people": (
        (
            "query",
            "tag",
            "introducer",
            "event",
            "owing",
            "sort",
            "offset",
            "limit",
            "duplicates",
            "logged",
            "added",
            "all_ids",
        ),
        _people_op,
    ),
    "merge_preview": (("keep_id", "drop_id"), _merge_preview_op),
}
