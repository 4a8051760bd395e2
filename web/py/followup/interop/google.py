"""Google Contacts' CSV, in both the current layout ("First Name", "E-mail 1 - Value",
"Labels") and the older one ("Given Name", "Group Membership").
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from .contact import BadFile, Contact, Parsed, Problem
from .table import Table, cell, keep, make_contact, read_table, split_multi


def is_google_header(cells: Sequence[str]) -> bool:
    return "E-mail 1 - Value" in cells or ("Given Name" in cells and "Family Name" in cells)


def read_google(text: str) -> Parsed:
    """Google Contacts' CSV: numbered "E-mail 1 - Value" columns, " ::: " inside cells, labels
    as tags (Google's own "* myContacts" and "* starred" left out)."""
    try:
        table = read_table(text, is_google_header)
    except BadFile as error:
        if error.code != "no-header":
            raise
        raise BadFile(
            "not-google", "This is not a Google Contacts CSV: no “E-mail 1 - Value” column."
        ) from None
    contacts: list[Contact] = []
    problems: list[Problem] = []
    for row, (line, cells) in enumerate(table.rows, 1):
        keep(_google_row(table, row, line, cells), contacts, problems, "Row")
    return Parsed(contacts=tuple(contacts), problems=tuple(problems))


def _google_row(table: Table, row: int, line: int, cells: Sequence[str]) -> Contact:
    def get(*names: str) -> str:
        for name in names:
            if name in table.header:
                value = cell(cells, table.header.index(name)).strip()
                if value:
                    return value
        return ""

    def numbered(kind: str) -> list[str]:
        pattern = re.compile(rf"{kind} \d+ - Value")
        return [
            v
            for i, title in enumerate(table.header)
            if pattern.fullmatch(title)
            for v in split_multi(cell(cells, i), kind == "E-mail")
        ]

    parts = [get("Name Prefix"), get("First Name", "Given Name")]
    parts += [get("Middle Name", "Additional Name"), get("Last Name", "Family Name")]
    parts.append(get("Name Suffix"))
    labels = split_multi(get("Labels", "Group Membership"))
    return make_contact(
        row,
        line,
        name=get("Name") or " ".join(p for p in parts if p) or get("File As", "Nickname"),
        organisation=get("Organization Name", "Organization 1 - Name"),
        role=get("Organization Title", "Organization 1 - Title"),
        emails=numbered("E-mail"),
        phones=numbered("Phone"),
        urls=numbered("Website"),
        tags=[t for t in labels if not t.startswith("* ")],
        notes=get("Notes"),
    )
