"""Alias-table names in plain text, without NER: the fast path (``--no-ner``).

An Aho-Corasick automaton finds every name of the table in the lower-cased text at once.
Each hit is then checked against spaCy's tokenisation of the words around it, so that a
hit is a match exactly when the ``PhraseMatcher`` of :class:`~.mentions.AliasMatcher`
would find it in a ``Doc`` of the text: the same tokens, trimmed the same way, with the
same rules of case. Only the few words around each hit are tokenised, and those
tokenisations are cached, so the text as a whole is never turned into a ``Doc``.

>>> import spacy
>>> from newsclean.entities.aliases import AliasTable
>>> matcher = TextAliasMatcher(AliasTable.bundled(), spacy.blank("en"))
>>> [(m.text, m.label) for m in matcher("Joe Biden's talks with al-Kadhimi, in the US.")]
[('Joe Biden', 'PERSON'), ('al-Kadhimi', 'PERSON'), ('Kadhimi', 'PERSON'), ('US', 'GPE')]

Like the ``PhraseMatcher``'s, the matches may overlap ("Kadhimi" in "al-Kadhimi"):
resolution keeps the longest.
"""

from __future__ import annotations

from collections import defaultdict
from functools import lru_cache
from typing import Iterable, Optional

import ahocorasick
from spacy.language import Language

from .aliases import AliasTable
from .mentions import _LEADING, _TRAILING, Mention, _case_fits

#: Distinct runs of words whose tokenisation is remembered.
TOKENS_CACHE_SIZE = 65536

Tokens = tuple[tuple[int, int, str], ...]  # (start, end, lower-case text) of each token


class TextAliasMatcher:
    """Finds every name and alias of an :class:`AliasTable` in a text.

    ``nlp`` supplies the tokenizer (``spacy.blank("en")`` will do: only its tokenizer is
    used). Use :meth:`match_many` for many texts: it keeps spaCy's string store from
    growing with them.
    """

    def __init__(self, table: AliasTable, nlp: Language) -> None:
        self.table = table
        self.nlp = nlp
        # the lower-cased name -> its tokens (lower-case) -> the entries it names
        patterns: dict[str, dict[tuple[str, ...], list[int]]] = defaultdict(dict)
        for index, entry in enumerate(table.entries):
            for name in entry.names:
                lowers = tuple(token.lower_ for token in nlp.make_doc(name))
                entries = patterns[_lower(name)].setdefault(lowers, [])
                if index not in entries:
                    entries.append(index)
        self._automaton = ahocorasick.Automaton()
        for key, variants in patterns.items():
            self._automaton.add_word(key, (len(key), variants))
        self._automaton.make_automaton()
        self._tokens = lru_cache(maxsize=TOKENS_CACHE_SIZE)(self._tokenize)

    def match_many(self, texts: Iterable[str]) -> list[list[Mention]]:
        """The matches of each text, in one memory zone of the tokenizer."""
        with self.nlp.memory_zone():
            return [self(text) for text in texts]

    def __call__(self, text: str) -> list[Mention]:
        """The table's names in ``text``, as :class:`Mention` objects in text order."""
        lowered = _lower(text)
        size = len(text)
        found: list[tuple[int, int, int, Mention]] = []
        for last, (length, variants) in self._automaton.iter(lowered):
            start, stop = last - length + 1, last + 1
            # a token never starts or ends between two letters or digits
            if start > 0 and lowered[start - 1].isalnum() and lowered[start].isalnum():
                continue
            if stop < size and lowered[stop].isalnum() and lowered[last].isalnum():
                continue
            hit = self._tokens_of(text, start, stop)
            if hit is None:
                continue
            spans, lowers = hit
            entries = variants.get(lowers)
            if entries is None:
                continue
            trimmed = _trim(text, spans)
            if trimmed is None:
                continue
            begin, end = trimmed
            span_text = text[begin:end]
            for index in entries:
                entry = self.table.entries[index]
                if _case_fits(span_text, entry.names):
                    found.append((start, stop, index,
                                  Mention(begin, end, span_text, entry.type, False)))
        found.sort(key=lambda item: item[:3])
        return [mention for *_, mention in found]

    def _tokens_of(self, text: str, start: int, stop: int
                   ) -> Optional[tuple[list[tuple[int, int]], tuple[str, ...]]]:
        """The spans and lower-case texts of the tokens of ``text[start:stop]``, or None if
        spaCy's tokens do not begin at ``start`` and end at ``stop``.

        spaCy splits text at whitespace first and tokenises each run of non-space
        characters alone, so the runs around the hit tokenise here as in the whole text.
        """
        begin = max(text.rfind(" ", 0, start), text.rfind("\n", 0, start)) + 1
        ends = [i for i in (text.find(" ", stop), text.find("\n", stop)) if i >= 0]
        end = min(ends) if ends else len(text)
        tokens = self._tokens(text[begin:end])
        first = next((i for i, token in enumerate(tokens) if token[0] == start - begin), None)
        if first is None:
            return None
        for last in range(first, len(tokens)):
            if tokens[last][1] == stop - begin:
                chosen = tokens[first:last + 1]
                return ([(begin + s, begin + e) for s, e, _ in chosen],
                        tuple(lower for *_, lower in chosen))
            if tokens[last][1] > stop - begin:
                break
        return None

    def _tokenize(self, words: str) -> Tokens:
        return tuple((token.idx, token.idx + len(token), token.lower_)
                     for token in self.nlp.tokenizer(words))


def _trim(text: str, spans: list[tuple[int, int]]) -> Optional[tuple[int, int]]:
    """What :func:`~.mentions.trim` keeps of a span (without titles), as offsets."""
    first, last = 0, len(spans)
    while first < last and text[spans[first][0]:spans[first][1]] in _LEADING:
        first += 1
    while last > first and text[spans[last - 1][0]:spans[last - 1][1]] in _TRAILING:
        last -= 1
    if last == first:
        return None
    return spans[first][0], spans[last - 1][1]


def _lower(text: str) -> str:
    """``text.lower()``, keeping every character where lower-casing would change the length
    (so offsets stay offsets; spaCy compares such words in full and they never match)."""
    lowered = text.lower()
    if len(lowered) == len(text):
        return lowered
    return "".join(ch if len(ch.lower()) != 1 else ch.lower() for ch in text)
