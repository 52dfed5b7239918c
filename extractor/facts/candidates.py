"""Finding candidates (stage 3): is a number a removal figure, and of which metric? Its counted noun names a
removal metric (content, channels, accounts) or a removal action sits next to it, and a removal action governs its
sentence (or, for the busiest day, a peak cue does); percents become `activity_change` or `activity_share`."""

from __future__ import annotations

import regex

from ..entities import Term
from ..model import NumberMention
from .document import (
    _WORDS,
    _Candidate,
    _clause_bounds,
    _Doc,
    _gap,
    _numbers_in,
    _Sentence,
    _words,
    _years_named,
)

# How far (in words) a counted noun or an action may stand from its figure.
_NOUN_GAP_WORDS = 4
_CLAUSE_PUNCTUATION = frozenset(".!?;:,\u060c\u061b")  # a counted noun never lies beyond the figure's clause
_ACTION_GAP_WORDS = 3
# Words that may stand between a bare figure and its verb ("7,645,650 was removed", "تم حذفها").
_AUXILIARIES = frozenset({"was", "were", "has", "have", "had", "been", "being", "is", "are", "then", "also",
                          "\u062a\u0645", "\u062a\u0645\u062a", "\u0642\u062f"})
_LATIN_LETTER = regex.compile(r"[A-Za-z]")


# --- step 3: is it a removal figure, and of which metric? -----------------------------------------------------
def _counted_noun(doc: _Doc, n: NumberMention, sentence: _Sentence, limit: int) -> Term | None:
    """The metric noun after the figure (a few words, no other figure between); for a Latin compound the last noun;
    a dual noun is its own counted noun ("قناتين")."""
    dual = doc.duals.get(n.start)
    if dual is not None:
        return Term("metrics", dual.id, "noun", dual.start, dual.end)
    found: Term | None = None
    names = [t for t in sentence.terms if t.lexicon == "organisations"]
    for t in sentence.terms:
        if t.lexicon != "metrics" or t.start < n.end:
            continue
        if any(o.start <= t.start < o.end for o in names):
            continue  # "the group's accounts": "group" names an organisation here, the noun is "accounts"
        if any(d.start <= t.start < d.end for d in sentence.dates):
            continue  # "640 ألفاً خلال عام 2020": "عام" belongs to the date
        if found is None and _gap(doc, n.end, t.start) == "-" and _is_latin(doc.text[t.start:t.end]):
            return Term("metrics", "other", "other", t.start, t.end)  # "a 36-page report": a modifier, no count
        if found is not None and t.start < found.end:
            continue  # "groups" inside "terrorist groups": the longer noun phrase decides
        if found is not None:
            # English puts the head noun last ("live stream hosts"); Arabic first ("مضيف بث مباشر").
            if _gap(doc, found.end, t.start).strip() == "" and t.id != found.id \
                    and _is_latin(_gap(doc, t.start, t.end)):
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


def _classify(doc: _Doc, n: NumberMention, sentence: _Sentence,
              next_number_start: int) -> tuple[str | None, bool, str | None]:
    """The metric of a removal figure (None when it is not one), whether its counted noun was written, and how the
    metric was read: `noun` (the noun right after it), `distant_noun` (a few words on), `noun_before`, `action`."""
    if n.kind == "percent":
        return _classify_percent(doc, n, sentence), True, None
    if n.kind != "number" or not isinstance(n.value, int) or n.value <= 0:
        return None, False, None
    if n.value <= 31 and _after_day_word(doc, n, sentence):
        return None, True, None  # "ويوم 19 منه", "on day 3": a day of the month, no count
    noun = _counted_noun(doc, n, sentence, min(sentence.end, next_number_start))
    if noun is not None and noun.kind == "other":
        return None, True, None
    if noun is not None and noun.kind == "user":
        # Users are accounts only when a ban or suspension governs the figure from right before it.
        action = _governing_action(doc, n, sentence, noun)
        ok = action is not None and action.kind == "action" and action.end <= n.start and _beside(doc, n, action)
        return (noun.id if ok else None), True, "noun"
    action = _governing_action(doc, n, sentence, noun)
    has_peak = any(t.id in ("peak", "one_day") for t in sentence.terms)
    if action is not None and action.id == "monitoring" and noun is not None and _near_peak(doc, n, sentence):
        # The busiest day's activity ("a peak … with 382,640 items shared and referred to", "سجل فريق الرصد
        # نشاطاً هو الأعلى بـ…") is the report's figure for that day: monitoring words do not exclude it.
        action = None
    if action is not None and action.kind == "other_action":
        return None, noun is not None, None
    if action is None and not has_peak and not (noun is not None and (_continues_breakdown(doc, sentence)
                                                                      or _part_of_total(doc, n, sentence))):
        return None, noun is not None, None
    if noun is not None:
        near = noun.start in doc.duals or _words(_gap(doc, n.end, noun.start)) <= 1
        return noun.id, True, "noun" if near else "distant_noun"
    # No counted noun: an action right beside the figure gives the metric ("7,645,650 was removed").
    if action is not None and _beside(doc, n, action):
        return "content_removed", False, "action"
    # Or the noun was named before the figure in its clause ("بلغ عدد القنوات المغلقة 1408").
    before = _noun_before(doc, n, sentence)
    if before is not None and before.kind == "noun" and action is not None:
        return before.id, True, "noun_before"
    return None, False, None


