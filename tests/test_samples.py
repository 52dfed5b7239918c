"""Quality gate: every sample article gives exactly its expected record (samples/expected.jsonl).

To change an expected record on purpose, regenerate it with `python samples/regenerate.py` and review the diff.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from extractor import extract

SAMPLES = Path(__file__).resolve().parent.parent / "samples"


def _load(name: str) -> list[dict]:
    with (SAMPLES / name).open(encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


ARTICLES = _load("articles.jsonl")
EXPECTED = {r["id"]: r for r in _load("expected.jsonl")}


def test_every_sample_has_an_expected_record() -> None:
    assert len(ARTICLES) >= 10
    assert {a["id"] for a in ARTICLES} == set(EXPECTED)


@pytest.mark.parametrize("article", ARTICLES, ids=[a["id"] for a in ARTICLES])
def test_sample_record_is_exactly_the_expected_one(article: dict) -> None:
    record = extract(article["text"], published=article.get("published"), url=article.get("url"), id=article["id"])
    assert record.to_dict() == EXPECTED[article["id"]]


@pytest.mark.parametrize("article", ARTICLES, ids=[a["id"] for a in ARTICLES])
def test_sample_evidence_spans_are_exact(article: dict) -> None:
    for fact in EXPECTED[article["id"]]["facts"]:
        ev = fact["evidence"]
        assert article["text"][ev["start"]:ev["end"]] == ev["text"]
