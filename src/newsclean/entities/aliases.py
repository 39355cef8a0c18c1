"""The alias table: load and validate YAML, index every name, look names up.

A lookup tries, in order, steps that get looser and less certain:

``exact``
    the text is a name or alias of the table (acronyms only in their own case);
``key``
    the same words after :func:`~newsclean.entities.names.name_key` (case, diacritics,
    titles, possessives, Arabic articles), or after
    :func:`~newsclean.entities.names.spelling_key` (transliteration alternations);
``fuzzy`` and ``partial``
    the forms that share blocking keys with the name (sounds, first letters, word
    groups) are aligned with it word by word (:mod:`~newsclean.entities.matching`), and
    the best entity's alignment, margin over the next entity and word rarities go
    through the decision model (``data/name_model.json``), whose probability must reach
    its threshold; never across two different given names with one surname (Jill Biden
    is not Joe Biden). ``partial`` when a word of either name was left unpaired.

An entity type that disagrees with the NER label lowers the score; for ``fuzzy`` the
types must be compatible.
"""

from __future__ import annotations

import gc
import math
import sys
import unicodedata
from array import array
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from itertools import chain, compress
from pathlib import Path
from typing import Any, Callable, Iterable, Optional, Sequence, Union

import numpy as np
import regex
import yaml
from rapidfuzz import fuzz, process

from ..errors import AliasTableError
from ..result import Match
from ..yamlfile import (
    YamlMap,
    check_mapping,
    iter_table_items,
    parse_yaml,
    read_text,
    table_items,
)
from .matching import (
    MAX_SYLLABLE,
    Alignment,
    MatchModel,
    Word,
    align,
    bundled_match_model,
    covered,
    features,
    rarity,
    syllable,
    whole_name_fits,
    without_joined_article,
    words_of,
)
from .names import (
    name_data,
    name_key,
    name_tokens,
    sound_key,
    spelling,
    spelling_key,
    tokens_of,
    without_article,
)

_ENTRY_KEYS = ("id", "name", "type", "aliases", "not")
_ID = regex.compile(r"[a-z0-9]+(?:[-_.][a-z0-9]+)*")
_LABEL = regex.compile(r"[A-Z][A-Z_]*")
#: A hyphen between syllables of one given name ("Jong-un", "Jae-in"), not before a
#: capitalised name ("al-Kadhimi", "Abdel-Rahman").
_SYLLABLES = regex.compile(r"(?<=\p{Lu}\p{Ll}*)-(?=\p{Ll}+\b)")
#: Longest name or alias accepted, in characters.
MAX_NAME_LENGTH = 300

#: NER labels a table type may stand for when the two differ (spaCy's small models
#: confuse these often). PERSON stands only for PERSON.
COMPATIBLE_LABELS: dict[str, frozenset[str]] = {
    "PERSON": frozenset({"PERSON"}),
    "ORG": frozenset({"ORG", "NORP", "FAC", "GPE"}),
    "GPE": frozenset({"GPE", "LOC", "ORG"}),
    "LOC": frozenset({"LOC", "GPE", "FAC"}),
    "FAC": frozenset({"FAC", "ORG", "LOC"}),
    "NORP": frozenset({"NORP", "ORG"}),
}
#: Entity types whose names are whole: places and peoples. A name with a word the place's
#: or people's name lacks is another place ("Latin America", "South Sudan"), another
#: group ("Arab Americans") or none at all ("Sofia Coppola", "American Airlines"), so
#: the fuzzy step never matches one by leaving a word of the query unpaired, nor by
#: pairing unlike words beside a word they share (:func:`whole_name_fits`).
WHOLE_NAME_TYPES = frozenset({"GPE", "LOC", "NORP"})
#: Score factor for a match whose type differs from the NER label but is compatible.
COMPATIBLE_FACTOR = 0.95
#: Score factor for an exact or key match whose type is not compatible with the label.
MISMATCH_FACTOR = 0.85
#: Names shorter than this (in letters of their spelling key) are never matched fuzzily.
MIN_FUZZY_LENGTH = 4
STEP_SCORES = {"exact": 1.0, "key": 0.97, "spelling": 0.94}
#: The fuzzy step aligns at most this many candidate forms with a query: those whose
#: shared blocks weigh the most (among as heavy, the most similar by rapidfuzz's
#: token_set_ratio) ...
MAX_ALIGNED = 4
#: ... taken from blocks holding at most this many forms together (the smallest first).
CANDIDATE_BUDGET = 3000


