"""Mail archives, headers only: an mbox (Google Takeout's Gmail export, Thunderbird) read as a
stream of chunks, and single `.eml` files. Only From, To, Cc, Date, Subject, Message-ID,
In-Reply-To and References are read; a body is skipped unread, except its first line when the
user asks to keep it.

Chunks are "byte strings": each character stands for one byte of the file (latin-1, or the
browser's `x-user-defined` decoding, which maps bytes 0x80-0xFF to U+F780-U+F7FF). Only the
header block of each message is ever decoded; the parser keeps at most one message's headers
and a small tail in memory, so a file of any size streams through in bounded memory.

Encoded words (RFC 2047), folded lines, odd or unknown charsets, raw 8-bit headers, a missing
Date and `>From ` lines are normal input: a message is never refused for them.
"""

from __future__ import annotations

import email.errors
import email.header
import email.utils
import hashlib
import re
from binascii import Error as BinasciiError
from binascii import a2b_base64, a2b_qp
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime

# A header block longer than this is broken or hostile: the rest of it is skipped.
MAX_HEADERS = 256_000
# How much of a body is looked at, when the first line is kept (opt-in).
BODY_PEEK = 8_000
FIRST_LINE_MAX = 200
SUBJECT_MAX = 300
_WANTED = frozenset(
    {"from", "to", "cc", "date", "subject", "message-id", "in-reply-to", "references"}
)
# The browser's x-user-defined decoding puts bytes 0x80-0xFF at U+F780-U+F7FF.
_BYTES = {0xF780 + i: 0x80 + i for i in range(128)}
_SEPARATOR = re.compile(r"From \S*.*\d")
_BLANK_LINE = re.compile(r"\n\r?\n")
_MSGID = re.compile(r"<[^<>\s]+>")


@dataclass(frozen=True, slots=True, kw_only=True)
class Mail:
    """One message's headers, decoded; addresses lower-cased."""

    sender: str
    sender_name: str
    recipients: tuple[str, ...]
    at: datetime | None
    subject: str
    message_id: str
    thread: str
    first_line: str = ""

    @property
    def source_id(self) -> str:
        if self.message_id:
            return self.message_id
        key = f"{self.sender}|{self.at.isoformat() if self.at else ''}|{self.subject}"
        return "<no-id-" + hashlib.sha256(key.encode()).hexdigest()[:20] + ">"


def _bytes(text: str) -> bytes:
    return text.translate(_BYTES).encode("latin-1", "replace")


def _text(raw: bytes) -> str:
    """A raw header value: UTF-8 when it is, else Windows-1252 (a superset of latin-1)."""
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        return raw.decode("cp1252", "replace")


def _decoded(value: str) -> str:
    """An RFC 2047 header value as text; an unknown charset or broken word falls back."""
    if "=?" not in value:
        return " ".join(value.split())
    parts: list[str] = []
    try:
        for chunk, charset in email.header.decode_header(value):
            if isinstance(chunk, str):
                parts.append(chunk)
                continue
            try:
                parts.append(chunk.decode(charset or "ascii"))
            except (LookupError, UnicodeDecodeError):
                parts.append(_text(chunk))
    except (email.errors.HeaderParseError, ValueError):
        return " ".join(value.split())
    return " ".join("".join(parts).split())


def _headers(block: str) -> dict[str, str]:
    """The wanted headers of one block (folded lines joined), as text."""
    out: dict[str, str] = {}
    name = ""
    for line in _bytes(block).split(b"\n"):
        line = line.rstrip(b"\r")
        if not line:
            continue
        if line[:1] in (b" ", b"\t"):
            if name:
                out[name] += " " + _text(line.strip())
            continue
        head, colon, value = line.partition(b":")
        key = head.strip().lower().decode("latin-1")
        if not colon or key not in _WANTED or key in out:
            name = ""
            continue
        name = key
        out[name] = _text(value.strip())
    return out


def _addresses(value: str) -> list[tuple[str, str]]:
    if '"' not in value and "(" not in value and ";" not in value:  # the common case, fast
        simple: list[tuple[str, str]] = []
        for part in value.split(","):
            name, lt, rest = part.partition("<")
            address = (rest.partition(">")[0] if lt else name).strip().lower()
            if "@" in address and " " not in address:
                simple.append((_decoded(name.strip()) if lt else "", address))
        return simple
    found: list[tuple[str, str]] = []
    for name, address in email.utils.getaddresses([value]):
        address = address.strip().lower()
        if "@" in address:
            found.append((_decoded(name), address))
    return found


def _date(value: str) -> datetime | None:
    if not value:
        return None
    try:
        at = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError, OverflowError):
        return None
    if at is None:
        return None
    if at.tzinfo is None:
        at = at.replace(tzinfo=UTC)
    try:
        return at.astimezone(UTC)
    except (OverflowError, ValueError):
        return None


