"""Corpus mode: lines that recur across many documents of one site are its boilerplate.

CCNet's idea, for a stream: a :class:`LineCounter` counts, for each site, in how many
documents each line appears. A line seen in at least ``min_documents`` documents of the
same site (the document itself included) is boilerplate there. Documents pass through in
windows, so the first documents of a window are judged with the whole window's counts.
A single document is never judged by itself: a site needs several documents before
anything is removed. Documents without a known site are left alone.
"""

from __future__ import annotations

from typing import Any, Iterable, Mapping, Optional
from urllib.parse import urlsplit

import numpy as np

from .duplicates import line_key

#: Counters in each row of the count table (a power of two), and the number of rows.
COUNTER_WIDTH = 1 << 22
COUNTER_DEPTH = 4
#: After this many lines are counted, every count halves (old lines fade, none overflow).
HALVE_EVERY = COUNTER_WIDTH // 2
# odd multipliers, one per row, that spread a line's hash over the row
_MULTIPLIERS = np.array([0x9E3779B97F4A7C15, 0xC2B2AE3D27D4EB4F, 0x165667B19E3779F9,
                         0xD6E8FEB86659FD93], dtype=np.uint64)


class LineCounter:
    """In how many documents of each site each line appears, in fixed memory.

    The counts live in a count-min sketch: :data:`COUNTER_DEPTH` rows of
    :data:`COUNTER_WIDTH` 16-bit counters (32 MiB, the same from the first document to the
    last). A line adds one to a counter in each row, and its count is the smallest of
    them: it can only be overstated, by other lines landing on all of its counters, which
    with the few million lines counted between two halvings happens to fewer than one line
    in a billion. After every :data:`HALVE_EVERY` lines counted, all counts halve.

    >>> counter = LineCounter(min_documents=2)
    >>> first = counter.add("example.org", ["Share this story", "Body one."])
    >>> second = counter.add("example.org", ["Share this story", "Body two."])
    >>> sorted(counter.repeated(first))
    ['Share this story']
    >>> counter.repeated(counter.add("other.org", ["Share this story"]))
    set()
    """

    def __init__(self, min_documents: int) -> None:
        self.min_documents = min_documents
        self._counts = np.zeros((COUNTER_DEPTH, COUNTER_WIDTH), dtype=np.uint16)
        self._since_halving = 0

    def add(self, site: str, lines: Iterable[str]) -> dict[str, int]:
        """Count the distinct lines of one document of ``site``; their keys, for
        :meth:`repeated`."""
        keys = {line: hash((site, line_key(line))) for line in lines}
        if not keys:
            return keys
        columns = _columns(set(keys.values()))
        rows = np.arange(COUNTER_DEPTH)[:, None]
        self._counts[rows, columns] = np.minimum(self._counts[rows, columns], 0xFFFE) + 1
        self._since_halving += columns.shape[1]
        if self._since_halving >= HALVE_EVERY:
            self._counts >>= 1
            self._since_halving = 0
        return keys

    def repeated(self, keys: Mapping[str, int]) -> set[str]:
        """The lines (keys from :meth:`add`) found in enough documents of their site."""
        if not keys:
            return set()
        lines = list(keys)
        columns = _columns([keys[line] for line in lines])
        counts = self._counts[np.arange(COUNTER_DEPTH)[:, None], columns].min(axis=0)
        return {line for line, count in zip(lines, counts) if count >= self.min_documents}


def _columns(keys: Iterable[int]) -> Any:
    """The counter of each key in each row: multiply-shift hashing of the 64-bit key."""
    values = np.fromiter(keys, dtype=np.int64).view(np.uint64)
    shift = np.uint64(64 - COUNTER_WIDTH.bit_length() + 1)
    return ((values[None, :] * _MULTIPLIERS[:COUNTER_DEPTH, None]) >> shift).astype(np.intp)


def site_of(fields: Mapping[str, Any]) -> Optional[str]:
    """A record's site: its ``site`` or ``domain`` field, or the host of its ``url``.

    >>> site_of({"url": "https://www.example.org/2021/07/a.html"}), site_of({"id": 3})
    ('example.org', None)
    """
    for name in ("site", "domain"):
        if isinstance(fields.get(name), str) and fields[name]:
            return str(fields[name]).lower()
    url = fields.get("url")
    if isinstance(url, str) and url:
        try:
            host = urlsplit(url).hostname or ""
        except ValueError:  # "http://[" and other URLs urllib cannot parse: no site
            return None
        return host.removeprefix("www.") or None
    return None
