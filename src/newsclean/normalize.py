r"""Unicode and whitespace normalisation that keeps a map back to offsets in the input.

The text is split into lines at every kind of line break (CRLF, CR, LF, NEL, U+2028/9,
form feed...). Each line is then put in NFC, invisible format characters are dropped
(zero-width space, word joiner, soft hyphen, BOM, bidirectional controls, C0 controls),
runs of whitespace (tabs, no-break and other Unicode spaces) become one space, and the
ends are stripped. Zero-width joiners and non-joiners stay: Persian, Indic scripts and
emoji need them.

>>> doc = normalize("  Al\u200b-Kazemi\u00a0met\tBiden \r\n\r\nOK")
>>> [line.text for line in doc.lines]
['Al-Kazemi met Biden', '', 'OK']
>>> line = doc.lines[0]
>>> doc.source[line.start:line.end]
'Al\u200b-Kazemi\xa0met\tBiden'
>>> doc.input_offset(0, 10)  # "met": column 10 of the line, offset 13 of the input
13
"""

from __future__ import annotations

import itertools
import re
import unicodedata
from bisect import bisect_right
from dataclasses import dataclass
from typing import Iterable, Iterator, Optional

LINE_BREAK = re.compile(r"\r\n|[\n\r\v\f\x1c\x1d\x1e\x85\u2028\u2029]")
_INVISIBLE = "\x00-\x08\x0e-\x1f\x7f\u00ad\u200b\u200e\u200f\u202a-\u202e\u2060\u2066-\u2069\ufeff"
INVISIBLE = re.compile(f"[{_INVISIBLE}]")
# What needs work, over a whole text of "\n"-separated lines (line breaks themselves are
# fine): an invisible character or whitespace other than a space (both rare, found by one
# search), or a space at the start or end of a line or before another (found by str.find).
_SPACES_NEEDING_WORK = ("  ", " \n", "\n ")
_OTHER_BREAK = re.compile(r"[\r\v\f\x1c\x1d\x1e\x85\u2028\u2029]")
_VISIBLE_RUN = re.compile(f"[^{_INVISIBLE}]+")
_WORD = re.compile(r"\S+")
#: Whitespace and invisible characters: what a line's content is stripped of.
_BLANK = "".join(re.findall(rf"[\s{_INVISIBLE}]", "".join(map(chr, range(0x10000)))))
# One class, not an alternation, so that the search skips from candidate to candidate.
_TEXT_NEEDS_WORK = re.compile("[" + re.escape("".join(c for c in _BLANK if c not in " \n")) + "]")


@dataclass(frozen=True)
class Line:
    """A normalised line and where its content stands in the input (``source[start:end]``)."""

    text: str
    start: int
    end: int


@dataclass(frozen=True)
class Normalized:
    """A normalised document: its lines, and the input they came from."""

    source: str
    lines: tuple[Line, ...]

    @property
    def text(self) -> str:
        return "\n".join(line.text for line in self.lines)

    def input_offset(self, line_no: int, column: int) -> int:
        """Offset in the input of column ``column`` of normalised line ``line_no``."""
        line = self.lines[line_no]
        if column >= len(line.text):
            return line.end
        _, offsets = _normalize_line(self.source[line.start : line.end], keep_map=True)
        assert offsets is not None  # keep_map=True always builds the map
        return line.start + offsets[column]


def normalize(text: str) -> Normalized:
    """Split ``text`` into normalised lines, each remembering its span in ``text``.

    The whole text is searched once for what needs work; only the lines where something
    was found (or, if the text is not in NFC, every line) are normalised one by one.
    """
    only_newlines = _OTHER_BREAK.search(text) is None
    raws, starts = _split_lines(text, only_newlines)
    lines = [Line(raw, start, start + len(raw)) for raw, start in zip(raws, starts)]
    if only_newlines and unicodedata.is_normalized("NFC", text):
        work: Iterable[int] = {bisect_right(starts, at) - 1 for at in _needing_work(text)}
    else:  # line breaks other than "\n", or text to compose: every line by itself
        work = range(len(raws))
    for number in work:
        raw, pos = raws[number], starts[number]
        clean = normalize_line(raw)
        if clean:
            start = len(raw) - len(raw.lstrip(_BLANK))
            lines[number] = Line(clean, pos + start, pos + len(raw.rstrip(_BLANK)))
        else:
            lines[number] = Line("", pos, pos)
    return Normalized(text, tuple(lines))


