from collections import Counter

import pytest
from hypothesis import given
from hypothesis import strategies as st

from newsclean import AliasTable, AliasTableError
from newsclean.entities.aliases import _block_keys, _blocks_and_frequency, _filed
from newsclean.entities.matching import words_of
from newsclean.entities.names import name_tokens

TABLE = """\
entities:
  - id: mustafa-al-kadhimi
    name: Mustafa Al-Kadhimi
    type: PERSON
    aliases: [Mustafa al-Kadhimi]
  - id: joe-biden
    name: Joe Biden
    type: PERSON
    aliases: [Joseph R. Biden Jr.]
  - id: fidel-castro
    name: Fidel Castro
    type: PERSON
    aliases: []
  - id: united-states
    name: United States
    type: GPE
    aliases: [US, U.S., America]
  - id: muammar-gaddafi
    name: Muammar Gaddafi
    type: PERSON
    aliases: [Moammar Gadhafi]
"""


@pytest.fixture
def table(write):
    return AliasTable.load(write("aliases.yaml", TABLE))


@pytest.mark.parametrize("name, method", [
    ("Mustafa Al-Kadhimi", "exact"),
    ("mustafa al-kadhimi", "exact"),
    ("Prime Minister Mustafa Al-Kadhimi's", "key"),
    ("Mustafa al-Kazimi", "key"),
    ("Mustafa Al-Kazemi", "fuzzy"),
])
def test_spellings_of_al_kadhimi(table, name, method):
    match = table.lookup(name, label="PERSON")
    assert match is not None and match.id == "mustafa-al-kadhimi"
    assert match.method == method
    assert 0 < match.score <= 1


@pytest.mark.parametrize("name", ["Jill Biden", "Hunter Biden", "Raúl Castro", "Raul Castro",
                                  "Biden", "Castro"])
def test_other_people_with_the_surname_are_not_merged(table, name):
    assert table.lookup(name, label="PERSON") is None


def test_acronyms_match_only_in_their_case(table):
    assert table.lookup("US", label="GPE").id == "united-states"
    assert table.lookup("U.S.").id == "united-states"
    assert table.lookup("us") is None
    assert table.lookup("Us") is None


def test_label_decides_between_types(write):
    table = AliasTable.load(write("a.yaml", """\
entities:
  - {id: georgia-country, name: Georgia, type: GPE, aliases: []}
  - {id: georgia-person, name: Georgia, type: PERSON, aliases: []}
"""))
    assert table.lookup("Georgia", label="GPE").id == "georgia-country"
    assert table.lookup("Georgia", label="PERSON").id == "georgia-person"
    assert table.lookup("Georgia") is None  # ambiguous without a label


def test_fuzzy_needs_a_compatible_type(table):
    assert table.lookup("Mustafa Al-Kazemi", label="GPE") is None


def test_design_lookup_example(table):
    match = table.lookup("Moammar Gadhafi", label="PERSON")
    assert (match.id, match.canonical, match.method) == (
        "muammar-gaddafi", "Muammar Gaddafi", "exact")


def test_bundled_table_has_the_seed_entities():
    table = AliasTable.bundled()
    for entity_id in ("mustafa-al-kadhimi", "joe-biden", "iraq", "united-states",
                      "islamic-state", "baghdad", "washington-dc"):
        assert table.get(entity_id) is not None, entity_id
    assert table.lookup("America", label="GPE").id == "united-states"
    assert table.lookup("ISIS", label="ORG").id == "islamic-state"
    assert table.lookup("Jill Biden", label="PERSON").id == "jill-biden"
    assert table.lookup("Raúl Castro", label="PERSON").id != table.lookup(
        "Fidel Castro", label="PERSON").id


def test_round_trip_through_yaml(table, write):
    again = AliasTable.load(write("again.yaml", table.to_yaml()))
    assert [e.id for e in again.entries] == [e.id for e in table.entries]
    assert again.lookup("Mustafa al-Kazimi", label="PERSON").id == "mustafa-al-kadhimi"


ENTRY = "  - id: {id}\n    name: {name}\n    type: {type}\n    aliases: [{aliases}]\n"


def entry(id="x", name="X", type="PERSON", aliases=""):
    return ENTRY.format(id=id, name=name, type=type, aliases=aliases)


