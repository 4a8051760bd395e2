"""Three simulated devices and a server converge whatever the order, duplication and paging of
deliveries."""

from __future__ import annotations

import os
import random
from dataclasses import dataclass, field
from typing import Any

from followup import hlc
from followup.sync import (
    DELETED,
    Replica,
    apply_remote,
    is_deleted,
    materialise,
    stamp,
)
from hypothesis import given, settings
from hypothesis import strategies as st

from .sync_builders import NODE_A, NODE_B, T0

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
