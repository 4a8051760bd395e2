"""buildtool/stylesheet.py: the page's one stylesheet is its parts (web/static/css/app/*.css)
joined in name order; the parts themselves are not served."""

from __future__ import annotations

from pathlib import Path

from buildtool.host import WEB
from buildtool.stylesheet import STYLESHEET, stylesheet, stylesheet_parts

from .conftest import plan_of, sw_constants

PARTS = {
    "20-today.css": ".today { color: red; }\n",
    "10-base.css": ":root { --bg: #fff; }\n",
    "30-settings.css": ".menu { margin: 0; }",  # no final newline: one is added
}


def write_parts(web: Path) -> None:
    (web / "static/css/app.css").unlink()
    folder = web / "static/css/app"
    folder.mkdir()
    for name, text in PARTS.items():
        (folder / name).write_text(text)


def test_the_built_stylesheet_is_the_parts_joined_in_name_order(web, pyodide):
    write_parts(web)

    outputs = plan_of(web, pyodide)

    assert outputs[STYLESHEET] == (
        b":root { --bg: #fff; }\n.today { color: red; }\n.menu { margin: 0; }\n"
    )


def test_the_parts_are_not_served_on_their_own_and_the_one_file_is_precached(web, pyodide):
    write_parts(web)

    outputs = plan_of(web, pyodide)
    assets, _ = sw_constants(outputs["sw.js"])

    assert [path for path in outputs if path.endswith(".css")] == [STYLESHEET]
    assert STYLESHEET in assets


def test_changing_a_part_changes_the_stylesheet_and_the_version(web, pyodide):
    write_parts(web)
    before = plan_of(web, pyodide)

    (web / "static/css/app/20-today.css").write_text(".today { color: blue; }\n")
    after = plan_of(web, pyodide)

    assert after[STYLESHEET] != before[STYLESHEET]
    assert after["static/js/build-info.js"] != before["static/js/build-info.js"]


def test_the_real_stylesheet_is_the_concatenation_of_the_real_parts_in_order():
    static = WEB / "static"
    parts = stylesheet_parts(static)

    built = stylesheet(static)[STYLESHEET]

    assert [part.name for part in parts] == sorted(part.name for part in parts)
    assert parts[0].name == "10-base.css"  # the custom properties come first
    assert built == b"".join(part.read_bytes() for part in parts)
    assert not (static / "css/app.css").exists()  # one source of truth: the parts


def test_the_page_links_the_one_stylesheet():
    template = (WEB / "templates/index.html.j2").read_text()

    assert template.count('rel="stylesheet"') == 1
    assert 'href="static/css/app.css"' in template
