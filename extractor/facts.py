"""The fact extractor: an article in, its record out (CONTRACT.md §1–2).

The stages, in the order data flows:
1. normalise the text once (offset map kept), split it into sentences and clauses;
2. mentions: numbers (`extractor.numbers`), dates (`extractor.dates`), entities and cue words (`extractor.entities`);
3. each number becomes a candidate fact when it is a removal figure: its counted noun names a removal metric
   (content, channels, accounts) or a removal action sits next to it, and a removal action governs its sentence
   (or, for the busiest day, a peak cue does); percents become `activity_change` (a change cue and a comparison)
   or `activity_share` (a month right beside them);
4. attributes: the organisation (named before its figures, or after them with "belonging to"/"تابعة لـ"; a list of
   several organisations is a total, so no organisation), the scope (peak, cumulative, period) and the period
   (the nearest date in the clause, else in the sentence, else the article's main period);
5. one fact per figure: statements that agree (equal, or one a rounding or hedge of the other) with the same
   metric, organisation, scope and a compatible period are one fact, the most precise statement kept;
6. consistency warnings (never corrections): organisation figures that do not add up to their total, a weekday that
   does not match its date, cumulative totals that do not add up, figures cut off at the end of a truncated text.

All language knowledge comes from `patterns/`; this module knows no words. To teach it a new cue, edit the pattern
files (cues.toml, metrics.toml, organisations.toml …) and add an example there.
"""

from __future__ import annotations

import datetime as _dt
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from itertools import pairwise

import regex

from . import __version__
from .dates import find_dates
from .entities import Term, find_terms
from .model import ArticleRecord, DateMention, Evidence, Fact, NumberMention, Period, RecordWarning
from .normalise import Normalised, normalise
from .numbers import find_numbers
from .sentences import clause_breaks, split_sentences

# How far (in words) a counted noun or an action may stand from its figure.
_NOUN_GAP_WORDS = 4
_ACTION_GAP_WORDS = 3
_LIST_GAP = regex.compile(r"^[\s\"'()\[\]\-–—,،/]*(?:(?:و|and|or|,)\s*[\s\"'()\-]*)?$")
_WORDS = regex.compile(r"[\p{L}\p{N}]+")
_ARABIC_LETTER = regex.compile(r"\p{Arabic}")
_LATIN_LETTER = regex.compile(r"[A-Za-z]")
_ISO_DATE = regex.compile(r"^\s*(\d{4})-(\d{2})-(\d{2})")


@dataclass(slots=True)
class _Sentence:
    start: int  # original offsets
    end: int
    nstart: int  # normalised offsets
    nend: int
    clauses: list[int]  # original offsets where clauses begin


@dataclass(slots=True)
class _Candidate:
    number: NumberMention
    metric: str
    unit: str
    sentence: _Sentence
    organization: str | None = None
    platform: str | None = None
    scope: str = "period"
    period: Period = field(default_factory=Period)
    order: int = 0


@dataclass(slots=True)
class _Doc:
    """Everything found in one article, all spans in ORIGINAL offsets."""

    text: str
    norm: Normalised
    published: str | None
    sentences: list[_Sentence]
    numbers: list[NumberMention]
    dates: list[DateMention]
    terms: list[Term]  # start/end converted to original offsets
    warnings: list[RecordWarning]


# --- small helpers ---------------------------------------------------------------------------------------------
def _words(text: str) -> int:
    return len(_WORDS.findall(text))


def _to_original_terms(norm: Normalised, terms: Iterable[Term]) -> list[Term]:
    out = []
    for t in terms:
        s, e = norm.span(t.start, t.end)
        out.append(Term(t.lexicon, t.id, t.kind, s, e))
    return out


def _published(value: str | _dt.date | None, warnings: list[RecordWarning]) -> str | None:
    if value is None or value == "":
        return None
    if isinstance(value, _dt.date):
        return value.isoformat()[:10]
    m = _ISO_DATE.match(str(value))
    if m:
        try:
            return _dt.date(int(m[1]), int(m[2]), int(m[3])).isoformat()
        except ValueError:
            pass
    warnings.append(RecordWarning("bad_published", f"published {value!r} is not a date (YYYY-MM-DD); ignored"))
    return None


