"""The fact extractor: an article in, its record out (CONTRACT.md §1–2).

The stages, in the order data flows (`extract` runs them in this order, numbered as below):
1. the article's date (`extractor.dates.article`: given, dateline or byline, URL, update stamp), then one reading
   of the text (`document`): normalised once (offset map kept), split into sentences and clauses; mentions: numbers
   (`extractor.numbers`), dates (`extractor.dates`, which may find the day an undated text was written), entities
   and cue words (`extractor.entities`);
2. the partners and platforms the record lists;
3. each number becomes a candidate fact when it is a removal figure (`candidates`): its counted noun names a
   removal metric (content, channels, accounts; a dual noun such as "قناتين" counts two) or a removal action sits
   next to it, and a removal action governs its sentence (or, for the busiest day, a peak or one-day cue does); a
   part after an inclusion cue ("these included", "من بينها") is a part of the total before it; figures a monitoring
   verb governs count only as the per-organisation breakdown of a removal total they add up to; percents become
   `activity_change` (a change word governing them, negative for a fall) or `activity_share`. Its organisation
   (`organisation`): the one named inside the figure's own list item; else named before its figures, or after them
   with "belonging to"/"تابعة لـ"; a reference such as "التنظيم"/"the group" stands for the one named last; a
   connector such as "while"/"في حين" ends its reach;
4. organisations across figures: a list of several organisations, or the figures of several others adding up to
   it, make a total; the one group of a listed set left unnamed in a breakdown that adds up is the remaining one;
5. the scope (`scope_and_period`: peak for the figure a record cue governs and the earlier record after its
   horizon; a period to date since the start of the current month or year; cumulative with a since-date, "until
   now", "has since", a long range or a running-total cue; else period) and the period (the date right after the
   figure's noun, else the nearest in the clause, not a statement date; the day after for "the following day";
   none, with a warning, for an unresolvable relative date; else in the sentence, else the last period stated
   before the figure or the title's; a breakdown by organisation takes the period of the total nearest its sum);
6. one fact per figure (`merging`): statements that agree (equal, or one a rounding or hedge of the other) with the
   same metric, organisation, scope and a compatible period are one fact, the most precise statement kept;
7. consistency warnings, never corrections (`consistency`): organisation figures that do not add up to their
   total, a weekday that does not match its date, cumulative totals that do not add up, figures cut off at the end;
8. doubts and confidence (`doubts`, `extractor.confidence`): what a reader should check, from how each attribute
   was read, and the calibrated chance the fact is right in every field;
9. the record.

All language knowledge comes from `patterns/`; these modules know no words (beyond a few function words: "and"/"و"
ending a list item, the preposition of a time adverbial). To teach it a new cue, edit the pattern files
(cues.toml, metrics.toml, organisations.toml …) and add an example there.
"""

from __future__ import annotations

import datetime as _dt
from collections import Counter

from .. import __version__
from ..confidence import confidence, model
from ..dates import article_date, extraction_date
from ..model import ArticleRecord, Evidence, Fact, RecordWarning
from ..normalise import normalise
from .candidates import (
    _approx_after,
    _classify,
    _enumerated,
    _exceeds,
    _is_decrease,
    _is_reference,
    _monitored,
    _removal_governs,
    _truncated,
    _without_unit_words,
)
from .consistency import _consistency
from .document import _Candidate, _Doc, _outside, _published, _read, _sentence_at, detect_language
from .doubts import doubts_of
from .merging import _merge
from .organisation import _by_elimination, _organisation
from .scope_and_period import _close, _inherit_periods, _partnership_start, _scope_and_period

__all__ = ["detect_language", "extract"]


