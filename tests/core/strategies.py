"""Hypothesis strategies: small, valid states around NOW (some facts in the future, many
optional facts missing), user templates, and text that looks like what people type."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from followup.model import (
    Advice,
    AdviceKind,
    DecisionStatus,
    Event,
    EventId,
    FollowUpDecision,
    Interaction,
    InteractionId,
    InteractionKind,
    Introduction,
    IntroductionId,
    IntroductionKind,
    IntroductionStatus,
    Opportunity,
    OpportunityId,
    OpportunityPerson,
    OpportunityRole,
    Person,
    PersonId,
    Profile,
    Promise,
    Stage,
)
from followup.settings import DEFAULT_SETTINGS, Rule, Settings, Template
from followup.state import State, new_state
from followup.template import PLACEHOLDERS
from hypothesis import strategies as st

from .builders import NOW, TODAY

# Minutes around NOW: mostly the last month, sometimes a few days ahead (scheduled meetings).
times = st.integers(-45 * 24 * 60, 3 * 24 * 60).map(lambda m: NOW + timedelta(minutes=m))
maybe_times = st.none() | times
days = st.integers(-40, 20).map(lambda d: TODAY + timedelta(days=d))
# Words people type; "None" and "null" are left out so that seeing them in a draft can only
# mean the engine printed a missing value.
words = st.text(
    alphabet=st.characters(categories=("L", "N"), max_codepoint=0x24F), min_size=1, max_size=8
).filter(lambda w: w.lower() not in {"none", "null"})
texts = st.lists(words, max_size=5).map(" ".join) | st.sampled_from(
    ["", " ", "media sales.", "Talked about the ad market, pricing & her team!", "l'équipe à Paris"]
)
names = st.sampled_from(["Ann Smith", "Bo", "María José Núñez", "Dr. Kwame Mensah", "", "  "]) | (
    st.tuples(words, words).map(" ".join)
)
emails = st.lists(st.sampled_from(["a@example.com", "b@example.org"]), max_size=2, unique=True)
phones = st.lists(st.just("+15550100"), max_size=1)


@st.composite
def states(draw: st.DrawFn, max_people: int = 6) -> State:
    """A small but fully general state: every optional fact may be missing or in the future."""
    pids = [PersonId(f"p{i}") for i in range(draw(st.integers(1, max_people)))]
    events = [
        Event(id=EventId(f"e{i}"), name=draw(texts), date=draw(days), created_at=draw(times))
        for i in range(draw(st.integers(0, 2)))
    ]
    event_ids = [None, *(e.id for e in events)]
    people = [
        Person(
            id=pid,
            name=draw(names),
            organisation=draw(texts),
            role=draw(texts),
            emails=tuple(draw(emails)),
            phones=tuple(draw(phones)),
            notes=draw(texts),
            event_id=draw(st.sampled_from(event_ids)),
            cadence_days=draw(st.none() | st.integers(0, 90)),
            created_at=(created := draw(times)),
            updated_at=created,
        )
        for pid in pids
    ]
    pairs = draw(st.lists(st.tuples(st.sampled_from(pids), st.sampled_from(pids)), max_size=6))
    introductions = [
        Introduction(
            id=IntroductionId(f"i{n}"),
            introducer_id=a,
            introduced_id=b,
            at=(at := draw(times)),
            kind=draw(st.sampled_from(IntroductionKind)),
            context=draw(texts),
            status=(status := draw(st.sampled_from(IntroductionStatus))),
            status_at=None if status is IntroductionStatus.OFFERED else draw(maybe_times),
            outcome=draw(texts),
            created_at=at,
        )
        for n, (a, b) in enumerate(pairs)
        if a != b
    ]
    interactions = [
        Interaction(
            id=InteractionId(f"x{n}"),
            person_ids=tuple(
                draw(st.lists(st.sampled_from(pids), min_size=1, max_size=2, unique=True))
            ),
            kind=draw(st.sampled_from(InteractionKind)),
            at=(at := draw(times)),
            notes=draw(texts),
            advice=tuple(
                Advice(
                    text=draw(texts),
                    kind=draw(st.sampled_from(AdviceKind)),
                    done_at=draw(maybe_times),
                )
                for _ in range(draw(st.integers(0, 2)))
            ),
            promises=tuple(
                Promise(text=draw(texts), due=draw(days), done_at=draw(maybe_times))
                for _ in range(draw(st.integers(0, 1)))
            ),
            created_at=at,
        )
        for n in range(draw(st.integers(0, 10)))
    ]
    intro_ids = [None, *(i.id for i in introductions)]
    opportunities = [
        Opportunity(
            id=OpportunityId(f"o{n}"),
            organisation=draw(texts),
            role=draw(texts),
            stage=draw(st.sampled_from(Stage)),
            stage_at=draw(times),
            people=tuple(
                OpportunityPerson(person_id=p, role=draw(st.sampled_from(OpportunityRole)))
                for p in draw(st.lists(st.sampled_from(pids), max_size=3, unique=True))
            ),
            introduction_id=draw(st.sampled_from(intro_ids)),
            notes=draw(texts),
            created_at=draw(times),
        )
        for n in range(draw(st.integers(0, 3)))
    ]
    decisions = [
        FollowUpDecision(
            key=f"keep-in-touch:{pid}",
            status=draw(st.sampled_from(DecisionStatus)),
            until=draw(maybe_times),
            reason=draw(texts),
            at=draw(times),
        )
        for pid in draw(st.lists(st.sampled_from(pids), max_size=2, unique=True))
    ]
    settings = DEFAULT_SETTINGS
    if draw(st.booleans()):
        rule = draw(st.sampled_from(Rule))
        settings = Settings(templates={rule: draw(user_templates())})
    return new_state(
        people=people,
        events=events,
        introductions=introductions,
        interactions=interactions,
        opportunities=opportunities,
        decisions=decisions,
        settings=settings,
        profile=Profile(name=draw(names)),
    )


_SLOTS = sorted(PLACEHOLDERS)


@st.composite
def template_texts(draw: st.DrawFn) -> str:
    """A valid template: words, {placeholders}, [optional sections] and [a|b] choices."""
    pieces: list[str] = []
    for _ in range(draw(st.integers(1, 8))):
        kind = draw(st.sampled_from(["word", "slot", "section", "choice", "stop", "line"]))
        if kind == "word":
            pieces.append(draw(st.sampled_from(["Thanks", "for", "the", "with", "at", "Hi,"])))
        elif kind == "slot":
            pieces.append("{" + draw(st.sampled_from(_SLOTS)) + "}")
        elif kind == "section":
            pieces.append("[ with {" + draw(st.sampled_from(_SLOTS)) + "}]")
        elif kind == "choice":
            a, b = draw(st.sampled_from(_SLOTS)), draw(st.sampled_from(_SLOTS))
            pieces.append(f"[about {{{a}}}|at {{{b}}}|today]")
        elif kind == "stop":
            pieces.append(".")
        else:
            pieces.append("\n\n")
    return " ".join(pieces)


@st.composite
def user_templates(draw: st.DrawFn) -> Template:
    """A user's own template; at least one part is set (an empty one means "none")."""
    return Template(
        subject=draw(template_texts()),
        body=draw(st.just("") | template_texts()),
        sms=draw(st.just("") | template_texts()),
    )


def records_of(state: State) -> dict[str, list[Any]]:
    """The state's records per store, for rebuilding it in another order."""
    return {
        "people": list(state.people.values()),
        "events": list(state.events.values()),
        "introductions": list(state.introductions.values()),
        "interactions": list(state.interactions.values()),
        "opportunities": list(state.opportunities.values()),
        "decisions": list(state.decisions.values()),
    }


def at_least(moment: datetime) -> st.SearchStrategy[datetime]:
    """Times from `moment` to 30 days after it."""
    return st.integers(0, 30 * 24 * 60).map(lambda m: moment + timedelta(minutes=m))
