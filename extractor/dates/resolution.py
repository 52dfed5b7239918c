"""Resolution: a group of atoms resolved to its kind and `Period` (or left unresolved, saying why).

An explicit year wins; a relative expression counts from the publication date; a yearless quarter, month or day
takes its year from its range partner, the same period named with a year elsewhere, a year in its sentence, the
publication date or any year of the text (`_Context` answers those questions with indexes); Hijri dates are
converted with `hijridate`. The package docstring gives the rules in full.
"""

from __future__ import annotations

import datetime as _dt
import re
from bisect import bisect_left, bisect_right
from typing import Any

from hijridate import Gregorian, Hijri

from ..model import Period
from .atoms import _Atom
from .grouping import _Group, _yearless

_SENTENCE_END_RX = re.compile(r"[!?\n;]|\.(?!\d)")


def _ym(y: int, m: int) -> str:
    return f"{y:04d}-{m:02d}"


def _add_months(y: int, m: int, k: int) -> tuple[int, int]:
    t = y * 12 + (m - 1) + k
    return t // 12, t % 12 + 1


def _first_month(a: _Atom) -> int:
    if a.kind == "quarter" and a.q:
        return 3 * a.q - 2
    if a.kind == "half" and a.q:
        return 6 * a.q - 5
    return a.mo or 1


def _year_keys(b: _Atom) -> list[tuple[Any, ...]]:
    """The keys under which `same_key_year` looks up an atom that names its year."""
    keys: list[tuple[Any, ...]] = [("qh", b.kind, b.q)] if b.kind in ("quarter", "half") else []
    if b.kind in ("day", "dayrange", "month"):
        keys.append(("month", b.mo))
    if b.kind in ("day", "dayrange"):
        keys.append(("day", b.kind, b.mo, b.d))
    return keys


def _nearest(group: list[_Atom], pos: list[int], a: _Atom) -> _Atom | None:
    """`min((b for b in group if b is not a), key=distance to a)` for a group in text order, by bisection: the
    nearest atom, the earliest one on a tie."""
    i = bisect_left(pos, a.s)
    left = next((k for k in range(i - 1, -1, -1) if group[k] is not a), None)
    right = next((k for k in range(i, len(group)) if group[k] is not a), None)
    dists = [a.s - pos[k] for k in (left,) if k is not None] + [pos[k] - a.s for k in (right,) if k is not None]
    if not dists:
        return None
    d = min(dists)
    for target in (a.s - d, a.s + d):
        k = bisect_left(pos, target)
        while k < len(pos) and pos[k] == target:
            if group[k] is not a:
                return group[k]
            k += 1
    return None


