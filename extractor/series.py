"""Many records in, one time series out: reprints fused, disagreements kept as conflicts, cross-period checks flagged.

A press release is reprinted by many outlets, each rounding or hedging its figures differently. `fuse(records)`
groups every fact by (partners, platform, metric, unit, organisation, scope, period) and decides, inside each
group, which statements can be the same figure.

Agreement. Every statement stands for a closed interval of true values, derived from its value, qualifier and
*written precision* (the place of the last digit it writes: `28.5 مليون` → 100,000; `28,495,947` → 1; a hedged round
figure `أكثر من 1,200` → 100):

- exact: what rounds *or truncates* to the value at that precision, `[v − p/2, v + p − 1]`. Truncation counts because
  press copy routinely cuts figures down (`4ر28 مليون` for 28,495,947; `93.9 million` for 93,999,551); a figure
  written in full (p = 1) agrees only with itself;
- more_than / at_least: `[v, v + p]`; less_than: `[v − p, v]`; approx: `[v − p, v + p]`.

Statements are clustered so that every cluster's intervals share a common value (most precise statements first; a
rounded one joins the best-supported cluster it fits). One cluster: the sources agree. More: a conflict, kept with
every source, never averaged. The winning cluster has the most distinct articles (then the most precise statement,
then the earliest publication); its most precise statement gives the row's value and qualifier, so the exact
value wins whenever any source has it.

Cut-off figures never win: a statement is suspect when its record carries a truncation warning naming it, or when
its digits are a proper prefix of a bigger figure in the same group (`14` beside `14,064,489`).

Periods. A year-only start `2025` is the same as `2025-01` (and `2025` as an end the same as `2025-12`): such
statements always share a row. Other differences of precision may or may not be the same period (June vs 17 June;
"since 2022" vs "since February 2022" for a cumulative total; an open `null` bound): bounds are compared at the
coarser precision (a day falls in its month, a month in its year, a cumulative start `2022` in any month of 2022)
and the less precise statement joins the more precise group only when exactly one compatible group has a figure it
agrees with. Otherwise it keeps its own row, so a month total never disappears into a day inside it.

Partners and platforms. A record that names no partner, or a fact with no platform (its record naming exactly one),
joins the one partner set / platform that the same (metric, organisation, scope) is reported under, when unique.

Confidence. Each row shows `lowest_confidence`, the lowest confidence among its supporting facts (a fact a reviewer
judged through `--corrections`, extractor/review.py, counts 1.0; records of a rasd before confidences give none).
It says which rows to check first; nothing is weighted, kept or dropped by it.

Cross-period checks (each a `Flag` on the rows involved): the parts of a period that tile it (quarters of a year,
months of a quarter) not adding up to its stated total, or partial parts already exceeding it
(`parts_sum_mismatch`, `parts_exceed_total`); a cumulative total that is not the previous cumulative (same start
month) plus the figure for the months in between (`cumulative_mismatch`); a per-organisation figure above the total
of the same period, or organisations together above it (`organization_above_total`, `organizations_exceed_total`).
"""

from __future__ import annotations

import csv
import io
import json
import os
import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from fractions import Fraction
from itertools import pairwise
from pathlib import Path
from typing import Any, TextIO

from .errors import InputError
from .model import ArticleRecord, Period

# The key of a fact dict that extractor/review.py's apply_corrections sets on the facts a reviewer judged
# ("right", or "corrected: period_start, …"); records written by rasd batch never carry it.
REVIEW_KEY = "reviewed"

# Record warning codes that say a figure (or the text) was cut off.
_CUT_OFF_MARKERS = ("truncat", "cut_off", "cutoff", "partial")

Exact = int | Fraction  # precisions and interval bounds: ints for counts, fractions for percents
Key = tuple[tuple[str, ...], str | None, str, str, str | None, str]  # partners, platform, metric, unit, org, scope


# --- the data -------------------------------------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class Statement:
    """One fact as one article states it, with what fusion needs to judge it."""

    record_id: str
    url: str | None
    title: str | None
    published: str | None
    language: str | None
    value: int | float
    qualifier: str
    precision: Exact
    period: Period
    evidence_text: str | None
    sentence: str | None
    cut_off: str | None = None  # why this figure cannot win a conflict (it was cut off), else None
    confidence: float | None = None  # the fact's confidence (None: a record of a rasd before confidences)
    doubts: tuple[str, ...] = ()
    reviewed: str | None = None  # a reviewer's verdict applied by --corrections: "right" or "corrected: <fields>"

    @property
    def interval(self) -> tuple[Exact, Exact]:
        """The closed range of true values this statement is consistent with."""
        return value_interval(self.value, self.qualifier, self.precision, integer=isinstance(self.value, int))


