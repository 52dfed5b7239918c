"""Year inference: the years a text fixes for its yearless dates, before grouping and resolution.

Read in this order, each a statement of the language with its examples in `patterns/dates_years.toml`:
1. a four-digit number after a month name and before a counted noun ("في سبتمبر 1987 قناة") is a figure, not a year;
2. a year after a founding word ("تأسس المركز عام 2017") dates a founding, not a report (`_Atom.founding`);
3. a Hijri–Gregorian pair ("18 نيسان الذي صادف 27 رمضان") holds one year only within `hijri_years` years;
4. in an undated article, a weekday-and-date ("الجمعة 13 سبتمبر") holds one year only among the plausible ones (from
   the latest year the text names, else `weekday_years_back` years back, to the extraction date); several or none
   leave it unresolved (`_Atom.yamb`), never dated from the context;
5. a dated day after a "today" word ("اليوم الثلاثاء 4 تموز") is the day the article was written (`statement_day`).

An inferred year is set on the atom (`_Atom.y`) with `_Atom.yinf` saying how, so that resolution treats it as
written and the mention says it was inferred. To add a link word, a today word or a founding word: edit the file.
"""

from __future__ import annotations

import datetime as _dt
from bisect import bisect_right
from dataclasses import dataclass
from itertools import pairwise

import regex
from hijridate import Gregorian, Hijri

from ..patterns import compiled, load
from .atoms import _Atom, _lower
from .lexicon import _fold, _lower_list


@dataclass(frozen=True)
class _YearRules:
    link: regex.Pattern[str]  # the whole gap between the two dates of a Hijri–Gregorian pair
    today: regex.Pattern[str]  # a today word ending right before a weekday-and-date
    founding: regex.Pattern[str]  # a founding word ending a few words before a year
    report_year: regex.Pattern[str]  # a bare year beside a report noun (حصاد 2024، its 2024 report)
    running_start: regex.Pattern[str]  # a start word a few words before a date (began … in February 2022)
    counted: frozenset[str]  # singular counted nouns (folded): after a month and a 4-digit number, a figure
    weekday_years_back: int
    hijri_years: int


@compiled
def _year_rules() -> _YearRules:
    data = load("dates_years")
    flags = regex.IGNORECASE | regex.VERSION0
    lists = {"link": _lower_list(data["pair"]["links"]), "today": _lower_list(data["today"]["words"]),
             "found": _lower_list(data["founding"]["words"]),
             "start": _lower_list(data["running_start"]["words"]),
             "before": _lower_list(data["report_nouns"]["before_year"]),
             "after": _lower_list(data["report_nouns"]["after_year"])}
    gap = r"[\s,\u060c()\[\]\-–—]*"
    link = regex.compile(gap + r"(?:(?:\L<link>)" + gap + ")?", flags, link=lists["link"])
    today = regex.compile(r"(?<!\w)(?:\L<today>)[\s,\u060c]*\Z", flags, today=lists["today"])
    founding = regex.compile(r"(?<!\w)(?:\L<found>)(?!\w)(?:\s+\S+){0,3}?\s*\Z", flags, found=lists["found"])
    year = r"(?P<y>(?:19|20)\d\d)(?!\d|[.,\u066b\u066c]\d)"
    report_year = regex.compile(
        r"(?<!\w)(?:\L<before>)\s+" + year + r"|(?<!\d|\d[.,])" + year + r"\s+(?:\w+\s+)?(?:\L<after>)(?!\w)", flags,
        before=lists["before"], after=lists["after"])
    running_start = regex.compile(r"(?<!\w)(?:\L<start>)(?!\w)(?:\s+\S+){0,6}?\s*\Z", flags, start=lists["start"])
    counted = {_fold(w).lower() for w in data["counts"]["singular"]}
    window = data["window"]
    return _YearRules(link, today, founding, report_year, running_start, frozenset(counted),
                      int(window["weekday_years_back"]), int(window["hijri_years"]))


_WORD = regex.compile(r"[\s(«\"]*([\w\u0600-\u06ff]+)")


