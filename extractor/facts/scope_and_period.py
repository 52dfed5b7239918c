"""Scope and period (stage 4): peak with a peak cue and a day; cumulative with a since-date, a long range or a
running-total cue; else period. The period is the nearest date in the clause, else in the sentence, else the last
period stated before the figure; a breakdown by organisation takes the period of the total it adds up to."""

from __future__ import annotations

import datetime as _dt
from bisect import bisect_left, bisect_right
from dataclasses import dataclass, field
from itertools import accumulate, pairwise

import regex

from ..model import DateMention, NumberMention, Period, RecordWarning
from .document import _Candidate, _clause_bounds, _Doc, _gap, _numbers_in, _Sentence, _words, _years_named


# --- step 4: scope and period ---------------------------------------------------------------------------------
def _starts_with_cue(doc: _Doc, d: DateMention, sentence: _Sentence, ids: tuple[str, ...], reach: int = 10) -> bool:
    """Whether a cue of `ids` stands inside the mention's start or just before it."""
    return any(
        t.id in ids and ((t.start < d.end and t.end > d.start
                          and len(_gap(doc, d.start, max(t.start, d.start))) < reach)
                         or (t.end <= d.start and len(_gap(doc, t.end, d.start)) <= reach))
        for t in sentence.cues
    )


def _is_since(doc: _Doc, d: DateMention, sentence: _Sentence) -> bool:
    return _starts_with_cue(doc, d, sentence, ("since", "cumulative"), 12)


def _is_comparison_base(doc: _Doc, d: DateMention, sentence: _Sentence) -> bool:
    return any(
        t.id == "comparison" and t.start < d.start
        and len(g := _gap(doc, min(t.end, d.start), d.start)) <= 12 and _words(g) <= 2
        for t in sentence.cues
    )


def _months_between(p: Period) -> int | None:
    if not p.start or not p.end:
        return None
    sy, sm = int(p.start[:4]), int(p.start[5:7]) if len(p.start) >= 7 else 1
    ey, em = int(p.end[:4]), int(p.end[5:7]) if len(p.end) >= 7 else 12
    return (ey - sy) * 12 + (em - sm) + 1


def _nearest(dates: list[DateMention], n: NumberMention, doc: _Doc | None = None) -> DateMention | None:
    """The date nearest a figure, one before it preferred; with `doc`, a date right after the figure's noun phrase
    wins (a time adverbial of its own: "1,420 channels in March", "612 ألف مادة في حزيران و704 آلاف في تموز")."""
    if not dates:
        return None

    def key(d: DateMention) -> int:
        if d.end <= n.start:
            return n.start - d.end
        if doc is not None and _adverbial_after(doc, n, d):
            return -1_000_000 + (d.start - n.end)
        return (d.start - n.end) + 60

    return min(dates, key=key)


def _adverbial_after(doc: _Doc, n: NumberMention, d: DateMention) -> bool:
    """A date a few words after the figure with no other figure or clause break between: its own time adverbial."""
    gap = _gap(doc, n.end, d.start)
    return _words(gap) <= 4 and not any(ch.isdigit() or ch in ".,;:!?\u060c\u061b" for ch in gap)


@dataclass(slots=True)
class _SentenceDates:
    since: list[DateMention]  # since-starts of running totals
    year_start: list[DateMention]  # "since the start of this year": a period to date
    usable: list[DateMention]  # dates that can frame a figure
    comparison: list[DateMention]  # comparison bases ("compared to the first quarter")
    ends: list[DateMention] = field(default_factory=list)  # end bounds ("بحلول نهاية مارس 2025")
    # The horizon of a record ("the highest since February", "أعلى رقم منذ فبراير"): not the start of a total.
    horizons: list[DateMention] = field(default_factory=list)
    # Relative dates that cannot be resolved ("الشهر الماضي" in an undated article): their figures get no period.
    unresolved: list[DateMention] = field(default_factory=list)
    # Dates of the statement, not of the figures ("أعلنت في مايو 2023 إزالة … خلال الربع الأول").
    statement: list[DateMention] = field(default_factory=list)


