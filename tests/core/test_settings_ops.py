"""The Settings screen's operations (settings_ops.py), through JSON strings as the worker calls
them: defaults and ranges, template previews, the user's card, QR codes and data safety."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest
import segno
from followup import api
from followup.codec import decode_profile, encode_profile
from followup.model import Profile
from followup.qr import QUIET_ZONE, qr_code
from followup.settings import DEFAULT_SETTINGS, RANGES, encode_settings

NOW, TODAY = "2026-11-23T09:00:00Z", "2026-11-23"
ANA = {
    "name": "Ana María Lima",
    "role": "Head of Sales",
    "organisation": "Northwind, Ltd",
    "email": "ana@example.com",
    "phone": "+44 20 7946 0123",
    "url": "linkedin.com/in/ana",
}
ANA_VCARD = (
    "BEGIN:VCARD\r\n"
    "VERSION:4.0\r\n"
    "FN:Ana María Lima\r\n"
    "N:Lima;Ana María;;;\r\n"
    "ORG:Northwind\\, Ltd\r\n"
    "TITLE:Head of Sales\r\n"
    "EMAIL:ana@example.com\r\n"
    "TEL;VALUE=uri;TYPE=cell:tel:+442079460123\r\n"
    "URL:https://linkedin.com/in/ana\r\n"
    "END:VCARD\r\n"
)


def call(op: str, **args: Any) -> dict[str, Any]:
    result: dict[str, Any] = json.loads(
        api.call(json.dumps({"op": op, "now": NOW, "today": TODAY, **args}))
    )
    return result


def command(name: str, payload: dict[str, Any]) -> dict[str, Any]:
    return call("command", name=name, payload=payload)


@pytest.fixture(autouse=True)
def empty() -> Iterator[None]:
    assert call("load", data={})["ok"]
    yield
    call("load", data={})


# --- settings -----------------------------------------------------------------------------------


def test_settings_give_the_defaults_and_the_range_of_every_number() -> None:
    answer = call("settings")

    assert answer["defaults"]["rules"]["reach-out"] == {
        "enabled": True,
        "due_hours": 24,
        "expire_days": 30,
    }
    assert answer["defaults"]["gratitude"] == {
        "lookback_days": DEFAULT_SETTINGS.gratitude_lookback_days
    }
    assert answer["ranges"] == {name: list(bounds) for name, bounds in RANGES.items()}
    assert answer["ranges"]["due_hours"] == [0, 8760]


def test_restoring_the_default_timings_leaves_keep_in_touch_and_templates_alone() -> None:
    patch = call("settings")["timing_defaults"]

    assert "keep-in-touch" not in patch["rules"]
    assert set(patch) == {"rules", "today", "gratitude", "stop", "history"}
    saved = command("save_settings", {"settings": patch})
    assert saved["put"]["meta"][0]["rules"] == encode_settings(DEFAULT_SETTINGS)["rules"]


def test_settings_give_every_placeholder_an_example_fact() -> None:
    answer = call("settings")

    assert set(answer["examples"]) == set(answer["placeholders"])
    assert answer["examples"]["first_name"] == "Maria"


def test_each_rule_subject_is_shown_as_it_would_read_with_example_facts() -> None:
    subjects = call("settings")["subjects"]

    assert subjects["reach-out"] == "Ashok Mehta suggested I get in touch"


def test_the_examples_are_signed_with_the_users_own_name_once_known() -> None:
    assert command("save_profile", {"name": "Sam Seeker", "email": "sam@example.com"})["ok"]

    assert call("settings")["examples"]["my_name"] == "Sam Seeker"


# --- preview_template ---------------------------------------------------------------------------


def test_a_template_is_previewed_with_the_example_facts() -> None:
    answer = call(
        "preview_template",
        rule="thank-you",
        template={"body": "Dear {first_name}, thanks for the {meeting}.[ See you at {event}.]"},
    )

    assert answer["valid"] is True
    assert answer["previews"]["body"]["text"] == (
        "Dear Maria, thanks for the coffee. See you at the Media Sales Meetup."
    )


def test_an_empty_part_is_previewed_with_the_built_in_wording() -> None:
    answer = call("preview_template", rule="thank-you", template={})

    assert answer["previews"]["body"]["text"].startswith("Hi Maria,")


def test_an_unknown_placeholder_is_named_with_the_part_it_is_in() -> None:
    answer = call("preview_template", rule="thank-you", template={"sms": "Dear {nme}"})

    assert answer["valid"] is False
    assert answer["previews"]["sms"] == {
        "text": None,
        "error": {
            "code": "unknown-placeholder",
            "message": "The template uses {nme}, which is not a known fact.",
            "field": "template.sms",
        },
    }


def test_unchanged_built_in_wording_is_saved_as_use_the_built_in() -> None:
    built_in = call("settings")["built_in"]["promise"]

    answer = call(
        "preview_template", rule="promise", template={**built_in, "sms": "Here it is: {promise}"}
    )

    assert answer["save"] == {"subject": "", "body": "", "sms": "Here it is: {promise}"}


def test_the_gratitude_preview_is_written_as_after_landing_a_job() -> None:
    answer = call(
        "preview_template", rule="gratitude", template={"body": "[{is_landed}I start soon.]"}
    )

    assert answer["previews"]["body"]["text"] == "I start soon."


# --- Profile, check_profile, save_profile --------------------------------------------------------


def test_the_profile_keeps_role_organisation_and_website() -> None:
    profile = decode_profile({"id": "profile", **ANA}, "meta[0]")

    assert encode_profile(profile) == {"id": "profile", **ANA}


def test_an_old_profile_record_with_underscored_fields_loses_nothing() -> None:
    old = {
        "id": "profile",
        "name": "Ana",
        "_role": "Head of Sales",
        "_organisation": "Northwind",
        "_url": "https://linkedin.com/in/ana",
    }

    profile = decode_profile(old, "meta[0]")

    assert (profile.role, profile.organisation, profile.url) == (
        "Head of Sales",
        "Northwind",
        "https://linkedin.com/in/ana",
    )


def test_a_plain_field_wins_over_an_old_underscored_one() -> None:
    profile = decode_profile({"id": "profile", "role": "Now", "_role": "Before"}, "meta[0]")

    assert profile.role == "Now"


def test_an_old_profile_is_written_back_with_plain_fields() -> None:
    old = {"id": "profile", "name": "Ana", "_organisation": "Northwind"}
    assert call("load", data={"meta": [old]})["ok"]

    [profile] = [m for m in call("export")["data"]["meta"] if m["id"] == "profile"]

    assert profile["organisation"] == "Northwind"
    assert "_organisation" not in profile


def test_checking_a_card_names_every_field_that_needs_fixing() -> None:
    answer = call("check_profile", profile={**ANA, "email": "ana.example.com", "url": "not a site"})

    assert answer["problems"] == [
        {
            "field": "email",
            "message": "Email: “ana.example.com” does not look like an email address "
            "(for example ana@example.com).",
        },
        {
            "field": "url",
            "message": "Website or LinkedIn: “not a site” is not a web address "
            "(for example linkedin.com/in/your-name).",
        },
    ]


@pytest.mark.parametrize(
    ("field", "value", "start"),
    [
        ("name", "  ", "Your name: enter it"),
        ("phone", "call me", "Phone: use digits"),
        ("phone", "+44 1", "Phone: that number is too short."),
        ("role", "x" * 201, "Role: keep it under 200 characters."),
    ],
)
def test_a_card_field_with_a_mistake_is_named(field: str, value: str, start: str) -> None:
    [problem] = call("check_profile", profile={**ANA, field: value})["problems"]

    assert problem["field"] == field
    assert problem["message"].startswith(start)


def test_a_checked_card_is_tidied_and_its_web_address_gets_a_scheme() -> None:
    answer = call("check_profile", profile={**ANA, "name": " Ana María Lima "})

    assert answer["problems"] == []
    assert answer["profile"]["name"] == "Ana María Lima"
    assert answer["profile"]["url"] == "https://linkedin.com/in/ana"


def test_saving_a_card_with_a_mistake_is_refused_naming_the_field() -> None:
    answer = command("save_profile", {**ANA, "email": "ana.example.com"})

    assert (answer["ok"], answer["field"]) == (False, "email")


def test_saving_a_card_keeps_every_field_tidied() -> None:
    answer = command("save_profile", ANA)

    assert answer["put"]["meta"] == [{"id": "profile", **ANA, "url": "https://linkedin.com/in/ana"}]


# --- my_card and qr -----------------------------------------------------------------------------


def test_without_a_name_and_a_way_to_reach_you_there_is_no_card_to_share() -> None:
    assert command("save_profile", {"name": "Ana"})["ok"]

    card = call("my_card")

    assert (card["shareable"], card["vcard"], card["qr"]) == (False, None, None)
    assert [f["name"] for f in card["fields"]] == [
        "name",
        "role",
        "organisation",
        "email",
        "phone",
        "url",
    ]


def test_my_card_is_a_vcard_4_with_its_file_name_and_summary() -> None:
    assert command("save_profile", ANA)["ok"]

    card = call("my_card")

    assert card["vcard"] == ANA_VCARD
    assert card["filename"] == "ana-maria-lima.vcf"
    assert card["summary"].startswith("Ana María Lima, Head of Sales, Northwind, Ltd")


def test_my_cards_qr_code_is_segnos_at_level_m_drawn_row_by_row() -> None:
    assert command("save_profile", ANA)["ok"]

    qr = call("my_card")["qr"]

    reference = segno.make(
        ANA_VCARD.encode("utf-8"), error="m", mode="byte", boost_error=False, micro=False
    )
    assert (qr["version"], qr["size"]) == (reference.version, len(reference.matrix))
    assert _modules(qr) == [[int(bit) for bit in row] for row in reference.matrix]


def test_a_qr_code_is_made_for_any_text() -> None:
    qr = call("qr", text="https://sync.example.com/#sync/pair/ABCD")["qr"]

    assert qr["quiet_zone"] == QUIET_ZONE
    assert _modules(qr) == [[int(c) for c in row] for row in qr_code(
        "https://sync.example.com/#sync/pair/ABCD"
    ).rows]  # fmt: skip


def test_text_too_long_for_a_qr_code_is_refused_naming_it() -> None:
    answer = call("qr", text="x" * 3000)

    assert (answer["ok"], answer["error"], answer["field"]) == (False, "too-long-for-qr", "text")


def _modules(qr: dict[str, Any]) -> list[list[int]]:
    """The dark modules read back from the path data, as the page draws them."""
    import re

    grid = [[0] * qr["size"] for _ in range(qr["size"])]
    for x, y, n in re.findall(r"M(\d+) (\d+)h(\d+)v1h-\d+z", qr["path"]):
        for c in range(int(x) - QUIET_ZONE, int(x) - QUIET_ZONE + int(n)):
            grid[int(y) - QUIET_ZONE][c] = 1
    return grid


# --- data_safety --------------------------------------------------------------------------------


def _person(pid: str) -> dict[str, Any]:
    return {"id": pid, "name": pid.title(), "created_at": NOW}


def test_people_kept_only_here_with_no_copy_bring_a_reminder() -> None:
    assert call("load", data={"people": [_person("ashok"), _person("maria")]})["ok"]

    answer = call("data_safety", backup_at=None, synced_at=None, persisted=False)

    assert (answer["people"], answer["remind"], answer["backup"]) == (2, True, None)
    assert answer["heading"] == "Back up your contacts"
    assert answer["reminder"].startswith("You have 2 people saved only on this device.")


def test_a_recent_backup_says_how_old_it_is_and_needs_no_reminder() -> None:
    assert call("load", data={"people": [_person("ashok")]})["ok"]

    answer = call("data_safety", backup_at="2026-11-20T08:00:00Z", synced_at=None, persisted=False)

    assert answer["backup"]["ago"] == "3 days ago"
    assert (answer["remind"], answer["heading"], answer["reminder"]) == (False, "Backup", None)


def test_the_newer_of_backup_and_sync_counts_and_a_week_old_copy_is_stale() -> None:
    assert call("load", data={"people": [_person("ashok")]})["ok"]

    answer = call(
        "data_safety",
        backup_at="2026-11-01T09:00:00Z",
        synced_at="2026-11-16T09:00:00Z",
        persisted=False,
    )

    assert (answer["synced"]["ago"], answer["days_since_copy"], answer["remind"]) == (
        "7 days ago",
        7,
        True,
    )


def test_storage_the_browser_keeps_needs_no_reminder() -> None:
    assert call("load", data={"people": [_person("ashok")]})["ok"]

    answer = call("data_safety", backup_at=None, synced_at=None, persisted=True)

    assert answer["remind"] is False


def test_profile_defaults_are_empty() -> None:
    assert Profile() == decode_profile({"id": "profile"}, "meta[0]")
