"""Benchmark: `rasd extract` on ONE long single-line article of 1, 4 and 16 MB — the cost must grow linearly.

The article is the project's own sample reports (samples/articles.jsonl) with their line breaks turned into spaces,
repeated up to the size (so it is dense with figures, dates and organisations: a worst case), cut on a character
boundary. Each size runs `rasd extract FILE --compact --max-article-size 20M --time-limit 0` in a fresh process (the
limits are lifted so the 16 MB file is read), and the wall time and peak memory (max RSS of the child) are printed,
with the ratio to the 1 MB run: linear cost gives ratios near 4 and 16.

usage: python bench/long_article.py [--sizes 1,4,16] [--rounds N]
"""

from __future__ import annotations

import sys
from pathlib import Path

# bench/numbers.py would shadow the standard library's `numbers` module.
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != Path(__file__).resolve().parent]

import argparse  # noqa: E402
import json  # noqa: E402
import os  # noqa: E402
import resource  # noqa: E402
import subprocess  # noqa: E402
import tempfile  # noqa: E402
import time  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "samples" / "articles.jsonl"


def long_article(n_bytes: int) -> str:
    """One line of about `n_bytes` UTF-8 bytes made of the sample reports, repeated."""
    texts = [json.loads(line)["text"] for line in SAMPLES.open(encoding="utf-8") if line.strip()]
    base = " ".join(t.replace("\n", " ") for t in texts) + " "
    reps = n_bytes // len(base.encode("utf-8")) + 1
    return (base * reps).encode("utf-8")[:n_bytes].decode("utf-8", "ignore")


def run_once(path: Path) -> tuple[float, int, int]:
    """(seconds, peak RSS in MB, number of facts) of one `rasd extract` in a child process."""
    rasd = Path(sys.executable).with_name("rasd")
    cmd = [str(rasd), "extract", str(path), "--compact", "--max-article-size", "20M", "--time-limit", "0"]
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    t0 = time.perf_counter()
    out = subprocess.run(cmd, capture_output=True, check=True).stdout
    seconds = time.perf_counter() - t0
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss  # KB on Linux; the max over children so far
    return seconds, max(peak, before) // 1024, len(json.loads(out)["facts"])


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sizes", default="1,4,16", help="sizes in MB (default 1,4,16)")
    ap.add_argument("--rounds", type=int, default=1, help="runs per size; the fastest is reported")
    args = ap.parse_args()
    sizes = [int(x) for x in args.sizes.split(",")]
    print(f"{'size':>6}  {'seconds':>8}  {'ratio':>6}  {'s/MB':>6}  {'peak RSS':>9}  facts")
    first = None
    with tempfile.TemporaryDirectory() as tmp:
        for mb in sizes:
            path = Path(tmp) / f"long{mb}.txt"
            path.write_text(long_article(mb * 1_000_000), encoding="utf-8")
            runs = [run_once(path) for _ in range(args.rounds)]
            seconds, peak, facts = min(runs)
            first = first or (seconds, mb)
            ratio = seconds / first[0]
            print(f"{mb:>4}MB  {seconds:>8.2f}  {ratio:>6.1f}  {seconds / mb:>6.2f}  {peak:>6} MB  {facts}", flush=True)
            os.unlink(path)


if __name__ == "__main__":
    main()
