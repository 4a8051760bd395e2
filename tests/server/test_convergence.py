"""Devices converge through the real server (in-process, SQLite) whatever the order,
duplication and delay of deliveries (SYNC-DESIGN §7 A, B, D, H).

The merge is the reference client's minimal per-field LWW (see refclient/records.py), standing
in for followup/sync.py. Every failure names its seed; replay one with
`FOLLOWTHROUGH_SEED=<seed> python -m pytest tests/server/test_convergence.py -k seeds`.
CI runs 40 seeds of 3 devices x 300 operations; FOLLOWTHROUGH_NIGHTLY=1 runs 1,000 (and 5
devices x 1,000 operations on 50 seeds).
"""

from __future__ import annotations

import contextlib
import os
import random
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import pytest

from server.records import ChangeStore
from server.sqlite_store import SqliteStore
from tests.server.builders import PASSPHRASE, START_MS, account_a, paired
from tests.server.conftest import NIGHTLY, FakeClock, http_client
from tests.server.refclient import (
    Device,
    ServerError,
    State,
    TransportLostError,
    canonical,
    is_deleted,
)

pytestmark = pytest.mark.anyio

YEAR_MS = 365 * 24 * 3600 * 1000
SKEWS = (0, 0, 6 * 60 * 1000, YEAR_MS, -YEAR_MS)  # H1: +6 min, +1 year, -1 year
FIELDS = ("name", "company", "email", "note")
TAGS = ("recruiter", "referral", "alumni")
PAGE_SIZES = (1, 2, 7, 500)


def seeds(count: int) -> list[int]:
    chosen = os.environ.get("FOLLOWTHROUGH_SEED")
    return [int(chosen)] if chosen else list(range(count))


@dataclass
class World:
    """The simulation: devices with skewed clocks, a shared simulated time, and the oracle."""

    rng: random.Random
    devices: list[Device] = field(default_factory=list)
    sim_ms: int = START_MS
    history: dict[int, list[dict[str, Any]]] = field(default_factory=dict)
    written: list[tuple[bytes, str, Any, str]] = field(default_factory=list)

    def clock_for(self, skew: int) -> Callable[[], int]:
        return lambda: self.sim_ms + skew

    def oracle(self) -> bytes:
        """Sequential replay of every write in HLC order: per field, the largest HLC wins."""
        records: dict[bytes, State] = {}
        for record_id, name, value, stamp in sorted(
            self.written, key=lambda w: (w[3], canonical(w[2]))
        ):
            state = records.setdefault(record_id, {"v": 1, "t": "contact", "f": {}})
            state["f"][name] = [value, stamp]
        return canonical({rid.hex(): state for rid, state in sorted(records.items())})


def edit(world: World, who: Device, record_id: bytes, name: str, value: Any) -> None:
    stamp = who.edit(record_id, name, value)
    world.written.append((record_id, name, value, stamp))


async def pull_once(world: World, who: Device, index: int) -> None:
    """One pull of one or two pages: 10 % of pages applied twice, 10 % out of order, and now
    and then a page from long ago delivered again."""
    rng = world.rng
    limit = rng.choice(PAGE_SIZES)
    first = await who.fetch(who.cursor, limit)
    pages = [first]
    if first["more"] and rng.random() < 0.1:
        pages.append(await who.fetch(first["next_since"], limit))
        pages.reverse()
    for page in pages:
        who.apply(page)
        if rng.random() < 0.1:
            who.apply(page)
    old = world.history.setdefault(index, [])
    if old and rng.random() < 0.05:
        who.apply(rng.choice(old))
    old.extend(pages)


async def push_once(world: World, who: Device) -> None:
    """One push: 10 % lost before the server, 10 % lost after it applied the batch."""
    roll = world.rng.random()
    lose = "request" if roll < 0.1 else "response" if roll < 0.2 else ""
    with contextlib.suppress(TransportLostError):
        await who.push(max_items=world.rng.choice((1, 3, 500)), lose=lose)


async def finish(world: World) -> None:
    """Every device pushes all it has, then every device pulls everything."""
    for _ in range(2):
        for who in world.devices:
            await who.sync()


async def simulate(
    http: httpx.AsyncClient, seed: int, *, devices: int = 3, operations: int = 300
) -> World:
    rng = random.Random(seed)
    world = World(rng=rng)
    skews = [0] + [rng.choice(SKEWS) for _ in range(devices - 1)]
    first = await account_a(http, "d0", rng=rng, now_ms=world.clock_for(skews[0]))
    world.devices = [first] + [
        await paired(http, first, f"d{n}", rng=rng, now_ms=world.clock_for(skews[n]))
        for n in range(1, devices)
    ]
    pool = [rng.randbytes(16) for _ in range(12)]
    for _ in range(operations):
        world.sim_ms += rng.randint(0, 3000)
        index = rng.randrange(devices)
        who = world.devices[index]
        roll = rng.random()
        record_id = rng.choice(pool)
        if roll < 0.40:
            edit(world, who, record_id, rng.choice(FIELDS), f"v{rng.randrange(10**6)}")
        elif roll < 0.47:
            edit(world, who, record_id, "_deleted", True)
        elif roll < 0.50:
            edit(world, who, record_id, "_deleted", False)  # Restore
        elif roll < 0.58:
            edit(world, who, record_id, f"tags:{rng.choice(TAGS)}", rng.random() < 0.6)
        elif roll < 0.78:
            await push_once(world, who)
        else:
            await pull_once(world, who, index)
    await finish(world)
    return world


