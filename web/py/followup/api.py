"""The only module JavaScript calls: `call(request_json) -> response_json`. It never raises.

It keeps the decoded state between calls (the worker is long-lived); everything behind it is
pure. Responses are `{"ok": true, ...}` or `{"ok": false, "error", "message", "field"}`.
"""

from __future__ import annotations

import gc
import json
import re
from collections.abc import Callable, Mapping
from datetime import date, datetime
from typing import Any

from . import __version__, collector, setaside
from .agenda import agenda
from .bundle import bundled_agenda
from .capture import CAPTURE_OPS
from .catalog import encode_catalog
from .codec import (
    SCHEMA_VERSION,
    STORES,
    decode_meta,
    decode_records,
    decode_state,
    encode_profile,
    encode_state,
    encode_stored,
)
from .commands import parse_command
from .daily import DAILY_OPS
from .digest import DIGEST_OPS
from .engine import decide
from .errors import CodecError, EngineError
from .events import encode_event
from .fields import REQUIRED, Fields, parse_day, parse_instant
from .graph import doors, most_doors
from .heads import HEADS_OPS
from .history import decode_entries, with_entries, without
from .history_ops import HISTORY_OPS, keep
from .insights import LOOP_RULES, THANKED_GOAL, insights
from .landing import LANDING_OPS
from .later import LATER_OPS
from .mail_ops import MAIL_OPS
from .model import PersonId, Profile, RoundRecord
from .owed import OWED_OPS, encode_followup
from .people import PEOPLE_OPS, initials
from .pipeline import PIPELINE_OPS
from .push_devices import PUSH_OPS
from .reply_ops import REPLY_OPS
from .rounds import decode_rounds, encode_round
from .settings import Rule, Settings, encode_settings
from .settings_ops import SETTINGS_OPS
from .state import STORE_OF, SetAside, State, Stored, apply, new_state
from .sync import KEY_OF
from .sync_ops import SYNC_OPS
from .transfer import TRANSFER_OPS
from .trash import expired
from .trash_ops import TRASH_OPS
from .trashed import TRASHED, Trashed

_state: State = new_state()
# The state before the last op, so the worker can put memory back when a write fails to reach
# the disk (`rollback`): memory and disk change together, or neither does.
_before: State = _state
_SURROGATE = re.compile("[\ud800-\udfff]")


# A request this long (characters) makes objects by the hundred thousand: a heavy user's `load`.
_BULK = 1_000_000


def call(request: str) -> str:
    """Handle one request (a JSON string) and answer with a JSON string, errors included.

    A bulk request runs with the cyclic garbage collector paused: it would otherwise walk the
    objects being made again and again while they are made (for a heavy user's `load`, two
    fifths of its CPU time on CPython 3.11, about 6 % on Pyodide's 3.14, whose collector is
    incremental). The state it leaves is long-lived, so it is then frozen out of later
    collections (which would walk all of it too, in the middle of some later command); what is
    frozen is still freed when nothing refers to it."""
    if not (isinstance(request, str) and len(request) > _BULK and gc.isenabled()):
        return _call(request)
    before = _state
    with collector.paused():
        try:
            return _call(request)
        finally:
            if _state is not before:
                gc.freeze()


