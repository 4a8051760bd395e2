"""LinkedIn's "Get a copy of your data" archive: the ZIP, or files taken from it.

One reader for whatever is there: `Connections.csv` (read by linkedin.py), `messages.csv`,
`Invitations.csv`, `Profile.csv` (who "you" are) and the job applications under `Jobs/` (file
names vary between exports, so a file is recognised by its header). Columns are found by name;
the ones a file lacks are named in `missing`. Pure: bytes or texts in, plain records out.
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime

from .contact import MAX_TEXT, BadFile, Parsed
from .linkedin import is_linkedin_header, read_linkedin

# The columns each file is read by (upper-cased for finding; exports vary in case).
MESSAGE_COLUMNS = (
    "CONVERSATION ID",
    "CONVERSATION TITLE",
    "FROM",
    "SENDER PROFILE URL",
    "TO",
    "RECIPIENT PROFILE URLS",
    "DATE",
    "SUBJECT",
    "CONTENT",
    "FOLDER",
)
# Without these a messages.csv cannot be read at all.
MESSAGE_NEEDED = ("FROM", "DATE")
INVITATION_COLUMNS = (
    "FROM",
    "TO",
    "SENT AT",
    "MESSAGE",
    "DIRECTION",
    "INVITERPROFILEURL",
    "INVITEEPROFILEURL",
)
JOB_COLUMNS = ("APPLICATION DATE", "COMPANY NAME", "JOB TITLE", "JOB URL")
# The largest archive read (compressed); its texts are bounded by MAX_TEXT each.
MAX_ZIP = 200_000_000
# Folders (and titles) of messages that are advertising, not people.
_SPONSORED = ("SPONSORED", "SPAM", "PROMOTION")


@dataclass(frozen=True, slots=True)
class Message:
    conversation: str
    title: str
    sender: str
    sender_url: str
    recipients: tuple[str, ...]
    recipient_urls: tuple[str, ...]
    at: datetime
    subject: str
    content: str
    folder: str

    @property
    def inmail(self) -> bool:
        return "INMAIL" in self.folder.upper()


@dataclass(frozen=True, slots=True)
class Invitation:
    sender: str
    recipient: str
    at: datetime
    message: str
    outgoing: bool
    sender_url: str
    recipient_url: str


@dataclass(frozen=True, slots=True)
class Application:
    at: datetime
    organisation: str
    title: str
    url: str


@dataclass(slots=True)
class Archive:
    files: list[str] = field(default_factory=list)  # what was read, in archive order
    connections: Parsed | None = None
    messages: list[Message] = field(default_factory=list)
    sponsored: int = 0
    unreadable: int = 0  # rows without a sender or a date
    invitations: list[Invitation] = field(default_factory=list)
    applications: list[Application] = field(default_factory=list)
    owner_name: str = ""  # from Profile.csv
    owner_url: str = ""
    missing: dict[str, list[str]] = field(default_factory=dict)  # file -> missing columns


def parse_instant(text: str) -> datetime | None:
    """LinkedIn's dates: "2024-03-12 14:22:05 UTC", ISO, "3/12/24, 2:22 PM", "12 Mar 2024"."""
    text = text.strip()
    if not text:
        return None
    if len(text) >= 19 and text[4] == "-" and text[10] == " " and text[19:] in ("", " UTC"):
        try:  # messages.csv's own form, most of an archive: "2024-03-12 14:22:05 UTC"
            return datetime.fromisoformat(text[:19]).replace(tzinfo=UTC)
        except ValueError:
            pass
    found = re.fullmatch(
        r"(\d{4})-(\d\d)-(\d\d)[ T](\d\d):(\d\d)(?::(\d\d))?(?:\.\d+)?\s*(.*)", text
    )
    try:
        if found:
            y, mo, d, h, mi = (int(found[i]) for i in range(1, 6))
            return datetime(y, mo, d, h, mi, int(found[6] or 0), tzinfo=UTC)
        found = re.fullmatch(
            r"(\d{1,2})/(\d{1,2})/(\d{2}|\d{4}),?\s*(?:(\d{1,2}):(\d\d)(?::\d\d)?\s*([AaPp][Mm])?)?",
            text,
        )
        if found:
            year = int(found[3]) + (2000 if len(found[3]) == 2 else 0)
            hour = int(found[4] or 0)
            if found[6]:
                hour = hour % 12 + (12 if found[6].lower() == "pm" else 0)
            return datetime(
                year, int(found[1]), int(found[2]), hour, int(found[5] or 0), tzinfo=UTC
            )
        from .linkedin import connected_on

        day = connected_on(text)
        if day:
            return datetime(day.year, day.month, day.day, 12, tzinfo=UTC)
    except ValueError:
        return None
    return None


