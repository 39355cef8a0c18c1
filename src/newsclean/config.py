"""Every option of the pipeline in one frozen object; each default is written here once."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Optional

#: spaCy labels that name things; dates, numbers and amounts are not resolved.
NAME_LABELS = (
    "PERSON", "ORG", "GPE", "NORP", "LOC", "FAC", "EVENT", "PRODUCT", "WORK_OF_ART", "LAW",
)


#: What an input can be: see :attr:`CleanConfig.mode`.
MODES = ("auto", "page", "extracted")


@dataclass(frozen=True)
class CleanConfig:
    """Options of :func:`newsclean.clean` and :class:`newsclean.Pipeline`.

    >>> CleanConfig(drop_duplicates=False).drop_duplicates
    False
    """

    #: What the input is: "page" (all the visible text of a web page: every line is judged
    #: by the line model), "extracted" (an extractor's output or an article: only rules,
    #: repeats and near-certain judgements remove lines), or "auto" (decided per document:
    #: a page when many of its lines look like menus, links and footers).
    mode: str = "auto"
    #: Remove the second and later copies of a repeated line (photo captions printed twice).
    drop_duplicates: bool = True
    #: rapidfuzz ``ratio`` (0-100) at or above which two lines count as the same line.
    duplicate_similarity: float = 95.0
    #: Lines with fewer words are never removed as duplicates (short headings, "Q:" lines).
    duplicate_min_words: int = 4
    #: A repeat goes only if its first copy is at most this many lines before it: captions
    #: printed twice stand together, lines an article repeats on purpose stand apart.
    duplicate_window: int = 3
    #: Corpus mode: in one ``Pipeline.pipe`` call, a line found in at least this many
    #: documents of one site (from a record's ``url``, ``site`` or ``domain``) is that
    #: site's boilerplate. 0 turns it off.
    corpus_min_documents: int = 5
    #: Documents read ahead in corpus mode, so early ones are judged with later ones' counts.
    corpus_window: int = 256
    #: Detect and resolve entity mentions; off, only the text is cleaned and no model is loaded.
    entities: bool = True
    #: Find names with spaCy's NER as well as from the alias table. Off, only the table's
    #: names are found, by an automaton over the text: no model is loaded, and it is many
    #: times as fast.
    ner: bool = True
    #: NER labels kept as mentions.
    labels: tuple[str, ...] = NAME_LABELS
    #: Lowest score (0-1, a calibrated probability) at which a fuzzy or partial match to the
    #: alias table is accepted; None: the threshold the bundled name model was tuned with.
    min_score: Optional[float] = None
    #: Resolve a short form ("Biden") through a full mention ("Joe Biden") of the same document.
    short_forms: bool = True
    #: Group mentions the table does not know into clusters with ids of their own.
    clusters: bool = True

    def __post_init__(self) -> None:
        if self.mode not in MODES:
            raise ValueError(f"mode must be one of {', '.join(MODES)}, not {self.mode!r}")
        if self.min_score is not None and not 0.0 <= self.min_score <= 1.0:
            raise ValueError(f"min_score must be between 0 and 1, not {self.min_score!r}")
