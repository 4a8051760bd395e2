"""vCard in (2.1, 3.0, 4.0, as phones, Gmail, Outlook and macOS write them) and vCard 4.0 out.

vobject parses each content line (name, group, parameters, value). Its value layer is not used:
on the real-client corpus it cuts FN at an unescaped comma (Gmail), fails on vCard 2.1
quoted-printable soft line breaks (Android, Outlook), on lines ending in CR CR LF (iPhone) and on
bad base64 photos, and keeps Apple's `\\:` escapes in URLs. So lines are unfolded here first (with
2.1's soft breaks), photos are dropped unread, and values are decoded here.
"""

from __future__ import annotations

import binascii
import re
from collections.abc import Iterable, Sequence
from datetime import date, datetime

from vobject.base import ParseError, parseLine  # type: ignore[import-untyped]

from followup.model import IntroductionKind, IntroductionStatus, Person, PersonId, Profile
from followup.profile import normalise_url, tel_uri
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
from .lines import can_be_param, clean, content_line, escape

# Pictures, sounds and keys: we keep none of them, so they are skipped unread (never decoded).
_BINARY = frozenset({"PHOTO", "LOGO", "SOUND", "KEY"})
_NEWLINE = re.compile(r"\r*\n|\r+")
_BASE64_LINE = re.compile(r"[A-Za-z0-9+/=]+")
_UUID = re.compile(r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}")
_X = "X-FOLLOWTHROUGH-"


# --- Reading ------------------------------------------------------------------------------------


def read_vcards(text: str) -> Parsed:
    """Every card in the text. A file that is not vCard, or is cut short, is refused whole; a
    card with no name, email or phone, or with a field too long to keep, is left out and named."""
    text = check_size(text)
    contacts: list[Contact] = []
    problems: list[Problem] = []
    for row, (start, lines) in enumerate(_cards(_logical_lines(text)), 1):
        contact = _contact(row, start, lines)
        field = too_long(contact)
        if not contact.name:
            problem = "has no name, email or phone number"
        elif field:
            problem = f"has a {field}"
        else:
            contacts.append(contact)
            continue
        if len(problems) < MAX_PROBLEMS:
            problems.append(
                Problem(row=row, line=start, message=f"Card {row} (line {start}) {problem}.")
            )
    return Parsed(contacts=tuple(contacts), problems=tuple(problems))


def _logical_lines(text: str) -> list[tuple[int, str]]:
    """Unfolded lines with the number of the line each starts on. Besides RFC folding this
    joins vCard 2.1 quoted-printable soft breaks and unindented base64, and drops binaries."""
    out: list[tuple[int, str]] = []
    parts: list[str] = []
    start, qp, b64, skip = 0, False, False, False

    def close() -> None:
        if parts and not skip:
            out.append((start, "".join(parts)))

    blank = False
    for number, raw in enumerate(_NEWLINE.split(text), 1):
        if not raw.strip():
            # Blank lines mean nothing in a vCard (some tools double every line break), except
            # that they end vCard 2.1 base64 and quoted-printable values.
            blank = True
            continue
        if parts and raw[:1] in (" ", "\t"):
            if not skip:
                parts.append(raw[1:])
            continue
        if parts and qp and not blank and parts[-1].endswith("="):
            # A quoted-printable soft line break: the value goes on, unindented (vCard 2.1).
            parts[-1] = parts[-1][:-1]
            parts.append(raw)
            continue
        if parts and b64 and not blank and _BASE64_LINE.fullmatch(raw.strip()):
            if not skip:
                parts.append(raw.strip())
            continue
        close()
        parts = [raw]
        start = number
        blank = False
        head = raw.split(":", 1)[0].upper()
        qp = "QUOTED-PRINTABLE" in head
        b64 = "BASE64" in head or "ENCODING=B" in head
        skip = head.split(";", 1)[0].rsplit(".", 1)[-1].strip() in _BINARY
    close()
    return out


