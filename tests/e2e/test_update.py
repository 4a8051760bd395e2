"""A new version waits for the user's "Update", and nothing typed is lost across it."""

from __future__ import annotations

import re
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.support.serving import serving

from .conftest import Launch, wait_engine_ready, wait_offline_ready


@pytest.fixture
def own_server(dist_dir: Path, tmp_path: Path) -> Iterator[tuple[str, Path]]:
    """A server of our own over a copy of the build, which the test can change."""
    dist = tmp_path / "dist"
    shutil.copytree(dist_dir, dist)
    with serving(dist) as url:
        yield url, dist


def release_new_version(dist: Path) -> str:
    """What a deploy does: new bytes, and a service worker with a new VERSION."""
    (dist / "static" / "css" / "app.css").write_text(
        (dist / "static" / "css" / "app.css").read_text() + "\n/* next release */\n"
    )
    sw = (dist / "sw.js").read_text()
    old = re.search(r'const VERSION = "([0-9a-f]+)"', sw)
    assert old
    new = old.group(1)[::-1]
    (dist / "sw.js").write_text(sw.replace(old.group(1), new))
    return new


def active_version(page) -> str:  # type: ignore[no-untyped-def]
    return str(
        page.evaluate(
            """() => new Promise((resolve) => {
                const channel = new MessageChannel();
                channel.port1.onmessage = (event) => resolve(event.data);
                navigator.serviceWorker.controller.postMessage({ type: 'version' }, [channel.port2]);
            })"""
        )
    )


def test_a_new_version_waits_for_update_and_keeps_what_was_typed(
    launch: Launch, own_server: tuple[str, Path]
) -> None:
    url, dist = own_server
    page = launch().new_page()
    page.goto(url)
    wait_offline_ready(page)
    wait_engine_ready(page)
    old = active_version(page)
    new = release_new_version(dist)

    page.goto(url + "#capture")
    page.get_by_label("Name", exact=True).fill("Half typed")
    page.wait_for_timeout(600)  # the draft is kept after a short pause in typing
    page.reload()
    expect(page.get_by_role("button", name="Update")).to_be_visible(timeout=30_000)
    assert active_version(page) == old
    page.get_by_role("button", name="Update").click()

    page.wait_for_function(
        """(version) => new Promise((resolve) => {
            const c = navigator.serviceWorker.controller;
            if (!c) return resolve(false);
            const channel = new MessageChannel();
            channel.port1.onmessage = (event) => resolve(event.data === version);
            c.postMessage({ type: 'version' }, [channel.port2]);
        })""",
        arg=new,
        timeout=30_000,
    )
    page.goto(url + "#capture")
    expect(page.get_by_label("Name", exact=True)).to_have_value("Half typed")
