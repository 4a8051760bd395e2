"""The records Followthrough knows: people, events, introductions, interactions, opportunities,
the user's decisions on follow-ups, and the follow-ups themselves (derived, never stored).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum
from typing import NamedTuple, NewType

PersonId = NewType("PersonId", str)
EventId = NewType("EventId", str)
IntroductionId = NewType("IntroductionId", str)
InteractionId = NewType("InteractionId", str)
OpportunityId = NewType("OpportunityId", str)


class InteractionKind(StrEnum):
    MEETING = "meeting"
    CALL = "call"
    COFFEE = "coffee"
    INTERVIEW = "interview"
    INFORMATIONAL_INTERVIEW = "informational_interview"
    MESSAGE_SENT = "message_sent"
    MESSAGE_RECEIVED = "message_received"
    THANK_YOU_EMAIL = "thank_you_email"
    THANK_YOU_CARD = "thank_you_card"
    THANK_YOU_CALL = "thank_you_call"
    INTRODUCER_UPDATE = "introducer_update"
    NOTE = "note"
    MEAL = "meal"  # lunch or dinner
    VIDEO_CALL = "video_call"
    REPLY = "reply"  # a reply received from them, with its answer (`Reply`)
    NO_REPLY = "no_reply"  # the user gave up waiting: ends the chase (stop.py)


class Reply(StrEnum):
    """What a reply received said, for the stop rules: a "no" ends the nudges."""

    YES = "yes"
    NO = "no"
    LATER = "later"


# The sets below hold plain strings, not members: hashing a member runs Python code in 3.11,
# and Today tests these sets tens of thousands of times.
# Someone gave you their time: a thank-you is owed (seed 001).
MEETING_KINDS: frozenset[str] = frozenset(
    {"meeting", "call", "coffee", "interview", "informational_interview", "meal", "video_call"}
)
# A handwritten card counts as much as an email (seed 002).
THANK_YOU_KINDS: frozenset[str] = frozenset({"thank_you_email", "thank_you_card", "thank_you_call"})
# Any exchange at all, whoever started it: you are "in touch".
CONTACT_KINDS: frozenset[str] = frozenset(k.value for k in InteractionKind) - {"note", "no_reply"}
# Something you said or sent to them: what "reporting back" and "telling them" need.
OUTBOUND_KINDS: frozenset[str] = CONTACT_KINDS - {"message_received", "reply"}
# They answered: a message or reply from them, or time spent together.
INBOUND_KINDS: frozenset[str] = MEETING_KINDS | {"message_received", "reply"}
UPDATE_KINDS: frozenset[str] = frozenset({"introducer_update"})


class IntroductionKind(StrEnum):
    INTRODUCTION = "introduction"
    REFERRAL = "referral"
    NAME = "name"


class IntroductionStatus(StrEnum):
    OFFERED = "offered"
    CONTACTED = "contacted"
    MET = "met"
    OUTCOME = "outcome"


INTRODUCTION_STATUS_ORDER = tuple(IntroductionStatus)


class Stage(StrEnum):
    LEAD = "lead"
    APPLIED = "applied"
    INTERVIEWING = "interviewing"
    OFFER = "offer"
    ACCEPTED = "accepted"
    DECLINED = "declined"
    REJECTED = "rejected"
    WITHDRAWN = "withdrawn"


FINAL_STAGES = frozenset({Stage.ACCEPTED, Stage.DECLINED, Stage.REJECTED, Stage.WITHDRAWN})
# "Still a candidate" there: they are investing time in you (seed 001).
CANDIDATE_STAGES = frozenset({Stage.APPLIED, Stage.INTERVIEWING, Stage.OFFER})
ACTIVE_STAGES = CANDIDATE_STAGES | {Stage.LEAD}


class OpportunityRole(StrEnum):
    RECRUITER = "recruiter"
    INTERVIEWER = "interviewer"
    REFERENCE = "reference"
    CONTACT = "contact"
    HIRING_MANAGER = "hiring_manager"


class AdviceKind(StrEnum):
    NAMES = "names"
    BOOK = "book"
    RESUME = "resume"
    OTHER = "other"


class DecisionStatus(StrEnum):
    DONE = "done"
    SNOOZED = "snoozed"
    SKIPPED = "skipped"


class Channel(StrEnum):
    EMAIL = "email"
    SMS = "sms"
    CALL = "call"
    CARD = "card"


class FollowUpStatus(StrEnum):
    OPEN = "open"
    SNOOZED = "snoozed"


@dataclass(frozen=True, slots=True, kw_only=True)
class Person:
    id: PersonId
    name: str
    # The given name a card's structured name holds (vCard N), for greetings; "" if unknown.
    given_name: str = ""
    # What the user calls them ("Bill" for William): overrides every other greeting.
    call_them: str = ""
    organisation: str = ""
    role: str = ""
    emails: tuple[str, ...] = ()
    phones: tuple[str, ...] = ()
    urls: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()
    notes: str = ""
    how_met: str = ""
    event_id: EventId | None = None
    # None: the cadence follows the relationship (settings); 0: never remind.
    cadence_days: int | None = None
    created_at: datetime
    updated_at: datetime


@dataclass(frozen=True, slots=True, kw_only=True)
class Event:
    id: EventId
    name: str
    date: date
    place: str = ""
    created_at: datetime


@dataclass(frozen=True, slots=True, kw_only=True)
class Introduction:
    """`introducer` introduced you to `introduced` (or referred you, or gave you the name)."""

    id: IntroductionId
    introducer_id: PersonId
    introduced_id: PersonId
    at: datetime
    kind: IntroductionKind = IntroductionKind.INTRODUCTION
    context: str = ""
    status: IntroductionStatus = IntroductionStatus.OFFERED
    status_at: datetime | None = None
    outcome: str = ""
    created_at: datetime


@dataclass(frozen=True, slots=True, kw_only=True)
class Advice:
    text: str
    kind: AdviceKind = AdviceKind.OTHER
    done_at: datetime | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class Promise:
    text: str
    due: date
    done_at: datetime | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class Interaction:
    id: InteractionId
    person_ids: tuple[PersonId, ...]
    kind: InteractionKind
    at: datetime
    notes: str = ""
    advice: tuple[Advice, ...] = ()
    promises: tuple[Promise, ...] = ()
    opportunity_id: OpportunityId | None = None
    # Set when the interaction was the answer to a follow-up (a sent draft): it closes that key.
    followup_key: str | None = None
    # For a reply received (`InteractionKind.REPLY`): what they said.
    reply: Reply | None = None
    # History (issue 18), set by the importers: the message's subject, its thread or
    # conversation id, the dedupe key it was imported under (a Message-ID, a conversation id and
    # date, an ics UID and start; "" when typed by hand), whether a message from them asks
    # something (classify.asks_question), and its first line (only when the user opted in).
    subject: str = ""
    thread: str = ""
    source_id: str = ""
    asks: bool = False
    first_line: str = ""
    created_at: datetime


@dataclass(frozen=True, slots=True, kw_only=True)
class OpportunityPerson:
    person_id: PersonId
    role: OpportunityRole


@dataclass(frozen=True, slots=True, kw_only=True)
class Opportunity:
    id: OpportunityId
    organisation: str
    role: str = ""
    stage: Stage = Stage.LEAD
    stage_at: datetime
    people: tuple[OpportunityPerson, ...] = ()
    introduction_id: IntroductionId | None = None
    notes: str = ""
    created_at: datetime


@dataclass(frozen=True, slots=True, kw_only=True)
class FollowUpDecision:
    """What the user decided about one follow-up, keyed by its stable key."""

    key: str
    status: DecisionStatus
    until: datetime | None = None
    reason: str = ""
    at: datetime


@dataclass(frozen=True, slots=True, kw_only=True)
class Profile:
    """The user's own card: who signs the drafts, and what "My card" shares as a QR code."""

    name: str = ""
    email: str = ""
    phone: str = ""
    role: str = ""
    organisation: str = ""
    url: str = ""


