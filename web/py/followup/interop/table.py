"""CSV in and out: reading rows with their line numbers (after any preamble), a generic CSV whose
columns the user maps to our fields, and the people CSV for spreadsheets.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date

from followup.model import Person, PersonId
from followup.state import State

from .contact import (
    MAX_PROBLEMS,
    BadFile,
    Contact,
    EventRef,
    IntroducedBy,
    Parsed,
    Problem,
    check_size,
    fallback_name,
    is_email,
    too_long,
    unique,
)

# What a column can be mapped to; "" leaves it out.
FIELDS = (
    "name", "first_name", "last_name", "organisation", "role", "email", "phone", "url", "notes",
    "tags", "how_met", "introduced_by", "event", "event_date",
)  # fmt: skip
NAME_FIELDS = frozenset({"name", "first_name", "last_name"})
_GUESSES: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (name, re.compile(pattern, re.IGNORECASE))
    for name, pattern in (
        ("first_name", r"^(first|given)[ _-]?name$|^first$|^prénom$"),
        ("last_name", r"^(last|family|sur)[ _-]?name$|^last$|^surname$|^nom$"),
        ("name", r"^(full |display |contact )?name$|^fn$"),
        ("organisation", r"^(company|organi[sz]ation|org|employer)( name)?$"),
        ("role", r"^(job )?title$|^position$|^role$|^occupation$"),
        ("email", r"e-?mail"),
        ("phone", r"phone|mobile|^tel|^cell"),
        ("url", r"^urls?$|web ?sites?|^web$|linkedin|profile"),
        ("notes", r"^notes?$|^comments?$"),
        ("tags", r"^(tags?|labels?|categor(y|ies)|groups?)$"),
        ("how_met", r"^how (we )?met$"),
        ("introduced_by", r"^(introduced|referred) by$|^introducer$"),
        ("event_date", r"^(event|met) date$"),
        ("event", r"^event$|^met at$"),
    )
)
_MULTI = re.compile(r"\r?\n| ::: ")
_LIST_EXTRA = re.compile(r"\r?\n| ::: |[;,]")
# A cell starting like a formula is run by spreadsheets: exported cells get a quote in front.
_FORMULA = re.compile(r"^(?:[=@\t\r]|[+-][^\d\s(.])")


@dataclass(frozen=True, slots=True, kw_only=True)
class Table:
    header: tuple[str, ...]
    header_line: int
    rows: tuple[tuple[int, tuple[str, ...]], ...]  # (line, cells), blank rows left out


def read_table(text: str, is_header: Callable[[Sequence[str]], bool] | None = None) -> Table:
    """Rows of a CSV with their starting lines. With `is_header`, rows before the first one it
    accepts are a preamble (LinkedIn starts with "Notes:" lines) and skipped."""
    text = check_size(text)
    if text.count('"') % 2:
        _unclosed_quote(text)
    reader = csv.reader(io.StringIO(text, newline=""))
    header: tuple[str, ...] | None = None
    header_line = 0
    rows: list[tuple[int, tuple[str, ...]]] = []
    start = 1
    try:
        for cells in reader:
            line, start = start, reader.line_num + 1
            if not any(c.strip() for c in cells):
                continue
            if header is None:
                if is_header is None or is_header([c.strip() for c in cells]):
                    header, header_line = tuple(c.strip() for c in cells), line
                continue
            rows.append((line, tuple(cells)))
    except csv.Error as error:
        raise BadFile(
            "bad-csv", f"Line {start}: this CSV cannot be read ({error}); no row was imported."
        ) from None
    if header is None:
        raise BadFile("no-header", "This file has no header row naming its columns.")
    return Table(header=header, header_line=header_line, rows=tuple(rows))


def _unclosed_quote(text: str) -> None:
    opened = 0
    quoted = False
    for found in re.finditer('"', text):
        if not quoted:
            opened = found.start()
        quoted = not quoted
    line = text.count("\n", 0, opened) + 1
    raise BadFile(
        "truncated",
        f"The quote opened on line {line} is never closed: the file was probably cut short "
        "or damaged. Nothing was imported.",
    )


def cell(cells: Sequence[str], index: int | None) -> str:
    """A cell's text, with the formula guard of our own export taken off."""
    if index is None or index >= len(cells):
        return ""
    value = cells[index]
    return value[1:] if _is_guarded(value) else value


