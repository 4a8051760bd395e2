"""Sync merge: per-field last-writer-wins, tombstones, tags, and notes edited on two devices at
once kept in "2 versions". Property tests check the merge laws."""

from __future__ import annotations

from followup import hlc
from followup.sync import (
    CONFLICT_MARKER,
    DELETED,
    Replica,
    apply_remote,
    has_conflict,
    is_deleted,
    materialise,
    merge,
)
from hypothesis import given, settings
from hypothesis import strategies as st

from .sync_builders import NODE_A, NODE_B, NODE_C, T0, clock, edit, person

# --- Merge --------------------------------------------------------------------------------------

STAMPS = st.builds(
    lambda m, c, n: str(hlc.Clock(m, c, n)),
    st.integers(T0, T0 + 50),
    st.integers(0, 3),
    st.sampled_from([NODE_A, NODE_B, NODE_C]),
)
VALUES = st.one_of(
    st.none(), st.booleans(), st.integers(-3, 3), st.sampled_from(["", "a", "b", "Zoë", "Ada"])
)
FIELDS = st.dictionaries(
    st.sampled_from(["name", "notes", "tags:x", "tags:y", DELETED, "role"]),
    st.tuples(VALUES, STAMPS),
    max_size=6,
)
REPLICAS = st.builds(lambda f: Replica("people", "p1", dict(sorted(f.items()))), FIELDS)


@settings(deadline=None)
@given(REPLICAS, REPLICAS)
def test_merge_is_commutative(a: Replica, b: Replica) -> None:
    assert merge(a, b) == merge(b, a)


@settings(max_examples=300, deadline=None)
@given(REPLICAS, REPLICAS, REPLICAS)
def test_merge_is_associative(a: Replica, b: Replica, c: Replica) -> None:
    assert merge(merge(a, b), c) == merge(a, merge(b, c))


@settings(deadline=None)
@given(REPLICAS)
def test_merge_is_idempotent(a: Replica) -> None:
    assert merge(a, a) == a


def test_concurrent_edits_of_different_fields_both_survive() -> None:
    base, _ = edit(None, person())
    phone, _ = edit(base, person(role="Head of sales"), node=NODE_A, at=T0 + 10)
    laptop, _ = edit(base, person(notes="Talk about media"), node=NODE_B, at=T0 + 20)

    merged = materialise(merge(phone, laptop))

    assert merged is not None
    assert (merged["role"], merged["notes"]) == ("Head of sales", "Talk about media")


def test_the_later_edit_of_one_field_wins() -> None:
    base, _ = edit(None, person())
    early, _ = edit(base, person(role="Early"), node=NODE_A, at=T0 + 10)
    late, _ = edit(base, person(role="Late"), node=NODE_B, at=T0 + 20)

    assert materialise(merge(early, late))["role"] == "Late"  # type: ignore[index]
    assert materialise(merge(late, early))["role"] == "Late"  # type: ignore[index]


def test_tags_added_on_two_devices_at_once_both_survive() -> None:
    base, _ = edit(None, person(tags=["mentor"]))
    phone, _ = edit(base, person(tags=["mentor", "recruiter"]), node=NODE_A, at=T0 + 10)
    laptop, _ = edit(base, person(tags=["mentor", "media"]), node=NODE_B, at=T0 + 20)

    merged = materialise(merge(phone, laptop))

    assert merged is not None
    assert merged["tags"] == ["media", "mentor", "recruiter"]


def test_a_tag_removed_on_one_device_stays_removed_after_a_concurrent_unrelated_edit() -> None:
    base, _ = edit(None, person(tags=["mentor", "media"]))
    phone, _ = edit(base, person(tags=["media"]), node=NODE_A, at=T0 + 10)
    laptop, _ = edit(base, person(tags=["mentor", "media"], role="CEO"), node=NODE_B, at=T0 + 20)

    merged = materialise(merge(phone, laptop))

    assert merged is not None
    assert merged["tags"] == ["media"]
    assert merged["role"] == "CEO"


def test_a_delete_wins_over_a_later_concurrent_edit_of_another_field() -> None:
    base, _ = edit(None, person())
    deleted, _ = edit(base, None, node=NODE_A, at=T0 + 10)
    edited, _ = edit(base, person(notes="edited later"), node=NODE_B, at=T0 + 99)

    merged = merge(deleted, edited)

    assert is_deleted(merged)
    assert materialise(merged) is None
    assert merged.fields["notes"][0] == "edited later"  # kept, for a restore


def test_a_restore_after_the_delete_brings_the_record_back_with_its_fields() -> None:
    base, _ = edit(None, person(notes="keep me"))
    deleted, _ = edit(base, None, at=T0 + 10)
    restored, _ = edit(deleted, person(notes="keep me"), node=NODE_B, at=T0 + 20)

    merged = materialise(merge(deleted, restored))

    assert merged is not None
    assert merged["notes"] == "keep me"


