"""The morning digest: what will be due at each of the next mornings, in words, so that a
service worker (or a push sent by the sync server) can say it without running the engine.

Op `schedule` `{now, today, days?: 14, offsets?: [minutes], device?: id}`. For each coming
morning on a reminder day, the digest is Today computed at that morning's notification time:
the follow-ups overdue or due then (Today's `overdue + due`), in Today's order. Mornings with
nothing due are left out: the user is never told "nothing to do". Follow-ups change only when
the data changes or time passes, so for unchanged data each entry stays exact; the shell writes
a new schedule after every change.

Time zone: the engine has no clock and no zone database. `offsets[i]` is the device's UTC
offset, in minutes east of UTC (JavaScript's `-new Date(y, m, d + i, 12).getTimezoneOffset()`),
on the i-th day from `today`; a shorter list repeats its last value, and none means UTC. So a
digest at 08:30 stays at 08:30 across a daylight-saving change.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any

from .bundle import bundled_agenda, part_label
from .catalog import RULES as RULE_WORDS
from .errors import CodecError
from .fields import Fields, iso, parse_day, parse_instant
from .model import FollowUp, first_name
from .reminder_settings import DEVICE_ID, Reminders
from .settings import Rule
from .state import State

DEFAULT_DAYS = 14
MAX_DAYS = 28
MAX_OFFSET = 14 * 60
TAG = "followthrough-digest"
# The body names this many follow-ups, then says how many more.
TOP = 2
# A morning lists at most this many items (the service worker's notification actions go through
# them in order); `count` is always the whole count. Keeps the stored schedule small.
MAX_ITEMS = 20
# The words a digest is made of, for whoever rebuilds one after acting on an item (the service
# worker drops the items the user settled from the notification and joins the rest).
WORDS: Mapping[str, Any] = {
    "title_one": "1 follow-up due today",
    "title_other": "{count} follow-ups due today",
    "more": "{count} more",
    "join": " · ",
    "top": TOP,
}

Answer = tuple[State, dict[str, Any]]


@dataclass(frozen=True, slots=True, kw_only=True)
class Morning:
    day: date
    at: datetime  # the notification's instant (UTC)
    offset: timedelta  # the device's UTC offset that day
    snooze_until: datetime  # the next morning's notification instant: "Snooze to tomorrow"


def mornings(
    r: Reminders, now: datetime, today: date, days: int, offsets: Sequence[int]
) -> list[Morning]:
    """The reminder days among the `days` from `today`, each with its notification instant."""

    def instant(day: date, i: int) -> tuple[datetime, timedelta]:
        offset = timedelta(minutes=offsets[min(i, len(offsets) - 1)] if offsets else 0)
        return datetime.combine(day, r.at, UTC) - offset, offset

    found = []
    for i in range(days):
        day = today + timedelta(days=i)
        if day.weekday() not in r.days:
            continue
        at, offset = instant(day, i)
        until, _ = instant(day + timedelta(days=1), i + 1)
        found.append(Morning(day=day, at=at, offset=offset, snooze_until=until))
    return found


def due_at(state: State, m: Morning, now: datetime) -> tuple[int, list[FollowUp]]:
    """How many follow-ups Today counts as overdue or due at that morning, and the first of them.
    A morning whose time has passed (today's, shown late) is computed at `now`."""
    result = bundled_agenda(state, max(m.at, now), m.day)
    count = result.counts.overdue + result.counts.due
    return count, list(result.followups[: min(count, MAX_ITEMS)])


def digest(state: State, m: Morning, now: datetime) -> dict[str, Any] | None:
    count, items = due_at(state, m, now)
    if count == 0:
        return None
    lines = [_line(state, f, m) for f in items]
    first = items[0].key if items else ""
    title, body = compose(count, lines)
    return {
        "date": m.day.isoformat(),
        "at": iso(m.at),
        "count": count,
        "title": title,
        "body": body,
        "url": deep_link(first),
        "tag": TAG,
        "snooze_until": iso(m.snooze_until),
        "items": [
            {"key": f.key, "who": f.who, "why": f.why, "line": line, "url": deep_link(f.key)}
            for f, line in zip(items, lines, strict=True)
        ],
    }


def compose(count: int, lines: Sequence[str]) -> tuple[str, str]:
    """The title (the count) and the body (the first items, then how many more), from WORDS."""
    title = WORDS["title_one"] if count == 1 else WORDS["title_other"].format(count=count)
    shown = list(lines[:TOP])
    if count > len(shown):
        shown.append(WORDS["more"].format(count=count - len(shown)))
    return title, WORDS["join"].join(shown)


def deep_link(key: str) -> str:
    """The app opened on this follow-up's draft (app.js routes `#/today/<key>`)."""
    return f"./#/today/{_encode(key)}" if key else "./#today"


_SAFE = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.~")


def _encode(text: str) -> str:
    """`encodeURIComponent`, for the few characters a key may hold (":" between its parts)."""
    return "".join(c if c in _SAFE else "".join(f"%{b:02X}" for b in c.encode()) for c in text)


# What to do, by rule, in a few words: "Thank Sam Okafor". A rule not listed (a newer one) says
# "<who>: <label>" with the catalog's label.
_SAY: Mapping[str, Callable[[str], str]] = {
    Rule.REACH_OUT: lambda who: f"Reach out to {who}",
    Rule.THANK_YOU: lambda who: f"Thank {who}",
    Rule.MET_AT_EVENT: lambda who: f"Follow up with {who}",
    Rule.REJECTION_THANKS: lambda who: f"Thank {who} anyway",
    Rule.CLOSE_LOOP: lambda who: f"Tell {who} how it went",
    Rule.CLOSE_LOOP_OUTCOME: lambda who: f"Tell {who} how it ended",
    Rule.ACT_ON_ADVICE: lambda who: f"Act on {who}'s advice",
    Rule.REPORT_BACK: lambda who: f"Report back to {who}",
    Rule.PROMISE: lambda who: f"Keep your promise to {who}",
    Rule.GRATITUDE: lambda who: f"Thank {who}",
    Rule.COURTESY_NOTE: lambda who: f"Send {who} a courtesy note",
    Rule.KEEP_IN_TOUCH: lambda who: f"Keep in touch with {who}",
}


def _line(state: State, f: FollowUp, m: Morning) -> str:
    """ "Reach out to Wei Chen: Ana's referral, due 10:00"; a bundle: "Write to Ana Alves: thanks,
    Wei's introduction, news"."""
    if f.parts:
        parts = list(dict.fromkeys(part_label(state, part) for part in f.parts))
        return f"Write to {f.who}: {', '.join(parts)}"
    say = _SAY.get(f.rule)
    if say is None:
        words = RULE_WORDS.get(Rule(f.rule)) if f.rule in Rule._value2member_map_ else None
        text = f"{f.who}: {words.label if words else f.rule}"
    else:
        text = say(f.who)
    intro_id = f.refs.introduction_id
    if f.rule == Rule.REACH_OUT and intro_id is not None and intro_id in state.introductions:
        introducer = state.name(state.introductions[intro_id].introducer_id)
        if first_name(introducer):
            text += f": {first_name(introducer)}'s referral"
    if f.rule == Rule.KEEP_IN_TOUCH:
        return text
    if f.overdue:
        return f"{text}, overdue"
    if f.due_date is None:
        local = f.due + m.offset
        when = local.strftime("%H:%M")
        return f"{text}, due {when}" if local.date() == m.day else f"{text}, due tomorrow {when}"
    return text


def _schedule(state: State, f: Fields) -> Answer:
    now = parse_instant(f.value("now"), "now")
    today = parse_day(f.value("today"), "today")
    days = f.integer("days", 1, MAX_DAYS) or DEFAULT_DAYS
    offsets = _offsets(f.raw.get("offsets", []))
    device = f.raw.get("device")
    if device is not None and (not isinstance(device, str) or not DEVICE_ID.fullmatch(device)):
        raise CodecError("bad-id", "This is not a device id.", "device")
    r = state.settings.reminders
    notifies = r.notifies(device)
    found = []
    if notifies:
        for m in mornings(r, now, today, days, offsets):
            entry = digest(state, m, now)
            if entry is not None:
                found.append(entry)
    return state, {
        "notifies": notifies,
        "time": r.at.strftime("%H:%M"),
        "computed_at": iso(now),
        "mornings": found,
        "words": dict(WORDS),
    }


def _offsets(raw: object) -> list[int]:
    if not isinstance(raw, list) or len(raw) > MAX_DAYS + 1:
        raise CodecError(
            "wrong-type", f"This should be a list of at most {MAX_DAYS + 1} offsets.", "offsets"
        )
    for i, value in enumerate(raw):
        if isinstance(value, bool) or not isinstance(value, int) or abs(value) > MAX_OFFSET:
            raise CodecError(
                "out-of-range",
                f"A UTC offset is a whole number of minutes between -{MAX_OFFSET} and "
                f"{MAX_OFFSET}.",
                f"offsets[{i}]",
            )
    return list(raw)


DIGEST_OPS: Mapping[str, tuple[tuple[str, ...], Callable[[State, Fields], Answer]]] = {
    "schedule": (("now", "today", "days", "offsets", "device"), _schedule),
}
