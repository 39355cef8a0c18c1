"""Pipeline.pipe on long streams: lazy reading, worker processes, memory zones, pickling."""

from __future__ import annotations

import itertools
import json
import pickle

import pytest

import newsclean
from newsclean import CleanConfig, Document, Failure, InputError, Pipeline
from newsclean.parallel import read_ahead, worker_count


def _stream(read: list[int], site: bool = False):
    """An endless stream of records; ``read`` counts how many were taken."""
    for n in itertools.count():
        read.append(n)
        record = {"n": n, "text": f"Story {n} begins here.\n\nShare this article\n\nIt ends."}
        if site:
            record["url"] = f"https://example.org/{n % 7}.html"
        yield record


@pytest.mark.parametrize("n_process", [1, 2])
def test_an_endless_stream_is_read_as_it_is_cleaned(cleaner, n_process):
    read: list[int] = []
    results = cleaner.pipe(_stream(read), n_process=n_process, batch_size=4)
    first = list(itertools.islice(results, 30))
    results.close()  # stops the workers
    assert [r.fields["n"] for r in first] == list(range(30))
    assert all(r.text == f"Story {n} begins here.\n\nIt ends." for n, r in enumerate(first))
    # never read more than the batches in flight ahead of what was yielded
    assert len(read) <= 30 + 4 * (read_ahead(n_process) if n_process > 1 else 1)


def test_corpus_mode_reads_one_window_ahead(cleaner):
    read: list[int] = []
    results = cleaner.pipe(_stream(read, site=True), batch_size=4)
    first = list(itertools.islice(results, 10))
    results.close()
    assert len(read) <= cleaner.config.corpus_window + 1
    # "Share this article" is a rule; the repeated "It ends." goes as the site's boilerplate
    assert first[0].text == "Story 0 begins here."
    assert {r.rule for r in first[0].removed} >= {"corpus/repeated"}


def test_workers_give_what_one_process_gives_in_order(cleaner):
    records = [{"n": n, "text": f"Line {n} of the story.\n\nPlease enter your comment!",
                "url": f"https://example.org/{n}"} for n in range(40)]
    records[7] = {"n": 7}  # no text: a Failure in its place
    one = list(cleaner.pipe(records, batch_size=3, errors="keep"))
    two = list(cleaner.pipe(records, batch_size=3, errors="keep", n_process=2))
    assert [o.to_dict() for o in two] == [o.to_dict() for o in one]
    assert isinstance(two[7], Failure)
    assert [o.fields["n"] for o in two] == list(range(40))


def test_a_bad_record_raises_with_workers_too(cleaner):
    records = [{"text": f"Story {n}."} for n in range(20)] + [{"body": "no text"}]
    with pytest.raises(InputError, match="no 'text' field"):
        list(cleaner.pipe(records, batch_size=2, n_process=2))


def test_bad_arguments():
    with pytest.raises(ValueError, match="n_process"):
        worker_count(0)
    with pytest.raises(ValueError, match="batch_size"):
        list(Pipeline(config=CleanConfig(entities=False)).pipe(["x"], batch_size=0))
    assert worker_count(-1) >= 1


def test_a_pipeline_pickles_without_its_model():
    pipe = Pipeline(config=CleanConfig(ner=False))
    pipe("Joe Biden met Al-Kazemi.")  # builds the text matcher
    copy = pickle.loads(pickle.dumps(pipe))
    text = "Joe Biden met Al-Kazemi.\n\nShare this article"
    assert copy(text) == pipe(text)
    assert [e.id for e in copy(text).entities] == ["joe-biden", "mustafa-al-kadhimi"]


@pytest.mark.model
def test_the_string_store_does_not_grow(pipeline):
    def texts(start: int):
        for n in range(start, start + 60):
            yield f"Minister Qx{n}vor Bl{n}ark met Joe Biden on {n} March in Zq{n}land."

    list(pipeline.pipe(texts(0), batch_size=16))
    before = len(pipeline.nlp.vocab.strings)
    results = list(pipeline.pipe(texts(1000), batch_size=16))
    assert len(pipeline.nlp.vocab.strings) == before
    assert any(e.id == "joe-biden" for e in results[0].entities)


@pytest.mark.model
def test_workers_give_what_one_process_gives_with_the_model(pipeline, bench):
    rows = [json.loads(line) for line in
            (bench / "boiler" / "extracted_text.jsonl").open(encoding="utf-8")][:24]
    documents = [Document(row["input"][:3000], row["id"]) for row in rows]
    one = [r.to_dict() for r in pipeline.pipe(documents, batch_size=5)]
    two = [r.to_dict() for r in pipeline.pipe(documents, batch_size=5, n_process=2)]
    assert one == two
    assert sum(len(r["entities"]) for r in one) > 50


def test_clean_keeps_working_after_a_stream(cleaner):
    list(cleaner.pipe(["a"] * 10, n_process=2, batch_size=2))
    assert newsclean.clean("Body.\n\nShare this article",
                           config=CleanConfig(entities=False)).text == "Body."


@pytest.mark.model
def test_each_text_is_tokenised_once(monkeypatch):
    pipe = Pipeline()
    pipe("Warm up: Joe Biden.")  # loads the model and builds the alias matcher
    nlp = pipe.nlp
    real = nlp.tokenizer
    texts: list[str] = []

    def counting(text):
        texts.append(text)
        return real(text)

    monkeypatch.setattr(nlp, "tokenizer", counting)
    results = list(pipe.pipe([f"Joe Biden met Al-Kazemi on day {n}.\n\nShare this article"
                              for n in range(5)], batch_size=2))
    assert texts == [r.text for r in results]
    assert all(len(r.entities) == 2 for r in results)
