"""Drive a second engine worker in the page: the packaged engine under Pyodide, fed JSON."""

from __future__ import annotations

from typing import Any

from playwright.sync_api import Page

START_WORKER = """async () => {
    const worker = new Worker('./static/js/engine.worker.js', { type: 'module', name: 'probe' });
    window.__probe = worker;
    window.__probeNext = 1;
    await new Promise((resolve, reject) => {
        worker.addEventListener('message', (event) => {
            if (event.data.type === 'stage' && event.data.stage === 'ready') resolve();
            if (event.data.type === 'stage' && event.data.stage === 'failed') reject(new Error(event.data.message));
        });
    });
}"""

CALL = """async (request) => {
    const worker = window.__probe;
    const id = window.__probeNext++;
    const body = JSON.stringify(request);
    const t0 = performance.now();
    const response = await new Promise((resolve) => {
        const listener = (event) => {
            if (event.data.type === 'response' && event.data.id === id) {
                worker.removeEventListener('message', listener);
                resolve(event.data.response);
            }
        };
        worker.addEventListener('message', listener);
        worker.postMessage({ id, request: JSON.parse(body) });
    });
    return { ms: performance.now() - t0, response };
}"""


def start_probe_engine(page: Page) -> None:
    """A second engine worker in the page, separate from the app's own."""
    page.evaluate(START_WORKER)


def call_probe_engine(page: Page, request: dict[str, Any]) -> tuple[float, dict[str, Any]]:
    """One engine call through the worker; returns (round-trip ms, response)."""
    result = page.evaluate(CALL, request)
    return float(result["ms"]), result["response"]
