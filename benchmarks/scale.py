"""Speed and memory at scale: newsclean end to end against spaCy alone, processes, memory.

    python benchmarks/scale.py throughput [--limit N]
    python benchmarks/scale.py processes [--limit N]
    python benchmarks/scale.py memory [--documents 200000] [--jobs 1]
    python benchmarks/scale.py all

Every ratio is measured in one run on one machine, from the benchmark's
``boiler/page_text.jsonl`` and ``boiler/extracted_text.jsonl`` (records with their url,
so corpus mode is on, as it is for a JSONL archive). Words are counted with ``str.split``.

throughput
    One process. newsclean end to end (clean, NER, resolve: ``Pipeline.pipe``) against
    spaCy's ``ner``-only ``nlp.pipe`` on the texts newsclean produced, and on the raw
    inputs; and ``--no-ner`` (``CleanConfig(ner=False)``) words per second. Both sides of
    a ratio count the same words (the cleaned text's for the first, the raw input's for
    the second), so each ratio is a ratio of times.
processes
    ``Pipeline.pipe(n_process=2)`` against ``n_process=1`` on both files together.
memory
    The ``newsclean`` command over a generated JSONL stream on stdin (short news items
    made of benchmark lines, with invented names and changed numbers, from 50 sites),
    its resident memory sampled every half second; flat means the median of the last
    quarter of the stream is within 5% of the median of the second quarter.

``--write-docs`` puts the tables, dated, into docs/scale.md.
"""

from __future__ import annotations

import argparse
import datetime
import itertools
import json
import os
import random
import re
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any, Callable, Iterator

import newsclean
import newsclean.pipeline as pipeline_module
from _common import ROOT, bench_dir
from newsclean import CleanConfig, Pipeline

FILES = ("page_text.jsonl", "extracted_text.jsonl")
#: Documents a batch: newsclean's default, and spaCy's batch size in the comparisons.
BATCH = 64
DOCS = ROOT / "docs" / "scale.md"


def load(bench: Path, name: str, limit: int | None) -> list[dict[str, str]]:
    rows = [json.loads(line) for line in (bench / "boiler" / name).open(encoding="utf-8")]
    return [{"text": row["input"], "url": row["url"]} for row in rows[:limit]]


def words(texts: list[str]) -> int:
    return sum(len(text.split()) for text in texts)


def timed(run: Callable[..., Any], *args: Any) -> tuple[float, Any]:
    started = time.perf_counter()
    value = run(*args)
    return time.perf_counter() - started, value


def take(stream: Iterator[Any], count: int) -> list[Any]:
    return list(itertools.islice(stream, count))


def spacy_ner(nlp: Any, texts: list[str]) -> int:
    return sum(1 for _ in nlp.pipe(texts, batch_size=BATCH))


# -- throughput -------------------------------------------------------------------------


def throughput(bench: Path, limit: int | None) -> list[str]:
    pipe = Pipeline()
    fast = Pipeline(config=CleanConfig(ner=False))
    cleaner = Pipeline(config=CleanConfig(entities=False))
    warm = load(bench, FILES[1], 8)
    list(pipe.pipe(warm))  # model, matcher, tables: loaded outside the timings
    list(fast.pipe(warm))
    rows = ["| file | documents | newsclean end to end | spaCy `ner` on newsclean's text"
            " | ratio (≥ 0.90) | spaCy `ner` on the raw text | ratio (≥ 1.0) | clean only"
            " | `--no-ner` (≥ 200,000 words/s) |",
            "|---|---|---|---|---|---|---|---|---|"]
    for name in FILES:
        rows.append(_throughput_row(name, load(bench, name, limit), pipe, fast, cleaner))
    return rows


class _Stopwatch:
    """Wraps a function and adds up the time spent in it (to show where time goes)."""

    def __init__(self, function: Callable[..., Any]) -> None:
        self.function = function
        self.seconds = 0.0

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        started = time.perf_counter()
        try:
            return self.function(*args, **kwargs)
        finally:
            self.seconds += time.perf_counter() - started


