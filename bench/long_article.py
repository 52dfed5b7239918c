"""Benchmark: `rasd extract` on ONE long single-line article of 1, 4 and 16 MB — the cost must grow linearly.

The article is the project's own sample reports (samples/articles.jsonl) with their line breaks turned into spaces,
repeated up to the size (so it is dense with figures, dates and organisations: a worst case), cut on a character
boundary. Two corpora: `repeated` (the same figures again and again: they merge into ~50 facts) and `distinct`
(every digit redrawn from a seeded generator, so nearly every figure is a fact of its own: the worst case for
merging, ~11,000 facts per MB). Each size runs `rasd extract FILE --compact --max-article-size 20M --time-limit 0`
in a fresh process (the limits are lifted so the 16 MB file is read), and the wall time and peak memory (max RSS of
the child) are printed, with the ratio to the 1 MB run: linear cost gives ratios near 4 and 16 (less while the
~2 s of start-up and pattern compilation still weigh).

usage: python bench/long_article.py [--sizes 1,4,16] [--rounds N] [--corpus repeated|distinct|both]
"""

from __future__ import annotations

import sys
from pathlib import Path

# bench/numbers.py would shadow the standard library's `numbers` module.
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != Path(__file__).resolve().parent]

import argparse  # noqa: E402
import json  # noqa: E402
import os  # noqa: E402
import random  # noqa: E402
import re  # noqa: E402
import subprocess  # noqa: E402
import tempfile  # noqa: E402
import time  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "samples" / "articles.jsonl"


def long_article(n_bytes: int, distinct: bool = False) -> str:
    """One line of about `n_bytes` UTF-8 bytes made of the sample reports, repeated (`distinct`: digits redrawn)."""
    texts = [json.loads(line)["text"] for line in SAMPLES.open(encoding="utf-8") if line.strip()]
    base = " ".join(t.replace("\n", " ") for t in texts) + " "
    reps = n_bytes // len(base.encode("utf-8")) + 1
    text = (base * reps).encode("utf-8")[:n_bytes].decode("utf-8", "ignore")
    if distinct:
        rng = random.Random(1)
        text = re.sub(r"[0-9]", lambda m: str(rng.randint(1, 9)), text)
    return text


def run_once(path: Path) -> tuple[float, int, int]:
    """(seconds, peak RSS in MB, number of facts) of one `rasd extract` in a child process (its own rusage)."""
    rasd = Path(sys.executable).with_name("rasd")
    cmd = [str(rasd), "extract", str(path), "--compact", "--max-article-size", "20M", "--time-limit", "0"]
    with tempfile.TemporaryFile() as out:
        t0 = time.perf_counter()
        proc = subprocess.Popen(cmd, stdout=out)
        _, status, usage = os.wait4(proc.pid, 0)
        seconds = time.perf_counter() - t0
        proc.returncode = os.waitstatus_to_exitcode(status)
        if proc.returncode != 0:
            raise SystemExit(f"rasd extract failed with status {proc.returncode}")
        out.seek(0)
        facts = len(json.loads(out.read())["facts"])
    return seconds, usage.ru_maxrss // 1024, facts  # ru_maxrss is in KB on Linux


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sizes", default="1,4,16", help="sizes in MB (default 1,4,16)")
    ap.add_argument("--rounds", type=int, default=1, help="runs per size; the fastest is reported")
    ap.add_argument("--corpus", choices=("repeated", "distinct", "both"), default="both")
    args = ap.parse_args()
    sizes = [int(x) for x in args.sizes.split(",")]
    corpora = ["repeated", "distinct"] if args.corpus == "both" else [args.corpus]
    print(f"{'corpus':>8}  {'size':>6}  {'seconds':>8}  {'ratio':>6}  {'s/MB':>6}  {'peak RSS':>9}  facts")
    with tempfile.TemporaryDirectory() as tmp:
        for corpus in corpora:
            first = None
            for mb in sizes:
                path = Path(tmp) / f"{corpus}{mb}.txt"
                path.write_text(long_article(mb * 1_000_000, corpus == "distinct"), encoding="utf-8")
                runs = [run_once(path) for _ in range(args.rounds)]
                seconds, peak, facts = min(runs)
                first = first or seconds
                print(f"{corpus:>8}  {mb:>4}MB  {seconds:>8.2f}  {seconds / first:>6.1f}  {seconds / mb:>6.2f}  "
                      f"{peak:>6} MB  {facts}", flush=True)
                os.unlink(path)


if __name__ == "__main__":
    main()
