"""What the benchmark scripts share: where the benchmark data is."""

from __future__ import annotations

import os
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def bench_dir(option: str | None = None) -> Path:
    """The benchmark folder: the option, $NEWSCLEAN_BENCH, or ../shared/bench."""
    folder = Path(option or os.environ.get("NEWSCLEAN_BENCH") or ROOT.parent / "shared" / "bench")
    if not (folder / "score.py").is_file():
        raise SystemExit(f"no benchmark data at {folder}: pass --bench or set NEWSCLEAN_BENCH")
    return folder
