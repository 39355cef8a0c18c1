"""The real ``newsclean`` command, run in a subprocess."""

import json
import os
import subprocess
import sys

import pytest

from conftest import SEED

pytestmark = pytest.mark.model


def newsclean(*args, stdin=None, cwd=None):
    return subprocess.run([sys.executable, "-m", "newsclean", *map(str, args)], input=stdin,
                          capture_output=True, text=True, check=False, cwd=cwd)


def assert_no_traceback(run):
    assert "Traceback" not in run.stderr


def test_text_output_is_the_cleaned_article():
    run = newsclean(SEED)
    assert run.returncode == 0, run.stderr
    assert "Please enter your comment!" not in run.stdout
    assert run.stdout.startswith("After the withdrawal of forces")
    assert run.stdout.endswith("the United States and Iraq.\n")


def test_stdin():
    run = newsclean("--format", "jsonl", "-", stdin="Joe Biden spoke.\n\nShare this:\n")
    assert run.returncode == 0, run.stderr
    record = json.loads(run.stdout)
    assert record["source"] == "<stdin>"
    assert record["text"] == "Joe Biden spoke."
    assert record["entities"][0]["id"] == "joe-biden"


def test_no_path_reads_stdin():
    run = newsclean("--no-entities", stdin="Body.\nPlease enter your name here\n")
    assert (run.returncode, run.stdout) == (0, "Body.\n")


def test_directory_is_recursed_in_order(tmp_path):
    (tmp_path / "b").mkdir()
    (tmp_path / "a.txt").write_text("Joe Biden spoke.")
    (tmp_path / "b" / "c.txt").write_text("Al-Kazemi spoke.")
    (tmp_path / "b" / "skip.png").write_bytes(b"\x89PNG")
    (tmp_path / ".hidden.txt").write_text("hidden")
    run = newsclean("--format", "jsonl", tmp_path)
    assert run.returncode == 0, run.stderr
    records = [json.loads(line) for line in run.stdout.splitlines()]
    assert [os.path.relpath(r["source"], tmp_path) for r in records] == ["a.txt", "b/c.txt"]


def test_json_of_several_documents_is_a_list(tmp_path):
    for name in ("one.txt", "two.txt"):
        (tmp_path / name).write_text(f"Text of {name}.")
    run = newsclean("--format", "json", "--no-entities", tmp_path / "one.txt",
                    tmp_path / "two.txt")
    assert [r["text"] for r in json.loads(run.stdout)] == ["Text of one.txt.",
                                                           "Text of two.txt."]


def test_jsonl_in_and_out_keeps_the_other_fields(tmp_path):
    path = tmp_path / "in.jsonl"
    path.write_text("\n".join(json.dumps(r) for r in [
        {"id": 1, "url": "https://example.org/a", "body": "Joe Biden spoke.\nShare this:"},
        {"id": 2, "url": "https://example.org/b", "body": "Al-Kadhimi spoke.", "tags": ["x"]},
    ]) + "\n")
    run = newsclean("--format", "jsonl", "--text-field", "body", path)
    assert run.returncode == 0, run.stderr
    first, second = (json.loads(line) for line in run.stdout.splitlines())
    assert (first["id"], first["url"], first["body"]) == (
        1, "https://example.org/a", "Joe Biden spoke.\nShare this:")
    assert first["text"] == "Joe Biden spoke."
    assert first["source"] == f"{path}:1"
    assert second["tags"] == ["x"] and second["source"] == f"{path}:2"
    assert second["entities"][0]["id"] == "mustafa-al-kadhimi"


def test_bad_records_are_reported_and_the_rest_done(tmp_path):
    path = tmp_path / "in.jsonl"
    path.write_text('{"text": "Joe Biden spoke."}\nnot json\n{"body": 1}\n{"text": "Fine."}\n')
    run = newsclean("--format", "jsonl", path)
    assert run.returncode == 1
    records = [json.loads(line) for line in run.stdout.splitlines()]
    assert [("error" in r) for r in records] == [False, True, True, False]
    assert records[1]["source"] == f"{path}:2"
    errors = run.stderr.strip().splitlines()
    assert len(errors) == 2
    assert errors[0].startswith(f"newsclean: error: {path}:2: not JSON")
    assert_no_traceback(run)


def test_missing_file_fails_alone(tmp_path):
    good = tmp_path / "good.txt"
    good.write_text("Joe Biden spoke.")
    run = newsclean("--no-entities", tmp_path / "missing.txt", good)
    assert run.returncode == 1
    assert run.stdout == "Joe Biden spoke.\n"
    assert run.stderr.count("\n") == 1 and "missing.txt: no such file" in run.stderr


def test_invalid_alias_table_exits_2_naming_file_and_line(tmp_path):
    table = tmp_path / "aliases.yaml"
    table.write_text("entities:\n  - id: a\n    name: A\n    type: PERSON\n    colour: red\n")
    run = newsclean("--aliases", table, SEED)
    assert run.returncode == 2
    assert run.stderr == f"newsclean: error: {table}:5: unknown key 'colour'; allowed: id," \
                         " name, type, aliases, not\n"
    assert run.stdout == ""


def test_custom_alias_table(tmp_path):
    table = tmp_path / "aliases.yaml"
    table.write_text("entities:\n  - {id: kadhimi, name: Kadhimi, type: PERSON,"
                     " aliases: [Mustafa Al-Kadhimi, Al-Kazemi, Mustafa Al-Kazemi]}\n")
    run = newsclean("--format", "json", "--aliases", table, SEED)
    ids = {e["id"] for e in json.loads(run.stdout)["entities"]}
    assert "kadhimi" in ids and "united-states" not in ids


