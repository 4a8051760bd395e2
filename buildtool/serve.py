"""Serving a build: dist/ with exact MIME types, the CSP and revalidation where they matter, the
precompressed copies (buildtool/compress.py) to browsers that accept them, the page for in-scope
navigations, and the sync API (server/) mounted beside it at /api/."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

from starlette.applications import Starlette
from starlette.datastructures import Headers
from starlette.exceptions import HTTPException
from starlette.responses import Response
from starlette.routing import BaseRoute, Mount
from starlette.staticfiles import PathLike, StaticFiles
from starlette.types import Scope

from .compress import ENCODINGS
from .host import DIST, BuildError
from .plan import CSP, HEADERS

CONTENT_TYPES = {
    ".html": "text/html; charset=utf-8",
    ".js": "text/javascript; charset=utf-8",
    ".mjs": "text/javascript; charset=utf-8",
    ".css": "text/css; charset=utf-8",
    ".json": "application/json",
    ".webmanifest": "application/manifest+json",
    ".wasm": "application/wasm",
    ".zip": "application/zip",
    ".png": "image/png",
    ".svg": "image/svg+xml",
    ".ico": "image/x-icon",
    ".txt": "text/plain; charset=utf-8",
}
# Fetched fresh by the browser on every visit: they decide which version runs.
REVALIDATE = frozenset({"index.html", "sw.js", "manifest.webmanifest"})


class DistFiles(StaticFiles):
    """dist/ as the app needs it: exact MIME types, the page for in-scope navigations, the CSP
    on HTML, no-cache on the files that name the version, and `x.br`/`x.gz` for `x` when the
    browser accepts them (`Content-Encoding`, the type of `x`, `Vary: Accept-Encoding`)."""

    def __init__(self, *, directory: Path) -> None:
        super().__init__(directory=directory)
        self.policy = build_policy(directory)

    async def get_response(self, path: str, scope: Scope) -> Response:
        try:
            return await super().get_response(path, scope)
        except HTTPException as error:
            if error.status_code != 404 or not _is_page_request(path, scope):
                raise
        return await super().get_response("index.html", scope)

    def file_response(
        self,
        full_path: PathLike,
        stat_result: os.stat_result,
        scope: Scope,
        status_code: int = 200,
    ) -> Response:
        variants = [
            (coding, copy)
            for coding, suffix in ENCODINGS.items()
            if _fresh_copy(copy := Path(f"{full_path}{suffix}"), stat_result)
        ]
        coding = _chosen_encoding(scope, [coding for coding, _ in variants])
        served = dict(variants).get(coding) if coding else None
        if served is not None:
            response = super().file_response(served, served.stat(), scope, status_code)
            response.headers["content-encoding"] = str(coding)
        else:
            response = super().file_response(full_path, stat_result, scope, status_code)
        if variants:
            response.headers["vary"] = "Accept-Encoding"
        content_type = CONTENT_TYPES.get(Path(full_path).suffix.lower())
        if content_type and response.status_code != 304:
            response.headers["content-type"] = content_type
        relative = Path(full_path).relative_to(Path(str(self.directory)).resolve()).as_posix()
        if relative in REVALIDATE:
            response.headers["cache-control"] = "no-cache"
        if Path(full_path).suffix == ".html":
            response.headers["content-security-policy"] = self.policy
        response.headers["x-content-type-options"] = "nosniff"
        return response


def _fresh_copy(copy: Path, original: os.stat_result) -> bool:
    """Whether a precompressed copy exists and is not older than its file: a file changed by
    hand in dist/ after the build is sent as it is now, never as its stale copy."""
    try:
        return copy.stat().st_mtime_ns >= original.st_mtime_ns
    except OSError:
        return False


def _chosen_encoding(scope: Scope, available: list[str]) -> str | None:
    """The first of the precompressed copies' encodings (brotli, then gzip) that the request
    accepts (`Accept-Encoding`, a q of 0 refusing); None for the file itself. A range request
    gets the file itself: its offsets count the file's bytes."""
    headers = Headers(scope=scope)
    if not available or "range" in headers:
        return None
    accepted = set()
    for item in headers.get("accept-encoding", "").split(","):
        name, _, params = item.strip().partition(";")
        q = params.strip().removeprefix("q=").strip() if params.strip().startswith("q=") else "1"
        try:
            if float(q) > 0:
                accepted.add(name.strip().lower())
        except ValueError:
            continue
    return next((coding for coding in available if coding in accepted), None)


def build_policy(out: Path) -> str:
    """The CSP the build wrote for static hosts (`_headers`): it names the sync server's origin
    when the build was told one. The header must match the page's own <meta> policy, since a
    browser enforces both."""
    try:
        for line in (out / HEADERS).read_text().splitlines():
            name, _, value = line.strip().partition(": ")
            if name == "Content-Security-Policy":
                return value
    except OSError:
        pass
    return CSP


def _is_page_request(path: str, scope: Scope) -> bool:
    """`/`, and navigations to in-scope paths that are not files (e.g. the share target)."""
    route = scope["path"]
    if route == "/api" or route.startswith("/api/"):
        return False
    if path == ".":
        return True
    if "." in route.rsplit("/", 1)[-1]:
        return False  # a missing file, not a page
    headers = Headers(scope=scope)
    return headers.get("sec-fetch-mode") == "navigate" or "text/html" in headers.get("accept", "")


def mount_api(routes: list[BaseRoute]) -> None:
    """The sync API (server/, docs/sync-protocol.md) at /api/, before the app's catch-all: on
    SQLite under ./data/ unless FOLLOWTHROUGH_DATABASE_URL says otherwise, opened on the first
    /api/v1/ request. Other /api/ paths answer 404 (never the page)."""
    from server.__main__ import LazyApp

    routes.append(Mount("/api", app=LazyApp()))


def create_app(
    out: Path = DIST, *, mount: Callable[[list[BaseRoute]], None] = mount_api
) -> Starlette:
    """The Starlette app that serves a build (and, through `mount`, the API)."""
    routes: list[BaseRoute] = []
    mount(routes)
    routes.append(Mount("/", app=DistFiles(directory=out.resolve()), name="app"))
    return Starlette(routes=routes)


def serve(out: Path, host: str, port: int) -> None:
    """Serve a build with uvicorn until interrupted."""
    if not (out / "index.html").is_file():
        raise BuildError(f"{out} holds no build; run without --no-build first.")
    print(f"serving {out} at http://{host}:{port}/ (Ctrl+C stops)")
    # No access log: uvicorn's names client addresses, and this also serves the sync API,
    # whose server promises to keep none.
    from server.run import serve as run_server  # bounded; trusts no X-Forwarded-For

    run_server(create_app(out), host=host, port=port)
