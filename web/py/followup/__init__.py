"""Followthrough's follow-up engine: pure Python, the same under CPython and Pyodide.

JavaScript calls only `followup.api.call(json_str) -> json_str`; Python callers (tests, the
benchmark) can use the pure functions directly: `decide`, `plan`, `agenda`, `draft`.
"""

from __future__ import annotations

__version__ = "0.1.0"

from .agenda import Agenda, agenda, plan
from .codec import SCHEMA_VERSION, decode_state, encode_state
from .drafts import draft
from .engine import Decision, decide
from .state import State, new_state

__all__ = [
    "SCHEMA_VERSION",
    "Agenda",
    "Decision",
    "State",
    "__version__",
    "agenda",
    "decide",
    "decode_state",
    "draft",
    "encode_state",
    "new_state",
    "plan",
]
