"""Mentions and their resolution in documents, with the real model."""

import pytest
from spacy.tokens import Doc, Span
from spacy.vocab import Vocab

from newsclean import AliasTable, CleanConfig, Pipeline
from newsclean.entities.mentions import Mention, name_parts
from newsclean.entities.resolve import resolve_mentions


def ids(result):
    return [(e.text, e.id) for e in result.entities]


# -- resolution without a model: hand-made mentions ------------------------------------

TABLE = """\
entities:
  - {id: joe-biden, name: Joe Biden, type: PERSON, aliases: []}
  - {id: mustafa-al-kadhimi, name: Mustafa Al-Kadhimi, type: PERSON, aliases: []}
"""


@pytest.fixture
def lookup(write):
    table = AliasTable.load(write("t.yaml", TABLE))
    return lambda text, label: table.lookup(text, label)


def mentions(*spans):
    found, offset = [], 0
    for text, label in spans:
        found.append(Mention(offset, offset + len(text), text, label, True))
        offset += len(text) + 10
    return found


def test_short_form_after_the_full_name(lookup):
    entities = resolve_mentions(mentions(("Joe Biden", "PERSON"), ("Biden", "PERSON")),
                                lookup, CleanConfig())
    assert [(e.id, e.method) for e in entities] == [("joe-biden", "exact"),
                                                    ("joe-biden", "short-form")]


def test_short_form_before_the_full_name(lookup):
    entities = resolve_mentions(mentions(("Al-Kazemi", "PERSON"),
                                         ("Mustafa Al-Kadhimi", "PERSON")), lookup, CleanConfig())
    assert [e.id for e in entities] == ["mustafa-al-kadhimi"] * 2


def test_a_surname_shared_by_two_people_named_before_it_stays_unresolved(lookup):
    entities = resolve_mentions(mentions(("Jill Biden", "PERSON"), ("Joe Biden", "PERSON"),
                                         ("Biden", "PERSON")), lookup, CleanConfig())
    jill, joe, biden = entities
    assert joe.id == "joe-biden"
    assert jill.id not in (None, "joe-biden") and jill.method == "cluster"
    # neither of them, and no unknown "Biden" of its own either
    assert (biden.id, biden.canonical, biden.method) == (None, None, None)


def test_a_surname_goes_to_the_one_person_of_that_name_named_before_it(lookup):
    entities = resolve_mentions(mentions(("Joe Biden", "PERSON"), ("Biden", "PERSON"),
                                         ("Jill Biden", "PERSON"), ("Biden", "PERSON")),
                                lookup, CleanConfig())
    assert [(e.id, e.method) for e in entities[:2]] == [("joe-biden", "exact"),
                                                        ("joe-biden", "short-form")]
    assert entities[3].id is None  # after both
    # before either: it stays unresolved
    entities = resolve_mentions(mentions(("Biden", "PERSON"), ("Joe Biden", "PERSON"),
                                         ("Jill Biden", "PERSON")), lookup, CleanConfig())
    assert entities[0].id is None


def test_a_name_without_its_title_goes_to_the_titled_mention(write):
    table = AliasTable.load(write("t.yaml", """\
entities:
  - {id: charles-iii, name: Charles III, type: PERSON, aliases: [King Charles]}
"""))
    entities = resolve_mentions(mentions(("King Charles", "PERSON"), ("Charles", "PERSON")),
                                lambda text, label: table.lookup(text, label), CleanConfig())
    assert [(e.id, e.method) for e in entities] == [("charles-iii", "exact"),
                                                    ("charles-iii", "short-form")]
    # alone, a given name is no king: the table does not key "Charles" to him
    assert table.lookup("Charles", label="PERSON") is None


def test_part_of_several_organisations_names_is_a_cluster_of_its_own(lookup):
    entities = resolve_mentions(mentions(("Amazon Music", "ORG"), ("Amazon", "ORG"),
                                         ("Amazon Echo", "ORG")), lookup, CleanConfig())
    music, amazon, echo = (e.id for e in entities)
    assert amazon is not None and amazon.startswith("unk-") and amazon not in (music, echo)


def test_short_words_must_be_spelt_alike_to_be_one_name(lookup):
    # "Mayer" is no given name of "Mary Poppins", though both are m-r without vowels
    entities = resolve_mentions(mentions(("Kevin Mayer", "PERSON"), ("Mary Poppins", "PERSON"),
                                         ("Mayer", "PERSON")), lookup, CleanConfig())
    assert entities[2].id == entities[0].id != entities[1].id


