"""Finding atoms: every time expression a normalised text states, as an `_Atom`, before grouping and resolution.

Stage 1 scans the lower-cased text for anchor stems (`_rules().anchor_rx`); stage 2 tries the atom grammar of each
hit's classes at the hit's word and the few words before it that may begin an expression (`_candidates`), after the
context checks that keep a stem inside a longer word, a lower-case English month or a weekday alone from firing.
`_atom_from_match` reads a match into an `_Atom`; `_plausible_years` drops the 4-digit numbers that cannot be years
of the article and `_weekdays_after_days` joins a weekday to the written day before it.
"""

from __future__ import annotations

import datetime as _dt
import re
from dataclasses import dataclass

import regex

from .. import chars as C
from .lexicon import _AL, _HEH, _MEEM, _PROCLITICS, _WAW, _key, _Lexicon, _lookup
from .rules import _WDAY_ONLY, _Rules, _tries, _Try


@dataclass(slots=True)
class _Atom:
    """One time expression as the text states it (normalised offsets), before resolution."""

    s: int
    e: int
    kind: str  # day | dayrange | month | quarter | half | year | relative
    y: int | None = None  # explicit Gregorian year
    yoff: int | None = None  # relative year (العام الماضي → -1)
    ybare: bool = False  # "من العام" / "بداية العام": the year of the context
    mo: int | None = None
    d: int | None = None
    d1: int | None = None  # first day of a day range
    q: int | None = None  # quarter 1..4, or half 1..2 (kind tells which)
    q2: int | None = None  # the last of two quarters or halves named at once (الربعين الأول والثاني)
    wrel: int | None = None  # a weekday alone: -1 the last before published, 0 on or before it, 1 the next after it
    today: bool = False  # "اليوم الثلاثاء": the publication day itself
    yweak: bool = False  # "في 2020 طلبات": a year only when plausible for the article
    bare_year: bool = False  # a year number with no year noun or era mark (in 2022, منذ 2022)
    mon_end: int | None = None  # where the month name ends when a bare year number follows it (نوفمبر 2094)
    weak_without_year: bool = False  # an ambiguous month name that is weak once its year is taken away
    dual_year: bool = False  # "عامي 2022 و2023": the first of two years that form one span
    last_prev: bool = False  # English "last quarter" without a year: the previous quarter
    qoff: int | None = None  # relative quarter
    anchored: bool = False  # "the previous quarter": count back from the quarter just mentioned
    moff: int | None = None  # relative month (الشهر الماضي)
    msuf: int | None = None  # after a month name (سبتمبر الماضي)
    woff: int | None = None
    doff: int | None = None
    past: tuple[int, str] | None = None  # the past N months/years/weeks
    months_to: int | None = None  # "the 12 months to": N months ending with the month atom that follows
    within: bool = False  # "خلال 3 أشهر": a duration, the period of that length the text names if it names one
    edge: str | None = None  # "first" / "last": the first or last N months of a year
    hijri: bool = False
    hy: int | None = None
    weak: bool = False  # an ambiguous month name with nothing around it that makes it a month
    wd: int | None = None
    bound: str | None = None  # "start" / "end": only that end of the atom counts (بداية / نهاية)
    since: bool = False  # the start of a running total (منذ فبراير 2022): not the year of the sentence's periods
    founding: bool = False  # a year after a founding word (تأسس عام 2017): it dates no report (years.py)
    yinf: str | None = None  # how years.py inferred the year `y` (hijri_pair, weekday), None when the text states it
    yamb: str | None = None  # why the date has no year although it names a weekday or a Hijri partner (years.py)


def _word_before(t: str, i: int) -> str:
    """The word before position `i`, folded to lower case, without punctuation and without و/ف before it."""
    prev = t[max(0, i - 30):i].split()
    if not prev:
        return ""
    w = prev[-1].strip(_PUNCT).lower()
    return w[1:] if len(w) > 3 and w[0] in (_WAW, "\u0641") else w


