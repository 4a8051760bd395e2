"""The engine's exceptions: each carries a kebab-case code, a sentence for the user, and the field.

Inside the core we raise these; `api.py` turns them into `{"ok": false, "error": ...}`.
"""

from __future__ import annotations


class EngineError(Exception):
    """Something the user or the shell can fix; `code` is stable, `message` is for people."""

    def __init__(self, code: str, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.field = field


class CodecError(EngineError):
    """Stored or sent data does not have the shape docs/engine-api.md describes."""


class ValidationError(EngineError):
    """A command's payload is wrong: a missing name, an unknown person, a date in the past."""


class NotFoundError(EngineError):
    """A command or request names a record or follow-up that does not exist."""
