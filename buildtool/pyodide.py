"""The pinned Pyodide runtime: `npm pack` it into the cache once, verify it on every build."""

from __future__ import annotations

import base64
import hashlib
import io
import json
import os
import tarfile
import tempfile
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .host import BuildError, download_one

# `npm view pyodide@314.0.7 dist.integrity`. Change both together, and only after reading the
# release notes: the worker relies on the underscore-prefixed snapshot options of this release.
PYODIDE_VERSION = "314.0.7"
PYODIDE_INTEGRITY = "sha512-0YvXxEhfEdpLfb/XkM2BFAeMROq0iMUX2bzzH9pOttyMcWkwq+HbE5uyuGD82LN7y2q+SNvi/6V5JEsOlD2R1A=="  # noqa: E501
# What the browser loads from dist/pyodide/. Not the lock file (the worker passes its `info`
# inline), not the UMD build, source maps, type declarations or the consoles.
PYODIDE_RUNTIME = ("pyodide.mjs", "pyodide.asm.mjs", "pyodide.asm.wasm")
PYODIDE_FILES = (*PYODIDE_RUNTIME, "python_stdlib.zip", "pyodide-lock.json")


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
            f"  pinned in buildtool/pyodide.py: {expected}\n"
            f"  actual:                         {actual}\n{advice}"
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
        packed = download_one(
            [npm, "pack", spec, "--pack-destination", tmp, "--silent"],
            Path(tmp),
            "*.tgz",
            failure=f"`npm pack {spec}` failed; is the npm registry reachable?",
        )
        data = packed.read_bytes()
        check_integrity(
            data,
            integrity,
            what=f"{spec} as served by npm",
            advice="The registry served different bytes than were pinned. Do not change the pin "
            "without finding out why.",
        )
        os.replace(packed, dest)
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
