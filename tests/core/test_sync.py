"""Sync merge: hybrid logical clocks, per-field last-writer-wins, tombstones, tags, notes kept
in "2 versions", and the `merge` op. Property tests check the merge laws and that three
devices converge whatever the order, duplication and paging of deliveries."""

from __future__ import annotations

import json
import os
import random
from dataclasses import dataclass, field
from typing import Any

import pytest
from followup import hlc
from followup.sync import (
    CONFLICT_MARKER,
    DELETED,
    Replica,
    SyncError,
    apply_remote,
    decode_replica,
    encode_replica,
    has_conflict,
    is_deleted,
    materialise,
    merge,
    merge_request,
    plaintext,
    stamp,
)
from hypothesis import given, settings
from hypothesis import strategies as st

NODE_A = "a1b2c3d4e5f60718"
NODE_B = "0f0e0d0c0b0a0908"
NODE_C = "1111111111111111"
T0 = 1_767_225_600_000  # 2026-01-01T00:00:00Z in milliseconds
NOW = "2026-01-01T00:00:00+00:00"


def clock(node: str = NODE_A, millis: int = 0, counter: int = 0) -> hlc.Clock:
    return hlc.Clock(millis, counter, node)


def person(pid: str = "p1", **fields: Any) -> dict[str, Any]:
    record: dict[str, Any] = {
        "id": pid,
        "name": "Ada Lovelace",
        "organisation": "",
        "role": "",
        "emails": [],
        "phones": [],
        "urls": [],
        "tags": [],
        "notes": "",
        "how_met": "",
        "event_id": None,
        "created_at": "2026-01-01T00:00:00+00:00",
        "updated_at": "2026-01-01T00:00:00+00:00",
    }
    record.update(fields)
    return record


def edit(
    replica: Replica | None,
    record: dict[str, Any] | None,
    node: str = NODE_A,
    at: int = T0,
    pending: dict[str, str] | None = None,
) -> tuple[Replica, dict[str, str]]:
    """A local write on a device, as store.js stamps it."""
    last = clock(node)
    for _, stamp_ in replica.fields.values() if replica else []:
        parsed = hlc.parse(stamp_)
        if parsed and parsed > last:
            last = hlc.Clock(parsed.millis, parsed.counter, node)
    key = record["id"] if record else replica.id if replica else "p1"
    new, pending_out, _ = stamp(replica, "people", key, record, pending or {}, last, at)
    return new, pending_out


# --- Hybrid logical clocks ----------------------------------------------------------------------


def test_a_timestamp_reads_back_as_the_same_clock() -> None:
    stamp_ = "2025-01-01T00:00:00.000Z-0000-a1b2c3d4e5f60718"

    parsed = hlc.parse(stamp_)

    assert parsed == hlc.Clock(1_735_689_600_000, 0, NODE_A)
    assert str(parsed) == stamp_


@settings(deadline=None)  # a shared, busy machine must not make a correct test fail
@given(st.integers(0, 253_402_300_799_999), st.integers(0, 0xFFFF))
def test_timestamps_sort_as_their_clocks_do(millis: int, counter: int) -> None:
    a = hlc.Clock(millis, counter, NODE_A)
    b = hlc.send(a, millis)

    assert len(str(a)) == 46
    assert hlc.parse(str(a)) == a
    assert (str(a) < str(b)) == (a < b)


def test_what_is_not_a_timestamp_parses_as_none() -> None:
    for text in (
        "",
        "2025-01-01",
        "2025-13-01T00:00:00.000Z-0000-a1b2c3d4e5f60718",
        "2025-02-29T00:00:00.000Z-0000-a1b2c3d4e5f60718",
        "2025-01-01T24:00:00.000Z-0000-a1b2c3d4e5f60718",
        "x" * 46,
    ):
        assert hlc.parse(text) is None