class _Context:
    """What resolution may look at besides the atom: the other atoms, sentences and the publication date."""

    def __init__(self, atoms: list[_Atom], t: str, pub: _dt.date | None, ref: _dt.date | None = None,
                 title_years: tuple[int, ...] = ()) -> None:
        self.atoms = atoms
        self.title_years = title_years  # the years the article's title names: they stand before its text
        self.t = t
        self.pub = pub
        # The article's month when its day is unknown (a /2024/10/ URL, "15 شباط الجاري" with its year fixed): the
        # month-level relative expressions resolve against it. The publication date when there is one.
        self.ref = pub or ref
        self.with_year = [b for b in atoms if b.y is not None]
        self.last_quarter: tuple[int, int] | None = None  # (year, quarter) of the last resolved quarter
        # Indexes so that resolving each atom costs a bisection, not a scan of every other atom (a scan per atom
        # made one long text quadratic). Atoms come in text order; the lookups return exactly what the scans did.
        # Built on first use: most texts name their years and never ask (resolution does not change the atoms).
        # A founding year (تأسس عام 2017) is no year the article reports: it dates none of its other periods.
        self._latest = max((b.y for b in self.with_year if not b.founding), default=None)  # type: ignore[type-var]
        self._current: list[int | None] = []
        self._keyed: tuple[dict[tuple[Any, ...], list[_Atom]], dict[tuple[Any, ...], list[int]]] | None = None
        self._framed: tuple[list[_Atom], list[int]] | None = None
        self._hijri_index: tuple[list[_Atom], list[int]] | None = None

    def _by_key(self) -> tuple[dict[tuple[Any, ...], list[_Atom]], dict[tuple[Any, ...], list[int]]]:
        """The atoms with a year by `_year_keys`, and their positions."""
        if self._keyed is None:
            by_key: dict[tuple[Any, ...], list[_Atom]] = {}
            for b in self.with_year:
                for key in _year_keys(b):
                    by_key.setdefault(key, []).append(b)
            self._keyed = by_key, {k: [b.s for b in v] for k, v in by_key.items()}
        return self._keyed

    def _framing(self) -> tuple[list[_Atom], list[int]]:
        """The atoms with a year that are not a running total's start, and their positions."""
        if self._framed is None:
            framing = [b for b in self.with_year if not b.since and not b.founding]
            self._framed = framing, [b.s for b in framing]
        return self._framed

    def _hijri(self) -> tuple[list[_Atom], list[int]]:
        """The Hijri atoms with a year, and their positions."""
        if self._hijri_index is None:
            hijri = [b for b in self.atoms if b.hijri and b.hy is not None]
            self._hijri_index = hijri, [b.s for b in hijri]
        return self._hijri_index

    def same_sentence(self, i: int, j: int) -> bool:
        """Whether no sentence end stands between positions `i` and `j`."""
        lo, hi = (i, j) if i < j else (j, i)
        return _SENTENCE_END_RX.search(self.t, lo, hi) is None

    def latest_year(self) -> int | None:
        """The latest Gregorian year the text names (not a founding year), or None."""
        return self._latest

    def current_year(self) -> int | None:
        """The "current year" of an undated text: its month's when known; else the latest year its own dates fix
        (a weekday or a Hijri partner: "الجمعة 13 سبتمبر الماضي" in 2024); else the latest year it names."""
        if not self._current:
            inferred = max((b.y for b in self.with_year if b.yinf), default=None)  # type: ignore[type-var]
            self._current.append(self.ref.year if self.ref is not None else inferred or self.latest_year())
        return self._current[0]

    def last_whole_year(self) -> int | None:
        """"Last year" (العام الماضي) in an undated text that says nothing of "this year": the latest year it names as
        a whole year ("in 2022", "خلال عام 2023"), the year it reports on; None when it names none."""
        if any(b.yoff == 0 for b in self.atoms):
            return None
        return max((b.y for b in self.with_year if b.kind == "year" and not b.since and not b.founding
                    and b.bound is None and not b.yinf), default=None)  # type: ignore[type-var]

    def ending_year(self, b: _Atom, after: int | None) -> int | None:
        """The year of the period named with its year that ends in the month a yearless end bound ends ("حتى نهاية
        يونيو" after "نتائج الربع الثاني 2023": 2023), not before `after`; the nearest one, None when none."""
        last = _last_month(b)
        found = [c for c in self.with_year if c is not b and not c.since and not c.founding and not c.hijri
                 and c.kind in ("quarter", "half", "month", "year") and (c.kind != "year" or last == 12)
                 and (c.kind == "year" or _last_month(c) == last) and (after is None or (c.y or 0) >= after)]
        return min(found, key=lambda c: abs(c.s - b.s)).y if found else None

    def same_key_year(self, a: _Atom) -> int | None:
        """The year of the same quarter, half, month or day named with a year elsewhere in the text (nearest)."""
        if a.kind in ("quarter", "half"):
            key: tuple[Any, ...] = ("qh", a.kind, a.q)
        elif a.kind == "month":
            key = ("month", a.mo)
        elif a.kind in ("day", "dayrange"):
            key = ("day", a.kind, a.mo, a.d)
        else:
            return None
        by_key, key_pos = self._by_key()
        b = _nearest(by_key.get(key, []), key_pos.get(key, []), a)
        return b.y if b is not None else None

    def near_year(self, a: _Atom) -> int | None:
        """The year of the same period named elsewhere, else of a year in the same sentence (not a since-start)."""
        y = self.same_key_year(a)
        if y is not None:
            return y
        framing, framing_pos = self._framing()
        lo, hi = bisect_right(framing_pos, a.s - 400), bisect_left(framing_pos, a.s + 400)
        near = [b for b in framing[lo:hi] if b is not a and self.same_sentence(a.s, b.s)]
        return min(near, key=lambda b: abs(b.s - a.s)).y if near else None

    def infer_year(self, a: _Atom) -> int | None:
        """The year of a quarter/month/day that states none (see the package docstring)."""
        y = self.near_year(a)
        if y is not None:
            return y
        if self.ref is not None:  # the most recent such period that does not start after the article
            y = self.ref.year
            fm = _first_month(a)
            first_day = a.d if a.kind == "day" and a.d else (a.d1 or 1) if a.kind == "dayrange" else 1
            if (fm, first_day) > (self.ref.month, self.ref.day):
                y -= 1
            return y
        if a.since and a.bound == "start" and a.kind == "month":
            return self.current_year()  # "منذ بداية نوفمبر": this November, whatever year a since-start names
        if a.kind == "day" and a.d and a.mo and self.with_year:
            # An undated text's yearless day without a weekday ("وفي 13 نوفمبر"): the latest year the text names (a
            # day with its weekday has its year from years.py, or stays unresolved).
            return self.latest_year()
        # The last year-bearing atom before `a` that is not a running total's start (which says little about the
        # rest), else the first one.
        framing, framing_pos = self._framing()
        k = bisect_left(framing_pos, a.s)
        if k > 0:
            return framing[k - 1].y
        if self.title_years:
            return self.title_years[-1]  # the title's year (Q4 2022 report: "In October alone …")
        first = next((b for b in framing if b is not a), None)
        if first is not None:
            return first.y
        return None

    def infer_hijri_year(self, a: _Atom) -> int | None:
        if a.msuf is None:
            b = _nearest(*self._hijri(), a)
            if b is not None:
                return b.hy
        if self.pub is None:
            return None
        try:
            h = Gregorian(self.pub.year, self.pub.month, self.pub.day).to_hijri()
        except (ValueError, OverflowError):  # outside the Umm al-Qura table (1924-2077)
            return None
        hy = h.year
        if (a.mo or 1, a.d or 1) > (h.month, h.day) or (a.msuf == -1 and (a.mo, a.d or 1) >= (h.month, h.day)):
            hy -= 1
        if a.msuf == 1 and (a.mo or 1, a.d or 1) <= (h.month, h.day):
            hy += 1
        return hy


