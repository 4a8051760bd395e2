"""Landing closes every loop at once, and retires the search.

- "I landed the job" offers to withdraw from the other open processes in one confirmation
  (`landing_preview` op; the `landed`/`move_opportunity` commands take `withdraw: [ids]`).
  Each organisation still considering you gets one courteous note (`courtesy-note`: you
  accepted elsewhere, please withdraw your application), and nobody there is also sent the
  "good news" of the gratitude round: no organisation gets two notes that contradict.
- Every introducer gets one message (a bundle) with their thank-you and the final outcome of
  each of their introductions: withdrawn processes are settled by the withdrawal, and
  introductions that led to no opportunity are settled by the landing itself (`settled_by_landing`).
- The search is over: no more reaching out to referrals as a job seeker, no "I'll keep you
  posted" left open, and every draft can say so (`landing_facts`: the facts `landed`,
  `new_job`, `new_company`, and `outcome` for an introduction the landing settled).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import UTC, datetime
from typing import Any

from .codec import encode_record
from .context import Landing, make_context
from .errors import NotFoundError, ValidationError
from .fields import Fields
from .graph import chain_people
from .model import (
    ACTIVE_STAGES,
    CANDIDATE_STAGES,
    FollowUp,
    Introduction,
    IntroductionStatus,
    Opportunity,
    OpportunityId,
    OpportunityRole,
    PersonId,
    Stage,
)
from .settings import Rule
from .state import State

Answer = tuple[State, dict[str, Any]]
_EVER = datetime.max.replace(tzinfo=UTC)


def withdrawable(
    state: State, landed: Opportunity, opp_id: OpportunityId, field: str
) -> Opportunity:
    """An open process to withdraw from on landing; an error naming `field` if it is not one."""
    opp = state.opportunities.get(opp_id)
    if opp is None:
        raise NotFoundError(
            "unknown-opportunity", f"There is no opportunity with id '{opp_id}'.", field
        )
    if opp.id == landed.id:
        raise ValidationError("same-opportunity", "This is the job you landed.", field)
    if opp.stage not in ACTIVE_STAGES:
        raise ValidationError(
            "not-open",
            f"The process at {opp.organisation or 'this organisation'} is already closed.",
            field,
        )
    return opp


def open_elsewhere(state: State, landed: Opportunity) -> list[Opportunity]:
    """The other open processes, the ones to withdraw from on landing, by organisation."""
    return sorted(
        (o for o in state.opportunities.values() if o.id != landed.id and o.stage in ACTIVE_STAGES),
        key=lambda o: (o.organisation.casefold(), o.role.casefold(), o.id),
    )


def told_elsewhere(state: State, landing: Landing) -> frozenset[OpportunityId]:
    """The organisations told you accepted elsewhere: still considering you, or withdrawn from
    when you landed (the round as it opened lists them)."""
    record = state.rounds.get(landing.opportunity.id)
    told = set(record.courtesy_notes) if record is not None else set()
    for opp in state.opportunities.values():
        if (
            opp.id != landing.opportunity.id
            and opp.stage in CANDIDATE_STAGES
            and opp.created_at <= landing.at
        ):
            told.add(opp.id)
    return frozenset(told)


def withdrawn_at_landing(state: State, landing: Landing, opp: Opportunity) -> bool:
    """Withdrawn in the landing's own confirmation, while they were still considering you."""
    record = state.rounds.get(landing.opportunity.id)
    return (
        opp.stage is Stage.WITHDRAWN
        and opp.stage_at == landing.at
        and record is not None
        and opp.id in record.courtesy_notes
    )


def people_told_elsewhere(state: State, landing: Landing) -> frozenset[PersonId]:
    """The people at those organisations (references are on your side, not theirs)."""
    people: set[PersonId] = set()
    for opp_id in told_elsewhere(state, landing):
        opp = state.opportunities.get(opp_id)
        if opp is not None:
            people.update(
                p.person_id for p in opp.people if p.role is not OpportunityRole.REFERENCE
            )
    return frozenset(people)


def on_landing_chain(state: State, landing: Landing, intro: Introduction) -> bool:
    """The introduction led to the job: the gratitude round tells its introducer the news."""
    memo_key = ("landing-chain", landing.opportunity.id, landing.at)
    chain = state.memo.get(memo_key)
    if not isinstance(chain, dict):
        chain = state.memo[memo_key] = chain_people(state, landing.opportunity)
    return intro.introduced_id in chain.get(intro.introducer_id, ())


