"""Proofs of a passphrase or a recovery key under attack: the account's failure budget is
counted before each check (so concurrent guesses cannot slip past it, on SQLite and on
PostgreSQL), and strangers' failures cannot lock out a device that holds a session or the
recovery kit (docs/sync-protocol.md §5)."""

from __future__ import annotations

import contextlib
import os
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import anyio
import httpx
import pytest

from server.app import create_app
from server.postgres_store import PostgresStore
from server.records import ChangeStore
from server.settings import Limits
from server.sqlite_store import SqliteStore
from tests.server.builders import ACCOUNT_A, PASSPHRASE, RECOVERY_A, account_a, bearer, device
from tests.server.conftest import FakeClock, PostgresCluster, make_settings
from tests.server.refclient import b64

pytestmark = pytest.mark.anyio

LIMITS = Limits(accounts_per_client="100/minute")  # the default login limits


@pytest.fixture(params=["sqlite", "postgres"])
def sql_store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[ChangeStore]:
    store: ChangeStore
    if request.param == "sqlite":
        store = SqliteStore(tmp_path / "sync.sqlite3")
    else:
        cluster: PostgresCluster = request.getfixturevalue("postgres")
        store = PostgresStore(cluster.new_database())
    yield store
    store.close()


@contextlib.asynccontextmanager
async def clients(
    store: ChangeStore, addresses: list[str]
) -> AsyncIterator[list[httpx.AsyncClient]]:
    """One app (one limiter), reached from each address. The bound on requests in progress is
    off: these tests are about the login limiter, and on a loaded machine 19 concurrent logins
    would otherwise also meet `server-busy` (test_overload.py tests the bound)."""
    app = create_app(store, make_settings(LIMITS, max_in_progress=0), clock=FakeClock())
    async with contextlib.AsyncExitStack() as stack:
        yield [
            await stack.enter_async_context(
                httpx.AsyncClient(
                    transport=httpx.ASGITransport(app=app, client=(address, 40000)),
                    base_url="http://sync.test",
                )
            )
            for address in addresses
        ]


def wrong_login() -> dict[str, str]:
    return {"account_id": ACCOUNT_A.hex(), "auth_key": b64(os.urandom(32))}


async def concurrently(http: list[httpx.AsyncClient], body: dict[str, str]) -> list[int]:
    codes: list[int] = []

    async def guess(client: httpx.AsyncClient) -> None:
        codes.append((await client.post("/v1/session", json=body)).status_code)

    async with anyio.create_task_group() as group:
        for client in http:
            group.start_soon(guess, client)
    return codes


async def test_nineteen_concurrent_wrong_logins_from_one_address_check_at_most_five(
    sql_store: ChangeStore,
) -> None:
    async with clients(sql_store, ["127.0.0.1"]) as (http,):
        await account_a(http)

        codes = await concurrently([http] * 19, wrong_login())

    print(f"one address: {codes.count(401)} of 19 concurrent wrong logins checked")
    assert codes.count(401) <= 5
    assert codes.count(429) == 19 - codes.count(401)


async def test_nineteen_concurrent_wrong_logins_from_varied_addresses_check_at_most_five(
    sql_store: ChangeStore,
) -> None:
    addresses = [f"10.0.{n}.1" for n in range(19)]
    async with clients(sql_store, ["127.0.0.1", *addresses]) as (owner, *others):
        await account_a(owner)

        codes = await concurrently(others, wrong_login())

    print(f"19 addresses: {codes.count(401)} of 19 concurrent wrong logins checked")
    assert codes.count(401) <= 5
    assert codes.count(429) == 19 - codes.count(401)


async def test_a_right_passphrase_clears_the_accounts_count(sql_store: ChangeStore) -> None:
    async with clients(sql_store, ["127.0.0.1", "10.0.0.9"]) as (owner, stranger):
        first = await account_a(owner)
        for _ in range(4):
            await stranger.post("/v1/session", json=wrong_login())
        await first.login(PASSPHRASE)

        later = [(await stranger.post("/v1/session", json=wrong_login())).status_code]

    assert later == [401]


async def test_strangers_failures_do_not_lock_out_a_device_that_holds_a_session(
    sql_store: ChangeStore,
) -> None:
    async with clients(sql_store, ["127.0.0.1", "10.0.0.9"]) as (owner, stranger):
        first = await account_a(owner)
        locked = [
            (await stranger.post("/v1/session", json=wrong_login())).status_code for _ in range(6)
        ]

        await first.change_passphrase(PASSPHRASE, "a new passphrase, long enough")
        await first.login("a new passphrase, long enough")
        still_locked = await stranger.post("/v1/session", json=wrong_login())

    assert locked == [401] * 5 + [429]
    assert still_locked.status_code == 429


async def test_a_stale_session_still_shows_its_device_is_the_owners(
    sql_store: ChangeStore,
) -> None:
    """A passphrase change elsewhere makes a session stale; its device must log in again, and
    strangers' failures must not stop it."""
    async with clients(sql_store, ["127.0.0.1", "10.0.0.9"]) as (owner, stranger):
        first = await account_a(owner)
        second = device(owner, "b")
        await second.login(PASSPHRASE, ACCOUNT_A)
        await first.change_passphrase(PASSPHRASE, "a new passphrase, long enough")
        for _ in range(6):
            await stranger.post("/v1/session", json=wrong_login())

        await second.login("a new passphrase, long enough")

    assert second.key_epoch == 2


async def test_strangers_failures_do_not_lock_out_the_recovery_kit(
    sql_store: ChangeStore,
) -> None:
    async with clients(sql_store, ["127.0.0.1", "10.0.0.9"]) as (owner, stranger):
        first = await account_a(owner)
        for _ in range(6):
            await stranger.post("/v1/session", json=wrong_login())
        new_device = device(owner, "c")
        new_device.account_id = ACCOUNT_A

        await new_device.recover(RECOVERY_A, "a new passphrase, long enough")

    assert new_device.key_epoch == first.key_epoch + 1


async def test_a_token_of_another_account_does_not_lift_the_lock(
    sql_store: ChangeStore,
) -> None:
    async with clients(sql_store, ["127.0.0.1", "10.0.0.9"]) as (owner, stranger):
        await account_a(owner)
        other = device(stranger, "d")
        await other.create_account(PASSPHRASE)
        assert other.token
        for _ in range(5):
            await stranger.post("/v1/session", json=wrong_login())

        with_token = await stranger.post(
            "/v1/session", json=wrong_login(), headers=bearer(other.token)
        )

    assert with_token.status_code == 429
