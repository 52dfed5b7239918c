"""The fact extractor: an article in, its record out (CONTRACT.md §1–2).

The stages, in the order data flows:
1. normalise the text once (offset map kept), split it into sentences and clauses;
2. mentions: numbers (`extractor.numbers`), dates (`extractor.dates`), entities and cue words (`extractor.entities`);
3. each number becomes a candidate fact when it is a removal figure: its counted noun names a removal metric
   (content, channels, accounts) or a removal action sits next to it, and a removal action governs its sentence
   (or, for the busiest day, a peak cue does); percents become `activity_change` (a change cue and a comparison)
   or `activity_share` (a month right beside them);
4. attributes: the organisation (named before its figures, or after them with "belonging to"/"تابعة لـ"; a list of
   several organisations is a total, so no organisation; a connector such as "while"/"في حين" ends its reach), the
   scope (peak with a peak cue and a day; cumulative with a since-date, a long range or a running-total cue; else
   period) and the period (the nearest date in the clause, else in the sentence, else the last period stated before
   the figure; a breakdown by organisation takes the period of the total it adds up to);
5. one fact per figure: statements that agree (equal, or one a rounding or hedge of the other) with the same
   metric, organisation, scope and a compatible period are one fact, the most precise statement kept;
6. consistency warnings (never corrections): organisation figures that do not add up to their total, a weekday that
   does not match its date, cumulative totals that do not add up, figures cut off at the end of a truncated text.

All language knowledge comes from `patterns/`; this module knows no words. To teach it a new cue, edit the pattern
files (cues.toml, metrics.toml, organisations.toml …) and add an example there.
"""

from __future__ import annotations

import datetime as _dt
from bisect import bisect_left, bisect_right, insort
from collections import Counter
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import accumulate, pairwise
from typing import Any

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
_CLAUSE_PUNCTUATION = frozenset(".!?;:,\u060c\u061b")  # a counted noun never lies beyond the figure's clause
_ACTION_GAP_WORDS = 3
_WORDS = regex.compile(r"[\p{L}\p{M}\p{N}]+")
# Words that may stand between a bare figure and its verb ("7,645,650 was removed", "تم حذفها").
_AUXILIARIES = frozenset({"was", "were", "has", "have", "had", "been", "being", "is", "are", "then", "also",
                          "\u062a\u0645", "\u062a\u0645\u062a", "\u0642\u062f"})
_LATIN_LETTER = regex.compile(r"[A-Za-z]")
_ASCII_LETTERS = bytes(range(0x41, 0x5B)) + bytes(range(0x61, 0x7B))
_ISO_DATE = regex.compile(r"^\s*(\d{4})-(\d{2})-(\d{2})")


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
    platform: str | None = None
    scope: str = "period"
    period: Period = field(default_factory=Period)
    order: int = 0
    own_date: bool = False  # the period was read in the figure's own sentence
    reference: bool = False  # the figure refers back to one stated before ("of the 14 million")


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


def _to_original_terms(norm: Normalised, terms: list[Term]) -> list[Term]:
    spans = norm.spans([(t.start, t.end) for t in terms])
    return [Term(t.lexicon, t.id, t.kind, s, e) for t, (s, e) in zip(terms, spans, strict=True)]


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
def _read(text: str, published: str | None, warnings: list[RecordWarning]) -> _Doc:
    norm = normalise(text)
    terms = _to_original_terms(norm, find_terms(norm))
    # Without a removal action or a peak cue no figure can be a removal figure: numbers and dates are not needed.
    relevant = any(t.kind == "action" or t.id == "peak" for t in terms if t.lexicon == "cues")
    sentences = []
    if relevant:
        spans = split_sentences(norm.text)
        for (ns, ne), (s, e) in zip(spans, norm.spans(spans), strict=True):
            breaks = clause_breaks(norm.text, ns, ne)
            clauses = [o for o, _ in norm.spans([(b, b + 1) for b in breaks])] if breaks else []
            sentences.append(_Sentence(s, e, clauses, len(sentences)))
    doc = _Doc(
        text=text,
        norm=norm,
        published=published,
        sentences=sentences,
        numbers=find_numbers(norm) if relevant else [],
        dates=find_dates(norm, published=published) if relevant else [],
        terms=terms,
        warnings=warnings,
    )
    starts = [x.start for x in sentences]
    for t in doc.terms:
        x = _sentence_at(sentences, starts, t.start)
        if x is not None:
            x.terms.append(t)
    for d in doc.dates:
        x = _sentence_at(sentences, starts, d.start)
        if x is not None:
            x.dates.append(d)
    return doc


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
        if k < len(dates) and dates[k].start <= n.start and n.end <= dates[k].end:
            continue
        out.append(n)
    return out


