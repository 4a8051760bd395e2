"""The HTTP API in-process (httpx over ASGI) on SQLite: accounts, sessions, passphrase changes,
limits and the other-account sweep (SYNC-DESIGN §7 F and G)."""

from __future__ import annotations

import base64
import json
import os
import sqlite3
import statistics
import time
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import anyio
import httpx
import pytest

from server.app import routes as api_routes
from server.records import PullPage, StorageError
from server.settings import Limits
from server.sqlite_store import SqliteStore
from server.storage import MemoryStore
from tests.server import refclient
from tests.server.builders import (
    ACCOUNT_A,
    ACCOUNT_B,
    PASSPHRASE,
    RECOVERY_A,
    SEED_B,
    account_a,
    bearer,
    device,
    envelope,
    paired,
    push_body,
    setup_body,
)
from tests.server.conftest import WIDE, FakeClock, http_client, make_settings
from tests.server.refclient import Device, ServerError, b64

pytestmark = pytest.mark.anyio

JSON = {"content-type": "application/json"}  # the API takes no other bodies


@pytest.fixture
def sqlite(tmp_path: Path) -> Iterator[SqliteStore]:
    store = SqliteStore(tmp_path / "sync.sqlite3")
    yield store
    store.close()


@pytest.fixture
async def http(sqlite: SqliteStore) -> AsyncIterator[httpx.AsyncClient]:
    async with http_client(sqlite) as client:
        yield client


def sessions_in(store: SqliteStore) -> int:
    with sqlite3.connect(store.path) as connection:
        count: int = connection.execute("SELECT count(*) FROM sessions").fetchone()[0]
        return count


# --- Basics -------------------------------------------------------------------------------------


async def test_health_answers_with_the_protocol_version(http: httpx.AsyncClient) -> None:
    response = await http.get("/v1/health")

    assert response.status_code == 200
    assert response.json() == {"ok": True, "protocol": 1}


async def test_health_says_when_the_database_is_down() -> None:
    class Down(MemoryStore):
        def ping(self) -> None:
            raise StorageError("connection refused")

    async with http_client(Down()) as http:
        response = await http.get("/v1/health")

    assert response.status_code == 503
    assert response.json()["error"] == "storage-unavailable"


async def test_unknown_paths_and_methods_answer_with_error_codes(http: httpx.AsyncClient) -> None:
    missing = await http.get("/v1/nothing")
    wrong_method = await http.put("/v1/push")
    not_json = await http.post("/v1/session", content=b"{nope", headers=JSON)

    assert (missing.status_code, missing.json()["error"]) == (404, "not-found")
    assert (wrong_method.status_code, wrong_method.json()["error"]) == (405, "method-not-allowed")
    assert (not_json.status_code, not_json.json()["error"]) == (400, "invalid-json")


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


# --- Passphrase change and recovery (F3-F6) -----------------------------------------------------


async def test_a_passphrase_change_signs_others_out_with_a_specific_error(
    http: httpx.AsyncClient,
) -> None:
    """F3 and F5: the other device keeps its 50 unsent edits, hears "passphrase changed",
    logs in with the new passphrase, and uploads all of them; nothing is lost."""
    phone = await account_a(http)
    laptop = await paired(http, phone, "b")
    records = [os.urandom(16) for _ in range(50)]
    for n, record in enumerate(records):
        laptop.edit(record, "note", f"offline edit {n}")

    await phone.change_passphrase(PASSPHRASE, "a new and longer passphrase")
    with pytest.raises(ServerError) as refused:
        await laptop.sync()
    with pytest.raises(ServerError) as old_passphrase:
        await device(http, "c").login(PASSPHRASE, ACCOUNT_A)
    await laptop.login("a new and longer passphrase")
    await laptop.sync()
    await phone.sync()

    assert (refused.value.status, refused.value.code) == (401, "passphrase-changed")
    assert old_passphrase.value.code == "bad-credentials"
    assert len(laptop.dirty) == 0
    assert phone.snapshot() == laptop.snapshot()
    assert len(phone.visible()) == 50
    assert phone.key_epoch == laptop.key_epoch == 2


