"""Line judgement beyond rules: features of each line and of its neighbours.

jusText's insight carries most of the signal: a line of an article is long, full of
stop words and ends like a sentence, and so are its neighbours; menus, footers and link
lists are runs of short lines without stop words. Each line gets a small vector of such
features, over itself and over windows of neighbouring lines; a logistic model trained
on the benchmark's dev split (``benchmarks/train_line_model.py``) turns them into the
probability that the line belongs to the article.
"""

from __future__ import annotations

import importlib.util
import itertools
import json
import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any, Optional, Sequence, Union

import numpy as np
import regex
import spacy

from .patterns import BEYOND_CLASS, word_class

#: Languages whose stop words (from spaCy's language data) are counted.
STOP_LANGUAGES = ("en", "de", "fr", "es", "it", "pt", "ru", "ar", "pl", "nl", "cs", "sv", "tr",
                  "id", "uk", "ro", "fi", "hu", "da", "nb", "el")
#: Where no line reaches the region threshold, it falls to this share of the best line's
#: probability, so that a page always keeps its most article-like region.
RELATIVE_FLOOR = 0.9
#: A line of at most this many words, between the region and a line that joins it, is a
#: heading inside the article and joins it too.
HEADING_WORDS = 12
#: Fewer lines than this (after rules) are never judged a whole page in "auto" mode.
MIN_PAGE_LINES = 10
#: Neighbourhoods, in lines either side, whose averages are features.
WINDOWS = (1, 3, 8)
_WORD_OR_BREAK = regex.compile(r"\w+|\n")
#: How many words of a document its language is guessed from.
_LANGUAGE_SAMPLE = 2000
# Simple scans over a whole document: the re module runs these faster than regex.
# A bullet starts a line: it is searched for after a line break (the text is searched with
# one put before it), which the search skips to, rather than at every position with ^.
_BULLET = re.compile(r"\n(?:[*+•·▪►>»›-]|\d{1,2}[.)])[^\S\n]")
_MENU = re.compile(r" [|»›•·/] ")
_COPYRIGHT = ("©", "(c)", "(C)")  # found by str.find, faster than by a regex
_END = frozenset('.!?…:;"”»)。！？')
_LINKISH = re.compile(r"https?://|www\.|@\w|\.(?:com|org|net)\b")


@lru_cache(maxsize=1)
def stop_words() -> dict[str, frozenset[str]]:
    """Stop words by language code, read from spaCy's language data (no download).

    Each ``spacy/lang/<code>/stop_words.py`` is run on its own: importing the language
    package would compile its tokenizer rules, which takes seconds for all of them.
    """
    found = {}
    lang = Path(spacy.__file__).parent / "lang"
    for code in STOP_LANGUAGES:
        path = lang / code / "stop_words.py"
        spec = importlib.util.spec_from_file_location(f"_newsclean_stop_words_{code}", path)
        if spec is None or spec.loader is None or not path.is_file():
            continue  # a spaCy without that language
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        found[code] = frozenset(word.casefold() for word in module.STOP_WORDS)
    return found


@lru_cache(maxsize=1)
def _stop_masks() -> dict[str, int]:
    """For each stop word, the languages it is a stop word of: bit ``i`` stands for the
    ``i``-th language of :func:`stop_words` (in 64 bits, the last of them _BREAK's)."""
    masks: dict[str, int] = {}
    for bit, words in enumerate(stop_words().values()):
        for word in words:
            masks[word] = masks.get(word, 0) | 1 << bit
    return masks


#: The mask of a line break among the words LineMemo finds (no language has its bit).
_BREAK = 1 << 63


@lru_cache(maxsize=1)
def _token_masks() -> dict[str, int]:
    """:func:`_stop_masks`, and :data:`_BREAK` for a line break."""
    return {**_stop_masks(), "\n": _BREAK}


def guess_language(words: Sequence[str]) -> str:
    """The language whose stop words are the most frequent among ``words`` (folded);
    between languages as frequent, English, then the language met first in ``words``.

    >>> guess_language("der Mann und die Frau sind in der Stadt".split())
    'de'
    """
    masks = _stop_masks()
    return _most_frequent_language(np.fromiter(map(masks.get, words, itertools.repeat(0)),
                                               dtype=np.uint64, count=len(words)))


