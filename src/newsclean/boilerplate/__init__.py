"""Boilerplate removal: an ordered table of stages, each naming the lines it removes and why.

Each stage takes the document's normalised lines, the indices of the lines still kept,
the lines already removed (with their reasons), a :class:`Context` (the rule tables, and
in corpus mode the lines the document's site repeats) and the config, and yields
``(index, rule id)`` for the lines it removes. The stages run in the order of
:data:`STAGES`; a line removed by one stage is not seen by the next. Then the stages
that look at neighbouring lines run again over what is left, until nothing more goes.
"""

from __future__ import annotations

import itertools
import operator
from dataclasses import dataclass, field
from typing import Callable, Iterable, Mapping, Optional, Sequence

import numpy as np

from ..config import CleanConfig
from ..normalize import Normalized, normalize
from ..result import Removal
from .duplicates import credited_captions, find_gallery_slides, find_repeats
from .lines import MIN_PAGE_LINES, LineMemo, article_mask, bundled_model, line_features
from .rules import RuleSet


@dataclass(frozen=True)
class Context:
    """What stages know besides the document: the rules, in corpus mode the lines that
    recur across documents of the document's site, and what the line and duplicate stages
    have worked out about the document's lines on an earlier pass."""

    rules: RuleSet
    repeated: frozenset[str] = frozenset()
    memo: LineMemo = field(default_factory=LineMemo, compare=False, repr=False)
    keys: dict[str, str] = field(default_factory=dict, compare=False, repr=False)


Stage = Callable[
    [Sequence[str], list[int], Mapping[int, str], Context, CleanConfig],
    Iterable[tuple[int, str]],
]


def match_rules(
    lines: Sequence[str], kept: list[int], removed: Mapping[int, str], context: Context,
    config: CleanConfig,
) -> Iterable[tuple[int, str]]:
    """Lines that a rule of the rule tables matches."""
    for index, rule in zip(kept, context.rules.match_lines([lines[i] for i in kept])):
        if rule is not None:
            yield index, rule


def match_sections(
    lines: Sequence[str], kept: list[int], removed: Mapping[int, str], context: Context,
    config: CleanConfig,
) -> Iterable[tuple[int, str]]:
    """A comment section or a list of other stories at the end: its heading ("12
    Comments", "Leave a Reply", "You may also like") and every line after it (their rule
    is the heading's prefix and "body": ``comment-section/body``). In a page, only a
    heading in the last part of the document counts (from :data:`SECTION_START` of its
    lines on): earlier, the same words are menu links or head article text. Text an
    extractor produced (mode "extracted") is the article and what the extractor took
    along after it: there a heading counts anywhere after the first line."""
    start = 1 if config.mode == "extracted" else int(len(kept) * SECTION_START)
    found = context.rules.match_lines([lines[i] for i in kept[start:]], scope="rest")
    for position, index, rule in zip(itertools.count(start), kept[start:], found):
        if rule is not None:
            yield index, rule
            for later in kept[position + 1:]:
                yield later, f"{rule.partition('/')[0]}/body"
            return


def match_duplicates(
    lines: Sequence[str], kept: list[int], removed: Mapping[int, str], context: Context,
    config: CleanConfig,
) -> Iterable[tuple[int, str]]:
    """Second copies of a line printed twice; and the first too, where an image credit
    follows a copy and the line is a sentence: a caption (``duplicate/caption``)."""
    if not config.drop_duplicates:
        return
    repeats = list(find_repeats(
        lines, kept, similarity=config.duplicate_similarity,
        min_words=config.duplicate_min_words, window=config.duplicate_window,
        memo=context.keys))
    for index, rule, _ in repeats:
        yield index, rule
    for index in credited_captions(lines, repeats, removed):
        yield index, "duplicate/caption"


def match_galleries(
    lines: Sequence[str], kept: list[int], removed: Mapping[int, str], context: Context,
    config: CleanConfig,
) -> Iterable[tuple[int, str]]:
    """The captions of a photo gallery printed as text ("2/50 ...", "3/50 ...")."""
    return find_gallery_slides(lines, kept)


def match_corpus(
    lines: Sequence[str], kept: list[int], removed: Mapping[int, str], context: Context,
    config: CleanConfig,
) -> Iterable[tuple[int, str]]:
    """Lines that recur across documents of the same site (corpus mode)."""
    for index in kept:
        if lines[index] in context.repeated:
            yield index, "corpus/repeated"