def test_unknown_names_cluster_with_their_short_forms(lookup):
    entities = resolve_mentions(mentions(("Hadi al-Amiri", "PERSON"), ("Amiri", "PERSON"),
                                         ("Hadi Al-Ameri", "PERSON")), lookup, CleanConfig())
    assert len({e.id for e in entities}) == 1
    assert entities[0].id.startswith("unk-")
    assert {e.canonical for e in entities} == {"Hadi al-Amiri"}


def test_abd_and_abu_written_apart_or_together_give_one_cluster_id(lookup):
    def cluster(name):
        return resolve_mentions(mentions((name, "PERSON")), lookup, CleanConfig())[0].id

    ids = {cluster(name) for name in ("Abdul-Malik al-Houthi", "Abd al-Malik al-Houthi",
                                       "Abdulmalik al-Huthi", "Abdelmalik Houthi")}
    assert ids == {"unk-abdmalik-huti"}
    assert cluster("Abubakr al-Baghdadi") == cluster("Abu Bakr al-Baghdadi")
    # a name that merely begins like a connector stays as it is
    assert cluster("Abdullah Abdullah") == "unk-abdulah-abdulah"


def test_clusters_can_be_turned_off(lookup):
    entities = resolve_mentions(mentions(("Hadi al-Amiri", "PERSON")), lookup,
                                CleanConfig(clusters=False))
    assert entities[0].id is None and entities[0].method is None


def test_a_surname_ner_labelled_otherwise_follows_its_person_of_the_table(lookup):
    # the small models tag a bare surname ORG or GPE often ("Trump" after "Donald Trump")
    entities = resolve_mentions(mentions(("Joe Biden", "PERSON"), ("Biden", "ORG")),
                                lookup, CleanConfig())
    assert [(e.id, e.label, e.method) for e in entities] == [
        ("joe-biden", "PERSON", "exact"), ("joe-biden", "PERSON", "short-form")]
    # not for a person the table does not know: NER may have made that person up
    entities = resolve_mentions(mentions(("Maybe Instagram", "PERSON"), ("Instagram", "ORG")),
                                lookup, CleanConfig())
    assert entities[1].label == "ORG" and entities[1].id != entities[0].id


def test_places_do_not_shorten_people(lookup):
    entities = resolve_mentions(mentions(("George Washington", "PERSON"),
                                         ("Washington", "GPE")), lookup, CleanConfig())
    assert entities[0].id != entities[1].id


def person_doc(text, *spans):
    """A ``Doc`` of ``text`` (no model) whose only entities are ``spans``: (start, end)
    token indices of a PERSON, or (start, end, label)."""
    import spacy
    from spacy.tokens import Span

    doc = spacy.blank("en")(text)
    doc.ents = [Span(doc, span[0], span[1], span[2] if len(span) > 2 else "PERSON")
                for span in spans]
    return doc


def test_a_surname_ner_missed_is_found_where_it_stands_alone():
    from newsclean.entities.mentions import surname_mentions

    text = ("Nechirvan Barzani met the envoy. Barzani welcomed Masrour Barzani and President"
            " Barzani's aide in May.")
    doc = person_doc(text, (0, 2))
    found = [(m.text, m.start) for m in surname_mentions(doc, [])]
    # not the one beside another capitalised word (Masrour Barzani: someone else)
    assert found == [("Barzani", text.index("Barzani welcomed")),
                     ("Barzani", text.index("Barzani's"))]
    assert all(m.inferred and m.label == "PERSON" for m in surname_mentions(doc, []))
    # a date's "May", a word the text also writes in lower case, a covered span: none
    # Theresa(0) May(1) spoke(2) .(3) In(4) May(5) ,(6) Gordon(7) Brown(8) :(9) Brown(10)
    doc = person_doc("Theresa May spoke. In May, Gordon Brown: Brown left.",
                     (0, 2), (5, 6, "DATE"), (7, 9))
    assert [m.text for m in surname_mentions(doc, [])] == ["Brown"]
    brown = doc.text.index("Brown left")
    assert surname_mentions(doc, [Mention(brown, brown + 5, "Brown", "ORG", False)]) == []
    doc = person_doc("Gordon Brown spoke. Brown bears ate the brown bread.", (0, 2))
    assert surname_mentions(doc, []) == []
    # a word NER tags as something else elsewhere: a person NER made up ("Maybe Instagram")
    doc = person_doc("Maybe Instagram works. Instagram said so. Instagram grew.",
                     (0, 2), (4, 5, "ORG"))
    assert surname_mentions(doc, []) == []
    # a credit is no name; the end of a hyphenated word is no surname
    doc = person_doc("Photo by Mark Stutt / Getty Images Instead. Instead, serve cake.", (2, 8))
    assert surname_mentions(doc, []) == []
    doc = person_doc("Robert Mueller spoke. The post-Mueller drill. Mueller left.", (0, 2))
    assert [m.start for m in surname_mentions(doc, [])] == [doc.text.rindex("Mueller")]
    # the same surname up to vowels, as short forms match; not a stop word ("What", White)
    doc = person_doc("Mustafa Kadhimi spoke. Kazemi left. What did Lawrence White say?",
                     (0, 2), (9, 11))
    assert [m.text for m in surname_mentions(doc, [])] == ["Kazemi"]


