"""The --no-ner path: table names found by an automaton, as the PhraseMatcher finds them."""

from __future__ import annotations

import json
from dataclasses import astuple

import pytest
import spacy

from newsclean import AliasTable, CleanConfig, Pipeline
from newsclean.entities.mentions import AliasMatcher
from newsclean.entities.resolve import resolve_mentions
from newsclean.entities.textmatch import TextAliasMatcher


@pytest.fixture(scope="module")
def blank():
    return spacy.blank("en")


@pytest.fixture(scope="module")
def table():
    return AliasTable.bundled()


@pytest.fixture(scope="module")
def matchers(blank, table):
    return TextAliasMatcher(table, blank), AliasMatcher(blank.vocab, table, blank.make_doc)


def found(mentions):
    return [astuple(m) for m in mentions]


@pytest.mark.parametrize("text", [
    "Joe Biden met Biden's aide, (Joe) Biden-era policies and the U.S.-led coalition.",
    "Biden2020 and #Biden and Biden/Harris; JoeBiden; iraq.com; the Iraqi people of Iraq.",
    "The United States and the US, us and U.S. and the Taleban's leaders.",
    "Al-Kazemi, al-Kadhimi and AL-KADHIMI; Mustafa  Al-Kadhimi\nAl-Kadhimi.",
    "İstanbul and Istanbul; Kılıçdaroğlu met NATO in Brussels.",
    "",
])
def test_the_automaton_finds_what_the_phrase_matcher_finds(matchers, blank, text):
    automaton, phrases = matchers
    assert found(automaton(text)) == found(phrases(blank.make_doc(text)))


def test_case_rules_and_trimming(matchers):
    automaton, _ = matchers
    texts = {m.text for m in automaton("the US and us, Iraq's and NATO's.")}
    assert texts == {"US", "Iraq", "NATO"}


@pytest.mark.model
def test_same_matches_as_the_model_path_on_the_benchmark(bench, table, pipeline, cleaner):
    automaton = TextAliasMatcher(table, spacy.blank("en"))
    phrases = pipeline.alias_matcher
    config = CleanConfig()
    total = 0
    for name in ("extracted_text.jsonl", "page_text.jsonl"):
        rows = [json.loads(line) for line in (bench / "boiler" / name).open(encoding="utf-8")]
        for result in cleaner.pipe(row["input"] for row in rows):
            text = result.text
            fast = automaton(text)
            slow = phrases(pipeline.nlp.make_doc(text))
            assert found(fast) == found(slow), text[:80]
            lookup = pipeline._lookup
            assert resolve_mentions(fast, lookup, config) == resolve_mentions(slow, lookup, config)
            total += len(fast)
    assert total > 1000


def test_no_ner_pipeline_loads_no_model_and_resolves(monkeypatch):
    def no_model(*args, **kwargs):
        raise AssertionError("the model was loaded")

    monkeypatch.setattr("newsclean.pipeline.load_model", no_model)
    pipe = Pipeline(config=CleanConfig(ner=False))
    result = pipe("Prime Minister Mustafa Al-Kazemi met Joe Biden in the US.\n\n"
                  "Please enter your comment!")
    assert [(e.text, e.id, e.method) for e in result.entities] == [
        ("Mustafa Al-Kazemi", "mustafa-al-kadhimi", "exact"),
        ("Joe Biden", "joe-biden", "exact"),
        ("US", "united-states", "exact"),
    ]
    assert all(result.text[e.start:e.end] == e.text for e in result.entities)
