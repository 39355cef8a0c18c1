"""Fuzzy name matching: find candidate forms by blocking, align them word by word, decide.

A name is compared as the words :func:`~newsclean.entities.names.name_tokens` gives, each
spelled by :func:`~newsclean.entities.names.spelling`. Three steps:

1. **Blocking.** Every word of every table form is filed under its sound and its first
   letters. A query looks in the blocks of its own words, smallest first, and takes the
   forms that share the most of them, within a budget: a lookup never scans the whole
   table.
2. **Alignment.** The query's words are paired with a form's words in order (or with a
   first word moved to the back or a last word to the front: East Asian names are
   written both ways, "Jaish Khalid bin al-Walid" is the "Khalid bin al-Walid Army").
   A pair scores by :func:`word_similarity`: the same spelling, one name in two
   languages (Aleksandr, Aliaksandr, Oleksandr; Banco, Bank), an initial, an
   abbreviation ("Eng." for Engineering), a number written as a word, or rapidfuzz
   similarity; a word may also pair with two of the other's written as one
   (:func:`joined_similarity`). A word left unpaired costs by its kind: little for a
   company's legal form (Ltd, GmbH) or a patronymic, more for a middle name, most for a
   first or last word.
3. **Decision.** Features of the best entity's alignment and its margin over the next
   entity go through a small logistic model and small gradient-boosted trees
   (:class:`MatchModel`, trained on the dev split of the name benchmark by
   ``benchmarks/train_name_model.py``); the mean of their probabilities that the match is
   right is the score.

>>> from newsclean.entities.names import name_tokens
>>> def words(name): return words_of(name_tokens(name))
>>> align(words("Tariq Mikhail Aziz"), words("Tariq Aziz")).pairs
2
>>> align(words("Jill Biden"), words("Joe Biden")) is None
True
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass, replace
from functools import lru_cache
from importlib import resources
from typing import Any, Callable, Iterable, NamedTuple, Optional, Sequence

import numpy as np
import regex
from rapidfuzz import fuzz

from .names import given_names_agree, name_data, skeleton, spelling

#: Pairs of words less similar than this (0-1) are not paired.
WORD_MIN = 0.75
#: What a word with an Arabic article written into it ("Alotaibi") keeps of its
#: similarity to the other word without it (``joined_articles`` in names.yaml).
JOINED_ARTICLE_FACTOR = 0.95
#: The similarity of two words with one consonant skeleton that no given-name group tells
#: apart ("Hatim", "Hotem"; "Haroun", "Harun"), when their letters say less.
SKELETON_SIMILARITY = 0.8
#: How much a word of each kind counts in what the pairs cover (others count fully).
COVER_WEIGHT = {"legal": 0.0, "initial": 0.2, "patronymic": 0.2, "honorific": 0.2}
#: What an unpaired word costs, as a share of its length, by kind (for words of kind
#: "name" or "number", by place: see :func:`costs`).
DROP_COST = {"legal": 0.05, "initial": 0.2, "patronymic": 0.15, "honorific": 0.15,
             "middle": 0.35, "leading": 0.5, "edge": 1.0}


class Word(NamedTuple):
    """A word of a name as matching sees it (a tuple: hashing it is cheap)."""

    text: str       # folded
    spelled: str    # spelling()
    kind: str       # "name", "legal", "initial", "patronymic", "number", "honorific"
    group: str      # its group of one name in several spellings or languages, or ""


def words_of(tokens: Sequence[str]) -> tuple[Word, ...]:
    """The :class:`Word` of each folded token of a name.

    >>> [w.kind for w in words_of(("oleg", "leonidovich", "usachev"))]
    ['name', 'patronymic', 'name']
    >>> [w.kind for w in words_of(("west", "sun", "trade", "gmbh"))]
    ['name', 'name', 'name', 'legal']
    """
    if len(tokens) < 2:
        return tuple(map(_first_word, tokens))
    return (_first_word(tokens[0]), *map(_inner_word, tokens[1:-1]), _last_word(tokens[-1]))


# One Word object for each token in each place, however many names of a table have it
# there (a cache keyed by the token alone is the fastest kind).
@lru_cache(maxsize=262144)
def _first_word(token: str) -> Word:
    return _word(token, later=False, inner=False)


@lru_cache(maxsize=262144)
def _inner_word(token: str) -> Word:
    return _word(token, later=True, inner=True)


@lru_cache(maxsize=262144)
def _last_word(token: str) -> Word:
    return _word(token, later=True, inner=False)


def _word(token: str, *, later: bool, inner: bool) -> Word:
    """The :class:`Word` of a folded token, after the first word of its name (``later``),
    or neither the first nor the last (``inner``)."""
    data = name_data()
    if token in data.legal_forms and (later or token in data.leading_legal_forms):
        kind = "legal"
    elif token in data.honorifics and not later:
        kind = "honorific"
    elif len(token) == 1:
        kind = "initial"
    elif inner and token.endswith(data.patronymic_endings):
        kind = "patronymic"
    elif token in data.numbers:
        kind = "number"
    else:
        kind = "name"
    return Word(token, spelling(data.numbers.get(token, token)), kind,
                data.word_groups.get(spelling(token), ""))


@lru_cache(maxsize=262144)
def word_similarity(a: Word, b: Word) -> float:
    """How alike two words of names are, 0-1.

    >>> w = lambda t: words_of((t,))[0]
    >>> word_similarity(w("aliaksandr"), w("alexander")) >= 0.95
    True
    >>> word_similarity(w("eng"), w("engineering")), word_similarity(w("14"), w("fourteen"))
    (0.9, 0.97)
    >>> word_similarity(w("joe"), w("jill")) < 0.8
    True
    >>> word_similarity(w("hatim"), w("hotem")), word_similarity(w("mahmud"), w("muhammad")) < 0.75
    (0.8, True)
    >>> word_similarity(w("alotaibi"), w("otaibi"))
    0.95
    """
    if a.spelled == b.spelled:
        return 1.0 if a.text == b.text else 0.97
    if a.group and b.group:
        # two words of one group are one name (Aleksandr, Oleksandr; Bank, Banco); of
        # two groups, two names (Mahmud, Muhammad)
        return 0.95 if a.group == b.group else 0.0
    short, long_ = (a.text, b.text) if len(a.text) <= len(b.text) else (b.text, a.text)
    if len(short) == 1:
        return 0.85 if long_.startswith(short) else 0.0
    if len(short) >= 3 and long_.startswith(short) and len(long_) > len(short) + 2 \
            and short not in _connector_forms():
        return 0.9  # an abbreviation: "Eng" for Engineering, "Int" for International
    similarity = float(fuzz.ratio(a.spelled, b.spelled)) / 100.0
    rest = without_joined_article(long_) if len(short) >= 4 and len(long_) > len(short) else ""
    if rest:
        # the article written into the name ("Alotaibi", "Elkaddafi"): the other name
        # without its article ("al-Otaibi" is "otaibi" in a key)
        alike = float(fuzz.ratio(spelling(rest), spelling(short))) / 100.0
        similarity = max(similarity, JOINED_ARTICLE_FACTOR * alike)
    if similarity < SYLLABLE_SIMILARITY and len(long_) <= MAX_SYLLABLE \
            and syllable(a.text) == syllable(b.text) != "":
        return SYLLABLE_SIMILARITY
    if similarity < SKELETON_SIMILARITY and len(short) >= 4 and not (a.group or b.group) \
            and _same_skeleton(a.text, b.text):
        # vowels are what transliterations disagree on most; a name of a given-name
        # group is told from its look-alikes by the groups ("Mahmud" is not "Muhammad")
        return SKELETON_SIMILARITY
    return similarity


#: The similarity of two syllables of an East Asian given name written in two
#: romanisations ("Gyu", "Kyu"; "Jin", "Chin"; "Seung", "Sung").
SYLLABLE_SIMILARITY = 0.9
#: The most letters a romanised syllable has ("hyeong", "chyeol").
MAX_SYLLABLE = 6
_SYLLABLE = regex.compile(
    r"(?:kk|tt|pp|ss|jj|ch|sh|[kgndtrlmbpsjhyw])?[yw]?"
    r"(?:eo|eu|ae|oe|ui|oo|ee|ou|[aeiou])(?:ng|[kgndtlrmpb])?")


@lru_cache(maxsize=65536)
def syllable(word: str) -> str:
    """A word of one syllable with its romanisations' alternations folded, or "" when it
    is not one syllable ("Gyu" and "Kyu" are "gyu"; "Jin" and "Chin" "jin"): the
    ``syllable_folds`` of names.yaml."""
    if _SYLLABLE.fullmatch(word) is None:
        return ""
    for old, new in name_data().syllable_folds:
        word = word.replace(old, new)
    return word


def without_joined_article(word: str) -> str:
    """``word`` without the Arabic article written into its first letters
    (``joined_articles`` in names.yaml), or "" when it begins with none.

    >>> without_joined_article("alotaibi"), without_joined_article("kadhimi")
    ('otaibi', '')
    """
    for article in name_data().joined_articles:
        if word.startswith(article):
            return word[len(article):]
    return ""


def _same_skeleton(a: str, b: str) -> bool:
    """One consonant skeleton, whichever vowel each begins with ("Issa", "Essa")."""
    x, y = skeleton(a), skeleton(b)
    return x == y or (x[:1] in _VOWELS and y[:1] in _VOWELS and x[1:] == y[1:])


_VOWELS = frozenset("aeiou")


@lru_cache(maxsize=1)
def _connector_forms() -> frozenset[str]:
    return frozenset(name_data().connectors.values())


@dataclass(frozen=True)
class Alignment:
    """How a query lines up with one form of the table."""

    score: float        # 0-1: paired similarity over what was paired and what was dropped
    pairs: int          # words paired
    weakest: float      # the least similar pair
    dropped_edge: int   # first or last words left unpaired
    dropped_inner: int  # other words left unpaired (middle names, patronymics, legal forms)
    rotated: bool       # the family name moved from front to back
    #: places where both names have a word the other lacks (another middle name, father's
    #: name or company word), counted from the shorter side
    conflicts: int = 0
    #: the indices of the paired words, in the query and in the form as written (also
    #: for a reordered alignment)
    paired: tuple[tuple[int, int], ...] = ()
    #: how many of (first with first, last with last) are paired
    ends_paired: int = 0
    #: words of the longer name beyond the shorter name's count
    extra_words: int = 0


def costs(words: tuple[Word, ...]) -> tuple[float, ...]:
    """What leaving each word unpaired costs, by its kind (those :data:`DROP_COST` names)
    or else by its place: a leading given name, a first or last word, a middle one."""
    last = len(words) - 1

    def place(i: int, word: Word) -> str:
        if word.kind in DROP_COST:
            return word.kind
        if i == 0 < last and _leads(word):
            return "leading"
        return "edge" if i in (0, last) else "middle"

    return tuple(DROP_COST[place(i, w)] * len(w.text) for i, w in enumerate(words))


@lru_cache(maxsize=65536)
def _shape(words: tuple[Word, ...]) -> tuple[tuple[float, ...], tuple[int, ...],
                                             tuple[str, ...], tuple[int, ...]]:
    """What the alignment reads of each word again and again: its cost, its length, and
    its spelling's first letter and length."""
    return (costs(words), tuple(len(w.text) for w in words),
            tuple(w.spelled[:1] for w in words), tuple(len(w.spelled) for w in words))


