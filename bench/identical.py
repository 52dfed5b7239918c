"""Check that a change leaves rasd's output byte for byte as it was: the records of the working tree against those of
another revision (by default HEAD, the parent of an uncommitted speed or structure step).

Inputs, in one run: the samples, the bench corpus (`bench/batch.py`'s synthetic archive, first N articles) and, when
`../shared/eval` is beside the checkout, dev and dev2, each also with every `published` removed and with each kind of
scrape damage of `perturb.py`. Both trees run `rasd batch --workers 1` on the same files with the same extraction
date (`RASD_TODAY`); the revision's records are kept in a cache folder keyed on its commit, so checking a series of
steps against one parent converts its inputs once.

usage: python bench/identical.py [--ref REV] [--articles 3000] [--only NAME ...] [--keep DIR]
exit status: 0 when every output is identical, 1 when one differs (the first differing record is shown).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
EVAL = ROOT.parent / "shared" / "eval"
DAMAGE = ("glue", "wrap", "flat", "crlf", "nbsp")
TODAY = "2026-12-08"  # a fixed extraction date: outputs that depend on it compare equal across days


def _git(*args: str) -> str:
    return subprocess.run(["git", "-C", str(ROOT), *args], check=True, capture_output=True, text=True).stdout.strip()


def _undated(src: Path, dst: Path) -> None:
    with src.open(encoding="utf-8") as f, dst.open("w", encoding="utf-8") as out:
        for line in f:
            a = json.loads(line)
            a["published"] = None
            out.write(json.dumps(a, ensure_ascii=False) + "\n")


def build_inputs(folder: Path, articles: int) -> dict[str, Path]:
    """Write every input file into `folder` (once; reused when present) and return them by name."""
    folder.mkdir(parents=True, exist_ok=True)
    inputs = {"samples": ROOT / "samples" / "articles.jsonl"}
    corpus = folder / f"bench-{articles}.jsonl"
    if not corpus.exists():
        sys.path.insert(0, str(ROOT / "bench"))
        from batch import build_corpus  # the bench corpus generator

        build_corpus(corpus, articles)
    inputs["bench"] = corpus
    for name in ("dev", "dev2"):
        src = EVAL / name / "articles.jsonl"
        if not src.exists():
            continue
        inputs[name] = src
        undated = folder / f"{name}-undated.jsonl"
        if not undated.exists():
            _undated(src, undated)
        inputs[f"{name}-undated"] = undated
        for kind in DAMAGE:
            damaged = folder / f"{name}-{kind}.jsonl"
            if not damaged.exists():
                subprocess.run([sys.executable, str(EVAL / "perturb.py"), kind, str(src), str(damaged)], check=True,
                               capture_output=True)
            inputs[f"{name}-{kind}"] = damaged
    return inputs


def run_tree(tree: Path, src: Path, out: Path) -> None:
    """`rasd batch` of the code in `tree` (its own patterns), one worker, outside any checkout's folder."""
    env = {**os.environ, "PYTHONPATH": str(tree), "RASD_PATTERNS": str(tree / "patterns"), "RASD_TODAY": TODAY}
    proc = subprocess.run([sys.executable, "-m", "extractor.cli", "batch", str(src), "-o", str(out), "--workers", "1",
                           "--errors", str(out) + ".errors.jsonl"], cwd=tempfile.gettempdir(), env=env,
                          capture_output=True, text=True)
    if proc.returncode not in (0, 1):
        raise SystemExit(f"rasd batch failed in {tree} on {src}:\n{proc.stderr}")


def first_difference(a: Path, b: Path) -> str:
    """The first record (by line) that differs, as `id: key differs`."""
    with a.open(encoding="utf-8") as fa, b.open(encoding="utf-8") as fb:
        for n, (la, lb) in enumerate(zip(fa, fb, strict=False), 1):
            if la != lb:
                ra, rb = json.loads(la), json.loads(lb)
                keys = [k for k in sorted(set(ra) | set(rb)) if ra.get(k) != rb.get(k)]
                return f"line {n}, id {ra.get('id')!r}: {', '.join(keys)}"
    return "one file is longer"


def main() -> int:
    """Convert every input with both trees and compare."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--ref", default="HEAD", help="the revision to compare with (default HEAD)")
    ap.add_argument("--articles", type=int, default=3000, help="articles of the bench corpus (default 3000)")
    ap.add_argument("--only", nargs="*", help="input names to check (default: all)")
    ap.add_argument("--keep", type=Path, help="cache folder (default: $TMPDIR/rasd-identical)")
    args = ap.parse_args()
    sha = _git("rev-parse", args.ref)
    cache = args.keep or Path(tempfile.gettempdir()) / "rasd-identical"
    inputs = build_inputs(cache / "inputs", args.articles)
    if args.only:
        inputs = {k: v for k, v in inputs.items() if k in args.only}
    ref_tree = cache / f"tree-{sha[:12]}"
    if not ref_tree.exists():
        ref_tree.mkdir(parents=True)
        archive = subprocess.run(["git", "-C", str(ROOT), "archive", sha], check=True, capture_output=True).stdout
        subprocess.run(["tar", "-x", "-C", str(ref_tree)], input=archive, check=True)
    digest = hashlib.sha1(f"{sha}{TODAY}".encode()).hexdigest()[:12]
    ref_out = cache / f"out-{digest}"
    ref_out.mkdir(exist_ok=True)
    new_out = Path(tempfile.mkdtemp(prefix="rasd-identical-new-"))
    differing = 0
    for name, src in inputs.items():
        ours = ref_out / f"{name}-{src.stat().st_size}.jsonl"
        if not ours.exists():
            run_tree(ref_tree, src, ours)
        mine = new_out / f"{name}.jsonl"
        run_tree(ROOT, src, mine)
        same = ours.read_bytes() == mine.read_bytes()
        errors_same = Path(str(ours) + ".errors.jsonl").read_bytes() == Path(str(mine) + ".errors.jsonl").read_bytes()
        if same and errors_same:
            print(f"identical  {name}")
        else:
            differing += 1
            print(f"DIFFERENT  {name}: {first_difference(ours, mine) if not same else 'errors file'}")
    print(f"{len(inputs) - differing} of {len(inputs)} identical against {args.ref} ({sha[:12]})")
    return 1 if differing else 0


if __name__ == "__main__":
    sys.exit(main())