def _after_definite_noun(t: str, i: int) -> bool:
    """Whether the word before position `i` is a definite (ال) word."""
    prev = t[max(0, i - 30):i].split()
    return bool(prev) and prev[-1].lstrip(_PROCLITICS).startswith(_AL) and prev[-1][-1:].isalpha()


def _int(text: str | None) -> int | None:
    return int(text) if text else None


def _atom_from_match(m: regex.Match[str], names: tuple[str, ...], lex: _Lexicon) -> _Atom | None:
    g = dict(zip(names, m.groups(), strict=False)).get  # same length by construction (`_group_names`)

    a = _Atom(m.start(), m.end(), "day")
    a.y = _int(g("y"))
    a.yoff = _lookup(lex.rel_year, g("yrel"))
    a.ybare = g("ybare") is not None
    a.wd = _lookup(lex.weekdays, g("wd"))
    era = g("era")
    if a.y is not None and (era == _HEH or (a.y < 1900 and era != _MEEM)):
        a.hijri, a.hy, a.y = True, a.y, None
    if g("NM") is not None:
        a.kind, a.y, a.mo = "month", int(g("ny")), int(g("nm"))
        return a if 1 <= a.mo <= 12 else None
    if g("NUM") is not None:
        ny, nm, nd = int(g("ny")), int(g("nm")), int(g("nd"))
        a.y, a.mo, a.d = ny, nm, nd
        if era == _HEH or ny < 1600:
            a.hijri, a.hy, a.y = True, ny, None
        return a
    mon = g("mon")
    if mon is not None:
        a.mo = lex.greg.get(mon)
        if a.mo is None:
            return None
    a.msuf = _lookup(lex.after_month, g("msuf"))
    if g("mpre") is not None:
        a.msuf = _lookup(lex.before_month_en, g("mpre"))
    if g("DR") is not None:
        a.kind, a.d1, a.d = "dayrange", int(g("d1")), int(g("d"))
        return a
    if g("HD") is not None or g("HM") is not None:
        if g("dord") and _word_before(m.string, m.start("dord")) in lex.day_ord_blockers:
            return None
        a.hijri = True
        a.mo = _lookup(lex.hijri, g("hmon"))
        a.hy = _int(g("hy"))
        if g("HD") is not None:
            a.d = int(g("d")) if g("d") else _lookup(lex.day_ords, g("dord"))
        else:
            a.kind = "month"
        return a
    if g("DM") is not None or g("MD") is not None:
        if g("DM") is not None and g("d") and _word_before(m.string, m.start()) in lex.trap_nouns:
            return None  # "شارع 26 يوليو", "ثورة 23 يوليو": a name, not a date (and not the month alone either)
        if g("dord") and _word_before(m.string, m.start("dord")) in lex.day_ord_blockers:
            a.kind, a.s = "month", m.start("mon")  # "الأسبوع الأول من مارس": the ordinal is the week's; the month
            return a
        a.d = int(g("d")) if g("d") else _lookup(lex.day_ords, g("dord"))
        return a
    if g("MO") is not None:
        a.kind = "month"
        a.weak_without_year = (mon in lex.ambiguous and a.yoff is None and a.msuf is None
                               and g("shahr") is None and g("mon2") is None and not a.ybare)
        a.weak = a.weak_without_year and a.y is None
        if ((a.y is not None or a.hy is not None) and g("mon2") is None and g("yn") is None
                and not m.string[m.end("mon"):m.start("y")].strip()):
            a.mon_end = m.end("mon")
        return a
    if g("QD") is not None:
        a.kind = "quarter" if g("qdual") else "half"
        n1, n2 = lex.ordinals.get(_key(g("ord"))), lex.ordinals.get(_key(g("ord2")))
        top = 4 if a.kind == "quarter" else 2
        if not n1 or not n2 or n1 > top or n2 > top or n2 <= n1:
            return None
        a.q, a.q2 = n1, n2
        return a
    if g("HW") is not None:
        a.hijri, a.kind = True, "month"
        a.mo = _lookup(lex.hijri, g("hmon"))
        a.weak = g("shahr") is None and a.msuf is None and a.yoff is None and not a.ybare
        return a
    if g("QU") is not None or g("HA") is not None:
        noun = g("qn") or g("hn")
        if noun and _key(noun) in lex.adjective_like and _after_definite_noun(m.string, m.start()):
            return None  # "الاجتماع الثلاثي الأول": the adjective of the noun before it, not a period
        a.kind = "quarter" if g("QU") is not None else "half"
        num = g("qnum") or g("hnum")
        if num:
            a.q = int(num)
        else:
            word = " ".join(g("ord").lower().split())
            n = lex.ordinals.get(word)
            if n is None:
                return None
            last = 4 if a.kind == "quarter" else 2
            if a.kind == "half" and n > 2:
                return None
            a.q = n or last
            has_year = a.y is not None or a.yoff is not None or a.ybare
            if n == 0 and not has_year and word in lex.last_prev_words:
                a.q, a.qoff = None, -1
        return a
    if g("QR") is not None:
        a.kind = "quarter"
        a.qoff = _lookup(lex.rel_quarter, g("qrel"))
        a.anchored = " ".join(g("qrel").lower().split()) in lex.anchor_quarter
        return a
    if g("FN") is not None:
        a.kind = "firstn"
        n = _lookup(lex.counts, g("pcount")) if g("pcount") else _int(g("pnum"))
        unit = _lookup(lex.past_units, g("punit"))
        if unit == "quarter":
            n *= 3 if n else 0
        if not n or n > 12 or unit not in ("month", "quarter"):
            return None
        a.past = (n, "month")
        a.edge = "first" if _key(g("pedge")) in lex.first_words else "last"
        return a
    if g("NT") is not None:
        n = _lookup(lex.counts, g("pcount")) if g("pcount") else _int(g("pnum"))
        unit = _lookup(lex.past_units, g("punit"))
        if not n or unit not in ("month", "quarter") or n * (3 if unit == "quarter" else 1) > 36:
            return None
        a.kind, a.months_to = "relative", n * (3 if unit == "quarter" else 1)
        return a
    if g("PN") is not None:
        a.kind = "relative"
        if g("pdual"):
            n, unit = 2, _lookup(lex.duals, g("pdual"))
        else:
            n = _lookup(lex.counts, g("pcount")) if g("pcount") else _int(g("pnum"))
            unit = _lookup(lex.past_units, g("punit"))
        if not n or unit is None:
            return None
        if unit == "quarter":
            n, unit = n * 3, "month"
        a.past = (n, unit)
        a.within = g("padj") is None and g("plead") is None
        return a
    if g("YR") is not None:
        a.kind = "year"
        a.yweak = g("yweak") is not None
        a.bare_year = a.y is not None and g("yn") is None and g("yrel") is None and era is None
        a.dual_year = g("ydual") is not None
        if g("hy") is not None:
            a.hijri, a.hy = True, int(g("hy"))
        return a
    if g("MR") is not None:
        a.kind, a.moff = "month", _lookup(lex.rel_month, g("mrel"))
        return a
    if g("WR") is not None:
        a.kind, a.woff = "relative", _lookup(lex.rel_week, g("wrel"))
        return a
    if g("DY") is not None:
        a.doff = _lookup(lex.rel_day, g("drel"))
        return a
    if g("WDR") is not None:
        a.wrel = _lookup(lex.wd_after, g("wsuf"))
        if a.wrel is None:
            a.wrel = _lookup(lex.wd_before, g("wpre"))
        a.today = g("wtoday") is not None
        if a.today:
            a.wrel = 0
        if a.wrel is None:
            return None  # a weekday alone ("said Monday", "، الأحد،") dates the statement, not what it reports
        if m.string[m.start("wd")].isascii() and not m.string[m.start("wd")].isupper():
            return None
        return a
    return None