def detect_language(text: str) -> str | None:
    """`ar` or `en` by the share of Arabic letters among Arabic and Latin letters; None for text with neither."""
    ar = len(_ARABIC_LETTER.findall(text))
    la = len(_LATIN_LETTER.findall(text))
    if ar + la == 0:
        return None
    return "ar" if ar >= 0.3 * (ar + la) else "en"


# --- the document ----------------------------------------------------------------------------------------------
def _read(text: str, published: str | None, warnings: list[RecordWarning]) -> _Doc:
    norm = normalise(text)
    sentences = []
    for ns, ne in split_sentences(norm.text):
        s, e = norm.span(ns, ne)
        clauses = [norm.to_original(b) for b in clause_breaks(norm.text, ns, ne)]
        sentences.append(_Sentence(s, e, ns, ne, clauses))
    return _Doc(
        text=text,
        norm=norm,
        published=published,
        sentences=sentences,
        numbers=find_numbers(norm),
        dates=find_dates(norm, published=published),
        terms=_to_original_terms(norm, find_terms(norm)),
        warnings=warnings,
    )


def _sentence_of(doc: _Doc, pos: int) -> _Sentence | None:
    for s in doc.sentences:
        if s.start <= pos < s.end:
            return s
    return None


def _clause_bounds(sentence: _Sentence, pos: int) -> tuple[int, int]:
    start, end = sentence.start, sentence.end
    for b in sentence.clauses:
        if b <= pos:
            start = b
        else:
            end = b
            break
    return start, end


def _terms_in(doc: _Doc, start: int, end: int, *, lexicon: str | None = None, ids: tuple[str, ...] = ()) -> list[Term]:
    return [
        t for t in doc.terms
        if start <= t.start and t.end <= end and (lexicon is None or t.lexicon == lexicon) and (not ids or t.id in ids)
    ]


def _inside(mention_start: int, mention_end: int, spans: Iterable[tuple[int, int]]) -> bool:
    return any(s <= mention_start and mention_end <= e for s, e in spans)


# --- step 3: is it a removal figure, and of which metric? -----------------------------------------------------
def _counted_noun(doc: _Doc, n: NumberMention, limit: int) -> Term | None:
    """The first metric noun after the figure, with only a few words and no other figure between."""
    for t in doc.terms:
        if t.lexicon != "metrics" or t.start < n.end:
            continue
        if t.start >= limit:
            return None
        gap = doc.text[n.end:t.start]
        if any(ch.isdigit() for ch in gap) or any(ch in ".!?;" for ch in gap):
            return None
        if _words(gap) > _NOUN_GAP_WORDS:
            return None
        return t
    return None


def _nearest_action(doc: _Doc, n: NumberMention, start: int, end: int) -> Term | None:
    """The removal or monitoring action nearest to the figure inside [start, end)."""
    best: tuple[int, Term] | None = None
    for t in _terms_in(doc, start, end, lexicon="cues"):
        if t.kind not in ("action", "other_action"):
            continue
        distance = n.start - t.end if t.end <= n.start else t.start - n.end
        if distance < 0:
            continue
        # Prefer an action before the figure: Arabic and English reports both put the verb first.
        key = distance if t.end <= n.start else distance + 40
        if best is None or key < best[0]:
            best = (key, t)
    return best[1] if best else None


def _classify(doc: _Doc, n: NumberMention, sentence: _Sentence, next_number_start: int) -> str | None:
    """The metric of a removal figure, or None when the figure is not one."""
    if n.kind == "percent":
        return _classify_percent(doc, n, sentence)
    if n.kind != "number" or not isinstance(n.value, int) or n.value <= 0:
        return None
    noun = _counted_noun(doc, n, min(sentence.end, next_number_start))
    if noun is not None and noun.kind == "other":
        return None
    sentence_cues = _terms_in(doc, sentence.start, sentence.end, lexicon="cues")
    has_peak = any(t.id == "peak" for t in sentence_cues)
    action = _nearest_action(doc, n, sentence.start, sentence.end)
    if action is not None and action.kind == "other_action":
        # A monitored, analysed or restored figure; unless a removal action stands right beside the figure.
        near = _nearest_action_of_kind(doc, n, sentence, "action")
        if near is None:
            return None
        action = near
    if action is None and not has_peak:
        return None
    if noun is not None:
        return noun.id
    # No counted noun: an action right beside the figure gives the metric ("7,645,650 was removed").
    if action is not None and _words(_between(doc, n, action)) <= _ACTION_GAP_WORDS:
        return "content_removed"
    return None