def assert_converged(world: World, seed: int) -> None:
    snapshots = {who.snapshot() for who in world.devices}
    assert len(snapshots) == 1, f"devices diverged; replay with FOLLOWTHROUGH_SEED={seed}"
    assert snapshots.pop() == world.oracle(), (
        f"not the oracle; replay with FOLLOWTHROUGH_SEED={seed}"
    )
    assert not any(who.rejected for who in world.devices), f"seed {seed}"


@pytest.fixture
def sqlite_factory(tmp_path: Path) -> Iterator[Callable[[], SqliteStore]]:
    opened: list[SqliteStore] = []

    def make() -> SqliteStore:
        store = SqliteStore(tmp_path / f"sync-{len(opened)}.sqlite3")
        opened.append(store)
        return store

    yield make
    for store in opened:
        store.close()


async def test_three_devices_converge_over_many_seeds(
    sqlite_factory: Callable[[], SqliteStore],
) -> None:
    """A1: 3 devices x 300 random operations; 10 % duplicated and 10 % reordered deliveries,
    lost requests and responses, page sizes 1, 2, 7 and 500, clocks skewed by up to a year."""
    for seed in seeds(1000 if NIGHTLY else 40):
        async with http_client(sqlite_factory()) as http:
            world = await simulate(http, seed)
        assert_converged(world, seed)


@pytest.mark.skipif(not NIGHTLY, reason="nightly size: set FOLLOWTHROUGH_NIGHTLY=1")
async def test_five_devices_converge_over_a_thousand_operations(
    sqlite_factory: Callable[[], SqliteStore],
) -> None:
    """A2."""
    for seed in seeds(50):
        async with http_client(sqlite_factory()) as http:
            world = await simulate(http, 10_000 + seed, devices=5, operations=1000)
        assert_converged(world, 10_000 + seed)


# --- Deletes and resurrection (B) ---------------------------------------------------------------


async def test_a_delete_wins_over_concurrent_edits_on_every_seed(
    sqlite_factory: Callable[[], SqliteStore],
) -> None:
    """B1: device 1 deletes while device 2 edits offline: deleted everywhere, every seed."""
    for seed in seeds(1000 if NIGHTLY else 50):
        rng = random.Random(seed)
        async with http_client(sqlite_factory()) as http:
            one = await account_a(http, "p", rng=rng)
            two = await paired(http, one, "l", rng=rng)
            record = rng.randbytes(16)
            one.edit(record, "name", "Ada")
            await one.sync()
            await two.sync()
            one.delete(record)
            for _ in range(rng.randint(1, 4)):
                two.edit(record, rng.choice(FIELDS), f"v{rng.random()}")
            first, second = rng.sample([one, two], 2)
            await first.sync()
            await second.sync()
            await first.sync()
        assert one.snapshot() == two.snapshot(), f"seed {seed}"
        assert record.hex() not in one.visible(), f"resurrected; seed {seed}"


async def test_a_device_offline_for_400_days_brings_nothing_back(tmp_path: Path) -> None:
    """B2: the laptop edits a contact, goes away for 400 days; meanwhile the phone deletes it
    and empties the trash. The laptop comes back (its session long expired), logs in, syncs."""
    clock = FakeClock()
    store = SqliteStore(tmp_path / "s.sqlite3")
    sim = {"ms": START_MS}
    async with http_client(store, clock=clock) as http:
        phone = await account_a(http, "p", now_ms=lambda: sim["ms"])
        laptop = await paired(http, phone, "l", now_ms=lambda: sim["ms"])
        record = os.urandom(16)
        phone.edit(record, "name", "Ada")
        await phone.sync()
        await laptop.sync()
        laptop.edit(record, "note", "stale offline note")  # never sent
        sim["ms"] += 1000
        phone.delete(record)
        for name in ("name",):
            phone.edit(record, name, None)  # emptied trash: fields overwritten with null
        await phone.sync()
        clock.advance(days=400)
        sim["ms"] += 400 * 24 * 3600 * 1000
        with pytest.raises(ServerError, match="invalid-token"):
            await laptop.sync()
        await laptop.login(PASSPHRASE)
        await laptop.sync()
        await phone.login(PASSPHRASE)
        await phone.sync()
    store.close()

    assert laptop.snapshot() == phone.snapshot()
    assert record.hex() not in laptop.visible()
    assert record.hex() not in phone.visible()


