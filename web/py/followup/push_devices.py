"""The devices that get the morning digest by Web Push, as one synced `meta` record
(`push_devices`): one field per device, holding what any device needs to seal a message to it
(the push subscription's endpoint and public keys, RFC 8291), its name, its time zone, and the
app's address there. Each field merges on its own (sync.py), so two devices subscribing at once
both stay; a device that stops is set to null. The record travels end-to-end encrypted like any
other; the sync server sees only the endpoints it is asked to send to (docs/sync-protocol.md).

Ops:
- `push_device` `{record, device, subscription | null}`: the record (as stored, or null) with
  this device's entry set (or cleared), answered as `put` for the shell to write and sync, and
  the devices it lists.
- `push_devices` `{record}`: the devices a record lists, checked, in device order.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from typing import Any

from .errors import CodecError
from .fields import Fields
from .state import State

RECORD_ID = "push_devices"
DEVICE = re.compile(r"[A-Za-z0-9_-]{1,64}")
MAX_ENDPOINT = 1024
MAX_NAME = 60
MAX_ZONE = 64
MAX_DEVICES = 10  # the sync server's cap on subscriptions per account
_ZONE = re.compile(r"[A-Za-z0-9_+\-/]{1,64}")

Answer = tuple[State, dict[str, Any]]


def _b64url(value: object, size: int, field: str) -> str:
    """`size` bytes as unpadded base64url: exactly ceil(size * 4 / 3) characters."""
    if isinstance(value, str) and re.fullmatch(rf"[A-Za-z0-9_-]{{{-(-size * 4 // 3)}}}", value):
        return value
    raise CodecError("bad-key", f"This should be {size} bytes in unpadded base64url.", field)


def check_subscription(raw: object, where: str) -> dict[str, str]:
    """A device's entry: endpoint (https), p256dh (65 bytes), auth (16 bytes), name, zone, and
    the app's address on that device (where a tap opens)."""
    if not isinstance(raw, Mapping):
        raise CodecError("wrong-type", "A push subscription is an object.", where)
    endpoint = raw.get("endpoint")
    if (
        not isinstance(endpoint, str)
        or len(endpoint) > MAX_ENDPOINT
        or not endpoint.startswith(("https://", "http://127.0.0.1", "http://localhost"))
    ):
        raise CodecError(
            "bad-endpoint", "A push endpoint is an https address.", f"{where}.endpoint"
        )
    app = raw.get("app")
    if (
        not isinstance(app, str)
        or len(app) > MAX_ENDPOINT
        or not app.startswith(("https://", "http://"))
    ):
        raise CodecError("bad-address", "The app's address is an http(s) address.", f"{where}.app")
    name = raw.get("name", "")
    if not isinstance(name, str) or len(name) > MAX_NAME:
        raise CodecError(
            "too-long", f"A device name is at most {MAX_NAME} characters.", f"{where}.name"
        )
    zone = raw.get("zone", "UTC")
    if not isinstance(zone, str) or not _ZONE.fullmatch(zone):
        raise CodecError("bad-zone", "This is not a time zone name.", f"{where}.zone")
    return {
        "endpoint": endpoint,
        "p256dh": _b64url(raw.get("p256dh"), 65, f"{where}.p256dh"),
        "auth": _b64url(raw.get("auth"), 16, f"{where}.auth"),
        "name": name.strip() or "This device",
        "zone": zone,
        "app": app,
    }


def devices_of(record: object) -> list[dict[str, str]]:
    """The devices a record lists (entries that cannot be used are left out), by device id."""
    if not isinstance(record, Mapping):
        return []
    found = []
    for device in sorted(record):
        if device == "id" or not DEVICE.fullmatch(device) or record[device] is None:
            continue
        try:
            entry = check_subscription(record[device], device)
        except CodecError:
            continue
        found.append({"device": device, **entry})
    return found


def _push_device(state: State, f: Fields) -> Answer:
    record = f.value("record") if f.has("record") else None
    if record is not None and not isinstance(record, Mapping):
        raise CodecError("wrong-type", "The record is an object or null.", "record")
    device = f.text("device")
    if not DEVICE.fullmatch(device):
        raise CodecError("bad-id", "This is not a device id.", "device")
    raw = f.value("subscription") if f.has("subscription") else None
    entry = None if raw is None else check_subscription(raw, "subscription")
    kept = {k: v for k, v in (record or {}).items() if k != "id" and DEVICE.fullmatch(k)}
    listed = {d["device"] for d in devices_of(kept)}
    if entry is not None and device not in listed and len(listed) >= MAX_DEVICES:
        raise CodecError(
            "too-many-devices",
            f"At most {MAX_DEVICES} devices can get reminders by push. Turn one off first.",
            "device",
        )
    new = {"id": RECORD_ID, **kept, device: entry}
    return state, {"put": {"meta": [new]}, "devices": devices_of(new)}


def _push_devices(state: State, f: Fields) -> Answer:
    return state, {"devices": devices_of(f.value("record") if f.has("record") else None)}


PUSH_OPS: Mapping[str, tuple[tuple[str, ...], Callable[[State, Fields], Answer]]] = {
    "push_device": (("record", "device", "subscription"), _push_device),
    "push_devices": (("record",), _push_devices),
}
