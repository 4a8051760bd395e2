"""What counts as an email address: the one definition, used by the commands that save people
(engine.py) and by the importers (interop/). The shell has no rule of its own."""

from __future__ import annotations

import re

# Something, "@", a domain with a dot in it; no spaces anywhere.
_EMAIL = re.compile(r"[^\s@]+@[^\s@]+\.[^\s@]+")


def is_email(value: str) -> bool:
    """`ann@example.com` is; `ann`, `ann@example`, `ann @example.com` are not."""
    return _EMAIL.fullmatch(value) is not None
