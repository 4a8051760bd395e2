"""buildtool/compile.py: zips whose bytes depend only on their content."""

from __future__ import annotations

import io
import zipfile

from buildtool.compile import ZIP_EPOCH, zip_files


def test_zips_are_sorted_with_fixed_timestamps_and_folder_entries():
    data = zip_files({"b/z.py": b"z", "a.py": b"a", "b/c/d.txt": b"d"}, deflate=True)

    infos = zipfile.ZipFile(io.BytesIO(data)).infolist()

    assert [info.filename for info in infos] == ["a.py", "b/", "b/c/", "b/c/d.txt", "b/z.py"]
    assert {info.date_time for info in infos} == {ZIP_EPOCH}
    assert data == zip_files({"a.py": b"a", "b/c/d.txt": b"d", "b/z.py": b"z"}, deflate=True)
