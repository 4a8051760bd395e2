"""A name typed in two Unicode forms (NFC "é" as one character, NFD "e" + an accent) is one
person, wherever it comes from: a command, a load, a sync, an import (bounds.clean_text,
interop/contact.scrubbed). And an import scrubs what a file holds rather than storing what a
later load would refuse."""

from __future__ import annotations

import unicodedata
from collections.abc import Iterator
from typing import Any

import pytest

from .interop_helpers import call, fresh_ids

COMPOSED = "José Núñez"
DECOMPOSED = unicodedata.normalize("NFD", COMPOSED)
NOW, TODAY = "2026-11-23T09:00:00Z", "2026-11-23"
AT = "2026-11-22T18:00:00Z"


@pytest.fixture(autouse=True)
def empty() -> Iterator[None]:
    assert call("load", data={})["ok"]
    yield
    call("load", data={})


def _preview_row(text: str) -> dict[str, Any]:
    [row] = call("import_preview", text=text)["rows"]
    return row


def _names() -> list[str]:
    return [p["name"] for p in call("export")["data"]["people"]]


@pytest.mark.parametrize(("saved", "imported"), [(DECOMPOSED, COMPOSED), (COMPOSED, DECOMPOSED)])
def test_a_name_added_in_one_form_matches_the_same_name_imported_in_the_other(
    saved: str, imported: str
) -> None:
    added = call(
        "command", name="add_person", payload={"id": "p1", "name": saved}, now=NOW, today=TODAY
    )
    assert added["ok"]

    row = _preview_row(f"Name,Organisation\n{imported},Acme\n")

    assert (row["action"], row["person_id"], row["by"]) == ("merge", "p1", "name")


@pytest.mark.parametrize("op", ["load", "upsert"])
def test_a_name_loaded_or_synced_in_decomposed_form_is_held_composed_and_matches(op: str) -> None:
    person = {"id": "p1", "name": DECOMPOSED, "tags": [DECOMPOSED], "created_at": AT}

    assert call(op, data={"people": [person]})["ok"]

    assert _names() == [COMPOSED]
    assert _preview_row(f"Name\n{COMPOSED}\n")["person_id"] == "p1"


def test_two_rows_of_one_file_in_two_forms_are_one_new_person() -> None:
    text = f"Name,Email\n{COMPOSED},jose@example.com\n{DECOMPOSED},\n"
    preview = call("import_preview", text=text)

    commit = call("import_commit", text=text, ids=fresh_ids(preview["ids_needed"]), now=NOW)

    assert commit["ok"], commit
    assert _names() == [COMPOSED]


def test_an_import_scrubs_control_and_broken_characters_so_the_next_load_reads_it() -> None:
    text = 'Name,Organisation,Notes\nBea\x1b Chen,Ac\x7fme\ud800,"Line one\nline\x0b two"\n'
    preview = call("import_preview", text=text)

    commit = call("import_commit", text=text, ids=fresh_ids(preview["ids_needed"]), now=NOW)
    data = call("export")["data"]

    assert commit["ok"], commit
    [bea] = data["people"]
    assert (bea["name"], bea["organisation"], bea["notes"]) == (
        "Bea Chen",
        "Acme\ufffd",
        "Line one\nline two",
    )
    assert call("load", data=data)["ok"]


def test_an_imported_name_over_the_short_field_limit_is_left_out_with_a_reason() -> None:
    text = f"Name,Email\n{'N' * 1001},n@example.com\nBo Chen,bo@example.com\n"

    preview = call("import_preview", text=text)

    assert [r["name"] for r in preview["rows"]] == ["Bo Chen"]
    assert (
        "name longer than Followthrough keeps (1,000 characters)"
        in preview["problems"][0]["message"]
    )
