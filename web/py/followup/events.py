"""What a command did, in the past tense, for the shell to show, log or sync.

Each event is sent to JavaScript as `{"type": "person_added", ...fields}`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, fields
from datetime import UTC, date, datetime
from typing import Any

from .model import (
    EventId,
    InteractionId,
    IntroductionId,
    OpportunityId,
    PersonId,
)


@dataclass(frozen=True, slots=True, kw_only=True)
class DomainEvent:
    pass


@dataclass(frozen=True, slots=True, kw_only=True)
class PersonAdded(DomainEvent):
    person_id: PersonId


@dataclass(frozen=True, slots=True, kw_only=True)
class PersonUpdated(DomainEvent):
    person_id: PersonId
    fields: tuple[str, ...]


@dataclass(frozen=True, slots=True, kw_only=True)
class EventAdded(DomainEvent):
    event_id: EventId


@dataclass(frozen=True, slots=True, kw_only=True)
class IntroductionRecorded(DomainEvent):
    introduction_id: IntroductionId
    introducer_id: PersonId
    introduced_id: PersonId


@dataclass(frozen=True, slots=True, kw_only=True)
class IntroductionUpdated(DomainEvent):
    introduction_id: IntroductionId
    fields: tuple[str, ...]


@dataclass(frozen=True, slots=True, kw_only=True)
class IntroductionAdvanced(DomainEvent):
    """An interaction moved an introduction on (offered -> contacted -> met)."""

    introduction_id: IntroductionId
    status: str


@dataclass(frozen=True, slots=True, kw_only=True)
class InteractionLogged(DomainEvent):
    interaction_id: InteractionId
    person_ids: tuple[PersonId, ...]
    kind: str


@dataclass(frozen=True, slots=True, kw_only=True)
class FollowUpAnswered(DomainEvent):
    """An interaction was logged as the answer to a follow-up (its draft was sent)."""

    key: str
    interaction_id: InteractionId


@dataclass(frozen=True, slots=True, kw_only=True)
class OpportunityAdded(DomainEvent):
    opportunity_id: OpportunityId


@dataclass(frozen=True, slots=True, kw_only=True)
class OpportunityUpdated(DomainEvent):
    opportunity_id: OpportunityId
    fields: tuple[str, ...]


@dataclass(frozen=True, slots=True, kw_only=True)
class OpportunityMoved(DomainEvent):
    opportunity_id: OpportunityId
    previous: str
    stage: str


@dataclass(frozen=True, slots=True, kw_only=True)
class GratitudeRoundOpened(DomainEvent):
    """You landed: these people are owed a thank-you, and this one opened the most doors."""

    opportunity_id: OpportunityId
    person_ids: tuple[PersonId, ...]
    most_doors: PersonId | None
    courtesy_notes: tuple[OpportunityId, ...]


@dataclass(frozen=True, slots=True, kw_only=True)
class FollowUpDone(DomainEvent):
    key: str


@dataclass(frozen=True, slots=True, kw_only=True)
class FollowUpSnoozed(DomainEvent):
    key: str
    until: datetime


@dataclass(frozen=True, slots=True, kw_only=True)
class FollowUpSkipped(DomainEvent):
    key: str
    reason: str


@dataclass(frozen=True, slots=True, kw_only=True)
class FollowUpReopened(DomainEvent):
    key: str


@dataclass(frozen=True, slots=True, kw_only=True)
class AdviceActedOn(DomainEvent):
    interaction_id: InteractionId
    item: int


@dataclass(frozen=True, slots=True, kw_only=True)
class PromiseKept(DomainEvent):
    interaction_id: InteractionId
    item: int


@dataclass(frozen=True, slots=True, kw_only=True)
class PeopleMerged(DomainEvent):
    keep_id: PersonId
    drop_id: PersonId


@dataclass(frozen=True, slots=True, kw_only=True)
class SettingsSaved(DomainEvent):
    pass


@dataclass(frozen=True, slots=True, kw_only=True)
class ProfileSaved(DomainEvent):
    pass


def event_type(event: DomainEvent) -> str:
    """ "PersonAdded" -> "person_added"."""
    return re.sub(r"(?<!^)(?=[A-Z])", "_", type(event).__name__).lower()


def encode_event(event: DomainEvent) -> dict[str, Any]:
    out: dict[str, Any] = {"type": event_type(event)}
    for f in fields(event):
        out[f.name] = _plain(getattr(event, f.name))
    return out


def _plain(value: object) -> Any:
    if isinstance(value, datetime):
        return value.astimezone(UTC).isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, tuple):
        return [_plain(v) for v in value]
    return value