def _align_in_order(query: tuple[Word, ...], form: tuple[Word, ...]) -> Optional[Alignment]:
    """The best monotone pairing of the two word sequences (dynamic programming).

    A word may also pair with two neighbouring words of the other name written as one
    ("Abdulqader" with "Abd al-Qadir", "Airkoryo" with "Air Koryo"): see
    :func:`joined_similarity`.
    """
    m, n = len(query), len(form)
    cost_q, length_q, first_q, spelled_q = _shape(query)
    cost_f, length_f, first_f, spelled_f = _shape(form)
    # gain[i][j]: the best weighted similarity less costs over query[:i] and form[:j];
    # step[i][j]: how it was reached (0 drop a query word, 1 drop a form word, 2 pair,
    # 3 pair a query word with two form words, 4 two query words with a form word)
    gain = [[0.0] * (n + 1) for _ in range(m + 1)]
    step = [[0] * (n + 1) for _ in range(m + 1)]
    top = gain[0]
    for j in range(1, n + 1):
        top[j] = top[j - 1] - cost_f[j - 1]
        step[0][j] = 1
    for i in range(1, m + 1):
        word, drop, length, first, spelled = \
            query[i - 1], cost_q[i - 1], length_q[i - 1], first_q[i - 1], spelled_q[i - 1]
        gain[i][0] = gain[i - 1][0] - drop
        row, above, steps = gain[i], gain[i - 1], step[i]
        for j in range(1, n + 1):
            best, how = above[j] - drop, 0
            other = row[j - 1] - cost_f[j - 1]
            if other > best:
                best, how = other, 1
            similarity = word_similarity(word, form[j - 1])
            if similarity >= WORD_MIN:
                pairing = above[j - 1] + (length + length_f[j - 1]) / 2 * similarity
                if pairing > best:
                    best, how = pairing, 2
            # (a cheap test first: the joined word begins as the longer word does)
            if j >= 2 and first_f[j - 2] == first and spelled_f[j - 2] < spelled:
                similarity = joined_similarity(word, form[j - 2], form[j - 1])
                if similarity:
                    pairing = above[j - 2] + \
                        _joined_weight(word, form[j - 2], form[j - 1]) * similarity
                    if pairing > best:
                        best, how = pairing, 3
            if i >= 2 and first_q[i - 2] == first_f[j - 1] and spelled_q[i - 2] < spelled_f[j - 1]:
                similarity = joined_similarity(form[j - 1], query[i - 2], word)
                if similarity:
                    pairing = gain[i - 2][j - 1] + \
                        _joined_weight(form[j - 1], query[i - 2], word) * similarity
                    if pairing > best:
                        best, how = pairing, 4
            row[j] = best
            steps[j] = how
    # each pair: query index, form index, similarity, the weight it carries
    pairs: list[tuple[int, int, float, float]] = []
    i, j = m, n
    while i > 0 or j > 0:
        how = step[i][j] if i > 0 and j > 0 else (0 if i > 0 else 1)
        if how == 2:
            pairs.append((i - 1, j - 1, word_similarity(query[i - 1], form[j - 1]),
                          (length_q[i - 1] + length_f[j - 1]) / 2))
            i, j = i - 1, j - 1
        elif how == 3:
            a, left, right = query[i - 1], form[j - 2], form[j - 1]
            similarity, half = joined_similarity(a, left, right), _joined_weight(a, left, right) / 2
            pairs += [(i - 1, j - 1, similarity, half), (i - 1, j - 2, similarity, half)]
            i, j = i - 1, j - 2
        elif how == 4:
            b, left, right = form[j - 1], query[i - 2], query[i - 1]
            similarity, half = joined_similarity(b, left, right), _joined_weight(b, left, right) / 2
            pairs += [(i - 1, j - 1, similarity, half), (i - 2, j - 1, similarity, half)]
            i, j = i - 2, j - 1
        elif how == 0:
            i -= 1
        else:
            j -= 1
    if not pairs:
        return None
    pairs.reverse()
    paired_q = {p[0] for p in pairs}
    paired_f = {p[1] for p in pairs}
    weight = total = 0.0
    for _, _, similarity, carried in pairs:
        weight += carried
        total += carried * similarity
    cost = sum([cost_q[i] for i in range(m) if i not in paired_q]) + \
        sum([cost_f[j] for j in range(n) if j not in paired_f])
    edge = sum(1 for i in {0, m - 1} if i not in paired_q and query[i].kind == "name") + \
        sum(1 for j in {0, n - 1} if j not in paired_f and form[j].kind == "name")
    inner = (m - len(paired_q)) + (n - len(paired_f)) - edge
    conflicts = _conflicts(query, form, pairs)
    paired = tuple((i, j) for i, j, _, _ in pairs)
    ends = ((0, 0) in paired) + ((m - 1, n - 1) in paired)
    return Alignment(total / (weight + cost), len(pairs), min(s for _, _, s, _ in pairs),
                     edge, inner, False, conflicts, paired, ends, abs(m - n))


