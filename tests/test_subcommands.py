"""`newsclean --explain`, `newsclean report` and `newsclean aliases`, run as a user runs them."""

import json
import re

import pytest

from conftest import ROOT, SEED
from newsclean import AliasTable
from test_cli import assert_no_traceback, newsclean

pytestmark = pytest.mark.model


def test_explain_plain_shows_rules_and_entities():
    run = newsclean("--explain", SEED)
    assert run.returncode == 0, run.stderr
    lines = run.stdout.splitlines()
    assert lines[0] == f"== {SEED}: 14 lines kept, 3 removed, 50 entity mentions"
    assert "- Please enter your comment!  [comment-form/prompt]" in lines
    assert "- Please enter your name here  [comment-form/prompt]" in lines
    caption = "Iraqi Prime Minister Mustafa Al-Kadhimi and US President Joe Biden"
    assert f"- {caption}  [duplicate/exact]" in lines
    assert any(line.startswith("  Biden[Joe Biden 0.95 short-form] and"
                               " Al-Kazemi[Mustafa Al-Kadhimi 1.00 exact]") for line in lines)
    assert "  Mustafa Al-Kadhimi (mustafa-al-kadhimi, PERSON): Al-Kazemi x2," \
           " Mustafa Al-Kazemi x2, Mustafa Al-Kadhimi x1; exact 5" in lines
    assert "\x1b[" not in run.stdout


def test_explain_on_a_terminal_is_coloured(tmp_path):
    import os
    import subprocess
    import sys

    env = {**os.environ, "FORCE_COLOR": "1", "COLUMNS": "200"}
    env.pop("NO_COLOR", None)
    run = subprocess.run([sys.executable, "-m", "newsclean", "--explain", str(SEED)],
                         capture_output=True, text=True, env=env, check=False)
    assert run.returncode == 0, run.stderr
    assert re.search(r"\x1b\[(?:\d+;)*9(?:;\d+)*mPlease enter your comment!", run.stdout)
    def colours(name):  # bold, underlined, in the entity's colour
        return set(re.findall(rf"\x1b\[1;4;(\d+)m{name}\x1b", run.stdout))

    kazemi, kadhimi, biden = colours("Al-Kazemi"), colours("Mustafa Al-Kadhimi"), \
        colours("Joe Biden")
    assert len(kazemi) == 1 and kazemi == kadhimi and biden and biden != kazemi


def test_explain_writes_to_a_file_and_takes_no_entities(tmp_path):
    out = tmp_path / "explain.txt"
    run = newsclean("--explain", "--no-entities", SEED, "-o", out)
    assert (run.returncode, run.stdout) == (0, "")
    shown = out.read_text()
    assert "0 entity mentions" in shown and "[comment-form/prompt]" in shown
    assert "entities:" not in shown


def test_report_of_the_seed(tmp_path):
    out = tmp_path / "report.html"
    run = newsclean("report", SEED, "-o", out)
    assert run.returncode == 0, run.stderr
    page = out.read_text()
    marks = re.findall(r'<mark class="ent[^"]*" style="--h:(\d+)" title="([^"(]*) \(', page)
    by_entity: dict = {}
    for hue, canonical in marks:
        by_entity.setdefault(canonical, set()).add(hue)
    assert by_entity["Mustafa Al-Kadhimi"] and len(by_entity["Mustafa Al-Kadhimi"]) == 1
    assert by_entity["Mustafa Al-Kadhimi"] != by_entity["Joe Biden"]
    texts = re.findall(r'title="Mustafa Al-Kadhimi \(mustafa-al-kadhimi\)[^"]*">([^<]+)<', page)
    assert set(texts) == {"Al-Kazemi", "Mustafa Al-Kazemi", "Mustafa Al-Kadhimi"}
    assert "<del>Please enter your comment!</del>" in page
    caption = "Iraqi Prime Minister Mustafa Al-Kadhimi and US President Joe Biden"
    assert page.count(f"<del>{caption}</del>") == 1
    assert not re.search(r"""(src|href)=["']?(https?:)?//""", page)


def test_report_counts_failures_and_reads_stdin(tmp_path):
    run = newsclean("report", "-", tmp_path / "missing.txt",
                    stdin="Joe Biden spoke.\nShare this:\n")
    assert run.returncode == 1
    assert f"{tmp_path / 'missing.txt'}: no such file or directory" in run.stderr
    assert "<del>Share this:</del>" in run.stdout
    assert "Not processed: no such file or directory" in run.stdout
    assert_no_traceback(run)


def test_a_file_named_like_a_subcommand(tmp_path):
    (tmp_path / "report").write_text("Joe Biden spoke.\n\nPlease enter your comment!\n")
    run = newsclean("--no-entities", "./report", cwd=tmp_path)
    assert (run.returncode, run.stdout) == (0, "Joe Biden spoke.\n")
    run = newsclean("--no-entities", "report", cwd=tmp_path)  # not first: a path
    assert (run.returncode, run.stdout) == (0, "Joe Biden spoke.\n")
    run = newsclean("report", "--no-entities", "./report", cwd=tmp_path)  # first: the command
    assert run.returncode == 0 and run.stdout.startswith("<!DOCTYPE html>")


