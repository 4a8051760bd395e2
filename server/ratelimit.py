"""Rate limits (SYNC-DESIGN §6.6) on the `limits` library."""

from __future__ import annotations

import math
import time

import limits.aio.storage
import limits.aio.strategies
import limits.strategies
from limits import RateLimitItem
from limits.storage import storage_from_string


class RateLimiter:
    """Rate limits with `limits`' sliding-window counters, awaited the same way whatever the
    storage.

    Sliding-window counters (a weighted pair of fixed windows) rather than moving windows: the
    in-memory moving window keeps every hit and, on every expiry pass, hops to a worker thread
    for each key; under 50 busy accounts that cost more than the requests themselves. The
    default storage is asyncio in-memory (`async+memory://`); a synchronous storage URL works
    too but its expiry timer starts a thread per pass."""

    def __init__(self, url: str) -> None:
        storage = storage_from_string(url)
        self._aio: limits.aio.strategies.SlidingWindowCounterRateLimiter | None = None
        self._sync: limits.strategies.SlidingWindowCounterRateLimiter | None = None
        if isinstance(storage, limits.aio.storage.Storage):
            self._aio = limits.aio.strategies.SlidingWindowCounterRateLimiter(storage)
        else:
            self._sync = limits.strategies.SlidingWindowCounterRateLimiter(storage)

    async def hit(self, item: RateLimitItem, *keys: str) -> bool:
        """Count one; False if the window was already full."""
        if self._aio is not None:
            return await self._aio.hit(item, *keys)
        assert self._sync is not None
        return self._sync.hit(item, *keys)

    async def test(self, item: RateLimitItem, *keys: str) -> bool:
        """Whether one more would fit, without counting it."""
        if self._aio is not None:
            return await self._aio.test(item, *keys)
        assert self._sync is not None
        return self._sync.test(item, *keys)

    async def clear(self, item: RateLimitItem, *keys: str) -> None:
        """Forget what was counted."""
        if self._aio is not None:
            await self._aio.clear(item, *keys)
        else:
            assert self._sync is not None
            self._sync.clear(item, *keys)

    async def retry_after(self, item: RateLimitItem, *keys: str) -> int:
        if self._aio is not None:
            stats = await self._aio.get_window_stats(item, *keys)
        else:
            assert self._sync is not None
            stats = self._sync.get_window_stats(item, *keys)
        return max(1, math.ceil(stats.reset_time - time.time()))