async def test_two_passphrase_changes_at_once_one_wins_and_its_passphrase_opens_the_data(
    http: httpx.AsyncClient,
) -> None:
    """F4: exactly one 200 and one 409; the data decrypts with the winner's passphrase."""
    phone = await account_a(http)
    laptop = await paired(http, phone, "b")
    record = os.urandom(16)
    phone.edit(record, "name", "Ada")
    await phone.sync()
    outcomes: dict[str, str] = {}

    async def change(who: Device, new: str) -> None:
        try:
            await who.change_passphrase(PASSPHRASE, new, expected_key_epoch=1)
            outcomes[new] = "200"
        except ServerError as problem:
            outcomes[new] = f"{problem.status} {problem.code}"

    async with anyio.create_task_group() as group:
        group.start_soon(change, phone, "phone's new passphrase")
        group.start_soon(change, laptop, "laptop's new passphrase")

    assert sorted(outcomes.values()) == ["200", "409 key-epoch-mismatch"]
    winner = next(passphrase for passphrase, outcome in outcomes.items() if outcome == "200")
    third = device(http, "c")
    await third.login(winner, ACCOUNT_A)
    await third.pull()
    assert third.visible()[record.hex()]["f"]["name"][0] == "Ada"


async def test_a_passphrase_change_must_rewrap_exactly_the_accounts_keys(
    http: httpx.AsyncClient,
) -> None:
    phone = await account_a(http)
    keys = refclient.derive(PASSPHRASE, ACCOUNT_A, bytes(range(32)))
    body = {
        "account_id": ACCOUNT_A.hex(),
        "auth_key": b64(keys.auth_key),
        "expected_key_epoch": 1,
        "kdf": {"alg": "pbkdf2-sha256", "iterations": 600_000, "seed": b64(os.urandom(32)), "v": 1},
        "new_auth_key": b64(os.urandom(32)),
        "keys": [{"key_id": 2, "wrapped_dek": b64(os.urandom(60))}],
    }

    response = await http.post("/v1/passphrase", json=body)

    assert (response.status_code, response.json()["error"]) == (422, "keys-mismatch")
    assert (await http.get("/v1/pull", headers=bearer(phone.token))).status_code == 200


async def test_the_recovery_kit_restores_access_and_a_wrong_kit_fails_cleanly(
    http: httpx.AsyncClient,
) -> None:
    """F6."""
    phone = await account_a(http)
    record = os.urandom(16)
    phone.edit(record, "name", "Grace")
    await phone.sync()
    lost = device(http, "b")
    lost.account_id = ACCOUNT_A

    with pytest.raises(ServerError) as wrong_kit:
        await lost.recover(os.urandom(32), "whatever")
    await lost.recover(RECOVERY_A, "remembered this time")
    await lost.pull()
    fresh = device(http, "c")
    await fresh.login("remembered this time", ACCOUNT_A)

    assert (wrong_kit.value.status, wrong_kit.value.code) == (401, "bad-credentials")
    assert lost.visible()[record.hex()]["f"]["name"][0] == "Grace"
    assert fresh.deks == phone.deks
    with pytest.raises(ServerError, match="passphrase-changed"):
        await phone.pull()


# --- Push and pull --------------------------------------------------------------------------------


async def test_a_pushed_batch_comes_back_in_order_with_a_cursor(http: httpx.AsyncClient) -> None:
    phone = await account_a(http)
    body = push_body(3)

    pushed = await http.post("/v1/push", json=body, headers=bearer(phone.token))
    pulled = await http.get(
        "/v1/pull", params={"since": 1, "limit": 1}, headers=bearer(phone.token)
    )

    assert pushed.status_code == 200
    assert {k: v for k, v in pushed.json().items() if k != "server_time"} == {
        "first_seq": 1,
        "last_seq": 3,
        "replayed": False,
    }
    page = pulled.json()
    assert [item["seq"] for item in page["items"]] == [2]
    assert page["items"][0]["envelope"] == body["items"][1]["envelope"]
    assert (page["next_since"], page["more"], page["log_id"]) == (2, True, phone.log_id)
    assert page["server_time"] == "2026-11-23T09:30:00.000Z"


