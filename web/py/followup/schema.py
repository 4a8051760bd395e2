"""Every stored record's fields and the kind of value each holds (docs/engine-api.md).

codec.py takes its field lists from here; the kinds say which rules of bounds.py a field follows,
and tests/core/test_bounds.py tries every field of every record and command with the values
those rules refuse, so a field added here is tested at once.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TypeAlias

ID = "id"  # this record's id
REF = "ref"  # another record's id, or null
IDS = "ids"  # a list of ids
KEY = "key"  # a follow-up key, `rule:id[:id]`
REF_KEY = "ref-key"  # a follow-up key, or null
LINE = "line"  # a short text (bounds.LINE_MAX)
LINES = "lines"  # a list of short texts
URLS = "urls"  # a list of web addresses (bounds.URL_MAX)
TEXT = "text"  # a long text (bounds.TEXT_MAX)
TIME = "time"  # an ISO 8601 time with an offset
MAYBE_TIME = "maybe-time"  # a time, or null
DAY = "day"  # an ISO 8601 date
CHOICE = "choice"  # one of a fixed set of words
MAYBE_CHOICE = "maybe-choice"  # one of a fixed set of words, or null
NUMBER = "number"  # a whole number in a range, or null
FLAG = "flag"  # true or false

# A field's kind, or the schema of the objects in its list.
Schema: TypeAlias = Mapping[str, "str | Schema"]

ADVICE: Schema = {"text": TEXT, "kind": CHOICE, "done_at": MAYBE_TIME}
PROMISE: Schema = {"text": TEXT, "due": DAY, "done_at": MAYBE_TIME}
OPPORTUNITY_PERSON: Schema = {"person_id": ID, "role": CHOICE}

PERSON: Schema = {
    "id": ID, "name": LINE, "given_name": LINE, "call_them": LINE, "organisation": LINE,
    "role": LINE, "emails": LINES,
    "phones": LINES, "urls": URLS, "tags": LINES, "notes": TEXT, "how_met": TEXT,
    "event_id": REF, "cadence_days": NUMBER, "created_at": TIME, "updated_at": TIME,
}  # fmt: skip
EVENT: Schema = {"id": ID, "name": LINE, "date": DAY, "place": LINE, "created_at": TIME}
INTRODUCTION: Schema = {
    "id": ID, "introducer_id": ID, "introduced_id": ID, "at": TIME, "kind": CHOICE,
    "context": TEXT, "status": CHOICE, "status_at": MAYBE_TIME, "outcome": TEXT,
    "created_at": TIME,
}  # fmt: skip
INTERACTION: Schema = {
    "id": ID, "person_ids": IDS, "kind": CHOICE, "at": TIME, "notes": TEXT, "advice": ADVICE,
    "promises": PROMISE, "opportunity_id": REF, "followup_key": REF_KEY, "reply": MAYBE_CHOICE,
    "subject": LINE, "thread": LINE, "source_id": LINE, "asks": FLAG, "first_line": LINE,
    "created_at": TIME,
}  # fmt: skip
OPPORTUNITY: Schema = {
    "id": ID, "organisation": LINE, "role": LINE, "stage": CHOICE, "stage_at": TIME,
    "people": OPPORTUNITY_PERSON, "introduction_id": REF, "notes": TEXT, "created_at": TIME,
}  # fmt: skip
DECISION: Schema = {"key": KEY, "status": CHOICE, "until": MAYBE_TIME, "reason": TEXT, "at": TIME}
PROFILE: Schema = {
    "id": CHOICE,
    "name": LINE,
    "email": LINE,
    "phone": LINE,
    "role": LINE,
    "organisation": LINE,
    "url": LINE,
}

SCHEMA: Mapping[str, Schema] = {
    "people": PERSON,
    "events": EVENT,
    "introductions": INTRODUCTION,
    "interactions": INTERACTION,
    "opportunities": OPPORTUNITY,
    "decisions": DECISION,
}
