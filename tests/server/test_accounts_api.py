"""Accounts and sessions over HTTP on SQLite: setup, KDF lookup, login and its limits, sessions
(SYNC-DESIGN §7 F)."""

from __future__ import annotations

import base64
import os
import sqlite3
import statistics
import time
from typing import Any

import anyio
import httpx
import pytest

from server.settings import Limits
from server.sqlite_store import SqliteStore
from tests.server import refclient
from tests.server.builders import (
    ACCOUNT_A,
    ACCOUNT_B,
    PASSPHRASE,
    account_a,
    bearer,
    device,
    paired,
    setup_body,
)
from tests.server.conftest import FakeClock, http_client, make_settings
from tests.server.refclient import ServerError, b64

pytestmark = pytest.mark.anyio


def sessions_in(store: SqliteStore) -> int:
    with sqlite3.connect(store.path) as connection:
        count: int = connection.execute("SELECT count(*) FROM sessions").fetchone()[0]
        return count


# --- Account setup, KDF lookup, login -------------------------------------------------------------


async def test_setting_up_an_account_signs_the_first_device_in(http: httpx.AsyncClient) -> None:
    response = await http.post("/v1/account", json=setup_body(ACCOUNT_A))

    assert response.status_code == 201
    body = response.json()
    assert len(body["token"]) == 43
    assert body["expires_day"] == "2027-02-21"  # 90 days after the server's today
    assert body["account"]["account_id"] == ACCOUNT_A.hex()
    assert body["account"]["key_epoch"] == 1
    assert len(bytes.fromhex(body["account"]["log_id"])) == 16
    again = await http.post("/v1/account", json=setup_body(ACCOUNT_A))
    assert (again.status_code, again.json()["error"]) == (409, "account-exists")


@pytest.mark.parametrize(
    ("change", "code", "field"),
    [
        ({"account_id": "A0" * 16}, "invalid-request", "account_id"),
        (
            {
                "kdf": {
                    "alg": "pbkdf2-sha256",
                    "iterations": 599_999,
                    "seed": b64(bytes(32)),
                    "v": 1,
                }
            },
            "weak-kdf",
            "kdf.iterations",
        ),
        (
            {"kdf": {"alg": "pbkdf2-sha1", "iterations": 600_000, "seed": b64(bytes(32)), "v": 1}},
            "weak-kdf",
            "kdf.alg",
        ),
        (
            {
                "kdf": {
                    "alg": "pbkdf2-sha256",
                    "iterations": 600_000,
                    "seed": b64(bytes(16)),
                    "v": 1,
                }
            },
            "invalid-request",
            "kdf.seed",
        ),
        ({"auth_key": b64(bytes(31))}, "invalid-request", "auth_key"),
        ({"keys": []}, "invalid-request", "keys"),
        (
            {
                "keys": [
                    {
                        "key_id": 0,
                        "wrapped_dek": b64(bytes(60)),
                        "recovery_wrapped_dek": b64(bytes(60)),
                    }
                ]
            },
            "invalid-request",
            "keys[0].key_id",
        ),
    ],
)
async def test_a_malformed_setup_is_refused_with_the_field_at_fault(
    http: httpx.AsyncClient, change: dict[str, Any], code: str, field: str
) -> None:
    response = await http.post("/v1/account", json=setup_body(ACCOUNT_A, **change))

    assert response.status_code == 422
    assert (response.json()["error"], response.json()["field"]) == (code, field)


async def test_kdf_parameters_for_an_unknown_id_look_like_real_ones(
    http: httpx.AsyncClient,
) -> None:
    """G6: the lookup is no account oracle: same shape, stable, unrelated seeds."""
    first = await account_a(http)
    real = (await http.get(f"/v1/account/{first.account_id.hex()}/kdf")).json()
    fake = (await http.get(f"/v1/account/{ACCOUNT_B.hex()}/kdf")).json()
    fake_again = (await http.get(f"/v1/account/{ACCOUNT_B.hex()}/kdf")).json()
    other_fake = (await http.get(f"/v1/account/{'c0' * 16}/kdf")).json()

    assert real["kdf"]["seed"] == b64(bytes(range(32)))
    assert set(real["kdf"]) == set(fake["kdf"]) == {"alg", "iterations", "seed", "v"}
    assert fake["kdf"]["iterations"] == real["kdf"]["iterations"] == 600_000
    assert fake == fake_again
    assert fake["kdf"]["seed"] != other_fake["kdf"]["seed"]
    assert len(base64.b64decode(fake["kdf"]["seed"])) == 32