async def test_a_batch_resent_ten_times_is_stored_once(http: httpx.AsyncClient) -> None:
    """D1: identical seq range every time, one set of rows."""
    phone = await account_a(http)
    body = push_body(4)

    answers = [
        (await http.post("/v1/push", json=body, headers=bearer(phone.token))).json()
        for _ in range(10)
    ]
    page = (await http.get("/v1/pull", headers=bearer(phone.token))).json()

    assert {(a["first_seq"], a["last_seq"]) for a in answers} == {(1, 4)}
    assert [a["replayed"] for a in answers] == [False] + [True] * 9
    assert len(page["items"]) == 4


@pytest.mark.parametrize(
    ("change", "code"),
    [
        (lambda b: b["items"].append(dict(b["items"][0])), "duplicate-record"),
        (lambda b: b["items"][0].update(based_on_seq=-1), "invalid-request"),
        (lambda b: b["items"][0].update(envelope="not base64!"), "invalid-request"),
        (lambda b: b["items"][0].update(envelope=""), "invalid-envelope"),
        (lambda b: b["items"][0].update(envelope=envelope(32)), "invalid-envelope"),
        (lambda b: b["items"][0].update(envelope=envelope(version=2)), "invalid-envelope"),
        (lambda b: b["items"][0].update(envelope=envelope(key_id=7)), "unknown-key-id"),
        (lambda b: b["items"][0].update(envelope=envelope(65_537)), "envelope-too-large"),
        (lambda b: b["items"][0].update(based_on_seq=5), "based-on-future"),
        (lambda b: b.update(batch_id="x"), "invalid-request"),
        (lambda b: b.update(items=[]), "invalid-request"),
    ],
)
async def test_a_bad_push_is_refused_whole(http: httpx.AsyncClient, change: Any, code: str) -> None:
    """E3 on the server's side: truncated, empty and oversized envelopes are refused cleanly."""
    phone = await account_a(http)
    body = push_body(2)
    change(body)

    response = await http.post("/v1/push", json=body, headers=bearer(phone.token))
    page = (await http.get("/v1/pull", headers=bearer(phone.token))).json()

    assert response.status_code == 422
    assert response.json()["error"] == code
    assert page["items"] == []


async def test_a_64_kib_envelope_is_accepted(http: httpx.AsyncClient) -> None:
    phone = await account_a(http)

    response = await http.post("/v1/push", json=push_body(size=65_536), headers=bearer(phone.token))

    assert response.status_code == 200


async def test_a_push_of_501_items_is_refused(http: httpx.AsyncClient) -> None:
    phone = await account_a(http)

    response = await http.post(
        "/v1/push", json=push_body(501, size=40), headers=bearer(phone.token)
    )
    accepted = await http.post(
        "/v1/push", json=push_body(500, size=40), headers=bearer(phone.token)
    )

    assert (response.status_code, response.json()["error"]) == (422, "too-many-items")
    assert accepted.status_code == 200


async def test_a_full_account_is_refused_with_quota_exceeded(sqlite: SqliteStore) -> None:
    limits = Limits(account_bytes=2000, accounts_per_client="9/minute")
    async with http_client(sqlite, make_settings(limits)) as http:
        phone = await account_a(http)
        first = await http.post(
            "/v1/push", json=push_body(5, size=289), headers=bearer(phone.token)
        )
        second = await http.post(
            "/v1/push", json=push_body(5, size=289), headers=bearer(phone.token)
        )

    assert first.status_code == 200
    assert (second.status_code, second.json()["error"]) == (413, "quota-exceeded")


async def test_pull_parameters_are_checked_and_the_page_size_capped(sqlite: SqliteStore) -> None:
    async with http_client(sqlite, make_settings(_with(items_per_page=3))) as http:
        phone = await account_a(http)
        await http.post("/v1/push", json=push_body(5), headers=bearer(phone.token))
        auth = bearer(phone.token)
        capped = await http.get("/v1/pull", params={"limit": 100}, headers=auth)
        negative = await http.get("/v1/pull", params={"since": -1}, headers=auth)
        zero = await http.get("/v1/pull", params={"limit": 0}, headers=auth)
        word = await http.get("/v1/pull", params={"since": "abc"}, headers=auth)
        ahead = await http.get("/v1/pull", params={"since": 6}, headers=auth)

    assert [item["seq"] for item in capped.json()["items"]] == [1, 2, 3]
    assert capped.json()["more"]
    assert [r.json()["field"] for r in (negative, zero, word)] == ["since", "limit", "since"]
    assert {r.status_code for r in (negative, zero, word)} == {422}
    assert (ahead.status_code, ahead.json()["error"]) == (409, "cursor-ahead")


