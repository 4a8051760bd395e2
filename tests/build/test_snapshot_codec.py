"""The engine snapshot's stored form (web/static/js/snapshot-codec.js), run under Node."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

from buildtool.host import WEB

HERE = Path(__file__).resolve().parent
NODE = shutil.which("node")
pytestmark = pytest.mark.skipif(NODE is None, reason="node is not installed")


@pytest.fixture(scope="module")
def report() -> dict[str, Any]:
    result = subprocess.run(
        [
            str(NODE),
            str(HERE / "snapshot-codec-check.mjs"),
            str(WEB / "static" / "js" / "snapshot-codec.js"),
        ],
        capture_output=True,
        text=True,
        check=True,
    )
    parsed: dict[str, Any] = json.loads(result.stdout)
    return parsed


def test_every_heap_comes_back_byte_for_byte_new_or_into_a_used_buffer(report):
    for trip in report["roundTrips"]:
        assert trip["fresh"], trip
        assert trip["into"], trip


def test_only_non_zero_pages_are_stored_behind_a_small_header(report):
    for trip in report["roundTrips"]:
        header = trip["packed"] - trip["nonZeroPagesBytes"]
        assert 16 <= header <= 16 + 8 * 64, trip
    sparse = report["roundTrips"][0]
    assert sparse["packed"] < sparse["size"] / 3


def test_a_view_at_any_offset_packs_like_its_bytes(report):
    assert report["unalignedView"]


def test_a_snapshot_stored_whole_by_an_earlier_version_is_read_as_it_is(report):
    legacy = report["legacy"]
    assert legacy["fresh"]
    assert legacy["into"]
    assert legacy["wrongLength"] == "The engine snapshot has the wrong length."


def test_damage_is_named_and_never_leaves_a_buffer_that_passes_for_a_snapshot(report):
    damaged = report["damaged"]
    assert damaged["tooShort"] == "The engine snapshot is damaged (too short)."
    assert "out of bounds" in damaged["truncated"]
    assert damaged["truncatedLeavesNoMagic"]
    assert "format 99" in damaged["badFormat"]
    assert "run 0 is out of bounds" in damaged["outOfBounds"]
    assert "65536 bytes" in damaged["wrongLengthInto"]
