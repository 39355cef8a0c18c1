"""Resolve the mentions of one document: the table first, then the document itself.

1. Each mention is looked up in the alias table (:meth:`AliasTable.lookup`).
2. A mention the table does not resolve, and that is a short form of a full mention
   of the same document (its surname, given name or acronym), takes that mention's
   entity, if only one entity fits, or, of several people, only one is named before it
   ("Biden" after "Joe Biden", before "Jill Biden"; not after both: then it is left
   ambiguous, with no id).
3. Mentions still unresolved (and not ambiguous) are grouped into clusters by spelling
   key; spellings that differ only in vowels (in words of five letters or more), and
   short forms, join the fullest name of the cluster. A cluster's id is ``unk-`` and
   its key, so the same unknown name gets the same id in every document.
"""

from __future__ import annotations

import hashlib
from functools import lru_cache
from typing import Callable, Optional

import regex

from ..config import CleanConfig
from ..result import Entity, Match
from .aliases import COMPATIBLE_LABELS, AliasTable
from .mentions import Mention, select
from .names import given_names_agree, initials, name_data, name_tokens, skeleton, spelling

#: Short forms score this fraction of the full mention they go back to.
SHORT_FORM_FACTOR = 0.95
_SLUG = regex.compile(r"[^a-z0-9]+")

Lookup = Callable[[str, Optional[str]], Optional[Match]]

#: How many distinct (name, label) lookups a pipeline or component remembers.
LOOKUP_CACHE_SIZE = 100_000


def cached_lookup(table: AliasTable, min_score: Optional[float]) -> Lookup:
    """``table.lookup`` at ``min_score``, remembering its answers: names recur in a stream."""

    @lru_cache(maxsize=LOOKUP_CACHE_SIZE)
    def lookup(text: str, label: Optional[str]) -> Optional[Match]:
        return table.lookup(text, label, min_score=min_score)

    return lookup


def resolve_mentions(
    mentions: list[Mention], lookup: Lookup, config: CleanConfig
) -> list[Entity]:
    """Turn candidate mentions into resolved, non-overlapping entities in text order."""
    for mention in mentions:
        # a proper name has a capital letter: "china" (porcelain) is not China; a surname
        # found again goes back to its person, not to the table
        if not mention.inferred and (mention.text.lower() != mention.text
                                     or not mention.from_ner):
            mention.match = lookup(mention.text, mention.label)
    mentions = _people_before_places(mentions)
    chosen = select(mentions)
    keys = _unknown_keys(chosen)
    shortened, ambiguous = (_resolve_short_forms(chosen, keys) if config.short_forms
                            else (set(), set()))
    # a surname found again that shortens no one person of the document is no mention
    linked = {i for i, m in enumerate(chosen) if not m.inferred or i in shortened}
    keys = {i: key for i, key in keys.items() if i in linked and i not in ambiguous}
    if config.clusters:
        _cluster(chosen, keys)
    return [
        Entity(m.text, m.start, m.end, m.label, *(
            (m.match.id, m.match.canonical, m.match.score, m.match.method)
            if m.match is not None else (None, None, None, None)))
        for i, m in enumerate(chosen) if i in linked
    ]


def _people_before_places(mentions: list[Mention]) -> list[Mention]:
    """A person's short name that the table takes for something else follows the person.

    In "Michael Jordan scored. Jordan said ...", NER calls the second "Jordan" a person
    and it shortens a person named in full: it is not the country, whatever the table
    says. Its table match is dropped, and so is the table's mention of the same span.
    """
    people = [m for m in mentions if m.from_ner and m.label == "PERSON"]
    freed: set[tuple[int, int]] = set()
    for mention in people:
        match = mention.match
        if match is None or match.type in (None, "PERSON"):
            continue
        if any(full is not mention and _shortens(mention, full) for full in people):
            mention.match = None
            freed.add((mention.start, mention.end))
    if not freed:
        return mentions
    return [m for m in mentions if m.from_ner or (m.start, m.end) not in freed]


@lru_cache(maxsize=65536)
def _spelled(text: str) -> tuple[str, ...]:
    return tuple(spelling(t) for t in name_tokens(text))


def _compatible(a: str, b: str) -> bool:
    return a == b or b in COMPATIBLE_LABELS.get(a, frozenset())


