"""Bad input never crashes a run or loses a document: every case of docs/reliability.md.

Each input that real feeds contain is tried here, through the reader and the pipeline
(fast, no model) or through the real command in a subprocess. docs/reliability.md names
the test of each row, and ``test_every_test_named_in_the_table_exists`` keeps it true.
"""

from __future__ import annotations

import codecs
import contextlib
import ctypes
import gzip
import io
import json
import os
import re
import signal
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pytest

import newsclean
from conftest import ROOT, SEED
from newsclean.boilerplate.rules import (
    MATCH_TIMEOUT,
    RuleSet,
    adversarial_lines,
    too_slow,
)
from newsclean.errors import AliasTableError, RuleTableError
from newsclean.io import read_documents
from newsclean.normalize import normalize, normalize_line

ARTICLE = ("The council met on Monday to discuss the budget.\n\n"
           "Please enter your comment!\n"
           "The mayor said the new bridge would open in spring.\n")
CLEANED = ("The council met on Monday to discuss the budget.\n\n"
           "The mayor said the new bridge would open in spring.")
FRENCH = "Le café était fermé à cause de la grève, a déclaré le ministre de l'Économie."


def read(path, input_format="text", **options):
    return list(read_documents(str(path), input_format, "text", **options))


def records(cleaner, path, input_format="text", **options):
    """The output records of one input, as the CLI writes them."""
    documents = read(path, input_format, **options)
    return [outcome.to_dict() for outcome in cleaner.pipe(documents, errors="keep")]


def record(cleaner, path, input_format="text", **options):
    (only,) = records(cleaner, path, input_format, **options)
    return only


def newsclean_cli(*args, stdin=None, cwd=None, **popen):
    return subprocess.run([sys.executable, "-m", "newsclean", *map(str, args)], input=stdin,
                          capture_output=True, text=True, check=False, cwd=cwd, **popen)


def error_lines(run):
    assert "Traceback" not in run.stderr
    lines = run.stderr.splitlines()
    assert all(line.startswith("newsclean: error: ") for line in lines), run.stderr
    return lines


# --- text inputs -------------------------------------------------------------------------

def test_empty_file_gives_an_empty_record(cleaner, tmp_path):
    path = tmp_path / "empty.txt"
    path.write_bytes(b"")
    assert record(cleaner, path) == {"source": str(path), "text": "", "removed": [],
                                     "entities": []}


def test_blank_file_gives_an_empty_record(cleaner, tmp_path):
    path = tmp_path / "blank.txt"
    path.write_bytes(" \n\t\r\n\u00a0\u3000\n".encode())
    result = record(cleaner, path)
    assert result["text"] == "" and "error" not in result


def _zip_bytes() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("article.txt", ARTICLE)
    return buffer.getvalue()


BINARIES = {
    "png": (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)), "a PNG image"),
    "jpeg": (b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + bytes(range(256)), "a JPEG image"),
    "gif": (b"GIF89a\x01\x00\x01\x00" + bytes(range(64)), "a GIF image"),
    "zip": (_zip_bytes(), "a zip archive"),
    "pdf": (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog >>\nendobj\n",
            "a PDF document"),
    "gzip": (gzip.compress(ARTICLE.encode()), "gzip-compressed data"),
    "elf": (b"\x7fELF\x02\x01\x01" + bytes(200), "an executable"),
}


@pytest.mark.parametrize("kind", sorted(BINARIES))
def test_binary_files_are_refused(cleaner, tmp_path, kind):
    data, name = BINARIES[kind]
    path = tmp_path / f"looks-like-text-{kind}.txt"
    path.write_bytes(data)
    assert record(cleaner, path) == {"source": str(path),
                                     "error": f"a binary file ({name}), not text"}


def test_random_bytes_are_not_text(cleaner, tmp_path):
    path = tmp_path / "noise.txt"
    path.write_bytes(bytes((i * 7919 + 13) % 256 for i in range(4096)))
    assert record(cleaner, path)["error"].startswith(("not text", "a binary file"))


def test_control_characters_are_binary(cleaner, tmp_path):
    path = tmp_path / "controls.txt"
    path.write_bytes(bytes(range(1, 9)) * 100 + b"a few words")
    assert record(cleaner, path)["error"] == (
        "a binary file (mostly control characters), not text")


def test_stray_invalid_byte_is_replaced(cleaner, tmp_path):
    path = tmp_path / "stray.txt"
    path.write_bytes(f"{FRENCH}\nA stray byte \xff here.\n".encode().replace(
        "\xff".encode(), b"\xff"))
    result = record(cleaner, path)
    assert result["text"] == f"{FRENCH}\nA stray byte \ufffd here."
    assert (result["encoding"], result["replaced_bytes"]) == ("utf-8", 1)


def test_utf8_cut_short_in_the_last_character(cleaner, tmp_path):
    path = tmp_path / "cut.txt"
    path.write_bytes("The minister arrived in Zürich and in Malmö".encode()[:-1])
    result = record(cleaner, path)
    assert result["text"] == "The minister arrived in Zürich and in Malm\ufffd"
    assert result["replaced_bytes"] == 1


def test_utf8_with_bom(cleaner, tmp_path):
    path = tmp_path / "bom.txt"
    path.write_bytes(codecs.BOM_UTF8 + ARTICLE.encode())
    result = record(cleaner, path)
    assert (result["text"], result["encoding"]) == (CLEANED, "utf-8-sig")