def _cards(lines: list[tuple[int, str]]) -> list[tuple[int, list[tuple[int, str]]]]:
    cards: list[tuple[int, list[tuple[int, str]]]] = []
    current: tuple[int, list[tuple[int, str]]] | None = None
    for number, line in lines:
        word = line.strip().upper().replace(" ", "")
        if word == "BEGIN:VCARD":
            if current is not None:
                raise BadFile(
                    "truncated",
                    f"The card that starts on line {current[0]} has no END:VCARD before the "
                    f"next card begins on line {number}: the file is damaged.",
                )
            current = (number, [])
        elif word == "END:VCARD":
            if current is None:
                raise BadFile("not-a-vcard", f"Line {number} ends a card that never began.")
            cards.append(current)
            current = None
        elif current is not None:
            current[1].append((number, line))
        elif not cards:
            raise BadFile(
                "not-a-vcard",
                f"This is not a vCard file: line {number} should be BEGIN:VCARD but reads "
                f"“{_snippet(line)}”.",
            )
        else:
            raise BadFile("not-a-vcard", f"Line {number} is outside any card: “{_snippet(line)}”.")
    if current is not None:
        raise BadFile(
            "truncated",
            f"The file ends inside the card that starts on line {current[0]} (there is no "
            "END:VCARD): it was probably cut short. Export it again.",
        )
    if not cards:
        raise BadFile("not-a-vcard", "This file holds no contacts: there is no BEGIN:VCARD line.")
    return cards


class _Card:
    """What one card says, gathered property by property."""

    def __init__(self) -> None:
        self.fn: list[str] = []
        self.n: list[str] = []
        self.nickname = ""
        self.orgs: list[str] = []
        self.titles: list[str] = []
        self.emails: list[str] = []
        self.phones: list[str] = []
        self.urls: list[str] = []
        self.notes: list[str] = []
        self.tags: list[str] = []
        self.uid = ""
        self.how_met = ""
        self.cadence: int | None = None
        self.event_fields: dict[str, str] = {}
        self.intros: dict[str, dict[str, str]] = {}
        self.warnings: list[str] = []


def _contact(row: int, start: int, lines: Sequence[tuple[int, str]]) -> Contact:
    card = _Card()
    version = next(
        (line.split(":", 1)[-1].strip() for _, line in lines if line.upper().startswith("VERSION")),
        "3.0",
    )
    for number, line in lines:
        try:
            name, params, raw, group = parseLine(line, number)
        except ParseError:
            card.warnings.append(f"Line {number} could not be read: “{_snippet(line)}”.")
            continue
        types = _params(params)
        value = _decode(raw, types, number, card.warnings)
        _take(card, name.upper(), types, value, group or f"line{number}", version)
    emails: list[str] = []
    for email in card.emails:
        if is_email(email):
            emails.append(email)
        else:
            card.notes.append(f"Email: {email}")
            card.warnings.append(f"“{email}” is not an email address; it is kept in the notes.")
    name = card.fn[0] if card.fn and card.fn[0].strip() else _name_from_n(card.n)
    organisation = "; ".join(unique(card.orgs))
    kept_emails, phones = unique(emails), unique(card.phones)
    name, made_up = fallback_name(name, organisation, kept_emails, phones)
    day = _day(card.event_fields.get("date", ""))
    event = None
    if day is not None and card.event_fields.get("name"):
        event = EventRef(
            name=card.event_fields["name"], date=day, place=card.event_fields.get("place", "")
        )
    return Contact(
        row=row,
        line=start,
        name=name,
        given_name=_given(card.n),
        call_them=card.nickname,
        organisation=organisation,
        role=", ".join(unique(card.titles)),
        emails=kept_emails,
        phones=phones,
        urls=unique(card.urls),
        tags=unique(card.tags),
        notes="\n".join(n for n in card.notes if n.strip()),
        how_met=card.how_met,
        cadence_days=card.cadence,
        event=event,
        uid=card.uid,
        introduced_by=tuple(_intros(card.intros)),
        warnings=(*card.warnings, *((made_up,) if made_up else ())),
    )


