"""`python build.py serve` mounts the sync API under /api/ in the same process."""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest
from starlette.applications import Starlette
from starlette.routing import BaseRoute, Mount

from buildtool.serve import mount_api
from server.__main__ import LazyApp
from tests.server.conftest import PEPPER

pytestmark = pytest.mark.anyio


def test_the_build_servers_hook_mounts_the_api_at_api() -> None:
    routes: list[BaseRoute] = []

    mount_api(routes)

    assert len(routes) == 1
    assert isinstance(routes[0], Mount)
    assert routes[0].path == "/api"
    assert isinstance(routes[0].app, LazyApp)


async def test_the_mounted_api_opens_its_database_on_the_first_api_call(tmp_path: Path) -> None:
    database = tmp_path / "data" / "sync.sqlite3"
    api = LazyApp(
        {
            "FOLLOWTHROUGH_DATABASE_URL": f"sqlite:///{database}",
            "FOLLOWTHROUGH_PEPPER": PEPPER.hex(),
        }
    )
    app = Starlette(routes=[Mount("/api", app=api)])
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://local") as http:
        elsewhere = await http.get("/api/changes")
        opened_early = database.exists()
        health = await http.get("/api/v1/health")

    assert (elsewhere.status_code, elsewhere.json()["error"]) == (404, "not-found")
    assert not opened_early
    assert health.json() == {"ok": True, "protocol": 1}
    assert database.is_file()