async def test_kdf_lookups_take_as_long_for_unknown_ids_as_for_real_ones(
    http: httpx.AsyncClient,
) -> None:
    first = await account_a(http)

    async def timed(account_hex: str) -> float:
        started = time.perf_counter()
        assert (await http.get(f"/v1/account/{account_hex}/kdf")).status_code == 200
        return time.perf_counter() - started

    real: list[float] = []
    fake: list[float] = []
    for _ in range(80):  # interleaved, so a busy machine slows both alike
        real.append(await timed(first.account_id.hex()))
        fake.append(await timed(ACCOUNT_B.hex()))

    assert 0.5 < statistics.median(fake) / statistics.median(real) < 2.0


async def test_logging_in_returns_the_wrapped_key_that_the_passphrase_unwraps(
    http: httpx.AsyncClient,
) -> None:
    first = await account_a(http)
    second = device(http, "b")

    await second.login(PASSPHRASE, ACCOUNT_A)

    assert second.deks == first.deks
    assert second.token != first.token


async def test_a_wrong_passphrase_and_an_unknown_account_get_the_same_answer(
    http: httpx.AsyncClient, sqlite: SqliteStore
) -> None:
    """F1 on the server's side: a wrong passphrase writes nothing and says only 401."""
    await account_a(http)
    before = sessions_in(sqlite)
    wrong = refclient.derive("correct horse battery stapler", ACCOUNT_A, bytes(range(32)))

    bad_key = await http.post(
        "/v1/session", json={"account_id": ACCOUNT_A.hex(), "auth_key": b64(wrong.auth_key)}
    )
    no_account = await http.post(
        "/v1/session", json={"account_id": ACCOUNT_B.hex(), "auth_key": b64(wrong.auth_key)}
    )

    assert bad_key.status_code == no_account.status_code == 401
    assert bad_key.json() == no_account.json()
    assert bad_key.json()["error"] == "bad-credentials"
    assert sessions_in(sqlite) == before


async def test_the_sixth_failed_login_in_fifteen_minutes_is_refused_with_retry_after(
    sqlite: SqliteStore,
) -> None:
    """F2, with the design's limit of 5 failures per account per 15 minutes."""
    async with http_client(sqlite, make_settings(Limits(accounts_per_client="100/minute"))) as http:
        await account_a(http)
        wrong = {"account_id": ACCOUNT_A.hex(), "auth_key": b64(os.urandom(32))}
        right = {
            "account_id": ACCOUNT_A.hex(),
            "auth_key": b64(refclient.derive(PASSPHRASE, ACCOUNT_A, bytes(range(32))).auth_key),
        }

        failures = [(await http.post("/v1/session", json=wrong)).status_code for _ in range(5)]
        sixth = await http.post("/v1/session", json=right)
        other_account = await http.post(
            "/v1/session", json={**wrong, "account_id": ACCOUNT_B.hex()}
        )

    assert failures == [401] * 5
    assert sixth.status_code == 429
    assert sixth.json()["error"] == "rate-limited"
    assert 1 <= int(sixth.headers["retry-after"]) <= 900
    assert other_account.status_code == 401


async def test_failed_logins_are_forgiven_when_the_window_passes(sqlite: SqliteStore) -> None:
    async with http_client(
        sqlite, make_settings(Limits(failed_logins="2/1second", accounts_per_client="9/minute"))
    ) as http:
        first = await account_a(http)
        wrong = {"account_id": ACCOUNT_A.hex(), "auth_key": b64(os.urandom(32))}
        for _ in range(2):
            await http.post("/v1/session", json=wrong)
        refused = await http.post("/v1/session", json=wrong)
        await anyio.sleep(1.1)

        await paired(http, first, "b")

    assert refused.status_code == 429


