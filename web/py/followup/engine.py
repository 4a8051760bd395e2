"""decide(state, command, now, today) -> Decision: validate a command against the state and say
what changes (records to put and delete), what happened (events), and the new state.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, replace
from datetime import date, datetime
from typing import Any

from .addresses import is_email
from .bundle import bundle_parts, is_bundle_key, sent_parts
from .capture import fold
from .codec import decode_introduction, decode_opportunity, decode_person, encode_record
from .commands import (
    AddEvent,
    AddOpportunity,
    AddPerson,
    Capture,
    Command,
    LogInteraction,
    MarkDone,
    MergePeople,
    MoveOpportunity,
    RecordIntroduction,
    Reopen,
    SaveProfile,
    SaveSettings,
    Skip,
    Snooze,
    UpdateIntroduction,
    UpdateOpportunity,
    UpdatePerson,
    split_key,
)
from .context import make_context
from .edits import EDIT_HANDLERS
from .errors import EngineError, NotFoundError, ValidationError
from .events import (
    AdviceActedOn,
    DomainEvent,
    EventAdded,
    FollowUpAnswered,
    FollowUpDone,
    FollowUpReopened,
    FollowUpSkipped,
    FollowUpSnoozed,
    GratitudeRoundOpened,
    InteractionLogged,
    IntroductionAdvanced,
    IntroductionRecorded,
    IntroductionUpdated,
    OpportunityAdded,
    OpportunityMoved,
    OpportunityUpdated,
    PersonAdded,
    PersonUpdated,
    ProfileSaved,
    PromiseKept,
    SettingsSaved,
)
from .history import CommandUndone, Undo, find, plan_undo
from .landing import withdrawable
from .landing_round import open_round
from .merge import merge_people
from .model import (
    CONTACT_KINDS,
    INTRODUCTION_STATUS_ORDER,
    MEETING_KINDS,
    DecisionStatus,
    Event,
    FollowUpDecision,
    Interaction,
    InteractionId,
    InteractionKind,
    Introduction,
    IntroductionStatus,
    Opportunity,
    Person,
    PersonId,
    Stage,
)
from .settings import Rule, merge_settings
from .state import State, Stored, apply
from .trash import Delete, Erase, Restore
from .trash import delete as trash_delete
from .trash import erase as trash_erase
from .trash import restore as trash_restore


@dataclass(frozen=True, slots=True, kw_only=True)
class Decision:
    """The outcome of a command: the new state, and the changes the shell must store."""

    state: State
    events: tuple[DomainEvent, ...]
    put: tuple[Stored, ...]
    delete: tuple[tuple[str, str], ...]
    # Deletes that also wipe the record's synced state everywhere ("Erase now").
    erase: tuple[tuple[str, str], ...] = ()


def decide(state: State, command: Command, now: datetime, today: date) -> Decision:
    """Check `command` against `state`; raise a ValidationError or NotFoundError naming the field
    if it cannot be done, else return what changes."""
    handler: Callable[[State, Any, datetime, date], Decision] = _HANDLERS[type(command)]
    return handler(state, command, now, today)


def changed(
    state: State,
    events: Iterable[DomainEvent],
    put: Iterable[Stored] = (),
    delete: Iterable[tuple[str, str]] = (),
) -> Decision:
    put, delete = tuple(put), tuple(delete)
    return Decision(state=apply(state, put, delete), events=tuple(events), put=put, delete=delete)


def _add_person(state: State, c: AddPerson, now: datetime, today: date) -> Decision:
    _is_new(state.people, c.person.id, "id")
    _check_person(state, c.person)
    return changed(state, [PersonAdded(person_id=c.person.id)], [c.person])


def _update_person(state: State, c: UpdatePerson, now: datetime, today: date) -> Decision:
    person = _need(state.people, c.person_id, "id", "person")
    updated = decode_person({**encode_record(person), **c.changes, "updated_at": now}, "")
    _check_person(state, updated, person)
    event = PersonUpdated(person_id=person.id, fields=tuple(sorted(c.changes)))
    return changed(state, [event], [updated])


def _add_event(state: State, c: AddEvent, now: datetime, today: date) -> Decision:
    _is_new(state.events, c.event.id, "id")
    _not_blank(c.event.name, "name", "Give the event a name.")
    return changed(state, [EventAdded(event_id=c.event.id)], [c.event])


def _record_introduction(
    state: State, c: RecordIntroduction, now: datetime, today: date
) -> Decision:
    intro = c.introduction
    _is_new(state.introductions, intro.id, "id")
    _need(state.people, intro.introducer_id, "introducer_id", "person")
    _need(state.people, intro.introduced_id, "introduced_id", "person")
    if intro.introducer_id == intro.introduced_id:
        raise ValidationError(
            "same-person", "Someone cannot introduce you to themselves.", "introduced_id"
        )
    event = IntroductionRecorded(
        introduction_id=intro.id,
        introducer_id=intro.introducer_id,
        introduced_id=intro.introduced_id,
    )
    return changed(state, [event], [intro])


def _update_introduction(
    state: State, c: UpdateIntroduction, now: datetime, today: date
) -> Decision:
    intro = _need(state.introductions, c.introduction_id, "id", "introduction")
    updated = decode_introduction({**encode_record(intro), **c.changes}, "")
    if updated.status is not intro.status:
        offered = updated.status is IntroductionStatus.OFFERED
        updated = replace(updated, status_at=None if offered else now)
    event = IntroductionUpdated(introduction_id=intro.id, fields=tuple(sorted(c.changes)))
    return changed(state, [event], [updated])


def _log_interaction(state: State, c: LogInteraction, now: datetime, today: date) -> Decision:
    it = c.interaction
    _is_new(state.interactions, it.id, "id")
    if not it.person_ids:
        raise ValidationError("missing-field", "Say who this was with.", "person_ids")
    for i, pid in enumerate(it.person_ids):
        _need(state.people, pid, f"person_ids[{i}]", "person")
    if it.opportunity_id is not None:
        _need(state.opportunities, it.opportunity_id, "opportunity_id", "opportunity")
    if it.reply is not None and it.kind is not InteractionKind.REPLY:
        raise ValidationError(
            "not-a-reply", "Only a reply received says yes, no or later.", "reply"
        )
    for i, advice in enumerate(it.advice):
        _not_blank(advice.text, f"advice[{i}].text", "Write down what the advice was.")
    for i, promise in enumerate(it.promises):
        _not_blank(promise.text, f"promises[{i}].text", "Write down what you promised.")
    it = replace(it, person_ids=tuple(dict.fromkeys(it.person_ids)))
    events: list[DomainEvent] = [
        InteractionLogged(interaction_id=it.id, person_ids=it.person_ids, kind=it.kind.value)
    ]
    closed: list[FollowUpDecision] = []
    if it.followup_key is not None:
        events.append(FollowUpAnswered(key=it.followup_key, interaction_id=it.id))
        if is_bundle_key(it.followup_key):
            # One message sent for a bundle: it closes each part under the part's own key.
            closed = sent_parts(state, it.followup_key, now, today)
            events.extend(FollowUpAnswered(key=d.key, interaction_id=it.id) for d in closed)
    advanced = list(_advance_introductions(state, it))
    events.extend(
        IntroductionAdvanced(introduction_id=i.id, status=i.status.value) for i in advanced
    )
    return changed(state, events, [it, *advanced, *closed])


def _each_part(
    state: State,
    key: str,
    now: datetime,
    today: date,
    one: Callable[[State, str], Decision],
) -> Decision:
    """A decision on a bundle: the same decision on each part, under each part's own key."""
    parts = _Parts(state)
    for part in bundle_parts(state, key, now, today):
        parts.add(one(parts.state, part.key))
    puts = {(type(r), _key(r)): r for d in parts.decisions for r in d.put}
    return changed(state, [e for d in parts.decisions for e in d.events], puts.values())