def test_a_surname_found_again_resolves_only_through_its_one_person(lookup):
    found = mentions(("Joe Biden", "PERSON"), ("Biden", "PERSON"))
    found[1].inferred, found[1].from_ner = True, False
    entities = resolve_mentions(found, lookup, CleanConfig())
    assert [(e.id, e.method) for e in entities] == [("joe-biden", "exact"),
                                                    ("joe-biden", "short-form")]
    # an unknown person's surname joins the person's cluster
    found = mentions(("Nechirvan Barzani", "PERSON"), ("Barzani", "PERSON"))
    found[1].inferred, found[1].from_ner = True, False
    entities = resolve_mentions(found, lookup, CleanConfig())
    assert entities[0].id == entities[1].id == "unk-nechirvan-barzani"
    # two people of that surname: the surname found again is no mention at all
    found = mentions(("Jill Biden", "PERSON"), ("Joe Biden", "PERSON"), ("Biden", "PERSON"))
    found[2].inferred, found[2].from_ner = True, False
    assert [e.text for e in resolve_mentions(found, lookup, CleanConfig())] == [
        "Jill Biden", "Joe Biden"]


def parts(words, spaces=None, label="PERSON"):
    doc = Doc(Vocab(), words=words, spaces=spaces)
    return [p.text for p in name_parts(Span(doc, 0, len(words), label=label),
                                       titles=label == "PERSON")]


@pytest.mark.parametrize("words, spaces, label, expected", [
    # a name never runs from one line to the next
    (["Joseph", "Cox", "\n", "Caudevilla"], [True, False, False, False], "PERSON",
     ["Joseph Cox", "Caudevilla"]),
    (["Lorem", "\n", "Lorem"], [False, False, False], "PERSON", ["Lorem", "Lorem"]),
    # leading lower-case words go, the particles a name begins with stay
    (["rookie", "Emil", "Bemstrom"], None, "PERSON", ["Emil Bemstrom"]),
    (["a", "White", "House"], None, "ORG", ["White House"]),
    (["harry", "]", "Amy", "Churchwell"], [True, True, True, False], "PERSON",
     ["Amy Churchwell"]),
    (["von", "der", "Leyen"], None, "PERSON", ["von der Leyen"]),
    (["al", "-", "Sisi"], [False, False, False], "PERSON", ["al-Sisi"]),
    (["anti", "-", "Semitism"], [False, False, False], "NORP", ["anti-Semitism"]),
    (["17th", "Street"], None, "FAC", ["17th Street"]),
    # no capital letter, or nothing but punctuation: no name
    (["nonstick", "spray"], None, "ORG", []),
    (["un"], None, "ORG", []),
    (["────"], None, "ORG", []),
    # a script without case is kept
    (["福娘童話集"], None, "PERSON", ["福娘童話集"]),
])
def test_the_names_in_an_ner_span(words, spaces, label, expected):
    assert parts(words, spaces, label) == expected


@pytest.mark.model
def test_a_word_that_begins_the_next_line_is_no_name(pipeline):
    doc = pipeline.nlp("Jonathan Corbet\nTable of contents\n\nThe table lists the changes.")
    entity = Span(doc, 0, 4, label="PERSON")  # "Jonathan Corbet⏎Table", as NER may make it
    assert [p.text for p in name_parts(entity, titles=True)] == ["Jonathan Corbet"]


# -- documents, with the real model -----------------------------------------------------