@dataclass(frozen=True, slots=True)
class Reading:
    """A set of statements that agree: one value, supported by some articles."""

    value: int | float
    qualifier: str
    precision: Exact
    low: Exact
    high: Exact
    statements: tuple[Statement, ...]

    @property
    def article_ids(self) -> tuple[str, ...]:
        """The distinct record ids stating this reading, sorted."""
        return tuple(sorted({s.record_id for s in self.statements}))

    @property
    def articles(self) -> int:
        """How many distinct articles state this reading."""
        return len(self.article_ids)

    @property
    def first_published(self) -> str | None:
        """The earliest known publication date among its articles."""
        dates = [s.published for s in self.statements if s.published]
        return min(dates) if dates else None

    @property
    def cut_off(self) -> bool:
        """True when every statement of this reading is a cut-off figure."""
        return all(s.cut_off for s in self.statements)

    @property
    def lowest_confidence(self) -> float | None:
        """The lowest confidence among its statements (a reviewed fact counts 1.0); None when none has one."""
        known = [1.0 if s.reviewed else s.confidence for s in self.statements
                 if s.reviewed or s.confidence is not None]
        return min(known) if known else None

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready summary of the reading with its sources."""
        return {
            "value": self.value, "qualifier": self.qualifier, "articles": self.articles,
            "article_ids": list(self.article_ids), "first_published": self.first_published,
            "cut_off": self.cut_off, "lowest_confidence": self.lowest_confidence,
            "sources": [_statement_dict(s) for s in self.statements],
        }


@dataclass(frozen=True, slots=True)
class SeriesRow:
    """The best-supported value for one (partners, platform, metric, organisation, scope, period)."""

    partners: tuple[str, ...]
    platform: str | None
    metric: str
    unit: str
    organization: str | None
    scope: str
    period: Period
    reading: Reading
    others: tuple[Reading, ...] = ()  # disagreeing readings (a conflict), best-supported first

    @property
    def value(self) -> int | float:
        """The row's value: the most precise statement of the winning reading."""
        return self.reading.value

    @property
    def qualifier(self) -> str:
        """The qualifier of that statement."""
        return self.reading.qualifier

    @property
    def articles(self) -> int:
        """How many distinct articles support the value."""
        return self.reading.articles

    @property
    def article_ids(self) -> tuple[str, ...]:
        """The supporting record ids."""
        return self.reading.article_ids

    @property
    def first_published(self) -> str | None:
        """The earliest publication date among the supporting articles."""
        return self.reading.first_published

    @property
    def sources(self) -> tuple[Statement, ...]:
        """The supporting statements."""
        return self.reading.statements

    @property
    def lowest_confidence(self) -> float | None:
        """The lowest confidence among the supporting facts (shown, never used to weight anything)."""
        return self.reading.lowest_confidence

    @property
    def conflict(self) -> bool:
        """True when some source states a figure that is not a rounding or hedge of the value."""
        return bool(self.others)


@dataclass(frozen=True, slots=True)
class Flag:
    """A cross-period inconsistency (or a row resting only on a cut-off figure); `rows` index `Series.rows`."""

    code: str
    message: str
    rows: tuple[int, ...]


@dataclass(frozen=True, slots=True)
class RecordNote:
    """A warning carried by an input record, kept for the report."""

    record_id: str
    url: str | None
    code: str
    message: str