# --- the public function --------------------------------------------------------------------------------------
def extract(
    text: str,
    published: str | _dt.date | None = None,
    url: str | None = None,
    id: str | None = None,
    title: str | None = None,
    *,
    today: str | _dt.date | None = None,
) -> ArticleRecord:
    """Read one article and return its record: every removal figure with its evidence span in `text`.

    `today` is the extraction date (default: `$RASD_TODAY`, else the machine's date): no date after it is read as the
    article's or a period's."""
    if not isinstance(text, str):
        raise TypeError(f"text must be str, not {type(text).__name__}")
    warnings: list[RecordWarning] = []
    day = extraction_date(today)
    # 1. The article's date: the given one, else its dateline or byline, URL or update stamp (a warning says which);
    # then one reading of the text (normalised once: sentences, numbers, dates, terms), which may find the day an
    # undated text says it was written.
    norm = normalise(text)  # once: the article-date stage and every later stage read it
    art = article_date(norm, _published(published, warnings), url, day)
    if art.warning is not None:
        warnings.append(art.warning)
    doc = _read(text, art.published, warnings, today=day, month=art.month, title=title, norm=norm)
    pub = doc.published  # an undated text may name the day it was written ("اليوم الثلاثاء 4 تموز")
    article_doubts: set[str] = set()  # doubts every fact of the article shares: where its date came from
    if pub is None:
        article_doubts.add("published_unknown")
    elif art.source == "url":
        article_doubts.add("published_from_url")
    elif art.source != "given":
        article_doubts.add("published_from_text")  # a dateline, an update stamp, the day the text names

    # 2. Terms the record lists whatever its facts: partners and platforms.
    partners = sorted({t.id for t in doc.terms if t.lexicon == "partners"})
    platform_counts = Counter(t.id for t in doc.terms if t.lexicon == "platforms")
    platforms = sorted(platform_counts)
    main_platform = platform_counts.most_common(1)[0][0] if platform_counts else None

    # 3. Candidates: the removal figures, their metric, organisation, qualifier and platform.
    candidates = _find_candidates(doc, main_platform)
    # 4. Organisations across figures: totals of parts, the group left by elimination.
    _totals_of_parts(candidates)
    _by_elimination(doc, candidates)
    if not any(c.unit == "count" for c in candidates):
        candidates = []  # percents alone (growth rates, shares of a population) are no removal report
    # 5. Scope and period, then the periods figures inherit.
    partnership_start = _partnership_start(doc)
    for previous, c in zip([None, *candidates], candidates, strict=False):
        _scope_and_period(doc, c, partnership_start, previous)
    _inherit_periods(doc, candidates)
    # 6. One fact per figure; 7. consistency warnings (and the doubts they raise).
    kept = _merge(candidates)
    _consistency(doc, kept)
    # 8. Doubts and confidence: what a reader should check, and how likely the fact is right in every field.
    rate = model().confidence if kept else confidence  # the model of the current pattern folder, looked up once
    facts = []
    for c in kept:
        doubts = tuple(sorted(doubts_of(doc, c) | article_doubts))
        facts.append(Fact(
            metric=c.metric,
            value=-c.number.value if c.negative else c.number.value,
            unit=c.unit,
            qualifier=c.qualifier or c.number.qualifier,
            organization=c.organization,
            platform=c.platform,
            scope=c.scope,
            period=c.period,
            confidence=rate(doubts),
            doubts=doubts,
            evidence=Evidence(c.number.start, c.number.end, c.number.text, text[c.sentence.start:c.sentence.end]),
        ))
    # 9. The record.
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