#: The most words an organisation's name may have for its words to pair in any order.
MAX_REORDERED = 6


def _in_query_order(query: Sequence[Word], form: Sequence[Word]) -> Optional[tuple[int, ...]]:
    """The places of ``form``'s words in the order of the query words each pairs best with
    ("Mobin Iran Electronics" and "Iran Mobin Electronic"), or None when a query word
    pairs with none."""
    left = list(range(len(form)))
    order = []
    for word in query:
        best = max(left, key=lambda j: word_similarity(word, form[j]))
        if word_similarity(word, form[best]) < WORD_MIN:
            return None
        order.append(best)
        left.remove(best)
    return tuple(order)


#: What a reordered name's alignment score is multiplied by: the order written counts.
ROTATED_FACTOR = 0.98
#: Least similarity at which a word pairs with two words of the other name written as one.
JOINED_MIN = 0.8


@lru_cache(maxsize=262144)
def joined_similarity(word: Word, left: Word, right: Word) -> float:
    """How alike ``word`` is to ``left`` and ``right`` written as one word, or 0 below
    :data:`JOINED_MIN` ("Abdulqader" and "Abd al-Qadir"; "Petroiran" and "Petro Iran").

    >>> w = lambda t: words_of((t,))[0]
    >>> joined_similarity(w("airkoryo"), w("air"), w("koryo"))
    1.0
    >>> joined_similarity(w("jamaleddine"), w("jamal"), w("eddin")) >= 0.9
    True
    >>> joined_similarity(w("jamal"), w("jamal"), w("eddine"))
    0.0
    """
    if word.kind != "name" or left.kind not in ("name", "number", "honorific") \
            or right.kind not in ("name", "number"):
        return 0.0
    for variant, form in name_data().connector_spellings:
        # "Abdulqader" is "Abd" + "Qadir" whichever way its "Abd" is written
        if form == left.text and word.text.startswith(variant) \
                and len(word.text) > len(variant) + 2:
            similarity = float(fuzz.ratio(spelling(word.text[len(variant):]), right.spelled))
            if similarity >= JOINED_MIN * 100:
                return similarity / 100.0
            break
    joined = left.spelled + right.spelled
    if word.spelled[:1] != joined[:1] or abs(len(word.spelled) - len(joined)) > 2:
        return 0.0
    similarity = float(fuzz.ratio(word.spelled, joined)) / 100.0
    return similarity if similarity >= JOINED_MIN else 0.0


