"""The yardstick: the removal-figure script a researcher writes in an afternoon, to compare rasd's clock with.

Regex only (the standard `re`), JSON Lines in and out, pyarabic's normalisation as Arabic researchers use it (strip
the harakat and the tatweel), Arabic-Indic digits read as ASCII ones. It finds digit figures with an optional scale
word (`5 ملايين`, `2.5 million`, `1,200`), takes the metric from the noun right after the figure (skipping و and ال),
calls a figure cumulative when its sentence says "since" (منذ), and reads a hedge just before it. No number words,
no dates, no organisations, no platforms, no offsets: it reads a fraction of the facts rasd reads, and is meant as a
fair clock, neither tuned to be slow nor clever. `bench/batch.py` times it beside `rasd batch` on the same corpus.

usage: python bench/yardstick.py IN.jsonl OUT.jsonl
"""

from __future__ import annotations

import json
import re
import sys
from typing import Any

from pyarabic import araby

DIGITS = str.maketrans("٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹٬٫", "01234567890123456789,.")

SCALES = {"مليون": 10**6, "مليونا": 10**6, "ملايين": 10**6, "مليار": 10**9, "مليارات": 10**9, "ألف": 1000,
          "الف": 1000, "ألفا": 1000, "الفا": 1000, "آلاف": 1000, "الاف": 1000,
          "million": 10**6, "millions": 10**6, "billion": 10**9, "thousand": 1000, "m": 10**6}

NOUNS = {"محتوى": "content_removed", "محتويات": "content_removed", "مادة": "content_removed",
         "مواد": "content_removed", "منشور": "content_removed", "منشورات": "content_removed",
         "فيديو": "content_removed", "مقطع": "content_removed", "مقاطع": "content_removed",
         "قناة": "channels_closed", "قنوات": "channels_closed", "مجموعة": "channels_closed",
         "مجموعات": "channels_closed", "حساب": "accounts_suspended", "حسابا": "accounts_suspended",
         "حسابات": "accounts_suspended",
         "items": "content_removed", "posts": "content_removed", "pieces": "content_removed",
         "content": "content_removed", "videos": "content_removed", "channels": "channels_closed",
         "groups": "channels_closed", "accounts": "accounts_suspended"}

HEDGES = {"أكثر من": "more_than", "اكثر من": "more_than", "ما يزيد على": "more_than", "ما يزيد عن": "more_than",
          "نحو": "approx", "حوالي": "approx", "قرابة": "approx", "ما يقارب": "approx",
          "more than": "more_than", "over": "more_than", "about": "approx", "nearly": "approx",
          "around": "approx", "approximately": "approx"}

FIGURE = re.compile(r"(\d{1,3}(?:[,.]\d{3})+|\d+(?:\.\d+)?)\s*("
                    + "|".join(sorted(SCALES, key=len, reverse=True)) + r")?\b\s*(\w+)", re.IGNORECASE)
GROUPED = re.compile(r"\d{1,3}(?:[,.]\d{3})+")
SENTENCE_END = re.compile(r"(?<=[.!?؟\n])\s+")
SINCE = re.compile(r"\b(?:منذ|since)\b", re.IGNORECASE)
HEDGE = re.compile(r"(" + "|".join(sorted(HEDGES, key=len, reverse=True)) + r")\s*$", re.IGNORECASE)


def value(number: str, scale: str | None) -> int:
    """The figure's value: digits times the scale word; 1,234 and 1.234 (no scale) are grouped thousands."""
    if scale:
        return round(float(number.replace(",", "")) * SCALES[scale.lower()])
    if GROUPED.fullmatch(number):
        return int(number.replace(",", "").replace(".", ""))
    return int(float(number))


def facts_of(text: str) -> list[dict[str, Any]]:
    """Every digit figure followed by a known noun, with its metric, value, scope, qualifier and sentence."""
    text = araby.strip_tatweel(araby.strip_tashkeel(text)).translate(DIGITS)
    out = []
    for sentence in SENTENCE_END.split(text):
        scope = "cumulative" if SINCE.search(sentence) else "period"
        for m in FIGURE.finditer(sentence):
            noun = m.group(3).lower()
            for prefix in ("و", "ال"):
                if noun not in NOUNS and noun.startswith(prefix):
                    noun = noun[len(prefix):]
            metric = NOUNS.get(noun)
            if metric is None:
                continue
            hedge = HEDGE.search(sentence[max(0, m.start() - 20):m.start()])
            out.append({"metric": metric, "value": value(m.group(1), m.group(2)), "scope": scope,
                        "qualifier": HEDGES[hedge.group(1).lower()] if hedge else "exact",
                        "text": m.group(0), "sentence": sentence})
    return out


def main(src: str, dst: str) -> None:
    """Read articles from `src` (JSON Lines), write one record per article to `dst`."""
    with open(src, encoding="utf-8") as f, open(dst, "w", encoding="utf-8") as out:
        for line in f:
            if not line.strip():
                continue
            article = json.loads(line)
            record = {"id": article.get("id"), "url": article.get("url"), "published": article.get("published"),
                      "facts": facts_of(article.get("text") or "")}
            out.write(json.dumps(record, ensure_ascii=False) + "\n")


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit(__doc__.strip().splitlines()[-1])
    main(sys.argv[1], sys.argv[2])
