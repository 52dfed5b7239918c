"""Calibration of the facts' confidence: fit the doubt weights on dev, check them on dev2 (which the fit never sees).

One command refits and rewrites patterns/confidence.toml (weights, intercept, each code's fact count, the examples'
expected confidences; descriptions, examples and comments are kept):

    .venv/bin/python bench/confidence.py --write --plot /tmp/reliability.png

Steps: run this tree's `rasd batch` on ../shared/eval dev and dev2, each as given and as an undated copy (every
`published` set to null); mark every predicted fact right or wrong in every field with score.py's own full match
(metric, value, organisation, scope, qualifier, period; a year-only bound equals its January/December; each gold fact
matched once, facts taken in record order), imported from score.py itself; fit a logistic regression of "right"
on the doubt codes of the dev facts (dated and undated copies together, since rasd meets both) with an L2 penalty on
the weights (not the intercept); a doubt never raises confidence, so a code whose weight comes out above 0 is fixed at
0 and the rest refitted. Then, for the fitted model (with --write) or the one in the pattern file (without), print
per set the calibration table (facts and share right in every field per confidence band), the expected calibration
error, and the issue's targets on dev2: the share right among facts at ≥ 0.9 and the share of gold facts they
cover (both by re-scoring only those facts, as a user of `rasd batch --min-confidence 0.9` would see them).
`--plot` draws the reliability diagram (PNG). Needs the `bench` extra (numpy; matplotlib for the plot).

usage: python bench/confidence.py [--write] [--plot FILE.png] [--l2 1.0] [--eval ../shared/eval] [--workers 2]
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import math
import os
import re
import subprocess
import sys
import tempfile
import tomllib
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

# bench/numbers.py would shadow the standard library's `numbers` (which numpy imports) from the script's folder.
if sys.path and Path(sys.path[0]).resolve() == Path(__file__).resolve().parent:
    del sys.path[0]

ROOT = Path(__file__).resolve().parent.parent
PATTERNS = ROOT / "patterns"
MODEL_FILE = PATTERNS / "confidence.toml"
TODAY = "2026-12-08"  # as bench/identical.py: outputs that could depend on the day compare equal across days
BANDS = ((0.0, 0.5), (0.5, 0.7), (0.7, 0.8), (0.8, 0.9), (0.9, 0.95), (0.95, 1.01))
TARGET = 0.9  # the issue: facts at >= 0.9 right >= 98 % of the time, covering >= 75 % of the gold facts


# --- data -----------------------------------------------------------------------------------------------------
def load_score(eval_dir: Path) -> Any:
    """score.py as a module: its `full` key and `match` are the matching rules, reused as they are."""
    spec = importlib.util.spec_from_file_location("rasd_eval_score", eval_dir / "score.py")
    if spec is None or spec.loader is None:
        raise SystemExit(f"cannot load {eval_dir / 'score.py'}")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _jsonl(path: Path) -> list[dict[str, Any]]:
    with path.open(encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def run_rasd(articles: Path, out: Path, workers: int) -> None:
    """This tree's `rasd batch` (its own code and patterns) on `articles`."""
    env = {**os.environ, "PYTHONPATH": str(ROOT), "RASD_PATTERNS": str(PATTERNS), "RASD_TODAY": TODAY}
    done = subprocess.run([sys.executable, "-m", "extractor.cli", "batch", str(articles), "-o", str(out), "-q",
                           "--workers", str(workers), "--errors", str(out) + ".errors.jsonl"],
                          env=env, cwd=tempfile.gettempdir(), capture_output=True, text=True)
    if done.returncode not in (0, 1):
        raise SystemExit(f"rasd batch failed on {articles}:\n{done.stderr}")


@dataclass(frozen=True)
class Labelled:
    """One predicted fact: its article, its doubts, the confidence the records carry, and whether it is right."""

    article: str
    doubts: tuple[str, ...]
    shipped: float | None
    right: bool
    fact: dict[str, Any]


@dataclass
class Set:
    """One scored set: its labelled facts and its gold facts by article."""

    name: str
    facts: list[Labelled]
    gold: dict[str, list[dict[str, Any]]]


def label(score: Any, gold_path: Path, pred_path: Path, name: str) -> Set:
    """Every predicted fact marked right or wrong in every field, exactly as score.py's full match counts it."""
    gold = {str(g["id"]): g.get("facts") or [] for g in _jsonl(gold_path)}
    pred = {str(r.get("id")): r.get("facts") or [] for r in _jsonl(pred_path)}
    out: list[Labelled] = []
    for gid in sorted(gold):
        gf, pf = gold[gid], pred.get(gid, [])
        left = Counter(score.full(f) for f in gf)  # score.match's own loop, kept per fact
        right = 0
        for f in pf:
            k = score.full(f)
            ok = left[k] > 0
            if ok:
                left[k] -= 1
                right += 1
            out.append(Labelled(gid, tuple(f.get("doubts") or ()), f.get("confidence"), ok, f))
        tp, _, _ = score.match(gf, pf, score.full)
        assert tp == right, (gid, tp, right)  # the same count as score.py's
    return Set(name, out, gold)