def _joined_weight(word: Word, left: Word, right: Word) -> float:
    return (len(word.text) + len(left.text) + len(right.text)) / 2


#: Kinds of words that, left unpaired on both sides of one gap, say "someone else": an
#: initial left unpaired disagrees with the other side's word there ("K." and "Shariff").
_CONFLICTING = ("name", "number", "initial")


def _conflicts(query: Sequence[Word], form: Sequence[Word],
               pairs: Sequence[tuple[int, int, float, float]]) -> int:
    """Words left unpaired on both sides of one gap between pairs (or before the first,
    or after the last), counted from the side with fewer."""
    bounds = [(-1, -1), *((i, j) for i, j, _, _ in pairs), (len(query), len(form))]
    conflicts = 0
    for (i0, j0), (i1, j1) in zip(bounds, bounds[1:]):
        if i1 - i0 > 1 and j1 - j0 > 1:  # (rare: most gaps are on one side or none)
            conflicts += min(sum(w.kind in _CONFLICTING for w in query[i0 + 1:i1]),
                             sum(w.kind in _CONFLICTING for w in form[j0 + 1:j1]))
    return conflicts


def align(query: tuple[Word, ...], form: tuple[Word, ...], *,
          person: bool = True) -> Optional[Alignment]:
    """The best alignment of ``query`` with ``form``, or None when they cannot be one name.

    A name of two to four words may also align with the other's first word moved to the
    back or its last word to the front, and an organisation's name of up to
    :data:`MAX_REORDERED` words with the other's words in any order, the words that only
    link its parts set aside (:func:`_linking`), making a pair for every query word
    (at :data:`ROTATED_FACTOR` of the score). Two names of two or more
    words each must pair at least two words; for people, two given names that disagree
    (Jill and Joe Biden, Raúl and Fidel Castro) rule a pairing out, as does any pairing
    that leaves a name or initial unpaired on both sides at one place (another father's
    name: Ahmad Muhammad Salih is not Ahmad Abdullah Salih). A person's one word never
    aligns: a surname alone ("Trump") is any of the family's, and in-document resolution
    (a full name nearby) decides it; and one word spelt otherwise than any name of the
    table is too little to tell a person by ("Lola" is not Lula, "Carlos" not Charles).
    Nor does one name of two words, a connector and the word after it ("Abdul Rauf" is
    not Abdul Rauf Azhar, "Abu Hamzah" not Abu Hamza al-Masri).
    """
    if person and _one_name(query):
        return None
    # each candidate: the query's words, the form's, whether reordered, and the places in
    # the query and in the form of its words (None: all of them, in order)
    n = len(form)
    candidates: list[tuple[tuple[Word, ...], tuple[Word, ...], bool,
                           Optional[tuple[int, ...]], Optional[tuple[int, ...]]]] = [
        (query, form, False, None, None)]
    if 2 <= n == len(query) <= 4:
        candidates.append((query, (*form[1:], form[0]), True, None, (*range(1, n), 0)))
        if n > 2:  # two words have one other order
            candidates.append((query, (form[-1], *form[:-1]), True, None,
                               (n - 1, *range(n - 1))))
    if not person:
        # "Office of the Quartermaster General" is the "Quartermaster General Office"
        query_kept, form_kept = _unlinked(query), _unlinked(form)
        core_query = _at(query, query_kept)
        core_form = _at(form, form_kept)
        if 2 <= len(core_form) == len(core_query) <= MAX_REORDERED:
            order = _in_query_order(core_query, core_form)
            if order is not None:
                reordered: tuple[Word, ...] = _at(core_form, order)
                if all(reordered != f for _, f, _, _, _ in candidates):
                    candidates.append((core_query, reordered, True, query_kept,
                                       order if form_kept is None else _at(form_kept, order)))
    found: Optional[Alignment] = None
    for q, f, rotated, query_places, form_places in candidates:
        if rotated and found is not None and found.score >= ROTATED_FACTOR:
            break  # a reordered name scores at most ROTATED_FACTOR: it cannot do better
        result = _align_in_order(q, f)
        if result is None:
            continue
        named_q = sum(w.kind != "legal" for w in q)
        named_f = sum(w.kind != "legal" for w in f)
        if min(named_q, named_f) >= 2 and result.pairs < 2:
            continue
        if person and len(q) >= 2 and len(f) >= 2 and not _given_names_fit(q, f):
            continue
        if person and (result.conflicts or _both_keep_a_syllable(q, f, result.paired)):
            continue  # another given or father's name: another person
        if rotated:
            if result.pairs < len(q):
                # a reordered name must make a pair for every query word; a word paired
                # with two written as one makes two ("Seaport of Yalta", "Yalta Sea Port")
                continue
            result = replace(result, score=result.score * ROTATED_FACTOR, rotated=True,
                             paired=_placed(result.paired, query_places, form_places))
        if found is None or result.score > found.score:
            found = result
    return found