def _with(**changes: Any) -> Limits:
    return Limits(**{**{f: getattr(WIDE, f) for f in WIDE.__dataclass_fields__}, **changes})


async def test_the_121st_sync_in_a_minute_is_refused(sqlite: SqliteStore) -> None:
    """G5 (first half): 120 pushes and pulls per account per minute."""
    async with http_client(sqlite, make_settings(_with(syncs_per_account="120/minute"))) as http:
        phone = await account_a(http)
        laptop = await paired(http, phone, "b")
        codes = [
            (await http.get("/v1/pull", headers=bearer(phone.token))).status_code for _ in range(60)
        ] + [
            (
                await http.post("/v1/push", json=push_body(), headers=bearer(laptop.token))
            ).status_code
            for _ in range(61)
        ]
        refused = await http.get("/v1/pull", headers=bearer(phone.token))

    assert codes == [200] * 120 + [429]
    assert refused.status_code == 429
    assert int(refused.headers["retry-after"]) >= 1


async def test_a_third_sync_at_once_for_one_account_is_refused() -> None:
    release = anyio.Event()
    entered = 0

    class Slow(MemoryStore):
        fast_reads = False  # pulls run in worker threads, where they can wait

        def pull(self, account_id: bytes, since: int, *, limit: int, max_bytes: int) -> PullPage:
            nonlocal entered
            entered += 1
            anyio.from_thread.run(release.wait)
            return super().pull(account_id, since, limit=limit, max_bytes=max_bytes)

    async with http_client(Slow(), make_settings(_with(concurrent_syncs_per_account=2))) as http:
        phone = await account_a(http)
        codes: list[int] = []

        async def pull() -> None:
            codes.append((await http.get("/v1/pull", headers=bearer(phone.token))).status_code)

        async with anyio.create_task_group() as group:
            group.start_soon(pull)
            group.start_soon(pull)
            while entered < 2:
                await anyio.sleep(0.01)
            third = await http.get("/v1/pull", headers=bearer(phone.token))
            release.set()

    assert (third.status_code, third.headers["retry-after"]) == (429, "1")
    assert codes == [200, 200]


# --- Bodies -------------------------------------------------------------------------------------


async def test_a_push_body_of_exactly_one_mib_is_accepted_and_one_byte_more_is_not(
    http: httpx.AsyncClient,
) -> None:
    """G2."""
    phone = await account_a(http)
    raw = json.dumps(push_body(11, size=65_536)).encode()
    exact = raw + b" " * (1024 * 1024 - len(raw))

    accepted = await http.post("/v1/push", content=exact, headers=bearer(phone.token) | JSON)
    refused = await http.post("/v1/push", content=exact + b" ", headers=bearer(phone.token) | JSON)

    assert len(exact) == 1024 * 1024
    assert accepted.status_code == 200
    assert (refused.status_code, refused.json()["error"]) == (413, "body-too-large")


async def test_other_endpoints_take_16_kib(http: httpx.AsyncClient) -> None:
    body = json.dumps(setup_body(ACCOUNT_A)).encode()

    refused = await http.post(
        "/v1/account", content=body + b" " * (16 * 1024 + 1 - len(body)), headers=JSON
    )
    accepted = await http.post(
        "/v1/account", content=body + b" " * (16 * 1024 - len(body)), headers=JSON
    )

    assert refused.status_code == 413
    assert accepted.status_code == 201


