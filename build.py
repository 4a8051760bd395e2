"""Build Followthrough: render web/ into dist/, and serve it.

    python build.py [--out DIR]
    python build.py serve [--out DIR] [--host 127.0.0.1] [--port 8000] [--no-build]

`plan()` computes every output as data (relative path -> bytes); `write()` then writes them
once and removes whatever else is in the out dir. The shell around the plan does the I/O:
`fetch_pyodide()` gets the pinned runtime with `npm pack` and checks its integrity, and
`node_compiler()` precompiles the standard library and the engine to .pyc with Pyodide's own
CPython 3.14 running under Node (web/tools/pyc-compile.mjs). The host Python cannot: its bytecode
is rejected by Pyodide ("bad magic number") and it cannot parse the 3.14 standard library.

Two builds of the same tree give the same bytes: zip entries are sorted with fixed timestamps,
the .pyc files are unchecked-hash pycs compiled with a pinned PYTHONHASHSEED, and the icons are
drawn by code.
"""

from __future__ import annotations

import argparse
import base64
import contextlib
import functools
import hashlib
import io
import json
import math
import os
import re
import shutil
import struct
import subprocess
import sys
import tarfile
import tempfile
import time
import zipfile
import zlib
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import quote

import jinja2
import uvicorn
from starlette.applications import Starlette
from starlette.datastructures import Headers
from starlette.exceptions import HTTPException
from starlette.responses import Response
from starlette.routing import BaseRoute, Mount
from starlette.staticfiles import PathLike, StaticFiles
from starlette.types import Scope

ROOT = Path(__file__).resolve().parent
WEB = ROOT / "web"
DIST = ROOT / "dist"
PYC_COMPILE = WEB / "tools" / "pyc-compile.mjs"

# `npm view pyodide@314.0.7 dist.integrity`. Change both together, and only after reading the
# release notes: the worker relies on the underscore-prefixed snapshot options of this release.
PYODIDE_VERSION = "314.0.7"
PYODIDE_INTEGRITY = "sha512-0YvXxEhfEdpLfb/XkM2BFAeMROq0iMUX2bzzH9pOttyMcWkwq+HbE5uyuGD82LN7y2q+SNvi/6V5JEsOlD2R1A=="  # noqa: E501
# What the browser loads from dist/pyodide/. Not the lock file (the worker passes its `info`
# inline), not the UMD build, source maps, type declarations or the consoles.
PYODIDE_RUNTIME = ("pyodide.mjs", "pyodide.asm.mjs", "pyodide.asm.wasm")
PYODIDE_FILES = (*PYODIDE_RUNTIME, "python_stdlib.zip", "pyodide-lock.json")
NODE_MIN_MAJOR = 18

# Top-level names of the standard library zip that are not shipped. Conservative: only what
# cannot be useful in a browser worker and that no other module imports at import time.
STDLIB_TRIM = frozenset(
    {
        # Development tools (absent from Pyodide 314; listed in case a later release ships them)
        "test",
        "idlelib",
        "tkinter",
        "turtledemo",
        "turtle.py",
        "ensurepip",
        "venv",
        "lib2to3",
        "pydoc_data",
        # Demos and jokes
        "__phello__",
        "__hello__.py",
        "antigravity.py",
        "this.py",
        # The terminal REPL: site.py loads it only on an interactive tty
        "_pyrepl",
        # Servers over sockets, which a worker does not have
        "wsgiref",
        "xmlrpc",
    }
)


@dataclass(frozen=True)
class Wheel:
    """A pure-Python wheel whose modules ship inside the engine zip, pinned by hash."""

    name: str
    version: str
    sha256: str


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

ENGINE_PACKAGE = "followup"
# Where the engine worker writes the engine zip (engine.worker.js ENGINE_ZIP_PATH). It only names
# the files in tracebacks; imports work wherever the zip is.
ENGINE_ZIP_PATH = "/home/pyodide/followup.zip"

CSP = (
    "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; "
    "img-src 'self' data: blob:; connect-src 'self'; worker-src 'self'; manifest-src 'self'; "
    "object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'"
)
# Browsers ignore frame-ancestors in a <meta> CSP (and warn): the header carries it.
CSP_META = "; ".join(d for d in CSP.split("; ") if not d.startswith("frame-ancestors"))
THEME_COLOR = "#0f5257"
BACKGROUND_COLOR = "#f6f7f5"  # the page's --bg, so the splash screen does not flash
HASH_LENGTH = 16  # hex digits: 64 bits name a build
ZIP_EPOCH = (1980, 1, 1, 0, 0, 0)


class BuildError(Exception):
    """A build cannot go on; the message says why and what to do."""


# --- Tools --------------------------------------------------------------------------------------


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


