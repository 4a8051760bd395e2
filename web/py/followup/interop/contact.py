"""A person as an imported file describes them, before matching; the problems found on the way;
and the limits and text rules every reader shares.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, datetime

from followup.addresses import (
    is_email as is_email,
)  # the importers read addresses as the engine does
from followup.bounds import (
    LINE_MAX,
    MAX_DAY,
    MAX_TIME,
    MIN_DAY,
    MIN_TIME,
    TEXT_MAX,
    URL_MAX,
    scrub_text,
)
from followup.errors import EngineError
from followup.model import IntroductionKind, IntroductionStatus

# A 20 MB file is thousands of contacts even with notes; beyond that it is almost surely not an
# address book (or it carries photos, which we drop anyway: export without them).
MAX_TEXT = 20_000_000
# Longer than any note a person types; a longer field is a broken or hostile file. Names and
# other short fields keep the engine's shorter limits (bounds.py).
MAX_FIELD = TEXT_MAX
MAX_PROBLEMS = 200


class BadFile(EngineError):
    """The whole file cannot be imported; the message names the problem and the line or row."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(code, message, "text")


@dataclass(frozen=True, slots=True, kw_only=True)
class EventRef:
    name: str
    date: date
    place: str = ""


@dataclass(frozen=True, slots=True, kw_only=True)
class IntroducedBy:
    """Who introduced this person, as the file names them: by the file's id for them (`uid`, a
    vCard UID) when it has one, else by name."""

    name: str
    uid: str = ""
    kind: IntroductionKind = IntroductionKind.INTRODUCTION
    at: datetime | None = None
    context: str = ""
    status: IntroductionStatus = IntroductionStatus.OFFERED
    status_at: datetime | None = None
    outcome: str = ""


@dataclass(frozen=True, slots=True, kw_only=True)
class Contact:
    """One card or row. `row` counts cards or data rows from 1; `line` is where it starts."""

    row: int
    line: int
    name: str
    given_name: str = ""
    call_them: str = ""
    organisation: str = ""
    role: str = ""
    emails: tuple[str, ...] = ()
    phones: tuple[str, ...] = ()
    urls: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()
    notes: str = ""
    how_met: str = ""
    cadence_days: int | None = None
    event: EventRef | None = None
    uid: str = ""
    introduced_by: tuple[IntroducedBy, ...] = ()
    warnings: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True, kw_only=True)
class Problem:
    """A card or row left out, and why."""

    row: int
    line: int
    message: str


@dataclass(frozen=True, slots=True, kw_only=True)
class Parsed:
    contacts: tuple[Contact, ...]
    problems: tuple[Problem, ...] = ()


def check_size(text: str) -> str:
    """The text without a byte-order mark; a file too large or not text is refused."""
    if len(text) > MAX_TEXT:
        raise BadFile(
            "too-large",
            f"This file is {len(text) / 1e6:.1f} million characters; the largest Followthrough "
            f"imports is {MAX_TEXT // 1_000_000} million. Export without photos, or in parts.",
        )
    text = text.removeprefix("\ufeff")
    nul = text.find("\x00")
    if nul >= 0:
        raise BadFile(
            "bad-encoding",
            f"Line {text.count(chr(10), 0, nul) + 1} holds a NUL character: the file is not text "
            "in the encoding it was read with (UTF-16 read as UTF-8?). Save it as UTF-8.",
        )
    return text


def unique(values: list[str]) -> tuple[str, ...]:
    """Non-empty values, stripped, first occurrence kept (case-insensitively for emails)."""
    seen: set[str] = set()
    out: list[str] = []
    for value in values:
        value = value.strip()
        key = value.casefold()
        if value and key not in seen:
            seen.add(key)
            out.append(value)
    return tuple(out)


def too_long(contact: Contact) -> str | None:
    """What is too long to keep, as "a name longer than Followthrough keeps (1,000
    characters)", if anything is: the limits of the records it becomes (bounds.py)."""
    event = contact.event
    fields = {
        "name": ([contact.name, contact.given_name, contact.call_them], LINE_MAX),
        "organisation": ([contact.organisation], LINE_MAX),
        "role": ([contact.role], LINE_MAX),
        "notes": ([contact.notes], TEXT_MAX),
        "how-met": ([contact.how_met], TEXT_MAX),
        "email": (list(contact.emails), LINE_MAX),
        "phone": (list(contact.phones), LINE_MAX),
        "URL": (list(contact.urls), URL_MAX),
        "tag": (list(contact.tags), LINE_MAX),
        "event": ([event.name, event.place] if event else [], LINE_MAX),
        "introducer's name": ([i.name for i in contact.introduced_by], LINE_MAX),
        "introduction": (
            [t for i in contact.introduced_by for t in (i.context, i.outcome)],
            TEXT_MAX,
        ),
    }
    for field, (values, limit) in fields.items():
        if any(len(v) > limit for v in values):
            return f"{field} longer than Followthrough keeps ({limit:,} characters)"
    return None


def scrubbed(contact: Contact) -> Contact:
    """The contact as the engine keeps it: text without control characters, broken characters
    shown as U+FFFD, in NFC (bounds.scrub_text); dates outside the engine's range left out."""
    s = scrub_text
    event = contact.event
    if event is not None:
        ok = MIN_DAY <= event.date <= MAX_DAY
        event = replace(event, name=s(event.name), place=s(event.place)) if ok else None
    return replace(
        contact,
        name=s(contact.name),
        given_name=s(contact.given_name),
        call_them=s(contact.call_them),
        organisation=s(contact.organisation),
        role=s(contact.role),
        emails=tuple(s(v) for v in contact.emails),
        phones=tuple(s(v) for v in contact.phones),
        urls=tuple(s(v) for v in contact.urls),
        tags=tuple(s(v) for v in contact.tags),
        notes=s(contact.notes),
        how_met=s(contact.how_met),
        event=event,
        introduced_by=tuple(
            replace(
                i,
                name=s(i.name),
                context=s(i.context),
                outcome=s(i.outcome),
                at=_in_range(i.at),
                status_at=_in_range(i.status_at),
            )
            for i in contact.introduced_by
        ),
    )


def _in_range(value: datetime | None) -> datetime | None:
    return value if value is None or MIN_TIME <= value <= MAX_TIME else None


def fallback_name(
    name: str, organisation: str, emails: tuple[str, ...], phones: tuple[str, ...]
) -> tuple[str, str | None]:
    """The name to file a person under, and a warning if it had to be made up: phones' own
    address books show the organisation, email or number when a card has no name."""
    if name.strip():
        return " ".join(name.split()), None
    for what, value in (("organisation", organisation), ("email", emails), ("phone", phones)):
        text = value if isinstance(value, str) else (value[0] if value else "")
        if text.strip():
            return text.strip(), f"It has no name, so it is filed under its {what}."
    return "", None
