"""Benchmark: extraction time per article for removal reports of about 3,000 characters (issue target: < 1 ms).

Two corpora: the sample articles (samples/articles.jsonl, written by the project) concatenated into reports of
2,500–3,500 characters — dense, about 35 figures each, a worst case — and, when the evaluation folder is beside the
checkout, the dev set's removal reports (read at run time, never copied) joined into 3,000-character articles.
Prints mean and median milliseconds per article and characters per second for each.

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
DEV = Path(__file__).resolve().parents[2] / "shared" / "eval" / "dev"


def corpus(samples: list[dict] | None = None) -> list[tuple[str, str | None]]:
    """Articles of about 3,000 characters made of the given reports (default: the samples), with their dates."""
    if samples is None:
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


def dev_reports() -> list[dict] | None:
    """The dev set's removal-report articles (ids of kind removal_report in gold.jsonl), or None without a dev set."""
    if not (DEV / "articles.jsonl").exists():
        return None
    kinds = {g["id"]: g["kind"] for g in map(json.loads, (DEV / "gold.jsonl").open(encoding="utf-8"))}
    return [a for a in map(json.loads, (DEV / "articles.jsonl").open(encoding="utf-8"))
            if kinds.get(a["id"]) == "removal_report"]


def measure(name: str, docs: list[tuple[str, str | None]], rounds: int) -> None:
    """Time extract() over `docs` (after one warm-up pass) and print per-article figures."""
    for text, pub in docs:  # warm-up: compile every pattern once
        extract(text, published=pub)
    times = []
    chars = 0
    for _ in range(rounds):
        for text, pub in docs:
            t0 = time.perf_counter()
            extract(text, published=pub)
            times.append(time.perf_counter() - t0)
            chars += len(text)
    mean_chars = statistics.mean(len(t) for t, _ in docs)
    figures = statistics.mean(len(extract(t, published=p).facts) for t, p in docs)
    print(f"{name}: {len(times)} articles (mean {mean_chars:.0f} characters, {figures:.1f} facts)")
    print(f"  extract(): mean {statistics.mean(times) * 1000:.3f} ms, median {statistics.median(times) * 1000:.3f} ms "
          f"per article; {chars / sum(times) / 1e6:.2f} MB/s (characters)")


def main() -> None:
    """Time extract() on both corpora."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rounds", type=int, default=100)
    args = ap.parse_args()
    measure("samples joined to ~3,000 characters (dense)", corpus(), args.rounds)
    reports = dev_reports()
    if reports:
        measure("dev removal reports joined to ~3,000 characters", corpus(reports), args.rounds)
    else:
        print(f"no dev set at {DEV}: the second corpus is skipped")


if __name__ == "__main__":
    main()