def _current_year(doc: _Doc, besides: DateMention | None = None) -> str | None:
    """The year the article is written in: its publication year, else the latest year its text names (in a date
    other than `besides`)."""
    if doc.published:
        return doc.published[:4]
    skip = id(besides) if besides is not None else None
    return next((y for y, i in _years_named(doc) if i != skip), None)


def _until_now(doc: _Doc, d: DateMention, sentence: _Sentence) -> bool:
    """"from February 2022 until now", "منذ فبراير 2022 وحتى الآن": a start whose end is today, a running total."""
    return any(t.id == "until_now" and t.start >= d.end and len(_gap(doc, d.end, t.start)) <= 4 for t in sentence.cues)


def _day_after(doc: _Doc, c: _Candidate, clause: tuple[int, int]) -> str | None:
    """"the following day", "في اليوم التالي" in the figure's clause: the day after the last day named before it."""
    cues = [t for t in c.sentence.cues if t.id == "next_day" and clause[0] <= t.start < clause[1]]
    if not cues:
        return None
    n = c.number

    def words(a: int, b: int) -> int:
        return _words(_gap(doc, n.end, a)) if a >= n.end else _words(_gap(doc, b, n.start))

    cue = words(cues[0].start, cues[0].end)
    if any(clause[0] <= d.start < clause[1] and words(d.start, d.end) < cue for d in c.sentence.dates):
        return None  # "2,010 videos on 30 April": its own day is nearer than "the following day"
    days = [d for d in doc.dates if d.end <= cues[0].start and d.kind == "day" and d.period.start
            and len(d.period.start) == 10]
    if not days:
        return None
    return (_dt.date.fromisoformat(days[-1].period.start) + _dt.timedelta(days=1)).isoformat()


def _since_then(doc: _Doc, c: _Candidate) -> DateMention | None:
    """"It has since removed …", "ومنذ ذلك الحين": the date named last before the back-reference starts the total."""
    cues = [t for t in c.sentence.cues if t.id == "since_then" and t.end <= c.number.start]
    if not cues:
        return None
    before = [d for d in doc.dates if d.end <= cues[-1].start and d.period.start]
    return before[-1] if before else None


def _is_current_start(doc: _Doc, d: DateMention, sentence: _Sentence) -> bool:
    """"منذ بداية نوفمبر", "since the start of 2025" in a 2025 article: the start of the current month or year
    (a period to date, GUIDELINES §5), not the start of a running total."""
    if not d.period.start or len(d.period.start) > 7 or d.period.start[:4] != _current_year(doc, d):
        return False
    if len(d.period.start) == 4:
        return True  # "منذ 2025" in a 2025 article: since the start of this year
    if d.kind not in ("month", "year", "range") or _months_between(d.period) not in (None, 1, 12):
        return False
    # "since the beginning of the cooperation in February 2022" is the start of a partnership, not of the month.
    if any(t.id == "partnership" and d.start - 40 <= t.start < d.end for t in sentence.cues):
        return False
    # "since" then "the start of" right before the month or year (cue words: since + start, or منذ بداية).
    for t in sentence.cues:
        if t.id in ("since", "cumulative") and d.start - 12 <= t.start < d.end:
            gap_end = min(d.end, d.start + 40)
            if any(x.id == "start" and t.start <= x.start < gap_end and _words(_gap(doc, t.end, x.start)) <= 1
                   for x in sentence.cues):
                return True
    return False


def _is_record_horizon(doc: _Doc, d: DateMention, sentence: _Sentence) -> bool:
    """A since-date after a record cue with no figure between: "the highest since February", "أعلى رقم يتم
    تسجيله منذ فبراير"."""
    for t in sentence.cues:
        if t.id == "peak" and t.start < d.start:
            g = _gap(doc, min(t.end, d.start), d.start)
            if len(g) <= 80 and _words(g) <= 10 and not any(ch.isdigit() for ch in g):
                return True
    return False


