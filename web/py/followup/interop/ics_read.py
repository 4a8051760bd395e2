"""Calendar files read (RFC 5545: Google Calendar's export or any calendar's `.ics`): each
event that has happened, with its attendees' addresses, as a meeting. (ics.py writes them.)

Only UID, DTSTART, SUMMARY, ORGANIZER, ATTENDEE, STATUS, RRULE, RDATE, EXDATE and
RECURRENCE-ID are read; descriptions, locations and notes are skipped.

Time zones: a TZID is looked up as an IANA name (the standard library's zoneinfo, else the
zone table python-dateutil ships, which works in the browser where zoneinfo has no data), else
in the file's own VTIMEZONE; a time with neither is taken as UTC. Recurring events are expanded
only over a bounded past window (`since` to `until`), at most `MAX_OCCURRENCES` per event.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from typing import Any

MAX_OCCURRENCES = 500
SUMMARY_MAX = 300
_PARAM = re.compile(r';([A-Za-z0-9-]+)=("[^"]*"|[^;:]*)')


@dataclass(frozen=True, slots=True, kw_only=True)
class Meeting:
    uid: str
    start: datetime  # UTC
    summary: str
    attendees: tuple[str, ...]  # addresses, lower-cased; declined ones left out
    organizer: str = ""

    @property
    def source_id(self) -> str:
        return f"{self.uid}|{self.start.strftime('%Y%m%dT%H%M%SZ')}"


@dataclass(frozen=True, slots=True)
class _Line:
    name: str
    params: dict[str, str]
    value: str


def _lines(text: str) -> Iterator[_Line]:
    unfolded = re.sub(r"\r?\n[ \t]", "", text)
    for raw in unfolded.splitlines():
        if not raw.strip():
            continue
        # The value starts at the first colon outside a quoted parameter.
        head_end, quoted = -1, False
        for i, ch in enumerate(raw):
            if ch == '"':
                quoted = not quoted
            elif ch == ":" and not quoted:
                head_end = i
                break
        if head_end < 0:
            continue
        head, value = raw[:head_end], raw[head_end + 1 :]
        name, _, _ = head.partition(";")
        params = {k.upper(): v.strip('"') for k, v in _PARAM.findall(head[len(name) :])}
        yield _Line(name.strip().upper(), params, value)


def _unescape(value: str) -> str:
    out = value.replace("\\n", " ").replace("\\N", " ").replace("\\,", ",").replace("\\;", ";")
    return " ".join(out.replace("\\\\", "\\").split())


def _address(value: str) -> str:
    value = value.strip()
    if value.lower().startswith("mailto:"):
        value = value[7:]
    return value.strip().lower() if "@" in value else ""


# --- Time zones ---------------------------------------------------------------------------------


_IANA: dict[str, tzinfo | None] = {}


def _iana(name: str) -> tzinfo | None:
    if name not in _IANA:
        _IANA[name] = _lookup(name)
    return _IANA[name]


def _lookup(name: str) -> tzinfo | None:
    try:
        from zoneinfo import ZoneInfo

        return ZoneInfo(name)
    except (ImportError, ValueError, OSError, KeyError):
        pass
    try:
        from dateutil.zoneinfo import get_zonefile_instance  # type: ignore[import-untyped]

        found: tzinfo | None = get_zonefile_instance().get(name)
        return found
    except (ImportError, OSError, ValueError):
        return None


class _Zones:
    def __init__(self, vtimezones: list[str]) -> None:
        self.own: dict[str, tzinfo] = {}
        if vtimezones:
            try:
                from io import StringIO

                from dateutil.tz import tzical  # type: ignore[import-untyped]

                cal = tzical(StringIO("\n".join(vtimezones)))
                for key in cal.keys():  # noqa: SIM118 (a tzical, not a dict)
                    self.own[key] = cal.get(key)
            except (ImportError, ValueError, TypeError, IndexError, KeyError):
                pass

    def get(self, name: str) -> tzinfo:
        name = name.strip()
        if not name:
            return UTC
        found = _iana(name.lstrip("/")) or self.own.get(name)
        return found or UTC


def _when(line: _Line, zones: _Zones) -> datetime | None:
    value = line.value.strip()
    try:
        if line.params.get("VALUE", "").upper() == "DATE" or len(value) == 8:
            day = date(int(value[:4]), int(value[4:6]), int(value[6:8]))
            return datetime.combine(day, time(12), UTC)  # an all-day event: its midday
        at = datetime.strptime(value[:15], "%Y%m%dT%H%M%S")  # noqa: DTZ007 (zoned below)
    except ValueError:
        return None
    if value.endswith("Z"):
        return at.replace(tzinfo=UTC)
    zone = zones.get(line.params.get("TZID", ""))
    try:
        return at.replace(tzinfo=zone).astimezone(UTC)
    except (OverflowError, ValueError):
        return None


def _many(line: _Line, zones: _Zones) -> list[datetime]:
    out = []
    for part in line.value.split(","):
        found = _when(_Line(line.name, line.params, part), zones)
        if found:
            out.append(found)
    return out


# --- Events -------------------------------------------------------------------------------------


def _blocks(text: str) -> tuple[list[list[_Line]], list[str]]:
    events: list[list[_Line]] = []
    vtimezones: list[str] = []
    current: list[_Line] | None = None
    tz_lines: list[str] | None = None
    depth = 0
    for line in _lines(text):
        if line.name == "BEGIN" and line.value.upper() == "VTIMEZONE":
            tz_lines = []
        if tz_lines is not None:
            params = "".join(f";{k}={v}" for k, v in line.params.items())
            tz_lines.append(f"{line.name}{params}:{line.value}")
            if line.name == "END" and line.value.upper() == "VTIMEZONE":
                vtimezones.append("\n".join(tz_lines))
                tz_lines = None
            continue
        if line.name == "BEGIN" and line.value.upper() == "VEVENT":
            current, depth = [], 0
            continue
        if current is None:
            continue
        if line.name == "BEGIN":
            depth += 1  # an alarm inside the event: skipped
        elif line.name == "END" and depth:
            depth -= 1
        elif line.name == "END" and line.value.upper() == "VEVENT":
            events.append(current)
            current = None
        elif not depth:
            current.append(line)
    return events, vtimezones


def read_ics(text: str, *, since: datetime, until: datetime) -> list[Meeting]:
    """The meetings of a calendar file that took place between `since` and `until` (a
    one-off event before `since` counts too: it is history; a recurring one is expanded only
    inside the window)."""
    if "BEGIN:VCALENDAR" not in text.upper()[:2000]:
        from .contact import BadFile

        raise BadFile(
            "not-ics", "This is not a calendar file: it does not start with BEGIN:VCALENDAR."
        )
    blocks, vtimezones = _blocks(text)
    zones = _Zones(vtimezones)
    moved: set[tuple[str, datetime]] = set()
    parsed: list[dict[str, Any]] = []
    for block in blocks:
        ev: dict[str, Any] = {"attendees": [], "rdate": [], "exdate": []}
        for line in block:
            if line.name == "UID":
                ev["uid"] = line.value.strip()
            elif line.name == "DTSTART":
                ev["start"] = _when(line, zones)
                ev["start_line"] = line
            elif line.name == "SUMMARY":
                ev["summary"] = _unescape(line.value)[:SUMMARY_MAX]
            elif line.name == "STATUS":
                ev["status"] = line.value.strip().upper()
            elif line.name == "ORGANIZER":
                ev["organizer"] = _address(line.value)
            elif line.name == "ATTENDEE":
                if line.params.get("PARTSTAT", "").upper() != "DECLINED":
                    ev["attendees"].append(_address(line.value))
            elif line.name == "RRULE":
                ev["rrule"] = line.value.strip()
            elif line.name == "RDATE":
                ev["rdate"].extend(_many(line, zones))
            elif line.name == "EXDATE":
                ev["exdate"].extend(_many(line, zones))
            elif line.name == "RECURRENCE-ID":
                ev["recurrence_id"] = _when(line, zones)
        if not ev.get("uid") or not ev.get("start") or ev.get("status") == "CANCELLED":
            if ev.get("uid") and ev.get("recurrence_id"):
                moved.add((ev["uid"], ev["recurrence_id"]))
            continue
        if ev.get("recurrence_id"):
            moved.add((ev["uid"], ev["recurrence_id"]))
        parsed.append(ev)
    out: dict[str, Meeting] = {}
    for ev in parsed:
        for start in _occurrences(ev, zones, since, until):
            if not ev.get("recurrence_id") and (ev["uid"], start) in moved:
                continue
            attendees = tuple(dict.fromkeys(a for a in ev["attendees"] if a))
            meeting = Meeting(
                uid=ev["uid"],
                start=start,
                summary=ev.get("summary", ""),
                attendees=attendees,
                organizer=ev.get("organizer", ""),
            )
            out[meeting.source_id] = meeting
    return sorted(out.values(), key=lambda m: (m.start, m.uid))


def _occurrences(
    ev: dict[str, Any], zones: _Zones, since: datetime, until: datetime
) -> list[datetime]:
    start: datetime = ev["start"]
    if not ev.get("rrule") and not ev["rdate"]:
        return [start] if start <= until else []
    found: set[datetime] = {d for d in ev["rdate"] if since <= d <= until}
    if ev.get("rrule"):
        from dateutil.rrule import rrulestr  # type: ignore[import-untyped]

        line: _Line = ev["start_line"]
        local = start
        if not line.value.strip().endswith("Z") and "TZID" in line.params:
            local = start.astimezone(zones.get(line.params["TZID"]))
        try:
            rule = rrulestr(_until_utc(ev["rrule"]), dtstart=local, ignoretz=False)
            for n, at in enumerate(rule.xafter(since - timedelta(seconds=1), inc=True)):
                if at > until or n >= MAX_OCCURRENCES:
                    break
                found.add(at.astimezone(UTC))
        except (ValueError, TypeError, OverflowError):
            if since <= start <= until:
                found.add(start)
    excluded = set(ev["exdate"])
    return sorted(d for d in found if d not in excluded)


def _until_utc(rule: str) -> str:
    """UNTIL as dateutil wants it beside a zoned start: in UTC (a bare day: its last second)."""

    def fix(m: re.Match[str]) -> str:
        value = m.group(1)
        if len(value) == 8:
            return f"UNTIL={value}T235959Z"
        return f"UNTIL={value}" if value.endswith("Z") else f"UNTIL={value}Z"

    return re.sub(r"UNTIL=([0-9TZ]+)", fix, rule, flags=re.I)