@dataclass(frozen=True)
class Entry:
    """One entity of the table, with where it was defined."""

    # slots, not a dict for each: a large table has millions of entries
    __slots__ = ("aliases", "id", "line", "name", "not_", "path", "type")
    id: str
    name: str
    type: str
    aliases: tuple[str, ...]
    not_: frozenset[str]
    path: str
    line: int

    @property
    def names(self) -> tuple[str, ...]:
        return (self.name, *self.aliases)

    # a frozen dataclass with slots must say how it is pickled
    def __getstate__(self) -> tuple[Any, ...]:
        return tuple(getattr(self, name) for name in self.__slots__)

    def __setstate__(self, state: tuple[Any, ...]) -> None:
        for name, value in zip(self.__slots__, state):
            object.__setattr__(self, name, value)


#: The ``not`` of the entries that have none (one object for all of them).
NO_IDS: frozenset[str] = frozenset()


#: What an index holds for a key: the one entry that has it, or the set of those that share
#: it (rare: a set for every name would take most of the memory of a large table).
_Held = Union[int, set[int]]


class AliasTable:
    """An indexed alias table.

    >>> table = AliasTable.bundled()
    >>> table.lookup("Al-Kadhimi", label="PERSON").id
    'mustafa-al-kadhimi'
    >>> table.lookup("Jill Biden", label="PERSON").id
    'jill-biden'
    """

    def __init__(self, entries: Sequence[Entry], model: Optional[MatchModel] = None) -> None:
        self.entries = tuple(entries)
        self._model = model  # None: the bundled one, read when first needed
        self._by_id = {entry.id: i for i, entry in enumerate(self.entries)}
        # Building creates millions of objects but no garbage: without the cyclic
        # collector, which would walk them all again and again, it takes a third less time.
        collecting = gc.isenabled()
        gc.disable()
        try:
            self._build()
        finally:
            if collecting:
                gc.enable()

    def _build(self) -> None:
        """Index every name of every entry, each step over all the names at once."""
        names: list[str] = []
        owners: list[int] = []  # the entry of each name
        for i, entry in enumerate(self.entries):
            for name in (entry.name, *entry.aliases):
                names.append(name)
                owners.append(i)
                if "-" in name:
                    joined = _SYLLABLES.sub("", name)
                    if joined != name:  # "Kim Jong-un" is also written "Kim Jongun"
                        names.append(joined)
                        owners.append(i)
        names = list(map(_clean, names))
        acronyms = list(map(is_acronym, names))
        self._exact_cased = _filed([n for n, a in zip(names, acronyms) if a],
                                   [o for o, a in zip(owners, acronyms) if a])
        if any(acronyms):  # they match exactly or not at all
            names = [n for n, a in zip(names, acronyms) if not a]
            owners = [o for o, a in zip(owners, acronyms) if not a]
        folded = [name.casefold() for name in names]
        self._exact = _filed(folded, owners)
        tokens = list(map(tokens_of, names))  # not name_tokens: its cache is for the queries
        # a person's name left one word by its title or number ("Charles" of "King Charles
        # III") is a given name: no key of the person (a name of one word is, "Lula")
        bare = [len(t) == 1 and " " in name and self.entries[o].type == "PERSON"
                for t, name, o in zip(tokens, names, owners)]
        if not all(tokens):
            kept = [i for i, t in enumerate(tokens) if t]
            tokens = [tokens[i] for i in kept]
            folded = [folded[i] for i in kept]
            owners = [owners[i] for i in kept]
            bare = [bare[i] for i in kept]
        words = list(map(words_of, tokens))
        # one string object where the keys are alike, as they mostly are
        keys = [f if k == f else k for k, f in zip((" ".join(t) for t in tokens), folded)]
        del folded, tokens
        spelled = [k if s == k else s
                   for s, k in zip((" ".join([w.spelled for w in ws]) for ws in words), keys)]
        keyed, key_names, key_spellings = owners, keys, spelled
        if any(bare):  # (rare: no copies for a table without such names)
            named = [not b for b in bare]
            keyed = list(compress(owners, named))
            key_names = list(compress(keys, named))
            key_spellings = list(compress(spelled, named))
        self._keys = _filed(key_names, keyed)
        self._spellings = _filed(key_spellings, keyed)
        # The forms (names) the fuzzy step compares, as parallel sequences rather than an
        # object each: a large table has millions.
        self._form_entries = array("i", owners)  # the entry of each form
        self._form_spellings = spelled  # its spelling key, for rapidfuzz
        self._form_words = words  # its words, for the alignment
        self._blocks, self._frequency = _blocks_and_frequency(words)
        self._log_forms = math.log(len(spelled) + 1)  # the numerator of every idf

    # -- loading ------------------------------------------------------------------------

    @classmethod
    def load(cls, *paths: Union[str, Path], shared: str = "error") -> AliasTable:
        """Load and validate one or more tables; an id may be defined only once in all.

        A name given to two entities of one type without a ``not`` between them is an
        error, or with ``shared="ambiguous"`` (for tables made from other sources, such
        as sanctions lists) a name that resolves to neither.
        Raises :class:`~newsclean.errors.AliasTableError` naming the file and line.
        """
        if shared not in ("error", "ambiguous"):
            raise ValueError("shared must be 'error' or 'ambiguous'")
        entries: list[Entry] = []
        for path in paths:
            name = str(path)
            items = iter_table_items(read_text(path, AliasTableError), "entities",
                                     ("entities",), path=name, error=AliasTableError,
                                     allow_empty=True)
            entries.extend(_parse_entry(item, name, line) for item, line in items)
        return cls(_validated(entries, shared_ok=shared == "ambiguous"))

    @classmethod
    def bundled(cls) -> AliasTable:
        """The table that ships with newsclean (the repository's ``data/aliases.yaml``)."""
        name, text = bundled_table_text()
        data = parse_yaml(text, name, AliasTableError, bundled=True)
        return cls(_validated(_parse_table(data, name)))

    def to_yaml(self) -> str:
        """The table in the YAML format it is loaded from."""
        entities = []
        for entry in self.entries:
            item: dict[str, Any] = {"id": entry.id, "name": entry.name, "type": entry.type,
                                    "aliases": list(entry.aliases)}
            if entry.not_:
                item["not"] = sorted(entry.not_)
            entities.append(item)
        return str(yaml.safe_dump({"entities": entities}, allow_unicode=True, sort_keys=False))

    def __len__(self) -> int:
        return len(self.entries)

    def get(self, entity_id: str) -> Optional[Entry]:
        """The entry with this id, or None."""
        index = self._by_id.get(entity_id)
        return None if index is None else self.entries[index]

    # -- lookup -------------------------------------------------------------------------

    def lookup(
        self,
        name: str,
        label: Optional[str] = None,
        *,
        min_score: Optional[float] = None,
    ) -> Optional[Match]:
        """The entity ``name`` stands for, or None when there is none or it is ambiguous.

        ``label`` is the NER label of the mention, if known. ``min_score`` (0-1) is the
        lowest score at which a fuzzy or partial match is accepted; by default the
        threshold the bundled decision model was tuned with.
        """
        name = _clean(name)
        if not name:
            return None
        steps: tuple[tuple[str, set[int]], ...] = (
            ("exact", _held(self._exact_cased, name)
             | (set() if is_acronym(name) else _held(self._exact, name.casefold()))),
            ("key", _held(self._keys, name_key(name))),
            # "Al Kadhimi": a spaced article is kept first in a name ("Al Gore"); try without
            ("key", _held(self._keys, " ".join(without_article(name_tokens(name))))),
            ("spelling", _held(self._spellings, spelling_key(name))),
        )
        for step, found in steps:
            if found:
                decided = self._decide(found, label)
                if decided is None:
                    return None  # the name is two entities' ("Congo"): no looser step decides
                index, factor = decided
                method = "key" if step == "spelling" else step
                return self._match(index, STEP_SCORES[step] * factor, method)
        return self._fuzzy(name, label, min_score)

    def _match(self, index: int, score: float, method: str) -> Match:
        entry = self.entries[index]
        return Match(entry.id, entry.name, round(score, 4), method, entry.type)

    def _decide(self, found: Iterable[int], label: Optional[str]) -> Optional[tuple[int, float]]:
        """One entity out of ``found``, preferring the label's type; None if ambiguous."""
        candidates = sorted(found)
        if label is not None:
            for allowed, factor in (
                ({label}, 1.0),
                (COMPATIBLE_LABELS.get(label, frozenset({label})), COMPATIBLE_FACTOR),
            ):
                typed = [i for i in candidates if self.entries[i].type in allowed]
                if typed:
                    chosen = self._one(typed)
                    return None if chosen is None else (chosen, factor)
        chosen = self._one(candidates)
        if chosen is None:
            return None
        factor = 1.0 if label is None else MISMATCH_FACTOR
        return chosen, factor

    def _one(self, candidates: list[int]) -> Optional[int]:
        """The single candidate, after entries that yield to another (``not``) step back."""
        if len(candidates) > 1:
            ids = {self.entries[i].id for i in candidates}
            candidates = [i for i in candidates if not (self.entries[i].not_ & ids)]
        return candidates[0] if len(candidates) == 1 else None

    def _fuzzy(self, name: str, label: Optional[str],
               min_score: Optional[float]) -> Optional[Match]:
        evidence = self.fuzzy_evidence(name, label)
        if evidence is None:
            return None
        index, values, alignment = evidence
        model = self._model or bundled_match_model()
        probability = model.probability(values)
        if probability < (model.threshold if min_score is None else min_score):
            return None
        method = "fuzzy" if alignment.dropped_edge + alignment.dropped_inner == 0 else "partial"
        return self._match(index, probability, method)

    def fuzzy_evidence(
        self, name: str, label: Optional[str] = None
    ) -> Optional[tuple[int, list[float], Alignment]]:
        """The best entity for ``name`` by alignment, with the decision model's features.

        None when no form of a compatible type aligns with the name, or when two entities
        align equally well and neither yields to the other. This is the fuzzy step before
        its decision; ``benchmarks/train_name_model.py`` learns from it.
        """
        name = _clean(name)
        tokens = name_tokens(name)
        query = words_of(tokens)
        spelled = " ".join(w.spelled for w in query)
        if len(spelled.replace(" ", "")) < MIN_FUZZY_LENGTH or is_acronym(name):
            return None
        allowed = COMPATIBLE_LABELS.get(label, frozenset({label})) if label else None
        best: dict[int, tuple[Alignment, int]] = {}
        support: dict[int, set[str]] = {}  # the spellings of each entity's forms that align
        for form_index in self._candidates(query):
            entry_index = self._form_entries[form_index]
            entry = self.entries[entry_index]
            if allowed is not None and entry.type not in allowed:
                continue
            found = align(query, self._form_words[form_index],
                          person=label == "PERSON" or entry.type == "PERSON")
            if found is None or (entry.type in WHOLE_NAME_TYPES and not whole_name_fits(
                    query, self._form_words[form_index], found)):
                continue
            support.setdefault(entry_index, set()).add(self._form_spellings[form_index])
            held = best.get(entry_index)
            if held is None or found.score > held[0].score:
                best[entry_index] = (found, form_index)
        if not best:
            return None
        ranked = sorted(best.items(), key=lambda item: item[1][0].score, reverse=True)
        top = ranked[0][1][0].score
        tied = [i for i, (found, _) in ranked if found.score == top]
        if len(tied) > 1:
            # two entities fit the name equally well: it is both's, as a name two entities
            # share is in the exact step, unless all but one yield to it (``not``)
            chosen = self._one(sorted(tied))
            if chosen is None:
                return None
            ranked.sort(key=lambda item: item[0] != chosen)
        index, (alignment, form_index) = ranked[0]
        second = ranked[1][1][0].score if len(ranked) > 1 else 0.0
        entry = self.entries[index]
        whole = fuzz.ratio(spelled, self._form_spellings[form_index]) / 100.0
        share = (covered(query, (i for i, _ in alignment.paired), self._idf),
                 covered(self._form_words[form_index], (j for _, j in alignment.paired),
                         self._idf))
        rare = rarity(query, (i for i, _ in alignment.paired), self._idf,
                      self._log_forms)
        values = features(alignment, second, whole, share, rare, person=entry.type == "PERSON",
                          type_differs=label is not None and entry.type != label,
                          query_words=len(query), support=len(support[index]))
        return index, values, alignment

    def _idf(self, word: str) -> float:
        """How rare a spelled word is among the forms of the table (an unseen one: rarest)."""
        return self._log_forms - math.log(self._frequency.get(word, 0) + 1)

    def _candidates(self, query: Sequence[Word]) -> list[int]:
        """The :data:`MAX_ALIGNED` forms that share the most with ``query``: each block
        shared counts one over the logarithm of its size, so a rare surname's block
        outweighs a common given name's (smallest blocks first, within
        :data:`CANDIDATE_BUDGET`). Among forms that share exactly as much, those that
        rapidfuzz (in C) finds most alike. The blocks are those of :func:`_query_keys`."""
        keys = _query_keys(query, self._frequency.__contains__)
        blocks = sorted((block for block in map(self._blocks.get, keys) if block), key=len)
        used, visited = 0, 0
        for block in blocks:
            if used and visited + len(block) > CANDIDATE_BUDGET:
                break
            used += 1
            visited += len(block)
        blocks = blocks[:used]
        chosen: list[int] = []
        forms: list[int]  # those rapidfuzz chooses among
        if len(blocks) <= 1:
            forms = list(blocks[0]) if blocks else []  # all weigh as much
        else:
            # a form sharing a small block says more than one sharing a large block
            forms_found, where = np.unique(
                np.concatenate([np.frombuffer(block, dtype=np.int32) for block in blocks]),
                return_inverse=True)
            if len(forms_found) <= MAX_ALIGNED:
                return list(map(int, forms_found))
            weights = np.bincount(where, np.repeat(
                [1 / math.log(len(block) + 2) for block in blocks],
                [len(block) for block in blocks]))
            # the forms weighing more than the last form that fits are all taken;
            # rapidfuzz chooses among those weighing as much as it
            order = np.argsort(-weights, kind="stable")
            last = weights[order[MAX_ALIGNED - 1]]
            top = order[:MAX_ALIGNED]
            chosen = forms_found[top][weights[top] > last].tolist()
            forms = forms_found[weights == last].tolist()
        room = MAX_ALIGNED - len(chosen)
        if len(forms) <= room:
            return chosen + forms
        spellings = self._form_spellings
        ranked = process.extract(" ".join(w.spelled for w in query),
                                 [spellings[f] for f in forms],
                                 scorer=fuzz.token_set_ratio, limit=room)
        return chosen + [forms[index] for _, _, index in ranked]


