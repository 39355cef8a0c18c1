"""The fuzzy step: blocking, word alignment and the decision, on the issue's cases."""

import math
import re
import subprocess
import sys

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from conftest import ROOT
from newsclean import AliasTable
from newsclean.entities import aliases as aliases_module
from newsclean.entities.matching import (
    FEATURES,
    MODEL_INPUTS,
    MONOTONE,
    LogisticModel,
    MatchModel,
    TreeModel,
    align,
    bundled_match_model,
    joined_similarity,
    model_inputs,
    syllable,
    word_similarity,
    words_of,
)
from newsclean.entities.names import name_data, name_tokens, sound_key, spelling

TABLE = """\
entities:
  - id: kemal-kilicdaroglu
    name: Kemal Kılıçdaroğlu
    type: PERSON
  - id: mustafa-al-kadhimi
    name: Mustafa Al-Kadhimi
    type: PERSON
  - id: mahmoud-abbas
    name: Mahmoud Abbas
    type: PERSON
  - id: hosni-mubarak
    name: Hosni Mubarak
    type: PERSON
  - id: sviatlana-tsikhanouskaya
    name: Sviatlana Tsikhanouskaya
    type: PERSON
  - id: sergei-shoigu
    name: Sergei Shoigu
    type: PERSON
  - id: dmitry-medvedev
    name: Dmitry Anatolyevich Medvedev
    type: PERSON
  - id: kim-jong-un
    name: Kim Jong-un
    type: PERSON
  - id: moon-jae-in
    name: Moon Jae-in
    type: PERSON
  - id: joe-biden
    name: Joseph R. Biden Jr.
    type: PERSON
  - id: george-w-bush
    name: George W. Bush
    type: PERSON
  - id: donald-trump
    name: Donald Trump
    type: PERSON
  - id: fidel-castro
    name: Fidel Castro
    type: PERSON
  - id: ahmad-abdullah-al-zahrani
    name: Ahmad Abdullah Salih al-Zahrani
    type: PERSON
  - id: tariq-aziz
    name: Tariq Aziz
    type: PERSON
  - id: oleg-usachev
    name: Oleg Leonidovich Usachev
    type: PERSON
  - id: west-sun-trade
    name: West Sun Trade GmbH
    type: ORG
  - id: second-academy
    name: Second Academy of Natural Sciences
    type: ORG
  - id: fourteen-engineering
    name: Fourteen Engineering Company
    type: ORG
  - id: air-koryo
    name: Air Koryo
    type: ORG
  - id: petroiran
    name: Petroiran Development Company
    type: ORG
  - id: banco-nacional-de-cuba
    name: Banco Nacional de Cuba
    type: ORG
  - id: khalid-bin-walid-army
    name: Khalid bin al-Walid Army
    type: ORG
  - id: genbank
    name: Joint Stock Company Genbank
    type: ORG
  - id: evro-polis
    name: Evro Polis Ltd.
    type: ORG
  - id: belaruskali
    name: Belaruskali OAO
    type: ORG
"""


@pytest.fixture(scope="module")
def table(tmp_path_factory):
    path = tmp_path_factory.mktemp("table") / "aliases.yaml"
    path.write_text(TABLE, encoding="utf-8")
    return AliasTable.load(path)