def _take(card: _Card, name: str, p: dict[str, list[str]], value: str, group: str, v: str) -> None:
    text = "\n".join(_split(value, None, v))
    if name == "FN":
        card.fn.append(text.strip())
    elif name == "N" and not card.n:
        card.n = [" ".join(part.replace(",", " ").split()) for part in _split(value, ";", v)]
    elif name == "NICKNAME" and not card.nickname:
        card.nickname = _split(value, ",", v)[0].strip()
    elif name == "ORG":
        card.orgs.append(", ".join(o.strip() for o in _split(value, ";", v) if o.strip()))
    elif name in ("TITLE", "ROLE"):
        card.titles.append(text)
    elif name == "EMAIL":
        card.emails.append(re.sub(r"(?i)^mailto:", "", text.strip()))
    elif name == "TEL":
        card.phones.append(re.sub(r"(?i)^tel:", "", text.strip()))
    elif name == "URL":
        card.urls.append(text.strip())
    elif name == "NOTE":
        card.notes.append(text)
    elif name == "CATEGORIES":
        card.tags.extend(_split(value, ",", v))
    elif name == "UID":
        card.uid = _local_id(text.strip())
    elif name == f"{_X}HOW-MET":
        card.how_met = text
    elif name == f"{_X}CADENCE-DAYS" and text.strip().isdigit():
        card.cadence = min(int(text.strip()), 3650)
    elif name == f"{_X}EVENT":
        card.event_fields.update(name=text.strip(), date=_first(p, "X-DATE"))
    elif name == f"{_X}EVENT-PLACE":
        card.event_fields["place"] = text
    elif name == f"{_X}INTRODUCED-BY":
        card.intros.setdefault(group, {}).update(
            name=text,
            uid=_local_id(_first(p, "X-UID")),
            kind=_first(p, "X-KIND"),
            status=_first(p, "X-STATUS"),
            at=_first(p, "X-AT"),
            status_at=_first(p, "X-STATUS-AT"),
        )
    elif name in (f"{_X}CONTEXT", f"{_X}OUTCOME"):
        card.intros.setdefault(group, {})[name.removeprefix(_X).lower()] = text


def _intros(found: dict[str, dict[str, str]]) -> Iterable[IntroducedBy]:
    for item in found.values():
        if not item.get("name", "").strip():
            continue
        kind = IntroductionKind._value2member_map_.get(item.get("kind", ""))
        status = IntroductionStatus._value2member_map_.get(item.get("status", ""))
        yield IntroducedBy(
            name=item["name"].strip(),
            uid=item.get("uid", ""),
            kind=kind if isinstance(kind, IntroductionKind) else IntroductionKind.INTRODUCTION,
            at=_instant(item.get("at", "")),
            context=item.get("context", ""),
            status=status if isinstance(status, IntroductionStatus) else IntroductionStatus.OFFERED,
            status_at=_instant(item.get("status_at", "")),
            outcome=item.get("outcome", ""),
        )


def _params(params: list[list[str]]) -> dict[str, list[str]]:
    """Parameters by upper-case name; vCard 2.1's bare ones (`TEL;CELL;PREF`) count as TYPE."""
    out: dict[str, list[str]] = {}
    for name, *values in params:
        if not values:
            out.setdefault("TYPE", []).append(name.upper())
        else:
            out.setdefault(name.upper(), []).extend(values)
    return out