def _block_keys(words: Sequence[Word]) -> set[str]:
    """The blocking keys a form of the table is filed under: the sound and the first four
    letters of each word that names (not Ltd, not J.), its group's key when it has one
    (Banco, Bank), the first four letters of a connector written into it as if written
    apart (Abdulkarim: abdk-), and those of the words together (:func:`_name_keys`)."""
    return set(chain(chain.from_iterable(map(_word_blocks, words)), _name_keys(words)))


def _query_keys(query: Sequence[Word], known: Callable[[str], bool]) -> set[str]:
    """The blocks a lookup reads: those of :func:`_block_keys`, the sound of each two
    neighbouring words written as one ("Khalil Zadeh" finds "Khalilzadeh", filed under
    the sound of its one word), and the blocks of a word that the table does not
    ``know`` read without an article written into it ("Alotaibi" looks where "al-Otaibi"
    is filed, under otaibi; "Alvarez", a word of the table, does not)."""
    keys = _block_keys(query)
    keys.update(sound_key(left.spelled + right.spelled) for left, right in zip(query, query[1:])
                if left.kind == right.kind == "name")
    for word in query:
        rest = without_joined_article(word.text) if word.kind == "name" else ""
        if len(rest) >= 4 and not known(word.spelled):
            keys.update(_word_blocks(words_of((rest,))[0]))
    return keys