def _between(doc: _Doc, n: NumberMention, t: Term) -> str:
    return doc.text[n.end:t.start] if t.start >= n.end else doc.text[t.end:n.start]


def _nearest_action_of_kind(doc: _Doc, n: NumberMention, sentence: _Sentence, kind: str) -> Term | None:
    clause = _clause_bounds(sentence, n.start)
    hits = [t for t in _terms_in(doc, clause[0], clause[1], lexicon="cues") if t.kind == kind]
    if not hits:
        return None
    return min(hits, key=lambda t: abs(t.start - n.start))


def _classify_percent(doc: _Doc, n: NumberMention, sentence: _Sentence) -> str | None:
    cues = _terms_in(doc, sentence.start, sentence.end, lexicon="cues")
    ids = {t.id for t in cues}
    if "change" in ids and "comparison" in ids:
        return "activity_change"
    # A share of the activity for a month or day right beside the figure ("أغسطس 42%").
    for d in doc.dates:
        if d.kind in ("month", "day") and sentence.start <= d.start < sentence.end:
            gap = doc.text[d.end:n.start] if d.end <= n.start else doc.text[n.end:d.start]
            if _words(gap) <= 1 and not any(ch.isdigit() for ch in gap):
                return "activity_share"
    return None


# --- step 4: organisation -------------------------------------------------------------------------------------
def _organisation_anchors(doc: _Doc, sentence: _Sentence) -> list[tuple[int, int, str | None, bool]]:
    """Organisation mentions of a sentence as (start, end, id or None for a list, attaches_backwards)."""
    orgs = _terms_in(doc, sentence.start, sentence.end, lexicon="organisations")
    attach = _terms_in(doc, sentence.start, sentence.end, lexicon="cues", ids=("belongs_to",))
    anchors: list[tuple[int, int, str | None, bool]] = []
    i = 0
    while i < len(orgs):
        j = i
        # Several organisations separated only by punctuation and "and" form a list: a total over all of them.
        while j + 1 < len(orgs) and _LIST_GAP.match(_gap_without_org_words(doc, orgs[j].end, orgs[j + 1].start)):
            j += 1
        start, end = orgs[i].start, orgs[j].end
        ident = orgs[i].id if j == i or all(o.id == orgs[i].id for o in orgs[i:j + 1]) else None
        backwards = any(0 <= start - a.end <= 24 and _words(doc.text[a.end:start]) <= 3 for a in attach)
        anchors.append((start, end, ident, backwards))
        i = j + 1
    return anchors


_ORG_FILLER = regex.compile(r"(?i)\b(?:the|terrorist|organi[sz]ations?|groups?)\b|تنظيم\w*|الارهابي\w*|الإرهابي\w*")


def _gap_without_org_words(doc: _Doc, start: int, end: int) -> str:
    if end - start > 40:
        return "x"
    return _ORG_FILLER.sub("", doc.norm.text[0:0] + doc.text[start:end])


def _organisation(doc: _Doc, n: NumberMention, sentence: _Sentence) -> str | None:
    anchors = _organisation_anchors(doc, sentence)
    # A later anchor that attaches backwards owns the figures since the previous anchor.
    for start, _end, ident, backwards in anchors:
        if start >= n.end:
            if backwards and not any(n.end <= s2 < start for s2, _e2, _i2, _b2 in anchors if s2 != start):
                return ident
            break
    owner: str | None = None
    for _start, end, ident, _backwards in anchors:
        if end <= n.start:
            owner = ident
    return owner


# --- step 4: scope and period ---------------------------------------------------------------------------------
def _is_since(doc: _Doc, d: DateMention) -> bool:
    head = doc.norm.text[_norm_pos(doc, d.start):_norm_pos(doc, d.start) + 12].lower()
    before = doc.norm.text[max(0, _norm_pos(doc, d.start) - 8):_norm_pos(doc, d.start)].lower()
    return head.startswith(("منذ", "since")) or before.rstrip().endswith(("منذ", "since"))