def test_a_leap_day_parses() -> None:
    assert hlc.parse("2024-02-29T23:59:59.999Z-ffff-a1b2c3d4e5f60718") == hlc.Clock(
        1_709_251_199_999, 0xFFFF, NODE_A
    )


def test_local_events_get_increasing_timestamps_under_a_monotonic_clock() -> None:
    c = clock()
    stamps = []
    for now in range(T0, T0 + 100, 7):
        c = hlc.send(c, now)
        stamps.append(str(c))

    assert stamps == sorted(stamps)
    assert len(set(stamps)) == len(stamps)


def test_local_events_get_increasing_timestamps_under_a_stuttering_clock() -> None:
    c = clock()
    stamps = []
    for now in [T0] * 5 + [T0 + 1] * 5 + [T0 + 1] * 3:
        c = hlc.send(c, now)
        stamps.append(str(c))

    assert stamps == sorted(stamps)
    assert len(set(stamps)) == len(stamps)


def test_local_events_get_increasing_timestamps_under_a_regressing_clock() -> None:
    c = clock()
    stamps = []
    for now in range(T0 + 1000, T0, -50):
        c = hlc.send(c, now)
        stamps.append(str(c))

    assert stamps == sorted(stamps)
    assert len(set(stamps)) == len(stamps)


def test_receiving_puts_the_clock_after_both_the_remote_and_the_local_time() -> None:
    local = hlc.Clock(T0, 3, NODE_A)
    remote = hlc.Clock(T0 + 500, 9, NODE_B)

    after = hlc.recv(local, remote, T0 + 100)

    assert after > local
    assert (after.millis, after.counter) > (remote.millis, remote.counter)
    assert after.node == NODE_A


def test_seventy_thousand_edits_under_a_frozen_clock_carry_instead_of_raising() -> None:
    c = clock(millis=T0)
    previous = str(c)
    for _ in range(70_000):
        c = hlc.send(c, T0)
        assert str(c) > previous
        previous = str(c)

    assert c.millis == T0 + 1
    assert c.counter == 70_000 - 0x10000


def test_a_record_from_the_year_2999_is_merged_and_a_later_edit_still_wins() -> None:
    future = hlc.Clock(32_503_680_000_000, 0, NODE_B)  # 3000-01-01
    theirs = Replica("people", "p1", {"name": ("From the future", str(future))})
    ours, pending = edit(None, person(name="Ada"))

    applied = apply_remote(ours, pending, [theirs], clock(millis=T0), T0)
    assert applied.replica.fields["name"][0] == "From the future"
    later, _, _ = stamp(
        applied.replica, "people", "p1", person(name="Ada again"), {}, applied.clock, T0
    )

    assert later.fields["name"][0] == "Ada again"
    assert later.fields["name"][1] > str(future)
    assert hlc.is_drifting(applied.clock, T0)


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


# --- Plaintext and the merge op -------------------------------------------------------------------


def test_plaintext_is_canonical_json_that_decodes_to_the_same_state() -> None:
    replica, _ = edit(None, person(name="Zoë", tags=["b", "a"]))

    text = plaintext(replica)

    assert (
        text
        == json.dumps(
            json.loads(text), sort_keys=True, separators=(",", ":"), ensure_ascii=False
        ).encode()
    )
    assert decode_replica(json.loads(text)) == replica


def test_the_appendix_a_plaintext_is_what_we_would_encrypt() -> None:
    stamp_ = "2025-01-01T00:00:00.000Z-0000-a1b2c3d4e5f60718"
    replica = Replica("contact", "x", {"name": ("Ada Lovelace", stamp_)})
    body = encode_replica(replica)
    del body["i"], body["v"]  # the appendix leaves them out for brevity

    assert json.dumps(body, sort_keys=True, separators=(",", ":")) == (
        '{"f":{"name":["Ada Lovelace","2025-01-01T00:00:00.000Z-0000-a1b2c3d4e5f60718"]},'
        '"t":"contact"}'
    )


