"""The document every stage reads: sentences, clauses, mentions, all in original offsets; the candidate
fact the stages fill in."""

from __future__ import annotations

import datetime as _dt
from bisect import bisect_left, bisect_right
from dataclasses import dataclass, field
from typing import Any

import regex

from ..dates import find_dates, read_dates
from ..entities import Term, find_terms, split_words
from ..model import DateMention, NumberMention, Period, RecordWarning
from ..normalise import Normalised, normalise
from ..numbers import find_numbers
from ..sentences import clause_breaks_of, split_sentences

_WORDS = regex.compile(r"[\p{L}\p{M}\p{N}]+")
_ASCII_LETTERS = bytes(range(0x41, 0x5B)) + bytes(range(0x61, 0x7B))
_ISO_DATE = regex.compile(r"^\s*(\d{4})-(\d{2})-(\d{2})")
_LISTED = ("partners", "platforms")  # the lexicons a record lists whatever its facts


def _first_look(lexicon: str, ident: str, kind: str) -> bool:
    """The entries of the first look at an article: what its record lists, and the cues that make it relevant."""
    return lexicon in _LISTED or (lexicon == "cues" and (kind == "action" or ident == "peak"))


@dataclass(slots=True)
class _Sentence:
    start: int  # original offsets
    end: int
    clauses: list[int]  # original offsets where clauses begin
    index: int = 0  # its position in the article
    terms: list[Term] = field(default_factory=list)
    dates: list[DateMention] = field(default_factory=list)
    # Worked out once per sentence, on first use (a sentence holds many figures).
    cache: dict[str, Any] = field(default_factory=dict)

    @property
    def cues(self) -> list[Term]:
        """The sentence's cue words."""
        found = self.cache.get("cues")
        if found is None:
            found = self.cache["cues"] = [t for t in self.terms if t.lexicon == "cues"]
        return found  # type: ignore[no-any-return]

    @property
    def cue_ids(self) -> set[str]:
        """The ids of the sentence's cue words."""
        found = self.cache.get("cue_ids")
        if found is None:
            found = self.cache["cue_ids"] = {t.id for t in self.cues}
        return found  # type: ignore[no-any-return]


@dataclass(slots=True)
class _Candidate:
    number: NumberMention
    metric: str
    unit: str
    sentence: _Sentence
    organization: str | None = None
    org_how: str | None = None  # how the organisation was read (organisation._organisation)
    platform: str | None = None
    scope: str = "period"
    period: Period = field(default_factory=Period)
    order: int = 0
    own_date: bool = False  # the period was read in the figure's own sentence
    reference: bool = False  # the figure refers back to one stated before ("of the 14 million")
    qualifier: str | None = None  # a hedge read from the clause ("ليتجاوز الإجمالي 34.9 مليون": more_than)
    negative: bool = False  # a decrease ("انخفاض بنسبة 4.8%", "a decline of 4.8%")
    doubts: set[str] = field(default_factory=set)  # what made it uncertain: codes of patterns/confidence.toml
    # How each attribute was read, for the doubts (facts/doubts.py): the date that gave the period (None when none
    # did), and how the period, metric and qualifier were found.
    period_date: DateMention | None = None
    period_how: str | None = None  # own (its clause or sentence) | inherited | title | breakdown | inclusion
    metric_how: str | None = None  # noun | distant_noun | noun_before | action | list
    qualifier_how: str | None = None  # exceeds ("ليتجاوز الإجمالي …") | after (a hedge after the noun)
    monitored: bool = False  # a figure a monitoring verb governs, taken as a part of a removal total


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
    removal_sentences: set[int] = field(default_factory=set)  # starts of sentences holding a removal figure
    duals: dict[int, Term] = field(default_factory=dict)  # dual nouns counting two ("حسابين"), by start
    month: _dt.date | None = None  # the article's month when its day is unknown (a /2024/10/ URL)
    title_dates: list[DateMention] = field(default_factory=list)  # the periods its title names (title offsets)
    cache: dict[str, Any] = field(default_factory=dict)  # per-article look-ups built once (see _numbers_in)