_PUNCT = ".,;:!?()[]{}\"'«»-/"
_SENTENCE_END = frozenset(".!?;\n")
_WORD_PREFIX = frozenset(_PROCLITICS + C.ALEF)  # letters a stem may follow inside its word: و ب ل ف ك and ال
_NUMERIC_DATE_CHARS = frozenset("0123456789/.-")
_PREV_TOKENS = re.compile(r"\S+")
_DOTTED_DAY_MONTH = re.compile(r"(?<![\d.,])[0-3]?\d\.[01]?\d\.$")  # "14.03." before the year of 14.03.2024
_ORDINAL_NUMBER = re.compile(r"[0-3]?\d(?:st|nd|rd|th)")
_ASCII_LOWER = str.maketrans("ABCDEFGHIJKLMNOPQRSTUVWXYZ", "abcdefghijklmnopqrstuvwxyz")


def _lower(t: str) -> str:
    lo = t.lower()
    return lo if len(lo) == len(t) else t.translate(_ASCII_LOWER)


def _candidates(lo: str, j: int, ts: int, cursor: int, chain: frozenset[str]) -> list[tuple[int, str]]:
    """Positions to try the atom grammar at for an anchor found at `j` in the word starting at `ts`, earliest first,
    each with its word: the words before it back to the first that cannot be part of an expression (at most four:
    a weekday, a day number "#", "the", an ordinal, شهر …; the class's start words decide which are tried), then the
    anchor's own word ("")."""
    out: list[tuple[int, str]] = []
    lo_bound = max(cursor, ts - 48)
    seg = lo[lo_bound:ts]
    last = seg.rsplit(None, 1)
    if last:
        # Most anchors follow a word that cannot be part of an expression: decided on that word alone, as the loop
        # below would on its first token, without splitting four.
        tok = last[-1]
        core = tok.strip(_PUNCT)
        if core and (tok[-1] in _SENTENCE_END or (not core[0].isdigit() and core not in chain
                                                  and not (core[0] in _PROCLITICS and (core[1:] in chain
                                                                                       or core[1:2].isdigit())))):
            last = []
    if last:
        e = ts
        for tok in reversed(seg.rsplit(None, 4)[-4:]):
            at = lo.rfind(tok, lo_bound, e)
            e = at
            if tok[-1] in _SENTENCE_END:
                break
            core = tok.strip(_PUNCT)
            if not core:
                continue
            at += tok.index(core[0])
            if core[0].isdigit():
                if not ((len(core) <= 4 and core.isdigit()) or "/" in core or "-" in core
                        or _ORDINAL_NUMBER.fullmatch(core)):  # not 2,930,606 or 93%
                    break
                out.append((at, "#"))
            elif core in chain:
                out.append((at, core))
            elif core[0] in _PROCLITICS and core[1:] in chain:
                out.append((at + 1, core[1:]))
            elif core[0] in _PROCLITICS and core[1:].isdigit() and len(core) <= 3:
                out.append((at + 1, "#"))  # "و10 فيفري": a day number after و
            else:
                break
        out.reverse()
    # The anchor's own word: its first letter, and after 1-2 proclitics.
    w = ts
    while w < j and lo[w] in _PUNCT:
        w += 1
    out.append((w, ""))
    for k in (1, 2):
        if w + k <= j and lo[w + k - 1] in _PROCLITICS:
            out.append((w + k, ""))
        else:
            break
    if lo[j].isdigit():  # a numeric date glued to the word before it ("الأوسط١١-٠٥-٢٠٢٥")
        p = j
        while p > ts and lo[p - 1] in _NUMERIC_DATE_CHARS:
            p -= 1
        while p < j and not lo[p].isdigit():
            p += 1
        if p > out[-1][0]:
            out.append((p, ""))
    return out