def _norm_pos(doc: _Doc, original: int) -> int:
    # Original → normalised: the normaliser only deletes or expands characters, so search near the same index.
    norm = doc.norm
    lo, hi = 0, len(norm.text)
    while lo < hi:
        mid = (lo + hi) // 2
        if norm.to_original(mid) < original:
            lo = mid + 1
        else:
            hi = mid
    return lo


def _months_between(p: Period) -> int | None:
    if not p.start or not p.end:
        return None
    sy, sm = int(p.start[:4]), int(p.start[5:7]) if len(p.start) >= 7 else 1
    ey, em = int(p.end[:4]), int(p.end[5:7]) if len(p.end) >= 7 else 12
    return (ey - sy) * 12 + (em - sm) + 1


def _is_start_of_year(d: DateMention) -> bool:
    return bool(d.period.start and d.period.end is None and (d.period.start.endswith("-01") or len(d.period.start) == 4)
                and d.kind == "relative")


def _period_dates(doc: _Doc, start: int, end: int) -> list[DateMention]:
    return [d for d in doc.dates if start <= d.start and d.end <= end and (d.period.start or d.period.end)]


def _nearest(dates: list[DateMention], n: NumberMention) -> DateMention | None:
    if not dates:
        return None

    def key(d: DateMention) -> int:
        return n.start - d.end if d.end <= n.start else (d.start - n.end) + 60

    return min(dates, key=key)


def _scope_and_period(doc: _Doc, c: _Candidate, partnership_start: str | None) -> None:
    n, sentence = c.number, c.sentence
    cues = _terms_in(doc, sentence.start, sentence.end, lexicon="cues")
    cue_ids = {t.id for t in cues}
    clause = _clause_bounds(sentence, n.start)
    clause_cues = {t.id for t in cues if clause[0] <= t.start < clause[1]}
    sentence_dates = _period_dates(doc, sentence.start, sentence.end)
    clause_dates = [d for d in sentence_dates if clause[0] <= d.start < clause[1]]

    # Peak: a peak cue and a single day (or month) in the sentence.
    if "peak" in cue_ids and c.unit == "count":
        days = [d for d in sentence_dates if d.kind == "day"] or [d for d in sentence_dates if d.kind == "month"]
        if days:
            c.scope = "peak"
            d = days[0]
            c.period = Period(d.period.start, d.period.start)
            return

    since = [d for d in sentence_dates if _is_since(doc, d) and not _is_start_of_year(d)]
    ranges = [d for d in sentence_dates if d.kind == "range" and d not in since]
    long_ranges = [d for d in ranges if (_months_between(d.period) or 0) > 12 or d.period.end is None]
    framed = [d for d in clause_dates if d.kind in ("year", "quarter", "half", "month") and d not in since]
    cumulative_cue = bool({"cumulative"} & cue_ids) or bool({"running_total"} & clause_cues)

    if c.unit == "count" and (since or long_ranges or cumulative_cue):
        window = since or long_ranges
        # "during 2022 and since the partnership began (Feb 2022) until December 2022": the year frames the figure.
        if window and framed and _within(window[0].period, framed[0].period):
            c.scope, c.period = "period", framed[0].period
            return
        if window or "cumulative" in cue_ids or not [d for d in clause_dates if d not in since]:
            c.scope = "cumulative"
            if window:
                d = _nearest(window, n) or window[0]
                c.period = Period(d.period.start or partnership_start, d.period.end)
            else:
                ends = [d for d in clause_dates if d.period.end]
                c.period = Period(partnership_start, ends[0].period.end if ends else None)
            return

    # Period: the nearest date in the clause, else in the sentence (a date that is not a since-start).
    usable = [d for d in sentence_dates if d not in since]
    d = _nearest([x for x in clause_dates if x in usable], n) or _nearest(usable, n)
    if d is not None:
        c.period = d.period
        if d.unresolved:
            doc.warnings.append(RecordWarning("unresolved_date", f"{d.text!r}: {d.unresolved}"))


