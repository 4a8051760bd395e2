"""Support for the live-region tests: a recorder of what a screen reader would be told.

A MutationObserver in the page notes, in order, every text a live region takes on (an element
with `aria-live` other than "off", or role status/alert/log), once the microtasks have settled:
what assistive technology reads when a region changes. A hidden region is not read."""

from __future__ import annotations

from playwright.sync_api import Page

RECORD_JS = """() => {
    if (window.__said) return;
    window.__said = [];
    const last = new WeakMap();
    const liveOf = (node) => {
        let el = node instanceof Element ? node : node.parentElement;
        for (; el; el = el.parentElement) {
            const live = el.getAttribute('aria-live');
            if (live === 'off') return null;
            if (live || ['status', 'alert', 'log'].includes(el.getAttribute('role'))) return el;
        }
        return null;
    };
    const shown = (el) => !el.closest('[hidden], [aria-hidden=true]') && getComputedStyle(el).display !== 'none'
        && getComputedStyle(el).visibility !== 'hidden';
    new MutationObserver((records) => {
        const regions = new Set();
        for (const r of records) {
            const region = liveOf(r.target);
            if (region) regions.add(region);
            for (const added of r.addedNodes ?? []) if (added instanceof Element && added.matches('[role=alert]')) regions.add(added);
        }
        for (const region of regions) {
            const text = region.textContent.replace(/\\s+/g, ' ').trim();
            if (!text || !shown(region)) { last.set(region, ''); continue; }
            if (last.get(region) === text) continue;
            last.set(region, text);
            window.__said.push({ text, role: region.getAttribute('role') === 'alert' ? 'alert' : 'news' });
        }
    }).observe(document.body, { subtree: true, childList: true, characterData: true, attributes: true, attributeFilter: ['hidden'] });
}"""


def record(page: Page) -> None:
    """Start noting every announcement (once per page load)."""
    page.evaluate(RECORD_JS)


# News that comes when it comes, whatever the journey: said once, but not part of a step.
AMBIENT = {"Followthrough now works offline."}


def said(page: Page) -> list[str]:
    """Everything announced since the last call, in order (and forget it); alerts start "ALERT"."""
    texts: list[str] = page.evaluate(
        "() => (window.__said ?? []).splice(0).map((s) => (s.role === 'alert' ? 'ALERT ' : '') + s.text)"
    )
    return [t for t in texts if t not in AMBIENT]


def no_repeats(texts: list[str]) -> list[str]:
    """The texts said more than once."""
    return sorted({t for t in texts if texts.count(t) > 1})
