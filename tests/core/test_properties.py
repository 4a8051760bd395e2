"""Laws that hold for any data (Hypothesis): nothing is due before what triggers it, a follow-up
an interaction closed never comes back, Today is deterministic, and drafts never show markup."""

from __future__ import annotations

from datetime import timedelta

from followup.agenda import agenda, open_followups
from followup.drafts import draft
from followup.model import FollowUp, Interaction, InteractionId, InteractionKind
from followup.state import State, apply, new_state
from hypothesis import given, settings
from hypothesis import strategies as st

from .builders import HOUR, NOW, TODAY
from .strategies import at_least, records_of, states

EXAMPLES = settings(max_examples=30, deadline=None)


def _trigger_time(state: State, f: FollowUp) -> object:
    """When the fact behind a follow-up happened, read from the records themselves."""
    refs = f.refs
    if f.rule in ("thank-you", "act-on-advice", "promise"):
        return state.interactions[refs.interaction_id].at
    if f.rule == "report-back":
        return state.interactions[refs.interaction_id].advice[refs.item or 0].done_at
    if f.rule == "reach-out":
        return state.introductions[refs.introduction_id].at
    if f.rule in ("rejection-thanks", "gratitude"):
        return state.opportunities[refs.opportunity_id].stage_at
    if f.rule == "met-at-event":
        return state.people[f.person_ids[0]].created_at
    return f.since


@EXAMPLES
@given(states())
def test_nothing_is_owed_before_the_fact_that_triggers_it(state: State) -> None:
    for f in open_followups(state, NOW, TODAY):
        assert f.since <= NOW
        assert _trigger_time(state, f) == f.since
        assert f.due >= f.since or f.due_date is not None


@EXAMPLES
@given(st.data())
def test_a_follow_up_closed_by_an_interaction_does_not_come_back(data: st.DataObject) -> None:
    state = data.draw(states())
    owed = [f for f in open_followups(state, NOW, TODAY) if f.rule != "keep-in-touch"]
    if not owed:
        return
    f = data.draw(st.sampled_from(owed))
    answer = Interaction(
        id=InteractionId("answer"),
        person_ids=f.person_ids or (next(iter(state.people)),),
        kind=data.draw(st.sampled_from(InteractionKind)),
        at=NOW,
        followup_key=f.key,
        created_at=NOW,
    )

    after = apply(state, [answer])
    later = data.draw(at_least(NOW))

    assert f.key not in {g.key for g in open_followups(after, later, later.date())}


@EXAMPLES
@given(states(), st.randoms(use_true_random=False))
def test_today_does_not_depend_on_the_order_records_were_stored(state: State, rnd: object) -> None:
    stores = records_of(state)
    for records in stores.values():
        rnd.shuffle(records)
    shuffled = new_state(**stores, settings=state.settings, profile=state.profile)

    assert agenda(shuffled, NOW, TODAY) == agenda(state, NOW, TODAY)
    assert agenda(state, NOW, TODAY) == agenda(state, NOW, TODAY)


BAD = ("{", "}", "[", "]", "None", "null", "  ", " .", " ,", "with .", "at .", "\n\n\n", ":.")


@EXAMPLES
@given(states())
def test_every_draft_is_free_of_placeholders_and_empty_bits(state: State) -> None:
    later = NOW + 6 * HOUR
    for f in open_followups(state, later, TODAY + timedelta(days=0)):
        d = draft(state, f, later)
        for text in (d.subject, d.body, d.sms):
            assert text.strip()
            assert not [b for b in BAD if b in text], (f.key, text)
        assert "\n" not in d.subject
        assert len(d.sms) <= 300