def _within(inner: Period, outer: Period) -> bool:
    if not inner.start or not outer.start or not outer.end:
        return False
    end = inner.end or inner.start
    return outer.start[:4] <= inner.start[:4] and end[:4] <= outer.end[:4] and inner.start[:4] == outer.start[:4]


def _partnership_start(doc: _Doc) -> str | None:
    """The month a partnership began: a date right after a start cue or a since-partnership cue."""
    starts = [t for t in doc.terms if t.lexicon == "cues" and t.id in ("start", "cumulative", "partnership")]
    for d in doc.dates:
        if not d.period.start or d.kind not in ("day", "month", "range", "year"):
            continue
        for t in starts:
            if 0 <= d.start - t.end <= 40 and _words(doc.text[t.end:d.start]) <= 5:
                return d.period.start[:7]
    return None


def _main_period(doc: _Doc, candidates: list[_Candidate]) -> Period | None:
    for c in candidates:
        if c.scope == "period" and (c.period.start or c.period.end):
            return c.period
    return None


# --- step 5: one fact per figure ------------------------------------------------------------------------------
def _precision(n: NumberMention) -> int:
    """The unit of the last significant digit of a count as written (28,495,947 → 1; 28.5 مليون → 100000)."""
    v = int(n.value)
    if v == 0:
        return 1
    p = 1
    while v % (p * 10) == 0:
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
    p = _precision(rough.number)
    if p < 1000:
        return False
    vr, vf = float(rough.number.value), float(fine.number.value)
    if rough.number.qualifier == "more_than":
        return vr <= vf < vr + p
    return abs(vr - vf) < p


def _compatible(a: Period, b: Period) -> bool:
    def ok(x: str | None, y: str | None) -> bool:
        return x is None or y is None or x.startswith(y) or y.startswith(x)

    return ok(a.start, b.start) and ok(a.end, b.end)


def _better(a: _Candidate, b: _Candidate) -> _Candidate:
    pa, pb = _precision(a.number), _precision(b.number)
    if pa != pb:
        return a if pa < pb else b
    ha, hb = a.number.qualifier != "exact", b.number.qualifier != "exact"
    if ha != hb:
        return b if ha else a
    return a if a.order <= b.order else b


def _merge(candidates: list[_Candidate]) -> list[_Candidate]:
    kept: list[_Candidate] = []
    for c in candidates:
        for i, k in enumerate(kept):
            if (k.metric, k.organization, k.scope) == (c.metric, c.organization, c.scope) and _agree(k, c) \
                    and _compatible(k.period, c.period):
                winner = _better(k, c)
                other = c if winner is k else k
                winner.period = Period(winner.period.start or other.period.start, winner.period.end or other.period.end)
                kept[i] = winner
                break
        else:
            kept.append(c)
    return sorted(kept, key=lambda c: c.order)


# --- step 6: consistency warnings -----------------------------------------------------------------------------
def _consistency(doc: _Doc, facts: list[_Candidate]) -> None:
    groups: dict[tuple[str, str, str | None, str | None], list[_Candidate]] = {}
    for c in facts:
        groups.setdefault((c.metric, c.scope, c.period.start, c.period.end), []).append(c)
    for (metric, scope, ps, pe), members in groups.items():
        totals = [c for c in members if c.organization is None and c.number.qualifier == "exact"]
        parts = [c for c in members if c.organization is not None and c.number.qualifier == "exact"]
        if len(totals) == 1 and len(parts) >= 2 and len({c.organization for c in parts}) == len(parts):
            s = sum(int(c.number.value) for c in parts)
            if s != int(totals[0].number.value):
                doc.warnings.append(RecordWarning(
                    "organisations_do_not_add_up",
                    f"{metric} {scope} {ps}..{pe}: organisations add up to {s:,}, the stated total is "
                    f"{int(totals[0].number.value):,}"))
    # Cumulative(previous) + period = cumulative(new), where all three are stated.
    cumulatives = sorted((c for c in facts if c.scope == "cumulative" and c.organization is None and c.period.end),
                         key=lambda c: c.period.end or "")
    for older, newer in pairwise(cumulatives):
        if older.metric != newer.metric:
            continue
        for p in facts:
            same_end = p.period.end == newer.period.end
            exact = p.number.qualifier == older.number.qualifier == newer.number.qualifier == "exact"
            if p.metric == older.metric and p.scope == "period" and p.organization is None and same_end and exact:
                if int(older.number.value) + int(p.number.value) != int(newer.number.value):
                    doc.warnings.append(RecordWarning(
                        "cumulative_does_not_add_up",
                        f"{older.metric}: {int(older.number.value):,} + {int(p.number.value):,} ≠ "
                        f"{int(newer.number.value):,}"))
    for d in doc.dates:
        if d.weekday_matches is False:
            doc.warnings.append(RecordWarning("weekday_mismatch", f"{d.text!r}: the weekday does not match the date"))


