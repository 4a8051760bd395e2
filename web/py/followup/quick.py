"""Fast paths for decoding the two big stores (people, interactions) at load.

A heavy user has tens of thousands of these, almost all written by the engine itself: every
field present, times in UTC, no advice or promises, short printable ASCII or NFC text. Such a
record is checked here in a few built-in operations; anything else returns None, and the
strict reader in codec.py decodes it and names whatever is wrong. Both must give equal records
(tests/core/test_codec.py, tests/core/test_bounds.py).
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any
from unicodedata import is_normalized

from .bounds import ID_MAX, KEY_MAX, LINE_MAX, MAX_TIME, MIN_TIME
from .model import (
    EventId,
    Interaction,
    InteractionId,
    InteractionKind,
    OpportunityId,
    Person,
    PersonId,
)

_PERSON = frozenset(
    (
        "id", "name", "organisation", "role", "emails", "phones", "urls", "tags", "notes",
        "how_met", "event_id", "cadence_days", "created_at", "updated_at",
    )
)  # fmt: skip
# Written before `cadence_days` or the greeting names existed, or by a shell that leaves the
# defaults out.
_NAMES = frozenset(("given_name", "call_them"))
_PERSON_SHAPES = frozenset(
    (_PERSON, _PERSON - {"cadence_days"}, _PERSON | _NAMES, (_PERSON | _NAMES) - {"cadence_days"})
)
_INTERACTION = frozenset(
    (
        "id", "person_ids", "kind", "at", "notes", "advice", "promises", "opportunity_id",
        "followup_key", "reply", "created_at",
    )
)  # fmt: skip
# Written before `reply` existed; written with the history fields (issue 18).
_INTERACTION_WITHOUT_REPLY = _INTERACTION - {"reply"}
_HISTORY = frozenset(("subject", "thread", "source_id", "asks", "first_line"))
_INTERACTION_SHAPES = frozenset((_INTERACTION, _INTERACTION_WITHOUT_REPLY, _INTERACTION | _HISTORY))
_KINDS: dict[Any, InteractionKind] = {k.value: k for k in InteractionKind}
_parse = datetime.fromisoformat


def quick_person(raw: object) -> Person | None:
    try:
        if type(raw) is not dict or frozenset(raw.keys()) not in _PERSON_SHAPES:
            return None
        ident, name, created, updated = raw["id"], raw["name"], raw["created_at"], raw["updated_at"]
        texts = (
            raw["organisation"], raw["role"], raw["notes"], raw["how_met"],
            raw.get("given_name", ""), raw.get("call_them", ""),
        )  # fmt: skip
        lists = (raw["emails"], raw["phones"], raw["urls"], raw["tags"])
        event, cadence = raw["event_id"], raw.get("cadence_days")
        if not (
            type(ident) is str
            and ident
            and type(name) is str
            and all(type(t) is str for t in texts)
            and all(type(x) is list and all(type(v) is str for v in x) for x in lists)
            and (event is None or (type(event) is str and event))
            and cadence is None
            and _plain_ids(ident + (event or ""))
            and _plain_text("".join((name, *texts, *lists[0], *lists[1], *lists[2], *lists[3])))
        ):
            return None
        created_at, updated_at = _parse(created), _parse(updated)
        if not (_in_range(created_at) and _in_range(updated_at)):
            return None
        return Person(
            id=PersonId(ident),
            name=name,
            organisation=texts[0],
            role=texts[1],
            emails=tuple(lists[0]),
            phones=tuple(lists[1]),
            urls=tuple(lists[2]),
            tags=tuple(lists[3]),
            notes=texts[2],
            how_met=texts[3],
            given_name=texts[4],
            call_them=texts[5],
            event_id=EventId(event) if event is not None else None,
            created_at=created_at,
            updated_at=updated_at,
        )
    except (TypeError, ValueError):
        return None


def quick_interaction(raw: object) -> Interaction | None:
    try:
        if type(raw) is not dict or frozenset(raw.keys()) not in _INTERACTION_SHAPES:
            return None
        if raw.get("reply") is not None:  # a reply received: the strict reader checks it
            return None
        ident, people, notes = raw["id"], raw["person_ids"], raw["notes"]
        kind = _KINDS.get(raw["kind"])
        opportunity, key = raw["opportunity_id"], raw["followup_key"]
        subject, thread = raw.get("subject", ""), raw.get("thread", "")
        source, first, asks = raw.get("source_id", ""), raw.get("first_line", ""), raw.get("asks")
        if not (
            type(ident) is str
            and ident
            and kind is not None
            and type(notes) is str
            and raw["advice"] == []
            and raw["promises"] == []
            and type(people) is list
            and all(type(p) is str and p for p in people)
            and (opportunity is None or (type(opportunity) is str and opportunity))
            and (key is None or (type(key) is str and key))
            and _plain_ids(ident + "".join(people) + (opportunity or ""))
            and (key is None or (len(key) <= KEY_MAX and key.isprintable() and " " not in key))
            and _plain_text(notes)
            and (asks is None or type(asks) is bool)
            and type(subject) is str
            and type(thread) is str
            and type(source) is str
            and type(first) is str
            and _plain_text("".join((subject, thread, source, first)))
        ):
            return None
        at, created_at = _parse(raw["at"]), _parse(raw["created_at"])
        if not (_in_range(at) and _in_range(created_at)):
            return None
        return Interaction(
            id=InteractionId(ident),
            person_ids=tuple(people),
            kind=kind,
            at=at,
            notes=notes,
            opportunity_id=OpportunityId(opportunity) if opportunity is not None else None,
            followup_key=key,
            subject=subject,
            thread=thread,
            source_id=source,
            asks=asks is True,
            first_line=first,
            created_at=created_at,
        )
    except (TypeError, ValueError):
        return None


# The checks of bounds.py, for the common case only: together, so one call covers a record.
def _plain_ids(ids: str) -> bool:
    """Ids, run together, that are all valid: printable, without ':' or spaces. Their joint
    length is at most ID_MAX (longer ones are left to the strict reader, which measures each)."""
    return len(ids) <= ID_MAX and ids.isprintable() and ":" not in ids and " " not in ids


def _plain_text(text: str) -> bool:
    """Short printable text already in NFC (anything else goes to the strict reader)."""
    return (
        len(text) <= LINE_MAX
        and text.isprintable()
        and (text.isascii() or is_normalized("NFC", text))
    )


def _in_range(value: datetime) -> bool:
    return value.tzinfo is UTC and MIN_TIME <= value <= MAX_TIME
