"""LinkedIn's Connections.csv: an optional byte-order mark, "Notes:" lines before the header,
dates like "12 Mar 2024", empty emails, and older exports without the URL column.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import date

from .contact import BadFile, Contact, Parsed, Problem
from .table import cell, keep, make_contact, read_table, split_multi

_MONTHS = {
    m: i
    for i, m in enumerate(
        ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"), 1
    )
}


def is_linkedin_header(cells: Sequence[str]) -> bool:
    return "First Name" in cells and "Last Name" in cells and "Connected On" in cells


def connected_on(text: str) -> date | None:
    """LinkedIn writes "12 Mar 2024" (older exports "03/12/24" or ISO)."""
    text = text.strip()
    found = re.fullmatch(r"(\d{1,2})[ -]([A-Za-z]{3})[a-z]*[ -](\d{4})", text)
    try:
        if found and found[2].lower() in _MONTHS:
            return date(int(found[3]), _MONTHS[found[2].lower()], int(found[1]))
        found = re.fullmatch(r"(\d{1,2})/(\d{1,2})/(\d{2}|\d{4})", text)
        if found:
            year = int(found[3]) + (2000 if len(found[3]) == 2 else 0)
            return date(year, int(found[1]), int(found[2]))
        return date.fromisoformat(text)
    except ValueError:
        return None


def read_linkedin(text: str) -> Parsed:
    """Connections.csv: optional BOM, "Notes:" lines before the header, maybe no URL column."""
    try:
        table = read_table(text, is_linkedin_header)
    except BadFile as error:
        if error.code != "no-header":
            raise
        raise BadFile(
            "not-linkedin",
            "This is not LinkedIn's Connections.csv: no row reads "
            "“First Name,Last Name,…,Connected On”.",
        ) from None
    col = {name: i for i, name in enumerate(table.header)}
    contacts: list[Contact] = []
    problems: list[Problem] = []
    for row, (line, cells) in enumerate(table.rows, 1):
        since = cell(cells, col.get("Connected On")).strip()
        day = connected_on(since)
        note = ""
        if since:
            note = f"Connected on LinkedIn on {day.isoformat() if day else since}."
        contact = make_contact(
            row,
            line,
            first=cell(cells, col.get("First Name")),
            last=cell(cells, col.get("Last Name")),
            organisation=cell(cells, col.get("Company")),
            role=cell(cells, col.get("Position")),
            emails=split_multi(cell(cells, col.get("Email Address")), True),
            urls=[u for u in [cell(cells, col.get("URL")).strip()] if u],
            tags=["LinkedIn"],
            notes=note,
        )
        keep(contact, contacts, problems, "Row")
    return Parsed(contacts=tuple(contacts), problems=tuple(problems))