@pytest.mark.parametrize("codec", ["utf-16", "utf-16-le-bom", "utf-16-be-bom", "utf-32"])
def test_utf16_and_utf32_with_bom(cleaner, tmp_path, codec):
    data = {"utf-16": ARTICLE.encode("utf-16"),
            "utf-16-le-bom": codecs.BOM_UTF16_LE + ARTICLE.encode("utf-16-le"),
            "utf-16-be-bom": codecs.BOM_UTF16_BE + ARTICLE.encode("utf-16-be"),
            "utf-32": ARTICLE.encode("utf-32")}[codec]
    path = tmp_path / "wide.txt"
    path.write_bytes(data)
    result = record(cleaner, path)
    assert result["text"] == CLEANED
    assert result["encoding"] == codec[:6]


def test_utf16_without_bom(cleaner, tmp_path):
    path = tmp_path / "wide.txt"
    path.write_bytes(ARTICLE.encode("utf-16-le"))
    result = record(cleaner, path)
    assert (result["text"], result["encoding"]) == (CLEANED, "utf-16-le")


def test_windows_1252(cleaner, tmp_path):
    text = f"“{FRENCH}” — said the minister’s spokesman.\n"
    path = tmp_path / "cp1252.txt"
    path.write_bytes(text.encode("cp1252"))
    result = record(cleaner, path)
    assert (result["text"], result["encoding"]) == (text.strip(), "cp1252")


def test_latin_1(cleaner, tmp_path):
    text = "Die Straße war gesperrt, sagte der Bürgermeister. Übermorgen öffnet sie wieder.\n"
    path = tmp_path / "latin1.txt"
    path.write_bytes(text.encode("latin-1"))
    result = record(cleaner, path)
    assert result["text"] == text.strip()
    assert result["encoding"] == "cp1252"  # a superset of Latin-1's letters


def test_windows_1251(cleaner, tmp_path):
    text = "Президент заявил, что переговоры продолжатся на следующей неделе.\n"
    path = tmp_path / "cp1251.txt"
    path.write_bytes(text.encode("cp1251"))
    result = record(cleaner, path)
    assert (result["text"], result["encoding"]) == (text.strip(), "cp1251")


def test_short_latin_text(cleaner, tmp_path):
    path = tmp_path / "short.txt"
    path.write_bytes("Grüße aus Köln".encode("latin-1"))
    assert record(cleaner, path)["text"] == "Grüße aus Köln"


@pytest.mark.parametrize("newline", ["\r", "\r\n"], ids=["cr", "crlf"])
def test_cr_and_crlf_line_endings(cleaner, tmp_path, newline):
    path = tmp_path / "endings.txt"
    path.write_bytes(ARTICLE.replace("\n", newline).encode())
    result = record(cleaner, path)
    assert result["text"] == CLEANED
    source = ARTICLE.replace("\n", newline)
    (removal,) = result["removed"]
    assert source[removal["start"]:removal["end"]] == "Please enter your comment!"


def test_unicode_line_separators(cleaner):
    text = "First paragraph here.\u2028Second line.\x85Third line.\x0cFourth line.\u2029End."
    assert cleaner(text).text == "First paragraph here.\nSecond line.\nThird line.\n" \
                                 "Fourth line.\nEnd."


def test_nul_bytes_are_dropped(cleaner, tmp_path):
    path = tmp_path / "nul.txt"
    path.write_bytes(ARTICLE.replace("budget", "bud\x00get").encode())
    result = record(cleaner, path)
    assert result["text"] == CLEANED and "encoding" not in result


def test_nul_padding_at_the_end(cleaner, tmp_path):
    path = tmp_path / "padded.txt"
    path.write_bytes(ARTICLE.encode() + b"\x00" * 8192)
    assert record(cleaner, path)["text"] == CLEANED


def test_zero_width_and_bidi_controls(cleaner):
    text = ("Al\u200b-Kazemi\u200e met \u202bthe\u202c \u2066minister\u2069\ufeff.\u2060\n"
            "می\u200cخواهم")
    result = cleaner(text)
    assert result.text == "Al-Kazemi met the minister.\nمی\u200cخواهم"  # ZWNJ kept
    for line in normalize(text).lines:
        assert normalize_line(text[line.start:line.end]) == line.text


def test_line_span_keeps_trailing_combining_marks():
    text = "Cafe\u0301\nNext line"
    first = normalize(text).lines[0]
    assert first.text == "Café" and text[first.start:first.end] == "Cafe\u0301"


def test_lone_surrogates_in_a_str(cleaner):
    """Found by fuzzing: a str with a lone surrogate (from surrogateescape) crashed the
    line model's code-point count."""
    crash = (ROOT / "tests" / "cases" / "fuzz" / "surrogate-line-model.txt").read_text(
        encoding="utf-8", errors="surrogateescape")
    assert "\udce9" in crash
    text = "\n".join([crash] * 2 + [f"Line {i} of a menu" for i in range(30)])
    result = cleaner.pipe([text], errors="keep")
    (outcome,) = result
    assert isinstance(outcome, newsclean.Result)


def test_file_name_not_utf8(tmp_path):
    folder = tmp_path / "names"
    folder.mkdir()
    with open(os.fsencode(folder) + b"/caf\xe9.txt", "wb") as file:
        file.write(b"Text of the file.")
    run = newsclean_cli("--no-entities", "--format", "jsonl", folder)
    assert run.returncode == 0, run.stderr
    assert json.loads(run.stdout) == {"source": f"{folder}/caf\ufffd.txt",
                                      "text": "Text of the file.", "removed": [],
                                      "entities": []}


def test_fifty_megabyte_line(cleaner):
    line = ("word " * 10_000_001)[:50_000_000]
    result = cleaner(line)
    assert len(result.text) == 49_999_999 and result.text == line.rstrip()
    assert result.removed == ()


