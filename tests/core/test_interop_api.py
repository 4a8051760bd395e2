"""The import and export operations as the shell calls them through `followup.api.call`:
preview, then commit with ids the shell minted; matching; no duplicates; bad files change nothing.
"""

from __future__ import annotations

from typing import Any

import pytest

from .builders import NOW
from .interop_helpers import call, corpus_text, fresh_ids, load

NOW_ISO = NOW.isoformat()
TODAY_ISO = "2026-11-23"
ASHOK = {
    "id": "p-ashok", "name": "Ashok Mehta", "emails": ["ashok@northwind.example"],
    "phones": ["+1 (905) 555-1234"], "urls": ["https://www.linkedin.com/in/ashok/"],
    "created_at": "2026-01-01T00:00:00Z",
}  # fmt: skip
LINKEDIN = (
    'Notes:\n"Some emails may be missing."\n\n'
    "First Name,Last Name,URL,Email Address,Company,Position,Connected On\n"
    "Ashok,Mehta,https://linkedin.com/in/ashok,,Northwind,Head of Sales,12 Mar 2024\n"
    "Maria,Lopez,https://linkedin.com/in/maria,maria@contoso.example,Contoso,VP,01 Feb 2023\n"
)


@pytest.fixture(autouse=True)
def _empty_engine() -> None:
    load({})


def _commit(text: str, **fields: Any) -> dict[str, Any]:
    preview = call("import_preview", text=text, **fields)
    assert preview["ok"], preview
    answer = call(
        "import_commit", text=text, ids=fresh_ids(preview["ids_needed"]), now=NOW_ISO, **fields
    )
    assert answer["ok"], answer
    return answer


def _export() -> dict[str, Any]:
    answer: dict[str, Any] = call("export")["data"]
    return answer


def test_a_preview_counts_new_and_matched_people_and_what_a_merge_adds() -> None:
    load({"people": [ASHOK]})

    preview = call("import_preview", text=LINKEDIN)

    assert preview["format"] == "linkedin"
    assert (preview["new"], preview["matched"], preview["ids_needed"]) == (1, 1, 1)
    [merge] = preview["merges"]
    assert (merge["person_id"], merge["by"], merge["line"]) == ("p-ashok", "linkedin", 5)
    assert merge["adds"]["organisation"] == "Northwind"
    assert merge["adds"]["tags"] == ["LinkedIn"]


def test_a_preview_changes_nothing() -> None:
    load({"people": [ASHOK]})
    before = _export()

    call("import_preview", text=LINKEDIN)

    assert _export() == before


def test_commit_writes_new_and_merged_people_and_lists_the_new_ones_for_triage() -> None:
    load({"people": [ASHOK]})

    answer = _commit(LINKEDIN)

    assert sorted(p["name"] for p in answer["put"]["people"]) == ["Ashok Mehta", "Maria Lopez"]
    assert [c["name"] for c in answer["created"]] == ["Maria Lopez"]
    assert answer["updated"] == ["p-ashok"]
    assert answer["delete"] == {}
    people = {p["name"]: p for p in _export()["people"]}
    assert people["Ashok Mehta"]["organisation"] == "Northwind"
    assert people["Maria Lopez"]["emails"] == ["maria@contoso.example"]


def test_reimporting_the_same_file_creates_no_duplicates_and_writes_nothing() -> None:
    _commit(LINKEDIN)
    before = _export()

    preview = call("import_preview", text=LINKEDIN)
    again = _commit(LINKEDIN)

    assert (preview["new"], preview["same"]) == (0, 2)
    assert again["put"] == {}
    assert again["created"] == []
    assert _export() == before


@pytest.mark.parametrize(
    ("line", "by"),
    [
        ("Ashok Mehta,ASHOK@northwind.example,,", "email"),
        ("A. Mehta,,905.555.1234,", "phone"),
        ("Mr Mehta,,,http://linkedin.com/in/Ashok", "linkedin"),
        ("ashok  mehta,,,", "name"),
    ],
)
def test_people_are_matched_by_email_phone_linkedin_url_then_name(line: str, by: str) -> None:
    load({"people": [ASHOK]})

    preview = call("import_preview", text=f"Name,Email,Phone,Profile URL\n{line}\n")

    [row] = preview["rows"]
    assert (row["person_id"], row["by"]) == ("p-ashok", by)


def test_the_user_can_keep_a_name_match_separate_or_skip_a_row() -> None:
    load({"people": [ASHOK]})
    text = "Name\nAshok Mehta\nBo Chen\n"

    answer = _commit(text, decisions={"1": "new", "2": "skip"})

    assert [c["name"] for c in answer["created"]] == ["Ashok Mehta"]
    assert len(_export()["people"]) == 2


def test_a_generic_csv_without_a_name_column_asks_for_a_mapping_then_imports_with_it() -> None:
    text = "Mail,Org\nann@example.com,Acme\n"

    preview = call("import_preview", text=text)
    refused = call("import_commit", text=text, ids=fresh_ids(2), now=NOW_ISO)
    mapped = _commit(text, format="csv", mapping=["email", "name"])

    assert preview["needs_mapping"]
    assert preview["columns"][0]["samples"] == ["ann@example.com"]
    assert (refused["ok"], refused["error"]) == (False, "no-name-column")
    assert [p["name"] for p in mapped["put"]["people"]] == ["Acme"]


def test_the_whole_corpus_imports_in_one_file_and_reimports_without_duplicates() -> None:
    from .interop_helpers import CORPUS

    text = "".join(corpus_text(p.name) for p in sorted(CORPUS.glob("*.vcf")))

    first = _commit(text)
    second = call("import_preview", text=text)

    assert first["counts"]["people_created"] == len(_export()["people"]) >= 12
    assert second["new"] == 0