def _name_keys(words: Sequence[Word]) -> list[str]:
    """The keys a form is filed under for its words together, not one by one:

    - the first four letters of each word shorter than four written together with the
      word after it: "Air Koryo" is also filed where "Airkoryo" looks;
    - in a name of two or more words of one syllable each (a Korean or Chinese name),
      each syllable in any romanisation (:func:`~newsclean.entities.matching.syllable`):
      "Ho-Jin Yun" is filed where "Ho-Chin Yun" looks.
    """
    keys = [(left.spelled + right.spelled)[:4] + "-" for left, right in zip(words, words[1:])
            if len(left.spelled) < 4 and left.kind == right.kind == "name"]
    if len(words) >= 2 and all(w.kind == "name" and len(w.text) <= MAX_SYLLABLE
                               for w in words):
        syllables = [syllable(w.text) for w in words]
        if all(syllables):
            keys += ["~" + s for s in syllables]
    return keys


def _file_by_name(blocks: dict[str, array[int]], words: Sequence[tuple[Word, ...]]) -> None:
    """Add each form to the blocks of its :func:`_name_keys` (in order, once each)."""
    extra: dict[str, set[int]] = {}
    for form, form_words in enumerate(words):
        for key in _name_keys(form_words):
            extra.setdefault(key, set()).add(form)
    for key, forms in extra.items():
        held = blocks.get(key)
        blocks[key] = array("i", sorted(forms.union(held) if held is not None else forms))


