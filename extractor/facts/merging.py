"""Merging (stage 5): one fact per figure. Statements that agree (equal, or one a rounding or hedge of the
other) with the same metric, organisation, scope and a compatible period are one fact, the most precise kept."""

from __future__ import annotations

from bisect import bisect_left, bisect_right, insort
from functools import lru_cache

from ..model import NumberMention, Period
from ..normalise import normalise
from .document import _Candidate


# --- step 5: one fact per figure ------------------------------------------------------------------------------
@lru_cache(maxsize=4096)
def _precision(n: NumberMention) -> int:
    """The unit of the last digit of a count as written: 28,495,947 → 1; 28.5 مليون → 100000; 10 ملايين → 1000000;
    a figure in words counts to its last non-zero digit."""
    v = int(n.value)
    # int() reads the digits of every script; only an HTML entity (`&#49;`) needs the normaliser to become one.
    written_text = normalise(n.text).text if "&" in n.text else n.text
    digits = "".join(ch for ch in written_text if ch.isdecimal())
    written = int(digits) if digits else 0
    if written and v != written and v % written == 0:
        return v // written  # digits times a scale word: precise to the scale's share of the last digit
    p = 1
    while v and v % (p * 10) == 0:
        p *= 10
    return p


def _agree(a: _Candidate, b: _Candidate) -> bool:
    """Whether two statements can be the same figure: equal, or the rougher one a rounding or hedge of the other."""
    if a.unit != b.unit:
        return False
    va, vb = float(a.number.value), float(b.number.value)
    if va == vb:
        return True
    if a.unit == "percent":
        return False
    rough, fine = (a, b) if _precision(a.number) >= _precision(b.number) else (b, a)
    if fine.number.qualifier == "more_than" and rough.number.qualifier != "more_than" \
            and _precision(fine.number) == _precision(rough.number):
        rough, fine = fine, rough  # "28.5 مليون" and "ما يزيد عن 4ر28 مليون": the hedged one is the bound
    p = _precision(rough.number)
    if p < 1000:
        return False
    vr, vf = float(rough.number.value), float(fine.number.value)
    if rough.number.qualifier == "more_than":
        # "أكثر من 500 ألف" is a round lower bound: a figure up to a tenth above it is the same statement.
        return vr <= vf < vr + max(p, vr / 10)
    return abs(vr - vf) < p


def _compatible(a: _Candidate, b: _Candidate) -> bool:
    if not a.own_date or not b.own_date:
        return True  # a headline figure without a date of its own is the same statement as its dated twin
    if a.period == Period() or b.period == Period():
        return True  # nor is one whose clause dates it to no period ("… in a single day", no day named)
    if a.number.value == b.number.value and a.unit == "count" and _precision(a.number) < 1000 <= a.number.value:
        return True  # a figure written in full twice (15,021,951 "during 2022" and "since February") is one figure

    def ok(x: str | None, y: str | None) -> bool:
        return x is None or y is None or x.startswith(y) or y.startswith(x)

    return a.scope == b.scope and ok(a.period.start, b.period.start) and ok(a.period.end, b.period.end)


def _better(a: _Candidate, b: _Candidate) -> _Candidate:
    pa, pb = _precision(a.number), _precision(b.number)
    if pa != pb:
        return a if pa < pb else b
    ra, rb = a.reference, b.reference
    if ra != rb:
        return b if ra else a  # "من بين الـ14 مليون" refers back to a figure: it does not restate its hedge
    ha, hb = a.number.qualifier != "exact", b.number.qualifier != "exact"
    if ha != hb:
        return b if ha else a
    return a if a.order <= b.order else b


def _merge(candidates: list[_Candidate]) -> list[_Candidate]:
    """Each candidate merges into the first kept statement it can be (same metric and organisation, agreeing,
    compatible), else is kept. The kept statements are indexed by (metric, organisation, unit), then by precision,
    sorted by value: `_agree` needs equal values, or |a − b| below the rougher precision (≥ 1000) or, for a
    'more than' bound, a tenth of the smaller value, so only a value window of each precision group is tried — in
    kept order, as a scan of every kept statement would (that scan made a long article with many distinct figures
    quadratic)."""
    kept: list[_Candidate] = []
    index: dict[tuple[str, str | None, str], dict[tuple[int, bool], list[tuple[float, int]]]] = {}

    def key(c: _Candidate) -> tuple[int, bool]:
        """The group of a kept statement: its precision, and whether it is a 'more than' bound."""
        return (_precision(c.number) if c.unit == "count" else 0, c.number.qualifier == "more_than")

    for c in candidates:
        groups = index.setdefault((c.metric, c.organization, c.unit), {})
        vc, (pc, bound) = float(c.number.value), key(c)
        near: list[int] = []
        for (p, group_bound), entries in groups.items():
            reach = 0.0
            if c.unit == "count" and max(p, pc) >= 1000:
                # A 'more than' bound reaches a tenth of its value above it, and it is the smaller of the two.
                reach = max(p, pc, abs(vc) / 10) if bound or group_bound else max(p, pc)
            lo = bisect_left(entries, (vc - reach, -1))
            hi = bisect_right(entries, (vc + reach, len(kept)))
            near.extend(i for _, i in entries[lo:hi])
        for i in sorted(near):
            k = kept[i]
            if _agree(k, c) and _compatible(k, c) \
                    and (k.sentence is not c.sentence or k.number.value == c.number.value):
                winner = _better(k, c)
                other = c if winner is k else k
                # The scope and period come from the statement that dated itself, a period before a running total.
                dated = winner if winner.own_date or not other.own_date else other
                if winner.own_date and other.own_date and winner.scope != other.scope:
                    dated = winner if winner.scope == "period" else other if other.scope == "period" else winner
                    undated = Period(None, None)
                    if dated.period == undated and (other if dated is winner else winner).period != undated:
                        dated = other if dated is winner else winner  # "في يوم واحد" with no day: its twin dates it
                winner.scope = dated.scope
                winner.period = Period(dated.period.start or other.period.start, dated.period.end or other.period.end)
                winner.period_date, winner.period_how = dated.period_date, dated.period_how
                winner.own_date = winner.own_date or other.own_date
                if winner is not k:
                    old = groups[key(k)]
                    del old[bisect_left(old, (float(k.number.value), i))]
                    insort(groups.setdefault((pc, bound), []), (vc, i))
                kept[i] = winner
                break
        else:
            kept.append(c)
            insort(groups.setdefault((pc, bound), []), (vc, len(kept) - 1))
    return sorted(kept, key=lambda c: c.order)