def _ids(value: str) -> list[str]:
    return _MSGID.findall(value)


_ASCTIME = re.compile(r"([A-Z][a-z]{2}) +(\d{1,2}) (\d\d:\d\d(?::\d\d)?)(?: ([+-]\d{4}))? (\d{4})")


def separator_date(line: str) -> datetime | None:
    """The date on an mbox `From ` line (Takeout: "From 123@xxx Mon Oct 05 10:00:00 +0000
    2026"; Thunderbird: "From - Mon Oct  5 10:00:00 2026"), for a message with no Date."""
    found = _ASCTIME.search(line)
    if not found:
        return None
    month, day, clock, zone, year = found.groups()
    return _date(f"{day} {month} {year} {clock} {zone or '+0000'}")


def parse_headers(block: str, body: str = "", separator: str = "") -> Mail | None:
    """One message from its header block (a byte string); None when it has no sender.
    `body` (a byte string, its beginning) is given only when the first line is kept."""
    h = _headers(block)
    senders = _addresses(h.get("from", ""))
    if not senders:
        return None
    sender_name, sender = senders[0]
    recipients = tuple(
        dict.fromkeys(a for _, a in _addresses(h.get("to", "") + "," + h.get("cc", "")))
    )
    message_ids = _ids(h.get("message-id", ""))
    references = _ids(h.get("references", ""))
    in_reply_to = _ids(h.get("in-reply-to", ""))
    message_id = message_ids[0] if message_ids else ""
    thread = (references or in_reply_to or [message_id])[0]
    return Mail(
        sender=sender,
        sender_name=sender_name,
        recipients=recipients,
        at=_date(h.get("date", "")) or separator_date(separator),
        subject=_decoded(h.get("subject", ""))[:SUBJECT_MAX],
        message_id=message_id,
        thread=thread,
        first_line=first_line(block, body) if body else "",
    )


# --- The first line (opt-in) -------------------------------------------------------------------


def _content_headers(block: str) -> tuple[str, str, str]:
    """(content type, charset, transfer encoding) of a header block."""
    kind, charset, encoding = "text/plain", "utf-8", ""
    unfolded = re.sub(r"\r?\n[ \t]+", " ", block)
    for line in unfolded.split("\n"):
        head, _, value = line.partition(":")
        key = head.strip().lower()
        if key == "content-type":
            kind = value.split(";")[0].strip().lower() or kind
            found = re.search(r'charset\s*=\s*"?([\w.:-]+)', value, re.I)
            charset = found.group(1) if found else charset
            bound = re.search(r'boundary\s*=\s*"?([^";]+)"?', value, re.I)
            if bound:
                kind += ";" + bound.group(1).strip()
        elif key == "content-transfer-encoding":
            encoding = value.strip().lower()
    return kind, charset, encoding


def _split_block(text: str) -> tuple[str, str]:
    at = text.find("\n\n")
    at_crlf = text.find("\n\r\n")
    if at_crlf >= 0 and (at < 0 or at_crlf < at):
        return text[:at_crlf], text[at_crlf + 3 :]
    if at < 0:
        return text, ""
    return text[:at], text[at + 2 :]


