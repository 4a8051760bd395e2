"""What a user types is shown as text, everywhere, and the page runs only its own scripts: the
Content-Security-Policy is on the response and in the page, and it bites."""

from __future__ import annotations

import re
from typing import Any

from playwright.sync_api import Page, expect

from .conftest import Launch, put_records, wait_engine_ready
from .test_accessibility import SCREENS, show

IMG = "<img src=x onerror=alert(1)>"
SVG = '"><svg onload=alert(1)>'
# Each payload sets a flag too, in case a dialog were swallowed.
ORG = "<img src=x onerror=\"window.__xss='org'\">"
NOTE = "<svg onload=\"window.__xss='note'\"></svg>"

# Counted in the page after each screen: anything the payloads could have produced.
INJECTED = """() => {
    const found = [];
    for (const el of document.querySelectorAll('*')) {
        for (const attr of el.attributes) {
            if (/^on/i.test(attr.name)) found.push(`${el.tagName.toLowerCase()}[${attr.name}]`);
        }
        if (el.tagName === 'IMG' && /(^|\\/)x$/.test(el.getAttribute('src') || '')) found.push('img[src=x]');
    }
    return { found, flag: window.__xss ?? null, csp: window.__cspViolations ?? [] };
}"""

WATCH_CSP = """
    window.__cspViolations = [];
    document.addEventListener('securitypolicyviolation', (e) => {
        window.__cspViolations.push(`${e.violatedDirective}: ${e.blockedURI || e.sample}`);
    });
"""


def capture(
    page: Page, name: str, context: str = "", introducer: str = "", event: str = ""
) -> None:
    page.evaluate("() => { location.hash = '#capture'; }")
    page.get_by_label("Name", exact=True).fill(name)
    if context:
        page.get_by_label("One line of context").fill(context)
    if introducer:
        page.get_by_label("Introduced by").fill(introducer)
    if event:
        page.get_by_label("Met at").fill(event)
    page.get_by_role("button", name="Save person").click()
    expect(page.get_by_role("status").filter(has_text=f"Saved {name}.")).to_be_visible()


def test_markup_typed_as_names_renders_as_text_on_every_screen(
    launch: Launch, app_url: str
) -> None:
    context = launch()
    context.add_init_script(WATCH_CSP)
    page = context.new_page()
    dialogs: list[str] = []
    errors: list[str] = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(app_url)
    wait_engine_ready(page)

    capture(page, IMG, context=SVG, event=SVG)
    capture(page, SVG, context=IMG, introducer=IMG)
    people = page.evaluate(
        """async ({ org, note }) => {
            const store = await import('./static/js/store.js');
            const people = await store.getAll('people');
            const at = new Date(Date.now() - 86400000).toISOString();
            const [first, second] = [...people].sort((a, b) => (a.created_at < b.created_at ? -1 : 1));
            const [intro] = await store.getAll('introductions');
            const put = {
                people: people.map((p) => ({ ...p, organisation: org, role: note, tags: [org], emails: ['a@example.com'] })),
                interactions: [{ id: 'x-1', person_ids: [second.id], kind: 'coffee', at, notes: note,
                    advice: [{ text: org, kind: 'book', done_at: null }], promises: [{ text: note, due: at.slice(0, 10), done_at: null }],
                    opportunity_id: 'o-1', followup_key: null, created_at: at }],
                opportunities: [{ id: 'o-1', organisation: org, role: note, stage: 'rejected', stage_at: at,
                    people: [{ person_id: second.id, role: 'interviewer' }], introduction_id: intro.id, notes: note, created_at: at }],
                meta: [{ id: 'profile', name: org, email: 'me@example.com', phone: '' }],
            };
            return { first: first.id, second: second.id, put };
        }""",
        {"org": ORG, "note": NOTE},
    )
    put_records(page, people.pop("put"))
    page.reload()
    wait_engine_ready(page)
    seen: dict[str, Any] = {}

    for screen in [
        s if not s.startswith("person/") else f"person/{people['second']}" for s in SCREENS
    ]:
        problem = show(page, screen)
        result = page.evaluate(INJECTED)
        if problem or result["found"] or result["flag"] or result["csp"]:
            seen[screen] = {"problem": problem, **result}

    assert seen == {}
    assert dialogs == []
    assert errors == []
    # And the markup is there, as the characters the user typed.
    screen = page.locator("#view-screen")
    show(page, "people")
    expect(screen.get_by_text(IMG).filter(visible=True).first).to_be_visible()
    show(page, f"person/{people['second']}")
    expect(screen.get_by_role("heading", name=SVG).first).to_be_visible()
    expect(screen.get_by_text(ORG).filter(visible=True).first).to_be_visible()


def csp_directives(policy: str) -> dict[str, list[str]]:
    return {name: values for name, *values in (d.split() for d in policy.split(";") if d.strip())}


def test_the_page_carries_a_strict_content_security_policy_in_header_and_meta(
    launch: Launch, app_url: str
) -> None:
    page = launch().new_page()

    response = page.goto(app_url)

    assert response is not None
    header = csp_directives(response.headers["content-security-policy"])
    meta = csp_directives(
        page.locator('meta[http-equiv="Content-Security-Policy"]').get_attribute("content") or ""
    )
    for policy in (header, meta):
        assert policy["default-src"] == ["'self'"]
        assert policy["script-src"] == ["'self'", "'wasm-unsafe-eval'"]
        assert policy["style-src"] == ["'self'"]
        assert policy["object-src"] == ["'none'"]
        assert policy["base-uri"] == ["'self'"]
        sources = [v for values in policy.values() for v in values]
        assert not any("unsafe-inline" in v or "'unsafe-eval'" in v for v in sources)
        assert all(
            re.fullmatch(r"'self'|'none'|'wasm-unsafe-eval'|data:|blob:", v) for v in sources
        )
    # frame-ancestors only works as a header (browsers ignore it in a meta tag).
    assert header["frame-ancestors"] == ["'none'"]
    assert {k: v for k, v in header.items() if k != "frame-ancestors"} == meta


def test_the_policy_blocks_inline_script_and_inline_handlers(launch: Launch, app_url: str) -> None:
    context = launch()
    context.add_init_script(WATCH_CSP)
    page = context.new_page()
    page.goto(app_url)

    result = page.evaluate(
        """async () => {
            const script = document.createElement('script');
            script.textContent = 'window.__ran = "script"';
            document.body.append(script);
            const holder = document.createElement('div');
            holder.innerHTML = '<img src="data:," onerror="window.__ran = \\'handler\\'">';
            document.body.append(holder);
            await new Promise((resolve) => setTimeout(resolve, 300));
            return { ran: window.__ran ?? null, violations: window.__cspViolations };
        }"""
    )

    assert result["ran"] is None
    assert any(v.startswith("script-src") for v in result["violations"])
