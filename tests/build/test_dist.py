"""buildtool/dist.py: the one write leaves exactly the plan, and never touches the sources."""

from __future__ import annotations

import os

import pytest

from buildtool.dist import freshen_copies, write
from buildtool.host import ROOT, WEB, BuildError


def test_writing_leaves_exactly_the_plan_and_keeps_unchanged_files_untouched(tmp_path):
    out = tmp_path / "dist"
    write(out, {"sw.js": b"1", "a/b.txt": b"b", "old/x.txt": b"x", "keep.txt": b"k"})
    os.utime(out / "keep.txt", (1, 1))

    write(out, {"sw.js": b"2", "a/b.txt": b"b2", "keep.txt": b"k"})

    files = {p.relative_to(out).as_posix(): p.read_bytes() for p in out.rglob("*") if p.is_file()}
    assert files == {"sw.js": b"2", "a/b.txt": b"b2", "keep.txt": b"k"}
    assert not (out / "old").exists()
    assert (out / "keep.txt").stat().st_mtime == 1


def test_writing_refuses_a_folder_that_is_not_a_previous_build(tmp_path):
    (tmp_path / "precious.txt").write_text("do not delete")

    with pytest.raises(BuildError, match="does not look like a previous build"):
        write(tmp_path, {"sw.js": b""})

    assert (tmp_path / "precious.txt").exists()


@pytest.mark.parametrize("where", ["root", "parent", "web"])
def test_writing_refuses_the_source_tree(where):
    out = {"root": ROOT, "parent": ROOT.parent, "web": WEB / "dist"}[where]

    with pytest.raises(BuildError, match="Refusing to build into"):
        write(out, {"sw.js": b""})


def test_a_copy_left_unchanged_beside_a_rewritten_file_is_made_as_new_as_it(tmp_path):
    out = tmp_path / "dist"
    outputs = {"sw.js": b"1", "app.js": b"export {};", "app.js.br": b"packed"}
    write(out, outputs)
    copy = out / "app.js.br"
    os.utime(copy, ns=(10**9, 10**9))  # older than its file, as after a hand edit and a rebuild

    freshen_copies(out, outputs)

    assert copy.stat().st_mtime_ns >= (out / "app.js").stat().st_mtime_ns