def test_a_million_one_word_lines(cleaner):
    words = [f"word{i}" for i in range(1_000_000)]
    result = cleaner("\n".join(words))
    kept = result.text.split("\n") if result.text else []
    removed = [r.text for r in result.removed]
    assert len(kept) + len(removed) == len(words)
    assert sorted(kept + removed, key=lambda w: int(w[4:])) == words


def test_mojibake_is_kept_unless_asked(cleaner, tmp_path):
    text = "The minister’s café reopened – at last."
    path = tmp_path / "mojibake.txt"
    path.write_bytes(text.encode("utf-8").decode("cp1252").encode("utf-8"))
    plain = record(cleaner, path)
    assert plain["text"] == "The ministerâ€™s cafÃ© reopened â€“ at last."
    assert "mojibake_fixed" not in plain
    fixed = record(cleaner, path, fix_mojibake=True)
    assert fixed["text"] == text
    assert fixed["mojibake_fixed"] == ["encode:sloppy-windows-1252", "decode:utf-8"]


def test_mojibake_option_in_jsonl_and_cli(tmp_path):
    path = tmp_path / "feed.jsonl"
    path.write_text(json.dumps({"id": 1, "text": "Caf\u00c3\u00a9 owners protest."}) + "\n"
                    + json.dumps({"id": 2, "text": "Nothing to fix."}) + "\n")
    run = newsclean_cli("--no-entities", "--format", "jsonl", "--fix-mojibake", path)
    assert run.returncode == 0, run.stderr
    first, second = map(json.loads, run.stdout.splitlines())
    assert first["text"] == "Café owners protest." and "mojibake_fixed" in first
    assert second["text"] == "Nothing to fix." and "mojibake_fixed" not in second


def test_html_given_as_text(cleaner, tmp_path):
    body = "The minister spoke about the budget at length on Monday, aides said. " * 8
    page = ("<!DOCTYPE html>\n<html><head><title>News</title></head><body>"
            f"<nav><a href='/'>Home</a></nav><article><p>{body}</p></article>"
            "<footer>© 2026 News Corp</footer></body></html>")
    path = tmp_path / "page.txt"
    path.write_text(page)
    result = record(cleaner, path, sniff_html=True)
    assert result["read_as"] == "html"
    assert result["text"] == body.strip()
    as_text = record(cleaner, path)  # --input-format text: read as given
    assert "read_as" not in as_text and "<article>" in as_text["text"]


def test_html_nested_too_deep(cleaner, tmp_path):
    path = tmp_path / "deep.html"
    path.write_text("<html><body>" + "<div>" * 200_000 + "text" + "</div>" * 200_000
                    + "</body></html>")
    (outcome,) = records(cleaner, path, "html")
    assert outcome["error"] == "no text could be extracted from the HTML"


# --- JSONL -------------------------------------------------------------------------------

BAD_RECORDS = {
    "not-json": ("not json at all", "not JSON: Expecting value at column 1"),
    "missing-field": ('{"body": "no text"}', "the record has no 'text' field"),
    "not-a-string": ('{"text": ["a", "list"]}', "the 'text' field is list, not a string"),
    "number": ('{"text": 42}', "the 'text' field is int, not a string"),
    "null": ('{"text": null}', "the 'text' field is NoneType, not a string"),
    "array": ('["text"]', "a JSONL line must be an object, not list"),
    "nan": ('{"text": "x", "score": NaN}',
            "not JSON newsclean can keep: NaN is not a JSON number"),
    "huge-int": ('{"text": "x", "n": ' + "9" * 5000 + "}",
                 "not JSON newsclean can keep: Exceeds the limit"),
    "deep": ('{"text": "x", "a": ' + "[" * 100_000 + "]" * 100_000 + "}",
             "not JSON newsclean can keep: nested too deeply"),
    "truncated": ('{"text": "cut sh', "not JSON: Unterminated string"),
}


@pytest.mark.parametrize("kind", sorted(BAD_RECORDS))
def test_jsonl_bad_records(cleaner, tmp_path, kind):
    line, error = BAD_RECORDS[kind]
    path = tmp_path / "feed.jsonl"
    path.write_text(f'{{"text": "First."}}\n{line}\n{{"text": "Third."}}\n')
    first, bad, third = records(cleaner, path, "jsonl")
    assert (first["text"], third["text"]) == ("First.", "Third.")
    assert bad["source"] == f"{path}:2"
    assert bad["error"].startswith(error)
    assert "\n" not in bad["error"]


def test_jsonl_invalid_utf8_line(cleaner, tmp_path):
    path = tmp_path / "feed.jsonl"
    path.write_bytes(b'{"text": "First."}\n{"text": "caf\xe9"}\n{"text": "Third."}\n')
    outcomes = records(cleaner, path, "jsonl")
    assert [o.get("error") for o in outcomes] == [None, "not UTF-8 (byte 13)", None]


def test_jsonl_lone_surrogate_escape(cleaner, tmp_path):
    path = tmp_path / "feed.jsonl"
    path.write_text('{"text": "broken \\ud83d pair", "tags": ["\\udc00"]}\n'
                    '{"text": "good pair \\ud83d\\ude00"}\n')
    first, second = records(cleaner, path, "jsonl")
    assert first["text"] == "broken \ufffd pair" and first["tags"] == ["\ufffd"]
    assert second["text"] == "good pair 😀"
    json.dumps(first, ensure_ascii=False).encode("utf-8")


