"""Records: a minimal per-field LWW map over HLC strings (a stand-in for followup/sync.py)."""

from __future__ import annotations

import functools
import json
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

State = dict[str, Any]  # {"v": 1, "t": type, "f": {field: [value, hlc]}}


def canonical(value: Any) -> bytes:
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def merge_states(a: State, b: State) -> State:
    """Per field, the entry with the larger HLC; equal HLCs: the larger canonical value."""
    fields = dict(a["f"])
    for name, entry in b["f"].items():
        mine = fields.get(name)
        if mine is None or (entry[1], canonical(entry[0])) > (mine[1], canonical(mine[0])):
            fields[name] = entry
    return {"v": 1, "t": a["t"], "f": fields}


def is_deleted(state: State) -> bool:
    entry = state["f"].get("_deleted")
    return bool(entry and entry[0])


def format_hlc(millis: int, counter: int, node: str) -> str:
    moment = datetime.fromtimestamp(millis / 1000, UTC)
    return f"{moment:%Y-%m-%dT%H:%M:%S}.{millis % 1000:03d}Z-{counter:04X}-{node}"


@functools.lru_cache(maxsize=4096)
def parse_hlc(stamp: str) -> tuple[int, int]:
    moment = datetime.fromisoformat(stamp[:23]).replace(tzinfo=UTC)
    return int(moment.timestamp()) * 1000 + int(stamp[20:23]), int(stamp[25:29], 16)


@dataclass(slots=True)
class Clock:
    """A hybrid logical clock that never throws: the counter carries into the milliseconds."""

    node: str
    millis: int = 0
    counter: int = 0

    def _set(self, millis: int, counter: int) -> None:
        if counter > 0xFFFF:
            millis, counter = millis + 1, 0
        self.millis, self.counter = millis, counter

    def send(self, now_ms: int) -> str:
        if now_ms > self.millis:
            self._set(now_ms, 0)
        else:
            self._set(self.millis, self.counter + 1)
        return format_hlc(self.millis, self.counter, self.node)

    def recv(self, stamp: str, now_ms: int) -> None:
        millis, counter = parse_hlc(stamp)
        if (millis, counter) > (self.millis, self.counter):
            self.millis, self.counter = millis, counter
        if now_ms > self.millis:
            self._set(now_ms, 0)