def _tail(text: str, lines: int = 20) -> str:
    return "\n".join(text.strip().splitlines()[-lines:])


# --- Pyodide ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Pyodide:
    """The pinned runtime, read from the verified npm tarball."""

    version: str
    integrity: str
    runtime: Mapping[str, bytes]  # PYODIDE_RUNTIME name -> bytes
    stdlib_zip: bytes  # python_stdlib.zip as shipped (.py sources)
    lock_info: Mapping[str, Any]  # the `info` of pyodide-lock.json
    directory: Path  # the unpacked package, for running Pyodide under Node

    @property
    def python(self) -> str:
        """The CPython minor version, e.g. "3.14"."""
        return ".".join(str(self.lock_info["python"]).split(".")[:2])


def integrity_of(data: bytes) -> str:
    """The npm `dist.integrity` string of a tarball."""
    return "sha512-" + base64.b64encode(hashlib.sha512(data).digest()).decode()


def check_integrity(data: bytes, expected: str, *, what: str, advice: str) -> None:
    """Refuse bytes whose sha512 is not the pinned one."""
    actual = integrity_of(data)
    if actual != expected:
        raise BuildError(
            f"{what} does not match the pinned integrity; refusing to use it.\n"
            f"  pinned in build.py: {expected}\n  actual:             {actual}\n{advice}"
        )


def fetch_pyodide(
    cache: Path,
    *,
    version: str = PYODIDE_VERSION,
    integrity: str = PYODIDE_INTEGRITY,
    npm: str = "npm",
    log: Callable[[str], None] = print,
) -> Pyodide:
    """The pinned Pyodide: `npm pack` it into the cache once, verify it on every build."""
    cache.mkdir(parents=True, exist_ok=True)
    tarball = cache / f"pyodide-{version}.tgz"
    if tarball.is_file():
        data = tarball.read_bytes()
        check_integrity(
            data,
            integrity,
            what=f"The cached {tarball}",
            advice=f"Delete it to download pyodide@{version} again.",
        )
        log(f"pyodide {version}: {tarball} (integrity ok)")
    else:
        data = _npm_pack(f"pyodide@{version}", tarball, integrity, npm)
        log(f"pyodide {version}: npm pack -> {tarball} (integrity ok)")
    members = _tar_members(data, PYODIDE_FILES)
    directory = cache / f"pyodide-{version}"
    _unpack(members, directory, stamp=integrity)
    lock = json.loads(members["pyodide-lock.json"])
    return Pyodide(
        version=version,
        integrity=integrity,
        runtime={name: members[name] for name in PYODIDE_RUNTIME},
        stdlib_zip=members["python_stdlib.zip"],
        lock_info=lock["info"],
        directory=directory,
    )


def _npm_pack(spec: str, dest: Path, integrity: str, npm: str) -> bytes:
    # Packed into a scratch directory and moved into place only once verified, so an
    # interrupted or tampered download never sits in the cache under the expected name.
    with tempfile.TemporaryDirectory(dir=dest.parent, prefix=".npm-pack-") as tmp:
        result = subprocess.run(
            [npm, "pack", spec, "--pack-destination", tmp, "--silent"],
            cwd=tmp,
            capture_output=True,
            text=True,
        )
        packed = sorted(Path(tmp).glob("*.tgz"))
        if result.returncode != 0 or len(packed) != 1:
            raise BuildError(
                f"`npm pack {spec}` failed; is the npm registry reachable?\n"
                f"{_tail(result.stderr or result.stdout)}"
            )
        data = packed[0].read_bytes()
        check_integrity(
            data,
            integrity,
            what=f"{spec} as served by npm",
            advice="The registry served different bytes than were pinned. Do not change the pin "
            "without finding out why.",
        )
        os.replace(packed[0], dest)
    return data


def _tar_members(tgz: bytes, names: Iterable[str]) -> dict[str, bytes]:
    wanted = {f"package/{name}": name for name in names}
    found: dict[str, bytes] = {}
    with tarfile.open(fileobj=io.BytesIO(tgz), mode="r:gz") as tar:
        for member in tar:
            if member.name in wanted and member.isfile():
                extracted = tar.extractfile(member)
                assert extracted is not None
                found[wanted[member.name]] = extracted.read()
    missing = sorted(set(wanted.values()) - set(found))
    if missing:
        raise BuildError(f"The Pyodide package lacks {', '.join(missing)}.")
    return found


def _unpack(members: Mapping[str, bytes], directory: Path, *, stamp: str) -> None:
    # Only for running Pyodide under Node; dist/ takes its bytes from the verified tarball.
    marker = directory / ".integrity"
    if marker.is_file() and marker.read_text() == stamp:
        return
    directory.mkdir(parents=True, exist_ok=True)
    for name, data in members.items():
        (directory / name).write_bytes(data)
    marker.write_text(stamp)