@pytest.mark.model
@pytest.mark.parametrize("text, expected", [
    ("Iraqi Prime Minister Mustafa al-Kadhimi flew to Washington. Kadhimi met Biden, and"
     " Al-Kazemi later told reporters the talks went well.",
     {"Mustafa al-Kadhimi": "mustafa-al-kadhimi", "Kadhimi": "mustafa-al-kadhimi",
      "Al-Kazemi": "mustafa-al-kadhimi", "Washington": "washington-dc"}),
    ("First Lady Jill Biden visited a school in Ohio on Tuesday, while President Joe Biden"
     " stayed at the White House.",
     {"Jill Biden": "jill-biden", "Joe Biden": "joe-biden"}),
    ("Raúl Castro succeeded his brother Fidel Castro as president of Cuba in 2008.",
     {"Raúl Castro": "raul-castro", "Fidel Castro": "fidel-castro", "Cuba": "cuba"}),
    ("The Taleban said on Sunday that Hamas had sent a delegation to Doha.",
     {"Taleban": "taliban", "Hamas": "hamas"}),
    ("Officials told us the U.S. would keep troops in Iraq.",
     {"U.S.": "united-states", "Iraq": "iraq"}),
    ("Crown Prince Mohamed bin Salman met Abdul Fattah al-Sisi and Recep Tayip Erdogan in"
     " Riyadh. Erdoğan and el-Sisi left on Monday.",
     {"Mohamed bin Salman": "mohammed-bin-salman", "Abdul Fattah al-Sisi": "abdel-fattah-el-sisi",
      "Recep Tayip Erdogan": "recep-tayyip-erdogan", "Erdoğan": "recep-tayyip-erdogan",
      "el-Sisi": "abdel-fattah-el-sisi", "Riyadh": "riyadh"}),
    # the small model misses the second "Barzani": it is found as the surname of the first
    ("Iraq's Prime Minister Mohammed Shia al-Sudani met Kurdistan Region President Nechirvan"
     " Barzani in Erbil on Sunday, his office said.\n\nSudani said the government would pay"
     " Kurdish civil servants' salaries. Barzani welcomed the pledge.",
     {"Nechirvan Barzani": "unk-nechirvan-barzani", "Barzani": "unk-nechirvan-barzani",
      "Sudani": "mohammed-shia-al-sudani", "Kurdish": "kurds"}),
    ("President Volodimir Zelenskyi thanked Mohammad Shia al-Soudani and Masud Pezeshkian."
     " Zelensky then flew to Kyiv.",
     {"Volodimir Zelenskyi": "volodymyr-zelensky", "Zelensky": "volodymyr-zelensky",
      "Mohammad Shia al-Soudani": "mohammed-shia-al-sudani",
      "Masud Pezeshkian": "masoud-pezeshkian", "Kyiv": "kyiv"}),
])
def test_news_paragraphs(pipeline, text, expected):
    result = pipeline(text)
    found = dict(ids(result))
    for name, entity_id in expected.items():
        assert found.get(name) == entity_id, (name, ids(result))
    assert "us" not in found
    for entity in result.entities:
        assert result.text[entity.start:entity.end] == entity.text


@pytest.mark.model
def test_unknown_person_gets_the_same_cluster_id_in_every_document(pipeline):
    first, second = pipeline.pipe([
        "Hadi al-Amiri, the head of the Badr Organization, spoke on Monday.",
        "On Tuesday Hadi al-Amiri spoke again, and Amiri denied the reports.",
    ])
    amiri_first = {e.id for e in first.entities if "Amiri" in e.text}
    amiri_second = {e.id for e in second.entities if "Amiri" in e.text}
    assert len(amiri_first) == 1 and amiri_first == amiri_second
    assert next(iter(amiri_first)).startswith("unk-")


@pytest.mark.model
def test_pipe_keeps_records_and_order(pipeline):
    records = [{"id": 7, "text": "Joe Biden spoke."}, {"id": 8, "text": "Al-Kadhimi spoke."}]
    results = list(pipeline.pipe(records, batch_size=1))
    assert [r.to_dict()["id"] for r in results] == [7, 8]
    assert [r.entities[0].id for r in results] == ["joe-biden", "mustafa-al-kadhimi"]


@pytest.mark.model
def test_pipe_reports_bad_records(pipeline):
    from newsclean import Failure, InputError

    items = [{"text": "Joe Biden spoke."}, {"body": "no text"}, {"text": 3}]
    outcomes = list(pipeline.pipe(items, errors="keep"))
    assert [type(o).__name__ for o in outcomes] == ["Result", "Failure", "Failure"]
    assert isinstance(outcomes[1], Failure) and "no 'text' field" in outcomes[1].error
    with pytest.raises(InputError):
        list(pipeline.pipe(items))


