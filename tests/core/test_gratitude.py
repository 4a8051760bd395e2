"""Landing (gratitude.py, seeds 000, 001, 003): the gratitude round, the most-doors special
thanks, and courtesy notes to every other organisation where you are still a candidate."""

from __future__ import annotations

from followup.events import GratitudeRoundOpened
from followup.model import Person, Profile
from followup.state import Record, State

from .builders import (
    DAY,
    HOUR,
    NOW,
    advice,
    draft_for,
    followup,
    interaction,
    introduction,
    keys,
    opportunity,
    person,
    run,
    state_of,
)

NAMES = {
    "ann": "Ann Smith", "bea": "Bea Chen", "carl": "Carl Diaz", "dan": "Dan Ode",
    "eve": "Eve Ray", "ref": "Rae Fenn", "gus": "Gus Lund", "hal": "Hal Kim",
    "ivan": "Ivan Petrov", "pat": "Pat Old",
}  # fmt: skip


def _search(accepted_at: object = NOW - 2 * HOUR) -> list[Record]:
    """Ann introduced Bea, Bea introduced Carl (hiring manager at Globex, the job accepted);
    Ann also introduced Dan and Eve. Rae was a reference, Gus gave advice, Hal had coffee."""
    people: list[Person] = [person(pid, name) for pid, name in NAMES.items()]
    return [
        *people,
        introduction("i1", "ann", "bea", at=NOW - 60 * DAY),
        introduction("i2", "bea", "carl", at=NOW - 50 * DAY),
        introduction("i3", "ann", "dan", at=NOW - 55 * DAY),
        introduction("i4", "ann", "eve", at=NOW - 54 * DAY),
        interaction("m1", "carl", kind="interview", at=NOW - 20 * DAY),
        interaction("m2", "gus", kind="note", at=NOW - 40 * DAY, advice=(advice(),)),
        interaction("m3", "hal", kind="coffee", at=NOW - 30 * DAY),
        interaction("m4", "pat", kind="coffee", at=NOW - 250 * DAY),
        opportunity(
            "o1", "Globex", stage="accepted", at=accepted_at, introduction_id="i2",
            people={"carl": "hiring_manager", "ref": "reference"}, role="Head of Media Sales",
        ),
        opportunity("o0", "Vandelay", stage="accepted", at=NOW - 200 * DAY),
        opportunity("o2", "Initech", stage="interviewing", people={"ivan": "recruiter"}),
        opportunity("o3", "Hooli", stage="applied"),
        opportunity("o4", "Umbrella", stage="rejected", at=NOW - 40 * DAY),
        opportunity("o5", "Stark", stage="lead"),
    ]  # fmt: skip


def _landed() -> State:
    return state_of(*_search(), profile=Profile(name="Sam Seeker"))


def _thanked(state: State) -> set[str]:
    return {k.split(":")[2] for k in keys(state) if k.startswith("gratitude:")}


def test_landing_thanks_exactly_the_chain_the_references_and_the_helpers() -> None:
    assert _thanked(_landed()) == {"ann", "bea", "carl", "ref", "gus", "hal"}


def test_each_person_in_the_round_says_why_they_are_in_it() -> None:
    state = _landed()

    assert followup(state, "gratitude:o1:ann").roles == ("chain", "helper")
    assert followup(state, "gratitude:o1:ref").roles == ("reference",)
    assert followup(state, "gratitude:o1:carl").roles == ("chain", "helper")


def test_people_from_before_the_previous_job_are_not_in_the_round() -> None:
    assert "pat" not in _thanked(_landed())


def test_the_person_who_opened_the_most_doors_is_marked_for_a_special_thank_you() -> None:
    state = _landed()

    round_ = [followup(state, k) for k in keys(state) if k.startswith("gratitude:")]
    marked = [f.person_ids for f in round_ if f.mark == "most-doors"]

    assert marked == [("ann",)]


def test_seed_003_the_most_doors_draft_offers_dinner() -> None:
    body = draft_for(_landed(), "gratitude:o1:ann").body

    assert "take you out to dinner" in body
    assert "Your introduction to Bea Chen is where it started" in body


def test_seed_001_a_references_draft_describes_the_new_job() -> None:
    body = draft_for(_landed(), "gratitude:o1:ref").body

    assert "Head of Media Sales at Globex" in body
    assert "references" in body


