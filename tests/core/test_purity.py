"""The core is pure: stdlib imports from an allowlist, no clock, no randomness, no browser, and
nothing newer than Python 3.11, so CPython here and Pyodide (3.14) run the same code."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

CORE = Path(__file__).resolve().parents[2] / "web" / "py" / "followup"
MODULES = sorted(CORE.rglob("*.py"))
ALLOWED = {
    "__future__",
    # interop/ (issue #5): in-memory CSV and quoted-printable, the package itself (absolute
    # imports from its subpackage), and vobject, shipped as a pinned pure wheel (build.py).
    "binascii",
    "csv",
    "io",
    "followup",
    "vobject",
    # segno draws QR codes (followup/qr.py), shipped as a pinned pure wheel too.
    "segno",
    "bisect",
    "collections",
    "dataclasses",
    "datetime",
    "enum",
    "heapq",
    "json",
    "re",
    "statistics",
    "types",
    "typing",
    # bounds.py: names typed two ways ("é" as one character or two) are stored as one (NFC);
    # the card's file name folds accents; People's search ignores accents (people.py).
    # Capture's pickers match "José" to "jose" (capture.py). Pyodide builds the module into its
    # runtime (PyInit_unicodedata).
    "unicodedata",
    # LinkedIn's archive (issue #18, linkedin_import.py): the ZIP arrives as base64 and is
    # opened in memory (zipfile and its zlib are in Pyodide's stdlib); history ids are
    # sha256 of the message's source (the shared History model).
    "base64",
    "hashlib",
    "zipfile",
    # Mail and calendar history (issue 18, interop/mbox.py, ics_read.py, mail_history.py): the
    # standard library's mail header decoding (RFC 2047, addresses, dates), the dedupe key's
    # digest, and time zones: zoneinfo (no data in Pyodide), else python-dateutil's own table,
    # recurrence rules and VTIMEZONE reader (dateutil ships as a pinned pure wheel, build.py).
    "email",
    "zoneinfo",
    "dateutil",
    # Speed at real sizes (issue #21, sync_ops.py): a sync page is merged with the cyclic
    # collector paused (no I/O, no clock; the answer is the same).
    "gc",
}
FORBIDDEN_CALLS = {("datetime", "now"), ("date", "today"), ("time", "time"), ("datetime", "utcnow")}


def _tree(path: Path) -> ast.Module:
    return ast.parse(path.read_text(encoding="utf-8"), filename=str(path), feature_version=(3, 11))


def test_the_core_has_modules_to_check() -> None:
    assert len(MODULES) > 10


@pytest.mark.parametrize("path", MODULES, ids=lambda p: p.name)
def test_a_core_module_imports_only_allowlisted_stdlib_modules(path: Path) -> None:
    imported: set[str] = set()
    for node in ast.walk(_tree(path)):
        if isinstance(node, ast.Import):
            imported.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            imported.add(node.module.split(".")[0])

    assert imported <= ALLOWED, f"{path.name} imports {sorted(imported - ALLOWED)}"


@pytest.mark.parametrize("path", MODULES, ids=lambda p: p.name)
def test_a_core_module_never_reads_the_clock(path: Path) -> None:
    calls = {
        (node.func.value.id, node.func.attr)
        for node in ast.walk(_tree(path))
        if isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and isinstance(node.func.value, ast.Name)
    }

    assert not calls & FORBIDDEN_CALLS


@pytest.mark.parametrize("path", MODULES, ids=lambda p: p.name)
def test_a_core_module_parses_as_python_3_11_and_uses_no_newer_syntax(path: Path) -> None:
    tree = _tree(path)

    assert not [n for n in ast.walk(tree) if type(n).__name__ in {"TypeAlias", "TypeVar"}]


@pytest.mark.parametrize("path", MODULES, ids=lambda p: p.name)
def test_a_core_module_opens_with_a_docstring_saying_what_it_owns(path: Path) -> None:
    assert ast.get_docstring(_tree(path))
