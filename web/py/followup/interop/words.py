"""What Import and export says: the kinds of file, the fields a CSV column can hold, what a row
of the preview will do and what a merge adds, in words the screen shows as they are."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

FORMAT_LABELS: Mapping[str, str] = {
    "auto": "Recognise it for me",
    "vcard": "vCard (.vcf) from a phone, Gmail, Outlook or Contacts",
    "linkedin": "LinkedIn Connections.csv",
    "google": "Google Contacts CSV",
    "csv": "Another CSV (choose the columns)",
}
FIELD_LABELS: Mapping[str, str] = {
    "": "Leave out",
    "name": "Full name",
    "first_name": "First name",
    "last_name": "Last name",
    "organisation": "Organisation",
    "role": "Role or title",
    "email": "Email",
    "phone": "Phone",
    "url": "Website or LinkedIn",
    "notes": "Notes",
    "tags": "Tags",
    "how_met": "How we met",
    "introduced_by": "Introduced by",
    "event": "Event",
    "event_date": "Event date",
}
_MATCHED_BY = {
    "uid": "the same card",
    "email": "email",
    "phone": "phone",
    "linkedin": "LinkedIn profile",
    "name": "name only",
    "file": "an earlier row of this file",
}
_ADD_WORDS = {
    "emails": "email",
    "phones": "phone",
    "urls": "web address",
    "tags": "tag",
    "organisation": "organisation",
    "role": "role",
    "how_met": "how you met",
    "cadence_days": "keep-in-touch cadence",
}


def choices(
    labels: Mapping[str, str], values: tuple[str, ...] | None = None
) -> list[dict[str, str]]:
    return [{"value": v, "label": labels[v]} for v in (values or tuple(labels))]


def what(action: str, by: str, person_name: str) -> str:
    """The badge on a preview row: "New", "Left out", "Update Doug White (same email)"."""
    if action == "new":
        return "New"
    if action == "skip":
        return "Left out"
    return f"Update {person_name} (same {_MATCHED_BY.get(by, by)})"


def row_choices(known: bool) -> list[dict[str, str]]:
    """What can be done with a row: a match can be merged, kept separate or left out."""
    if known:
        return [
            {"value": "merge", "label": "Merge"},
            {"value": "new", "label": "Keep separate"},
            {"value": "skip", "label": "Leave out"},
        ]
    return [{"value": "merge", "label": "Import"}, {"value": "skip", "label": "Leave out"}]


def adds_text(adds: Mapping[str, Any]) -> str:
    """ "email a@b.example; organisation “Initech”": what a merge adds, in words ("" if none)."""
    return "; ".join(w for w in (_add(k, v) for k, v in adds.items()) if w)


def _add(field: str, value: Any) -> str:
    word = _ADD_WORDS.get(field, field)
    if isinstance(value, list | tuple):
        return f"{word}{'s' if len(value) > 1 else ''} {', '.join(map(str, value))}"
    if field == "notes":
        return "notes"
    if field == "introduced_by":
        return "who introduced them"
    if field == "event":
        return "the event"
    if (isinstance(value, str) and value) or (
        isinstance(value, int) and not isinstance(value, bool)
    ):
        return f"{word} “{value}”"
    return ""
