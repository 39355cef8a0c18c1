"""Boilerplate removal: an ordered table of stages, each naming the lines it removes and why.

Each stage takes the document's normalised lines and the indices of the lines still
kept, and yields ``(index, rule id)`` for the lines it removes. The stages run in the
order of :data:`STAGES`; a line removed by one stage is not seen by the next.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, Iterable, Sequence

from ..config import CleanConfig
from ..normalize import Normalized
from ..result import Removal
from .duplicates import find_repeated_lines
from .rules import RuleSet

Stage = Callable[[Sequence[str], list[int], RuleSet, CleanConfig], Iterable[tuple[int, str]]]


def match_rules(
    lines: Sequence[str], kept: list[int], rules: RuleSet, config: CleanConfig
) -> Iterable[tuple[int, str]]:
    """Lines that a rule of the rule tables matches."""
    for index in kept:
        rule = rules.match(lines[index])
        if rule is not None:
            yield index, rule


def match_duplicates(
    lines: Sequence[str], kept: list[int], rules: RuleSet, config: CleanConfig
) -> Iterable[tuple[int, str]]:
    """Second and later copies of a repeated line."""
    if not config.drop_duplicates:
        return ()
    return find_repeated_lines(
        lines, kept, similarity=config.duplicate_similarity,
        min_words=config.duplicate_min_words, window=config.duplicate_window)


STAGES: tuple[tuple[str, Stage], ...] = (
    ("rules", match_rules),
    ("duplicates", match_duplicates),
)


@dataclass(frozen=True)
class Cleaned:
    """The cleaned text and what was removed from the input to get it."""

    text: str
    removed: tuple[Removal, ...]


def remove_boilerplate(doc: Normalized, rules: RuleSet, config: CleanConfig) -> Cleaned:
    """Run :data:`STAGES` over ``doc`` and join the lines that are left.

    Kept lines are joined by a newline, or by a blank line where the input had one or
    more blank lines between them; leading and trailing blank lines go.
    """
    lines = [line.text for line in doc.lines]
    kept = [i for i, text in enumerate(lines) if text]
    reasons: dict[int, str] = {}
    for _name, stage in STAGES:
        found = dict(stage(lines, kept, rules, config))
        if found:
            reasons.update(found)
            kept = [i for i in kept if i not in found]
    parts: list[str] = []
    previous = -1
    for index in kept:
        if parts:
            blank_between = any(not lines[i] for i in range(previous + 1, index))
            parts.append("\n\n" if blank_between else "\n")
        parts.append(lines[index])
        previous = index
    spans = [(doc.lines[i].start, doc.lines[i].end, reasons[i]) for i in sorted(reasons)]
    removed = tuple(Removal(start, end, doc.source[start:end], rule) for start, end, rule in spans)
    return Cleaned("".join(parts), removed)