async def test_a_client_address_may_try_twenty_logins_a_minute(sqlite: SqliteStore) -> None:
    limits = Limits(failed_logins="1000/minute", accounts_per_client="9/minute")
    async with http_client(sqlite, make_settings(limits)) as http:
        body = {"account_id": ACCOUNT_B.hex(), "auth_key": b64(os.urandom(32))}
        codes = [(await http.post("/v1/session", json=body)).status_code for _ in range(21)]
    async with http_client(sqlite, make_settings(limits), client=("10.0.0.2", 1)) as elsewhere:
        other_address = await elsewhere.post("/v1/session", json=body)

    assert codes == [401] * 20 + [429]
    assert other_address.status_code == 401


async def test_a_client_address_may_create_three_accounts_an_hour(sqlite: SqliteStore) -> None:
    async with http_client(sqlite, make_settings(Limits())) as http:
        codes = [
            (await http.post("/v1/account", json=setup_body(os.urandom(16)))).status_code
            for _ in range(4)
        ]

    assert codes == [201, 201, 201, 429]


async def test_a_client_address_may_look_up_thirty_kdf_parameters_a_minute(
    sqlite: SqliteStore,
) -> None:
    async with http_client(sqlite, make_settings(Limits())) as http:
        codes = [
            (await http.get(f"/v1/account/{ACCOUNT_B.hex()}/kdf")).status_code for _ in range(31)
        ]

    assert codes == [200] * 30 + [429]


# --- Sessions -----------------------------------------------------------------------------------


async def test_calls_without_a_valid_token_are_refused(http: httpx.AsyncClient) -> None:
    first = await account_a(http)

    missing = await http.get("/v1/pull")
    garbage = await http.get("/v1/pull", headers=bearer("not-a-token"))
    unknown = await http.get(
        "/v1/pull", headers=bearer(base64.urlsafe_b64encode(os.urandom(32)).decode()[:43])
    )
    good = await http.get("/v1/pull", headers=bearer(first.token))

    assert (missing.status_code, missing.json()["error"]) == (401, "missing-token")
    assert (garbage.status_code, garbage.json()["error"]) == (401, "invalid-token")
    assert (unknown.status_code, unknown.json()["error"]) == (401, "invalid-token")
    assert good.status_code == 200


async def test_signing_out_revokes_this_token_and_revoke_others_the_rest(
    http: httpx.AsyncClient,
) -> None:
    """F5: "sign out other devices" revokes their tokens: their next call is a 401."""
    phone = await account_a(http)
    laptop, tablet = await paired(http, phone, "b"), await paired(http, phone, "c")

    revoked = await http.post("/v1/sessions/revoke-others", headers=bearer(phone.token))
    laptop_after = await http.get("/v1/pull", headers=bearer(laptop.token))
    phone_after = await http.get("/v1/pull", headers=bearer(phone.token))
    signed_out = await http.delete("/v1/session", headers=bearer(phone.token))
    phone_gone = await http.get("/v1/pull", headers=bearer(phone.token))

    assert revoked.json() == {"revoked": 2}
    assert (laptop_after.status_code, laptop_after.json()["error"]) == (401, "invalid-token")
    assert phone_after.status_code == 200
    assert signed_out.status_code == 204
    assert phone_gone.status_code == 401
    with pytest.raises(ServerError, match="invalid-token"):
        await tablet.pull()


async def test_an_eleventh_session_signs_out_the_oldest(http: httpx.AsyncClient) -> None:
    first = await account_a(http)
    devices = [await paired(http, first, f"d{n}") for n in range(10)]

    oldest = await http.get("/v1/pull", headers=bearer(first.token))
    second_oldest = await http.get("/v1/pull", headers=bearer(devices[0].token))

    assert oldest.status_code == 401
    assert second_oldest.status_code == 200


async def test_a_session_lasts_ninety_days_from_its_last_use(sqlite: SqliteStore) -> None:
    clock = FakeClock()
    async with http_client(sqlite, clock=clock) as http:
        first = await account_a(http)
        clock.advance(days=89)
        used = await http.get("/v1/pull", headers=bearer(first.token))
        clock.advance(days=89)
        still = await http.get("/v1/pull", headers=bearer(first.token))
        clock.advance(days=91)
        expired = await http.get("/v1/pull", headers=bearer(first.token))

    assert (used.status_code, still.status_code) == (200, 200)
    assert (expired.status_code, expired.json()["error"]) == (401, "invalid-token")
