"""A small decision cache: entries expire after a TTL, and the oldest goes first when full (FIFO)."""

from __future__ import annotations

import time
from collections import OrderedDict
from collections.abc import Callable
from typing import Generic, TypeVar

V = TypeVar("V")


class TTLCache(Generic[V]):
    def __init__(
        self, max_entries: int = 1024, ttl: float = 3600.0, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self.max_entries = max_entries
        self.ttl = ttl
        self._clock = clock
        self._data: OrderedDict[str, tuple[float, V]] = OrderedDict()

    def get(self, key: str) -> V | None:
        item = self._data.get(key)
        if item is None:
            return None
        stored, value = item
        if self._clock() - stored >= self.ttl:
            del self._data[key]
            return None
        return value

    def put(self, key: str, value: V) -> None:
        if self.max_entries <= 0:
            return
        self._data.pop(key, None)
        self._data[key] = (self._clock(), value)
        while len(self._data) > self.max_entries:
            self._data.popitem(last=False)

    def __len__(self) -> int:
        return len(self._data)
