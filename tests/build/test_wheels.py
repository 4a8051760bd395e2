"""buildtool/wheels.py: pinned pure-Python wheels, checked by hash and merged into the engine
zip."""

from __future__ import annotations

import hashlib
import io
import zipfile

import pytest

import build
from buildtool.compile import engine_source
from buildtool.host import BuildError
from buildtool.wheels import Wheel, fetch_wheel

from .conftest import make_web


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

    names = zipfile.ZipFile(io.BytesIO(engine_source(web / "py", [("v", wheel)]))).namelist()

    assert "vcardlib/__init__.py" in names
    assert "vcardlib-1.0.dist-info/METADATA" in names
    assert "vcard_extra.py" in names
    assert not [name for name in names if "scripts" in name]


def test_a_wheel_that_would_overwrite_the_engine_is_refused(tmp_path):
    web = make_web(tmp_path)
    wheel = make_wheel({"followup/api.py": b"evil = True\n"})

    with pytest.raises(BuildError, match=r"would overwrite followup/api\.py"):
        engine_source(web / "py", [("evil==1", wheel)])


def test_a_cached_wheel_with_another_hash_is_refused(tmp_path):
    (tmp_path / "wheels").mkdir()
    (tmp_path / "wheels" / "vcard_lib-1.0-py3-none-any.whl").write_bytes(b"tampered")
    pinned = Wheel("vcard-lib", "1.0", "0" * 64)

    with pytest.raises(BuildError, match="does not match the sha256 pinned"):
        fetch_wheel(pinned, tmp_path, python="3.14")


def test_a_cached_wheel_with_the_pinned_hash_is_used_without_pip(tmp_path):
    data = make_wheel({"vcard_lib/__init__.py": b""})
    (tmp_path / "wheels").mkdir()
    (tmp_path / "wheels" / "vcard_lib-1.0-py3-none-any.whl").write_bytes(data)
    pinned = Wheel("vcard-lib", "1.0", hashlib.sha256(data).hexdigest())

    assert fetch_wheel(pinned, tmp_path, python="3.14") == data


def test_no_wheels_are_pinned_yet_and_each_pin_is_a_sha256():
    for wheel in build.ENGINE_WHEELS:
        assert len(wheel.sha256) == 64
        int(wheel.sha256, 16)