def _find_candidates(doc: _Doc, main_platform: str | None) -> list[_Candidate]:
    """Stage 3: every number that is a removal figure, with its metric, organisation, qualifier and platform (and
    how each was read, for the doubts); figures a monitoring verb governs join when they break a total down."""
    text = doc.text
    starts = [x.start for x in doc.sentences]
    candidates: list[_Candidate] = []
    numbers = _without_unit_words(doc, [n for n in _outside(doc.numbers, doc.dates) if n.kind in ("number", "percent")])
    previous: _Candidate | None = None
    monitored: list[_Candidate] = []
    for i, n in enumerate(numbers):
        sentence = _sentence_at(doc.sentences, starts, n.start)
        if sentence is None:
            continue
        next_start = numbers[i + 1].start if i + 1 < len(numbers) else len(text)
        metric, counted, metric_how = _classify(doc, n, sentence, next_start)
        if metric is None and not counted and n.kind == "number":
            metric, metric_how = _enumerated(doc, n, previous, sentence), "list"
        if metric is None:
            previous = None
            seen = _monitored(doc, n, sentence, next_start) if counted else None
            if seen is not None:
                m = _Candidate(n, seen, "count", sentence, monitored=True, metric_how="noun")
                m.organization, m.org_how = _organisation(doc, n, sentence)
                monitored.append(m)
            continue
        if n.kind == "number" and not counted and _truncated(doc, n):
            doc.warnings.append(RecordWarning("truncated_number",
                                              f"{n.text!r} at offset {n.start} is cut off by the end of the text"))
            continue
        c = _Candidate(n, metric, "percent" if n.kind == "percent" else "count", sentence, order=len(candidates),
                       metric_how=metric_how)
        doc.removal_sentences.add(sentence.start)
        c.organization, c.org_how = _organisation(doc, n, sentence)
        if not _removal_governs(doc, n, sentence):
            c.doubts.add("no_removal_action")  # a record or one-day cue, a breakdown, made it a figure
        c.reference = _is_reference(doc, n, sentence)
        c.negative = c.metric == "activity_change" and _is_decrease(doc, n, sentence)
        if n.qualifier == "exact" and c.unit == "count" and _exceeds(doc, n, sentence):
            c.qualifier, c.qualifier_how = "more_than", "exceeds"
        elif n.qualifier == "exact" and c.unit == "count" and _approx_after(doc, n, sentence):
            c.qualifier, c.qualifier_how = "approx", "after"
        here = [t for t in sentence.terms if t.lexicon == "platforms"]
        c.platform = here[0].id if here else main_platform
        candidates.append(c)
        previous = c
    return _with_monitored_parts(doc, candidates, monitored, main_platform)


def _with_monitored_parts(doc: _Doc, candidates: list[_Candidate], monitored: list[_Candidate],
                          platform: str | None) -> list[_Candidate]:
    """Figures a monitoring verb governs, one per organisation, that add up to a removal total stated before them
    are that total's breakdown ("the team monitored 2.7 million items on HTS channels, 1.8 million on ISIS
    channels …" after "6.0 million items were removed")."""
    if not monitored:
        return candidates
    added: list[_Candidate] = []
    for sentence in {m.sentence.start: m.sentence for m in monitored}.values():
        here = [m for m in monitored if m.sentence is sentence]
        for metric in {m.metric for m in here}:
            parts = [m for m in here if m.metric == metric]
            if len(parts) < 2 or any(m.organization is None for m in parts):
                continue
            total = sum(int(m.number.value) for m in parts)
            if any(t.metric == metric and t.organization is None and t.number.start < parts[0].number.start
                   and _close(total, int(t.number.value)) for t in candidates):
                added.extend(parts)
    if not added:
        return candidates
    for m in added:
        m.platform = platform
        doc.removal_sentences.add(m.sentence.start)
    out = sorted(candidates + added, key=lambda c: c.number.start)
    for i, c in enumerate(out):
        c.order = i
    return out


def _totals_of_parts(candidates: list[_Candidate]) -> None:
    """A figure that the figures of two or more other organisations in its sentence add up to is their total, so
    it belongs to no organisation ("تصدّر داعش بـ3 ملايين، تلاه القاعدة بـ900 ألف … بعد إزالة 3.9 مليون")."""
    by_sentence: dict[int, list[_Candidate]] = {}
    for x in candidates:
        if x.unit == "count" and x.organization is not None:
            by_sentence.setdefault(id(x.sentence), []).append(x)
    for c in candidates:
        if c.organization is None or c.unit != "count" or c.org_how == "item":
            continue  # (a group named in the figure's own list item owns it, whatever the others add up to)
        parts = [x for x in by_sentence.get(id(c.sentence), []) if x is not c and x.metric == c.metric
                 and x.organization is not None]
        if len({x.organization for x in parts}) >= 2 and len({x.organization for x in parts}) == len(parts) \
                and sum(int(x.number.value) for x in parts) == int(c.number.value):
            c.organization = None


def _unique(warnings: list[RecordWarning]) -> list[RecordWarning]:
    seen: set[tuple[str, str]] = set()
    out = []
    for w in warnings:
        if (w.code, w.message) not in seen:
            seen.add((w.code, w.message))
            out.append(w)
    return out
