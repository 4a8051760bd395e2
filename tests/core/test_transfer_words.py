"""What Import says in words (interop/words.py): the kinds of file, the fields a column can
hold, and what each preview row will do and add."""

from __future__ import annotations

from .interop_helpers import call, load

ASHOK = {
    "id": "p-ashok", "name": "Ashok Mehta", "emails": ["ashok@northwind.example"],
    "created_at": "2026-01-01T00:00:00Z",
}  # fmt: skip
LINKEDIN = (
    "First Name,Last Name,URL,Email Address,Company,Position,Connected On\n"
    "Ashok,Mehta,,ashok@northwind.example,Northwind,Head of Sales,12 Mar 2024\n"
    "Maria,Lopez,,maria@contoso.example,Contoso,VP,01 Feb 2023\n"
)


def test_the_kinds_of_file_start_with_recognise_it_for_me() -> None:
    formats = call("import_formats")["formats"]

    assert formats[0] == {"value": "auto", "label": "Recognise it for me"}
    assert [f["value"] for f in formats] == ["auto", "vcard", "linkedin", "google", "csv"]


def test_a_match_says_whom_it_updates_by_what_and_what_it_adds() -> None:
    load({"people": [ASHOK]})

    rows = {r["name"]: r for r in call("import_preview", text=LINKEDIN)["rows"]}

    ashok, maria = rows["Ashok Mehta"], rows["Maria Lopez"]
    assert ashok["what"] == "Update Ashok Mehta (same email)"
    assert (
        ashok["adds_text"] == "tag LinkedIn; organisation “Northwind”; role “Head of Sales”; notes"
    )
    assert [c["label"] for c in ashok["choices"]] == ["Merge", "Keep separate", "Leave out"]
    assert (maria["what"], maria["adds_text"]) == ("New", "")
    assert [c["value"] for c in maria["choices"]] == ["merge", "skip"]
    assert maria["decision"] == "merge"


def test_a_csv_s_columns_come_with_the_words_for_each_field() -> None:
    load({})

    answer = call("import_preview", text="Who,Mail\nAnn,ann@example.com\n", format="csv")

    labels = {f["value"]: f["label"] for f in answer["field_labels"]}
    assert labels[""] == "Leave out"
    assert labels["first_name"] == "First name"
    assert [f["value"] for f in answer["field_labels"]] == ["", *answer["fields"]]
