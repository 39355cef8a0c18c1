"""The golden test: the article that started the project, end to end."""

import json
import subprocess
import sys

import pytest

from conftest import SEED, shared_dir

PROMPTS = ("Please enter your comment!", "Please enter your name here")
CAPTION = "Iraqi Prime Minister Mustafa Al-Kadhimi and US President Joe Biden"
KADHIMI = {"Al-Kazemi", "Mustafa Al-Kazemi", "Mustafa Al-Kadhimi"}

pytestmark = pytest.mark.model


def check_seed_record(record, source_text):
    text = record["text"]
    for prompt in PROMPTS:
        assert prompt not in text
    assert text.count(CAPTION) == 1
    # every other line of the article kept word for word, in order
    input_lines = [line.strip() for line in source_text.splitlines() if line.strip()]
    expected = [line for line in input_lines if line not in PROMPTS]
    expected.remove(CAPTION)  # one of the two copies
    assert [line for line in text.split("\n") if line] == expected
    assert sorted(r["rule"].split("/")[0] for r in record["removed"]) == [
        "comment-form", "comment-form", "duplicate"]
    for removal in record["removed"]:
        assert source_text[removal["start"]:removal["end"]] == removal["text"]
    entities = record["entities"]
    for entity in entities:
        assert text[entity["start"]:entity["end"]] == entity["text"]
    kadhimi = {e["id"] for e in entities if e["text"] in KADHIMI}
    assert kadhimi == {"mustafa-al-kadhimi"}
    assert {e["text"] for e in entities} >= KADHIMI
    biden = {e["id"] for e in entities if "Biden" in e["text"]}
    assert biden == {"joe-biden"}
    assert {e["id"] for e in entities if e["text"] in ("US", "America", "United States")} == {
        "united-states"}
    for name, entity_id in (("Iraq", "iraq"), ("ISIS", "islamic-state"), ("Baghdad", "baghdad"),
                            ("Washington", "washington-dc")):
        assert {e["id"] for e in entities if e["text"] == name} == {entity_id}, name


def test_seed_through_the_library(pipeline, seed_text):
    check_seed_record(pipeline(seed_text).to_dict(), seed_text)


@pytest.mark.parametrize("path", [SEED, shared_dir() / "seeds" / SEED.name.replace(
    "seed_article", "000_5d172536a0a7dcc0")], ids=["examples", "shared"])
def test_seed_through_the_command(path):
    if not path.exists():
        pytest.skip(f"{path} is not here")
    run = subprocess.run([sys.executable, "-m", "newsclean", "--format", "json", str(path)],
                         capture_output=True, text=True, check=False)
    assert run.returncode == 0, run.stderr
    record = json.loads(run.stdout)
    assert record["source"] == str(path)
    check_seed_record(record, path.read_text(encoding="utf-8"))
