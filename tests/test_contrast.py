"""The contrast set: short hand-written sentences, one file per class of error, each with its complete expected facts.

A rule is general when it holds on sentences nobody wrote it for. Every case in `tests/contrast/*.toml` is run
through `extract()` and its facts compared, as a multiset, with the expected ones on
(metric, value, qualifier, organization, scope, period.start, period.end): every expected fact must be found and no
other fact may appear. Every evidence span must be exact (`text[start:end] == evidence.text`).

Data-file format (TOML; see tests/contrast/README.md, the place to add more cases)::

    [[case]]
    text = "وحجبت المنصة 41,230 قناة في 3 مارس 2025."   # one to three sentences, the article text
    published = "2025-03-05"       # optional: the article's ISO date (relative dates resolve against it)
    title = "…"                    # optional: passed to extract(title=…); facts and spans come from `text` only
    note = "a single day, not a record → period"   # optional: what the case checks (shown on failure)
    facts = [                      # the COMPLETE list of expected facts; [] means the text gives no fact
      {metric = "channels_closed", value = 41230, qualifier = "exact", organization = "", scope = "period",
       period = {start = "2025-03-03", end = "2025-03-03"}},
    ]
    warnings_present = ["code"]    # optional: warning codes the record must carry
    warnings_absent = ["code"]     # optional: warning codes the record must not carry

TOML has no null: the empty string "" stands for null (`organization = ""` is a total over all groups,
`end = ""` an open bound). Every fact must give all six keys; `platform` is optional and checked only when given.
A year-only bound equals its first month as a start and its last month as an end (GUIDELINES §6), as in score.py.
Case ids are `<file stem>-<position>` (`scope-07` is the 7th case of scope.toml): add new cases at the end.
"""

from __future__ import annotations

import tomllib
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from extractor import extract
from extractor.model import ArticleRecord, Fact

CONTRAST_DIR = Path(__file__).parent / "contrast"
FACT_KEYS = {"metric", "value", "qualifier", "organization", "scope", "period"}
OPTIONAL_FACT_KEYS = {"platform"}
CASE_KEYS = {"text", "facts"}
OPTIONAL_CASE_KEYS = {"published", "title", "note", "warnings_present", "warnings_absent"}
METRICS = {"content_removed", "channels_closed", "accounts_suspended", "activity_share", "activity_change"}
QUALIFIERS = {"exact", "more_than", "approx", "less_than", "at_least"}
SCOPES = {"period", "cumulative", "peak"}

Key = tuple[str, float, str, str | None, str, str | None, str | None]


def _null(value: str | None) -> str | None:
    """TOML's stand-in for null ("") back to None."""
    return None if value in ("", None) else value


def _bound(value: str | None, month: str) -> str | None:
    """A year-only bound is its first (start) or last (end) month (GUIDELINES §6)."""
    return f"{value}-{month}" if isinstance(value, str) and len(value) == 4 else value


def _key(metric: str, value: float, qualifier: str, organization: str | None, scope: str,
         start: str | None, end: str | None) -> Key:
    return (metric, round(float(value), 6), qualifier, organization, scope, _bound(start, "01"), _bound(end, "12"))


def expected_key(fact: dict[str, Any]) -> Key:
    """The comparison key of one expected fact of a data file."""
    period = fact["period"]
    return _key(fact["metric"], fact["value"], fact["qualifier"], _null(fact["organization"]), fact["scope"],
                _null(period.get("start")), _null(period.get("end")))


def actual_key(fact: Fact) -> Key:
    """The comparison key of one fact rasd produced."""
    return _key(fact.metric, fact.value, fact.qualifier, fact.organization, fact.scope, fact.period.start,
                fact.period.end)


