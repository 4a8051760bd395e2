"""The page's one stylesheet, built from parts: web/static/css/app/*.css joined in name order.

Each area of the app keeps its styles in a file of its own (named `NN-area.css`, so the order
shows in a listing), yet the page still makes one request for CSS and the service worker
precaches one file.
"""

from __future__ import annotations

from pathlib import Path

STYLESHEET = "static/css/app.css"
PARTS = Path("css/app")  # under web/static; the parts are not served on their own


def stylesheet_parts(static: Path) -> list[Path]:
    """The parts of the stylesheet, in the order they are joined."""
    folder = static / PARTS
    return sorted(folder.glob("*.css"), key=lambda part: part.name) if folder.is_dir() else []


def stylesheet(static: Path) -> dict[str, bytes]:
    """static/css/app.css as its parts joined in name order (nothing if there are no parts)."""
    parts = [part.read_bytes() for part in stylesheet_parts(static)]
    if not parts:
        return {}
    return {STYLESHEET: b"".join(part if part.endswith(b"\n") else part + b"\n" for part in parts)}
