"""Paste a reply (issue 18): op `classify_reply` reads a pasted message, and command
`record_reply` records what the user confirmed (docs/engine-api.md, "History and replies")."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import datetime
from typing import Any

from .classify_reply import LABELS, classify_reply
from .errors import ValidationError
from .fields import Fields
from .state import State

Answer = tuple[State, dict[str, Any]]

# What each answer is called on the sheet, and what confirming it records: a reply received
# with its state (the stop rules read it), a message from them that asks (the reply rule reads
# it), or nothing for an automatic reply.
CHOICES: Mapping[str, tuple[str, dict[str, Any] | None]] = {
    "yes": ("Yes", {"kind": "reply", "reply": "yes"}),
    "no": ("No", {"kind": "reply", "reply": "no"}),
    "later": ("Later", {"kind": "reply", "reply": "later"}),
    "question": ("A question for you", {"kind": "message_received", "asks": True}),
    "out_of_office": ("Out of office", None),
}
OUT_OF_OFFICE_NOTE = (
    "An automatic reply: nothing is recorded, and your follow-ups stay as they are. "
    "Write again once they are back."
)
# The most a pasted message is read over: a reply with a long thread below is cut here.
TEXT_LIMIT = 100_000


def choices() -> list[dict[str, str]]:
    return [{"value": label, "label": CHOICES[label][0]} for label in LABELS]


def _classify(state: State, f: Fields) -> Answer:
    text = f.blob("text")[:TEXT_LIMIT]
    found = classify_reply(text)
    note = OUT_OF_OFFICE_NOTE if found["label"] == "out_of_office" else ""
    return state, {**found, "note": note, "choices": choices()}


def record_payload(payload: Mapping[str, Any], now: datetime) -> dict[str, Any]:
    """The `log_interaction` payload that records a confirmed reply."""
    f = Fields(payload, "", ("id", "person_id", "label", "at", "opportunity_id"))
    label = f.value("label") if f.has("label") else None
    if label not in CHOICES:
        raise ValidationError(
            "unknown-value", f"'{label}' is not one of: {', '.join(LABELS)}.", "label"
        )
    recorded = CHOICES[str(label)][1]
    if recorded is None:
        raise ValidationError("nothing-to-record", OUT_OF_OFFICE_NOTE, "label")
    raw: dict[str, Any] = {
        "id": f.ident("id"),
        "person_ids": [f.ident("person_id")],
        "at": f.value("at") if f.has("at") else now,
        **recorded,
    }
    if f.has("opportunity_id") and f.value("opportunity_id") is not None:
        raw["opportunity_id"] = f.value("opportunity_id")
    return raw


REPLY_OPS: Mapping[str, tuple[tuple[str, ...], Callable[[State, Fields], Answer]]] = {
    "classify_reply": (("text",), _classify),
}