# --- the fit --------------------------------------------------------------------------------------------------
def fit(facts: list[Labelled], codes: list[str], l2: float) -> tuple[float, dict[str, float]]:
    """Intercept and weights (each ≤ 0) of an L2-penalised logistic regression of `right` on the doubts."""
    import numpy as np

    y = np.array([f.right for f in facts], dtype=float)
    seen = [c for c in codes if any(c in f.doubts for f in facts)]
    active = list(seen)
    while True:
        x = np.array([[1.0] + [1.0 if c in f.doubts else 0.0 for c in active] for f in facts])
        beta = np.zeros(x.shape[1])
        share = min(max(y.mean(), 1e-3), 1 - 1e-3)
        beta[0] = math.log(share / (1 - share))
        penalty = np.full(x.shape[1], l2)
        penalty[0] = 0.0
        for _ in range(100):  # Newton's method; the penalised log-likelihood is strictly concave in the weights
            p = 1 / (1 + np.exp(-np.clip(x @ beta, -30, 30)))
            grad = x.T @ (y - p) - penalty * beta
            hess = (x.T * (p * (1 - p))) @ x + np.diag(penalty) + 1e-9 * np.eye(x.shape[1])
            step = np.linalg.solve(hess, grad)
            beta += step
            if np.max(np.abs(step)) < 1e-10:
                break
        positive = [c for c, w in zip(active, beta[1:], strict=True) if w > 0]
        if not positive:
            break
        active = [c for c in active if c not in positive]  # a doubt never raises confidence: fix those at 0
    weights = dict.fromkeys(codes, 0.0)
    weights.update({c: float(w) for c, w in zip(active, beta[1:], strict=True)})
    return float(beta[0]), weights


def predict(intercept: float, weights: dict[str, float], doubts: tuple[str, ...]) -> float:
    """The shipped formula (extractor/confidence.py): sigmoid of the sum, rounded down to 2 decimals."""
    from extractor.confidence import floor_2

    z = intercept + sum(weights[c] for c in set(doubts))
    return floor_2(1.0 / (1.0 + math.exp(-z)))


# --- writing the pattern file ---------------------------------------------------------------------------------
def _fmt(w: float) -> str:
    return f"{round(w, 4):.4f}".replace("-0.0000", "0.0000")


def write_model(path: Path, intercept: float, weights: dict[str, float], counts: dict[str, int], fitted: str) -> None:
    """Rewrite the numbers of confidence.toml in place (intercept, fitted, weights, facts, the examples' expected
    confidences); every other line (descriptions, examples, comments) stays as it is."""
    text = path.read_text(encoding="utf-8")
    data = tomllib.loads(text)
    rounded = {c: round(w, 4) for c, w in weights.items()}
    examples = iter(data["examples"])
    section, example = "", None
    out = []
    for line in text.splitlines(keepends=True):
        head = re.match(r"^\[\[?([\w.]+)\]\]?\s*$", line)
        if head:
            section = head.group(1)
            example = next(examples) if line.startswith("[[examples]]") else None
        elif section == "model" and line.startswith("intercept ="):
            line = f"intercept = {_fmt(intercept)}\n"
        elif section == "model" and line.startswith("fitted ="):
            line = f"fitted = {json.dumps(fitted, ensure_ascii=False)}\n"
        elif section.startswith("doubts.") and line.startswith("weight ="):
            line = f"weight = {_fmt(weights[section.removeprefix('doubts.')])}\n"
        elif section.startswith("doubts.") and line.startswith("facts ="):
            line = f"facts = {counts[section.removeprefix('doubts.')]}\n"
        elif section == "examples" and example is not None and line.startswith("confidence ="):
            line = f"confidence = {predict(round(intercept, 4), rounded, tuple(example['doubts']))}\n"
        out.append(line)
    new = "".join(out)
    check = tomllib.loads(new)
    assert check["model"]["intercept"] == round(intercept, 4)
    assert {c: d["weight"] for c, d in check["doubts"].items()} == {c: round(w, 4) for c, w in weights.items()}
    path.write_text(new, encoding="utf-8")


# --- the tables -----------------------------------------------------------------------------------------------
def band_of(c: float) -> int:
    """The index of the confidence band holding `c`."""
    return next(i for i, (lo, hi) in enumerate(BANDS) if lo <= c < hi)


