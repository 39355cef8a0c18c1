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