@lru_cache(maxsize=262144)
def _word_blocks(word: Word) -> tuple[str, ...]:
    if word.kind in ("legal", "initial", "honorific") or len(word.spelled) < 2:
        return ()
    keys = [sound_key(word.spelled), word.spelled[:4] + "-"]
    if word.group in name_data().translated:
        # an organisation word (Banco, Bank) is also filed under its group (=bank); given
        # names are not (their groups would be the largest blocks, and share sounds)
        keys.append("=" + word.group)
    for variant, form in name_data().connector_spellings:
        # "Abdulkarim" is also filed where "Abd Karim" written together is (abdk-)
        if len(variant) >= 3 and word.text.startswith(variant) \
                and len(word.text) > len(variant) + 2:
            keys.append((form + spelling(word.text[len(variant):]))[:4] + "-")
            break
    return tuple(keys)


def _filed(keys: Sequence[str], owners: Sequence[int]) -> dict[str, _Held]:
    """Each key with the entry that has it, or the set of the entries that share it.

    ``owners`` never decreases (an entry's names come together), so a key whose first
    and last owners are one entry has no other.
    """
    index: dict[str, _Held] = dict(zip(keys, owners))  # the last owner of each key
    if len(index) == len(keys):
        return index
    first = dict(zip(reversed(keys), reversed(owners)))
    shared = {key for key, last in index.items() if first[key] != last}
    groups: dict[str, set[int]] = {}
    for key, owner in [(k, o) for k, o in zip(keys, owners) if k in shared]:
        groups.setdefault(key, set()).add(owner)
    index.update(groups)
    return index