def settled_by_landing(state: State, landing: Landing, intro: Introduction) -> bool:
    """An introduction you followed up during the search that led to no settled outcome of its
    own: landing the job settles it (the introducer hears how it ended, not "I'll keep you
    posted")."""
    return (
        followed_up(state, intro, landing.at)
        and intro.id not in state.index.opp.outcomes
        and intro.introducer_id in state.people
        and intro.introducer_id != intro.introduced_id
        and landing.search_start <= intro.at <= landing.at
        and not on_landing_chain(state, landing, intro)
    )


def followed_up(state: State, intro: Introduction, by: datetime) -> bool:
    """You got in touch with the person introduced (the status says so, or the log does)."""
    if intro.status is not IntroductionStatus.OFFERED:
        return True
    contact = state.index.intro.contact.get(intro.id)
    return contact is not None and contact[0] <= by


def landing_facts(state: State, f: FollowUp, now: datetime) -> dict[str, str]:
    """The facts every draft can use once you have landed: `landed` and `is_landed` ("yes"),
    `new_job` ("Sales Lead at Acme"), `new_company`, and for an introduction the landing
    settled, its `outcome`."""
    ctx = make_context(state, now, now.date())
    if ctx.landing is None or not ctx.is_landed:
        return {}
    opp = ctx.landing.opportunity
    job = f"{opp.role} at {opp.organisation}" if opp.role and opp.organisation else opp.role
    # `is_landed` is the flag user templates already know (template.PLACEHOLDERS); `landed`
    # the same, as the built-ins of every rule may use it.
    facts = {"landed": "yes", "is_landed": "yes", "new_job": job, "new_company": opp.organisation}
    intro = state.introductions.get(f.refs.introduction_id) if f.refs.introduction_id else None
    if (
        f.rule == Rule.CLOSE_LOOP_OUTCOME
        and intro is not None
        and not intro.outcome
        and intro.id not in state.index.opp.outcomes
    ):
        facts["outcome"] = "In the end my search took me elsewhere"
    return {k: v for k, v in facts.items() if v}


def _landing_preview(state: State, f: Fields) -> Answer:
    """What landing this job does, for the one confirmation: the other open processes (to
    withdraw from, each with or without a courteous note), and the introducers who will each
    get one message with the outcome of every introduction they made."""
    opp_id = OpportunityId(f.ident("opportunity_id"))
    landed = state.opportunities.get(opp_id)
    if landed is None:
        raise NotFoundError(
            "unknown-opportunity", "This opportunity is not here.", "opportunity_id"
        )
    others = open_elsewhere(state, landed)
    introducers: dict[PersonId, list[str]] = {}
    for intro in sorted(state.introductions.values(), key=lambda i: (i.at, i.id)):
        if intro.introducer_id in state.people and followed_up(state, intro, _EVER):
            introducers.setdefault(intro.introducer_id, []).append(state.name(intro.introduced_id))
    notes = sum(1 for o in others if o.stage in CANDIDATE_STAGES)
    return state, {
        "opportunity": encode_record(landed),
        "others": [
            {
                "id": o.id,
                "organisation": o.organisation,
                "role": o.role,
                "stage": o.stage.value,
                # Still considering you: a courteous note is suggested once you withdraw.
                "note": o.stage in CANDIDATE_STAGES,
                "people": [
                    state.name(p.person_id) for p in o.people if p.person_id in state.people
                ],
            }
            for o in others
        ],
        "introducers": [
            {"person_id": pid, "name": state.name(pid), "introduced": names}
            for pid, names in sorted(introducers.items(), key=lambda kv: state.name(kv[0]))
        ],
        "legend": _legend(others),
        "detail": _detail(others, notes, len(introducers)),
    }


def _legend(others: list[Opportunity]) -> str:
    """The heading of the processes to withdraw from ("" when there are none)."""
    if not others:
        return ""
    if len(others) == 1:
        return "Withdraw from the other open process too"
    return f"Withdraw from the other {len(others)} open processes too"


def _detail(others: list[Opportunity], notes: int, introducers: int) -> str:
    said = []
    if others:
        names = ", ".join(o.organisation or "an organisation" for o in others)
        said.append(f"Followthrough moves {names} to Withdrawn.")
    if notes:
        said.append(
            "Each organisation still considering you gets one courteous note to write: you "
            "accepted another position, thank you for their time."
        )
    if introducers:
        said.append(
            "Everyone who introduced you to someone gets one message: thanks, and how each of "
            "their introductions ended."
        )
    return " ".join(said)


LANDING_OPS: Mapping[str, tuple[tuple[str, ...], Callable[[State, Fields], Answer]]] = {
    "landing_preview": (("opportunity_id",), _landing_preview),
}
