"""Shared by the interop tests: the real-client corpus, the api as the shell calls it, importing
a file all the way (preview ids, commit) into a state, and a strict RFC 6350 reader that does
not share code with the engine's (an independent check of what we write)."""

from __future__ import annotations

import json
import re
from itertools import count
from pathlib import Path
from typing import Any

from followup import api
from followup.interop.match import materialize, plan_import
from followup.interop.vcard import read_vcards
from followup.state import State, apply

from .builders import NOW

CORPUS = Path(__file__).resolve().parents[2].parent / "shared" / "corpus" / "vcard"
_ids = count(1)


def corpus_text(name: str) -> str:
    # newline="" keeps CR CR LF (iPhone) as the file has it, as TextDecoder does in the browser.
    return (CORPUS / name).read_bytes().decode("utf-8")


def call(op: str, **fields: Any) -> dict[str, Any]:
    answer: dict[str, Any] = json.loads(api.call(json.dumps({"op": op, **fields})))
    return answer


def load(state_data: dict[str, Any]) -> None:
    assert call("load", data=state_data)["ok"]


def fresh_ids(n: int) -> list[str]:
    return [f"new-{next(_ids)}" for _ in range(n)]


def import_vcards(state: State, text: str) -> State:
    """Read, plan and apply a vCard file the way import_commit does."""
    parsed = read_vcards(text)
    plan = plan_import(state, parsed.contacts, {}, NOW)
    return apply(state, materialize(plan, fresh_ids(plan.ids_needed)))


_NAME = r"[A-Za-z0-9-]+"
_PARAM_VALUE = r'(?:"[^"\x00-\x1f]*"|[^";:,\x00-\x1f]*)'
_CONTENT_LINE = re.compile(
    rf"^(?:{_NAME}\.)?(?P<name>{_NAME})"
    rf"(?P<params>(?:;{_NAME}={_PARAM_VALUE}(?:,{_PARAM_VALUE})*)*)"
    r":(?P<value>[^\x00-\x08\x0a-\x1f\x7f]*)$"
)


def strict_vcards(data: bytes) -> list[dict[str, list[str]]]:
    """Cards as {NAME: [raw values]}, refusing anything RFC 6350 forbids that we could write:
    a bare LF, a physical line over 75 octets, a fold inside a UTF-8 character, a content line
    that does not match the grammar, VERSION not right after BEGIN, a card without FN."""
    assert data.endswith(b"\r\n")
    physical = data[:-2].split(b"\r\n")
    for line in physical:
        assert b"\n" not in line
        assert b"\r" not in line
        assert len(line) <= 75, line
        line.decode("utf-8")  # raises if a fold split a character
    logical: list[str] = []
    for line in physical:
        text = line.decode("utf-8")
        if text[:1] in (" ", "\t"):
            logical[-1] += text[1:]
        else:
            logical.append(text)
    cards: list[dict[str, list[str]]] = []
    card: dict[str, list[str]] | None = None
    previous = ""
    for text in logical:
        found = _CONTENT_LINE.match(text)
        assert found, text
        name, value = found["name"].upper(), found["value"]
        if name == "BEGIN":
            assert card is None
            assert value.upper() == "VCARD"
            card = {}
        elif name == "END":
            assert card is not None
            assert value.upper() == "VCARD"
            assert len(card.get("FN", [])) >= 1
            cards.append(card)
            card = None
        else:
            assert card is not None
            if name == "VERSION":
                assert previous == "BEGIN"
                assert value == "4.0"
            card.setdefault(name, []).append(value)
        previous = name
    assert card is None
    return cards