def _blocks_and_frequency(words: Sequence[tuple[Word, ...]]
                          ) -> tuple[dict[str, array[int]], Counter[str]]:
    """The forms filed under each key of :func:`_block_keys` (each form once, in order),
    and the number of forms each spelled word is in.

    Done with numpy over all the (form, word) pairs at once, not pair by pair: a table of
    a million names has millions of them.
    """
    distinct = list(dict.fromkeys(chain.from_iterable(words)))
    word_ids = {word: i for i, word in enumerate(distinct)}
    lengths = np.fromiter(map(len, words), dtype=np.int64, count=len(words))
    pair_words = np.fromiter(map(word_ids.__getitem__, chain.from_iterable(words)),
                             dtype=np.int64, count=int(lengths.sum()))
    pair_forms = np.repeat(np.arange(len(words), dtype=np.int64), lengths)

    def grouped(ids_of_words: list[list[int]]) -> tuple[np.ndarray, np.ndarray]:
        """The distinct (id, form) pairs, sorted, for the ids each word has (-1: none)."""
        count = len(pair_forms)
        arrays = [np.asarray(ids, dtype=np.int64) for ids in ids_of_words]
        # the pairs with an id, for ids few words have (group and connector keys); all
        # of them (those without dropped below) for ids most words have
        chosen = [None if np.count_nonzero(ids >= 0) * 4 > len(ids) else
                  np.flatnonzero(ids[pair_words] >= 0) for ids in arrays]
        sizes = [count if where is None else len(where) for where in chosen]
        pairs = np.empty(sum(sizes), dtype=np.int64)
        start = 0
        for ids, where, size in zip(arrays, chosen, sizes):  # in place: millions of pairs
            part = pairs[start:start + size]
            start += size
            if where is None:
                np.take(ids, pair_words, out=part)
                part <<= 32
                part |= pair_forms
            else:
                np.take(ids, pair_words[where], out=part)
                part <<= 32
                part |= pair_forms[where]
        pairs.sort()  # not np.unique: numpy 2 hashes first, many times slower here
        keep = pairs >= 0
        keep[1:] &= pairs[1:] != pairs[:-1]
        pairs = pairs[keep]
        del keep
        return pairs >> 32, (pairs & 0xFFFFFFFF).astype(np.int32)

    keys = list(dict.fromkeys(chain.from_iterable(map(_word_blocks, distinct))))
    key_ids = {key: i for i, key in enumerate(keys)}
    # each word's k-th key for k = 0..3: its sound, prefix, and group or connector keys
    # (-1 where it has fewer; legal forms and initials have none)
    block_ids, block_forms = grouped([[key_ids[blocks[k]] if len(blocks) > k else -1
                                       for blocks in map(_word_blocks, distinct)]
                                      for k in range(4)])
    starts = np.flatnonzero(np.diff(block_ids, prepend=-1))
    ends = [*starts[1:].tolist(), len(block_ids)]
    blocks: dict[str, array[int]] = {}
    for start, end, key_id in zip(starts.tolist(), ends, block_ids[starts].tolist()):
        block = array("i")
        block.frombytes(block_forms[start:end].tobytes())
        blocks[keys[key_id]] = block
    del block_ids, block_forms
    _file_by_name(blocks, words)

    spellings = list(dict.fromkeys(word.spelled for word in distinct))
    spelling_ids = {spelled: i for i, spelled in enumerate(spellings)}
    spelled_ids, _ = grouped([[spelling_ids[word.spelled] for word in distinct]])
    counts = np.bincount(spelled_ids, minlength=len(spellings))
    return blocks, Counter(dict(zip(spellings, counts.tolist())))