def _linking(word: Word) -> bool:
    """Whether a word only links the parts of an organisation's name, which a reordered
    name loses or gains ("Office of the Quartermaster General", "Quartermaster General
    Office"): a word of the "of" group, or of ``linking_words`` in names.yaml."""
    return word.group == "of" or word.text in name_data().linking_words


def _unlinked(words: tuple[Word, ...]) -> Optional[tuple[int, ...]]:
    """The places of the words that do not link, or None when none does."""
    if not any(map(_linking, words)):
        return None
    return tuple(i for i, w in enumerate(words) if not _linking(w))


def _at(items: tuple[Any, ...], places: Optional[tuple[int, ...]]) -> tuple[Any, ...]:
    return items if places is None else tuple(items[i] for i in places)


def _placed(paired: tuple[tuple[int, int], ...], query_places: Optional[tuple[int, ...]],
            form_places: Optional[tuple[int, ...]]) -> tuple[tuple[int, int], ...]:
    """A reordered candidate's pairs as places in the query and the form as written."""
    return tuple((i if query_places is None else query_places[i],
                  j if form_places is None else form_places[j]) for i, j in paired)


def _one_name(words: Sequence[Word]) -> bool:
    """Whether a person's words are one name: one word, or a connector and the word it
    makes one name with (``joined_connectors``: "Abdul Rauf" is the given name Abd
    al-Rauf, "Abu Hamza" a kunya that many men share)."""
    return len(words) == 1 or (len(words) == 2
                               and words[0].text in name_data().joined_connectors)