@pytest.mark.parametrize("raw", [None, {"t": "people"}, {"t": "people", "i": "p", "f": {"x": [1]}}])
def test_a_damaged_state_is_refused_with_a_code(raw: object) -> None:
    with pytest.raises(SyncError) as refused:
        decode_replica(raw)

    assert refused.value.code == "bad-record"


def test_a_state_from_a_newer_format_is_refused_as_such() -> None:
    with pytest.raises(SyncError) as refused:
        decode_replica({"v": 2, "t": "people", "i": "p", "f": {}})

    assert refused.value.code == "newer-format"


def test_a_clock_that_does_not_parse_counts_as_the_oldest() -> None:
    replica = decode_replica({"t": "people", "i": "p", "f": {"name": ["x", "zzz"]}})

    assert replica.fields["name"] == ("x", hlc.ZERO)


def _op(records: list[dict[str, Any]], clock_: str = "") -> dict[str, Any]:
    return {"op": "merge", "now": NOW, "node": NODE_A, "clock": clock_, "records": records}


def test_the_merge_op_returns_what_to_store_and_what_the_engine_changes() -> None:
    theirs, _ = edit(None, person(name="Grace Hopper", tags=["mentor"]), node=NODE_B)

    result = merge_request(
        _op(
            [{"key": "people/p1", "local": None, "pending": {}, "remote": [encode_replica(theirs)]}]
        )
    )

    answer = result.answer
    assert answer["rejected"] == []
    assert answer["put"]["people"][0]["name"] == "Grace Hopper"
    assert answer["put"]["people"][0]["tags"] == ["mentor"]
    assert answer["records"][0]["replica"] is None  # the state sent, not echoed back
    assert answer["records"][0]["changed"] is True
    assert [p.name for p in result.put] == ["Grace Hopper"]  # type: ignore[union-attr]
    assert answer["clock"] > max(s for _, s in theirs.fields.values())
    json.dumps(answer)


def test_the_merge_op_deletes_a_record_deleted_elsewhere() -> None:
    ours, _ = edit(None, person())
    theirs, _ = edit(ours, None, node=NODE_B, at=T0 + 5)

    result = merge_request(
        _op(
            [
                {
                    "key": "people/p1",
                    "local": encode_replica(ours),
                    "pending": {},
                    "remote": [encode_replica(theirs)],
                }
            ]
        )
    )

    assert result.answer["records"][0]["replica"]["f"][DELETED][0] is True
    assert result.answer["delete"] == {"people": ["p1"]}
    assert result.delete == [("people", "p1")]
    assert result.answer["put"] == {}


def test_one_damaged_record_is_rejected_and_the_rest_of_the_page_applies() -> None:
    good, _ = edit(None, person(pid="p2", name="Katherine Johnson"), node=NODE_B)

    result = merge_request(
        _op(
            [
                {"key": "people/p1", "local": None, "remote": [{"t": "people"}]},
                {"key": "people/p2", "local": None, "remote": [encode_replica(good)]},
            ]
        )
    )

    assert [r["key"] for r in result.answer["rejected"]] == ["people/p1"]
    assert [r["key"] for r in result.answer["records"]] == ["people/p2"]


def test_a_field_from_a_newer_app_is_kept_for_sync_but_left_out_of_the_record() -> None:
    theirs, _ = edit(None, person(), node=NODE_B)
    fields = dict(theirs.fields)
    fields["linkedin"] = ("ada", fields["name"][1])
    newer = Replica("people", "p1", fields)

    result = merge_request(
        _op([{"key": "people/p1", "local": None, "remote": [encode_replica(newer)]}])
    )

    assert result.answer["records"][0]["replica"] is None  # kept as sent, linkedin included
    assert "linkedin" not in result.answer["put"]["people"][0]
    assert len(result.put) == 1