@pytest.mark.parametrize("name, entity", [
    ("Kilicdaroglu", None),  # a bare surname is not in the table
    ("Kemal Kilicdaroglu", "kemal-kilicdaroglu"),
    ("Mustafa Kazemi", "mustafa-al-kadhimi"),
    ("Mustafa al-Kazimi", "mustafa-al-kadhimi"),
    ("Mahmud Abbas", "mahmoud-abbas"),
    ("Husni Mubarak", "hosni-mubarak"),
    ("Svetlana Tikhanovskaya", "sviatlana-tsikhanouskaya"),
    ("Sergey Shoygu", "sergei-shoigu"),
    ("Dmitri Medvedev", "dmitry-medvedev"),
    ("Kim Jong Un", "kim-jong-un"),
    ("Kim Jongun", "kim-jong-un"),
    ("Moon Jae In", "moon-jae-in"),
    ("Joe Biden", "joe-biden"),
    ("Joseph Biden", "joe-biden"),
    ("Oleg Usachev", "oleg-usachev"),
    ("West Sun Trade", "west-sun-trade"),
    ("2nd Academy of Natural Sciences", "second-academy"),
    ("14 Engineering Company", "fourteen-engineering"),
    ("Fourteen Eng. Company", "fourteen-engineering"),
    # one word for two, either way round
    ("Airkoryo", "air-koryo"),
    ("Petro Iran Development Company", "petroiran"),
    # a word in another language, a word moved from the front to the back
    ("Banco Nacional de Kuba", "banco-nacional-de-cuba"),
    ("Jaish Khaled bin al-Walid", "khalid-bin-walid-army"),
])
def test_spellings_resolve(table, name, entity):
    label = "ORG" if entity and entity in ("west-sun-trade", "second-academy",
                                             "fourteen-engineering", "air-koryo",
                                             "petroiran", "banco-nacional-de-cuba",
                                             "khalid-bin-walid-army") else "PERSON"
    match = table.lookup(name, label=label)
    assert (match.id if match else None) == entity, match


@pytest.mark.parametrize("name, entity", [
    ("Aktsionernoe Obshchestvo Genbank", "genbank"),
    ("JSC Genbank", "genbank"),
    ("Genbank AO", "genbank"),
    ("Obshchestvo S Ogranichennoi Otvetstvennostyu Evro Polis", "evro-polis"),
    ("Evro Polis LLC", "evro-polis"),
    ("Otkrytoye Aktsionernoye Obshchestvo Belaruskaliy", "belaruskali"),
    ("Open Joint Stock Company Belaruskali", "belaruskali"),
])
def test_legal_forms_in_full_or_in_another_language_resolve(table, name, entity):
    match = table.lookup(name, label="ORG")
    assert (match.id if match else None) == entity, match


@pytest.mark.parametrize("name", [
    "Trump", "Biden", "Castro",  # a surname alone is any of the family's
    "Jill Biden", "Hunter Biden", "Jeb Bush", "Ivanka Trump", "Raúl Castro",
    "Kim Yo-jong", "Kim Jong-il",
    # another father's name in an Arabic name is another person
    "Ahmad Muhammad Salih al-Zahrani",
])
def test_other_people_stay_apart(table, name):
    assert table.lookup(name, label="PERSON") is None


def test_methods_say_what_matched(table):
    assert table.lookup("Svetlana Tikhanovskaya", label="PERSON").method == "fuzzy"
    assert table.lookup("Oleg Usachev", label="PERSON").method == "partial"
    assert table.lookup("Dmitry Medvedev", label="PERSON").method == "partial"


def test_a_rare_middle_name_lowers_the_score(table):
    # "Mikhail" is in no name of the table: a partial match, but a less certain one
    match = table.lookup("Tariq Mikhail Aziz", label="PERSON", min_score=0.5)
    assert match.id == "tariq-aziz" and match.method == "partial"
    assert match.score < table.lookup("Oleg Usachev", label="PERSON").score


def test_scores_are_probabilities_and_the_threshold_holds(table):
    match = table.lookup("Svetlana Tikhanovskaya", label="PERSON")
    assert 0.5 < match.score <= 1.0
    # asking for more certainty than the match has turns it away
    assert table.lookup("Svetlana Tikhanovskaya", label="PERSON",
                        min_score=min(1.0, match.score + 0.001)) is None


def test_an_organisation_is_not_matched_as_a_person(table):
    assert table.lookup("West Sun Trade", label="PERSON") is None


def words(name):
    return words_of(name_tokens(name))


def test_alignment_pairs_around_a_dropped_middle_name():
    found = align(words("Tariq Mikhail Aziz"), words("Tariq Aziz"))
    assert found.pairs == 2 and found.dropped_inner == 1 and found.conflicts == 0


def test_alignment_counts_a_different_middle_word_as_a_conflict():
    found = align(words("Cheng He Li"), words("Cheng Yu Li"), person=False)
    assert found is not None and found.conflicts == 1


@pytest.mark.parametrize("a, b", [("Cheng He Li", "Cheng Yu Li"),
                                  ("Ahmad Muhammad Salih", "Ahmad Abdullah Salih"),
                                  ("Abubakar K. Ahmed", "Abubaker Shariff Ahmed")])
