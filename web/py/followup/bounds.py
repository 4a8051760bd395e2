"""What the engine accepts in any field, wherever a record comes from (a command, a load, a
sync, a restore): the dates it can compute with, and the characters and lengths of ids and text.

Every reader checks through here (fields.py, quick.py, settings.py), so what a command refuses
a load refuses too, and the engine never holds a value it cannot compute with or answer in
UTF-8. docs/engine-api.md ("Limits") states the same rules.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime
from unicodedata import normalize

from .errors import CodecError

# Rules look a few years ahead and back (an expiry, a cadence, a lookback), far inside these
# bounds; Python's own dates end at years 1 and 9999, where `+ timedelta` overflows.
MIN_DAY = date(1900, 1, 1)
MAX_DAY = date(9000, 12, 31)
MIN_TIME = datetime(1900, 1, 1, tzinfo=UTC)
MAX_TIME = datetime(9000, 12, 31, 23, 59, 59, 999_999, tzinfo=UTC)

ID_MAX = 200  # crypto.randomUUID() is 36
KEY_MAX = 500  # a rule and two ids
LINE_MAX = 1_000  # names, organisations, roles, places, emails, phones, tags
URL_MAX = 2_048
TEXT_MAX = 100_000  # notes and the like: the import's cap on a field (interop/contact.py)

# No text may hold C0 or C1 control characters (tab, line feed and carriage return aside) or
# half of a surrogate pair, which cannot be written as UTF-8.
_BAD_TEXT = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff]")
_BAD_TEXT_DESCRIBED = "a control character or a broken (half) character"


def check_day(value: date, field: str | None) -> date:
    if MIN_DAY <= value <= MAX_DAY:
        return value
    raise CodecError("out-of-range", f"This date should be between {MIN_DAY} and {MAX_DAY}.", field)


def check_time(value: datetime, field: str | None) -> datetime:
    """`value` (aware) if it lies between MIN_TIME and MAX_TIME."""
    if MIN_TIME <= value <= MAX_TIME:
        return value
    raise time_out_of_range(field)


def time_out_of_range(field: str | None) -> CodecError:
    return CodecError(
        "out-of-range", f"This time should be between {MIN_DAY} and {MAX_DAY}.", field
    )


def is_plain_id(value: str) -> bool:
    """An id is a token: printable, no spaces, no `:` (follow-up keys join ids with it)."""
    return len(value) <= ID_MAX and value.isprintable() and ":" not in value and " " not in value


def check_id(value: str, field: str | None) -> str:
    if is_plain_id(value):
        return value
    if len(value) > ID_MAX:
        raise CodecError("too-long", f"An id has at most {ID_MAX} characters.", field)
    raise CodecError("bad-id", "An id cannot hold ':', spaces or control characters.", field)


def check_key(value: str, field: str | None) -> str:
    """A follow-up key (`rule:id[:id]`): an id's characters, with `:` between the parts."""
    if len(value) <= KEY_MAX and value.isprintable() and " " not in value:
        return value
    if len(value) > KEY_MAX:
        raise CodecError("too-long", f"A key has at most {KEY_MAX} characters.", field)
    raise CodecError("bad-id", "A key cannot hold spaces or control characters.", field)


# True while reading a record an older version of the app stored (codec.read_stored): text
# longer than its limit is read as it is, since that app took it and reading it loses nothing.
# Commands still apply the limits when they write.
_LENGTHS_WAIVED = [False]


def waive_lengths(waived: bool) -> None:
    _LENGTHS_WAIVED[0] = waived


def clean_text(value: str, field: str | None, limit: int = TEXT_MAX) -> str:
    """`value` in Unicode NFC (so "é" typed two ways is one name), if it is at most `limit`
    characters and free of control characters and broken characters."""
    if len(value) > limit and not _LENGTHS_WAIVED[0]:
        raise CodecError(
            "too-long", f"This is {len(value):,} characters; the most is {limit:,}.", field
        )
    if not value.isprintable() and _BAD_TEXT.search(value):
        raise CodecError("bad-text", f"This holds {_BAD_TEXT_DESCRIBED}.", field)
    return value if value.isascii() else normalize("NFC", value)


def scrub_text(value: str) -> str:
    """`value` made acceptable rather than refused, for text read from a file: controls left
    out, broken characters shown as U+FFFD, NFC."""
    if not value.isprintable():
        value = _BAD_TEXT.sub(_scrubbed, value)
    return value if value.isascii() else normalize("NFC", value)


def _scrubbed(found: re.Match[str]) -> str:
    return "\ufffd" if "\ud800" <= found[0] <= "\udfff" else ""