def _advance_introductions(state: State, it: Interaction) -> Iterator[Introduction]:
    """Contact moves an introduction to "contacted", a meeting to "met"; never backwards."""
    if it.kind not in CONTACT_KINDS:
        return
    target = IntroductionStatus.MET if it.kind in MEETING_KINDS else IntroductionStatus.CONTACTED
    for pid in it.person_ids:
        for intro_id in state.index.intro.by_introduced.get(pid, ()):
            intro = state.introductions[intro_id]
            rank = INTRODUCTION_STATUS_ORDER.index
            if intro.at <= it.at and rank(intro.status) < rank(target):
                yield replace(intro, status=target, status_at=it.at)


def _add_opportunity(state: State, c: AddOpportunity, now: datetime, today: date) -> Decision:
    _is_new(state.opportunities, c.opportunity.id, "id")
    _check_opportunity(state, c.opportunity)
    return changed(state, [OpportunityAdded(opportunity_id=c.opportunity.id)], [c.opportunity])


def _update_opportunity(state: State, c: UpdateOpportunity, now: datetime, today: date) -> Decision:
    opp = _need(state.opportunities, c.opportunity_id, "id", "opportunity")
    updated = decode_opportunity({**encode_record(opp), **c.changes}, "")
    _check_opportunity(state, updated)
    event = OpportunityUpdated(opportunity_id=opp.id, fields=tuple(sorted(c.changes)))
    return changed(state, [event], [updated])