def test_another_middle_name_or_initial_is_another_person(a, b):
    assert align(words(a), words(b)) is None


def test_vowels_alone_do_not_part_two_spellings():
    assert word_similarity(words("hatim")[0], words("hotem")[0]) >= 0.75
    # ... unless the given-name groups say they are two names
    assert word_similarity(words("mahmud")[0], words("muhammad")[0]) < 0.75


def test_syllables_of_two_given_names_are_two_people():
    # Kim and Jong are shared, but each name keeps a syllable the other lacks
    assert align(words("Kim Yo-jong"), words("Kim Jong-un")) is None
    assert align(words("Kim Yo-jong"), words("Kim Jong-un"), person=False) is not None
    # a short word on one side only is a partial name as usual
    assert align(words("Kim Jong"), words("Kim Jong-un")) is not None


@pytest.mark.parametrize("a, b", [("Hyok Chol Kim", "Kim Hyok Chol"),
                                  ("Kim Hyok Chol", "Hyok Chol Kim"),
                                  ("Mobin Iran Electronics", "Iran Mobin Electronic")])
def test_the_pairs_of_a_reordered_name_are_the_words_as_written(a, b):
    found = align(words(a), words(b), person=False)
    assert found.rotated
    assert sorted(j for _, j in found.paired) == list(range(len(words(b))))
    assert all(word_similarity(words(a)[i], words(b)[j]) >= 0.75 for i, j in found.paired)


def test_a_reordered_name_must_pair_every_word():
    assert align(words("Hyok Chol Kim"), words("Kim Hyok Chol")).rotated
    assert align(words("Kakhaber Pavlovich Shushanashvili"),
                 words("Lasha Pavlovich Shushanashvili")) is None


@pytest.mark.parametrize("a, b", [("aliaksandr", "alexander"), ("oleksandr", "aleksandr"),
                                  ("mohammed", "muhammad"), ("siarhei", "sergei")])
def test_given_names_in_two_romanisations_pair(a, b):
    assert word_similarity(words(a)[0], words(b)[0]) >= 0.95


@pytest.mark.parametrize("a, b", [("banco", "bank"), ("nacional", "national"),
                                  ("jaish", "army"), ("de", "of")])
def test_organisation_words_in_two_languages_pair(a, b):
    assert word_similarity(words(a)[0], words(b)[0]) >= 0.95


@pytest.mark.parametrize("a, b", [("muammar", "muhammad"), ("national", "international"),
                                  ("hamid", "hamad"), ("east", "west"), ("south", "southern"),
                                  ("north", "sud")])
def test_words_of_two_groups_never_pair(a, b):
    assert word_similarity(words(a)[0], words(b)[0]) == 0.0


def test_organisations_in_other_parts_of_the_world_are_other_organisations(tmp_path):
    path = tmp_path / "aliases.yaml"
    path.write_text("entities:\n  - {id: iswa, name: ISIS-West Africa, type: ORG}\n",
                    encoding="utf-8")
    table = AliasTable.load(path)
    assert table.lookup("ISIS in East Africa", label="ORG") is None
    assert table.lookup("ISIS West Africa", label="ORG").id == "iswa"


def test_a_word_of_a_group_is_found_through_the_group(table):
    query = words("National Bank of Kuba")
    found = {table.entries[table._form_entries[f]].id for f in table._candidates(query)}
    assert "banco-nacional-de-cuba" in found


def test_sound_keys_block_consonant_swaps_together():
    assert sound_key("tahir") == sound_key("dahir")
    assert sound_key("khanfoura") != sound_key("mubarak")
    # "w" before a consonant is the "v" of another romanisation; before a vowel, a vowel
    assert sound_key("wladimir") == sound_key("vladimir")
    assert sound_key("waleed") == sound_key("uleed")


@pytest.mark.parametrize("a, b", [("Mohammed Abdulqader Matnee", "Muhammad Abd-al-Qadir Matni"),
                                  ("Seyedmehdi Najafi", "Seyed Mehdi Najafi"),
                                  ("Nazir Jamal Eddin", "Nathier Jamaleddine")])
def test_a_word_pairs_with_two_written_as_one(a, b):
    found = align(words(a), words(b))
    assert found is not None and found.dropped_edge == found.dropped_inner == 0
    assert align(words(b), words(a)) is not None


