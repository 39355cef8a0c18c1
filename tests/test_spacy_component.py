"""The ``newsclean_entities`` component in a user's own spaCy pipeline."""

import pytest
import spacy

from newsclean.models import load_model

pytestmark = pytest.mark.model


@pytest.fixture(scope="module")
def nlp():
    nlp = load_model()
    nlp.add_pipe("newsclean_entities")
    return nlp


def test_component_resolves_doc_ents(nlp):
    doc = nlp("Prime Minister Mustafa Al-Kazemi met Joe Biden. Biden said the Taleban"
              " had not been discussed.")
    found = {ent.text: (ent._.newsclean_id, ent._.newsclean_method) for ent in doc.ents}
    assert found["Mustafa Al-Kazemi"][0] == "mustafa-al-kadhimi"
    assert found["Biden"] == ("joe-biden", "short-form")
    assert found["Taleban"][0] == "taliban"


def test_component_saves_and_loads_its_table(nlp, tmp_path, write):
    table = write("t.yaml", "entities:\n  - {id: ann-lee, name: Ann Lee, type: PERSON,"
                            " aliases: [A. Lee]}\n")
    own = load_model()
    own.add_pipe("newsclean_entities", config={"aliases": [str(table)]})
    own.to_disk(tmp_path / "pipeline")
    loaded = spacy.load(tmp_path / "pipeline")
    doc = loaded("Yesterday Ann Lee spoke to reporters in London.")
    assert {ent._.newsclean_id for ent in doc.ents if ent.text == "Ann Lee"} == {"ann-lee"}


def test_model_loads_only_what_ner_needs():
    nlp = load_model()
    assert nlp.pipe_names == ["ner"]


def test_every_resolved_entity_has_its_attributes(nlp):
    doc = nlp("Joe Biden met Mustafa Al-Kadhimi in Baghdad on Monday.")
    resolved = [ent for ent in doc.ents if ent._.newsclean_id is not None]
    assert {ent.text for ent in resolved} >= {"Joe Biden", "Mustafa Al-Kadhimi", "Baghdad"}
    for ent in resolved:
        assert isinstance(ent._.newsclean_canonical, str)
        assert 0 < ent._.newsclean_score <= 1
        assert ent._.newsclean_method in ("exact", "key", "fuzzy", "short-form", "cluster")
    dates = [ent for ent in doc.ents if ent.label_ == "DATE"]
    assert dates and all(ent._.newsclean_id is None for ent in dates)


def test_component_in_memory_zones_and_worker_processes(nlp):
    texts = [f"Minister Vo{n}rak met Joe Biden in Zq{n}land. Al-Kazemi spoke." for n in range(8)]

    def found(docs):
        return [[(ent.text, ent._.newsclean_id) for ent in doc.ents] for doc in docs]

    with nlp.memory_zone():
        list(nlp.pipe(texts[:2]))
    before = len(nlp.vocab.strings)
    with nlp.memory_zone():
        in_zone = found(nlp.pipe(texts))
    assert len(nlp.vocab.strings) == before
    assert found(nlp.pipe(texts, n_process=2, batch_size=2)) == in_zone
    assert all(("Joe Biden", "joe-biden") in ents for ents in in_zone)