def split_multi(value: str, extra: bool = False) -> list[str]:
    """Several values in one cell: one per line, or Google's " ::: " (and `;` `,` for lists
    that cannot hold them, such as emails and tags)."""
    return [v.strip() for v in (_LIST_EXTRA if extra else _MULTI).split(value) if v.strip()]


def guess_mapping(header: Sequence[str]) -> list[str]:
    """A field for each column from its header; each single field is used once."""
    mapping: list[str] = []
    taken: set[str] = set()
    for title in header:
        guess = ""
        for field, pattern in _GUESSES:
            if pattern.search(title.strip()) and not (field in taken and _single(field)):
                guess = field
                break
        if guess == "email" and re.search(r"type|label", title, re.IGNORECASE):
            guess = ""
        mapping.append(guess)
        taken.add(guess)
    return mapping


def _single(field: str) -> bool:
    return field not in ("email", "phone", "url", "tags", "notes")


def columns(table: Table) -> list[dict[str, object]]:
    """Each column's header and its first few values, for the mapping screen."""
    return [
        {
            "index": i,
            "header": title,
            "samples": [cells[i] for _, cells in table.rows[:3] if i < len(cells)],
        }
        for i, title in enumerate(table.header)
    ]


def check_mapping(mapping: object, width: int) -> list[str]:
    if not isinstance(mapping, list) or len(mapping) != width:
        raise BadFile(
            "bad-mapping", f"The mapping should list a field for each of {width} columns."
        )
    for i, field in enumerate(mapping):
        if field not in ("", *FIELDS):
            raise BadFile("bad-mapping", f"Column {i + 1}: '{field}' is not a field we know.")
    return list(mapping)


def has_name(mapping: Sequence[str]) -> bool:
    return bool(NAME_FIELDS & set(mapping))


def read_mapped(table: Table, mapping: Sequence[str]) -> Parsed:
    """People from a CSV whose columns are mapped to our fields."""
    if not has_name(mapping):
        raise BadFile(
            "no-name-column",
            "No column holds names. Choose which column is the name (or first and last name).",
        )
    contacts: list[Contact] = []
    problems: list[Problem] = []
    for row, (line, cells) in enumerate(table.rows, 1):
        values: dict[str, list[str]] = {}
        for index, field in enumerate(mapping):
            if field:
                values.setdefault(field, []).append(cell(cells, index))
        contact = make_contact(
            row,
            line,
            name=" ".join(values.get("name", [])),
            first=" ".join(values.get("first_name", [])),
            last=" ".join(values.get("last_name", [])),
            organisation=" ".join(v.strip() for v in values.get("organisation", []) if v.strip()),
            role=" ".join(v.strip() for v in values.get("role", []) if v.strip()),
            emails=[e for v in values.get("email", []) for e in split_multi(v, True)],
            phones=[p for v in values.get("phone", []) for p in split_multi(v)],
            urls=[u for v in values.get("url", []) for u in split_multi(v)],
            tags=[t for v in values.get("tags", []) for t in split_multi(v, True)],
            notes="\n".join(v for v in values.get("notes", []) if v.strip()),
            how_met=" ".join(v.strip() for v in values.get("how_met", []) if v.strip()),
            introducers=[i for v in values.get("introduced_by", []) for i in split_multi(v)],
            event=_event(values),
        )
        keep(contact, contacts, problems, "Row")
    return Parsed(contacts=tuple(contacts), problems=tuple(problems))


def _event(values: dict[str, list[str]]) -> EventRef | None:
    name = " ".join(v.strip() for v in values.get("event", []) if v.strip())
    day = next((v.strip() for v in values.get("event_date", []) if v.strip()), "")
    try:
        return EventRef(name=name, date=date.fromisoformat(day)) if name and day else None
    except ValueError:
        return None


