"""Benchmark: extraction time per article for removal reports of about 3,000 characters (issue target: < 1 ms).

The corpus is built from the sample articles (samples/articles.jsonl, written by the project) concatenated into
removal reports of 2,500–3,500 characters, plus the samples themselves. Prints mean and median milliseconds per
article and characters per second.

usage: python bench/extract.py [--rounds N]
"""

from __future__ import annotations

import sys
from pathlib import Path

# bench/numbers.py would shadow the standard library's `numbers` module (imported by `statistics`).
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != Path(__file__).resolve().parent]

import argparse  # noqa: E402
import json  # noqa: E402
import statistics  # noqa: E402
import time  # noqa: E402

from extractor import extract  # noqa: E402

SAMPLES = Path(__file__).resolve().parent.parent / "samples" / "articles.jsonl"


def corpus() -> list[tuple[str, str | None]]:
    """Articles of about 3,000 characters made of the sample reports, with their publication dates."""
    samples = [json.loads(line) for line in SAMPLES.open(encoding="utf-8") if line.strip()]
    out = []
    for i, a in enumerate(samples):
        text = a["text"]
        j = i
        while len(text) < 2500:
            j = (j + 1) % len(samples)
            text += "\n" + samples[j]["text"]
        out.append((text[:3500], a.get("published")))
    return out


def main() -> None:
    """Time extract() over the corpus and print per-article figures."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rounds", type=int, default=200)
    args = ap.parse_args()
    docs = corpus()
    for text, pub in docs:  # warm-up: compile every pattern once
        extract(text, published=pub)
    times = []
    chars = 0
    for _ in range(args.rounds):
        for text, pub in docs:
            t0 = time.perf_counter()
            extract(text, published=pub)
            times.append(time.perf_counter() - t0)
            chars += len(text)
    mean_chars = statistics.mean(len(t) for t, _ in docs)
    print(f"articles: {len(times)} (mean {mean_chars:.0f} characters)")
    print(f"extract(): mean {statistics.mean(times) * 1000:.3f} ms, median {statistics.median(times) * 1000:.3f} ms "
          f"per article; {chars / sum(times) / 1e6:.2f} MB/s (characters)")


if __name__ == "__main__":
    main()