@dataclass(frozen=True, slots=True)
class Series:
    """The fused time series: rows, their conflicts, cross-period flags, and the input records' warnings."""

    rows: tuple[SeriesRow, ...]
    flags: tuple[Flag, ...] = ()
    warnings: tuple[RecordNote, ...] = ()
    records: int = 0
    facts: int = 0
    _flags_by_row: dict[int, list[Flag]] = field(default_factory=dict, repr=False, compare=False)

    @property
    def conflicts(self) -> list[SeriesRow]:
        """The rows whose sources disagree."""
        return [r for r in self.rows if r.conflict]

    def flags_of(self, index: int) -> list[Flag]:
        """The flags that concern row `index`."""
        if not self._flags_by_row and self.flags:
            for f in self.flags:
                for i in f.rows:
                    self._flags_by_row.setdefault(i, []).append(f)
        return list(self._flags_by_row.get(index, []))

    def to_dicts(self) -> list[dict[str, Any]]:
        """One JSON-ready object per row, with its sources, conflicting readings and flags."""
        out = []
        for i, r in enumerate(self.rows):
            out.append({
                "row": i, "partners": list(r.partners), "platform": r.platform, "metric": r.metric, "unit": r.unit,
                "organization": r.organization, "scope": r.scope, "period": r.period.to_dict(),
                "value": r.value, "qualifier": r.qualifier, "articles": r.articles,
                "article_ids": list(r.article_ids), "first_published": r.first_published,
                "lowest_confidence": r.lowest_confidence, "status": row_status(r, self.flags_of(i)),
                "sources": [_statement_dict(s) for s in r.sources],
                "conflicts": [o.to_dict() for o in r.others],
                "flags": [{"code": f.code, "message": f.message, "rows": list(f.rows)} for f in self.flags_of(i)],
            })
        return out

    def write_jsonl(self, out: TextIO) -> None:
        """Write one JSON object per row."""
        for d in self.to_dicts():
            out.write(json.dumps(d, ensure_ascii=False) + "\n")

    def write_csv(self, out: TextIO) -> None:
        """Write one CSV row per series row; conflicts and flags summarised in their own columns."""
        w = csv.writer(out, lineterminator="\n")
        w.writerow(CSV_COLUMNS)
        for i, r in enumerate(self.rows):
            flags = self.flags_of(i)
            w.writerow([
                i, row_status(r, flags), " ".join(r.partners), r.platform or "", r.metric, r.unit,
                r.organization or "", r.scope, r.period.start or "", r.period.end or "", r.value, r.qualifier,
                r.articles, " ".join(r.article_ids), r.first_published or "",
                "" if r.lowest_confidence is None else r.lowest_confidence,
                "; ".join(f"{o.value} {o.qualifier} ({' '.join(o.article_ids)}){' cut-off' if o.cut_off else ''}"
                          for o in r.others),
                "; ".join(f"{f.code}: {f.message}" for f in flags),
            ])


CSV_COLUMNS = ("row", "status", "partners", "platform", "metric", "unit", "organization", "scope", "period_start",
               "period_end", "value", "qualifier", "articles", "article_ids", "first_published", "lowest_confidence",
               "conflicts", "flags")


def row_status(row: SeriesRow, flags: Sequence[Flag]) -> str:
    """`conflict`, `flagged` or `ok`: how much the row can be trusted at a glance."""
    if row.conflict:
        return "conflict"
    return "flagged" if flags else "ok"


def _statement_dict(s: Statement) -> dict[str, Any]:
    return {"id": s.record_id, "url": s.url, "published": s.published, "value": s.value, "qualifier": s.qualifier,
            "period": s.period.to_dict(), "text": s.evidence_text, "sentence": s.sentence, "cut_off": s.cut_off,
            "confidence": s.confidence, "doubts": list(s.doubts), "reviewed": s.reviewed}


# --- precision and intervals ----------------------------------------------------------------------------------
def _cap_two_digits(v: int, p: int) -> int:
    """Keep at least two significant digits: `30,000,000` alone is read as precise to a million, not ten."""
    return min(p, 10 ** max(0, len(str(v)) - 2))


def _trailing_power(v: int) -> int:
    p = 1
    while v and v % (p * 10) == 0 and p < 10**12:
        p *= 10
    return p


def written_precision(value: int | float, qualifier: str, text: str | None, unit: str = "count") -> Exact:
    """The place of the last digit a statement writes (1 for a figure written in full), from its value and text."""
    if unit != "count" or not isinstance(value, int):
        exp = Fraction(str(value)).limit_denominator(10**6)
        p = Fraction(1)
        while (exp / p).denominator != 1 and p > Fraction(1, 10**6):
            p /= 10
        return p
    v = abs(value)
    if v == 0:
        return 1
    p0 = _trailing_power(v)
    text = (text or "").strip()
    if not text:
        p = _cap_two_digits(v, p0)
    elif not any(ch.isalpha() for ch in text):
        p = 1  # digits only: written in full
    else:
        written = sum(ch.isdigit() for ch in text)
        if written == 0:
            p = p0  # all in words (مليونان ونصف): precise to its last non-zero place
        else:
            p = min(p0, 10 ** max(0, len(str(v)) - written))
    if qualifier != "exact":
        # a hedge around a round figure is a rounding of it (أكثر من 1,200 for 1,254)
        p = max(p, _cap_two_digits(v, p0))
    return p


