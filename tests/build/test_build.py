"""build.py: the plan as data (fast, no Node), and one real build per session (Node, Pyodide)."""

from __future__ import annotations

import asyncio
import hashlib
import io
import json
import os
import re
import shutil
import struct
import subprocess
import sys
import zipfile
import zlib
from collections.abc import Sequence
from pathlib import Path

import httpx
import pytest
from starlette.routing import BaseRoute, Mount

import build

HERE = Path(__file__).resolve().parent
NODE = shutil.which("node")
needs_node = pytest.mark.skipif(NODE is None, reason="node is not installed")

THROWAWAY_INDEX = """<!doctype html>
<html lang="en" data-engine="loading" data-version="{{ version }}">
<head>
<meta http-equiv="Content-Security-Policy" content="{{ csp }}">
<meta name="theme-color" content="{{ theme_color }}">
<title>Followthrough</title>
<link rel="manifest" href="manifest.webmanifest">
<script type="module" src="static/js/app.js"></script>
</head>
<body data-engine-hash="{{ build.engine_hash }}"></body>
</html>
"""


# --- Fixture trees and fakes --------------------------------------------------------------------


def make_web(root: Path) -> Path:
    """A small web/ tree with the real sw, manifest and build-info templates."""
    web = root / "web"
    templates = web / "templates"
    templates.mkdir(parents=True)
    for name in ("sw.js.j2", "manifest.webmanifest.j2", "build-info.js.j2"):
        shutil.copy(build.WEB / "templates" / name, templates / name)
    (templates / "index.html.j2").write_text(THROWAWAY_INDEX)
    files = {
        "static/js/app.js": "import './engine.js';\n",
        "static/js/engine.js": "export {};\n",
        "static/js/app.js.map": "{}",
        "static/css/app.css": "body { margin: 0 }\n",
        "static/.DS_Store": "junk",
        "static/.hidden/secret.js": "junk",
        "py/followup/__init__.py": '"""The engine."""\n',
        "py/followup/api.py": "def call(request: str) -> str:\n    return request\n",
        "py/followup/py.typed": "",
        "py/followup/__pycache__/api.cpython-311.pyc": "junk",
    }
    for relative, text in files.items():
        (web / relative).parent.mkdir(parents=True, exist_ok=True)
        (web / relative).write_text(text)
    return web


def fake_pyodide(directory: Path) -> build.Pyodide:
    stdlib = build.zip_files(
        {
            "json/__init__.py": b"import re\n",
            "this.py": b"print('zen')\n",
            "_pyrepl/__init__.py": b"",
            "pyodide/__init__.py": b"",
        },
        deflate=True,
    )
    return build.Pyodide(
        version=build.PYODIDE_VERSION,
        integrity="sha512-fake",
        runtime={name: f"fake {name}".encode() for name in build.PYODIDE_RUNTIME},
        stdlib_zip=stdlib,
        lock_info={"abi_version": "2026_0", "arch": "wasm32", "python": "3.14.2"},
        directory=directory,
    )


class RecordingCompiler:
    """Hands the source zips back unchanged, and remembers the jobs."""

    def __init__(self) -> None:
        self.jobs: list[build.CompileJob] = []

    def __call__(self, jobs: Sequence[build.CompileJob]) -> list[bytes]:
        self.jobs.extend(jobs)
        return [job.source_zip for job in jobs]


@pytest.fixture
def web(tmp_path: Path) -> Path:
    return make_web(tmp_path)


@pytest.fixture
def pyodide(tmp_path: Path) -> build.Pyodide:
    return fake_pyodide(tmp_path / "pyodide")


def plan_of(web: Path, pyodide: build.Pyodide) -> dict[str, bytes]:
    return build.plan(web, pyodide, RecordingCompiler())


def version_of(outputs: dict[str, bytes]) -> str:
    return build_info(outputs)["version"]


def build_info(outputs: dict[str, bytes]) -> dict[str, object]:
    text = outputs["static/js/build-info.js"].decode()
    start = text.index("Object.freeze(") + len("Object.freeze(")
    info: dict[str, object] = json.loads(text[start : text.rindex(");")])
    return info


def sw_constants(sw: bytes) -> tuple[list[str], str]:
    lines = {line.split(" = ", 1)[0]: line for line in sw.decode().splitlines()}
    assets = json.loads(lines["const ASSETS"].split(" = ", 1)[1].rstrip(";"))
    version = json.loads(lines["const VERSION"].split(" = ", 1)[1].rstrip(";"))
    return assets, version