# --- Wheels -------------------------------------------------------------------------------------


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
        result = subprocess.run(
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
            capture_output=True,
            text=True,
        )
        downloaded = sorted(Path(tmp).glob("*.whl"))
        if result.returncode != 0 or len(downloaded) != 1:
            raise BuildError(
                f"`pip download {wheel.name}=={wheel.version}` found no pure-Python wheel for "
                f"Python {python}:\n{_tail(result.stderr or result.stdout)}"
            )
        data = _checked_wheel(wheel, downloaded[0].name, downloaded[0].read_bytes())
        os.replace(downloaded[0], folder / downloaded[0].name)
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


# --- Zips and .pyc ------------------------------------------------------------------------------


def zip_files(files: Mapping[str, bytes], *, deflate: bool = False) -> bytes:
    """A zip of files (and entries for their folders), sorted, with fixed timestamps."""
    entries: dict[str, bytes | None] = dict(files)
    for path in files:
        parts = path.split("/")[:-1]
        for depth in range(1, len(parts) + 1):
            entries.setdefault("/".join(parts[:depth]) + "/", None)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name in sorted(entries):
            info = zipfile.ZipInfo(name, date_time=ZIP_EPOCH)
            info.create_system = 3
            data = entries[name]
            if data is None:
                info.external_attr = (0o40755 << 16) | 0x10
                archive.writestr(info, b"")
            else:
                info.external_attr = 0o100644 << 16
                info.compress_type = zipfile.ZIP_DEFLATED if deflate else zipfile.ZIP_STORED
                archive.writestr(info, data, compresslevel=9 if deflate else None)
    return buffer.getvalue()


def stdlib_source(stdlib_zip: bytes) -> bytes:
    """Pyodide's python_stdlib.zip without STDLIB_TRIM, ready for the compiler."""
    with zipfile.ZipFile(io.BytesIO(stdlib_zip)) as archive:
        files = {
            info.filename: archive.read(info)
            for info in archive.infolist()
            if not info.is_dir() and info.filename.split("/")[0] not in STDLIB_TRIM
        }
    return zip_files(files)


def engine_source(py_root: Path, wheels: Sequence[tuple[str, bytes]] = ()) -> bytes:
    """web/py/followup (no caches, no dotfiles) plus the wheels' modules, ready for the compiler."""
    package = py_root / ENGINE_PACKAGE
    if not package.is_dir():
        raise BuildError(f"{package} is missing: the engine package is built into the app.")
    files: dict[str, bytes] = {}
    for path in sorted(package.rglob("*")):
        relative = path.relative_to(py_root)
        if (
            path.is_file()
            and not any(part.startswith(".") or part == "__pycache__" for part in relative.parts)
            and path.suffix not in (".pyc", ".pyo")
        ):
            files[relative.as_posix()] = path.read_bytes()
    for name, data in wheels:
        merge_wheel(files, data, name=name)
    return zip_files(files)


@dataclass(frozen=True)
class CompileJob:
    """One zip to precompile: each name.py becomes name.pyc (and stays if keep_source)."""

    name: str  # for messages
    source_zip: bytes
    keep_source: bool
    filename_prefix: str  # prepended to each name for co_filename, as tracebacks show it
    stdlib: bool = False  # the standard library: once compiled, Pyodide can boot from it


Compiler = Callable[[Sequence[CompileJob]], list[bytes]]


def node_compiler(
    pyodide: Pyodide,
    *,
    node: str = "node",
    cache: Path | None = None,
    log: Callable[[str], None] = print,
) -> Compiler:
    """Compile zips with Pyodide's own CPython under Node, in one process (it boots in ~3 s).

    With a cache folder, a result is kept under a hash of everything that determines its bytes
    (the job, the compiler script, the runtime), so an unchanged standard library is compiled
    once rather than on every build.
    """
    script = PYC_COMPILE.read_bytes()

    def key(job: CompileJob) -> str:
        flags = f"{job.keep_source}\0{job.filename_prefix}\0{pyodide.integrity}".encode()
        return hashlib.sha256(script + b"\0" + flags + b"\0" + job.source_zip).hexdigest()

    def compile_zips(jobs: Sequence[CompileJob]) -> list[bytes]:
        started = time.perf_counter()
        results = [_cached(cache, key(job)) if cache else None for job in jobs]
        todo = [index for index, result in enumerate(results) if result is None]
        done: list[str] = []
        if todo:
            # Boot from a standard library compiled earlier, if there is one: 3x faster.
            boot = next((r for r, job in zip(results, jobs, strict=True) if r and job.stdlib), None)
            compiled = _run_node(node, pyodide.directory, [jobs[i] for i in todo], boot)
            for index, (count, data) in zip(todo, compiled, strict=True):
                results[index] = data
                if cache:
                    _store(cache, key(jobs[index]), data)
                done.append(f"{jobs[index].name} ({count} modules)")
        reused = " and ".join(job.name for index, job in enumerate(jobs) if index not in todo)
        if not done:
            log(f"reused {reused}, precompiled earlier, from the cache")
        else:
            log(
                f"precompiled {' and '.join(done)} with Pyodide's CPython under Node"
                + (f"; reused {reused} from the cache" if reused else "")
                + f" ({time.perf_counter() - started:.1f} s)"
            )
        return [result for result in results if result is not None]

    return compile_zips