def test_jsonl_url_that_cannot_be_parsed(cleaner, tmp_path):
    """Found by fuzzing: a url urllib cannot split ("http://[") stopped the whole run."""
    path = tmp_path / "feed.jsonl"
    path.write_text('{"text": "First.", "url": "http://["}\n{"text": "Second."}\n')
    first, second = records(cleaner, path, "jsonl")
    assert (first["text"], first["url"], second["text"]) == ("First.", "http://[", "Second.")


@pytest.mark.parametrize("newline", ["\r\n", "\r"], ids=["crlf", "cr"])
def test_jsonl_line_breaks(cleaner, tmp_path, newline):
    path = tmp_path / "feed.jsonl"
    path.write_bytes(newline.join(['{"text": "One."}', "", '{"text": "Two."}', ""]).encode())
    outcomes = records(cleaner, path, "jsonl")
    assert [(o["source"], o["text"]) for o in outcomes] == [(f"{path}:1", "One."),
                                                            (f"{path}:3", "Two.")]


def test_jsonl_utf16(cleaner, tmp_path):
    path = tmp_path / "feed.jsonl"
    path.write_bytes('{"text": "Zürich."}\n{"text": "Köln."}\n'.encode("utf-16"))
    outcomes = records(cleaner, path, "jsonl")
    assert [(o["text"], o["encoding"]) for o in outcomes] == [("Zürich.", "utf-16"),
                                                              ("Köln.", "utf-16")]