@pytest.mark.model
def test_clean_function_matches_pipeline(pipeline, seed_text):
    import newsclean

    assert newsclean.clean(seed_text) == pipeline(seed_text)


@pytest.mark.model
def test_custom_alias_table_replaces_the_bundled_one(write):
    pipe = Pipeline(aliases=[write("t.yaml", TABLE)])
    result = pipe("Joe Biden met officials in Iraq.")
    found = dict(ids(result))
    assert found["Joe Biden"] == "joe-biden"
    assert found["Iraq"].startswith("unk-")  # not in this table


@pytest.mark.model
def test_a_table_name_inside_a_longer_name_is_not_that_entity(pipeline):
    result = pipeline("Leaders from Latin America met European Council President Charles Michel"
                      " and Kataib Hezbollah officials.")
    found = dict(ids(result))
    assert "America" not in found and found.get("Latin America") != "united-states"
    assert found.get("Kataib Hezbollah") == "kataib-hezbollah"
    assert "Hezbollah" not in found


@pytest.mark.model
def test_all_caps_headline_words_are_not_acronyms(pipeline):
    result = pipeline("THIS IS WHAT THE IRAQI PRIME MINISTER SAID ON MONDAY")
    assert "islamic-state" not in {e.id for e in result.entities}


@pytest.mark.model
def test_titles_are_trimmed_from_people_only(pipeline):
    result = pipeline("Mr. Joe Biden called the Prime Minister's Office in London.")
    texts = [e.text for e in result.entities]
    assert "Joe Biden" in texts
    assert not any(t.startswith("'s") for t in texts)


@pytest.mark.model
def test_two_processes_give_the_same_results(pipeline, seed_text):
    texts = [seed_text.replace("2500", str(n)) for n in range(12)]
    one = [r.to_dict() for r in pipeline.pipe(texts)]
    two = [r.to_dict() for r in pipeline.pipe(texts, n_process=2, batch_size=4)]
    assert one == two


def test_an_unexpected_error_costs_only_its_document(cleaner, monkeypatch):
    from newsclean import Failure, boilerplate

    real = boilerplate.remove_boilerplate

    def flaky(doc, rules, config, repeated=frozenset()):
        if "boom" in doc.source:
            raise RuntimeError("boom")
        return real(doc, rules, config, repeated)

    monkeypatch.setattr("newsclean.pipeline.remove_boilerplate", flaky)
    outcomes = list(cleaner.pipe(["fine", "boom", "also fine"], errors="keep"))
    assert [type(o).__name__ for o in outcomes] == ["Result", "Failure", "Result"]
    assert isinstance(outcomes[1], Failure) and "RuntimeError('boom')" in outcomes[1].error
    with pytest.raises(RuntimeError):
        list(cleaner.pipe(["boom"]))


# -- clusters across the documents of a run ------------------------------------------------

@pytest.mark.model
def test_an_unknown_person_keeps_one_id_across_a_run(pipeline):
    texts = ["Iraqi militia leader Hadi al-Amiri spoke in Baghdad on Monday.",
             "Officials said Amiri had met the delegation in Baghdad.",
             "Militia commander Hadi al-Ameri rejected the plan."]
    results = list(pipeline.pipe(texts))
    ids = set()
    for result in results:
        ids |= {e.id for e in result.entities if "Am" in e.text}
    assert len(ids) == 1 and next(iter(ids)).startswith("unk-")
    canonicals = {e.canonical for r in results for e in r.entities if "Am" in e.text}
    assert canonicals == {"Hadi al-Amiri"}


def test_a_surname_shared_by_two_unknown_people_keeps_its_own_cluster():
    from newsclean.entities.clusters import ClusterRegistry
    from newsclean.result import Entity

    def cluster(text, key):
        return Entity(text, 0, len(text), "PERSON", "unk-" + key, text, 1.0, "cluster")

    registry = ClusterRegistry()
    registry.assign([cluster("Hadi Amiri", "hadi-amiri"), cluster("Ali Amiri", "ali-amiri")])
    assert registry.assign([cluster("Amiri", "amiri")])[0].id == "unk-amiri"


def test_the_registry_is_bounded():
    from newsclean.entities.clusters import ClusterRegistry
    from newsclean.result import Entity

    registry = ClusterRegistry(max_clusters=10)
    for n in range(100):
        key = f"person-{n}x"
        registry.assign([Entity(key, 0, 3, "PERSON", "unk-" + key, key, 1.0, "cluster")])
    assert len(registry) == 10
    assert len(registry._shapes) <= 10 and sum(map(len, registry._surnames.values())) <= 10
