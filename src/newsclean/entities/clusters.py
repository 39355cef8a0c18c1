"""Clusters of unknown names across the documents of one run.

Within a document, :mod:`~newsclean.entities.resolve` groups the names the table does not
know and gives each group the id ``unk-<key>``. A :class:`ClusterRegistry` carries these
groups from one document to the next of a :meth:`Pipeline.pipe` run, in input order, so
that the same unknown person gets the same id in every document:

* a spelling that differs from an earlier cluster's only in vowels ("Hadi al-Ameri"
  after "Hadi al-Amiri") takes that cluster's id;
* a lone surname or name ("Amiri") takes the id of the one earlier full name it ends
  with, if only one does; with two ("Hadi Amiri", "Ali Amiri") it keeps its own.

The registry remembers at most ``max_clusters`` clusters, dropping the least recently
seen: memory stays bounded over any stream, and a name not seen for that long starts
afresh.

>>> registry = ClusterRegistry()
>>> first = registry.assign([Entity("Hadi al-Amiri", 0, 13, "PERSON", "unk-hadi-amiri",
...                                 "Hadi al-Amiri", 1.0, "cluster")])
>>> later = registry.assign([Entity("Al-Ameri", 0, 8, "PERSON", "unk-ameri", "Al-Ameri",
...                                 1.0, "cluster")])
>>> later[0].id, later[0].canonical
('unk-hadi-amiri', 'Hadi al-Amiri')
"""

from __future__ import annotations

from collections import OrderedDict
from dataclasses import replace
from typing import Optional, Sequence

from ..result import Entity
from .names import skeleton

PREFIX = "unk-"
#: Clusters a registry remembers by default.
MAX_CLUSTERS = 100_000


class ClusterRegistry:
    """The unknown-name clusters seen so far in a run (bounded, least recently seen go)."""

    def __init__(self, max_clusters: int = MAX_CLUSTERS) -> None:
        self.max_clusters = max_clusters
        #: cluster id -> (its words, its canonical name)
        self._clusters: OrderedDict[str, tuple[tuple[str, ...], str]] = OrderedDict()
        #: the skeletons of a cluster's words -> its id (vowel variants meet here)
        self._shapes: dict[tuple[str, ...], str] = {}
        #: the skeleton of a longer cluster's last word -> the ids of such clusters
        self._surnames: dict[str, set[str]] = {}

    def __len__(self) -> int:
        return len(self._clusters)

    def assign(self, entities: Sequence[Entity]) -> list[Entity]:
        """The document's entities, with cluster ids and canonicals made run-wide."""
        renamed: dict[str, tuple[str, str]] = {}
        for entity in entities:
            if entity.method == "cluster" and entity.id and entity.id not in renamed:
                renamed[entity.id] = self._place(entity.id, entity.canonical or entity.text)
        return [replace(e, id=renamed[e.id][0], canonical=renamed[e.id][1])
                if e.method == "cluster" and e.id in renamed else e for e in entities]

    def _place(self, cluster_id: str, canonical: str) -> tuple[str, str]:
        words = tuple(cluster_id[len(PREFIX):].split("-"))
        shape = tuple(skeleton(w) for w in words)
        known = self._clusters.get(cluster_id)
        target = cluster_id if known else self._shapes.get(shape) or self._surname_of(words)
        if target is None:
            self._remember(cluster_id, words, shape, canonical)
            return cluster_id, canonical
        self._clusters.move_to_end(target)
        return target, self._clusters[target][1]

    def _surname_of(self, words: tuple[str, ...]) -> Optional[str]:
        """The one earlier longer cluster whose last words are these, if only one."""
        if len(words) > 1:
            return None
        found = self._surnames.get(skeleton(words[0]), set())
        return next(iter(found)) if len(found) == 1 else None

    def _remember(self, cluster_id: str, words: tuple[str, ...], shape: tuple[str, ...],
                  canonical: str) -> None:
        self._clusters[cluster_id] = (words, canonical)
        self._shapes.setdefault(shape, cluster_id)
        if len(words) > 1:
            self._surnames.setdefault(shape[-1], set()).add(cluster_id)
        while len(self._clusters) > self.max_clusters:
            old_id, (old_words, _) = self._clusters.popitem(last=False)
            old_shape = tuple(skeleton(w) for w in old_words)
            if self._shapes.get(old_shape) == old_id:
                del self._shapes[old_shape]
            if len(old_words) > 1:
                holders = self._surnames[old_shape[-1]]
                holders.discard(old_id)
                if not holders:
                    del self._surnames[old_shape[-1]]
