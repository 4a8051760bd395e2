"""The command line: `python build.py [--out DIR]` and `python build.py serve [...]`."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from .dist import build
from .host import DIST, BuildError
from .serve import serve
from .wheels import Wheel


def main(argv: Sequence[str] | None = None, *, wheels: Sequence[Wheel]) -> int:
    """Build (and serve); errors are one line on stderr and exit status 1."""
    parser = argparse.ArgumentParser(
        prog="build.py", description="Build Followthrough into a folder, or serve it."
    )
    parser.add_argument("command", nargs="?", choices=("build", "serve"), default="build")
    parser.add_argument("--out", type=Path, default=DIST, help="output folder (default: dist/)")
    parser.add_argument("--host", default="127.0.0.1", help="serve: address (default 127.0.0.1)")
    parser.add_argument("--port", type=int, default=8000, help="serve: port (default 8000)")
    parser.add_argument("--no-build", action="store_true", help="serve: use the existing build")
    parser.add_argument(
        "--sync-server",
        metavar="URL",
        help="the sync server's base URL when it runs on its own origin, e.g. "
        "https://sync.example/ (default: this origin's api/); allowed by the CSP",
    )
    args = parser.parse_args(argv)
    if args.no_build and args.command != "serve":
        parser.error("--no-build only makes sense with serve")
    out: Path = args.out.resolve()
    try:
        if not (args.command == "serve" and args.no_build):
            build(out, wheels=wheels, sync_server=args.sync_server)
        if args.command == "serve":
            serve(out, args.host, args.port)
    except BuildError as error:
        print(f"build.py: error: {error}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130
    return 0
