"""Name resolution at scale: a generated alias table of a million names.

    python benchmarks/names_scale.py [--names 1000000] [--misspellings 2000] [--seed 4]
                                     [--no-yaml] [--bench DIR]

Harvests given names, middle names, surnames, organisation words and legal forms from
the name benchmark's table (``../shared/bench/names/aliases.yaml``, read at run time),
weighted by how often each occurs there, and combines them with a fixed seed into
people (a name, half of them with an alias: another romanisation, a middle name left
out or added, an initial, the family name first) and organisations, until the table,
together with the benchmark's own 7,712 entities planted among them, holds ``--names``
names. No name is given to two entities of one type, as a valid table requires.

It reports, in one run:

- the time to build :class:`~newsclean.AliasTable` from the entries, and to validate
  them as ``AliasTable.load`` does;
- memory: the process's resident set after generating the entries, after building the
  table, and at its peak;
- median and 95th-percentile lookup time over the benchmark's dev queries and over
  misspellings of generated names (one letter replaced, dropped, doubled or swapped),
  with the benchmark table alone beside it;
- precision, recall and false merges of the dev queries against both tables, and how
  many misspellings find their entity;
- unless ``--no-yaml``: the time and peak memory of ``AliasTable.load`` on the big
  table written as YAML, in a fresh process.
"""

from __future__ import annotations

import argparse
import gc
import itertools
import json
import os
import random
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Sequence
from pathlib import Path
from typing import Optional

from _common import bench_dir
from newsclean import AliasTable, Match
from newsclean.entities.aliases import NO_IDS, Entry, _validated, is_acronym
from newsclean.entities.names import fold, name_data

#: Transliteration alternations used to respell a word for an alias.
RESPELLINGS = (("ou", "u"), ("u", "ou"), ("ee", "i"), ("i", "ee"), ("y", "i"), ("i", "y"),
               ("dh", "z"), ("z", "dh"), ("kh", "k"), ("q", "k"), ("k", "q"), ("e", "a"),
               ("a", "e"), ("ss", "s"), ("s", "ss"), ("ph", "f"), ("f", "ph"))
VOWELS = "aeiou"
CONSONANTS = "bcdfghklmnprstvz"


class Parts:
    """Name parts harvested from a table, each as often as it occurs there."""

    def __init__(self, entries: Sequence[Entry]) -> None:
        legal = name_data().legal_forms
        given: Counter[str] = Counter()
        middle: Counter[str] = Counter()
        surname: Counter[str] = Counter()
        org: Counter[str] = Counter()
        forms: Counter[str] = Counter()
        for entry in entries:
            for name in entry.names:
                words = name.replace(",", " ").split()
                if entry.type == "PERSON":
                    words = [w for w in words if _is_name_word(w)]
                    if len(words) < 2:
                        continue
                    given[words[0]] += 1
                    surname[words[-1]] += 1
                    middle.update(words[1:-1])
                elif entry.type == "ORG":
                    for i, word in enumerate(words):
                        if i > 0 and fold(word).strip(".").replace(".", "") in legal:
                            forms[word] += 1
                        elif _is_name_word(word):
                            org[word] += 1
        self.given, self.middle, self.surname, self.org, self.legal = (
            _weighted(c) for c in (given, middle, surname, org, forms))

    def summary(self) -> str:
        return (f"{len(self.given[0]):,} given names, {len(self.middle[0]):,} middle names, "
                f"{len(self.surname[0]):,} surnames, {len(self.org[0]):,} organisation words, "
                f"{len(self.legal[0]):,} legal forms")


def _is_name_word(word: str) -> bool:
    letters = word.replace("-", "").replace("'", "")
    return len(letters) >= 2 and letters.isalpha() and word[0].isupper() and not is_acronym(word)


def _weighted(counts: Counter[str]) -> tuple[list[str], list[int]]:
    """The words and their cumulative counts, for ``random.choices``."""
    words = sorted(counts)
    return words, list(itertools.accumulate(counts[w] for w in words))