def _month_relative_year(mo: int, d: int | None, off: int, pub: _dt.date) -> int:
    """The year of "<month> الماضي/الجاري/المقبل": the last, current or next such month seen from `pub`."""
    if off < 0:
        past = mo < pub.month or (mo == pub.month and d is not None and d < pub.day)
        return pub.year if past else pub.year - 1
    if off > 0:
        return pub.year if mo > pub.month else pub.year + 1
    return pub.year


Resolved = tuple[str | None, str | None, str | None]  # start, end, unresolved reason


def _resolve(a: _Atom, ctx: _Context, force_year: int | None = None) -> Resolved:
    pub = ctx.pub  # expressions of days and weeks need the publication day
    ref = ctx.ref  # those of months, quarters and years need its month only
    no_pub = "relative expression and no publication date"
    if a.kind == "firstn" and a.past is not None:
        year = force_year if force_year is not None else a.y
        if year is None and a.yoff is not None:
            if ref is None:
                return None, None, no_pub
            year = ref.year + a.yoff
        if year is None and a.ybare:
            year = ctx.near_year(a)  # "the last six months of the year": the year of its sentence
        if year is None:
            year = ref.year if ref is not None else ctx.infer_year(a)
        if year is None:
            return None, None, "no year in the text and no publication date"
        n = a.past[0]
        return (_ym(year, 1), _ym(year, n), None) if a.edge == "first" else (_ym(year, 13 - n), _ym(year, 12), None)
    if a.past is not None:
        n, unit = a.past
        if unit == "week":
            if pub is None:
                return None, None, no_pub
            return (pub - _dt.timedelta(weeks=n)).isoformat(), pub.isoformat(), None
        if ref is None:
            return None, None, no_pub
        k = n * 12 if unit == "year" else n
        return _ym(*_add_months(ref.year, ref.month, -k)), _ym(ref.year, ref.month), None
    if a.wrel is not None and a.wd is not None:
        if pub is None:
            return None, None, no_pub
        back = (pub.weekday() - a.wd) % 7
        if a.today:
            if back:
                return None, None, "the weekday named with today contradicts the publication date"
            day = pub
        elif a.wrel < 0:
            day = pub - _dt.timedelta(days=back or 7)
        elif a.wrel > 0:
            day = pub + _dt.timedelta(days=(a.wd - pub.weekday()) % 7 or 7)
        else:
            day = pub - _dt.timedelta(days=back)
        return day.isoformat(), day.isoformat(), None
    if a.doff is not None:
        if pub is None:
            return None, None, no_pub
        day = (pub + _dt.timedelta(days=a.doff)).isoformat()
        return day, day, None
    if a.woff is not None:
        if pub is None:
            return None, None, no_pub
        monday = pub - _dt.timedelta(days=pub.weekday()) + _dt.timedelta(weeks=a.woff)
        end = pub if a.woff == 0 else monday + _dt.timedelta(days=6)
        return monday.isoformat(), end.isoformat(), None
    if a.moff is not None:
        if ref is None:
            return None, None, no_pub
        ym = _ym(*_add_months(ref.year, ref.month, a.moff))
        return ym, ym, None
    if a.kind == "quarter" and a.qoff is not None and a.q is None:
        if a.anchored and ctx.last_quarter is not None:
            y, q = ctx.last_quarter
        elif ref is None:
            return None, None, no_pub
        else:
            y, q = ref.year, (ref.month - 1) // 3 + 1
        t = y * 4 + (q - 1) + a.qoff
        y, q = t // 4, t % 4 + 1
        ctx.last_quarter = (y, q)
        return _ym(y, 3 * q - 2), _ym(y, 3 * q), None
    if a.hijri:
        return _resolve_hijri(a, ctx)
    # Gregorian calendar units: find the year.
    year = force_year if force_year is not None else a.y
    if year is None and a.yamb is not None:
        return None, None, a.yamb  # a weekday or a Hijri partner that fits no single year: never a year from context
    if year is None and a.yoff is not None:
        if ref is not None:
            year = ref.year + a.yoff
        elif a.yoff == 0 and (latest := ctx.current_year()) is not None:
            year = latest  # "the current year" of an undated article: the latest year it names
        elif a.yoff == -1 and (whole := ctx.last_whole_year()) is not None:
            year = whole  # "last year" in an undated article: the latest whole year it reports
        else:
            return None, None, no_pub
    if year is None and a.msuf is not None and a.mo is not None:
        if ref is not None:
            year = _month_relative_year(a.mo, a.d, a.msuf, ref)
        else:
            # "13 سبتمبر الماضي" in an undated text: a year named with it, else the text's "current year" (the latest
            # year it names, as for العام الحالي), never an older year named elsewhere (a founding date).
            year = ctx.near_year(a) or ctx.current_year() if _has_context_year(a, ctx) else None
            if year is None:
                return None, None, no_pub
    if year is None and a.ybare and a.kind in ("quarter", "half"):
        year = ctx.near_year(a)  # "النصف الثاني من العام": the year of its sentence, else the article's
    if year is None and a.ybare:
        year = ref.year if ref is not None else ctx.infer_year(a)
    if year is None and a.kind != "year":
        year = ctx.infer_year(a)
    if year is None:
        return None, None, "no year in the text and no publication date"
    if a.kind == "year":
        return _ym(year, 1), _ym(year, 12), None
    if a.kind in ("quarter", "half"):
        size = 3 if a.kind == "quarter" else 6
        if a.kind == "quarter":
            ctx.last_quarter = (year, a.q or 1)
        first = size * ((a.q or 1) - 1) + 1
        return _ym(year, first), _ym(year, size * (a.q2 or a.q or 1)), None
    if a.mo is None or not 1 <= a.mo <= 12:
        return None, None, "no such month"
    if a.kind == "month":
        return _ym(year, a.mo), _ym(year, a.mo), None
    try:
        end = _dt.date(year, a.mo, a.d or 1)
        start = _dt.date(year, a.mo, a.d1) if a.kind == "dayrange" and a.d1 else end
    except ValueError:
        return None, None, "no such day"
    if start > end:
        return None, None, "a day range that ends before it starts"
    return start.isoformat(), end.isoformat(), None