def _short_month_context(lo: str, e: int, rules: _Rules, j: int | None = None) -> bool:
    """A short month name (آب) is a month before a number ("آب 2023", "آب و20 أيلول") or a relative word (آب الماضي),
    or after a day number ("5 آب")."""
    nxt = lo[e:e + 16].split()
    if nxt and (nxt[0].lstrip("\u0648")[:1].isdigit() or nxt[0].strip(_PUNCT) in rules.short_next):
        return True
    prev = lo[max(0, (j or e) - 8):j].split() if j is not None else []
    return bool(prev) and prev[-1].lstrip("\u0648").isdigit() and len(prev[-1].lstrip("\u0648")) <= 2


def _weekday_context(lo: str, j: int, rules: _Rules) -> bool:
    """Whether the word holding the anchor at `j` stands after a word that makes a weekday a day (اليوم، يوم، last,
    on) or before one (الماضي، المقبل): a cheap test before the weekday grammar is tried."""
    e = j
    while e < len(lo) and lo[e].isalpha():
        e += 1
    nxt = [w for w in (x.strip(_PUNCT) for x in lo[e:e + 20].split()) if w]
    word = nxt[0] if nxt else ""
    if word in rules.wd_suf:
        return True
    if word[:1].isdigit() or word in rules.wd_next_date:
        return False  # "يوم الجمعة 13 سبتمبر": the weekday of a written date, read with it
    ws = max(lo.rfind(" ", 0, j), lo.rfind("\n", 0, j)) + 1
    prev = lo[max(0, ws - 16):ws].split()
    return bool(prev) and prev[-1].strip(_PUNCT) in rules.wd_pre


