"""Follow-ups as an iCalendar file (RFC 5545): one event per follow-up at its due time, the
draft's opening line in the description, and an alarm, so the phone's own calendar reminds the
user with no server involved. Written by hand (see lines.py); tests read it with icalendar.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime, timedelta

from followup.drafts import draft
from followup.model import FollowUp
from followup.settings import Rule
from followup.state import State

from .lines import content_line, escape

PRODID = "-//Followthrough//Follow-ups//EN"
UID_DOMAIN = "followthrough.invalid"
# Timed follow-ups are due *by* a time: the alarm comes an hour before. All-day ones (a promise
# due on a day) ring at 9:00 that morning, in the phone's own time zone.
ALARM_BEFORE = timedelta(hours=1)
ALL_DAY_ALARM = timedelta(hours=9)
DURATION = timedelta(minutes=15)
_TITLES = {
    Rule.REACH_OUT: "Reach out to {who}",
    Rule.THANK_YOU: "Thank {who}",
    Rule.MET_AT_EVENT: "Follow up with {who}",
    Rule.REJECTION_THANKS: "Thank {who} anyway",
    Rule.CLOSE_LOOP: "Update {who}",
    Rule.CLOSE_LOOP_OUTCOME: "Tell {who} how it ended",
    Rule.ACT_ON_ADVICE: "Act on {who}'s advice",
    Rule.REPORT_BACK: "Tell {who} you followed their advice",
    Rule.PROMISE: "Keep your promise to {who}",
    Rule.GRATITUDE: "Thank {who}",
    Rule.COURTESY_NOTE: "Tell {who} you accepted another offer",
    Rule.KEEP_IN_TOUCH: "Keep in touch with {who}",
}


def title(followup: FollowUp) -> str:
    """A calendar-sized summary: what to do, and for whom."""
    pattern = _TITLES.get(Rule(followup.rule), "Follow up with {who}")
    return pattern.format(who=followup.who)


def opening_line(body: str) -> str:
    """The draft's first line that says something: a bare greeting ("Hi Maria,") is skipped."""
    lines = [line.strip() for line in body.splitlines() if line.strip()]
    for line in lines:
        if not (line.endswith(",") and len(line) <= 40):
            return line
    return lines[0] if lines else ""


def write_ics(state: State, followups: Iterable[FollowUp], now: datetime) -> str:
    """One VEVENT per follow-up, keyed by its stable key so that exporting again updates the
    same calendar entries. One already overdue is put at the next quarter hour, or its alarm
    would never ring."""
    stamp = now.astimezone(UTC).replace(microsecond=0)
    out = [
        "BEGIN:VCALENDAR\r\n",
        "VERSION:2.0\r\n",
        content_line("PRODID", PRODID),
        "CALSCALE:GREGORIAN\r\n",
        "METHOD:PUBLISH\r\n",
    ]
    for followup in followups:
        summary = title(followup)
        lines = [followup.why]
        out += ["BEGIN:VEVENT\r\n", content_line("UID", escape(f"{followup.key}@{UID_DOMAIN}"))]
        out.append(f"DTSTAMP:{_utc(stamp)}\r\n")
        if followup.due_date is not None:
            out.append(f"DTSTART;VALUE=DATE:{followup.due_date:%Y%m%d}\r\n")
            trigger = ALL_DAY_ALARM
        else:
            start = followup.due.astimezone(UTC).replace(second=0, microsecond=0)
            if start < stamp:
                lines.append(f"It was due {start:%d %b %Y at %H:%M} UTC.")
                start = _next_quarter(stamp)
            out.append(f"DTSTART:{_utc(start)}\r\n")
            out.append(f"DURATION:{_duration(DURATION)}\r\n")
            trigger = -ALARM_BEFORE if start - ALARM_BEFORE > stamp else timedelta(0)
        opening = opening_line(draft(state, followup, now).body)
        if opening:
            lines.append(f"Draft: {opening}")
        out += [
            content_line("SUMMARY", escape(summary)),
            content_line("DESCRIPTION", escape("\n\n".join(lines))),
            "CATEGORIES:Followthrough\r\n",
            "BEGIN:VALARM\r\n",
            "ACTION:DISPLAY\r\n",
            content_line("DESCRIPTION", escape(summary)),
            f"TRIGGER:{_duration(trigger)}\r\n",
            "END:VALARM\r\n",
            "END:VEVENT\r\n",
        ]
    out.append("END:VCALENDAR\r\n")
    return "".join(out)


def _utc(moment: datetime) -> str:
    return f"{moment.astimezone(UTC):%Y%m%dT%H%M%SZ}"


def _duration(span: timedelta) -> str:
    """RFC 5545 DURATION: -PT1H, PT9H, PT15M, PT0S."""
    seconds = int(span.total_seconds())
    sign, seconds = ("-", -seconds) if seconds < 0 else ("", seconds)
    hours, rest = divmod(seconds, 3600)
    minutes, seconds = divmod(rest, 60)
    parts = (f"{hours}H" if hours else "") + (f"{minutes}M" if minutes else "")
    parts += f"{seconds}S" if seconds or not parts else ""
    return f"{sign}PT{parts}"


def _next_quarter(moment: datetime) -> datetime:
    return moment.replace(second=0) + timedelta(minutes=15 - moment.minute % 15)
