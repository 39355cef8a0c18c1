"""newsclean.spark on a real local Spark session (local[2], bound to 127.0.0.1)."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

import newsclean

pyspark = pytest.importorskip("pyspark", reason="the spark extra: pip install 'newsclean[spark]'")

from pyspark.sql import SparkSession  # noqa: E402

from newsclean.spark import LOADS_ENV, clean_dataframe  # noqa: E402

pytestmark = pytest.mark.model

TEXTS = [
    "Prime Minister Mustafa Al-Kazemi met Joe Biden in the Oval Office.\n\n"
    "Biden said the talks went well.\n\nPlease enter your comment!",
    "Share this article\n\nThe Taleban took Kabul. NATO troops left Afghanistan.",
    None,
    "Hadi al-Amiri spoke in Baghdad. Al-Ameri leads the Badr Organization.",
    "",
    "Jill Biden visited Paris on Tuesday.\n\nRead also: other news",
]


@pytest.fixture(scope="module")
def spark(tmp_path_factory):
    loads = tmp_path_factory.mktemp("loads")
    os.environ["SPARK_LOCAL_IP"] = "127.0.0.1"
    os.environ["PYSPARK_PYTHON"] = sys.executable
    os.environ[LOADS_ENV] = str(loads)
    session = (SparkSession.builder.master("local[2]")
               .appName("newsclean-tests")
               .config("spark.driver.host", "127.0.0.1")
               .config("spark.driver.bindAddress", "127.0.0.1")
               .config("spark.ui.enabled", "false")
               .config("spark.python.worker.reuse", "true")
               .config(f"spark.executorEnv.{LOADS_ENV}", str(loads))
               .config("spark.sql.shuffle.partitions", "2")
               .getOrCreate())
    session.loads = loads
    yield session
    session.stop()
    os.environ.pop(LOADS_ENV, None)


def _frame(spark, partitions: int = 3):
    rows = [(i, text) for i, text in enumerate(TEXTS)]
    return spark.createDataFrame(rows, "id long, body string").repartition(partitions, "id")


def test_spark_gives_what_pipeline_pipe_gives(spark, pipeline):
    rows = clean_dataframe(_frame(spark), "body").collect()
    assert sorted(row.id for row in rows) == list(range(len(TEXTS)))
    by_id = {row.id: row for row in rows}
    expected = list(pipeline.pipe([newsclean.Document("" if t is None else t) for t in TEXTS]))
    for i, text in enumerate(TEXTS):
        row = by_id[i]
        assert row.body == text  # the input columns stay as they were
        got = row.newsclean.asDict(recursive=True)
        if text is None:
            assert got == {"text": None, "removed": None, "entities": None,
                           "error": "the text is null"}
            continue
        record = expected[i].to_dict()
        assert got["error"] is None
        assert got["text"] == record["text"]
        assert got["removed"] == record["removed"]
        assert got["entities"] == record["entities"]
    assert any(row.newsclean.entities for row in rows)  # the comparison saw entities


def test_model_loaded_once_per_worker_process(spark):
    for old in Path(spark.loads).glob("loads-*.txt"):
        old.unlink()
    frame = _frame(spark, partitions=6)
    config = newsclean.CleanConfig(min_score=0.9)  # a recipe no worker has built yet
    clean_dataframe(frame, "body", config=config, output="first").count()
    clean_dataframe(frame, "body", config=config, output="second").collect()
    logs = {path.name: path.read_text().split() for path in Path(spark.loads).glob("loads-*.txt")}
    assert logs, "no worker recorded a load"
    for name, lines in logs.items():
        assert len(lines) == 1, f"{name}: the model was loaded {len(lines)} times"
    # 12 tasks ran on local[2]: each reused worker process loaded the model once
    assert len(logs) <= 2


def test_a_missing_column_is_a_config_error(spark):
    with pytest.raises(newsclean.ConfigError, match="no column 'text'"):
        clean_dataframe(_frame(spark), "text")
