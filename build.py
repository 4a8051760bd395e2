"""Build Followthrough: render web/ into dist/, and serve it.

    python build.py [--out DIR]
    python build.py serve [--out DIR] [--host 127.0.0.1] [--port 8000] [--no-build]

This file is the entry point and holds the pins of the libraries the engine ships; the build
itself is the `buildtool` package beside it (its docstring lists the parts). `plan()` computes
every output as data (relative path -> bytes); `write()` then writes them once and removes
whatever else is in the out dir.

Two builds of the same tree give the same bytes: zip entries are sorted with fixed timestamps,
the .pyc files are unchecked-hash pycs compiled with a pinned PYTHONHASHSEED, and the icons are
drawn by code.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence

from buildtool import cli
from buildtool.wheels import Wheel

# Pure-Python libraries the engine imports, fetched with
# `pip download --no-deps --only-binary=:all: --python-version 3.14 --platform any NAME==VER`
# and merged into dist/py/followup.zip. Keep the versions equal to pyproject's `test` extra.
# vobject reads vCard content lines (followup/interop/vcard.py); its package imports six and
# python-dateutil at import time. Its pytz dependency is optional (only its change_tz script
# imports it) and is left out.
ENGINE_WHEELS: tuple[Wheel, ...] = (
    Wheel("vobject", "0.9.9", "0fbdb982065cf4d1843a5d5950c88510041c6de026bda49c3502721de1c6ac3d"),
    Wheel("six", "1.17.0", "4721f391ed90541fddacab5acf947aa0d3dc7d27b2e1e8eda2be8970586c3274"),
    Wheel(
        "python-dateutil",
        "2.9.0.post0",
        "a8b2bc7bffae282281c8140a97d3aa9c14da0b136dfe83f850eea9a5f7470427",
    ),
    # segno draws the QR codes of "My card" and the sync pairing link (followup/qr.py).
    Wheel("segno", "1.6.6", "28c7d081ed0cf935e0411293a465efd4d500704072cdb039778a2ab8736190c7"),
)


def main(argv: Sequence[str] | None = None) -> int:
    return cli.main(argv, wheels=ENGINE_WHEELS)


if __name__ == "__main__":
    sys.exit(main())
