"""Builders for the sync tests: device node ids, a fixed epoch, clocks, a person record and a
local edit stamped as store.js stamps it."""

from __future__ import annotations

from typing import Any

from followup import hlc
from followup.sync import Replica
from followup.sync_stamp import stamp

NODE_A = "a1b2c3d4e5f60718"
NODE_B = "0f0e0d0c0b0a0908"
NODE_C = "1111111111111111"
T0 = 1_767_225_600_000  # 2026-01-01T00:00:00Z in milliseconds
NOW = "2026-01-01T00:00:00+00:00"


def clock(node: str = NODE_A, millis: int = 0, counter: int = 0) -> hlc.Clock:
    return hlc.Clock(millis, counter, node)


def person(pid: str = "p1", **fields: Any) -> dict[str, Any]:
    record: dict[str, Any] = {
        "id": pid,
        "name": "Ada Lovelace",
        "organisation": "",
        "role": "",
        "emails": [],
        "phones": [],
        "urls": [],
        "tags": [],
        "notes": "",
        "how_met": "",
        "event_id": None,
        "created_at": "2026-01-01T00:00:00+00:00",
        "updated_at": "2026-01-01T00:00:00+00:00",
    }
    record.update(fields)
    return record


def edit(
    replica: Replica | None,
    record: dict[str, Any] | None,
    node: str = NODE_A,
    at: int = T0,
    pending: dict[str, str] | None = None,
) -> tuple[Replica, dict[str, str]]:
    """A local write on a device, as store.js stamps it."""
    last = clock(node)
    for _, stamp_ in replica.fields.values() if replica else []:
        parsed = hlc.parse(stamp_)
        if parsed and parsed > last:
            last = hlc.Clock(parsed.millis, parsed.counter, node)
    key = record["id"] if record else replica.id if replica else "p1"
    new, pending_out, _ = stamp(replica, "people", key, record, pending or {}, last, at)
    return new, pending_out
