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

# Reached on the dev set (README); the issues' targets are core >= 0.95 / full >= 0.90 (Arabic) and
# core >= 0.93 / full >= 0.88 (English).
FLOORS = {"ALL": (0.95, 0.93), "lang=ar": (0.95, 0.93), "lang=en": (0.93, 0.91)}
# dev2 (issue 15): core >= 0.93 and full >= 0.88 over the whole set.
FLOORS_DEV2 = {"ALL": (0.93, 0.88)}

pytestmark = pytest.mark.skipif(not (DEV / "articles.jsonl").exists(), reason=f"no dev set at {DEV}")


def _score_module():
    spec = importlib.util.spec_from_file_location("rasd_eval_score", SCORE)
    module = importlib.util.module_from_spec(spec)
    assert spec.loader is not None
    spec.loader.exec_module(module)
    return module


_SCORED: dict[str, tuple] = {}


def _scored(folder: Path) -> tuple:
    if folder.name not in _SCORED:
        _SCORED[folder.name] = _score_set(folder)
    return _SCORED[folder.name]


SETS = {"dev": FLOORS, "dev2": FLOORS_DEV2}


def _scored_set(name: str) -> tuple:
    if not (EVAL / name / "articles.jsonl").exists():
        pytest.skip(f"no {name} set at {EVAL / name}")
    return _scored(EVAL / name)


def _score_set(folder: Path) -> tuple:
    score = _score_module()
    articles = score.load_jsonl(folder / "articles.jsonl")
    gold = {g["id"]: g for g in score.load_jsonl(folder / "gold.jsonl")}
    preds = {a["id"]: extract(a["text"], published=a.get("published"), url=a.get("url"), id=a["id"]).to_dict()
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