def _both_keep_a_syllable(query: Sequence[Word], form: Sequence[Word],
                          paired: Sequence[tuple[int, int]]) -> bool:
    """Whether each name has a word of one or two letters that the other lacks: a
    syllable of a given name written apart ("Kim Yo-jong" and "Kim Jong-un" share Kim
    and Jong, but Yo-jong and Jong-un are two given names)."""
    return any(len(query[i].text) <= 2 for i in unpaired_names(query, (i for i, _ in paired))) \
        and any(len(form[j].text) <= 2 for j in unpaired_names(form, (j for _, j in paired)))


def unpaired_names(words: Sequence[Word], paired: Iterable[int]) -> list[int]:
    """The indices of the words of kind "name" that are not among the ``paired`` ones."""
    inside = set(paired)
    return [i for i, w in enumerate(words) if i not in inside and w.kind == "name"]


#: In a place's or people's name that shares a word with a form of the table, the least
#: alike other pair must be at least this alike ("South America" is not "South Africa").
WHOLE_NAME_WEAKEST = 0.9


def whole_name_fits(query: Sequence[Word], form: Sequence[Word], found: Alignment) -> bool:
    """Whether ``query`` can be ``form`` as the whole name of a place or a people: every
    name of the query paired, and when one word is the same in both, the others alike
    (:data:`WHOLE_NAME_WEAKEST`): the word they share is what such names have in common,
    the others tell them apart ("Port Said", "Port Sudan"). Names of one word are left
    to the decision ("Luhansk", "Lugansk").

    >>> def fits(a, b):
    ...     q, f = words_of(tuple(a.split())), words_of(tuple(b.split()))
    ...     return whole_name_fits(q, f, align(q, f, person=False))
    >>> fits("south america", "south africa"), fits("saudi arabia", "saudia arabia")
    (False, True)
    """
    if unpaired_names(query, (i for i, _ in found.paired)):
        return False
    return found.weakest >= WHOLE_NAME_WEAKEST or found.pairs < 2 or not any(
        query[i].spelled == form[j].spelled for i, j in found.paired)


def _given_names_fit(query: Sequence[Word], form: Sequence[Word]) -> bool:
    """False when both names begin with given names that cannot be the same one, also
    after an honorific or a leading given name that begins one of them ("Seyed",
    "Mohammad" in Mohammad Ali Jafari)."""
    if _first_names_fit(query, form):
        return True
    if len(query) > 2 and _may_go_first(query[0]):
        return _first_names_fit(query[1:], form)
    if len(form) > 2 and _may_go_first(form[0]):
        return _first_names_fit(query, form[1:])
    return False


def _may_go_first(word: Word) -> bool:
    """Whether a name's first word may stand before the name a person goes by and be
    left out: an honorific or a leading given name."""
    return word.kind == "honorific" or _leads(word)


def _leads(word: Word) -> bool:
    """Whether a name's first word is a given name often left out before the one the
    person goes by (Mohammad Ali Jafari, Jose Antonio Galarza)."""
    data = name_data()
    return word.kind == "name" and (word.group or data.connectors.get(word.text, word.text)) \
        in data.leading_given_names


def _first_names_fit(query: Sequence[Word], form: Sequence[Word]) -> bool:
    a, b = query[0], form[0]
    if a.kind == "initial" or b.kind == "initial":
        return a.text[0] == b.text[0]
    # A first name that pairs with the other's middle name is not enough: "Pierre
    # Trudeau" is not Justin Pierre James Trudeau but his father. People known by a
    # middle name ("Hunter Biden") have it as an alias in the table.
    if word_similarity(a, b) >= WORD_MIN or given_names_agree(a.text, b.text):
        return True
    # one name writes two given names as one ("Seyedmehdi" for "Seyed Mehdi")
    return bool(joined_similarity(a, b, form[1]) or joined_similarity(b, a, query[1]))


# -- the decision model ----------------------------------------------------------------

FEATURES = ("score", "weakest", "margin", "pairs", "dropped_edge", "dropped_inner",
            "conflicts", "whole", "person", "type_differs", "single", "query_covered",
            "form_covered", "ends_paired", "extra_words", "rarest_paired", "commonest_paired",
            "rarest_unpaired", "last_rarity", "support")