def _decode(raw: str, p: dict[str, list[str]], number: int, warnings: list[str]) -> str:
    """The value with its transfer encoding (quoted-printable, base64) and charset undone."""
    encodings = {e.upper() for e in (*p.get("ENCODING", ()), *p.get("TYPE", ()))}
    if "QUOTED-PRINTABLE" in encodings:
        data = binascii.a2b_qp(raw.encode("utf-8"))
    elif encodings & {"B", "BASE64"}:
        try:
            data = binascii.a2b_base64(raw.encode("ascii", "replace"))
        except binascii.Error:
            warnings.append(f"Line {number} holds base64 that could not be decoded.")
            return ""
    else:
        return raw
    charset = (p.get("CHARSET") or ["utf-8"])[0]
    try:
        text = data.decode(charset, "replace")
    except LookupError:
        warnings.append(f"Line {number} names a charset we don't know ({charset}); read as UTF-8.")
        text = data.decode("utf-8", "replace")
    if "\ufffd" in text:
        warnings.append(f"Line {number} has bytes that are not valid {charset}; they show as �.")
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _split(value: str, separator: str | None, version: str) -> list[str]:
    """Split on unescaped separators and undo backslash escapes. vCard 2.1 escapes only `;`;
    3.0 and 4.0 escape `\\ , ; n`, and Apple and Gmail also escape `:` and `"`."""
    if "\\" not in value:  # the common case, and the loop below is slow in Pyodide
        return [value] if separator is None else value.split(separator)
    parts: list[str] = []
    buffer: list[str] = []
    chars = iter(value)
    old = version.startswith("2")
    for char in chars:
        if char == "\\":
            after = next(chars, "")
            if old and after != ";":
                buffer.append(char + after)
            elif after in ("n", "N"):
                buffer.append("\n")
            elif after and not after.isalnum():
                buffer.append(after)  # `\, \; \\`, and `\: \"` from sloppy writers
            else:
                buffer.append(char + after)  # `C:\Users`: not an escape, keep the backslash
        elif char == separator:
            parts.append("".join(buffer))
            buffer = []
        else:
            buffer.append(char)
    parts.append("".join(buffer))
    return parts


def _name_from_n(parts: list[str]) -> str:
    # N is family;given;additional;prefix;suffix.
    family, given, additional, prefix, suffix = ([*parts, "", "", "", "", ""])[:5]
    return " ".join(" ".join((prefix, given, additional, family, suffix)).split())


def _given(parts: list[str]) -> str:
    """The given name of a structured name (N's second part), its first name if it has several
    ("Mary Ann" stays whole: they are given names together)."""
    return parts[1].strip() if len(parts) > 1 else ""


def _first(p: dict[str, list[str]], name: str) -> str:
    values = p.get(name)
    return values[0] if values else ""


def _day(text: str) -> date | None:
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        return None


def _instant(text: str) -> datetime | None:
    try:
        parsed = datetime.fromisoformat(text.strip())
    except ValueError:
        return None
    return parsed if parsed.tzinfo is not None else None


def _local_id(uid: str) -> str:
    return uid[9:] if uid[:9].lower() == "urn:uuid:" else uid


def _snippet(line: str) -> str:
    return line if len(line) <= 60 else line[:57] + "…"


# --- Writing ------------------------------------------------------------------------------------


def write_vcards(state: State, ids: Iterable[PersonId] | None = None) -> str:
    """vCard 4.0 of the given people (all, by name, when None), introduced-by included: a
    RELATED for other apps where the introducer has a UUID, and our own X- properties that
    carry the whole introduction, so that export then import gives the same people back."""
    if ids is None:
        people = sorted(state.people.values(), key=lambda p: (p.name.casefold(), p.id))
    else:
        people = [state.people[i] for i in dict.fromkeys(ids)]
    return "".join(_card(state, person) for person in people)