def _paragraphs(count: int, size: int) -> list[str]:
    """``count`` lines of about ``size`` characters of varied, repeatable prose."""
    import random

    words = ["the", "council", "met", "on", "monday", "to", "discuss", "budget", "of", "city",
             "mayor", "said", "new", "bridge", "would", "open", "in", "spring", "minister",
             "spoke", "about", "plans", "for", "schools", "and", "roads", "after", "long",
             "debate", "members", "voted", "against", "proposal", "while", "others", "asked"]
    chooser = random.Random(6)
    pool = []
    for _ in range(997):
        sentence_words = [chooser.choice(words) for _ in range(size // 6)]
        pool.append(" ".join(sentence_words).capitalize() + ".")
    return [f"{i} {pool[(i * 7919) % len(pool)]}" for i in range(count)]


def test_hundred_megabyte_record(cleaner, tmp_path):
    lines = _paragraphs(104_000, 1000)
    count = len(lines)
    text = "\n".join(lines)
    path = tmp_path / "big.jsonl"
    path.write_text(json.dumps({"id": "big", "text": text}) + '\n{"text": "After."}\n')
    assert path.stat().st_size > 100_000_000
    big, after = records(cleaner, path, "jsonl")
    kept = big["text"].split("\n")
    assert len(kept) + len(big["removed"]) == count
    assert kept == lines[:len(kept)] or set(kept) <= set(lines)
    assert after["text"] == "After."


# --- paths -------------------------------------------------------------------------------

def test_missing_path(tmp_path):
    good = tmp_path / "good.txt"
    good.write_text(ARTICLE)
    run = newsclean_cli("--no-entities", "--format", "jsonl", tmp_path / "missing.txt", good)
    assert run.returncode == 1
    missing, found = map(json.loads, run.stdout.splitlines())
    assert missing == {"source": str(tmp_path / "missing.txt"),
                       "error": "no such file or directory"}
    assert found["text"] == CLEANED
    assert error_lines(run) == [
        f"newsclean: error: {tmp_path / 'missing.txt'}: no such file or directory"]


def _without_read_override():
    """In the child: give up root's power to read anything (CAP_DAC_OVERRIDE and
    CAP_DAC_READ_SEARCH leave the bounding set, so the exec'd process lacks them)."""
    if os.geteuid() != 0:
        return
    libc = ctypes.CDLL(None, use_errno=True)
    for capability in (1, 2):
        if libc.prctl(24, capability, 0, 0, 0) != 0:  # PR_CAPBSET_DROP
            raise OSError(ctypes.get_errno(), "prctl(PR_CAPBSET_DROP) failed")


def test_folder_and_file_without_permission(tmp_path):
    root = tmp_path / "feed"
    (root / "locked").mkdir(parents=True)
    (root / "open").mkdir()
    (root / "locked" / "a.txt").write_text("Locked away.")
    (root / "open" / "b.txt").write_text("Open text.")
    (root / "open" / "c.txt").write_text("Secret.")
    (root / "locked").chmod(0)
    (root / "open" / "c.txt").chmod(0)
    try:
        run = newsclean_cli("--no-entities", "--format", "jsonl", root,
                            preexec_fn=_without_read_override)
    finally:
        (root / "locked").chmod(0o755)
    assert run.returncode == 1
    outcomes = [json.loads(line) for line in run.stdout.splitlines()]
    assert outcomes == [
        {"source": str(root / "locked"), "error": "cannot read folder: Permission denied"},
        {"source": str(root / "open" / "b.txt"), "text": "Open text.", "removed": [],
         "entities": []},
        {"source": str(root / "open" / "c.txt"), "error": "cannot read: Permission denied"},
    ]
    assert len(error_lines(run)) == 2


def test_folder_named_without_permission(tmp_path):
    locked = tmp_path / "locked"
    locked.mkdir()
    (locked / "a.txt").write_text("Locked away.")
    locked.chmod(0)
    try:
        run = newsclean_cli("--no-entities", "--format", "jsonl", locked,
                            preexec_fn=_without_read_override)
    finally:
        locked.chmod(0o755)
    assert run.returncode == 1
    assert json.loads(run.stdout) == {"source": str(locked),
                                      "error": "cannot read folder: Permission denied"}


def test_symlink_loop(tmp_path):
    (tmp_path / "one.txt").symlink_to(tmp_path / "two.txt")
    (tmp_path / "two.txt").symlink_to(tmp_path / "one.txt")
    (tmp_path / "good.txt").write_text(ARTICLE)
    run = newsclean_cli("--no-entities", "--format", "jsonl", tmp_path, tmp_path / "one.txt")
    assert run.returncode == 1
    outcomes = [json.loads(line) for line in run.stdout.splitlines()]
    assert [(Path(o["source"]).name, o.get("error")) for o in outcomes] == [
        ("good.txt", None), ("one.txt", "a symbolic link loop"),
        ("two.txt", "a symbolic link loop"), ("one.txt", "a symbolic link loop")]
    assert len(error_lines(run)) == 3


def test_broken_symlink(tmp_path):
    (tmp_path / "gone.txt").symlink_to(tmp_path / "nowhere.txt")
    run = newsclean_cli("--no-entities", "--format", "jsonl", tmp_path)
    assert run.returncode == 1
    assert json.loads(run.stdout)["error"] == "a broken symbolic link"


def test_folder_link_loop_is_not_followed(tmp_path):
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "a.txt").write_text("Only once.")
    (tmp_path / "sub" / "back").symlink_to(tmp_path, target_is_directory=True)
    run = newsclean_cli("--no-entities", "--format", "jsonl", tmp_path)
    assert run.returncode == 0
    assert [json.loads(line)["text"] for line in run.stdout.splitlines()] == ["Only once."]


def test_fifo_in_a_folder(tmp_path):
    os.mkfifo(tmp_path / "pipe.txt")  # nobody writes to it: reading would block for ever
    (tmp_path / "z.txt").write_text("After the pipe.")
    run = newsclean_cli("--no-entities", "--format", "jsonl", tmp_path, timeout=120)
    assert run.returncode == 1
    pipe, after = map(json.loads, run.stdout.splitlines())
    assert pipe["error"] == "not a regular file (a FIFO)"
    assert after["text"] == "After the pipe."


def test_fifo_named_on_the_command_line_is_read(tmp_path):
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    with subprocess.Popen([sys.executable, "-m", "newsclean", "--no-entities", fifo],
                          stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) as proc:
        deadline = time.monotonic() + 120
        while True:  # open for writing once the command has opened it for reading
            try:
                descriptor = os.open(fifo, os.O_WRONLY | os.O_NONBLOCK)
                break
            except OSError:  # ENXIO: no reader yet
                assert proc.poll() is None and time.monotonic() < deadline
                time.sleep(0.05)
        os.set_blocking(descriptor, True)
        with os.fdopen(descriptor, "w") as writer:
            writer.write(ARTICLE)
        out, err = proc.communicate(timeout=120)
    assert (proc.returncode, out, err) == (0, CLEANED + "\n", "")


# --- configuration -----------------------------------------------------------------------

ALIAS_ENTRY = "  - id: {id}\n    name: {name}\n    type: PERSON\n"
BAD_ALIAS_TABLES = {
    "syntax": ("entities:\n  - id: a\n    name: [unclosed\n", 4, "invalid YAML"),
    "tab-indent": ("entities:\n\t- id: a\n", 2, "invalid YAML"),
    "wrong-type": ("entities:\n  - id: a\n    name: 5\n    type: PERSON\n", 3,
                   "'name' must be a non-empty string"),
    "entities-not-list": ("entities: {a: 1}\n", 1, "'entities' must be a"),
    "unknown-key": ("entities:\n  - id: a\n    name: A\n    type: PERSON\n    colour: red\n",
                    5, "unknown key 'colour'"),
    "duplicate-id": ("entities:\n" + ALIAS_ENTRY.format(id="a", name="A")
                     + ALIAS_ENTRY.format(id="a", name="B"), 5, "duplicate id 'a'"),
    "alias-claimed-twice": (
        "entities:\n  - {id: a, name: Anne One, type: PERSON, aliases: [Shared]}\n"
        "  - {id: b, name: Bob Two, type: PERSON, aliases: [Shared]}\n", 3,
        "'Shared' names both a"),
    "long-name": ("entities:\n" + ALIAS_ENTRY.format(id="a", name="A" * 10_000), 3,
                  "longer than 300 characters"),
    "yaml-bomb": ("entities: []\n" + "".join(
        f"l{i}: &l{i} [{', '.join([f'*l{i - 1}'] * 9) if i else 'lol'}]\n" for i in range(9)),
        3, "anchors and aliases (&name, *name) are not supported"),
    "python-tag": ("entities: !!python/object/apply:os.system ['echo pwned > pwned']\n", 1,
                   "the tag 'tag:yaml.org,2002:python/object/apply:os.system' is not allowed"),
    "python-name-tag": ("entities:\n  - !!python/name:os.system\n", 2, "is not allowed"),
    "deep-nesting": ("entities: " + "[" * 20_000 + "]" * 20_000 + "\n", 1,
                     "nested too deeply"),
    "nul-character": ("entities: []\n# \x00\n", 2, "characters are not allowed"),
    "duplicate-key": ("entities: []\nentities: []\n", 2, "the key 'entities' is given twice"),
    "empty-file": ("", 1, "a table is a mapping"),
    "top-is-a-list": ("- a\n- b\n", 1, "a table is a mapping"),
}


@pytest.mark.parametrize("kind", sorted(BAD_ALIAS_TABLES))
def test_bad_alias_tables(tmp_path, kind):
    text, line, message = BAD_ALIAS_TABLES[kind]
    path = tmp_path / "aliases.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(AliasTableError) as caught:
        newsclean.AliasTable.load(path)
    assert str(caught.value).startswith(f"{path}:{line}: ")
    assert message in str(caught.value)
    assert "\n" not in str(caught.value)
    assert not (tmp_path / "pwned").exists()


def test_alias_table_not_utf8(tmp_path):
    path = tmp_path / "aliases.yaml"
    path.write_bytes("entities:\n  - {id: a, name: Café, type: PERSON}\n".encode("latin-1"))
    with pytest.raises(AliasTableError, match=rf"^{re.escape(str(path))}: cannot read: "):
        newsclean.AliasTable.load(path)


def test_bad_tables_exit_2_from_the_cli(tmp_path):
    """Every refused table through the real command: exit 2, one line naming file and line,
    nothing written, nothing executed."""
    out = tmp_path / "out.txt"
    for kind in ("yaml-bomb", "python-tag", "deep-nesting", "alias-claimed-twice"):
        text, line, message = BAD_ALIAS_TABLES[kind]
        path = tmp_path / f"{kind}.yaml"
        path.write_text(text, encoding="utf-8")
        run = newsclean_cli("--no-entities", "--aliases", path, "-o", out, SEED, cwd=tmp_path)
        assert run.returncode == 2, kind
        (error,) = error_lines(run)
        assert error.startswith(f"newsclean: error: {path}:{line}: ") and message in error
        assert not out.exists() and not (tmp_path / "pwned").exists()


RULE = ("  - id: {id}\n    why: test\n    pattern: '{pattern}'\n"
        "    examples:\n      drop: ['{drop}']\n      keep: ['Keep me, said the minister.']\n")
BAD_RULE_TABLES = {
    "syntax": ("rules: [\n", 2, "invalid YAML"),
    "wrong-type": ("rules:\n  - id: x/y\n    why: 5\n", 3, "'why' must be a non-empty string"),
    "unknown-key": ("rules:\n" + RULE.format(id="x/y", pattern="share", drop="Share")
                    + "    colour: red\n", 8, "unknown key 'colour'"),
    "duplicate-id": ("rules:\n" + RULE.format(id="x/y", pattern="share", drop="Share")
                     + RULE.format(id="x/y", pattern="follow", drop="Follow"), 8,
                     "rule id 'x/y' is defined twice"),
    "invalid-regex": ("rules:\n" + RULE.format(id="x/y", pattern="(share", drop="Share"), 4,
                      "invalid pattern"),
    "empty-match": ("rules:\n" + RULE.format(id="x/y", pattern="a*", drop="aaa"), 4,
                    "matches an empty line"),
    "example-fails": ("rules:\n" + RULE.format(id="x/y", pattern="share", drop="Follow"), 5,
                      "the drop example 'Follow' does not match"),
    "long-pattern": ("rules:\n" + RULE.format(id="x/y", pattern="a" * 10_000, drop="a"), 4,
                     "longer than 5000 characters"),
    "yaml-bomb": ("rules: []\na: &a [x, x]\nb: [*a, *a]\n", 3, "anchors and aliases"),
    "python-tag": ("rules: !!python/object/apply:os.system ['echo pwned > pwned']\n", 1,
                   "is not allowed"),
}
CATASTROPHIC = {
    "overlapping-alternation": ("(a|aa)+", "aaa"),
    "same-branch-twice": ("(?:x|x)+", "xx"),
    "nested-repeat": (r"(\w+\s?)+", "Share this now"),
    "polynomial-dot-star": ("(?:.*a){12}", "a" * 12),
    "repeated-group": ("^(([a-z])+.)+[A-Z]([a-z])+$", "abc Def"),
}


@pytest.mark.parametrize("kind", sorted(BAD_RULE_TABLES))
def test_bad_rule_tables(tmp_path, kind):
    text, line, message = BAD_RULE_TABLES[kind]
    path = tmp_path / "rules.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(RuleTableError) as caught:
        RuleSet.load([path], bundled=False)
    assert str(caught.value).startswith(f"{path}:{line}: ")
    assert message in str(caught.value) and "\n" not in str(caught.value)
    assert not (tmp_path / "pwned").exists()


@pytest.mark.parametrize("kind", sorted(CATASTROPHIC))
def test_catastrophic_user_patterns_are_refused(tmp_path, kind):
    pattern, drop = CATASTROPHIC[kind]
    path = tmp_path / "rules.yaml"
    path.write_text("rules:\n" + RULE.format(id="x/y", pattern=pattern, drop=drop))
    run = newsclean_cli("--no-entities", "--rules", path, "-", stdin="Text.\n")
    assert run.returncode == 2
    (error,) = error_lines(run)
    assert error.startswith(f"newsclean: error: {path}:4: rule 'x/y': the pattern backtracks"
                            " catastrophically")


@pytest.mark.parametrize("rule", RuleSet.load().rules, ids=lambda rule: rule.id)
def test_bundled_rules_survive_adversarial_lines(rule):
    import regex

    compiled = regex.compile(rule.pattern, 0 if rule.case_sensitive else regex.IGNORECASE)
    lines = adversarial_lines(rule.pattern, rule.drop_examples, size=5000)
    assert too_slow(compiled, lines, MATCH_TIMEOUT) is None


def test_a_slow_rule_at_run_time_keeps_the_line(tmp_path):
    """A rule that times out on a line (past the load-time probes) leaves the line in."""
    import regex

    from newsclean.boilerplate.rules import Rule, _Matcher

    line = "a" * 60 + "!"
    with pytest.raises(TimeoutError):
        regex.compile("(?:a|aa)+").fullmatch(line, timeout=0.01)
    matcher = _Matcher([Rule("x/slow", "test", "(?:a|aa)+", False, ("aa",), ("b",), "t", 1),
                        Rule("x/fine", "test", "a+!", False, ("a!",), ("b",), "t", 2)])
    assert matcher.match(line) == "x/fine"  # the slow rule gave up; the next one matched


# --- output ------------------------------------------------------------------------------

def _feed(folder: Path, count: int) -> None:
    folder.mkdir()
    for i in range(count):
        (folder / f"{i:05d}.txt").write_text(f"Article {i}.\n\n{ARTICLE}")


def _wait_for_temp_output(out: Path, proc: subprocess.Popen, min_size: int = 1) -> Path:
    deadline = time.monotonic() + 240
    while time.monotonic() < deadline:
        temps = list(out.parent.glob(f".{out.name}.*.tmp"))
        if temps and temps[0].stat().st_size >= min_size:
            return temps[0]
        assert proc.poll() is None, "the run ended before it could be stopped"
        time.sleep(0.05)
    raise AssertionError("no temporary output appeared")


def test_sigkill_leaves_the_previous_output(tmp_path):
    _feed(tmp_path / "feed", 4000)
    out = tmp_path / "out.jsonl"
    out.write_text("previous complete output\n")
    with subprocess.Popen([sys.executable, "-m", "newsclean", "--no-entities", "--format",
                           "jsonl", "-o", out, tmp_path / "feed"],
                          stdout=subprocess.PIPE, stderr=subprocess.PIPE) as proc:
        temp = _wait_for_temp_output(out, proc, min_size=65536)
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=60)
    assert proc.returncode == -signal.SIGKILL
    assert out.read_text() == "previous complete output\n"
    assert temp.exists()  # the half-written run is only ever in a hidden temporary file