def _last_month(a: _Atom) -> int:
    if a.kind == "quarter" and a.q:
        return 3 * (a.q2 or a.q)
    if a.kind == "half" and a.q:
        return 6 * (a.q2 or a.q)
    return a.mo or 12


def _current_period(a: _Atom) -> bool:
    """"العام الجاري", "this quarter", "الشهر الحالي", "نوفمبر الجاري": a period not over when the article was
    written."""
    return ((a.kind == "year" and a.yoff == 0) or a.qoff == 0 or a.moff == 0
            or (a.kind == "month" and a.msuf == 0))


def _has_context_year(a: _Atom, ctx: _Context) -> bool:
    return any(b.y is not None and b is not a for b in ctx.atoms)


def _resolve_hijri(a: _Atom, ctx: _Context) -> Resolved:
    hy = a.hy
    if hy is None and a.yamb is not None:
        return None, None, a.yamb
    if hy is None and (a.yoff is not None or a.ybare) and a.mo and ctx.ref is not None:
        # "رمضان من العام الجاري": the Hijri month that falls in that Gregorian year
        target = ctx.ref.year + (a.yoff or 0)
        for cand in range(int((target - 622) * 1.0307) - 1, int((target - 622) * 1.0307) + 3):
            try:
                if Hijri(cand, a.mo, 1).to_gregorian().year == target:
                    hy = cand
                    break
            except (ValueError, OverflowError):
                continue
    if hy is None:
        hy = ctx.infer_hijri_year(a)
    if hy is None:
        return None, None, "a Hijri date without a year and no publication date"
    try:
        if a.kind == "year":
            first = Hijri(hy, 1, 1)
            last = Hijri(hy, 12, Hijri(hy, 12, 1).month_length())
        elif a.d is None:
            first = Hijri(hy, a.mo or 0, 1)
            last = Hijri(hy, a.mo or 0, first.month_length())
        else:
            first = last = Hijri(hy, a.mo or 0, a.d)
        return first.to_gregorian().isoformat(), last.to_gregorian().isoformat(), None
    except (ValueError, OverflowError):
        return None, None, "no such Hijri date (or outside the Umm al-Qura range 1343-1500)"


