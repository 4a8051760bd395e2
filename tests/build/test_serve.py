"""buildtool/serve.py: the dev server sends exact types, the CSP, revalidation, and the API hook."""

from __future__ import annotations

import asyncio
import gzip
import os
from pathlib import Path

import brotli  # type: ignore[import-untyped]  # ships no type hints
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


@pytest.fixture
def precompressed(tmp_path) -> Path:
    out = tmp_path / "dist"
    script = b"export const words = '" + b"follow up " * 500 + b"';\n"
    page = b"<!doctype html><title>Followthrough</title>" + b"<p>hello</p>" * 200
    write(
        out,
        {
            "index.html": page,
            "index.html.br": brotli.compress(page),
            "index.html.gz": gzip.compress(page, mtime=0),
            "sw.js": b"const VERSION = 'x';",
            "static/js/app.js": script,
            "static/js/app.js.br": brotli.compress(script),
            "static/js/app.js.gz": gzip.compress(script, mtime=0),
            "static/js/plain.js": b"export {};",
        },
    )
    return out


def raw_get(app: object, path: str, headers: dict[str, str]) -> tuple[httpx.Response, bytes]:
    """A response and its body as sent (not decoded)."""

    async def fetch() -> tuple[httpx.Response, bytes]:
        transport = httpx.ASGITransport(app=app)  # type: ignore[arg-type]
        async with (
            httpx.AsyncClient(transport=transport, base_url="http://test") as client,
            client.stream("GET", path, headers=headers) as response,
        ):
            body = b"".join([chunk async for chunk in response.aiter_raw()])
            return response, body

    return asyncio.run(fetch())


@pytest.mark.parametrize(
    ("accept", "encoding"),
    [
        ("gzip, deflate, br, zstd", "br"),
        ("gzip, deflate", "gzip"),
        ("br;q=0, gzip", "gzip"),
        ("identity", None),
        ("", None),
    ],
)
def test_precompressed_copies_go_to_browsers_that_accept_them(precompressed, accept, encoding):
    app = create_app(precompressed, mount=lambda routes: None)
    original = (precompressed / "static/js/app.js").read_bytes()

    response, body = raw_get(app, "/static/js/app.js", {"accept-encoding": accept})

    assert response.status_code == 200
    assert response.headers["content-type"] == "text/javascript; charset=utf-8"
    assert response.headers["vary"] == "Accept-Encoding"
    assert response.headers.get("content-encoding") == encoding
    assert int(response.headers["content-length"]) == len(body)
    decode = {"br": brotli.decompress, "gzip": gzip.decompress, None: bytes}[encoding]
    assert decode(body) == original
    if encoding:
        assert len(body) < len(original) / 5


def test_the_page_is_compressed_and_keeps_its_csp_and_revalidation(precompressed):
    app = create_app(precompressed, mount=lambda routes: None)

    response, body = raw_get(app, "/", {**NAVIGATE, "accept-encoding": "gzip, br"})

    assert response.headers["content-encoding"] == "br"
    assert response.headers["content-type"] == "text/html; charset=utf-8"
    assert response.headers["cache-control"] == "no-cache"
    assert response.headers["content-security-policy"] == CSP
    assert brotli.decompress(body) == (precompressed / "index.html").read_bytes()


def test_a_compressed_copy_has_its_own_etag_and_revalidates(precompressed):
    app = create_app(precompressed, mount=lambda routes: None)
    plain, _ = raw_get(app, "/static/js/app.js", {"accept-encoding": "identity"})
    packed, _ = raw_get(app, "/static/js/app.js", {"accept-encoding": "br"})

    again, _ = raw_get(
        app, "/static/js/app.js", {"accept-encoding": "br", "if-none-match": packed.headers["etag"]}
    )

    assert plain.headers["etag"] != packed.headers["etag"]
    assert again.status_code == 304


def test_range_requests_and_files_without_copies_get_the_file_itself(precompressed):
    app = create_app(precompressed, mount=lambda routes: None)

    ranged, body = raw_get(
        app, "/static/js/app.js", {"accept-encoding": "br", "range": "bytes=0-5"}
    )
    plain, _ = raw_get(app, "/static/js/plain.js", {"accept-encoding": "br"})

    assert ranged.status_code == 206
    assert "content-encoding" not in ranged.headers
    assert body == b"export"
    assert "content-encoding" not in plain.headers
    assert "vary" not in plain.headers


def test_a_file_changed_after_the_build_is_sent_as_it_is_not_as_its_stale_copy(precompressed):
    app = create_app(precompressed, mount=lambda routes: None)
    script = precompressed / "static/js/app.js"
    script.write_bytes(b"export const next = 1;\n" * 100)
    copy_time = (precompressed / "static/js/app.js.br").stat().st_mtime_ns
    os.utime(script, ns=(copy_time + 10**9, copy_time + 10**9))

    response, body = raw_get(app, "/static/js/app.js", {"accept-encoding": "br, gzip"})

    assert "content-encoding" not in response.headers
    assert body == script.read_bytes()
