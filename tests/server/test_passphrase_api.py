"""Passphrase changes and the recovery kit over HTTP on SQLite (SYNC-DESIGN §7 F3-F6)."""

from __future__ import annotations

import os

import anyio
import httpx
import pytest

from tests.server import refclient
from tests.server.builders import (
    ACCOUNT_A,
    PASSPHRASE,
    RECOVERY_A,
    account_a,
    bearer,
    device,
    paired,
)
from tests.server.refclient import Device, ServerError, b64

pytestmark = pytest.mark.anyio


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


# --- The secret key and key rotation (issue 19) -------------------------------------------------


async def test_with_a_secret_key_the_passphrase_alone_opens_nothing(
    http: httpx.AsyncClient,
) -> None:
    """Key-schedule version 2: a device that knows the passphrase but not the secret key (what a
    server that kept the verifier could guess at) is refused like a wrong passphrase."""
    secret = os.urandom(16)
    phone = device(http, "a")
    phone.secret_key = secret
    await phone.create_account(PASSPHRASE, account_id=ACCOUNT_A)
    laptop = device(http, "b")
    laptop.secret_key = secret
    stranger = device(http, "c")
    stranger.secret_key = os.urandom(16)

    await laptop.login(PASSPHRASE, ACCOUNT_A)
    with pytest.raises(ServerError) as refused:
        await stranger.login(PASSPHRASE, ACCOUNT_A)

    kdf = await phone.kdf_params(ACCOUNT_A)
    assert kdf["v"] == 2
    assert laptop.deks == phone.deks
    assert refused.value.code == "bad-credentials"


async def test_a_rotation_adds_a_data_key_and_a_new_kit_and_old_kits_open_nothing_new(
    http: httpx.AsyncClient,
) -> None:
    phone = await account_a(http)
    laptop = await paired(http, phone, "b")
    old_record, new_record = os.urandom(16), os.urandom(16)
    phone.edit(old_record, "note", "before the rotation")
    await phone.sync()

    new_kit = await phone.change_passphrase(PASSPHRASE, "a new and longer passphrase", rotate=True)
    phone.edit(new_record, "note", "after the rotation")
    await phone.sync()
    await laptop.login("a new and longer passphrase")
    await laptop.sync()
    account = (await phone.call("GET", "/v1/account"))["account"]
    with pytest.raises(ServerError) as old_kit:
        await device(http, "c").call(
            "POST",
            "/v1/recovery",
            auth=False,
            body={
                "account_id": ACCOUNT_A.hex(),
                "recovery_auth_key": b64(refclient.recovery_keys(RECOVERY_A, ACCOUNT_A)[1]),
            },
        )
    recovered = device(http, "d")
    recovered.account_id = ACCOUNT_A
    assert new_kit is not None
    await recovered.recover(new_kit, "yet another long passphrase")
    await recovered.sync()

    assert [key["key_id"] for key in account["keys"]] == [1, 2]
    assert phone.key_id == laptop.key_id == 2
    assert old_kit.value.code == "bad-credentials"
    assert laptop.visible()[new_record.hex()]["f"]["note"][0] == "after the rotation"
    assert recovered.snapshot() == laptop.snapshot()


async def test_a_rotation_without_a_new_kit_for_every_key_changes_nothing(
    http: httpx.AsyncClient,
) -> None:
    phone = await account_a(http)
    keys = refclient.derive(PASSPHRASE, ACCOUNT_A, bytes(range(32)))
    body = {
        "account_id": ACCOUNT_A.hex(),
        "auth_key": b64(keys.auth_key),
        "expected_key_epoch": 1,
        "kdf": {"alg": "pbkdf2-sha256", "iterations": 600_000, "seed": b64(os.urandom(32)), "v": 2},
        "new_auth_key": b64(os.urandom(32)),
        "keys": [
            {"key_id": 1, "wrapped_dek": b64(os.urandom(60))},
            {"key_id": 2, "wrapped_dek": b64(os.urandom(60))},
        ],
    }

    response = await http.post("/v1/passphrase", json=body)

    assert (response.status_code, response.json()["field"]) == (422, "recovery.keys")
    account = (await phone.call("GET", "/v1/account"))["account"]
    assert [key["key_id"] for key in account["keys"]] == [1]
