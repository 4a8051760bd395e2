"""A strict reader for one JSON object at a time, with errors that name the offending field
(`people[3].emails[0]`), and the ISO 8601 time formats of the contract.

Load decodes tens of thousands of records, so the happy path does no string formatting: field
paths are only spelled out when something is wrong.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from datetime import UTC, date, datetime
from enum import StrEnum
from typing import Any, TypeVar

from .bounds import (
    LINE_MAX,
    MAX_TIME,
    MIN_TIME,
    TEXT_MAX,
    check_day,
    check_id,
    check_key,
    check_time,
    clean_text,
    time_out_of_range,
)
from .errors import CodecError

E = TypeVar("E", bound=StrEnum)
T = TypeVar("T")
REQUIRED: Any = object()
_ABSENT: Any = object()


def parse_instant(value: object, field: str) -> datetime:
    """An ISO 8601 time with an offset (or `Z`), normalised to UTC, within bounds.py's range."""
    if isinstance(value, datetime):
        parsed = value
    elif isinstance(value, str):
        try:
            parsed = datetime.fromisoformat(value)
        except ValueError:
            raise CodecError("bad-time", f"'{value}' is not a time we understand.", field) from None
    else:
        raise CodecError("wrong-type", "This should be a time like 2026-11-23T09:30:00Z.", field)
    if parsed.tzinfo is None:
        raise CodecError("naive-time", "This time needs an offset such as Z or +01:00.", field)
    if parsed.tzinfo is not UTC:
        try:
            parsed = parsed.astimezone(UTC)
        except OverflowError:  # 9999-12-31T23:00-05:00 is in the year 10000
            raise time_out_of_range(field) from None
    return check_time(parsed, field)


def parse_day(value: object, field: str) -> date:
    if not isinstance(value, str):
        raise CodecError("wrong-type", "This should be a date like 2026-11-23.", field)
    try:
        parsed = date.fromisoformat(value)
    except ValueError:
        raise CodecError("bad-date", f"'{value}' is not a date like 2026-11-23.", field) from None
    return check_day(parsed, field)


def iso(value: datetime | None) -> Any:
    """A UTC time as ISO 8601 with `+00:00` (None stays None, for optional references)."""
    return None if value is None else value.astimezone(UTC).isoformat()


