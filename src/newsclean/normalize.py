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

import re
import unicodedata
from bisect import bisect_right
from dataclasses import dataclass
from typing import Optional

LINE_BREAK = re.compile(r"\r\n|[\n\r\v\f\x1c\x1d\x1e\x85\u2028\u2029]")
_INVISIBLE = "\x00-\x08\x0e-\x1f\x7f\u00ad\u200b\u200e\u200f\u202a-\u202e\u2060\u2066-\u2069\ufeff"
INVISIBLE = re.compile(f"[{_INVISIBLE}]")
# A line needs the slow path if it has invisible characters, whitespace other than a single
# space between words, or leading/trailing whitespace.
# What needs work, over a whole text of "\n"-separated lines (line breaks themselves are fine).
_TEXT_NEEDS_WORK = re.compile(rf"[{_INVISIBLE}]|[^\S\n]{{2,}}|[^\S \n]|^[^\S\n]|[^\S\n]$",
                              re.M)
_OTHER_BREAK = re.compile(r"[\r\v\f\x1c\x1d\x1e\x85\u2028\u2029]")


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
    spans = _line_spans(text)
    starts = [start for start, _, _ in spans]
    if unicodedata.is_normalized("NFC", text) and _OTHER_BREAK.search(text) is None:
        work = {bisect_right(starts, found.start()) - 1
                for found in _TEXT_NEEDS_WORK.finditer(text)}
    else:  # line breaks other than "\n", or text to compose: every line by itself
        work = set(range(len(spans)))
    lines = []
    for number, (pos, end, _) in enumerate(spans):
        raw = text[pos:end]
        if number not in work:
            lines.append(Line(raw, pos, end))
        else:
            clean, offsets = _normalize_line(raw, keep_map=True)
            assert offsets is not None
            if clean:
                lines.append(Line(clean, pos + offsets[0], pos + offsets[-1] + 1))
            else:
                lines.append(Line("", pos, pos))
    return Normalized(text, tuple(lines))


def _line_spans(text: str) -> list[tuple[int, int, int]]:
    """(start, end, start of the next line) of each line, at every kind of line break."""
    if _OTHER_BREAK.search(text) is None:  # the usual case: "\n" only
        spans = []
        pos = 0
        for raw in text.split("\n"):
            spans.append((pos, pos + len(raw), pos + len(raw) + 1))
            pos += len(raw) + 1
        return spans
    spans, pos = [], 0
    for brk in LINE_BREAK.finditer(text):
        spans.append((pos, brk.start(), brk.end()))
        pos = brk.end()
    spans.append((pos, len(text), len(text)))
    return spans


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
    chars: list[str] = []
    offsets: list[int] = []
    pending_space: Optional[int] = None
    for i, ch in enumerate(raw):
        if INVISIBLE.match(ch):
            continue
        if ch.isspace():
            if pending_space is None:
                pending_space = i
            continue
        if pending_space is not None and chars:
            chars.append(" ")
            offsets.append(pending_space)
        pending_space = None
        chars.append(ch)
        offsets.append(i)
    text = "".join(chars)
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