# --- step 3: is it a removal figure, and of which metric? -----------------------------------------------------
def _counted_noun(doc: _Doc, n: NumberMention, sentence: _Sentence, limit: int) -> Term | None:
    """The metric noun after the figure (a few words, no other figure between); for a Latin compound the last noun."""
    found: Term | None = None
    for t in sentence.terms:
        if t.lexicon != "metrics" or t.start < n.end:
            continue
        if found is not None:
            # English puts the head noun last ("live stream hosts"); Arabic first ("مضيف بث مباشر").
            if _gap(doc, found.end, t.start).strip() == "" and t.id != found.id and _is_latin(doc.text[t.start:t.end]):
                found = t
                continue
            break
        if t.start >= limit:
            return None
        gap = _gap(doc, n.end, t.start)
        if any(ch.isdigit() for ch in gap) or any(ch in _CLAUSE_PUNCTUATION for ch in gap) \
                or _words(gap) > _NOUN_GAP_WORDS:
            return None
        found = t
    return found


def _is_latin(s: str) -> bool:
    return bool(_LATIN_LETTER.search(s))


def _governing_action(doc: _Doc, n: NumberMention, sentence: _Sentence, noun: Term | None) -> Term | None:
    """The action that governs a figure: a monitoring verb right after its noun phrase wins ("videos restored"),
    else the nearest action before it in the sentence, else the nearest after it."""
    actions = [t for t in sentence.cues if t.kind in ("action", "other_action")]
    if not actions:
        return None
    tail = noun.end if noun is not None else n.end
    for t in actions:
        if t.start >= tail and _words(_gap(doc, tail, t.start)) <= 2:
            if t.kind == "other_action":
                return t
            break
    before = [t for t in actions if t.end <= n.start]
    if before:
        return max(before, key=lambda t: t.end)
    after = [t for t in actions if t.start >= n.end]
    return min(after, key=lambda t: t.start) if after else None


def _classify(doc: _Doc, n: NumberMention, sentence: _Sentence, next_number_start: int) -> tuple[str | None, bool]:
    """The metric of a removal figure (None when it is not one), and whether its counted noun was written."""
    if n.kind == "percent":
        return _classify_percent(doc, n, sentence), True
    if n.kind != "number" or not isinstance(n.value, int) or n.value <= 0:
        return None, False
    noun = _counted_noun(doc, n, sentence, min(sentence.end, next_number_start))
    if noun is not None and noun.kind == "other":
        return None, True
    if noun is not None and noun.kind == "user":
        # Users are accounts only when a ban or suspension governs the figure from right before it.
        action = _governing_action(doc, n, sentence, noun)
        ok = action is not None and action.kind == "action" and action.end <= n.start and _beside(doc, n, action)
        return (noun.id if ok else None), True
    action = _governing_action(doc, n, sentence, noun)
    if action is not None and action.kind == "other_action":
        return None, noun is not None
    has_peak = any(t.id == "peak" for t in sentence.terms)
    if action is None and not has_peak and not (noun is not None and _continues_breakdown(doc, sentence)):
        return None, noun is not None
    if noun is not None:
        return noun.id, True
    # No counted noun: an action right beside the figure gives the metric ("7,645,650 was removed").
    if action is not None and _beside(doc, n, action):
        return "content_removed", False
    # Or the noun was named before the figure in its clause ("بلغ عدد القنوات المغلقة 1408").
    before = _noun_before(doc, n, sentence)
    if before is not None and before.kind == "noun" and action is not None:
        return before.id, True
    return None, False