def _pick(rng: random.Random, weighted: tuple[list[str], list[int]], k: int = 1) -> list[str]:
    return rng.choices(weighted[0], cum_weights=weighted[1], k=k)


def person_name(parts: Parts, rng: random.Random) -> list[str]:
    words = _pick(rng, parts.given)
    if rng.random() < 0.3:
        words += _pick(rng, parts.middle)
    return words + _pick(rng, parts.surname)


def person_alias(words: list[str], parts: Parts, rng: random.Random) -> str:
    """Another way of writing the person ``words`` name."""
    way = rng.randrange(5)
    if way == 0 and len(words) > 2:
        return " ".join((words[0], *words[2:]))          # the middle name left out
    if way == 0:
        return " ".join((words[0], *_pick(rng, parts.middle), *words[1:]))
    if way == 1:
        return " ".join((f"{words[0][0]}.", *words[1:]))  # an initial
    if way == 2:
        return " ".join((words[-1], *words[:-1]))         # family name first
    respelled = list(words)
    i = rng.randrange(len(words))
    for old, new in rng.sample(RESPELLINGS, len(RESPELLINGS)):
        if old in respelled[i][1:]:
            respelled[i] = respelled[i][0] + respelled[i][1:].replace(old, new, 1)
            break
    return " ".join(respelled)


def org_name(parts: Parts, rng: random.Random) -> str:
    words = _pick(rng, parts.org, rng.choice((2, 2, 3, 3, 4)))
    if rng.random() < 0.4:
        words += _pick(rng, parts.legal)
    return " ".join(words)


def generate(bench: Sequence[Entry], names: int, seed: int,
             person_share: float = 0.88) -> list[Entry]:
    """``bench`` and generated entities, ``names`` names in all."""
    rng = random.Random(seed)
    parts = Parts(bench)
    print(f"parts: {parts.summary()}")
    taken = {(e.type, name.casefold()) for e in bench for name in e.names}
    entries = list(bench)
    total = sum(len(e.names) for e in bench)
    while total < names:
        kind = "PERSON" if rng.random() < person_share else "ORG"
        if kind == "PERSON":
            words = person_name(parts, rng)
            name = " ".join(words)
            aliases = [person_alias(words, parts, rng) for _ in range(rng.random() < 0.5)]
        else:
            name = org_name(parts, rng)
            aliases = []
        if (kind, name.casefold()) in taken:
            continue
        taken.add((kind, name.casefold()))
        kept = []
        for alias in aliases:
            if (kind, alias.casefold()) not in taken:
                taken.add((kind, alias.casefold()))
                kept.append(alias)
        entries.append(Entry(f"gen-{len(entries)}", name, kind, tuple(kept), NO_IDS,
                             "<generated>", len(entries)))
        total += 1 + len(kept)
    rng.shuffle(entries)  # the benchmark's entities among the others, not first
    return entries


def misspell(name: str, rng: random.Random) -> Optional[str]:
    """``name`` with one letter of one of its longer words replaced, dropped, doubled or
    swapped with the next; None when it has no word long enough."""
    words = name.split()
    long_words = [i for i, w in enumerate(words) if len(w) >= 5 and w.isalpha()]
    if not long_words:
        return None
    i = rng.choice(long_words)
    word = words[i]
    at = rng.randrange(1, len(word) - 1)
    way = rng.randrange(4)
    if way == 0:
        pool = VOWELS if word[at].lower() in VOWELS else CONSONANTS
        word = word[:at] + rng.choice([c for c in pool if c != word[at].lower()]) + word[at + 1:]
    elif way == 1:
        word = word[:at] + word[at + 1:]
    elif way == 2:
        word = word[:at] + word[at] + word[at:]
    else:
        word = word[:at] + word[at + 1] + word[at] + word[at + 2:]
    words[i] = word
    return " ".join(words)


