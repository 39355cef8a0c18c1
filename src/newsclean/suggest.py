"""Candidate alias-table entries mined from a corpus (``newsclean aliases suggest``).

Names the alias table does not know end up in clusters of their own (ids ``unk-...``,
method ``cluster``). :class:`CandidateMiner` collects those clusters over the results of
a run, grouped by id, with each spelling's count and example sentences; a cluster whose
every spelling also belongs to one larger cluster joins it (the short form "Al-Amiri"
met alone in one document and beside "Hadi al-Amiri" in another).

Left out: spellings that the table resolves somewhere in the run (and clusters left
with none), spellings without a letter ("½") or without a capital letter in a script
that has capitals ("dolore magna aliqua"), spans over two lines, and mentions on lines
of placeholder text ("Lorem ipsum ...").

The guess at the canonical name is the spelling with the most words among those found in
at least half as many documents as the most widespread one, never one with a possessive
inside ("Ford's Wikipedia" is two names); the aliases are the other spellings that share
a word with it or are its initials. :func:`candidates_yaml` writes the candidates in the
alias-table format, those found in most documents first (then most mentioned), with all
spellings and their counts and two example sentences as comments, for a person to review.

>>> from newsclean.result import Entity, Result
>>> miner = CandidateMiner()
>>> text = "Hadi al-Amiri spoke. Al-Amiri left."
>>> miner.add(Result(text, entities=(
...     Entity("Hadi al-Amiri", 0, 13, "PERSON", "unk-hadi-amiri", "Hadi al-Amiri", 1.0, "cluster"),
...     Entity("Al-Amiri", 21, 29, "PERSON", "unk-hadi-amiri", "Hadi al-Amiri", .95, "cluster"))))
>>> [(c.name, dict(c.variants), c.aliases) for c in miner.candidates(min_mentions=1)]
[('Hadi al-Amiri', {'Hadi al-Amiri': 1, 'Al-Amiri': 1}, ['Al-Amiri'])]
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Optional

import regex
import yaml

from .entities.aliases import COMPATIBLE_LABELS, AliasTable, is_acronym
from .entities.names import fold, initials, name_tokens, spelling
from .result import Entity, Result

#: Example sentences kept per cluster while reading, and written per candidate.
EXAMPLES_KEPT = 8
EXAMPLES_WRITTEN = 2
#: Longest example written, in characters; longer sentences are cut around the mention.
EXAMPLE_LENGTH = 200
_SENTENCE_END = regex.compile(r"[.!?…](?=\s)")
_SLUG = regex.compile(r"[^a-z0-9]+")
_INNER_POSSESSIVE = regex.compile(r"\w['’]s\s+\w")
#: Words of the "Lorem ipsum" placeholder text; a line with two of them is placeholder.
_PLACEHOLDER = regex.compile(
    r"(?i)\b(lorem|ipsum|consectetur|adipisicing|adipiscing|eiusmod|incididunt|ullamco|laboris"
    r"|aliquip|commodo|consequat|reprehenderit|voluptate|cillum|occaecat|cupidatat|proident)\b")


@dataclass(frozen=True)
class Example:
    """A sentence in which a spelling of a candidate occurs, and where it comes from."""

    sentence: str
    source: Optional[str]
    variant: str


@dataclass
class Candidate:
    """A name the table lacks: its spellings with counts, labels, and example sentences."""

    key: str
    variants: Counter[str] = field(default_factory=Counter)
    #: in how many documents each spelling was found
    spread: Counter[str] = field(default_factory=Counter)
    labels: Counter[str] = field(default_factory=Counter)
    sources: set[str] = field(default_factory=set)
    examples: list[Example] = field(default_factory=list)
    id: str = ""

    @property
    def mentions(self) -> int:
        return sum(self.variants.values())

    @property
    def documents(self) -> int:
        return len(self.sources)

    @property
    def type(self) -> str:
        return self.labels.most_common(1)[0][0]

    @property
    def name(self) -> str:
        """The guess at a canonical name (see the module's docs)."""
        names = [text for text in self.variants if not _INNER_POSSESSIVE.search(text)] or \
            list(self.variants)
        widest = max(self.spread[text] for text in names)
        common = [text for text in names if 2 * self.spread[text] >= widest]
        return max(common, key=lambda text: (len(name_tokens(text)), self.variants[text],
                                             self.spread[text], -len(text), text))

    @property
    def aliases(self) -> list[str]:
        """The other spellings that may be the same name, commonest first, one per way of
        writing them up to case: see :func:`may_be_alias`."""
        name = self.name
        seen = {name.casefold()}
        aliases = []
        for text, _ in self.ranked_variants():
            if text.casefold() not in seen and may_be_alias(text, name):
                seen.add(text.casefold())
                aliases.append(text)
        return aliases

    def copy(self) -> Candidate:
        """A copy that can be changed without changing this one."""
        return Candidate(self.key, Counter(self.variants), Counter(self.spread),
                         Counter(self.labels), set(self.sources), list(self.examples), self.id)

    def ranked_variants(self) -> list[tuple[str, int]]:
        return sorted(self.variants.items(), key=lambda item: (-item[1], item[0]))

    def chosen_examples(self, count: int = EXAMPLES_WRITTEN) -> list[Example]:
        """Examples from different documents and, where there are, different spellings."""
        chosen: list[Example] = []
        for strict in (True, False):
            for example in self.examples:
                if len(chosen) == count:
                    return chosen
                if example in chosen:
                    continue
                if strict and any(example.source == c.source or example.variant == c.variant
                                  for c in chosen):
                    continue
                chosen.append(example)
        return chosen


class CandidateMiner:
    """Collects the unknown-name clusters of a run's results.

    ``table`` is the alias table the run used: spellings it resolves are never suggested,
    and candidate ids never take one of its ids.
    """

    def __init__(self, table: Optional[AliasTable] = None) -> None:
        self.table = table
        self.clusters: dict[str, Candidate] = {}
        self.known: set[str] = set()  # casefolded spellings resolved to a table entity
        self.documents = 0

    def add(self, result: Result) -> None:
        """Count the clusters of one document."""
        self.documents += 1
        source = result.source or f"document {self.documents}"
        counted: set[tuple[str, str]] = set()
        for entity in result.entities:
            if entity.id is None:
                continue
            if not _is_cluster(entity):
                self.known.add(entity.text.casefold())
                continue
            if not _looks_like_a_name(entity.text) or "\n" in entity.text:
                continue  # not a name, or a span over two lines
            if _is_placeholder(result.text, entity.start):
                continue
            sentence = sentence_around(result.text, entity.start, entity.end)
            key = _cluster_key(entity)
            cluster = self.clusters.get(key)
            if cluster is None:
                cluster = self.clusters[key] = Candidate(key)
            cluster.variants[entity.text] += 1
            if (key, entity.text) not in counted:
                counted.add((key, entity.text))
                cluster.spread[entity.text] += 1
            cluster.labels[entity.label] += 1
            if source not in cluster.sources:
                cluster.sources.add(source)
                if len(cluster.examples) < EXAMPLES_KEPT:
                    cluster.examples.append(Example(sentence, result.source, entity.text))

    def candidates(self, *, min_mentions: int = 2) -> list[Candidate]:
        """The candidates with at least ``min_mentions`` mentions: those found in most
        documents first, then the most mentioned."""
        clusters = [self._without_known(c.copy()) for c in self.clusters.values()]
        merged = _merge_short_forms([c for c in clusters if c.variants])
        kept = [c for c in merged if c.mentions >= min_mentions]
        kept.sort(key=lambda c: (-c.documents, -c.mentions, c.name))
        _share_out_spellings(kept)
        kept = [c for c in kept if c.variants]
        taken = {entry.id for entry in self.table.entries} if self.table is not None else set()
        for number, candidate in enumerate(kept, start=1):
            candidate.id = _unique_id(candidate, number, taken)
        return kept

    def _without_known(self, cluster: Candidate) -> Candidate:
        for text in list(cluster.variants):
            if text.casefold() in self.known or self._in_table(text, cluster):
                del cluster.variants[text]
                del cluster.spread[text]
        return cluster

    def _in_table(self, text: str, cluster: Candidate) -> bool:
        if self.table is None:
            return False
        return self.table.lookup(text, cluster.labels.most_common(1)[0][0]) is not None


def _is_cluster(entity: Entity) -> bool:
    return entity.method == "cluster" or (entity.id or "").startswith("unk-")


def may_be_alias(text: str, name: str) -> bool:
    """Whether a spelling clustered with ``name`` may be written as its alias.

    Not when it has more words than the name or a possessive inside; an acronym only when
    it is the name's initials; otherwise it must share a word with the name.

    >>> may_be_alias("Al-Amiri", "Hadi al-Amiri"), may_be_alias("NY", "New York")
    (True, True)
    >>> may_be_alias("BC", "BBC"), may_be_alias("Russian Defense Ministry", "Russian")
    (False, False)
    """
    tokens, name_words = name_tokens(text), name_tokens(name)
    if not tokens or len(tokens) > len(name_words) or _INNER_POSSESSIVE.search(text):
        return False
    if is_acronym(text) or is_acronym(name):
        short, full = (text, name_words) if is_acronym(text) else (name, tokens)
        letters = "".join(ch for ch in short if ch.isalpha()).casefold()
        return len(full) > 1 and initials(full) == letters
    return not {spelling(t) for t in name_words}.isdisjoint(spelling(t) for t in tokens)


def _cluster_key(entity: Entity) -> str:
    """The cluster's id; for an id with nothing after ``unk-`` (a name in a script the
    id's slug cannot spell), the id and the cluster's canonical name."""
    entity_id = entity.id or ""
    if entity_id.rstrip("-") in ("unk", ""):
        return f"{entity_id}{(entity.canonical or entity.text).casefold()}"
    return entity_id


def _is_placeholder(text: str, offset: int) -> bool:
    """Whether the line of ``text`` at ``offset`` is "Lorem ipsum" placeholder text."""
    start = text.rfind("\n", 0, offset) + 1
    end = text.find("\n", offset)
    line = text[start:end if end >= 0 else len(text)]
    return len({m.casefold() for m in _PLACEHOLDER.findall(line)}) >= 2


def _looks_like_a_name(text: str) -> bool:
    """False for a spelling without a letter, or without a capital letter in a script that
    has capitals.

    >>> [_looks_like_a_name(text) for text in ("laboris nisi", "Al-Amiri", "محمد", "½", "2020")]
    [False, True, True, False, False]
    """
    if not any(ch.isalpha() for ch in text):
        return False
    return any(ch.isupper() for ch in text) or not any(ch.islower() for ch in text)


def _compatible(a: str, b: str) -> bool:
    return a == b or b in COMPATIBLE_LABELS.get(a, frozenset()) or \
        a in COMPATIBLE_LABELS.get(b, frozenset())


def _merge_short_forms(clusters: list[Candidate]) -> list[Candidate]:
    """Fold each cluster whose every spelling is a spelling of exactly one larger cluster
    of a compatible type into that cluster."""
    spellings = [{text.casefold() for text in c.variants} for c in clusters]
    holders: dict[str, set[int]] = {}
    for index, texts in enumerate(spellings):
        for text in texts:
            holders.setdefault(text, set()).add(index)
    size = [(c.mentions, c.key) for c in clusters]
    gone: set[int] = set()
    for small in sorted(range(len(clusters)), key=lambda i: size[i]):
        common = set.intersection(*(holders[text] for text in spellings[small]))
        hosts = [big for big in common
                 if big not in gone and size[big] > size[small]
                 and _compatible(clusters[small].type, clusters[big].type)]
        if len(hosts) != 1:
            continue
        host, guest = clusters[hosts[0]], clusters[small]
        host.variants.update(guest.variants)
        host.spread.update(guest.spread)
        host.labels.update(guest.labels)
        for example in guest.examples:
            if example.source not in host.sources and len(host.examples) < EXAMPLES_KEPT:
                host.examples.append(example)
        host.sources |= guest.sources
        gone.add(small)
    return [c for i, c in enumerate(clusters) if i not in gone]


def _share_out_spellings(candidates: list[Candidate]) -> None:
    """A spelling of two candidates of one type stays with the one that uses it most,
    so that the written table loads (one name, one entity per type)."""
    owner: dict[tuple[str, str], tuple[int, Candidate]] = {}
    for candidate in candidates:
        for text, count in candidate.variants.items():
            key = (candidate.type, text.casefold())
            if key not in owner or count > owner[key][0]:
                owner[key] = (count, candidate)
    for candidate in candidates:
        for text in list(candidate.variants):
            if owner[(candidate.type, text.casefold())][1] is not candidate:
                del candidate.variants[text]
                del candidate.spread[text]


def _unique_id(candidate: Candidate, number: int, taken: set[str]) -> str:
    base = _SLUG.sub("-", fold(candidate.name)).strip("-") or \
        _SLUG.sub("-", candidate.key.removeprefix("unk-")).strip("-") or f"candidate-{number}"
    entity_id, suffix = base, 2
    while entity_id in taken:
        entity_id, suffix = f"{base}-{suffix}", suffix + 1
    taken.add(entity_id)
    return entity_id


def sentence_around(text: str, start: int, end: int, limit: int = EXAMPLE_LENGTH) -> str:
    """The sentence of ``text`` that holds ``text[start:end]``, on one line, cut to ``limit``.

    >>> sentence_around("First one. Then Al-Amiri spoke! Last.", 16, 24)
    'Then Al-Amiri spoke!'
    """
    line_start = text.rfind("\n", 0, start) + 1
    line_end = text.find("\n", end)
    line_end = len(text) if line_end < 0 else line_end
    left = line_start
    for found in _SENTENCE_END.finditer(text, line_start, start):
        left = found.end()
    found_end = _SENTENCE_END.search(text, end, line_end)
    right = found_end.end() if found_end is not None else line_end
    sentence = " ".join(text[left:right].split())
    if len(sentence) <= limit:
        return sentence
    offset = len(" ".join(text[left:start].split())) + (1 if text[left:start].endswith(" ") else 0)
    begin = max(0, min(offset - limit // 2, len(sentence) - limit))
    cut = sentence[begin:begin + limit]
    return ("…" if begin else "") + cut.strip() + ("…" if begin + limit < len(sentence) else "")


def _s(count: int) -> str:
    return "" if count == 1 else "s"


def _one_line(text: str) -> str:
    return " ".join(text.split())


def candidates_yaml(candidates: list[Candidate], *, documents: int, tool: str) -> str:
    """The candidates as an alias table, with counts and examples as comments."""
    lines = [
        f"# Candidate alias-table entries from {tool} over {documents} document{_s(documents)}:",
        "# names the alias table did not know, grouped as newsclean clustered them, those",
        "# found in most documents first. Review each entry before adding it to a table:",
        "# correct the name, id and type, drop spellings that belong to someone else, merge",
        "# entries that are one entity, and delete the rest. Then check the table with",
        "# `newsclean aliases check TABLE...`.",
    ]
    if not candidates:
        lines.append("entities: []")
        return "\n".join(lines) + "\n"
    lines.append("entities:")
    for rank, candidate in enumerate(candidates, start=1):
        spellings = ", ".join(f"{_one_line(text)} {count}"
                              for text, count in candidate.ranked_variants())
        lines.append("")
        lines.append(f"  # {rank}. {candidate.mentions} mention{_s(candidate.mentions)} in"
                     f" {candidate.documents} document{_s(candidate.documents)};"
                     f" spellings: {spellings}")
        for example in candidate.chosen_examples():
            where = f" ({_one_line(example.source)})" if example.source else ""
            lines.append(f"  #    “{_one_line(example.sentence)}”{where}")
        entry = {"id": candidate.id, "name": candidate.name, "type": candidate.type,
                 "aliases": candidate.aliases}
        dumped = yaml.safe_dump([entry], allow_unicode=True, sort_keys=False,
                                default_flow_style=None, width=1_000_000)
        lines.extend("  " + line for line in dumped.rstrip("\n").split("\n"))
    return "\n".join(lines) + "\n"