def _noun_before(doc: _Doc, n: NumberMention, sentence: _Sentence) -> Term | None:
    """The metric noun nearest before a figure in its clause, with no other figure and few words between."""
    clause_start = _clause_bounds(sentence, n.start)[0]
    found = None
    for t in sentence.terms:
        if t.lexicon == "metrics" and clause_start <= t.start and t.end <= n.start:
            found = t
    if found is None:
        return None
    # Dates between the noun and the figure ("عدد القنوات المغلقة خلال الربع الأول من 2025 نحو 1408") are skipped.
    gap = _gap(doc, found.end, n.start)
    for d in sentence.dates:
        if found.end <= d.start and d.end <= n.start:
            gap = gap.replace(_gap(doc, d.start, d.end), " ")
    if any(ch.isdigit() for ch in gap) or _words(gap) > 6:
        return None
    return found


def _beside(doc: _Doc, n: NumberMention, action: Term) -> bool:
    """An action just before the figure, or right after it with only auxiliaries between ("7,645,650 was removed")."""
    if action.end <= n.start:
        return _words(_gap(doc, action.end, n.start)) <= _ACTION_GAP_WORDS
    gap = _WORDS.findall(_gap(doc, n.end, action.start).lower())
    return all(w in _AUXILIARIES for w in gap)


def _continues_breakdown(doc: _Doc, sentence: _Sentence) -> bool:
    """A sentence with no action that names an organisation right after removal figures were reported continues the
    breakdown ("Daesh created 5.4 million items and 4,359 channels, and Al-Qaeda 1.9 million …")."""
    if not any(t.lexicon == "organisations" for t in sentence.terms):
        return False
    i = sentence.index
    return any(x.start in doc.removal_sentences for x in doc.sentences[max(0, i - 3):i])


def _is_reference(doc: _Doc, n: NumberMention, sentence: _Sentence) -> bool:
    """A figure with the article (الـ14 مليون) or after "of the"/"من بين" names a figure already stated."""
    if _gap(doc, max(0, n.start - 12), n.start).endswith("\u0627\u0644"):  # الـ14 مليون (tatweel folded away)
        return True
    return any(t.id == "reference" and t.end <= n.start and len(_gap(doc, t.end, n.start)) <= 6 for t in sentence.cues)


def _enumerated(doc: _Doc, n: NumberMention, previous: _Candidate | None, sentence: _Sentence) -> str | None:
    """A bare figure in an enumeration after a counted one ("… 2.9 مليون فيديو، ثم لبنان (1.35 مليون)") shares its
    metric, when nothing but a name and punctuation stands between them; so does the running total it raises."""
    if previous is None or previous.sentence is not sentence or previous.unit != "count":
        return None
    clause = _clause_bounds(sentence, n.start)
    if any(t.id == "running_total" and clause[0] <= t.start < n.start for t in sentence.cues):
        # "… removed 31 million items, bringing the total since February 2022 to over 160 million"
        return previous.metric
    gap = _gap(doc, previous.number.end, n.start)
    if len(gap) > 60 or _words(gap) > 6 or any(ch.isdigit() for ch in gap) or any(ch in ".!?;" for ch in gap):
        return None
    actions = [t for t in sentence.terms if previous.number.end <= t.start < n.start and t.lexicon == "cues"
               and t.kind in ("action", "other_action")]
    return None if actions else previous.metric


def _classify_percent(doc: _Doc, n: NumberMention, sentence: _Sentence) -> str | None:
    cues = sentence.cues
    if any(t.id == "change" and t.end <= n.start for t in cues) and any(t.id == "comparison" for t in cues):
        return "activity_change"
    # A share of the activity for a month or day beside the figure ("أغسطس 42%"، "شهر يناير استحوذ على 38%").
    for d in sentence.dates:
        if d.kind in ("month", "day"):
            gap = _gap(doc, d.end, n.start) if d.end <= n.start else _gap(doc, n.end, d.start)
            if _words(gap) <= 3 and not any(ch.isdigit() for ch in gap) and not any(
                    ch in _CLAUSE_PUNCTUATION for ch in gap.strip(" ،,:")):
                return "activity_share"
    return None


# --- step 4: organisation -------------------------------------------------------------------------------------
_LIST_GAP = regex.compile(r"^[\s\"'«»“”‘’()\[\]\-–—,،/]*(?:(?:و|and|or|&)\s*[\s\"'«»“”()\-]*)?$")
_ORG_FILLER = regex.compile(r"(?i)\b(?:the|terrorist|organi[sz]ations?|groups?)\b|تنظيم\p{L}*|ال[إا]رهابي\p{L}*")


