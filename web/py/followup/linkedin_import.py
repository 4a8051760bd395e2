"""Importing LinkedIn's archive (issue #18): the people, and the history with them.

transfer.py's `import_preview`/`import_commit` read the archive here when given `zip` (the
ZIP's bytes, base64) or `files` ({path: text}). Connections (and, when chosen, the people you
exchanged messages with who are not connections) go through the ordinary contact plan; then
each message with someone known becomes a `message_sent`/`message_received` interaction, each
invitation one more, and each job application an opportunity at "applied". Every record's id
comes from its source (`"h-" + sha256(source_id)[:20]`), so importing the archive again adds
nothing twice. Content is never kept, only its first line when the user opts in.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from .bounds import scrub_text
from .classify import asks_question
from .errors import CodecError
from .fields import Fields
from .interop.contact import BadFile, Contact, Parsed
from .interop.linkedin_archive import Archive, Message, read_files, unzip
from .interop.match import Plan, linkedin_key, name_key
from .interop.table import make_contact
from .model import (
    Interaction,
    InteractionId,
    InteractionKind,
    Opportunity,
    OpportunityId,
    PersonId,
    Stage,
)
from .state import State

ARCHIVE_FIELDS = ("zip", "files", "me", "strangers", "first_line")
FIRST_LINE_MAX = 200
_SUBJECT_MAX = 200
_INVITATION = "Invitation to connect on LinkedIn"

READ_WORDS = (
    "Read on this device: your connections, your messages (who, when, subject and "
    "conversation), your invitations and your job applications."
)
PRIVACY_WORDS = (
    "Kept: who you wrote to and who wrote to you, when, the subject and whether they asked you "
    "something. Not kept: what the messages say{first_line}. Nothing leaves this device, "
    "except through your own encrypted sync."
)


def history_id(source_id: str) -> str:
    return "h-" + hashlib.sha256(source_id.encode()).hexdigest()[:20]


@dataclass(slots=True)
class Me:
    name: str
    url: str
    how: str  # "chosen", "profile" (Profile.csv), "messages" (in every conversation), "unsure"
    choices: list[str] = field(default_factory=list)


@dataclass(slots=True)
class ArchiveRead:
    archive: Archive
    me: Me
    strangers: list[Contact]  # not connections, with a real exchange
    add_strangers: bool
    first_line: bool

    @property
    def parsed(self) -> Parsed:
        people = list(self.archive.connections.contacts) if self.archive.connections else []
        problems = self.archive.connections.problems if self.archive.connections else ()
        if self.add_strangers:
            people.extend(self.strangers)
        return Parsed(contacts=tuple(people), problems=problems)


# The last archive read, by the sha256 of what came in: `import_commit` reads the same bytes the
# preview just read (a pure function's memo: the same input gives the same, unmodified, answer).
_LAST: dict[str, Archive] = {}


def read_archive(f: Fields) -> ArchiveRead:
    given = f.blob("zip") if f.has("zip") else json.dumps(f.raw.get("files"), sort_keys=True)
    digest = hashlib.sha256(given.encode()).hexdigest()
    archive = _LAST.get(digest) or _read(f)
    _LAST.clear()
    _LAST[digest] = archive
    me = _me(archive, f.text("me", "") if f.has("me") else "")
    add = bool(f.raw.get("strangers", True))
    return ArchiveRead(archive, me, _strangers(archive, me), add, bool(f.raw.get("first_line")))


def _read(f: Fields) -> Archive:
    if f.has("zip"):
        try:
            data = base64.b64decode(f.blob("zip"), validate=True)
        except (binascii.Error, ValueError):
            raise CodecError(
                "bad-value", "'zip' is the archive's bytes in base64.", "zip"
            ) from None
        files = unzip(data)
    else:
        raw = f.raw.get("files")
        if not isinstance(raw, Mapping) or not all(isinstance(v, str) for v in raw.values()):
            raise CodecError("wrong-type", "'files' maps each file's name to its text.", "files")
        files = {str(k): str(v) for k, v in raw.items()}
    return read_files(files)


def _participants(m: Message) -> list[tuple[str, str]]:
    urls = m.recipient_urls if len(m.recipient_urls) == len(m.recipients) else ()
    out = [(m.sender, m.sender_url)]
    out.extend((n, urls[i] if urls else "") for i, n in enumerate(m.recipients))
    return out


def _me(archive: Archive, chosen: str) -> Me:
    """Who "you" are: as chosen, else Profile.csv, else the one in (nearly) every conversation
    of the archive; unsure (the preview asks) when that is not plain."""
    seen: dict[str, set[str]] = {}
    urls: dict[str, str] = {}
    for m in archive.messages:
        for name, url in _participants(m):
            seen.setdefault(name, set()).add(m.conversation)
            if url:
                urls.setdefault(name, url)
    ranked = sorted(seen, key=lambda n: (-len(seen[n]), n))
    choices = ranked[:8]
    if chosen:
        return Me(chosen, urls.get(chosen, ""), "chosen", choices)
    if archive.owner_name:
        return Me(archive.owner_name, archive.owner_url, "profile", choices)
    if not ranked:
        return Me("", "", "messages", [])
    conversations = len({m.conversation for m in archive.messages})
    top = len(seen[ranked[0]])
    second = len(seen[ranked[1]]) if len(ranked) > 1 else 0
    sure = top > second and top >= 0.8 * conversations
    return Me(ranked[0], urls.get(ranked[0], ""), "messages" if sure else "unsure", choices)


def _is_me(me: Me, name: str, url: str) -> bool:
    """By profile URL, or by name (an export may write the same profile two ways)."""
    if me.url and url and linkedin_key(url) == linkedin_key(me.url):
        return True
    return bool(me.name) and name_key(name) == name_key(me.name)


# Senders that are no one in particular: a deleted account, LinkedIn itself.
_NOBODY = frozenset({"linkedin member", "linkedin", ""})


def _strangers(archive: Archive, me: Me) -> list[Contact]:
    """People who are not connections with whom there was a real exchange: they wrote in a
    conversation where you wrote too."""
    known_urls: set[str] = set()
    known_names: set[str] = set()
    for c in archive.connections.contacts if archive.connections else ():
        known_urls.update(linkedin_key(u) for u in c.urls)
        known_names.add(name_key(c.name))
    wrote: dict[str, set[str]] = {}  # conversation -> names who wrote
    mine: set[str] = set()
    urls: dict[str, str] = {}
    for m in archive.messages:
        if _is_me(me, m.sender, m.sender_url):
            mine.add(m.conversation)
        else:
            wrote.setdefault(m.conversation, set()).add(m.sender)
            if m.sender_url:
                urls.setdefault(m.sender, m.sender_url)
    out: dict[str, Contact] = {}
    for conversation, names in wrote.items():
        if conversation not in mine:
            continue
        for name in sorted(names):
            url = urls.get(name, "")
            if name_key(name) in _NOBODY:
                continue
            if (url and linkedin_key(url) in known_urls) or name_key(name) in known_names:
                continue
            if name_key(name) not in out:
                out[name_key(name)] = make_contact(
                    0,
                    0,
                    name=name,
                    urls=[url] if url else [],
                    tags=["LinkedIn"],
                    notes="Messaged on LinkedIn (not a connection).",
                )
    # Rows after the archive's connections, numbered on from them.
    start = len(archive.connections.contacts) if archive.connections else 0
    return [_numbered(c, start + i) for i, c in enumerate(out.values(), 1)]


def _numbered(contact: Contact, row: int) -> Contact:
    from dataclasses import replace

    return replace(contact, row=row, line=0)


# --- Records ------------------------------------------------------------------------------------


class _People:
    """Who a name or profile URL is: known people, and the people this import adds."""

    def __init__(self, state: State, plan: Plan, swap: Mapping[str, str]) -> None:
        self.by_url: dict[str, str] = {}
        self.by_name: dict[str, list[str]] = {}
        for p in state.people.values():
            self._add(p.id, p.name, p.urls)
        for row in plan.rows:
            if row.action != "skip":
                self._add(swap.get(row.key, row.key), row.contact.name, row.contact.urls)

    def _add(self, key: str, name: str, urls: Iterable[str]) -> None:
        for u in urls:
            if linkedin_key(u):
                self.by_url.setdefault(linkedin_key(u), key)
        named = self.by_name.setdefault(name_key(name), [])
        if key not in named:
            named.append(key)

    def find(self, name: str, url: str) -> str | None:
        if url and linkedin_key(url) in self.by_url:
            return self.by_url[linkedin_key(url)]
        named = self.by_name.get(name_key(name), [])
        return named[0] if len(named) == 1 else None


def _first_line(text: str) -> str:
    for line in text.splitlines():
        if line.strip():
            return line.strip()[:FIRST_LINE_MAX]
    return ""


def history_records(
    state: State, read: ArchiveRead, plan: Plan, ids: list[str], now: datetime
) -> tuple[list[Interaction | Opportunity], dict[str, int]]:
    """The interactions and opportunities the archive adds (none already here or in the trash),
    and counts of what was read and what was left out."""
    swap = dict(zip(plan.placeholders, ids, strict=False))
    people = _People(state, plan, swap)
    me = read.me
    out: dict[str, Interaction | Opportunity] = {}
    counts = {
        "messages": 0,
        "messages_sent": 0,
        "messages_received": 0,
        "messages_unknown": 0,
        "messages_already": 0,
        "invitations": 0,
        "applications_new": 0,
        "applications_matched": 0,
    }

    def here(store: str, key: str) -> bool:
        found = key in (state.interactions if store == "interactions" else state.opportunities)
        return found or (store, key) in state.trash or key in out

    def add(
        kind: InteractionKind,
        whom: list[str],
        at: datetime,
        source: str,
        *,
        subject: str,
        thread: str,
        asks: bool,
        line: str,
        notes: str = "",
    ) -> bool:
        key = history_id(source)
        if here("interactions", key):
            counts["messages_already"] += 1
            return False
        out[key] = Interaction(
            id=InteractionId(key),
            person_ids=tuple(PersonId(p) for p in dict.fromkeys(whom)),
            kind=kind,
            at=at,
            notes=notes,
            subject=scrub_text(subject[:_SUBJECT_MAX]),
            thread=scrub_text(thread[:_SUBJECT_MAX]),
            source_id=scrub_text(source[: _SUBJECT_MAX * 2]),
            asks=asks,
            first_line=scrub_text(line) if read.first_line else "",
            created_at=now,
        )
        return True

    for m in read.archive.messages:
        counts["messages"] += 1
        subject = m.subject or m.title
        source = f"linkedin:{m.conversation}:{m.at.isoformat()}:{m.sender_url or m.sender}"
        notes = "LinkedIn InMail" if m.inmail else ""
        if _is_me(me, m.sender, m.sender_url):
            whom = [
                k
                for n, u in _participants(m)[1:]
                if not _is_me(me, n, u) and (k := people.find(n, u)) is not None
            ]
            if not whom:
                counts["messages_unknown"] += 1
                continue
            if add(
                InteractionKind.MESSAGE_SENT, whom, m.at, source, subject=subject,
                thread=m.conversation, asks=False, line=_first_line(m.content), notes=notes,
            ):  # fmt: skip
                counts["messages_sent"] += 1
            continue
        who = people.find(m.sender, m.sender_url)
        if who is None:
            counts["messages_unknown"] += 1
            continue
        asks = asks_question(m.content or subject)
        if add(
            InteractionKind.MESSAGE_RECEIVED, [who], m.at, source, subject=subject,
            thread=m.conversation, asks=asks, line=_first_line(m.content), notes=notes,
        ):  # fmt: skip
            counts["messages_received"] += 1

    for inv in read.archive.invitations:
        name, url = (
            (inv.recipient, inv.recipient_url) if inv.outgoing else (inv.sender, inv.sender_url)
        )
        who = people.find(name, url)
        if who is None:
            continue
        source = f"linkedin-invitation:{inv.at.isoformat()}:{inv.sender}:{inv.recipient}"
        kind = InteractionKind.MESSAGE_SENT if inv.outgoing else InteractionKind.MESSAGE_RECEIVED
        if add(
            kind, [who], inv.at, source, subject=_INVITATION, thread="", asks=False,
            line=_first_line(inv.message),
            notes=_INVITATION + (" (with a message)" if inv.message else ""),
        ):  # fmt: skip
            counts["invitations"] += 1

    known = {
        (name_key(o.organisation), name_key(o.role)): o.id for o in state.opportunities.values()
    }
    for job in read.archive.applications:
        pair = (name_key(job.organisation), name_key(job.title))
        key = history_id(f"linkedin-job:{pair[0]}:{pair[1]}:{job.at.date().isoformat()}")
        if pair in known or here("opportunities", key):
            counts["applications_matched"] += 1
            continue
        known[pair] = OpportunityId(key)
        out[key] = Opportunity(
            id=OpportunityId(key),
            organisation=scrub_text(job.organisation[:_SUBJECT_MAX]),
            role=scrub_text(job.title[:_SUBJECT_MAX]),
            stage=Stage.APPLIED,
            stage_at=job.at,
            notes=scrub_text(f"Applied on LinkedIn. {job.url[:2000]}".strip()),
            created_at=now,
        )
        counts["applications_new"] += 1
    return list(out.values()), counts


def summary(read: ArchiveRead) -> dict[str, Any]:
    """What the preview says about the archive: what was read, who "you" are, what is kept."""
    a = read.archive
    missing = [
        f"{file} has no {', '.join(c.title() for c in cols)} column{'s' if len(cols) > 1 else ''}"
        for file, cols in a.missing.items()
    ]
    return {
        "files": list(a.files),
        "connections": len(a.connections.contacts) if a.connections else 0,
        "messages": len(a.messages),
        "conversations": len({m.conversation for m in a.messages}),
        "inmail": sum(1 for m in a.messages if m.inmail),
        "sponsored": a.sponsored,
        "unreadable": a.unreadable,
        "invitations": len(a.invitations),
        "applications": len(a.applications),
        "missing": missing,
        "me": {"name": read.me.name, "how": read.me.how, "choices": read.me.choices},
        "ask_me": read.me.how == "unsure",
        "strangers": [c.name for c in read.strangers],
        "add_strangers": read.add_strangers,
        "first_line": read.first_line,
        "read_words": READ_WORDS,
        "privacy_words": PRIVACY_WORDS.format(
            first_line=" (only their first line, as you chose)" if read.first_line else ""
        ),
    }


def check_archive(read: ArchiveRead) -> None:
    if not read.me.name and read.archive.messages:
        raise BadFile("who-are-you", "Choose which sender is you.")
