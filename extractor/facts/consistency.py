"""Consistency (stage 6): warnings, never corrections: organisation figures that do not add up to their total,
cumulative totals that do not add up, a weekday that does not match its date, relative dates in undated articles."""

from __future__ import annotations

from bisect import bisect_left
from itertools import pairwise

from ..model import RecordWarning
from ..normalise import normalise
from .document import _Candidate, _Doc, _gap, _sentence_at
from .merging import _precision

_INFERRED = {"weekday": "its weekday", "hijri_pair": "the Hijri date beside it",
             "after_start": "the start of the running total before it"}


# --- step 6: consistency warnings -----------------------------------------------------------------------------
def _rounding(c: _Candidate) -> int:
    """How far a total written as a round figure may stand from the exact sum of its parts (half its last unit
    counts as rounding, a whole unit as a writer's rounding down): 0 for a figure written to the unit."""
    digits = "".join(ch for ch in normalise(c.number.text).text if ch.isdigit())
    if digits and int(digits) == int(c.number.value):
        return 1  # written out in digits ("1,000,000"): exact, whatever its zeros
    p = _precision(c.number)
    return p if p >= 1000 else 1


def _consistency(doc: _Doc, facts: list[_Candidate]) -> None:
    groups: dict[tuple[str, str, str | None, str | None], list[_Candidate]] = {}
    for c in facts:
        groups.setdefault((c.metric, c.scope, c.period.start, c.period.end), []).append(c)
    for (metric, scope, ps, pe), members in groups.items():
        totals = [c for c in members if c.organization is None]
        parts = [c for c in members if c.organization is not None]
        hedged = any(c.number.qualifier != "exact" for c in totals + parts)
        if len(totals) == 1 and len(parts) >= 2 and len({c.organization for c in parts}) == len(parts) and not hedged:
            s = sum(int(c.number.value) for c in parts)
            # A rounded total ("6 ملايين", "12 million") agrees with exact parts that round to it: no contradiction.
            if s != int(totals[0].number.value) and abs(s - int(totals[0].number.value)) >= _rounding(totals[0]):
                for c in totals + parts:
                    c.doubts.add("conflicts_with_total")
                doc.warnings.append(RecordWarning(
                    "organisations_do_not_add_up",
                    f"{metric} {scope} {ps}..{pe}: organisations add up to {s:,}, the stated total is "
                    f"{int(totals[0].number.value):,}"))
    # Cumulative(previous) + period = cumulative(new), where all three are stated.
    cumulatives = sorted((c for c in facts if c.scope == "cumulative" and c.organization is None and c.period.end),
                         key=lambda c: c.period.end or "")
    # The period figures by (metric, end), in fact order: one lookup per pair instead of a scan of every fact.
    by_end: dict[tuple[str, str | None], list[_Candidate]] = {}
    for p in facts:
        if p.scope == "period" and p.organization is None:
            by_end.setdefault((p.metric, p.period.end), []).append(p)
    for older, newer in pairwise(cumulatives):
        if older.metric != newer.metric:
            continue
        for p in by_end.get((older.metric, newer.period.end), []):
            exact = p.number.qualifier == older.number.qualifier == newer.number.qualifier == "exact"
            if exact:
                if int(older.number.value) + int(p.number.value) != int(newer.number.value):
                    for c in (older, p, newer):
                        c.doubts.add("conflicts_with_total")
                    doc.warnings.append(RecordWarning(
                        "cumulative_does_not_add_up",
                        f"{older.metric}: {int(older.number.value):,} + {int(p.number.value):,} ≠ "
                        f"{int(newer.number.value):,}"))
    for d in doc.dates:
        if d.weekday_matches is False:
            doc.warnings.append(RecordWarning("weekday_mismatch", f"{d.text!r}: the weekday does not match the date"))
    if facts:
        # A year the text does not write, fixed by a weekday or a Hijri partner ("الجمعة 13 سبتمبر" → 2024): say so.
        starts = [x.start for x in doc.sentences]
        for d in doc.dates:
            sentence = _sentence_at(doc.sentences, starts, d.start) if d.inferred else None
            if sentence is not None and sentence.start in doc.removal_sentences:
                how = _INFERRED.get(d.inferred, d.inferred)
                doc.warnings.append(RecordWarning(
                    "year_inferred", f"{d.text!r} was read as {d.period.start}..{d.period.end}, its year from {how}"))
    if doc.published is None and facts:
        # "العام الحالي" in an undated article: the dates stage took the latest year the text names. Say so.
        relative = sorted({t.start for t in doc.terms if t.lexicon == "cues" and t.id == "relative_time"})
        starts = [x.start for x in doc.sentences]
        for d in doc.dates:
            sentence = _sentence_at(doc.sentences, starts, d.start)
            if sentence is None or sentence.start not in doc.removal_sentences:
                continue  # only the dates of sentences that report figures
            if (d.period.start or d.period.end) and not any(ch.isdigit() for ch in _gap(doc, d.start, d.end)) \
                    and (k := bisect_left(relative, d.start)) < len(relative) and relative[k] < d.end:
                doc.warnings.append(RecordWarning(
                    "relative_date_without_published",
                    f"{d.text!r} was read as {d.period.start}..{d.period.end} from the years the text names; "
                    "the article has no publication date"))