def report_years(atoms: list[_Atom], t: str) -> list[_Atom]:
    """The atoms plus the bare years a report noun makes years ("حصاد 2024", "its 2024 transparency report"), in
    text order."""
    found = []
    starts = [a.s for a in atoms]  # atoms come in text order and do not overlap
    for m in _year_rules().report_year.finditer(_lower(t)):
        s, e = m.span("y")
        k = bisect_right(starts, s)  # the atom starting at or before s, and the one after it, are the only overlaps
        if not (k and atoms[k - 1].e > s) and not (k < len(atoms) and atoms[k].s < e):
            found.append(_Atom(s, e, "year", y=int(m.group("y")), bare_year=True))
    return sorted(atoms + found, key=lambda a: a.s) if found else atoms


def counts_after_months(atoms: list[_Atom], t: str, pub: _dt.date | None, today: _dt.date) -> None:
    """A month and a bare 4-digit number before a singular counted noun ("في سبتمبر 1987 قناة") is a month and a
    figure, unless the number is a year the article likely speaks of (patterns/dates_years.toml, 6): the atom keeps
    its month only."""
    counted = _year_rules().counted
    named = {a.y for a in atoms if a.y is not None and a.mon_end is None}
    for a in atoms:
        if a.mon_end is None or not (a.y is not None or a.hy is not None):
            continue
        m = _WORD.match(t, a.e)
        if m is None:
            continue
        word = m.group(1).lower()
        if word not in counted and not (len(word) > 3 and word[0] in "\u0648\u0641" and word[1:] in counted):
            continue
        y = a.y if a.y is not None else a.hy
        likely = y in named or (pub.year - 1 <= y <= pub.year if pub is not None else today.year - 5 <= y <= today.year)
        if a.hy is not None or not likely:
            a.y, a.hy, a.hijri, a.e, a.weak = None, None, False, a.mon_end, a.weak_without_year


def mark_founding(atoms: list[_Atom], t: str) -> None:
    """A year a founding word governs ("تأسس المركز عام 2017", "founded in 2017") is no report's year."""
    founding = _year_rules().founding
    for a in atoms:
        if a.y is not None and founding.search(t[max(0, a.s - 50):a.s]):
            a.founding = True


def _gregorian(y: int, mo: int, d: int) -> _dt.date | None:
    try:
        return _dt.date(y, mo, d)
    except ValueError:
        return None


def _pair_year(g: _Atom, h: _Atom, today: _dt.date, years: int) -> tuple[int, int] | None:
    """The Gregorian and Hijri years in which day g.d of month g.mo fell on Hijri day h.d of month h.mo (the most
    recent within `years` years up to `today`), or None."""
    for y in range(today.year, today.year - years - 1, -1):
        day = _gregorian(y, g.mo or 0, g.d or 0)
        if day is None or day > today:
            continue
        try:
            hd = Gregorian(day.year, day.month, day.day).to_hijri()
        except (ValueError, OverflowError):
            continue
        if (hd.month, hd.day) == (h.mo, h.d):
            return y, hd.year
    return None


def _fix_pairs(atoms: list[_Atom], lo: str, today: _dt.date, rules: _YearRules, undated: bool) -> dict[int, _Atom]:
    """Hijri–Gregorian pairs: each gets its year from the other, or from the one year that holds them both (a pair no
    year holds leaves an undated text's dates unresolved; a dated one resolves them against its date). Returns each
    paired atom's partner, by id()."""
    partners: dict[int, _Atom] = {}
    for a, b in pairwise(atoms):
        if a.kind != "day" or b.kind != "day" or a.hijri == b.hijri or not (a.mo and a.d and b.mo and b.d):
            continue
        if b.s - a.e > 40 or not rules.link.fullmatch(lo, a.e, b.s):
            continue
        g, h = (b, a) if a.hijri else (a, b)
        if g.y is not None and h.hy is not None:
            continue  # both state their years: two mentions, as written
        partners[id(g)], partners[id(h)] = h, g
        if g.y is not None and h.hy is None:
            try:
                hd = Gregorian(g.y, g.mo, g.d).to_hijri()  # type: ignore[arg-type]
                if (hd.month, hd.day) == (h.mo, h.d):
                    h.hy, h.yinf = hd.year, "hijri_pair"
            except (ValueError, OverflowError):
                pass
        elif g.y is None and h.hy is not None:
            try:
                day = Hijri(h.hy, h.mo, h.d).to_gregorian()  # type: ignore[arg-type]
                if (day.month, day.day) == (g.mo, g.d):
                    g.y, g.yinf = day.year, "hijri_pair"
            except (ValueError, OverflowError):
                pass
        elif g.y is None and h.hy is None:
            found = _pair_year(g, h, today, rules.hijri_years)
            if found is None and undated:
                why = f"no year up to {today.year} has {g.d}/{g.mo} on Hijri {h.d}/{h.mo}"
                g.yamb = h.yamb = why
            elif found is not None:
                g.y, h.hy = found
                g.yinf = h.yinf = "hijri_pair"
    return partners