def _removal_governs(doc: _Doc, n: NumberMention, sentence: _Sentence) -> bool:
    """Whether a removal action (not a monitoring verb) governs the figure."""
    action = _governing_action(doc, n, sentence, None)
    return action is not None and action.kind == "action" and action.id != "monitoring"


def _near_peak(doc: _Doc, n: NumberMention, sentence: _Sentence) -> bool:
    """A record or one-day cue in the figure's clause, or the last one before it with no other figure between."""
    clause = _clause_bounds(sentence, n.start)
    cues = [t for t in sentence.cues if t.id in ("peak", "one_day")]
    if any(clause[0] <= t.start < clause[1] for t in cues):
        return True
    before = [t for t in cues if t.end <= n.start]
    if not before:
        return False
    between = [m for m in _numbers_in(doc, before[-1].end, n.start) if m.kind in ("number", "percent")
               and not any(d.start <= m.start < d.end for d in sentence.dates)]
    return not between


def _noun_before(doc: _Doc, n: NumberMention, sentence: _Sentence) -> Term | None:
    """The metric noun nearest before a figure in its clause, with no other figure and few words between."""
    clause_start = _clause_bounds(sentence, n.start)[0]
    found = None
    for t in sentence.terms:
        if t.lexicon == "metrics" and clause_start <= t.start and t.end <= n.start \
                and not any(d.start <= t.start < d.end for d in sentence.dates) \
                and not any(o.start <= t.start < o.end for o in sentence.terms
                            if o.lexicon == "organisations" or o.id == "belongs_to"):
            found = t  # (not "عام" of "منذ بداية عام 2025", nor "تنظيم" of "تابع لتنظيم داعش")
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
    if action.end <= n.start:  # ... with no other figure between ("suspended 61,300 accounts, 5,420 of them")
        return _words(_gap(doc, action.end, n.start)) <= _ACTION_GAP_WORDS \
            and not any(m.kind in ("number", "percent") for m in _numbers_in(doc, action.end, n.start))
    gap = _WORDS.findall(_gap(doc, n.end, action.start).lower())
    return all(w in _AUXILIARIES for w in gap)


def _continues_breakdown(doc: _Doc, sentence: _Sentence) -> bool:
    """A sentence with no action that names an organisation right after removal figures were reported continues the
    breakdown ("Daesh created 5.4 million items and 4,359 channels, and Al-Qaeda 1.9 million …")."""
    if not any(t.lexicon == "organisations" for t in sentence.terms):
        return False
    i = sentence.index
    return any(x.start in doc.removal_sentences for x in doc.sentences[max(0, i - 3):i])


def _part_of_total(doc: _Doc, n: NumberMention, sentence: _Sentence) -> bool:
    """"…; these included 5,500 channels", "من بينها 900 قناة": a part of the removal total stated just before."""
    clause = _clause_bounds(sentence, n.start)
    if not any(t.id == "inclusion" and clause[0] <= t.start and t.end <= n.start for t in sentence.cues):
        return False
    i = sentence.index
    return any(x.start in doc.removal_sentences for x in doc.sentences[max(0, i - 1):i + 1])


