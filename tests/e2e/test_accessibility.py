"""Every screen, with data in it, in light and dark, on a phone and a desktop: axe-core finds
nothing, every target is at least 44 px, and nothing is wider than the phone."""

from __future__ import annotations

import functools
import json
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from playwright.sync_api import Page

from . import builders
from .conftest import Launch, axe_violations, put_records, wait_engine_ready

DESKTOP = {"width": 1280, "height": 800}

# Every screen of the app (app.js SCREENS plus the two in the page). Person needs an id.
SCREENS = [
    "today",
    "capture",
    "people",
    "person/p-maria",
    "opportunities",
    "graph",
    "insights",
    "settings",
    "transfer",
    "sync",
    "more",
    "later",
]


def seed_records(now: datetime, name: str = "Maria Lopez") -> dict[str, list[dict[str, Any]]]:
    """A small network a week into a search: an introducer, a referral met yesterday, someone
    met at an event, a reference, an opportunity, and the user's own card."""

    def at(days: float) -> str:
        return (now - timedelta(days=days)).isoformat()

    person = functools.partial(builders.person, at=at(10))

    return {
        "people": [
            person(
                "p-ashok",
                "Ashok Mehta",
                organisation="Northwind",
                role="Head of Sales",
                emails=["ashok@example.com"],
                tags=["mentor"],
            ),
            person(
                "p-maria",
                name,
                organisation="Contoso Media",
                role="Director",
                notes="Talk to her about media sales",
                emails=["maria@example.com"],
            ),
            person(
                "p-li",
                "Li Wei",
                organisation="Fabrikam",
                event_id="e-meetup",
                how_met="Met at Media Sales Meetup",
                phones=["+44 20 7946 0000"],
            ),
            person("p-sam", "Sam Okafor", organisation="Tailspin", role="Former manager"),
        ],
        "events": [
            {
                "id": "e-meetup",
                "name": "Media Sales Meetup",
                "date": at(2)[:10],
                "place": "London",
                "created_at": at(2),
            },
        ],
        "introductions": [
            {
                "id": "i-1",
                "introducer_id": "p-ashok",
                "introduced_id": "p-maria",
                "at": at(6),
                "kind": "introduction",
                "context": "media sales",
                "status": "met",
                "outcome": "",
                "created_at": at(6),
            },
        ],
        "interactions": [
            {
                "id": "x-1",
                "person_ids": ["p-maria"],
                "kind": "coffee",
                "at": at(1),
                "notes": "How her team hires",
                "advice": [],
                "promises": [],
                "opportunity_id": None,
                "followup_key": None,
                "created_at": at(1),
            },
            {
                "id": "x-2",
                "person_ids": ["p-li"],
                "kind": "meeting",
                "at": at(2),
                "notes": "",
                "advice": [],
                "promises": [],
                "opportunity_id": None,
                "followup_key": None,
                "created_at": at(2),
            },
        ],
        "opportunities": [
            {
                "id": "o-1",
                "organisation": "Contoso Media",
                "role": "Account Director",
                "stage": "interviewing",
                "stage_at": at(3),
                "people": [
                    {"person_id": "p-maria", "role": "interviewer"},
                    {"person_id": "p-sam", "role": "reference"},
                ],
                "introduction_id": "i-1",
                "notes": "",
                "created_at": at(5),
            },
        ],
        "meta": [
            {"id": "profile", "name": "Alex Kim", "email": "alex@example.com", "phone": ""},
        ],
    }


def seed(page: Page, app_url: str, records: dict[str, list[dict[str, Any]]]) -> None:
    """Save the records through the engine, then reload, as a returning user opens the app."""
    page.goto(app_url)
    put_records(page, records)
    page.reload()
    wait_engine_ready(page)


def show(page: Page, screen: str) -> str | None:
    """Go to a screen by its hash and wait until it has drawn its data; the problem if not."""
    page.evaluate("(hash) => { location.hash = hash; }", "#" + screen)
    try:
        page.wait_for_function(
            """(name) => {
                const view = name === 'today' || name === 'capture'
                    ? document.getElementById('view-' + name)
                    : document.getElementById('view-screen');
                if (!view || view.hidden || !view.querySelector('h2')) return false;
                // Loading lines are replaced when the engine answers.
                return ![...view.querySelectorAll('.loading')].some((e) => e.offsetParent !== null);
            }""",
            arg=screen.split("/")[0],
            timeout=15_000,
        )
    except Exception:
        return f"#{screen} did not finish drawing (no heading, or still loading) within 15 s"
    page.wait_for_timeout(150)  # let late paints (charts, QR) settle
    # A toast caught mid-fade has, for that instant, the contrast of a half-transparent box.
    page.wait_for_function(
        """() => {
            const toast = document.getElementById('toast');
            return !toast || ['0', '1'].includes(getComputedStyle(toast).opacity);
        }"""
    )
    return None