def misspellings(entries: Sequence[Entry], count: int, seed: int) -> list[dict]:
    rng = random.Random(seed + 1)
    generated = [e for e in entries if e.id.startswith("gen-")]
    queries: list[dict] = []
    while len(queries) < count:
        entry = rng.choice(generated)
        name = misspell(rng.choice(entry.names), rng)
        if name is not None:
            queries.append({"name": name, "type": entry.type, "gold": entry.id,
                            "kind": "in-KB"})
    return queries


# -- measuring ---------------------------------------------------------------------------


def rss_mb() -> Optional[float]:
    """The resident set of this process now, in MB (Linux only)."""
    try:
        with open("/proc/self/statm", encoding="ascii") as file:
            pages = int(file.read().split()[1])
    except OSError:
        return None
    return pages * os.sysconf("SC_PAGE_SIZE") / 1e6


def peak_mb() -> float:
    """The largest resident set this process has had, in MB: VmHWM on Linux (ru_maxrss
    there is carried over from the parent into a child process)."""
    try:
        with open("/proc/self/status", encoding="ascii") as file:
            for line in file:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) * 1024 / 1e6
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024 / 1e6


def timed_lookups(table: AliasTable, queries: Sequence[dict]
                  ) -> tuple[list[Optional[Match]], list[float]]:
    """Each query's match (or None) and its lookup time in ms."""
    matches: list[Optional[Match]] = []
    times = []
    clock = time.perf_counter_ns
    for query in queries:
        started = clock()
        match = table.lookup(query["name"], label=query["type"])
        times.append((clock() - started) / 1e6)
        matches.append(match)
    return matches, times


class Clock:
    """Wall and CPU seconds from its start: on a shared machine the two differ."""

    def __init__(self) -> None:
        self.wall, self.cpu = time.perf_counter(), time.process_time()

    def __str__(self) -> str:
        return (f"{time.perf_counter() - self.wall:.1f} s"
                f" ({time.process_time() - self.cpu:.1f} s CPU)")


def scores(queries: Sequence[dict], matches: Sequence[Optional[Match]]) -> dict[str, float]:
    answers = [None if m is None else m.id for m in matches]
    accepted = sum(a is not None for a in answers)
    correct = sum(a is not None and a == q["gold"] for q, a in zip(queries, answers))
    in_kb = sum(q["kind"] == "in-KB" for q in queries)
    merged = sum(a is not None and q["kind"] != "in-KB" for q, a in zip(queries, answers))
    out_kb = len(queries) - in_kb
    return {"precision": correct / max(accepted, 1), "recall": correct / max(in_kb, 1),
            "false_merges": merged / max(out_kb, 1)}


def percentiles(times: Sequence[float]) -> str:
    ordered = sorted(times)
    p95 = ordered[min(len(ordered) - 1, int(0.95 * len(ordered)))]
    return f"median {statistics.median(ordered):.2f} ms, p95 {p95:.2f} ms"


def write_yaml(entries: Sequence[Entry], path: Path) -> None:
    """The entries in the alias table format (JSON strings are YAML double-quoted scalars)."""
    with open(path, "w", encoding="utf-8") as file:
        file.write("entities:\n")
        for e in entries:
            aliases = ", ".join(json.dumps(a, ensure_ascii=False) for a in e.aliases)
            file.write(f"- id: {e.id}\n  name: {json.dumps(e.name, ensure_ascii=False)}\n"
                       f"  type: {e.type}\n  aliases: [{aliases}]\n")


