"""Driving the app with the keyboard alone (issue 20): press keys, and after each step say where
the focus is, and check it is somewhere real, that its ring shows, that it is in the viewport,
and that no bar, sheet or toast is drawn over it."""

from __future__ import annotations

import re
from typing import Any

from playwright.sync_api import Page

# Where the focus is, as the user meets it: its name (roughly as a screen reader computes it),
# whether a ring shows on it (or on the box drawn for it: a segment's span, a label), whether it
# lies in the viewport, and what, if anything, is drawn over the centre of its box.
FOCUS_JS = """() => {
    const el = document.activeElement;
    if (!el || el === document.body || el === document.documentElement) return { tag: 'BODY', name: '' };
    const text = (node) => {  // what is read aloud: hidden glyphs left out
        if (!node) return '';
        const copy = node.cloneNode(true);
        for (const hidden of copy.querySelectorAll?.('[aria-hidden=true]') ?? []) hidden.remove();
        return (copy.textContent || '').trim().replace(/\\s+/g, ' ');
    };
    const byIds = (ids) => ids.split(/\\s+/).map((id) => text(document.getElementById(id))).join(' ').trim();
    const name = el.getAttribute('aria-label')
        || (el.getAttribute('aria-labelledby') && byIds(el.getAttribute('aria-labelledby')))
        || (el.labels && el.labels.length ? text(el.labels[0]) : '')
        || (['INPUT', 'TEXTAREA', 'SELECT'].includes(el.tagName) ? (el.getAttribute('placeholder') || el.name || '') : text(el));
    const ringOf = (node) => {
        if (!node) return false;
        const s = getComputedStyle(node);
        const outline = s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) >= 2;
        const shadow = s.boxShadow && s.boxShadow !== 'none';
        const stroke = node.querySelector?.('.graph-focus') && getComputedStyle(node.querySelector('.graph-focus')).stroke !== 'none';
        return outline || shadow || !!stroke;
    };
    // A date field's calendar button is the browser's own (in the field's shadow tree): it
    // draws its own ring, and the field then is not ':focus'.
    const picker = el.matches('input[type=date]') && !el.matches(':focus');
    const ring = picker || ringOf(el) || ringOf(el.nextElementSibling) || ringOf(el.closest('label'));
    // A visually hidden input (a segment's radio) is seen through its label.
    const drawn = el.getBoundingClientRect().width <= 1 && el.closest('label') ? el.closest('label') : el;
    const r = drawn.getBoundingClientRect();
    const x = r.left + r.width / 2, y = r.top + r.height / 2;
    const inView = r.width > 0 && r.height > 0 && y >= 0 && y <= innerHeight && x >= 0 && x <= innerWidth;
    const hit = inView ? document.elementFromPoint(x, y) : null;
    const mine = hit && (hit === el || el.contains(hit) || drawn.contains(hit) || (el.labels && [...el.labels].some((l) => l.contains(hit))));
    const describe = (node) => node ? node.tagName.toLowerCase() + (node.id ? '#' + node.id : '') + (node.className && typeof node.className === 'string' ? '.' + node.className.split(' ').join('.') : '') : null;
    const toast = document.getElementById('toast');
    let underToast = false;
    if (toast && toast.classList.contains('show') && !toast.contains(el)) {
        const t = toast.getBoundingClientRect();
        underToast = t.left <= x && x <= t.right && t.top <= y && y <= t.bottom
            ? `toast ${Math.round(t.top)}-${Math.round(t.bottom)} (${toast.className}) over ${Math.round(r.top)}-${Math.round(r.bottom)} of ${innerHeight}` : false;
    }
    return {
        tag: el.tagName, role: el.getAttribute('role') || '', name, ring, inView,
        coveredBy: mine ? null : describe(hit) + (hit ? ` in ${describe(hit.parentElement)} at y ${Math.round(y)}` : ''), underToast,
        dialog: el.closest('dialog')?.getAttribute('aria-labelledby') ? text(document.getElementById(el.closest('dialog').getAttribute('aria-labelledby'))) : null,
        where: describe(el),
    };
}"""


def focus(page: Page) -> dict[str, Any]:
    found: dict[str, Any] = page.evaluate(FOCUS_JS)
    return found


def assert_seen(found: dict[str, Any], step: str) -> None:
    """The focus is on something, with a ring, in view, and nothing is drawn over it."""
    assert found["tag"] != "BODY", f"{step}: the focus fell to the page"
    assert found["ring"], f"{step}: no visible ring on {found}"
    assert found["inView"], f"{step}: focused but out of view: {found}"
    assert found["coveredBy"] is None, f"{step}: focused but under {found['coveredBy']}: {found}"
    assert not found["underToast"], f"{step}: focused but under the toast: {found}"


def settled(page: Page) -> None:
    """Let a redraw and its focus move (a frame, and the focus home's grace) happen."""
    page.evaluate("() => new Promise((r) => requestAnimationFrame(() => setTimeout(r, 250)))")


def press(page: Page, key: str, step: str | None = None) -> dict[str, Any]:
    page.keyboard.press(key)
    settled(page)
    found = focus(page)
    for _ in range(30):  # a command's answer and the redraw it brings may take a moment
        if found["tag"] != "BODY":
            break
        page.wait_for_timeout(100)
        found = focus(page)
    if found["tag"] != "BODY" and (
        not found["inView"] or found["coveredBy"] or found["underToast"]
    ):
        settled(page)
        found = focus(page)
    assert_seen(found, step or key)
    return found


def at(page: Page, name: str | re.Pattern[str], step: str) -> dict[str, Any]:
    """Assert the focus is on the control named `name` (a regex searches; a string is exact),
    and that it is seen. Waits a little for the step's answer to land."""
    for _ in range(40):
        found = focus(page)
        if _matches(found["name"], name):
            break
        page.wait_for_timeout(100)
    assert _matches(found["name"], name), f"{step}: focus is on {found}, not {name!r}"
    assert_seen(found, step)
    return found


def _matches(actual: str, wanted: str | re.Pattern[str]) -> bool:
    if isinstance(wanted, re.Pattern):
        return wanted.search(actual) is not None
    return actual == wanted


def tab_to(
    page: Page, name: str | re.Pattern[str], *, back: bool = False, limit: int = 120
) -> dict[str, Any]:
    """Press Tab (or Shift+Tab) until the focus reaches the control named `name`, checking at
    every stop on the way that the focus is seen (ring, in view, not covered)."""
    key = "Shift+Tab" if back else "Tab"
    seen: list[str] = []
    for _ in range(limit):
        page.keyboard.press(key)
        found = focus(page)
        if found["tag"] != "BODY":  # Tab from the last stop leaves for the browser's chrome
            if not found["inView"] or found["coveredBy"] or found["underToast"]:
                settled(page)  # a scroll into view in progress
                found = focus(page)
            assert_seen(found, f"{key} towards {name!r}, after {seen[-3:]}")
        seen.append(found["name"] or f"({found.get('where')})")
        if _matches(found["name"], name):
            return found
    raise AssertionError(f"{name!r} not reached by {key}; stops: {seen}")


def arrow_to(
    page: Page, name: str | re.Pattern[str], key: str = "ArrowDown", limit: int = 12
) -> dict[str, Any]:
    """Press an arrow key (through a radio group, a list) until the focus reaches `name`."""
    for _ in range(limit):
        found = press(page, key, f"{key} towards {name!r}")
        if _matches(found["name"], name):
            return found
    raise AssertionError(f"{name!r} not reached by {key}")