def _most_frequent_language(masks: np.ndarray) -> str:
    """:func:`guess_language` of words given as their stop-word masks (:func:`_stop_masks`)."""
    masks = masks[masks != 0]  # the stop words, in order
    if not len(masks):
        return "en"
    codes = list(stop_words())
    is_stop = (masks[:, None] >> np.arange(len(codes), dtype=np.uint64)) & 1
    hits = is_stop.sum(axis=0).tolist()
    first = is_stop.argmax(axis=0).tolist()  # the first stop word of each language found
    found = [i for i, count in enumerate(hits) if count]
    # Met first: at an earlier word, or at the same word earlier in STOP_LANGUAGES.
    best = max(found, key=lambda i: (hits[i], codes[i] == "en", -first[i], -i))
    return codes[best]


FEATURES = (
    "log_words", "log_chars", "stop_density", "ends_sentence", "punct_per_word", "alpha_ratio",
    "digit_ratio", "title_ratio", "bullet", "menu", "linkish", "copyright", "repeated",
    "position", "position_from_end", "rule_hit", "rel_words", "words_x_stops", "words_x_end",
)
_LOCAL = ("log_words", "stop_density", "ends_sentence", "title_ratio", "bullet", "rule_hit",
          "linkish", "menu", "words_x_stops")
_LOCAL_COLUMNS = [FEATURES.index(name) for name in _LOCAL]
_WINDOW_SIZES = np.array(WINDOWS)[:, None]


def feature_names() -> list[str]:
    """Names of the columns of :func:`line_features`."""
    names = list(FEATURES)
    for window in WINDOWS:
        names += [f"{name}@{window}" for name in _LOCAL]
    return names


def line_features(lines: Sequence[str], rule_hits: Union[Sequence[bool], np.ndarray],
                  memo: Optional[LineMemo] = None) -> np.ndarray:
    """A row of features for each of ``lines`` (normalised, non-blank).

    What depends on a line's text alone is counted once per distinct line, in ``memo``
    when one is given (the passes over one document share one), over all new lines at
    once as arrays of code points and of words, not line by line; what depends on the
    other lines (the language, repeats, position, neighbours) is worked out each call.
    """
    n = len(lines)
    if n == 0:
        return np.zeros((0, len(feature_names())))
    if memo is None:
        memo = LineMemo()
    rows = memo.rows_of(lines)
    counts = memo.counts[rows]
    n_words, lengths = counts[:, _N_WORDS], counts[:, _LENGTH]
    language = memo.language(rows, _LANGUAGE_SAMPLE)
    n_stops = memo.stop_counts(language)[rows]
    # A letter whose lower case is longer (İ) anywhere: count ASCII capitals only.
    title = _TITLE_ASCII if counts[:, _EXPANDS].any() else _TITLE
    raw = np.zeros((n, len(FEATURES)), dtype=np.float64)
    raw[:, 0] = np.log1p(n_words)
    raw[:, 1] = np.log1p(lengths)
    raw[:, 2] = n_stops / np.maximum(n_words, 1)
    raw[:, 3] = counts[:, _ENDS]
    raw[:, 4] = counts[:, _CLAUSES] / (n_words + 1)
    raw[:, 5] = counts[:, _LETTERS] / lengths
    raw[:, 6] = counts[:, _DIGITS] / lengths
    raw[:, 7] = counts[:, title] / np.maximum(counts[:, _TOKENS], 1)
    raw[:, 8:12] = counts[:, _BULLET_COL:_BULLET_COL + 4]
    raw[:, 12] = np.bincount(rows)[rows] > 1
    positions = np.arange(n, dtype=np.float64) / max(n - 1, 1)
    raw[:, 13] = positions
    raw[:, 14] = 1.0 - positions
    raw[:, 15] = np.asarray(rule_hits, dtype=np.float64)
    raw[:, 16] = raw[:, 0] - raw[:, 0].max()
    raw[:, 17] = raw[:, 0] * raw[:, 2]
    raw[:, 18] = raw[:, 0] * raw[:, 3]
    local = raw[:, _LOCAL_COLUMNS]
    cumulative = np.vstack([np.zeros((1, local.shape[1])), np.cumsum(local, axis=0)])
    # The neighbourhood of each window (rows) of each line (columns), all at once.
    index = np.arange(n)
    low = np.maximum(index - _WINDOW_SIZES, 0)
    high = np.minimum(index + _WINDOW_SIZES + 1, n)
    means = (cumulative[high] - cumulative[low]) / (high - low)[:, :, None]
    return np.hstack([raw, means.transpose(1, 0, 2).reshape(n, -1)])


