"""buildtool/plan.py: every output as data, the version that names them, the manifest, and
the first-paint module graph (fast: a fake runtime and a compiler that hands zips back)."""

from __future__ import annotations

import io
import json
import os
import zipfile

import pytest

from buildtool.compile import ENGINE_ZIP_PATH
from buildtool.host import BuildError
from buildtool.icons import ICONS
from buildtool.plan import (
    CSP,
    CSP_META,
    HASH_LENGTH,
    THEME_COLOR,
    csp,
    plan,
    static_imports,
)
from buildtool.pyodide import PYODIDE_VERSION, Pyodide

from .conftest import (
    THROWAWAY_INDEX,
    RecordingCompiler,
    build_info,
    plan_of,
    read_png,
    sw_constants,
    version_of,
)


def test_the_precache_list_is_every_file_but_the_service_worker_plus_the_page(web, pyodide):
    outputs = plan_of(web, pyodide)

    assets, _ = sw_constants(outputs["sw.js"])

    # `_headers` is for static hosts, not the app.
    assert assets == sorted(
        ["./", *(path for path in outputs if path not in ("sw.js", "_headers"))]
    )
    assert "sw.js" not in assets


def test_the_plan_holds_the_runtime_zips_icons_static_files_and_rendered_templates(web, pyodide):
    outputs = plan_of(web, pyodide)

    assert set(outputs) == {
        "_headers",
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
        *(icon.path for icon in ICONS),
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
        pyodide = Pyodide(**{**pyodide.__dict__, "runtime": runtime})

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
    assert len(version) == HASH_LENGTH
    int(version, 16)


def test_build_info_carries_what_the_worker_needs(web, pyodide):
    info = build_info(plan_of(web, pyodide))

    assert info["pyodide_version"] == PYODIDE_VERSION
    assert info["lock_info"] == dict(pyodide.lock_info)
    assert set(info) == {"pyodide_version", "engine_hash", "version", "lock_info"}


def test_the_page_carries_the_csp_without_frame_ancestors(web, pyodide):
    page = plan_of(web, pyodide)["index.html"].decode()

    meta = page.split('http-equiv="Content-Security-Policy" content="')[1].split('"')[0]
    assert meta.replace("&#39;", "'") == CSP_META
    assert "frame-ancestors" not in meta
    assert "frame-ancestors 'none'" in CSP
    assert CSP.replace("; frame-ancestors 'none'", "") == CSP_META


def test_a_sync_server_on_its_own_origin_is_allowed_by_the_csp_and_told_to_static_hosts(
    web, pyodide
):
    outputs = plan(web, pyodide, RecordingCompiler(), sync_server="https://sync.example.org/v/")

    page = outputs["index.html"].decode().replace("&#39;", "'")
    headers = outputs["_headers"].decode()
    assert "connect-src 'self' https://sync.example.org;" in page
    assert f"Content-Security-Policy: {csp('https://sync.example.org/v/')}" in headers
    assert "X-Content-Type-Options: nosniff" in headers
    assert "connect-src 'self';" in CSP  # the one-origin default


@pytest.mark.parametrize(
    "url",
    [
        "http://sync.example.org/",  # plain http beyond this machine
        "https://sync.example.org",  # no trailing slash: not a base URL
        "https://sync.example.org/?x=1",
        "https://sync.example.org/ 'unsafe-inline'",
        "javascript:alert(1)//",
        "https://sync.example.org;script-src */",
    ],
)
def test_a_sync_server_that_is_not_a_base_url_is_refused_by_name(web, pyodide, url):
    with pytest.raises(BuildError, match="--sync-server"):
        plan(web, pyodide, RecordingCompiler(), sync_server=url)


def test_the_static_host_headers_are_not_precached(web, pyodide):
    outputs = plan_of(web, pyodide)

    assert "_headers" in outputs
    assert "_headers" not in outputs["sw.js"].decode()


def test_a_missing_page_template_is_named(web, pyodide):
    (web / "templates/index.html.j2").unlink()

    with pytest.raises(BuildError, match=r"web/templates/index\.html\.j2 is missing"):
        plan_of(web, pyodide)


def test_the_compiler_gets_the_trimmed_stdlib_and_the_engine_with_sources_kept(web, pyodide):
    compiler = RecordingCompiler()

    plan(web, pyodide, compiler)

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
    assert engine.source_prefix == "followup/"  # the wheels ship compiled only
    assert engine.filename_prefix == ENGINE_ZIP_PATH + "/"
    assert zipfile.ZipFile(io.BytesIO(engine.source_zip)).namelist() == [
        "followup/",
        "followup/__init__.py",
        "followup/api.py",
        "followup/py.typed",
    ]


def test_the_manifest_is_json_with_what_installing_needs(web, pyodide):
    outputs = plan_of(web, pyodide)

    manifest = json.loads(outputs["manifest.webmanifest"])

    assert manifest["name"] == manifest["short_name"] == "Followthrough"
    assert manifest["description"]
    assert (manifest["id"], manifest["start_url"], manifest["scope"]) == ("./", "./", "./")
    assert manifest["display"] == "standalone"
    assert manifest["theme_color"] == THEME_COLOR == "#0f5257"
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


def test_static_imports_follow_every_quote_style_and_skip_dynamic_imports():
    outputs = {
        "static/js/app.js": b"import { a } from \"./a.js\";\nimport './views/b.js';\n"
        b'const later = import("./lazy.js");\n',
        "static/js/a.js": b'import {\n  c,\n} from "./c.js";\nexport const a = 1;\n',
        "static/js/views/b.js": b'import * as c from "../c.js";\n',
        "static/js/c.js": b"export const c = 1;\n",
        "static/js/lazy.js": b"",
    }

    assert static_imports(outputs, "static/js/app.js") == [
        "static/js/a.js",
        "static/js/c.js",
        "static/js/views/b.js",
    ]
    assert static_imports(outputs, "static/js/none.js") == []


def test_a_static_import_of_a_file_not_in_the_build_is_named():
    outputs = {"static/js/app.js": b'import { gone } from "./gone.js";\n'}

    with pytest.raises(BuildError, match=r"static/js/app.js imports ./gone.js"):
        static_imports(outputs, "static/js/app.js")
