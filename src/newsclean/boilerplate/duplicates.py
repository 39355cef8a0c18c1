"""Repeated lines: photo captions printed twice, teasers repeated under the article; and
the numbered captions of a photo gallery printed as text.

The first copy of a line stays; a copy, exact or near-exact, or cut short by an ellipsis,
that follows within a few lines goes.
"""

from __future__ import annotations

import re
from collections import Counter, deque
from functools import lru_cache
from importlib import resources
from typing import Iterable, Iterator, Mapping, Optional, Sequence

import regex
import yaml
from rapidfuzz import fuzz

from .patterns import BEYOND_CLASS, word_class

_NON_WORD = regex.compile(r"[\W_]+")
_NUMBER = regex.compile(r"\d+")
_TABLE = re.compile(r"[|│┃╎┆]")
#: How near its end a cut line's ellipsis is: room for "... continue reading" and spaces.
_TRUNCATED_TAIL = 24
#: What _NON_WORD matches among ASCII characters, mapped to a space.
_ASCII_NON_WORD = str.maketrans({c: " " for c in range(128) if not chr(c).isalnum()})
#: The runs of letters and digits between those of _NON_WORD, for text without characters
#: beyond the class limit (patterns.BEYOND_CLASS), as a class of the re module: it finds
#: them faster than regex.
_BELOW_3000_WORD = re.compile(f"[{word_class()}]+")


@lru_cache(maxsize=1)
def _repeat_words() -> dict[str, list[str]]:
    """The parsed ``data/repeats.yaml``: the words around repeated lines."""
    text = (resources.files("newsclean") / "data" / "repeats.yaml").read_text("utf-8")
    data: dict[str, list[str]] = yaml.safe_load(text)
    return data


def _any_of(phrases: Iterable[str]) -> str:
    """An alternation of ``phrases``, longest first, each written literally."""
    return "|".join(map(regex.escape, sorted(phrases, key=len, reverse=True)))


@lru_cache(maxsize=1)
def _post_signature() -> re.Pattern[str]:
    """The line that signs an embedded post: "— The Nigerian Senate (@NGRSenate) October
    9, 2018", "A post shared by Dele (@dele_official)". Two posts of one account on one day
    sign alike, and both signatures belong to the article."""
    openings = _any_of(_repeat_words()["post_signatures"])
    return re.compile(rf"(?:[—–-]|{openings})\s*[^()\n]{{0,80}}\(@\w{{1,30}}\)", re.IGNORECASE)


@lru_cache(maxsize=1)
def _truncated() -> regex.Pattern[str]:
    """A line cut short by an ellipsis, perhaps with a link to the rest ("... more"): its
    text before the cut is group 1."""
    links = _any_of(_repeat_words()["more_links"])
    return regex.compile(rf"(.+?)\s*(?:\.{{3}}|…)\s*(?:{links})?\s*", regex.IGNORECASE)


def line_key(line: str) -> str:
    """The form two lines are compared in: case-folded, punctuation and spacing folded.

    >>> line_key("Iraqi PM  Mustafa Al-Kadhimi, and Joe Biden.")
    'iraqi pm mustafa al kadhimi and joe biden'
    """
    if line.isascii():  # the same key, six times as fast: what a 100 MB text needs
        return " ".join(line.lower().translate(_ASCII_NON_WORD).split())
    folded = line.casefold()
    if BEYOND_CLASS.search(folded):
        return _NON_WORD.sub(" ", folded).strip()
    return " ".join(_BELOW_3000_WORD.findall(folded))


def find_repeats(
    lines: Sequence[str],
    candidates: Iterable[int],
    *,
    similarity: float,
    min_words: int,
    window: int,
    memo: Optional[dict[str, str]] = None,
) -> Iterator[tuple[int, str, int]]:
    """Yield ``(index, rule, original)`` for each candidate line that repeats a line just
    before it (the one at ``original``).

    A line is a repeat when one of the ``window`` candidate lines of ``min_words`` words
    or more before it has the same :func:`line_key` (``duplicate/exact``), a rapidfuzz
    ``ratio`` of at least ``similarity`` (``duplicate/near``), or begins with what the
    line keeps before an ellipsis that cuts it short ("... more": ``duplicate/truncated``,
    a caption's collapsed copy). Only near repeats count: captions printed twice stand
    together (perhaps with a short "Image" or "Close" between), while lines an article
    repeats on purpose (a recipe step, a quoted tweet, a refrain) stand apart. A line
    found more than twice in the document is part of its structure (a table header, a
    list), not a caption printed twice, and table rows never count; nor do the lines that
    sign an embedded post ("— Name (@handle) date": two posts of one account sign alike)
    or lines of fewer than ``min_words`` words: short headings and interview markers
    ("Q:") legitimately recur. ``memo`` keeps the keys of lines between calls over the same
    document.

    >>> lines = ["A caption of the photo here", "A caption of the photo here!", "Text."]
    >>> list(find_repeats(lines, range(3), similarity=95, min_words=4, window=3))
    [(1, 'duplicate/exact', 0)]
    """
    candidates = list(candidates)
    if len(candidates) < 2:  # nothing to repeat (and no key to build for a 50 MB line)
        return
    # Only lines of enough words (separated by spaces) and no table bars are compared.
    if memo is None:
        memo = {}
    keys = {}
    for index in candidates:
        line = lines[index]
        key = memo.get(line)
        if key is None and line.count(" ") + 1 >= min_words and not _TABLE.search(line) \
                and not ("(@" in line and _post_signature().match(line)):
            key = memo[line] = line_key(line)
        if key is not None:
            keys[index] = key
    copies = Counter(keys.values())
    # A ratio counts at least the difference in length as edits: keys whose lengths differ
    # by more than this share of their sum cannot be near (the margin keeps rounding out).
    slack = (100.0 - similarity) / 100.0 + 1e-9
    recent: deque[str] = deque(maxlen=window)  # the keys of the lines a copy may repeat
    where: deque[int] = deque(maxlen=window)  # and their indices ("" and -1: a parting)
    for index in candidates:
        key = keys.get(index, "")
        if not key:
            continue  # a short line ("Image", "Close") between two copies does not part them
        if copies[key] > 2:
            recent.append("")
            where.append(-1)
            continue
        if key in recent:
            yield index, "duplicate/exact", where[recent.index(key)]
            continue
        size = len(key)
        original = None
        for other, i in zip(recent, where):
            if other and abs(size - len(other)) <= slack * (size + len(other)) \
                    and _near(key, other, similarity):
                original = i
                break
        if original is None:
            original = _cut_short_copy(lines[index], zip(recent, where), min_words)
            rule = "duplicate/truncated"
        else:
            rule = "duplicate/near"
        if original is not None:
            yield index, rule, original
            continue
        recent.append(key)
        where.append(index)


