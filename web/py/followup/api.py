"""The only module JavaScript calls: `call(request_json) -> response_json`. It never raises.

It keeps the decoded state between calls (the worker is long-lived); everything behind it is
pure. Responses are `{"ok": true, ...}` or `{"ok": false, "error", "message", "field"}`.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from datetime import date, datetime
from typing import Any

from . import __version__
from .agenda import agenda
from .capture import CAPTURE_OPS
from .catalog import encode_catalog
from .codec import (
    SCHEMA_VERSION,
    STORES,
    decode_meta,
    decode_records,
    decode_state,
    encode_profile,
    encode_record,
    encode_state,
)
from .commands import parse_command
from .engine import decide
from .errors import CodecError, EngineError
from .events import encode_event
from .fields import Fields, parse_day, parse_instant
from .graph import doors, most_doors
from .insights import insights
from .model import PersonId, Profile, RoundRecord
from .owed import OWED_OPS, encode_followup
from .rounds import decode_rounds, encode_round
from .settings import Settings, encode_settings
from .state import STORE_OF, State, Stored, apply, new_state
from .sync import merge_request
from .template import PLACEHOLDERS
from .transfer import TRANSFER_OPS
from .wording import BUILT_IN

_state: State = new_state()
# The state before the last op, so the worker can put memory back when a write fails to reach
# the disk (`rollback`): memory and disk change together, or neither does.
_before: State = _state


def call(request: str) -> str:
    """Handle one request (a JSON string) and answer with a JSON string, errors included."""
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
        new_state_, answer = handler(_state, fields)
        if raw["op"] != "rollback":
            _before = _state
        _state = new_state_
        return json.dumps({"ok": True, **answer}, ensure_ascii=False)
    except EngineError as error:
        return _error(error.code, error.message, error.field)
    except Exception as error:  # the shell must always get an answer it can show
        return _error("internal-error", f"The engine hit a problem it did not expect: {error!r}")


def _error(code: str, message: str, field: str | None = None) -> str:
    return json.dumps(
        {"ok": False, "error": code, "message": message, "field": field}, ensure_ascii=False
    )


Answer = tuple[State, dict[str, Any]]


def _clock(f: Fields) -> tuple[datetime, date]:
    return parse_instant(f.value("now"), "now"), parse_day(f.value("today"), "today")


def _load(state: State, f: Fields) -> Answer:
    loaded = decode_state(f.value("data"))
    return loaded, {"counts": _counts(loaded)}


def _upsert(state: State, f: Fields) -> Answer:
    stores = Fields(f.value("data"), "data", (*STORES, "meta"))
    put: list[Stored] = []
    for store in STORES:
        if stores.has(store):
            put.extend(decode_records(store, stores.raw[store], f"data.{store}"))
    if stores.has("meta"):
        settings, profile = decode_meta(stores.raw["meta"], "data.meta")
        put.extend(x for x in (settings, profile) if x is not None)
        put.extend(decode_rounds(stores.raw["meta"]))
    new = apply(state, put)
    return new, {"counts": _counts(new)}


def _apply(state: State, f: Fields) -> Answer:
    """Records written elsewhere (another tab's engine) taken in as they are on disk."""
    put: list[Stored] = []
    if f.has("put"):
        stores = Fields(f.value("put"), "put", (*STORES, "meta"))
        for store in STORES:
            if stores.has(store):
                put.extend(decode_records(store, stores.raw[store], f"put.{store}"))
        if stores.has("meta"):
            settings, profile = decode_meta(stores.raw["meta"], "put.meta")
            put.extend(x for x in (settings, profile) if x is not None)
    delete: list[tuple[str, str]] = []
    if f.has("delete"):
        ids = Fields(f.value("delete"), "delete", (*STORES, "meta"))
        for store in STORES:
            if ids.has(store):
                delete.extend((store, key) for key in ids.ids(store))
    new = apply(state, put, delete)
    return new, {"counts": _counts(new)}


def _rollback(state: State, f: Fields) -> Answer:
    """Memory back to before the last op: its changes could not be saved."""
    return _before, {"counts": _counts(_before)}


def _command(state: State, f: Fields) -> Answer:
    now, today = _clock(f)
    command = parse_command(f.ident("name"), f.raw.get("payload", {}), now)
    decision = decide(state, command, now, today)
    put: dict[str, list[dict[str, Any]]] = {}
    for record in decision.put:
        store, encoded = _stored(record)
        put.setdefault(store, []).append(encoded)
    delete: dict[str, list[str]] = {}
    for store, key in decision.delete:
        delete.setdefault(store, []).append(key)
    events = [encode_event(e) for e in decision.events]
    return decision.state, {"put": put, "delete": delete, "events": events}


def _today(state: State, f: Fields) -> Answer:
    now, today = _clock(f)
    result = agenda(state, now, today)
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
            {"id": pid, "name": state.name(pid), "doors": doors(state, pid)}
            for pid in sorted(nodes)
        ],
        "edges": edges,
        "most_doors": most_doors(state),
    }


def _insights(state: State, f: Fields) -> Answer:
    now, today = _clock(f)
    found = insights(state, now, today)
    return state, {
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


def _settings(state: State, f: Fields) -> Answer:
    return state, {
        "settings": encode_settings(state.settings),
        "placeholders": dict(PLACEHOLDERS),
        "built_in": {
            rule.value: {"subject": t.subject, "body": t.body, "sms": t.sms}
            for rule, t in BUILT_IN.items()
        },
    }


def _merge(state: State, f: Fields) -> Answer:
    """Remote record states merged into local ones; the merged records enter the state at once,
    so a command right after sees them."""
    result = merge_request(f.raw)
    return apply(state, result.put, result.delete), result.answer


def _catalog(state: State, f: Fields) -> Answer:
    return state, encode_catalog()


def _version(state: State, f: Fields) -> Answer:
    return state, {"version": __version__, "schema_version": SCHEMA_VERSION}


_OPS: Mapping[str, tuple[tuple[str, ...], Callable[[State, Fields], Answer]]] = {
    "load": (("data",), _load),
    "upsert": (("data",), _upsert),
    "apply": (("put", "delete"), _apply),
    "rollback": ((), _rollback),
    "command": (("name", "payload", "now", "today"), _command),
    "today": (("now", "today"), _today),
    "graph": ((), _graph),
    "insights": (("now", "today"), _insights),
    "export": ((), _export),
    "settings": ((), _settings),
    "version": ((), _version),
    "catalog": ((), _catalog),
    "merge": (("now", "node", "clock", "records"), _merge),  # sync (sync.py)
    **TRANSFER_OPS,  # import and export (transfer.py)
    **CAPTURE_OPS,  # Capture's pickers (capture.py)
    **OWED_OPS,  # drafts, send links, a person, the gratitude round (owed.py)
}


def _stored(record: Stored) -> tuple[str, dict[str, Any]]:
    if isinstance(record, Settings):
        return "meta", encode_settings(record)
    if isinstance(record, Profile):
        return "meta", encode_profile(record)
    if isinstance(record, RoundRecord):
        return "meta", encode_round(record)
    return STORE_OF[type(record)], encode_record(record)


def _counts(state: State) -> dict[str, int]:
    return {store: len(getattr(state, store)) for store in STORES}