# --- small helpers ---------------------------------------------------------------------------------------------
def _words(text: str) -> int:
    return len(_WORDS.findall(text))


def _gap(doc: _Doc, a: int, b: int) -> str:
    """The NORMALISED text between original offsets a and b: no marks, tatweel or invisible characters, so that
    distances and word counts are the same in a vocalised reprint as in a plain one."""
    if b <= a:
        return ""
    norm = doc.norm
    return norm.text[norm.to_normalised(a):norm.to_normalised(b)]


def _numbers_in(doc: _Doc, a: int, b: int) -> list[NumberMention]:
    """The number mentions starting in [a, b), in text order, found by bisection (a scan of every number per
    figure or sentence made a long article quadratic)."""
    index = doc.cache.get("numbers")
    if index is None:
        ordered = sorted(doc.numbers, key=lambda m: m.start)
        index = doc.cache["numbers"] = (ordered, [m.start for m in ordered])
    ordered, starts = index
    return ordered[bisect_left(starts, a):bisect_left(starts, b)]


def _years_named(doc: _Doc) -> list[tuple[str, int]]:
    """The years the article's dates start in, latest first, each with the id() of its date."""
    years = doc.cache.get("years")
    if years is None:
        years = doc.cache["years"] = sorted(((d.period.start[:4], id(d)) for d in doc.dates if d.period.start),
                                            reverse=True)
    return years


def _to_original_terms(norm: Normalised, terms: list[Term]) -> list[Term]:
    spans = norm.spans([(t.start, t.end) for t in terms])
    new = tuple.__new__  # a Term without NamedTuple's Python-level constructor
    return [new(Term, (t.lexicon, t.id, t.kind, s, e)) for t, (s, e) in zip(terms, spans, strict=True)]


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
    # Counted on the UTF-8 bytes at C speed: the Arabic block's characters start with the bytes D8–DB.
    data = text.encode("utf-8", "surrogatepass")
    ar = data.count(b"\xd8") + data.count(b"\xd9") + data.count(b"\xda") + data.count(b"\xdb")
    la = len(data) - len(data.translate(None, _ASCII_LETTERS))
    if ar + la == 0:
        return None
    return "ar" if ar >= 0.3 * (ar + la) else "en"


# --- the document ----------------------------------------------------------------------------------------------
def _read(text: str, published: str | None, warnings: list[RecordWarning], *, today: _dt.date | None = None,
          month: _dt.date | None = None, title: str | None = None, norm: Normalised | None = None) -> _Doc:
    norm = norm if norm is not None else normalise(text)
    words = split_words(norm)
    # Without a removal action or a peak cue no figure can be a removal figure: numbers, dates, sentences and the
    # other terms are not needed, only the partners and platforms the record lists. A first look reads just those
    # entries (most articles of an archive stop there); a removal cue among them opens the full reading.
    first = find_terms(norm, keep=_first_look, words=words)
    relevant = any(t.lexicon == "cues" for t in first)
    # Without a removal cue the first look holds only partners and platforms: the terms the record lists.
    terms = _to_original_terms(norm, find_terms(norm, words=words) if relevant else first)
    sentences = []
    dates: list[DateMention] = []
    title_dates: list[DateMention] = []
    if relevant:
        # A report's title names the period of its lead ("تقرير … للربع الرابع من العام 2022"); its years date the
        # yearless periods of the text that nothing else dates.
        title_dates = find_dates(title, published, today=today, month=month) if title else []
        title_years = tuple(int(d.period.start[:4]) for d in title_dates if d.period.start)
        dates, statement = read_dates(norm, published=published, today=today, month=month, title_years=title_years)
        if statement is not None:  # "اليوم الثلاثاء 4 تموز", its year fixed by its weekday: the day it was written
            published = statement.isoformat()
            day = next(d for d in dates if d.period.start == published)
            warnings.append(RecordWarning(
                "published_from_statement_day",
                f"no publication date was given; {published} is the day the text says it was written, {day.text!r} "
                f"(offset {day.start}), its year {'from its weekday' if day.inferred == 'weekday' else 'inferred'}"))
        spans = split_sentences(norm.text, words)  # the lead words from the same split
        breaks = clause_breaks_of(norm.text, spans)
        # Every clause break of the article mapped to original offsets in one walk of the offset map.
        starts = iter(norm.spans([(b, b + 1) for group in breaks for b in group]))
        for (s, e), group in zip(norm.spans(spans), breaks, strict=True):
            clauses = [next(starts)[0] for _ in group]
            sentences.append(_Sentence(s, e, clauses, len(sentences)))
    doc = _Doc(
        text=text,
        norm=norm,
        published=published,
        sentences=sentences,
        numbers=find_numbers(norm, words=words) if relevant else [],  # the number words from the same split
        dates=_without_restated_years(norm, dates),
        terms=terms,
        warnings=warnings,
        month=month,
        title_dates=title_dates,
    )
    if relevant:
        doc.numbers = _with_duals(doc, doc.numbers)
    for x, group in zip(sentences, _by_sentence(sentences, doc.terms), strict=True):
        x.terms = group
    for x, group in zip(sentences, _by_sentence(sentences, doc.dates), strict=True):
        x.dates = group
    return doc