#: A sentence ends inside a line or at its end: what a caption has and a headline lacks.
_SENTENCE_END = re.compile(r"[.!?…][\"”’)]?(?:\s|$)")


def credited_captions(lines: Sequence[str], repeats: Iterable[tuple[int, str, int]],
                      removed: Mapping[int, str]) -> Iterator[int]:
    """The first copies of captions printed twice: a line repeated (``repeats``: copy,
    rule, original) where the line after either copy is an image credit that a rule
    removed (``removed``: rule ids by index, "credit/..."), and which is a sentence, as a
    caption is ("Esper, left, and Lich shake hands in Hanoi. Esper is on a visit ...";
    not a headline repeated over a gallery).
    """
    def credited(index: int) -> bool:
        following = index + 1
        while following < len(lines) and not lines[following]:
            following += 1
        return removed.get(following, "").startswith("credit/")

    found: set[int] = set()
    for copy, _rule, original in repeats:
        if original not in found and (credited(copy) or credited(original)) \
                and _SENTENCE_END.search(lines[original]):
            found.add(original)
            yield original


def _cut_short_copy(line: str, recent: Iterable[tuple[str, int]],
                    min_words: int) -> Optional[int]:
    """The index of the ``recent`` line (key, index) that ``line`` is a copy of, cut short
    by an ellipsis: what ``line`` keeps, of ``min_words`` words or more, begins its key.

    >>> _cut_short_copy("Esper and Lich shake hands in Hanoi ... more",
    ...                 [("esper and lich shake hands in hanoi on wednesday", 7)], 4)
    7
    >>> _cut_short_copy("Esper in Hanoi ...", [("esper in hanoi on wednesday", 7)], 4) is None
    True
    """
    end = line[-_TRUNCATED_TAIL:]
    if "..." not in end and "…" not in end:
        return None  # most lines: no ellipsis near the end, and no pattern to run
    cut = _truncated().fullmatch(line)
    if cut is None:
        return None
    kept = line_key(cut[1])
    if kept.count(" ") + 1 < min_words:
        return None
    return next((index for other, index in recent
                 if other and (other == kept or other.startswith(kept + " "))), None)


def _near(a: str, b: str, similarity: float) -> bool:
    """Near-identical lines that do not differ in a number or a one-letter word.

    "Plan B" and "Plan C", "Meal 1" and "Meal 2" are items of a list, not repeats.

    >>> _near("protesters gather in tahrir square", "protesters gathered in tahrir square", 90)
    True
    >>> _near("meal prep menu for plan b", "meal prep menu for plan c", 90)
    False
    """
    if fuzz.ratio(a, b, score_cutoff=similarity) == 0:
        return False
    if _NUMBER.findall(a) != _NUMBER.findall(b):
        return False
    return not any(len(word) == 1 for word in set(a.split()) ^ set(b.split()))


#: A slide of a photo gallery: "2/50 Star Wars boosts economy ..." (its number, of how many).
_SLIDE = re.compile(r"(?:[-*•+] )?(\d{1,3}) ?/ ?(\d{1,3})\s+\S")
#: Fewest slides of one gallery, and fewest pictures it must hold ("4/5" is a rating).
MIN_SLIDES, MIN_GALLERY = 3, 6


def find_gallery_slides(lines: Sequence[str], candidates: Iterable[int]
                        ) -> Iterator[tuple[int, str]]:
    """Yield ``(index, "gallery/slide")`` for the captions of a photo gallery printed as
    text: lines that begin with their number in the gallery, "k/N", where one N of six or
    more numbers at least :data:`MIN_SLIDES` of them in rising order ("2/50 Star Wars
    boosts economy", "3/50 Natalie Massenet leaves Net-a-Porter", ...). A count that does
    not rise ("4/5", "3/5": ratings) or a lone "1/3 of voters" is no gallery.

    >>> lines = ["Business news in pictures", "2/50 Star Wars boosts economy",
    ...          "3/50 City for sale", "5/50 World's richest lose $182b", "Text."]
    >>> [i for i, _ in find_gallery_slides(lines, range(5))]
    [1, 2, 3]
    """
    slides: dict[int, list[tuple[int, int]]] = {}
    for index in candidates:
        line = lines[index]
        found = _SLIDE.match(line) if "/" in line[:12] else None
        if found is not None:
            number, total = int(found[1]), int(found[2])
            if 1 <= number <= total and total >= MIN_GALLERY:
                slides.setdefault(total, []).append((index, number))
    for gallery in slides.values():
        numbers = [number for _, number in gallery]
        if len(gallery) >= MIN_SLIDES and all(a < b for a, b in zip(numbers, numbers[1:])):
            for index, _ in gallery:
                yield index, "gallery/slide"