def _is_reference(doc: _Doc, n: NumberMention, sentence: _Sentence) -> bool:
    """A figure with the article (الـ14 مليون) or after "of the"/"من بين" names a figure already stated."""
    if _gap(doc, max(0, n.start - 12), n.start).endswith("\u0627\u0644"):  # الـ14 مليون (tatweel folded away)
        return True
    return any(t.id == "reference" and t.end <= n.start and len(_gap(doc, t.end, n.start)) <= 6 for t in sentence.cues)


def _enumerated(doc: _Doc, n: NumberMention, previous: _Candidate | None, sentence: _Sentence) -> str | None:
    """A bare figure in an enumeration after a counted one ("… 2.9 مليون فيديو، ثم لبنان (1.35 مليون)") shares its
    metric, when nothing but a name and punctuation stands between them; so does the running total it raises. A
    bare four-digit number that is a plausible year of the article ("its 2023 report") is no member of the list."""
    if previous is None or previous.sentence is not sentence or previous.unit != "count":
        return None
    if n.text.isdigit() and len(n.text) == 4 and _plausible_year(doc, int(n.text)):
        return None
    if _after_day_word(doc, n, sentence):
        return None  # "ويوم 27 …", "on day 27": a day of the month
    if any(t.id == "comparison" and t.end <= n.start and _words(_gap(doc, t.end, n.start)) <= 1
           and not any(ch.isdigit() for ch in _gap(doc, t.end, n.start)) for t in sentence.cues):
        return previous.metric  # "16.2 million items in Q2, up from 13.6 million in Q1": the compared figure
    clause = _clause_bounds(sentence, n.start)
    if any(t.id in ("running_total", "inclusion") and clause[0] <= t.start < n.start
           and len(_gap(doc, t.end, n.start)) <= 40 for t in sentence.cues) or _exceeds(doc, n, sentence, total=True):
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
    if any(t.id in ("change", "decrease") and t.end <= n.start for t in cues) \
            and any(t.id == "comparison" for t in cues):
        return "activity_change"
    # A change word that governs the percent ("تراجع النشاط بنسبة 11%", "Removals fell by 3.1%") in a sentence that
    # reports removals is a change of the activity, compared or not.
    if any(t.kind == "action" for t in cues) and any(
            t.id in ("change", "decrease") and t.end <= n.start and _words(_gap(doc, t.end, n.start)) <= 6
            and not any(ch.isdigit() for ch in _gap(doc, t.end, n.start)) for t in cues):
        return "activity_change"
    # A share of the activity for a month or day beside the figure ("أغسطس 42%"، "شهر يناير استحوذ على 38%").
    for d in sentence.dates:
        if d.kind in ("month", "day"):
            gap = _gap(doc, d.end, n.start) if d.end <= n.start else _gap(doc, n.end, d.start)
            if _words(gap) <= 3 and not any(ch.isdigit() for ch in gap) and not any(
                    ch in _CLAUSE_PUNCTUATION for ch in gap.strip(" ،,:")):
                return "activity_share"
    return None



def _truncated(doc: _Doc, n: NumberMention) -> bool:
    """A figure cut off by a truncated text: at the very end with no full stop, or a short run of digits followed by
    a '.' that ends the line (`إزالة 14.` where the page was cut inside `14.857.909`)."""
    # The normalised text: direction marks and entities after a figure are no text.
    text, end = doc.norm.text, doc.norm.to_normalised(n.end)
    if _blank_after(text, end):
        return True
    short_digits = n.text.isdigit() and len(n.text) <= 3
    if short_digits and _blank_after(text, end, " .\u2026"):
        return True  # "… إزالة 14…" at the very end
    return short_digits and text.startswith(".", end) and (text[end + 1:end + 2] in ("\n", "\r", "")
                                                            or _blank_after(text, end + 1))


def _blank_after(text: str, start: int, chars: str | None = None) -> bool:
    """`not text[start:].strip(chars)` without copying the rest of a long text when a non-blank character comes
    soon (a copy of the rest per figure made a long article quadratic)."""
    if text[start:start + 256].strip(chars):
        return False
    return start + 256 >= len(text) or not text[start + 256:].strip(chars)