def _sentence_dates(doc: _Doc, sentence: _Sentence) -> _SentenceDates:
    found = sentence.cache.get("dates")
    if found is not None:
        return found  # type: ignore[no-any-return]
    out = sentence.cache["dates"] = _SentenceDates([], [], [], [])
    for d in sentence.dates:
        if not (d.period.start or d.period.end):
            compared = any(t.id == "comparison" and t.end <= d.start and _words(_gap(doc, t.end, d.start)) <= 5
                           for t in sentence.cues)
            if d.unresolved and not compared:  # "مقارنة بالفترة نفسها من العام الماضي" compares, dates nothing
                out.unresolved.append(d)
            continue
        if _is_comparison_base(doc, d, sentence):
            out.comparison.append(d)
        elif (d.kind != "range" or d.period.start is None) and _starts_with_cue(doc, d, sentence, ("until",), 16):
            out.ends.append(d)
        elif _is_since(doc, d, sentence) or _until_now(doc, d, sentence) or (
                d.kind == "range" and d.period.start and d.period.end is None and d.unresolved):
            # (a range whose end cannot be resolved, "From February 2022 through the end of last quarter" undated:
            # a start with an open end, as a running total)
            if _is_record_horizon(doc, d, sentence):
                out.horizons.append(d)
            elif _starts_with_cue(doc, d, sentence, ("year_start",), 20) or _is_current_start(doc, d, sentence):
                out.year_start.append(d)
            else:
                out.since.append(d)
        elif _is_statement_date(doc, d, sentence):
            out.statement.append(d)
        else:
            out.usable.append(d)
    if out.statement and not out.usable:
        out.usable, out.statement = out.statement, []  # the only date there is: the figures' too
    return out


def _is_statement_date(doc: _Doc, d: DateMention, sentence: _Sentence) -> bool:
    """A date right after a verb of saying ("أعلنت في مايو 2023", "announced in April 2024 that"): when the
    sentence gives its figures another date, this one dates the statement only."""
    return any(t.id == "statement" and t.end <= d.start and _words(g := _gap(doc, t.end, d.start)) <= 3
               and _AT_TIME.search(g) is not None for t in sentence.cues)


# The preposition of a time adverbial right before the date: "أعلنت الشركة في مايو", "announced on Monday".
_AT_TIME = regex.compile(r"(?i)(?:^|\s)(?:في|يوم|in|on)\s*$")


