"""Cleanup speed on huge inputs beside ordinary pages, as ratios measured in one run.

    python benchmarks/huge_inputs.py [--bench ../shared/bench]

Cleans (no entities) the dev pages of the benchmark, then a 50 MB single line, a million
one-word lines and a 100 MB text of 1,000-character paragraphs, and prints the speed of
each in MB/s and as a share of the speed on ordinary pages. A huge input should not be
much slower per megabyte than a page: the tests in tests/test_reliability.py check only
that these inputs complete and lose nothing.
"""

from __future__ import annotations

import argparse
import json
import random
import time

import newsclean
from _common import bench_dir


def paragraphs(count: int, size: int) -> str:
    words = ["the", "council", "met", "on", "monday", "to", "discuss", "budget", "of", "city",
             "mayor", "said", "new", "bridge", "would", "open", "in", "spring", "minister"]
    chooser = random.Random(6)
    pool = [" ".join(chooser.choice(words) for _ in range(size // 6)).capitalize() + "."
            for _ in range(997)]
    return "\n".join(f"{i} {pool[(i * 7919) % len(pool)]}" for i in range(count))


def speed(cleaner: newsclean.Pipeline, texts: list[str]) -> float:
    """MB (of UTF-8) cleaned per second."""
    size = sum(len(text.encode("utf-8")) for text in texts)
    start = time.perf_counter()
    for _ in cleaner.pipe(texts):
        pass
    return size / 1e6 / (time.perf_counter() - start)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--bench", help="benchmark folder (default: ../shared/bench)")
    args = parser.parse_args()
    with open(bench_dir(args.bench) / "boiler" / "page_text.jsonl", encoding="utf-8") as file:
        pages = [json.loads(line)["input"] for line in file]
    cleaner = newsclean.Pipeline(config=newsclean.CleanConfig(entities=False))
    cleaner("warm up")
    cases = {
        "dev pages": pages,
        "50 MB single line": [("word " * 10_000_001)[:50_000_000]],
        "a million one-word lines": ["\n".join(f"word{i}" for i in range(1_000_000))],
        "100 MB of paragraphs": [paragraphs(104_000, 1000)],
    }
    base = None
    print(f"{'input':28} {'MB/s':>7} {'vs pages':>9}")
    for name, texts in cases.items():
        rate = speed(cleaner, texts)
        base = base or rate
        print(f"{name:28} {rate:7.2f} {rate / base:9.2f}")


if __name__ == "__main__":
    main()