def test_a_record_the_engine_cannot_read_is_held_not_shown() -> None:
    bad = Replica("people", "p1", {"name": (42, str(clock(NODE_B, T0)))})

    result = merge_request(
        _op([{"key": "people/p1", "local": None, "remote": [encode_replica(bad)]}])
    )

    assert result.answer["records"][0]["held"]
    assert result.answer["put"] == {}
    assert result.put == []


def test_settings_and_the_profile_sync_but_other_meta_records_only_merge() -> None:
    profile = Replica(
        "meta",
        "profile",
        {
            k: (v, str(clock(NODE_B, T0)))
            for k, v in {"name": "Me", "email": "", "phone": ""}.items()
        },
    )
    other = Replica("meta", "device", {"x": (1, str(clock(NODE_B, T0)))})

    result = merge_request(
        _op(
            [
                {"key": "meta/profile", "local": None, "remote": [encode_replica(profile)]},
                {"key": "meta/device", "local": None, "remote": [encode_replica(other)]},
            ]
        )
    )

    assert result.answer["put"] == {
        "meta": [{"id": "profile", "name": "Me", "email": "", "phone": ""}]
    }
    assert len(result.answer["records"]) == 2


# --- Convergence --------------------------------------------------------------------------------


@dataclass
class Device:
    node: str
    skew_ms: int
    replicas: dict[str, Replica] = field(default_factory=dict)
    pending: dict[str, dict[str, str]] = field(default_factory=dict)
    clock: hlc.Clock = field(default_factory=lambda: hlc.Clock(0, 0, "0" * 16))
    cursor: int = 0

    def write(self, key: str, record: dict[str, Any] | None, now: int) -> None:
        new, pending, self.clock = stamp(
            self.replicas.get(key),
            "people",
            key,
            record,
            self.pending.get(key, {}),
            self.clock,
            now + self.skew_ms,
        )
        self.replicas[key] = new
        self.pending[key] = pending

    def receive(self, remotes: list[Replica], now: int) -> None:
        by_key: dict[str, list[Replica]] = {}
        for remote in remotes:
            by_key.setdefault(remote.id, []).append(remote)
        for key, states in by_key.items():
            applied = apply_remote(
                self.replicas.get(key),
                self.pending.get(key, {}),
                states,
                self.clock,
                now + self.skew_ms,
            )
            self.replicas[key], self.clock = applied.replica, applied.clock
            self.pending[key] = dict(applied.pending)


@dataclass
class Server:
    log: list[tuple[int, Replica]] = field(default_factory=list)
    seq: int = 0

    def push(self, items: list[tuple[Replica, int]]) -> None:
        for replica, based_on in items:
            self.log = [(s, r) for s, r in self.log if not (r.id == replica.id and s <= based_on)]
        for replica, _ in items:
            self.seq += 1
            self.log.append((self.seq, replica))


def _push(device: Device, server: Server, rng: random.Random, duplicate: bool) -> None:
    keys = [k for k, p in device.pending.items() if p]
    items = [(device.replicas[k], device.cursor) for k in keys]
    if not items:
        return
    server.push(items)
    if duplicate:  # a retry whose first attempt had landed after all, past the 30-day window
        server.push(items)
    for k in keys:
        device.pending[k] = {}


def _pull(device: Device, server: Server, rng: random.Random, page: int, now: int) -> None:
    while True:
        rows = [(s, r) for s, r in server.log if s > device.cursor][:page]
        if not rows:
            return
        states = [r for _, r in rows]
        if rng.random() < 0.1 and server.log:  # a duplicated delivery
            states.append(rng.choice(server.log)[1])
        if rng.random() < 0.1:  # reordered within the page
            rng.shuffle(states)
        device.receive(states, now)
        device.cursor = rows[-1][0]


