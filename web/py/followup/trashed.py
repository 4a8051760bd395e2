"""A record in the trash: kept in its own store with a `trashed` field, so that it syncs as any
field does. Another device's edit to the record meets the deletion field by field (no
resurrection), and a restore only clears `trashed` (no loss of what was edited meanwhile).

`trashed` is `{"entry", "at", "main", "unlinked"}`: the trash entry it went with (one delete),
when, whether it was deleted by name (or went with one that was), and the links to it that
were cut from records that stay (put back on restore). `null` means live.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from .errors import CodecError
from .model import Event, FollowUpDecision, Interaction, Introduction, Opportunity, Person

Record = Person | Event | Introduction | Interaction | Opportunity | FollowUpDecision
TRASHED = "trashed"
# The fields a cut link lives in: a list of people, an opportunity's people, or one id.
LINK_FIELDS = ("person_ids", "people", "event_id", "opportunity_id", "introduction_id")


@dataclass(frozen=True, slots=True)
class Unlink:
    """A link to a trashed record cut from a record that stays: `store/id`'s `field` held
    `value` (an id, or an opportunity's `{person_id, role}`)."""

    store: str
    id: str
    field: str
    value: Any


@dataclass(frozen=True, slots=True, kw_only=True)
class Trashed:
    store: str
    record: Record
    entry: str
    at: datetime
    main: bool
    unlinked: tuple[Unlink, ...] = ()

    @property
    def key(self) -> str:
        r = self.record
        return r.key if isinstance(r, FollowUpDecision) else r.id


def encode_info(t: Trashed) -> dict[str, Any]:
    return {
        "entry": t.entry,
        "at": t.at.isoformat(),
        "main": t.main,
        "unlinked": [[u.store, u.id, u.field, u.value] for u in t.unlinked],
    }


def trashable(
    store: str, decode: Callable[[object, str], Record]
) -> Callable[[object, str], Record | Trashed]:
    """`decode` for a store whose records may carry `trashed`: a live record (no `trashed`, or
    null) decodes as before; a trashed one as `Trashed`."""

    def read(raw: object, where: str) -> Record | Trashed:
        if not isinstance(raw, Mapping) or TRASHED not in raw:
            return decode(raw, where)
        info = raw[TRASHED]
        record = decode({k: v for k, v in raw.items() if k != TRASHED}, where)
        if info is None:
            return record
        return _trashed(store, record, info, f"{where}.{TRASHED}" if where else TRASHED)

    return read


def _trashed(store: str, record: Record, info: object, where: str) -> Trashed:
    def bad(what: str) -> CodecError:
        return CodecError("wrong-type", f"The trash mark's {what} is not readable.", where)

    if not isinstance(info, Mapping):
        raise bad("value")
    entry, at, main, unlinked = (info.get(k) for k in ("entry", "at", "main", "unlinked"))
    if not isinstance(entry, str) or not entry:
        raise bad("entry")
    try:
        when = datetime.fromisoformat(at) if isinstance(at, str) else None
    except ValueError:
        when = None
    if when is None or when.tzinfo is None:
        raise bad("time")
    if not isinstance(main, bool):
        raise bad("'main'")
    links: list[Unlink] = []
    for item in unlinked if isinstance(unlinked, list) else []:
        if (
            not isinstance(item, list)
            or len(item) != 4
            or not all(isinstance(x, str) for x in item[:3])
            or item[2] not in LINK_FIELDS
        ):
            raise bad("links")
        links.append(Unlink(item[0], item[1], item[2], item[3]))
    return Trashed(
        store=store, record=record, entry=entry, at=when, main=main, unlinked=tuple(links)
    )
