"""What newsclean returns: frozen dataclasses that turn into the JSON record of DESIGN.md."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Optional


@dataclass(frozen=True)
class Removal:
    """A removed line: ``start``/``end`` are offsets into the original input, ``text`` its text."""

    start: int
    end: int
    text: str
    rule: str

    def to_dict(self) -> dict[str, Any]:
        return {"start": self.start, "end": self.end, "text": self.text, "rule": self.rule}


@dataclass(frozen=True)
class Match:
    """An alias-table entity a name resolved to, with the step that matched it.

    ``method`` is one of ``exact``, ``key``, ``fuzzy``, ``partial``, ``short-form`` or
    ``cluster``; ``type`` is the table entity's type, when it comes from the table.
    """

    id: str
    canonical: str
    score: float
    method: str
    type: Optional[str] = None


@dataclass(frozen=True)
class Entity:
    """An entity mention; ``start``/``end`` are offsets into the cleaned text."""

    text: str
    start: int
    end: int
    label: str
    id: Optional[str] = None
    canonical: Optional[str] = None
    score: Optional[float] = None
    method: Optional[str] = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "text": self.text,
            "start": self.start,
            "end": self.end,
            "label": self.label,
            "id": self.id,
            "canonical": self.canonical,
            "score": None if self.score is None else round(self.score, 4),
            "method": self.method,
        }


@dataclass(frozen=True)
class Result:
    """One cleaned document.

    ``fields`` holds the other fields of a JSONL input record; :meth:`to_dict` keeps them.
    """

    text: str
    removed: tuple[Removal, ...] = ()
    entities: tuple[Entity, ...] = ()
    source: Optional[str] = None
    fields: dict[str, Any] = field(default_factory=dict, compare=False, repr=False)

    def to_dict(self) -> dict[str, Any]:
        """The JSON record: the input record's fields, then source, text, removed, entities.

        >>> Result("Hello.").to_dict()
        {'text': 'Hello.', 'removed': [], 'entities': []}
        """
        record: dict[str, Any] = dict(self.fields)
        if self.source is not None:
            record["source"] = self.source
        record["text"] = self.text
        record["removed"] = [r.to_dict() for r in self.removed]
        record["entities"] = [e.to_dict() for e in self.entities]
        return record


@dataclass(frozen=True)
class Failure:
    """A document that could not be processed, in place of its :class:`Result`.

    :meth:`Pipeline.pipe <newsclean.Pipeline.pipe>` yields these with ``errors="keep"``.
    """

    error: str
    source: Optional[str] = None
    fields: dict[str, Any] = field(default_factory=dict, compare=False, repr=False)

    def to_dict(self) -> dict[str, Any]:
        """The input record's own fields, then ``source`` and ``error``."""
        record: dict[str, Any] = dict(self.fields)
        if self.source is not None:
            record["source"] = self.source
        record["error"] = self.error
        return record


@dataclass(frozen=True)
class Document:
    """An input document: its text, where it came from, the other fields of its record.

    A ``Document`` with an ``error`` stands for an input that could not be read; the
    pipeline passes it through as a :class:`Failure`. ``mode`` says what the text is
    when the reader knows ("extracted" for the text of an HTML page), for a pipeline
    whose mode is "auto".
    """

    text: str
    source: Optional[str] = None
    fields: dict[str, Any] = field(default_factory=dict, compare=False, repr=False)
    error: Optional[str] = None
    mode: Optional[str] = None