def test_usage_errors_exit_2():
    run = newsclean("--format", "xml", SEED)
    assert run.returncode == 2 and "invalid choice" in run.stderr
    assert_no_traceback(run)


def test_unknown_model_exits_2():
    run = newsclean("--model", "no_such_pipeline_xx", SEED)
    assert run.returncode == 2
    assert run.stderr.startswith("newsclean: error: the spaCy pipeline 'no_such_pipeline_xx'")


def test_output_file_is_written_whole(tmp_path):
    out = tmp_path / "out.jsonl"
    out.write_text("previous\n")
    run = newsclean("--format", "jsonl", "-o", out, SEED)
    assert run.returncode == 0 and run.stdout == ""
    assert json.loads(out.read_text())["source"] == str(SEED)
    assert [p.name for p in tmp_path.iterdir()] == ["out.jsonl"]


def test_output_files_get_the_usual_permissions(tmp_path):
    import os
    import stat

    new = tmp_path / "new.txt"
    assert newsclean("--no-entities", "-o", new, SEED).returncode == 0
    mask = os.umask(0)
    os.umask(mask)
    assert stat.S_IMODE(new.stat().st_mode) == 0o666 & ~mask  # not mkstemp's 0600
    kept = tmp_path / "kept.txt"
    kept.write_text("previous\n")
    kept.chmod(0o640)
    assert newsclean("--no-entities", "-o", kept, SEED).returncode == 0
    assert stat.S_IMODE(kept.stat().st_mode) == 0o640  # a rewrite keeps the file's mode


def test_failed_run_leaves_the_previous_output(tmp_path):
    out = tmp_path / "out.txt"
    out.write_text("previous\n")
    bad = tmp_path / "bad.yaml"
    bad.write_text("entities: [")
    run = newsclean("--aliases", bad, "-o", out, SEED)
    assert run.returncode == 2
    assert out.read_text() == "previous\n"
    assert [p.name for p in tmp_path.iterdir()] == sorted(["bad.yaml", "out.txt"])


def test_latin1_is_read_and_named(tmp_path):
    path = tmp_path / "latin1.txt"
    path.write_bytes("Caf\xe9 in Baghdad".encode("latin-1"))
    run = newsclean("--no-entities", "--format", "jsonl", path)
    assert run.returncode == 0, run.stderr
    record = json.loads(run.stdout)
    assert (record["text"], record["encoding"]) == ("Caf\xe9 in Baghdad", "cp1252")


def test_binary_file_is_one_line_error(tmp_path):
    path = tmp_path / "image.txt"
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)))
    run = newsclean("--no-entities", path)
    assert run.returncode == 1
    assert run.stderr == f"newsclean: error: {path}: a binary file (a PNG image), not text\n"
    assert_no_traceback(run)


def test_version():
    import newsclean as package

    run = newsclean("--version")
    assert run.stdout.strip() == f"newsclean {package.__version__}"


def test_console_script_is_installed():
    run = subprocess.run(["newsclean", "--no-entities", str(SEED)], capture_output=True,
                         text=True, check=False)
    assert run.returncode == 0 and "Please enter" not in run.stdout


def test_html_input(tmp_path):
    page = tmp_path / "page.html"
    paragraph = ("Iraqi Prime Minister Mustafa Al-Kadhimi met US President Joe Biden in the"
                 " Oval Office on Monday to sign an agreement on the future of US forces.")
    page.write_text(
        "<html><head><title>Talks</title></head><body><nav><a href='/'>Home</a></nav>"
        f"<article><h1>Talks in Washington</h1><p>{paragraph}</p><p>{paragraph[:60]} and"
        " more words about the talks that went on for hours.</p>"
        "<p>Please enter your comment!</p></article>"
        "<footer>Copyright 2021 Example News</footer></body></html>")
    run = newsclean("--format", "json", page)
    assert run.returncode == 0, run.stderr
    record = json.loads(run.stdout)
    assert paragraph in record["text"]
    assert "Please enter your comment!" not in record["text"]
    assert "mustafa-al-kadhimi" in {e["id"] for e in record["entities"]}


def test_mode_and_corpus_options(tmp_path):
    menu = "\n".join(["* Home", "* World", "* Business", "* Sport", "* Opinion", "Sign in",
                      "Search", "Menu", "Subscribe", "* Contact"])
    body = ("The council voted on Monday to approve the new budget for the city, after a"
            " debate that lasted for more than six hours in the town hall.")
    page = tmp_path / "page.txt"
    page.write_text(f"{menu}\n{body}\n{body.replace('Monday', 'Tuesday')}\n{menu}\n")
    run = newsclean("--no-entities", "--mode", "page", page)
    assert run.returncode == 0 and "* Home" not in run.stdout and body in run.stdout
    run = newsclean("--no-entities", "--mode", "extracted", page)
    assert "* Home" in run.stdout
    records = tmp_path / "site.jsonl"
    records.write_text("".join(json.dumps({"url": f"https://example.org/{n}",
                                           "text": f"Story {n} of the day.\nPrinted by Example"
                                                   " News Corp"}) + "\n" for n in range(6)))
    with_corpus = newsclean("--no-entities", "--format", "jsonl", records)
    without = newsclean("--no-entities", "--format", "jsonl", "--no-corpus", records)
    assert all("Printed by" not in json.loads(x)["text"] for x in with_corpus.stdout.splitlines())
    assert all("Printed by" in json.loads(x)["text"] for x in without.stdout.splitlines())
