"""The views of a run (explain, report) and the alias-table tools, without the model."""

import io
import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from newsclean import AliasTable, Entity, Result
from newsclean.entities.check import check_tables
from newsclean.explain import ExplainWriter
from newsclean.report import Report
from newsclean.suggest import CandidateMiner, candidates_yaml
from newsclean.view import SourceTexts, document_lines, summarize_entities

# -- document_lines ------------------------------------------------------------------------


def test_seed_lines_are_placed_where_they_stood(cleaner, seed_text):
    result = cleaner(seed_text)
    lines = document_lines(seed_text, result)
    removed = [(line.text, line.rule) for line in lines if line.removed]
    assert removed == [(r.text, r.rule) for r in result.removed]
    texts = [line.text for line in lines]
    caption = "Iraqi Prime Minister Mustafa Al-Kadhimi and US President Joe Biden"
    first, second = [i for i, text in enumerate(texts) if text == caption]
    assert (lines[first].removed, lines[second].removed) == (False, True)
    assert second == first + 1
    assert texts[-2:] == ["Please enter your comment!", "Please enter your name here"]


def _kept_text(lines):
    """The cleaned text again: kept lines, a blank line where the input had one between."""
    parts = []
    gap = False
    for line in lines:
        gap = gap or line.gap
        if line.removed:
            continue
        if parts:
            parts.append("\n\n" if gap else "\n")
        parts.append(line.text)
        gap = False
    return "".join(parts)


line_text = st.sampled_from([
    "Please enter your comment!", "Share this:", "Advertisement", "", "  ",
    "The minister spoke on Monday about the plan.", "Read also: the budget",
    "Iraqi Prime Minister Mustafa Al-Kadhimi and US President Joe Biden", "Body\u00a0text  here",
    "Leave a Reply", "12 Comments", "It rained.",
])


@settings(max_examples=60, deadline=None)
@given(st.lists(line_text, max_size=25), st.sampled_from(["\n", "\r\n"]))
def test_kept_and_removed_lines_always_add_up(cleaner, lines, newline):
    text = newline.join(lines)
    result = cleaner(text)
    view = document_lines(text, result)
    assert _kept_text(view) == result.text
    assert [(v.text, v.rule) for v in view if v.removed] == \
        [(r.text, r.rule) for r in result.removed]


def test_without_the_source_removed_lines_follow(cleaner, seed_text):
    result = cleaner(seed_text)
    lines = document_lines(None, result)
    assert _kept_text(lines) == result.text
    assert [line.rule for line in lines if line.removed] == [r.rule for r in result.removed]
    assert all(line.removed for line in lines[-len(result.removed):])
    # a text that was not the one cleaned is not trusted either
    assert [line.text for line in document_lines("other text", result)] == \
        [line.text for line in lines]


def test_entities_are_cut_to_their_line():
    result = Result("Joe\nBiden spoke.", entities=(Entity("Joe\nBiden", 0, 9, "PERSON", "j",
                                                          "Joe Biden", 1.0, "exact"),))
    lines = document_lines("Joe\nBiden spoke.", result)
    assert [(e.text, e.start, e.end) for line in lines for e in line.entities] == \
        [("Joe", 0, 3), ("Biden", 0, 5)]


def test_source_texts_pair_in_order():
    from newsclean.result import Document

    texts = SourceTexts(iter([Document("a"), Document("b")]))
    iterator = iter(texts)
    next(iterator)
    next(iterator)
    assert (texts.pop(), texts.pop(), texts.pop()) == ("a", "b", None)


# -- explain -------------------------------------------------------------------------------

KAZEMI = Entity("Al-Kazemi", 0, 9, "PERSON", "mustafa-al-kadhimi", "Mustafa Al-Kadhimi", 1.0,
                "exact")


