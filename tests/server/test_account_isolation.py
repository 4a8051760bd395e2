"""No endpoint lets one account reach another's data (SYNC-DESIGN §7 F7)."""

from __future__ import annotations

import os
from typing import Any

import httpx
import pytest

from server.app import routes as api_routes
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
    setup_body,
)
from tests.server.conftest import FakeClock, make_settings
from tests.server.refclient import b64

pytestmark = pytest.mark.anyio


# --- Another account's data (F7) ------------------------------------------------------------------


async def test_no_endpoint_lets_one_account_reach_anothers_data(
    http: httpx.AsyncClient, sqlite: SqliteStore
) -> None:
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
    # Web Push: B's subscription and sealed message stay B's whatever A sends.
    bob_endpoint = "https://push.example/bob"
    bob_message = {"endpoint": bob_endpoint, "send_at": "2026-11-24T08:30:00Z", "blob": b64(b"x")}
    b = bearer(bob.token)
    await http.post("/v1/push/subscription", headers=b, json={"endpoint": bob_endpoint})
    await http.put("/v1/push/messages", headers=b, json={"messages": [bob_message]})
    key = await call("GET", "/v1/push/key", headers=a)
    drop = await call(
        "DELETE",
        "/v1/push/subscription",
        headers=a,
        json={"endpoint": bob_endpoint, "account_id": ACCOUNT_B.hex()},
    )
    replaced = await call(
        "PUT",
        "/v1/push/messages",
        headers=a,
        json={"messages": [], "account_id": ACCOUNT_B.hex()},
    )
    added = await call(
        "POST",
        "/v1/push/subscription",
        headers=a,
        json={"endpoint": "https://push.example/alice", "account_id": ACCOUNT_B.hex()},
    )
    assert key.status_code == 200
    assert drop.json() == {"dropped": False}
    assert replaced.json() == {"stored": 0, "unknown": []}
    assert added.status_code == 200
    assert sqlite.subscriptions(ACCOUNT_B) == [bob_endpoint]
    assert sqlite.subscriptions(ACCOUNT_A) == ["https://push.example/alice"]
    due = sqlite.claim_due(now=2**40, lease=60, limit=10)
    assert [(m.account_id, m.endpoint, m.blob) for m in due] == [(ACCOUNT_B, bob_endpoint, b"x")]
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