def test_two_words_written_as_one_must_be_nearly_the_same_letters():
    def word(text):
        return words_of((text,))[0]
    assert joined_similarity(word("jamaleddine"), word("jamal"), word("eddin")) >= 0.9
    assert joined_similarity(word("jamalnasir"), word("jamal"), word("eddin")) == 0.0
    assert joined_similarity(word("abdulqader"), word("abd"), word("qadir")) >= 0.8
    assert joined_similarity(word("abdulrahman"), word("abd"), word("qadir")) == 0.0
    # "Abdul" + "lah" is not "Abd" + "Allah", but the letters written together are
    assert joined_similarity(word("abdullah"), word("abd"), word("allah")) >= 0.8


def test_an_organisations_words_pair_in_any_order():
    found = align(words("Mobin Iran Electronics Development Company"),
                  words("Iran Mobin Electronic Development Company"), person=False)
    assert found is not None and found.rotated and found.dropped_edge == 0
    # not for people, whose order says which name is the family's and which the father's
    found = align(words("Ali Hasan Reza Karimi"), words("Ali Reza Hasan Karimi"))
    assert not found.rotated and found.dropped_inner == 2


def test_a_persons_one_word_never_stands_for_a_longer_name():
    assert align(words("Trump"), words("Donald Trump")) is None
    assert align(words("Koryo"), words("Air Koryo"), person=False) is not None


@pytest.mark.parametrize("a, b", [("Abdul Rauf", "Abdul Rauf Azhar"),
                                  ("Abu Hamzah", "Abu Hamza al-Masri"),
                                  ("Abdel Rahman", "Abd al-Rahman al-Qaduli")])
def test_a_given_name_with_its_connector_is_one_name(a, b):
    """"Abdul Rauf" is the one given name Abd al-Rauf, "Abu Hamza" a kunya: as little
    to tell a person by as one word."""
    assert align(words(a), words(b)) is None
    # with a family name it is a name like any other, which may leave a middle name out
    assert align(words(a + " Azhar"), words(a + " Asghar Azhar")) is not None


def test_candidates_are_the_forms_sharing_most_blocks(tmp_path):
    """Many forms share "Salim"; the one that also shares the surname's block is aligned
    even when rapidfuzz ranks shorter names first."""
    others = "".join(f"  - {{id: s{i}, name: Salim {name}, type: PERSON}}\n"
                     for i, name in enumerate(["Koni", "Borji", "Esa", "Kazi", "Sami", "Kuni",
                                               "Omar", "Iyad", "Nuri", "Badr"]))
    path = tmp_path / "aliases.yaml"
    path.write_text("entities:\n" + others + "  - {id: kuwari, name: Salim Hasan Khalifah "
                    "Rashid al-Kuwari, type: PERSON}\n", encoding="utf-8")
    table = AliasTable.load(path)
    query = words("Salim al-Kowari")
    assert any(table.entries[table._form_entries[f]].id == "kuwari"
               for f in table._candidates(query))


def _crowded_table(tmp_path, crowd, target):
    """A table of people: ``crowd`` (names) and ``target`` (id "target")."""
    rows = "".join(f"  - {{id: c{i}, name: {name}, type: PERSON}}\n"
                   for i, name in enumerate(crowd))
    path = tmp_path / "aliases.yaml"
    path.write_text(f"entities:\n{rows}  - {{id: target, name: {target}, type: PERSON}}\n",
                    encoding="utf-8")
    return AliasTable.load(path)


def _candidate_ids(table, name):
    return {table.entries[table._form_entries[f]].id for f in table._candidates(words(name))}


def test_a_rare_shared_block_outweighs_common_ones(tmp_path):
    """"Alireza Fadakar" shares two blocks with "Ali Reza Fedakar" (the joined given name
    and the rare surname); each "Ali Reza ..." shares more, but only common ones."""
    crowd = [f"Ali Reza {s}" for s in ("Zahedi", "Tangsiri", "Kasabi", "Moradi", "Karimi",
                                        "Jafari", "Rahimi", "Nazari", "Amini", "Ahmadi")]
    table = _crowded_table(tmp_path, crowd, "Alireza Fadakar")
    assert "target" in _candidate_ids(table, "Ali Reza Fedakar")
    assert table.lookup("Ali Reza Fedakar", label="PERSON", min_score=0.5).id == "target"


