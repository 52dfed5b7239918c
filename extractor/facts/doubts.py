"""Doubts (stage 7): what made each fact uncertain, read from how its attributes were found, as the stable codes of
`patterns/confidence.toml` (each described there with an example); `extractor.confidence` turns them into the
fact's confidence. No rule here changes a fact: a doubt only says which of its fields a reader should check.

To add a doubt: give it a code, a description, an example and a weight in patterns/confidence.toml, set it below
from the candidate's state (`_Candidate.metric_how`, `org_how`, `period_how`, `period_date`, `qualifier_how`), and
refit the weights (`bench/confidence.py --write`).
"""

from __future__ import annotations

import regex

from ..model import Period
from .document import _Candidate, _Doc

_ORGANISATION = {"reference": "organisation_by_reference", "after": "organisation_from_list",
                 "carried": "organisation_carried_over", "eliminated": "organisation_by_elimination"}
_METRIC = {"distant_noun": "metric_from_distant_noun", "noun_before": "metric_from_distant_noun",
           "action": "metric_from_action", "list": "metric_from_list"}
_QUALIFIER = {"after": "hedge_after_number", "exceeds": "qualifier_from_clause"}
_PERIOD = {"inherited": "period_inherited", "title": "period_inherited", "inclusion": "period_inherited",
           "breakdown": "period_from_breakdown_total"}
_WRITTEN_YEAR = regex.compile(r"(?<!\d)(?:1[34]|19|20)\d\d(?!\d)")  # a Gregorian or Hijri year, any digits
_END_PUNCTUATION = frozenset(".!?؟\"'»”)")
_GLUED = regex.compile(r"\d[\u0621-\u064a]|[\u0621-\u064a]{2}\d")  # digits glued to Arabic letters
_NEAR_END = 200  # characters: a figure this close to the end of a text cut off mid-sentence may be cut itself


def doubts_of(doc: _Doc, c: _Candidate) -> set[str]:
    """The doubts of one fact, from how its metric, organisation, qualifier, scope and period were read."""
    out = set(c.doubts)
    if c.metric_how in _METRIC:
        out.add(_METRIC[c.metric_how])
    if c.org_how in _ORGANISATION:
        out.add(_ORGANISATION[c.org_how])
    if c.qualifier_how in _QUALIFIER:
        out.add(_QUALIFIER[c.qualifier_how])
    if c.monitored:
        out.add("monitored_part")
    if c.period_how in _PERIOD:
        out.add(_PERIOD[c.period_how])
    if c.period == Period(None, None):
        out.add("peak_without_day" if c.scope == "peak" else "period_missing")
    elif c.scope == "peak" and c.period.start is None:
        out.add("peak_without_day")
    if c.scope == "period" and not c.own_date and c.period_how not in ("breakdown", "inclusion"):
        out.add("scope_default")  # no cue and no date of its own said what the figure covers
    d = c.period_date
    if d is not None:
        if d.inferred:
            out.add("year_inferred")
        elif not _WRITTEN_YEAR.search(d.text):
            # "العام الحالي", "in March": the year came from the article's date, or (undated) from its other years
            out.add("period_from_article_date" if doc.published else "year_inferred")
        if d.weekday_matches is False:
            out.add("weekday_mismatch")
    if _near_truncation(doc, c):
        out.add("figure_near_truncation")
    if _GLUED.search(doc.text, max(0, c.number.start - 15), c.number.end + 20):
        out.add("figure_in_glued_text")  # "و664قناة", "لـ21مليون": a scrape glued words to figures here
    return out


def _near_truncation(doc: _Doc, c: _Candidate) -> bool:
    """A figure in the last lines of a text that stops in mid-sentence (a page cut off by the scraper)."""
    tail = doc.text.rstrip()
    if not tail or tail[-1] in _END_PUNCTUATION:
        return False
    return len(tail) - c.number.end <= _NEAR_END
