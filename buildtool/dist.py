"""The build's one write: make the out folder hold exactly the plan. And `build()`, which fetches
what is pinned, plans every output and writes them."""

from __future__ import annotations

import os
import re
import shutil
import time
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path

from .compile import node_compiler
from .compress import is_precompressed, precompressed
from .host import DIST, ROOT, WEB, BuildError, cache_dir, require_tools
from .plan import plan
from .pyodide import fetch_pyodide
from .wheels import Wheel, fetch_wheel


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


def freshen_copies(out: Path, outputs: Mapping[str, bytes]) -> None:
    """Make each precompressed copy at least as new as its file: the server sends a copy only
    then (buildtool/serve.py), and `write` keeps an unchanged copy's old time even when its
    file was rewritten (say, after someone edited it in out/ by hand)."""
    for path in outputs:
        if is_precompressed(path, outputs):
            copy, original = out / path, out / path.rsplit(".", 1)[0]
            if copy.stat().st_mtime_ns < original.stat().st_mtime_ns:
                os.utime(copy)


def build(
    out: Path = DIST,
    *,
    wheels: Sequence[Wheel],
    web: Path = WEB,
    cache: Path | None = None,
    reuse_compiled: bool = True,
    log: Callable[[str], None] = print,
    sync_server: str | None = None,
) -> dict[str, bytes]:
    """Fetch, plan, write: the whole build. Returns what was written.

    wheels are the engine's pinned libraries (build.py's ENGINE_WHEELS).
    reuse_compiled=False compiles everything afresh (the reproducibility test does).
    """
    started = time.perf_counter()
    node, npm = require_tools()
    cache = cache or cache_dir()
    pyc_cache = cache / "pyc" if reuse_compiled else None
    pyodide = fetch_pyodide(cache, npm=npm, log=log)
    fetched = [
        (f"{wheel.name}=={wheel.version}", fetch_wheel(wheel, cache, python=pyodide.python))
        for wheel in wheels
    ]
    outputs = plan(
        web,
        pyodide,
        node_compiler(pyodide, node=node, cache=pyc_cache, log=log),
        fetched,
        sync_server=sync_server,
    )
    outputs = {**outputs, **precompressed(outputs, cache, log)}
    write(out, outputs)
    freshen_copies(out, outputs)
    version = re.search(rb'const VERSION = "(\w+)"', outputs["sw.js"])
    size = sum(len(data) for path, data in outputs.items() if not is_precompressed(path, outputs))
    log(
        f"wrote {out}: {len(outputs)} files, {size / 1e6:.1f} MB before compression, version "
        f"{version[1].decode() if version else '?'} ({time.perf_counter() - started:.1f} s)"
    )
    return outputs