def _rows(text: str, is_header: Sequence[str]) -> tuple[dict[str, int], list[list[str]]]:
    """Rows after the header: the first row holding every name in `is_header` (a "Notes:"
    preamble before it is skipped). Columns by upper-cased name."""
    text = text.removeprefix("\ufeff")
    rows = csv.reader(io.StringIO(text, newline=""))
    for cells in rows:
        names = [c.strip().upper() for c in cells]
        if all(n in names for n in is_header):
            col: dict[str, int] = {}
            for i, n in enumerate(names):
                col.setdefault(n, i)
            return col, [r for r in rows if any(c.strip() for c in r)]
    return {}, []


def _cell(cells: Sequence[str], col: Mapping[str, int], name: str) -> str:
    i = col.get(name)
    return cells[i].strip() if i is not None and i < len(cells) else ""


def _split(text: str) -> tuple[str, ...]:
    parts = text.split(",") if ";" not in text else re.split(r"[,;]", text)
    return tuple(p for p in (p.strip() for p in parts) if p)


def _missing(archive: Archive, file: str, col: Mapping[str, int], wanted: Sequence[str]) -> None:
    gone = [c for c in wanted if c not in col]
    if gone:
        archive.missing[file] = gone


def read_messages(text: str, archive: Archive, file: str = "messages.csv") -> None:
    col, rows = _rows(text, MESSAGE_NEEDED)
    if not col:
        raise BadFile("not-linkedin", f"{file} has no row reading “FROM,…,DATE,…”.")
    _missing(archive, file, col, MESSAGE_COLUMNS)
    for cells in rows:
        folder = _cell(cells, col, "FOLDER")
        title = _cell(cells, col, "CONVERSATION TITLE")
        if any(s in folder.upper() for s in _SPONSORED) or title.upper().startswith("SPONSORED"):
            archive.sponsored += 1
            continue
        sender = _cell(cells, col, "FROM")
        at = parse_instant(_cell(cells, col, "DATE"))
        if not sender or at is None:
            archive.unreadable += 1
            continue
        conversation = _cell(cells, col, "CONVERSATION ID") or f"{title}|{sender}"
        archive.messages.append(
            Message(
                conversation=conversation,
                title=title,
                sender=sender,
                sender_url=_cell(cells, col, "SENDER PROFILE URL"),
                recipients=_split(_cell(cells, col, "TO")),
                recipient_urls=_split(_cell(cells, col, "RECIPIENT PROFILE URLS")),
                at=at,
                subject=_cell(cells, col, "SUBJECT"),
                content=_cell(cells, col, "CONTENT"),
                folder=folder,
            )
        )


def read_invitations(text: str, archive: Archive, file: str = "Invitations.csv") -> None:
    col, rows = _rows(text, ("FROM", "TO", "SENT AT"))
    _missing(archive, file, col, INVITATION_COLUMNS)
    for cells in rows:
        at = parse_instant(_cell(cells, col, "SENT AT"))
        if at is None:
            archive.unreadable += 1
            continue
        archive.invitations.append(
            Invitation(
                sender=_cell(cells, col, "FROM"),
                recipient=_cell(cells, col, "TO"),
                at=at,
                message=_cell(cells, col, "MESSAGE"),
                outgoing=_cell(cells, col, "DIRECTION").upper() == "OUTGOING",
                sender_url=_cell(cells, col, "INVITERPROFILEURL"),
                recipient_url=_cell(cells, col, "INVITEEPROFILEURL"),
            )
        )