def test_sigkill_leaves_no_file_when_there_was_none(tmp_path):
    _feed(tmp_path / "feed", 4000)
    out = tmp_path / "out.jsonl"
    with subprocess.Popen([sys.executable, "-m", "newsclean", "--no-entities", "--format",
                           "jsonl", "-o", out, tmp_path / "feed"],
                          stdout=subprocess.PIPE, stderr=subprocess.PIPE) as proc:
        _wait_for_temp_output(out, proc, min_size=65536)
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=60)
    assert not out.exists()


def test_sigint_stops_cleanly(tmp_path):
    out = tmp_path / "out.jsonl"
    out.write_text("previous complete output\n")
    # a feed on standard input that stays open: the run cannot end before the signal,
    # however fast it cleans what it has been given
    records = "".join(json.dumps({"id": str(i), "text": f"Article {i}.\n\n{ARTICLE}"}) + "\n"
                      for i in range(2000))
    with subprocess.Popen([sys.executable, "-m", "newsclean", "--no-entities", "--format",
                           "jsonl", "--input-format", "jsonl", "-o", out, "-"],
                          stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                          stderr=subprocess.PIPE, text=True,
                          # as from a terminal: a test run started in the background hands
                          # its children SIGINT ignored, and newsclean would keep it so
                          preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
                          ) as proc:
        assert proc.stdin is not None
        proc.stdin.write(records)
        proc.stdin.flush()
        _wait_for_temp_output(out, proc)
        proc.send_signal(signal.SIGINT)
        _, stderr = proc.communicate(timeout=60)
    assert proc.returncode == 130
    assert stderr == "newsclean: error: interrupted\n"
    assert out.read_text() == "previous complete output\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.jsonl"]


