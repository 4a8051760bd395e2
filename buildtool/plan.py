"""Every file of dist/ as data (relative path -> bytes), and the version that names them all.

`plan()` writes nothing. The version is a content hash of every output; the service worker
precaches every output under it (squoosh's `VERSION`), so a change to anything served rotates it.
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
import re
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlsplit

import jinja2

from .compile import (
    ENGINE_PACKAGE,
    ENGINE_ZIP_PATH,
    CompileJob,
    Compiler,
    engine_source,
    stdlib_source,
)
from .host import BuildError
from .icons import ICONS, SHORTCUT_ICON, render_icon
from .pyodide import Pyodide
from .stylesheet import PARTS, stylesheet

_CSP = (
    "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; "
    "img-src 'self' data: blob:; connect-src {connect}; worker-src 'self'; manifest-src 'self'; "
    "object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'"
)


def csp(sync_server: str | None = None) -> str:
    """The app's Content-Security-Policy. The page may fetch only from its own origin and, when
    the build names one, the sync server's origin (a separate deployment: the sync operator is
    then not the host of the app's code)."""
    connect = "'self'" if sync_server is None else f"'self' {sync_origin(sync_server)}"
    return _CSP.format(connect=connect)


def csp_meta(policy: str) -> str:
    """Browsers ignore frame-ancestors in a <meta> CSP (and warn): the header carries it."""
    return "; ".join(d for d in policy.split("; ") if not d.startswith("frame-ancestors"))


CSP = csp()
CSP_META = csp_meta(CSP)
_ORIGIN = re.compile(
    r"^(https://[a-z0-9.-]+|http://(?:localhost|127\.0\.0\.1|\[::1\]))(:[0-9]{1,5})?$"
)


def sync_origin(sync_server: str) -> str:
    """The origin of a sync server's base URL, checked: https (or http on this machine only),
    a host name, an optional port, and a path ending in `/` with no query or fragment."""
    url = urlsplit(sync_server)
    origin = f"{url.scheme}://{url.netloc}".lower()
    if not _ORIGIN.match(origin) or url.query or url.fragment or not url.path.endswith("/"):
        raise BuildError(
            f"--sync-server {sync_server!r} is not a sync server's base URL: use "
            "https://host[:port]/path/ (http only for localhost), ending in a slash."
        )
    return origin


def static_headers(policy: str) -> bytes:
    """`_headers`: what a static host must send with the app (the format Netlify and Cloudflare
    Pages read; other hosts: set the same headers by hand). See README, "Deploying"."""
    lines = [
        "/*",
        f"  Content-Security-Policy: {policy}",
        "  X-Content-Type-Options: nosniff",
        "  Referrer-Policy: no-referrer",
        *(
            f"/{path}\n  Cache-Control: no-cache"
            for path in ("", "index.html", "sw.js", "manifest.webmanifest")
        ),
    ]
    return ("\n".join(lines) + "\n").encode()


THEME_COLOR = "#0f5257"
BACKGROUND_COLOR = "#f6f7f5"  # the page's --bg, so the splash screen does not flash
HASH_LENGTH = 16  # hex digits: 64 bits name a build
HEADERS = "_headers"  # for static hosts; not part of the app, so not precached


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
    return sorted({"./", *(quote(path) for path in paths if path not in ("sw.js", HEADERS))})


def precache_integrity(outputs: Mapping[str, bytes]) -> dict[str, str]:
    """Each precached URL's Subresource Integrity (`sha256-…`), "./" being index.html: the
    service worker's install takes a file from the browser's HTTP cache (what the page fetched
    already) only when its bytes are this build's, and fetches each distinct file once."""
    integrity = {
        quote(path): "sha256-" + base64.b64encode(hashlib.sha256(data).digest()).decode()
        for path, data in outputs.items()
        if path not in ("sw.js", HEADERS)
    }
    if "index.html" in integrity:
        integrity["./"] = integrity["index.html"]
    return dict(sorted(integrity.items()))


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
    """web/static/** as static/**, without dotfiles, source maps and the stylesheet's parts
    (stylesheet.py joins those into one file)."""
    files: dict[str, bytes] = {}
    if static.is_dir():
        for path in sorted(static.rglob("*")):
            relative = path.relative_to(static)
            if (
                path.is_file()
                and not any(part.startswith(".") for part in relative.parts)
                and not path.name.endswith(".map")
                and not relative.is_relative_to(PARTS)
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
    *,
    sync_server: str | None = None,
) -> dict[str, bytes]:
    """Every file of dist/, as relative path -> bytes. Writes nothing. `sync_server` is the sync
    server's base URL when it is deployed on another origin than the app (None: this origin's
    `api/`)."""
    env = _environment(web / "templates")
    policy = csp(sync_server)
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
                source_prefix=f"{ENGINE_PACKAGE}/",
                filename_prefix=f"{ENGINE_ZIP_PATH}/",
            ),
        ]
    )
    add({"pyodide/python_stdlib.zip": stdlib, "py/followup.zip": engine})
    engine_hash = content_hash(dict(outputs))  # runtime, stdlib and engine: the snapshot's key
    add({icon.path: render_icon(icon) for icon in ICONS})
    add(static_files(web / "static"))
    add(stylesheet(web / "static"))
    add({"manifest.webmanifest": render_manifest(env)})
    add({HEADERS: static_headers(policy)})

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
                csp=csp_meta(policy),
                sync_server=sync_server,
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
    add(
        {
            "sw.js": _render(
                env,
                "sw.js.j2",
                assets=precache_urls(outputs),
                integrity=precache_integrity(outputs),
                version=version,
            )
        }
    )
    return dict(sorted(outputs.items()))