def make_contact(
    row: int,
    line: int,
    *,
    name: str = "",
    first: str = "",
    last: str = "",
    organisation: str = "",
    role: str = "",
    emails: Iterable[str] = (),
    phones: Iterable[str] = (),
    urls: Iterable[str] = (),
    tags: Iterable[str] = (),
    notes: str = "",
    how_met: str = "",
    introducers: Iterable[str] = (),
    event: EventRef | None = None,
) -> Contact:
    """A contact from plain values; bad emails are kept in the notes, and a missing name is
    made up from the organisation, email or phone (with a warning)."""
    warnings: list[str] = []
    good: list[str] = []
    for email in unique(list(emails)):
        if is_email(email):
            good.append(email)
        else:
            notes = f"{notes}\nEmail: {email}" if notes else f"Email: {email}"
            warnings.append(f"“{email}” is not an email address; it is kept in the notes.")
    kept_emails, kept_phones = unique(good), unique(list(phones))
    full = name.strip() or " ".join(f"{first} {last}".split())
    full, made_up = fallback_name(full, organisation.strip(), kept_emails, kept_phones)
    return Contact(
        row=row,
        line=line,
        name=full,
        given_name=" ".join(first.split()),
        organisation=organisation.strip(),
        role=role.strip(),
        emails=kept_emails,
        phones=kept_phones,
        urls=unique(list(urls)),
        tags=unique(list(tags)),
        notes=notes,
        how_met=how_met.strip(),
        introduced_by=tuple(IntroducedBy(name=i) for i in unique(list(introducers))),
        event=event,
        warnings=(*warnings, *((made_up,) if made_up else ())),
    )


def keep(contact: Contact, contacts: list[Contact], problems: list[Problem], what: str) -> None:
    """Add the contact, or a problem saying why it is left out."""
    field = too_long(contact)
    if contact.name and not field:
        contacts.append(contact)
        return
    why = "has no name, email or phone number" if not contact.name else f"has a {field}"
    if len(problems) < MAX_PROBLEMS:
        problems.append(
            Problem(
                row=contact.row,
                line=contact.line,
                message=f"{what} {contact.row} (line {contact.line}) {why}.",
            )
        )


# --- Writing ------------------------------------------------------------------------------------

EXPORT_HEADER = (
    "Name", "Organisation", "Role", "Emails", "Phones", "URLs", "Tags", "Notes", "How met",
    "Introduced by", "Event", "Event date", "Added",
)  # fmt: skip


def write_people_csv(state: State, ids: Iterable[PersonId] | None = None) -> str:
    """People for spreadsheets: one row each, several values in a cell one per line. Cells that
    a spreadsheet would run as a formula get a leading quote (the import takes it off)."""
    people = _people(state, ids)
    out = io.StringIO(newline="")
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(EXPORT_HEADER)
    for person in people:
        introducers = [
            state.name(state.introductions[i].introducer_id)
            for i in state.index.intro.by_introduced.get(person.id, ())
        ]
        event = state.events.get(person.event_id) if person.event_id else None
        writer.writerow(
            _guard(v)
            for v in (
                person.name,
                person.organisation,
                person.role,
                "\n".join(person.emails),
                "\n".join(person.phones),
                "\n".join(person.urls),
                "\n".join(person.tags),
                person.notes,
                person.how_met,
                "\n".join(sorted(n for n in introducers if n)),
                event.name if event else "",
                event.date.isoformat() if event else "",
                person.created_at.date().isoformat(),
            )
        )
    return "\ufeff" + out.getvalue()  # the BOM makes Excel read UTF-8


def _guard(value: str) -> str:
    # A value that already looks guarded gets a quote too, so the import's unguarding is exact.
    return f"'{value}" if _FORMULA.match(value) or _is_guarded(value) else value


def _is_guarded(value: str) -> bool:
    rest = value.lstrip("'")
    return rest != value and bool(_FORMULA.match(rest))


def _people(state: State, ids: Iterable[PersonId] | None) -> list[Person]:
    if ids is None:
        return sorted(state.people.values(), key=lambda p: (p.name.casefold(), p.id))
    return [state.people[i] for i in dict.fromkeys(ids)]