def _truncated(doc: _Doc, n: NumberMention) -> bool:
    """A figure cut off by a truncated text: at the very end, or followed by '.' and a line break with no noun."""
    rest = doc.text[n.end:]
    if not rest.strip():
        return True
    return rest.startswith(".") and (rest[1:2] in ("\n", "") or not rest[1:].strip())


# --- the public function --------------------------------------------------------------------------------------
def extract(
    text: str,
    published: str | _dt.date | None = None,
    url: str | None = None,
    id: str | None = None,
    title: str | None = None,
) -> ArticleRecord:
    """Read one article and return its record: every removal figure with its evidence span in `text`."""
    if not isinstance(text, str):
        raise TypeError(f"text must be str, not {type(text).__name__}")
    warnings: list[RecordWarning] = []
    pub = _published(published, warnings)
    doc = _read(text, pub, warnings)

    partners = sorted({t.id for t in doc.terms if t.lexicon == "partners"})
    platform_counts = Counter(t.id for t in doc.terms if t.lexicon == "platforms")
    platforms = sorted(platform_counts)
    main_platform = platform_counts.most_common(1)[0][0] if platform_counts else None

    date_spans = [(d.start, d.end) for d in doc.dates]
    candidates: list[_Candidate] = []
    numbers = [n for n in doc.numbers if n.kind in ("number", "percent")]
    for i, n in enumerate(numbers):
        if _inside(n.start, n.end, date_spans):
            continue
        sentence = _sentence_of(doc, n.start)
        if sentence is None:
            continue
        next_start = numbers[i + 1].start if i + 1 < len(numbers) else len(text)
        metric = _classify(doc, n, sentence, next_start)
        if metric is None:
            continue
        if n.kind == "number" and _truncated(doc, n) and _counted_noun(doc, n, sentence.end) is None:
            doc.warnings.append(RecordWarning("truncated_number",
                                              f"{n.text!r} at offset {n.start} is cut off by the end of the text"))
            continue
        c = _Candidate(n, metric, "percent" if n.kind == "percent" else "count", sentence, order=len(candidates))
        c.organization = _organisation(doc, n, sentence)
        platforms_here = _terms_in(doc, sentence.start, sentence.end, lexicon="platforms")
        c.platform = platforms_here[0].id if platforms_here else main_platform
        candidates.append(c)

    partnership_start = _partnership_start(doc)
    for c in candidates:
        _scope_and_period(doc, c, partnership_start)
    main = _main_period(doc, candidates)
    for c in candidates:
        if c.scope == "period" and not (c.period.start or c.period.end) and main is not None:
            c.period = main

    kept = _merge(candidates)
    _consistency(doc, kept)
    facts = [
        Fact(
            metric=c.metric,
            value=c.number.value,
            unit=c.unit,
            qualifier=c.number.qualifier,
            organization=c.organization,
            platform=c.platform,
            scope=c.scope,
            period=c.period,
            evidence=Evidence(c.number.start, c.number.end, c.number.text, text[c.sentence.start:c.sentence.end]),
        )
        for c in kept
    ]
    return ArticleRecord(
        id=id if id else "-",
        url=url,
        title=title,
        published=pub,
        language=detect_language(text),
        is_removal_report=bool(facts),
        partners=partners,
        platforms=platforms,
        facts=facts,
        warnings=_unique(doc.warnings),
        extractor_version=__version__,
    )


def _unique(warnings: list[RecordWarning]) -> list[RecordWarning]:
    seen: set[tuple[str, str]] = set()
    out = []
    for w in warnings:
        if (w.code, w.message) not in seen:
            seen.add((w.code, w.message))
            out.append(w)
    return out