def test_plain_explain_marks_removed_lines_and_names(cleaner, monkeypatch):
    monkeypatch.delenv("FORCE_COLOR", raising=False)
    text = "Al-Kazemi spoke.\n\nPlease enter your comment!"
    result = cleaner(text)
    result = Result(result.text, result.removed, (KAZEMI,), "doc.txt")
    out = io.StringIO()
    writer = ExplainWriter(out)
    writer.write(result, text)
    shown = out.getvalue()
    assert "\x1b[" not in shown  # not a terminal: no escape codes
    assert "  Al-Kazemi[Mustafa Al-Kadhimi 1.00 exact] spoke.\n" in shown
    assert "- Please enter your comment!  [comment-form/prompt]\n" in shown
    assert "Mustafa Al-Kadhimi (mustafa-al-kadhimi, PERSON): Al-Kazemi x1; exact 1" in shown
    assert shown.startswith("== doc.txt: 1 lines kept, 1 removed, 1 entity mentions\n")


def test_rich_explain_strikes_removed_lines(cleaner, monkeypatch):
    monkeypatch.setenv("FORCE_COLOR", "1")
    monkeypatch.delenv("NO_COLOR", raising=False)
    text = "Al-Kazemi spoke.\nShare this:"
    result = cleaner(text)
    out = io.StringIO()
    ExplainWriter(out).write(Result(result.text, result.removed, (KAZEMI,)), text)
    shown = out.getvalue()
    struck = re.search(r"\x1b\[([0-9;]*)mShare this:", shown)
    assert struck is not None and "9" in struck.group(1).split(";"), shown
    assert re.search(r"\x1b\[[0-9;]*m\[share/[a-z-]+\]", shown)
    assert "Al-Kazemi" in shown and "[Mustafa Al-Kadhimi 1.00 exact]" in shown


# -- report --------------------------------------------------------------------------------


def _marks(page):
    """(text, hue, title) of every highlighted mention."""
    return re.findall(r'<mark class="ent[^"]*" style="--h:(\d+)" title="([^"]*)">([^<]*)<', page)


def test_report_colours_one_entity_one_way_and_strikes_removed_lines(cleaner, seed_text):
    result = cleaner(seed_text)
    entities = (
        Entity("Al-Kazemi", 0, 9, "PERSON", "mustafa-al-kadhimi", "Mustafa Al-Kadhimi", 1.0,
               "exact"),
        Entity("Kadhimi", 10, 17, "PERSON", "mustafa-al-kadhimi", "Mustafa Al-Kadhimi", 1.0,
               "exact"),
        Entity("Biden", 18, 23, "PERSON", "joe-biden", "Joe Biden", 0.95, "short-form"),
    )
    text = "Al-Kazemi Kadhimi Biden said.\nPlease enter your comment!"
    cleaned = cleaner(text)
    report = Report()
    report.add(Result(cleaned.text, cleaned.removed, entities, "a.txt"), text)
    report.add(result, seed_text)
    page = report.render()
    marks = _marks(page)
    hues = {title.split(" (")[0]: hue for hue, title, _ in marks}
    assert {text for _, _, text in marks} == {"Al-Kazemi", "Kadhimi", "Biden"}
    assert len({hue for hue, title, _ in marks if title.startswith("Mustafa")}) == 1
    assert hues["Mustafa Al-Kadhimi"] != hues["Joe Biden"]
    assert page.count("<del>Please enter your comment!</del>") == 2
    assert '<span class="rule">comment-form/prompt</span>' in page
    assert "<del>Iraqi Prime Minister Mustafa Al-Kadhimi and US President Joe Biden</del>" in page
    assert "short-form 0.95" in page
    assert not re.search(r"""(src|href)=["']?(https?:)?//""", page)
    assert "default-src 'none'" in page


def test_report_folds_long_runs_and_escapes_html():
    lines = [f"Menu item {i}" for i in range(6)]
    text = "<b>Body</b> & more.\n" + "\n".join(lines)
    removed = []
    offset = len("<b>Body</b> & more.\n")
    from newsclean.result import Removal

    for line in lines:
        removed.append(Removal(offset, offset + len(line), line, "lines/not-article"))
        offset += len(line) + 1
    report = Report("A <title>")
    report.add(Result("<b>Body</b> & more.", tuple(removed)), text)
    page = report.render()
    assert "&lt;b&gt;Body&lt;/b&gt; &amp; more." in page and "<b>Body" not in page
    assert "<title>A &lt;title&gt;</title>" in page
    assert "<summary>6 lines removed: lines/not-article 6</summary>" in page