def _cached(cache: Path, key: str) -> bytes | None:
    path = cache / f"{key}.zip"
    try:
        data = path.read_bytes()
        os.utime(path)  # recently used: kept by the pruning in _store
    except OSError:
        return None
    return data


def _store(cache: Path, key: str, data: bytes) -> None:
    cache.mkdir(parents=True, exist_ok=True)
    partial = cache / f".{key}.{os.getpid()}.partial"
    partial.write_bytes(data)
    os.replace(partial, cache / f"{key}.zip")
    # Each change to the engine leaves an entry; drop those unused for a month.
    too_old = time.time() - 30 * 24 * 3600
    for entry in cache.glob("*.zip"):
        with contextlib.suppress(OSError):
            if entry.stat().st_mtime < too_old:
                entry.unlink()


def _run_node(
    node: str, pyodide_dir: Path, jobs: Sequence[CompileJob], boot_stdlib: bytes | None
) -> list[tuple[int, bytes]]:
    with tempfile.TemporaryDirectory(prefix="followthrough-pyc-") as tmp:
        root = Path(tmp)
        spec: dict[str, Any] = {"root": tmp, "jobs": []}
        if boot_stdlib:
            (root / "boot-stdlib.zip").write_bytes(boot_stdlib)
            spec["stdlib"] = "boot-stdlib.zip"
        for index, job in enumerate(jobs):
            (root / f"in-{index}.zip").write_bytes(job.source_zip)
            spec["jobs"].append(
                {
                    "input": f"in-{index}.zip",
                    "output": f"out-{index}.zip",
                    "keep_source": job.keep_source,
                    "filename_prefix": job.filename_prefix,
                }
            )
        (root / "jobs.json").write_text(json.dumps(spec))
        result = subprocess.run(
            [node, str(PYC_COMPILE), str(pyodide_dir), str(root / "jobs.json")],
            capture_output=True,
            text=True,
        )
        if result.returncode != 0:
            raise BuildError(
                "Precompiling with Pyodide under Node failed:\n"
                f"{_tail(result.stderr or result.stdout)}"
            )
        counts = json.loads(result.stdout.strip().splitlines()[-1])["compiled"]
        return [
            (count, (root / f"out-{index}.zip").read_bytes()) for index, count in enumerate(counts)
        ]


# --- Icons --------------------------------------------------------------------------------------

TEAL = (0x0F, 0x52, 0x57)
WHITE = (0xFF, 0xFF, 0xFF)
AMBER = (0xF2, 0xB8, 0x4B)


@dataclass(frozen=True)
class Icon:
    """A generated PNG: the mark on a rounded square, or full-bleed for maskable/Apple icons."""

    path: str
    size: int
    purpose: str | None  # the manifest's purpose; None when the manifest does not list it
    full_bleed: bool = False  # opaque square; the platform rounds or masks it
    mark_scale: float = 1.0


ICONS = (
    Icon("icons/icon-192.png", 192, "any"),
    Icon("icons/icon-512.png", 512, "any"),
    # Maskable: the platform may crop to a circle of 80% diameter; the mark stays inside it.
    Icon("icons/maskable-512.png", 512, "maskable", full_bleed=True, mark_scale=0.85),
    Icon("icons/apple-touch-icon.png", 180, None, full_bleed=True, mark_scale=0.9),
    Icon("icons/icon-96.png", 96, None),  # the shortcuts' icon
    Icon("icons/favicon-32.png", 32, None, mark_scale=1.05),
)
SHORTCUT_ICON = "icons/icon-96.png"


def _coverage(distance: float) -> float:
    """How much of a pixel a shape covers, from the signed distance of its centre to the edge."""
    return 0.0 if distance >= 0.5 else 1.0 if distance <= -0.5 else 0.5 - distance


