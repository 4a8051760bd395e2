"""Mail and calendar history matched to the people you know, by email address: each message
becomes an interaction (sent or received, with its date, subject and thread), each meeting a
meeting with the attendees you know. Ids come from the dedupe key (`history_id`), so the same
file imported twice adds nothing the second time.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING

from followup.classify import asks_question
from followup.model import Interaction, InteractionId, InteractionKind, PersonId
from followup.state import State

if TYPE_CHECKING:  # the readers themselves load only when a file is read (mail_ops.py)
    from .ics_read import Meeting
    from .mbox import Mail

# At most this many distinct senders are counted, to guess the user's own address.
MAX_SENDERS = 100_000


def history_id(source_id: str) -> InteractionId:
    """The interaction id of an imported message or meeting: the same file gives the same ids."""
    return InteractionId("h-" + hashlib.sha256(source_id.encode()).hexdigest()[:20])


def addresses_of(state: State) -> dict[str, PersonId]:
    """Every address of the people you know (a shared address goes to the first)."""
    known: dict[str, PersonId] = {}
    for person in state.people.values():
        for address in person.emails:
            known.setdefault(address.strip().lower(), person.id)
    return known


def asks(text: str) -> bool:
    """Whether a message from them asks something (the reply classifier's rule)."""
    return asks_question(text)


@dataclass(slots=True)
class MailBox:
    """What a mail import keeps while it reads: the messages that involve someone you know,
    and how often each address sent (the most frequent sender is most likely you)."""

    known: Mapping[str, PersonId]
    mails: dict[str, Mail] = field(default_factory=dict)  # by source_id: a duplicate is read once
    senders: Counter[str] = field(default_factory=Counter)
    read: int = 0

    def add(self, mails: Iterable[Mail]) -> None:
        for mail in mails:
            self.read += 1
            if mail.sender in self.senders or len(self.senders) < MAX_SENDERS:
                self.senders[mail.sender] += 1
            if mail.sender in self.known or any(r in self.known for r in mail.recipients):
                self.mails.setdefault(mail.source_id, mail)


def guess_own(state: State, box: MailBox) -> list[str]:
    """The user's own addresses: their card's, else the most frequent sender (who is not
    someone they know)."""
    profile = state.profile.email.strip().lower() if state.profile else ""
    if profile:
        return [profile]
    for address, _ in box.senders.most_common(5):
        if address not in box.known:
            return [address]
    return []


def candidates(box: MailBox) -> list[dict[str, object]]:
    return [
        {"address": a, "count": n} for a, n in box.senders.most_common(8) if a not in box.known
    ][:5]


@dataclass(frozen=True, slots=True)
class Built:
    interactions: list[Interaction]
    sent: int
    received: int
    meetings: int
    undated: int
    others: int  # messages between other people, or meetings with no one you know
    people: int


def from_mail(box: MailBox, own: Iterable[str], now: datetime, *, keep_first_line: bool) -> Built:
    own_set = {a.strip().lower() for a in own if a.strip()}
    out: list[Interaction] = []
    sent = received = undated = others = 0
    people: set[PersonId] = set()
    for mail in box.mails.values():
        if mail.at is None:
            undated += 1
            continue
        if mail.sender in box.known and mail.sender not in own_set:
            kind = InteractionKind.MESSAGE_RECEIVED
            who: tuple[PersonId, ...] = (box.known[mail.sender],)
        elif mail.sender in own_set:
            kind = InteractionKind.MESSAGE_SENT
            who = tuple(dict.fromkeys(box.known[r] for r in mail.recipients if r in box.known))
        else:
            others += 1
            continue
        if not who:
            others += 1
            continue
        line = mail.first_line if keep_first_line else ""
        received_ = kind is InteractionKind.MESSAGE_RECEIVED
        sent += not received_
        received += received_
        people.update(who)
        out.append(
            Interaction(
                id=history_id(mail.source_id),
                person_ids=who,
                kind=kind,
                at=mail.at,
                subject=mail.subject,
                thread=mail.thread,
                source_id=mail.source_id,
                asks=received_ and asks(f"{mail.subject}\n{mail.first_line}"),
                first_line=line,
                created_at=now,
            )
        )
    out.sort(key=lambda i: (i.at, i.id))
    return Built(out, sent, received, 0, undated, others, len(people))


def from_meetings(state: State, meetings: Iterable[Meeting], now: datetime) -> Built:
    known = addresses_of(state)
    out: list[Interaction] = []
    others = 0
    people: set[PersonId] = set()
    for meeting in meetings:
        if meeting.start > now:
            continue
        who = tuple(dict.fromkeys(known[a] for a in meeting.attendees if a in known))
        if not who:
            others += 1
            continue
        people.update(who)
        out.append(
            Interaction(
                id=history_id(meeting.source_id),
                person_ids=who,
                kind=InteractionKind.MEETING,
                at=meeting.start,
                subject=meeting.summary,
                thread=meeting.uid,
                source_id=meeting.source_id,
                created_at=now,
            )
        )
    return Built(out, 0, 0, len(out), 0, others, len(people))
