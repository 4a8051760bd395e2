"""The one table the shell keeps beside the engine's: which IndexedDB records travel between
devices (so the worker stamps and queues them) and the key field of each store. It is the
shell's IndexedDB schema, needed to open the right stores before the engine answers; this test
holds it to followup/sync.py's, entry for entry."""

from __future__ import annotations

import re
from pathlib import Path

from followup import sync

SYNC_STORE_JS = Path(__file__).resolve().parents[2] / "web" / "static" / "js" / "sync-store.js"


def test_the_shell_stamps_exactly_the_records_the_engine_syncs() -> None:
    text = SYNC_STORE_JS.read_text(encoding="utf-8")
    table = re.search(r"export const SYNC_KEY_OF = \{(.*?)\};", text, re.S)
    meta = re.search(r"const SYNCED_META = new Set\(\[(.*?)\]\);", text)
    assert table is not None
    assert meta is not None

    assert dict(re.findall(r"(\w+): \"(\w+)\"", table.group(1))) == dict(sync.KEY_OF)
    assert set(re.findall(r"\"(\w+)\"", meta.group(1))) == set(sync.SYNCED_META)