def _held(index: dict[str, _Held], key: str) -> set[int]:
    """The entries filed under ``key`` (a set the caller must not change)."""
    held = index.get(key)
    if held is None:
        return set()
    return {held} if isinstance(held, int) else held


def is_acronym(name: str) -> bool:
    """Upper-case names of up to six letters (US, U.S., ISIS, NATO) match only in that case.

    >>> is_acronym("US"), is_acronym("U.S."), is_acronym("Iraq"), is_acronym("us")
    (True, True, False, False)
    """
    if " " in name.strip():
        return False
    letters = [ch for ch in name if ch.isalpha()]
    return 1 < len(letters) <= 6 and all(ch.isupper() for ch in letters)


def _clean(name: str) -> str:
    return " ".join(unicodedata.normalize("NFC", name).split())


def bundled_table_text() -> tuple[str, str]:
    """(name, text) of the bundled table: from the installed package, or the source tree."""
    packaged = resources.files("newsclean") / "data" / "aliases.yaml"
    if packaged.is_file():
        return "newsclean/data/aliases.yaml", packaged.read_text("utf-8")
    # An editable install: the table lives at the repository root, not in the package.
    source = Path(__file__).resolve().parents[3] / "data" / "aliases.yaml"
    try:
        return "data/aliases.yaml", source.read_text("utf-8")
    except OSError as exc:
        raise AliasTableError("the bundled alias table is missing; reinstall newsclean",
                              path="data/aliases.yaml") from exc


