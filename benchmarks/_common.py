"""What the benchmark scripts share: where the benchmark data is."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any, Callable

ROOT = Path(__file__).resolve().parents[1]


def bench_dir(option: str | None = None) -> Path:
    """The benchmark folder: the option, $NEWSCLEAN_BENCH, or ../shared/bench."""
    folder = Path(option or os.environ.get("NEWSCLEAN_BENCH") or ROOT.parent / "shared" / "bench")
    if not (folder / "score.py").is_file():
        raise SystemExit(f"no benchmark data at {folder}: pass --bench or set NEWSCLEAN_BENCH")
    return folder


#: Where the scripts write their figures for the charts (benchmarks/charts.py).
RESULTS = ROOT / "benchmarks" / "results"


def parse_scores(text: str) -> dict[str, float]:
    """The figures of score.py's output ("tok P=0.9 R=0.8 F1=0.85", "left 5") by name.

    >>> parse_scores("tok P=0.900 R=0.800 F1=0.847 | left 5")
    {'tok_P': 0.9, 'tok_R': 0.8, 'tok_F1': 0.847, 'left': 5.0}
    """
    scores: dict[str, float] = {}
    for part in text.replace("|", "\n").splitlines():
        words = part.split()
        if len(words) == 2 and words[1].isdigit():
            scores[words[0]] = float(words[1])
        elif words:
            for field in words[1:]:
                name, _, value = field.partition("=")
                scores[f"{words[0]}_{name}"] = float(value)
    return scores


def write_results(name: str, data: dict) -> Path:
    """Write a script's figures to benchmarks/results/NAME.json (committed; charts read it)."""
    import json

    RESULTS.mkdir(parents=True, exist_ok=True)
    path = RESULTS / f"{name}.json"
    path.write_text(json.dumps(data, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return path


#: Score bands of the reliability table: [low, high) with the last one closed.
SCORE_BANDS = ((0.0, 0.8), (0.8, 0.85), (0.85, 0.9), (0.9, 0.95), (0.95, 1.0))


def reliability(queries: list[dict], lookup: Callable[[dict], Any]) -> list[dict]:
    """How often an accepted match is right, by method and score band (in-KB and
    out-of-KB queries alike: a match of an out-of-KB query is wrong).

    ``lookup(query)`` returns a newsclean ``Match`` or None.
    """
    rows: dict[tuple[str, int], list[int]] = {}
    for query in queries:
        match = lookup(query)
        if match is None:
            continue
        band = next(i for i, (low, high) in enumerate(SCORE_BANDS)
                    if match.score < high or i == len(SCORE_BANDS) - 1)
        counts = rows.setdefault((match.method, band), [0, 0])
        counts[0] += 1
        counts[1] += match.id == query["gold"]
    return [{"method": method, "low": SCORE_BANDS[band][0], "high": SCORE_BANDS[band][1],
             "accepted": accepted, "right": right}
            for (method, band), (accepted, right) in sorted(rows.items())]
