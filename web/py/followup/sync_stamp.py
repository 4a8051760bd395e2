"""Stamping a local write for sync: the record as field entries, each with a fresh clock.

Split from sync.py (merging stays there, or in its own module): the worker calls this in the
write's own transaction (op `stamp`, sync_ops.py) for every synced record a command writes.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from . import hlc
from .sync import (
    DELETED,
    ERASED,
    TAG_PREFIX,
    Replica,
    _after,
    canonical,
    erased_only,
    flatten,
    is_deleted,
    is_erased,
)


def stamp(
    local: Replica | None,
    store: str,
    key: str,
    record: Mapping[str, Any] | None,
    pending: Mapping[str, str],
    clock: hlc.Clock,
    now_ms: int,
    *,
    erase: bool = False,
) -> tuple[Replica, dict[str, str], hlc.Clock]:
    """A local write (`record`, or None for a delete) as new field entries with fresh clocks.

    What the worker writes in the write's own transaction (op `stamp`, called from store.js
    `commit`): the only stamper. Fields the record does not carry are left alone: absence is
    not deletion. `erase` wipes every field but the erased mark; an erased record takes no
    further writes.
    """
    fields = dict(local.fields) if local else {}
    pending_out = dict(pending)
    if is_erased(fields):
        assert local is not None
        return local, pending_out, clock
    if erase:
        clock = hlc.send(clock, now_ms)
        for name in (DELETED, ERASED):
            pending_out.setdefault(name, fields[name][1] if name in fields else hlc.ZERO)
        fields = erased_only({ERASED: (True, str(clock))})
        pending_out = {n: v for n, v in pending_out.items() if n in fields}
        return Replica(store, key, fields), pending_out, clock

    def put(name: str, value: Any) -> None:
        nonlocal clock
        old = fields.get(name)
        if old is not None and canonical(old[0]) == canonical(value):
            return
        clock = hlc.send(clock, now_ms)
        pending_out.setdefault(name, old[1] if old else hlc.ZERO)
        fields[name] = (value, _after(clock, old[1] if old else None))

    if record is None:
        put(DELETED, True)
    else:
        flat = flatten(store, record)
        if is_deleted(Replica(store, key, fields)):
            put(DELETED, False)
        for name in sorted(flat):
            put(name, flat[name])
        if store == "people" and isinstance(record.get("tags"), list):
            for name, (value, _) in sorted(fields.items()):
                if name.startswith(TAG_PREFIX) and value is True and name not in flat:
                    put(name, False)
    return Replica(store, key, dict(sorted(fields.items()))), pending_out, clock
