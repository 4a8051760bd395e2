"""The gratitude round's record: who was in a landing's round and why, as it opened.

It lives in the `meta` store as `gratitude-round:<opportunity id>`. The engine writes it when an
opportunity moves to "accepted"; earlier versions of the app had the page write the same shape,
so those snapshots, already on users' devices, read back as they are. A snapshot that does not
decode is skipped: it is a convenience record, and the round can be worked out without it.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from .errors import CodecError
from .fields import iso, parse_instant
from .model import OpportunityId, PersonId, RoundRecord

ROUND_PREFIX = "gratitude-round:"


def is_round_id(record_id: object) -> bool:
    return isinstance(record_id, str) and record_id.startswith(ROUND_PREFIX)


def decode_rounds(raw: object) -> list[RoundRecord]:
    """The round records among the `meta` records (others are skipped, and so are broken ones)."""
    if not isinstance(raw, list):
        return []
    return [r for r in (_decode(x) for x in raw) if r is not None]


def _decode(raw: object) -> RoundRecord | None:
    if not isinstance(raw, Mapping) or not is_round_id(raw.get("id")):
        return None
    try:
        opp = raw.get("opportunity_id") or str(raw["id"])[len(ROUND_PREFIX) :]
        roles = raw.get("roles") or {}
        record = RoundRecord(
            opportunity_id=OpportunityId(_text(opp)),
            at=parse_instant(raw.get("at"), "at"),
            person_ids=tuple(PersonId(_text(p)) for p in _list(raw.get("person_ids"))),
            most_doors=PersonId(_text(raw["most_doors"])) if raw.get("most_doors") else None,
            courtesy_notes=tuple(OpportunityId(_text(o)) for o in _list(raw.get("courtesy_notes"))),
            roles=tuple(
                (PersonId(_text(p)), tuple(_text(r) for r in _list(found)))
                for p, found in sorted(dict(roles).items())
            ),
        )
    except (CodecError, KeyError, TypeError, ValueError):
        return None
    return record if record.opportunity_id else None


def _text(value: object) -> str:
    if not isinstance(value, str):
        raise TypeError("not text")
    return value


def _list(value: object) -> list[Any]:
    if value is None:
        return []
    if not isinstance(value, list):
        raise TypeError("not a list")
    return value


def encode_round(record: RoundRecord) -> dict[str, Any]:
    return {
        "id": f"{ROUND_PREFIX}{record.opportunity_id}",
        "opportunity_id": record.opportunity_id,
        "at": iso(record.at),
        "person_ids": list(record.person_ids),
        "most_doors": record.most_doors,
        "courtesy_notes": list(record.courtesy_notes),
        "roles": {p: list(found) for p, found in record.roles},
    }


def encode_rounds(rounds: Mapping[OpportunityId, RoundRecord]) -> Iterator[dict[str, Any]]:
    for key in sorted(rounds):
        yield encode_round(rounds[key])
