"""Reprints differ in digits, marks and punctuation, not in facts: the samples' facts survive every such rewrite."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from extractor import extract

SAMPLES = Path(__file__).resolve().parent.parent / "samples" / "articles.jsonl"
ARTICLES = [json.loads(line) for line in SAMPLES.open(encoding="utf-8") if line.strip()]

INDIC = str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")


def _indic_digits(text: str) -> str:
    # Thousands commas between digits become the Arabic thousands separator, as Arabic-Indic figures are written.
    out = []
    for i, ch in enumerate(text):
        if ch == "," and 0 < i < len(text) - 1 and text[i - 1].isdigit() and text[i + 1].isdigit():
            out.append("\u066c")
        else:
            out.append(ch)
    return "".join(out).translate(INDIC)


REWRITES = {
    "arabic_indic_digits": _indic_digits,
    "rtl_marks_around_numbers": lambda t: "".join(f"\u200f{c}" if c.isdigit() and (i == 0 or not t[i - 1].isdigit())
                                                  else c for i, c in enumerate(t)),
    "tatweel_in_words": lambda t: t.replace("ال", "الـ").replace("مليون", "مليـــون"),
    "guillemets_to_quotes": lambda t: t.replace("«", "\u201c").replace("»", "\u201d"),
    "nbsp_spaces": lambda t: t.replace(" ", "\u00a0"),
    # Full vocalisation: a fatha after every Arabic letter that has none (headlines and religious press do this).
    "diacritics_everywhere": lambda t: "".join(c + "\u064e" if "\u0621" <= c <= "\u064a" else c for c in t),
}


def _facts(text: str, published: str | None) -> list[tuple]:
    record = extract(text, published=published)
    return [(f.metric, f.value, f.qualifier, f.organization, f.scope, f.period.start, f.period.end)
            for f in record.facts]


@pytest.mark.parametrize("rewrite", sorted(REWRITES))
@pytest.mark.parametrize("article", ARTICLES, ids=[a["id"] for a in ARTICLES])
def test_facts_survive_reprint_variations(article: dict, rewrite: str) -> None:
    text = REWRITES[rewrite](article["text"])
    record = extract(text, published=article.get("published"))
    assert _facts(text, article.get("published")) == _facts(article["text"], article.get("published"))
    for f in record.facts:
        assert text[f.evidence.start:f.evidence.end] == f.evidence.text
