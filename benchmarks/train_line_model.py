"""Train the line model on the dev split of the boilerplate benchmark; write it as package data.

    python benchmarks/train_line_model.py [--bench DIR] [--out src/newsclean/data/line_model.json]

Lines of ``page_text.jsonl`` (dev) are labelled by the gold article text; lines of
``segments.jsonl`` (dev) by the keep and drop segments they contain (lines with neither,
or both, are left out). A logistic regression with an L2 penalty is fitted by Newton's
method (numpy only), weighting each line by the square root of its word count, since
the benchmark scores words. The decoding thresholds are then chosen on the same dev
pages to maximise the sum of page_text token F1 and segment F1 (of settings within
0.002 of the best, the one with the highest recall), and after them the share of the
best run's gain from which other runs of lines join the article's region. The test
split is never read. With --decoding-only, the shipped model's weights and thresholds
stay and only that share is chosen again.

Last, the share of weak lines from which "auto" mode treats a document as a whole page:
of the shares that keep extracted_text (dev) token F1 within 0.002 of what the rules
alone give, the one best for page_text.
"""

from __future__ import annotations

import argparse
import importlib.util
import itertools
import json
from dataclasses import replace
from pathlib import Path

import numpy as np

from _common import ROOT, bench_dir
from newsclean.boilerplate import line_inputs
from newsclean.boilerplate.lines import LineModel, article_mask, bundled_model, line_features
from newsclean.boilerplate.rules import RuleSet
from newsclean.normalize import normalize_line

L2 = 1.0
#: Decoding settings whose summed dev F1 is within this of the best count as tied.
TIE = 0.002
#: The shares of the best run's gain tried for LineModel.region_share (above 1: one run).
REGION_SHARES = (0.05, 0.1, 0.2, 0.3, 0.5, 1.01)


