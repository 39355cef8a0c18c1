"""A cleaned document as a reader sees it: every input line in order, kept or removed.

A :class:`~newsclean.result.Result` holds the cleaned text (entity offsets point into
it) and the removed lines (offsets into the input). :func:`document_lines` puts the two
back together, line by line, for the ``--explain`` view and the HTML report.

>>> from newsclean.result import Entity, Removal, Result
>>> text = "Joe Biden spoke.\\n\\nShare this:\\nThe end."
>>> result = Result("Joe Biden spoke.\\n\\nThe end.", (Removal(18, 29, "Share this:", "share/x"),),
...                 (Entity("Joe Biden", 0, 9, "PERSON", "joe-biden", "Joe Biden", 1.0, "exact"),))
>>> [(line.text, line.rule, line.gap) for line in document_lines(text, result)]
[('Joe Biden spoke.', None, False), ('Share this:', 'share/x', True), ('The end.', None, False)]
>>> document_lines(text, result)[0].entities[0].canonical
'Joe Biden'
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass, field
from typing import Iterable, Iterator, Optional, Union

from .normalize import normalize
from .result import Document, Entity, Removal, Result


@dataclass(frozen=True)
class ViewLine:
    """One line of a document as shown: kept (``rule`` None) or removed (``rule`` says why).

    ``gap`` is True when blank lines stood before it in the input. ``entities`` are the
    mentions on a kept line, with ``start``/``end`` relative to the line (an entity that
    runs over a line break is cut at it); a removed line has none.
    """

    text: str
    rule: Optional[str] = None
    gap: bool = False
    entities: tuple[Entity, ...] = ()

    @property
    def removed(self) -> bool:
        return self.rule is not None


def document_lines(source: Optional[str], result: Result) -> list[ViewLine]:
    """The lines of ``result``'s document in input order, kept and removed.

    ``source`` is the text that was cleaned (the input of the pipeline). When it is None,
    or when it does not fit the result (another text was cleaned), the kept lines come
    from the cleaned text and the removed lines follow them at the end.
    """
    if source is not None:
        placed = _place(source, result)
        if placed is not None:
            return placed
    return _unplaced(result)


def _place(source: str, result: Result) -> Optional[list[ViewLine]]:
    removed = {(r.start, r.end): r for r in result.removed}
    cleaned = result.text
    cursor = 0
    lines: list[ViewLine] = []
    gap = False
    used = 0
    for line in normalize(source).lines:
        if not line.text:
            gap = bool(lines)
            continue
        removal = removed.get((line.start, line.end))
        if removal is not None:
            lines.append(ViewLine(removal.text, removal.rule, gap))
            used += 1
        else:
            while cleaned.startswith("\n", cursor):
                cursor += 1
            if not cleaned.startswith(line.text, cursor):
                return None
            end = cursor + len(line.text)
            lines.append(ViewLine(line.text, None, gap,
                                  _entities_in(result.entities, cursor, end)))
            cursor = end
        gap = False
    if used != len(removed) or cleaned[cursor:].strip():
        return None
    return lines


def _unplaced(result: Result) -> list[ViewLine]:
    lines: list[ViewLine] = []
    cursor = 0
    gap = False
    for text in result.text.split("\n"):
        end = cursor + len(text)
        if text:
            lines.append(ViewLine(text, None, gap, _entities_in(result.entities, cursor, end)))
            gap = False
        else:
            gap = bool(lines)
        cursor = end + 1
    lines.extend(ViewLine(r.text, r.rule, gap=not i) for i, r in enumerate(result.removed))
    return lines


def _entities_in(entities: Iterable[Entity], start: int, end: int) -> tuple[Entity, ...]:
    """The entities over ``start:end`` of the cleaned text, with offsets into that slice."""
    found = []
    for entity in entities:
        if entity.end <= start or entity.start >= end:
            continue
        left, right = max(entity.start, start), min(entity.end, end)
        found.append(Entity(entity.text[left - entity.start:right - entity.start],
                            left - start, right - start, entity.label, entity.id,
                            entity.canonical, entity.score, entity.method))
    return tuple(found)


def spans(line: ViewLine) -> Iterator[tuple[str, Optional[Entity]]]:
    """The pieces of a line's text: ``(text, entity)``, with entity None between mentions.

    >>> line = ViewLine("Joe Biden spoke.", entities=(Entity("Biden", 4, 9, "PERSON"),))
    >>> [text for text, _ in spans(line)]
    ['Joe ', 'Biden', ' spoke.']
    """
    cursor = 0
    for entity in sorted(line.entities, key=lambda e: e.start):
        if entity.start < cursor:
            continue  # overlapping spans never come from the pipeline; show the first
        if entity.start > cursor:
            yield line.text[cursor:entity.start], None
        yield line.text[entity.start:entity.end], entity
        cursor = entity.end
    if cursor < len(line.text):
        yield line.text[cursor:], None


def removal_counts(removed: Iterable[Union[Removal, ViewLine]]) -> dict[str, int]:
    """How many lines each rule removed, most first.

    >>> removal_counts([ViewLine("a", "x/y"), ViewLine("b", "x/y"), ViewLine("c", "z")])
    {'x/y': 2, 'z': 1}
    """
    counts: dict[str, int] = {}
    for item in removed:
        if item.rule is not None:
            counts[item.rule] = counts.get(item.rule, 0) + 1
    return dict(sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])))


@dataclass
class EntitySummary:
    """One entity across documents: how often each spelling and method occurred."""

    id: Optional[str]
    canonical: str
    label: str
    mentions: int = 0
    documents: int = 0
    variants: dict[str, int] = field(default_factory=dict)
    methods: dict[str, int] = field(default_factory=dict)


def summarize_entities(results: Iterable[Result]) -> list[EntitySummary]:
    """The entities of ``results`` by id (unresolved mentions by text), most mentioned first.

    >>> result = Result("Al-Kazemi met Kadhimi.", entities=(
    ...     Entity("Al-Kazemi", 0, 9, "PERSON", "m-k", "Mustafa Al-Kadhimi", 1.0, "exact"),
    ...     Entity("Kadhimi", 14, 21, "PERSON", "m-k", "Mustafa Al-Kadhimi", 1.0, "exact")))
    >>> [(s.canonical, s.variants) for s in summarize_entities([result])]
    [('Mustafa Al-Kadhimi', {'Al-Kazemi': 1, 'Kadhimi': 1})]
    """
    found: dict[str, EntitySummary] = {}
    for result in results:
        seen: set[str] = set()
        for entity in result.entities:
            key = entity.id if entity.id is not None else "\0" + entity.text
            summary = found.get(key)
            if summary is None:
                summary = found[key] = EntitySummary(entity.id, entity.canonical or entity.text,
                                                     entity.label)
            summary.mentions += 1
            summary.variants[entity.text] = summary.variants.get(entity.text, 0) + 1
            method = entity.method or "none"
            summary.methods[method] = summary.methods.get(method, 0) + 1
            if key not in seen:
                seen.add(key)
                summary.documents += 1
    for summary in found.values():
        summary.variants = dict(sorted(summary.variants.items(), key=lambda kv: (-kv[1], kv[0])))
        summary.methods = dict(sorted(summary.methods.items(), key=lambda kv: (-kv[1], kv[0])))
    return sorted(found.values(), key=lambda s: (-s.mentions, s.canonical))


class SourceTexts:
    """Wraps the documents given to :meth:`Pipeline.pipe <newsclean.Pipeline.pipe>` and
    remembers their texts, to be taken back in order as the outcomes come out (one
    outcome per document, in input order).

    >>> from newsclean.result import Document
    >>> texts = SourceTexts([Document("a"), Document("b")])
    >>> [document.text for document in texts], texts.pop(), texts.pop()
    (['a', 'b'], 'a', 'b')
    """

    def __init__(self, documents: Iterable[Document]) -> None:
        self._documents = documents
        self._texts: deque[str] = deque()

    def __iter__(self) -> Iterator[Document]:
        for document in self._documents:
            self._texts.append(document.text)
            yield document

    def pop(self) -> Optional[str]:
        """The text of the oldest document whose outcome has not been taken yet."""
        return self._texts.popleft() if self._texts else None