def load_yaml_child(path: str) -> None:
    """Run in a fresh process: load the table and print what it took, as JSON."""
    clock = Clock()
    table = AliasTable.load(path, shared="ambiguous")
    print(json.dumps({"time": str(clock), "entities": len(table), "peak_mb": peak_mb(),
                      "rss_mb": rss_mb()}))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--names", type=int, default=1_000_000, help="names in the table")
    parser.add_argument("--misspellings", type=int, default=2000)
    parser.add_argument("--seed", type=int, default=4)
    parser.add_argument("--no-yaml", action="store_true", help="skip loading it as YAML")
    parser.add_argument("--bench")
    parser.add_argument("--load-yaml", help=argparse.SUPPRESS)  # the child process
    args = parser.parse_args()
    if args.load_yaml:
        load_yaml_child(args.load_yaml)
        return
    bench = bench_dir(args.bench) / "names"
    rss_start = rss_mb()
    small = AliasTable.load(bench / "aliases.yaml", shared="ambiguous")
    with open(bench / "queries.jsonl", encoding="utf-8") as file:
        dev = [q for q in map(json.loads, file) if q["split"] == "dev"]

    started = time.perf_counter()
    entries = generate(small.entries, args.names, args.seed)
    generation = time.perf_counter() - started
    names = sum(len(e.names) for e in entries)
    people = sum(e.type == "PERSON" for e in entries)
    print(f"generated in {generation:.1f} s: {len(entries):,} entities ({people:,} PERSON),"
          f" {names:,} names")
    typos = misspellings(entries, args.misspellings, args.seed)

    small_dev, small_times = timed_lookups(small, dev)
    small_scores = scores(dev, small_dev)
    gc.collect()
    rss_entries = rss_mb()
    clock = Clock()
    table = AliasTable(entries)
    build = str(clock)
    rss_table = rss_mb()
    clock = Clock()
    _validated(list(entries), shared_ok=True)
    validation = str(clock)

    big_dev, big_times = timed_lookups(table, dev)
    big_scores = scores(dev, big_dev)
    typo_answers, typo_times = timed_lookups(table, typos)
    typo_scores = scores(typos, typo_answers)
    # answers that name a generated entity, by method: exact and key ones are namesakes
    # made of the same parts, that no resolver could tell apart
    to_generated = Counter(m.method for m in big_dev if m is not None and m.id.startswith("gen-"))
    peak = peak_mb()

    yaml_figures = None
    if not args.no_yaml:
        del table, small
        gc.collect()
        with tempfile.TemporaryDirectory() as folder:
            path = Path(folder) / "scale.yaml"
            write_yaml(entries, path)
            size = path.stat().st_size / 1e6
            done = subprocess.run([sys.executable, __file__, "--load-yaml", str(path)],
                                  check=True, capture_output=True, text=True)
            yaml_figures = json.loads(done.stdout.splitlines()[-1])
            yaml_figures["mb"] = size

    def mb(value: Optional[float]) -> str:
        return "n/a" if value is None else f"{value:,.0f} MB"

    def quality(m: dict[str, float]) -> str:
        return (f"precision {m['precision']:.3f}, recall {m['recall']:.3f},"
                f" false merges {m['false_merges']:.3f}")

    rows = [
        ("table", f"{len(entries):,} entities, {names:,} names ({people:,} PERSON entities)"),
        ("build `AliasTable(entries)`", build),
        ("validation as in `load`", validation),
        ("resident memory", f"{mb(rss_start)} at start, {mb(rss_entries)} with the entries,"
                            f" {mb(rss_table)} with the table; peak {mb(peak)}"),
        ("lookup, dev queries", f"{percentiles(big_times)}"
                                f" (benchmark table alone: {percentiles(small_times)})"),
        ("lookup, misspellings", f"{percentiles(typo_times)}"),
        ("dev queries", f"{quality(big_scores)} (benchmark table alone:"
                        f" {quality(small_scores)}); answers naming a generated entity:"
                        f" {sum(to_generated.values())}, by method "
                        + ", ".join(f"{k} {v}" for k, v in sorted(to_generated.items()))),
        ("misspellings", f"{typo_scores['recall']:.3f} found their entity,"
                         f" precision {typo_scores['precision']:.3f}"),
    ]
    if yaml_figures is not None:
        rows.append(("`AliasTable.load` of it as YAML",
                     f"{yaml_figures['time']} for {yaml_figures['mb']:.0f} MB,"
                     f" peak {mb(yaml_figures['peak_mb'])} (a fresh process)"))
    print(f"\n{len(dev)} dev queries, {len(typos)} misspellings, seed {args.seed}\n")
    print("| | |\n|---|---|")
    for label, value in rows:
        print(f"| {label} | {value} |")


if __name__ == "__main__":
    main()