def load_scorer(bench: Path):
    spec = importlib.util.spec_from_file_location("bench_score", bench / "score.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def page_examples(bench: Path, rules: RuleSet):
    """(kind, page, lines, features, labels (None where unknown), rule hits) per dev page."""
    pages = []
    with open(bench / "boiler" / "page_text.jsonl", encoding="utf-8") as file:
        for raw in file:
            page = json.loads(raw)
            if page["split"] != "dev" or page.get("synthetic"):
                continue
            lines, hits = line_inputs(page["input"], rules)
            gold_lines = {normalize_line(line) for line in page["gold"].split("\n")}
            gold_text = " ".join(page["gold"].split())
            labels = [1.0 if line in gold_lines or (len(line.split()) >= 5 and line in gold_text)
                      else 0.0 for line in lines]
            pages.append(("page", page, lines, line_features(lines, hits), labels, hits))
    with open(bench / "boiler" / "segments.jsonl", encoding="utf-8") as file:
        for raw in file:
            page = json.loads(raw)
            if page["split"] != "dev":
                continue
            lines, hits = line_inputs(page["input"], rules)
            keep = [normalize_line(s) for s in page["keep"] if s.strip()]
            drop = [normalize_line(s) for s in page["drop"] if s.strip()]
            labels = []
            for line in lines:
                kept = any(s in line for s in keep)
                dropped = any(s in line for s in drop)
                labels.append(None if kept == dropped else float(kept))
            pages.append(("segments", page, lines, line_features(lines, hits), labels, hits))
    return pages


def fit(x: np.ndarray, y: np.ndarray, w: np.ndarray) -> tuple[np.ndarray, float]:
    """Weighted L2 logistic regression by Newton's method."""
    xb = np.hstack([x, np.ones((len(x), 1))])
    beta = np.zeros(xb.shape[1])
    penalty = np.full(xb.shape[1], L2)
    penalty[-1] = 0.0
    for _ in range(30):
        p = 1.0 / (1.0 + np.exp(-(xb @ beta)))
        gradient = xb.T @ (w * (p - y)) + penalty * beta
        hessian = (xb * (w * p * (1 - p))[:, None]).T @ xb + np.diag(penalty)
        step = np.linalg.solve(hessian, gradient)
        beta -= step
        if np.abs(step).max() < 1e-6:
            break
    return beta[:-1], float(beta[-1])


def extracted_examples(bench: Path, rules: RuleSet):
    """(kind, page, lines, features, None, rule hits) for each dev page of extracted_text."""
    pages = []
    with open(bench / "boiler" / "extracted_text.jsonl", encoding="utf-8") as file:
        for raw in file:
            page = json.loads(raw)
            if page["split"] == "dev" and not page.get("synthetic"):
                lines, hits = line_inputs(page["input"], rules)
                pages.append(("extracted", page, lines, line_features(lines, hits), None, hits))
    return pages


def decide(lines, probabilities, hits, model: LineModel, mode: str) -> str:
    """The kept text, as the pipeline's line stage decides it (rule and repeat removals
    aside, which the training lines still contain)."""
    if mode == "page" or (mode == "auto" and model.is_page(probabilities, np.array(hits))):
        weights = np.array([len(line.split()) for line in lines], dtype=float)
        keep = article_mask(probabilities, weights, model)
    else:
        keep = np.ones(len(lines), dtype=bool)
    return "\n".join(line for line, k in zip(lines, keep) if k)


def token_prf(pages, model: LineModel, scorer, mode: str) -> tuple[float, float, float]:
    triples = [scorer.counts(page["gold"], decide(lines, model.probabilities(features), hits,
                                                  model, mode), 1)
               for _, page, lines, features, _, hits in pages]
    return scorer.macro_prf(triples)


def evaluate(pages, model: LineModel, scorer, mode: str = "page"
             ) -> tuple[float, float, float]:
    """page_text token F1, segment F1, and the sum of their recalls."""
    triples, tp, fp, fn = [], 0, 0, 0
    for kind, page, lines, features, _, hits in pages:
        text = decide(lines, model.probabilities(features), hits, model, mode)
        if kind == "page":
            triples.append(scorer.counts(page["gold"], text, 1))
        else:
            kept = scorer.norm(text)
            hit = sum(1 for s in page["keep"] if scorer.norm(s) in kept)
            tp, fn = tp + hit, fn + len(page["keep"]) - hit
            fp += sum(1 for s in page["drop"] if scorer.norm(s) in kept)
    _, page_recall, page_f1 = scorer.macro_prf(triples)
    precision, recall = tp / max(tp + fp, 1), tp / max(tp + fn, 1)
    return page_f1, 2 * precision * recall / max(precision + recall, 1e-9), page_recall + recall


def fit_thresholds(pages, scorer) -> LineModel:
    """Fit the model on the labelled dev lines and choose its decoding thresholds (with
    the region a single run of lines)."""
    rows, ys, ws = [], [], []
    for _, _, lines, features, labels, _ in pages:
        for line, row, label in zip(lines, features, labels):
            if label is not None:
                rows.append(row)
                ys.append(label)
                ws.append(np.sqrt(len(line.split()) + 1.0))
    x, y, w = np.array(rows), np.array(ys), np.array(ws)
    mean, scale = x.mean(axis=0), x.std(axis=0) + 1e-9
    weights, bias = fit((x - mean) / scale, y, w)
    print(f"{len(y)} labelled lines from {len(pages)} dev pages, {y.mean():.2f} article")
    results = []
    for region, inside, outside, edge, tail in itertools.product(
            (0.3, 0.4, 0.5, 0.6), (0.05, 0.1, 0.2, 0.3), (0.8, 0.9, 0.95, 1.01),
            (0.2, 0.3, 1.01), (0.2, 0.3, 0.4, 1.01)):
        model = LineModel(mean, scale, weights, bias, region, inside, outside, edge, tail, 0.0,
                          REGION_SHARES[-1])
        page_f1, seg_f1, recall = evaluate(pages, model, scorer)
        results.append((page_f1 + seg_f1, recall, model, page_f1, seg_f1))
    _, _, model, page_f1, seg_f1 = choose(results)
    print(f"dev: page_text token F1 {page_f1:.3f}, segment F1 {seg_f1:.3f} with region"
          f" {model.region_threshold}, inside {model.inside_drop}, outside {model.outside_keep},"
          f" edge {model.edge_keep}, tail {model.tail_keep}")
    return model


def choose(results: list) -> tuple:
    """Of the (summed F1, recall, model, page F1, segment F1) results, the one with the
    highest recall among those within :data:`TIE` of the best sum: differences under TIE
    are noise on this much data, so keep the setting that loses the least article text."""
    top = max(result[0] for result in results)
    return max((r for r in results if r[0] >= top - TIE), key=lambda r: r[1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--bench")
    parser.add_argument("--out", default=str(ROOT / "src" / "newsclean" / "data" /
                                             "line_model.json"))
    parser.add_argument("--decoding-only", action="store_true",
                        help="keep the shipped weights and thresholds; choose region_share")
    args = parser.parse_args()
    bench = bench_dir(args.bench)
    scorer = load_scorer(bench)
    pages = page_examples(bench, RuleSet.load())
    model = bundled_model() if args.decoding_only else fit_thresholds(pages, scorer)
    results = []
    for share in REGION_SHARES:
        candidate = replace(model, region_share=share)
        page_f1, seg_f1, recall = evaluate(pages, candidate, scorer)
        results.append((page_f1 + seg_f1, recall, candidate, page_f1, seg_f1))
    _, _, model, page_f1, seg_f1 = choose(results)
    print(f"dev: page_text token F1 {page_f1:.3f}, segment F1 {seg_f1:.3f} with other runs"
          f" joining the region from {model.region_share} of the best run's gain")
    extracted = extracted_examples(bench, RuleSet.load())
    page_pages = [p for p in pages if p[0] == "page"]
    # Never trade extracted text for pages: of the shares that keep extracted_text's F1
    # within 0.002 of leaving it to the rules, the one best for page_text.
    floor = token_prf(extracted, model, scorer, "extracted")[2] - 0.002
    safe = [share for share in (0.3, 0.4, 0.5, 0.6, 0.7, 0.8) if token_prf(
        extracted, replace(model, page_share=share), scorer, "auto")[2] >= floor]
    best_share = max(safe or [1.0], key=lambda share: token_prf(
        page_pages, replace(model, page_share=share), scorer, "auto")[2])
    model = replace(model, page_share=best_share)
    print(f"dev, mode auto (page from a share of weak lines of {best_share}): page_text F1"
          f" {token_prf(page_pages, model, scorer, 'auto')[2]:.3f}, extracted_text F1"
          f" {token_prf(extracted, model, scorer, 'auto')[2]:.3f}")
    Path(args.out).write_text(model.to_json() + "\n", encoding="utf-8")
    print(f"wrote {args.out}")


if __name__ == "__main__":
    main()