@pytest.mark.parametrize("text, message, line", [
    ("entities:\n" + entry() + entry(), "duplicate id 'x'", 6),
    ("entities:\n" + entry("a", "Ann Lee") + entry("b", "Bo Lee", aliases="Ann Lee"),
     "'Ann Lee' names both a (line 2) and b", 6),
    ("entities:\n" + entry().replace("    type", "    colour: red\n    type"),
     "unknown key 'colour'", 4),
    ("entities:\n" + entry(name='""'), "'name' must be a non-empty string", 3),
    ("entities:\n" + entry(aliases='""'), "an alias is empty", 5),
    ("entities:\n" + entry(id="Not A Slug"), "lower-case slug", 2),
    ("entities:\n" + entry(type="person"), "upper-case spaCy label", 4),
    ("entities:\n" + entry(name="N" * 10_000), "longer than", 3),
    ("people: []\n", "unknown key 'people'", 1),
    ("entities:\n  - [not, a, mapping]\n", "each entity is a mapping", 2),
    ("entities:\n  - {id: a, name: A, type: ORG, aliases: [\n", "invalid YAML", 3),
    ("entities: !!python/object:os.system {}\n", "tag", 1),
    ("a: &x [1, 2]\nb: *x\n", "anchors and aliases", 2),
])
def test_invalid_tables_name_file_and_line(write, text, message, line):
    path = write("bad.yaml", text)
    with pytest.raises(AliasTableError) as info:
        AliasTable.load(path)
    assert message in str(info.value)
    assert str(info.value).startswith(f"{path}:{line}: ")
    assert "\n" not in str(info.value)


def test_a_shared_alias_is_allowed_with_not(write):
    text = "entities:\n" + entry("a", "Ann Lee") + entry("b", "Bo Lee", aliases="Ann Lee") \
        + "    not: [a]\n"
    table = AliasTable.load(write("ok.yaml", text))
    assert table.lookup("Ann Lee").id == "a"


def test_not_must_name_a_known_id(write):
    text = "entities:\n" + entry() + "    not: [nobody]\n"
    with pytest.raises(AliasTableError, match="unknown id 'nobody'"):
        AliasTable.load(write("bad.yaml", text))


def test_missing_file():
    with pytest.raises(AliasTableError, match="cannot read"):
        AliasTable.load("no/such/table.yaml")


def test_an_empty_table_is_allowed(write):
    table = AliasTable.load(write("empty.yaml", "entities: []\n"))
    assert len(table) == 0 and table.lookup("Joe Biden") is None


def test_pipeline_takes_one_path_or_several(write):
    from newsclean import CleanConfig, Pipeline

    path = write("aliases.yaml", TABLE)
    for aliases in (str(path), path, [path]):
        pipe = Pipeline(aliases=aliases, config=CleanConfig(entities=False))
        assert len(pipe.table) == 5


def test_clean_refuses_bytes():
    import newsclean

    with pytest.raises(TypeError, match="decode it first"):
        newsclean.clean(b"bytes")


def test_a_spaced_article_first_is_tried_both_ways(write):
    table = AliasTable.load(write("t.yaml", TABLE + "  - {id: al-gore, name: Al Gore,"
                                  " type: PERSON, aliases: []}\n"))
    assert table.lookup("Al Kadhimi", label="PERSON") is None  # no "Kadhimi" alias here
    bundled = AliasTable.bundled()
    assert bundled.lookup("Al Kadhimi", label="PERSON").id == "mustafa-al-kadhimi"
    assert table.lookup("Al Gore", label="PERSON").id == "al-gore"


def test_shared_names_can_be_loaded_as_ambiguous(write):
    text = "entities:\n" + entry("a", "Ann Lee") + entry("b", "Bo Lee", aliases="Ann Lee")
    path = write("shared.yaml", text)
    with pytest.raises(AliasTableError):
        AliasTable.load(path)
    table = AliasTable.load(path, shared="ambiguous")
    assert table.lookup("Ann Lee") is None  # names both: neither
    assert table.lookup("Bo Lee").id == "b"


# -- the index: one entry or a set of them per key; large tables ------------------------

