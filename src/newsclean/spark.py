"""newsclean in Spark: clean a DataFrame's text column, one pipeline per Python worker.

Needs the ``spark`` extra (``pip install 'newsclean[spark]'``) on the driver and on every
worker. :func:`clean_dataframe` runs :meth:`Pipeline.pipe <newsclean.Pipeline.pipe>`
through ``mapInArrow``: what travels to the workers is a recipe (alias and rule table
paths, the model's name, the config), never a spaCy pipeline. Each Python worker process
builds the pipeline from the recipe on its first task and keeps it for the tasks after
(with ``spark.python.worker.reuse``, Spark's default), so the model is loaded once per
worker process, not once per task or per row.

Set the environment variable ``NEWSCLEAN_SPARK_LOADS`` on the workers to a folder, and
each worker process that builds a pipeline appends a line to ``loads-<pid>.txt`` there:
a way to see how often the model is loaded.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Any, Iterator, Optional, Sequence, Union

import pyarrow as pa
from pyspark.sql import DataFrame
from pyspark.sql.types import (
    ArrayType,
    DoubleType,
    LongType,
    StringType,
    StructField,
    StructType,
)

from .config import CleanConfig
from .errors import ConfigError
from .pipeline import Pipeline
from .result import Document, Failure, Result

PathLike = Union[str, Path]

#: Environment variable: a folder where worker processes record each pipeline they build.
LOADS_ENV = "NEWSCLEAN_SPARK_LOADS"
#: Pipelines a worker process keeps (one per distinct recipe; the oldest goes first).
MAX_PIPELINES = 2

_REMOVED = StructType([
    StructField("start", LongType()),
    StructField("end", LongType()),
    StructField("text", StringType()),
    StructField("rule", StringType()),
])
_ENTITY = StructType([
    StructField("text", StringType()),
    StructField("start", LongType()),
    StructField("end", LongType()),
    StructField("label", StringType()),
    StructField("id", StringType()),
    StructField("canonical", StringType()),
    StructField("score", DoubleType()),
    StructField("method", StringType()),
])
#: The column :func:`clean_dataframe` adds: the record of DESIGN.md, and ``error``.
OUTPUT_TYPE = StructType([
    StructField("text", StringType()),
    StructField("removed", ArrayType(_REMOVED)),
    StructField("entities", ArrayType(_ENTITY)),
    StructField("error", StringType()),
])


@dataclass(frozen=True)
class _Recipe:
    """What a worker needs to build the pipeline: plain, picklable values."""

    aliases: Optional[tuple[str, ...]]
    model: Optional[str]
    config: CleanConfig
    rules: tuple[str, ...]

    def build(self) -> Pipeline:
        return Pipeline(aliases=list(self.aliases) if self.aliases else None, model=self.model,
                        config=self.config, rules=self.rules)


def clean_dataframe(
    df: DataFrame,
    text_column: str = "text",
    *,
    aliases: Optional[Sequence[PathLike]] = None,
    model: Optional[str] = None,
    config: Optional[CleanConfig] = None,
    rules: Sequence[PathLike] = (),
    output: str = "newsclean",
    batch_size: int = 64,
) -> DataFrame:
    """``df`` with a struct column ``output``: the cleaned ``text``, ``removed``,
    ``entities`` and ``error`` (null unless the row could not be cleaned).

    Every row is cleaned as :meth:`Pipeline.pipe <newsclean.Pipeline.pipe>` cleans its
    text (a null text gives an ``error``). ``aliases`` and ``rules`` are table paths that
    every worker can read; ``model`` is a spaCy package installed on every worker (None:
    the default). The tables are loaded here first, so a bad one fails at once. Corpus
    mode does not apply: rows carry no site, and a partition sees only part of one.
    """
    if text_column not in df.columns:
        raise ConfigError(f"the DataFrame has no column {text_column!r}"
                          f" (it has {', '.join(df.columns) or 'none'})")
    if output in df.columns:
        raise ConfigError(f"the DataFrame already has a column {output!r}; choose another"
                          " output name")
    if batch_size < 1:
        raise ValueError("batch_size must be at least 1")
    recipe = _Recipe(tuple(str(p) for p in aliases) if aliases else None, model,
                     config if config is not None else CleanConfig(),
                     tuple(str(p) for p in rules))
    recipe.build()  # tables checked on the driver: a bad table fails here, not in a task
    schema = StructType([*df.schema.fields, StructField(output, OUTPUT_TYPE)])
    clean_batches = partial(_clean_batches, recipe=recipe, text_column=text_column,
                            names=list(df.columns), output=output, batch_size=batch_size)
    return df.mapInArrow(clean_batches, schema)


def _clean_batches(batches: Iterator[pa.RecordBatch], *, recipe: _Recipe, text_column: str,
                   names: list[str], output: str, batch_size: int
                   ) -> Iterator[pa.RecordBatch]:
    """Runs in a Python worker: each Arrow batch with the output column added."""
    pipeline = worker_pipeline(recipe)
    output_type = None
    for batch in batches:
        texts = batch.column(text_column).to_pylist()
        documents = (Document(text) if isinstance(text, str) else
                     Document("", error="the text is null" if text is None else
                              f"the text is {type(text).__name__}, not a string")
                     for text in texts)
        records = [_record(outcome) for outcome in
                   pipeline.pipe(documents, batch_size=batch_size, errors="keep")]
        if output_type is None:
            output_type = _arrow_type(batch, text_column)
        column = pa.array(records, type=output_type)
        yield pa.RecordBatch.from_arrays([*batch.columns, column], names=[*names, output])


def _arrow_type(batch: pa.RecordBatch, text_column: str) -> pa.DataType:
    """The output column's Arrow type, with strings as wide as Spark gives the input's."""
    string = batch.schema.field(text_column).type
    if not (pa.types.is_string(string) or pa.types.is_large_string(string)):
        string = pa.string()

    def arrow(spark_type: Any) -> pa.DataType:
        if isinstance(spark_type, StructType):
            return pa.struct([pa.field(f.name, arrow(f.dataType)) for f in spark_type.fields])
        if isinstance(spark_type, ArrayType):
            return pa.list_(arrow(spark_type.elementType))
        if isinstance(spark_type, LongType):
            return pa.int64()
        if isinstance(spark_type, DoubleType):
            return pa.float64()
        return string

    return arrow(OUTPUT_TYPE)


def _record(outcome: Union[Result, Failure]) -> dict[str, Any]:
    if isinstance(outcome, Failure):
        return {"text": None, "removed": None, "entities": None, "error": outcome.error}
    record = outcome.to_dict()
    return {"text": record["text"], "removed": record["removed"],
            "entities": record["entities"], "error": None}


# The pipelines of this worker process, by recipe. Spark keeps Python worker processes
# for later tasks, and with them this module and its pipelines.
_pipelines: dict[_Recipe, Pipeline] = {}


def worker_pipeline(recipe: _Recipe) -> Pipeline:
    """The pipeline for ``recipe`` in this process: built and loaded on first use."""
    pipeline = _pipelines.get(recipe)
    if pipeline is None:
        pipeline = recipe.build()
        pipeline.prepare_for_workers()  # load the model now, once
        while len(_pipelines) >= MAX_PIPELINES:
            del _pipelines[next(iter(_pipelines))]
        _pipelines[recipe] = pipeline
        folder = os.environ.get(LOADS_ENV)
        if folder:
            with open(Path(folder) / f"loads-{os.getpid()}.txt", "a", encoding="utf-8") as log:
                log.write(f"{os.getpid()}\n")
    return pipeline


__all__ = ["OUTPUT_TYPE", "clean_dataframe"]