def _throughput_row(name: str, records: list[dict[str, str]], pipe: Pipeline, fast: Pipeline,
                    cleaner: Pipeline) -> str:
    """Time every contender on the same documents, a batch at a time in turn, so that load
    from elsewhere on a shared machine falls on all of them alike."""
    nlp = pipe.nlp
    raw = [r["text"] for r in records]
    streams = {"end": pipe.pipe(records, batch_size=BATCH),
               "clean": cleaner.pipe(records, batch_size=BATCH),
               "fast": fast.pipe(records, batch_size=BATCH)}
    seconds = dict.fromkeys(("end", "ner", "raw", "clean", "fast"), 0.0)
    cleaned: list[str] = []
    resolving = _Stopwatch(pipeline_module.resolve_mentions)
    for start in range(0, len(records), BATCH):
        size = min(BATCH, len(records) - start)
        pipeline_module.resolve_mentions = resolving  # type: ignore[attr-defined]
        try:
            took, done = timed(take, streams["end"], size)
        finally:
            pipeline_module.resolve_mentions = resolving.function  # type: ignore[attr-defined]
        seconds["end"] += took
        texts = [r.text for r in done]
        cleaned.extend(texts)
        seconds["ner"] += timed(spacy_ner, nlp, texts)[0]
        seconds["raw"] += timed(spacy_ner, nlp, raw[start:start + size])[0]
        for kind in ("clean", "fast"):
            seconds[kind] += timed(take, streams[kind], size)[0]
    t_end, t_ner, t_raw = seconds["end"], seconds["ner"], seconds["raw"]
    t_clean, t_fast, t_resolve = seconds["clean"], seconds["fast"], resolving.seconds
    w_raw, w_clean = words(raw), words(cleaned)
    print(f"{name}: {len(records)} documents, {w_raw:,} words in, {w_clean:,} cleaned;"
          f" end to end {t_end:.1f} s (resolution {t_resolve:.1f} s), ner on cleaned"
          f" {t_ner:.1f} s, ner on raw {t_raw:.1f} s, clean only {t_clean:.1f} s,"
          f" --no-ner {t_fast:.2f} s", file=sys.stderr)
    return (f"| `{name}` | {len(records)} | {t_end:.1f} s ({w_clean / t_end:,.0f} cleaned"
            f" words/s; resolution {t_resolve:.1f} s) | {t_ner:.1f} s"
            f" ({w_clean / t_ner:,.0f} words/s) |"
            f" **{t_ner / t_end:.2f}** | {t_raw:.1f} s ({w_raw / t_raw:,.0f} words/s) |"
            f" **{t_raw / t_end:.2f}** | {t_clean:.1f} s | **{w_raw / t_fast:,.0f}** words/s"
            f" ({t_fast:.2f} s) |")


# -- processes --------------------------------------------------------------------------


def processes(bench: Path, limit: int | None) -> list[str]:
    """``n_process`` 1 and 2 in the order 1, 2, 2, 1, so that a change of load from
    elsewhere during the run falls on both alike; each figure is the sum of two runs."""
    records = [r for name in FILES for r in load(bench, name, limit)]
    pipe = Pipeline()
    list(pipe.pipe(load(bench, FILES[1], 8)))
    seconds = {1: 0.0, 2: 0.0}
    outputs = {}
    for n_process in (1, 2, 2, 1):
        took, outputs[n_process] = timed(_records_of, pipe, records, n_process)
        seconds[n_process] += took
    t_one, t_two = seconds[1], seconds[2]
    w = 2 * words([r["text"] for r in records])
    same = "yes" if outputs[1] == outputs[2] else "NO"
    print(f"n_process=1 {t_one:.1f} s, n_process=2 {t_two:.1f} s (two runs each), same"
          f" results: {same}", file=sys.stderr)
    return ["| documents (two runs each) | `n_process=1` | `n_process=2` | ratio (≥ 1.6)"
            " | same results |",
            "|---|---|---|---|---|",
            f"| {len(records)} | {t_one:.1f} s ({w / t_one:,.0f} words/s) | {t_two:.1f} s"
            f" ({w / t_two:,.0f} words/s) | **{t_one / t_two:.2f}** | {same} |"]


def _records_of(pipe: Pipeline, records: list[dict[str, str]], n_process: int
                ) -> list[dict[str, Any]]:
    return [r.to_dict() for r in pipe.pipe(records, batch_size=BATCH, n_process=n_process)]


# -- memory -----------------------------------------------------------------------------

_SYLLABLES = ("ka", "lo", "mi", "dra", "vu", "sen", "tor", "bel", "qui", "zan", "ro", "fe",
              "nash", "ul", "ti", "gor", "pe", "ya", "hin", "dov")
_NUMBER = re.compile(r"\d+")


def _name(rng: random.Random) -> str:
    def word() -> str:
        return "".join(rng.choice(_SYLLABLES) for _ in range(rng.randint(2, 3))).title()

    return f"{word()} {word()}"


def generated_stream(bench: Path, count: int, seed: int = 7) -> Iterator[tuple[str, int]]:
    """JSONL lines of short news items built from benchmark lines, names and numbers varied,
    with the number of words of each."""
    lines = []
    for name in FILES:
        for row in (bench / "boiler" / name).open(encoding="utf-8"):
            lines.extend(line for line in json.loads(row)["input"].splitlines()
                         if len(line.split()) >= 6)
    rng = random.Random(seed)
    for n in range(count):
        start = rng.randrange(len(lines) - 1)
        body = [_NUMBER.sub(lambda m: str(rng.randint(1, 99999)), line)
                for line in lines[start:start + 1]]
        who = _name(rng)
        text = "\n\n".join([f"{who} said on {rng.randint(1, 28)} May that"
                            f" {rng.randint(2, 9999)} people met {_name(rng)} in"
                            f" {_name(rng).split()[0]}.", *body, "Share this article"])
        record = {"id": n, "url": f"https://site{n % 50}.example/{n}", "text": text}
        yield json.dumps(record, ensure_ascii=False) + "\n", len(text.split())