def read_applications(text: str, archive: Archive, file: str) -> None:
    col, rows = _rows(text, ("APPLICATION DATE", "COMPANY NAME"))
    _missing(archive, file, col, JOB_COLUMNS)
    for cells in rows:
        at = parse_instant(_cell(cells, col, "APPLICATION DATE"))
        organisation = _cell(cells, col, "COMPANY NAME")
        if at is None or not organisation:
            archive.unreadable += 1
            continue
        archive.applications.append(
            Application(
                at=at,
                organisation=organisation,
                title=_cell(cells, col, "JOB TITLE"),
                url=_cell(cells, col, "JOB URL"),
            )
        )


def _read_profile(text: str, archive: Archive) -> None:
    col, rows = _rows(text, ("FIRST NAME", "LAST NAME"))
    if rows:
        first, last = _cell(rows[0], col, "FIRST NAME"), _cell(rows[0], col, "LAST NAME")
        archive.owner_name = f"{first} {last}".strip()
        archive.owner_url = _cell(rows[0], col, "PUBLIC PROFILE URL") or _cell(
            rows[0], col, "PROFILE URL"
        )


def _header(text: str) -> list[str]:
    """Upper-cased cells of every line among the first 30 (a preamble may come first)."""
    cells: list[str] = []
    for line in text.removeprefix("\ufeff")[:6000].splitlines()[:30]:
        cells.extend(c.strip().strip('"').upper() for c in line.split(","))
    return cells


def read_files(files: Mapping[str, str]) -> Archive:
    """Every file recognised by its header (names vary between exports), in the given order.
    Files that are none of these are left out, silently: an archive holds dozens."""
    archive = Archive()
    for path, text in files.items():
        if len(text) > MAX_TEXT:
            raise BadFile("too-large", f"{path} is larger than Followthrough reads.")
        name = path.rsplit("/", 1)[-1]
        head = _header(text)
        if is_linkedin_header([h.title() for h in head]) or name.lower() == "connections.csv":
            archive.connections = read_linkedin(text)
        elif "CONVERSATION ID" in head or ("FROM" in head and "CONTENT" in head):
            read_messages(text, archive, name)
        elif "SENT AT" in head and "DIRECTION" in head:
            read_invitations(text, archive, name)
        elif "APPLICATION DATE" in head and "COMPANY NAME" in head:
            read_applications(text, archive, name)
        elif name.lower() == "profile.csv" and "FIRST NAME" in head:
            _read_profile(text, archive)
        else:
            continue
        archive.files.append(path)
    if not archive.files:
        raise BadFile(
            "not-linkedin",
            "Nothing here is from LinkedIn's archive: no Connections.csv, messages.csv, "
            "Invitations.csv or job applications.",
        )
    return archive


def unzip(data: bytes) -> dict[str, str]:
    """The archive's CSV files by path (text, UTF-8 with or without a BOM)."""
    if len(data) > MAX_ZIP:
        raise BadFile("too-large", "This archive is larger than Followthrough reads (200 MB).")
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            out: dict[str, str] = {}
            for info in z.infolist():
                if info.is_dir() or not info.filename.lower().endswith(".csv"):
                    continue
                if info.file_size > MAX_TEXT * 2:
                    raise BadFile(
                        "too-large", f"{info.filename} is larger than Followthrough reads."
                    )
                out[info.filename] = z.read(info).decode("utf-8-sig", errors="replace")
            return out
    except zipfile.BadZipFile:
        raise BadFile("not-a-zip", "This file is not a ZIP archive, or it is damaged.") from None


def senders(archive: Archive) -> list[tuple[str, str, int]]:
    """(name, profile URL, conversations) of the people who wrote, most conversations first."""
    seen: dict[str, set[str]] = {}
    urls: dict[str, str] = {}
    for m in archive.messages:
        seen.setdefault(m.sender, set()).add(m.conversation)
        if m.sender_url:
            urls.setdefault(m.sender, m.sender_url)
    order = Counter({name: len(c) for name, c in seen.items()})
    return [(name, urls.get(name, ""), n) for name, n in order.most_common()]