def _random_record(device: Device, key: str, rng: random.Random) -> dict[str, Any] | None:
    current = device.replicas.get(key)
    record = materialise(current) if current else None
    if record is None:
        record = {"id": key, "name": "", "notes": "", "tags": []}
        if current is not None:  # a restore keeps the fields
            record.update(
                {k: v for k, (v, _) in current.fields.items() if ":" not in k and k != DELETED}
            )
    choice = rng.randrange(5)
    if choice == 0:
        return None
    if choice == 1:
        record["name"] = rng.choice(["Ada", "Grace", "Katherine", ""])
    elif choice == 2:
        record["notes"] = rng.choice(["met at the meetup", "call back", "sent CV", ""])
    else:
        tags = set(record.get("tags", []))
        tags ^= {rng.choice(["mentor", "media", "recruiter"])}
        record["tags"] = sorted(tags)
    return record


def _simulate(seed: int, ops: int = 300, devices_n: int = 3) -> list[Device]:
    rng = random.Random(seed)
    skews = [0, 365 * 86_400_000, -365 * 86_400_000, 6 * 60_000, -1]
    devices = [
        Device(node=f"{i + 1:016x}", skew_ms=skews[(seed + i) % len(skews)])
        for i in range(devices_n)
    ]
    for d in devices:
        d.clock = hlc.Clock(0, 0, d.node)
    server = Server()
    keys = [f"p{i}" for i in range(4)]
    now = T0
    for _ in range(ops):
        now += rng.randrange(0, 3)
        device = rng.choice(devices)
        action = rng.random()
        if action < 0.6:
            key = rng.choice(keys)
            device.write(key, _random_record(device, key, rng), now)
        elif action < 0.8:
            _push(device, server, rng, duplicate=rng.random() < 0.1)
        else:
            _pull(device, server, rng, rng.choice([1, 2, 7, 500]), now)
    for _ in range(10):  # a final full sync, until nobody has anything left to send
        for device in devices:
            _pull(device, server, rng, 500, now)
            _push(device, server, rng, duplicate=False)
        if not any(any(p.values()) for d in devices for p in [d.pending]):
            break
    for device in devices:
        _pull(device, server, rng, 500, now)
    return devices


# 60 seeds per run by default; FOLLOWTHROUGH_SYNC_SEEDS=1000 (or more, nightly) for a longer run.
SEEDS = int(os.environ.get("FOLLOWTHROUGH_SYNC_SEEDS", "60"))


@settings(max_examples=SEEDS, deadline=None)
@given(st.integers(0, 2**32))
def test_three_devices_converge_whatever_the_order_duplicates_and_pages(seed: int) -> None:
    devices = _simulate(seed, ops=300)

    first = devices[0]
    for other in devices[1:]:
        assert other.replicas == first.replicas, f"replay with _simulate({seed})"
    materialised = {k: materialise(r) for k, r in first.replicas.items()}
    for other in devices[1:]:
        assert {k: materialise(r) for k, r in other.replicas.items()} == materialised


def test_a_delete_concurrent_with_edits_is_a_delete_everywhere() -> None:
    for seed in range(200):
        rng = random.Random(seed)
        a, b = Device(NODE_A, 0), Device(NODE_B, rng.choice([0, 60_000, -60_000]))
        a.clock, b.clock = hlc.Clock(0, 0, NODE_A), hlc.Clock(0, 0, NODE_B)
        server = Server()
        a.write("p1", {"id": "p1", "name": "Ada", "notes": "", "tags": []}, T0)
        _push(a, server, rng, duplicate=False)
        _pull(b, server, rng, 500, T0)
        a.write("p1", None, T0 + rng.randrange(0, 100))
        for i in range(rng.randrange(1, 5)):
            b.write("p1", {"id": "p1", "name": f"Ada {i}", "notes": "x", "tags": []}, T0 + 200)
        for d in (a, b, a, b):
            _pull(d, server, rng, rng.choice([1, 500]), T0 + 300)
            _push(d, server, rng, duplicate=False)
        _pull(a, server, rng, 500, T0 + 300)

        assert is_deleted(a.replicas["p1"]), seed
        assert is_deleted(b.replicas["p1"]), seed
