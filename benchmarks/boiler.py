"""Score newsclean's cleaning on the boilerplate benchmark (../shared/bench/boiler), beside jusText.

    python benchmarks/boiler.py [--split test|dev|all] [--bench DIR] [--out DIR] [--no-justext]
        [--rounds 3]

For each of page_text.jsonl, extracted_text.jsonl and segments.jsonl: the input left
unchanged, jusText on the lines (each line a paragraph, the stop list of the page's
language; needs the `bench` extra), and newsclean (cleaning only, no NER) in the mode
that fits the file and in "auto" mode. Predictions are written to --out (default
benchmarks/out/) and scored with the benchmark's own score.py. Throughput is MB/s of
input text per CPU second on one core, jusText and newsclean timed in the same run on the
same input: each cleans the pages --rounds times, taking turns, and its median round counts.
"""

from __future__ import annotations

import argparse
import html
import json
import statistics
import subprocess
import sys
import time
from datetime import date
from pathlib import Path
from typing import Callable, Optional

import newsclean
from _common import ROOT, bench_dir, parse_scores, write_results

#: Each file and what its input is: whole pages, or an extractor's output.
FILES = {"page_text.jsonl": "page", "extracted_text.jsonl": "extracted", "segments.jsonl": "page"}
JUSTEXT_LANGUAGES = {
    "en": "English", "de": "German", "fr": "French", "es": "Spanish", "it": "Italian",
    "pt": "Portuguese", "ru": "Russian", "ar": "Arabic", "pl": "Polish", "nl": "Dutch",
    "cs": "Czech", "fi": "Finnish", "hu": "Hungarian", "id": "Indonesian", "sv": "Swedish",
    "da": "Danish", "no": "Norwegian_Bokmal", "tr": "Turkish", "uk": "Ukrainian",
}


def score(bench: Path, name: str, pred: Path, split: str) -> str:
    run = subprocess.run([sys.executable, str(bench / "score.py"), str(bench / "boiler" / name),
                          str(pred), "--split", split], capture_output=True, text=True, check=True)
    return " | ".join(line for line in run.stdout.splitlines() if not line.startswith("pages"))


def justext_cleaner() -> Optional[Callable[[dict], str]]:
    try:
        import justext
    except ImportError:
        return None
    stoplists = {code: justext.get_stoplist(name) for code, name in JUSTEXT_LANGUAGES.items()}

    def clean(page: dict) -> str:
        lines = [line for line in page["input"].split("\n") if line.strip()]
        body = "".join(f"<p>{html.escape(line)}</p>" for line in lines)
        stoplist = stoplists.get(page.get("lang") or "en", stoplists["en"])
        paragraphs = justext.justext(f"<html><body>{body}</body></html>".encode(), stoplist)
        return "\n".join(p.text for p in paragraphs if not p.is_boilerplate)

    return clean


def run(pages: list[dict], clean: Callable[[dict], str], path: Path) -> float:
    """Clean every page and write the predictions; the CPU seconds it took."""
    started = time.process_time()
    texts = [clean(page) for page in pages]
    seconds = time.process_time() - started
    path.write_text("".join(json.dumps({"id": p["id"], "text": t}) + "\n"
                            for p, t in zip(pages, texts)))
    return seconds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--split", default="test", choices=("dev", "test", "all"))
    parser.add_argument("--bench")
    parser.add_argument("--out", default=str(ROOT / "benchmarks" / "out"))
    parser.add_argument("--no-justext", action="store_true")
    parser.add_argument("--rounds", type=int, default=3,
                        help="times each system cleans the pages; its median sets its speed")
    args = parser.parse_args()
    bench = bench_dir(args.bench)
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    jt = None if args.no_justext else justext_cleaner()
    missing = "" if jt or args.no_justext else " (no jusText: pip install -e '.[bench]')"
    print(f"newsclean {newsclean.__version__}, split {args.split}, {date.today()}{missing}")
    figures: dict = {"version": newsclean.__version__, "split": args.split,
                     "date": str(date.today()), "files": {}}
    for name, mode in FILES.items():
        with open(bench / "boiler" / name, encoding="utf-8") as file:
            pages = [json.loads(line) for line in file]
        print(name)
        systems: list[tuple[str, Callable[[dict], str]]] = [("unchanged", lambda p: p["input"])]
        if jt is not None:
            systems.append(("jusText", jt))
        for label, config_mode in ((f"newsclean {mode}", mode), ("newsclean auto", "auto")):
            pipe = newsclean.Pipeline(config=newsclean.CleanConfig(entities=False,
                                                                   mode=config_mode))
            pipe("warm up: load the line model")
            systems.append((label, lambda p, pipe=pipe: pipe(p["input"]).text))
        # every system cleans the pages --rounds times, the systems taking turns; its
        # speed is that of its median round (one round alone moves with the machine)
        seconds: dict[str, list[float]] = {label: [] for label, _ in systems}
        for _ in range(args.rounds):
            for label, clean in systems:
                pred = out / f"{label.replace(' ', '-')}-{name}"
                seconds[label].append(run(pages, clean, pred))
        size = sum(len(p["input"].encode()) for p in pages) / 1e6
        for label in seconds:
            pred = out / f"{label.replace(' ', '-')}-{name}"
            speed = size / max(statistics.median(seconds[label]), 1e-9)
            rate = "" if label == "unchanged" else f" | {speed:.1f} MB/s"
            scores = score(bench, name, pred, args.split)
            print(f"  {label:18} {scores}{rate}")
            figures["files"].setdefault(name, {})[label] = {**parse_scores(scores),
                                                            "mb_per_s": round(speed, 3)}
    print(f"figures: {write_results(f'boiler-{args.split}', figures)}")


if __name__ == "__main__":
    main()
