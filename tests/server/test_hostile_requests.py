"""Requests an attacker (or a careless client) sends: deeply nested JSON, a body cut short, a
cross-site text/plain POST, a forged Host on a trailing slash, a KDF version that is a
boolean. None may give a 5xx, a traceback or an answer worth caching (issue 15)."""

from __future__ import annotations

import logging

import httpx
import pytest

from server.sqlite_store import SqliteStore
from tests.server.builders import ACCOUNT_A, account_a, setup_body

pytestmark = pytest.mark.anyio


@pytest.mark.parametrize("depth", [1_000, 8_000])  # 16 KB: the body limit
@pytest.mark.parametrize("path", ["/v1/session", "/v1/account", "/v1/recovery"])
async def test_deeply_nested_json_is_a_400_not_a_500(
    http: httpx.AsyncClient, path: str, depth: int
) -> None:
    body = b"[" * depth + b"]" * depth

    response = await http.post(path, content=body, headers={"content-type": "application/json"})

    assert (response.status_code, response.json()["error"]) == (400, "invalid-json")


async def test_deep_nesting_inside_a_valid_object_is_refused_too(http: httpx.AsyncClient) -> None:
    body = '{"account_id": "' + "a0" * 16 + '", "auth_key": ' + "[" * 5000 + "]" * 5000 + "}"

    response = await http.post(
        "/v1/session", content=body, headers={"content-type": "application/json"}
    )

    assert response.status_code == 400


async def test_a_client_that_hangs_up_mid_body_leaves_no_500_and_no_traceback(
    sqlite: SqliteStore, caplog: pytest.LogCaptureFixture
) -> None:
    """The ASGI server tells the app `http.disconnect` when the client goes away mid-body."""
    from server.app import create_app
    from tests.server.conftest import FakeClock, make_settings

    app = create_app(sqlite, make_settings(), clock=FakeClock())
    sent: list[dict[str, object]] = []
    messages = iter(
        [
            {"type": "http.request", "body": b'{"account_id": "', "more_body": True},
            {"type": "http.disconnect"},
        ]
    )

    async def receive() -> dict[str, object]:
        return next(messages)

    async def send(message: dict[str, object]) -> None:
        sent.append(message)

    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "POST",
        "scheme": "http",
        "path": "/v1/session",
        "raw_path": b"/v1/session",
        "root_path": "",
        "query_string": b"",
        "headers": [(b"content-type", b"application/json"), (b"content-length", b"100")],
        "client": ("127.0.0.1", 50000),
        "server": ("sync.test", 80),
    }
    with caplog.at_level(logging.DEBUG):
        await app(scope, receive, send)  # type: ignore[arg-type]

    statuses = [m["status"] for m in sent if m["type"] == "http.response.start"]
    assert all(status < 500 for status in statuses)
    assert not [r for r in caplog.records if r.exc_info or r.levelno >= logging.ERROR]


@pytest.mark.parametrize("content_type", ["text/plain", "application/x-www-form-urlencoded", ""])
async def test_a_post_a_page_of_another_site_could_send_is_refused(
    http: httpx.AsyncClient, content_type: str
) -> None:
    body = '{"account_id": "' + "a0" * 16 + '", "auth_key": "' + "A" * 43 + '="}'
    headers = {"content-type": content_type} if content_type else {}

    response = await http.post("/v1/session", content=body, headers=headers)

    assert (response.status_code, response.json()["error"]) == (415, "unsupported-media-type")


async def test_json_with_a_charset_is_accepted(http: httpx.AsyncClient) -> None:
    body = '{"account_id": "' + "a0" * 16 + '", "auth_key": "' + "A" * 43 + '="}'

    response = await http.post(
        "/v1/session", content=body, headers={"content-type": "application/json; charset=utf-8"}
    )

    assert response.status_code == 401


async def test_a_trailing_slash_is_never_redirected_to_the_host_header(
    http: httpx.AsyncClient,
) -> None:
    response = await http.post(
        "/v1/push/", json={}, headers={"host": "evil.example"}, follow_redirects=False
    )

    assert "evil.example" not in response.headers.get("location", "")
    assert (response.status_code, response.json()["error"]) == (404, "not-found")


@pytest.mark.parametrize(
    ("method", "path"),
    [("GET", "/v1/health"), ("POST", "/v1/account"), ("GET", "/v1/pull"), ("GET", "/v1/nope")],
)
async def test_every_answer_is_neither_cached_nor_sniffed_nor_a_page(
    http: httpx.AsyncClient, method: str, path: str
) -> None:
    response = await http.request(method, path, json=setup_body(ACCOUNT_A))

    assert response.headers["cache-control"] == "no-store"
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.headers["content-security-policy"].startswith("default-src 'none'")
    assert "server" not in response.headers


async def test_a_session_answer_carrying_a_token_is_not_cached(http: httpx.AsyncClient) -> None:
    phone = await account_a(http)

    response = await http.get("/v1/account", headers={"authorization": f"Bearer {phone.token}"})

    assert response.status_code == 200
    assert response.headers["cache-control"] == "no-store"


@pytest.mark.parametrize("version", [True, 1.0, "1"])
async def test_a_kdf_version_that_is_not_the_integer_1_is_not_stored(
    http: httpx.AsyncClient, version: object
) -> None:
    body = setup_body(ACCOUNT_A)
    body["kdf"]["v"] = version

    response = await http.post("/v1/account", json=body)
    kdf = await http.get(f"/v1/account/{ACCOUNT_A.hex()}/kdf")

    assert (response.status_code, response.json()["field"]) == (422, "kdf.v")
    assert kdf.json()["kdf"]["v"] == 2  # the made-up answer: what new accounts use