def _call(request: str) -> str:
    global _state, _before
    try:
        try:
            raw = json.loads(request)
        except (TypeError, ValueError, RecursionError):
            raise CodecError("bad-json", "The request is not valid JSON.", None) from None
        if not isinstance(raw, dict) or not isinstance(raw.get("op"), str):
            raise CodecError("bad-request", "A request is an object with an 'op'.", "op")
        op = _OPS.get(raw["op"])
        if op is None:
            raise CodecError("unknown-op", f"There is no operation '{raw['op']}'.", "op")
        allowed, handler = op
        # Every op may be sent the shell's clock; those that do not need it ignore it.
        fields = Fields(raw, "", ("op", "now", "today", *allowed))
        setaside.check_request(_state, raw["op"], raw)
        new_state_, answer = handler(_state, fields)
        setaside.check_answer(_state, raw["op"], answer)
        new_state_ = keep(_state, new_state_, raw["op"], raw, answer)
        # `stamp` runs between an op and the write of its changes: it must not move the mark,
        # nor must an op that changed nothing (the worker answers `today` with a command while
        # the command's changes are being written; `rollback` must still undo the command).
        if raw["op"] not in ("rollback", "stamp") and new_state_ is not _state:
            _before = _state
        _state = new_state_
        return _utf8(json.dumps({"ok": True, **answer}, ensure_ascii=False))
    except EngineError as error:
        return _error(error.code, error.message, error.field)
    except Exception as error:  # the shell must always get an answer it can show
        return _error("internal-error", f"The engine hit a problem it did not expect: {error!r}")


def _error(code: str, message: str, field: str | None = None) -> str:
    return _utf8(
        json.dumps(
            {"ok": False, "error": code, "message": message, "field": field}, ensure_ascii=False
        )
    )


def _utf8(answer: str) -> str:
    """The answer with any half of a surrogate pair shown as U+FFFD, so it can be written as
    UTF-8. The state holds none (bounds.py); an error quoting what it refused, or an import
    preview quoting a file's header, may."""
    if answer.isascii() or _SURROGATE.search(answer) is None:
        return answer
    return _SURROGATE.sub("\ufffd", answer)


Answer = tuple[State, dict[str, Any]]


def _clock(f: Fields) -> tuple[datetime, date]:
    return parse_instant(f.value("now"), "now"), parse_day(f.value("today"), "today")


def _load(state: State, f: Fields) -> Answer:
    data = f.value("data")
    loaded = decode_state(data)
    if isinstance(data, Mapping):
        loaded = with_entries(loaded, decode_entries(data.get("meta")))
    return loaded, {"counts": _counts(loaded), "set_aside": setaside.encode(loaded)}


def _upsert(state: State, f: Fields) -> Answer:
    stores = Fields(f.value("data"), "data", (*STORES, "meta"))
    put: list[Stored] = []
    bad: list[SetAside] = []
    for store in STORES:
        if stores.has(store):
            put.extend(decode_records(store, stores.raw[store], f"data.{store}", bad))
    if stores.has("meta"):
        settings, profile = decode_meta(stores.raw["meta"], "data.meta", bad)
        put.extend(x for x in (settings, profile) if x is not None)
        put.extend(decode_rounds(stores.raw["meta"]))
    new = setaside.updated(apply(state, put), put, (), bad)
    if stores.has("meta"):
        new = with_entries(new, decode_entries(stores.raw["meta"]))
    return new, {"counts": _counts(new), "set_aside": [x.encode() for x in bad]}


def _apply(state: State, f: Fields) -> Answer:
    """Records written elsewhere (another tab's engine) taken in as they are on disk."""
    put, delete, bad = _records(f)
    new = setaside.updated(apply(state, put, delete), put, delete, bad)
    # Another tab's history: its entries, and the ones it let go.
    if f.has("put") and isinstance(f.raw["put"], Mapping):
        new = with_entries(new, decode_entries(f.raw["put"].get("meta")))
    if f.has("delete") and isinstance(f.raw["delete"], Mapping):
        new = without(new, [k for k in f.raw["delete"].get("meta") or [] if isinstance(k, str)])
    return new, {"counts": _counts(new), "set_aside": [x.encode() for x in bad]}


def _put_records(state: State, f: Fields) -> Answer:
    """Whole records written as given (a test's seed data): each is read by the codec, and one
    it cannot read refuses them all. The answer's `put`/`delete` is what the worker writes and
    stamps, as for any command."""
    put, delete, bad = _records(f)
    if bad:
        raise CodecError(bad[0].error, bad[0].message, bad[0].field)
    out: dict[str, list[dict[str, Any]]] = {}
    for record in put:
        store, encoded = _stored(record)
        out.setdefault(store, []).append(encoded)
    gone: dict[str, list[str]] = {}
    for store, key in delete:
        gone.setdefault(store, []).append(key)
    return apply(state, put, delete), {"put": out, "delete": gone}


