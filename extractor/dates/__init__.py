"""Dates and periods: find every time expression of a text and resolve it to a `Period`.

How it works:
1. Anchors. One `re` scan (a prefix tree of stems built from `patterns/months.toml` and `patterns/periods.toml`) finds
   the words every time expression holds: a month name (Gregorian in every series, English, Hijri), a quarter, half
   or year noun, a relative head (شهر، أسبوع، أمس، month, week …) or a year-like number; since-cues (منذ، since)
   are noted on the way. Stems inside longer words (يمارس، الطعام، Arabia) and lower-case English months are dropped.
2. Atoms. Around each anchor the atom grammar of its class (month, hijri, qh, year, rel: branches of `regex` patterns
   with the word lists as named lists) is tried at the anchor's word and at the few words before it that may begin
   an expression (a weekday, a day number, "the", an ordinal, شهر …). An atom (`_Atom`) holds what the text states:
   day, month, quarter, explicit year, relative offsets, weekday. Trying the grammar only there is what makes it
   fast: the same grammar tried at every position of a text costs ~10 µs per character.
3. Ranges. Atoms are joined by the cue words around them: `منذ X`, `حتى نهاية X`, `من X إلى Y`, `بين X و Y`,
   `from X to Y`, `X-Y`, and a since-cue a few words before its date (`منذ بدء الشراكة في فبراير 2022`).
   "نهاية X" / "the end of X" takes X's end, "بداية X" its start; an ambiguous month name (مارس، آب، May) alone is
   kept only with a preposition before it (في مارس، in May) or a capital in mid-sentence.
4. Resolution. An explicit year wins; a relative expression uses `published`; a quarter, month or day without a
   year takes it from a range partner, else from the same quarter or month named with a year elsewhere in the text,
   else from an explicit year in the same sentence (not the start of a running total: "منذ فبراير 2022 … خلال
   الربع الثاني"), else from `published` (the most recent such period that does
   not start after it), else from any year in the text; failing that the mention keeps `unresolved` saying why.

Resolution rules: a quarter is its three months, a half its six, a year `YYYY-01`..`YYYY-12` (a plain year as a range
bound stays `YYYY`: "منذ عام 2022" starts at 2022), a month `YYYY-MM` on both ends, a day start = end. Rolling spans
("the past eight months", "الأشهر الستة الماضية", "آخر 3 أشهر") run from the month N months before `published` to
`published`'s month (the smallest month span that contains them); weeks run from `published` − 7N days. "العام
الحالي" in an undated text is the latest year the text names. Hijri dates are converted with `hijridate` (Umm
al-Qura, 1343-1500 AH); impossible dates (31 فبراير، month 13) are returned unresolved, never raised on.

One module per job, data flowing one way (lexicon → rules → atoms → grouping → resolution):
- `lexicon.py`: the word tables of the pattern files, folded like the input (`_lexicon`).
- `rules.py`: the compiled anchor scan, atom grammar and cue regexes (`_rules`); steps 1-2 read them.
- `atoms.py`: steps 1-2, the atoms a text states (`_find_atoms`).
- `grouping.py`: step 3, atoms joined into ranges (`_group`).
- `resolution.py`: step 4, a group resolved to its `Period` (`_Context`, `_resolve_group`).
- `mentions.py`: `find_dates` and `parse_published`, the steps in order.
- `years.py`: the years a text fixes itself (Hijri–Gregorian pairs, weekdays, a dated "today"), founding years,
  report years, counts after a month.
- `dateline.py`: the article's own date from its dateline or byline (`find_dateline`, `published_from_dateline`).
- `article.py`: the article-date stage: given, dateline, URL, update stamp, in that order (`article_date`).
This file holds the public API and `check_example`, the pattern files' checker (the examples of dates_url.toml are read
with `url_date`, a `dateline` one with `find_dateline`, the others with `find_dates`).

To add a spelling, a relative phrase or a cue: edit the pattern file and add an example there; the rules are rebuilt
from the data (a new relative phrase must contain an anchor word of `[anchors]` or a noun of `[nouns]`). To add a new
*shape* of expression: add a branch to `branches` in `rules.py`'s `_rules` with a marker group, give the marker its
anchor classes in `_BRANCH_CLASSES` (rules.py), and read it in `atoms.py`'s `_atom_from_match`.
"""

from __future__ import annotations

from typing import Any

from .article import ArticleDate, article_date, url_date
from .dateline import find_dateline, published_from_dateline
from .mentions import extraction_date, find_dates, parse_published, read_dates

__all__ = ["ArticleDate", "article_date", "check_example", "extraction_date", "find_dateline", "find_dates",
           "parse_published", "published_from_dateline", "read_dates", "url_date"]


def check_example(file_stem: str, data: dict[str, Any], example: dict[str, Any]) -> str | None:
    """Check one pattern-file example: a negative finds nothing; a positive finds exactly the `expect` mention(s);
    a `dateline` example finds that article date with `find_dateline` ("" for none)."""
    if file_stem == "dates_url":
        day, month = url_date(example["text"], extraction_date(example.get("today")))
        got = day.isoformat() if day else month.isoformat()[:7] if month else ""
        return None if got == example["date"] else f"url date: expected {example['date']!r}, got {got!r}"
    text = example["text"]
    if "dateline" in example:
        try:
            line = find_dateline(text)
        except Exception as exc:
            return f"find_dateline raised {exc!r}"
        got = line[0].isoformat() if line else ""
        if got != example["dateline"]:
            return f"dateline: expected {example['dateline']!r}, got {got!r}"
        return None
    try:
        found = find_dates(text, example.get("published"), statement_days=bool(example.get("statement_days")),
                           today=example.get("today"))
    except Exception as exc:  # an example must never crash the engine; report it as a failure
        return f"find_dates raised {exc!r}"
    for m in found:
        if text[m.start:m.end] != m.text:
            return f"span {m.start}-{m.end} does not hold {m.text!r}"
    if example.get("negative"):
        return None if not found else f"expected nothing, found {[m.text for m in found]}"
    expect = example.get("expect")
    wanted = expect if isinstance(expect, list) else [expect]
    if len(found) != len(wanted):
        got = [(m.text, m.kind, m.period.start, m.period.end) for m in found]
        return f"expected {len(wanted)} mention(s), found {got}"
    for m, w in zip(found, wanted, strict=True):
        got = {"kind": m.kind, "start": m.period.start or "", "end": m.period.end or ""}
        for k in ("kind", "start", "end"):
            if k in w and w[k] != got[k]:
                return f"{k}: expected {w[k]!r}, got {got[k]!r} (mention {m.text!r}, unresolved={m.unresolved!r})"
        if "text" in w and w["text"] != m.text:
            return f"text: expected {w['text']!r}, got {m.text!r}"
        if "unresolved" in w and bool(w["unresolved"]) != (m.unresolved is not None):
            return f"unresolved: expected {w['unresolved']}, got {m.unresolved!r}"
        if "weekday_matches" in w and w["weekday_matches"] != m.weekday_matches:
            return f"weekday_matches: expected {w['weekday_matches']}, got {m.weekday_matches}"
    return None