# Targets measured in the page: what is smaller than 44 x 44 CSS px, and what sticks out.
MEASURE = """(minimum) => {
    const small = [];
    const selector = 'button, a[href], input:not([type=hidden]), select, textarea, summary, [role=button], [tabindex]:not([tabindex="-1"])';
    const describe = (el, r) => `${el.tagName.toLowerCase()}${el.id ? '#' + el.id : ''} "${(el.getAttribute('aria-label') || el.textContent || el.getAttribute('name') || '').trim().slice(0, 40)}" ${Math.round(r.width)}x${Math.round(r.height)}`;
    for (const el of document.querySelectorAll(selector)) {
        const style = getComputedStyle(el);
        if (style.visibility === 'hidden' || style.display === 'none' || el.closest('[inert]')) continue;
        let r = el.getBoundingClientRect();
        if (r.width === 0 && r.height === 0) continue;
        if (el.matches('.skip-link')) continue;  // off-screen until focused, then large
        // WCAG 2.5.8: a link inside a sentence is exempt.
        if (el.tagName === 'A' && style.display === 'inline') {
            const block = el.parentElement?.closest('p, li, dd, td');
            if (block && block.textContent.trim() !== el.textContent.trim()) continue;
        }
        // A checkbox or radio is hit through its label too.
        if (el.matches('input[type=checkbox], input[type=radio]')) {
            for (const label of el.labels ?? []) {
                const l = label.getBoundingClientRect();
                const left = Math.min(r.left, l.left), top = Math.min(r.top, l.top);
                r = { width: Math.max(r.right, l.right) - left, height: Math.max(r.bottom, l.bottom) - top };
            }
        }
        if (r.width < minimum - 0.5 || r.height < minimum - 0.5) small.push(describe(el, r));
    }
    const width = document.documentElement.clientWidth;
    const wide = [...document.querySelectorAll('body *')]
        .filter((el) => {
            const r = el.getBoundingClientRect();
            return r.width > 0 && r.right > width + 1 && !el.closest('[style*=overflow], .scroll-x');
        })
        .slice(0, 5)
        .map((el) => `${el.tagName.toLowerCase()}.${[...el.classList].join('.')} right=${Math.round(el.getBoundingClientRect().right)}`);
    return { small, scrollWidth: document.scrollingElement.scrollWidth, width, wide };
}"""


@pytest.mark.parametrize(
    ("device", "scheme"),
    [("phone", "light"), ("phone", "dark"), ("desktop", "light"), ("desktop", "dark")],
)
def test_axe_finds_no_violations_on_any_screen(
    launch: Launch, app_url: str, axe_source: str, device: str, scheme: str
) -> None:
    page = launch(device, viewport=DESKTOP if device == "desktop" else None).new_page()
    page.emulate_media(color_scheme=scheme)
    seed(page, app_url, seed_records(datetime.now(UTC)))
    problems: dict[str, Any] = {}

    for screen in SCREENS:
        missing = show(page, screen)
        if missing:
            problems[screen] = missing
            continue
        violations = axe_violations(page, axe_source)
        if violations:
            problems[screen] = violations

    assert problems == {}, json.dumps(problems, indent=1, ensure_ascii=False)


def test_the_settings_dialogs_have_no_axe_violations(
    launch: Launch, app_url: str, axe_source: str
) -> None:
    page = launch().new_page()
    seed(page, app_url, seed_records(datetime.now(UTC)))
    assert show(page, "settings") is None
    problems: dict[str, Any] = {}

    for scheme in ("light", "dark"):
        page.emulate_media(color_scheme=scheme)
        page.get_by_role("button", name="Edit the message: Reach out to a new referral").click()
        page.get_by_text("Facts you can use").click()
        problems[f"template {scheme}"] = axe_violations(page, axe_source)
        page.get_by_role("button", name="Cancel").click()
        page.get_by_role("button", name="Restore the defaults").click()
        problems[f"confirm {scheme}"] = axe_violations(page, axe_source)
        page.get_by_role("dialog").get_by_role("button", name="Cancel").click()

    assert {k: v for k, v in problems.items() if v} == {}, json.dumps(problems, indent=1)


@pytest.mark.parametrize("device", ["phone", "desktop"])
def test_every_screen_fits_the_width_and_every_target_is_44_px(
    launch: Launch, app_url: str, device: str
) -> None:
    page = launch(device, viewport=DESKTOP if device == "desktop" else None).new_page()
    seed(page, app_url, seed_records(datetime.now(UTC)))
    problems: dict[str, Any] = {}

    for screen in SCREENS:
        missing = show(page, screen)
        if missing:
            problems[screen] = missing
            continue
        found = page.evaluate(MEASURE, 44)
        if found["small"]:
            problems[f"{screen}: targets under 44 px"] = found["small"]
        if found["scrollWidth"] > found["width"]:
            problems[f"{screen}: {found['scrollWidth']} px wide in {found['width']} px"] = found[
                "wide"
            ]

    assert problems == {}, json.dumps(problems, indent=1, ensure_ascii=False)
