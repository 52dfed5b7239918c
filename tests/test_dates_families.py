"""The date families of issue 16 hold under the rewrites the press applies: the same sentence with Arabic-Indic
digits, with diacritics on every letter, or with tatweel, gives the same periods, and every span slices its text."""

from __future__ import annotations

import pytest

from extractor import patterns
from extractor.dates import find_dates

FAMILIES = [p.stem for p in patterns.pattern_files() if p.stem.startswith("dates_") and p.stem != "dates_dateline"]
EXAMPLES = [
    (family, ex) for family in FAMILIES for ex in patterns.load(family)["examples"] if "dateline" not in ex
]
INDIC = str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")


def _indic(text: str) -> str:
    return text.translate(INDIC)


def _diacritics(text: str) -> str:
    return "".join(c + "\u064e" if "\u0621" <= c <= "\u064a" and c not in "\u0627\u0649" else c for c in text)


JOINING = set("بتثجحخسشصضطظعغفقكلمنهي")  # letters that join the next one


def _tatweel(text: str) -> str:
    # a kashida after every joining letter followed by a letter, as headline typesetters stretch words
    out = []
    for i, c in enumerate(text):
        out.append(c)
        if c in JOINING and i + 1 < len(text) and "\u0621" <= text[i + 1] <= "\u064a":
            out.append("\u0640")
    return "".join(out)


def _periods(text: str, published: str | None, statement_days: bool) -> list[tuple[str, str | None, str | None]]:
    found = find_dates(text, published, statement_days=statement_days)
    for m in found:
        assert text[m.start:m.end] == m.text
    return [(m.kind, m.period.start, m.period.end) for m in found]


def test_every_family_has_at_least_fifteen_examples_positive_and_negative() -> None:
    for family in [*FAMILIES, "dates_dateline"]:
        examples = patterns.load(family)["examples"]
        assert len(examples) >= 15, family
        assert any(e.get("negative") or e.get("dateline") == "" for e in examples), family
        assert any(not e.get("negative") for e in examples), family


@pytest.mark.parametrize("rewrite", [_indic, _diacritics, _tatweel], ids=["indic_digits", "diacritics", "tatweel"])
@pytest.mark.parametrize(("family", "example"), EXAMPLES, ids=[f"{f}-{i}" for i, (f, _) in enumerate(EXAMPLES)])
def test_rewrites_keep_the_periods(family: str, example: dict, rewrite) -> None:
    text, published = example["text"], example.get("published")
    days = bool(example.get("statement_days"))
    assert _periods(rewrite(text), published, days) == _periods(text, published, days)
