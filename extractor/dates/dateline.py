"""The article's own date from its dateline or byline (`find_dateline`, `published_from_dateline`).

A date counts only right after a publication cue, on a short line of its own among the first lines, or in a wire
dateline; the cues, fillers and agencies are data in `patterns/dates_dateline.toml`. The date itself is read with
`find_dates`.
"""

from __future__ import annotations

import datetime as _dt
import re
from dataclasses import dataclass

import regex

from ..model import DateMention, RecordWarning
from ..normalise import Normalised, normalise
from ..patterns import compiled, load
from .lexicon import _fold, _lower_list
from .mentions import find_dates


@dataclass(frozen=True)
class _DatelineRules:
    cue: regex.Pattern[str]
    updated: regex.Pattern[str]
    alone_filler: regex.Pattern[str]  # what a dateline line may hold besides its date (times, zones, separators)
    wire: regex.Pattern[str]
    header_lines: int


@compiled
def _dateline_rules() -> _DatelineRules:
    data = load("dates_dateline")["dateline"]
    lists = {
        "cue": _lower_list(data["cues"]),
        "updated": _lower_list(data["updated_cues"]),
        "filler": sorted({_fold(w) for w in data["filler"]}, key=len, reverse=True),
        "agency": sorted({_fold(w) for w in data["agencies"]}, key=len, reverse=True),
    }
    flags = regex.IGNORECASE | regex.VERSION0
    cue = regex.compile(r"(?<!\w)(?:\L<cue>)(?!\w)\s*:?\s*", flags, ignore_unused=True, **lists)
    updated = regex.compile(r"(?<!\w)(?:\L<updated>)(?!\w)\s*:?\s*", flags, ignore_unused=True, **lists)
    filler = regex.compile(
        r"(?:[\s\-–—|:,/•()]+|\d{1,2}:\d{2}(?::\d{2})?|(?<!\w)(?:\L<filler>)(?!\w))*\Z", flags, ignore_unused=True,
        **lists
    )
    wire = regex.compile(
        r"\A[^\W\d_][^\n,()]{1,40}?,\s*(?P<date>[^()\n]{3,40}?)\s*\(\s*(?:\L<agency>)\s*\)\s*[-–—:]", flags,
        ignore_unused=True, **lists
    )
    return _DatelineRules(cue, updated, filler, wire, int(data["header_lines"]))


_DATELINE_MAX = 100  # characters: a dateline or byline line is short


def find_dateline(text: str | Normalised, *, updated: bool | None = None) -> tuple[_dt.date, tuple[int, int]] | None:
    """The article's own date from a dateline or byline, and its span in `text`; None when there is none.

    A date counts only right after a publication cue (نشر بتاريخ، Published), on a line of its own among the first
    lines, or in a wire dateline (DUBAI, March 4 (AFP) -), tried in that order; never a date inside a sentence of the
    story. `updated=True` reads an update stamp (آخر تحديث، Updated) instead, `updated=False` none, and the default
    falls back on one after the others. A dateline without a year takes the year its weekday falls in, else the
    latest year the text names (patterns/dates_dateline.toml)."""
    rules = _dateline_rules()
    norm = text if isinstance(text, Normalised) else normalise(text)
    t = norm.text
    candidates: list[tuple[int, int]] = []  # (start, end) of normalised segments that must begin with the date
    if updated is not True:
        candidates += _cued(t, rules.cue)
        pos = 0
        for _ in range(rules.header_lines):
            end = t.find("\n", pos)
            end = len(t) if end < 0 else end
            if t[pos:end].strip() and end - pos <= _DATELINE_MAX:
                candidates.append((pos, end))
            w = rules.wire.match(t, pos, end)  # a wire dateline opens a line of the story itself
            if w:
                candidates.append((w.start("date"), w.end("date")))
            pos = end + 1
            if pos >= len(t):
                break
    if updated is not False:
        candidates += _cued(t, rules.updated)
    for s, e in candidates:
        found = _dateline_date(t, s, e, rules)
        if found is not None:
            day, (ds, de) = found
            return day, norm.span(ds, de)
    return None


def _cued(t: str, cue: regex.Pattern[str]) -> list[tuple[int, int]]:
    """The segments after a cue that end their line (a byline's date ends its line; a cue in a paragraph is prose)."""
    out = []
    for m in cue.finditer(t):
        line_end = t.find("\n", m.end(), m.end() + _DATELINE_MAX + 1)
        if line_end < 0 and len(t) - m.end() <= _DATELINE_MAX:
            line_end = len(t)
        if line_end >= 0:  # "نشر في: … | آخر تحديث: …": one stamp per part of a line
            bar = t.find("|", m.end(), line_end)
            out.append((m.end(), bar if bar >= 0 else line_end))
    return out


def published_from_dateline(text: str) -> tuple[str, RecordWarning] | None:
    """For an article given without `published`: its dateline's date (ISO) and the warning that says where it came
    from, or None (the fact extractor's hook; see `find_dateline`)."""
    found = find_dateline(text)
    if found is None:
        return None
    day, (s, e) = found
    return day.isoformat(), RecordWarning(
        "published_from_dateline",
        f"no publication date was given; {day.isoformat()} was read from the dateline {text[s:e]!r} (offset {s}) "
        "and relative dates were resolved against it",
    )


def _dateline_date(t: str, s: int, e: int, rules: _DatelineRules) -> tuple[_dt.date, tuple[int, int]] | None:
    """The day that fills the segment `s`..`e` of the normalised text (with only times and separators beside it)."""
    seg = t[s:e]
    found = [m for m in find_dates(seg) if m.kind == "day"]
    if len(found) != 1:
        return None
    m = found[0]
    if not rules.alone_filler.match(seg[:m.start] + " " + seg[m.end:]):
        return None
    day = None
    if m.period.start and len(m.period.start) == 10:
        day = _dt.date.fromisoformat(m.period.start)
    elif m.unresolved and "no year" in m.unresolved:
        day = _yearless_dateline(t, find_dates(seg, "2000-01-01"), m)
    if day is None:
        return None
    return day, (s + m.start, s + m.end)


def _yearless_dateline(t: str, probe: list[DateMention], m: DateMention) -> _dt.date | None:
    """A yearless dateline (الخميس 13 نوفمبر, RIYADH, Oct 7): its weekday's year near the latest year the text
    names, else that latest year."""
    got = [x for x in probe if x.start == m.start and x.period.start]
    years = [int(y) for y in re.findall(r"(?<!\d)(?:19[5-9]\d|20\d\d)(?!\d)", t)]
    if not got or not years:
        return None
    month, day = int(got[0].period.start[5:7]), int(got[0].period.start[8:10])  # type: ignore[index]
    latest = max(years)
    for y in ([latest + k for k in (0, 1, -1, 2, -2, 3, -3)] if m.weekday is not None else [latest]):
        try:
            d = _dt.date(y, month, day)
        except ValueError:
            continue
        if m.weekday is None or d.weekday() == m.weekday:
            return d
    return None