def _card(state: State, person: Person) -> str:
    out = ["BEGIN:VCARD\r\n", "VERSION:4.0\r\n"]

    def add(name: str, value: str, params: Iterable[tuple[str, str]] = (), group: str = "") -> None:
        out.append(content_line(name, value, params, group))

    is_uuid = _UUID.fullmatch(person.id) is not None
    add("UID", escape(_uid_text(person.id)), () if is_uuid else [("VALUE", "text")])
    add("FN", escape(person.name))
    words = person.name.split()
    family, given = (words[-1], " ".join(words[:-1])) if len(words) > 1 else ("", person.name)
    if person.given_name:
        given = person.given_name
    add("N", f"{escape(family)};{escape(given)};;;")
    if person.call_them:
        add("NICKNAME", escape(person.call_them))
    texts = (
        ("ORG", person.organisation),
        ("TITLE", person.role),
        ("NOTE", person.notes),
        (f"{_X}HOW-MET", person.how_met),
        (f"{_X}CADENCE-DAYS", "" if person.cadence_days is None else str(person.cadence_days)),
    )
    for name, value in texts:
        if value:
            add(name, escape(value))
    for email in person.emails:
        add("EMAIL", escape(email))
    for phone in person.phones:
        add("TEL", escape(phone))
    for url in person.urls:
        add("URL", clean(url).replace("\n", ""))  # a URI value: nothing to escape
    if person.tags:
        add("CATEGORIES", ",".join(escape(tag) for tag in person.tags))
    event = state.events.get(person.event_id) if person.event_id else None
    if event is not None:
        add(f"{_X}EVENT", escape(event.name), [("X-DATE", event.date.isoformat())], "event")
        if event.place:
            add(f"{_X}EVENT-PLACE", escape(event.place), group="event")
    intros = sorted(
        (state.introductions[i] for i in state.index.intro.by_introduced.get(person.id, ())),
        key=lambda i: (i.at, i.id),
    )
    for n, intro in enumerate(intros, 1):
        introducer = state.people.get(intro.introducer_id)
        if introducer is None:
            continue
        group = f"intro{n}"
        if _UUID.fullmatch(introducer.id):
            uri = f"urn:uuid:{introducer.id.lower()}"
            add("RELATED", uri, [("TYPE", "contact"), ("VALUE", "uri")], group)
        params = [
            ("X-KIND", intro.kind.value),
            ("X-STATUS", intro.status.value),
            ("X-AT", intro.at.isoformat()),
        ]
        if intro.status_at is not None:
            params.append(("X-STATUS-AT", intro.status_at.isoformat()))
        if can_be_param(introducer.id):
            params.append(("X-UID", _uid_text(introducer.id)))
        add(f"{_X}INTRODUCED-BY", escape(introducer.name), params, group)
        for name, value in (("CONTEXT", intro.context), ("OUTCOME", intro.outcome)):
            if value:
                add(f"{_X}{name}", escape(value), group=group)
    out.append("END:VCARD\r\n")
    return "".join(out)


def _uid_text(pid: str) -> str:
    return f"urn:uuid:{pid}" if _UUID.fullmatch(pid) else pid


def write_own_card(profile: Profile) -> str:
    """The user's own card ("My card" in Settings), as another phone's camera adds it: no UID
    (it is not one of the user's records), the phone as a tel: URI, the address with its scheme."""
    out = ["BEGIN:VCARD\r\n", "VERSION:4.0\r\n"]
    name = profile.name.strip()
    words = name.split()
    family, given = (words[-1], " ".join(words[:-1])) if len(words) > 1 else ("", name)
    out.append(content_line("FN", escape(name)))
    out.append(content_line("N", f"{escape(family)};{escape(given)};;;"))
    for key, value in (
        ("ORG", profile.organisation),
        ("TITLE", profile.role),
        ("EMAIL", profile.email),
    ):
        if value.strip():
            out.append(content_line(key, escape(value.strip())))
    if profile.phone.strip():
        phone = tel_uri(profile.phone)
        out.append(content_line("TEL", phone, [("VALUE", "uri"), ("TYPE", "cell")]))
    if profile.url.strip():
        out.append(content_line("URL", clean(normalise_url(profile.url)).replace("\n", "")))
    out.append("END:VCARD\r\n")
    return "".join(out)