def test_bad_usage_of_subcommands_exits_2():
    for args in (["aliases"], ["aliases", "nope"], ["aliases", "check"],
                 ["aliases", "suggest", "--limit", "0"], ["report", "--nope"]):
        run = newsclean(*args)
        assert run.returncode == 2, args
        assert_no_traceback(run)


def test_aliases_check_exit_codes(tmp_path):
    run = newsclean("aliases", "check", ROOT / "data" / "aliases.yaml")
    assert run.returncode == 0 and "no problem found" in run.stderr
    bad = tmp_path / "bad.yaml"
    bad.write_text("entities:\n  - id: A\n    name: x\n    type: PERSON\n"
                   "  - {id: b, name: y, type: PERSON, colour: red}\n")
    run = newsclean("aliases", "check", bad, ROOT / "data" / "aliases.yaml")
    assert run.returncode == 2
    assert run.stderr.splitlines() == [
        f"newsclean: error: {bad}:2: id 'A' must be a lower-case slug (a-z, 0-9, -)",
        f"newsclean: error: {bad}:5: unknown key 'colour'; allowed: id, name, type, aliases,"
        " not",
        "newsclean: error: 2 problems found",
    ]
    assert run.stdout == ""


def test_aliases_suggest_over_text_files(tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    texts = [
        "Militia leader Hadi al-Amiri met Joe Biden in Baghdad on Monday.\n\n"
        "Al-Amiri said the talks went well.",
        "Hadi al-Amiri returned to Basra on Tuesday.\n\nShare this:",
        "The Zorblatt Corporation opened a plant in Iraq.\n\n"
        "Zorblatt Corporation shares rose, analyst Qorvan Delibash said.",
    ]
    for number, text in enumerate(texts):
        (corpus / f"{number}.txt").write_text(text)
    out = tmp_path / "candidates.yaml"
    run = newsclean("aliases", "suggest", corpus, "-o", out)
    assert run.returncode == 0, run.stderr
    assert f"candidates from 3 documents written to {out}" in run.stderr
    table = AliasTable.load(ROOT / "data" / "aliases.yaml", out)  # loads beside the bundled
    text = out.read_text()
    amiri = table.get("hadi-al-amiri")
    assert amiri is not None and amiri.type == "PERSON" and amiri.name == "Hadi al-Amiri"
    # the short form joins the full name's cluster
    assert "# 1. 3 mentions in 2 documents; spellings: Hadi al-Amiri 2, Al-Amiri 1\n" in text
    assert amiri.aliases == ("Al-Amiri",)
    assert "“Hadi al-Amiri returned to Basra on Tuesday.”" in text
    zorblatt = table.get("zorblatt-corporation")
    assert zorblatt is not None and zorblatt.type in ("ORG", "PERSON")
    assert len([e for e in table.entries if e.path == str(out)]) == 2  # single mentions: out
    everything = newsclean("aliases", "suggest", corpus, "--min-mentions", "1")
    assert everything.stdout.count("  - id: ") > 2
    for known in ("Joe Biden", "Baghdad", "Iraq", "Basra"):
        assert f"name: {known}\n" not in text
    limited = newsclean("aliases", "suggest", corpus, "--limit", "1")
    assert limited.returncode == 0 and limited.stdout.count("  - id: ") == 1


def test_aliases_suggest_over_dev_pages(bench, tmp_path):
    pages = [json.loads(line) for line in
             (bench / "boiler" / "page_text.jsonl").read_text(encoding="utf-8").splitlines()]
    dev = [p for p in pages if p["split"] == "dev" and p.get("lang", "en") == "en"][:40]
    source = tmp_path / "dev.jsonl"
    source.write_text("".join(json.dumps(p) + "\n" for p in dev))
    out = tmp_path / "candidates.yaml"
    run = newsclean("aliases", "suggest", "--mode", "page", "--text-field", "input", source,
                    "-o", out)
    assert run.returncode == 0, run.stderr
    bundled = AliasTable.bundled()
    table = AliasTable.load(ROOT / "data" / "aliases.yaml", out)
    candidates = [e for e in table.entries if e.path == str(out)]
    assert len(candidates) >= 20
    for entry in candidates:
        for name in entry.names:
            assert bundled.lookup(name, entry.type) is None, name  # nothing the table knows
            assert any(ch.isupper() for ch in name), name
    counts = [int(n) for n in re.findall(r"^  # \d+\. \d+ mentions in (\d+) document",
                                         out.read_text(), re.M)]
    assert counts == sorted(counts, reverse=True) and counts[0] >= 3
