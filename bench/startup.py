"""Benchmark: where the start-up of `rasd extract` (and of a batch worker) goes.

Two measurements, each in fresh processes:
- whole process: `rasd extract` of a one-line text, wall time, median of `--runs` (target: < 0.5 s);
- in-process timers, medians over `--runs` fresh interpreters, stage by stage in the order the first article meets
  them: interpreter start, the imports (the CLI, then everything `extract` needs), pattern loading (every pattern
  file parsed and checked), the fold table, then each engine's first call (its tables and compiled rules, built
  once per process), the rest of the first `extract()` and a second one (the steady cost of a short text).
A forked batch worker starts from its parent's imports; what it adds is the engines' first calls. The code's
byte-code is compiled first and used (as in an installed rasd), whatever PYTHONDONTWRITEBYTECODE says.

usage: python bench/startup.py [--runs 5] [--tree DIR]   # DIR: another checkout's code (PYTHONPATH), e.g. a parent
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

TEXT = "أعلنت منصة تلغرام أنها أزالت أكثر من 5 ملايين محتوى متطرف منذ انطلاق الشراكة في فبراير 2022."

# One fresh interpreter: a JSON line of stage → seconds.
PROBE = r"""
import json, sys, time
t0 = time.perf_counter()
out = {}
def stage(name, fn):
    s = time.perf_counter()
    fn()
    out[name] = time.perf_counter() - s
text = sys.argv[1]
stage("import extractor.cli", lambda: __import__("extractor.cli"))
def imports():
    import extractor.batch, extractor.readers, extractor.facts  # noqa: F401
stage("import the pipeline", imports)
def patterns():
    from extractor import patterns
    for p in patterns.pattern_files():
        patterns.load(p.stem)
stage("pattern files (parse, check)", patterns)
from extractor.normalise import normalise
stage("fold table (first normalise)", lambda: normalise(text))
from extractor import layout
stage("layout words", lambda: (layout.boundary_words(), layout._scale_words()))
from extractor.numbers import find_numbers
stage("numbers: first call", lambda: find_numbers(text))
from extractor.dates import find_dates
stage("dates: first call", lambda: find_dates(text))
from extractor.entities import find_terms
stage("entities: first call", lambda: find_terms(normalise(text)))
from extractor.sentences import split_sentences
stage("sentences: first call", lambda: split_sentences(text))
from extractor.facts import extract
stage("extract: rest of the first call", lambda: extract(text))
stage("extract: second call", lambda: extract(text))
out["total in process"] = time.perf_counter() - t0
print(json.dumps(out))
"""


def _median(xs: list[float]) -> float:
    # Not statistics.median: run from bench/, `import statistics` would find bench/numbers.py as `numbers`.
    xs = sorted(xs)
    return xs[len(xs) // 2] if len(xs) % 2 else (xs[len(xs) // 2 - 1] + xs[len(xs) // 2]) / 2


def _env(tree: Path | None) -> dict[str, str]:
    # Byte-code as an installed rasd has it (pip compiles it): without, every start compiles the sources (~0.1 s).
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    if tree is not None:
        env["PYTHONPATH"] = str(tree)
        env["RASD_PATTERNS"] = str(tree / "patterns")
    return env


def whole_process(runs: int, tree: Path | None) -> list[float]:
    """Wall seconds of `rasd extract FILE` (one line), one fresh process per run."""
    with tempfile.NamedTemporaryFile("w", suffix=".txt", encoding="utf-8", delete=False) as f:
        f.write(TEXT + "\n")
    times = []
    try:
        for _ in range(runs):
            started = time.perf_counter()
            subprocess.run([sys.executable, "-m", "extractor.cli", "extract", f.name], check=True, env=_env(tree),
                           stdout=subprocess.DEVNULL, cwd=tempfile.gettempdir())
            times.append(time.perf_counter() - started)
    finally:
        os.unlink(f.name)
    return times


def stages(runs: int, tree: Path | None) -> dict[str, float]:
    """Median seconds of each start-up stage over `runs` fresh interpreters (plus the bare interpreter's start)."""
    got: dict[str, list[float]] = {}
    for _ in range(runs):
        started = time.perf_counter()
        subprocess.run([sys.executable, "-c", "pass"], check=True, env=_env(tree))
        got.setdefault("interpreter start (python -c pass)", []).append(time.perf_counter() - started)
        proc = subprocess.run([sys.executable, "-c", PROBE, TEXT], check=True, env=_env(tree), capture_output=True,
                              text=True, cwd=tempfile.gettempdir())
        for name, seconds in json.loads(proc.stdout.strip().splitlines()[-1]).items():
            got.setdefault(name, []).append(seconds)
    return {name: _median(xs) for name, xs in got.items()}


def main() -> None:
    """Print the whole-process times and the stage table."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--tree", type=Path, help="measure the code of this checkout instead of the installed one")
    args = ap.parse_args()
    code = (args.tree or Path(__file__).resolve().parent.parent) / "extractor"
    subprocess.run([sys.executable, "-m", "compileall", "-q", str(code)], check=True, env=_env(args.tree))
    wall = whole_process(args.runs, args.tree)
    print(f"rasd extract, one line: median {_median(wall):.3f} s wall "
          f"(min {min(wall):.3f}, max {max(wall):.3f}, {args.runs} runs)")
    for name, seconds in stages(args.runs, args.tree).items():
        print(f"  {name:38} {seconds * 1000:7.1f} ms")


if __name__ == "__main__":
    main()
