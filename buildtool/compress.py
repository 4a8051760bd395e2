"""Precompressed copies of the build's text and WebAssembly: `x.br` (brotli, quality 11) and
`x.gz` (gzip, level 9) beside each file `x` they make smaller by a tenth or more.

`python build.py serve` sends them to browsers that accept them (buildtool/serve.py); a static
host must do the same or compress by itself (README, "Deploy"). They are not part of the app:
the service worker's precache lists the files themselves, and the browser decodes what it gets.
Brotli at quality 11 takes minutes for the runtime's 9.6 MB of WebAssembly, so each result is
kept in the build cache under the hash of its input.
"""

from __future__ import annotations

import gzip
import hashlib
from collections.abc import Callable, Mapping
from pathlib import Path

import brotli  # type: ignore[import-untyped]  # ships no type hints

# What compresses: text and WebAssembly. Zips, PNGs are compressed already.
COMPRESSIBLE = frozenset(
    {".html", ".js", ".mjs", ".css", ".json", ".webmanifest", ".wasm", ".svg", ".txt"}
)
ENCODINGS = {"br": ".br", "gzip": ".gz"}  # Content-Encoding -> suffix
MIN_SIZE = 1024  # bytes: smaller files gain less than their headers cost
MIN_SAVING = 0.1  # a copy must be at least this much smaller than its file
BROTLI_QUALITY = 11
GZIP_LEVEL = 9


def _brotli(data: bytes) -> bytes:
    return bytes(brotli.compress(data, quality=BROTLI_QUALITY))


def _gzip(data: bytes) -> bytes:
    # mtime 0 and no file name in the header: two builds give the same bytes.
    return gzip.compress(data, compresslevel=GZIP_LEVEL, mtime=0)


CODERS: dict[str, Callable[[bytes], bytes]] = {".br": _brotli, ".gz": _gzip}


def is_precompressed(path: str, outputs: Mapping[str, bytes]) -> bool:
    """Whether path is a precompressed copy of another output."""
    return any(path.endswith(suffix) and path[: -len(suffix)] in outputs for suffix in CODERS)


def precompressed(
    outputs: Mapping[str, bytes], cache: Path | None = None, log: Callable[[str], None] = print
) -> dict[str, bytes]:
    """`path.br` and `path.gz` for each compressible output they make smaller by MIN_SAVING."""
    copies: dict[str, bytes] = {}
    version = f"brotli-{brotli.version}-q{BROTLI_QUALITY}-gzip-{GZIP_LEVEL}"
    folder = cache / "compressed" / version if cache else None
    made = 0
    for path, data in outputs.items():
        if Path(path).suffix not in COMPRESSIBLE or len(data) < MIN_SIZE:
            continue
        digest = hashlib.sha256(data).hexdigest()
        for suffix, coder in CODERS.items():
            kept = folder / f"{digest}{suffix}" if folder else None
            if kept is not None and kept.is_file():
                packed = kept.read_bytes()
            else:
                packed = coder(data)
                made += len(data)
                if kept is not None:
                    kept.parent.mkdir(parents=True, exist_ok=True)
                    partial = kept.with_name(f".{kept.name}.partial")
                    partial.write_bytes(packed)
                    partial.replace(kept)
            if len(packed) <= len(data) * (1 - MIN_SAVING):
                copies[path + suffix] = packed
    if made:
        log(f"compressed {made / 1e6:.2f} MB afresh (brotli {BROTLI_QUALITY}, gzip {GZIP_LEVEL})")
    return copies