def read_png(data: bytes) -> tuple[int, int, int, bytes]:
    """Width, height, channels and raw pixels of a PNG as build.py writes them, CRCs checked."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    at, chunks = 8, []
    while at < len(data):
        (length,) = struct.unpack(">I", data[at : at + 4])
        kind, body = data[at + 4 : at + 8], data[at + 8 : at + 8 + length]
        (crc,) = struct.unpack(">I", data[at + 8 + length : at + 12 + length])
        assert zlib.crc32(kind + body) == crc, kind
        chunks.append((kind, body))
        at += 12 + length
    assert chunks[0][0] == b"IHDR"
    assert chunks[-1] == (b"IEND", b"")
    width, height, depth, colour, _, _, interlace = struct.unpack(">IIBBBBB", chunks[0][1])
    assert (depth, interlace) == (8, 0)
    channels = {2: 3, 6: 4}[colour]
    raw = zlib.decompress(b"".join(body for kind, body in chunks if kind == b"IDAT"))
    stride = width * channels + 1
    assert len(raw) == height * stride
    assert all(raw[row * stride] == 0 for row in range(height))  # filter "none"
    pixels = b"".join(raw[row * stride + 1 : (row + 1) * stride] for row in range(height))
    return width, height, channels, pixels


# --- The plan -----------------------------------------------------------------------------------


def test_the_precache_list_is_every_file_but_the_service_worker_plus_the_page(web, pyodide):
    outputs = plan_of(web, pyodide)

    assets, _ = sw_constants(outputs["sw.js"])

    assert assets == sorted(["./", *(path for path in outputs if path != "sw.js")])
    assert "sw.js" not in assets


def test_the_plan_holds_the_runtime_zips_icons_static_files_and_rendered_templates(web, pyodide):
    outputs = plan_of(web, pyodide)

    assert set(outputs) == {
        "index.html",
        "manifest.webmanifest",
        "sw.js",
        "py/followup.zip",
        "pyodide/pyodide.mjs",
        "pyodide/pyodide.asm.mjs",
        "pyodide/pyodide.asm.wasm",
        "pyodide/python_stdlib.zip",
        "static/css/app.css",
        "static/js/app.js",
        "static/js/build-info.js",
        "static/js/engine.js",
        *(icon.path for icon in build.ICONS),
    }


def test_static_files_are_copied_verbatim_without_source_maps_or_dotfiles(web, pyodide):
    outputs = plan_of(web, pyodide)

    assert outputs["static/js/app.js"] == (web / "static/js/app.js").read_bytes()
    assert not [path for path in outputs if path.endswith(".map") or "/." in path]


def test_the_same_tree_plans_the_same_bytes(web, pyodide):
    assert plan_of(web, pyodide) == plan_of(web, pyodide)


def test_touching_a_file_without_changing_it_keeps_the_version(web, pyodide):
    before = version_of(plan_of(web, pyodide))
    os.utime(web / "static/js/app.js", (1, 1))
    os.utime(web / "py/followup/api.py", (1, 1))

    assert version_of(plan_of(web, pyodide)) == before


@pytest.mark.parametrize(
    "change",
    [
        "edit a static file",
        "add a static file",
        "rename a static file",
        "edit the engine",
        "edit the page template",
        "edit the manifest template",
        "edit the service worker template",
        "another runtime",
    ],
)
def test_any_change_to_what_is_served_changes_the_version(web, pyodide, change):
    before = plan_of(web, pyodide)
    js = web / "static/js"
    if change == "edit a static file":
        (js / "engine.js").write_text("export const x = 1;\n")
    elif change == "add a static file":
        (js / "extra.js").write_text("")
    elif change == "rename a static file":
        (web / "static/css/app.css").rename(web / "static/css/main.css")
    elif change == "edit the engine":
        (web / "py/followup/api.py").write_text("def call(request):\n    return '{}'\n")
    elif change == "edit the page template":
        (web / "templates/index.html.j2").write_text(THROWAWAY_INDEX.replace("<body", "<body x"))
    elif change == "edit the manifest template":
        text = (web / "templates/manifest.webmanifest.j2").read_text()
        (web / "templates/manifest.webmanifest.j2").write_text(text.replace('"en"', '"en-GB"'))
    elif change == "edit the service worker template":
        with (web / "templates/sw.js.j2").open("a") as template:
            template.write("// changed\n")
    elif change == "another runtime":
        runtime = {**pyodide.runtime, "pyodide.asm.wasm": b"other wasm"}
        pyodide = build.Pyodide(**{**pyodide.__dict__, "runtime": runtime})

    after = plan_of(web, pyodide)

    assert version_of(after) != version_of(before)
    assert sw_constants(after["sw.js"])[1] == version_of(after)


def test_the_engine_hash_follows_the_runtime_and_engine_but_not_the_page(web, pyodide):
    before = build_info(plan_of(web, pyodide))["engine_hash"]
    (web / "static/js/engine.js").write_text("export const y = 2;\n")
    page_changed = build_info(plan_of(web, pyodide))["engine_hash"]
    (web / "py/followup/api.py").write_text("X = 1\n")
    engine_changed = build_info(plan_of(web, pyodide))["engine_hash"]

    assert page_changed == before
    assert engine_changed != before


def test_the_page_the_build_info_and_the_worker_name_one_version(web, pyodide):
    outputs = plan_of(web, pyodide)
    version = version_of(outputs)

    assert sw_constants(outputs["sw.js"])[1] == version
    assert f'data-version="{version}"' in outputs["index.html"].decode()
    assert len(version) == build.HASH_LENGTH
    int(version, 16)


def test_build_info_carries_what_the_worker_needs(web, pyodide):
    info = build_info(plan_of(web, pyodide))

    assert info["pyodide_version"] == build.PYODIDE_VERSION
    assert info["lock_info"] == dict(pyodide.lock_info)
    assert set(info) == {"pyodide_version", "engine_hash", "version", "lock_info"}


def test_the_page_carries_the_csp_without_frame_ancestors(web, pyodide):
    page = plan_of(web, pyodide)["index.html"].decode()

    meta = page.split('http-equiv="Content-Security-Policy" content="')[1].split('"')[0]
    assert meta.replace("&#39;", "'") == build.CSP_META
    assert "frame-ancestors" not in meta
    assert "frame-ancestors 'none'" in build.CSP
    assert build.CSP.replace("; frame-ancestors 'none'", "") == build.CSP_META


def test_a_missing_page_template_is_named(web, pyodide):
    (web / "templates/index.html.j2").unlink()

    with pytest.raises(build.BuildError, match=r"web/templates/index\.html\.j2 is missing"):
        plan_of(web, pyodide)


def test_the_compiler_gets_the_trimmed_stdlib_and_the_engine_with_sources_kept(web, pyodide):
    compiler = RecordingCompiler()

    build.plan(web, pyodide, compiler)

    stdlib, engine = compiler.jobs
    assert (stdlib.stdlib, stdlib.keep_source) == (True, False)
    assert stdlib.filename_prefix == "/lib/python314.zip/"
    assert zipfile.ZipFile(io.BytesIO(stdlib.source_zip)).namelist() == [
        "json/",
        "json/__init__.py",
        "pyodide/",
        "pyodide/__init__.py",
    ]
    assert (engine.stdlib, engine.keep_source) == (False, True)
    assert engine.filename_prefix == build.ENGINE_ZIP_PATH + "/"
    assert zipfile.ZipFile(io.BytesIO(engine.source_zip)).namelist() == [
        "followup/",
        "followup/__init__.py",
        "followup/api.py",
        "followup/py.typed",
    ]


# --- Zips and wheels ----------------------------------------------------------------------------


def test_zips_are_sorted_with_fixed_timestamps_and_folder_entries():
    data = build.zip_files({"b/z.py": b"z", "a.py": b"a", "b/c/d.txt": b"d"}, deflate=True)

    infos = zipfile.ZipFile(io.BytesIO(data)).infolist()

    assert [info.filename for info in infos] == ["a.py", "b/", "b/c/", "b/c/d.txt", "b/z.py"]
    assert {info.date_time for info in infos} == {build.ZIP_EPOCH}
    assert data == build.zip_files({"a.py": b"a", "b/c/d.txt": b"d", "b/z.py": b"z"}, deflate=True)


def make_wheel(files: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as wheel:
        for name, data in files.items():
            wheel.writestr(name, data)
    return buffer.getvalue()


def test_a_wheel_s_modules_and_metadata_join_the_engine_zip(tmp_path):
    web = make_web(tmp_path)
    wheel = make_wheel(
        {
            "vcardlib/__init__.py": b"",
            "vcardlib-1.0.dist-info/METADATA": b"Name: vcardlib\n",
            "vcardlib-1.0.data/purelib/vcard_extra.py": b"",
            "vcardlib-1.0.data/scripts/vcard": b"#!/bin/sh\n",
        }
    )

    names = zipfile.ZipFile(io.BytesIO(build.engine_source(web / "py", [("v", wheel)]))).namelist()

    assert "vcardlib/__init__.py" in names
    assert "vcardlib-1.0.dist-info/METADATA" in names
    assert "vcard_extra.py" in names
    assert not [name for name in names if "scripts" in name]


def test_a_wheel_that_would_overwrite_the_engine_is_refused(tmp_path):
    web = make_web(tmp_path)
    wheel = make_wheel({"followup/api.py": b"evil = True\n"})

    with pytest.raises(build.BuildError, match=r"would overwrite followup/api\.py"):
        build.engine_source(web / "py", [("evil==1", wheel)])


def test_a_cached_wheel_with_another_hash_is_refused(tmp_path):
    (tmp_path / "wheels").mkdir()
    (tmp_path / "wheels" / "vcard_lib-1.0-py3-none-any.whl").write_bytes(b"tampered")
    pinned = build.Wheel("vcard-lib", "1.0", "0" * 64)

    with pytest.raises(build.BuildError, match="does not match the sha256 pinned"):
        build.fetch_wheel(pinned, tmp_path, python="3.14")


def test_a_cached_wheel_with_the_pinned_hash_is_used_without_pip(tmp_path):
    data = make_wheel({"vcard_lib/__init__.py": b""})
    (tmp_path / "wheels").mkdir()
    (tmp_path / "wheels" / "vcard_lib-1.0-py3-none-any.whl").write_bytes(data)
    pinned = build.Wheel("vcard-lib", "1.0", hashlib.sha256(data).hexdigest())

    assert build.fetch_wheel(pinned, tmp_path, python="3.14") == data


def test_no_wheels_are_pinned_yet_and_each_pin_is_a_sha256():
    for wheel in build.ENGINE_WHEELS:
        assert len(wheel.sha256) == 64
        int(wheel.sha256, 16)


# --- Icons and manifest -------------------------------------------------------------------------


@pytest.mark.parametrize("icon", build.ICONS, ids=lambda icon: icon.path)
def test_icons_are_valid_pngs_of_their_declared_size(icon):
    width, height, channels, _ = read_png(build.render_icon(icon))

    assert (width, height) == (icon.size, icon.size)
    assert channels == (3 if icon.full_bleed else 4)


def test_icons_are_the_same_bytes_every_time():
    assert [build.render_icon(i) for i in build.ICONS] == [
        build.render_icon(i) for i in build.ICONS
    ]


def test_the_maskable_icon_keeps_its_mark_inside_the_central_80_percent():
    icon = next(icon for icon in build.ICONS if icon.purpose == "maskable")
    size, _, channels, pixels = read_png(build.render_icon(icon))
    background = bytes(build.TEAL)

    outside = [
        (x, y)
        for y in range(size)
        for x in range(size)
        if (x + 0.5 - size / 2) ** 2 + (y + 0.5 - size / 2) ** 2 > (0.4 * size) ** 2
        and pixels[(y * size + x) * channels : (y * size + x) * channels + 3] != background
    ]
    assert outside == []


def test_the_rounded_icons_have_transparent_corners_and_an_opaque_middle():
    icon = next(icon for icon in build.ICONS if icon.path == "icons/icon-192.png")
    size, _, _, pixels = read_png(build.render_icon(icon))

    assert pixels[3] == 0  # top-left corner
    assert pixels[((size // 2) * size + 2) * 4 + 3] == 255  # middle of the left edge


def test_the_manifest_is_json_with_what_installing_needs(web, pyodide):
    outputs = plan_of(web, pyodide)

    manifest = json.loads(outputs["manifest.webmanifest"])

    assert manifest["name"] == manifest["short_name"] == "Followthrough"
    assert manifest["description"]
    assert (manifest["id"], manifest["start_url"], manifest["scope"]) == ("./", "./", "./")
    assert manifest["display"] == "standalone"
    assert manifest["theme_color"] == build.THEME_COLOR == "#0f5257"
    assert manifest["background_color"].startswith("#")
    purposes = {(icon["sizes"], icon["purpose"]) for icon in manifest["icons"]}
    assert {("192x192", "any"), ("512x512", "any"), ("512x512", "maskable")} <= purposes
    for icon in manifest["icons"] + [i for s in manifest["shortcuts"] for i in s["icons"]]:
        width, height, _, _ = read_png(outputs[icon["src"]])
        assert icon["sizes"] == f"{width}x{height}"
        assert icon["type"] == "image/png"
    shortcuts = {s["name"]: s for s in manifest["shortcuts"]}
    assert shortcuts["Capture"]["url"] == "./#capture"
    assert shortcuts["Today"]["url"] == "./#today"
    assert shortcuts["Today"]["icons"][0]["src"] == "icons/icon-96.png"
    assert manifest["share_target"] == {
        "action": "./share",
        "method": "GET",
        "enctype": "application/x-www-form-urlencoded",  # Chrome warns without it
        "params": {"title": "title", "text": "text", "url": "url"},
    }


# --- The service worker, run in Node ------------------------------------------------------------


@needs_node
def test_the_service_worker_precaches_waits_for_the_page_and_keeps_other_caches(
    web, pyodide, tmp_path
):
    outputs = plan_of(web, pyodide)
    (tmp_path / "sw.js").write_bytes(outputs["sw.js"])

    result = subprocess.run(
        [str(NODE), str(HERE / "sw-harness.mjs"), str(tmp_path / "sw.js")],
        capture_output=True,
        text=True,
        check=True,
    )
    report = json.loads(result.stdout)

    version = version_of(outputs)
    first = report["first_install"]
    assert first["caches"] == [f"followthrough-static-{version}"]
    assert first["added"] == ["/" if url == "./" else f"/{url}" for url in report["assets"]]
    assert first["cache_modes"] == ["reload"]
    assert first["skip_waiting"] == 1
    assert report["update_install"]["skip_waiting"] == 0
    assert report["update_after_message"]["skip_waiting"] == 1
    assert report["activate"] == {
        "caches": ["followthrough-snapshots", f"followthrough-static-{version}", "someone-else"],
        "claim": 1,
    }
    fetch = report["fetch"]
    assert fetch["post"] == fetch["cross_origin"] == fetch["api"] == "not intercepted"
    assert fetch["navigate_share"] == fetch["navigate_root"] == "cached:/"
    assert fetch["asset_with_query"] == "cached:/static/js/app.js"
    assert fetch["unknown"] == "network:/nothing-here.txt"
    assert fetch["fetched"] == ["/nothing-here.txt"]
    assert report["navigate_uncached"] == "network:/share"
    assert report["version_messages"] == {
        "port": [version],
        "source": [{"type": "version", "version": version}],
    }


# --- Pyodide: integrity and tools ---------------------------------------------------------------


def test_a_tarball_that_does_not_match_the_pinned_integrity_is_refused(tmp_path):
    tarball = tmp_path / f"pyodide-{build.PYODIDE_VERSION}.tgz"
    tarball.write_bytes(b"not the package")

    with pytest.raises(build.BuildError) as error:
        build.fetch_pyodide(tmp_path, log=lambda _: None)

    message = str(error.value)
    assert "does not match the pinned integrity" in message
    assert str(tarball) in message
    assert build.PYODIDE_INTEGRITY in message
    assert build.integrity_of(b"not the package") in message
    assert "Delete it" in message


def test_the_integrity_string_is_npm_s_sha512_format():
    assert build.integrity_of(b"").startswith(
        "sha512-z4PhNX7vuL3xVChQ1m2AB9Yg5AULVxXcg/SpIdNs6c5H0NE8"
    )


def write_fake_tool(folder: Path, name: str, output: str = "v20.0.0") -> None:
    folder.mkdir(exist_ok=True)
    tool = folder / name
    tool.write_text(f"#!/bin/sh\necho {output}\n")
    tool.chmod(0o755)


@pytest.mark.parametrize(
    ("present", "named"),
    [((), "node and npm"), (("node",), "npm"), (("npm",), "node")],
)
def test_missing_node_or_npm_stops_the_build_naming_what_to_install(
    tmp_path, monkeypatch, present, named
):
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    for name in present:
        write_fake_tool(bin_dir, name)
    monkeypatch.setenv("PATH", str(bin_dir))

    with pytest.raises(build.BuildError) as error:
        build.require_tools()

    assert str(error.value).startswith(f"{named} not found on PATH")
    assert "apt-get install nodejs npm" in str(error.value)


def test_an_old_node_is_refused(tmp_path, monkeypatch):
    write_fake_tool(tmp_path / "bin", "node", "v16.20.0")
    write_fake_tool(tmp_path / "bin", "npm")
    monkeypatch.setenv("PATH", str(tmp_path / "bin"))

    with pytest.raises(build.BuildError, match=r"Node\.js v16\.20\.0 is too old"):
        build.require_tools()


def test_the_command_line_reports_missing_tools_and_exits_nonzero(tmp_path):
    empty = tmp_path / "bin"
    empty.mkdir()
    env = {**os.environ, "PATH": str(empty), "FOLLOWTHROUGH_CACHE": str(tmp_path / "cache")}

    result = subprocess.run(
        [sys.executable, str(build.ROOT / "build.py"), "--out", str(tmp_path / "out")],
        capture_output=True,
        text=True,
        env=env,
    )

    assert result.returncode == 1
    assert result.stderr.startswith("build.py: error: node and npm not found on PATH")
    assert not (tmp_path / "out").exists()
    assert not (tmp_path / "cache").exists()


# --- Writing ------------------------------------------------------------------------------------


def test_writing_leaves_exactly_the_plan_and_keeps_unchanged_files_untouched(tmp_path):
    out = tmp_path / "dist"
    build.write(out, {"sw.js": b"1", "a/b.txt": b"b", "old/x.txt": b"x", "keep.txt": b"k"})
    os.utime(out / "keep.txt", (1, 1))

    build.write(out, {"sw.js": b"2", "a/b.txt": b"b2", "keep.txt": b"k"})

    files = {p.relative_to(out).as_posix(): p.read_bytes() for p in out.rglob("*") if p.is_file()}
    assert files == {"sw.js": b"2", "a/b.txt": b"b2", "keep.txt": b"k"}
    assert not (out / "old").exists()
    assert (out / "keep.txt").stat().st_mtime == 1


def test_writing_refuses_a_folder_that_is_not_a_previous_build(tmp_path):
    (tmp_path / "precious.txt").write_text("do not delete")

    with pytest.raises(build.BuildError, match="does not look like a previous build"):
        build.write(tmp_path, {"sw.js": b""})

    assert (tmp_path / "precious.txt").exists()


@pytest.mark.parametrize("where", ["root", "parent", "web"])
def test_writing_refuses_the_source_tree(where):
    out = {"root": build.ROOT, "parent": build.ROOT.parent, "web": build.WEB / "dist"}[where]

    with pytest.raises(build.BuildError, match="Refusing to build into"):
        build.write(out, {"sw.js": b""})


# --- The server ---------------------------------------------------------------------------------


class Client:
    """Requests to an ASGI app in-process. (starlette.testclient now warns unless httpx2 is
    installed, and warnings are errors here.)"""

    def __init__(self, app: object) -> None:
        self.app = app

    def get(self, path: str, headers: dict[str, str] | None = None) -> httpx.Response:
        async def fetch() -> httpx.Response:
            transport = httpx.ASGITransport(app=self.app)  # type: ignore[arg-type]
            async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
                response = await client.get(path, headers=headers)
                await response.aread()
                return response

        return asyncio.run(fetch())


@pytest.fixture
def served(tmp_path) -> Path:
    out = tmp_path / "dist"
    build.write(
        out,
        {
            "index.html": b"<!doctype html><title>Followthrough</title>",
            "sw.js": b"const VERSION = 'x';",
            "manifest.webmanifest": b"{}",
            "pyodide/pyodide.asm.wasm": b"\0asm",
            "pyodide/pyodide.mjs": b"export {};",
            "pyodide/python_stdlib.zip": b"PK",
            "static/js/app.js": b"export {};",
            "static/css/app.css": b"",
            "icons/icon-192.png": b"\x89PNG",
        },
    )
    return out


NAVIGATE = {"sec-fetch-mode": "navigate", "accept": "text/html,*/*;q=0.8"}


@pytest.mark.parametrize(
    ("path", "content_type"),
    [
        ("/pyodide/pyodide.asm.wasm", "application/wasm"),
        ("/pyodide/pyodide.mjs", "text/javascript; charset=utf-8"),
        ("/static/js/app.js", "text/javascript; charset=utf-8"),
        ("/sw.js", "text/javascript; charset=utf-8"),
        ("/manifest.webmanifest", "application/manifest+json"),
        ("/static/css/app.css", "text/css; charset=utf-8"),
        ("/pyodide/python_stdlib.zip", "application/zip"),
        ("/icons/icon-192.png", "image/png"),
        ("/", "text/html; charset=utf-8"),
    ],
)
def test_the_server_sends_exact_content_types(served, path, content_type):
    response = Client(build.create_app(served)).get(path)

    assert response.status_code == 200
    assert response.headers["content-type"] == content_type


@pytest.mark.parametrize("path", ["/", "/index.html", "/share?title=Ann&text=met+at+expo"])
def test_the_page_is_served_with_the_csp_and_revalidated(served, path):
    response = Client(build.create_app(served)).get(path, headers=NAVIGATE)

    assert response.status_code == 200
    assert response.text.startswith("<!doctype html>")
    assert response.headers["content-security-policy"] == build.CSP
    assert response.headers["cache-control"] == "no-cache"


@pytest.mark.parametrize("path", ["/sw.js", "/manifest.webmanifest"])
def test_the_files_that_pick_the_version_are_revalidated(served, path):
    response = Client(build.create_app(served)).get(path)

    assert response.headers["cache-control"] == "no-cache"
    assert "content-security-policy" not in response.headers


def test_other_files_are_left_to_normal_http_caching(served):
    response = Client(build.create_app(served)).get("/pyodide/pyodide.asm.wasm")

    assert "cache-control" not in response.headers
    assert response.headers["etag"]


@pytest.mark.parametrize(
    ("path", "headers"),
    [
        ("/static/js/missing.js", NAVIGATE),  # a missing file, even when navigated to
        ("/share", {}),  # not a navigation
        ("/api/changes", NAVIGATE),  # the API's space, even before the API exists
        ("/api", NAVIGATE),
    ],
)
def test_what_is_not_a_page_gets_a_404_not_the_page(served, path, headers):
    response = Client(build.create_app(served)).get(path, headers=headers)

    assert response.status_code == 404


def test_serving_keeps_no_access_log_of_client_addresses(tmp_path, monkeypatch):
    (tmp_path / "index.html").write_text("<!doctype html>")
    calls: list[dict[str, object]] = []
    monkeypatch.setattr(build.uvicorn, "run", lambda app, **options: calls.append(options))

    build.serve(tmp_path, "127.0.0.1", 8000)

    assert calls == [{"host": "127.0.0.1", "port": 8000, "log_level": "info", "access_log": False}]


def test_the_api_hook_mounts_under_api_before_the_app(served):
    async def api(scope, receive, send):
        await send({"type": "http.response.start", "status": 200, "headers": []})
        await send({"type": "http.response.body", "body": b"api"})

    def mount(routes: list[BaseRoute]) -> None:
        routes.append(Mount("/api", app=api))

    client = Client(build.create_app(served, mount=mount))

    assert client.get("/api/changes").text == "api"
    assert client.get("/static/js/app.js").text == "export {};"


# --- One real build per session (Node + the pinned Pyodide) ------------------------------------


@pytest.fixture(scope="session")
def real_web(tmp_path_factory) -> Path:
    """A snapshot of web/ (the engine is edited concurrently), with a page template if none."""
    web = tmp_path_factory.mktemp("real") / "web"
    shutil.copytree(build.WEB, web, ignore=shutil.ignore_patterns("__pycache__"))
    if not (web / "templates/index.html.j2").exists():
        (web / "templates/index.html.j2").write_text(THROWAWAY_INDEX)
    return web


@pytest.fixture(scope="session")
def real_build(real_web, tmp_path_factory) -> tuple[Path, dict[str, bytes]]:
    if NODE is None:
        pytest.skip("node is not installed")
    out = tmp_path_factory.mktemp("dist-a")
    outputs = build.build(out, web=real_web, log=lambda _: None)
    return out, outputs


def files_under(folder: Path) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes() for p in folder.rglob("*") if p.is_file()
    }


def test_a_real_build_precaches_exactly_the_files_on_disk(real_build):
    out, outputs = real_build

    on_disk = files_under(out)
    assets, _ = sw_constants(on_disk["sw.js"])

    assert on_disk == outputs
    assert sorted(assets) == sorted(["./", *(path for path in on_disk if path != "sw.js")])


def test_the_real_page_starts_the_worker_first_and_preloads_the_first_paint_modules(real_build):
    _, outputs = real_build
    page = outputs["index.html"].decode()
    head = page[: page.index("</head>")]

    graph = build.static_imports(outputs, "static/js/app.js")
    preloads = re.findall(r'<link rel="modulepreload" href="([^"]+)">', head)

    assert preloads == ["static/js/app.js", *graph]
    assert {"static/js/dom.js", "static/js/engine.js", "static/js/store.js"} <= set(graph)
    # Screens and sync load on demand: not on the first paint.
    assert not [
        path
        for path in graph
        if path.endswith(("people.js", "sync.js", "settings.js", "settings/index.js"))
    ]
    scripts = re.findall(r"<script[^>]*>", head)
    assert scripts[0] == '<script src="static/js/boot.js">'
    assert head.index("boot.js") < head.index("app.css") < head.index('type="module"')


def test_static_imports_follow_every_quote_style_and_skip_dynamic_imports():
    outputs = {
        "static/js/app.js": b"import { a } from \"./a.js\";\nimport './views/b.js';\n"
        b'const later = import("./lazy.js");\n',
        "static/js/a.js": b'import {\n  c,\n} from "./c.js";\nexport const a = 1;\n',
        "static/js/views/b.js": b'import * as c from "../c.js";\n',
        "static/js/c.js": b"export const c = 1;\n",
        "static/js/lazy.js": b"",
    }

    assert build.static_imports(outputs, "static/js/app.js") == [
        "static/js/a.js",
        "static/js/c.js",
        "static/js/views/b.js",
    ]
    assert build.static_imports(outputs, "static/js/none.js") == []


def test_a_static_import_of_a_file_not_in_the_build_is_named():
    outputs = {"static/js/app.js": b'import { gone } from "./gone.js";\n'}

    with pytest.raises(build.BuildError, match=r"static/js/app.js imports ./gone.js"):
        build.static_imports(outputs, "static/js/app.js")


def test_a_real_build_ships_only_three_files_of_the_pyodide_package(real_build):
    out, _ = real_build

    assert sorted(p.name for p in (out / "pyodide").iterdir()) == [
        "pyodide.asm.mjs",
        "pyodide.asm.wasm",
        "pyodide.mjs",
        "python_stdlib.zip",
    ]


def test_a_real_build_ships_a_stdlib_of_deflated_pyc_only(real_build):
    out, _ = real_build

    infos = zipfile.ZipFile(out / "pyodide/python_stdlib.zip").infolist()
    files = [info for info in infos if not info.is_dir()]

    assert [info.filename for info in infos] == sorted(info.filename for info in infos)
    assert {info.date_time for info in infos} == {build.ZIP_EPOCH}
    assert not [info.filename for info in files if info.filename.endswith(".py")]
    assert {info.compress_type for info in files} == {zipfile.ZIP_DEFLATED}
    names = {info.filename for info in files}
    assert len([name for name in names if name.endswith(".pyc")]) > 500
    assert {"json/__init__.pyc", "datetime.pyc", "zoneinfo/__init__.pyc"} <= names
    assert {"pyodide/__init__.pyc", "_pyodide/__init__.pyc"} <= names
    assert not [name for name in names if name.split("/")[0] in {"_pyrepl", "this.pyc"}]


def test_a_real_build_ships_the_engine_as_pyc_with_its_sources(real_build, real_web):
    out, _ = real_build

    names = set(zipfile.ZipFile(out / "py/followup.zip").namelist())

    sources = {
        p.relative_to(real_web / "py").as_posix()
        for p in (real_web / "py/followup").rglob("*.py")
        if "__pycache__" not in p.parts
    }
    assert sources
    assert sources <= names
    assert {f"{source}c" for source in sources} <= names


def test_a_real_build_records_the_package_s_lock_info_and_an_engine_hash(real_build):
    _, outputs = real_build
    lock = json.loads(
        (build.cache_dir() / f"pyodide-{build.PYODIDE_VERSION}/pyodide-lock.json").read_text()
    )

    info = build_info(outputs)

    assert info["lock_info"] == lock["info"]
    engine_files = {
        p: outputs[p] for p in outputs if p.startswith("pyodide/") or p == "py/followup.zip"
    }
    assert info["engine_hash"] == build.content_hash(engine_files)


def test_two_builds_of_the_same_tree_are_byte_identical(real_build, real_web, tmp_path):
    out, _ = real_build

    # Compiled afresh, in another Node process: marshal must not depend on the run.
    build.build(tmp_path / "dist-b", web=real_web, reuse_compiled=False, log=lambda _: None)

    first, second = files_under(out), files_under(tmp_path / "dist-b")
    assert sorted(first) == sorted(second)
    assert [path for path in first if first[path] != second[path]] == []


STDLIB_MODULES = [
    "json",
    "datetime",
    "dataclasses",
    "re",
    "csv",
    "email.parser",
    "zoneinfo",
    "decimal",
    "statistics",
    "asyncio",
    "importlib.metadata",
    "unittest",
    "textwrap",
    "uuid",
    "base64",
    "quopri",
]


def test_a_real_build_boots_in_pyodide_and_imports_from_its_pyc_zips(real_build):
    out, _ = real_build

    result = subprocess.run(
        [str(NODE), str(HERE / "boot-check.mjs"), str(out), json.dumps(STDLIB_MODULES)],
        capture_output=True,
        text=True,
    )

    assert result.returncode == 0, result.stderr[-2000:]
    report = json.loads(result.stdout.strip().splitlines()[-1])
    assert report["python"].startswith("3.14.")
    for name, origin in report["origins"].items():
        assert origin.startswith("/lib/python314.zip/"), name
        assert origin.endswith(".pyc"), name
    assert report["package_origin"] == f"{build.ENGINE_ZIP_PATH}/followup/__init__.pyc"
    for name, module in report["engine"].items():
        path = name.replace(".", "/")
        assert module["origin"].endswith(f"/{path}.pyc"), name
        assert module["co_filename"] == f"{build.ENGINE_ZIP_PATH}/{path}.py", name
        assert module["has_source"], name
    # The interop libraries ship in the engine zip and run under Pyodide (issue #5).
    assert report["interop"]["vobject_origin"].startswith(f"{build.ENGINE_ZIP_PATH}/vobject/")
    assert report["interop"]["preview_new"] == 1
    assert report["interop"]["ics_ok"] is True
    assert report["interop"]["ics_begins"] == "BEGIN:VCALENDAR"
    # segno draws QR codes inside the engine (My card, the sync pairing link).
    assert report["interop"]["segno_origin"].startswith(f"{build.ENGINE_ZIP_PATH}/segno/")
    assert report["interop"]["qr_size"] == 25