NO_PROFILE = Profile()


class Refs(NamedTuple):
    """The records a follow-up is about, so the UI can link to them and drafts can quote them.
    A named tuple rather than a dataclass: Today makes thousands of these per call."""

    introduction_id: IntroductionId | None = None
    interaction_id: InteractionId | None = None
    opportunity_id: OpportunityId | None = None
    event_id: EventId | None = None
    item: int | None = None  # index of the advice or promise inside the interaction


NO_REFS = Refs()


@dataclass(frozen=True, slots=True, kw_only=True)
class FollowUp:
    """Something the user owes someone. Derived from the records, never stored."""

    key: str
    rule: str
    person_ids: tuple[PersonId, ...]
    who: str
    why: str
    since: datetime  # when the fact that created it happened; never after `now`
    due: datetime
    due_date: date | None = None  # set for all-day follow-ups (a promise due on a day)
    overdue: bool
    overdue_hours: float
    priority: int
    channels: tuple[Channel, ...]
    group: str | None = None
    mark: str | None = None
    roles: tuple[str, ...] = ()
    refs: Refs = NO_REFS
    status: FollowUpStatus = FollowUpStatus.OPEN
    snoozed_until: datetime | None = None
    # A bundle (key `bundle:<person>`): everything owed to one person, as one item (bundle.py).
    parts: tuple[FollowUp, ...] = ()
    label: str = ""  # a bundle's summary: "3 things for Ana: thanks · Wei's introduction · news"


@dataclass(frozen=True, slots=True, kw_only=True)
class Recipient:
    name: str
    email: str = ""
    phone: str = ""


@dataclass(frozen=True, slots=True, kw_only=True)
class Need:
    """Something a draft cannot say from the records: the user's one-line answer to
    `question`, passed back to the draft as `answers[field]`, fills it in."""

    field: str
    question: str
    key: str = ""  # the follow-up it is about ("" for the whole message: the user's name)


@dataclass(frozen=True, slots=True, kw_only=True)
class Draft:
    subject: str
    body: str
    sms: str
    channels: tuple[Channel, ...]
    to: Recipient
    needs: tuple[Need, ...] = ()
    tone: str = "warm"


def first_name(name: str) -> str:
    """The word people call you by in a greeting: the first word of the name."""
    parts = name.split()
    return parts[0] if parts else ""


@dataclass(frozen=True, slots=True, kw_only=True)
class RoundRecord:
    """Who was in a landing's gratitude round and why, as it opened: written by the `accepted`
    move (a `meta` record, `gratitude-round:<opportunity id>`), so the round still lists people
    once they are thanked and employers once they are told."""

    opportunity_id: OpportunityId
    at: datetime
    person_ids: tuple[PersonId, ...]
    most_doors: PersonId | None = None
    courtesy_notes: tuple[OpportunityId, ...] = ()
    roles: tuple[tuple[PersonId, tuple[str, ...]], ...] = ()  # (person, their roles), by person
