"""Fuzz the text path: bytes -> decoding -> reading -> cleaning -> the JSON record.

Run by hand, not in CI (see docs/reliability.md)::

    pip install -e '.[fuzz]'
    python fuzz/fuzz_text.py -max_total_time=600 -rss_limit_mb=4096 /tmp/corpus-text fuzz/seeds/text

Any exception other than newsclean's own InputError (which is how a bad input is
reported) is a crash; so is an entity or removal whose offsets do not give its text,
and a record that does not survive a round trip through JSON.
"""

from __future__ import annotations

import json
import re
import sys
import tempfile
from pathlib import Path

import atheris

with atheris.instrument_imports():
    import newsclean
    from newsclean.io import read_documents
    from newsclean.result import Failure, Result

_LONE_SURROGATE = re.compile("[\ud800-\udfff]")
PIPELINE = newsclean.Pipeline(config=newsclean.CleanConfig(entities=False))
FOLDER = Path(tempfile.mkdtemp(prefix="newsclean-fuzz-"))


def check(outcome: object, text_in: str) -> None:
    if isinstance(outcome, Failure):
        assert not outcome.error.startswith("internal error"), outcome.error
        return
    assert isinstance(outcome, Result)
    for removal in outcome.removed:
        assert text_in[removal.start:removal.end] == removal.text, removal
    line = json.dumps(outcome.to_dict(), ensure_ascii=False)
    if not _LONE_SURROGATE.search(text_in):  # a str given with lone surrogates keeps them
        line.encode("utf-8")  # what the CLI writes must be UTF-8
    again = PIPELINE(outcome.text)
    assert again.text == outcome.text, "cleaning is not idempotent"


def test_one(data: bytes) -> None:
    if not data:
        return
    mode = data[0] % 4
    payload = data[1:]
    if mode == 0:  # a file read as text
        path = FOLDER / "input.txt"
        path.write_bytes(payload)
        documents = list(read_documents(str(path), "text", "text", fix_mojibake=True,
                                        sniff_html=True))
    elif mode == 1:  # a JSONL file
        path = FOLDER / "input.jsonl"
        path.write_bytes(payload)
        documents = list(read_documents(str(path), "jsonl", "text"))
    else:  # a str straight to the pipeline
        text = payload.decode("utf-8", errors="replace" if mode == 2 else "surrogateescape")
        documents = [newsclean.result.Document(text)]
    for document, outcome in zip(documents, PIPELINE.pipe(documents, errors="keep")):
        check(outcome, document.text)


if __name__ == "__main__":
    atheris.Setup(sys.argv, test_one)
    atheris.Fuzz()
