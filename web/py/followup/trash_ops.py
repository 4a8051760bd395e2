"""The api's trash operations: `trash` (what is in it), `delete_preview` (what a delete takes
with it, in words and counts). Handlers take `(state, fields)` and return `(state, answer)`."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from .fields import Fields, parse_instant
from .state import State
from .trash import TRASH_DAYS, entries, parse_records, preview

Answer = tuple[State, dict[str, Any]]


def _trash(state: State, f: Fields) -> Answer:
    now = parse_instant(f.value("now"), "now")
    return state, {"entries": entries(state, now), "days": TRASH_DAYS}


def _delete_preview(state: State, f: Fields) -> Answer:
    now = parse_instant(f.value("now"), "now")
    return state, preview(state, parse_records({"records": f.raw.get("records")}), now)


TRASH_OPS: Mapping[str, tuple[tuple[str, ...], Callable[[State, Fields], Answer]]] = {
    "trash": (("now", "today"), _trash),
    "delete_preview": (("records", "now", "today"), _delete_preview),
}
