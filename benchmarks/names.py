"""Score name resolution on the name-variant benchmark (../shared/bench/names).

    python benchmarks/names.py [--split test|dev] [--bench DIR] [--no-baseline]

Loads the OFAC alias table (7,712 entities; names it gives to two entities resolve to
neither), looks up every query of the split with its type, and reports precision
(correct accepted / accepted), recall (correct accepted / in-KB queries), the
false-merge rate (out-of-KB queries merged / out-of-KB queries) and lookups per second
on one core, beside rapidfuzz ``extractOne(fuzz.ratio)`` over every name (unidecoded by
newsclean's fold, lower case) at the benchmark's precision-oriented threshold 86.5, timed
in the same run. On dev it also gives the breakdown by method and score bucket.
"""

from __future__ import annotations

import argparse
import json
import time
from collections import Counter
from datetime import date
from typing import Callable, Optional

from rapidfuzz import fuzz, process

import newsclean
from _common import bench_dir, reliability, write_results
from newsclean import AliasTable
from newsclean.entities.names import fold

BASELINE_CUTOFF = 86.5


def evaluate(queries: list[dict], resolve: Callable[[dict], Optional[str]]) -> dict:
    accepted = correct = merged_out = 0
    started = time.perf_counter()
    answers = [resolve(q) for q in queries]
    seconds = time.perf_counter() - started
    for query, answer in zip(queries, answers):
        if answer is None:
            continue
        accepted += 1
        if query["kind"] == "in-KB":
            correct += answer == query["gold"]
        else:
            merged_out += 1
    in_kb = sum(q["kind"] == "in-KB" for q in queries)
    out_kb = len(queries) - in_kb
    return {"precision": correct / max(accepted, 1), "recall": correct / max(in_kb, 1),
            "false_merges": merged_out / max(out_kb, 1), "per_second": len(queries) / seconds}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--split", default="test", choices=("dev", "test"))
    parser.add_argument("--bench")
    parser.add_argument("--no-baseline", action="store_true")
    args = parser.parse_args()
    bench = bench_dir(args.bench)
    started = time.perf_counter()
    table = AliasTable.load(bench / "names" / "aliases.yaml", shared="ambiguous")
    print(f"table: {len(table)} entities, loaded in {time.perf_counter() - started:.1f} s")
    with open(bench / "names" / "queries.jsonl", encoding="utf-8") as file:
        queries = [q for q in map(json.loads, file) if q["split"] == args.split]

    def newsclean_resolve(query: dict) -> Optional[str]:
        match = table.lookup(query["name"], label=query["type"])
        return None if match is None else match.id

    rows = [("newsclean", evaluate(queries, newsclean_resolve))]
    if not args.no_baseline:
        names = [(fold(name).lower(), entry.id) for entry in table.entries
                 for name in entry.names]
        choices = [name for name, _ in names]

        def baseline(query: dict) -> Optional[str]:
            found = process.extractOne(fold(query["name"]).lower(), choices, scorer=fuzz.ratio,
                                       score_cutoff=BASELINE_CUTOFF)
            return None if found is None else names[found[2]][1]

        rows.append((f"extractOne(ratio) >= {BASELINE_CUTOFF}", evaluate(queries, baseline)))
    print(f"split {args.split}: {len(queries)} queries")
    for label, m in rows:
        print(f"  {label:28} precision {m['precision']:.3f}  recall {m['recall']:.3f}"
              f"  false merges {m['false_merges']:.3f}  {m['per_second']:,.0f} lookups/s")
    if args.split == "dev":
        by_method: Counter[tuple[str, bool]] = Counter()
        for query in queries:
            match = table.lookup(query["name"], label=query["type"])
            if match is not None:
                by_method[(match.method, match.id == query["gold"])] += 1
        for method in sorted({m for m, _ in by_method}):
            right, wrong = by_method[(method, True)], by_method[(method, False)]
            share = right / (right + wrong)
            print(f"  method {method:8} accepted {right + wrong:5}  right {share:.3f}")
    figures = {"version": newsclean.__version__, "split": args.split, "date": str(date.today()),
               "queries": len(queries), "systems": dict(rows),
               "reliability": reliability(queries, lambda q: table.lookup(q["name"],
                                                                          label=q["type"]))}
    print(f"figures: {write_results(f'names-{args.split}', figures)}")


if __name__ == "__main__":
    main()
