"""The history at the pipeline (`keep`, called by api.call after every op that writes) and its
ops: `history` (recent commands in words), `undo_preview` (what an undo would do), `imports`
(import batches with their undo). The words of each entry are made here, once, from the
command and the state before it."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import replace
from datetime import datetime
from typing import Any

from .fields import Fields, parse_instant
from .history import (
    Entry,
    changes_of,
    encode_entry,
    find,
    new_id,
    plan_undo,
    trimmed,
    undo_words,
    with_entries,
    without,
)
from .model import PersonId
from .state import State
from .trash import summary

Answer = tuple[State, dict[str, Any]]
# Ops that write but are not the user's doing: loading, another tab's or device's writes,
# test seed data, and sync's own bookkeeping.
NOT_KEPT = frozenset({"load", "upsert", "apply", "put_records", "rollback", "stamp", "merge"})


def keep(
    before: State, after: State, op: str, raw: Mapping[str, Any], answer: dict[str, Any]
) -> State:
    """`after` with this op in the history, and the answer carrying the entries to store as
    `meta` records (`history: {put, delete}`, the oldest let go) and `undo: {id, label}` for
    the toast."""
    # "Erase now" means gone from this device too: no earlier entry keeps an image of it.
    after = _scrub(after, answer)
    if op in NOT_KEPT or not isinstance(raw.get("now"), str):
        return after
    changes = changes_of(before, answer, after)
    if not changes:
        return after
    now = parse_instant(raw["now"], "now")
    name = str(raw.get("name", op)) if op == "command" else op
    payload = raw.get("payload") if isinstance(raw.get("payload"), Mapping) else {}
    assert isinstance(payload, Mapping)
    entry = Entry(
        id=new_id(before, now),
        at=now,
        op=name,
        label=label(name, payload, before, after, answer, raw),
        changes=changes,
        batch=_batch(raw, answer) if op == "import_commit" else None,
    )
    touched = [entry]
    if name == "undo":
        target = find(before, str(payload.get("id")))
        touched.append(replace(target, undone_by=entry.id))
        entry = replace(entry, undoes=target.id)
        touched[0] = entry
        if target.undoes is not None:  # undoing an undo: what it undid is done again
            for e in before.history:
                if e.id == target.undoes:
                    touched.append(replace(e, undone_by=None))
    new = with_entries(after, touched)
    gone = trimmed(new.history)
    new = without(new, gone)
    # Written by the worker into `meta` in the same transaction as the changes.
    scrubbed = answer.get("history") or {"put": [], "delete": []}
    answer["history"] = {
        "put": [
            *(e for e in scrubbed["put"] if e["id"] not in gone),
            *(encode_entry(e) for e in touched if e.id not in gone),
        ],
        "delete": [*scrubbed["delete"], *gone],
    }
    answer["undo"] = {"id": entry.id, "label": entry.label}
    return new


def _batch(raw: Mapping[str, Any], answer: Mapping[str, Any]) -> dict[str, Any]:
    counts = answer.get("counts") or {}
    file = raw.get("file")
    return {
        "file": file if isinstance(file, str) and file else "",
        "format": raw.get("format") if isinstance(raw.get("format"), str) else "auto",
        "added": int(counts.get("people_created", 0)) + int(counts.get("records_added", 0)),
        "changed": int(counts.get("people_updated", 0)),
    }


# --- Words --------------------------------------------------------------------------------------


def _names(state: State, ids: object) -> str:
    found = [
        state.name(PersonId(str(i))) or "someone" for i in (ids if isinstance(ids, list) else [])
    ]
    if len(found) <= 1:
        return "".join(found) or "someone"
    return ", ".join(found[:-1]) + " and " + found[-1]


def _key_names(state: State, payload: Mapping[str, Any]) -> str:
    key = str(payload.get("key", ""))
    ids = [s for s in key.split(":")[1:] if s in state.people]
    return _names(state, ids) if ids else "someone"


def _org(state: State, oid: object) -> str:
    opp = state.opportunities.get(str(oid))  # type: ignore[call-overload]
    return str(opp.organisation) if opp is not None else "an opportunity"


def _event(state: State, eid: object) -> str:
    event = state.events.get(str(eid))  # type: ignore[call-overload]
    return str(event.name) if event is not None else ""


def _entry_label(state: State, entry: object) -> str:
    items = [t for t in state.trash.values() if t.entry == entry]
    return str(summary(state, items)["label"]) if items else "something"


def label(
    name: str,
    p: Mapping[str, Any],
    before: State,
    after: State,
    answer: Mapping[str, Any],
    raw: Mapping[str, Any],
) -> str:
    """What a command did, as the history says it ("Merged Ana Ruiz into Ana R.")."""
    events = answer.get("events") or []
    entry = next((e.get("entry") for e in events if "entry" in e), None)
    words: Mapping[str, Callable[[], str]] = {
        "add_person": lambda: f"Added {_names(after, [p.get('id')])}",
        "update_person": lambda: f"Edited {before.name(PersonId(str(p.get('id')))) or 'someone'}",
        "add_event": lambda: f"Added the event {_event(after, p.get('id'))}",
        "record_introduction": lambda: (
            f"Recorded that {_names(before, [p.get('introducer_id')])} introduced "
            f"{_names(after, [p.get('introduced_id')])}"
        ),
        "update_introduction": lambda: "Edited an introduction",
        "log_interaction": lambda: (
            f"Logged {str(p.get('kind', 'a meeting')).replace('_', ' ')} with "
            f"{_names(before, p.get('person_ids'))}"
        ),
        "add_opportunity": lambda: f"Added the opportunity {_org(after, p.get('id'))}",
        "update_opportunity": lambda: f"Edited {_org(before, p.get('id'))}",
        "move_opportunity": lambda: (
            f"Moved {_org(before, p.get('id'))} to {str(p.get('stage', '')).replace('_', ' ')}"
        ),
        "landed": lambda: f"Landed {_org(before, p.get('opportunity_id'))}",
        "mark_done": lambda: f"Marked the follow-up for {_key_names(before, p)} done",
        "snooze": lambda: f"Snoozed the follow-up for {_key_names(before, p)}",
        "skip": lambda: f"Skipped the follow-up for {_key_names(before, p)}",
        "reopen": lambda: f"Brought back the follow-up for {_key_names(before, p)}",
        "merge_people": lambda: (
            f"Merged {_names(before, [p.get('drop_id')])} into {_names(before, [p.get('keep_id')])}"
        ),
        "save_settings": lambda: "Changed settings",
        "save_profile": lambda: "Saved your card",
        "capture": lambda: f"Captured {_names(after, [_captured(p)])}",
        "delete": lambda: f"Deleted {_entry_label(after, entry)}",
        "restore": lambda: (
            f"Restored {_entry_label(before, p.get('id'))}"
            if "id" in p and raw.get("op") == "command"
            else "Restored a backup"
        ),
        "erase": lambda: "Erased for good",
        "undo": lambda: f"Undid: {find(before, str(p.get('id'))).label}",
        "import_commit": lambda: _import_label(raw, answer),
    }
    make = words.get(name)
    return make() if make else name.replace("_", " ").capitalize()


def _captured(p: Mapping[str, Any]) -> str:
    person = p.get("person")
    return str(person.get("id")) if isinstance(person, Mapping) else ""


def _import_label(raw: Mapping[str, Any], answer: Mapping[str, Any]) -> str:
    if isinstance(answer.get("label"), str):  # an import that names what it added (mail_ops.py)
        return str(answer["label"])
    counts = answer.get("counts") or {}
    n = int(counts.get("people_created", 0)) + int(counts.get("people_updated", 0))
    file = raw.get("file")
    source = f" from {file}" if isinstance(file, str) and file else ""
    messages = int(counts.get("messages_sent", 0)) + int(counts.get("messages_received", 0))
    more = f" and {messages:,} message{'' if messages == 1 else 's'}" if messages else ""
    return f"Imported {n:,} {'person' if n == 1 else 'people'}{more}{source}"


def ago(then: datetime, now: datetime) -> str:
    seconds = (now - then).total_seconds()
    if seconds < 60:
        return "just now"
    if seconds < 3600:
        return f"{int(seconds // 60)} min ago"
    if seconds < 86400:
        return f"{int(seconds // 3600)} h ago"
    days = int(seconds // 86400)
    return "yesterday" if days == 1 else f"{days} days ago"


# --- Ops ----------------------------------------------------------------------------------------


def _encode(entry: Entry, now: datetime) -> dict[str, Any]:
    when = ago(entry.at, now)
    return {
        "id": entry.id,
        "label": entry.label,
        "at": entry.at.isoformat(),
        "ago": when,
        "words": f"{entry.label} · {when}",
        "op": entry.op,
        "undone": entry.undone_by is not None,
        "can_undo": entry.undone_by is None and bool(entry.changes),
        "batch": dict(entry.batch) if entry.batch is not None else None,
    }


def _history(state: State, f: Fields) -> Answer:
    now = parse_instant(f.value("now"), "now")
    limit = f.raw.get("limit", 50)
    limit = limit if isinstance(limit, int) and not isinstance(limit, bool) and limit > 0 else 50
    recent = list(reversed(state.history))[:limit]
    return state, {"entries": [_encode(e, now) for e in recent]}


def _undo_preview(state: State, f: Fields) -> Answer:
    now = parse_instant(f.value("now"), "now")
    entry = find(state, f.key("id"))
    plan = plan_undo(state, entry, now)
    return state, {
        "id": entry.id,
        "label": entry.label,
        "removed": plan.removed,
        "trashed": plan.trashed,
        "reverted": plan.reverted,
        "kept": plan.kept,
        "words": undo_words(plan),
    }


def _imports(state: State, f: Fields) -> Answer:
    now = parse_instant(f.value("now"), "now")
    found = [e for e in reversed(state.history) if e.batch is not None]
    out = []
    for e in found:
        b = dict(e.batch or {})
        file = b.get("file") or "a file"
        counts = f"{int(b.get('added', 0)):,} added, {int(b.get('changed', 0)):,} changed"
        words = f"{e.label} · {ago(e.at, now)}: {counts}"
        out.append({**_encode(e, now), "file": file, **b, "words": words})
    return state, {"imports": out}


def _import_people(state: State, f: Fields) -> Answer:
    """The people one import added that are still here (for "everyone from this import")."""
    entry = find(state, f.key("id"))
    added = [c.key for c in entry.changes if c.store == "people" and c.before is None]
    return state, {"ids": [pid for pid in added if pid in state.people]}


HISTORY_OPS: Mapping[str, tuple[tuple[str, ...], Callable[[State, Fields], Answer]]] = {
    "history": (("now", "today", "limit"), _history),
    "undo_preview": (("id", "now", "today"), _undo_preview),
    "imports": (("now", "today"), _imports),
    "import_people": (("id",), _import_people),
}


def _scrub(state: State, answer: dict[str, Any]) -> State:
    """The history without any image of the records this answer erases: entries that change
    nothing else are dropped, the others lose those changes. The rewritten entries go into
    the answer (`history: {put, delete}`) for the worker to store."""
    erased = {(s, k) for s, ids in (answer.get("erase") or {}).items() for k in ids}
    if not erased:
        return state
    names = {
        image["name"]
        for e in state.history
        for c in e.changes
        if (c.store, c.key) in erased and c.store == "people"
        for image in (c.before, c.after)
        if isinstance(image, Mapping) and isinstance(image.get("name"), str) and image["name"]
    }
    put: list[Entry] = []
    gone: list[str] = []
    for e in state.history:
        kept = tuple(c for c in e.changes if (c.store, c.key) not in erased)
        label = e.label
        for name in names:
            label = label.replace(name, "someone erased")
        if len(kept) == len(e.changes) and label == e.label:
            continue
        if kept:
            put.append(replace(e, changes=kept, label=label))
        else:
            gone.append(e.id)
    if not put and not gone:
        return state
    answer["history"] = {"put": [encode_entry(e) for e in put], "delete": gone}
    return without(with_entries(state, put), gone)
