"""Device heads: freshness a sync server cannot fake (issue #19, SYNC-DESIGN §6.11).

Each device keeps one encrypted record, its *head* (store `heads`, id = the device's id),
synced like any other record but never shown as data: a counter that grows with every push,
the wall time and a label, the `(record, field, clock)` of its last `RECENT` edits, and the
counters it has seen from the other devices (a version vector). The server sees only another
envelope. After every sync a device checks, with op `heads_check`:

- **rollback**: no head the server sends goes backwards (a counter below one seen before);
- **omission**: every edit listed in another device's head is here, or something newer is;
  every counter another device says it has seen is one this device has seen too;
- **withheld**: after reading the whole log, every device heard from before still has a head.

This device's own latest head coming back (a dropped push) is checked by the shell right after
the push (sync/heads.js), by reading that one row back. The rules and the words live here; the
shell reads and writes the records.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from . import hlc
from .errors import CodecError
from .fields import Fields, parse_instant
from .state import State

STORE = "heads"
# How many of its latest edits a head lists.
RECENT = 20
# How many missing edits one warning names at most.
NAMED = 3

Answer = tuple[State, dict[str, Any]]

# Told when a check failed and reading everything again found what was missing.
REPAIRED = (
    "The sync server had not shown this device some changes from your other devices. Sync read "
    "everything again and they are all here now. If this happens often, the server is unreliable."
)


def _device(raw: object, field: str) -> str:
    if not isinstance(raw, str) or not hlc.is_node(raw):
        raise CodecError("bad-node", f"'{field}' should be 16 lowercase hex digits.", field)
    return raw


def _value(fields: Mapping[str, Any], name: str, default: Any) -> Any:
    entry = fields.get(name)
    return entry[0] if isinstance(entry, list) and len(entry) == 2 else default


def _counter(fields: Mapping[str, Any]) -> int:
    value = _value(fields, "counter", 0)
    return value if isinstance(value, int) and not isinstance(value, bool) and value >= 0 else 0


def _recent(fields: Mapping[str, Any]) -> list[tuple[str, str, str]]:
    out: list[tuple[str, str, str]] = []
    for item in _value(fields, "recent", []) or []:
        if isinstance(item, list) and len(item) == 3 and all(isinstance(x, str) for x in item):
            out.append((item[0], item[1], item[2]))
    return out[:RECENT]


def _seen(fields: Mapping[str, Any]) -> dict[str, int]:
    return _counters(_value(fields, "seen", {}))


def _counters(raw: object) -> dict[str, int]:
    """Device -> counter, leaving out anything that is not one."""
    if not isinstance(raw, Mapping):
        return {}
    return {
        k: v
        for k, v in raw.items()
        if isinstance(k, str) and isinstance(v, int) and not isinstance(v, bool) and v >= 0
    }


def _head_next(state: State, f: Fields) -> Answer:
    """This device's next head, for the batch about to be pushed: `{now, device, label,
    previous: f | null, edits: [[key, field, clock]], seen: {device: counter}}` answers
    `{key, id, counter, f}` (`f` the head's field map, every field stamped after the last)."""
    now = parse_instant(f.value("now"), "now")
    device = _device(f.value("device"), "device")
    previous = f.value("previous") if f.has("previous") else None
    if previous is not None and not isinstance(previous, Mapping):
        raise CodecError("wrong-type", "'previous' should be a head's fields.", "previous")
    old: Mapping[str, Any] = previous or {}
    edits = f.value("edits") if f.has("edits") else []
    if not isinstance(edits, list):
        raise CodecError("wrong-type", "'edits' should be a list.", "edits")
    seen = f.value("seen") if f.has("seen") else {}
    if not isinstance(seen, Mapping):
        raise CodecError("wrong-type", "'seen' should map devices to counters.", "seen")
    label = f.value("label") if f.has("label") else ""
    # One entry per record (its latest field), so a head names its last RECENT records.
    listed: dict[str, tuple[str, str]] = {}
    for item in [*_recent(old), *(e for e in edits if isinstance(e, list) and len(e) == 3)]:
        key, name, at = str(item[0]), str(item[1]), str(item[2])
        if at > listed.get(key, ("", ""))[1]:
            listed[key] = (name, at)
    recent = sorted(listed.items(), key=lambda kv: kv[1][1], reverse=True)[:RECENT]
    last = max(
        (hlc.parse(e[1]) for e in old.values() if isinstance(e, list) and len(e) == 2),
        key=lambda c: c or hlc.Clock(0, 0, device),
        default=None,
    ) or hlc.Clock(0, 0, device)
    try:
        stamp = hlc.send(hlc.Clock(last.millis, last.counter, device), hlc.millis_of(now))
    except hlc.ClockError as error:
        raise CodecError("out-of-range", str(error), "now") from error
    counter = _counter(old) + 1
    values: dict[str, Any] = {
        "counter": counter,
        "label": str(label)[:60],
        "recent": [[k, n, at] for k, (n, at) in recent],
        "seen": {k: v for k, v in sorted(_counters(seen).items()) if k != device},
        "wall": now.isoformat(),
    }
    fields = {name: [value, str(stamp)] for name, value in sorted(values.items())}
    return state, {"key": f"{STORE}/{device}", "id": device, "counter": counter, "f": fields}


def _heads_check(state: State, f: Fields) -> Answer:
    """Check the heads after a sync: `{device, heads: [{i, f}], served: [{i, f}] (the heads the
    server sent this run),
    full, seen: {device: counter}, stamps: {key: {field: clock}}}` answers `{seen, heard,
    problems: [{kind, device, message}], repair}`; `repair` says a read of the whole log is
    worth trying (an omission or a rollback)."""
    me = _device(f.value("device"), "device")
    heads = f.value("heads") if f.has("heads") else []
    served = f.value("served") if f.has("served") else []
    before = f.value("seen") if f.has("seen") else {}
    stamps = f.value("stamps") if f.has("stamps") else {}
    full = bool(f.value("full")) if f.has("full") else False
    if not isinstance(heads, list) or not isinstance(served, list):
        raise CodecError("wrong-type", "'heads' and 'served' should be lists.", "heads")
    if not isinstance(before, Mapping) or not isinstance(stamps, Mapping):
        raise CodecError("wrong-type", "'seen' and 'stamps' should be maps.", "seen")
    by_device: dict[str, Mapping[str, Any]] = {}
    for head in heads:
        if isinstance(head, Mapping) and isinstance(head.get("f"), Mapping):
            device = head.get("i")
            if isinstance(device, str) and hlc.is_node(device):
                by_device[device] = head["f"]
    labels = {d: str(_value(h, "label", "") or f"device {d[:4]}") for d, h in by_device.items()}
    seen_before = _counters(before)
    problems: list[dict[str, Any]] = []
    served_max: dict[str, int] = {}
    for head in served:
        if isinstance(head, Mapping) and isinstance(head.get("f"), Mapping):
            device = head.get("i")
            if isinstance(device, str) and hlc.is_node(device):
                served_max[device] = max(served_max.get(device, 0), _counter(head["f"]))
    for device, counter in sorted(served_max.items()):
        if counter < seen_before.get(device, 0):
            name = "this device" if device == me else labels.get(device, f"device {device[:4]}")
            problems.append(
                {
                    "kind": "rollback",
                    "device": device,
                    "message": (
                        f"The sync server sent an older copy of {name}'s changes than it sent "
                        f"before (change {counter}, after change {seen_before[device]}). The "
                        "newer data stays on this device; the server may have been rolled back, "
                        "or may be lying."
                    ),
                }
            )
    if full:
        for device in sorted(seen_before):
            if device not in served_max and device != me and seen_before[device] > 0:
                name = labels.get(device, f"device {device[:4]}")
                problems.append(
                    {
                        "kind": "withheld",
                        "device": device,
                        "message": (
                            f"After reading everything again, the sync server sent nothing "
                            f"from {name}, which it had before. Data on this device is kept."
                        ),
                    }
                )
    known = {d: _counter(h) for d, h in by_device.items()}
    for device, head in sorted(by_device.items()):
        if device == me:
            continue
        missing = [
            (key, name)
            for key, name, stamp in _recent(head)
            if _stamp_of(stamps, key, name) < stamp
        ]
        behind = [
            other
            for other, counter in _seen(head).items()
            if other not in (me, device) and known.get(other, 0) < counter
        ]
        if missing or behind:
            count = len(missing) + len(behind)
            what = "change" if count == 1 else "changes"
            problems.append(
                {
                    "kind": "omission",
                    "device": device,
                    "missing": [f"{k} {n}" for k, n in missing[:NAMED]] + behind[:NAMED],
                    "message": (
                        f"The sync server has not shown this device {count} {what} that "
                        f"{labels[device]} made or saw. Sync read everything again and "
                        f"{'it is' if count == 1 else 'they are'} still missing. Nothing "
                        "here was lost; if this stays, the server is holding changes back."
                    ),
                }
            )
    seen = dict(seen_before)
    for device, counter in known.items():
        seen[device] = max(seen.get(device, 0), counter)
    heard = [
        {
            "device": device,
            "label": labels[device],
            "wall": str(_value(head, "wall", "")),
            "counter": known[device],
        }
        for device, head in sorted(by_device.items())
        if device != me
    ]
    repair = any(p["kind"] in ("omission", "rollback") for p in problems)
    return state, {
        "seen": seen,
        "heard": heard,
        "problems": problems,
        "repair": repair,
        "repaired": {"kind": "repaired", "device": me, "message": REPAIRED},
    }


def _stamp_of(stamps: Mapping[str, Any], key: str, name: str) -> str:
    fields = stamps.get(key)
    value = fields.get(name) if isinstance(fields, Mapping) else None
    return value if isinstance(value, str) else ""


HEADS_OPS: Mapping[str, tuple[tuple[str, ...], Callable[[State, Fields], Answer]]] = {
    "head_next": (("device", "label", "previous", "edits", "seen"), _head_next),
    "heads_check": (("device", "heads", "served", "full", "seen", "stamps"), _heads_check),
}