def test_two_words_are_also_looked_up_as_one(tmp_path):
    crowd = [f"Mohammad Khalil {s}" for s in ("Amini", "Rahimi", "Nazari", "Ahmadi", "Jafari",
                                               "Karimi", "Moradi", "Hosseini")]
    table = _crowded_table(tmp_path, crowd, "Mohammad Khalilzadeh")
    assert "target" in _candidate_ids(table, "Mohammed Khalil Zadeh")


@pytest.mark.parametrize("a, b", [("Mohammad Atabak", "Seyyed Mohammad Atabak"),
                                  ("Hasan Mortezavi", "Sayyed Hasan Mortezavi"),
                                  ("Seyedmehdi Najafi", "Seyed Mehdi Najafi"),
                                  ("U Thein Soe", "Thein Soe")])
def test_an_honorific_that_begins_a_name_may_be_left_out(a, b):
    for query, form in ((a, b), (b, a)):
        found = align(words(query), words(form))
        assert found is not None and found.dropped_edge == 0, (query, form)
    assert words("Seyyed Mohammad Atabak")[0].kind == "honorific"
    # only where a name begins: inside a name it is a name ("Ali Sayed")
    assert words("Ali Sayed")[1].kind == "name"


@pytest.mark.parametrize("a, b", [("Ali Jafari", "Mohammad Ali Jafari"),
                                  ("Antonio Galarza Coronado", "Jose Antonio Galarza Coronado"),
                                  ("Aziz Haqqani", "Abdul Aziz Haqqani")])
def test_a_leading_given_name_may_be_left_out(a, b):
    for query, form in ((a, b), (b, a)):
        found = align(words(query), words(form))
        assert found is not None and found.pairs == len(words(a)), (query, form)


def test_only_leading_given_names_may_be_left_out():
    # a first name that pairs with the other's middle name is not enough in general
    assert align(words("Pierre Trudeau"), words("Justin Pierre James Trudeau")) is None
    # and a leading given name left out still leaves the next to agree
    assert align(words("Reza Jafari"), words("Mohammad Ali Jafari")) is None


def test_an_honorific_does_not_make_two_given_names_one():
    assert align(words("Seyed Ali Tabatabaei"), words("Seyed Mohammad Tabatabaei")) is None
    assert align(words("Ali Tabatabaei"), words("Seyed Mohammad Tabatabaei")) is None


def test_words_beginning_with_different_vowels_share_a_skeleton():
    assert word_similarity(words("issa")[0], words("essa")[0]) >= 0.75
    assert align(words("Aguila Saleh Issa"), words("Agila Saleh Essa")) is not None
    # given-name groups still tell names apart
    assert word_similarity(words("omar")[0], words("amir")[0]) < 0.75


@pytest.mark.parametrize("a, b", [("zimovsky", "zimousky"), ("novikov", "novikau"),
                                  ("zimowski", "zimousky"), ("tikhanovskaya", "tikhanouskaya")])
def test_a_closing_v_is_the_belarusian_u(a, b):
    assert sound_key(a) == sound_key(b)
    # before a vowel it is a consonant
    assert sound_key("pavel") != sound_key("paul")


@pytest.mark.parametrize("a, b", [("Gennadi Kazakevich", "Henadz Kazakevich"),
                                  ("Victor Lukashenko", "Viktar Lukashenka"),
                                  ("Oleg Slizhevsky", "Aleh Slizheuski"),
                                  ("Iryna Kosareva", "Irina Kosareva")])
def test_east_slavic_given_names_pair_in_every_romanisation(tmp_path, a, b):
    table = _crowded_table(tmp_path, ["Pavel Sidorov", "Anna Petrova", "Ivan Kozlov",
                                      "Olga Popova", "Boris Volkov"], b)
    match = table.lookup(a, label="PERSON")
    assert match is not None and match.id == "target"


@pytest.mark.parametrize("a, b", [("Mohammed Alotaibi", "Mohammad al-Otaibi"),
                                  ("Ibrahim Albaker", "Ibrahim al-Baker"),
                                  ("Jaish Khaled bin Alwaleed", "Khalid bin al-Walid Army")])
