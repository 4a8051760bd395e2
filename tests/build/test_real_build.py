"""One real build per session (Node and the pinned Pyodide): what ships, that it is
reproducible, and that it boots in Pyodide."""

from __future__ import annotations

import gzip
import io
import json
import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import brotli  # type: ignore[import-untyped]  # ships no type hints
import pytest

from build import ENGINE_WHEELS
from buildtool.compile import ENGINE_ZIP_PATH, ZIP_EPOCH
from buildtool.compress import is_precompressed
from buildtool.dist import build
from buildtool.host import WEB, cache_dir
from buildtool.plan import content_hash, static_imports
from buildtool.pyodide import PYODIDE_VERSION

from .conftest import HERE, NODE, THROWAWAY_INDEX, build_info, sw_constants


@pytest.fixture(scope="session")
def real_web(tmp_path_factory) -> Path:
    """A snapshot of web/ (the engine is edited concurrently), with a page template if none."""
    web = tmp_path_factory.mktemp("real") / "web"
    shutil.copytree(WEB, web, ignore=shutil.ignore_patterns("__pycache__"))
    if not (web / "templates/index.html.j2").exists():
        (web / "templates/index.html.j2").write_text(THROWAWAY_INDEX)
    return web


@pytest.fixture(scope="session")
def real_build(real_web, tmp_path_factory) -> tuple[Path, dict[str, bytes]]:
    if NODE is None:
        pytest.skip("node is not installed")
    out = tmp_path_factory.mktemp("dist-a")
    outputs = build(out, wheels=ENGINE_WHEELS, web=real_web, log=lambda _: None)
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
    served_by_the_app = (
        path
        for path in on_disk
        if path not in ("sw.js", "_headers") and not is_precompressed(path, on_disk)
    )
    assert sorted(assets) == sorted(["./", *served_by_the_app])


def test_a_real_build_ships_brotli_and_gzip_copies_of_its_text_and_webassembly(real_build):
    _, outputs = real_build

    wasm = outputs["pyodide/pyodide.asm.wasm"]
    assert brotli.decompress(outputs["pyodide/pyodide.asm.wasm.br"]) == wasm
    assert gzip.decompress(outputs["pyodide/pyodide.asm.wasm.gz"]) == wasm
    assert len(outputs["pyodide/pyodide.asm.wasm.br"]) < len(wasm) / 3
    for path in ("index.html", "static/js/app.js", "static/css/app.css", "sw.js"):
        assert brotli.decompress(outputs[f"{path}.br"]) == outputs[path], path
    # Zips and PNGs are compressed already; tiny files are not worth a copy.
    assert "pyodide/python_stdlib.zip.br" not in outputs
    assert "icons/icon-512.png.gz" not in outputs
    assert "static/js/sync/index.js.br" not in outputs


def test_a_real_build_s_first_visit_weighs_at_most_17_mb_uncompressed(real_build):
    _, outputs = real_build

    fetched = sum(
        len(data)
        for path, data in outputs.items()
        if path != "_headers" and not is_precompressed(path, outputs)
    )
    assert fetched <= 17_000_000
    stdlib = zipfile.ZipFile(io.BytesIO(outputs["pyodide/python_stdlib.zip"])).namelist()
    assert not {"pdb.pyc", "pydoc.pyc", "multiprocessing/__init__.pyc"} & set(stdlib)
    engine = zipfile.ZipFile(io.BytesIO(outputs["py/followup.zip"])).namelist()
    sources = [name for name in engine if name.endswith(".py")]
    assert sources
    assert all(name.startswith("followup/") for name in sources)


def test_the_real_page_starts_the_worker_first_and_preloads_the_first_paint_modules(real_build):
    _, outputs = real_build
    page = outputs["index.html"].decode()
    head = page[: page.index("</head>")]

    graph = static_imports(outputs, "static/js/app.js")
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


def test_a_real_build_ships_only_three_files_of_the_pyodide_package(real_build):
    out, _ = real_build

    shipped = (p.name for p in (out / "pyodide").iterdir() if p.suffix not in (".br", ".gz"))
    assert sorted(shipped) == [
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
    assert {info.date_time for info in infos} == {ZIP_EPOCH}
    assert not [info.filename for info in files if info.filename.endswith(".py")]
    assert {info.compress_type for info in files} == {zipfile.ZIP_DEFLATED}
    names = {info.filename for info in files}
    # 478 modules in Pyodide 314 once STDLIB_TRIM's tools and socket clients are left out.
    assert len([name for name in names if name.endswith(".pyc")]) > 450
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
    lock = json.loads((cache_dir() / f"pyodide-{PYODIDE_VERSION}/pyodide-lock.json").read_text())

    info = build_info(outputs)

    assert info["lock_info"] == lock["info"]
    engine_files = {
        p: outputs[p]
        for p in outputs
        if (p.startswith("pyodide/") or p == "py/followup.zip") and not is_precompressed(p, outputs)
    }
    assert info["engine_hash"] == content_hash(engine_files)


def test_two_builds_of_the_same_tree_are_byte_identical(real_build, real_web, tmp_path):
    out, _ = real_build

    # Compiled afresh, in another Node process: marshal must not depend on the run.
    build(
        tmp_path / "dist-b",
        wheels=ENGINE_WHEELS,
        web=real_web,
        reuse_compiled=False,
        log=lambda _: None,
    )

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
    assert report["package_origin"] == f"{ENGINE_ZIP_PATH}/followup/__init__.pyc"
    for name, module in report["engine"].items():
        path = name.replace(".", "/")
        assert module["origin"].endswith(f"/{path}.pyc"), name
        assert module["co_filename"] == f"{ENGINE_ZIP_PATH}/{path}.py", name
        assert module["has_source"], name
    # The interop libraries ship in the engine zip and run under Pyodide (issue #5).
    assert report["interop"]["vobject_origin"].startswith(f"{ENGINE_ZIP_PATH}/vobject/")
    assert report["interop"]["preview_new"] == 1
    assert report["interop"]["ics_ok"] is True
    assert report["interop"]["ics_begins"] == "BEGIN:VCALENDAR"
    # segno draws QR codes inside the engine (My card, the sync pairing link).
    assert report["interop"]["segno_origin"].startswith(f"{ENGINE_ZIP_PATH}/segno/")
    assert report["interop"]["qr_size"] == 25