@dataclass(frozen=True, slots=True)
class _Anchor:
    start: int
    end: int
    org: str | None  # None: a list of several organisations (their total)
    backwards: bool  # "… 74 قناة استخدمها تنظيم القاعدة": owns the figures before it


def _anchors(doc: _Doc, sentence: _Sentence) -> list[_Anchor]:
    """Organisation mentions of a sentence; several in a row make one list anchor (a total over them)."""
    orgs = [t for t in sentence.terms if t.lexicon == "organisations"]
    attach = [t for t in sentence.terms if t.lexicon == "cues" and t.id == "belongs_to"]
    anchors: list[_Anchor] = []
    i = 0
    while i < len(orgs):
        j = i
        while j + 1 < len(orgs):
            gap = _gap(doc, orgs[j].end, orgs[j + 1].start)
            if len(gap) >= 40 or not _LIST_GAP.match(_ORG_FILLER.sub("", gap)):
                break
            j += 1
        ids = {o.id for o in orgs[i:j + 1]}
        start, end = orgs[i].start, orgs[j].end
        backwards = any(a.end <= start and len(g := _gap(doc, a.end, start)) <= 40 and _words(g) <= 4 for a in attach)
        anchors.append(_Anchor(start, end, ids.pop() if len(ids) == 1 else None, backwards))
        i = j + 1
    return anchors


def _organisation(doc: _Doc, n: NumberMention, sentence: _Sentence) -> str | None:
    anchors = sentence.cache.get("anchors")
    if anchors is None:
        anchors = sentence.cache["anchors"] = _anchors(doc, sentence)
    connectors = [t.start for t in sentence.cues if t.kind == "connector"]
    # An anchor after the figure that attaches backwards owns it, unless another anchor or a connector
    # ("while", "في حين") stands between them.
    for a in anchors:
        if a.start >= n.end:
            if a.backwards and not any(n.end <= c < a.start for c in connectors):
                return a.org
            break
    owner: _Anchor | None = None
    for a in anchors:
        if a.end <= n.start:
            owner = a
    if owner is not None:
        # A connector after the owner opens a new subject: the figure is no longer the owner's.
        if any(owner.end <= c < n.start for c in connectors):
            return None
        return owner.org
    if not anchors:
        return _carried_over(doc, sentence)
    return None


def _carried_over(doc: _Doc, sentence: _Sentence) -> str | None:
    """An organisation named last in the sentence before, owning no figure there, owns the figures of a sentence that
    names none and opens with a connector ("وجاء تنظيم «هيئة تحرير الشام» ثانياً. بينما أزيل 768 ألفاً …")."""
    i = sentence.index
    opens_with_connector = any(t.kind == "connector" and t.start - sentence.start <= 2 for t in sentence.cues)
    if i == 0 or not opens_with_connector:
        return None
    before = doc.sentences[i - 1]
    anchors = before.cache.get("anchors")
    if anchors is None:
        anchors = before.cache["anchors"] = _anchors(doc, before)
    if not anchors or anchors[-1].org is None or anchors[-1].backwards:
        return None
    last = anchors[-1]
    if any(last.end <= m.start < before.end and m.kind in ("number", "percent") for m in doc.numbers):
        return None
    return last.org


# --- step 4: scope and period ---------------------------------------------------------------------------------
def _starts_with_cue(doc: _Doc, d: DateMention, sentence: _Sentence, ids: tuple[str, ...], reach: int = 10) -> bool:
    """Whether a cue of `ids` stands inside the mention's start or just before it."""
    return any(
        t.id in ids and ((d.start <= t.start and len(_gap(doc, d.start, t.start)) < reach)
                         or (t.end <= d.start and len(_gap(doc, t.end, d.start)) <= reach))
        for t in sentence.cues
    )


def _is_since(doc: _Doc, d: DateMention, sentence: _Sentence) -> bool:
    return _starts_with_cue(doc, d, sentence, ("since", "cumulative"), 12)