def test_an_article_written_into_a_name_is_the_article(tmp_path, a, b):
    assert word_similarity(words("alotaibi")[0], words("otaibi")[0]) >= 0.9
    crowd = [f"{a.split()[0]} {s}" for s in ("Amini", "Rahimi", "Nazari", "Ahmadi", "Jafari")]
    table = _crowded_table(tmp_path, crowd, b)
    assert "target" in _candidate_ids(table, a)
    assert table.lookup(a, min_score=0.5).id == "target"


def test_a_word_the_table_knows_is_not_read_without_al(tmp_path):
    """"Alvarez" is a name of the table: it does not also look where "Varez" is filed."""
    table = _crowded_table(tmp_path, ["Joel Alvarez Vasquez"], "Varez Vasquez")
    found = aliases_module._query_keys(words("Joel Alvarez"), table._frequency.__contains__)
    assert not found & set(aliases_module._block_keys(words("Varez")))
    table = _crowded_table(tmp_path, ["Joel Valdez Vasquez"], "Otaibi Vasquez")
    found = aliases_module._query_keys(words("Joel Alotaibi"), table._frequency.__contains__)
    assert found & set(aliases_module._block_keys(words("Otaibi")))


@pytest.mark.parametrize("a, b", [("Il-Gyu Pak", "Il-Kyu Pak"), ("Ho-Chin Yun", "Ho-Jin Yun"),
                                  ("Che-Son Ri", "Je-Son Ri"), ("Chung Chong Kim", "Jung Jong Kim"),
                                  ("Seung Hyok Ku", "Sung Hyeok Ku")])
def test_korean_syllables_pair_in_two_romanisations(tmp_path, a, b):
    crowd = [f"{s} Kim" for s in ("Tong-chol", "Yong-ho", "Kwang-il", "Myong-su", "Song-nam")]
    table = _crowded_table(tmp_path, crowd, b)
    assert "target" in _candidate_ids(table, a)
    assert table.lookup(a, label="PERSON").id == "target"


def test_syllables_that_differ_beyond_romanisation_stay_apart():
    assert syllable("chol") == syllable("cheol") and syllable("gyu") == syllable("kyu")
    assert syllable("chol") != syllable("chun") and syllable("sub") != syllable("sop")
    # two given names of one family are two people, in any romanisation
    assert align(words("Kim Jong-un"), words("Kim Jong-chol")) is None
    assert align(words("Kim Yo-jong"), words("Gim Jong-un")) is None
    # a word of more than one syllable is not folded ("Dahir", "Tahir")
    assert syllable("dahir") == ""


def test_syllables_are_filed_only_in_names_of_syllables():
    """"Joel" is one syllable, but "Joel Valdez Benites" is no Korean or Chinese name: it
    is not filed under its syllables, where it would outweigh better candidates."""
    assert not any(k.startswith("~") for k in aliases_module._block_keys(words("Joel Valdez")))
    assert "~gyu" in aliases_module._block_keys(words("Il-Kyu Pak"))


@pytest.mark.parametrize("a, b", [("Office of the Quartermaster General",
                                   "Quartermaster General Office"),
                                  ("People's Republic of Luhansk", "Luhansk People's Republic"),
                                  ("Army of Khaled bin Alwaleed", "Khalid bin al-Walid Army")])
def test_an_organisation_named_with_of_is_the_one_named_without(a, b):
    found = align(words(a), words(b), person=False)
    assert found is not None and found.rotated and found.dropped_edge == 0
    # the pairs name the query's and the form's words as written, "of" and "the" left out
    assert {words(a)[i].text for i, _ in found.paired}.isdisjoint({"of", "the"})
    assert all(word_similarity(words(a)[i], words(b)[j]) >= 0.75 for i, j in found.paired)
    found = align(words(b), words(a), person=False)
    assert all(word_similarity(words(b)[i], words(a)[j]) >= 0.75 for i, j in found.paired)
    # a person's words keep their order, linking words or not
    assert align(words(a), words(b), person=True) is None