def _by_sentence(sentences: list[_Sentence], mentions: list[Any]) -> list[list[Any]]:
    """The mentions (sorted by start) that start in each sentence, in one merge walk of both lists."""
    groups: list[list[Any]] = [[] for _ in sentences]
    k, n = 0, len(sentences)
    for m in mentions:
        while k < n and sentences[k].end <= m.start:
            k += 1
        if k == n:
            break
        if sentences[k].start <= m.start:
            groups[k].append(m)
    return groups


def _with_duals(doc: _Doc, numbers: list[NumberMention]) -> list[NumberMention]:
    """A dual noun with no figure before it counts two ("أغلقت قناتين", "وحسابين"): a number mention of 2 whose
    span is the noun itself."""
    added = []
    for t in doc.terms:
        if t.lexicon == "metrics" and t.kind == "dual":
            if any(m.kind == "number" and 0 <= t.start - m.end <= 2
                   and not any(d.start <= m.start < d.end for d in doc.dates) for m in numbers):
                continue  # "12 قناتين": the figure is written
            start = t.start + 1 if doc.text[t.start] in "\u0648\u0641" and t.end - t.start > 5 else t.start  # وحسابين
            doc.duals[start] = t
            added.append(NumberMention(2, "exact", start, t.end, doc.text[start:t.end]))
    return sorted(numbers + added, key=lambda m: m.start) if added else numbers


def _without_restated_years(norm: Normalised, dates: list[DateMention]) -> list[DateMention]:
    """A year written right after a date of that year names the date's year ("between January 1 and March 30 this
    year"): it is part of that date, not a period of its own."""
    out: list[DateMention] = []
    for d in dates:
        prev = out[-1] if out else None
        if prev is not None and d.kind == "year" and prev.kind != "year" and prev.period.start and d.period.start \
                and prev.period.start[:4] == d.period.start[:4] and prev.end <= d.start \
                and not norm.text[norm.to_normalised(prev.end):norm.to_normalised(d.start)].strip(" ,،"):
            continue
        out.append(d)
    return out


def _sentence_at(sentences: list[_Sentence], starts: list[int], pos: int) -> _Sentence | None:
    i = bisect_right(starts, pos) - 1
    if i >= 0 and pos < sentences[i].end:
        return sentences[i]
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


def _outside(numbers: list[NumberMention], dates: list[DateMention]) -> list[NumberMention]:
    """The numbers that are not part of a date mention (both lists sorted by start: one merge walk)."""
    out = []
    k = 0
    for n in numbers:
        while k < len(dates) and dates[k].end <= n.start:
            k += 1
        if k < len(dates) and dates[k].start <= n.start and n.end <= dates[k].end \
                and (dates[k].period.start or dates[k].period.end or dates[k].unresolved):
            continue  # a date the dates stage rejected ("أغسطس 1873 قناة": no year) hides no count
        out.append(n)
    return out