def judge_lines(
    lines: Sequence[str], kept: list[int], removed: Mapping[int, str], context: Context,
    config: CleanConfig,
) -> Iterable[tuple[int, str]]:
    """On a whole page, the lines the line model places outside the article.

    A page is a document whose ``mode`` is "page", or "auto" when enough of its lines
    look like menus, links and footers. Every line outside the article's region, or weak
    inside it, goes (``lines/not-article``). Extracted text is left to the rules.
    """
    if config.mode == "extracted":
        return
    model = bundled_model()
    present = [i for i, text in enumerate(lines) if text]
    texts = [lines[i] for i in present]
    hits = np.fromiter(map(removed.__contains__, present), dtype=bool, count=len(present))
    if config.mode == "auto" and len(present) - int(hits.sum()) < MIN_PAGE_LINES:
        return  # too few lines to be a page (LineModel.is_page): no need for features
    probabilities = model.probabilities(line_features(texts, hits, context.memo))
    if config.mode == "auto" and not model.is_page(probabilities, hits):
        return
    spaces = np.fromiter(map(str.count, texts, itertools.repeat(" ")), dtype=float,
                         count=len(texts))
    alive = set(kept)
    for index, keep_line in zip(present, article_mask(probabilities, spaces + 1, model).tolist()):
        if not keep_line and index in alive:
            yield index, "lines/not-article"


#: Where, as a share of a page's lines, a comment-section heading may start.
SECTION_START = 0.6

STAGES: tuple[tuple[str, Stage], ...] = (
    ("sections", match_sections),
    ("rules", match_rules),
    ("duplicates", match_duplicates),
    ("galleries", match_galleries),
    ("corpus", match_corpus),
    ("lines", judge_lines),
)


def line_inputs(text: str, rules: RuleSet) -> tuple[list[str], list[bool]]:
    """The non-blank normalised lines of ``text`` and whether rules or repeats remove each:
    what the line model sees (used to train it)."""
    lines = [line.text for line in normalize(text).lines]
    reasons = _run(lines, STAGES[:-1], Context(rules), CleanConfig())
    present = [i for i, line in enumerate(lines) if line]
    return [lines[i] for i in present], [i in reasons for i in present]


def _run(lines: Sequence[str], stages: Sequence[tuple[str, Stage]], context: Context,
         config: CleanConfig) -> dict[int, str]:
    kept = [i for i, text in enumerate(lines) if text]
    reasons: dict[int, str] = {}
    for _name, stage in stages:
        found = dict(stage(lines, kept, reasons, context, config))
        if found:
            reasons.update(found)
            kept = [i for i in kept if i not in found]
    return reasons


@dataclass(frozen=True)
class Cleaned:
    """The cleaned text and what was removed from the input to get it."""

    text: str
    removed: tuple[Removal, ...]


#: Most passes of the stages over one document (see :func:`remove_boilerplate`).
MAX_PASSES = 4
#: The stages whose judgement of a line depends on the lines around it.
NEIGHBOURLY = frozenset({"sections", "duplicates", "lines"})


def _as_output(lines: Sequence[str], reasons: Mapping[int, str]) -> list[Optional[int]]:
    """The input lines the output keeps, with None for the blank line between paragraphs."""
    view: list[Optional[int]] = []
    blank = False
    for index, text in enumerate(lines):
        if not text:
            blank = True
        elif index not in reasons:
            if blank and view:
                view.append(None)
            view.append(index)
            blank = False
    return view


def remove_boilerplate(doc: Normalized, rules: RuleSet, config: CleanConfig,
                       repeated: frozenset[str] = frozenset()) -> Cleaned:
    """Run :data:`STAGES` over ``doc`` and join the lines that are left.

    Kept lines are joined by a newline, or by a blank line where the input had one or
    more blank lines between them; leading and trailing blank lines go.

    Removing lines changes the neighbours of those left, so the stages run again over
    what is left, as over a new input, until nothing more goes (at most
    :data:`MAX_PASSES` times): cleaning cleaned text changes nothing.
    """
    lines = [line.text for line in doc.lines]
    context = Context(rules, repeated)
    reasons: dict[int, str] = {}
    view: list[Optional[int]] = list(range(len(lines)))  # the lines the next pass sees
    stages = STAGES
    for _ in range(MAX_PASSES):
        found = _run([lines[i] if i is not None else "" for i in view], stages, context,
                     config)
        if not found:
            break
        for position, rule in found.items():
            index = view[position]
            if index is not None:  # stages only ever remove non-blank lines
                reasons[index] = rule
        view = _as_output(lines, reasons)
        # A line a rule or the corpus removes goes whatever its neighbours: only the
        # stages that look at neighbours need to run again.
        stages = tuple((name, stage) for name, stage in STAGES if name in NEIGHBOURLY)
    kept = [i for i, text in enumerate(lines) if text and i not in reasons]
    blanks = list(itertools.accumulate(map(operator.not_, lines), initial=0))
    parts: list[str] = []
    previous = -1
    for index in kept:
        if parts:
            blank_between = blanks[index] > blanks[previous + 1]  # blank lines in between
            parts.append("\n\n" if blank_between else "\n")
        parts.append(lines[index])
        previous = index
    spans = [(doc.lines[i].start, doc.lines[i].end, reasons[i]) for i in sorted(reasons)]
    removed = tuple(Removal(start, end, doc.source[start:end], rule) for start, end, rule in spans)
    return Cleaned("".join(parts), removed)
