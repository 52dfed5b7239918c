"""`find_dates`: the stages in order, from a text to its resolved `DateMention`s, and `parse_published`.

Atoms (`atoms.py`) → groups (`grouping.py`) → periods (`resolution.py`) → mentions with original offsets; a duration
("خلال 3 أشهر") then takes the period of that length the text names. It is a module of its own, not the package's
`__init__`, because `dateline.py` reads datelines with `find_dates` and the package exports both.
"""

from __future__ import annotations

import datetime as _dt
import os

from ..model import DateMention, Period
from ..normalise import Normalised, normalise
from .atoms import _find_atoms, _plausible_years
from .grouping import _group
from .lexicon import _lexicon
from .resolution import _Context, _resolve_group
from .rules import _rules
from .years import counts_after_months, fix_years, mark_founding, report_years


def parse_published(published: str | _dt.date | None) -> _dt.date | None:
    """The publication date as a `date`; None for None or anything that is not `YYYY-MM-DD` (a time may follow)."""
    if published is None:
        return None
    if isinstance(published, _dt.datetime):
        return published.date()
    if isinstance(published, _dt.date):
        return published
    if not isinstance(published, str):
        return None
    try:
        return _dt.date.fromisoformat(published.strip()[:10])
    except ValueError:
        return None


def extraction_date(today: str | _dt.date | None = None) -> _dt.date:
    """The extraction date: `today` when given, else `$RASD_TODAY` (YYYY-MM-DD), else the machine's date. No date
    after it is read as the article's or as a period's (a year after it is a count, never a year)."""
    day = parse_published(today) if today is not None else parse_published(os.environ.get("RASD_TODAY") or None)
    return day or _dt.date.today()


def find_dates(
    text: str | Normalised, published: str | _dt.date | None = None, *, statement_days: bool = False,
    today: str | _dt.date | None = None, month: _dt.date | None = None,
) -> list[DateMention]:
    """Every time expression in `text`, resolved against `published`; sorted, non-overlapping, original offsets.

    A weekday with nothing but "today" or "on" ("اليوم الثلاثاء", "يوم الاثنين", "said on Wednesday") names the day the
    statement was made, not a time of what is reported: it is left out unless `statement_days` is true (then "today"
    is `published`, or unresolved when the weekday contradicts it, and "on Monday" the last Monday up to
    `published`). "الأحد الماضي" / "last Sunday" is always read. Without `published`, `month` (a date whose year and
    month are the article's) resolves the month-level relative expressions, and the years the text fixes itself
    (weekdays, Hijri pairs, a dated "today": `extractor/dates/years.py`) are read against the extraction date
    `today` (see `extraction_date`)."""
    return read_dates(text, published, statement_days=statement_days, today=today, month=month)[0]


def read_dates(
    text: str | Normalised, published: str | _dt.date | None = None, *, statement_days: bool = False,
    today: str | _dt.date | None = None, month: _dt.date | None = None, title_years: tuple[int, ...] = (),
) -> tuple[list[DateMention], _dt.date | None]:
    """`find_dates`, and the day an undated text says it was written ("اليوم الثلاثاء 4 تموز", its year fixed by
    its weekday), against which it was resolved (None when `published` was given or the text names no such day).
    `title_years`, the years the article's title names, date the yearless periods nothing in the text dates."""
    norm = text if isinstance(text, Normalised) else normalise(text)
    t = norm.text
    pub = parse_published(published)
    day = extraction_date(today)
    rules = _rules()
    lex = _lexicon()
    atoms, since_at = _find_atoms(t, rules, lex)
    atoms = report_years(atoms, t)
    counts_after_months(atoms, t, pub, day)
    atoms = _plausible_years(atoms, pub, day)
    if not atoms:
        return [], None
    mark_founding(atoms, t)
    atoms, statement = fix_years(atoms, t, pub, day)
    if pub is None and statement is not None:
        pub = statement
    if pub is None and month is None:
        # "15 شباط الجاري" with its year fixed by its weekday: the article is of that month
        current = next((a for a in atoms if a.kind == "day" and a.yinf and a.msuf == 0 and a.y and a.mo and a.d),
                       None)
        if current is not None:
            month = _dt.date(current.y, current.mo, current.d)  # type: ignore[arg-type]
    groups = _group(atoms, t, rules, lex, since_at)
    ctx = _Context(atoms, t, pub, month, title_years)
    out: list[DateMention] = []
    durations: list[tuple[int, int]] = []  # (index in out, length in months) of "خلال 3 أشهر" mentions
    original = norm.original
    for g in groups:
        if (not statement_days and g.first is not None and g.second is None and g.first.wrel == 0
                and g.first.wd is not None and g.first.d is None):
            continue  # "اليوم الثلاثاء", "said on Wednesday": the day of the statement
        if g.first is not None and g.second is None and g.first.within and g.first.past is not None:
            n, unit = g.first.past
            if unit in ("month", "year"):
                durations.append((len(out), n * 12 if unit == "year" else n))
        kind, period, why = _resolve_group(g, ctx)
        s, e = norm.span(g.s, g.e)
        wd = g.first.wd if g.first is not None else g.second.wd if g.second is not None else None
        matches = None
        if wd is not None and kind == "day" and period.start and len(period.start) == 10:
            matches = _dt.date.fromisoformat(period.start).weekday() == wd
        inferred = next((x.yinf for x in (g.first, g.second) if x is not None and x.yinf), None)
        out.append(DateMention(s, e, original[s:e], kind, period, why, wd, matches, inferred))
    for i, months in durations:
        _duration_to_named_period(out, i, months)
    return out, statement


def _months_spanned(p: Period) -> int | None:
    if not (p.start and p.end and len(p.start) == 7 and len(p.end) == 7):
        return None
    return (int(p.end[:4]) - int(p.start[:4])) * 12 + int(p.end[5:7]) - int(p.start[5:7]) + 1


def _duration_to_named_period(out: list[DateMention], i: int, months: int) -> None:
    """"خلال 3 أشهر" in a text that names a period of three months (الربع الأول من 2025) is that period: a duration
    restates the reported period; only when the text names none does it end at the publication date."""
    d = out[i]
    same = [m for j, m in enumerate(out) if j != i and not m.unresolved and _months_spanned(m.period) == months
            and m.kind in ("quarter", "half", "year", "range", "month")]
    if same:
        m = min(same, key=lambda m: abs(m.start - d.start))
        out[i] = DateMention(d.start, d.end, d.text, d.kind, m.period, None, d.weekday, d.weekday_matches,
                             m.inferred)