def _scope_and_period(doc: _Doc, c: _Candidate, partnership_start: str | None,
                      previous: _Candidate | None = None) -> None:
    """Stage 5 for one figure (the module docstring gives the rules); `previous` is the figure before it."""
    n, sentence = c.number, c.sentence
    cue_ids = sentence.cue_ids
    clause = _clause_bounds(sentence, n.start)
    clause_cues = {t.id for t in sentence.cues if clause[0] <= t.start < clause[1]}
    dates = _sentence_dates(doc, sentence)

    def in_clause(ds: list[DateMention]) -> list[DateMention]:
        return [d for d in ds if clause[0] <= d.start < clause[1]]

    # Peak: a peak cue in the sentence, for the figures that have no period of their own in their clause.
    if "peak" in cue_ids and c.unit == "count" and _peak(doc, c, clause, clause_cues, dates):
        return
    # "منذ بداية نوفمبر" in the figure's clause: a period to date, whatever total cue stands beside it.
    own_start = in_clause(dates.year_start)
    if own_start and not in_clause(dates.since) and "same_period" not in clause_cues:
        d = _nearest(own_start, n) or own_start[0]
        c.period, c.own_date, c.period_date = Period(d.period.start, None), True, d
        return

    # A figure right after a comparison base is that base's figure ("مقارنة بالربع السابق، الذي سجل 19 مليون").
    usable = dates.usable + [
        d for d in dates.comparison if c.unit == "count" and d.end <= n.start and _words(_gap(doc, d.end, n.start)) <= 6
    ]
    long_ranges = [d for d in usable if d.kind == "range" and (_months_between(d.period) or 0) > 12]
    framing = [d for d in usable if d.kind in ("year", "quarter", "half") and d not in long_ranges]
    clause_usable = in_clause(usable)
    clause_frames = [d for d in clause_usable if d not in long_ranges]
    running = "running_total" in clause_cues or "cumulative" in clause_cues
    same_period = "same_period" in clause_cues

    if _coordinated_total(doc, c, previous, clause, clause_cues, clause_usable):
        # "وبلغ ما أزيل منذ إبرام الاتفاقية 21 مليون محتوى، وإغلاق 8 آلاف قناة": the channels are the same total's
        assert previous is not None
        c.scope, c.period, c.own_date = previous.scope, previous.period, True
        c.period_date, c.period_how = previous.period_date, previous.period_how
        return
    lost = in_clause(dates.unresolved)
    if lost and not clause_usable and not in_clause(dates.since) and not in_clause(dates.year_start):
        # "أزالت الشهر الماضي 2.1 مليون", undated: no period, never another figure's (a warning says why)
        c.period, c.own_date = Period(None, None), True
        doc.warnings.append(RecordWarning("unresolved_date", f"{lost[0].text!r}: {lost[0].unresolved}"))
        return
    following = _day_after(doc, c, clause)
    if following is not None:  # "وفي اليوم التالي 13,200 قناة", "another 9,020 the following day"
        c.period, c.own_date = Period(following, following), True
        return
    back = _since_then(doc, c) if c.unit == "count" and not in_clause(usable) and not dates.since else None
    if back is not None:  # "It has since removed 21 million items": a running total from the date named before
        c.scope, c.period, c.own_date, c.period_date = "cumulative", Period(back.period.start, None), True, back
        return
    if c.unit == "count" and not same_period:
        # The clause speaks first: a since-date or a long range in it makes a running total, a frame in it a period.
        window = in_clause(dates.since) or in_clause(long_ranges)
        if not window and not clause_frames:
            window = dates.since or long_ranges
        ends = in_clause(dates.ends) or ([] if clause_frames else dates.ends)
        if window or ((running or ends) and not clause_frames):
            # "during 2022 and since the partnership began (Feb 2022) until December 2022": the year frames it.
            if window and framing and _within(window[0].period, framing[0].period):
                c.scope, c.period, c.own_date, c.period_date = "period", framing[0].period, True, framing[0]
                return
            c.scope = "cumulative"
            if window:
                d = _nearest(window, n) or window[0]
                # "منذ 2022" is a start, not the year 2022: its own end is not the total's end.
                own_end = d.period.end if d.kind == "range" else None
                end = own_end or _end_bound(doc, sentence, d, dates)
                c.period, c.own_date, c.period_date = Period(d.period.start or partnership_start, end), True, d
            else:
                c.period = Period(partnership_start, ends[0].period.end if ends else None)
                c.own_date = bool(ends)
            return

    if same_period:
        return  # "خلال نفس الفترة": the period of the figures before it, inherited below
    if "one_day" in clause_cues and not [d for d in clause_usable if d.kind == "day"]:
        # "519 ألف قناة في يوم واحد": one day, not the year-to-date of another clause; the day the sentence names
        # before it ("On 27 Ramadan, which fell on 6 April, … in a single day") is that day
        days = [d for d in usable if d.kind == "day" and d.end <= n.start]
        if days:
            c.period, c.period_date = days[-1].period, days[-1]
        c.own_date = True
        return
    # Dates after an inclusion cue that follows the figure date the part it introduces ("1.2 مليون حساب …، بما في
    # ذلك 274 ألفاً خلال الأشهر الستة الأخيرة من 2017"), not the figure.
    incl = min((t.start for t in sentence.cues if t.id == "inclusion" and t.start >= n.end), default=None)
    if incl is not None and any(d.start > incl for d in usable):
        usable = [d for d in usable if d.start < incl]
        c.own_date = True  # the sentence's date is the part's: the figure keeps no period rather than borrow it
    d = _nearest(clause_usable, n, doc) or _nearest(usable, n) or _nearest(dates.year_start, n)
    if d is not None:
        c.period, c.own_date, c.period_date = d.period, True, d
        if d.unresolved:
            doc.warnings.append(RecordWarning("unresolved_date", f"{d.text!r}: {d.unresolved}"))