def _records(f: Fields) -> tuple[list[Stored], list[tuple[str, str]], list[SetAside]]:
    """`put` (`{store: [record]}`) decoded, `delete` (`{store: [key]}`), and what was unreadable."""
    put: list[Stored] = []
    bad: list[SetAside] = []
    if f.has("put"):
        stores = Fields(f.value("put"), "put", (*STORES, "meta"))
        for store in STORES:
            if stores.has(store):
                put.extend(decode_records(store, stores.raw[store], f"put.{store}", bad))
        if stores.has("meta"):
            settings, profile = decode_meta(stores.raw["meta"], "put.meta", bad)
            put.extend(x for x in (settings, profile) if x is not None)
    delete: list[tuple[str, str]] = []
    if f.has("delete"):
        ids = Fields(f.value("delete"), "delete", (*STORES, "meta"))
        for store in STORES:
            if ids.has(store):
                delete.extend((store, key) for key in ids.ids(store))
    return put, delete, bad


def _rollback(state: State, f: Fields) -> Answer:
    """Memory back to before the last op: its changes could not be saved."""
    return _before, {"counts": _counts(_before)}


def _command(state: State, f: Fields) -> Answer:
    now, today = _clock(f)
    command = parse_command(f.line("name", REQUIRED), f.raw.get("payload", {}), now)
    decision = decide(state, command, now, today)
    # Trash older than its time goes for good with the next command (trash.py).
    purge = [k for k in expired(decision.state, now) if k not in decision.erase]
    new = apply(decision.state, (), purge) if purge else decision.state
    put: dict[str, list[dict[str, Any]]] = {}
    for record in decision.put:
        store, encoded = _stored(record)
        if (store, encoded.get(KEY_OF.get(store, "id"))) in state.trash and TRASHED not in encoded:
            encoded[TRASHED] = None  # out of the trash: the mark is cleared on every device
        put.setdefault(store, []).append(encoded)
    delete: dict[str, list[str]] = {}
    erase: dict[str, list[str]] = {}
    for store, key in (*decision.delete, *purge):
        delete.setdefault(store, []).append(key)
    for store, key in (*decision.erase, *purge):
        erase.setdefault(store, []).append(key)
    events = [encode_event(e) for e in decision.events]
    answer = {"put": put, "delete": delete, "events": events}
    if erase:
        answer["erase"] = erase
    return new, answer


def _today(state: State, f: Fields) -> Answer:
    now, today = _clock(f)
    result = bundled_agenda(state, now, today)
    counts = result.counts
    return state, {
        "followups": [encode_followup(x) for x in result.followups],
        "counts": {
            "overdue": counts.overdue,
            "due": counts.due,
            "upcoming": counts.upcoming,
            "snoozed": counts.snoozed,
            "hidden": counts.hidden,
            "resting": counts.resting,
        },
    }


def _graph(state: State, f: Fields) -> Answer:
    nodes: dict[PersonId, None] = {}
    edges = []
    for intro in sorted(state.introductions.values(), key=lambda i: (i.at, i.id)):
        nodes.update({intro.introducer_id: None, intro.introduced_id: None})
        edges.append(
            {"from": intro.introducer_id, "to": intro.introduced_id, "introduction_id": intro.id}
        )
    return state, {
        "nodes": [
            {
                "id": pid,
                "name": state.name(pid),
                "initials": initials(state.name(pid)),
                "doors": doors(state, pid),
            }
            for pid in sorted(nodes)
        ],
        "edges": edges,
        "most_doors": most_doors(state),
    }