def _is_comparison_base(doc: _Doc, d: DateMention, sentence: _Sentence) -> bool:
    return any(
        t.id == "comparison" and t.end <= d.start and len(g := _gap(doc, t.end, d.start)) <= 12 and _words(g) <= 2
        for t in sentence.cues
    )


def _months_between(p: Period) -> int | None:
    if not p.start or not p.end:
        return None
    sy, sm = int(p.start[:4]), int(p.start[5:7]) if len(p.start) >= 7 else 1
    ey, em = int(p.end[:4]), int(p.end[5:7]) if len(p.end) >= 7 else 12
    return (ey - sy) * 12 + (em - sm) + 1


def _nearest(dates: list[DateMention], n: NumberMention) -> DateMention | None:
    if not dates:
        return None

    def key(d: DateMention) -> int:
        return n.start - d.end if d.end <= n.start else (d.start - n.end) + 60

    return min(dates, key=key)


@dataclass(slots=True)
class _SentenceDates:
    since: list[DateMention]  # since-starts of running totals
    year_start: list[DateMention]  # "since the start of this year": a period to date
    usable: list[DateMention]  # dates that can frame a figure
    comparison: list[DateMention]  # comparison bases ("compared to the first quarter")
    ends: list[DateMention] = field(default_factory=list)  # end bounds ("بحلول نهاية مارس 2025")


def _sentence_dates(doc: _Doc, sentence: _Sentence) -> _SentenceDates:
    found = sentence.cache.get("dates")
    if found is not None:
        return found  # type: ignore[no-any-return]
    out = sentence.cache["dates"] = _SentenceDates([], [], [], [])
    for d in sentence.dates:
        if not (d.period.start or d.period.end):
            continue
        if _is_comparison_base(doc, d, sentence):
            out.comparison.append(d)
        elif (d.kind != "range" or d.period.start is None) and _starts_with_cue(doc, d, sentence, ("until",), 16):
            out.ends.append(d)
        elif _is_since(doc, d, sentence):
            if _starts_with_cue(doc, d, sentence, ("year_start",), 20):
                out.year_start.append(d)
            else:
                out.since.append(d)
        else:
            out.usable.append(d)
    return out


def _scope_and_period(doc: _Doc, c: _Candidate, partnership_start: str | None) -> None:
    n, sentence = c.number, c.sentence
    cue_ids = sentence.cue_ids
    clause = _clause_bounds(sentence, n.start)
    clause_cues = {t.id for t in sentence.cues if clause[0] <= t.start < clause[1]}
    dates = _sentence_dates(doc, sentence)

    def in_clause(ds: list[DateMention]) -> list[DateMention]:
        return [d for d in ds if clause[0] <= d.start < clause[1]]

    # Peak: a peak cue and a single day (or month) in the sentence.
    if "peak" in cue_ids and c.unit == "count":
        days = [d for d in dates.usable if d.kind == "day"] or [d for d in dates.usable if d.kind == "month"]
        if days:
            c.scope, c.period, c.own_date = "peak", Period(days[0].period.start, days[0].period.start), True
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

    if c.unit == "count" and not same_period:
        # The clause speaks first: a since-date or a long range in it makes a running total, a frame in it a period.
        window = in_clause(dates.since) or in_clause(long_ranges)
        if not window and not clause_frames:
            window = dates.since or long_ranges
        ends = in_clause(dates.ends) or ([] if clause_frames else dates.ends)
        if window or ((running or ends) and not clause_frames):
            # "during 2022 and since the partnership began (Feb 2022) until December 2022": the year frames it.
            if window and framing and _within(window[0].period, framing[0].period):
                c.scope, c.period, c.own_date = "period", framing[0].period, True
                return
            c.scope = "cumulative"
            if window:
                d = _nearest(window, n) or window[0]
                # "منذ 2022" is a start, not the year 2022: its own end is not the total's end.
                own_end = d.period.end if d.kind == "range" else None
                end = own_end or _end_bound(doc, sentence, d, dates)
                c.period, c.own_date = Period(d.period.start or partnership_start, end), True
            else:
                c.period = Period(partnership_start, ends[0].period.end if ends else None)
                c.own_date = bool(ends)
            return

    if same_period:
        return  # "خلال نفس الفترة": the period of the figures before it, inherited below
    d = _nearest(clause_usable, n) or _nearest(usable, n) or _nearest(dates.year_start, n)
    if d is not None:
        c.period, c.own_date = d.period, True
        if d.unresolved:
            doc.warnings.append(RecordWarning("unresolved_date", f"{d.text!r}: {d.unresolved}"))


