"""The JSON backup of everything (people, events, introductions, interactions, opportunities,
decisions, settings and the user's card), versioned by the schema number, and restoring it:
into an empty app, merged with what is there, or replacing it.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from followup import __version__
from followup.codec import SCHEMA_VERSION, STORES, decode_state, encode_state
from followup.errors import CodecError
from followup.fields import iso
from followup.model import NO_PROFILE
from followup.settings import DEFAULT_SETTINGS
from followup.state import Record, State, Stored, apply

from .contact import BadFile

FORMAT = "followthrough-backup"
# A heavy user's backup (5,000 people, 20,000 interactions) is about 15 MB.
MAX_BACKUP = 200_000_000
MODES = ("merge", "replace")


def write_backup(state: State, now: datetime) -> str:
    """Everything, as JSON: what `read_backup` reads back to the same state."""
    data = encode_state(state)
    return json.dumps(
        {
            "format": FORMAT,
            "schema_version": SCHEMA_VERSION,
            "app_version": __version__,
            "exported_at": iso(now),
            "counts": {store: len(data[store]) for store in STORES},
            "data": data,
        },
        ensure_ascii=False,
        indent=1,
    )


@dataclass(frozen=True, slots=True, kw_only=True)
class Backup:
    state: State
    exported_at: str
    app_version: str


def read_backup(text: str) -> Backup:
    """A backup's state; anything else (not JSON, another app's JSON, a newer schema, a damaged
    record) is refused with the place it went wrong."""
    if len(text) > MAX_BACKUP:
        raise BadFile("too-large", "This file is too large to be a Followthrough backup.")
    try:
        raw = json.loads(text.removeprefix("\ufeff"))
    except RecursionError:
        raise BadFile("not-a-backup", "This file is not a Followthrough backup.") from None
    except ValueError as error:
        where = getattr(error, "lineno", None)
        place = f" (line {where}, column {getattr(error, 'colno', '?')})" if where else ""
        raise BadFile(
            "not-json",
            f"This is not a Followthrough backup: it is not valid JSON{place}. "
            "It may be cut short or damaged.",
        ) from None
    if not isinstance(raw, Mapping) or raw.get("format") != FORMAT:
        raise BadFile(
            "not-a-backup",
            "This JSON file is not a Followthrough backup (it does not say "
            f'"format": "{FORMAT}"). Nothing was changed.',
        )
    version = raw.get("schema_version")
    if isinstance(version, bool) or not isinstance(version, int) or version < 1:
        raise BadFile("bad-backup", "The backup has no valid schema_version.")
    if version > SCHEMA_VERSION:
        raise BadFile(
            "unsupported-schema",
            f"This backup was made by a newer version of Followthrough (schema {version}, this "
            f"app reads up to {SCHEMA_VERSION}). Update the app, then restore.",
        )
    data = raw.get("data")
    if not isinstance(data, Mapping):
        raise BadFile("bad-backup", "The backup holds no data.")
    try:
        state = decode_state({**data, "schema_version": version})
        for bad in state.set_aside[:1]:  # a restore takes all of a backup, or nothing
            raise CodecError(bad.error, bad.message, bad.field)
    except CodecError as error:
        raise BadFile(
            "bad-backup",
            f"The backup is damaged at {error.field or 'its data'}: {error.message} "
            "Nothing was changed.",
        ) from None
    return Backup(
        state=state,
        exported_at=str(raw.get("exported_at", "")),
        app_version=str(raw.get("app_version", "")),
    )


@dataclass(frozen=True, slots=True, kw_only=True)
class Restore:
    put: tuple[Stored, ...]
    delete: tuple[tuple[str, str], ...]
    state: State
    counts: Mapping[str, Mapping[str, int]]


def plan_restore(current: State, backup: State, mode: str) -> Restore:
    """`merge` adds what the backup has and this device lacks, and changes nothing that is
    here (settings and the user's card too, unless this device never set them); `replace`
    makes this device hold exactly the backup."""
    put: list[Stored] = []
    delete: list[tuple[str, str]] = []
    counts: dict[str, dict[str, int]] = {}
    for store in STORES:
        here: Mapping[str, Record] = getattr(current, store)
        there: Mapping[str, Record] = getattr(backup, store)
        new = [k for k in there if k not in here]
        differ = [k for k in there if k in here and here[k] != there[k]]
        only_here = [k for k in here if k not in there]
        counts[store] = {
            "backup": len(there),
            "new": len(new),
            "same": len(there) - len(new) - len(differ),
            "differ": len(differ),
            "only_here": len(only_here),
        }
        put += [there[k] for k in sorted(new)]
        if mode == "replace":
            put += [there[k] for k in sorted(differ)]
            delete += [(store, k) for k in sorted(only_here)]

    # The trash comes along: what is nowhere here is added; replace drops this device's own.
    def known(state: State, key: tuple[str, str]) -> bool:
        return key in state.trash or key[1] in getattr(state, key[0])

    put += [t for key, t in sorted(backup.trash.items()) if not known(current, key)]
    if mode == "replace":
        delete += [key for key in sorted(current.trash) if not known(backup, key)]
    # Merge keeps this device's settings and card, unless it never had any of its own.
    if backup.settings != current.settings and (
        mode == "replace" or current.settings == DEFAULT_SETTINGS
    ):
        put.append(backup.settings)
    if backup.profile != current.profile and (mode == "replace" or current.profile == NO_PROFILE):
        put.append(backup.profile)
    state = backup if mode == "replace" else apply(current, put)
    return Restore(put=tuple(put), delete=tuple(delete), state=state, counts=counts)


def summary(counts: Mapping[str, Mapping[str, int]]) -> dict[str, Any]:
    """What each mode would do, in totals."""
    return {
        "merge": {"add": sum(c["new"] for c in counts.values())},
        "replace": {
            "add": sum(c["new"] for c in counts.values()),
            "change": sum(c["differ"] for c in counts.values()),
            "remove": sum(c["only_here"] for c in counts.values()),
        },
    }