def _needing_work(text: str) -> Iterator[int]:
    """An offset in each line of ``text`` (split at "\n" only) that normalisation changes.

    After a find, the search goes on from the next line: a line of a million tabs costs
    one find, not a million.
    """
    found = _TEXT_NEEDS_WORK.search(text)
    while found is not None:
        yield found.start()
        next_line = text.find("\n", found.start()) + 1
        found = _TEXT_NEEDS_WORK.search(text, next_line) if next_line else None
    for spaces in _SPACES_NEEDING_WORK:
        at = text.find(spaces)
        while at >= 0:
            at += spaces[0] == "\n"  # "\n ": the space starts the next line
            yield at
            next_line = text.find("\n", at) + 1
            at = text.find(spaces, next_line - (spaces[0] == "\n")) if next_line else -1
    if text.startswith(" "):
        yield 0
    if text.endswith(" "):
        yield len(text) - 1


def _split_lines(text: str, only_newlines: bool) -> tuple[list[str], list[int]]:
    r"""The lines of ``text``, split at every kind of line break (only at "\n" when
    ``only_newlines``), and the offset in ``text`` where each starts."""
    if only_newlines:  # the usual case
        raws = text.split("\n")
        starts = [0, *itertools.accumulate(len(raw) + 1 for raw in raws[:-1])]
        return raws, starts
    raws, starts, pos = [], [], 0
    for brk in LINE_BREAK.finditer(text):
        raws.append(text[pos:brk.start()])
        starts.append(pos)
        pos = brk.end()
    raws.append(text[pos:])
    starts.append(pos)
    return raws, starts


def normalize_line(raw: str) -> str:
    r"""The normalised form of one line (no line breaks inside).

    >>> normalize_line(" Cafe\u0301\u00a0 au  lait ")
    'Café au lait'
    """
    return _normalize_line(raw, keep_map=False)[0]


def _normalize_line(raw: str, *, keep_map: bool) -> tuple[str, Optional[list[int]]]:
    if not keep_map:
        text = " ".join(INVISIBLE.sub("", raw).split())
        return unicodedata.normalize("NFC", text), None
    # The map is built from runs (visible pieces, then words) rather than character by
    # character, so a 50 MB line takes seconds, not minutes.
    base: Optional[list[int]] = None  # offsets in raw of the characters of visible
    visible = raw
    if INVISIBLE.search(raw) is not None:
        pieces = list(_VISIBLE_RUN.finditer(raw))
        visible = "".join(m.group() for m in pieces)
        base = []
        for m in pieces:
            base.extend(range(m.start(), m.end()))
    words: list[str] = []
    offsets: list[int] = []
    previous_end = -1
    for word in _WORD.finditer(visible):
        start, end = word.span()
        if previous_end >= 0:
            words.append(" ")
            offsets.append(previous_end if base is None else base[previous_end])
        words.append(word.group())
        offsets.extend(range(start, end) if base is None else base[start:end])
        previous_end = end
    text = "".join(words)
    if unicodedata.is_normalized("NFC", text):
        return text, offsets
    return _compose(text, offsets)


def _compose(text: str, offsets: list[int]) -> tuple[str, list[int]]:
    """NFC, mapping each composed character to the input offset of its first part."""
    out: list[str] = []
    out_offsets: list[int] = []
    seg_start = 0
    for i in range(1, len(text) + 1):
        if i == len(text) or unicodedata.combining(text[i]) == 0:
            composed = unicodedata.normalize("NFC", text[seg_start:i])
            out.append(composed)
            out_offsets.extend([offsets[seg_start]] * len(composed))
            seg_start = i
    result = "".join(out)
    expected = unicodedata.normalize("NFC", text)
    if result != expected:  # composition across starters (Hangul jamo): map to nearest part
        out_offsets = [offsets[min(i, len(offsets) - 1)] for i in range(len(expected))]
        result = expected
    return result, out_offsets
