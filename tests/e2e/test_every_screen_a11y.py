"""Every screen by keyboard and screen reader (issue #20), at a phone size, a desktop size and
200 % zoom (a 1280x800 window at 200 %: 640x400 CSS px): Tab through every stop and check each
has a visible ring, is not hidden under another element, and that names are unique on the
screen; the skip link reaches the content and keeps the screen; axe-core with the WCAG 2.2 AA
tags finds nothing."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

import pytest
from playwright.sync_api import Page

from .conftest import Launch
from .test_accessibility import SCREENS, seed, seed_records, show

SIZES = {
    "phone": None,
    "desktop": {"width": 1280, "height": 800},
    "zoom-200": {"width": 640, "height": 400},
}
MAX_STOPS = 60  # a screen longer than this is checked on its first 60 stops
WCAG22_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]

# Where the focus is, in words, and what is wrong with it.
STOP_JS = """() => {
    const el = document.activeElement;
    if (!el || el === document.body) return null;
    window.__stops ??= [];
    if (window.__stops[0] === el) return { again: true };  // round the page once
    window.__stops.push(el);
    const text = (node) => (node?.textContent ?? '').replace(/\\s+/g, ' ').trim();
    const byIds = (ids) => ids.split(/\\s+/).map((id) => text(document.getElementById(id))).join(' ').trim();
    const name = (el.getAttribute('aria-labelledby') && byIds(el.getAttribute('aria-labelledby')))
        || el.getAttribute('aria-label')
        || [...(el.labels ?? [])].map(text).join(' ')
        || (el.matches('input, select, textarea') ? el.getAttribute('title') || el.getAttribute('placeholder') || '' : text(el));
    const role = el.getAttribute('role') || el.tagName.toLowerCase() + (el.type ? ':' + el.type : '');
    const r = el.getBoundingClientRect();
    const style = getComputedStyle(el);
    const ringed = (s) => (s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) > 0) || (s.boxShadow && s.boxShadow !== 'none');
    // A checkbox or radio drawn by its label shows its ring there.
    // ...or its card, or (an SVG node) a ring drawn inside it.
    const ring = ringed(style) || [...(el.labels ?? [])].some((l) => ringed(getComputedStyle(l)))
        || (el.parentElement && ringed(getComputedStyle(el.parentElement)) && el.parentElement.matches(':focus-within'))
        || [...el.querySelectorAll('[class*=focus]')].some((c) => getComputedStyle(c).stroke !== 'none');
    const x = Math.min(Math.max(r.left + r.width / 2, 0), innerWidth - 1);
    const y = Math.min(Math.max(r.top + r.height / 2, 0), innerHeight - 1);
    const top = document.elementFromPoint(x, y);
    const covered = top && !(top === el || el.contains(top) || top.contains(el) || [...(el.labels ?? [])].some((l) => l.contains(top)));
    const inView = r.bottom > 0 && r.top < innerHeight && r.right > 0 && r.left < innerWidth;
    const key = el.id || el.getAttribute('href') || '';
    return {
        where: `${role} "${name.slice(0, 60)}"${el.id ? ' #' + el.id : ''}`,
        name: name.trim(), role, href: el.getAttribute('href') || '', key,
        ring: Boolean(ring), inView, covered: covered ? `${top.tagName.toLowerCase()}.${[...top.classList].join('.')}` : '',
    };
}"""


# Start the next Tab from the top of the page, as a fresh load does.
FROM_THE_TOP = """() => {
    window.scrollTo(0, 0);
    const start = document.createElement('span');
    start.tabIndex = -1;
    document.body.prepend(start);
    start.focus();
    start.remove();
}"""


def tab_through(page: Page) -> dict[str, list[str]]:
    """Tab from the top of the page through every stop; what is wrong at each."""
    page.evaluate(FROM_THE_TOP)
    problems: dict[str, list[str]] = {"no ring": [], "hidden": [], "duplicate names": []}
    seen: dict[str, str] = {}
    page.evaluate("() => { window.__stops = []; }")
    for _ in range(MAX_STOPS):
        page.keyboard.press("Tab")
        info = page.evaluate(STOP_JS)
        if info is None:
            continue
        if info.get("again"):
            break
        where = info["where"]
        if not info["ring"]:
            problems["no ring"].append(where)
        if not info["inView"] or info["covered"]:
            problems["hidden"].append(
                f"{where} under {info['covered'] or 'the edge of the screen'}"
            )
        if info["name"] and not info["role"].startswith("input:radio"):
            signature = f"{info['role']}|{info['name'].lower()}"
            target = info["href"] or where
            if signature in seen and seen[signature] != target:
                problems["duplicate names"].append(where)
            seen.setdefault(signature, target)
    return {k: v for k, v in problems.items() if v}


def skip_link_works(page: Page, screen: str) -> str | None:
    page.evaluate(FROM_THE_TOP)
    page.keyboard.press("Tab")
    if page.evaluate("() => document.activeElement?.className") != "skip-link":
        return "the first Tab stop is not the skip link"
    page.keyboard.press("Enter")
    page.wait_for_timeout(100)
    hash_now = page.evaluate("() => location.hash")
    if hash_now.split("/")[0] != "#" + screen.split("/")[0]:
        return f"the skip link left the screen for {hash_now}"
    inside = page.evaluate(
        "() => Boolean(document.activeElement?.closest('main')) || document.activeElement?.id === 'main'"
    )
    return None if inside else "the skip link did not move the focus into the content"


def axe_wcag22(page: Page, axe_source: str) -> list[str]:
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.evaluate(axe_source)
    found: list[str] = page.evaluate(
        """async (tags) => (await axe.run(document, { runOnly: { type: 'tag', values: tags }, resultTypes: ['violations'] }))
            .violations.map((v) => `${v.id}: ${v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(', ')}`)""",
        WCAG22_AA,
    )
    return found


@pytest.mark.parametrize("size", list(SIZES))
def test_every_screen_by_keyboard_and_screen_reader(
    launch: Launch, app_url: str, axe_source: str, size: str
) -> None:
    page = launch(size, viewport=SIZES[size]).new_page()
    seed(page, app_url, seed_records(datetime.now(UTC)))
    problems: dict[str, Any] = {}
    focus_problems: dict[str, Any] = {}
    for screen in SCREENS:
        missing = show(page, screen)
        if missing:
            problems[screen] = missing
            continue
        found: dict[str, Any] = {}
        if violations := axe_wcag22(page, axe_source):
            found["axe"] = violations
        stops = tab_through(page)
        if "duplicate names" in stops:
            found["duplicate names"] = stops.pop("duplicate names")
        if broken := skip_link_works(page, screen):
            stops["skip link"] = broken  # type: ignore[assignment]
        if found:
            problems[screen] = found
        if stops:
            focus_problems[screen] = stops
    assert problems == {}, json.dumps(problems, indent=1, ensure_ascii=False)
    assert focus_problems == {}, json.dumps(focus_problems, indent=1, ensure_ascii=False)