def first_line(block: str, body: str, depth: int = 0) -> str:
    """The first line of text a message's body says (its first text/plain part), decoded."""
    kind, charset, encoding = _content_headers(block)
    if kind.startswith("multipart/") and ";" in kind and depth < 3:
        boundary = "--" + kind.split(";", 1)[1]
        for part in body.split(boundary)[1:]:
            if part.startswith("--"):
                break
            inner_block, inner_body = _split_block(part.lstrip("\r\n"))
            inner_kind = _content_headers(inner_block)[0]
            if inner_kind.startswith(("text/plain", "multipart/")):
                return first_line(inner_block, inner_body, depth + 1)
        return ""
    if not kind.startswith("text/plain"):
        return ""
    raw = _bytes(body)
    try:
        if encoding == "base64":
            packed = b"".join(raw.split())
            raw = a2b_base64(packed[: len(packed) // 4 * 4])
        elif encoding == "quoted-printable":
            raw = a2b_qp(raw)
    except (ValueError, BinasciiError):
        return ""
    try:
        text = raw.decode(charset, "replace")
    except LookupError:
        text = _text(raw)
    for line in text.splitlines():
        line = " ".join(line.split())
        if line and not line.startswith(">"):
            return line[:FIRST_LINE_MAX]
    return ""


# --- Streaming ----------------------------------------------------------------------------------


@dataclass(slots=True)
class MboxReader:
    """An mbox fed in chunks: `feed` yields each message as its headers end (and, when the
    first line is kept, once enough of its body is seen); `end` yields the last."""

    keep_first_line: bool = False
    started: bool = False
    in_headers: bool = True
    buffer: str = ""
    block: str = ""  # the current message's headers, while its body is peeked at
    body: str = ""
    pending: bool = False  # a message whose headers are read but not yet yielded
    messages: int = 0
    skipped: int = 0
    size: int = 0
    not_mbox: bool = False
    separator: str = ""  # the current message's `From ` line

    def feed(self, chunk: str) -> Iterator[Mail]:
        self.size += len(chunk)
        self.buffer += chunk
        if not self.started:
            if len(self.buffer) < 5:
                return
            if not self.buffer.startswith("From "):
                self.not_mbox = True
                self.buffer = ""
                return
            self.started = True
            self.in_headers = True
            newline = self.buffer.find("\n")
            if newline < 0:
                self.started = False
                return
            self.separator = self.buffer[:newline]
            self.buffer = self.buffer[newline + 1 :]
        yield from self._run(final=False)

    def end(self) -> Iterator[Mail]:
        if self.started:
            yield from self._run(final=True)
            if self.in_headers and self.buffer.strip():
                yield from self._message(self.buffer, "")
            elif not self.in_headers and self.pending:
                yield from self._message(self.block, self.body)
        self.buffer = ""

    def _message(self, block: str, body: str) -> Iterator[Mail]:
        self.pending = False
        self.block = self.body = ""
        self.messages += 1
        mail = parse_headers(block, body if self.keep_first_line else "", self.separator)
        if mail is None:
            self.skipped += 1
        else:
            yield mail

    def _next_separator(self, text: str, start: int) -> int:
        """Where the next message's `From ` line starts (its newline before), from `start`;
        -1 when none does before the last, unfinished line (which may be the start of one)."""
        at = start
        while True:
            at = text.find("\nFrom ", at)
            if at < 0:
                return -1
            end = text.find("\n", at + 1)
            if end < 0:
                return -1
            if _SEPARATOR.match(text, at + 1, end):
                return at
            at += 6

    def _headers_end(self, text: str, pos: int) -> tuple[int, int]:
        """(end of the header block, start of the body) from `pos`, or (-1, -1)."""
        found = _BLANK_LINE.search(text, pos)
        return (found.start(), found.end()) if found else (-1, -1)

    def _run(self, *, final: bool) -> Iterator[Mail]:
        text, pos = self.buffer, 0
        try:
            while True:
                if self.in_headers:
                    end, body = self._headers_end(text, pos)
                    if end < 0:
                        if len(text) - pos > MAX_HEADERS:  # broken or hostile: cut it
                            text = text[pos : pos + MAX_HEADERS] + "\n\n"
                            pos = 0
                            continue
                        return
                    self.block = text[pos:end]
                    pos = body
                    self.in_headers = False
                    self.pending = True
                    self.body = ""
                at = self._next_separator(text, max(pos - 1, 0))
                if at < 0:
                    # Keep the last, unfinished line: it may be the start of "\nFrom ...\n".
                    keep = text.rfind("\n", pos) if not final else -1
                    keep = keep if keep >= 0 and len(text) - keep < MAX_HEADERS else len(text)
                    self._peek(text, pos, keep)
                    pos = keep
                    return
                self._peek(text, pos, at)
                yield from self._message(self.block, self.body)
                end = text.find("\n", at + 1)
                self.separator = text[at + 1 : end]
                pos = end + 1
                self.in_headers = True
        finally:
            self.buffer = text[pos:]

    def _peek(self, text: str, start: int, end: int) -> None:
        """Keep the beginning of a body, only when its first line is asked for."""
        if self.keep_first_line and len(self.body) < BODY_PEEK:
            self.body += text[start : min(end, start + BODY_PEEK - len(self.body))]


def read_mbox(text: str, *, keep_first_line: bool = False, chunk: int = 1 << 20) -> list[Mail]:
    """A whole mbox (a byte string), through the streaming reader: for tests and small files."""
    reader = MboxReader(keep_first_line=keep_first_line)
    out: list[Mail] = []
    for i in range(0, len(text), chunk):
        out.extend(reader.feed(text[i : i + chunk]))
    out.extend(reader.end())
    return out


def read_eml(text: str, *, keep_first_line: bool = False) -> Mail | None:
    """One `.eml` file (a byte string): its headers, and its first line when kept."""
    block, body = _split_block(text.lstrip("\r\n"))
    if block.startswith("From ") and "\n" in block:  # an mbox separator line at the top
        block = block.split("\n", 1)[1]
    return parse_headers(block, body[:BODY_PEEK] if keep_first_line else "")