# -- validation -------------------------------------------------------------------------


def _parse_table(data: Any, path: str) -> list[Entry]:
    items = table_items(data, "entities", ("entities",), path=path, error=AliasTableError,
                        allow_empty=True)
    return [_parse_entry(item, path, line) for item, line in items]


def _parse_entry(item: Any, path: str, line: int) -> Entry:
    def fail(message: str, key: Optional[str] = None) -> AliasTableError:
        at = item.key_lines.get(key, line) if isinstance(item, YamlMap) and key else line
        return AliasTableError(message, path=path, line=at)

    item = check_mapping(item, _ENTRY_KEYS, "each entity is a mapping with id, name, type and"
                         " aliases", path=path, line=line, error=AliasTableError)
    for key in ("id", "name", "type"):
        value = item.get(key)
        if not isinstance(value, str) or not value.strip():
            raise fail(f"'{key}' must be a non-empty string", key if key in item else None)
    entity_id, name, label = item["id"].strip(), _clean(item["name"]), item["type"].strip()
    if not _ID.fullmatch(entity_id):
        raise fail(f"id {entity_id!r} must be a lower-case slug (a-z, 0-9, -)", "id")
    if not _LABEL.fullmatch(label):
        raise fail(f"type {label!r} must be an upper-case spaCy label such as PERSON", "type")
    aliases = item.get("aliases", [])
    if not isinstance(aliases, list) or not all(isinstance(a, str) for a in aliases):
        raise fail("'aliases' must be a list of strings", "aliases")
    cleaned = [_clean(a) for a in aliases]
    if any(not a for a in cleaned):
        raise fail(f"{entity_id}: an alias is empty", "aliases")
    not_ = item.get("not", [])
    if not isinstance(not_, list) or not all(isinstance(a, str) for a in not_):
        raise fail("'not' must be a list of entity ids", "not")
    for text in (name, *cleaned):
        if len(text) > MAX_NAME_LENGTH:
            raise fail(f"{entity_id}: a name is longer than {MAX_NAME_LENGTH} characters",
                       "aliases" if text != name else "name")
    return Entry(entity_id, name, sys.intern(label), tuple(dict.fromkeys(cleaned)),
                 frozenset(not_) if not_ else NO_IDS, path, line)


def _validated(entries: list[Entry], *, shared_ok: bool = False) -> list[Entry]:
    """Refuse duplicate ids, unknown ``not`` ids, and one name claimed by two entities of a type."""
    by_id: dict[str, Entry] = {}
    for entry in entries:
        if entry.id in by_id:
            first = by_id[entry.id]
            raise AliasTableError(
                f"duplicate id {entry.id!r} (first defined at {first.path}:{first.line})",
                path=entry.path, line=entry.line)
        by_id[entry.id] = entry
    for entry in entries:
        # not ``entry.not_ - by_id.keys()``: that walks every id, for every entry
        for other in sorted(other for other in entry.not_ if other not in by_id):
            raise AliasTableError(f"{entry.id}: 'not' names an unknown id {other!r}",
                                  path=entry.path, line=entry.line)
    claimed: dict[tuple[str, str], Entry] = {}
    for entry in entries:
        for text in entry.names:
            key = (entry.type, text if is_acronym(text) else text.casefold())
            owner = claimed.get(key)
            if owner is None or owner.id == entry.id:
                claimed[key] = entry
                continue
            if shared_ok or entry.id in owner.not_ or owner.id in entry.not_:
                continue
            raise AliasTableError(
                f"{text!r} names both {owner.id} (line {owner.line}) and {entry.id}, both"
                f" {entry.type}; drop the alias from one, or list the other's id under 'not'"
                " in the entry that should give it up",
                path=entry.path, line=entry.line)
    return entries