def _band_label(i: int) -> str:
    lo, hi = BANDS[i]
    return f"< {hi:g}" if lo == 0 else f"≥ {lo:g}" if hi > 1 else f"{lo:g}–{hi:g}"


def table(s: Set, conf: dict[int, float]) -> tuple[str, dict[str, float]]:
    """The Markdown calibration table of one set and its headline figures."""
    rows = [[0, 0, 0.0] for _ in BANDS]  # facts, right, sum of confidences
    for i, f in enumerate(s.facts):
        b = rows[band_of(conf[i])]
        b[0] += 1
        b[1] += f.right
        b[2] += conf[i]
    n = len(s.facts)
    ece = sum(abs(b[1] - b[2]) for b in rows) / n if n else 0.0
    lines = ["| confidence | facts | right in every field | share right | mean confidence |", "|---|---|---|---|---|"]
    for i, (k, r, total) in enumerate(rows):
        share = f"{r / k:.3f}" if k else "–"
        mean = f"{total / k:.3f}" if k else "–"
        lines.append(f"| {_band_label(i)} | {k} | {r} | {share} | {mean} |")
    right = sum(f.right for f in s.facts)
    lines.append(f"| all | {n} | {right} | {right / n if n else 0:.3f} | "
                 f"{sum(conf.values()) / n if n else 0:.3f} |")
    return "\n".join(lines), {"facts": n, "right": right, "ece": ece}


def at_target(score: Any, s: Set, conf: dict[int, float]) -> tuple[int, float, float]:
    """(facts at >= TARGET, their share right, the share of gold facts they cover), by re-scoring only them."""
    by_article: dict[str, list[dict[str, Any]]] = {}
    for i, f in enumerate(s.facts):
        if conf[i] >= TARGET:
            by_article.setdefault(f.article, []).append(f.fact)
    kept = sum(len(v) for v in by_article.values())
    tp = sum(score.match(s.gold[a], by_article.get(a, []), score.full)[0] for a in s.gold)
    n_gold = sum(len(v) for v in s.gold.values())
    return kept, tp / kept if kept else float("nan"), tp / n_gold if n_gold else float("nan")


