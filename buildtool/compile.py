"""Zips with fixed bytes, and .pyc compiled by Pyodide's own CPython 3.14 running under Node
(web/tools/pyc-compile.mjs). The host Python cannot: its bytecode is rejected by Pyodide ("bad
magic number") and it cannot parse the 3.14 standard library."""

from __future__ import annotations

import contextlib
import hashlib
import io
import json
import os
import subprocess
import tempfile
import time
import zipfile
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .host import WEB, BuildError, tail
from .pyodide import Pyodide
from .wheels import merge_wheel

PYC_COMPILE = WEB / "tools" / "pyc-compile.mjs"
ZIP_EPOCH = (1980, 1, 1, 0, 0, 0)
ENGINE_PACKAGE = "followup"
# Where the engine worker writes the engine zip (engine-boot.js ENGINE_ZIP_PATH). It only names
# the files in tracebacks; imports work wherever the zip is.
ENGINE_ZIP_PATH = "/home/pyodide/followup.zip"

# Top-level names (or paths) of the standard library zip that are not shipped. Conservative:
# only what cannot be useful in a browser worker and that no other module imports at import
# time. They weigh 0.6 MB of the first visit's download.
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
        "http/server.py",
        # Mail and file-transfer clients over sockets (only logging.handlers' SMTPHandler and
        # urllib's ftp:// import them, when used)
        "imaplib.py",
        "smtplib.py",
        "ftplib.py",
        "poplib.py",
        # Processes, which a worker cannot start (concurrent.futures imports it only for
        # ProcessPoolExecutor)
        "multiprocessing",
        # Debuggers, profilers, documentation and test-writing tools (unittest stays: the
        # build's boot check imports it); each is imported only when used
        "pdb.py",
        "bdb.py",
        "pydoc.py",
        "doctest.py",
        "pickletools.py",
        "cProfile.py",
        "profile.py",
        "pstats.py",
        "timeit.py",
        "trace.py",
        "tabnanny.py",
        "pyclbr.py",
        "zipapp.py",
    }
)


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
            if not info.is_dir()
            and info.filename.split("/")[0] not in STDLIB_TRIM
            and info.filename not in STDLIB_TRIM
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
    # With keep_source, only the sources whose names start with this stay (the engine's own:
    # its tracebacks show their lines; the wheels' would only weigh on the first visit).
    source_prefix: str = ""


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
        flags = (
            f"{job.keep_source}\0{job.source_prefix}\0{job.filename_prefix}\0{pyodide.integrity}"
        ).encode()
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
                    "source_prefix": job.source_prefix,
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
                f"{tail(result.stderr or result.stdout)}"
            )
        counts = json.loads(result.stdout.strip().splitlines()[-1])["compiled"]
        return [
            (count, (root / f"out-{index}.zip").read_bytes()) for index, count in enumerate(counts)
        ]