def test_a_missing_field_or_an_empty_state_never_deletes_anything() -> None:
    full, _ = edit(None, person(notes="Met at the meetup", tags=["mentor"]))
    empty = Replica("people", "p1", {})
    partial = Replica("people", "p1", {"role": ("CEO", full.fields["name"][1])})

    merged = materialise(merge(merge(full, empty), partial))

    assert merged is not None
    assert merged["notes"] == "Met at the meetup"
    assert merged["tags"] == ["mentor"]


def test_a_write_that_omits_a_field_leaves_that_field_alone() -> None:
    base, _ = edit(None, person(notes="Met at the meetup"))
    record = person(role="CEO")
    del record["notes"]

    after, pending = edit(base, record, at=T0 + 5)

    assert after.fields["notes"][0] == "Met at the meetup"
    assert set(pending) == {"role"}


def test_only_changed_fields_get_new_clocks() -> None:
    base, _ = edit(None, person())

    after, pending = edit(base, person(role="CEO"), at=T0 + 5)

    changed = {k for k in after.fields if after.fields[k] != base.fields.get(k)}
    assert changed == {"role"}
    assert pending == {"role": base.fields["role"][1]}


# --- Notes edited on two devices at once ----------------------------------------------------------


def test_a_local_unsynced_note_that_loses_is_kept_as_two_versions_in_the_same_record() -> None:
    base, _ = edit(None, person(notes="first"))
    laptop, _ = edit(base, person(notes="from the laptop"), node=NODE_B, at=T0 + 50)
    phone, pending = edit(base, person(notes="from the phone"), node=NODE_A, at=T0 + 10)

    applied = apply_remote(phone, pending, [laptop], clock(millis=T0 + 10), T0 + 60)

    notes = applied.replica.fields["notes"][0]
    assert applied.conflict
    assert notes == f"from the laptop{CONFLICT_MARKER}from the phone"
    assert has_conflict(notes)
    assert applied.replica.id == "p1"
    assert "notes" in applied.pending  # the combined text goes out as a new edit
    assert applied.replica.fields["notes"][1] > laptop.fields["notes"][1]


def test_a_local_unsynced_note_that_wins_still_keeps_the_other_version() -> None:
    base, _ = edit(None, person(notes="first"))
    laptop, _ = edit(base, person(notes="from the laptop"), node=NODE_B, at=T0 + 10)
    phone, pending = edit(base, person(notes="from the phone"), node=NODE_A, at=T0 + 50)

    applied = apply_remote(phone, pending, [laptop], clock(millis=T0 + 50), T0 + 60)

    assert applied.replica.fields["notes"][0] == f"from the phone{CONFLICT_MARKER}from the laptop"


def test_an_old_copy_of_a_note_the_local_edit_was_based_on_is_no_conflict() -> None:
    base, _ = edit(None, person(notes="first"))
    phone, pending = edit(base, person(notes="second"), at=T0 + 10)

    applied = apply_remote(phone, pending, [base, base], clock(millis=T0 + 10), T0 + 20)

    assert not applied.conflict
    assert applied.replica == phone
    assert applied.pending == pending


def test_a_synced_note_simply_takes_the_later_text() -> None:
    base, _ = edit(None, person(notes="first"))
    laptop, _ = edit(base, person(notes="from the laptop"), node=NODE_B, at=T0 + 50)

    applied = apply_remote(base, {}, [laptop], clock(millis=T0), T0 + 60)

    assert not applied.conflict
    assert applied.replica.fields["notes"][0] == "from the laptop"


def test_a_pending_field_that_lost_is_no_longer_pending() -> None:
    base, _ = edit(None, person())
    laptop, _ = edit(base, person(role="Late"), node=NODE_B, at=T0 + 50)
    phone, pending = edit(base, person(role="Early"), node=NODE_A, at=T0 + 10)

    applied = apply_remote(phone, pending, [laptop], clock(millis=T0 + 10), T0 + 60)

    assert applied.replica.fields["role"][0] == "Late"
    assert applied.pending == {}


@settings(deadline=None)
@given(REPLICAS, STAMPS)
def test_a_new_record_with_one_state_merges_as_if_an_empty_one_were_held(
    remote: Replica, last: str
) -> None:
    # The short path of a first pull (nothing held, one state) against the general merge.
    start = hlc.parse(last)
    assert start is not None
    now_ms = T0 + 20

    short = apply_remote(None, {}, [remote], start, now_ms)
    general = apply_remote(Replica("people", "p1", {}), {}, [remote], start, now_ms)

    assert short == general