@functools.cache  # pure, and ~1 s for the set: drawn once per process
def render_icon(icon: Icon) -> bytes:
    """The Followthrough mark as a PNG: a white arrow curving back around an amber dot (the
    person you follow through with), on deep teal. Drawn with signed distances, antialiased."""
    size, centre = icon.size, icon.size / 2
    unit = icon.size * icon.mark_scale
    radius, width, dot = 0.25 * unit, 0.09 * unit, 0.085 * unit
    start, end = math.radians(-50), math.radians(248)  # clockwise, in image coordinates
    head_length, head_half = 0.18 * unit, 0.125 * unit
    sweep = (end - start) % math.tau
    sx, sy = centre + radius * math.cos(start), centre + radius * math.sin(start)
    ex, ey = centre + radius * math.cos(end), centre + radius * math.sin(end)
    heading = end + 0.12 * head_length / radius
    tx, ty = -math.sin(heading), math.cos(heading)
    head = [
        (ex + tx * head_length, ey + ty * head_length),
        (ex - ty * head_half, ey + tx * head_half),
        (ex + ty * head_half, ey - tx * head_half),
    ]
    mx, my = sum(x for x, _ in head) / 3, sum(y for _, y in head) / 3
    edges = []  # (point on edge, outward unit normal) for each side of the arrowhead
    for (x0, y0), (x1, y1) in zip(head, head[1:] + head[:1], strict=True):
        length = math.hypot(x1 - x0, y1 - y0)
        nx, ny = (y1 - y0) / length, (x0 - x1) / length
        if (mx - x0) * nx + (my - y0) * ny > 0:
            nx, ny = -nx, -ny
        edges.append((x0, y0, nx, ny))

    def arrow(x: float, y: float) -> float:
        qx, qy = x - centre, y - centre
        if (math.atan2(qy, qx) - start) % math.tau <= sweep:
            stroke = abs(math.hypot(qx, qy) - radius) - width / 2
        else:  # round caps
            stroke = min(math.hypot(x - sx, y - sy), math.hypot(x - ex, y - ey)) - width / 2
        return min(stroke, max((x - x0) * nx + (y - y0) * ny for x0, y0, nx, ny in edges))

    corner = 0.0 if icon.full_bleed else 0.22 * size
    channels = 3 if icon.full_bleed else 4
    pixels = bytearray((bytes(TEAL) + b"\xff"[: channels - 3]) * (size * size))
    inner, outer = radius - width / 2 - 1, radius + width / 2 + 1
    head_x = (min(x for x, _ in head) - 1, max(x for x, _ in head) + 1)
    head_y = (min(y for _, y in head) - 1, max(y for _, y in head) + 1)
    for row in range(size):
        y = row + 0.5
        dy = abs(y - centre)
        # Only pixels near an edge need shading: spans of the ring, dot, arrowhead and corners.
        spans: list[tuple[float, float]] = []
        if dy < outer:
            xo = math.sqrt(outer * outer - dy * dy)
            if dy < inner:
                xi = math.sqrt(inner * inner - dy * dy)
                spans += [(centre - xo, centre - xi), (centre + xi, centre + xo)]
                if dy < dot + 1:
                    xd = math.sqrt((dot + 1) ** 2 - dy * dy)
                    spans.append((centre - xd, centre + xd))
            else:
                spans.append((centre - xo, centre + xo))
        if head_y[0] <= y <= head_y[1]:
            spans.append(head_x)
        if corner and dy > centre - corner - 1:
            spans += [(0, corner + 1), (size - corner - 1, size)]
        columns: set[int] = set()
        for left, right in spans:
            columns.update(range(max(0, int(left)), min(size, int(right) + 2)))
        for column in sorted(columns):
            x = column + 0.5
            white = _coverage(arrow(x, y))
            amber = _coverage(math.hypot(x - centre, y - centre) - dot)
            rgb = [c + (w - c) * white for c, w in zip(TEAL, WHITE, strict=True)]
            rgb = [c + (a - c) * amber for c, a in zip(rgb, AMBER, strict=True)]
            at = (row * size + column) * channels
            pixels[at : at + 3] = bytes(round(c) for c in rgb)
            if corner:
                qx = max(abs(x - centre) - (centre - corner), 0.0)
                qy = max(dy - (centre - corner), 0.0)
                pixels[at + 3] = round(255 * _coverage(math.hypot(qx, qy) - corner))
    return encode_png(size, size, bytes(pixels), channels)


