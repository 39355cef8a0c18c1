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

from .duplicates import line_key

#: Most line counts kept at once; past it, lines seen in one document only are forgotten.
MAX_COUNTS = 2_000_000


class LineCounter:
    """In how many documents of each site each line appears; memory bounded by :data:`MAX_COUNTS`.

    >>> counter = LineCounter(min_documents=2)
    >>> first = counter.add("example.org", ["Share this story", "Body one."])
    >>> second = counter.add("example.org", ["Share this story", "Body two."])
    >>> sorted(counter.repeated(first))
    ['Share this story']
    >>> counter.repeated(counter.add("other.org", ["Share this story"]))
    set()
    """

    def __init__(self, min_documents: int, max_counts: int = MAX_COUNTS) -> None:
        self.min_documents = min_documents
        self.max_counts = max_counts
        self._counts: dict[int, int] = {}

    def add(self, site: str, lines: Iterable[str]) -> dict[str, int]:
        """Count the distinct lines of one document of ``site``; their keys, for
        :meth:`repeated`."""
        keys = {line: hash((site, line_key(line))) for line in lines}
        for key in set(keys.values()):
            self._counts[key] = self._counts.get(key, 0) + 1
        if len(self._counts) > self.max_counts:
            self._counts = {k: n for k, n in self._counts.items() if n > 1}
            if len(self._counts) > self.max_counts:
                self._counts.clear()
        return keys

    def repeated(self, keys: Mapping[str, int]) -> set[str]:
        """The lines (keys from :meth:`add`) found in enough documents of their site."""
        return {line for line, key in keys.items()
                if self._counts.get(key, 0) >= self.min_documents}


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