def _stem_prefix_ok(lo: str, j: int) -> bool:
    """Whether the letters before an Arabic stem at `j` are only proclitics and the article (والربع، للعام، بالربع)."""
    k = j
    while k > 0 and j - k < 4 and lo[k - 1] in _WORD_PREFIX:
        k -= 1
    return k == 0 or not lo[k - 1].isalnum()


def _find_atoms(t: str, rules: _Rules, lex: _Lexicon) -> tuple[list[_Atom], list[int]]:
    """Stage 1 finds anchor stems in one C-speed scan; stage 2 tries the atom grammar only around them.
    Also returns where since-cues stand (منذ، since …), so grouping looks for far cues only where there are some."""
    lo = _lower(t)
    atoms: list[_Atom] = []
    since_at: list[int] = []
    cursor = 0
    plans = rules.plans
    chain = rules.chain_words
    for am in rules.anchor_rx.finditer(lo):
        j = am.start()
        stem = am.group()
        plan = plans[stem]
        if plan.cue:
            since_at.append(j)
            if plan.cue_only:
                continue
        if j < cursor:
            continue
        before = lo[j - 1] if j else " "
        year = plan.year
        if year:  # only a standalone 4-digit number is a year anchor
            if (before.isdigit() or (before in ",." and j > 1 and lo[j - 2].isdigit()
                                     and not _DOTTED_DAY_MONTH.search(lo, max(0, j - 7), j))
                    or not lo[j:j + 4].isdigit() or lo[j + 4:j + 5].isdigit()):
                continue
        elif before.isalpha() and (plan.ascii or not _stem_prefix_ok(lo, j)):
            continue  # the stem is inside a longer word (يمارس، الطعام، Arabia)
        elif plan.month_only_ascii and not t[j].isupper():
            continue  # an English month name is capitalised (may, march, market)
        tries = plan.tries
        if plan.lent:  # classes of a longer word holding this stem: only where that word stands
            classes = plan.classes
            for c, words in plan.lent.items():
                if not any(lo.startswith(w, j - k) for w, k in words):
                    classes = classes - {c}
            if not classes:
                continue
            if classes is not plan.classes:  # (rare) the classes left, tried in their own order
                if plan.short and not _short_month_context(lo, j + len(stem), rules, j):
                    continue
                if "wday" in classes and not _weekday_context(lo, j, rules):
                    classes = classes - _WDAY_ONLY
                tries = _tries(classes, rules.class_rx, rules.class_names, rules.start_words)
                cursor = _try_candidates(t, lo, j, cursor, chain, tries, year, atoms, lex)
                continue
        if plan.short and not _short_month_context(lo, j + len(stem), rules, j):
            continue  # "أب" the father: آب is a month only before a number or a relative word (آب 2023، آب الماضي)
        if plan.wday and not _weekday_context(lo, j, rules):
            # a weekday alone is a date only with a word before or after it (يوم، last, الماضي)
            if plan.wday_only:
                continue
            tries = plan.tries_no_wday
        cursor = _try_candidates(t, lo, j, cursor, chain, tries, year, atoms, lex)
    return _weekdays_after_days(atoms, t), since_at