# The columns of LineMemo.counts: what is counted in each distinct line.
_COLUMNS = 14
(_N_WORDS, _LENGTH, _TOKENS, _LETTERS, _DIGITS, _CLAUSES, _TITLE, _TITLE_ASCII, _EXPANDS,
 _ENDS, _BULLET_COL, _MENU_COL, _LINKISH_COL, _COPYRIGHT_COL) = range(_COLUMNS)


class LineMemo:
    """What :func:`line_features` has counted in the distinct lines of one document.

    Cleaning runs over a document again after removing lines (see
    :func:`newsclean.boilerplate.remove_boilerplate`); the lines of a later pass are lines
    of the first, so a later pass counts nothing again. Stop words are counted per
    language, since the language is guessed again on each pass's lines.
    """

    def __init__(self) -> None:
        self.index: dict[str, int] = {}
        self.counts = np.zeros((0, _COLUMNS))
        # Every word of every line, in row order, as its stop-word mask (_stop_masks): the
        # language guess and the stop-word counts need no more of it. And each word's row.
        self._word_masks = np.zeros(0, dtype=np.uint64)
        self._word_rows = np.zeros(0, dtype=np.intp)
        self._first_word = np.zeros(0, dtype=np.intp)  # per row, where its words start
        self._stops: dict[str, np.ndarray] = {}

    def rows_of(self, lines: Sequence[str]) -> np.ndarray:
        """The row of each of ``lines``, counting the lines not seen before."""
        index = self.index
        new = [line for line in dict.fromkeys(lines) if line not in index]
        if new:
            self._count(new)
        return np.fromiter(map(index.__getitem__, lines), dtype=np.intp, count=len(lines))

    def language(self, rows: np.ndarray, size: int) -> str:
        """:func:`guess_language` of the first ``size`` words of the lines at ``rows``."""
        n_words = self.counts[rows, _N_WORDS].astype(np.intp)
        ends = np.cumsum(n_words)
        taken = int(np.searchsorted(ends, size)) + 1  # the lines that hold those words
        n_words, ends = n_words[:taken], ends[:taken]
        # the words of each of those lines in turn: first_word[row], first_word[row] + 1...
        words = np.arange(ends[-1] if len(ends) else 0) + np.repeat(
            self._first_word[rows[:taken]] - ends + n_words, n_words)
        return _most_frequent_language(self._word_masks[words[:size]])

    def stop_counts(self, language: str) -> np.ndarray:
        """The number of stop words of ``language`` in each row."""
        found = self._stops.get(language)
        if found is None:
            codes = list(stop_words())
            is_stop = np.zeros(len(self._word_masks))
            if language in codes:
                is_stop[:] = (self._word_masks >> codes.index(language)) & 1
            found = np.bincount(self._word_rows, weights=is_stop, minlength=len(self.counts))
            self._stops[language] = found
        return found

    def _count(self, lines: list[str]) -> None:
        n = len(lines)
        first_row = len(self.index)
        text = "\n".join(lines)
        lengths = np.fromiter(map(len, lines), dtype=np.int64, count=n)
        starts = np.concatenate([[0], np.cumsum(lengths + 1)[:-1]])
        # surrogatepass: a str with a lone surrogate (from surrogateescape) is still counted
        codes = np.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
        kind = _BMP_KINDS[np.minimum(codes, 0xFFFF)]
        is_space = kind == _SPACE
        word_start = ~is_space & np.concatenate([[True], is_space[:-1]])

        def per_line(mask: np.ndarray) -> np.ndarray:
            return np.add.reduceat(mask, starts, dtype=np.int64).astype(np.float64)

        counts = np.zeros((n, _COLUMNS))
        counts[:, _LENGTH] = lengths
        counts[:, _TOKENS] = per_line(word_start)
        counts[:, _LETTERS] = per_line(kind == _LETTER)
        counts[:, _DIGITS] = per_line(kind == _DIGIT)
        counts[:, _CLAUSES] = per_line(kind == _CLAUSE)
        counts[:, _TITLE_ASCII] = per_line(word_start & (codes >= 65) & (codes <= 90))
        lowered = text.lower()
        compared = lowered
        if len(lowered) != len(text):
            # lower case changes the length of some line (İ): those are compared as they
            # are (no capitals counted; features use _TITLE_ASCII while they are present)
            pairs = [(line, line.lower()) for line in lines]
            counts[:, _EXPANDS] = [len(low) != len(line) for line, low in pairs]
            compared = "\n".join(line if len(low) != len(line) else low for line, low in pairs)
        compared_codes = np.frombuffer(compared.encode("utf-32-le", "surrogatepass"),
                                       dtype=np.uint32)
        counts[:, _TITLE] = per_line(word_start & (codes != compared_codes))
        counts[:, _ENDS] = [line[-1] in _END for line in lines]
        counts[:, _BULLET_COL] = _lines_matching(_BULLET, "\n" + text, starts, n)
        counts[:, _MENU_COL] = _lines_matching(_MENU, text, starts, n)
        counts[:, _LINKISH_COL] = _lines_matching(_LINKISH, text, starts, n)
        counts[:, _COPYRIGHT_COL] = _lines_holding(_COPYRIGHT, text, starts, n)
        # Words and line breaks in one pass; a word's line is the number of breaks before it.
        words = _WORD_OR_BREAK if BEYOND_CLASS.search(lowered) else _below_3000_word_or_break()
        found = words.findall(lowered)
        masks = np.fromiter(map(_token_masks().get, found, itertools.repeat(0)),
                            dtype=np.uint64, count=len(found))
        breaks = masks == np.uint64(_BREAK)
        word_rows = np.cumsum(breaks)[~breaks]
        n_words = np.bincount(word_rows, minlength=n)
        counts[:, _N_WORDS] = n_words
        counts[:, _MENU_COL] = np.maximum(counts[:, _MENU_COL],
                                          counts[:, _LETTERS] + counts[:, _DIGITS] == 0)
        self._first_word = np.concatenate(
            [self._first_word, len(self._word_masks) + np.cumsum(n_words) - n_words])
        self._word_masks = np.concatenate([self._word_masks, masks[~breaks]])
        self._word_rows = np.concatenate([self._word_rows, word_rows + first_row])
        self.counts = np.vstack([self.counts, counts])
        self.index.update(zip(lines, range(first_row, first_row + n)))
        self._stops.clear()