def _move_opportunity(state: State, c: MoveOpportunity, now: datetime, today: date) -> Decision:
    opp = _need(state.opportunities, c.opportunity_id, "id", "opportunity")
    others = [withdrawable(state, opp, oid, f"withdraw[{i}]") for i, oid in enumerate(c.withdraw)]
    withdrawn = [replace(o, stage=Stage.WITHDRAWN, stage_at=c.at) for o in others]
    events: list[DomainEvent] = [
        OpportunityMoved(opportunity_id=o.id, previous=o.stage.value, stage="withdrawn")
        for o in others
    ]
    if opp.stage is c.stage:
        return changed(state, events, withdrawn)
    moved = replace(opp, stage=c.stage, stage_at=c.at)
    events.insert(
        0, OpportunityMoved(opportunity_id=opp.id, previous=opp.stage.value, stage=c.stage.value)
    )
    decision = changed(state, events, [moved, *withdrawn])
    if c.stage is not Stage.ACCEPTED:
        return decision
    when = max(now, c.at)
    landing = make_context(decision.state, when, today).landing
    if landing is None or landing.opportunity.id != opp.id:
        return decision
    # The employers still considering you are told before the withdrawals close their processes.
    before = changed(state, [], [moved]).state
    record = open_round(before, decision.state, moved, landing, when, today)
    events.append(
        GratitudeRoundOpened(
            opportunity_id=opp.id,
            person_ids=record.person_ids,
            most_doors=record.most_doors,
            courtesy_notes=record.courtesy_notes,
        )
    )
    return changed(state, events, [moved, *withdrawn, record])


def _mark_done(state: State, c: MarkDone, now: datetime, today: date) -> Decision:
    if is_bundle_key(c.key):
        return _each_part(
            state, c.key, now, today, lambda s, k: _mark_done(s, MarkDone(key=k), now, today)
        )
    rule, subjects = split_key(c.key)
    if rule in (Rule.ACT_ON_ADVICE, Rule.PROMISE):
        it = _need(state.interactions, InteractionId(subjects[0]), "key", "interaction")
        item = int(subjects[1]) if subjects[1].isdigit() else -1
        items = it.advice if rule is Rule.ACT_ON_ADVICE else it.promises
        if not 0 <= item < len(items):
            raise NotFoundError("not-found", "That advice or promise no longer exists.", "key")
        kept = list(items)
        kept[item] = replace(kept[item], done_at=now)
        if rule is Rule.ACT_ON_ADVICE:
            done = AdviceActedOn(interaction_id=it.id, item=item)
            return changed(state, [done], [replace(it, advice=tuple(kept))])
        done_promise = PromiseKept(interaction_id=it.id, item=item)
        return changed(state, [done_promise], [replace(it, promises=tuple(kept))])
    decision = FollowUpDecision(key=c.key, status=DecisionStatus.DONE, at=now)
    return changed(state, [FollowUpDone(key=c.key)], [decision])


def _snooze(state: State, c: Snooze, now: datetime, today: date) -> Decision:
    if c.until <= now:
        raise ValidationError("not-in-future", "Snooze until a time after now.", "until")
    if is_bundle_key(c.key):
        return _each_part(
            state, c.key, now, today, lambda s, k: _snooze(s, replace(c, key=k), now, today)
        )
    decision = FollowUpDecision(key=c.key, status=DecisionStatus.SNOOZED, until=c.until, at=now)
    return changed(state, [FollowUpSnoozed(key=c.key, until=c.until)], [decision])


def _skip(state: State, c: Skip, now: datetime, today: date) -> Decision:
    if is_bundle_key(c.key):
        return _each_part(
            state, c.key, now, today, lambda s, k: _skip(s, replace(c, key=k), now, today)
        )
    decision = FollowUpDecision(key=c.key, status=DecisionStatus.SKIPPED, reason=c.reason, at=now)
    return changed(state, [FollowUpSkipped(key=c.key, reason=c.reason)], [decision])


