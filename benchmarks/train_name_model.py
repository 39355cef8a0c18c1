"""Train the fuzzy step's decision model on the dev split of the name benchmark.

    python benchmarks/train_name_model.py [--bench DIR] [--precision 0.96]
        [--false-merges 0.02] [--write]

For every dev query that the exact and key steps leave open, the fuzzy step's best entity
and its features (``AliasTable.fuzzy_evidence``) make one example: right if the entity is
the query's gold one, wrong otherwise (out-of-KB queries are always wrong). A logistic
regression (Newton's method, a little L2) over the model's inputs (the features, their
products with ``person``, a few squared) learns from them; its output is the score.

The threshold is chosen on scores the model gave to queries it was not trained on: the
dev entities are split into five folds, a model trained on four scores the fifth, and the
threshold is the lowest at which the whole lookup's precision over these held-out scores
reaches ``--precision`` and its false-merge rate is at most ``--false-merges``, each with
a margin over what the issue asks of test (0.95, 0.03). (Chosen on the model's scores of
its own training queries, it was too low: 0.957 on dev gave 0.942 on test.) The model
written is then trained on all of dev. The script prints the dev figures, a calibration
table of the held-out scores (score bucket, matches, share right), and with ``--write``
saves ``src/newsclean/data/name_model.json``.
"""

from __future__ import annotations

import argparse
import json
import zlib
from pathlib import Path

import numpy as np

from _common import bench_dir
from newsclean import AliasTable
from newsclean.entities.matching import MODEL_INPUTS, MatchModel, model_inputs

MODEL_PATH = Path(__file__).resolve().parents[1] / "src" / "newsclean" / "data" / "name_model.json"
L2 = 1e-2
FOLDS = 5


def fit(x: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, float]:
    """Logistic regression by Newton's method; returns (weights, bias)."""
    xb = np.hstack([x, np.ones((len(x), 1))])
    w = np.zeros(xb.shape[1])
    for _ in range(50):
        p = 1 / (1 + np.exp(-np.clip(xb @ w, -30, 30)))
        gradient = xb.T @ (p - y) + L2 * np.r_[w[:-1], 0]
        hessian = (xb * (p * (1 - p))[:, None]).T @ xb + L2 * np.eye(len(w))
        step = np.linalg.solve(hessian, gradient)
        w -= step
        if np.abs(step).max() < 1e-8:
            break
    return w[:-1], float(w[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--bench")
    parser.add_argument("--precision", type=float, default=0.96)
    parser.add_argument("--false-merges", type=float, default=0.02,
                        help="highest false-merge rate allowed on dev (default 0.02)")
    parser.add_argument("--write", action="store_true")
    args = parser.parse_args()
    bench = bench_dir(args.bench)
    table = AliasTable.load(bench / "names" / "aliases.yaml", shared="ambiguous")
    with open(bench / "names" / "queries.jsonl", encoding="utf-8") as file:
        queries = [q for q in map(json.loads, file) if q["split"] == "dev"]
    in_kb = sum(q["kind"] == "in-KB" for q in queries)
    out_kb = len(queries) - in_kb

    # the earlier steps, as lookup runs them (a threshold above 1 turns the fuzzy step off)
    early_right = early_wrong = early_out = 0
    rows, labels, outs, folds = [], [], [], []
    for query in queries:
        match = table.lookup(query["name"], label=query["type"], min_score=2.0)
        if match is not None:
            early_right += match.id == query["gold"]
            early_wrong += match.id != query["gold"]
            early_out += query["kind"] == "out-of-KB"
            continue
        evidence = table.fuzzy_evidence(query["name"], query["type"])
        if evidence is None:
            continue
        index, values, _ = evidence
        rows.append(model_inputs(values))
        labels.append(float(table.entries[index].id == query["gold"]))
        outs.append(query["kind"] == "out-of-KB")
        # one entity's queries (or one unknown name's) all in one fold
        folds.append(zlib.crc32((query["gold"] or query["name"]).encode()) % FOLDS)
    x, y, out, fold = np.array(rows), np.array(labels), np.array(outs), np.array(folds)
    p = np.zeros(len(y))  # each example scored by a model that did not see it
    for k in range(FOLDS):
        weights, bias = fit(x[fold != k], y[fold != k])
        p[fold == k] = 1 / (1 + np.exp(-np.clip(x[fold == k] @ weights + bias, -30, 30)))
    weights, bias = fit(x, y)
    model = MatchModel(tuple(round(float(w), 4) for w in weights), round(bias, 4), 0.5)

    best = None
    for threshold in np.arange(0.30, 0.9991, 0.005):
        accepted = p >= threshold
        right = early_right + int((y[accepted] == 1).sum())
        total = early_right + early_wrong + int(accepted.sum())
        precision = right / max(total, 1)
        merges = (early_out + int(out[accepted].sum())) / out_kb
        if precision >= args.precision and merges <= args.false_merges \
                and (best is None or threshold < best[0]):
            best = (float(threshold), precision, right / in_kb, merges)
    if best is None:
        raise SystemExit(f"no threshold reaches precision {args.precision} with false "
                         f"merges at most {args.false_merges} on dev")
    threshold, precision, recall, merges = best
    model = MatchModel(model.weights, model.bias, round(threshold, 3))
    print(f"dev: {len(rows)} fuzzy examples ({int(y.sum())} right); earlier steps "
          f"{early_right} right, {early_wrong} wrong")
    print(f"threshold {threshold:.3f} (held-out scores): precision {precision:.3f} "
          f"recall {recall:.3f} false merges {merges:.3f}")
    print("weights: " + ", ".join(f"{n} {w:+.2f}" for n, w in zip(MODEL_INPUTS, model.weights))
          + f", bias {model.bias:+.2f}")
    print("calibration of the held-out scores (score bucket: matches, share right)")
    for low in np.arange(0.3, 1.0, 0.1):
        inside = (p >= low) & (p < low + 0.1)
        if inside.any():
            print(f"  {low:.1f}-{low + 0.1:.1f}: {int(inside.sum()):5}  {y[inside].mean():.3f}")
    if args.write:
        MODEL_PATH.write_text(model.to_json() + "\n", encoding="utf-8")
        print(f"wrote {MODEL_PATH.name}")


if __name__ == "__main__":
    main()