async def test_a_chunked_body_is_refused_once_it_passes_the_limit(http: httpx.AsyncClient) -> None:
    """G3 in-process: no Content-Length; the server stops reading at the limit."""
    phone = await account_a(http)
    sent = 0

    async def chunks() -> AsyncIterator[bytes]:
        nonlocal sent
        for _ in range(100):
            sent += 64 * 1024
            yield b" " * (64 * 1024)

    response = await http.post("/v1/push", content=chunks(), headers=bearer(phone.token) | JSON)

    assert (response.status_code, response.json()["error"]) == (413, "body-too-large")
    assert "content-length" not in response.request.headers


async def test_a_body_that_does_not_finish_in_time_is_given_up(sqlite: SqliteStore) -> None:
    """G5 (second half) in-process, with a short deadline; test_server_process.py checks it
    on a real socket."""
    async with http_client(sqlite, make_settings(body_timeout=0.3)) as http:
        phone = await account_a(http)

        async def trickle() -> AsyncIterator[bytes]:
            for _ in range(10):
                await anyio.sleep(0.1)
                yield b" "

        started = time.perf_counter()
        response = await http.post(
            "/v1/push", content=trickle(), headers=bearer(phone.token) | JSON
        )

    assert (response.status_code, response.json()["error"]) == (408, "request-timeout")
    assert time.perf_counter() - started < 1.0


async def test_cross_origin_calls_are_allowed_for_configured_origins(sqlite: SqliteStore) -> None:
    settings = make_settings(cors_origins=("https://app.example",))
    async with http_client(sqlite, settings) as http:
        preflight = await http.options(
            "/v1/push",
            headers={
                "Origin": "https://app.example",
                "Access-Control-Request-Method": "POST",
                "Access-Control-Request-Headers": "authorization,content-type",
            },
        )
        other = await http.get("/v1/health", headers={"Origin": "https://evil.example"})
        allowed = await http.get("/v1/health", headers={"Origin": "https://app.example"})

    assert preflight.status_code == 200
    assert preflight.headers["access-control-allow-origin"] == "https://app.example"
    assert "access-control-allow-origin" not in other.headers
    assert "retry-after" in allowed.headers["access-control-expose-headers"].lower()


# --- Clocks (H) -----------------------------------------------------------------------------------


async def test_the_server_clock_jumping_around_changes_nothing_about_order(
    sqlite: SqliteStore,
) -> None:
    """H: server time is for display only: seqs and pulls ignore it, whichever way it jumps
    (within a session's 90 days: only session expiry reads the server's day)."""
    clock = FakeClock()
    async with http_client(sqlite, clock=clock) as http:
        phone = await account_a(http)
        laptop = await paired(http, phone, "b")
        record = os.urandom(16)
        for delta, value in (
            (60, "two months ahead"),
            (-120, "two months behind"),
            (0.004, "six minutes"),
        ):
            clock.advance(days=delta)
            phone.edit(record, "note", value)
            await phone.sync()
        await laptop.sync()

    assert laptop.visible()[record.hex()]["f"]["note"][0] == "six minutes"
    assert laptop.snapshot() == phone.snapshot()


# --- Another account's data (F7) ------------------------------------------------------------------


