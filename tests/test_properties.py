"""Properties that hold for any input, checked with hypothesis."""

import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from newsclean.normalize import normalize, normalize_line

LINES = st.sampled_from([
    "Please enter your comment!", "Share this:", "Advertisement", "",
    "Iraqi Prime Minister Mustafa Al-Kadhimi and US President Joe Biden",
    "Biden and Al-Kazemi met in the Oval Office.", "  \t ", "Read also: Talks resume",
]) | st.text(max_size=80)
DOCUMENTS = st.lists(LINES, max_size=12).map("\n".join) | st.text()

FAST = settings(suppress_health_check=[HealthCheck.function_scoped_fixture], deadline=None)


@FAST
@given(DOCUMENTS)
def test_cleaning_is_idempotent(cleaner, text):
    once = cleaner(text)
    assert cleaner(once.text).text == once.text


@FAST
@given(DOCUMENTS)
def test_output_lines_are_input_lines_in_order(cleaner, text):
    input_lines = [normalize_line(line) for line in normalize(text).text.split("\n")]
    position = 0
    for line in filter(None, cleaner(text).text.split("\n")):
        position = input_lines.index(line, position) + 1


@FAST
@given(DOCUMENTS)
def test_removals_point_into_the_input(cleaner, text):
    for removal in cleaner(text).removed:
        assert 0 <= removal.start <= removal.end <= len(text)
        assert text[removal.start:removal.end] == removal.text


@FAST
@given(DOCUMENTS)
def test_nothing_is_lost_but_what_is_reported(cleaner, text):
    """Every non-blank input line is either in the output or among the removals."""
    result = cleaner(text)
    kept = result.text.split("\n")
    removed = [normalize_line(r.text) for r in result.removed]
    for line in normalize(text).lines:
        if line.text:
            assert line.text in kept or line.text in removed



@pytest.mark.model
def test_entity_offsets_on_real_pages(pipeline, bench):
    """Over real dev pages: every entity's offsets give its text; ids only where resolved."""
    with open(bench / "boiler" / "page_text.jsonl", encoding="utf-8") as file:
        pages = [json.loads(line) for line in file]
    texts = [p["input"] for p in pages if p["split"] == "dev"][:40]
    for result in pipeline.pipe(texts, batch_size=8):
        for entity in result.entities:
            assert result.text[entity.start:entity.end] == entity.text
            assert (entity.id is None) == (entity.method is None)
            if entity.method == "cluster":
                assert entity.id.startswith("unk-")


def _dev_pages(bench, count):
    with open(bench / "boiler" / "page_text.jsonl", encoding="utf-8") as file:
        pages = [json.loads(line) for line in file]
    return [p["input"] for p in pages if p["split"] == "dev"][:count]


def test_invariants_on_bench_pages(cleaner, bench):
    """Over real dev pages: idempotent, output lines are input lines in order, removals
    point into the input, and every line is either kept or reported."""
    for text in _dev_pages(bench, 60):
        result = cleaner(text)
        assert cleaner(result.text).text == result.text
        input_lines = [line.text for line in normalize(text).lines]
        position = 0
        for line in filter(None, result.text.split("\n")):
            position = input_lines.index(line, position) + 1
        for removal in result.removed:
            assert text[removal.start:removal.end] == removal.text
        kept = set(result.text.split("\n"))
        removed = {normalize_line(r.text) for r in result.removed}
        assert all(line in kept or line in removed for line in input_lines if line)


@pytest.mark.model
@settings(suppress_health_check=[HealthCheck.function_scoped_fixture], deadline=None,
          max_examples=40)
@given(DOCUMENTS)
def test_entity_offsets_on_arbitrary_text(pipeline, text):
    result = pipeline(text)
    for entity in result.entities:
        assert 0 <= entity.start < entity.end <= len(result.text)
        assert result.text[entity.start:entity.end] == entity.text


@pytest.mark.model
def test_same_output_whatever_batch_size_and_processes(pipeline, bench):
    texts = [*_dev_pages(bench, 12), "", "Joe Biden met Al-Kazemi.", "Share this:"]
    first = [r.to_dict() for r in pipeline.pipe(texts, batch_size=64)]
    assert [r.to_dict() for r in pipeline.pipe(texts, batch_size=1)] == first
    assert [r.to_dict() for r in pipeline.pipe(texts, batch_size=5, n_process=2)] == first
