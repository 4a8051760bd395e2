"""Pure-Python wheels the engine imports (build.py's ENGINE_WHEELS): fetched once, checked against
their pinned sha256 on every build, and merged into the engine zip."""

from __future__ import annotations

import hashlib
import io
import os
import re
import sys
import tempfile
import zipfile
from dataclasses import dataclass
from pathlib import Path

from .host import BuildError, download_one


@dataclass(frozen=True)
class Wheel:
    """A pure-Python wheel whose modules ship inside the engine zip, pinned by hash."""

    name: str
    version: str
    sha256: str


def _wheel_prefix(wheel: Wheel) -> str:
    return f"{re.sub(r'[-_.]+', '_', wheel.name).lower()}-{wheel.version}-"


def fetch_wheel(wheel: Wheel, cache: Path, *, python: str) -> bytes:
    """The pinned wheel's bytes: from the cache, else `pip download` (pure-Python wheels only)."""
    folder = cache / "wheels"
    folder.mkdir(parents=True, exist_ok=True)
    for candidate in sorted(folder.glob("*.whl")):
        if candidate.name.lower().startswith(_wheel_prefix(wheel)):
            return _checked_wheel(wheel, candidate.name, candidate.read_bytes())
    with tempfile.TemporaryDirectory(dir=folder, prefix=".pip-") as tmp:
        downloaded = download_one(
            [
                sys.executable,
                "-m",
                "pip",
                "download",
                "--no-deps",
                "--only-binary=:all:",
                "--python-version",
                python,
                "--platform",
                "any",
                "--dest",
                tmp,
                "--disable-pip-version-check",
                "--quiet",
                f"{wheel.name}=={wheel.version}",
            ],
            Path(tmp),
            "*.whl",
            failure=f"`pip download {wheel.name}=={wheel.version}` found no pure-Python wheel for "
            f"Python {python}:",
        )
        data = _checked_wheel(wheel, downloaded.name, downloaded.read_bytes())
        os.replace(downloaded, folder / downloaded.name)
    return data


def _checked_wheel(wheel: Wheel, filename: str, data: bytes) -> bytes:
    if not filename.endswith("-none-any.whl"):
        raise BuildError(
            f"{filename} is not a pure-Python wheel (py3-none-any); Pyodide can't "
            "load compiled extensions from the engine zip."
        )
    actual = hashlib.sha256(data).hexdigest()
    if actual != wheel.sha256:
        raise BuildError(
            f"{filename} does not match the sha256 pinned in ENGINE_WHEELS; refusing to use it.\n"
            f"  pinned: {wheel.sha256}\n  actual: {actual}\n"
            "Delete it from the cache's wheels/ folder to download it again."
        )
    return data


def merge_wheel(files: dict[str, bytes], wheel: bytes, *, name: str) -> None:
    """Add a pure-Python wheel's modules (and its .dist-info, for importlib.metadata) to files."""
    with zipfile.ZipFile(io.BytesIO(wheel)) as archive:
        for info in archive.infolist():
            if info.is_dir():
                continue
            path = info.filename
            parts = path.split("/")
            if parts[0].endswith(".data"):
                # Wheel "data" dirs: purelib/platlib go on sys.path, scripts and headers nowhere.
                if len(parts) < 3 or parts[1] not in ("purelib", "platlib"):
                    continue
                path = "/".join(parts[2:])
            if path.endswith((".so", ".pyd", ".dylib")):
                raise BuildError(f"{name} contains a compiled extension ({path}).")
            if path in files:
                raise BuildError(f"{name} would overwrite {path} in the engine zip.")
            files[path] = archive.read(info)
