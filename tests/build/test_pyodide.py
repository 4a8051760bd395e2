"""buildtool/pyodide.py: the pinned runtime is refused unless it matches its integrity."""

from __future__ import annotations

import pytest

from buildtool.host import BuildError
from buildtool.pyodide import PYODIDE_INTEGRITY, PYODIDE_VERSION, fetch_pyodide, integrity_of


def test_a_tarball_that_does_not_match_the_pinned_integrity_is_refused(tmp_path):
    tarball = tmp_path / f"pyodide-{PYODIDE_VERSION}.tgz"
    tarball.write_bytes(b"not the package")

    with pytest.raises(BuildError) as error:
        fetch_pyodide(tmp_path, log=lambda _: None)

    message = str(error.value)
    assert "does not match the pinned integrity" in message
    assert str(tarball) in message
    assert PYODIDE_INTEGRITY in message
    assert integrity_of(b"not the package") in message
    assert "Delete it" in message


def test_the_integrity_string_is_npm_s_sha512_format():
    assert integrity_of(b"").startswith("sha512-z4PhNX7vuL3xVChQ1m2AB9Yg5AULVxXcg/SpIdNs6c5H0NE8")
