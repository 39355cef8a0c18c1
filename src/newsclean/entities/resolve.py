"""Resolve the mentions of one document: the table first, then the document itself.

1. Each mention is looked up in the alias table (:meth:`AliasTable.lookup`).
2. A mention the table does not resolve, and that is a short form of a full mention
   of the same document (its surname, given name or acronym), takes that mention's
   entity, if only one entity fits ("Biden" after "Joe Biden"; not after both Joe and
   Jill Biden).
3. Mentions still unresolved are grouped into clusters by spelling key, short forms
   joining the full name they shorten. A cluster's id is ``unk-`` and its key, so the
   same unknown name gets the same id in every document.
"""

from __future__ import annotations

from typing import Callable, Optional

import regex

from ..config import CleanConfig
from ..result import Entity, Match
from .aliases import COMPATIBLE_LABELS, AliasTable
from .mentions import Mention, select
from .names import initials, name_tokens, spelling

#: Short forms score this fraction of the full mention they go back to.
SHORT_FORM_FACTOR = 0.95
_SLUG = regex.compile(r"[^a-z0-9]+")

Lookup = Callable[[str, Optional[str]], Optional[Match]]


def resolve_mentions(
    mentions: list[Mention], lookup: Lookup, config: CleanConfig
) -> list[Entity]:
    """Turn candidate mentions into resolved, non-overlapping entities in text order."""
    for mention in mentions:
        mention.match = lookup(mention.text, mention.label)
    chosen = select(mentions)
    joins = _resolve_short_forms(chosen) if config.short_forms else {}
    if config.clusters:
        _cluster(chosen, joins)
    return [
        Entity(m.text, m.start, m.end, m.label, *(
            (m.match.id, m.match.canonical, m.match.score, m.match.method)
            if m.match is not None else (None, None, None, None)))
        for m in chosen
    ]


def _spelled(text: str) -> tuple[str, ...]:
    return tuple(spelling(t) for t in name_tokens(text))


def _compatible(a: str, b: str) -> bool:
    return a == b or b in COMPATIBLE_LABELS.get(a, frozenset())


def _shortens(short: Mention, full: Mention) -> bool:
    """Whether ``short`` is a surname, given name, part or acronym of ``full``."""
    if not _compatible(short.label, full.label) and not _compatible(full.label, short.label):
        return False
    short_tokens, full_tokens = _spelled(short.text), _spelled(full.text)
    if short.text.isupper() and 2 <= len(short.text) <= 6 and len(full_tokens) >= 2:
        return initials(name_tokens(full.text)) == short.text.casefold()
    if not short_tokens or len(short_tokens) >= len(full_tokens):
        return False
    if short.label == "PERSON" or full.label == "PERSON":
        # "Biden" for "Joe Biden", "Mustafa" for "Mustafa al-Kadhimi"
        return short_tokens in (full_tokens[-len(short_tokens):], full_tokens[:len(short_tokens)])
    # organisations and places: the words of the short form, in order, inside the full one
    n = len(short_tokens)
    return any(full_tokens[i:i + n] == short_tokens for i in range(len(full_tokens) - n + 1))


def _resolve_short_forms(mentions: list[Mention]) -> dict[int, str]:
    """Resolve short forms through the full mentions they shorten, when only one fits.

    Returns, for short forms of a full mention the table does not know either, the
    spelling key of that mention's cluster, by the short form's position in ``mentions``.
    """
    joins: dict[int, str] = {}
    for index, mention in enumerate(mentions):
        if mention.match is not None:
            continue
        targets: dict[str, Mention] = {}
        for full in mentions:
            if full is not mention and _shortens(mention, full):
                key = full.match.id if full.match is not None else "?" + _key(full)
                targets.setdefault(key, full)
        if len(targets) != 1:
            continue  # no full form, or several people share this surname here
        key, full = next(iter(targets.items()))
        if full.match is None:
            joins[index] = key[1:]
            continue
        mention.match = Match(full.match.id, full.match.canonical,
                              round(full.match.score * SHORT_FORM_FACTOR, 4), "short-form")
        if full.label == "PERSON":
            mention.label = full.label
    return joins


def _key(mention: Mention) -> str:
    return " ".join(_spelled(mention.text))


def _cluster(mentions: list[Mention], joins: dict[int, str]) -> None:
    """Give every unresolved mention the id of its cluster: ``unk-`` and the cluster's key.

    A mention's cluster is its spelling key, or for a short form that ``joins`` names,
    the key of the full mention it shortens.
    """
    clusters: dict[str, list[Mention]] = {}
    for index, mention in enumerate(mentions):
        if mention.match is None:
            key = joins.get(index) or _key(mention)
            if key:
                clusters.setdefault(key, []).append(mention)
    for key, members in clusters.items():
        canonical = max(members, key=lambda m: (len(m.text), -m.start)).text
        cluster_id = "unk-" + _SLUG.sub("-", key).strip("-")
        for member in members:
            score = 1.0 if _key(member) == key else SHORT_FORM_FACTOR
            member.match = Match(cluster_id, canonical, score, "cluster")
