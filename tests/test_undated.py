"""The undated contrast set (issue 21): each hand-written article gives the same facts with its `published` date and
without it, because its text (or URL) says when. See tests/undated/README.md for the format and the classes.

Every case runs twice through `extract()`, with the extraction date fixed: once with `published`, once with it
removed; both must give exactly the expected facts (the undated run its `undated` list when the case has one), with
exact evidence spans. One test per class runs all of its cases and reports every failing one.
"""

from __future__ import annotations

import tomllib
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
from test_contrast import _check_case, actual_key, expected_key

from extractor import extract

UNDATED_DIR = Path(__file__).parent / "undated"
TODAY = "2026-12-08"
CLASSES = ["url", "weekday", "hijri_pair", "year_elsewhere", "headline", "day_ranges", "halves", "running_total_end",
           "breakdown_scope", "list_group"]
EXTRA_KEYS = {"url", "undated", "undated_warnings"}


def load_class(name: str) -> list[dict[str, Any]]:
    """The cases of one class file, checked for shape (a typo in a data file must not pass silently)."""
    with (UNDATED_DIR / f"{name}.toml").open("rb") as f:
        data = tomllib.load(f)
    assert set(data) == {"case"}, f"{name}.toml: only [[case]] tables are allowed"
    cases = data["case"]
    for i, case in enumerate(cases, 1):
        cid = f"{name}-{i:02d}"
        _check_case(cid, {k: v for k, v in case.items() if k not in EXTRA_KEYS})
        assert case.get("published"), f"{cid}: every case gives the article's real date"
        if "undated" in case:
            assert case.get("note"), f"{cid}: an undated run that differs needs a note saying why"
            _check_case(cid, {"text": case["text"], "facts": case["undated"]})
    return cases


def _run(case: dict[str, Any], published: str | None) -> list[str]:
    """The problems of one run of a case (empty when it gives exactly its facts)."""
    text = case["text"]
    record = extract(text, published=published, url=case.get("url"), title=case.get("title"), today=TODAY)
    problems = [f"evidence span not exact: {f.evidence}" for f in record.facts
                if text[f.evidence.start:f.evidence.end] != f.evidence.text]
    want = Counter(expected_key(f) for f in (case["undated"] if published is None and "undated" in case
                                             else case["facts"]))
    got = Counter(actual_key(f) for f in record.facts)
    if want != got:
        problems.append("missing: " + ", ".join(map(str, (want - got).elements())))
        problems.append("extra:   " + ", ".join(map(str, (got - want).elements())))
    if published is None:
        codes = {w.code for w in record.warnings}
        problems += [f"warning {c!r} expected, got {sorted(codes)}" for c in case.get("undated_warnings", [])
                     if c not in codes]
    return problems


@pytest.mark.parametrize("name", CLASSES)
def test_undated_class(name: str) -> None:
    """Every case of the class gives its facts with and without its publication date."""
    failures = []
    for i, case in enumerate(load_class(name), 1):
        for published in (case["published"], None):
            problems = _run(case, published)
            if problems:
                failures.append(f"{name}-{i:02d} ({'dated' if published else 'undated'}): {case.get('note', '')}\n"
                                f"  text: {case['text'][:160]}\n  " + "\n  ".join(problems))
    assert not failures, f"{len(failures)} failing run(s):\n" + "\n".join(failures)


@pytest.mark.parametrize("name", CLASSES)
def test_undated_class_is_large_enough(name: str) -> None:
    """Issue 21: at least twelve sentences per class, Arabic and English among them."""
    cases = load_class(name)
    assert len(cases) >= 12, f"{name}.toml: {len(cases)} cases"
    arabic = [c for c in cases if any("\u0600" <= ch <= "\u06ff" for ch in c["text"])]
    assert arabic and len(arabic) < len(cases), f"{name}.toml: needs Arabic and English cases"
