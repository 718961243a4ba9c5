"""Rendered responses kept for the server's lifetime, compressed and bounded in bytes.

The national workspace has thousands of area pages of ~50 kB each; kept as gzip (level 1:
a fraction of a millisecond per page) they take a sixth of that, and clients that accept gzip
(every browser) get the stored bytes as they are. The least recently used entries go when the
total passes the byte budget.
"""

from __future__ import annotations

import gzip
import threading
from collections import OrderedDict
from collections.abc import Hashable
from dataclasses import dataclass

__all__ = ["CachedResponse", "ResponseCache", "StoredResponse"]

#: A rendered response: body, status and raw headers.
CachedResponse = tuple[bytes, int, list[tuple[bytes, bytes]]]

#: Bodies shorter than this are kept as they are (compressing them gains little).
_COMPRESS_FROM = 2_048
_GZIP = (b"content-encoding", b"gzip")
_VARY = (b"vary", b"Accept-Encoding")


@dataclass(frozen=True)
class StoredResponse:
    """One kept response; ``body`` is gzip-compressed when ``compressed``."""

    body: bytes
    status: int
    headers: list[tuple[bytes, bytes]]
    compressed: bool
    page: bool = False

    def for_client(self, accepts_gzip: bool) -> CachedResponse:
        """The response as the client should get it: compressed only if it accepts gzip."""
        if not self.compressed:
            return self.body, self.status, list(self.headers)
        headers = [*self.headers, _VARY]
        if accepts_gzip:
            return self.body, self.status, [*headers, _GZIP]
        return gzip.decompress(self.body), self.status, headers


class ResponseCache:
    """A thread-safe LRU map of responses, bounded by the bytes it holds.

    Parameters
    ----------
    budget
        Bytes of (compressed) bodies kept at most.
    """

    def __init__(self, budget: int = 256 * 2**20) -> None:
        self.budget = budget
        self._lock = threading.Lock()
        self._entries: OrderedDict[Hashable, StoredResponse] = OrderedDict()
        self._bytes = 0

    def __len__(self) -> int:
        return len(self._entries)

    def __contains__(self, key: Hashable) -> bool:
        with self._lock:
            return key in self._entries

    @property
    def size(self) -> int:
        """Bytes of bodies held."""
        return self._bytes

    def get(self, key: Hashable) -> StoredResponse | None:
        """The response kept under ``key``, or ``None``."""
        with self._lock:
            hit = self._entries.get(key)
            if hit is not None:
                self._entries.move_to_end(key)
            return hit

    def put(self, key: Hashable, response: CachedResponse, page: bool = False) -> None:
        """Keep a response (the body compressed when worth it); the oldest go over budget.

        Bodies already carrying a ``content-encoding`` are kept as they are.
        """
        body, status, headers = response
        encoded = any(name.lower() == b"content-encoding" for name, _ in headers)
        compress = len(body) >= _COMPRESS_FROM and not encoded
        headers = [(k, v) for k, v in headers if k.lower() != b"content-length"]
        stored = StoredResponse(
            gzip.compress(body, compresslevel=1, mtime=0) if compress else body,
            status,
            headers,
            compress,
            page,
        )
        with self._lock:
            old = self._entries.pop(key, None)
            if old is not None:
                self._bytes -= len(old.body)
            self._entries[key] = stored
            self._bytes += len(stored.body)
            while self._bytes > self.budget and len(self._entries) > 1:
                _, dropped = self._entries.popitem(last=False)
                self._bytes -= len(dropped.body)

    def clear(self) -> None:
        """Forget every response."""
        with self._lock:
            self._entries.clear()
            self._bytes = 0
