"""Entity mentions in a spaCy ``Doc``: NER spans plus names of the alias table.

NER spans are trimmed of a leading "the" and a trailing possessive or punctuation, so
that the mention is the name itself. Alias matches come from a ``PhraseMatcher`` on
lower-case tokens, but a lower-case word never matches a name that has capitals
("us" is not "US"), and acronyms match only in their own case.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import Callable, Iterable, Optional

import regex
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc, Span, Token
from spacy.vocab import Vocab

from ..result import Match
from .aliases import AliasTable, is_acronym
from .names import fold, is_title, leading_titles, name_data, skeleton

_LEADING = frozenset({"the", "The", "THE"})
_PUNCT = regex.compile(r"[^\w\s]+")
_NAME_MARKS = frozenset({"-", "'", "’"})
_POSSESSIVES = frozenset({"'s", "’s"})
_TRAILING = _POSSESSIVES | {"'", "’", ",", ".", ":", ";", "-", "–", "—", "(", ")", '"'}


@dataclass
class Mention:
    """A span of the text that may name an entity; ``match`` is filled by resolution."""

    start: int
    end: int
    text: str
    label: str
    from_ner: bool
    match: Optional[Match] = None
    #: A surname that NER missed, found again where a person is named in full
    #: (:func:`surname_mentions`): kept only if it resolves through that person.
    inferred: bool = False


def ner_mentions(doc: Doc, labels: Iterable[str]) -> list[Mention]:
    """The NER entities of ``doc`` whose label is in ``labels``, as :func:`name_parts`."""
    wanted = set(labels)
    found = []
    for ent in doc.ents:
        if ent.label_ in wanted:
            for span in name_parts(ent, titles=ent.label_ == "PERSON"):
                found.append(Mention(span.start_char, span.end_char, span.text, ent.label_,
                                     True))
    return found


def name_parts(ent: Span, *, titles: bool = False) -> list[Span]:
    """The names in an NER entity: its parts between line breaks (a name never runs from
    one line to the next: "Joseph Cox⏎Caudevilla" is a byline and a surname), each
    :func:`trim`-med and without leading lower-case words but for the particles a name
    may begin with (``particles``, ``articles`` and ``connectors`` in ``names.yaml``:
    "von der Leyen", "al-Sisi"). A part without a capital letter is no name ("nonstick
    spray", "un", "la"), unless its script has no case, nor one of punctuation alone, nor
    a one-word part of a cut entity that is a word of the text (:func:`_a_word`).
    """
    doc = ent.doc
    parts, start = [], ent.start
    for token in ent:
        blank = not token.text.strip()
        if (blank and "\n" in token.text) or "\n" in token.whitespace_:
            parts.append((start, token.i if blank else token.i + 1))
            start = token.i + 1
    parts.append((start, ent.end))
    found = []
    for start, end in parts:
        span = trim(doc[start:end], titles=titles) if end > start else None
        if span is None:
            continue
        first = span.start
        while first < span.end and _lower_word(doc[first]):
            first += 1
        if first > span.start:
            span = trim(doc[first:span.end], titles=titles) if first < span.end else None
        if span is not None and _capitalised(span.text) \
                and not (len(parts) > 1 and len(span) == 1 and _a_word(span[0])):
            found.append(span)
    return found


def _a_word(token: Token) -> bool:
    """Whether a one-word part of an entity cut at a line break is a word capitalised
    because it begins the line: a stop word, or one the text also writes in lower case
    ("Jonathan Corbet⏎Inside", "Ricardo Gomez Angel⏎Table of contents ... the table")."""
    if token.is_stop:
        return True
    lower = token.lower_
    return any(t.lower_ == lower and t.is_lower for t in token.doc)


def _lower_word(token: Token) -> bool:
    """A lower-case word that begins no name ("rookie", "a"; not "al" of "al-Sisi", nor
    "anti" of "anti-Semitism"), a lone possessive ending, or punctuation ("] Amy")."""
    text = token.text
    if text in _POSSESSIVES or not any(c.isalnum() for c in text):
        return True
    if not (text.isalpha() and text.islower()) or _leans_on_next(token):
        return False  # "17th Street", "anti-Semitism"
    return fold(text) not in name_data().particles


def _leans_on_next(token: Token) -> bool:
    nxt = token.nbor(1) if token.i + 1 < len(token.doc) else None
    return nxt is not None and not token.whitespace_ and nxt.text in _NAME_MARKS


def _capitalised(text: str) -> bool:
    """Whether ``text`` has a capital letter, or letters or digits but none of a cased
    script in lower case ("福娘童話集"; not "────" or "+")."""
    if any(c.isupper() for c in text):
        return True
    return any(c.isalnum() for c in text) and not any(c.islower() for c in text)


def doc_mentions(doc: Doc, labels: Iterable[str], matcher: AliasMatcher,
                 surnames: bool = True) -> list[Mention]:
    """The mentions of ``doc``: its NER entities of ``labels``, the names of the table that
    ``matcher`` finds, and with ``surnames`` the surnames of :func:`surname_mentions`."""
    found = ner_mentions(doc, labels) + matcher(doc)
    if surnames and "PERSON" in labels:
        found += surname_mentions(doc, found)
    return found


def surname_mentions(doc: Doc, mentions: list[Mention]) -> list[Mention]:
    """The surnames of people NER names in full, where they stand alone elsewhere in
    ``doc`` and no mention covers them: the small models often miss the short form
    ("Nechirvan Barzani met ... Barzani welcomed the pledge").

    A surname here is the last word of a PERSON entity of two words or more, capitalised,
    of three letters or more, no stop word, not written in lower case anywhere in the
    text ("Gordon Brown" with "brown bears") and in no entity of another label; the
    person's words are letters, initials, hyphens or apostrophes. A word of five letters
    or more, no stop word, that is the same up to vowels counts too ("Kazemi" for
    "Kadhimi"), as short forms do. It stands alone when it is outside every entity of the
    ``doc`` (a DATE's "May"), no mention covers it, it ends no hyphenated word
    ("post-Mueller"), and neither neighbour is a capitalised word (a title before it
    aside): "Masrour Barzani" is someone else.
    """
    surnames: set[str] = set()
    for ent in doc.ents:
        if ent.label_ == "PERSON":
            span = trim(ent, titles=True)
            if span is not None and len(span) >= 2 and all(map(_name_like, span)):
                last = span[-1]
                if last.is_alpha and last.is_title and len(last) >= 3 and not last.is_stop:
                    surnames.add(last.text)
    if not surnames:
        return []
    # a surname the text also writes in lower case is a word here ("Brown", "May"), and
    # one that NER tags as something else elsewhere is no surname ("Maybe Instagram" as a
    # person, Instagram as a company)
    lowered = {t.lower_ for t in doc if t.is_lower}
    others = {t.text for ent in doc.ents if ent.label_ != "PERSON" for t in ent}
    surnames = {name for name in surnames if name.lower() not in lowered and name not in others}
    # the same surname up to vowels ("Kazemi" for "Kadhimi"), as short forms match
    alike = {_skeleton(name) for name in surnames if len(_skeleton(name)) >= 3}
    if not surnames:
        return []

    def is_surname(token: Token) -> bool:
        return token.text in surnames or (
            token.is_alpha and token.is_title and len(token) >= 5 and bool(alike)
            and not token.is_stop and token.lower_ not in lowered and token.text not in others
            and _skeleton(token.text) in alike)

    covered = [(m.start, m.end) for m in mentions]
    found = []
    for token in doc:
        if token.ent_iob_ != "O" or not is_surname(token):
            continue
        start, end = token.idx, token.idx + len(token)
        if any(a < end and start < b for a, b in covered):
            continue
        before = doc[token.i - 1] if token.i > 0 else None
        if before is not None and not before.whitespace_ and before.text in _NAME_MARKS:
            continue  # the end of a hyphenated word or name ("post-Mueller", "Soon-Shiong")
        after = doc[token.i + 1] if token.i + 1 < len(doc) else None
        if after is not None and after.is_alpha and after.is_title:
            continue
        if before is not None and before.is_alpha and before.is_title \
                and not is_title(_PUNCT.sub("", fold(before.text))):
            continue
        found.append(Mention(start, end, token.text, "PERSON", False, inferred=True))
    return found


@lru_cache(maxsize=65536)
def _skeleton(word: str) -> str:
    return skeleton(fold(word))


def _name_like(token: Token) -> bool:
    """A word of a person's name as written: letters, or an initial, hyphen or apostrophe
    ("Mark Stutt/iStock/Getty Images" is a photo credit, not a name)."""
    return token.is_alpha or token.text in _NAME_MARKS or (
        len(token.text) == 2 and token.text[0].isupper() and token.text[1] == ".")


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