def plain_words(tokens):
    """words_of() as the rules say: each token's kind by its place, without caches."""
    data = name_data()
    found = []
    for i, token in enumerate(tokens):
        if token in data.legal_forms and i > 0:
            kind = "legal"
        elif token in data.honorifics and i == 0:
            kind = "honorific"
        elif len(token) == 1:
            kind = "initial"
        elif 0 < i < len(tokens) - 1 and token.endswith(data.patronymic_endings):
            kind = "patronymic"
        elif token in data.numbers:
            kind = "number"
        else:
            kind = "name"
        found.append((token, spelling(data.numbers.get(token, token)), kind,
                      data.word_groups.get(spelling(token), "")))
    return tuple(found)


@given(st.lists(st.sampled_from(["ali", "hasan", "ltd", "gmbh", "a", "j", "ivanovich", "14",
                                 "fourteen", "oleksandr", "aleksandr", "west", "co", "x",
                                 "seyed"]),
                max_size=5))
def test_words_follow_the_plain_rules(tokens):
    assert [tuple(w) for w in words_of(tuple(tokens))] == list(plain_words(tokens))


def test_a_word_in_one_place_is_one_object_in_every_name():
    first = words_of(("hasan", "ali", "musa"))
    second = words_of(("hasan", "ali", "bakr", "musa"))
    assert first[0] is second[0] and first[1] is second[1] and first[2] is second[3]
    assert words_of(("ali", "hasan"))[0] is not words_of(("hasan", "ali"))[1]  # other places


TWINS = """\
entities:
  - id: aweys-1
    name: Hassan Dahir Aweys
    type: PERSON
  - id: aweys-2
    name: Hassan Dahir Aweys
    type: PERSON
  - id: rihs-kuwait
    name: Revival Of Islamic Heritage Society
    type: ORG
  - id: rihs-pakistan
    name: Revival Of Islamic Heritage Society Pakistan
    type: ORG
    aliases: [Revival Of Islamic Heritage Society]
    not: [rihs-kuwait]
"""


def test_a_spelling_two_entities_fit_equally_well_resolves_to_neither(tmp_path):
    path = tmp_path / "twins.yaml"
    path.write_text(TWINS, encoding="utf-8")
    table = AliasTable.load(path, shared="ambiguous")
    assert table.lookup("Hassen Dahir Aweyes", label="PERSON", min_score=0.0) is None
    assert table.fuzzy_evidence("Hassen Dahir Aweyes", "PERSON") is None
    # one of two that fit equally well yields to the other (``not``): the other is meant
    evidence = table.fuzzy_evidence("Revival Islamic Heritage Society", "ORG")
    assert evidence is not None and table.entries[evidence[0]].id == "rihs-kuwait"
    assert evidence[1][FEATURES.index("margin")] == 0.0


def test_the_trees_are_walked_to_their_leaves():
    """Two trees by hand: the walk sums the leaves it ends on, whatever their depth."""
    score, person = FEATURES.index("score"), FEATURES.index("person")
    lists = [
        # score <= 0.8: -2; else person <= 0.5: +1, else +3
        {"feature": [score, 0, person, 0, 0], "split": [0.8, 0, 0.5, 0, 0],
         "left": [1, -1, 3, -1, -1], "right": [2, -1, 4, -1, -1],
         "value": [0, -2.0, 0, 1.0, 3.0]},
        {"feature": [0], "split": [0], "left": [-1], "right": [-1], "value": [0.5]},
    ]
    trees = TreeModel.from_lists(lists)
    assert trees.depth == 2
    values = [0.0] * len(FEATURES)
    values[score] = 0.8  # at the split goes left
    assert trees.log_odds(values) == pytest.approx(-1.5)
    values[score] = 0.9
    assert trees.log_odds(values) == pytest.approx(1.5)
    values[person] = 1.0
    assert trees.log_odds(values) == pytest.approx(3.5)
    assert TreeModel.from_lists(trees.to_lists()).log_odds(values) == trees.log_odds(values)


def test_the_score_is_the_mean_of_two_probabilities():
    def sigmoid(z):
        return 1 / (1 + math.exp(-z))
    lists = [{"feature": [0], "split": [0], "left": [-1], "right": [-1], "value": [2.0]}]
    logistic = LogisticModel((0.0,) * len(MODEL_INPUTS), -1.0)
    model = MatchModel(logistic, TreeModel.from_lists(lists), 0.5)
    values = [0.5] * len(FEATURES)
    assert model.probability(values) == pytest.approx((sigmoid(-1.0) + sigmoid(2.0)) / 2)
    again = MatchModel.from_json(model.to_json())
    assert again.probability(values) == model.probability(values)
    assert again.threshold == 0.5


