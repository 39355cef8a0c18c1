"""Repeated lines: photo captions printed twice, teasers repeated under the article.

The first copy of a line stays; later copies, exact or near-exact, go.
"""

from __future__ import annotations

from collections import deque
from typing import Iterable, Iterator, Sequence

import regex
from rapidfuzz import fuzz, process

_NON_WORD = regex.compile(r"[\W_]+")


def line_key(line: str) -> str:
    """The form two lines are compared in: case-folded, punctuation and spacing folded.

    >>> line_key("Iraqi PM  Mustafa Al-Kadhimi, and Joe Biden.")
    'iraqi pm mustafa al kadhimi and joe biden'
    """
    return _NON_WORD.sub(" ", line.casefold()).strip()


def find_repeated_lines(
    lines: Sequence[str],
    candidates: Iterable[int],
    *,
    similarity: float,
    min_words: int,
    window: int,
) -> Iterator[tuple[int, str]]:
    """Yield ``(index, rule)`` for each candidate line that repeats an earlier candidate.

    Exact repeats (after :func:`line_key`) are found anywhere in the document; near
    repeats (rapidfuzz ``ratio`` >= ``similarity``) among the ``window`` lines before.
    Lines of fewer than ``min_words`` words never count: short headings and interview
    markers ("Q:") legitimately recur.

    >>> lines = ["A caption of the photo here", "Text.", "A caption of the photo here!"]
    >>> list(find_repeated_lines(lines, range(3), similarity=95, min_words=4, window=50))
    [(2, 'duplicate/exact')]
    """
    seen: set[str] = set()
    recent: deque[str] = deque(maxlen=window)
    for index in candidates:
        key = line_key(lines[index])
        if key.count(" ") + 1 < min_words:
            continue
        if key in seen:
            yield index, "duplicate/exact"
            continue
        if recent and process.extractOne(
            key, recent, scorer=fuzz.ratio, score_cutoff=similarity
        ) is not None:
            yield index, "duplicate/near"
            continue
        seen.add(key)
        recent.append(key)