_AND_OPENS = regex.compile(r"^[\s,\u060c]*(?:\u0648|and\b)", regex.IGNORECASE)  # و / and opening the clause


def _coordinated_total(doc: _Doc, c: _Candidate, previous: _Candidate | None, clause: tuple[int, int],
                       clause_cues: set[str], clause_usable: list[DateMention]) -> bool:
    """A figure joined by "و"/"and" to the running total before it in its sentence, with no date or scope cue of its
    own, is part of the same statement: it shares that total's scope and period."""
    if previous is None or previous.sentence is not c.sentence or previous.scope != "cumulative" \
            or c.unit != "count" or clause_usable or clause_cues & {"since", "cumulative", "running_total", "until",
                                                                      "year_start", "same_period", "peak", "one_day"}:
        return False
    if not previous.number.end <= clause[0] <= c.number.start:
        return False  # the same clause: its own rules already read it
    if any(clause[0] <= d.start < clause[1] for d in c.sentence.dates):
        return False  # a date of its own, even one that cannot be resolved ("وفي يونيو وحده أزيل …")
    gap = _gap(doc, previous.number.end, c.number.start)
    return not any(ch.isdigit() for ch in gap) and bool(_AND_OPENS.match(_gap(doc, clause[0], c.number.start)))


def _peak(doc: _Doc, c: _Candidate, clause: tuple[int, int], clause_cues: set[str], dates: _SentenceDates) -> bool:
    """A record: the figure the text presents as the highest (start = end = its day, or its month) and the earlier
    record it is compared with (the horizon of "the highest since February", or the day named after it)."""
    n = c.number

    def own(ds: list[DateMention]) -> list[DateMention]:
        return [d for d in ds if clause[0] <= d.start < clause[1]]

    passed = [h for h in dates.horizons if h.end <= n.start]
    # The record cue of its clause, or the first one after it with no other figure between ("حجب 235 ألف قناة،
    # وكان هذا العدد الأعلى"), governs the figure.
    governed = "peak" in clause_cues
    later = [t for t in c.sentence.cues if t.id == "peak" and t.start >= n.end]
    if not governed and later:
        # ... when the cue's own clause reports no figure of its own ("، وهو أعلى رقم"): else the record is that one's.
        cue_clause = _clause_bounds(c.sentence, later[0].start)

        def counts(m: NumberMention, a: int, b: int) -> bool:
            return a <= m.start < b and m.kind in ("number", "percent") \
                and not any(d.start <= m.start < d.end for d in c.sentence.dates)

        # (the earlier record after the horizon, "… منذ يناير (حين حُجبت 300 ألف)", is no figure of its own)
        horizon = min((h.start for h in dates.horizons if h.start > later[0].start), default=cue_clause[1])
        reach = min(cue_clause[1], horizon)
        governed = not any(counts(m, n.end, later[0].start) or counts(m, cue_clause[0], reach)
                           for m in _numbers_in(doc, min(n.end, cue_clause[0]), max(later[0].start, reach))
                           if m is not n)
    if not governed and not passed and (own(dates.since) or own(dates.year_start) or own(dates.usable)):
        # "منذ بداية نوفمبر حجب 2.8 مليون", "against 2.9 million removed in July": a date of its own, not the record
        return False
    if passed:  # the earlier record: "… منذ فبراير، حين حُذفت 490 ألف قناة"
        h = passed[-1]
        later = [d for d in dates.usable if d.kind == "day" and h.end <= d.start and d.end <= n.start]
        start = later[-1].period.start if later else h.period.start
        c.scope, c.period, c.own_date, c.period_date = "peak", Period(start, start), True, later[-1] if later else h
        return True
    horizon_start = dates.horizons[0].start if dates.horizons else None
    days = [d for d in dates.usable if d.kind == "day" and (horizon_start is None or d.end <= horizon_start)] \
        or [d for d in dates.usable if d.kind == "month" and (horizon_start is None or d.end <= horizon_start)]
    # The record's day: one in its own clause, else the nearest before it, else after it (a day after the figure
    # that opens the next item, "…، ويوم 27 مارس، …", is that item's)
    d = _nearest(own(days), n) or _nearest([x for x in days if x.end <= n.start], n) or _nearest(days, n)
    if d is not None:
        c.scope, c.period, c.own_date, c.period_date = "peak", Period(d.period.start, d.period.start), True, d
        return True
    if dates.horizons or "one_day" in clause_cues:  # "519 ألف قناة في يوم واحد، وهو أعلى رقم منذ فبراير"
        c.scope, c.period, c.own_date = "peak", Period(None, None), True
        return True
    lost = [d for d in dates.unresolved if d.kind in ("day", "month")]
    if lost:  # the record day is named but its year cannot be fixed ("Tuesday, July 4" of two plausible years)
        c.scope, c.period, c.own_date = "peak", Period(None, None), True
        doc.warnings.append(RecordWarning("unresolved_date", f"{lost[0].text!r}: {lost[0].unresolved}"))
        return True
    return False