def test_the_logistic_model_weighs_people_apart():
    values = [0.5] * len(FEATURES)
    for person in (0.0, 1.0):
        values[FEATURES.index("person")] = person
        inputs = model_inputs(values)
        assert len(inputs) == len(MODEL_INPUTS)
        assert inputs[MODEL_INPUTS.index("person*score")] == 0.5 * person
        assert inputs[MODEL_INPUTS.index("score^2")] == 0.25


def test_the_model_refuses_other_features():
    text = bundled_match_model().to_json().replace('"support"', '"popularity"')
    with pytest.raises(ValueError, match="other features"):
        MatchModel.from_json(text)


def test_the_bundled_model_orders_plain_cases():
    model = bundled_match_model()
    assert 0.5 <= model.threshold < 1.0
    perfect = dict(score=1.0, weakest=1.0, margin=1.0, pairs=0.75, whole=1.0, person=1.0,
                   query_covered=1.0, form_covered=1.0, ends_paired=2.0, rarest_paired=0.9,
                   commonest_paired=0.6, last_rarity=0.9, support=1.0)
    poor = dict(perfect, score=0.55, weakest=0.75, margin=0.02, whole=0.5, form_covered=0.4,
                dropped_edge=1.0, support=1 / 3)

    def probability(named):
        return model.probability([named.get(f, 0.0) for f in FEATURES])
    assert probability(perfect) >= model.threshold > probability(poor)


@given(st.lists(st.floats(0.0, 1.0), min_size=len(FEATURES), max_size=len(FEATURES)),
       st.sampled_from(sorted(MONOTONE)), st.floats(0.0, 1.0))
def test_the_trees_never_score_a_worse_fit_higher(values, name, change):
    """The bundled trees are monotone in the features MONOTONE marks: moving one of them
    the worse way never raises their output."""
    trees = bundled_match_model().trees
    i = FEATURES.index(name)
    better = list(values)
    worse = list(values)
    better[i], worse[i] = (max(values[i], change), min(values[i], change))
    if MONOTONE[name] < 0:
        better[i], worse[i] = worse[i], better[i]
    assert trees.log_odds(worse) <= trees.log_odds(better)


def test_the_bundled_model_is_what_training_on_dev_gives(bench, tmp_path):
    """benchmarks/train_name_model.py, run on the benchmark's dev split, gives the bundled
    trees and threshold: the shipped model fits today's features and training protocol.
    And the protocol holds on dev entities it never saw (one split of nested folds): asked
    for precision 0.96 with false merges at most 0.02, it keeps within the issue's 0.95
    and 0.03 there."""
    out = tmp_path / "model.json"
    run = subprocess.run([sys.executable, str(ROOT / "benchmarks" / "train_name_model.py"),
                          "--bench", str(bench), "--out", str(out), "--nested", "1"],
                         capture_output=True, text=True, timeout=900)
    assert run.returncode == 0, run.stderr
    assert "threshold" in run.stdout and "calibration" in run.stdout
    # calibrated: a score of 0.9 is right about 90% of the time on dev (held-out scores)
    error = re.search(r"expected calibration error \(ten buckets\): ([\d.]+)", run.stdout)
    assert error is not None and float(error.group(1)) < 0.03, run.stdout
    nested = re.search(r"^  0\.960: ([\d.]+) \([\d.]+\) ([\d.]+) ([\d.]+)", run.stdout, re.M)
    precision, recall, merges = map(float, nested.groups())
    assert precision >= 0.95 and merges <= 0.03 and recall > 0.4, run.stdout
    trained, bundled = MatchModel.from_json(out.read_text("utf-8")), bundled_match_model()
    assert trained.threshold == bundled.threshold
    rows = np.random.default_rng(0).random((200, len(FEATURES)))
    rows[:, FEATURES.index("person")] = rows[:, FEATURES.index("person")] > 0.5
    assert [trained.probability(r) for r in rows] == pytest.approx(
        [bundled.probability(r) for r in rows], abs=1e-6)
