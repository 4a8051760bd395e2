"""buildtool/serve.py: the dev server sends exact types, the CSP, revalidation, and the API hook."""

from __future__ import annotations

import asyncio
from pathlib import Path

import httpx
import pytest
from starlette.routing import BaseRoute, Mount

import server.run
from buildtool.dist import write
from buildtool.plan import CSP
from buildtool.serve import create_app, serve


class Client:
    """Requests to an ASGI app in-process. (starlette.testclient now warns unless httpx2 is
    installed, and warnings are errors here.)"""

    def __init__(self, app: object) -> None:
        self.app = app

    def get(self, path: str, headers: dict[str, str] | None = None) -> httpx.Response:
        async def fetch() -> httpx.Response:
            transport = httpx.ASGITransport(app=self.app)  # type: ignore[arg-type]
            async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
                response = await client.get(path, headers=headers)
                await response.aread()
                return response

        return asyncio.run(fetch())


@pytest.fixture
def served(tmp_path) -> Path:
    out = tmp_path / "dist"
    write(
        out,
        {
            "index.html": b"<!doctype html><title>Followthrough</title>",
            "sw.js": b"const VERSION = 'x';",
            "manifest.webmanifest": b"{}",
            "pyodide/pyodide.asm.wasm": b"\0asm",
            "pyodide/pyodide.mjs": b"export {};",
            "pyodide/python_stdlib.zip": b"PK",
            "static/js/app.js": b"export {};",
            "static/css/app.css": b"",
            "icons/icon-192.png": b"\x89PNG",
        },
    )
    return out


NAVIGATE = {"sec-fetch-mode": "navigate", "accept": "text/html,*/*;q=0.8"}


@pytest.mark.parametrize(
    ("path", "content_type"),
    [
        ("/pyodide/pyodide.asm.wasm", "application/wasm"),
        ("/pyodide/pyodide.mjs", "text/javascript; charset=utf-8"),
        ("/static/js/app.js", "text/javascript; charset=utf-8"),
        ("/sw.js", "text/javascript; charset=utf-8"),
        ("/manifest.webmanifest", "application/manifest+json"),
        ("/static/css/app.css", "text/css; charset=utf-8"),
        ("/pyodide/python_stdlib.zip", "application/zip"),
        ("/icons/icon-192.png", "image/png"),
        ("/", "text/html; charset=utf-8"),
    ],
)
def test_the_server_sends_exact_content_types(served, path, content_type):
    response = Client(create_app(served)).get(path)

    assert response.status_code == 200
    assert response.headers["content-type"] == content_type


@pytest.mark.parametrize("path", ["/", "/index.html", "/share?title=Ann&text=met+at+expo"])
def test_the_page_is_served_with_the_csp_and_revalidated(served, path):
    response = Client(create_app(served)).get(path, headers=NAVIGATE)

    assert response.status_code == 200
    assert response.text.startswith("<!doctype html>")
    assert response.headers["content-security-policy"] == CSP
    assert response.headers["cache-control"] == "no-cache"


@pytest.mark.parametrize("path", ["/sw.js", "/manifest.webmanifest"])
def test_the_files_that_pick_the_version_are_revalidated(served, path):
    response = Client(create_app(served)).get(path)

    assert response.headers["cache-control"] == "no-cache"
    assert "content-security-policy" not in response.headers


def test_other_files_are_left_to_normal_http_caching(served):
    response = Client(create_app(served)).get("/pyodide/pyodide.asm.wasm")

    assert "cache-control" not in response.headers
    assert response.headers["etag"]


@pytest.mark.parametrize(
    ("path", "headers"),
    [
        ("/static/js/missing.js", NAVIGATE),  # a missing file, even when navigated to
        ("/share", {}),  # not a navigation
        ("/api/changes", NAVIGATE),  # the API's space, even before the API exists
        ("/api", NAVIGATE),
    ],
)
def test_what_is_not_a_page_gets_a_404_not_the_page(served, path, headers):
    response = Client(create_app(served)).get(path, headers=headers)

    assert response.status_code == 404


def test_serving_keeps_no_access_log_of_client_addresses(tmp_path, monkeypatch):
    (tmp_path / "index.html").write_text("<!doctype html>")
    calls: list[server.run.BoundedConfig] = []
    monkeypatch.setattr(server.run, "run", calls.append)

    serve(tmp_path, "127.0.0.1", 8000)

    [config] = calls
    assert (config.host, config.port, config.log_level, config.access_log) == (
        "127.0.0.1",
        8000,
        "info",
        False,
    )
    # The local one-process run believes no X-Forwarded-For and names no server (issue 15).
    assert (config.proxy_headers, config.server_header) == (False, False)


def test_the_api_hook_mounts_under_api_before_the_app(served):
    async def api(scope, receive, send):
        await send({"type": "http.response.start", "status": 200, "headers": []})
        await send({"type": "http.response.body", "body": b"api"})

    def mount(routes: list[BaseRoute]) -> None:
        routes.append(Mount("/api", app=api))

    client = Client(create_app(served, mount=mount))

    assert client.get("/api/changes").text == "api"
    assert client.get("/static/js/app.js").text == "export {};"