def _reopen(state: State, c: Reopen, now: datetime, today: date) -> Decision:
    if c.key not in state.decisions:
        return changed(state, [])
    return changed(state, [FollowUpReopened(key=c.key)], delete=[("decisions", c.key)])


def _merge_people(state: State, c: MergePeople, now: datetime, today: date) -> Decision:
    _need(state.people, c.keep_id, "keep_id", "person")
    _need(state.people, c.drop_id, "drop_id", "person")
    event, put, delete = merge_people(state, c.keep_id, c.drop_id, now)
    return changed(state, [event], put, delete)


def _save_settings(state: State, c: SaveSettings, now: datetime, today: date) -> Decision:
    settings = merge_settings(state.settings, c.patch)
    return changed(state, [SettingsSaved()], [settings])


def _save_profile(state: State, c: SaveProfile, now: datetime, today: date) -> Decision:
    return changed(state, [ProfileSaved()], [c.profile])


def _capture(state: State, c: Capture, now: datetime, today: date) -> Decision:
    """Each part is decided on the state the parts before it left, and nothing is kept unless
    every part can be done. Errors name the payload field (`payload.introduced_by.id`)."""
    parts = _Parts(state)
    clock = (now, today)
    event: Event | None = None
    if isinstance(c.event, Event):
        event = _same_event(state, c.event)
        if event is None:
            parts.add(
                _naming("payload.event", _add_event, parts.state, AddEvent(event=c.event), clock)
            )
            event = c.event
    elif c.event is not None:
        event = _need(state.events, c.event, "payload.event.id", "event")
    _capture_person(parts, c.person, event, clock)
    if isinstance(c.introducer, Person):
        new = AddPerson(person=c.introducer)
        parts.add(_naming("payload.introduced_by", _add_person, parts.state, new, clock))
    elif c.introducer is not None:
        _need(parts.state.people, c.introducer, "payload.introduced_by.id", "person")
    if c.introduction is not None:
        # The person was saved above: the only error left on `introduced_id` is "same person".
        renames = {
            "introducer_id": "payload.introduced_by.id",
            "introduced_id": "payload.introduced_by.id",
        }
        record = RecordIntroduction(introduction=c.introduction)
        parts.add(
            _naming(
                "payload.introduction", _record_introduction, parts.state, record, clock, renames
            )
        )
    if c.met is not None:
        met = LogInteraction(interaction=c.met)
        renames = {"person_ids": "payload.person.id"}
        parts.add(_naming("payload.met", _log_interaction, parts.state, met, clock, renames))
    # A record changed by two parts (an introduction the meeting moved on) is put once, as last.
    puts = {(type(r), _key(r)): r for d in parts.decisions for r in d.put}
    return changed(state, [e for d in parts.decisions for e in d.events], puts.values())


class _Parts:
    """The parts of one capture decided so far, and the state they leave."""

    def __init__(self, state: State) -> None:
        self.state = state
        self.decisions: list[Decision] = []

    def add(self, decision: Decision) -> None:
        self.decisions.append(decision)
        self.state = decision.state


def _capture_person(
    parts: _Parts, person: Person | PersonId, event: Event | None, clock: tuple[datetime, date]
) -> None:
    if isinstance(person, Person):
        if event is not None:
            if person.event_id is not None and person.event_id != event.id:
                raise ValidationError(
                    "conflict", "Say where you met once, under event.", "payload.person.event_id"
                )
            how_met = person.how_met or f"Met at {event.name}"
            person = replace(person, event_id=event.id, how_met=how_met)
        parts.add(
            _naming("payload.person", _add_person, parts.state, AddPerson(person=person), clock)
        )
        return
    saved: Person = _need(parts.state.people, person, "payload.person.id", "person")
    if event is not None:
        met_there = replace(
            saved, event_id=event.id, how_met=f"Met at {event.name}", updated_at=clock[0]
        )
        updated = PersonUpdated(person_id=saved.id, fields=("event_id", "how_met"))
        parts.add(changed(parts.state, [updated], [met_there]))


def _same_event(state: State, new: Event) -> Event | None:
    """A saved event with the same name on the same day is the same event (event mode sends a
    new one with every capture, perhaps before the engine has seen the first)."""
    name = fold(new.name)
    for saved in state.events.values():
        if saved.date == new.date and fold(saved.name) == name:
            return saved
    return None