_SPACE, _LETTER, _DIGIT, _CLAUSE, _OTHER = range(5)
_ASCII_KINDS = np.full(128, _OTHER, dtype=np.int8)
for _code in range(128):
    _char = chr(_code)
    if _char.isspace():
        _ASCII_KINDS[_code] = _SPACE
    elif _char.isalpha():
        _ASCII_KINDS[_code] = _LETTER
    elif _char.isdigit():
        _ASCII_KINDS[_code] = _DIGIT
    elif _char in ",.;:":
        _ASCII_KINDS[_code] = _CLAUSE


def _char_kinds(codes: np.ndarray) -> np.ndarray:
    """Space, letter, digit, clause punctuation or other, for each code point.

    Outside ASCII, everything but spaces and the punctuation blocks (Latin-1 signs,
    General Punctuation, CJK symbols) counts as a letter.
    """
    kinds = np.full(codes.shape, _LETTER, dtype=np.int8)
    ascii_ = codes < 128
    kinds[ascii_] = _ASCII_KINDS[codes[ascii_]]
    signs = ((codes >= 0xA0) & (codes <= 0xBF)) | ((codes >= 0x2000) & (codes <= 0x206F)) | \
        ((codes >= 0x3000) & (codes <= 0x303F))
    kinds[signs] = _OTHER
    kinds[(codes == 0x3001) | (codes == 0x3002) | (codes == 0xFF0C)] = _CLAUSE
    return kinds


