"""The cyclic garbage collector, paused while a bulk step makes objects by the thousand.

Such a step (a heavy user's `load`, a sync page's merge) makes many small objects and no
cycles; with the collector on, it would walk them, and the whole state, again and again while
they are made. Memory management only: no clock, no I/O, the same answers."""

from __future__ import annotations

import gc
from types import TracebackType


class paused:  # lowercase: it reads as a call, `with collector.paused():`
    """Pause the cyclic collector for the block, and turn it back on after if it was on."""

    def __enter__(self) -> None:
        self.collecting = gc.isenabled()
        gc.disable()

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        if self.collecting:
            gc.enable()
