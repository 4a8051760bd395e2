"""Mail and calendar imports: an mbox read as a stream (`mbox_begin`, `mbox_feed`, `mbox_end`),
a single `.eml`, an `.ics`; previewed and committed through `import_preview`/`import_commit`
(transfer.py hands formats "mbox", "eml" and "ics" here), so each import is one undoable batch.

An mbox session lives in this module between calls, outside the state: it holds the headers of
the messages that involve someone you know, never a body. `mbox_end` with `cancel` (or a
commit, or a newer session) drops it, and nothing of it is kept.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any

from .errors import CodecError, NotFoundError
from .fields import Fields, parse_instant
from .interop.contact import BadFile, check_size
from .interop.mail_history import (
    Built,
    MailBox,
    addresses_of,
    candidates,
    from_mail,
    from_meetings,
    guess_own,
)
from .model import Interaction
from .state import State, apply

if TYPE_CHECKING:
    from .interop.mbox import MboxReader

# The mail and calendar readers (the `email` package, dateutil's rules and zones) are imported
# when a file is read, not at boot: most sessions never read one.

Answer = tuple[State, dict[str, Any]]
HISTORY_FORMATS = ("mbox", "eml", "ics")
# How far back a recurring meeting is expanded (a one-off meeting of any age counts).
CALENDAR_PAST = timedelta(days=365)
# Sessions open at once: a newer one lets the oldest go.
MAX_SESSIONS = 2
# A chunk larger than this is refused (the worker sends 4 MB).
MAX_CHUNK = 16_000_000

READS = {
    "mbox": "Only each message's sender, recipients, date, subject and message ids. "
    "Message bodies are skipped unread.",
    "eml": "Only the message's sender, recipients, date, subject and message ids. "
    "The body is skipped unread.",
    "ics": "Only each event's title, time, organizer and attendees. Descriptions, places "
    "and notes are skipped.",
}
KEEPS = {
    "mbox": "For each message to or from someone you know: who, when, the subject and the "
    "thread. Nothing about anyone else.",
    "eml": "Who, when, the subject and the thread, if it is to or from someone you know.",
    "ics": "For each past meeting with someone you know: who, when and its title.",
}
FIRST_LINE = "With “Keep the first line” on, the first line of each message is kept too."
PRIVACY = (
    "The file is read here, on this device. Nothing leaves it, except through your own "
    "encrypted sync if you turned it on."
)


@dataclass(slots=True)
class Session:
    reader: MboxReader
    box: MailBox
    done: bool = False


_sessions: dict[str, Session] = {}
_counter = [0]


def _session(f: Fields) -> tuple[str, Session]:
    key = f.line("session")
    found = _sessions.get(key)
    if found is None:
        raise NotFoundError(
            "unknown-session",
            "This mail import was cancelled or has ended: choose the file again.",
            "session",
        )
    return key, found


def _begin(state: State, f: Fields) -> Answer:
    _counter[0] += 1
    key = f"mbox-{_counter[0]}"
    while len(_sessions) >= MAX_SESSIONS:
        _sessions.pop(next(iter(_sessions)))
    keep = bool(f.raw.get("first_line", False))
    from .interop.mbox import MboxReader

    _sessions[key] = Session(MboxReader(keep_first_line=keep), MailBox(addresses_of(state)))
    return state, {"session": key}


def _feed(state: State, f: Fields) -> Answer:
    key, session = _session(f)
    chunk = f.blob("chunk")
    if len(chunk) > MAX_CHUNK:
        raise CodecError("too-long", "A chunk is at most 16 MB.", "chunk")
    if session.done:
        raise CodecError("ended", "This mail import has already been read to its end.", "session")
    session.box.add(session.reader.feed(chunk))
    if session.reader.not_mbox:
        _sessions.pop(key, None)
        raise BadFile(
            "not-mbox",
            "This is not an mbox file: it does not start with a “From ” line. "
            "For a single message, choose its .eml file.",
        )
    if f.raw.get("last"):
        session.box.add(session.reader.end())
        session.done = True
    read, matched = session.box.read, len(session.box.mails)
    done, total = f.raw.get("done"), f.raw.get("total")
    where = (
        f"Read {_size(done)} of {_size(total)}: "
        if isinstance(done, int) and isinstance(total, int)
        else "Read "
    )
    people = "someone you know" if matched == 1 else "people you know"
    words = f"{where}{read:,} message{'' if read == 1 else 's'}, {matched:,} with {people}."
    return state, {"messages": read, "matched": matched, "words": words}


def _size(n: int) -> str:
    if n < 1_000_000:
        return f"{max(n, 0) / 1000:.0f} KB"
    if n < 1_000_000_000:
        return f"{n / 1_000_000:.0f} MB"
    return f"{n / 1_000_000_000:.1f} GB"


def _end(state: State, f: Fields) -> Answer:
    """Cancel (or let go of) a session: nothing it read is kept."""
    key = f.line("session")
    _sessions.pop(key, None)
    return state, {"ended": key}


# --- Preview and commit (through transfer.py) --------------------------------------------------


def _now(f: Fields) -> datetime:
    return parse_instant(f.raw["now"], "now") if f.has("now") else datetime(2000, 1, 1, tzinfo=UTC)


def _build(state: State, f: Fields) -> tuple[str, Built, dict[str, Any]]:
    fmt = f.text("format")
    now = _now(f)
    keep = bool(f.raw.get("first_line", False))
    extra: dict[str, Any] = {}
    if fmt == "ics":
        text = check_size(f.blob("text"))
        from .interop.ics_read import read_ics

        meetings = read_ics(text, since=now - CALENDAR_PAST, until=now)
        return fmt, from_meetings(state, meetings, now), extra
    if fmt == "eml":
        text = check_size(f.blob("text"))
        from .interop.mbox import read_eml

        mail = read_eml(text, keep_first_line=keep)
        if mail is None:
            raise BadFile("not-eml", "This message has no sender (From): it is not an .eml file.")
        box = MailBox(addresses_of(state))
        box.add([mail])
    else:
        _, session = _session(f)
        if not session.done:
            raise CodecError(
                "not-ended", "The mail file has not been read to its end yet.", "session"
            )
        box = session.box
    given = f.raw.get("own")
    own = [str(a) for a in given] if isinstance(given, list) else guess_own(state, box)
    extra = {"own": own, "own_candidates": candidates(box), "messages": box.read}
    return fmt, from_mail(box, own, now, keep_first_line=keep), extra


def _counts(state: State, built: Built) -> dict[str, int]:
    new = [i for i in built.interactions if i.id not in state.interactions]
    return {
        "records_added": len(new),
        "already": len(built.interactions) - len(new),
        "sent": built.sent,
        "received": built.received,
        "meetings": built.meetings,
        "undated": built.undated,
        "others": built.others,
        "people": built.people,
    }


def _words(fmt: str, counts: Mapping[str, int]) -> str:
    n, already = counts["records_added"], counts["already"]
    what = "meeting" if fmt == "ics" else "message"
    plural = "" if n == 1 else "s"
    people = counts["people"]
    whom = "1 person you know" if people == 1 else f"{people:,} people you know"
    text = f"{n:,} {what}{plural} with {whom} will be added."
    if already:
        text += f" {already:,} already here will be left as they are."
    if counts["undated"]:
        text += f" {counts['undated']:,} without a date are skipped."
    return text


def history_preview(state: State, f: Fields) -> Answer:
    fmt, built, extra = _build(state, f)
    counts = _counts(state, built)
    return state, {
        "format": fmt,
        "history": True,
        **extra,
        "counts": counts,
        "new": counts["records_added"],
        "words": _words(fmt, counts),
        "reads": READS[fmt],
        "keeps": KEEPS[fmt] + ("" if fmt == "ics" else " " + FIRST_LINE),
        "privacy": PRIVACY,
        "rows": [],
        "merges": [],
    }


def history_commit(state: State, f: Fields) -> Answer:
    from .transfer import _encoded  # the import path's encoding of records

    if not f.has("now"):
        raise CodecError("missing-field", "'now' is required.", "now")
    fmt, built, _ = _build(state, f)
    counts = _counts(state, built)
    new: list[Interaction] = [i for i in built.interactions if i.id not in state.interactions]
    file = f.raw.get("file")
    source = f" from {file}" if isinstance(file, str) and file else ""
    what = "meeting" if fmt == "ics" else "message"
    label = f"Imported {len(new):,} {what}{'' if len(new) == 1 else 's'}{source}"
    return apply(state, new), {
        "put": _encoded(new),
        "delete": {},
        "created": [],
        "updated": [],
        "counts": counts,
        "label": label,
    }


def _route(state: State, f: Fields) -> Answer:
    """Which history format a chosen file is, from its name and first bytes, and whether the
    worker streams it (an mbox, of any size) or passes it whole (.eml, .ics); `format` is ""
    for a file that is neither (it goes to the contacts import)."""
    name = f.line("name").lower()
    head = f.blob("head")[:8000]
    top = head.lstrip("\ufeff\r\n ")
    fmt = ""
    if name.endswith((".ics", ".ical", ".ifb")) or top.upper().startswith("BEGIN:VCALENDAR"):
        fmt = "ics"
    elif name.endswith((".mbox", ".mbx")) or (top.startswith("From ") and "\nFrom:" in head):
        fmt = "mbox"
    elif name.endswith(".eml") or re.search(r"(?im)^(message-id|received|from):", top[:4000]):
        fmt = "eml" if not top.upper().startswith("BEGIN:VCARD") else ""
    return state, {
        "format": fmt,
        "stream": fmt == "mbox",
        "first_line_choice": fmt in ("mbox", "eml"),
        "reads": READS.get(fmt, ""),
        "keeps": KEEPS.get(fmt, ""),
        "privacy": PRIVACY,
    }


MAIL_OPS: Mapping[str, tuple[tuple[str, ...], Callable[[State, Fields], Answer]]] = {
    "mail_route": (("name", "head"), _route),
    "mbox_begin": (("first_line",), _begin),
    "mbox_feed": (("session", "chunk", "last", "done", "total"), _feed),
    "mbox_end": (("session",), _end),
}
