"""Number phrases in Arabic and English press text: `find_numbers`, `parse_number`, and the pattern-file checker.

The words live in `patterns/numbers_ar.toml`, `patterns/numbers_en.toml` and `patterns/hedges.toml`; `lexicon.py`
loads and compiles them, `engine.py` composes tokens into phrases (its docstring lists the composition rules).

Decisions worth knowing:
- `find_numbers(text, lang=None)` takes a str or an already `Normalised` text; `lang` "ar" or "en" limits the word
  rules to one language (digits are always read); spans cover the number phrase only (hedges excluded, trailing
  tanween of a scale word included) and index the original text.
- `parse_number(phrase)` accepts one number phrase with optional surrounding spaces, proclitics and one hedge
  (`"أكثر من 30.8 مليون"` → 30800000); anything else, including phone numbers and several numbers, gives None.
- A bare 4-digit integer from 1900 to 2100 is kind `year` unless a hedge or a scale word goes with it
  (`أكثر من 2000` is a number); the fact stage decides whether a "year" followed by a counted noun is a count.
- Reported as numbers: citation marks like `[1]`, "Fortune 500" (nothing in the text marks them as names).
  Never reported: "one of" (a lone `one`/`واحد`), `24/7`, dates and times joined by `/`, `:` or dashes, codes glued
  to letters (G20, كوفيد-19), ordinals with the article (الـ25), vague plurals (آلاف، عشرات، millions of).
"""

from __future__ import annotations

import math
from typing import Any

from .engine import find_numbers, parse_number

__all__ = ["check_example", "find_numbers", "parse_number"]


def _same(a: Any, b: Any) -> bool:
    if isinstance(a, float) or isinstance(b, float):
        return isinstance(a, int | float) and isinstance(b, int | float) and math.isclose(a, b, rel_tol=1e-9)
    return bool(a == b)


def check_example(file_stem: str, data: dict[str, Any], example: dict[str, Any]) -> str | None:
    """Check one pattern-file example against `find_numbers`: None when it holds, else what went wrong."""
    text = example["text"]
    found = find_numbers(text)
    if example.get("negative"):
        return None if not found else f"expected no number, found {[(m.text, m.value) for m in found]}"
    if "spans" in example:
        got = [m.text for m in found]
        if got != example["spans"]:
            return f"expected spans {example['spans']}, found {got}"
        values = example.get("values")
        if values is not None and not all(_same(m.value, v) for m, v in zip(found, values, strict=False)):
            return f"expected values {values}, found {[m.value for m in found]}"
        kinds = example.get("kinds")
        if kinds is not None and [m.kind for m in found] != kinds:
            return f"expected kinds {kinds}, found {[m.kind for m in found]}"
        return None
    span = example.get("span")
    if span is None:
        return "a positive example needs `span` (or `spans`)"
    hits = [m for m in found if m.text == span]
    if not hits:
        return f"no mention {span!r}; found {[(m.text, m.value) for m in found]}"
    m = hits[0]
    if m.text != text[m.start:m.end]:
        return f"span {m.start}-{m.end} does not hold {m.text!r}"
    for key in ("value", "kind", "qualifier", "hedge"):
        if key in example and not _same(getattr(m, key), example[key]):
            return f"{key}: expected {example[key]!r}, found {getattr(m, key)!r}"
    return None
