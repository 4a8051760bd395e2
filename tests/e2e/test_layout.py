"""The layout at four sizes, light and dark (issue 14): a phone with a bottom tab bar, a tablet,
and from 900 px a desktop app with side navigation and the draft in a tall panel beside the list.
Nothing scrolls sideways, the name in the header never breaks, the draft shows the whole message,
and axe finds nothing. The screenshots land in docs/screenshots/layout-*.png for people to look at."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from .conftest import Launch, axe_violations, wait_engine_ready
from .test_people import network, seed

SCREENSHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"
SIZES = [(390, 844), (768, 1024), (1280, 800), (1920, 1080)]
SCREENS = ["today", "people", "capture", "opportunities", "person/p-ashok"]

GEOMETRY = """() => {
    const box = (selector) => { const el = document.querySelector(selector); if (!el) return null;
        const r = el.getBoundingClientRect(); return { x: r.x, y: r.y, w: r.width, h: r.height }; };
    return {
        scrollWidth: document.scrollingElement.scrollWidth, innerWidth: window.innerWidth,
        nav: box('.tab-bar'), title: box('.app-title'), main: box('main'),
        titleLines: Math.round(document.querySelector('.app-title').getBoundingClientRect().height
            / parseFloat(getComputedStyle(document.querySelector('.app-title')).lineHeight || '20')),
    };
}"""


def shot(page: Page, name: str) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.evaluate("() => document.getElementById('toast')?.classList.remove('show')")
    page.wait_for_timeout(150)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"))


def geometry(page: Page) -> dict[str, Any]:
    found: dict[str, Any] = page.evaluate(GEOMETRY)
    return found


@pytest.fixture
def page(launch: Launch, app_url: str) -> Page:
    context = launch("layout", viewport={"width": 1280, "height": 800})
    opened = context.pages[0] if context.pages else context.new_page()
    seed(opened, app_url, network(datetime.now(UTC)))
    wait_engine_ready(opened)
    return opened


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_every_screen_fits_each_size_with_the_navigation_where_that_size_wants_it(
    page: Page, app_url: str, scheme: str
) -> None:
    page.emulate_media(color_scheme=scheme)
    for width, height in SIZES:
        page.set_viewport_size({"width": width, "height": height})
        for screen in SCREENS:
            page.goto(f"{app_url}#{screen}")
            page.wait_for_selector("main .view:not([hidden]) h2", timeout=30_000)
            page.wait_for_timeout(200)
            found = geometry(page)

            where = f"{screen} at {width}x{height} ({scheme})"
            assert found["scrollWidth"] <= found["innerWidth"], where
            assert found["titleLines"] == 1, where
            nav = found["nav"]
            if width >= 900:
                assert (nav["x"], nav["w"]) == (0, pytest.approx(nav["w"])), where
                assert nav["h"] > height / 2, f"a side rail {where}"
                assert found["main"]["x"] >= nav["w"], where
            else:
                assert nav["y"] + nav["h"] == pytest.approx(height, abs=1), f"a bottom bar {where}"
                assert nav["w"] == pytest.approx(width, abs=1), where
            name = screen.split("/")[0]
            shot(page, f"layout-{width}x{height}-{scheme}-{name}")


def test_on_a_desktop_the_draft_opens_beside_the_list_with_room_for_the_whole_message(
    page: Page, app_url: str, axe_source: str
) -> None:
    for width, height in SIZES:
        page.set_viewport_size({"width": width, "height": height})
        page.goto(f"{app_url}#today")
        first = page.locator("#today-list > li").first
        expect(first).to_be_visible(timeout=30_000)
        first.get_by_role("button").first.click()
        dialog = page.locator("dialog.sheet[open]")
        expect(dialog).to_be_visible()
        text = dialog.locator("textarea").first
        expect(text).to_be_visible()
        box = dialog.bounding_box()
        area = text.bounding_box()
        assert box is not None
        assert area is not None
        message_fits = text.evaluate("(t) => t.scrollHeight <= t.clientHeight + 2")
        if width >= 900:
            assert box["x"] + box["width"] == pytest.approx(width, abs=1)
            assert box["x"] >= width * 0.4  # the list stays in view on the left
            assert box["height"] == pytest.approx(height, abs=1)
            assert message_fits, f"the whole message shows at {width}x{height}"
        assert area["height"] >= 140
        shot(page, f"layout-{width}x{height}-light-draft")
        if width in (390, 1280):
            assert axe_violations(page, axe_source) == [], f"draft at {width}x{height}"
        page.keyboard.press("Escape")
        expect(dialog).to_have_count(0)
        if width in (390, 1280):
            assert axe_violations(page, axe_source) == [], f"today at {width}x{height}"