def _end_bound(doc: _Doc, sentence: _Sentence, since: DateMention, dates: _SentenceDates) -> str | None:
    """The end of a running total stated apart from its start ("… منذ فبراير 2022، … بحلول نهاية مارس 2025")."""
    for d in dates.ends:
        if d.start > since.end:
            return d.period.end
    return None


def _within(inner: Period, outer: Period) -> bool:
    if not inner.start or not outer.start or not outer.end:
        return False
    end = inner.end or inner.start
    return outer.start[:4] == inner.start[:4] and end[:4] <= outer.end[:4]


def _partnership_start(doc: _Doc) -> str | None:
    """The month a partnership began: a date right after a start cue or a since-partnership cue."""
    for sentence in doc.sentences:
        starts = [t for t in sentence.cues if t.id in ("start", "cumulative")]
        for d in sentence.dates:
            if not d.period.start or d.kind not in ("day", "month", "range"):
                continue
            for t in starts:
                if (t.end <= d.start and len(g := _gap(doc, t.end, d.start)) <= 60 and _words(g) <= 7) \
                        or d.start <= t.start < d.end:
                    return d.period.start[:7]
    return None


def _inherit_periods(doc: _Doc, candidates: list[_Candidate]) -> None:
    """A figure with no date of its own takes the last period stated before it (else the first after it); a
    breakdown by organisation takes the period of the total it adds up to."""
    frames: list[DateMention] = []
    for sentence in doc.sentences:
        sd = _sentence_dates(doc, sentence)
        frames.extend(d for d in sd.usable if d.kind in ("quarter", "half", "year", "month", "range")
                      and not d.unresolved and (d.period.start != doc.published))
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
            c.period = d.period
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
    # The first total (in order) of the same metric that a run's sum is close to (within 2 %): looked up in a value
    # window of the metric's totals instead of a scan of every total per run.
    # Per metric: the distinct total values, sorted, each with the first total stating it.
    first: dict[str, dict[int, int]] = {}
    for k, t in enumerate(totals):
        first.setdefault(t.metric, {}).setdefault(int(t.number.value), k)
    by_metric = {m: sorted(f.items()) for m, f in first.items()}
    for run in runs:
        for metric in {c.metric for c in run}:
            parts = [c for c in run if c.metric == metric]
            s = sum(int(c.number.value) for c in parts)
            values = by_metric.get(metric, [])
            lo = bisect_left(values, (int(s / 1.02) - 1, -1))
            hi = bisect_right(values, (int(s / 0.98) + 1, len(totals)))
            close = [k for b, k in values[lo:hi] if _close(s, b)]
            if close:
                for c in parts:
                    c.period = totals[min(close)].period


def _close(a: int, b: int) -> bool:
    return a == b or (b > 0 and abs(a - b) / b < 0.02)


# --- step 5: one fact per figure ------------------------------------------------------------------------------
@lru_cache(maxsize=4096)
def _precision(n: NumberMention) -> int:
    """The unit of the last digit of a count as written: 28,495,947 → 1; 28.5 مليون → 100000; 10 ملايين → 1000000;
    a figure in words counts to its last non-zero digit."""
    v = int(n.value)
    digits = "".join(ch for ch in normalise(n.text).text if ch.isdigit())
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
    p = _precision(rough.number)
    if p < 1000:
        return False
    vr, vf = float(rough.number.value), float(fine.number.value)
    if rough.number.qualifier == "more_than":
        return vr <= vf < vr + p
    return abs(vr - vf) < p


