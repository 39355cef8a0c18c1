"""Entity mentions in a spaCy ``Doc``: NER spans plus names of the alias table.

NER spans are trimmed of a leading "the" and a trailing possessive or punctuation, so
that the mention is the name itself. Alias matches come from a ``PhraseMatcher`` on
lower-case tokens, but a lower-case word never matches a name that has capitals
("us" is not "US"), and acronyms match only in their own case.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, Iterable, Optional

import regex
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc, Span
from spacy.vocab import Vocab

from ..result import Match
from .aliases import AliasTable, is_acronym
from .names import fold, leading_titles

_LEADING = frozenset({"the", "The", "THE"})
_PUNCT = regex.compile(r"[^\w\s]+")
_TRAILING = frozenset({"'s", "’s", "'", "’", ",", ".", ":", ";", "-", "–", "—", "(", ")", '"'})


@dataclass
class Mention:
    """A span of the text that may name an entity; ``match`` is filled by resolution."""

    start: int
    end: int
    text: str
    label: str
    from_ner: bool
    match: Optional[Match] = None


def ner_mentions(doc: Doc, labels: Iterable[str]) -> list[Mention]:
    """The NER entities of ``doc`` whose label is in ``labels``, trimmed."""
    wanted = set(labels)
    found = []
    for ent in doc.ents:
        if ent.label_ in wanted:
            span = trim(ent, titles=ent.label_ == "PERSON")
            if span is not None:
                found.append(Mention(span.start_char, span.end_char, span.text, ent.label_, True))
    return found


def trim(span: Span, *, titles: bool = False) -> Optional[Span]:
    """``span`` without a leading "the" or trailing possessive or punctuation, and with
    ``titles`` without a leading title ("First Lady", "Mr."); None if nothing is left."""
    start, end = span.start, span.end
    doc = span.doc
    while start < end and doc[start].text in _LEADING:
        start += 1
    if titles:
        start += leading_titles([_PUNCT.sub("", fold(token.text)) for token in doc[start:end]])
    while end > start and doc[end - 1].text in _TRAILING:
        end -= 1
    return doc[start:end] if end > start else None


class AliasMatcher:
    """Finds every name and alias of an :class:`AliasTable` in a ``Doc``."""

    def __init__(self, vocab: Vocab, table: AliasTable, make_doc: Callable[[str], Doc]) -> None:
        self.table = table
        self.matcher = PhraseMatcher(vocab, attr="LOWER")
        for entry in table.entries:
            patterns = [make_doc(name) for name in entry.names]
            self.matcher.add(entry.id, patterns)

    def __call__(self, doc: Doc) -> list[Mention]:
        found = []
        for match_id, start, end in self.matcher(doc):
            span = trim(doc[start:end])
            if span is None:
                continue
            entry = self.table.get(doc.vocab.strings[match_id])
            if entry is None or not _case_fits(span.text, entry.names):
                continue
            found.append(Mention(span.start_char, span.end_char, span.text, entry.type, False))
        return found


def _case_fits(text: str, names: tuple[str, ...]) -> bool:
    """A match must be written like one of the names: acronyms exactly, others not all lower."""
    for name in names:
        if is_acronym(name):
            if text == name:
                return True
        elif text.casefold() in name.casefold() and not (text.islower() and not name.islower()):
            return True
    return False


def select(mentions: list[Mention]) -> list[Mention]:
    """Non-overlapping mentions in text order.

    Where spans overlap, the longer one wins: a table name inside a longer name is part
    of that name ("America" in "Latin America", "Hezbollah" in "Kataib Hezbollah"). Of
    two spans of one length, a resolved one beats one that is not, then the higher score,
    then NER over an alias match.
    """

    def priority(m: Mention) -> tuple[int, bool, float, bool, int]:
        score = m.match.score if m.match is not None else 0.0
        return (m.end - m.start, m.match is not None, score, m.from_ner, -m.start)

    chosen: list[Mention] = []
    taken: set[int] = set()  # character offsets already covered
    for mention in sorted(mentions, key=priority, reverse=True):
        span = range(mention.start, mention.end)
        if taken.isdisjoint(span):
            chosen.append(mention)
            taken.update(span)
    return sorted(chosen, key=lambda m: m.start)