def _key(record: Stored) -> str:
    return record.key if isinstance(record, FollowUpDecision) else getattr(record, "id", "")


def _naming(
    prefix: str,
    handler: Callable[[State, Any, datetime, date], Decision],
    state: State,
    command: Command,
    clock: tuple[datetime, date],
    renames: Mapping[str, str] | None = None,
) -> Decision:
    """Decide one part of a capture; its errors name the field as the capture payload spells
    it (`name` -> `payload.person.name`)."""
    try:
        return handler(state, command, *clock)
    except EngineError as error:
        field = error.field or ""
        base = field.split("[", 1)[0].split(".", 1)[0]
        outer = (renames or {}).get(base) or (f"{prefix}.{field}" if field else prefix)
        raise type(error)(error.code, error.message, outer) from None


def _check_person(state: State, person: Person, before: Person | None = None) -> None:
    """A saved person's addresses were checked when they were written: only new ones are."""
    _not_blank(person.name, "name", "Give the person a name.")
    known = set(before.emails) if before else set()
    for i, email in enumerate(person.emails):
        if email not in known and not is_email(email):
            raise ValidationError(
                "invalid-email", f"“{email}” does not look like an email address.", f"emails[{i}]"
            )
    if person.event_id is not None:
        _need(state.events, person.event_id, "event_id", "event")


def _check_opportunity(state: State, opp: Opportunity) -> None:
    _not_blank(opp.organisation, "organisation", "Say which organisation this is with.")
    for i, link in enumerate(opp.people):
        _need(state.people, link.person_id, f"people[{i}].person_id", "person")
    if opp.introduction_id is not None:
        _need(state.introductions, opp.introduction_id, "introduction_id", "introduction")


def _need(table: Mapping[Any, Any], key: str, field: str, what: str) -> Any:
    if key not in table:
        raise NotFoundError(f"unknown-{what}", f"There is no {what} with id '{key}'.", field)
    return table[key]


def _is_new(table: Mapping[Any, Any], key: str, field: str) -> None:
    if key in table:
        raise ValidationError("already-exists", f"Something with id '{key}' already exists.", field)


def _not_blank(text: str, field: str, message: str) -> None:
    if not text.strip():
        raise ValidationError("missing-field", message, field)


def _delete(state: State, c: Delete, now: datetime, today: date) -> Decision:
    events, put = trash_delete(state, c, now)
    return changed(state, events, put)


def _restore(state: State, c: Restore, now: datetime, today: date) -> Decision:
    events, put = trash_restore(state, c)
    return changed(state, events, put)


def _erase(state: State, c: Erase, now: datetime, today: date) -> Decision:
    events, gone = trash_erase(state, c)
    return replace(changed(state, events, (), gone), erase=tuple(gone))


def _undo(state: State, c: Undo, now: datetime, today: date) -> Decision:
    entry = find(state, c.id)
    if entry.undone_by is not None:
        raise ValidationError("already-undone", "This was already undone.", "id")
    plan = plan_undo(state, entry, now)
    return changed(state, [CommandUndone(history_id=c.id)], plan.put, plan.delete)


def _outcome(handler: Callable[[State, Any, datetime, date], Any]) -> Any:
    """A handler answering (events, put, delete) as one answering a Decision."""

    def decide_one(state: State, c: Any, now: datetime, today: date) -> Decision:
        events, put, delete = handler(state, c, now, today)
        return changed(state, events, put, delete)

    return decide_one


_HANDLERS: Mapping[type, Callable[[State, Any, datetime, date], Decision]] = {
    AddPerson: _add_person,
    UpdatePerson: _update_person,
    AddEvent: _add_event,
    RecordIntroduction: _record_introduction,
    UpdateIntroduction: _update_introduction,
    LogInteraction: _log_interaction,
    AddOpportunity: _add_opportunity,
    UpdateOpportunity: _update_opportunity,
    MoveOpportunity: _move_opportunity,
    MarkDone: _mark_done,
    Snooze: _snooze,
    Skip: _skip,
    Reopen: _reopen,
    MergePeople: _merge_people,
    SaveSettings: _save_settings,
    SaveProfile: _save_profile,
    Capture: _capture,
    Delete: _delete,
    Restore: _restore,
    Erase: _erase,
    Undo: _undo,
    **{kind: _outcome(handler) for kind, handler in EDIT_HANDLERS.items()},  # edits.py
}
