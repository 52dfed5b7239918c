"""Benchmark: scores on scrape-damaged copies of the dev set (`../shared/eval/perturb.py`), one row per kind.

For every kind (and the combinations glue+wrap, flat+nbsp) it writes a damaged copy of the articles with the
evaluation's own `perturb.py`, runs `rasd batch` on it and scores it with `score.py` against the same gold file,
then prints a Markdown table of core F1 and full F1 beside the undamaged set's.

usage: python bench/damage.py [--set dev] [--eval ../shared/eval] [--kinds glue,wrap,...]
"""

from __future__ import annotations

import argparse
import re
import subprocess
import sys
import tempfile
from pathlib import Path

KINDS = ["glue", "wrap", "flat", "crlf", "nbsp", "glue+wrap", "flat+nbsp"]


def _score(eval_dir: Path, name: str, articles: Path, work: Path) -> tuple[float, float]:
    pred = work / f"{articles.stem}.pred.jsonl"
    subprocess.run([sys.executable, "-m", "extractor.cli", "batch", str(articles), "-o", str(pred), "-q"],
                   check=True, stderr=subprocess.DEVNULL)
    out = subprocess.run([sys.executable, str(eval_dir / "score.py"), str(eval_dir / name / "gold.jsonl"), str(pred),
                          "--input", str(articles)], check=True, capture_output=True, text=True).stdout
    last = out.strip().splitlines()[-1]
    core = re.search(r"core_f1=([0-9.]+)", last)
    full = re.search(r"full_f1=([0-9.]+)", last)
    if not core or not full:
        raise SystemExit(f"unexpected score.py output: {last}")
    return float(core.group(1)), float(full.group(1))


def main() -> None:
    """Damage, extract, score and print the table."""
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--set", default="dev")
    ap.add_argument("--eval", type=Path, default=Path(__file__).resolve().parents[2] / "shared" / "eval")
    ap.add_argument("--kinds", default=",".join(KINDS))
    args = ap.parse_args()
    source = args.eval / args.set / "articles.jsonl"
    if not source.exists():
        raise SystemExit(f"{source} not found (pass --eval)")
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        base = _score(args.eval, args.set, source, work)
        print("| damage | core F1 | full F1 |\n|---|---|---|")
        print(f"| none | {base[0]:.3f} | {base[1]:.3f} |")
        for combination in args.kinds.split(","):
            current = source
            for i, kind in enumerate(combination.split("+")):
                out = work / f"{combination.replace('+', '_')}-{i}.jsonl"
                subprocess.run([sys.executable, str(args.eval / "perturb.py"), kind, str(current), str(out)],
                               check=True)
                current = out
            core, full = _score(args.eval, args.set, current, work)
            print(f"| `{combination}` | {core:.3f} ({core - base[0]:+.3f}) | {full:.3f} ({full - base[1]:+.3f}) |")


if __name__ == "__main__":
    main()
