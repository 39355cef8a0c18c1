"""Shared fixtures. Tests marked ``model`` load the real spaCy pipeline."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

import newsclean

ROOT = Path(__file__).resolve().parents[1]
SEED = ROOT / "examples" / "seed_article.txt"


def shared_dir() -> Path:
    """``../shared`` beside the repository, or $NEWSCLEAN_SHARED."""
    return Path(os.environ.get("NEWSCLEAN_SHARED", ROOT.parent / "shared"))


def bench_dir() -> Path:
    """The benchmark data: $NEWSCLEAN_BENCH, or ``bench/`` in the shared folder."""
    return Path(os.environ.get("NEWSCLEAN_BENCH", shared_dir() / "bench"))


@pytest.fixture(scope="session")
def bench() -> Path:
    folder = bench_dir()
    if not (folder / "boiler").is_dir():
        if os.environ.get("CI"):
            pytest.fail(f"benchmark data not found at {folder}; CI must have ../shared/bench")
        pytest.skip("benchmark data not found: set NEWSCLEAN_BENCH to ../shared/bench")
    return folder


@pytest.fixture(scope="session")
def seed_text() -> str:
    return SEED.read_text(encoding="utf-8")


@pytest.fixture(scope="session")
def pipeline() -> newsclean.Pipeline:
    """The default pipeline with the real model, loaded once for the session."""
    pipe = newsclean.Pipeline()
    pipe.nlp  # noqa: B018 - load now, so a missing model fails here
    return pipe


@pytest.fixture(scope="session")
def cleaner() -> newsclean.Pipeline:
    """A pipeline that only cleans: no model."""
    return newsclean.Pipeline(config=newsclean.CleanConfig(entities=False))


@pytest.fixture
def write(tmp_path: Path):
    """Write a file under tmp_path and return its path."""

    def _write(name: str, text: str) -> Path:
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        return path

    return _write