def encode_png(width: int, height: int, pixels: bytes, channels: int) -> bytes:
    """A PNG of 8-bit RGB (3 channels) or RGBA (4) rows."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        checksum = zlib.crc32(kind + data)
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", checksum)

    stride = width * channels
    raw = b"".join(b"\0" + pixels[row * stride : (row + 1) * stride] for row in range(height))
    colour_type = {3: 2, 4: 6}[channels]
    header = struct.pack(">IIBBBBB", width, height, 8, colour_type, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(raw, 9))
        + chunk(b"IEND", b"")
    )


# --- The plan -----------------------------------------------------------------------------------


def content_hash(files: Mapping[str, bytes], *extra: bytes) -> str:
    """A hex digest of paths and bytes (and extra inputs): equal iff all of them are equal."""
    digest = hashlib.sha256()
    for path in sorted(files):
        digest.update(b"%s\0%d\0" % (path.encode(), len(files[path])))
        digest.update(files[path])
    for data in extra:
        digest.update(b"\0%d\0" % len(data))
        digest.update(data)
    return digest.hexdigest()[:HASH_LENGTH]


def precache_urls(paths: Iterable[str]) -> list[str]:
    """The service worker's ASSETS: every output but sw.js, as relative URLs, and "./"."""
    return sorted({"./", *(quote(path) for path in paths if path != "sw.js")})


# `import … from "./x.js"` and `import "./x.js"` at the start of a line; `import("…")` is dynamic.
_STATIC_IMPORT = re.compile(
    r"""^import\s+(?:[^;"'()]*?\bfrom\s+)?["'](\.{1,2}/[^"']+)["']""", re.MULTILINE
)


def static_imports(outputs: Mapping[str, bytes], entry: str) -> list[str]:
    """Every module `entry` imports statically, directly or not, as output paths in load order.

    The page preloads them (`<link rel="modulepreload">`), so the browser fetches the whole
    first-paint graph at once instead of one level of imports after another."""
    found: list[str] = []
    if entry not in outputs:
        return found

    def visit(path: str) -> None:
        for specifier in _STATIC_IMPORT.findall(outputs[path].decode()):
            target = os.path.normpath(os.path.join(os.path.dirname(path), specifier))
            if target not in outputs:
                raise BuildError(f"{path} imports {specifier}, which is not in the build.")
            if target not in found:
                found.append(target)
                visit(target)

    visit(entry)
    return found


def static_files(static: Path) -> dict[str, bytes]:
    """web/static/** as static/**, without dotfiles and source maps."""
    files: dict[str, bytes] = {}
    if static.is_dir():
        for path in sorted(static.rglob("*")):
            relative = path.relative_to(static)
            if (
                path.is_file()
                and not any(part.startswith(".") for part in relative.parts)
                and not path.name.endswith(".map")
            ):
                files[f"static/{relative.as_posix()}"] = path.read_bytes()
    return files


def _environment(templates: Path) -> jinja2.Environment:
    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(templates),
        autoescape=lambda name: name is not None and name.endswith(".html.j2"),
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
    )


def _render(env: jinja2.Environment, name: str, **context: Any) -> bytes:
    try:
        return env.get_template(name).render(**context).encode()
    except jinja2.TemplateNotFound:
        raise BuildError(f"The template web/templates/{name} is missing.") from None
    except jinja2.UndefinedError as error:
        raise BuildError(f"{name}: {error.message}") from None


def render_manifest(env: jinja2.Environment) -> bytes:
    """The web app manifest, checked to be JSON and written canonically."""
    icons = [
        {
            "src": icon.path,
            "sizes": f"{icon.size}x{icon.size}",
            "type": "image/png",
            "purpose": icon.purpose,
        }
        for icon in ICONS
        if icon.purpose
    ]
    shortcut = next(icon for icon in ICONS if icon.path == SHORTCUT_ICON)
    text = _render(
        env,
        "manifest.webmanifest.j2",
        theme_color=THEME_COLOR,
        background_color=BACKGROUND_COLOR,
        icons=icons,
        shortcut_icon={
            "src": shortcut.path,
            "sizes": f"{shortcut.size}x{shortcut.size}",
            "type": "image/png",
        },
    )
    try:
        manifest = json.loads(text)
    except json.JSONDecodeError as error:
        raise BuildError(f"manifest.webmanifest.j2 does not render valid JSON: {error}") from None
    return (json.dumps(manifest, indent=2, ensure_ascii=False) + "\n").encode()


