"""buildtool/host.py and the command line: missing or old tools stop the build, naming what to
install."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from buildtool.host import ROOT, BuildError, require_tools


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

    with pytest.raises(BuildError) as error:
        require_tools()

    assert str(error.value).startswith(f"{named} not found on PATH")
    assert "apt-get install nodejs npm" in str(error.value)


def test_an_old_node_is_refused(tmp_path, monkeypatch):
    write_fake_tool(tmp_path / "bin", "node", "v16.20.0")
    write_fake_tool(tmp_path / "bin", "npm")
    monkeypatch.setenv("PATH", str(tmp_path / "bin"))

    with pytest.raises(BuildError, match=r"Node\.js v16\.20\.0 is too old"):
        require_tools()


def test_the_command_line_reports_missing_tools_and_exits_nonzero(tmp_path):
    empty = tmp_path / "bin"
    empty.mkdir()
    env = {**os.environ, "PATH": str(empty), "FOLLOWTHROUGH_CACHE": str(tmp_path / "cache")}

    result = subprocess.run(
        [sys.executable, str(ROOT / "build.py"), "--out", str(tmp_path / "out")],
        capture_output=True,
        text=True,
        env=env,
    )

    assert result.returncode == 1
    assert result.stderr.startswith("build.py: error: node and npm not found on PATH")
    assert not (tmp_path / "out").exists()
    assert not (tmp_path / "cache").exists()
