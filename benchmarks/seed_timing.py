"""Time newsclean on the seed article: a cold start of the command, and per document in a batch.

    python benchmarks/seed_timing.py [--copies 200]

The cold start is the wall time of `newsclean --format json examples/seed_article.txt`
in a new process (imports, model and table loading included), best of three. The batch
figure runs the seed through one loaded Pipeline.pipe, with the text varied per copy so
no lookup cache sees it twice, and compares it with spaCy's ner-only nlp.pipe on the
same cleaned texts in the same run.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import time

import newsclean
from _common import ROOT


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--copies", type=int, default=200)
    args = parser.parse_args()
    seed = ROOT / "examples" / "seed_article.txt"
    colds = []
    for _ in range(3):
        started = time.perf_counter()
        subprocess.run([sys.executable, "-m", "newsclean", "--format", "json", str(seed)],
                       check=True, capture_output=True)
        colds.append(time.perf_counter() - started)
    text = seed.read_text(encoding="utf-8")
    texts = [text.replace("2500", str(2500 + i)) for i in range(args.copies)]
    pipe = newsclean.Pipeline()
    pipe(text)  # load the model and build the matcher outside the timing
    started = time.perf_counter()
    results = list(pipe.pipe(texts, batch_size=64))
    batch = (time.perf_counter() - started) / len(texts)
    cleaned = [r.text for r in results]
    started = time.perf_counter()
    for _ in pipe.nlp.pipe(cleaned, batch_size=64):
        pass
    ner_only = (time.perf_counter() - started) / len(texts)
    print(f"cold start (command, best of 3): {min(colds):.2f} s")
    print(f"per document in a batch of {len(texts)}: {batch * 1000:.1f} ms"
          f" (spaCy ner-only on the same cleaned text: {ner_only * 1000:.1f} ms,"
          f" ratio {ner_only / batch:.2f})")


if __name__ == "__main__":
    main()
