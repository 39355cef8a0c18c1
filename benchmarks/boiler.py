"""Score newsclean's cleaning on the boilerplate benchmark (../shared/bench/boiler).

    python benchmarks/boiler.py [--split test|dev|all] [--bench DIR] [--out DIR]

For each of page_text.jsonl, extracted_text.jsonl and segments.jsonl: the input left
unchanged, then newsclean (cleaning only, no NER). Predictions are written to --out
(default benchmarks/out/) and scored with the benchmark's own score.py; cleanup
throughput is given in MB/s of input text.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
from pathlib import Path

import newsclean
from _common import ROOT, bench_dir

FILES = ("page_text.jsonl", "extracted_text.jsonl", "segments.jsonl")


def score(bench: Path, name: str, pred: Path, split: str) -> str:
    run = subprocess.run([sys.executable, str(bench / "score.py"), str(bench / "boiler" / name),
                          str(pred), "--split", split], capture_output=True, text=True, check=True)
    return " | ".join(line for line in run.stdout.splitlines() if not line.startswith("pages"))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--split", default="test", choices=("dev", "test", "all"))
    parser.add_argument("--bench")
    parser.add_argument("--out", default=str(ROOT / "benchmarks" / "out"))
    args = parser.parse_args()
    bench = bench_dir(args.bench)
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    pipe = newsclean.Pipeline(config=newsclean.CleanConfig(entities=False))
    print(f"newsclean {newsclean.__version__}, split {args.split}")
    for name in FILES:
        with open(bench / "boiler" / name, encoding="utf-8") as file:
            pages = [json.loads(line) for line in file]
        unchanged = out / f"unchanged-{name}"
        unchanged.write_text("".join(json.dumps({"id": p["id"], "text": p["input"]}) + "\n"
                                     for p in pages))
        started = time.perf_counter()
        results = list(pipe.pipe(p["input"] for p in pages))
        seconds = time.perf_counter() - started
        megabytes = sum(len(p["input"].encode()) for p in pages) / 1e6
        pred = out / f"newsclean-{name}"
        pred.write_text("".join(json.dumps({"id": p["id"], "text": r.text}) + "\n"
                                for p, r in zip(pages, results)))
        print(f"{name}")
        print(f"  unchanged: {score(bench, name, unchanged, args.split)}")
        print(f"  newsclean: {score(bench, name, pred, args.split)}"
              f" | {megabytes / seconds:.1f} MB/s")


if __name__ == "__main__":
    main()
