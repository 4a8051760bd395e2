"""The morning digest's settings: on or off, the time of day, the days of the week, and the
devices that stay quiet. Part of the `settings` meta record, under `reminders`:

    {"enabled": false, "time": "08:30", "days": ["mon", ..., "sun"], "quiet_devices": []}

Every key is optional and falls back to these defaults. The time is local wall-clock time on
the device (the shell tells the engine its UTC offsets: digest.py). `quiet_devices` names the
devices (their local device ids) that never show the digest, so a device added later notifies.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import time
from typing import Any

from .errors import CodecError

DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
DAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
MAX_QUIETDEVICE_IDS = 50
_TIME = re.compile(r"([01]\d|2[0-3]):([0-5]\d)")
DEVICE_ID = re.compile(r"[A-Za-z0-9_-]{1,64}")


@dataclass(frozen=True, slots=True, kw_only=True)
class Reminders:
    # Off until the user turns it on: that tap is when the browser asks for permission.
    enabled: bool = False
    at: time = time(8, 30)
    days: frozenset[int] = frozenset(range(7))  # Monday is 0, as `date.weekday()`
    quiet_devices: tuple[str, ...] = ()

    def notifies(self, device: str | None) -> bool:
        """Whether a device shows the digest: reminders on and the device not quiet."""
        return self.enabled and (device is None or device not in self.quiet_devices)


DEFAULT_REMINDERS = Reminders()


def decode_reminders(raw: object, field: str) -> Reminders:
    if not isinstance(raw, Mapping):
        raise CodecError("wrong-type", "This should be an object.", field)
    for key in raw:
        if key not in ("enabled", "time", "days", "quiet_devices"):
            raise CodecError("unknown-field", f"'{key}' is not a setting here.", f"{field}.{key}")
    base = DEFAULT_REMINDERS
    enabled = raw.get("enabled", base.enabled)
    if not isinstance(enabled, bool):
        raise CodecError("wrong-type", "This should be true or false.", f"{field}.enabled")
    return Reminders(
        enabled=enabled,
        at=_time(raw["time"], f"{field}.time") if "time" in raw else base.at,
        days=_days(raw["days"], f"{field}.days") if "days" in raw else base.days,
        quiet_devices=(
            _devices(raw["quiet_devices"], f"{field}.quiet_devices")
            if "quiet_devices" in raw
            else base.quiet_devices
        ),
    )


def encode_reminders(r: Reminders) -> dict[str, Any]:
    return {
        "enabled": r.enabled,
        "time": r.at.strftime("%H:%M"),
        "days": [DAYS[d] for d in sorted(r.days)],
        "quiet_devices": list(r.quiet_devices),
    }


def _time(value: object, field: str) -> time:
    match = _TIME.fullmatch(value) if isinstance(value, str) else None
    if match is None:
        raise CodecError("bad-time", "This should be a time of day, like 08:30.", field)
    return time(int(match[1]), int(match[2]))


def _days(value: object, field: str) -> frozenset[int]:
    if not isinstance(value, list):
        raise CodecError("wrong-type", 'This should be a list of days, like ["mon"].', field)
    days: set[int] = set()
    for i, day in enumerate(value):
        if day not in DAYS:
            raise CodecError(
                "unknown-value", f"'{day}' is not a day; use {', '.join(DAYS)}.", f"{field}[{i}]"
            )
        days.add(DAYS.index(day))
    return frozenset(days)


def _devices(value: object, field: str) -> tuple[str, ...]:
    if not isinstance(value, list):
        raise CodecError("wrong-type", "This should be a list of device ids.", field)
    if len(value) > MAX_QUIETDEVICE_IDS:
        raise CodecError(
            "too-many", f"At most {MAX_QUIETDEVICE_IDS} devices can be kept quiet.", field
        )
    found: list[str] = []
    for i, device in enumerate(value):
        if not isinstance(device, str) or DEVICE_ID.fullmatch(device) is None:
            raise CodecError("bad-id", "This is not a device id.", f"{field}[{i}]")
        if device not in found:
            found.append(device)
    return tuple(found)
