"""The draft sheet's voice in a real browser: with no name in the profile it asks for one,
signs with it and saves it to the card; the tone switch rewrites the draft. (What the engine
asks and how it weaves the answers in: tests/core/test_voice.py.)"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from . import builders
from .conftest import Launch, axe_violations, idb, put_records

EVENING = "2026-11-23T19:00:00.000Z"
MORNING = "2026-11-24T09:00:00"


@pytest.fixture(autouse=True)
def _patient_expect() -> object:
    """A loaded CI machine can take a few seconds per engine command: wait up to 15 s."""
    expect.set_options(timeout=15_000)
    yield
    expect.set_options(timeout=5_000)


def _profile_name(page: Page) -> str:
    return next((str(r.get("name", "")) for r in idb(page, "meta") if r.get("id") == "profile"), "")


def test_the_sheet_asks_for_your_name_signs_with_it_and_switches_tone(
    launch: Launch, app_url: str, axe_source: str
) -> None:
    page = launch().new_page()
    page.clock.set_fixed_time(MORNING)
    page.goto(app_url)
    put_records(page, {
        "people": [
            builders.person("ashok", "Ashok Mehta", at=EVENING),
            builders.person("maria", "Sra. María López", at=EVENING, emails=["m@contoso.example"]),
        ],
        "introductions": [builders.introduction(
            "i1", "ashok", "maria", at=EVENING, context="talk to her about media sales")],
    })  # fmt: skip
    page.goto(app_url + "#today")
    page.reload()
    page.wait_for_selector("html[data-today=fresh]", timeout=60_000)

    page.get_by_role("button", name=re.compile("Reach out: Sra. María López")).click()
    dialog = page.get_by_role("dialog", name=re.compile("Reach out"))
    message = dialog.locator("#draft-message")
    name = dialog.get_by_role("textbox", name="Your name, for the signature")
    expect(message).to_have_value(re.compile(r"^Hi María,\n"))
    expect(message).to_have_value(re.compile("Ashok thought we should talk about media sales."))
    expect(message).not_to_have_value(re.compile("Thank you,$"))
    assert axe_violations(page, axe_source) == []

    name.fill("Sam Rivera")
    expect(message).to_have_value(re.compile("Thank you,\nSam Rivera$"))
    name.press("Tab")  # the name is saved to the card when the field is left
    page.wait_for_function(
        """async () => {
            const { getAll } = await import('./static/js/store.js');
            return (await getAll('meta')).some((r) => r.id === 'profile' && r.name === 'Sam Rivera');
        }""",
        timeout=15_000,
    )
    assert _profile_name(page) == "Sam Rivera"

    dialog.get_by_role("combobox", name="Tone").select_option("formal")
    expect(message).to_have_value(re.compile(r"^Dear María,\n"))
    expect(message).to_have_value(re.compile("Sam Rivera$"))
