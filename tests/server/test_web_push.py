"""Web Push through the sync server: the server keeps endpoints, sealed blobs and send times,
signs each request with its VAPID key, and sends each blob once, on time, to a fake push service
on loopback that checks the signature and decrypts the blob with the subscription's key."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator, Iterator
from datetime import timedelta
from typing import Any

import httpx
import pytest

from server.push_api import load_vapid
from server.push_sender import TTL_SECONDS, PushSender
from server.records import ChangeStore
from server.settings import Limits
from server.sqlite_store import SqliteStore
from tests.server import fakepush
from tests.server.builders import ACCOUNT_A, account_a, bearer
from tests.server.conftest import NOW, WIDE, FakeClock, http_client, make_settings
from tests.server.refclient import b64

pytestmark = pytest.mark.anyio
NOW_S = int(NOW.timestamp())


def iso(seconds: int) -> str:
    return (NOW + timedelta(seconds=seconds - NOW_S)).isoformat().replace("+00:00", "Z")


@pytest.fixture
def push_service() -> Iterator[fakepush.FakePushService]:
    service = fakepush.FakePushService()
    server = fakepush.start(service)
    yield service
    server.shutdown()
    server.server_close()


@pytest.fixture
async def signed_in(store: ChangeStore) -> AsyncIterator[tuple[httpx.AsyncClient, dict[str, str]]]:
    async with http_client(store) as http:
        device = await account_a(http)
        yield http, bearer(device.token)


def morning(sub: fakepush.Subscription, at: int, text: str) -> dict[str, Any]:
    payload = json.dumps({"title": text, "send_at": at}).encode()
    return {"endpoint": sub.endpoint, "send_at": iso(at), "blob": b64(sub.seal(payload))}


async def test_the_public_key_is_made_once_and_kept_in_the_database(tmp_path: Any) -> None:
    first = SqliteStore(tmp_path / "sync.sqlite3")
    async with http_client(first) as http:
        key = (await http.get("/v1/push/key")).json()["public_key"]
    first.close()
    again = SqliteStore(tmp_path / "sync.sqlite3")
    async with http_client(again) as http:
        assert (await http.get("/v1/push/key")).json()["public_key"] == key
    again.close()
    assert len(fakepush.b64url_decode(key)) == 65  # an uncompressed P-256 point


async def test_a_key_file_named_in_the_settings_is_made_once_and_used(tmp_path: Any) -> None:
    store = SqliteStore(tmp_path / "sync.sqlite3")
    settings = make_settings(vapid_key_file=str(tmp_path / "vapid.key"))
    async with http_client(store, settings) as http:
        key = (await http.get("/v1/push/key")).json()["public_key"]
    assert load_vapid(store, str(tmp_path / "vapid.key"), "mailto:x@y").public_key == key
    assert (tmp_path / "vapid.key").stat().st_mode & 0o077 == 0
    store.close()


async def test_subscriptions_need_a_session_and_an_https_endpoint(
    signed_in: tuple[httpx.AsyncClient, dict[str, str]], store: ChangeStore
) -> None:
    http, auth = signed_in
    anonymous = await http.post("/v1/push/subscription", json={"endpoint": "https://p.test/1"})
    plain = await http.post(
        "/v1/push/subscription", headers=auth, json={"endpoint": "http://push.example/1"}
    )
    added = await http.post(
        "/v1/push/subscription", headers=auth, json={"endpoint": "https://push.example/1"}
    )
    assert anonymous.status_code == 401
    assert plain.status_code == 422
    assert plain.json()["field"] == "endpoint"
    assert added.json() == {"ok": True}
    assert store.subscriptions(ACCOUNT_A) == ["https://push.example/1"]
    dropped = await http.request(
        "DELETE", "/v1/push/subscription", headers=auth, json={"endpoint": "https://push.example/1"}
    )
    assert dropped.json() == {"dropped": True}
    assert store.subscriptions(ACCOUNT_A) == []


async def test_an_account_has_at_most_ten_subscriptions(
    signed_in: tuple[httpx.AsyncClient, dict[str, str]],
) -> None:
    http, auth = signed_in
    answers = [
        await http.post(
            "/v1/push/subscription", headers=auth, json={"endpoint": f"https://push.example/{n}"}
        )
        for n in range(11)
    ]
    assert [a.status_code for a in answers] == [200] * 10 + [422]
    assert answers[-1].json()["error"] == "too-many-subscriptions"


async def test_pending_messages_are_replaced_whole_and_checked(
    signed_in: tuple[httpx.AsyncClient, dict[str, str]],
    store: ChangeStore,
    push_service: fakepush.FakePushService,
) -> None:
    http, auth = signed_in
    sub = push_service.subscribe("phone")
    await http.post("/v1/push/subscription", headers=auth, json={"endpoint": sub.endpoint})
    first = [morning(sub, NOW_S + 3600 * n, f"first {n}") for n in range(1, 4)]
    second = [morning(sub, NOW_S + 3600, "second")]
    stranger = {**second[0], "endpoint": "https://push.example/not-registered"}

    one = await http.put("/v1/push/messages", headers=auth, json={"messages": first})
    two = await http.put("/v1/push/messages", headers=auth, json={"messages": [*second, stranger]})
    big = await http.put(
        "/v1/push/messages",
        headers=auth,
        json={"messages": [{**second[0], "blob": b64(bytes(4097))}]},
    )
    far = await http.put(
        "/v1/push/messages",
        headers=auth,
        json={"messages": [{**second[0], "send_at": iso(NOW_S + 17 * 86400)}]},
    )
    many = await http.put("/v1/push/messages", headers=auth, json={"messages": second * 201})

    assert one.json() == {"stored": 3, "unknown": []}
    assert two.json() == {"stored": 1, "unknown": ["https://push.example/not-registered"]}
    assert (big.status_code, big.json()["error"]) == (422, "message-too-large")
    assert (far.status_code, far.json()["field"]) == (422, "messages[0].send_at")
    assert (many.status_code, many.json()["error"]) == (422, "too-many-messages")
    due = store.claim_due(now=NOW_S + 86400, lease=60, limit=50)
    assert [sub.open(m.blob) for m in due] == [
        json.dumps({"title": "second", "send_at": NOW_S + 3600}).encode()
    ]


async def test_replacing_messages_is_rate_limited(store: ChangeStore) -> None:
    limits = Limits(
        **{**{f: getattr(WIDE, f) for f in WIDE.__slots__}, "push_uploads_per_account": "2/minute"}
    )  # type: ignore[arg-type]
    async with http_client(store, make_settings(limits)) as http:
        auth = bearer((await account_a(http)).token)
        answers = [
            await http.put("/v1/push/messages", headers=auth, json={"messages": []})
            for _ in range(3)
        ]
    assert [a.status_code for a in answers] == [200, 200, 429]
    assert "retry-after" in answers[-1].headers


async def test_the_sender_signs_sends_on_time_and_deletes_what_was_taken(
    signed_in: tuple[httpx.AsyncClient, dict[str, str]],
    store: ChangeStore,
    push_service: fakepush.FakePushService,
) -> None:
    http, auth = signed_in
    phone, laptop = push_service.subscribe("phone"), push_service.subscribe("laptop")
    for sub in (phone, laptop):
        await http.post("/v1/push/subscription", headers=auth, json={"endpoint": sub.endpoint})
    push_service.server_key = (await http.get("/v1/push/key")).json()["public_key"]
    messages = [
        morning(phone, NOW_S + 60, "phone today"),
        morning(laptop, NOW_S + 60, "laptop today"),
        morning(phone, NOW_S + 86400, "phone tomorrow"),
    ]
    await http.put("/v1/push/messages", headers=auth, json={"messages": messages})
    clock = FakeClock()
    push_service.clock = lambda: clock().timestamp()
    sender = PushSender(
        store,
        load_vapid(store, "", "mailto:ops@example.org"),
        clock=lambda: clock().timestamp(),
    )

    early = await sender.run_once()
    clock.advance(seconds=61)
    on_time = await sender.run_once()
    again = await sender.run_once()
    await sender.aclose()

    assert (early, on_time, again) == (0, 2, 0)
    assert push_service.refused == []
    assert sorted(p["title"] for p in push_service.payloads()) == ["laptop today", "phone today"]
    headers = push_service.delivered[0].headers
    assert headers["ttl"] == str(TTL_SECONDS)
    assert len(headers["topic"]) <= 32
    left = store.claim_due(now=NOW_S + 2 * 86400, lease=60, limit=50)
    assert [phone.open(m.blob) for m in left] == [
        json.dumps({"title": "phone tomorrow", "send_at": NOW_S + 86400}).encode()
    ]


async def test_a_gone_subscription_is_dropped_and_a_failing_one_kept_for_later(
    signed_in: tuple[httpx.AsyncClient, dict[str, str]],
    store: ChangeStore,
    push_service: fakepush.FakePushService,
) -> None:
    http, auth = signed_in
    gone, busy = push_service.subscribe("gone"), push_service.subscribe("busy")
    for sub in (gone, busy):
        await http.post("/v1/push/subscription", headers=auth, json={"endpoint": sub.endpoint})
    await http.put(
        "/v1/push/messages",
        headers=auth,
        json={
            "messages": [
                morning(gone, NOW_S, "a"),
                morning(gone, NOW_S + 86400, "b"),
                morning(busy, NOW_S, "c"),
            ]
        },
    )
    push_service.status.update(gone=410, busy=503)
    clock = FakeClock()
    push_service.clock = lambda: clock().timestamp()
    sender = PushSender(
        store, load_vapid(store, "", "mailto:ops@example.org"), clock=lambda: clock().timestamp()
    )

    assert await sender.run_once() == 2
    assert store.subscriptions(ACCOUNT_A) == [busy.endpoint]
    assert await sender.run_once() == 0  # backing off
    push_service.status["busy"] = 201
    clock.advance(seconds=300)
    assert await sender.run_once() == 1
    await sender.aclose()
    assert push_service.payloads() == [{"title": "c", "send_at": NOW_S}]
    assert store.claim_due(now=NOW_S + 30 * 86400, lease=60, limit=50) == []


def test_the_servers_own_p256_agrees_with_the_cryptography_library() -> None:
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.hazmat.primitives.asymmetric.utils import encode_dss_signature

    from server import p256

    for _ in range(5):
        private = p256.new_private_key()
        theirs = ec.derive_private_key(int.from_bytes(private), ec.SECP256R1()).public_key()
        point = theirs.public_bytes(
            serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint
        )
        assert p256.public_key(private) == point
        signature = p256.sign(private, b"header.claims")
        theirs.verify(
            encode_dss_signature(int.from_bytes(signature[:32]), int.from_bytes(signature[32:])),
            b"header.claims",
            ec.ECDSA(hashes.SHA256()),
        )


async def test_a_message_waiting_to_be_tried_again_is_replaced_by_a_new_upload(
    signed_in: tuple[httpx.AsyncClient, dict[str, str]],
    store: ChangeStore,
    push_service: fakepush.FakePushService,
) -> None:
    http, auth = signed_in
    phone = push_service.subscribe("phone")
    await http.post("/v1/push/subscription", headers=auth, json={"endpoint": phone.endpoint})
    await http.put(
        "/v1/push/messages", headers=auth, json={"messages": [morning(phone, NOW_S, "old")]}
    )
    push_service.status["phone"] = 503
    clock = FakeClock()
    push_service.clock = lambda: clock().timestamp()
    sender = PushSender(
        store, load_vapid(store, "", "mailto:ops@example.org"), clock=lambda: clock().timestamp()
    )
    assert await sender.run_once() == 1

    await http.put(
        "/v1/push/messages", headers=auth, json={"messages": [morning(phone, NOW_S, "new")]}
    )
    push_service.status["phone"] = 201
    clock.advance(seconds=3600)
    assert await sender.run_once() == 1
    await sender.aclose()

    assert push_service.payloads() == [{"title": "new", "send_at": NOW_S}]
