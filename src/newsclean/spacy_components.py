"""spaCy components: ``nlp.add_pipe("newsclean_entities")`` in a user's own pipeline.

The component runs after ``ner``: it adds alias-table matches that NER missed, resolves
every name entity, and writes ``doc.ents`` with the attributes ``span._.newsclean_id``,
``span._.newsclean_canonical``, ``span._.newsclean_score`` and ``span._.newsclean_method``.
It is registered through the ``spacy_factories`` entry point, so installing newsclean is
enough for ``spacy.load`` to find it in a saved pipeline.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Iterable, List, Optional, Union

from spacy.language import Language
from spacy.tokens import Doc, Span
from spacy.util import filter_spans

from .config import NAME_LABELS, CleanConfig
from .entities.aliases import AliasTable
from .entities.mentions import AliasMatcher, doc_mentions
from .entities.resolve import cached_lookup, resolve_mentions

ATTRIBUTES = ("newsclean_id", "newsclean_canonical", "newsclean_score", "newsclean_method")
_TABLE_FILE = "aliases.yaml"


@Language.factory(
    "newsclean_entities",
    default_config={"aliases": None, "labels": list(NAME_LABELS), "min_score": None},
    assigns=["doc.ents", *(f"span._.{name}" for name in ATTRIBUTES)],
)
def make_entities_component(
    nlp: Language,
    name: str,
    aliases: Optional[List[str]],
    labels: List[str],
    min_score: Optional[float],
) -> EntitiesComponent:
    """Build the component; ``aliases`` are table paths (None: the bundled table)."""
    for attribute in ATTRIBUTES:
        if not Span.has_extension(attribute):
            Span.set_extension(attribute, default=None)
    table = AliasTable.load(*aliases) if aliases else AliasTable.bundled()
    config = CleanConfig(labels=tuple(labels), min_score=min_score)
    return EntitiesComponent(nlp, name, table, config)


class EntitiesComponent:
    """Resolves the name entities of a ``Doc`` to the alias table, in place."""

    def __init__(self, nlp: Language, name: str, table: AliasTable, config: CleanConfig) -> None:
        self.name = name
        self.nlp = nlp
        self.config = config
        self._set_table(table)

    def _set_table(self, table: AliasTable) -> None:
        self.table = table
        self.matcher = AliasMatcher(self.nlp.vocab, table, self.nlp.make_doc)
        self._lookup = cached_lookup(table, self.config.min_score)

    def __call__(self, doc: Doc) -> Doc:
        mentions = doc_mentions(doc, self.config.labels, self.matcher, self.config.short_forms)
        entities = resolve_mentions(mentions, self._lookup, self.config)
        spans = []
        for entity in entities:
            span = doc.char_span(entity.start, entity.end, label=entity.label)
            if span is not None:
                spans.append((span, entity))
        named = {id(span): entity for span, entity in spans}
        others = [ent for ent in doc.ents if ent.label_ not in self.config.labels]
        kept = filter_spans([span for span, _ in spans] + others)
        doc.ents = sorted(kept, key=lambda span: span.start)
        for span in kept:
            resolved = named.get(id(span))
            if resolved is not None:
                span._.newsclean_id = resolved.id
                span._.newsclean_canonical = resolved.canonical
                span._.newsclean_score = resolved.score
                span._.newsclean_method = resolved.method
        return doc

    def pipe(self, docs: Iterable[Doc], batch_size: int = 128) -> Iterable[Doc]:
        for doc in docs:
            yield self(doc)

    def to_disk(self, path: Union[str, Path], *, exclude: Iterable[str] = ()) -> None:
        """Save the alias table beside the pipeline, as ``aliases.yaml``."""
        folder = Path(path)
        folder.mkdir(parents=True, exist_ok=True)
        (folder / _TABLE_FILE).write_text(self.table.to_yaml(), encoding="utf-8")

    def from_disk(self, path: Union[str, Path], *, exclude: Iterable[str] = ()) -> Any:
        """Load the alias table saved by :meth:`to_disk`."""
        file = Path(path) / _TABLE_FILE
        if file.is_file():
            self._set_table(AliasTable.load(file))
        return self


__all__ = ["EntitiesComponent", "make_entities_component"]