#: _char_kinds of every character of the Basic Multilingual Plane, looked up in one step;
#: beyond it, as at U+FFFF, every character is a letter.
_BMP_KINDS = _char_kinds(np.arange(0x10000, dtype=np.uint32))


@lru_cache(maxsize=1)
def _below_3000_word_or_break() -> re.Pattern[str]:
    """_WORD_OR_BREAK for text of characters before U+3000, as a class of the re module:
    the same words, found faster."""
    return re.compile(f"[{word_class()}_]+|\n")


def _lines_matching(pattern: re.Pattern[str], text: str, starts: np.ndarray,
                    n: int) -> np.ndarray:
    """1.0 for each line (starting at ``starts`` in ``text``) where ``pattern`` matches."""
    return _lines_at([m.start() for m in pattern.finditer(text)], starts, n)


def _lines_holding(strings: Sequence[str], text: str, starts: np.ndarray,
                   n: int) -> np.ndarray:
    """1.0 for each line (starting at ``starts`` in ``text``) that holds one of ``strings``."""
    positions = []
    for string in strings:
        at = text.find(string)
        while at >= 0:
            positions.append(at)
            at = text.find(string, at + len(string))
    return _lines_at(positions, starts, n)


def _lines_at(positions: list[int], starts: np.ndarray, n: int) -> np.ndarray:
    """1.0 for each line (starting at ``starts``) that holds one of ``positions``."""
    found = np.zeros(n)
    if positions:
        found[np.searchsorted(starts, positions, side="right") - 1] = 1.0
    return found


@dataclass(frozen=True)
class LineModel:
    """A logistic model over :func:`line_features`, with how its output is decoded."""

    mean: np.ndarray
    scale: np.ndarray
    weights: np.ndarray
    bias: float
    #: decoding: the article is the run of lines whose ``p - region_threshold`` weighted by
    #: words sums highest; inside it lines with ``p < inside_drop`` go, outside it lines
    #: with ``p >= outside_keep`` stay.
    region_threshold: float
    inside_drop: float
    outside_keep: float
    #: lines just above the region (a headline) join it when ``p`` reaches this
    edge_keep: float
    #: lines just below the region (the article's last paragraphs) join it from this ``p``
    tail_keep: float
    #: with mode "auto", a document whose share of lines with ``p < 0.2`` is at least this
    #: is judged as a whole page
    page_share: float
    #: another run of lines, before or after the best one, whose summed gain reaches this
    #: share of the best run's is article too (a paragraph block split off by a picture,
    #: a list or a heading): the region spans from the first such run to the last
    region_share: float

    def is_page(self, probabilities: np.ndarray, removed: np.ndarray) -> bool:
        """Whether a document is a whole web page: it has at least :data:`MIN_PAGE_LINES`
        lines that no rule removed, and enough of them are weak (``p < 0.2``)."""
        left = probabilities[~removed]
        return len(left) >= MIN_PAGE_LINES and float((left < 0.2).mean()) >= self.page_share

    def probabilities(self, features: np.ndarray) -> np.ndarray:
        """For each row of ``features``, the probability that its line is the article's."""
        z = ((features - self.mean) / self.scale) @ self.weights + self.bias
        probabilities: np.ndarray = 1.0 / (1.0 + np.exp(-z))
        return probabilities

    def to_json(self) -> str:
        data = {name: getattr(self, name).tolist() for name in ("mean", "scale", "weights")}
        data.update(bias=self.bias, region_threshold=self.region_threshold,
                    inside_drop=self.inside_drop, outside_keep=self.outside_keep,
                    edge_keep=self.edge_keep, tail_keep=self.tail_keep,
                    page_share=self.page_share, region_share=self.region_share,
                    features=feature_names())
        return json.dumps(data, indent=1)

    @classmethod
    def from_json(cls, text: str) -> LineModel:
        data: Any = json.loads(text)
        if data.get("features") != feature_names():
            raise ValueError("the line model was trained on other features; retrain it with"
                             " benchmarks/train_line_model.py")
        return cls(np.array(data["mean"]), np.array(data["scale"]), np.array(data["weights"]),
                   float(data["bias"]), float(data["region_threshold"]),
                   float(data["inside_drop"]), float(data["outside_keep"]),
                   float(data["edge_keep"]), float(data["tail_keep"]),
                   float(data["page_share"]), float(data["region_share"]))