def _shortens(short: Mention, full: Mention) -> bool:
    """Whether ``short`` is a surname, given name, part or acronym of ``full``."""
    short_tokens, full_tokens = _spelled(short.text), _spelled(full.text)
    if not _compatible(short.label, full.label) and not _compatible(full.label, short.label):
        return _mislabelled_surname(short, full, short_tokens, full_tokens)
    if _is_acronym_like(short.text) and len(full_tokens) >= 2:
        return initials(name_tokens(full.text)) == short.text.casefold()
    if not short_tokens or len(short_tokens) > len(full_tokens):
        return False
    if len(short_tokens) == len(full_tokens):
        # a name of the table without the title or number it was found with ("Charles"
        # for "King Charles III"; an unknown "Mr. Smith" and "Smith" share a cluster key)
        return full.match is not None and len(short.text.split()) < len(full.text.split()) \
            and _same_words(short_tokens, full_tokens)
    n = len(short_tokens)
    if short.label == "PERSON" or full.label == "PERSON":
        # "Biden" for "Joe Biden", "Mustafa" for "Mustafa al-Kadhimi"
        return _same_words(short_tokens, full_tokens[-n:]) or \
            _same_words(short_tokens, full_tokens[:n])
    # organisations and places: the words of the short form, in order, inside the full one
    return any(_same_words(short_tokens, full_tokens[i:i + n])
               for i in range(len(full_tokens) - n + 1))


def _mislabelled_surname(short: Mention, full: Mention, short_tokens: tuple[str, ...],
                         full_tokens: tuple[str, ...]) -> bool:
    """Whether ``short`` is the surname of a person of the table named in full, that NER
    labelled otherwise: the small models often tag a bare surname ORG, GPE or LOC ("Trump"
    after "Donald Trump"). One word, and only for a person the table resolved: a person
    NER made up ("Maybe Instagram") is no reason to take the company for a surname."""
    return (short.from_ner and len(short_tokens) == 1 and len(full_tokens) >= 2
            and full.label == "PERSON" and full.match is not None
            and full.match.type == "PERSON" and short.text[:1].isupper()
            and _same_words(short_tokens, full_tokens[-1:]))


def _is_acronym_like(text: str) -> bool:
    return text.isupper() and 2 <= len(text) <= 6


#: Fewest letters of two words that count as one name spelt otherwise up to vowels
#: ("Kazemi", "Kadhimi"); shorter words must be the same ("Mary" is not "Mayer").
MIN_VOWEL_VARIANT = 5


def _shape(word: str) -> str:
    """What two spelled words of one document's names must share to be one name."""
    return skeleton(word) if len(word) >= MIN_VOWEL_VARIANT else "=" + word


def _same_words(a: tuple[str, ...], b: tuple[str, ...]) -> bool:
    """Word by word the same, up to vowels in words of :data:`MIN_VOWEL_VARIANT` letters
    or more ("Kazemi", "Kadhimi"): for names in one document.

    >>> _same_words(("kazemi",), ("kazimi",)), _same_words(("maier",), ("mari",))
    (True, False)
    """
    return len(a) == len(b) and all(x == y or _shape(x) == _shape(y) for x, y in zip(a, b))


def _unknown_keys(mentions: list[Mention]) -> dict[int, str]:
    """The cluster key of each mention the table left unresolved, by position.

    A key is the mention's spelling key; one that differs from an earlier, fuller one only
    in vowels ("Hadi al-Amiri", "Hadi Al-Ameri") takes that one's key.
    """
    keys: dict[int, str] = {}
    # heads by the shapes of their words: two names are the same words up to vowels
    # (_same_words) exactly when their shapes are
    heads: dict[tuple[str, ...], list[tuple[str, ...]]] = {}
    unknown = [i for i, m in enumerate(mentions) if m.match is None]
    for index in sorted(unknown, key=lambda i: (-len(name_tokens(mentions[i].text)), i)):
        tokens = _joined_connectors(_spelled(mentions[index].text))
        if not tokens:
            continue
        alike = heads.setdefault(tuple(map(_shape, tokens)), [])
        head = next((h for h in alike if given_names_agree(tokens[0], h[0])), None)
        if head is None:
            alike.append(tokens)
            head = tokens
        keys[index] = " ".join(head)
    return keys


@lru_cache(maxsize=1)
def _connector_prefixes() -> tuple[tuple[str, str], ...]:
    """(spelling, form) of the connectors written joined to a name ("Abdul" of
    "Abdulmalik", "Abu" of "Abubakr"), longest first."""
    joined = name_data().joined_connectors
    found = {(spelling(variant), form) for variant, form in name_data().connector_spellings
             if form in joined and len(variant) >= 3}
    return tuple(sorted(found, key=lambda pair: -len(pair[0])))