def _is_decrease(doc: _Doc, n: NumberMention, sentence: _Sentence) -> bool:
    """A change the nearest change word before it names as a fall ("انخفاض بنسبة 4.8%", "a decline of 4.8%")."""
    before = [t for t in sentence.cues if t.id in ("change", "decrease") and t.end <= n.start]
    return bool(before) and before[-1].id == "decrease"


_SCALE_ONLY = frozenset({1000, 1000000, 1000000000})
_BRACKETS_ONLY = regex.compile(r"^[\s()\[\]«»\"'“”]*$")


def _without_unit_words(doc: _Doc, numbers: list[NumberMention]) -> list[NumberMention]:
    """A scale word written after a full figure ("( 7.012.385 ) مليون محتوى") repeats the figure's unit: it is not a
    figure of its own (and must not take the figure's counted noun)."""
    out: list[NumberMention] = []
    for n in numbers:
        prev = out[-1] if out else None
        if prev is not None and n.kind == "number" and n.value in _SCALE_ONLY and prev.kind == "number" \
                and not any(ch.isdigit() for ch in n.text) and isinstance(prev.value, int) and prev.value >= n.value \
                and _BRACKETS_ONLY.match(_gap(doc, prev.end, n.start)):
            continue
        out.append(n)
    return out


def _plausible_year(doc: _Doc, value: int) -> bool:
    """A year the article can speak of: up to its publication year (or, undated, the years its text names)."""
    years = _years_named(doc)
    latest = int(doc.published[:4]) if doc.published else int(years[0][0]) if years else 2100
    return 1990 <= value <= latest + 1


def _monitored(doc: _Doc, n: NumberMention, sentence: _Sentence, next_number_start: int) -> str | None:
    """The metric of a counted figure that a monitoring verb governs ("رصد الفريق 2.7 مليون محتوى في 477 قناة"):
    no removal by itself, but the part of a removal total when such figures add up to it."""
    if n.kind != "number" or not isinstance(n.value, int) or n.value <= 0:
        return None
    noun = _counted_noun(doc, n, sentence, min(sentence.end, next_number_start))
    if noun is None or noun.kind != "noun":
        return None
    action = _governing_action(doc, n, sentence, noun)
    return noun.id if action is not None and action.id == "monitoring" else None


def _exceeds(doc: _Doc, n: NumberMention, sentence: _Sentence, total: bool = False) -> bool:
    """A verb of exceeding before the figure in its clause, a few words away with no other figure between (dates
    aside): "ليتجاوز الإجمالي 34.9 مليون"; with `total`, its subject must be a total ("الإجمالي", "the total")."""
    clause = _clause_bounds(sentence, n.start)
    for t in sentence.cues:
        if t.id != "exceeds" or t.start < clause[0] or t.end > n.start:
            continue
        gap = _gap(doc, t.end, n.start)
        for d in sentence.dates:
            if t.end <= d.start and d.end <= n.start:
                gap = gap.replace(_gap(doc, d.start, d.end), " ")
        if _words(gap) > 8 or any(ch.isdigit() for ch in gap):
            continue
        if not total or any(x.id == "total" and t.end <= x.start < n.start for x in sentence.cues):
            return True
    return False


def _approx_after(doc: _Doc, n: NumberMention, sentence: _Sentence) -> bool:
    """A hedge after the counted noun ("3 ملايين منشور تقريباً", "3 million posts or so"): approx."""
    return any(t.id == "approx_after" and t.start >= n.end and _words(_gap(doc, n.end, t.start)) <= 3
               and not any(ch in _CLAUSE_PUNCTUATION or ch.isdigit() for ch in _gap(doc, n.end, t.start))
               for t in sentence.cues)


def _after_day_word(doc: _Doc, n: NumberMention, sentence: _Sentence) -> bool:
    """The word "day"/"يوم" right before the number ("ويوم 27", "day 3"): a day of the month."""
    return any(t.id == "day_word" and t.end <= n.start and not _gap(doc, t.end, n.start).strip()
               for t in sentence.cues)