def test_an_interrupt_python_swallowed_still_stops_the_run(tmp_path, monkeypatch, capsys):
    # A KeyboardInterrupt raised while a finaliser runs is dropped by Python ("Exception
    # ignored in ..."); the handler's flag still keeps the output from being committed.
    from newsclean import cli

    feed = tmp_path / "feed"
    _feed(feed, 3)
    out = tmp_path / "out.jsonl"
    out.write_text("previous complete output\n")
    real_pipe = cli.Pipeline.pipe

    def pipe(self, *args, **kwargs):
        for number, outcome in enumerate(real_pipe(self, *args, **kwargs)):
            if number == 1:
                # dropped, as Python drops an exception raised in a finaliser
                with contextlib.suppress(KeyboardInterrupt):
                    cli._on_interrupt(signal.SIGINT, None)
            yield outcome

    monkeypatch.setattr(cli.Pipeline, "pipe", pipe)
    # as in a terminal, whatever the test runner was started with (in the background,
    # SIGINT is ignored, and then newsclean leaves it alone)
    monkeypatch.setattr(signal, "getsignal", lambda number: signal.default_int_handler)
    status = cli.main(["--no-entities", "--format", "jsonl", "-j", "1", "-o", str(out),
                       str(feed)])
    assert status == 130
    assert capsys.readouterr().err == "newsclean: error: interrupted\n"
    assert out.read_text() == "previous complete output\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["feed", "out.jsonl"]
    monkeypatch.undo()
    assert signal.getsignal(signal.SIGINT) is not cli._on_interrupt  # put back


def test_output_to_a_folder_exits_2(tmp_path):
    run = newsclean_cli("--no-entities", "-o", tmp_path, SEED)
    assert run.returncode == 2
    assert error_lines(run) == [f"newsclean: error: {tmp_path}: the output path is a folder"]


def test_output_in_a_missing_folder_exits_2(tmp_path):
    out = tmp_path / "no" / "such" / "out.txt"
    run = newsclean_cli("--no-entities", "-o", out, SEED)
    assert run.returncode == 2
    assert error_lines(run) == [
        f"newsclean: error: {out}: cannot write: No such file or directory"]