def _bounded(r: Resolved, bound: str | None) -> Resolved:
    s, e, why = r
    if bound == "mid" and s and e and len(s) == 7 and s[5:] == "01" and e[5:] == "12" and s[:4] == e[:4]:
        return s[:4] + "-07", s[:4] + "-07", why  # the middle of a year: its July (GUIDELINES §6)
    if bound == "end":
        return e, e, why
    if bound == "start":
        return s, s, why
    return r


def _range_bound(r: Resolved, a: _Atom, side: str) -> Resolved:
    """One end of a range; a plain year bound stays a year ("منذ عام 2022" starts at 2022, not 2022-01)."""
    if a.bound is None and a.kind == "year" and not a.hijri and r[0] is not None:
        return r[0][:4], r[0][:4], r[2]
    return _bounded(r, a.bound or side)


def _year_of(iso: str | None) -> int | None:
    return int(iso[:4]) if iso else None


def _resolve_group(g: _Group, ctx: _Context) -> tuple[str, Period, str | None]:
    a, b = g.first, g.second
    if a is not None and b is not None and a.months_to is not None:
        rb = _resolve(b, ctx)
        if rb[1] is None:
            return "range", Period(None, None), rb[2]
        y, m = int(rb[1][:4]), int(rb[1][5:7])
        return "range", Period(_ym(*_add_months(y, m, 1 - a.months_to)), _ym(y, m)), None
    if a is not None and b is not None:
        # A yearless bound takes its partner's year ("من يوليو إلى سبتمبر 2025", "21 فبراير حتى نهاية ديسمبر 2022").
        if _yearless(a) and not _yearless(b):
            rb = _resolve(b, ctx)
            yb = _year_of(rb[0] or rb[1])
            ra = _resolve(a, ctx, None if yb is None else yb - (_first_month(a) > _first_month(b)))
        elif _yearless(b) and not _yearless(a):
            # "منذ فبراير 2022 وحتى نهاية الربع الثالث": an end bound is the report's own period when the text
            # names it with its year elsewhere; otherwise a range's end follows its start, and a running total's is
            # the latest such end not after the article (unknown in an undated one).
            ra = _resolve(a, ctx)
            ya = _year_of(ra[0] or ra[1])
            yb = ctx.same_key_year(b)
            if yb is None or (ya is not None and yb < ya):
                yb = ctx.ending_year(b, ya) if a.since else None
            if yb is None and ya is not None and not a.since:
                yb = ya + (_first_month(b) < _first_month(a))
            if yb is None and ya is not None and ctx.ref is not None:
                yb = ctx.ref.year - (_last_month(b) > ctx.ref.month)
                if (yb, _last_month(b)) < (ya, _first_month(a)):
                    yb = None
            rb = _resolve(b, ctx, yb) if yb is not None else (None, None, "the year of a running total's end")
        elif _yearless(a) and _yearless(b):  # both take the end's year, the start the year before if it wraps
            rb = _resolve(b, ctx)
            yb = _year_of(rb[0] or rb[1])
            ra = _resolve(a, ctx, None if yb is None else yb - (_first_month(a) > _first_month(b)))
        else:
            ra, rb = _resolve(a, ctx), _resolve(b, ctx)
        ra, rb = _range_bound(ra, a, "start"), _range_bound(rb, b, "end")
        if a.since and rb[1] is not None and (_current_period(b) or (ctx.ref is not None
                                                                     and rb[1][:7] > _ym(ctx.ref.year, ctx.ref.month))):
            # "منذ فبراير 2022 وحتى نهاية العام الجاري": a running total cannot end after the article
            rb = (None, None, "a running total's end after the article")
        return "range", Period(ra[0], rb[1]), ra[2] or rb[2]
    if g.is_range and a is not None:
        ra = _range_bound(_resolve(a, ctx), a, "start")
        return "range", Period(ra[0], None), ra[2]
    if g.is_range and b is not None:
        rb = _range_bound(_resolve(b, ctx), b, "end")
        return "range", Period(None, rb[1]), rb[2]
    assert a is not None
    r = _bounded(_resolve(a, ctx), a.bound)
    kind = a.kind
    if kind in ("dayrange", "firstn"):
        kind = "range"
    elif (a.bound in ("start", "end") and kind in ("year", "quarter", "half")) or (a.bound == "mid" and kind == "year"):
        kind = "month"
    elif a.q2 is not None:
        kind = "range"
    elif a.hijri and kind == "year":
        kind = "year"
    return kind, Period(r[0], r[1]), r[2]
