"""Shared fakes for the build's tests: a small web/ tree, a fake Pyodide, a compiler that
records its jobs, and readers for what the plan writes."""

from __future__ import annotations

import io
import json
import shutil
from collections.abc import Sequence
from pathlib import Path

import pytest
from PIL import Image

from buildtool.compile import CompileJob, zip_files
from buildtool.host import WEB
from buildtool.plan import plan
from buildtool.pyodide import PYODIDE_RUNTIME, PYODIDE_VERSION, Pyodide

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


def make_web(root: Path) -> Path:
    """A small web/ tree with the real sw, manifest and build-info templates."""
    web = root / "web"
    templates = web / "templates"
    templates.mkdir(parents=True)
    for name in ("sw.js.j2", "manifest.webmanifest.j2", "build-info.js.j2"):
        shutil.copy(WEB / "templates" / name, templates / name)
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


def fake_pyodide(directory: Path) -> Pyodide:
    stdlib = zip_files(
        {
            "json/__init__.py": b"import re\n",
            "this.py": b"print('zen')\n",
            "_pyrepl/__init__.py": b"",
            "pyodide/__init__.py": b"",
        },
        deflate=True,
    )
    return Pyodide(
        version=PYODIDE_VERSION,
        integrity="sha512-fake",
        runtime={name: f"fake {name}".encode() for name in PYODIDE_RUNTIME},
        stdlib_zip=stdlib,
        lock_info={"abi_version": "2026_0", "arch": "wasm32", "python": "3.14.2"},
        directory=directory,
    )


class RecordingCompiler:
    """Hands the source zips back unchanged, and remembers the jobs."""

    def __init__(self) -> None:
        self.jobs: list[CompileJob] = []

    def __call__(self, jobs: Sequence[CompileJob]) -> list[bytes]:
        self.jobs.extend(jobs)
        return [job.source_zip for job in jobs]


@pytest.fixture
def web(tmp_path: Path) -> Path:
    return make_web(tmp_path)


@pytest.fixture
def pyodide(tmp_path: Path) -> Pyodide:
    return fake_pyodide(tmp_path / "pyodide")


def plan_of(web: Path, pyodide: Pyodide) -> dict[str, bytes]:
    return plan(web, pyodide, RecordingCompiler())


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
    """Width, height, channels and raw pixels of an 8-bit RGB or RGBA PNG, its CRCs checked."""
    Image.open(io.BytesIO(data)).verify()
    image = Image.open(io.BytesIO(data))
    assert image.format == "PNG"
    assert image.mode in ("RGB", "RGBA")
    assert not image.info.get("interlace")
    return image.width, image.height, len(image.mode), image.tobytes()