def test_report_shows_failures():
    from newsclean.result import Failure

    report = Report()
    report.add(Failure("cannot read: no such file", "gone.txt"))
    page = report.render()
    assert "gone.txt" in page and "Not processed: cannot read: no such file" in page
    assert "1 document (1 failed)" in page


def test_summary_counts_spellings_across_documents():
    one = Result("x", entities=(KAZEMI, KAZEMI))
    two = Result("x", entities=(Entity("Kadhimi", 0, 7, "PERSON", "mustafa-al-kadhimi",
                                       "Mustafa Al-Kadhimi", 1.0, "key"),))
    (summary,) = summarize_entities([one, two])
    assert (summary.mentions, summary.documents) == (3, 2)
    assert summary.variants == {"Al-Kazemi": 2, "Kadhimi": 1}
    assert summary.methods == {"exact": 2, "key": 1}


# -- aliases check ---------------------------------------------------------------------------

BAD_TABLE = """\
entities:
  - id: hadi-al-amiri
    alias: [x]
    name: Hadi al-Amiri
    type: PERSON
  - id: Hadi Amiri
    name: Hadi Amiri
    type: PERSON
  - id: hadi-amiri
    name: Hadi al-Amiri
    type: PERSON
    aliases: [Al-Amiri]
  - id: amiri-2
    name: Al-Amiri
    type: PERSON
  - id: hadi-amiri
    name: Other
    type: PERSON
"""


def test_check_reports_every_problem_with_its_line(write):
    path = write("bad.yaml", BAD_TABLE)
    problems = check_tables(path)
    assert [(p.path, p.line) for p in problems] == [(str(path), n) for n in (3, 6, 13, 16)]
    assert "unknown key 'alias'" in str(problems[0])
    assert "'Al-Amiri' names both hadi-amiri" in str(problems[2])
    assert "duplicate id 'hadi-amiri'" in str(problems[3])
    with pytest.raises(Exception) as first:
        AliasTable.load(path)
    assert str(first.value) == str(problems[0])


def test_check_accepts_what_load_accepts(write):
    from conftest import ROOT

    assert check_tables(ROOT / "data" / "aliases.yaml") == []
    one = write("one.yaml", "entities:\n  - {id: a, name: Al Pha, type: ORG}\n")
    two = write("two.yaml", "entities:\n  - {id: a, name: Alpha Two, type: ORG}\n")
    (problem,) = check_tables(one, two)
    assert (problem.path, problem.line) == (str(two), 2)
    broken = write("x.yaml", "entities: [1, {id: b}]")
    assert [str(p) for p in check_tables(broken)] == [
        f"{broken}:1: each entity is a mapping with id, name, type and aliases",
        f"{broken}:1: 'name' must be a non-empty string",
    ]
    assert "cannot read" in str(check_tables(one.parent / "missing.yaml")[0])


# -- aliases suggest -------------------------------------------------------------------------


def _cluster(text, start, key, canonical=None, label="PERSON", score=1.0):
    return Entity(text, start, start + len(text), label, key, canonical or text, score,
                  "cluster")