def _insights(state: State, f: Fields) -> Answer:
    now, today = _clock(f)
    found = insights(state, now, today)
    loops = {r.value for r in LOOP_RULES}
    return state, {
        # The goals the figures are measured against, and today's open loops to list.
        "contact_goal_hours": state.settings.rules[Rule.REACH_OUT].due_hours,
        "thanked_goal_share": THANKED_GOAL,
        "open_loop_followups": [
            encode_followup(x) for x in agenda(state, now, today).followups if x.rule in loops
        ],
        "nothing_yet": (
            all(w.count == 0 for w in found.meetings_per_week)
            and not found.introductions_per_introducer
            and found.referral_to_contact_median_hours is None
            and found.thanked_within_24h_share is None
            and not found.open_loops
        ),
        "referral_to_contact_median_hours": found.referral_to_contact_median_hours,
        "thanked_within_24h_share": found.thanked_within_24h_share,
        "open_loops": found.open_loops,
        "introductions_per_introducer": [
            {"person_id": c.person_id, "name": c.name, "count": c.count}
            for c in found.introductions_per_introducer
        ],
        "meetings_per_week": [
            {"week": w.week, "start": w.start.isoformat(), "count": w.count}
            for w in found.meetings_per_week
        ],
    }


def _export(state: State, f: Fields) -> Answer:
    return state, {"data": encode_state(state)}


def _catalog(state: State, f: Fields) -> Answer:
    return state, encode_catalog()


def _version(state: State, f: Fields) -> Answer:
    return state, {"version": __version__, "schema_version": SCHEMA_VERSION}


_OPS: Mapping[str, tuple[tuple[str, ...], Callable[[State, Fields], Answer]]] = {
    "load": (("data",), _load),
    "upsert": (("data",), _upsert),
    "apply": (("put", "delete"), _apply),
    "put_records": (("put", "delete"), _put_records),
    "rollback": ((), _rollback),
    "command": (("name", "payload", "now", "today"), _command),
    "today": (("now", "today"), _today),
    "graph": ((), _graph),
    "insights": (("now", "today"), _insights),
    "export": ((), _export),
    "version": ((), _version),
    "catalog": ((), _catalog),
    **SYNC_OPS,  # sync (sync_ops.py)
    **HEADS_OPS,  # device heads: freshness checks (heads.py)
    **TRANSFER_OPS,  # import and export (transfer.py)
    **SETTINGS_OPS,  # Settings and My card (settings_ops.py)
    **PEOPLE_OPS,  # the People list and merge preview (people.py)
    **PIPELINE_OPS,  # the Pipeline board (pipeline.py)
    **OWED_OPS,  # drafts, send links, a person, the gratitude round (owed.py)
    **CAPTURE_OPS,  # Capture's pickers (capture.py)
    **PUSH_OPS,  # devices that get the digest by Web Push (push_devices.py)
    **DIGEST_OPS,  # the morning digest's schedule (digest.py)
    **LANDING_OPS,  # what landing the job does, before it is confirmed (landing.py)
    **TRASH_OPS,  # the trash and delete preview (trash_ops.py)
    **HISTORY_OPS,  # the history, undo preview, import batches (history_ops.py)
    **DAILY_OPS,  # first run, event mode's end, the one line read (daily.py)
    **LATER_OPS,  # snoozed and skipped (later.py)
    **MAIL_OPS,  # mail archives read as a stream (mail_ops.py)
    **REPLY_OPS,  # paste a reply: classify it (reply_ops.py)
}


def _stored(record: Stored) -> tuple[str, dict[str, Any]]:
    if isinstance(record, Settings):
        return "meta", encode_settings(record)
    if isinstance(record, Profile):
        return "meta", encode_profile(record)
    if isinstance(record, RoundRecord):
        return "meta", encode_round(record)
    if isinstance(record, Trashed):
        return record.store, encode_stored(record.store, record)
    store = STORE_OF[type(record)]
    return store, encode_stored(store, record)


def _counts(state: State) -> dict[str, int]:
    return {store: len(getattr(state, store)) for store in STORES}