async def test_no_endpoint_lets_one_account_reach_anothers_data(http: httpx.AsyncClient) -> None:
    """F7: account A's token against account B's ids, on every route the app has."""
    alice = await account_a(http)
    bob = device(http, "b")
    await bob.create_account("bob's own passphrase", account_id=ACCOUNT_B, seed=SEED_B)
    bob_record = os.urandom(16)
    bob.edit(bob_record, "name", "Bob's secret contact")
    bob_batch = bob.next_batch()
    assert bob_batch is not None
    await bob.sync()
    bob_envelope = bob_batch.body["items"][0]["envelope"]
    bob_log = (await http.get("/v1/pull", headers=bearer(bob.token))).json()
    a = bearer(alice.token)
    bob_keys = refclient.derive("bob's own passphrase", ACCOUNT_B, SEED_B)
    swept: set[tuple[str, str]] = set()

    async def call(method: str, path: str, **options: Any) -> httpx.Response:
        swept.add((method, path.split("?")[0].replace(ACCOUNT_B.hex(), "{account_id}")))
        return await http.request(method, path, **options)

    health = await call("GET", "/v1/health", headers=a)
    mine = await call("GET", "/v1/account", headers=a, params={"account_id": ACCOUNT_B.hex()})
    kdf_with_token = await call("GET", f"/v1/account/{ACCOUNT_B.hex()}/kdf", headers=a)
    kdf_anonymous = await http.get(f"/v1/account/{ACCOUNT_B.hex()}/kdf")
    taken = await call("POST", "/v1/account", headers=a, json=setup_body(ACCOUNT_B))
    login = await call(
        "POST",
        "/v1/session",
        headers=a,
        json={
            "account_id": ACCOUNT_B.hex(),
            "auth_key": b64(refclient.derive(PASSPHRASE, ACCOUNT_A, bytes(range(32))).auth_key),
        },
    )
    recovery = await call(
        "POST",
        "/v1/recovery",
        headers=a,
        json={
            "account_id": ACCOUNT_B.hex(),
            "recovery_auth_key": b64(refclient.recovery_keys(RECOVERY_A, ACCOUNT_A)[1]),
        },
    )
    alice_auth = b64(refclient.derive(PASSPHRASE, ACCOUNT_A, bytes(range(32))).auth_key)
    new_kdf = {"alg": "pbkdf2-sha256", "iterations": 600_000, "seed": b64(bytes(32)), "v": 1}
    passphrase = await call(
        "POST",
        "/v1/passphrase",
        headers=a,
        json={
            "account_id": ACCOUNT_B.hex(),
            "auth_key": alice_auth,
            "expected_key_epoch": 1,
            "kdf": new_kdf,
            "new_auth_key": b64(bytes(32)),
            "keys": [{"key_id": 1, "wrapped_dek": b64(bytes(60))}],
        },
    )
    bob_item = {"record_id": bob_record.hex(), "based_on_seq": 0, "envelope": bob_envelope}
    push = await call(
        "POST",
        "/v1/push",
        headers=a,
        json={
            "batch_id": bob_batch.batch_id.hex(),
            "account_id": ACCOUNT_B.hex(),
            "items": [bob_item],
        },
    )
    pull = await call("GET", f"/v1/pull?since=0&account_id={ACCOUNT_B.hex()}", headers=a)
    revoke = await call(
        "POST", "/v1/sessions/revoke-others", headers=a, json={"account_id": ACCOUNT_B.hex()}
    )
    sign_out = await call("DELETE", "/v1/session", headers=a, json={"account_id": ACCOUNT_B.hex()})

    assert health.status_code == 200
    assert mine.json()["account"]["account_id"] == ACCOUNT_A.hex()
    assert kdf_with_token.json() == kdf_anonymous.json()  # public, and no more with a token
    assert taken.status_code == 409
    assert login.status_code == recovery.status_code == passphrase.status_code == 401
    # The push lands in A's own log: B's batch id means nothing in A's account.
    assert push.status_code == 200
    assert push.json()["replayed"] is False
    assert [item["seq"] for item in pull.json()["items"]] == [1]  # A's own row only
    assert revoke.json() == {"revoked": 0}
    assert sign_out.status_code == 204
    # B is untouched: same log, same keys, still signed in, old passphrase still works.
    assert (await http.get("/v1/pull", headers=bearer(bob.token))).json()["items"] == bob_log[
        "items"
    ]
    assert (
        await http.post(
            "/v1/session", json={"account_id": ACCOUNT_B.hex(), "auth_key": b64(bob_keys.auth_key)}
        )
    ).status_code == 200
    everything = {
        (method, route.path)
        for route in api_routes_all()
        for method in route.methods or ()
        if method != "HEAD"
    }
    assert everything <= swept


def api_routes_all() -> list[Any]:
    from server.app import _Api

    return api_routes(_Api(MemoryStore(), make_settings(), FakeClock()))


async def test_a_store_outage_mid_request_is_a_503_not_a_crash(tmp_path: Path) -> None:
    class Flaky(MemoryStore):
        def pull(self, account_id: bytes, since: int, *, limit: int, max_bytes: int) -> PullPage:
            raise StorageError("the disk is gone")

    async with http_client(Flaky()) as http:
        phone = await account_a(http)
        response = await http.get("/v1/pull", headers=bearer(phone.token))

    assert (response.status_code, response.json()["error"]) == (503, "storage-unavailable")