def test_keys_shared_by_several_entities_stay_ambiguous(write):
    table = AliasTable.load(write("shared.yaml", """\
entities:
  - {id: a, name: Ann Lee, type: PERSON, aliases: ["Ann  LEE", Annie Lee]}
  - {id: b, name: Bo Lee, type: PERSON, aliases: [Annie Lee]}
  - {id: c, name: Cy Lee, type: PERSON, aliases: [Annie Lee, Ánn Lee]}
  - {id: d, name: Dee Lee, type: PERSON, aliases: []}
"""), shared="ambiguous")
    assert table.lookup("Ann Lee").id == "a"  # one entity's two names: still one
    assert table.lookup("Annie Lee") is None  # three entities
    assert table.lookup("Ann Lée") is None  # a (key of "Ann Lee") and c (key of "Ánn Lee")
    assert table.lookup("Dee Lee").id == "d"


def test_a_table_pickles(table):
    import pickle

    again = pickle.loads(pickle.dumps(table))
    assert again.entries == table.entries
    for name in ("Mustafa Al-Kazemi", "Joseph Biden", "US", "Moammar Gadhafi"):
        assert again.lookup(name, label="PERSON") == table.lookup(name, label="PERSON")


def test_building_leaves_the_garbage_collector_as_it_was(table):
    import gc

    assert gc.isenabled()
    AliasTable(table.entries)
    assert gc.isenabled()
    gc.disable()
    try:
        AliasTable(table.entries)
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_a_large_table_loads_with_lines(write):
    text = "entities:\n" + "".join(entry(f"p{i}", f"Person Number{i}", aliases=f"P. N{i}")
                                   for i in range(3000))
    table = AliasTable.load(write("large.yaml", text))
    assert len(table) == 3000
    assert table.get("p2999").line == 2 + 4 * 2999
    assert table.lookup("Person Number1234").id == "p1234"
    bad = write("bad.yaml", text + entry("p0", "Someone Else"))
    with pytest.raises(AliasTableError) as info:
        AliasTable.load(bad)
    assert str(info.value).startswith(f"{bad}:{2 + 4 * 3000}: duplicate id 'p0'")


def plain_filed(keys, owners):
    index = {}
    for key, owner in zip(keys, owners):
        index.setdefault(key, set()).add(owner)
    return {k: next(iter(v)) if len(v) == 1 else v for k, v in index.items()}


@given(st.lists(st.lists(st.sampled_from("abcd"), min_size=1, max_size=3), max_size=12))
def test_keys_are_filed_as_the_plain_rule_says(names_of_entries):
    keys, owners = [], []
    for entry, names in enumerate(names_of_entries):  # an entry's names come together
        keys.extend(names)
        owners.extend([entry] * len(names))
    assert _filed(keys, owners) == plain_filed(keys, owners)


@pytest.mark.parametrize("a, b", [("Ali Abdulkarim", "Ali Abd al-Karim"),
                                  ("Airkoryo", "Air Koryo"),
                                  ("National Bank of Cuba", "Banco Nacional de Cuba")])
def test_names_written_apart_together_or_translated_share_a_block(a, b):
    def keys(name):
        return _block_keys(words_of(name_tokens(name)))
    shared = keys(a) & keys(b)
    # a block other than those of the words both spell alike ("ali", "cuba")
    assert shared - keys("Ali Cuba")


def test_blocks_and_frequency_are_those_of_each_form_in_turn():
    names = ["Mohammed Hasan Ali", "Muhammad Hassan", "Ali Hasan", "West Sun Trade Ltd",
             "J. Smith", "Hasan Hasan", "Mohammed", "Kim Jong Un", "Kim Jongun",
             "Abdelmalek Droukdel", "Banco Nacional de Cuba"]
    words = [words_of(name_tokens(name)) for name in names]
    blocks: dict[str, list[int]] = {}
    frequency: Counter[str] = Counter()
    for form, form_words in enumerate(words):
        for key in _block_keys(form_words):
            blocks.setdefault(key, []).append(form)
        frequency.update({w.spelled for w in form_words})
    found_blocks, found_frequency = _blocks_and_frequency(words)
    assert {k: list(v) for k, v in found_blocks.items()} == blocks
    assert found_frequency == frequency
    assert _blocks_and_frequency([]) == ({}, Counter())