#: How the trees' output moves with a feature, all else equal: never down as the features
#: marked 1 rise, never up as those marked -1 rise (they are grown so). A name that fits
#: worse than every training example then scores no higher than the nearest one, which
#: matters on tables and entity types the benchmark does not hold.
MONOTONE = {"score": 1, "weakest": 1, "margin": 1, "dropped_edge": -1, "dropped_inner": -1,
            "conflicts": -1, "whole": 1, "type_differs": -1, "query_covered": 1,
            "form_covered": 1, "support": 1}


def features(best: Alignment, second: float, whole: float, covered: tuple[float, float],
             rarity: Sequence[float], *, person: bool, type_differs: bool,
             query_words: int, support: int = 1) -> list[float]:
    """The decision model's inputs for the best entity's alignment.

    ``second`` is the next entity's alignment score (0 when there is none), ``whole``
    the rapidfuzz ratio of the two names' spelling keys (0-1), ``covered`` the share
    of each name's rarity (the idf of its words in the table) that the pairs cover, and
    ``rarity`` what :func:`rarity` says of the query, and ``support`` how many spellings
    of the entity's names align with the query (several names of one entity agreeing).
    """
    return [best.score, best.weakest, best.score - second, min(best.pairs, 4) / 4,
            float(best.dropped_edge), float(best.dropped_inner), float(best.conflicts), whole,
            float(person), float(type_differs), float(query_words == 1), *covered,
            float(best.ends_paired), float(best.extra_words), *rarity, min(support, 3) / 3]


def rarity(words: Sequence[Word], paired: Iterable[int],
           idf: Callable[[str], float], scale: float) -> tuple[float, float, float, float]:
    """How rare (idf ÷ ``scale``) the query's rarest and commonest paired words are, its
    rarest unpaired name word, and its last word: a common surname alone proves little,
    a rare word left unpaired says "someone else".
    """
    inside = set(paired)
    rarities = [idf(w.spelled) / scale for w in words]
    paired_ones = [rarities[i] for i in inside] or [0.0]
    unpaired = [rarities[i] for i in unpaired_names(words, inside)] or [0.0]
    return max(paired_ones), min(paired_ones), max(unpaired), rarities[-1]


def covered(words: Sequence[Word], paired: Iterable[int], idf: Callable[[str], float]) -> float:
    """The share of the words' idf that the paired ones carry.

    Legal forms count for nothing, initials and patronymics for a fifth: leaving them out
    says little.
    """
    weights = [COVER_WEIGHT.get(w.kind, 1.0) * idf(w.spelled) for w in words]
    total = sum(weights)
    return sum(weights[i] for i in set(paired)) / total if total else 0.0


#: The features whose square the logistic model also weighs: how far a score is from 1
#: matters more near the top than a straight line can say.
SQUARED = FEATURES[:8]
#: The features not repeated for people: ``person`` itself, and ``conflicts``, which a
#: person's alignment never has (:func:`align` refuses it).
_NOT_FOR_PEOPLE = frozenset({"person", "conflicts"})
#: The logistic model's inputs: the features, each but :data:`_NOT_FOR_PEOPLE` again for
#: people only (names of people and of organisations vary in other ways), and
#: :data:`SQUARED` squared.
MODEL_INPUTS = (*FEATURES, *(f"person*{f}" for f in FEATURES if f not in _NOT_FOR_PEOPLE),
                *(f"{f}^2" for f in SQUARED))
_PERSON = FEATURES.index("person")
_FOR_PEOPLE = tuple(i for i, f in enumerate(FEATURES) if f not in _NOT_FOR_PEOPLE)


def model_inputs(values: Sequence[float]) -> list[float]:
    """:data:`MODEL_INPUTS` from the values of :data:`FEATURES`."""
    person = values[_PERSON]
    return [*values, *(values[i] * person for i in _FOR_PEOPLE),
            *(v * v for v in values[:len(SQUARED)])]


@dataclass(frozen=True)
class LogisticModel:
    """A logistic regression over :data:`MODEL_INPUTS`."""

    weights: tuple[float, ...]
    bias: float

    def log_odds(self, values: Sequence[float]) -> float:
        """The log-odds that a match with these :data:`FEATURES` values is right."""
        return self.bias + sum(w * v for w, v in zip(self.weights, model_inputs(values)))