class Fields:
    """Reads one JSON object field by field. Fields starting with `_` belong to the shell and
    are ignored; any other field not in `allowed` is an error."""

    __slots__ = ("raw", "where")

    def __init__(self, raw: object, where: str, allowed: Iterable[str]) -> None:
        if not isinstance(raw, Mapping):
            raise CodecError("wrong-type", "This should be an object.", where or None)
        extra = raw.keys() - (allowed if isinstance(allowed, frozenset) else frozenset(allowed))
        for key in extra:
            if not isinstance(key, str) or not key.startswith("_"):
                raise CodecError(
                    "unknown-field", f"'{key}' is not a field we know.", _at(where, key)
                )
        self.raw: Mapping[str, Any] = raw
        self.where = where

    def field(self, key: str) -> str:
        return _at(self.where, key)

    def has(self, key: str) -> bool:
        return key in self.raw

    def value(self, key: str) -> Any:
        """A required field's raw value."""
        return self._get(key, REQUIRED)

    def _get(self, key: str, default: Any) -> Any:
        value = self.raw.get(key, _ABSENT)
        if value is not _ABSENT:
            return value
        if default is REQUIRED:
            raise CodecError("missing-field", f"'{key}' is required.", self.field(key))
        return default

    def _str(self, key: str, default: Any) -> str:
        value = self._get(key, default)
        if not isinstance(value, str):
            raise CodecError("wrong-type", "This should be text.", self.field(key))
        return value

    def text(self, key: str, default: Any = "", limit: int = TEXT_MAX) -> str:
        """Text of at most `limit` characters, in NFC (bounds.clean_text)."""
        return clean_text(self._str(key, default), self.field(key), limit)

    def blob(self, key: str, default: Any = "") -> str:
        """Text taken as it is: a file's contents, which the reader that parses them checks."""
        return self._str(key, default)

    def line(self, key: str, default: Any = "") -> str:
        """A short text: a name, an organisation, a place."""
        return self.text(key, default, LINE_MAX)

    def flag(self, key: str, default: bool = False) -> bool:
        """True or false (absent: `default`)."""
        value = self._get(key, default)
        if not isinstance(value, bool):
            raise CodecError("wrong-type", "This should be true or false.", self.field(key))
        return value

    def ident(self, key: str) -> str:
        """A record's id (bounds.check_id)."""
        value = self._str(key, REQUIRED)
        if not value:
            raise CodecError("missing-field", "This cannot be empty.", self.field(key))
        return check_id(value, self.field(key))

    def key(self, key: str) -> str:
        """A follow-up key, `rule:id[:id]` (bounds.check_key)."""
        value = self._str(key, REQUIRED)
        if not value:
            raise CodecError("missing-field", "This cannot be empty.", self.field(key))
        return check_key(value, self.field(key))

    def ref(self, key: str) -> str | None:
        """Another record's id, or None."""
        value = self._get(key, None)
        if value is None:
            return None
        if not isinstance(value, str) or not value:
            raise CodecError("wrong-type", "This should be an id or null.", self.field(key))
        return check_id(value, self.field(key))

    def ref_key(self, key: str) -> str | None:
        """A follow-up key, or None."""
        return None if self._get(key, None) is None else self.key(key)

    def _strs(self, key: str) -> list[str]:
        values = self._get(key, ())
        if not values and isinstance(values, list | tuple):
            return []
        if not isinstance(values, list):
            raise CodecError("wrong-type", "This should be a list of text.", self.field(key))
        for i, value in enumerate(values):
            if not isinstance(value, str):
                raise CodecError("wrong-type", "This should be text.", f"{self.field(key)}[{i}]")
        return values

    def texts(self, key: str, limit: int = LINE_MAX) -> tuple[str, ...]:
        """A list of short texts (emails, tags), each as `text` reads it."""
        values = self._strs(key)
        if not values:
            return ()
        where = self.field(key)
        return tuple(clean_text(v, f"{where}[{i}]", limit) for i, v in enumerate(values))

    def ids(self, key: str) -> tuple[str, ...]:
        values = self._strs(key)
        for i, value in enumerate(values):
            if not value:
                raise CodecError(
                    "missing-field", "An id cannot be empty.", f"{self.field(key)}[{i}]"
                )
            check_id(value, f"{self.field(key)}[{i}]")
        return tuple(values)

    def key_list(self, key: str) -> tuple[str, ...]:
        values = self._strs(key)
        for i, value in enumerate(values):
            if not value:
                raise CodecError(
                    "missing-field", "A key cannot be empty.", f"{self.field(key)}[{i}]"
                )
            check_key(value, f"{self.field(key)}[{i}]")
        return tuple(values)

    def instant(self, key: str, default: Any = REQUIRED) -> datetime:
        value = self._get(key, default)
        if type(value) is str:
            try:
                parsed = datetime.fromisoformat(value)
            except ValueError:
                return parse_instant(value, self.field(key))
            if parsed.tzinfo is UTC and MIN_TIME <= parsed <= MAX_TIME:
                return parsed
        return parse_instant(value, self.field(key))

    def maybe_instant(self, key: str) -> datetime | None:
        value = self._get(key, None)
        return None if value is None else self.instant(key)

    def day(self, key: str) -> date:
        return parse_day(self._get(key, REQUIRED), self.field(key))

    def choice(self, key: str, kind: type[E], default: Any = REQUIRED) -> E:
        value = self._get(key, default)
        # The value-to-member map is a plain dict lookup; calling `kind(value)` runs Python code.
        member = kind._value2member_map_.get(value) if isinstance(value, str) else None
        if member is not None:
            return member  # type: ignore[return-value]
        allowed = ", ".join(m.value for m in kind)
        raise CodecError("unknown-value", f"'{value}' is not one of: {allowed}.", self.field(key))

    def integer(self, key: str, low: int, high: int) -> int | None:
        value = self._get(key, None)
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, int):
            raise CodecError("wrong-type", "This should be a whole number.", self.field(key))
        if not low <= value <= high:
            raise CodecError(
                "out-of-range", f"This should be between {low} and {high}.", self.field(key)
            )
        return value

    def objects(self, key: str, read: Callable[[object, str], T]) -> tuple[T, ...]:
        values = self._get(key, ())
        if not values and isinstance(values, list | tuple):
            return ()
        if not isinstance(values, list):
            raise CodecError("wrong-type", "This should be a list.", self.field(key))
        where = self.field(key)
        return tuple(read(v, f"{where}[{i}]") for i, v in enumerate(values))


def _at(where: str, key: object) -> str:
    return f"{where}.{key}" if where else str(key)