def plan(
    web: Path,
    pyodide: Pyodide,
    compiler: Compiler,
    wheels: Sequence[tuple[str, bytes]] = (),
) -> dict[str, bytes]:
    """Every file of dist/, as relative path -> bytes. Writes nothing."""
    env = _environment(web / "templates")
    outputs: dict[str, bytes] = {}

    def add(files: Mapping[str, bytes]) -> None:
        for path, data in files.items():
            if path in outputs:
                raise BuildError(f"Two outputs would be written to {path}.")
            outputs[path] = data

    add({f"pyodide/{name}": data for name, data in pyodide.runtime.items()})
    stdlib, engine = compiler(
        [
            CompileJob(
                "the standard library",
                stdlib_source(pyodide.stdlib_zip),
                keep_source=False,
                filename_prefix=f"/lib/python{pyodide.python.replace('.', '')}.zip/",
                stdlib=True,
            ),
            CompileJob(
                "the engine",
                engine_source(web / "py", wheels),
                keep_source=True,
                filename_prefix=f"{ENGINE_ZIP_PATH}/",
            ),
        ]
    )
    add({"pyodide/python_stdlib.zip": stdlib, "py/followup.zip": engine})
    engine_hash = content_hash(dict(outputs))  # runtime, stdlib and engine: the snapshot's key
    add({icon.path: render_icon(icon) for icon in ICONS})
    add(static_files(web / "static"))
    add({"manifest.webmanifest": render_manifest(env)})

    def versioned(version: str) -> dict[str, bytes]:
        build = {
            "pyodide_version": pyodide.version,
            "engine_hash": engine_hash,
            "version": version,
            "lock_info": dict(pyodide.lock_info),
        }
        return {
            "static/js/build-info.js": _render(env, "build-info.js.j2", build=build),
            "index.html": _render(
                env,
                "index.html.j2",
                csp=CSP_META,
                preload=[quote(path) for path in static_imports(outputs, "static/js/app.js")],
                version=version,
                build=build,
                theme_color=THEME_COLOR,
            ),
        }

    # The version names the content of every file, but two files also show it: hash them with
    # the version left blank, then fill it in. The worker's own template is hashed too, so a
    # change in caching logic alone also rotates the cache.
    sw_template = (web / "templates" / "sw.js.j2").read_bytes()
    version = content_hash({**outputs, **versioned("")}, sw_template)
    add(versioned(version))
    add({"sw.js": _render(env, "sw.js.j2", assets=precache_urls(outputs), version=version)})
    return dict(sorted(outputs.items()))


# --- Writing ------------------------------------------------------------------------------------


def _check_out_dir(out: Path) -> None:
    if out in (Path(out.anchor), Path.home()) or out == ROOT or ROOT.is_relative_to(out):
        raise BuildError(f"Refusing to build into {out}: it holds the source tree or more.")
    if out.is_relative_to(WEB):
        raise BuildError(f"Refusing to build into {out}: it is inside web/, the sources.")
    if out.is_dir() and any(out.iterdir()) and not (out / "sw.js").is_file():
        raise BuildError(
            f"Refusing to build into {out}: it is not empty and does not look like a previous "
            "build (no sw.js). Empty it or choose another --out."
        )


def write(out: Path, outputs: Mapping[str, bytes]) -> None:
    """Make out hold exactly outputs. Unchanged files keep their mtime (and the server's ETag)."""
    out = out.resolve()
    _check_out_dir(out)
    out.mkdir(parents=True, exist_ok=True)
    wanted = {out / path for path in outputs}
    for path in sorted(out.rglob("*"), reverse=True):  # children before their folders
        if path.is_dir() and not path.is_symlink():
            if not any(path.iterdir()):
                path.rmdir()
        elif path not in wanted:
            path.unlink()
    for relative, data in outputs.items():
        target = out / relative
        if target.is_dir():
            shutil.rmtree(target)
        target.parent.mkdir(parents=True, exist_ok=True)
        if target.is_file() and target.stat().st_size == len(data) and target.read_bytes() == data:
            continue
        partial = target.with_name(f".{target.name}.partial")
        partial.write_bytes(data)
        os.replace(partial, target)


def build(
    out: Path = DIST,
    *,
    web: Path = WEB,
    cache: Path | None = None,
    reuse_compiled: bool = True,
    log: Callable[[str], None] = print,
) -> dict[str, bytes]:
    """Fetch, plan, write: the whole build. Returns what was written.

    reuse_compiled=False compiles everything afresh (the reproducibility test does).
    """
    started = time.perf_counter()
    node, npm = require_tools()
    cache = cache or cache_dir()
    pyc_cache = cache / "pyc" if reuse_compiled else None
    pyodide = fetch_pyodide(cache, npm=npm, log=log)
    wheels = [
        (f"{wheel.name}=={wheel.version}", fetch_wheel(wheel, cache, python=pyodide.python))
        for wheel in ENGINE_WHEELS
    ]
    outputs = plan(
        web, pyodide, node_compiler(pyodide, node=node, cache=pyc_cache, log=log), wheels
    )
    write(out, outputs)
    version = re.search(rb'const VERSION = "(\w+)"', outputs["sw.js"])
    size = sum(map(len, outputs.values()))
    log(
        f"wrote {out}: {len(outputs)} files, {size / 1e6:.1f} MB, version "
        f"{version[1].decode() if version else '?'} ({time.perf_counter() - started:.1f} s)"
    )
    return outputs


# --- Serving ------------------------------------------------------------------------------------