@dataclass(frozen=True, eq=False)
class TreeModel:
    """Gradient-boosted decision trees over :data:`FEATURES`.

    ``benchmarks/train_name_model.py`` grows the trees with LightGBM; here they are
    arrays, one slot per node of every tree, walked for all trees at once with numpy. A
    leaf points to itself, so :attr:`depth` steps from the roots end on every tree's leaf.
    """

    feature: np.ndarray   # each node's feature (leaves: 0)
    split: np.ndarray     # go to ``left`` when the feature is at most this (leaves: +inf)
    left: np.ndarray      # the node after a test that holds (leaves: the leaf itself)
    right: np.ndarray     # the node after one that fails (leaves: the leaf itself)
    value: np.ndarray     # a leaf's log-odds (inner nodes: 0)
    roots: np.ndarray     # each tree's first node
    depth: int            # the most tests on a path from a root to a leaf

    def log_odds(self, values: Sequence[float]) -> float:
        """The log-odds that a match with these :data:`FEATURES` values is right."""
        x = np.asarray(values, dtype=np.float64)
        node = self.roots
        for _ in range(self.depth):
            node = np.where(x[self.feature[node]] <= self.split[node],
                            self.left[node], self.right[node])
        return float(self.value[node].sum())

    @classmethod
    def from_lists(cls, trees: Sequence[dict[str, list[Any]]]) -> TreeModel:
        """The model of ``trees``, each a dict of per-node lists ``feature``, ``split``,
        ``left``, ``right`` (indices within the tree; -1 on a leaf) and ``value``."""
        feature: list[int] = []
        left: list[int] = []
        right: list[int] = []
        roots: list[int] = []
        split: list[float] = []
        value: list[float] = []
        depth = 0
        for tree in trees:
            start = len(feature)
            roots.append(start)
            for i, (f, t, lo, hi, v) in enumerate(zip(tree["feature"], tree["split"],
                                                       tree["left"], tree["right"],
                                                       tree["value"])):
                leaf = lo < 0
                feature.append(0 if leaf else int(f))
                split.append(math.inf if leaf else float(t))
                left.append(start + (i if leaf else int(lo)))
                right.append(start + (i if leaf else int(hi)))
                value.append(float(v) if leaf else 0.0)
            depth = max(depth, _tree_depth(tree["left"], tree["right"]))
        if feature and (max(feature) >= len(FEATURES) or min(feature) < 0):
            raise ValueError("the name model tests a feature that is not one of FEATURES")
        return cls(np.array(feature, dtype=np.intp), np.array(split),
                   np.array(left, dtype=np.intp), np.array(right, dtype=np.intp),
                   np.array(value), np.array(roots, dtype=np.intp), depth)

    def to_lists(self) -> list[dict[str, list[Any]]]:
        """The trees as :meth:`from_lists` reads them."""
        trees: list[dict[str, list[Any]]] = []
        ends = [*self.roots[1:].tolist(), len(self.feature)]
        for start, end in zip(self.roots.tolist(), ends):
            nodes = range(start, end)
            leaf = [int(self.left[i]) == i for i in nodes]
            trees.append({
                "feature": [0 if lf else int(self.feature[i]) for i, lf in zip(nodes, leaf)],
                "split": [0.0 if lf else float(self.split[i]) for i, lf in zip(nodes, leaf)],
                "left": [-1 if lf else int(self.left[i]) - start for i, lf in zip(nodes, leaf)],
                "right": [-1 if lf else int(self.right[i]) - start
                          for i, lf in zip(nodes, leaf)],
                "value": [float(self.value[i]) for i in nodes],
            })
        return trees


@dataclass(frozen=True)
class MatchModel:
    """The fuzzy step's decision: the mean of the probabilities that a logistic model and
    gradient-boosted trees give that a match is right. That is the match's score.

    The two err in different places: the trees see what a straight line cannot (a rare
    word paired matters more when the margin is small), the logistic model keeps them
    from trusting a corner of the feature space they saw few examples of.
    """

    logistic: LogisticModel
    trees: TreeModel
    #: Lowest probability at which a match is accepted by default.
    threshold: float

    def probability(self, values: Sequence[float]) -> float:
        """The probability that a match with these :data:`FEATURES` values is right."""
        return (_sigmoid(self.logistic.log_odds(values))
                + _sigmoid(self.trees.log_odds(values))) / 2

    def to_json(self) -> str:
        return json.dumps({"features": list(FEATURES), "inputs": list(MODEL_INPUTS),
                           "weights": list(self.logistic.weights), "bias": self.logistic.bias,
                           "trees": self.trees.to_lists(), "threshold": self.threshold},
                          separators=(",", ":"))

    @classmethod
    def from_json(cls, text: str) -> MatchModel:
        data: Any = json.loads(text)
        if list(data["features"]) != list(FEATURES) or list(data["inputs"]) != list(MODEL_INPUTS):
            raise ValueError("the name model was trained on other features")
        return cls(LogisticModel(tuple(float(w) for w in data["weights"]), float(data["bias"])),
                   TreeModel.from_lists(data["trees"]), float(data["threshold"]))


def _sigmoid(z: float) -> float:
    return 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, z))))


def _tree_depth(left: Sequence[int], right: Sequence[int]) -> int:
    """The most tests on a path from the root (node 0) to a leaf (-1 children)."""
    deepest, todo = 0, [(0, 0)]
    while todo:
        node, depth = todo.pop()
        if left[node] < 0:
            deepest = max(deepest, depth)
        else:
            todo += [(left[node], depth + 1), (right[node], depth + 1)]
    return deepest


@lru_cache(maxsize=1)
def bundled_match_model() -> MatchModel:
    """The decision model shipped with newsclean (``data/name_model.json``)."""
    text = (resources.files("newsclean") / "data" / "name_model.json").read_text("utf-8")
    return MatchModel.from_json(text)