async def test_a_wiped_device_restores_everything_and_pushes_no_tombstones(tmp_path: Path) -> None:
    """B3: cleared site data = an empty device: it pulls all, pushes nothing."""
    store = SqliteStore(tmp_path / "s.sqlite3")
    async with http_client(store) as http:
        phone = await account_a(http, "p")
        records = [os.urandom(16) for _ in range(30)]
        for n, record in enumerate(records):
            phone.edit(record, "name", f"person {n}")
        for record in records[:5]:
            phone.delete(record)
        await phone.sync()
        wiped = await paired(http, phone, "w")

        await wiped.pull(limit=7)
        pushed = await wiped.push()

    store.close()
    assert pushed is None
    assert wiped.snapshot() == phone.snapshot()
    assert len(wiped.visible()) == 25


async def test_an_empty_new_server_deletes_nothing_and_gets_everything_back(tmp_path: Path) -> None:
    """B4 (Joplin #883): the devices are pointed at a new, empty server."""
    old, new = SqliteStore(tmp_path / "old.sqlite3"), SqliteStore(tmp_path / "new.sqlite3")
    async with http_client(old) as http:
        phone = await account_a(http, "p")
        laptop = await paired(http, phone, "l")
        for n in range(20):
            (phone if n % 2 else laptop).edit(os.urandom(16), "name", f"person {n}")
        await phone.sync()
        await laptop.sync()
        await phone.sync()
    before = phone.snapshot()
    async with http_client(new) as http:
        for who in (phone, laptop):
            who.http = http
        with pytest.raises(ServerError, match="bad-credentials"):
            await laptop.login(PASSPHRASE)  # the account does not exist there
        seed, dek = bytes(range(32)), phone.deks[1]
        await phone.create_account(PASSPHRASE, account_id=phone.account_id, seed=seed, dek=dek)
        await phone.sync()  # a new log_id: the phone offers everything it has
        await laptop.login(PASSPHRASE)
        await laptop.sync()
        await phone.sync()
    old.close()
    new.close()

    assert phone.snapshot() == laptop.snapshot() == before
    assert len(phone.visible()) == 20


# --- Replays (D) --------------------------------------------------------------------------------


async def test_an_older_version_replayed_by_the_server_changes_nothing(tmp_path: Path) -> None:
    """D2 and D3: an old version of a record served again, and the whole history twice."""
    store: ChangeStore = SqliteStore(tmp_path / "s.sqlite3")
    async with http_client(store) as http:
        phone = await account_a(http, "p")
        laptop = await paired(http, phone, "l")
        record = os.urandom(16)
        phone.edit(record, "name", "first")
        await phone.sync()
        first_page = await laptop.fetch(0, 500)
        laptop.apply(first_page)
        for n in range(3):
            phone.edit(record, "name", f"edit {n}")
            phone.edit(os.urandom(16), "name", f"other {n}")
            await phone.sync()
        await laptop.sync()
        settled = laptop.snapshot()

        laptop.apply(first_page)  # the server re-serves the oldest version
        replayed = laptop.snapshot()
        laptop.cursor = 0
        await laptop.pull(limit=2)  # the whole history again
        await laptop.pull(limit=2)

    store.close()
    assert replayed == settled
    assert laptop.snapshot() == settled == phone.snapshot()


# --- Clocks (H3) --------------------------------------------------------------------------------


async def test_a_year_2999_timestamp_does_not_stop_later_edits_from_winning(tmp_path: Path) -> None:
    """H3: one device's clock says 2999. Everyone converges, and an edit made afterwards on
    another device (with a sane clock) still wins, because receiving advances the clock."""
    store = SqliteStore(tmp_path / "s.sqlite3")
    far = 32_503_680_000_000 - 1  # 2999-12-31
    async with http_client(store) as http:
        phone = await account_a(http, "p", now_ms=lambda: far)
        laptop = await paired(http, phone, "l")
        record = os.urandom(16)
        phone.edit(record, "name", "from 2999")
        await phone.sync()
        await laptop.sync()
        laptop.edit(record, "name", "later, from today")
        await laptop.sync()
        await phone.sync()
    store.close()

    assert phone.snapshot() == laptop.snapshot()
    assert phone.visible()[record.hex()]["f"]["name"][0] == "later, from today"
    assert is_deleted(phone.records[record]) is False


@pytest.mark.parametrize(("push_limit", "pull_limit"), [(1, 2), (2, 1)])
async def test_page_boundaries_lose_nothing(
    sqlite_factory: Callable[[], SqliteStore], push_limit: int, pull_limit: int
) -> None:
    """A4 (Standard Notes' devlog): upload limit 1 and download limit 2, and the reverse,
    with stale local edits on both sides."""
    async with http_client(sqlite_factory()) as http:
        phone = await account_a(http, "p")
        laptop = await paired(http, phone, "l")
        shared = [os.urandom(16) for _ in range(5)]
        for n, record in enumerate(shared):
            phone.edit(record, "name", f"phone {n}")
            laptop.edit(record, "note", f"laptop {n}")  # concurrent, stale on each side
        for _ in range(3):
            for who in (phone, laptop):
                await who.pull(limit=pull_limit)
                while await who.push(max_items=push_limit) is not None:
                    await who.pull(limit=pull_limit)
        await phone.pull(limit=pull_limit)

    assert phone.snapshot() == laptop.snapshot()
    assert all(set(s["f"]) == {"name", "note"} for s in phone.records.values())