def plot(sets: list[tuple[Set, dict[int, float]]], path: Path) -> None:
    """The reliability diagram: per band, mean confidence against share right, one line per set."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(6, 6))
    ax.plot([0, 1], [0, 1], color="#999", linestyle=":", label="perfect calibration")
    for s, conf in sets:
        xs, ys, ns = [], [], []
        for i, _ in enumerate(BANDS):
            members = [k for k in range(len(s.facts)) if band_of(conf[k]) == i]
            if members:
                xs.append(sum(conf[k] for k in members) / len(members))
                ys.append(sum(s.facts[k].right for k in members) / len(members))
                ns.append(len(members))
        style = "--" if "undated" in s.name else "-"
        line = ax.plot(xs, ys, style, marker="o", label=f"{s.name} ({len(s.facts)} facts)")[0]
        ax.scatter(xs, ys, s=[20 + 2 * n for n in ns], color=line.get_color(), alpha=0.4)
    ax.axvline(TARGET, color="#c33", linewidth=0.8)
    ax.set_xlim(0, 1.02)
    ax.set_ylim(0, 1.02)
    ax.set_xlabel("confidence (mean of the band)")
    ax.set_ylabel("share of facts right in every field")
    ax.set_title("rasd: reliability of the facts' confidence")
    ax.legend(loc="upper left", fontsize=8)
    fig.tight_layout()
    fig.savefig(path, dpi=120)
    plt.close(fig)


# --- main -----------------------------------------------------------------------------------------------------
def _undated(src: Path, dst: Path) -> None:
    with src.open(encoding="utf-8") as f, dst.open("w", encoding="utf-8") as out:
        for line in f:
            if line.strip():
                a = json.loads(line)
                a["published"] = None
                out.write(json.dumps(a, ensure_ascii=False) + "\n")


def main() -> int:
    """Run, label, fit (and write), print the tables, draw the plot."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--eval", type=Path, default=ROOT.parent / "shared" / "eval", help="the evaluation folder")
    ap.add_argument("--write", action="store_true", help="write the fitted weights into patterns/confidence.toml")
    ap.add_argument("--plot", type=Path, help="draw the reliability diagram to this PNG file")
    ap.add_argument("--l2", type=float, default=1.0, help="L2 penalty on the weights (default 1.0)")
    ap.add_argument("--workers", type=int, default=2, help="rasd batch workers (default 2)")
    args = ap.parse_args()
    if not (args.eval / "score.py").exists():
        raise SystemExit(f"{args.eval / 'score.py'} not found (pass --eval)")
    score = load_score(args.eval)
    sets: dict[str, Set] = {}
    with tempfile.TemporaryDirectory(prefix="rasd-confidence-") as tmp:
        work = Path(tmp)
        for name in ("dev", "dev2"):
            src = args.eval / name / "articles.jsonl"
            undated = work / f"{name}-undated.jsonl"
            _undated(src, undated)
            for variant, articles in ((name, src), (f"{name} undated", undated)):
                pred = work / f"{variant.replace(' ', '-')}.pred.jsonl"
                run_rasd(articles, pred, args.workers)
                sets[variant] = label(score, args.eval / name / "gold.jsonl", pred, variant)

    data = tomllib.loads(MODEL_FILE.read_text(encoding="utf-8"))
    codes = sorted(data["doubts"])
    seen = {c for s in sets.values() for f in s.facts for c in f.doubts}
    unknown = seen - set(codes)
    if unknown:
        raise SystemExit(f"the records carry codes {sorted(unknown)} that {MODEL_FILE} does not list")
    train = sets["dev"].facts + sets["dev undated"].facts
    intercept, weights = fit(train, codes, args.l2)
    counts = {c: sum(c in f.doubts for f in train) for c in codes}
    right = sum(f.right for f in train)
    commit = subprocess.run(["git", "-C", str(ROOT), "rev-parse", "--short", "HEAD"], capture_output=True,
                            text=True).stdout.strip()
    dirty = subprocess.run(["git", "-C", str(ROOT), "status", "--porcelain", "--untracked-files=no", "extractor",
                            "patterns"], capture_output=True, text=True).stdout.strip()
    commit = f"{commit} with uncommitted changes" if commit and dirty else commit
    fitted = (f"dev (dated and undated): {len(train)} facts, {right} right in every field; L2 {args.l2:g}; "
              f"{sum(1 for c in codes if counts[c])} of {len(codes)} codes seen; tree {commit or '?'}")
    print("## Fit on dev\n")
    print(f"{fitted}\n\nintercept {intercept:+.4f} (no doubts: confidence {predict(intercept, weights, ()):.2f})\n")
    print("| doubt | dev facts carrying it | weight |\n|---|---|---|")
    for c in codes:
        print(f"| `{c}` | {counts[c]} | {weights[c]:+.4f} |")
    if args.write:
        write_model(MODEL_FILE, intercept, weights, counts, fitted)
        model_i, model_w = round(intercept, 4), {c: round(w, 4) for c, w in weights.items()}
        print(f"\nwritten to {MODEL_FILE.relative_to(ROOT)}; the tables below use these weights")
    else:
        model_i = float(data["model"]["intercept"])
        model_w = {c: float(d["weight"]) for c, d in data["doubts"].items()}
        print(f"\nnot written (--write does); the tables below use the weights of {MODEL_FILE.relative_to(ROOT)}")
    shown: list[tuple[Set, dict[int, float]]] = []
    summary: list[list[str]] = [[_band_label(i)] for i in range(len(BANDS))] + [["all"], ["≥ 0.9: right / covers"]]
    for s in sets.values():
        conf = {i: predict(model_i, model_w, f.doubts) for i, f in enumerate(s.facts)}
        if not args.write:  # the records were made with this file: their confidences must be the model's
            wrong = [f for i, f in enumerate(s.facts) if f.shipped != conf[i]]
            assert not wrong, f"{s.name}: records carry confidences the model does not give: {wrong[:3]}"
        text, head = table(s, conf)
        kept, share, cover = at_target(score, s, conf)
        print(f"\n## {s.name}{' (not seen by the fit)' if s.name.startswith('dev2') else ''}\n\n{text}\n")
        print(f"expected calibration error {head['ece']:.3f}; facts at ≥ {TARGET:g}: {kept}, right in every field "
              f"{share:.3f} (target ≥ 0.98), covering {cover:.3f} of the gold facts (target ≥ 0.75)")
        shown.append((s, conf))
        for i in range(len(BANDS)):
            members = [k for k in range(len(s.facts)) if band_of(conf[k]) == i]
            right = sum(s.facts[k].right for k in members)
            summary[i].append(f"{len(members)}, {right / len(members):.3f}" if members else "0")
        summary[-2].append(f"{head['facts']}, {head['right'] / head['facts']:.3f}" if head["facts"] else "0")
        summary[-1].append(f"{share:.3f} / {cover:.3f}")
    print("\n## All sets (facts, share right in every field)\n")
    print("| confidence | " + " | ".join(sets) + " |\n" + "|---" * (len(sets) + 1) + "|")
    for row in summary:
        print("| " + " | ".join(row) + " |")
    if args.plot:
        plot(shown, args.plot)
        print(f"\nreliability diagram: {args.plot}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