def test_suggest_groups_spellings_and_folds_short_forms():
    miner = CandidateMiner(AliasTable.bundled())
    first = "Hadi al-Amiri spoke. Al-Amiri left. Joe Biden too."
    miner.add(Result(first, entities=(
        _cluster("Hadi al-Amiri", 0, "unk-hadi-amiri"),
        _cluster("Al-Amiri", 21, "unk-hadi-amiri", "Hadi al-Amiri", 0.95),
        Entity("Joe Biden", 36, 45, "PERSON", "joe-biden", "Joe Biden", 1.0, "exact"),
    ), source="one.txt"))
    second = "Al-Amiri came back. Al-Amiri again."
    miner.add(Result(second, entities=(_cluster("Al-Amiri", 0, "unk-amiri"),
                                       _cluster("Al-Amiri", 20, "unk-amiri")),
                     source="two.txt"))
    (candidate,) = miner.candidates(min_mentions=2)
    assert (candidate.id, candidate.name, candidate.type) == ("hadi-al-amiri", "Hadi al-Amiri",
                                                              "PERSON")
    assert dict(candidate.variants) == {"Hadi al-Amiri": 1, "Al-Amiri": 3}
    assert candidate.aliases == ["Al-Amiri"]
    assert (candidate.mentions, candidate.documents) == (4, 2)
    assert {e.source for e in candidate.chosen_examples()} == {"one.txt", "two.txt"}


def test_suggest_leaves_out_known_names_noise_and_rare_ones():
    miner = CandidateMiner(AliasTable.bundled())
    text = "Biden said. laboris nisi ut aliquip ex ea commodo. Lorem ipsum Duis aute.\nZed."
    miner.add(Result(text, entities=(
        Entity("Biden", 0, 5, "PERSON", "joe-biden", "Joe Biden", 0.95, "short-form"),
        _cluster("laboris nisi", text.index("laboris"), "unk-laboris-nisi"),
        _cluster("Duis", text.index("Duis"), "unk-duis"),
        _cluster("Zed", text.index("Zed"), "unk-zed"),
    )))
    miner.add(Result("Biden and Biden.", entities=(_cluster("Biden", 0, "unk-biden"),
                                                   _cluster("Biden", 10, "unk-biden"))))
    assert miner.candidates(min_mentions=1) == miner.candidates(min_mentions=1)
    names = [c.name for c in miner.candidates(min_mentions=1)]
    assert names == ["Zed"]
    assert miner.candidates(min_mentions=2) == []


def test_suggest_keeps_names_of_scripts_its_ids_cannot_spell_apart():
    miner = CandidateMiner()
    miner.add(Result("Путин и Песков. Путин.", entities=(
        _cluster("Путин", 0, "unk-"), _cluster("Песков", 8, "unk-"),
        _cluster("Путин", 16, "unk-"))))
    candidates = miner.candidates(min_mentions=1)
    assert [(c.name, c.mentions) for c in candidates] == [("Путин", 2), ("Песков", 1)]
    assert [c.id for c in candidates] == ["candidate-1", "candidate-2"]


def test_suggested_yaml_loads_as_a_table_beside_the_bundled_one(write):
    from conftest import ROOT

    miner = CandidateMiner(AliasTable.bundled())
    text = "Hadi al-Amiri met Hadi Al-Ameri. Al-Amiri: “yes”.\nIraq"
    miner.add(Result(text, entities=(
        _cluster("Hadi al-Amiri", 0, "unk-hadi-amiri"),
        _cluster("Hadi Al-Ameri", 18, "unk-hadi-amiri", "Hadi al-Amiri"),
        _cluster("Al-Amiri", 33, "unk-hadi-amiri", "Hadi al-Amiri", 0.95),
        _cluster("Iraq", 50, "unk-iraq-2", label="GPE"),  # a table name: left out
    ), source="a.jsonl:1"))
    text = candidates_yaml(miner.candidates(min_mentions=1), documents=1, tool="a test")
    path = write("candidates.yaml", text)
    table = AliasTable.load(ROOT / "data" / "aliases.yaml", path)
    assert table.get("hadi-al-amiri").aliases == ("Al-Amiri", "Hadi Al-Ameri")
    assert "Iraq" not in text.split("entities:")[1]
    assert "# 1. 3 mentions in 1 document; spellings: Al-Amiri 1, Hadi Al-Ameri 1," in text
    assert "“Hadi al-Amiri met Hadi Al-Ameri.” (a.jsonl:1)" in text
    empty = write("empty.yaml", candidates_yaml([], documents=0, tool="a test"))
    assert len(AliasTable.load(empty)) == 0