def test_seed_000_the_referral_who_led_to_the_offer_is_thanked_and_the_introducer_told() -> None:
    state = _landed()

    assert "gratitude:o1:carl" in keys(state)
    assert "Head of Media Sales at Globex" in draft_for(state, "gratitude:o1:bea").body


def test_the_gratitude_round_and_the_courtesy_notes_are_one_group_on_today() -> None:
    state = _landed()
    landing = [k for k in keys(state) if k.split(":")[0] in ("gratitude", "courtesy-note")]

    assert {followup(state, k).group for k in landing} == {"gratitude"}


def test_thank_yous_after_landing_are_due_within_three_days() -> None:
    assert followup(_landed(), "gratitude:o1:hal").due == NOW + 70 * HOUR


def test_a_thank_you_after_landing_closes_that_persons_part_of_the_round() -> None:
    state = state_of(*_search(), interaction("t1", "hal", kind="thank_you_call", at=NOW - HOUR))

    assert "hal" not in _thanked(state)


def test_a_thank_you_from_before_the_landing_does_not_count() -> None:
    state = state_of(*_search(), interaction("t1", "hal", kind="thank_you_email", at=NOW - 9 * DAY))

    assert "hal" in _thanked(state)


def test_the_gratitude_round_is_no_longer_suggested_two_months_after_landing() -> None:
    state = state_of(*_search(accepted_at=NOW - 70 * DAY))

    assert _thanked(state) == set()


def test_every_other_organisation_where_you_are_a_candidate_gets_a_courtesy_note() -> None:
    notes = {k for k in keys(_landed()) if k.startswith("courtesy-note:")}

    assert notes == {"courtesy-note:o2", "courtesy-note:o3"}


def test_seed_001_a_courtesy_note_is_due_within_24_hours_of_landing() -> None:
    assert followup(_landed(), "courtesy-note:o2").due == NOW + 22 * HOUR


def test_a_courtesy_note_goes_to_your_contact_there_or_else_the_team() -> None:
    state = _landed()

    assert followup(state, "courtesy-note:o2").who == "Ivan Petrov"
    assert followup(state, "courtesy-note:o3").who == "the team at Hooli"


def test_withdrawing_from_the_other_opportunity_closes_its_courtesy_note() -> None:
    after = run(_landed(), "move_opportunity", {"id": "o2", "stage": "withdrawn"}).state

    assert "courtesy-note:o2" not in keys(after)


def test_writing_to_your_contact_there_closes_the_courtesy_note() -> None:
    state = state_of(*_search(), interaction("s1", "ivan", kind="message_sent", at=NOW - HOUR))

    assert "courtesy-note:o2" not in keys(state)


def test_seed_001_courtesy_notes_come_before_the_thank_yous_because_timeliness_matters() -> None:
    order = [k.split(":")[0] for k in keys(_landed())]

    assert order.index("courtesy-note") < order.index("gratitude")


def test_seed_001_the_courtesy_note_says_you_accepted_another_position() -> None:
    body = draft_for(_landed(), "courtesy-note:o2").body

    assert "I have accepted another position" in body
    assert "Globex" not in body


def test_saying_i_landed_the_job_announces_the_round_and_who_opened_most_doors() -> None:
    offer = opportunity(
        "o1", "Globex", stage="offer", introduction_id="i2",
        people={"carl": "hiring_manager", "ref": "reference"},
    )  # fmt: skip
    state = state_of(*[r for r in _search() if getattr(r, "id", "") != "o1"], offer)

    decision = run(state, "landed", {"opportunity_id": "o1"})

    opened = next(e for e in decision.events if isinstance(e, GratitudeRoundOpened))
    assert opened.most_doors == "ann"
    assert set(opened.person_ids) == {"ann", "bea", "carl", "ref", "gus", "hal"}
    assert set(opened.courtesy_notes) == {"o2", "o3"}


def test_the_round_is_worked_out_again_once_anything_changes() -> None:
    state = _landed()
    assert "dan" not in _thanked(state)

    links = [
        {"person_id": "carl", "role": "hiring_manager"},
        {"person_id": "ref", "role": "reference"},
    ]
    changed = run(
        state,
        "update_opportunity",
        {"id": "o1", "people": [*links, {"person_id": "dan", "role": "reference"}]},
    )

    assert "dan" in _thanked(changed.state)
