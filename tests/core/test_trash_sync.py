"""The trash across devices, on the convergence harness of test_sync_convergence: a trashed
record is a `trashed` field, so concurrent edits neither resurrect it nor get lost on restore;
an erased record keeps nothing anywhere, the server's older ciphertexts included."""

from __future__ import annotations

import random
from typing import Any

from followup import hlc
from followup.sync import ERASED, Replica, materialise, stamp, to_stored
from followup.trashed import Trashed

from .sync_builders import NODE_A, NODE_B, T0
from .test_sync_convergence import Device, Server, _pull, _push

MARK = {"entry": "trash-1", "at": "2026-11-23T09:00:00+00:00", "main": True, "unlinked": []}
ANA = {
    "id": "p1",
    "name": "Ana Ruiz",
    "notes": "",
    "tags": [],
    "created_at": "2026-11-23T09:00:00+00:00",
    "updated_at": "2026-11-23T09:00:00+00:00",
}


def pair() -> tuple[Device, Device, Server]:
    a, b = Device(NODE_A, 0), Device(NODE_B, 0)
    a.clock, b.clock = hlc.Clock(0, 0, NODE_A), hlc.Clock(0, 0, NODE_B)
    return a, b, Server()


def sync(devices: list[Device], server: Server, rng: random.Random, now: int) -> None:
    for _ in range(3):
        for d in devices:
            _pull(d, server, rng, 500, now)
            _push(d, server, rng, duplicate=False)
    for d in devices:
        _pull(d, server, rng, 500, now)


def shown(device: Device) -> Any:
    record = materialise(device.replicas["p1"])
    return None if record is None else to_stored("people", record)[1]


def edit(device: Device, now: int, **fields: Any) -> None:
    record = materialise(device.replicas["p1"])
    assert record is not None
    device.write("p1", {**record, **fields}, now)


def test_a_delete_and_a_restore_meet_concurrent_edits_with_no_resurrection_and_no_loss() -> None:
    for seed in range(100):
        rng = random.Random(seed)
        a, b, server = pair()
        a.write("p1", ANA, T0)
        sync([a, b], server, rng, T0)

        edit(a, T0 + 10, trashed=MARK)  # A deletes Ana
        edit(b, T0 + rng.randrange(0, 20), notes="met at the meetup")  # B edits her meanwhile
        sync([a, b], server, rng, T0 + 30)

        for d in (a, b):
            found = shown(d)
            assert isinstance(found, Trashed), seed  # no resurrection
            assert found.record.notes == "met at the meetup", seed  # no loss

        edit(b, T0 + 40, trashed=None)  # B restores
        edit(a, T0 + 40 + rng.randrange(0, 3), name="Ana R.")  # A renames her meanwhile
        sync([a, b], server, rng, T0 + 50)

        for d in (a, b):
            found = shown(d)
            assert not isinstance(found, Trashed), seed
            assert (found.name, found.notes) == ("Ana R.", "met at the meetup"), seed
        assert a.replicas == b.replicas


def test_an_erase_leaves_nothing_on_any_device_or_on_the_server() -> None:
    for seed in range(100):
        rng = random.Random(seed)
        a, b, server = pair()
        a.write("p1", ANA, T0)
        sync([a, b], server, rng, T0)
        edit(a, T0 + 5, trashed=MARK)
        sync([a, b], server, rng, T0 + 6)

        erased, pending, a.clock = stamp(
            a.replicas["p1"], "people", "p1", None, a.pending["p1"], a.clock, T0 + 10, erase=True
        )
        a.replicas["p1"], a.pending["p1"] = erased, pending
        if rng.random() < 0.5:  # B edits the old content meanwhile, and sends it
            edit(b, T0 + rng.randrange(0, 20), notes="private")
            _push(b, server, rng, duplicate=False)
        sync([a, b], server, rng, T0 + 30)

        for d in (a, b):
            assert set(d.replicas["p1"].fields) == {ERASED, "_deleted"}, seed
            assert materialise(d.replicas["p1"]) is None
        stored: list[Replica] = [r for _, r in server.log if r.id == "p1"]
        assert stored, seed
        assert all(set(r.fields) == {ERASED, "_deleted"} for r in stored), seed


def test_an_erased_record_takes_no_further_write() -> None:
    a, _, _ = pair()
    a.write("p1", ANA, T0)
    erased, pending, clock = stamp(
        a.replicas["p1"], "people", "p1", None, {}, a.clock, T0 + 1, erase=True
    )

    again, _, _ = stamp(erased, "people", "p1", ANA, pending, clock, T0 + 2)

    assert again == erased