def test_reader_going_away(tmp_path):
    _feed(tmp_path / "feed", 300)
    with subprocess.Popen([sys.executable, "-m", "newsclean", "--no-entities",
                           tmp_path / "feed"], stdout=subprocess.PIPE,
                          stderr=subprocess.PIPE, text=True) as proc:
        assert proc.stdout is not None
        proc.stdout.readline()
        proc.stdout.close()  # like `newsclean ... | head -1`
        stderr = proc.stderr.read() if proc.stderr else ""
        proc.wait(timeout=120)
    assert "Traceback" not in stderr


# --- a mixed folder through the real command ---------------------------------------------

def _mixed_folder(root: Path, count: int) -> tuple[dict[str, dict], set[str]]:
    """``count`` files, a tenth of them bad in the ways above; returns the expected good
    records by source and the sources of the bad ones."""
    root.mkdir()
    good: dict[str, dict] = {}
    bad: set[str] = set()
    bad_kinds = ["png", "zip", "pdf", "noise", "loop", "broken", "fifo", "jsonl", "controls",
                 "utf16-bad"]
    for i in range(count):
        name = root / f"{i // 100:02d}" / f"doc{i:04d}"
        name.parent.mkdir(exist_ok=True)
        if i % 10 == 9:
            kind = bad_kinds[(i // 10) % len(bad_kinds)]
            path = name.with_suffix(".jsonl" if kind == "jsonl" else ".txt")
            if kind in ("png", "zip", "pdf"):
                path.write_bytes(BINARIES[kind][0])
            elif kind == "noise":
                path.write_bytes(bytes((j * 7919 + i) % 256 for j in range(2048)))
            elif kind == "controls":
                path.write_bytes(bytes(range(1, 9)) * 64)
            elif kind == "utf16-bad":
                path.write_bytes(codecs.BOM_UTF16_LE + b"\x00\xd8a\x00")  # lone surrogate
            elif kind == "loop":
                path.symlink_to(path)
            elif kind == "broken":
                path.symlink_to(root / "nowhere")
            elif kind == "fifo":
                os.mkfifo(path)
            else:  # a JSONL file: one good record, then one that is not JSON
                path.write_text(json.dumps({"id": i, "text": f"Record {i} of the feed."})
                                + "\n{not json\n")
                good[f"{path}:1"] = {"id": i, "text": f"Record {i} of the feed."}
                bad.add(f"{path}:2")
                continue
            bad.add(str(path))
            continue
        path = name.with_suffix(".txt")
        body = f"Report {i}: {FRENCH}" if i % 3 == 0 else f"Report {i}: the council met."
        text = f"{body}\n\nShare this:\n\nThe vote is on Friday."
        expected = {"text": f"{body}\n\nThe vote is on Friday."}
        if i % 7 == 0:
            path.write_bytes(text.replace("\n", "\r\n").encode("cp1252"))
            if not text.isascii():
                expected["encoding"] = "cp1252"
        else:
            path.write_text(text, encoding="utf-8")
        good[str(path)] = expected
    return good, bad


def _check_mixed_run(run, good, bad):
    assert run.returncode == 1
    outcomes = [json.loads(line) for line in run.stdout.splitlines()]
    by_source = {o["source"]: o for o in outcomes}
    assert len(by_source) == len(outcomes) == len(good) + len(bad)
    for source, expected in good.items():
        outcome = by_source[source]
        assert "error" not in outcome, outcome
        for key, value in expected.items():
            assert outcome[key] == value, (source, key)
    for source in bad:
        assert "\n" not in by_source[source]["error"]
    errors = error_lines(run)
    assert len(errors) == len(bad)
    assert {line.split(": ")[2] for line in errors} == bad
    return outcomes


def test_mixed_folder_of_a_thousand_files(tmp_path):
    good, bad = _mixed_folder(tmp_path / "feed", 1000)
    assert len(bad) == 100
    run = newsclean_cli("--no-entities", "--format", "jsonl", tmp_path / "feed", timeout=600)
    outcomes = _check_mixed_run(run, good, bad)
    assert [o["source"] for o in outcomes] == sorted(o["source"] for o in outcomes)


@pytest.mark.model
def test_mixed_folder_with_entities(tmp_path):
    good, bad = _mixed_folder(tmp_path / "feed", 100)
    run = newsclean_cli("--format", "jsonl", tmp_path / "feed", timeout=600)
    outcomes = _check_mixed_run(run, good, bad)
    for outcome in outcomes:
        for entity in outcome.get("entities", []):
            assert outcome["text"][entity["start"]:entity["end"]] == entity["text"]


# --- the table of docs/reliability.md -----------------------------------------------------

def test_every_test_named_in_the_table_exists():
    page = (ROOT / "docs" / "reliability.md").read_text(encoding="utf-8")
    rows = [line for line in page.splitlines() if line.startswith("| ") and "`tests/" in line]
    assert len(rows) >= 40
    inputs = [row.split(" | ")[0] for row in rows]
    assert len(set(inputs)) == len(inputs), "each bad input once"
    for row in rows:
        for module, name, param in re.findall(r"`tests/(\w+)\.py::(\w+)(?:\[([^\]]+)\])?`", row):
            source = (ROOT / "tests" / f"{module}.py").read_text(encoding="utf-8")
            assert re.search(rf"^def {name}\(", source, re.M), f"{module}::{name}"
            if param:
                assert f'"{param}"' in source, f"{module}::{name}[{param}]"
