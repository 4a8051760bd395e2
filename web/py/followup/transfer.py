"""The api's import and export operations (`import_preview`, `import_commit`, `export_json`,
`restore_preview`, `restore`, `export_vcard`, `export_ics`, `export_csv`): handlers taking
`(state, fields)` and returning `(state, answer)`, as in api.py. `TRANSFER_OPS` joins its table.

Previews change nothing; commits return `put`/`delete` for the shell to write in one
IndexedDB transaction, and the state with them applied.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from datetime import UTC, date, datetime
from typing import Any

from .agenda import agenda, find
from .codec import STORES, encode_profile, encode_stored
from .errors import CodecError, NotFoundError
from .fields import Fields, parse_day, parse_instant
from .interop.backup import MODES, plan_restore, read_backup, summary, write_backup
from .interop.contact import BadFile, Parsed, check_size
from .interop.google import is_google_header, read_google
from .interop.ics import write_ics
from .interop.linkedin import is_linkedin_header, read_linkedin
from .interop.match import DECISIONS, Plan, RowPlan, materialize, plan_import
from .interop.table import (
    FIELDS,
    check_mapping,
    columns,
    guess_mapping,
    has_name,
    read_mapped,
    read_table,
    write_people_csv,
)
from .interop.words import FIELD_LABELS, FORMAT_LABELS, adds_text, choices, row_choices, what
from .linkedin_import import ARCHIVE_FIELDS, ArchiveRead, history_records, read_archive
from .linkedin_import import summary as archive_summary
from .mail_ops import HISTORY_FORMATS, history_commit, history_preview
from .model import FollowUp, Person, PersonId, Profile, RoundRecord
from .rounds import encode_round
from .settings import Settings, encode_settings
from .state import STORE_OF, State, Stored, apply
from .trashed import Trashed

Answer = tuple[State, dict[str, Any]]
FORMATS = ("auto", "vcard", "linkedin", "google", "csv")
# `file` names the file, for the import history (history_ops.py).
_IMPORT: tuple[str, ...] = ("format", "text", "mapping", "decisions", "ids", "file", "now", "today")
_IMPORT += tuple(dict.fromkeys((*ARCHIVE_FIELDS, "session", "own", "first_line")))  # #18 history
# Preview builds records it never returns; their timestamps need not be real.
_PREVIEW_TIME = datetime(2000, 1, 1, tzinfo=UTC)


# --- Import -------------------------------------------------------------------------------------


class _Read:
    def __init__(
        self, fmt: str, parsed: Parsed | None, extra: dict[str, Any], archive: Any = None
    ) -> None:
        self.format = fmt
        self.parsed = parsed
        self.extra = extra
        self.archive: ArchiveRead | None = archive  # LinkedIn's archive (linkedin_import.py)


def _read(f: Fields) -> _Read:
    if f.has("zip") or f.has("files"):
        got = read_archive(f)
        return _Read("linkedin-archive", got.parsed, {"archive": archive_summary(got)}, got)
    text = f.blob("text") if f.has("text") else _missing("text")
    fmt = f.text("format", "auto")
    if fmt not in FORMATS:
        raise CodecError("unknown-value", f"'{fmt}' is not one of: {', '.join(FORMATS)}.", "format")
    text = check_size(text)
    if not text.strip():
        raise BadFile("empty", "This file is empty.")
    if fmt == "auto":
        fmt = _detect(text)
    if fmt == "vcard":
        return _Read(fmt, _read_vcards(text), {})
    if fmt == "linkedin":
        return _Read(fmt, read_linkedin(text), {})
    if fmt == "google":
        return _Read(fmt, read_google(text), {})
    table = read_table(text)
    given = f.raw.get("mapping")
    mapping = (
        guess_mapping(table.header) if given is None else check_mapping(given, len(table.header))
    )
    extra: dict[str, Any] = {
        "columns": columns(table),
        "mapping": mapping,
        "fields": list(FIELDS),
        "field_labels": choices(FIELD_LABELS, ("", *FIELDS)),
    }
    if not has_name(mapping):
        if f.text("format", "auto") == "auto" and len(table.header) < 2 and given is None:
            raise BadFile(
                "unknown-format",
                "This file is neither a vCard nor a CSV with columns: its first line reads "
                f"“{_snippet(', '.join(table.header))}”.",
            )
        extra["needs_mapping"] = True
        extra["message"] = "Choose which column holds the names (or first and last names)."
        return _Read(fmt, None, extra)
    return _Read(fmt, read_mapped(table, mapping), extra)


def _detect(text: str) -> str:
    head = text[:4000]
    if "BEGIN:VCARD" in head.upper():
        return "vcard"
    if head.lstrip()[:1] in ("{", "["):
        raise BadFile(
            "is-json",
            "This is a JSON file, not contacts. To bring back a Followthrough backup, use "
            "“Restore from a backup”.",
        )
    lines = [line.split(",") for line in head.splitlines()[:30]]
    if any(is_linkedin_header([c.strip().strip('"') for c in line]) for line in lines):
        return "linkedin"
    if lines and is_google_header([c.strip().strip('"') for c in lines[0]]):
        return "google"
    return "csv"


def _decisions(f: Fields) -> dict[str, str]:
    raw = f.raw.get("decisions", {})
    if not isinstance(raw, Mapping):
        raise CodecError("wrong-type", "'decisions' maps row numbers to a decision.", "decisions")
    for row, decision in raw.items():
        if decision not in DECISIONS:
            raise CodecError(
                "unknown-value",
                f"Row {row}: '{decision}' is not one of: {', '.join(DECISIONS)}.",
                f"decisions.{row}",
            )
    return dict(raw)


def _row(state: State, plan: Plan, row: RowPlan) -> dict[str, Any]:
    known = state.people.get(PersonId(row.key))
    contact = row.contact
    person_name = known.name if known else (plan.people[row.key].name if row.by else "")
    return {
        "row": contact.row,
        "line": contact.line,
        "name": contact.name,
        "organisation": contact.organisation,
        "emails": list(contact.emails),
        "action": row.action,
        "by": row.by,
        "person_id": known.id if known else None,
        "person_name": person_name,
        "adds": row.adds,
        "warnings": list(contact.warnings),
        "what": what(row.action, row.by, person_name),
        "adds_text": adds_text(row.adds),
        "choices": row_choices(bool(known or row.by)),
        "decision": "skip" if row.action == "skip" else "merge",
    }


def _preview(state: State, f: Fields) -> Answer:
    if f.raw.get("format") in HISTORY_FORMATS:
        return history_preview(state, f)
    read = _read(f)
    base: dict[str, Any] = {"format": read.format, **read.extra}
    if read.parsed is None:
        return state, {**base, "new": 0, "matched": 0, "same": 0, "rows": [], "merges": []}
    now = parse_instant(f.raw["now"], "now") if f.has("now") else _PREVIEW_TIME
    plan = plan_import(state, read.parsed.contacts, _decisions(f), now)
    rows = [_row(state, plan, r) for r in plan.rows]
    if read.archive is not None:
        _, counts = history_records(state, read.archive, plan, plan.placeholders, now)
        base["archive"]["counts"] = counts
    introducers = len(plan.people) - sum(1 for r in plan.rows if r.action in ("new", "merge"))
    return state, {
        **base,
        "new": sum(1 for r in plan.rows if r.action == "new"),
        "matched": sum(1 for r in plan.rows if r.action in ("merge", "same")),
        "merged": sum(1 for r in plan.rows if r.action == "merge"),
        "same": sum(1 for r in plan.rows if r.action == "same"),
        "skipped": sum(1 for r in plan.rows if r.action == "skip"),
        "introducers_added": max(introducers, 0),
        "introductions": len(plan.introductions),
        "events": len(plan.events),
        "ids_needed": plan.ids_needed,
        "rows": rows,
        "merges": [r for r in rows if r["action"] == "merge"],
        "problems": [
            {"row": p.row, "line": p.line, "message": p.message} for p in read.parsed.problems
        ],
    }


def _commit(state: State, f: Fields) -> Answer:
    if f.raw.get("format") in HISTORY_FORMATS:
        return history_commit(state, f)
    now = parse_instant(f.raw.get("now"), "now") if f.has("now") else _missing("now")
    read = _read(f)
    if read.parsed is None:
        raise BadFile("no-name-column", str(read.extra["message"]))
    plan = plan_import(state, read.parsed.contacts, _decisions(f), now)
    ids = list(f.ids("ids"))
    records: list[Any] = list(materialize(plan, ids))
    history: dict[str, int] = {}
    if read.archive is not None:
        added, history = history_records(state, read.archive, plan, ids, now)
        records.extend(added)
    new_ids = set(ids[: len(plan.placeholders)])  # each placeholder's id, in order (real_key)
    created = [
        {"id": r.id, "name": r.name} for r in records if isinstance(r, Person) and r.id in new_ids
    ]
    return apply(state, records), {
        "put": _encoded(records),
        "delete": {},
        "created": created,
        "updated": sorted({r.id for r in records if isinstance(r, Person) and r.id not in new_ids}),
        "counts": {
            "people_created": len(created),
            "people_updated": sum(1 for r in plan.rows if r.action == "merge"),
            "introductions": len(plan.introductions),
            "events": len(plan.events),
            "skipped": sum(1 for r in plan.rows if r.action == "skip"),
            **history,
        },
    }


# --- Backup and restore -------------------------------------------------------------------------


def _export_json(state: State, f: Fields) -> Answer:
    now = parse_instant(f.raw.get("now"), "now") if f.has("now") else _missing("now")
    return state, _file("backup", "json", "application/json", write_backup(state, now), f)


def _restore_preview(state: State, f: Fields) -> Answer:
    backup = read_backup(f.blob("text"))
    counts = plan_restore(state, backup.state, "merge").counts
    return state, {
        "exported_at": backup.exported_at,
        "app_version": backup.app_version,
        "empty_here": not any(getattr(state, s) for s in STORES),
        "counts": counts,
        **summary(counts),
    }


def _restore(state: State, f: Fields) -> Answer:
    mode = f.text("mode", "merge")
    if mode not in MODES:
        raise CodecError("unknown-value", "'mode' is merge or replace.", "mode")
    backup = read_backup(f.blob("text"))
    restore = plan_restore(state, backup.state, mode)
    delete: dict[str, list[str]] = {}
    for store, key in restore.delete:
        delete.setdefault(store, []).append(key)
    return restore.state, {
        "put": _encoded(restore.put),
        "delete": delete,
        "counts": restore.counts,
        **summary(restore.counts),
    }


# --- Exports ------------------------------------------------------------------------------------


def _people_ids(state: State, f: Fields) -> list[PersonId] | None:
    if not f.has("ids") or f.raw.get("ids") is None:
        return None
    ids = [PersonId(i) for i in f.ids("ids")]
    for i, pid in enumerate(ids):
        if pid not in state.people:
            raise NotFoundError(
                "unknown-person", f"There is no person with id '{pid}'.", f"ids[{i}]"
            )
    return ids


def _export_vcard(state: State, f: Fields) -> Answer:
    ids = _people_ids(state, f)
    text = _write_vcards(state, ids)
    count = len(state.people) if ids is None else len(set(ids))
    return state, {**_file("contacts", "vcf", "text/vcard", text, f), "count": count}


def _export_csv(state: State, f: Fields) -> Answer:
    ids = _people_ids(state, f)
    text = write_people_csv(state, ids)
    count = len(state.people) if ids is None else len(set(ids))
    return state, {**_file("people", "csv", "text/csv", text, f), "count": count}


def _export_ics(state: State, f: Fields) -> Answer:
    now = parse_instant(f.raw.get("now"), "now") if f.has("now") else _missing("now")
    today = parse_day(f.raw.get("today"), "today") if f.has("today") else _missing("today")
    followups: list[FollowUp] = []
    if f.has("keys") and f.raw.get("keys") is not None:
        for i, key in enumerate(f.key_list("keys")):
            found = find(state, key, now, today)
            if found is None:
                raise NotFoundError(
                    "unknown-followup", f"Nothing is owed under '{key}' now.", f"keys[{i}]"
                )
            followups.append(found)
    else:
        followups = list(agenda(state, now, today).followups)
    text = write_ics(state, followups, now)
    name = "follow-up" if len(followups) == 1 and f.has("keys") else "follow-ups"
    return state, {**_file(name, "ics", "text/calendar", text, f), "count": len(followups)}


def _file(what: str, ext: str, mime: str, text: str, f: Fields) -> dict[str, Any]:
    today: date | None = parse_day(f.raw["today"], "today") if f.raw.get("today") else None
    suffix = f"-{today.isoformat()}" if today else ""
    return {"filename": f"followthrough-{what}{suffix}.{ext}", "mime": mime, "text": text}


# --- Shared ---

# vobject (and the dateutil it pulls in) takes about 0.15 s to import under Pyodide: the vCard
# module that uses it is loaded on first use, not on every boot of the engine.


def _read_vcards(text: str) -> Parsed:
    from .interop.vcard import read_vcards

    return read_vcards(text)


def _write_vcards(state: State, ids: list[PersonId] | None) -> str:
    from .interop.vcard import write_vcards

    return write_vcards(state, ids)


# -------------------------------------------------------------------------------------


def _encoded(records: Iterable[Stored]) -> dict[str, list[dict[str, Any]]]:
    put: dict[str, list[dict[str, Any]]] = {}
    for record in records:
        if isinstance(record, Settings):
            put.setdefault("meta", []).append(encode_settings(record))
        elif isinstance(record, Profile):
            put.setdefault("meta", []).append(encode_profile(record))
        elif isinstance(record, RoundRecord):
            put.setdefault("meta", []).append(encode_round(record))
        elif isinstance(record, Trashed):
            put.setdefault(record.store, []).append(encode_stored(record.store, record))
        else:
            store = STORE_OF[type(record)]
            put.setdefault(store, []).append(encode_stored(store, record))
    return put


def _missing(name: str) -> Any:
    raise CodecError("missing-field", f"'{name}' is required.", name)


def _snippet(text: str) -> str:
    return text if len(text) <= 60 else text[:57] + "…"


def _import_formats(state: State, f: Fields) -> Answer:
    """The kinds of file Import reads, for the screen's choice ("auto" first)."""
    return state, {"formats": choices(FORMAT_LABELS, FORMATS)}


TRANSFER_OPS: Mapping[str, tuple[tuple[str, ...], Callable[[State, Fields], Answer]]] = {
    "import_formats": ((), _import_formats),
    "import_preview": (_IMPORT, _preview),
    "import_commit": (_IMPORT, _commit),
    "export_json": (("now", "today"), _export_json),
    "restore_preview": (("text",), _restore_preview),
    "restore": (("text", "mode"), _restore),
    "export_vcard": (("ids", "today"), _export_vcard),
    "export_ics": (("keys", "now", "today"), _export_ics),
    "export_csv": (("ids", "today"), _export_csv),
}