def value_interval(value: int | float, qualifier: str, precision: Exact,
                   integer: bool = True) -> tuple[Exact, Exact]:
    """The closed range of true values a statement of `value` at `precision` with `qualifier` is consistent with."""
    v: Exact = int(value) if integer else Fraction(str(value))
    p = precision
    if qualifier in ("more_than", "at_least"):
        return v, v + p
    if qualifier == "less_than":
        return v - p, v
    if qualifier == "approx":
        return v - p, v + p
    if integer:  # rounds (half up or down) or truncates to v; p = 1 is the point v
        return v - (p // 2), v + p - 1
    return v - p / 2, v + p / 2 - p / 1000


# --- reading records ------------------------------------------------------------------------------------------
def _as_dict(record: ArticleRecord | dict[str, Any], where: str) -> dict[str, Any]:
    if isinstance(record, ArticleRecord):
        return record.to_dict()
    if not isinstance(record, dict):
        raise InputError(f"{where}: a record must be a JSON object, not {type(record).__name__}")
    return record


def read_records(paths: Iterable[str | os.PathLike[str]]) -> Iterator[dict[str, Any]]:
    """Records from files in every format `rasd batch` writes (.jsonl, .json, .csv, .parquet; see records_io);
    anything that is not records is refused with an InputError."""
    from .records_io import read_records as _read

    return _read(paths)


# --- periods --------------------------------------------------------------------------------------------------
def _bound_parts(b: str | None) -> tuple[int, ...] | None:
    if not b:
        return None
    try:
        return tuple(int(x) for x in b.split("-"))
    except ValueError:
        return None


def _bound_compatible(coarse: str | None, fine: str | None, *, end: bool, loose_year: bool) -> bool:
    """Whether bound `fine` is `coarse` stated as or more precisely (None = unstated, compatible with anything)."""
    if coarse is None:
        return True
    c, f = _bound_parts(coarse), _bound_parts(fine)
    if c is None or f is None or len(c) > len(f):
        return False
    if len(c) == 1 and len(f) > 1 and not loose_year:
        return f[0] == c[0] and f[1] == (12 if end else 1)
    return f[: len(c)] == c


def _canonical(p: Period) -> tuple[str | None, str | None]:
    """The period with year-only bounds written as months (start `2025` → `2025-01`, end `2025` → `2025-12`)."""
    start = f"{p.start}-01" if p.start and len(p.start) == 4 else p.start
    end = f"{p.end}-12" if p.end and len(p.end) == 4 else p.end
    return start, end


def _precision_score(p: Period) -> int:
    return sum(len(_bound_parts(b) or ()) for b in (p.start, p.end))


def period_refines(coarse: Period, fine: Period, scope: str) -> bool:
    """Whether `fine` states the same period as `coarse`, at least as precisely (see the module doc)."""
    return (_bound_compatible(coarse.start, fine.start, end=False, loose_year=scope == "cumulative")
            and _bound_compatible(coarse.end, fine.end, end=True, loose_year=False))


def month_span(p: Period, scope: str = "period") -> tuple[int, int] | None:
    """The period as (first month, last month) indices (year*12 + month − 1), or None when not month-aligned."""
    s, e = _bound_parts(p.start), _bound_parts(p.end)
    if s is None or e is None:
        return None
    if len(s) == 1:
        s = (s[0], 1)
    elif len(s) == 3 and scope != "cumulative":
        return None
    if len(e) == 1:
        e = (e[0], 12)
    elif len(e) == 3:
        return None
    return s[0] * 12 + s[1] - 1, e[0] * 12 + e[1] - 1


def _month_label(i: int) -> str:
    return f"{i // 12:04d}-{i % 12 + 1:02d}"


# --- fusion ---------------------------------------------------------------------------------------------------
def _is_cut_off_code(code: str) -> bool:
    return any(m in code.lower() for m in _CUT_OFF_MARKERS)


def _digits(v: int | float) -> str:
    return str(int(v)) if isinstance(v, int) or float(v).is_integer() else ""


_QUOTED = re.compile(r"'([^']+)'|\"([^\"]+)\"|\u00ab([^\u00bb]+)\u00bb")
_NUMBER_TOKEN = re.compile(r"\d+(?:[.,\u066b\u066c]\d+)*")


def _names_figure(message: str, text: str | None, value: int | float) -> bool:
    """Whether a cut-off warning's message names this figure: its quoted text, else a number token equal to it."""
    quoted = [next(g for g in m.groups() if g) for m in _QUOTED.finditer(message)]
    candidates = quoted or _NUMBER_TOKEN.findall(message)
    digits = _digits(value)
    for c in candidates:
        c = c.strip()
        if (text and c == text.strip()) or (digits and "".join(ch for ch in c if ch.isdigit()) == digits):
            return True
    return False


def _statements(records: Iterable[ArticleRecord | dict[str, Any]]) -> tuple[
        list[tuple[Key, Statement]], list[RecordNote], int]:
    out: list[tuple[Key, Statement]] = []
    notes: list[RecordNote] = []
    seen: set[tuple[str, str | None]] = set()
    n = 0
    for i, raw in enumerate(records):
        rec = _as_dict(raw, f"record {i}")
        rid = str(rec.get("id") or f"#{i}")
        url = rec.get("url")
        if (rid, url) in seen:  # the same article read twice (e.g. two runs over one archive) counts once
            continue
        seen.add((rid, url))
        n += 1
        warnings = rec.get("warnings") or []
        cut_msgs: list[str] = []
        for w in warnings:
            if isinstance(w, dict):
                code, msg = str(w.get("code", "")), str(w.get("message", ""))
                notes.append(RecordNote(rid, url, code, msg))
                if _is_cut_off_code(code):
                    cut_msgs.append(msg)
        platforms = rec.get("platforms") or []
        partners = tuple(sorted(set(rec.get("partners") or [])))
        facts = rec.get("facts") or []
        if not isinstance(facts, list):
            raise InputError(f"record {rid}: 'facts' must be a list")
        for j, fd in enumerate(facts):
            if not isinstance(fd, dict):
                raise InputError(f"record {rid}: fact {j} must be an object")
            try:
                metric, value, qualifier = fd["metric"], fd["value"], fd.get("qualifier") or "exact"
                unit, scope = fd.get("unit") or "count", fd.get("scope") or "period"
                per = fd.get("period") or {}
            except KeyError as exc:
                raise InputError(f"record {rid}: fact {j}: missing key {exc}") from None
            if isinstance(value, bool) or not isinstance(value, int | float):
                raise InputError(f"record {rid}: fact {j}: 'value' must be a number")
            if unit == "count" and isinstance(value, float) and value.is_integer():
                value = int(value)
            ev = fd.get("evidence") or {}
            text = ev.get("text") if isinstance(ev, dict) else None
            sentence = ev.get("sentence") if isinstance(ev, dict) else None
            platform = fd.get("platform") or (platforms[0] if len(platforms) == 1 else None)
            cut = next((f"record warning: {m}" for m in cut_msgs if _names_figure(m, text, value)), None)
            conf = fd.get("confidence")
            if conf is not None and (isinstance(conf, bool) or not isinstance(conf, int | float)):
                raise InputError(f"record {rid}: fact {j}: 'confidence' must be a number")
            doubts = fd.get("doubts") or ()
            if not isinstance(doubts, list | tuple) or not all(isinstance(d, str) for d in doubts):
                raise InputError(f"record {rid}: fact {j}: 'doubts' must be a list of codes")
            review = fd.get(REVIEW_KEY)
            stmt = Statement(
                record_id=rid, url=url, title=rec.get("title"), published=rec.get("published"),
                language=rec.get("language"), value=value, qualifier=qualifier,
                precision=written_precision(value, qualifier, text, unit), period=Period(per.get("start"),
                                                                                        per.get("end")),
                evidence_text=text, sentence=sentence, cut_off=cut,
                confidence=None if conf is None else float(conf), doubts=tuple(doubts),
                reviewed=review if isinstance(review, str) else None)
            out.append(((partners, platform, metric, unit, fd.get("organization"), scope), stmt))
    return out, notes, n


def _adopt_unique(items: list[tuple[Key, Statement]]) -> list[tuple[Key, Statement]]:
    """Give partner-less records and platform-less facts the unique partner set / platform of their series."""
    partners_of: dict[tuple[Any, ...], set[tuple[str, ...]]] = defaultdict(set)
    platform_of: dict[tuple[Any, ...], set[str]] = defaultdict(set)
    for (partners, platform, metric, unit, org, scope), _ in items:
        if partners:
            partners_of[(platform, metric, unit, org, scope)].add(partners)
        if platform:
            platform_of[(partners, metric, unit, org, scope)].add(platform)
    out = []
    for (partners, platform, metric, unit, org, scope), s in items:
        if not platform and len(platform_of[(partners, metric, unit, org, scope)]) == 1:
            platform = next(iter(platform_of[(partners, metric, unit, org, scope)]))
        if not partners and len(partners_of[(platform, metric, unit, org, scope)]) == 1:
            partners = next(iter(partners_of[(platform, metric, unit, org, scope)]))
        out.append(((partners, platform, metric, unit, org, scope), s))
    return out


def _overlap(a: tuple[Exact, Exact], b: tuple[Exact, Exact]) -> tuple[Exact, Exact] | None:
    lo, hi = max(a[0], b[0]), min(a[1], b[1])
    return (lo, hi) if lo <= hi else None


def _statement_order(s: Statement) -> tuple[Any, ...]:
    return (s.cut_off is not None, s.precision, s.qualifier != "exact", s.published or "9999", s.record_id)


def _mark_partial(stmts: list[Statement]) -> list[Statement]:
    """Mark figures whose digits are a proper prefix of a figure ten times bigger in the same group (cut off)."""
    full: dict[int | float, Statement] = {}
    for o in stmts:
        if o.cut_off is None and _digits(o.value):
            full.setdefault(o.value, o)
    out = []
    for s in stmts:
        d = _digits(s.value)
        if s.cut_off is None and d and s.value > 0:
            for value, o in full.items():
                od = _digits(value)
                if len(od) > len(d) and od.startswith(d) and value >= 10 * s.value \
                        and not _overlap(s.interval, o.interval):
                    s = replace(s, cut_off=f"partial figure: its digits begin {o.value} ({o.record_id})")
                    break
        out.append(s)
    return out


def cluster(stmts: Sequence[Statement]) -> list[Reading]:
    """Group agreeing statements into readings, best-supported first (see the module doc)."""
    # statements with the same value, qualifier and precision stand for the same interval: place them together
    same: dict[tuple[Any, ...], list[Statement]] = defaultdict(list)
    for s in sorted(stmts, key=_statement_order):
        same[(s.cut_off is not None, s.value, s.qualifier, s.precision)].append(s)
    clusters: list[tuple[list[Statement], list[Exact], set[str]]] = []  # members, [low, high], record ids
    for group in same.values():  # in the order of their first (best) statement
        s = group[0]
        iv = s.interval
        best = None
        for k, (members, rng, ids) in enumerate(clusters):
            if max(iv[0], rng[0]) > min(iv[1], rng[1]):
                continue
            rank = (len(ids), -abs(members[0].value - s.value))
            if best is None or rank > best[0]:
                best = (rank, k)
        if best is None:
            clusters.append((list(group), [iv[0], iv[1]], {g.record_id for g in group}))
        else:
            members, rng, ids = clusters[best[1]]
            members.extend(group)
            ids.update(g.record_id for g in group)
            rng[0], rng[1] = max(iv[0], rng[0]), min(iv[1], rng[1])
    readings = []
    for members, (lo, hi), _ in clusters:
        stated = Counter(m.value for m in members)
        top = min(members, key=lambda m: (m.cut_off is not None, m.precision, m.qualifier != "exact",
                                          -stated[m.value], m.published or "9999"))
        readings.append(Reading(top.value, top.qualifier, top.precision, lo, hi, tuple(members)))

    def support(r: Reading) -> tuple[Any, ...]:
        usable = [s for s in r.statements if not s.cut_off]
        return (not usable, -len({s.record_id for s in usable}), r.precision, r.first_published or "9999",
                r.value)
    return sorted(readings, key=support)


def _group_periods(stmts: list[Statement], scope: str) -> list[tuple[Period, list[Statement]]]:
    """Groups by period, less precise or open periods joining a compatible more precise one (module doc)."""
    by_period: dict[Period, list[Statement]] = defaultdict(list)
    for s in stmts:
        by_period[s.period].append(s)
    order = sorted(by_period, key=lambda p: (-_precision_score(p), p.start or "", p.end or ""))
    final: dict[Period, list[Statement]] = {}
    for p in order:
        targets = [q for q in final if q != p and _precision_score(q) > _precision_score(p)
                   and period_refines(p, q, scope)]
        same = [q for q in targets if _canonical(q) == _canonical(p)]  # `2025` start is `2025-01`: one period
        rest: list[Statement] = []
        ranges = {q: [(r.low, r.high) for r in cluster(final[q])] for q in targets}
        for s in by_period[p]:
            iv = s.interval
            agreeing = [q for q in targets if any(_overlap(iv, rng) is not None for rng in ranges[q])]
            if len(same) == 1:
                final[same[0]].append(s)
            elif len(agreeing) == 1:
                final[agreeing[0]].append(s)
            else:
                rest.append(s)
        if rest:
            final.setdefault(p, []).extend(rest)
    return _merge_open(final, scope)


def _bounds_meet(a: str | None, b: str | None, *, end: bool, scope: str) -> str | bool | None:
    """The more precise of two compatible bounds (None when both are open), or False when they contradict."""
    if a is None or b is None:
        return a or b
    coarse, fine = (a, b) if len(a) <= len(b) else (b, a)
    ok = _bound_compatible(coarse, fine, end=end, loose_year=scope == "cumulative" and not end)
    return fine if ok else False


def _merge_open(final: dict[Period, list[Statement]], scope: str) -> list[tuple[Period, list[Statement]]]:
    """Merge groups with open bounds whose known bounds do not contradict and whose best figures agree."""
    groups = list(final.items())
    merged = True
    while merged:
        merged = False
        for i, (p, a) in enumerate(groups):
            if p.start is not None and p.end is not None:
                continue
            for j, (q, b) in enumerate(groups):
                if i == j:
                    continue
                start = _bounds_meet(p.start, q.start, end=False, scope=scope)
                end = _bounds_meet(p.end, q.end, end=True, scope=scope)
                if start is False or end is False:
                    continue
                ra, rb = cluster(a)[0], cluster(b)[0]
                if _overlap((ra.low, ra.high), (rb.low, rb.high)) is None:
                    continue
                if q.start is not None and q.end is not None and (start, end) != (q.start, q.end):
                    continue  # a closed period only absorbs groups it refines (done above)
                groups[j] = (Period(start or None, end or None), b + a)  # type: ignore[arg-type]
                del groups[i]
                merged = True
                break
            if merged:
                break
    return groups


def fuse(records: Iterable[ArticleRecord | dict[str, Any]]) -> Series:
    """Fuse the facts of many records into one series of best-supported values, conflicts and flags."""
    items, notes, n_records = _statements(records)
    items = _adopt_unique(items)
    by_key: dict[Key, list[Statement]] = defaultdict(list)
    for key, s in items:
        by_key[key].append(s)
    rows: list[SeriesRow] = []
    for key, stmts in by_key.items():
        partners, platform, metric, unit, org, scope = key
        for period, members in _group_periods(stmts, scope):
            readings = cluster(_mark_partial(members))
            rows.append(SeriesRow(partners, platform, metric, unit, org, scope, period, readings[0],
                                  tuple(readings[1:])))
    rows.sort(key=lambda r: (r.partners, r.platform or "", r.metric, r.unit, r.organization or "", r.scope,
                             r.period.start or "", r.period.end or ""))
    flags = _check(rows)
    return Series(tuple(rows), tuple(flags), tuple(notes), n_records, len(items))


# --- cross-period checks --------------------------------------------------------------------------------------
def _fmt(v: Fraction | int | float) -> str:
    if isinstance(v, Fraction):
        v = int(v) if v.denominator == 1 else float(v)
    return f"{v:,}"


def _range(rows: Iterable[SeriesRow]) -> tuple[Exact, Exact]:
    lo: Exact = 0
    hi: Exact = 0
    for r in rows:
        lo += r.reading.low
        hi += r.reading.high
    return lo, hi


def _check(rows: list[SeriesRow]) -> list[Flag]:
    flags: list[Flag] = []
    by_series: dict[tuple[Any, ...], list[int]] = defaultdict(list)
    for i, r in enumerate(rows):
        if r.reading.cut_off:
            flags.append(Flag("cut_off_only", "the only figure for this row was cut off in its article", (i,)))
        if r.unit == "count":
            by_series[(r.partners, r.platform, r.metric, r.organization)].append(i)
    for idx in by_series.values():
        spans = {i: month_span(rows[i].period, rows[i].scope) for i in idx}
        periods = [i for i in idx if rows[i].scope == "period" and spans[i]]
        flags += _check_parts(rows, periods, spans)
        cumulative = [i for i in idx if rows[i].scope == "cumulative" and spans[i]]
        flags += _check_cumulative(rows, cumulative, periods, spans)
    flags += _check_organizations(rows)
    return flags


def _check_parts(rows: list[SeriesRow], periods: list[int], spans: dict[int, Any]) -> list[Flag]:
    flags = []
    for t in periods:
        ts, te = spans[t]
        if te == ts:
            continue
        by_len: dict[int, list[int]] = defaultdict(list)
        for c in periods:
            cs, ce = spans[c]
            if c != t and ts <= cs and ce <= te and (cs, ce) != (ts, te):
                by_len[ce - cs + 1].append(c)
        for length, parts in sorted(by_len.items(), reverse=True):
            parts.sort(key=lambda c: spans[c])
            if any(spans[a][1] >= spans[b][0] for a, b in pairwise(parts)):
                continue  # overlapping parts of one length: not a partition
            lo, hi = _range(rows[c] for c in parts)
            total = rows[t].reading
            covered = sum(spans[c][1] - spans[c][0] + 1 for c in parts) == te - ts + 1
            names = ", ".join(f"{_month_label(spans[c][0])}..{_month_label(spans[c][1])} = {_fmt(rows[c].value)}"
                              for c in parts)
            what = "quarters" if length == 3 else "months" if length == 1 else f"{length}-month parts"
            if covered and _overlap((lo, hi), (total.low, total.high)) is None:
                flags.append(Flag("parts_sum_mismatch",
                                  f"the {what} add up to {_fmt(sum(Fraction(rows[c].value) for c in parts))}, "
                                  f"not the stated total {_fmt(total.value)} ({names})", (t, *parts)))
            elif not covered and lo > total.high:
                flags.append(Flag("parts_exceed_total",
                                  f"the stated {what} already add up to {_fmt(lo)}, above the total "
                                  f"{_fmt(total.value)} ({names})", (t, *parts)))
    return flags


def _check_cumulative(rows: list[SeriesRow], cumulative: list[int], periods: list[int],
                      spans: dict[int, Any]) -> list[Flag]:
    flags = []
    for new in cumulative:
        ns, ne = spans[new]
        for prev in cumulative:
            ps, pe = spans[prev]
            if prev == new or ps != ns or pe >= ne:
                continue
            for q in periods:
                if spans[q] != (pe + 1, ne):
                    continue
                lo, hi = _range([rows[prev], rows[q]])
                if _overlap((lo, hi), (rows[new].reading.low, rows[new].reading.high)) is None:
                    flags.append(Flag(
                        "cumulative_mismatch",
                        f"cumulative to {_month_label(ne)} is {_fmt(rows[new].value)}, but cumulative to "
                        f"{_month_label(pe)} ({_fmt(rows[prev].value)}) plus {_month_label(pe + 1)}..{_month_label(ne)}"
                        f" ({_fmt(rows[q].value)}) is {_fmt(Fraction(rows[prev].value) + Fraction(rows[q].value))}",
                        (new, prev, q)))
    return flags


def _check_organizations(rows: list[SeriesRow]) -> list[Flag]:
    flags = []
    totals: dict[tuple[Any, ...], int] = {}
    orgs: dict[tuple[Any, ...], list[int]] = defaultdict(list)
    for i, r in enumerate(rows):
        if r.unit != "count":
            continue
        k = (r.partners, r.platform, r.metric, r.scope, r.period)
        if r.organization is None:
            totals[k] = i
        else:
            orgs[k].append(i)
    for k, idx in orgs.items():
        t = totals.get(k)
        if t is None:
            continue
        total = rows[t].reading
        for i in idx:
            if rows[i].reading.low > total.high:
                flags.append(Flag("organization_above_total",
                                  f"{rows[i].organization}: {_fmt(rows[i].value)} is above the total "
                                  f"{_fmt(total.value)} for the same period", (i, t)))
        lo, _ = _range(rows[i] for i in idx)
        if len(idx) > 1 and lo > total.high and not any(rows[i].reading.low > total.high for i in idx):
            flags.append(Flag("organizations_exceed_total",
                              f"the organisations together ({_fmt(lo)}) exceed the total {_fmt(total.value)}",
                              (t, *idx)))
    return flags


def write_series(series: Series, path: str | os.PathLike[str], fmt: str = "csv") -> None:
    """Write `series` to `path` as CSV or JSON Lines, atomically (temporary file, then rename)."""
    target = Path(path)
    buf = io.StringIO()
    if fmt == "csv":
        series.write_csv(buf)
    elif fmt == "jsonl":
        series.write_jsonl(buf)
    else:
        raise ValueError(f"unknown series format {fmt!r} (csv or jsonl)")
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_name(f".{target.name}.tmp{os.getpid()}")
    tmp.write_text(buf.getvalue(), encoding="utf-8")
    os.replace(tmp, target)