def _try_candidates(t: str, lo: str, j: int, cursor: int, chain: frozenset[str], tries: tuple[_Try, ...],
                    year: bool, atoms: list[_Atom], lex: _Lexicon) -> int:
    """Try the classes of an anchor at `j` at its candidate positions (`_candidates`), earliest first; the longest
    match at the first position where one matches becomes an atom (appended to `atoms`). Returns the new cursor."""
    ts = max(lo.rfind(" ", cursor, j), lo.rfind("\n", cursor, j), cursor - 1) + 1
    for p, word in _candidates(lo, j, ts, cursor, chain):
        if p < cursor:
            continue
        best = None
        best_end = p
        best_names: tuple[str, ...] = ()
        for c, match, names, start_words in tries:
            if word:
                if word not in start_words:
                    continue
            elif year and c == "month":
                continue  # (a month expression never begins with its year)
            m = match(t, p)
            if m is not None:
                end = m.end()
                if end > best_end:
                    best, best_end, best_names = m, end, names
        if best is None:
            continue
        atom = _atom_from_match(best, best_names, lex)
        cursor = best_end
        if atom is not None:
            atoms.append(atom)
        if cursor > j:
            break
    return cursor


def _plausible_years(atoms: list[_Atom], pub: _dt.date | None, today: _dt.date | None = None) -> list[_Atom]:
    """A 4-digit number is a year only when it is plausible for the article: not after its publication year + 1 (or,
    undated, not more than five years after the latest other year the text names), and never after the extraction
    date's year `today`. "وفي نوفمبر 2094 قناة" is
    November and 2,094 channels: the month keeps its name only; a bare implausible year is dropped. "في 2020 طلبات"
    is a year only with a publication date it is plausible for."""
    out: list[_Atom] = []
    # The two latest distinct years named (the latest year other than an atom's own is one of them): a list of the
    # other years per atom made a long undated text quadratic.
    top = sorted({a.y for a in atoms if a.y is not None and not a.yweak}, reverse=True)[:2]
    for a in atoms:
        if a.hijri and a.mon_end is not None and a.hy is not None and a.hy >= 1500:
            # a Gregorian month name before a number no calendar has as a year ("وفي أغسطس 1873 قناة"): a count
            a.hijri, a.hy, a.e = False, None, a.mon_end
            out.append(a)
            continue
        if a.y is None or a.hijri:
            out.append(a)
            continue
        if pub is not None:
            limit: int | None = pub.year + 1
        else:
            latest_other = next((y for y in top if y != a.y), None)
            limit = latest_other + 5 if latest_other is not None else None
        if today is not None:
            limit = today.year if limit is None else min(limit, today.year)
        if a.yweak and (pub is None or not pub.year - 30 <= a.y <= pub.year):
            continue
        if limit is not None and a.y > limit:
            if a.mon_end is not None:
                a.y, a.e, a.weak = None, a.mon_end, a.weak_without_year
            elif a.bare_year:
                continue
        out.append(a)
    return out


def _weekdays_after_days(atoms: list[_Atom], t: str) -> list[_Atom]:
    """"11 ذي الحجة 1445هـ يوم الاثنين", "June 17, a Monday": a weekday right after a written day names that day's
    weekday (checked like a leading one), it is not a day of its own."""
    out: list[_Atom] = []
    for a in atoms:
        prev = out[-1] if out else None
        if (a.wrel is not None and not a.today and prev is not None and prev.kind == "day" and prev.d is not None
                and prev.wd is None and not t[prev.e:a.s].strip(" ,\u060c(")):
            prev.wd, prev.e = a.wd, a.e
            continue
        out.append(a)
    return out