def _end_bound(doc: _Doc, sentence: _Sentence, since: DateMention, dates: _SentenceDates) -> str | None:
    """The end of a running total stated apart from its start ("… منذ فبراير 2022، … بحلول نهاية مارس 2025")."""
    for d in dates.ends:
        if d.start > since.end:
            return d.period.end
    # "By the end of March 2024, the partners had removed 100 million items since February 2022."
    return dates.ends[-1].period.end if dates.ends else None


def _within(inner: Period, outer: Period) -> bool:
    if not inner.start or not outer.start or not outer.end:
        return False
    end = inner.end or inner.start
    return outer.start[:4] == inner.start[:4] and end[:4] <= outer.end[:4]


def _partnership_start(doc: _Doc) -> str | None:
    """The month a partnership began (its year, when only the year is given: "أبرم اتفاقية مع المنصة عام 2022"): a
    date right after a start cue or a since-partnership cue."""
    for sentence in doc.sentences:
        starts = [t for t in sentence.cues if t.id in ("start", "cumulative")]
        for d in sentence.dates:
            if not d.period.start or d.kind not in ("day", "month", "range", "year"):
                continue
            for t in starts:
                if (t.end <= d.start and len(g := _gap(doc, t.end, d.start)) <= 60 and _words(g) <= 7) \
                        or d.start <= t.start < d.end:
                    return d.period.start[:4] if d.kind == "year" else d.period.start[:7]
    return None