@pytest.mark.parametrize(
    ("fields", "code", "words"),
    [
        ({"text": "BEGIN:VCARD\nFN:Ann\n"}, "truncated", "line 1"),
        (
            {"text": "hello world\nthis is a letter\n"},
            "unknown-format",
            "neither a vCard nor a CSV",
        ),
        ({"text": 'Name,Email\nAnn,"cut'}, "truncated", "line 2"),
        ({"text": '{"format": "followthrough-backup"}'}, "is-json", "Restore"),
        ({"text": "x" * 20_000_001}, "too-large", "20 million"),
        ({"text": "FN\x00Ann"}, "bad-encoding", "UTF-16"),
        ({"text": "  \n"}, "empty", "empty"),
        ({"text": "Name\nAnn\n", "format": "linkedin"}, "not-linkedin", "Connections.csv"),
        ({"text": "Name\nAnn\n", "format": "vcard"}, "not-a-vcard", "line 1"),
        ({"text": "Name\nAnn\n", "format": "pdf"}, "unknown-value", "pdf"),
    ],
)
def test_a_bad_file_is_refused_with_its_reason_and_nothing_changes(
    fields: dict[str, Any], code: str, words: str
) -> None:
    load({"people": [ASHOK]})
    before = _export()

    preview = call("import_preview", **fields)
    commit = call("import_commit", ids=fresh_ids(3), now=NOW_ISO, **fields)

    for answer in (preview, commit):
        assert (answer["ok"], answer["error"]) == (False, code), answer
        assert words in answer["message"]
    assert _export() == before


def test_a_commit_with_too_few_ids_is_refused_and_changes_nothing() -> None:
    before = _export()

    answer = call("import_commit", text=LINKEDIN, ids=["only-one"], now=NOW_ISO)

    assert (answer["ok"], answer["error"]) == (False, "missing-ids")
    assert _export() == before


def test_an_introduced_by_in_our_vcard_links_to_a_known_person_on_import() -> None:
    load(
        {
            "people": [
                ASHOK,
                {**ASHOK, "id": "p-maria", "name": "Maria", "emails": [], "phones": [], "urls": []},
            ],
            "introductions": [
                {"id": "i1", "introducer_id": "p-ashok", "introduced_id": "p-maria", "at": NOW_ISO}
            ],
        }
    )
    vcf = call("export_vcard", ids=["p-maria"])["text"]
    load({"people": [ASHOK]})

    answer = _commit(vcf)

    [intro] = answer["put"]["introductions"]
    assert intro["introducer_id"] == "p-ashok"
    assert intro["introduced_id"] == answer["created"][0]["id"]


def test_json_export_restore_preview_and_replace_round_trip_through_the_api() -> None:
    load({"people": [ASHOK]})
    _commit(LINKEDIN)
    saved = _export()
    backup = call("export_json", now=NOW_ISO, today=TODAY_ISO)
    load({"people": [{**ASHOK, "id": "p-other", "name": "Someone Else"}]})

    preview = call("restore_preview", text=backup["text"])
    restored = call("restore", text=backup["text"], mode="replace")

    assert backup["filename"] == "followthrough-backup-2026-11-23.json"
    assert preview["replace"] == {"add": 2, "change": 0, "remove": 1}
    assert restored["delete"] == {"people": ["p-other"]}
    assert _export() == saved


def test_a_damaged_backup_is_refused_and_nothing_changes() -> None:
    load({"people": [ASHOK]})
    backup = call("export_json", now=NOW_ISO)["text"]
    before = _export()

    for text in (backup[: len(backup) // 2], '{"hello": "world"}'):
        answer = call("restore", text=text, mode="replace")
        assert answer["ok"] is False
        assert answer["message"]
    assert _export() == before


def test_exports_name_their_files_and_types() -> None:
    load({"people": [ASHOK]})

    vcard = call("export_vcard", today=TODAY_ISO)
    sheet = call("export_csv")
    calendar = call("export_ics", now=NOW_ISO, today=TODAY_ISO)
    unknown = call("export_vcard", ids=["nobody"])

    assert (vcard["filename"], vcard["mime"], vcard["count"]) == (
        "followthrough-contacts-2026-11-23.vcf",
        "text/vcard",
        1,
    )
    assert (sheet["filename"], sheet["mime"]) == ("followthrough-people.csv", "text/csv")
    assert calendar["text"].startswith("BEGIN:VCALENDAR")
    assert calendar["count"] == 0
    assert (unknown["ok"], unknown["error"], unknown["field"]) == (
        False,
        "unknown-person",
        "ids[0]",
    )


def test_add_to_calendar_exports_one_follow_up_by_its_key() -> None:
    load(
        {
            "people": [
                ASHOK,
                {**ASHOK, "id": "p-maria", "name": "Maria", "emails": [], "phones": [], "urls": []},
            ],
            "introductions": [
                {"id": "i1", "introducer_id": "p-ashok", "introduced_id": "p-maria", "at": NOW_ISO}
            ],
        }
    )
    [followup] = call("today", now=NOW_ISO, today=TODAY_ISO)["followups"]

    one = call("export_ics", keys=[followup["key"]], now=NOW_ISO, today=TODAY_ISO)
    missing = call("export_ics", keys=["reach-out:nope"], now=NOW_ISO, today=TODAY_ISO)

    assert one["count"] == 1
    assert one["filename"] == "followthrough-follow-up-2026-11-23.ics"
    assert "SUMMARY:Reach out to Maria" in one["text"]
    assert (missing["ok"], missing["error"]) == (False, "unknown-followup")