def _check_case(name: str, case: dict[str, Any]) -> None:
    """Reject a malformed case at collection time, so a typo in a data file cannot pass silently."""
    keys = set(case)
    assert CASE_KEYS <= keys, f"{name}: missing {sorted(CASE_KEYS - keys)}"
    unknown = keys - CASE_KEYS - OPTIONAL_CASE_KEYS
    assert not unknown, f"{name}: unknown keys {sorted(unknown)}"
    assert isinstance(case["text"], str) and case["text"].strip(), f"{name}: empty text"
    for fact in case["facts"]:
        fkeys = set(fact)
        assert FACT_KEYS <= fkeys, f"{name}: a fact misses {sorted(FACT_KEYS - fkeys)}"
        assert fkeys <= FACT_KEYS | OPTIONAL_FACT_KEYS, f"{name}: unknown fact keys {sorted(fkeys - FACT_KEYS)}"
        assert fact["metric"] in METRICS, f"{name}: metric {fact['metric']!r}"
        assert fact["qualifier"] in QUALIFIERS, f"{name}: qualifier {fact['qualifier']!r}"
        assert fact["scope"] in SCOPES, f"{name}: scope {fact['scope']!r}"
        assert set(fact["period"]) == {"start", "end"}, f"{name}: period needs start and end"


def load_cases() -> list[Any]:
    """Every case of every data file, as pytest params with ids `<file stem>-<NN>`."""
    params = []
    for path in sorted(CONTRAST_DIR.glob("*.toml")):
        with path.open("rb") as f:
            data = tomllib.load(f)
        assert set(data) == {"case"}, f"{path.name}: only [[case]] tables are allowed"
        for i, case in enumerate(data["case"], 1):
            name = f"{path.stem}-{i:02d}"
            _check_case(name, case)
            params.append(pytest.param(case, id=name))
    return params


CASES = load_cases()


def _show(keys: list[Key]) -> str:
    return "\n".join(f"    {k}" for k in sorted(keys, key=repr)) or "    (none)"


def _explain(case: dict[str, Any], record: ArticleRecord, want: Counter[Key], got: Counter[Key]) -> str:
    lines = [f"text: {case['text']}", f"published: {case.get('published')}"]
    if case.get("note"):
        lines.append(f"note: {case['note']}")
    lines += ["expected:", _show(list(want.elements())), "got:",
              _show([actual_key(f) for f in record.facts])]
    if want - got:
        lines += ["missing:", _show(list((want - got).elements()))]
    if got - want:
        lines += ["extra:", _show(list((got - want).elements()))]
    return "\n".join(lines)


@pytest.mark.parametrize("case", CASES)
def test_contrast_case(case: dict[str, Any]) -> None:
    text = case["text"]
    record = extract(text, published=case.get("published"), title=case.get("title"))
    for f in record.facts:
        assert text[f.evidence.start:f.evidence.end] == f.evidence.text, f"evidence span not exact: {f.evidence}"
    want = Counter(expected_key(f) for f in case["facts"])
    got = Counter(actual_key(f) for f in record.facts)
    assert want == got, _explain(case, record, want, got)
    for fact in case["facts"]:
        if "platform" in fact:
            platforms = [f.platform for f in record.facts if actual_key(f) == expected_key(fact)]
            assert _null(fact["platform"]) in platforms, (
                f"{expected_key(fact)}: platform {fact['platform']!r} expected, got {platforms}")
    codes = {w.code for w in record.warnings}
    for code in case.get("warnings_present", []):
        assert code in codes, f"warning {code!r} expected, got {sorted(codes)}\ntext: {text}"
    for code in case.get("warnings_absent", []):
        assert code not in codes, (
            f"warning {code!r} must not appear: {[w.message for w in record.warnings if w.code == code]}\ntext: {text}")


def test_every_class_has_ten_cases_in_both_languages() -> None:
    """Issue 15: at least ten cases per class, in Arabic and in English."""
    files = sorted(CONTRAST_DIR.glob("*.toml"))
    assert files
    for path in files:
        with path.open("rb") as f:
            cases = tomllib.load(f)["case"]
        assert len(cases) >= 10, f"{path.name}: {len(cases)} cases"
        arabic = [c for c in cases if any("\u0600" <= ch <= "\u06ff" for ch in c["text"])]
        english = [c for c in cases if not any("\u0600" <= ch <= "\u06ff" for ch in c["text"])]
        assert arabic and english, f"{path.name}: needs Arabic and English cases"