def _rss(pid: int) -> int:
    """Resident memory of a process and its descendants, in bytes."""
    total = 0
    try:
        status = Path(f"/proc/{pid}/status").read_text()
        total += int(re.search(r"VmRSS:\s+(\d+)", status).group(1)) * 1024  # type: ignore[union-attr]
        for task in Path(f"/proc/{pid}/task").iterdir():
            for child in (task / "children").read_text().split():
                total += _rss(int(child))
    except (OSError, AttributeError):
        pass
    return total


def memory(bench: Path, count: int, jobs: int) -> list[str]:
    command = [sys.executable, "-m", "newsclean", "--format", "jsonl", "--input-format",
               "jsonl", "-j", str(jobs), "--no-progress", "-"]
    process = subprocess.Popen(command, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                               text=True, encoding="utf-8", bufsize=1 << 16)
    assert process.stdin is not None and process.stdout is not None
    total_words = [0]

    def feed() -> None:
        assert process.stdin is not None
        for line, count_words in generated_stream(bench, count):
            total_words[0] += count_words
            process.stdin.write(line)
        process.stdin.close()

    writer = threading.Thread(target=feed, daemon=True)
    started = time.perf_counter()
    writer.start()
    samples: list[tuple[int, int]] = []  # (documents done, bytes)
    done = 0
    next_sample = started
    for _line in process.stdout:
        done += 1
        now = time.perf_counter()
        if now >= next_sample:
            samples.append((done, _rss(process.pid)))
            next_sample = now + 0.5
            if done % 10000 < 50:
                print(f"{done:,} documents, {samples[-1][1] / 2**20:,.0f} MiB",
                      file=sys.stderr)
    process.wait()
    seconds = time.perf_counter() - started
    if done != count:
        raise SystemExit(f"the command gave {done} records for {count} documents")
    peak = max(rss for _, rss in samples)

    def median(low: float, high: float) -> float:
        return statistics.median(rss for n, rss in samples if low * count <= n < high * count)

    second, last = median(0.25, 0.5), median(0.75, 1.01)
    change = last / second - 1
    quarters = " / ".join(f"{median(q / 4, (q + 1) / 4 + (0.01 if q == 3 else 0)) / 2**20:,.0f}"
                         for q in range(4))
    print(f"{count:,} documents in {seconds:.0f} s; medians by quarter (MiB): {quarters};"
          f" peak {peak / 2**20:,.0f} MiB", file=sys.stderr)
    return ["| documents | words | jobs | time | peak RSS (< 1.5 GB) | median RSS by quarter"
            " | last ÷ second quarter (within ±5%) |",
            "|---|---|---|---|---|---|---|",
            f"| {count:,} | {total_words[0]:,} | {jobs} | {seconds:,.0f} s"
            f" ({total_words[0] / seconds:,.0f} words/s) | **{peak / 2**20:,.0f} MiB** |"
            f" {quarters} MiB | **{change:+.1%}** |"]


# -- docs -------------------------------------------------------------------------------


def write_docs(section: str, rows: list[str], note: str) -> None:
    """Replace the section's table in docs/scale.md with a dated one."""
    page = DOCS.read_text(encoding="utf-8")
    begin, end = f"<!-- {section} -->", f"<!-- /{section} -->"
    if begin not in page or end not in page:
        raise SystemExit(f"{DOCS} has no {begin} ... {end} section")
    today = datetime.date.today().isoformat()
    body = "\n".join([f"Measured {today}, newsclean {newsclean.__version__}, {note}.", "",
                      *rows])
    head, rest = page.split(begin, 1)
    _, tail = rest.split(end, 1)
    DOCS.write_text(f"{head}{begin}\n{body}\n{end}{tail}", encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("what", choices=("throughput", "processes", "memory", "all"))
    parser.add_argument("--bench", help="the benchmark folder (default: ../shared/bench)")
    parser.add_argument("--limit", type=int, help="only the first N documents of each file")
    parser.add_argument("--documents", type=int, default=200_000,
                        help="length of the generated stream (memory)")
    parser.add_argument("--jobs", type=int, default=1, help="-j of the command (memory)")
    parser.add_argument("--write-docs", action="store_true", help="update docs/scale.md")
    args = parser.parse_args()
    bench = bench_dir(args.bench)
    sections: list[tuple[str, Callable[[], list[str]]]] = []
    if args.what in ("throughput", "all"):
        sections.append(("throughput", lambda: throughput(bench, args.limit)))
    if args.what in ("processes", "all"):
        sections.append(("processes", lambda: processes(bench, args.limit)))
    if args.what in ("memory", "all"):
        sections.append(("memory", lambda: memory(bench, args.documents, args.jobs)))
    for name, run in sections:
        note = f"load average {os.getloadavg()[0]:.1f} at the start, {os.cpu_count()} cores"
        rows = run()
        print("\n".join(rows))
        if args.write_docs:
            write_docs(name, rows, note)


if __name__ == "__main__":
    main()