CONTENT_TYPES = {
    ".html": "text/html; charset=utf-8",
    ".js": "text/javascript; charset=utf-8",
    ".mjs": "text/javascript; charset=utf-8",
    ".css": "text/css; charset=utf-8",
    ".json": "application/json",
    ".webmanifest": "application/manifest+json",
    ".wasm": "application/wasm",
    ".zip": "application/zip",
    ".png": "image/png",
    ".svg": "image/svg+xml",
    ".ico": "image/x-icon",
    ".txt": "text/plain; charset=utf-8",
}
# Fetched fresh by the browser on every visit: they decide which version runs.
REVALIDATE = frozenset({"index.html", "sw.js", "manifest.webmanifest"})


class DistFiles(StaticFiles):
    """dist/ as the app needs it: exact MIME types, the page for in-scope navigations, the CSP
    on HTML, and no-cache on the files that name the version."""

    async def get_response(self, path: str, scope: Scope) -> Response:
        try:
            return await super().get_response(path, scope)
        except HTTPException as error:
            if error.status_code != 404 or not _is_page_request(path, scope):
                raise
        return await super().get_response("index.html", scope)

    def file_response(
        self,
        full_path: PathLike,
        stat_result: os.stat_result,
        scope: Scope,
        status_code: int = 200,
    ) -> Response:
        response = super().file_response(full_path, stat_result, scope, status_code)
        content_type = CONTENT_TYPES.get(Path(full_path).suffix.lower())
        if content_type and response.status_code != 304:
            response.headers["content-type"] = content_type
        relative = Path(full_path).relative_to(Path(str(self.directory)).resolve()).as_posix()
        if relative in REVALIDATE:
            response.headers["cache-control"] = "no-cache"
        if Path(full_path).suffix == ".html":
            response.headers["content-security-policy"] = CSP
        response.headers["x-content-type-options"] = "nosniff"
        return response


def _is_page_request(path: str, scope: Scope) -> bool:
    """`/`, and navigations to in-scope paths that are not files (e.g. the share target)."""
    route = scope["path"]
    if route == "/api" or route.startswith("/api/"):
        return False
    if path == ".":
        return True
    if "." in route.rsplit("/", 1)[-1]:
        return False  # a missing file, not a page
    headers = Headers(scope=scope)
    return headers.get("sec-fetch-mode") == "navigate" or "text/html" in headers.get("accept", "")


def mount_api(routes: list[BaseRoute]) -> None:
    """The sync API (server/, docs/sync-protocol.md) at /api/, before the app's catch-all: on
    SQLite under ./data/ unless FOLLOWTHROUGH_DATABASE_URL says otherwise, opened on the first
    /api/v1/ request. Other /api/ paths answer 404 (never the page)."""
    from server.__main__ import LazyApp

    routes.append(Mount("/api", app=LazyApp()))


def create_app(
    out: Path = DIST, *, mount: Callable[[list[BaseRoute]], None] = mount_api
) -> Starlette:
    """The Starlette app that serves a build (and, through `mount`, the API)."""
    routes: list[BaseRoute] = []
    mount(routes)
    routes.append(Mount("/", app=DistFiles(directory=out.resolve()), name="app"))
    return Starlette(routes=routes)


def serve(out: Path, host: str, port: int) -> None:
    """Serve a build with uvicorn until interrupted."""
    if not (out / "index.html").is_file():
        raise BuildError(f"{out} holds no build; run without --no-build first.")
    print(f"serving {out} at http://{host}:{port}/ (Ctrl+C stops)")
    # No access log: uvicorn's names client addresses, and this also serves the sync API,
    # whose server promises to keep none.
    uvicorn.run(create_app(out), host=host, port=port, log_level="info", access_log=False)


# --- Command line -------------------------------------------------------------------------------


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Build Followthrough into a folder, or serve it.")
    parser.add_argument("command", nargs="?", choices=("build", "serve"), default="build")
    parser.add_argument("--out", type=Path, default=DIST, help="output folder (default: dist/)")
    parser.add_argument("--host", default="127.0.0.1", help="serve: address (default 127.0.0.1)")
    parser.add_argument("--port", type=int, default=8000, help="serve: port (default 8000)")
    parser.add_argument("--no-build", action="store_true", help="serve: use the existing build")
    args = parser.parse_args(argv)
    if args.no_build and args.command != "serve":
        parser.error("--no-build only makes sense with serve")
    out: Path = args.out.resolve()
    try:
        if not (args.command == "serve" and args.no_build):
            build(out)
        if args.command == "serve":
            serve(out, args.host, args.port)
    except BuildError as error:
        print(f"build.py: error: {error}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130
    return 0


if __name__ == "__main__":
    sys.exit(main())