def _compatible(a: _Candidate, b: _Candidate) -> bool:
    if not a.own_date or not b.own_date:
        return True  # a headline figure without a date of its own is the same statement as its dated twin
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
    sorted by value: `_agree` needs |a − b| < the rougher precision (≥ 1000), or equal values, so only a value
    window of each precision group is tried — in kept order, as a scan of every kept statement would (that scan made
    a long article with many distinct figures quadratic)."""
    kept: list[_Candidate] = []
    index: dict[tuple[str, str | None, str], dict[int, list[tuple[float, int]]]] = {}

    def precision(c: _Candidate) -> int:
        return _precision(c.number) if c.unit == "count" else 0

    for c in candidates:
        groups = index.setdefault((c.metric, c.organization, c.unit), {})
        vc, pc = float(c.number.value), precision(c)
        near: list[int] = []
        for p, entries in groups.items():
            reach = max(p, pc) if c.unit == "count" and max(p, pc) >= 1000 else 0
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
                winner.scope = dated.scope
                winner.period = Period(dated.period.start or other.period.start, dated.period.end or other.period.end)
                winner.own_date = winner.own_date or other.own_date
                if winner is not k:
                    old = groups[precision(k)]
                    del old[bisect_left(old, (float(k.number.value), i))]
                    insort(groups.setdefault(pc, []), (vc, i))
                kept[i] = winner
                break
        else:
            kept.append(c)
            insort(groups.setdefault(pc, []), (vc, len(kept) - 1))
    return sorted(kept, key=lambda c: c.order)


# --- step 6: consistency warnings -----------------------------------------------------------------------------
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
            if s != int(totals[0].number.value):
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
                    doc.warnings.append(RecordWarning(
                        "cumulative_does_not_add_up",
                        f"{older.metric}: {int(older.number.value):,} + {int(p.number.value):,} ≠ "
                        f"{int(newer.number.value):,}"))
    for d in doc.dates:
        if d.weekday_matches is False:
            doc.warnings.append(RecordWarning("weekday_mismatch", f"{d.text!r}: the weekday does not match the date"))
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


def _truncated(doc: _Doc, n: NumberMention) -> bool:
    """A figure cut off by a truncated text: at the very end with no full stop, or a short run of digits followed by
    a '.' that ends the line (`إزالة 14.` where the page was cut inside `14.857.909`)."""
    text, end = doc.text, n.end
    if _blank_after(text, end):
        return True
    short_digits = n.text.isdigit() and len(n.text) <= 3
    if short_digits and _blank_after(text, end, " .\u2026"):
        return True  # "… إزالة 14…" at the very end
    return short_digits and text.startswith(".", end) and (text[end + 1:end + 2] in ("\n", "")
                                                            or _blank_after(text, end + 1))


def _blank_after(text: str, start: int, chars: str | None = None) -> bool:
    """`not text[start:].strip(chars)` without copying the rest of a long text when a non-blank character comes
    soon (a copy of the rest per figure made a long article quadratic)."""
    if text[start:start + 256].strip(chars):
        return False
    return start + 256 >= len(text) or not text[start + 256:].strip(chars)


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

    starts = [x.start for x in doc.sentences]
    candidates: list[_Candidate] = []
    numbers = [n for n in _outside(doc.numbers, doc.dates) if n.kind in ("number", "percent")]
    previous: _Candidate | None = None
    for i, n in enumerate(numbers):
        sentence = _sentence_at(doc.sentences, starts, n.start)
        if sentence is None:
            continue
        next_start = numbers[i + 1].start if i + 1 < len(numbers) else len(text)
        metric, counted = _classify(doc, n, sentence, next_start)
        if metric is None and not counted and n.kind == "number":
            metric = _enumerated(doc, n, previous, sentence)
        if metric is None:
            previous = None
            continue
        if n.kind == "number" and not counted and _truncated(doc, n):
            doc.warnings.append(RecordWarning("truncated_number",
                                              f"{n.text!r} at offset {n.start} is cut off by the end of the text"))
            continue
        c = _Candidate(n, metric, "percent" if n.kind == "percent" else "count", sentence, order=len(candidates))
        doc.removal_sentences.add(sentence.start)
        c.organization = _organisation(doc, n, sentence)
        c.reference = _is_reference(doc, n, sentence)
        here = [t for t in sentence.terms if t.lexicon == "platforms"]
        c.platform = here[0].id if here else main_platform
        candidates.append(c)
        previous = c

    if not any(c.unit == "count" for c in candidates):
        candidates = []  # percents alone (growth rates, shares of a population) are no removal report
    partnership_start = _partnership_start(doc)
    for c in candidates:
        _scope_and_period(doc, c, partnership_start)
    _inherit_periods(doc, candidates)

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