@lru_cache(maxsize=1)
def bundled_model() -> LineModel:
    """The line model shipped with newsclean (``data/line_model.json``)."""
    text = (resources.files("newsclean") / "data" / "line_model.json").read_text("utf-8")
    return LineModel.from_json(text)


def article_mask(probabilities: np.ndarray, weights: np.ndarray, model: LineModel) -> np.ndarray:
    """Which lines to keep: the article's region, then the per-line exceptions.

    A line's gain is ``p - region_threshold`` weighted by its words. The region starts as
    the contiguous run of lines of highest summed gain; the best runs before and after it
    whose gain reaches ``region_share`` of that one's join it, with the lines between (an
    article broken by a picture, a fact box or a list of short lines is one article).
    Then it grows over a headline above it and over strong paragraphs and headed
    paragraphs below it.

    >>> model = LineModel(np.zeros(1), np.ones(1), np.zeros(1), 0.0, 0.5, 0.1, 0.95, 1.0, 1.0,
    ...                   0.5, 0.3)
    >>> article_mask(np.array([0.2, 0.9, 0.3, 0.8, 0.1]), np.ones(5), model).tolist()
    [False, True, True, True, False]
    >>> article_mask(np.array([0.97, 0.05, 0.05, 0.05, 0.99]), np.ones(5), model).tolist()
    [True, False, False, False, True]
    >>> article_mask(np.array([0.9, 0.9, 0.05, 0.05, 0.05, 0.8, 0.1]), np.ones(7),
    ...              model).tolist()
    [True, True, False, False, False, True, False]
    """
    n = len(probabilities)
    keep = np.zeros(n, dtype=bool)
    if n == 0:
        return keep
    # A page always keeps its best region: when no line reaches the threshold, the
    # threshold comes down to just under the best line's probability.
    threshold = min(model.region_threshold, float(probabilities.max()) * RELATIVE_FLOOR)
    inside_drop = min(model.inside_drop, threshold)
    gains = (probabilities - threshold) * weights
    best, low, high = _best_run(gains, 0, n)
    runs = [(low, high)]
    todo = [(0, low), (high, n)]
    while todo:
        start, stop = todo.pop()
        found, first, last = _best_run(gains, start, stop)
        if last > first and found >= model.region_share * best:
            runs.append((first, last))
            todo += [(start, first), (last, stop)]
    spans = [_grow(probabilities, weights, first, last, model, inside_drop)
             for first, last in runs]
    low, high = min(span[0] for span in spans), max(span[1] for span in spans)
    keep[low:high] = probabilities[low:high] >= inside_drop
    keep[:low] = probabilities[:low] >= model.outside_keep
    keep[high:] = probabilities[high:] >= model.outside_keep
    return keep


def _best_run(gains: np.ndarray, start: int, stop: int) -> tuple[float, int, int]:
    """The contiguous run of ``gains[start:stop]`` with the highest positive sum (Kadane):
    the sum, and where the run starts and stops (equal when no gain is positive)."""
    best = current = 0.0
    span = (start, start)
    first = start
    for i, gain in enumerate(gains[start:stop].tolist(), start):
        if current <= 0.0:
            current, first = gain, i
        else:
            current += gain
        if current > best:
            best, span = current, (first, i + 1)
    return best, span[0], span[1]


def _grow(probabilities: np.ndarray, weights: np.ndarray, low: int, high: int,
          model: LineModel, inside_drop: float) -> tuple[int, int]:
    """The run ``[low, high)`` grown over a headline above it and, below it, over strong
    lines and over short headings followed by a strong line."""
    n = len(probabilities)
    while low > 0 and probabilities[low - 1] >= model.edge_keep:
        low -= 1
    while 0 < high < n:
        if probabilities[high] >= model.tail_keep:
            high += 1
        elif (high + 1 < n and weights[high] <= HEADING_WORDS
              and probabilities[high] >= inside_drop
              and probabilities[high + 1] >= model.tail_keep):
            high += 2  # a heading, and the paragraph it heads
        else:
            break
    return low, high