@lru_cache(maxsize=65536)
def _joined_connectors(tokens: tuple[str, ...]) -> tuple[str, ...]:
    """Cluster-key words with the connectors of ``joined_connectors`` (names.yaml: Abd,
    Abu) joined to the name after them, whether the text writes them apart or together:
    "Abdul-Malik al-Houthi", "Abd al-Malik al-Houthi" and "Abdulmalik al-Huthi" get one
    key in every document.

    >>> _joined_connectors(("abd", "malik", "huti")), _joined_connectors(("abdulmalik", "huti"))
    (('abdmalik', 'huti'), ('abdmalik', 'huti'))
    """
    joined = name_data().joined_connectors
    words: list[str] = []
    pending = ""
    for token in tokens:
        if token in joined and not pending:
            pending = token
            continue
        for variant, form in _connector_prefixes():
            if token.startswith(variant) and len(token) >= len(variant) + 3 and not pending:
                token = form + token[len(variant):]
                break
        words.append(pending + token)
        pending = ""
    if pending:
        words.append(pending)
    return tuple(words)


def _resolve_short_forms(mentions: list[Mention], keys: dict[int, str]
                         ) -> tuple[set[int], set[int]]:
    """Resolve short forms through the full mentions they shorten: the positions of
    those resolved, and of those left ambiguous.

    A short form goes to the one entity it shortens. One that shortens several people
    ("Biden" with Joe and Jill Biden) goes to the one of them the document names before
    it, if only one; otherwise it is ambiguous: no entity, and no cluster of its own
    either. Part of several organisations' names ("Amazon" with "Amazon Music" and
    "Amazon Echo") is left to a cluster of its own. A short form of a full mention the
    table does not know either takes that mention's cluster key in ``keys``.
    """
    shortened: set[int] = set()
    ambiguous: set[int] = set()
    # Which mentions could a short form shorten? Those holding its first word (up to
    # vowels), or, for an acronym, those with its initials: an index, not every pair.
    by_word: dict[str, list[int]] = {}
    by_initials: dict[str, list[int]] = {}
    for index, mention in enumerate(mentions):
        tokens = _spelled(mention.text)
        for word in dict.fromkeys(skeleton(t) for t in tokens):
            by_word.setdefault(word, []).append(index)
        if len(tokens) >= 2:
            by_initials.setdefault(initials(name_tokens(mention.text)), []).append(index)
    for index, mention in enumerate(mentions):
        if mention.match is not None:
            continue
        if _is_acronym_like(mention.text):
            candidates = by_initials.get(mention.text.casefold(), [])
        else:
            tokens = _spelled(mention.text)
            candidates = by_word.get(skeleton(tokens[0]), []) if tokens else []
        targets: dict[str, Mention] = {}  # each entity it may shorten: its first mention
        for other in candidates:
            full = mentions[other]
            if full is not mention and _shortens(mention, full):
                target = full.match.id if full.match is not None else "?" + keys.get(other, "")
                targets.setdefault(target, full)
        if len(targets) > 1 and all(full.label == "PERSON" for full in targets.values()):
            # a reader takes "Biden" for the one Biden named before it, if only one was
            before = {t: full for t, full in targets.items() if full.start < mention.start}
            if len(before) != 1:
                ambiguous.add(index)  # Joe and Jill Biden both named: neither, no cluster
                continue
            targets = before
        if len(targets) != 1:
            continue  # no full form, or the part of several names ("Amazon"): its own
        target, full = next(iter(targets.items()))
        shortened.add(index)
        if full.match is None:
            keys[index] = target[1:]
            continue
        mention.match = Match(full.match.id, full.match.canonical,
                              round(full.match.score * SHORT_FORM_FACTOR, 4), "short-form")
        if full.label == "PERSON":
            mention.label = full.label
    return shortened, ambiguous


def cluster_id_of(key: str) -> str:
    """``unk-`` and the key as a slug; a key in another script than Latin by its hash.

    >>> cluster_id_of("hadi amiri")
    'unk-hadi-amiri'
    >>> cluster_id_of("владимир") == cluster_id_of("владимир") != cluster_id_of("путин")
    True
    """
    slug = _SLUG.sub("-", key).strip("-")
    if len(slug) < len(key.replace(" ", "")) // 2:  # mostly letters a slug cannot hold
        slug = "h" + hashlib.blake2b(key.encode("utf-8"), digest_size=6).hexdigest()
    return "unk-" + slug


def _cluster(mentions: list[Mention], keys: dict[int, str]) -> None:
    """Give every unresolved mention the id of its cluster: ``unk-`` and the cluster's key.

    Ids are the same across documents for one spelling; spelling variants and short
    forms are merged within a document.
    """
    clusters: dict[str, list[Mention]] = {}
    for index, key in keys.items():
        if mentions[index].match is None and key:
            clusters.setdefault(key, []).append(mentions[index])
    for key, members in clusters.items():
        canonical = max(members, key=lambda m: (len(m.text), -m.start)).text
        cluster_id = cluster_id_of(key)
        for member in members:
            score = 1.0 if " ".join(_spelled(member.text)) == key else SHORT_FORM_FACTOR
            member.match = Match(cluster_id, canonical, score, "cluster")
