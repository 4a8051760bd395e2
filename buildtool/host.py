"""What the build needs from this machine: Node.js and npm, a cache folder; and `BuildError`."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
WEB = ROOT / "web"
DIST = ROOT / "dist"
NODE_MIN_MAJOR = 18


class BuildError(Exception):
    """A build cannot go on; the message says why and what to do."""


def require_tools() -> tuple[str, str]:
    """Return the paths of node and npm, or stop with what to install."""
    found = {name: shutil.which(name) for name in ("node", "npm")}
    missing = [name for name, path in found.items() if path is None]
    if missing:
        raise BuildError(
            f"{' and '.join(missing)} not found on PATH. Node.js (>= {NODE_MIN_MAJOR}) and npm "
            "are needed at build time: Pyodide comes from npm, and the Python code is "
            "precompiled by Pyodide running under Node. Install them (Debian or Ubuntu: "
            "`apt-get install nodejs npm`) and build again."
        )
    node, npm = str(found["node"]), str(found["npm"])
    version = subprocess.run([node, "--version"], capture_output=True, text=True).stdout.strip()
    major = re.match(r"v(\d+)\.", version)
    if major is None or int(major[1]) < NODE_MIN_MAJOR:
        raise BuildError(
            f"Node.js {version or '(unknown version)'} is too old: Pyodide needs Node.js "
            f">= {NODE_MIN_MAJOR}. Install a newer nodejs and build again."
        )
    return node, npm


def cache_dir() -> Path:
    """Where downloads and the unpacked runtime live: $FOLLOWTHROUGH_CACHE or ./.cache."""
    return Path(os.environ.get("FOLLOWTHROUGH_CACHE") or ROOT / ".cache").resolve()


def download_one(command: list[str], scratch: Path, pattern: str, *, failure: str) -> Path:
    """Run a download tool (npm pack, pip download) in scratch and return the one file it wrote
    that matches pattern; else stop with failure and the tool's last lines."""
    result = subprocess.run(command, cwd=scratch, capture_output=True, text=True)
    found = sorted(scratch.glob(pattern))
    if result.returncode != 0 or len(found) != 1:
        raise BuildError(f"{failure}\n{tail(result.stderr or result.stdout)}")
    return found[0]


def tail(text: str, lines: int = 20) -> str:
    """The last lines of a tool's output, for an error message."""
    return "\n".join(text.strip().splitlines()[-lines:])