def _fix_weekdays(atoms: list[_Atom], today: _dt.date, rules: _YearRules) -> None:
    """Undated: a yearless day with its weekday takes the one plausible year it falls on that weekday."""
    named = [a.y for a in atoms if a.y is not None and not a.hijri and not a.yweak and a.yinf is None
             and a.y <= today.year]
    lo = max(named) if named else today.year - rules.weekday_years_back
    for a in atoms:
        if (a.kind != "day" or a.y is not None or a.wd is None or a.hijri or not a.mo or not a.d
                or a.yamb is not None or a.yoff is not None):
            continue
        years = [y for y in range(lo, today.year + 1)
                 if (day := _gregorian(y, a.mo, a.d)) is not None and day <= today and day.weekday() == a.wd]
        if len(years) == 1:
            a.y, a.yinf = years[0], "weekday"
        else:
            a.yamb = (f"the weekday falls on {a.d}/{a.mo} in {'no' if not years else 'several'} of the plausible "
                      f"years {lo}-{today.year}" + (f" ({', '.join(map(str, years))})" if years else ""))


_SENTENCE_END = regex.compile(r"[!?\n;]|\.(?!\d)")


def _after_running_start(atoms: list[_Atom], lo: str, rules: _YearRules) -> None:
    """Undated: a yearless day or month that the latest year named would put before the running total's start
    (named in that same year) is of the next year (see patterns/dates_years.toml, 7)."""
    starts = [(a.y, a.mo or 1) for a in atoms if a.y is not None and not a.hijri and not a.founding and a.yinf is None
              and a.kind in ("month", "day") and rules.running_start.search(lo, max(0, a.s - 60), a.s)]
    named = [a.y for a in atoms if a.y is not None and not a.hijri and not a.founding and not a.yweak]
    if not starts or not named:
        return
    start, latest = min(starts), max(named)
    if start[0] != latest:
        return
    ends = [m.start() for m in _SENTENCE_END.finditer(lo)]
    dated = {bisect_right(ends, a.s) for a in atoms if a.y is not None}  # the sentences that name a year
    for a in atoms:
        if (a.kind not in ("day", "month") or a.y is not None or a.hijri or not a.mo or a.yoff is not None
                or a.msuf is not None or a.yamb is not None or a.wd is not None or a.mo >= start[1]):
            continue
        if bisect_right(ends, a.s) in dated:
            continue  # a year in its own sentence dates it
        a.y, a.yinf = latest + 1, "after_start"


def fix_years(atoms: list[_Atom], t: str, pub: _dt.date | None,
              today: _dt.date) -> tuple[list[_Atom], _dt.date | None]:
    """Set the years the text fixes (pairs always; weekdays when `pub` is None). Returns the atoms, each pair made
    one date (the Gregorian atom spanning both: one day in two calendars), and the statement day of an undated
    article ("اليوم الثلاثاء 4 تموز"), or None."""
    rules = _year_rules()
    lo = _lower(t)
    partners = _fix_pairs(atoms, lo, today, rules, pub is None)
    statement = None
    if pub is None:
        _fix_weekdays(atoms, today, rules)
        _after_running_start(atoms, lo, rules)
        for a in atoms:
            if a.kind != "day" or not rules.today.search(lo, max(0, a.s - 30), a.s):
                continue
            g = partners.get(id(a), a) if a.hijri else a
            if g.y is not None and g.mo and g.d and not g.hijri:
                day = _gregorian(g.y, g.mo, g.d)
                if day is not None and day <= today:
                    statement = day
                    break
    if partners:
        out = []
        for a in atoms:
            h = partners.get(id(a))
            if a.hijri and h is not None:
                continue  # the Hijri half of a pair: its Gregorian partner stands for both
            if h is not None:
                a.s, a.e = min(a.s, h.s), max(a.e, h.e)
                a.wd = a.wd if a.wd is not None else h.wd
            out.append(a)
        atoms = out
    return atoms, statement