def _inherit_periods(doc: _Doc, candidates: list[_Candidate]) -> None:
    """A figure with no date of its own takes the last period stated before it (else the first after it); a
    breakdown by organisation takes the period of the total it adds up to."""
    # "…, bringing the total to 21 million; these included 8,664 channels": a part named after an inclusion cue
    # shares the scope and period of the total before it.
    for prev, c in pairwise(candidates):
        if not c.own_date and c.unit == "count" and prev.unit == "count" and _included(doc, c) \
                and prev.number.start >= doc.sentences[max(0, c.sentence.index - 1)].start:
            c.scope, c.period, c.own_date = prev.scope, prev.period, True
            c.period_date, c.period_how = prev.period_date, "inclusion"
    if not candidates:
        return
    # The title's periods stand before the text: a figure no date of the text frames takes the title's.
    frames: list[DateMention] = [
        DateMention(-2, -1, d.text, d.kind, d.period, inferred=d.inferred) for d in doc.title_dates
        if d.kind in ("quarter", "half", "year", "month", "range") and not d.unresolved]
    from_title = {id(d) for d in frames}
    for sentence in doc.sentences:
        if not sentence.dates:
            continue
        sd = _sentence_dates(doc, sentence)
        frames.extend(d for d in sd.usable if d.kind in ("quarter", "half", "year", "month", "range")
                      and not d.unresolved and (d.period.start != doc.published))
        frames.extend(d for d in sd.year_start if not d.unresolved)  # "since the start of the year": to date
    frames.sort(key=lambda d: d.start)
    # The last frame ending before a figure and the first starting after it, found by bisection (a scan of every
    # frame per figure made a long text quadratic): suffix minima of the ends and prefix maxima of the starts are
    # sorted, and the last i with min(ends[i:]) <= x is the last frame with end <= x (likewise for the starts).
    suffix_min_end = [d.end for d in frames]
    for i in range(len(frames) - 2, -1, -1):
        suffix_min_end[i] = min(suffix_min_end[i], suffix_min_end[i + 1])
    prefix_max_start = list(accumulate((d.start for d in frames), max))
    for c in candidates:
        if c.own_date or c.scope != "period":
            continue
        i = bisect_right(suffix_min_end, c.number.start) - 1
        j = bisect_left(prefix_max_start, c.number.end)
        d = frames[i] if i >= 0 else (frames[j] if j < len(frames) else None)
        if d is not None:
            c.period, c.period_date = d.period, d
            c.period_how = "title" if id(d) in from_title else "inherited"
    # Breakdowns by organisation: the total they add up to gives their period. A breakdown is a run of
    # organisation figures with no total between them.
    totals = [c for c in candidates if c.organization is None and c.own_date and c.scope == "period"]
    runs: list[list[_Candidate]] = []
    for c in candidates:
        if c.organization is None:
            runs.append([])
        elif not c.own_date and c.scope == "period":
            if not runs:
                runs.append([])
            runs[-1].append(c)
    # The totals of each metric sorted by value, so that the totals close to a run's sum (within 2 %) are looked up
    # in a value window instead of a scan of every total per run (quadratic in a long article).
    # Per metric: the distinct total values, sorted, each with the first total stating it (the nearest total, ties
    # to the first, is all the rule asks; many equal totals would otherwise widen every window).
    first: dict[str, dict[int, int]] = {}
    for k, t in enumerate(totals):
        first.setdefault(t.metric, {}).setdefault(int(t.number.value), k)
    by_metric = {m: sorted(f.items()) for m, f in first.items()}
    for run in runs:
        found: Period | None = None
        found_date: DateMention | None = None
        for metric in sorted({c.metric for c in run}):
            parts = [c for c in run if c.metric == metric]
            s = sum(int(c.number.value) for c in parts)
            # The total nearest the sum: an exact 7,012,385 beside a rounded "over 7 million" is the one it adds to.
            values = by_metric.get(metric, [])
            lo = bisect_left(values, (int(s / 1.02) - 1, -1))
            hi = bisect_right(values, (int(s / 0.98) + 1, len(totals)))
            near = [totals[k] for b, k in values[lo:hi] if _close(s, b)]
            if near:
                t = min(near, key=lambda t: (abs(int(t.number.value) - s), t.order))
                found, found_date = t.period, t.period_date
                for c in parts:
                    c.period, c.period_date, c.period_how = t.period, t.period_date, "breakdown"
        if found is not None:
            # A period stated once for the breakdown belongs to every figure in it (its channels as its content).
            for c in run:
                c.period, c.period_date, c.period_how = found, found_date, "breakdown"


def _included(doc: _Doc, c: _Candidate) -> bool:
    """An inclusion cue ("these included", "من بينها") opens the figure's clause, before the figure."""
    clause = _clause_bounds(c.sentence, c.number.start)
    return any(t.id == "inclusion" and clause[0] <= t.start and t.end <= c.number.start for t in c.sentence.cues)


def _close(a: int, b: int) -> bool:
    return a == b or (b > 0 and abs(a - b) / b < 0.02)


