"""Quality gate (STYLE.md): the scores reached so far on both evaluation sets must not fall.

Runs the extractor on ../shared/eval/dev/ (the set the rules were built on) and ../shared/eval/dev2/ (stories first
scored blind, issue 15) and scores them with the evaluation's own score.py. Skipped only when the shared
evaluation folder is not beside the checkout.
"""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path

import pytest

from extractor import extract

EVAL = Path(__file__).resolve().parents[2] / "shared" / "eval"
DEV = EVAL / "dev"
SCORE = EVAL / "score.py"

# Reached on the dev set (README: 0.978 / 0.972 after issue 21); the issues' targets were core >= 0.95 / full >= 0.90
# (Arabic) and core >= 0.93 / full >= 0.88 (English).
FLOORS = {"ALL": (0.97, 0.96), "lang=ar": (0.95, 0.93), "lang=en": (0.93, 0.91)}
# dev2 (issue 15, then 21): 0.960 / 0.960 over the whole set.
FLOORS_DEV2 = {"ALL": (0.95, 0.95)}
# Issue 21: each set run with every `published` removed scores within this much full F1 of its dated run.
UNDATED_GAP = 0.03
TODAY = "2026-12-08"  # a fixed extraction date: the runs do not change with the day the suite runs

pytestmark = pytest.mark.skipif(not (DEV / "articles.jsonl").exists(), reason=f"no dev set at {DEV}")


def _score_module():
    spec = importlib.util.spec_from_file_location("rasd_eval_score", SCORE)
    module = importlib.util.module_from_spec(spec)
    assert spec.loader is not None
    spec.loader.exec_module(module)
    return module


_SCORED: dict[tuple[str, bool], tuple] = {}


def _scored(folder: Path, undated: bool = False) -> tuple:
    if (folder.name, undated) not in _SCORED:
        _SCORED[folder.name, undated] = _score_set(folder, undated)
    return _SCORED[folder.name, undated]


SETS = {"dev": FLOORS, "dev2": FLOORS_DEV2}


def _scored_set(name: str, undated: bool = False) -> tuple:
    if not (EVAL / name / "articles.jsonl").exists():
        pytest.skip(f"no {name} set at {EVAL / name}")
    return _scored(EVAL / name, undated)


def _score_set(folder: Path, undated: bool = False) -> tuple:
    score = _score_module()
    articles = score.load_jsonl(folder / "articles.jsonl")
    gold = {g["id"]: g for g in score.load_jsonl(folder / "gold.jsonl")}
    preds = {a["id"]: extract(a["text"], published=None if undated else a.get("published"), url=a.get("url"),
                              id=a["id"], today=TODAY).to_dict()
             for a in articles}
    buckets: dict[str, dict[str, int]] = {}
    evidence_bad = 0
    distractors_with_facts = 0
    for gid, g in gold.items():
        pf, gf = preds[gid]["facts"], g["facts"]
        tp_c, _, _ = score.match(gf, pf, score.core)
        tp_f, _, _ = score.match(gf, pf, score.full)
        for name in ("ALL", "lang=" + g["lang"]):
            b = buckets.setdefault(name, {"gold": 0, "pred": 0, "tp_core": 0, "tp_full": 0})
            b["gold"] += len(gf)
            b["pred"] += len(pf)
            b["tp_core"] += tp_c
            b["tp_full"] += tp_f
        if g["kind"] == "distractor" and pf:
            distractors_with_facts += 1
        text = next(a["text"] for a in articles if a["id"] == gid)
        evidence_bad += sum(text[f["evidence"]["start"]:f["evidence"]["end"]] != f["evidence"]["text"] for f in pf)
    f1 = {name: (score.prf(b["tp_core"], b["pred"], b["gold"])[2], score.prf(b["tp_full"], b["pred"], b["gold"])[2])
          for name, b in buckets.items()}
    return f1, distractors_with_facts, evidence_bad


@pytest.mark.parametrize(("name", "bucket"), [(name, b) for name, floors in SETS.items() for b in sorted(floors)])
def test_scores_do_not_fall(name: str, bucket: str) -> None:
    f1, _, _ = _scored_set(name)
    core, full = f1[bucket]
    floor_core, floor_full = SETS[name][bucket]
    assert core >= floor_core and full >= floor_full, json.dumps({"core": core, "full": full})


@pytest.mark.parametrize("name", sorted(SETS))
def test_no_distractor_has_facts_and_every_span_is_exact(name: str) -> None:
    _, distractors_with_facts, evidence_bad = _scored_set(name)
    assert distractors_with_facts == 0
    assert evidence_bad == 0


@pytest.mark.parametrize("name", sorted(SETS))
def test_undated_run_scores_within_the_gap_of_the_dated_run(name: str) -> None:
    """Issue 21: with every publication date removed (as most scraped dumps come), the full F1 stays within 0.03."""
    dated, _, _ = _scored_set(name)
    undated, distractors_with_facts, evidence_bad = _scored_set(name, undated=True)
    assert undated["ALL"][1] >= dated["ALL"][1] - UNDATED_GAP, json.dumps({"dated": dated["ALL"],
                                                                           "undated": undated["ALL"]})
    assert distractors_with_facts == 0 and evidence_bad == 0
