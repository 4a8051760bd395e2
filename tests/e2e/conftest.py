"""End-to-end fixtures: build once, serve dist/ with a real uvicorn process, drive Debian's
Chromium through Playwright in on-disk (persistent) profiles on a phone viewport."""

from __future__ import annotations

import contextlib
import os
import subprocess
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import BrowserContext, Page, Playwright, sync_playwright

from tests.support.serving import ROOT, build_app, free_port, serving, wait_for_server

__all__ = ["ROOT", "free_port", "wait_for_server"]  # imported from here by tests and benchmarks

CHROMIUM = os.environ.get("FOLLOWTHROUGH_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
PHONE = {"width": 390, "height": 844}
ENGINE_READY_MS = 60_000


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if "tests/e2e/" in str(item.fspath).replace(os.sep, "/"):
            item.add_marker(pytest.mark.e2e)
            # Once more on failure (pytest-rerunfailures): on a shared, loaded machine a few
            # journeys time out now and then; a real failure fails twice, and the run says
            # which passed on the second try ("R" and "rerun" in the summary).
            item.add_marker(pytest.mark.flaky(reruns=1))


@pytest.fixture(scope="session")
def dist_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_app(tmp_path_factory.mktemp("dist"))


@pytest.fixture(scope="session")
def app_url(dist_dir: Path) -> Iterator[str]:
    with serving(dist_dir) as url:
        yield url


@pytest.fixture(scope="module")
def playwright_instance() -> Iterator[Playwright]:
    # Per module, not per session: Playwright's sync API keeps an event loop running while it
    # is open, and the asyncio tests collected after the browser tests need none running.
    with sync_playwright() as playwright:
        yield playwright


Launch = Callable[..., BrowserContext]


@pytest.fixture
def launch(playwright_instance: Playwright, tmp_path: Path) -> Iterator[Launch]:
    """Open a persistent Chromium context (a phone by default) in a profile directory; the
    same directory can be reopened to play "close the app, open it again"."""
    contexts: list[BrowserContext] = []

    def _launch(profile: str = "profile", viewport: dict[str, int] | None = None) -> BrowserContext:
        context = playwright_instance.chromium.launch_persistent_context(
            str(tmp_path / profile),
            executable_path=CHROMIUM,
            headless=True,
            args=CHROMIUM_ARGS,
            viewport=viewport or PHONE,
            device_scale_factor=2 if viewport is None else 1,
            is_mobile=viewport is None,
            has_touch=viewport is None,
        )
        contexts.append(context)
        return context

    yield _launch
    for context in contexts:
        with contextlib.suppress(Exception):
            context.close()


def wait_engine_ready(page: Page) -> None:
    page.wait_for_selector("html[data-engine=ready]", timeout=ENGINE_READY_MS)


def wait_offline_ready(page: Page) -> None:
    """Wait until the service worker controls the page, i.e. the app works offline."""
    page.wait_for_function("() => navigator.serviceWorker.controller !== null", timeout=30_000)


def idb(page: Page, store: str) -> list[dict[str, object]]:
    """Everything in one IndexedDB store, read in the page."""
    result: list[dict[str, object]] = page.evaluate(
        """async (store) => {
            const { getAll } = await import('./static/js/store.js');
            return getAll(store);
        }""",
        store,
    )
    return result


PUT_RECORDS_JS = """async ({ put, del }) => {
    // A second engine worker, as another tab has: it writes the records and stamps them for
    // sync exactly as the app does, then tells the page's engine (the tabs' channel).
    const worker = new Worker('./static/js/engine.worker.js', { type: 'module', name: 'followthrough-engine' });
    try {
        return await new Promise((resolve) => {
            worker.onerror = (event) => resolve({ ok: false, error: 'engine-unavailable', message: String(event.message) });
            worker.onmessage = (event) => { if (event.data?.type === 'response') resolve(event.data.response); };
            worker.postMessage({ id: 1, request: { op: 'put_records', put, delete: del } });
        });
    } finally {
        worker.terminate();
    }
}"""


def put_records(
    page: Page, put: dict[str, list[Any]], delete: dict[str, list[str]] | None = None
) -> None:
    """Save whole records (seed data) through the engine: read by the codec, written and stamped
    for sync by an engine worker (op `put_records`), as a command's changes are."""
    answer = page.evaluate(PUT_RECORDS_JS, {"put": put, "del": delete or {}})
    assert answer["ok"], answer


def put_raw(page: Page, put: dict[str, list[Any]]) -> None:
    """Write records straight into IndexedDB, not stamped for sync: data on disk as an older
    version left it (the page's engine reads it at the next boot)."""
    page.evaluate(
        """async (put) => {
            const db = await (await import('./static/js/store.js')).database();
            await new Promise((resolve, reject) => {
                const tx = db.transaction(Object.keys(put), 'readwrite');
                for (const [name, records] of Object.entries(put)) for (const r of records) tx.objectStore(name).put(r);
                tx.oncomplete = resolve;
                tx.onabort = () => reject(tx.error);
            });
        }""",
        put,
    )


AXE_VERSION = "4.14.1"
AXE_INTEGRITY = "sha512-FHfa+lmNjQZfJz1q8wKqIDwC6DExcHt/pkjNQb09a3NPjCKg2rhu5qb2S4r76ASyFNNtuFooJpZe37OgudVGtQ=="


@pytest.fixture(scope="session")
def axe_source() -> str:
    """axe-core's script, from `npm pack` into the build cache (integrity-checked)."""
    import base64
    import hashlib
    import tarfile

    cache = Path(os.environ.get("FOLLOWTHROUGH_CACHE", ROOT / ".cache"))
    cache.mkdir(parents=True, exist_ok=True)
    tarball = cache / f"axe-core-{AXE_VERSION}.tgz"
    if not tarball.is_file():
        subprocess.run(
            ["npm", "pack", f"axe-core@{AXE_VERSION}", "--pack-destination", str(cache)],
            check=True,
            capture_output=True,
        )
    data = tarball.read_bytes()
    digest = "sha512-" + base64.b64encode(hashlib.sha512(data).digest()).decode()
    assert digest == AXE_INTEGRITY, f"axe-core tarball integrity mismatch: {digest}"
    with tarfile.open(tarball) as tar:
        member = tar.extractfile("package/axe.min.js")
        assert member is not None
        return member.read().decode()


def axe_violations(page: Page, axe_source: str) -> list[dict[str, object]]:
    """Run axe-core in the page (through the debugger protocol, so the page's CSP allows it)
    and return its violations, each trimmed to what a failure message needs."""
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.evaluate(axe_source)
    violations: list[dict[str, object]] = page.evaluate(
        """async () => {
            const result = await axe.run(document, { resultTypes: ['violations'] });
            return result.violations.map((v) => ({
                id: v.id, impact: v.impact, help: v.help,
                nodes: v.nodes.slice(0, 5).map((n) => n.target.join(' ') + ' :: ' + n.failureSummary),
            }));
        }"""
    )
    return violations
