"""Records to seed the app with, in the shape IndexedDB stores them.

Each builder decodes what it is given with the engine's own codec and encodes it back, so a
record is valid by construction: a misspelt field or a wrong value fails here, naming the field,
instead of in the page. Fields left out take the codec's defaults; times may be given as aware
datetimes or ISO strings.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from followup.codec import decode_records, encode_record

Record = dict[str, Any]
When = datetime | str


def record(store: str, fields: dict[str, Any]) -> Record:
    """One record of a store (`people`, `events`, ...), through decode and encode."""
    raw = {k: v.isoformat() if isinstance(v, datetime) else v for k, v in fields.items()}
    (decoded,) = decode_records(store, [raw], store)
    return encode_record(decoded)


def person(pid: str, name: str, at: When, **fields: Any) -> Record:
    """Someone saved at `at` (created and last updated then, unless fields say otherwise)."""
    return record("people", {"id": pid, "name": name, "created_at": at, "updated_at": at, **fields})


def event(eid: str, name: str, date: str, at: When, **fields: Any) -> Record:
    """An event on `date` (YYYY-MM-DD), saved at `at`."""
    return record("events", {"id": eid, "name": name, "date": date, "created_at": at, **fields})


def introduction(
    iid: str, introducer: str, introduced: str, at: When, context: str = "", **fields: Any
) -> Record:
    """`introducer` introduced `introduced` at `at` (status "offered" unless fields say)."""
    return record(
        "introductions",
        {
            "id": iid,
            "introducer_id": introducer,
            "introduced_id": introduced,
            "at": at,
            "context": context,
            **fields,
        },
    )


def interaction(
    iid: str, people: list[str], kind: str, at: When, notes: str = "", **fields: Any
) -> Record:
    """An interaction of `kind` with `people` at `at`."""
    return record(
        "interactions",
        {"id": iid, "person_ids": people, "kind": kind, "at": at, "notes": notes, **fields},
    )


def opportunity(oid: str, organisation: str, stage: str, at: When, **fields: Any) -> Record:
    """An opportunity at `organisation`, in `stage` since `at` (and created then)."""
    return record(
        "opportunities",
        {"id": oid, "organisation": organisation, "stage": stage, "stage_at": at, **fields},
    )
