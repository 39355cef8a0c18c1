"""Draw the charts of the documentation from the figures the benchmark scripts wrote.

    python benchmarks/charts.py [--split test] [--out docs/img]

Reads benchmarks/results/boiler-SPLIT.json (written by boiler.py), names-SPLIT.json
(names.py) and benchmarks/anchors.json (what other systems score, from the benchmark's
README), and writes boiler-f1.png, boiler-speed.png, names.png and reliability.png.
Nothing is typed in by hand here: run the scripts again, then this, to update the charts.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt

from _common import RESULTS, ROOT

FILES = ("page_text.jsonl", "extracted_text.jsonl", "segments.jsonl")
NEWSCLEAN = "#3f51b5"
OTHERS = ("#9e9e9e", "#f4a261", "#8ecae6", "#90be6d", "#e9c46a", "#b5838d")
#: PNG metadata without the matplotlib version, so that a chart changes only with its data.
METADATA = {"Software": None}


def _load(name: str) -> dict:
    path = RESULTS / f"{name}.json"
    if not path.is_file():
        raise SystemExit(f"no figures at {path}: run the benchmark script first")
    return json.loads(path.read_text(encoding="utf-8"))


#: How the systems of boiler.py are named in the charts; "newsclean MODE" is the mode
#: that fits the file (page, or extracted for extracted_text).
SYSTEMS = {"unchanged": "input unchanged", "jusText": "jusText (same run)",
           "newsclean": "newsclean, the file's mode", "newsclean auto": "newsclean auto"}


def _f1(scores: dict, name: str) -> float:
    return scores["seg_F1"] if name == "segments.jsonl" else scores["tok_F1"]


def _row(boiler: dict, name: str, system: str) -> dict:
    """A system's figures on a file; "newsclean" is newsclean in the file's own mode."""
    rows = boiler["files"][name]
    if system == "newsclean":
        system = next((label for label in rows
                       if label.startswith("newsclean ") and label != "newsclean auto"), "")
    return rows.get(system, {})


def boiler_f1(boiler: dict, anchors: dict, out: Path) -> None:
    """Token F1 (segment F1 for segments) of every system on each file."""
    systems = list(SYSTEMS)
    anchor_names = list(anchors["boiler"])
    labels = [SYSTEMS[s] for s in systems] + [f"{a} (README)" for a in anchor_names]
    fig, ax = plt.subplots(figsize=(10, 4.6))
    width = 0.8 / len(labels)
    for i, label in enumerate(labels):
        values = []
        for name in FILES:
            if i < len(systems):
                row = _row(boiler, name, systems[i])
                values.append(_f1(row, name) if row else float("nan"))
            else:
                values.append(anchors["boiler"][anchor_names[i - len(systems)]].get(name,
                                                                                  float("nan")))
        positions = [f + (i - (len(labels) - 1) / 2) * width for f in range(len(FILES))]
        is_ours = label.startswith("newsclean")
        colour = NEWSCLEAN if label == SYSTEMS["newsclean"] else (
            "#9fa8da" if is_ours else OTHERS[i % len(OTHERS)])
        bars = ax.bar(positions, values, width, label=label, color=colour,
                      hatch="//" if i >= len(systems) else None, edgecolor="white")
        if is_ours:
            ax.bar_label(bars, fmt="%.3f", fontsize=7, padding=2, rotation=90)
    ax.set_xticks(range(len(FILES)),
                  ["page_text (token F1)", "extracted_text (token F1)", "segments (segment F1)"])
    ax.set_ylim(0.5, 1.02)
    ax.set_ylabel("F1")
    ax.set_title(f"Boilerplate removal, {boiler['split']} split, newsclean {boiler['version']}"
                 f" ({boiler['date']}); hatched: published figures, all pages")
    ax.title.set_fontsize(10)
    ax.legend(fontsize=7, ncol=4, loc="upper center", bbox_to_anchor=(0.5, -0.08))
    ax.grid(axis="y", alpha=0.3)
    _save(fig, out / "boiler-f1.png")


def boiler_speed(boiler: dict, out: Path) -> None:
    """MB/s of input text cleaned, every system timed in the same run on one core."""
    systems = [s for s in SYSTEMS if s != "unchanged"]
    fig, ax = plt.subplots(figsize=(8, 3.6))
    width = 0.8 / len(systems)
    for i, system in enumerate(systems):
        values = [_row(boiler, name, system).get("mb_per_s", float("nan")) for name in FILES]
        positions = [f + (i - (len(systems) - 1) / 2) * width for f in range(len(FILES))]
        colour = {"newsclean": NEWSCLEAN, "newsclean auto": "#9fa8da"}.get(system, OTHERS[1])
        bars = ax.bar(positions, values, width, label=SYSTEMS[system], color=colour)
        ax.bar_label(bars, fmt="%.1f", fontsize=8, padding=2)
    ax.set_xticks(range(len(FILES)), [name.removesuffix(".jsonl") for name in FILES])
    ax.set_ylabel("MB/s of input, one core")
    ax.margins(y=0.15)
    ax.set_title(f"Cleaning speed, same run ({boiler['date']})", fontsize=10)
    ax.legend(fontsize=8)
    ax.grid(axis="y", alpha=0.3)
    _save(fig, out / "boiler-speed.png")


def names_chart(names: dict, anchors: dict, out: Path) -> None:
    """Precision, recall and false-merge rate of name resolution on the OFAC variants."""
    rows = dict(names["systems"])
    rows.update({f"{k} (README)": v for k, v in anchors["names"].items()})
    metrics = (("precision", "precision"), ("recall", "recall"), ("false_merges", "false merges"))
    fig, ax = plt.subplots(figsize=(10, 4.2))
    width = 0.8 / len(rows)
    for i, (label, m) in enumerate(rows.items()):
        positions = [f + (i - (len(rows) - 1) / 2) * width for f in range(len(metrics))]
        ours = label == "newsclean"
        bars = ax.bar(positions, [m[key] for key, _ in metrics], width, label=label,
                      color=NEWSCLEAN if ours else OTHERS[i % len(OTHERS)],
                      hatch="//" if label.endswith("(README)") else None, edgecolor="white")
        if ours:
            ax.bar_label(bars, fmt="%.3f", fontsize=8, padding=2)
    ax.set_xticks(range(len(metrics)), [name for _, name in metrics])
    ax.set_ylim(0, 1)
    ax.set_title(f"Name resolution, OFAC variants, {names['split']} split ({names['queries']:,}"
                 f" queries), newsclean {names['version']}; hatched: published figures",
                 fontsize=10)
    ax.legend(fontsize=7, ncol=2)
    ax.grid(axis="y", alpha=0.3)
    _save(fig, out / "names.png")


def reliability_chart(names: dict, out: Path) -> None:
    """Share of accepted matches that are right, by method and score band."""
    rows = names["reliability"]
    methods = sorted({r["method"] for r in rows})
    bands = sorted({(r["low"], r["high"]) for r in rows})
    fig, ax = plt.subplots(figsize=(8, 3.8))
    width = 0.8 / len(methods)
    for i, method in enumerate(methods):
        found = {(r["low"], r["high"]): r for r in rows if r["method"] == method}
        positions = [b + (i - (len(methods) - 1) / 2) * width for b in range(len(bands))]
        shares = [found[b]["right"] / found[b]["accepted"] if b in found else float("nan")
                  for b in bands]
        bars = ax.bar(positions, shares, width, label=method, color=OTHERS[i + 1])
        ax.bar_label(bars, labels=[f"n={found[b]['accepted']}" if b in found else ""
                                   for b in bands], fontsize=7, padding=2)
    ax.set_xticks(range(len(bands)), [f"{low:.2f}-{high:.2f}" for low, high in bands])
    ax.set_xlabel("score of the match")
    ax.set_ylabel("share right")
    ax.set_ylim(0, 1.1)
    ax.set_title(f"Reliability of accepted matches, OFAC variants, {names['split']} split",
                 fontsize=10)
    ax.legend(fontsize=8, loc="upper left", bbox_to_anchor=(1.01, 1))
    ax.grid(axis="y", alpha=0.3)
    _save(fig, out / "reliability.png")


def _save(fig: plt.Figure, path: Path) -> None:
    fig.tight_layout()
    fig.savefig(path, dpi=110, metadata=METADATA)
    plt.close(fig)
    print(f"wrote {path}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--split", default="test", choices=("dev", "test"))
    parser.add_argument("--out", default=str(ROOT / "docs" / "img"))
    args = parser.parse_args()
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    anchors = json.loads((ROOT / "benchmarks" / "anchors.json").read_text(encoding="utf-8"))
    boiler = _load(f"boiler-{args.split}")
    names = _load(f"names-{args.split}")
    boiler_f1(boiler, anchors, out)
    boiler_speed(boiler, out)
    names_chart(names, anchors, out)
    reliability_chart(names, out)


if __name__ == "__main__":
    main()
