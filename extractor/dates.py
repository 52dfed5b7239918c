"""Dates and periods: find every time expression of a text and resolve it to a `Period`.

How it works:
1. Anchors. One `re` scan (a prefix tree of stems built from `patterns/months.toml` and `patterns/periods.toml`) finds
   the words every time expression holds: a month name (Gregorian in every series, English, Hijri), a quarter, half
   or year noun, a relative head (شهر، أسبوع، أمس، month, week …) or a year-like number; since-cues (منذ، since)
   are noted on the way. Stems inside longer words (يمارس، الطعام، Arabia) and lower-case English months are dropped.
2. Atoms. Around each anchor the atom grammar of its class (month, hijri, qh, year, rel: branches of `regex` patterns
   with the word lists as named lists) is tried at the anchor's word and at the few words before it that may begin
   an expression (a weekday, a day number, "the", an ordinal, شهر …). An atom (`_Atom`) holds what the text states:
   day, month, quarter, explicit year, relative offsets, weekday. Trying the grammar only there is what makes it
   fast: the same grammar tried at every position of a text costs ~10 µs per character.
3. Ranges. Atoms are joined by the cue words around them: `منذ X`, `حتى نهاية X`, `من X إلى Y`, `بين X و Y`,
   `from X to Y`, `X-Y`, and a since-cue a few words before its date (`منذ بدء الشراكة في فبراير 2022`).
   "نهاية X" / "the end of X" takes X's end, "بداية X" its start; an ambiguous month name (مارس، آب، May) alone is
   kept only with a preposition before it (في مارس، in May) or a capital in mid-sentence.
4. Resolution. An explicit year wins; a relative expression uses `published`; a quarter, month or day without a
   year takes it from a range partner, else from the same quarter or month named with a year elsewhere in the text,
   else from an explicit year in the same sentence (not the start of a running total: "منذ فبراير 2022 … خلال
   الربع الثاني"), else from `published` (the most recent such period that does
   not start after it), else from any year in the text; failing that the mention keeps `unresolved` saying why.

Resolution rules: a quarter is its three months, a half its six, a year `YYYY-01`..`YYYY-12` (a plain year as a range
bound stays `YYYY`: "منذ عام 2022" starts at 2022), a month `YYYY-MM` on both ends, a day start = end. Rolling spans
("the past eight months", "الأشهر الستة الماضية", "آخر 3 أشهر") run from the month N months before `published` to
`published`'s month (the smallest month span that contains them); weeks run from `published` − 7N days. "العام
الحالي" in an undated text is the latest year the text names. Hijri dates are converted with `hijridate` (Umm
al-Qura, 1343-1500 AH); impossible dates (31 فبراير، month 13) are returned unresolved, never raised on.

To add a spelling, a relative phrase or a cue: edit the pattern file and add an example there; the rules are rebuilt
from the data (a new relative phrase must contain an anchor word of `[anchors]` or a noun of `[nouns]`). To add a new
*shape* of expression: add a branch to `branches` in `_rules` with a marker group, give the marker its anchor classes
in `_BRANCH_CLASSES`, and read it in `_atom_from_match`.
"""

from __future__ import annotations

import datetime as _dt
import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass
from typing import Any

import regex
from hijridate import Gregorian, Hijri

from . import chars as C
from .model import DateMention, Period, RecordWarning
from .normalise import Normalised, normalise
from .patterns import compiled, load

# Arabic letters used in the grammar (the word lists themselves live in patterns/).
_MEEM = "\u0645"  # م: Gregorian era mark after a year (2024م)
_HEH = C.HEH  # ه: Hijri era mark after folding (هـ → ه)
_MIN = "\u0645\u0646"  # من "of / from"
_FI = "\u0641\u064a"  # في "in"
_SHAHR = "\u0634\u0647\u0631"  # شهر "month"
_MUWAFIQ = "\u0627\u0644\u0645\u0648\u0627\u0641\u0642"  # الموافق "corresponding to"
_WAW = C.WAW
_AL = C.ALEF + "\u0644"  # ال
_PROCLITICS = C.PROCLITIC_LETTERS


def _fold(word: str) -> str:
    return normalise(word).text.strip()


def _fold_key(word: str) -> str:
    """The lookup key of a lexicon word or a matched phrase: folded, lower case, single spaces."""
    return " ".join(_fold(word).lower().split())


def _with_clitics(words: list[str]) -> list[str]:
    """A word list plus the contracted forms of its ال-words after ل (العام → للعام)."""
    out = set()
    for w in words:
        f = _fold_key(w)
        out.add(f)
        if f.startswith(_AL):
            out.add("\u0644\u0644" + f[2:])
    return sorted(out, key=len, reverse=True)


@dataclass(frozen=True)
class _Lexicon:
    greg: dict[str, int]  # folded month name → 1..12 (Arabic and English)
    hijri: dict[str, int]
    weekdays: dict[str, int]
    day_ords: dict[str, int]  # folded ordinal day word → 1..31 (الثالث → 3, غرة → 1)
    ambiguous: frozenset[str]
    adjective_like: frozenset[str]  # الثلاثي، السداسي: adjectives right after a definite noun
    trap_nouns: frozenset[str]  # شارع، ثورة …: a day-and-month after them is a name (patterns/dates_traps.toml)
    day_ord_blockers: frozenset[str]  # الأسبوع، الربع …: an ordinal after them describes them, it is not a day
    ordinals: dict[str, int]
    last_words: frozenset[str]
    last_prev_words: frozenset[str]
    rel_year: dict[str, int]
    rel_quarter: dict[str, int]
    rel_month: dict[str, int]
    rel_week: dict[str, int]
    rel_day: dict[str, int]
    after_month: dict[str, int]
    before_month_en: dict[str, int]
    anchor_quarter: frozenset[str]
    past_units: dict[str, str]
    first_words: frozenset[str]
    counts: dict[str, int]
    duals: dict[str, str]
    since: frozenset[str]
    from_: frozenset[str]
    until_lone: frozenset[str]
    between: frozenset[str]
    and_links: frozenset[str]
    bound_end: frozenset[str]
    bound_start: frozenset[str]
    bound_mid: frozenset[str]
    open_from: frozenset[str]  # from-cues that open a running total when "until now" follows (from X to date)
    wd_after: dict[str, int]  # الأحد الماضي → -1
    wd_before: dict[str, int]  # last Sunday → -1, يوم الأحد → 0


@compiled
def _lexicon() -> _Lexicon:
    """The word tables of months.toml and periods.toml, folded like the input."""
    months = load("months")
    per = load("periods")
    greg: dict[str, int] = {}
    for series in (months["gregorian"]["arabic"], months["gregorian"]["english"]):
        for i, names in enumerate(series):
            for n in names:
                greg[_fold(n)] = i + 1
    hijri: dict[str, int] = {}
    for series in (months["hijri"]["arabic"], months["hijri"]["english"]):
        for i, names in enumerate(series):
            for n in names:
                hijri[_fold_key(n)] = i + 1
    weekdays: dict[str, int] = {}
    for series in (months["weekdays"]["arabic"], months["weekdays"]["english"]):
        for i, names in enumerate(series):
            for n in names:
                weekdays[_fold_key(n)] = i
    day_ords = {_fold_key(n): i + 1 for i, names in enumerate(months["day_ordinals"]["arabic"]) for n in names}
    ords = per["ordinals"]
    ordinals: dict[str, int] = {}
    for num, key in ((1, "first"), (2, "second"), (3, "third"), (4, "fourth")):
        for w in ords[key]:
            ordinals[_fold_key(w)] = num
    last_words = frozenset(_fold_key(w) for w in ords["last"])
    for w in last_words:
        ordinals[w] = 0  # 0: "the last one" of the year (4th quarter, 2nd half)
    rel = per["relative"]

    def table(d: dict[str, Any]) -> dict[str, Any]:
        return {_fold_key(k): v for k, v in d.items()}

    cues = per["cues"]
    return _Lexicon(
        greg=greg,
        hijri=hijri,
        weekdays=weekdays,
        day_ords=day_ords,
        ambiguous=frozenset(_fold(w) for w in months["gregorian"]["ambiguous"]),
        adjective_like=frozenset(_fold_key(w) for w in per["nouns"]["adjective_like"]),
        trap_nouns=frozenset(_with_clitics(load("dates_traps")["traps"]["before_day"])),
        day_ord_blockers=frozenset(_with_clitics(months["day_ordinals"]["not_after"])),
        ordinals=ordinals,
        last_words=last_words,
        last_prev_words=frozenset(_fold_key(w) for w in ords["last_means_previous_without_year"]),
        rel_year=table(rel["year"]),
        rel_quarter=table(rel["quarter"]),
        rel_month=table(rel["month"]),
        rel_week=table(rel["week"]),
        rel_day=table(rel["day"]),
        after_month=table(rel["after_month"]),
        before_month_en=table(rel["before_month_en"]),
        anchor_quarter=frozenset(_fold_key(w) for w in rel["anchored_quarter"]),
        past_units=table(per["past"]["units"]),
        first_words=frozenset(_fold_key(w) for w in per["past"]["first"] + per["past"]["first_leads"]),
        counts=table(per["past"]["counts"]),
        duals=table(per["past"]["duals"]),
        since=frozenset(_fold_key(w) for w in cues["since"]),
        from_=frozenset(_fold_key(w) for w in cues["from"]),
        until_lone=frozenset(_fold_key(w) for w in cues["until_lone"]),
        between=frozenset(_fold_key(w) for w in cues["between"]),
        and_links=frozenset(_fold_key(w) for w in cues["and_links"]),
        bound_end=frozenset(_fold_key(w) for w in cues["bound_end"]),
        bound_start=frozenset(_fold_key(w) for w in cues["bound_start"]),
        bound_mid=frozenset(_fold_key(w) for w in cues["bound_mid"]),
        open_from=frozenset(_fold_key(w) for w in cues["open_from"]),
        wd_after=table(rel["weekday_after"]),
        wd_before=table(rel["weekday_before"]),
    )


def _lower_list(words: list[str] | dict[str, Any]) -> list[str]:
    return sorted({_fold_key(w) for w in words}, key=len, reverse=True)


# Which anchor class leads to which branch of the atom grammar (see `_rules`).
_BRANCH_CLASSES = {
    "NUM": ("year",), "DR": ("month",), "HD": ("hijri",), "DM": ("month",), "MD": ("month",), "HM": ("hijri",),
    "MO": ("month",), "QU": ("qh",), "QD": ("qh",), "HW": ("hijri",), "HA": ("qh",), "QR": ("qh",), "FN": ("rel",),
    "PN": ("rel",), "NT": ("rel",),
    "YR": ("year",), "MR": ("rel",), "WR": ("rel",), "DY": ("rel",), "NM": ("year",), "WDR": ("wday",),
}
_YEAR_STEMS = ("19", "20", "13", "14")
_MONTH_ONLY = frozenset({"month"})
_WDAY_ONLY = frozenset({"wday"})  # a year (or Hijri year) number starts with one of these


def _trie_pattern(words: list[str]) -> str:
    """An alternation of `words` as a prefix tree (`re` tries it in one pass per position instead of per word)."""
    root: dict[str, Any] = {}
    for w in words:
        node = root
        for ch in w:
            node = node.setdefault(ch, {})
        node[""] = {}

    def emit(node: dict[str, Any]) -> str:
        if "" in node:  # a shorter stem is enough: the grammar decides what follows
            return ""
        alts = [re.escape(ch) + emit(sub) for ch, sub in sorted(node.items())]
        return alts[0] if len(alts) == 1 else "(?:" + "|".join(alts) + ")"

    return emit(root)


def _anchor_stems(
    months: dict[str, Any], per: dict[str, Any]
) -> tuple[dict[str, frozenset[str]], dict[str, dict[str, tuple[tuple[str, int], ...]]]]:
    """Stage-1 stems → anchor classes: month names, Hijri months, nouns, relative heads, year digits."""
    raw: dict[str, set[str]] = {}

    def add(word: str, cls: str) -> None:
        words = _fold_key(word).split()
        if not words:
            return
        w = words[0] if len(words[0]) >= 3 else max(words, key=len)  # ذو القعدة → القعده
        if len(w) >= 3 or (w.isascii() and len(w) >= 2):
            raw.setdefault(w, set()).add(cls)

    for names in months["gregorian"]["arabic"]:
        for n in names:
            add(n, "month")
    for names in months["gregorian"]["english"]:
        for n in names:
            add(n[:3], "month")
    for s in ("arabic", "english"):
        for names in months["hijri"][s]:
            for n in names:
                add(n.replace("-", " ").replace("'", ""), "hijri")
    nouns = per["nouns"]
    for n in nouns["quarter"] + nouns["quarter_en"] + nouns["half"] + nouns["half_en"]:
        add(n, "qh")
    for n in ("q1", "q2", "q3", "q4", "h1", "h2"):
        add(n, "qh")
    for s in ("arabic", "english"):
        for names in months["weekdays"][s]:
            for n in names:
                if len(n) > 3 and (n.isascii() or _fold(n).startswith(_AL)):
                    add(n, "wday")
    for names in months["gregorian"]["arabic"]:
        for n in names:
            f = _fold_key(n)
            if len(f) < 3:  # آب: a stem of two letters would fire inside every word; only before a space or "/"
                for tail in (" ", "/"):
                    raw.setdefault(f + tail, set()).add("month")
    for n in nouns["quarter_with_year"] + nouns["quarter_dual"] + nouns["half_dual"]:
        add(n, "qh")
    for n in nouns["year"] + nouns["year_en"] + per["past"]["dual_years"]["words"]:
        add(n, "year")
    for n in per["anchors"]["words"]:
        add(n, "rel")
    for st in _YEAR_STEMS:  # a year may end a day or month whose month name is too short to be a stem (15 آب 2023)
        raw.setdefault(st, set()).update(("year", "month"))
    for n in per["cues"]["since"]:
        if len(n) > 2:  # "as of" is found by the cue regex; a stem "as" would fire on every English "as"
            add(n, "cue")
    # A stem that contains another is found as the shorter one, which then leads to both classes; the classes it
    # borrows are tried only where the longer word stands (الأربعاء holds الربع; quarters holds quarter).
    stems = dict(raw)
    borrowed: dict[str, dict[str, list[tuple[str, int]]]] = {}
    for a in list(stems):
        for b in list(stems):
            if a != b and b in a and a in stems and b in stems:
                for c in stems[a] - raw[b]:
                    borrowed.setdefault(b, {}).setdefault(c, []).append((a, a.index(b)))
                stems[b] = stems[b] | stems.pop(a)
                break
    classes = {k: _MONTH_ONLY if v == {"month"} else _WDAY_ONLY if v == {"wday"} else frozenset(v)
               for k, v in stems.items()}
    return classes, {b: {c: tuple(v) for c, v in d.items()} for b, d in borrowed.items()}


# What stage 2 tries for a class: (class, its regex's match, its group names, the words its atoms may begin with).
_Try = tuple[str, Any, tuple[str, ...], frozenset[str]]


@dataclass(frozen=True, slots=True)
class _StemPlan:
    """Everything `_find_atoms` needs to know about a stem, worked out once per rule set instead of once per hit."""

    classes: frozenset[str]
    cue: bool  # a since-cue: its hits are noted for grouping
    cue_only: bool
    year: bool  # a year stem (19, 20, 13, 14): only a standalone 4-digit number counts
    ascii: bool
    month_only_ascii: bool  # an English month name: counts only capitalised
    lent: dict[str, tuple[tuple[str, int], ...]] | None  # classes borrowed from longer words holding the stem
    short: bool  # a two-letter month name with its space or "/" (آب)
    wday: bool  # leads to the weekday class (tried only in a weekday context)
    wday_only: bool
    tries: tuple[_Try, ...]  # the classes to try, in the order of `classes`, without "cue"
    tries_no_wday: tuple[_Try, ...]  # the same out of a weekday context


@dataclass(frozen=True)
class _Rules:
    class_rx: dict[str, regex.Pattern[str]]  # anchor class → the atom branches it can lead to
    class_names: dict[str, tuple[str, ...]]  # anchor class → its regex's group names by number
    anchor_rx: re.Pattern[str]  # stage 1: stems of the anchor words, on the lower-cased text
    stems: dict[str, frozenset[str]]  # stem → anchor classes
    borrowed: dict[str, dict[str, tuple[tuple[str, int], ...]]]  # stem → class → (longer word, offset of the stem)
    start_words: dict[str, frozenset[str]]  # class → words (folded, lower case) an atom may begin with
    cue_last_words: frozenset[str]  # last words of cue and bound phrases (and what may follow them)
    chain_words: frozenset[str]  # words that may stand inside an expression before its anchor word
    before: regex.Pattern[str]  # cue / bound right before an atom (searched backwards)
    since_far: regex.Pattern[str]
    link: regex.Pattern[str]
    open_end: regex.Pattern[str]
    weak_ok: regex.Pattern[str]  # a preposition that makes an ambiguous month name a month (في مارس, in May)
    wd_pre: frozenset[str]  # last words of what may stand before a weekday alone (اليوم، يوم، last, on)
    wd_suf: frozenset[str]  # words after a weekday alone (الماضي، المقبل)
    wd_next_date: frozenset[str]  # first words of what makes a weekday lead a written date (الموافق، month names)
    short_next: frozenset[str]  # what may follow a two-letter month name (آب الماضي) besides a number
    plans: dict[str, _StemPlan]  # stem → what stage 2 does with its hits (`_stem_plans`)
    unguarded: dict[str, str]  # class → its pattern without the first-character guards (`_guarded`; for the tests)
    lists: dict[str, list[str]]  # the named word lists of the class patterns


@compiled
def _rules() -> _Rules:
    """The combined atom regex and the cue regexes, compiled once per pattern folder."""
    months = load("months")
    per = load("periods")
    lex = _lexicon()
    nouns = per["nouns"]
    cues = per["cues"]
    rel = per["relative"]
    past = per["past"]
    ar_months = _with_clitics([n for names in months["gregorian"]["arabic"] for n in names])
    en_months = sorted({n for names in months["gregorian"]["english"] for n in names}, key=len, reverse=True)
    lists: dict[str, list[str]] = {
        "mar": ar_months,
        "men": en_months,
        "mall": ar_months + en_months,
        "hmon": _lower_list([n for s in ("arabic", "english") for names in months["hijri"][s] for n in names]),
        "dord": _lower_list([n for names in months["day_ordinals"]["arabic"] for n in names]),
        "wd": _lower_list([n for s in ("arabic", "english") for names in months["weekdays"][s] for n in names]),
        "ord": _lower_list(list(lex.ordinals)),
        "qn": _with_clitics(nouns["quarter"]),
        "hn": _with_clitics(nouns["half"]),
        "qn_en": _lower_list(nouns["quarter_en"]),
        "hn_en": _lower_list(nouns["half_en"]),
        "yn": _with_clitics(nouns["year"]),
        "yn_en": _lower_list(nouns["year_en"]),
        "ybare": _with_clitics(["العام", "السنة"]),
        "yprep_en": _lower_list(nouns["year_prepositions_en"]),
        "yprep_ar": _with_clitics(nouns["year_prepositions_ar"]),
        "yprep_ar_strong": _with_clitics(nouns["year_prepositions_ar_strong"]),
        "yprep_ar_weak": _with_clitics(nouns["year_prepositions_ar_weak"]),
        "ysubj": _lower_list(nouns["year_subject_verbs_en"]),
        "mto": _lower_list(cues["months_to"]),
        "notyear": _lower_list(nouns["not_of_year"]),
        "yrel": _with_clitics(list(rel["year"])),
        "qrel": _with_clitics(list(rel["quarter"])),
        "mrel": _with_clitics(list(rel["month"])),
        "wrel": _with_clitics(list(rel["week"])),
        "drel": _with_clitics(list(rel["day"])),
        "msuf": _lower_list(rel["after_month"]),
        "mpre": _lower_list(rel["before_month_en"]),
        "punit": _with_clitics(list(past["units"])),
        "padj": _lower_list(past["adjectives"]),
        "plead": _lower_list(past["leads"] + past["leads_en"]),
        "pfirst": _lower_list(past["first"]),
        "plast": _lower_list(past["last"]),
        "pcount": _with_clitics(list(past["counts"])),
        "pdual": _with_clitics(list(past["duals"])),
        "pflead": _lower_list(past["first_leads"]),
        "pllead": _lower_list(past["last_leads"]),
        "within": _lower_list(past["within"]),
        "since": _lower_list(cues["since"]),
        "from": _lower_list(cues["from"]),
        "until": _lower_list(cues["until"]),
        "until_lone": _lower_list(cues["until_lone"]),
        "andl": _lower_list(cues["and_links"]),
        "bend": _lower_list(cues["bound_end"]),
        "bstart": _lower_list(cues["bound_start"]),
        "bmid": _lower_list(cues["bound_mid"]),
        "qn_y": _with_clitics(nouns["quarter_with_year"]),
        "qn_adj": _with_clitics(nouns["adjective_like"]),
        "qsn_en": _lower_list(nouns["quarters_en"]),
        "hsn_en": _lower_list(nouns["halves_en"]),
        "qdual": _with_clitics(nouns["quarter_dual"]),
        "hdual": _with_clitics(nouns["half_dual"]),
        "hijri_yn": _with_clitics(nouns["hijri_year"]),
        "ydual": _with_clitics(past["dual_years"]["words"]),
        "wdafter": _lower_list(rel["weekday_after"]),
        "wdbefore": _lower_list(rel["weekday_before"]),
        "wdtoday": _lower_list(rel["weekday_today"]["words"]),
        "wdal": _lower_list([n for s in ("arabic", "english") for names in months["weekdays"][s] for n in names
                             if n.isascii() or _fold(n).startswith(_AL)]),
        "now": _lower_list(cues["now"]),
        "farlead": _lower_list(cues["since_far_leads"]),
        "monthword": _lower_list(nouns["month"]),
    }
    # Named lists are matched case-insensitively where wrapped in (?i:...); English months stay case-sensitive.
    for key in list(lists):
        lists[key] = [w for w in lists[key] if w]
    P = _PROCLITICS
    LB = rf"(?:(?<!\w)|(?<=(?<!\w)[{P}])|(?<=(?<!\w)[{_WAW}\u0641][{P}]))"  # word start, after up to 2 proclitics
    RB = r"(?!\w)"
    LBC = rf"(?:(?<!\w)|(?<=(?<!\w)[{_WAW}\u0641]))"  # a cue word's start, after و or ف
    Y = r"(?P<y>(?:1[3-9]|20)\d\d|2100)(?!\d)"  # 13xx-18xx are Hijri years unless marked م
    ERA = rf"(?:\s*(?P<era>[{_MEEM}{_HEH}]|(?-i:AD|AH|CE))(?!\w))?"
    D = r"(?<![\d.,/:])(?P<d>[0-3]?\d)(?!\d)(?:st|nd|rd|th)?"
    # Right after an English month the day needs no look-behind: the full stop before it is the month's own
    # (`Jan.9`, a page glued at its full stops), not a decimal point.
    D_AFTER_MONTH = r"(?P<d>[0-3]?\d)(?!\d)(?:st|nd|rd|th)?"
    # A day as an ordinal word (الثالث من مارس، غرة رمضان); see `_atom_from_match` for "الأسبوع الأول من".
    DD = rf"(?:{D}|{LB}(?P<dord>\L<dord>){RB})"
    OF = rf"(?:(?:{_MIN}|{_FI}|of|in)\s+)"
    YT = rf"(?:\s*,?\s*{OF}?(?:(?:\u0644?\L<yn>|(?:the\s+)?\L<yn_en>)\s+)?{Y}{ERA})"  # year after a month/quarter
    YRT = rf"(?:\s+{OF}?(?P<yrel>\L<yrel>)(?:\s*,?\s*{Y}{ERA})?)"  # relative year phrase (+ explicit year)
    # "من العام" / "of the year": the year of the context (not "من العام 2023", "من العام الدراسي").
    YBT = (rf"(?:\s+(?:{_MIN}|of)\s+(?:(?P<ybare>\L<ybare>)(?!\s*\d)(?!\s+{_AL})(?!\w)"
           rf"|(?P<ybare>the\s+year)(?!\s*\d)(?!\w)))")
    YTAIL = rf"(?:{YT}|{YRT}|{YBT})?"
    # "(نوفمبر) من العام الجاري": a closing bracket after a bracketed month does not end the expression.
    CLOSE = rf"(?:(?<=\(\s*(?:\L<mall>))\s*\)(?=\s*(?:,\s*)?(?:\d|\L<yn>|\L<msuf>|(?:{_MIN}|of)\s)))?"
    MON_AR = (rf"{LB}(?P<mon>\L<mar>){RB}(?:\s*/\s*(?P<mon2>\L<mall>)\.?{RB}|\s*\(\s*(?P<mon2>\L<mall>)\s*\))?"
              + CLOSE)
    MON_EN = r"(?<!\w)(?-i:(?P<mon>\L<men>))(?:\.|(?!\w))"
    MON = rf"(?:{MON_AR}|{MON_EN})"
    MSUF = r"(?:\s+(?P<msuf>\L<msuf>)(?!\w))?"
    WD = rf"(?:(?P<wd>\L<wd>)\s*,?\s+(?:(?:{_MUWAFIQ}|the)\s+)?)?"
    HMON = rf"{LB}(?P<hmon>\L<hmon>){RB}"
    HY = rf"(?P<hy>1[34]\d\d)(?!\d)(?:\s*(?P<era>{_HEH}|(?-i:AH|H))(?!\w))?"
    YLINK = r"\s*(?:-|\L<andl>|\L<until>)\s*"  # between the two years of a span of years
    # "الأرباع الثلاثة الأولى" with no year: the year of the report, unless "of" something else follows (من الحرب).
    FNOPEN = (rf"(?!\s*(?:{_MIN}|of|after|following|since|\u0628\u0639\u062f|\u0645\u0646\u0630|\u0644)(?!\w))"
              r"(?!\s+\u0644)")  # not "من الحرب", "after the war", "بعد", "منذ", "لـ…"
    branches = [
        # 2025/10/07, 07-10-2025, 5 / 12 / 2025م, 1444/9/11 هـ
        rf"(?P<NUM>)(?<![\d/.\-])(?:(?P<ny>\d{{4}})\s*(?P<sep>[/.\-])\s*(?P<nm>\d{{1,2}})\s*(?P=sep)\s*(?P<nd>\d{{1,2}})"
        rf"|(?P<nd>\d{{1,2}})\s*(?P<sep>[/.\-])\s*(?P<nm>\d{{1,2}})\s*(?P=sep)\s*(?P<ny>\d{{4}}))(?![\d/])"
        rf"(?:\s*(?P<era>[{_MEEM}{_HEH}])(?!\w))?",
        # 10/2024, 03/2025م: a month
        rf"(?P<NM>)(?<![\d/.\-])(?P<nm>[01]?\d)\s*/\s*(?P<ny>(?:19|20)\d\d)(?![\d/])(?:\s*(?P<era>{_MEEM})(?!\w))?",
        # 28 - 29 يونيو 2018, 21-22 November 2019
        rf"(?P<DR>)(?<![\d.,/:])(?P<d1>[0-3]?\d)(?!\d)\s*(?:-|\L<andl>|\L<until>)\s*{D}\s+{OF}?(?:{_SHAHR}\s+)?"
        rf"{MON}{YTAIL}",
        # 11 ذي الحجة 1445هـ, 27 رمضان الماضي, 11 Dhu al-Hijjah 1445 AH
        rf"(?P<HD>){WD}{DD}\s+(?:{_MIN}\s+)?(?:{_SHAHR}\s+)?{HMON}(?:\s*,?\s*(?:(?:{_MIN}\s+)?\L<yn>\s+)?{HY})?{MSUF}",
        # الجمعة 13 سبتمبر 2024, 13 September 2024, 17 يونيو (حزيران) الماضي
        rf"(?P<DM>){WD}{DD}\s+(?:(?:{_MIN}|of)\s+)?(?:{_SHAHR}\s+)?{MON}{YTAIL}{MSUF}",
        # 14/مارس/2021, 14-Mar-2021 (datelines)
        rf"(?P<DM>){WD}{D}\s*(?P<dsep>[/\-])\s*{MON}\s*(?P=dsep)\s*{Y}{ERA}",
        # September 13, 2024 · Monday, June 17 2024 · Sept. 21
        rf"(?P<MD>){WD}(?:(?P<mpre>\L<mpre>)\s+)?{MON_EN}\s*{D_AFTER_MONTH}(?![.:]\d)(?:\s*,?\s*{Y})?",
        # جمادى الأولى 1445 هـ
        rf"(?P<HM>)(?:{_SHAHR}\s+)?{HMON}\s*,?\s*(?:(?:{_MIN}\s+)?\L<yn>\s+)?{HY}",
        # شهر رمضان, رمضان الماضي, رمضان من العام الجاري (alone: only after a preposition or a bound word)
        rf"(?P<HW>)(?:(?P<shahr>\L<monthword>)\s+)?{HMON}(?:{YRT}|{YBT})?{MSUF}",
        # سبتمبر 2024, شهر مارس, أبريل الماضي, last May, June 2025
        rf"(?P<MO>)(?:(?P<shahr>\L<monthword>)\s+)?(?:(?P<mpre>\L<mpre>)\s+)?{MON}{YTAIL}{MSUF}",
        # الربع الثالث من العام الحالي 2025, the third quarter of 2024
        rf"(?P<QU>){LB}(?:the\s+)?(?:(?P<qn>\L<qn>)\s+(?P<ord>\L<ord>)|(?P<ord>\L<ord>)[\s-]+(?P<qn>\L<qn_en>)){RB}"
        rf"(?:\s*\((?-i:Q)[1-4]\))?(?!\s+(?:\L<notyear>)){YTAIL}",
        # الفصل الثالث من 2024: a quarter only with its year
        rf"(?P<QU>){LB}(?P<qn>\L<qn_y>)\s+(?P<ord>\L<ord>){RB}(?:{YT}|{YRT})",
        # الربعين الأول والثاني من 2025, السداسيين الأول والثاني: two quarters or halves, one span
        rf"(?P<QD>){LB}(?:(?P<qdual>\L<qdual>)|(?P<hdual>\L<hdual>))\s+(?P<ord>\L<ord>)\s+{_WAW}\s*(?P<ord2>\L<ord>){RB}"
        rf"{YTAIL}(?!\s+(?:{_MIN}|of)\s)",
        # the second and third quarters of 2024
        rf"(?P<QD>)(?<!\w)(?:the\s+)?(?P<ord>\L<ord>)\s+(?:and|to)\s+(?P<ord2>\L<ord>)\s+(?:(?P<qdual>\L<qsn_en>)|(?P<hdual>\L<hsn_en>)){RB}"
        rf"{YTAIL}(?!\s+of\s)",
        # 2024's third quarter
        rf"(?P<QU>){Y}(?:'s)?\s+(?P<ord>\L<ord>)\s+(?P<qn>\L<qn_en>){RB}",
        # Q3 2024, Q2 of 2024
        rf"(?P<QU>)(?<!\w)(?-i:Q)(?P<qnum>[1-4])(?!\w)(?:(?:\s+of\s+|\s*[-/,]?\s*){Y}|{YRT})?",
        # النصف الأول من 2024, the first half of 2024, H1 2024
        rf"(?P<HA>){LB}(?:the\s+)?(?:(?P<hn>\L<hn>)\s+(?P<ord>\L<ord>)|(?P<ord>\L<ord>)\s+(?P<hn>\L<hn_en>)){RB}"
        rf"(?!\s+(?:\L<notyear>)){YTAIL}",
        rf"(?P<HA>)(?<!\w)(?-i:H)(?P<hnum>[12])(?!\w)(?:(?:\s+of\s+|\s*[-/,]?\s*){Y}|{YRT})?",
        # هذا الربع, الربع الماضي, last quarter
        rf"(?P<QR>){LB}(?P<qrel>\L<qrel>){RB}",
        # الأشهر الثلاثة الأولى من عام 2018, the first six months of 2024
        rf"(?P<FN>){LB}(?P<punit>\L<punit>)\s+(?:(?P<pcount>\L<pcount>)|(?P<pnum>\d{{1,2}}))\s+"
        rf"(?P<pedge>\L<pfirst>|\L<plast>){RB}(?:{YT}|{YRT}|{YBT}|{FNOPEN})",
        rf"(?P<FN>)(?<!\w)(?:the\s+)?(?P<pedge>\L<pfirst>|\L<plast>)\s+(?:(?P<pcount>\L<pcount>)|(?P<pnum>\d{{1,2}}))\s+"
        rf"(?P<punit>\L<punit>){RB}(?:{YT}|{YRT}|{YBT})",
        # الثلاثة أشهر الأولى من العام, أول ثلاثة أشهر من 2023
        rf"(?P<FN>){LB}(?:(?P<pcount>\L<pcount>)|(?P<pnum>\d{{1,2}}))\s+(?P<punit>\L<punit>)\s+"
        rf"(?P<pedge>\L<pfirst>|\L<plast>){RB}(?:{YT}|{YRT}|{YBT})",
        rf"(?P<FN>){LB}(?P<pedge>\L<pflead>|\L<pllead>)\s+(?:(?P<pcount>\L<pcount>)|(?P<pnum>\d{{1,2}}))\s+"
        rf"(?P<punit>\L<punit>){RB}(?:{YT}|{YRT}|{YBT})",
        # the 12 months to June 2024, الأشهر الستة المنتهية في يونيو: read with the month after it (`_group`)
        r"(?P<NT>)(?<!\w)(?:the\s+)?(?:(?P<pcount>\L<pcount>)|(?P<pnum>\d{1,2}))\s+(?P<punit>\L<punit>)\s+(?P<mto>\L<mto>)"
        r"(?=\s)",
        rf"(?P<NT>){LB}(?P<punit>\L<punit>)\s+(?:(?P<pcount>\L<pcount>)|(?P<pnum>\d{{1,2}}))\s+(?P<mto>\L<mto>)(?=\s)",
        # الأشهر الستة الماضية, آخر 3 أشهر, the past eight months
        rf"(?P<PN>){LB}(?P<punit>\L<punit>)\s+(?:(?P<pcount>\L<pcount>)|(?P<pnum>\d{{1,2}}))\s+(?P<padj>\L<padj>){RB}",
        rf"(?P<PN>){LB}(?P<plead>\L<plead>)\s+(?:(?P<pcount>\L<pcount>)|(?P<pnum>\d{{1,2}}))\s+(?P<punit>\L<punit>){RB}",
        # خلال 3 أشهر, على مدى ستة أشهر, خلال شهرين, over three months (the lead word stays outside the mention)
        rf"(?P<PN>)(?<=(?<![^\W{P}])\L<within>\s+(?:the\s+)?)(?:(?:(?P<pcount>\L<pcount>)|(?P<pnum>\d{{1,2}}))\s+"
        rf"(?P<punit>\L<punit>)|(?P<pdual>\L<pdual>)){RB}(?!\s+(?:\L<padj>|\L<pfirst>|\L<plast>|{_MIN}|of|to|ending)(?!\w))",
        # عام 2023, العام 1444هـ
        rf"(?P<YR>){LB}(?P<yn>\L<yn>|\L<yn_en>)\s+(?:(?P<hy>1[34]\d\d)(?!\d)\s*(?P<era>{_HEH})(?!\w)|{Y}{ERA})",
        # العام الهجري 1446
        rf"(?P<YR>){LB}(?P<yn>\L<hijri_yn>)\s+(?P<hy>1[34]\d\d)(?!\d)(?:\s*(?P<era>{_HEH})(?!\w))?",
        # عامي 2022 و2023 (the second year is read by the branch after "2024 و")
        rf"(?P<YR>){LB}(?P<ydual>\L<ydual>)\s+{Y}{ERA}(?={YLINK}(?:19|20)\d\d(?!\d))",
        # 2024م, 1444هـ
        rf"(?P<YR>)(?<![\d.,])(?:(?P<hy>1[34]\d\d)(?!\d)\s*(?P<era>{_HEH})|{Y}\s*(?P<era>{_MEEM}))(?!\w)",
        # العام الماضي, السنة المنتهية 2024, this year
        rf"(?P<YR>){LB}(?P<yrel>\L<yrel>){RB}(?:\s*,?\s*{Y}{ERA})?",
        # in 2022, since 2016
        rf"(?P<YR>)(?<=(?<!\w)\L<yprep_en>\s+){Y}(?!\s*%)",
        # منذ 2022. / في 2022، / بين 2020 و2023
        rf"(?P<YR>)(?<=(?<![^\W{P}])\L<yprep_ar>\s+){Y}{ERA}(?=\s*(?:[^\w\s]|$)|{YLINK}(?:19|20)\d\d(?!\d))",
        # خلال 2024 بسبب …: after these a bare year needs no punctuation
        rf"(?P<YR>)(?<=(?<![^\W{P}])\L<yprep_ar_strong>\s+){Y}{ERA}(?!\s*(?:%|\d))",
        # mid-2015, early-2016 (the bound word is read by the grouping)
        rf"(?P<YR>)(?<=(?<!\w)(?:\L<bmid>|\L<bstart>|\L<bend>)-){Y}",
        # 2024 saw Telegram close …: a year as the subject of its sentence
        rf"(?P<YR>)(?<=(?:\A|[.!?\n])\s*){Y}(?=\s+(?:\L<ysubj>)(?!\w))",
        # وتلقت الشركة في 2020 طلبات: a year only if plausible for the article (checked in `_plausible_years`)
        rf"(?P<YR>)(?<=(?<![^\W{P}])\L<yprep_ar_weak>\s+){Y}(?P<yweak>)(?=\s+[^\W\d])",
        # the second year of "2020 to 2023", "2024 و2025"
        rf"(?P<YR>)(?<=(?<!\d)(?:19|20)\d\d(?:\s*[{_MEEM}{_HEH}])?{YLINK}){Y}{ERA}",
        # بداية العام, the start of the year
        rf"(?P<YR>)(?<=(?<!\w)(?:\L<bstart>|\L<bend>)\s+)(?P<ybare>\L<ybare>|the\s+year)(?!\s+{_AL})(?!\w)",
        # الشهر الماضي, this month · الأسبوع الماضي · أمس
        rf"(?P<MR>){LB}(?P<mrel>\L<mrel>){RB}",
        rf"(?P<WR>){LB}(?P<wrel>\L<wrel>){RB}",
        rf"(?P<DY>){LB}(?P<drel>\L<drel>){RB}",
        # الأحد الماضي, اليوم الثلاثاء, يوم الاثنين, last Sunday, on Monday (not a weekday that leads a written date)
        rf"(?P<WDR>)(?:(?:(?P<wtoday>\L<wdtoday>)|(?P<wpre>\L<wdbefore>))\s*,?\s+)?{LB}(?P<wd>\L<wdal>){RB}"
        rf"(?:\s+(?P<wsuf>\L<wdafter>){RB}|(?!\s*,?\s*(?:(?:{_MUWAFIQ}|the)\s+)?(?:\d|\L<dord>|\L<mall>|\L<hmon>)))",
    ]
    flags = regex.IGNORECASE | regex.VERSION0
    # Each branch belongs to the anchor classes that can lead to it; a class's branches form one small regex that is
    # tried only at the few positions around an anchor (a regex with every branch and ~150 groups tried at every
    # position of the text costs ~10 µs per character).
    by_class: dict[str, list[str]] = {}
    for branch in branches:
        marker = branch[4:branch.index(">")]
        classes = set(_BRANCH_CLASSES[marker])
        if branch.startswith("(?P<QU>)(?P<y>"):
            classes.add("year")  # 2024's third quarter
        for c in classes:
            by_class.setdefault(c, []).append(branch)
    unguarded = {c: _factor_word_start(bs, LB) for c, bs in by_class.items()}
    class_rx = {c: regex.compile(_factor_word_start([_guarded(b, LB, lists) for b in bs], LB), flags,
                                 ignore_unused=True, **lists)
                for c, bs in by_class.items()}
    stems, borrowed = _anchor_stems(months, per)
    anchor_rx = re.compile(_trie_pattern(list(stems)))
    # Words an atom of each class may begin with before its anchor word ("#" stands for a day or year number).
    start_keys = {
        "month": ("wd", "monthword", "mpre", "mar", "dord"), "hijri": ("wd", "monthword", "dord", "hmon"),
        "qh": ("ord", "qrel"),
        "year": ("yrel", "yn"), "wday": ("wdtoday", "wdbefore", "wdal"),
        "rel": ("mrel", "wrel", "drel", "plead", "pfirst", "plast", "punit", "pcount", "pflead", "pllead", "pdual"),
    }
    start_words = {
        c: frozenset(w.split()[0] for key in keys for w in lists[key]) | {"the", "#"}
        for c, keys in start_keys.items()
    }
    before = regex.compile(
        rf"(?r)(?:{LBC}(?P<cue>\L<since>|\L<from>|\L<until_lone>)\s+(?:(?:{_SHAHR}[\u064a]?|the)\s+)?)?"
        r"(?:(?<!\w)(?P<bound>\L<bend>|\L<bstart>|\L<bmid>)(?:\s+|-)(?:(?:of|the)\s+)?)?(?:\(\s*)?\Z",
        flags,
        ignore_unused=True,
        **lists,
    )
    since_far = regex.compile(
        rf"(?r){LBC}(?P<cue>\L<since>)(?:\s+[^\s.,;:!?]+){{1,16}}?(?:\s+(?P<lead>\L<farlead>))?\s+\(?\Z",
        flags,
        ignore_unused=True,
        **lists,
    )
    link = regex.compile(
        rf"\s*\)?\s*,?\s*(?P<link>(?:\L<andl>\s*,?\s*)?\L<until>|\L<andl>)\s*(?:(?P<bound>\L<bend>|\L<bstart>)\s+)?"
        rf"(?:(?:{_MIN}|of|the)\s+)?(?:{_SHAHR}[\u064a]?\s+)?\(?\s*",
        flags,
        ignore_unused=True,
        **lists,
    )
    open_end = regex.compile(
        r"\s*,?\s*(?:\L<until>)\s+(?:\L<now>)(?!\w)", flags, ignore_unused=True, **lists
    )
    weak_ok = regex.compile(
        rf"(?r)(?:{LBC}(?:\L<yprep_en>|\L<yprep_ar>|\L<from>)\s+\(?|(?-i:[a-z,])\s+)\Z", flags,
        ignore_unused=True, **lists
    )
    cue_last_words = frozenset(
        w.split()[-1] for key in ("since", "from", "until_lone", "bend", "bstart", "bmid") for w in lists[key]
    ) | {"the", "of", _SHAHR, _SHAHR + "\u064a", "("}
    class_names = {c: _group_names(rx) for c, rx in class_rx.items()}
    # Start words of any class, and the small words that may stand between them and the anchor ("13 من شهر
    # سبتمبر", "28 - 29 يونيو", "الاثنين الموافق 17 يونيو").
    chain_words = frozenset(
        word
        for key in ("wd", "ord", "yrel", "qrel", "mrel", "wrel", "drel", "mpre", "plead", "pfirst", "plast",
                    "monthword", "dord", "punit", "pcount", "pflead", "pllead", "qn", "hn", "yn", "yn_en", "mar",
                    "hmon", "andl", "until", "wdtoday", "wdbefore")
        for w in lists[key]
        for word in w.lower().split()
    ) | {_MIN, "of", _MUWAFIQ, "the"}
    wd_pre = frozenset(w.split()[-1] for key in ("wdbefore", "wdtoday") for w in lists[key])
    wd_suf = frozenset(lists["wdafter"])
    wd_next_date = frozenset(w.split()[0].lower() for key in ("mall", "dord", "hmon") for w in lists[key]) | {_MUWAFIQ}
    short_next = frozenset(lists["msuf"])
    plans = _stem_plans(stems, borrowed, class_rx, class_names, start_words)
    return _Rules(class_rx, class_names, anchor_rx, stems, borrowed, start_words, cue_last_words, chain_words, before,
                  since_far, link, open_end, weak_ok, wd_pre, wd_suf, wd_next_date, short_next, plans, unguarded,
                  lists)


def _factor_word_start(branches: list[str], lb: str) -> str:
    """The alternation of `branches`, in order, with the word-start test `lb` that begins consecutive branches (after
    their marker group) tested once for the run: ``(?P<A>)LB x|(?P<B>)LB y`` → ``LB(?:(?P<A>)x|(?P<B>)y)``. The same
    language, several times faster to fail at a position where no branch starts."""
    out: list[str] = []
    run: list[str] = []
    for b in branches:
        head = b.index(">") + 2  # after the marker group "(?P<XX>)"
        if b.startswith(lb, head):
            run.append(b[:head] + b[head + len(lb):])
            continue
        if run:
            out.append(lb + "(?:" + "|".join(run) + ")")
            run = []
        out.append(b)
    if run:
        out.append(lb + "(?:" + "|".join(run) + ")")
    return "|".join(out)


def _guarded(branch: str, lb: str, lists: dict[str, list[str]]) -> str:
    """`branch` with a lookahead for the characters its match can begin with (`_first_chars`) right after its marker
    group (and its word-start test): a branch that cannot start at a position is then rejected on one character
    instead of after trying its word lists. The same matches; a branch whose first characters are unknown stays as
    it is."""
    head = branch.index(">") + 2  # after the marker group "(?P<XX>)"
    start = head + len(lb) if branch.startswith(lb, head) else head
    first = _first_chars(branch[start:], lists)
    return branch if first is None else branch[:start] + "(?=" + first + ")" + branch[start:]


class _Unknown(Exception):
    """A construct `_first_chars` does not read: no guard."""


_ANY = "any"  # stands for "any character" in a first set


def _first_chars(pattern: str, lists: dict[str, list[str]]) -> str | None:
    """A character class that holds every character a non-empty match of `pattern` can begin with, built from the
    pattern and its named lists; None when the pattern may match empty or uses a construct read as "any character"
    or not read at all (then no guard is set). The class is matched with the pattern's flags, so under IGNORECASE
    it holds the other case of each letter too (a superset under a case-sensitive group: still a correct guard)."""
    try:
        first, nullable, end = _fc_alt(pattern, 0, lists)
    except (_Unknown, ValueError, IndexError, KeyError):
        return None
    if nullable or end != len(pattern) or _ANY in first:
        return None
    parts = []
    for x in sorted(first):
        if len(x) == 1:
            parts.append("\\" + x if x in "\\]^-[" else x)
        elif x.startswith("["):
            inner = x[1:-1]
            if not inner or inner[0] in "^-" or inner.endswith("-") or inner.endswith("\\"):
                return None  # would join into a range or a negation with its neighbours
            parts.append(inner)
        else:
            parts.append(x)  # \d or \s
    return "[" + "".join(parts) + "]"


def _fc_alt(p: str, i: int, lists: dict[str, list[str]]) -> tuple[set[str], bool, int]:
    """First set and nullability of the alternatives starting at `p[i]`, up to the ")" that closes them or the end."""
    first: set[str] = set()
    nullable = False
    while True:
        f, n, i = _fc_seq(p, i, lists)
        first |= f
        nullable |= n
        if i < len(p) and p[i] == "|":
            i += 1
            continue
        return first, nullable, i


def _fc_seq(p: str, i: int, lists: dict[str, list[str]]) -> tuple[set[str], bool, int]:
    first: set[str] = set()
    open_ = True  # everything read so far may match empty
    while i < len(p) and p[i] not in "|)":
        f, n, i = _fc_item(p, i, lists)
        least, i = _fc_quantifier(p, i)
        if open_:
            first |= f
            open_ = n or least == 0
    return first, open_, i


def _fc_quantifier(p: str, i: int) -> tuple[int, int]:
    """The least count of the quantifier at `p[i]` (1 when there is none) and where it ends."""
    if i >= len(p):
        return 1, i
    if p[i] in "?*+":
        least = 1 if p[i] == "+" else 0
        i += 1
    elif p[i] == "{":
        j = p.index("}", i)
        body = p[i + 1:j]
        if not body or not body[0].isdigit() or not all(ch.isdigit() or ch == "," for ch in body):
            raise _Unknown(body)
        least, i = int(body.split(",")[0]), j + 1
    else:
        return 1, i
    if i < len(p) and p[i] in "?+":  # lazy or possessive
        i += 1
    return least, i


_FC_ZERO_WIDTH = ("(?<=", "(?<!", "(?=", "(?!")
_FC_GROUPS = ("(?:", "(?-i:", "(?i:")


def _fc_item(p: str, i: int, lists: dict[str, list[str]]) -> tuple[set[str], bool, int]:
    """First set, nullability and end of the single item at `p[i]` (before its quantifier)."""
    c = p[i]
    if c == "(":
        if p.startswith("(?P=", i):  # a backreference: any text
            return {_ANY}, True, p.index(")", i) + 1
        opener = next((o for o in _FC_ZERO_WIDTH + _FC_GROUPS if p.startswith(o, i)), None)
        if opener is None and p.startswith("(?P<", i):
            opener = p[i:p.index(">", i) + 1]
        elif opener is None and p.startswith("(?", i):
            raise _Unknown(p[i:i + 4])
        f, n, j = _fc_alt(p, i + len(opener or "("), lists)
        if p[j] != ")":
            raise _Unknown(p[j:j + 4])
        if opener in _FC_ZERO_WIDTH:
            return set(), True, j + 1
        return f, n, j + 1
    if c == "[":
        j = i + 1
        negated = p[j] == "^"
        j += negated
        start = j
        if p[j] == "]":
            j += 1
        while p[j] != "]":
            if p[j] == "[":
                raise _Unknown("nested set")
            j += 2 if p[j] == "\\" else 1
        return ({_ANY} if negated else {"[" + p[start:j] + "]"}), False, j + 1
    if c == "\\":
        d = p[i + 1]
        if d == "L":
            k = p.index(">", i)
            words = lists[p[i + 3:k]]
            return {w[0] for w in words if w}, any(not w for w in words), k + 1
        if d in "ds":
            return {"\\" + d}, False, i + 2
        if d in "AZbBGz":
            return set(), True, i + 2
        if d == "u":
            return {chr(int(p[i + 2:i + 6], 16))}, False, i + 6
        if d in "QEx0123456789NpPX":
            raise _Unknown("\\" + d)
        if d.isalnum():  # \w, \D, \S, \W …
            return {_ANY}, False, i + 2
        return {d}, False, i + 2
    if c in "^$":
        return set(), True, i + 1
    if c == ".":
        return {_ANY}, False, i + 1
    if c in "*+?{":
        raise _Unknown(c)
    return {c}, False, i + 1


def _tries(classes: frozenset[str], class_rx: dict[str, regex.Pattern[str]],
           class_names: dict[str, tuple[str, ...]], start_words: dict[str, frozenset[str]]) -> tuple[_Try, ...]:
    """The classes of `classes` to try, in its iteration order (the first of two equally long matches wins)."""
    return tuple((c, class_rx[c].match, class_names[c], start_words[c]) for c in classes
                 if c != "cue")


def _stem_plans(stems: dict[str, frozenset[str]], borrowed: dict[str, dict[str, tuple[tuple[str, int], ...]]],
                class_rx: dict[str, regex.Pattern[str]], class_names: dict[str, tuple[str, ...]],
                start_words: dict[str, frozenset[str]]) -> dict[str, _StemPlan]:
    """A `_StemPlan` per stem."""
    plans = {}
    for stem, classes in stems.items():
        no_wday = classes - _WDAY_ONLY
        plans[stem] = _StemPlan(
            classes=classes, cue="cue" in classes, cue_only="cue" in classes and len(classes) == 1,
            year=stem in _YEAR_STEMS, ascii=stem.isascii(), month_only_ascii=classes is _MONTH_ONLY and stem.isascii(),
            lent=borrowed.get(stem) or None, short=stem[-1] == " ", wday="wday" in classes,
            wday_only=classes is _WDAY_ONLY, tries=_tries(classes, class_rx, class_names, start_words),
            tries_no_wday=_tries(no_wday, class_rx, class_names, start_words),
        )
    return plans


# --- atoms -------------------------------------------------------------------------------------------------------
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


def _lookup(table: dict[str, Any], text: str | None) -> Any:
    if text is None:
        return None
    key = " ".join(text.lower().split())
    if key in table:
        return table[key]
    if key.startswith("\u0644\u0644") and _AL + key[2:] in table:  # للعام → العام
        return table[_AL + key[2:]]
    return None


def _int(text: str | None) -> int | None:
    return int(text) if text else None


def _group_names(rx: regex.Pattern[str]) -> tuple[str, ...]:
    """The group names of `rx` by group number (a name used in several branches shares one number)."""
    names = [""] * rx.groups
    for name, k in rx.groupindex.items():
        names[k - 1] = name
    return tuple(names)


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
_SENTENCE_END_RX = re.compile(r"[!?\n;]|\.(?!\d)")
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
                                                  and not (core[0] in _PROCLITICS and core[1:] in chain))):
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


def _short_month_context(lo: str, e: int, rules: _Rules) -> bool:
    nxt = lo[e:e + 16].split()
    return bool(nxt) and (nxt[0][:1].isdigit() or nxt[0].strip(_PUNCT) in rules.short_next)


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
                if plan.short and not _short_month_context(lo, j + len(stem), rules):
                    continue
                if "wday" in classes and not _weekday_context(lo, j, rules):
                    classes = classes - _WDAY_ONLY
                tries = _tries(classes, rules.class_rx, rules.class_names, rules.start_words)
                cursor = _try_candidates(t, lo, j, cursor, chain, tries, year, atoms, lex)
                continue
        if plan.short and not _short_month_context(lo, j + len(stem), rules):
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


def _plausible_years(atoms: list[_Atom], pub: _dt.date | None) -> list[_Atom]:
    """A 4-digit number is a year only when it is plausible for the article: not after its publication year + 1 (or,
    undated, not more than five years after the latest other year the text names). "وفي نوفمبر 2094 قناة" is
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


# --- grouping atoms into mentions ----------------------------------------------------------------------------------
@dataclass(slots=True)
class _Group:
    """A mention before resolution: one atom, or a range with a start atom and/or an end atom."""

    s: int
    e: int
    first: _Atom | None
    second: _Atom | None
    is_range: bool


def _key(text: str | None) -> str:
    return " ".join((text or "").lower().split())


def _bound_of(lex: _Lexicon, word: str | None) -> str | None:
    k = _key(word)
    if not k:
        return None
    return ("end" if k in lex.bound_end else "start" if k in lex.bound_start else "mid" if k in lex.bound_mid
            else None)


def _group(atoms: list[_Atom], t: str, rules: _Rules, lex: _Lexicon, since_at: list[int]) -> list[_Group]:
    out: list[_Group] = []
    prev_end = 0
    i = 0
    n = len(atoms)
    while i < n:
        a = atoms[i]
        if a.s < prev_end:
            i += 1
            continue
        lo_bound = max(prev_end, a.s - 60)
        last = t[lo_bound:a.s].rstrip(" (").rsplit(None, 1)
        cue = ""
        s = a.s
        a.bound = None
        if last and last[-1].strip("()\"-").lower() in rules.cue_last_words:  # a cue or bound may end right here
            mb = rules.before.search(t, lo_bound, a.s)
            if mb:
                mcue, mbound = mb.group("cue", "bound")
                cue = _key(mcue)
                if mb.end() > mb.start() and (mcue or mbound):
                    s = mb.start()
                a.bound = _bound_of(lex, mbound)
        far_from = max(prev_end, a.s - 160)
        k = bisect_left(since_at, far_from)
        if k < len(since_at) and since_at[k] < a.s:  # a since-cue stands within reach
            far = rules.since_far.search(t, far_from, a.s)
            if far and far.start() < s and (far.group("lead") or (a.kind == "year" and a.y is not None)):
                cue, s = _key(far.group("cue")), far.start()
        kind = ("since" if cue in lex.since else "between" if cue in lex.between else "from" if cue in lex.from_
                else "until" if cue in lex.until_lone else "")
        if a.months_to is not None:
            b = atoms[i + 1] if i + 1 < n else None
            if b is not None and b.kind in ("month", "day") and not b.hijri and not t[a.e:b.s].strip():
                out.append(_Group(a.s, b.e, a, b, True))
                prev_end = b.e
                i += 2
            else:
                i += 1  # "the 12 months to" with no month after it: nothing to read
            continue
        if i + 1 < n:
            b = atoms[i + 1]
            lm = rules.link.fullmatch(t, a.e, b.s) if 0 <= b.s - a.e <= 40 else None
            if (lm and a.kind == "month" == b.kind and a.mo == b.mo and not a.hijri and not b.hijri
                    and a.bound is None and not kind):  # يونيو - حزيران 2024: one month in two names
                keep = a if not _yearless(a) else b
                out.append(_Group(s if a.bound else a.s, b.e, keep, None, False))
                prev_end = b.e
                i += 2
                continue
            if lm and (kind == "between" or _key(lm.group("link")) not in lex.and_links or _joined_by_and(a, b)):
                b.bound = _bound_of(lex, lm.group("bound"))
                if a.dual_year:
                    a.bound, b.bound = "start", "end"
                a.since = kind == "since"
                start = s if kind in ("since", "from", "between") else (s if a.bound else a.s)
                out.append(_Group(start, b.e, a, b, True))
                prev_end = b.e
                i += 2
                continue
        om = rules.open_end.match(t, a.e) if kind == "since" or (kind == "from" and cue in lex.open_from) else None
        if kind == "since" or om:
            # "منذ فبراير 2022", "from February 2022 until now / to date": a start and an open end
            a.since = True
            out.append(_Group(s, om.end() if om else a.e, a, None, True))
        elif kind == "until":
            out.append(_Group(s, a.e, None, a, True))
        elif a.weak and not (kind or a.bound or (not a.hijri and rules.weak_ok.search(t, max(0, a.s - 30), a.s))):
            i += 1
            continue
        else:
            out.append(_Group(s if a.bound else a.s, a.e, a, None, False))
        prev_end = out[-1].e
        i += 1
    return out


def _joined_by_and(a: _Atom, b: _Atom) -> bool:
    """Two atoms joined by "و" that name one span: "عامي 2022 و2023", and two consecutive months ("حزيران وتموز
    2023", "جانفي وفيفري"); "يناير ومارس" names two months, not the three between them."""
    if a.dual_year and b.kind == "year" and b.y is not None:
        return True
    return (a.kind == "month" == b.kind and not a.hijri and not b.hijri and a.mo is not None and b.mo is not None
            and b.mo == a.mo % 12 + 1 and a.y is None and a.yoff is None and a.msuf is None)


# --- resolution ----------------------------------------------------------------------------------------------------
def _ym(y: int, m: int) -> str:
    return f"{y:04d}-{m:02d}"


def _add_months(y: int, m: int, k: int) -> tuple[int, int]:
    t = y * 12 + (m - 1) + k
    return t // 12, t % 12 + 1


def _first_month(a: _Atom) -> int:
    if a.kind == "quarter" and a.q:
        return 3 * a.q - 2
    if a.kind == "half" and a.q:
        return 6 * a.q - 5
    return a.mo or 1


def _yearless(a: _Atom) -> bool:
    return (a.kind in ("day", "dayrange", "month", "quarter", "half") and a.y is None and a.yoff is None
            and not a.ybare and a.msuf is None and a.qoff is None and a.moff is None and a.doff is None
            and not (a.hijri and a.hy is not None))


def _year_keys(b: _Atom) -> list[tuple[Any, ...]]:
    """The keys under which `same_key_year` looks up an atom that names its year."""
    keys: list[tuple[Any, ...]] = [("qh", b.kind, b.q)] if b.kind in ("quarter", "half") else []
    if b.kind in ("day", "dayrange", "month"):
        keys.append(("month", b.mo))
    if b.kind in ("day", "dayrange"):
        keys.append(("day", b.kind, b.mo, b.d))
    return keys


def _nearest(group: list[_Atom], pos: list[int], a: _Atom) -> _Atom | None:
    """`min((b for b in group if b is not a), key=distance to a)` for a group in text order, by bisection: the
    nearest atom, the earliest one on a tie."""
    i = bisect_left(pos, a.s)
    left = next((k for k in range(i - 1, -1, -1) if group[k] is not a), None)
    right = next((k for k in range(i, len(group)) if group[k] is not a), None)
    dists = [a.s - pos[k] for k in (left,) if k is not None] + [pos[k] - a.s for k in (right,) if k is not None]
    if not dists:
        return None
    d = min(dists)
    for target in (a.s - d, a.s + d):
        k = bisect_left(pos, target)
        while k < len(pos) and pos[k] == target:
            if group[k] is not a:
                return group[k]
            k += 1
    return None


class _Context:
    """What resolution may look at besides the atom: the other atoms, sentences and the publication date."""

    def __init__(self, atoms: list[_Atom], t: str, pub: _dt.date | None) -> None:
        self.atoms = atoms
        self.t = t
        self.pub = pub
        self.with_year = [b for b in atoms if b.y is not None]
        self.last_quarter: tuple[int, int] | None = None  # (year, quarter) of the last resolved quarter
        # Indexes so that resolving each atom costs a bisection, not a scan of every other atom (a scan per atom
        # made one long text quadratic). Atoms come in text order; the lookups return exactly what the scans did.
        # Built on first use: most texts name their years and never ask (resolution does not change the atoms).
        self._latest = max((b.y for b in self.with_year), default=None)  # type: ignore[type-var]
        self._current: list[int | None] = []
        self._keyed: tuple[dict[tuple[Any, ...], list[_Atom]], dict[tuple[Any, ...], list[int]]] | None = None
        self._framed: tuple[list[_Atom], list[int]] | None = None
        self._hijri_index: tuple[list[_Atom], list[int]] | None = None

    def _by_key(self) -> tuple[dict[tuple[Any, ...], list[_Atom]], dict[tuple[Any, ...], list[int]]]:
        """The atoms with a year by `_year_keys`, and their positions."""
        if self._keyed is None:
            by_key: dict[tuple[Any, ...], list[_Atom]] = {}
            for b in self.with_year:
                for key in _year_keys(b):
                    by_key.setdefault(key, []).append(b)
            self._keyed = by_key, {k: [b.s for b in v] for k, v in by_key.items()}
        return self._keyed

    def _framing(self) -> tuple[list[_Atom], list[int]]:
        """The atoms with a year that are not a running total's start, and their positions."""
        if self._framed is None:
            framing = [b for b in self.with_year if not b.since]
            self._framed = framing, [b.s for b in framing]
        return self._framed

    def _hijri(self) -> tuple[list[_Atom], list[int]]:
        """The Hijri atoms with a year, and their positions."""
        if self._hijri_index is None:
            hijri = [b for b in self.atoms if b.hijri and b.hy is not None]
            self._hijri_index = hijri, [b.s for b in hijri]
        return self._hijri_index

    def same_sentence(self, i: int, j: int) -> bool:
        """Whether no sentence end stands between positions `i` and `j`."""
        lo, hi = (i, j) if i < j else (j, i)
        return _SENTENCE_END_RX.search(self.t, lo, hi) is None

    def latest_year(self) -> int | None:
        """The latest explicit Gregorian year the text names, or None."""
        return self._latest

    def current_year(self) -> int | None:
        """The "current year" of an undated text: the latest year it names, unless a day it names with a weekday
        but no year ("الجمعة 13 سبتمبر الماضي") falls on that weekday only in a later year (within five)."""
        if not self._current:
            self._current.append(self._current_year())
        return self._current[0]

    def _current_year(self) -> int | None:
        latest = self.latest_year()
        if latest is None:
            return None
        for a in self.atoms:
            if a.kind == "day" and a.y is None and a.wd is not None and a.mo and a.d and not a.hijri:
                for y in range(latest, latest + 6):
                    try:
                        if _dt.date(y, a.mo, a.d).weekday() == a.wd:
                            return y
                    except ValueError:
                        break
        return latest

    def same_key_year(self, a: _Atom) -> int | None:
        """The year of the same quarter, half, month or day named with a year elsewhere in the text (nearest)."""
        if a.kind in ("quarter", "half"):
            key: tuple[Any, ...] = ("qh", a.kind, a.q)
        elif a.kind == "month":
            key = ("month", a.mo)
        elif a.kind in ("day", "dayrange"):
            key = ("day", a.kind, a.mo, a.d)
        else:
            return None
        by_key, key_pos = self._by_key()
        b = _nearest(by_key.get(key, []), key_pos.get(key, []), a)
        return b.y if b is not None else None

    def near_year(self, a: _Atom) -> int | None:
        """The year of the same period named elsewhere, else of a year in the same sentence (not a since-start)."""
        y = self.same_key_year(a)
        if y is not None:
            return y
        framing, framing_pos = self._framing()
        lo, hi = bisect_right(framing_pos, a.s - 400), bisect_left(framing_pos, a.s + 400)
        near = [b for b in framing[lo:hi] if b is not a and self.same_sentence(a.s, b.s)]
        return min(near, key=lambda b: abs(b.s - a.s)).y if near else None

    def infer_year(self, a: _Atom) -> int | None:
        """The year of a quarter/month/day that states none (see the module docstring)."""
        y = self.near_year(a)
        if y is not None:
            return y
        if self.pub is not None:
            y = self.pub.year
            fm = _first_month(a)
            first_day = a.d if a.kind == "day" and a.d else (a.d1 or 1) if a.kind == "dayrange" else 1
            if (fm, first_day) > (self.pub.month, self.pub.day):
                y -= 1
            return y
        if a.kind == "day" and a.d and a.mo and self.with_year:
            # An undated text's yearless day ("ويوم الخميس 13 نوفمبر"): the latest year the text names, or the year
            # near it its weekday falls in.
            latest = self.latest_year()
            assert latest is not None
            for y in (latest, latest + 1, latest - 1, latest + 2, latest - 2) if a.wd is not None else (latest,):
                try:
                    if a.wd is None or _dt.date(y, a.mo, a.d).weekday() == a.wd:
                        return y
                except ValueError:
                    return latest
            return latest
        # The last year-bearing atom before `a` that is not a running total's start (which says little about the
        # rest), else the first one.
        framing, framing_pos = self._framing()
        k = bisect_left(framing_pos, a.s)
        if k > 0:
            return framing[k - 1].y
        first = next((b for b in framing if b is not a), None)
        if first is not None:
            return first.y
        return None

    def infer_hijri_year(self, a: _Atom) -> int | None:
        if a.msuf is None:
            b = _nearest(*self._hijri(), a)
            if b is not None:
                return b.hy
        if self.pub is None:
            return None
        try:
            h = Gregorian(self.pub.year, self.pub.month, self.pub.day).to_hijri()
        except (ValueError, OverflowError):  # outside the Umm al-Qura table (1924-2077)
            return None
        hy = h.year
        if (a.mo or 1, a.d or 1) > (h.month, h.day) or (a.msuf == -1 and (a.mo, a.d or 1) >= (h.month, h.day)):
            hy -= 1
        if a.msuf == 1 and (a.mo or 1, a.d or 1) <= (h.month, h.day):
            hy += 1
        return hy


def _month_relative_year(mo: int, d: int | None, off: int, pub: _dt.date) -> int:
    """The year of "<month> الماضي/الجاري/المقبل": the last, current or next such month seen from `pub`."""
    if off < 0:
        past = mo < pub.month or (mo == pub.month and d is not None and d < pub.day)
        return pub.year if past else pub.year - 1
    if off > 0:
        return pub.year if mo > pub.month else pub.year + 1
    return pub.year


Resolved = tuple[str | None, str | None, str | None]  # start, end, unresolved reason


def _resolve(a: _Atom, ctx: _Context, force_year: int | None = None) -> Resolved:
    pub = ctx.pub
    no_pub = "relative expression and no publication date"
    if a.kind == "firstn" and a.past is not None:
        year = force_year if force_year is not None else a.y
        if year is None and a.yoff is not None:
            if pub is None:
                return None, None, no_pub
            year = pub.year + a.yoff
        if year is None:
            year = pub.year if pub is not None else ctx.infer_year(a)
        if year is None:
            return None, None, "no year in the text and no publication date"
        n = a.past[0]
        return (_ym(year, 1), _ym(year, n), None) if a.edge == "first" else (_ym(year, 13 - n), _ym(year, 12), None)
    if a.past is not None:
        if pub is None:
            return None, None, no_pub
        n, unit = a.past
        if unit == "week":
            return (pub - _dt.timedelta(weeks=n)).isoformat(), pub.isoformat(), None
        k = n * 12 if unit == "year" else n
        return _ym(*_add_months(pub.year, pub.month, -k)), _ym(pub.year, pub.month), None
    if a.wrel is not None and a.wd is not None:
        if pub is None:
            return None, None, no_pub
        back = (pub.weekday() - a.wd) % 7
        if a.today:
            if back:
                return None, None, "the weekday named with today contradicts the publication date"
            day = pub
        elif a.wrel < 0:
            day = pub - _dt.timedelta(days=back or 7)
        elif a.wrel > 0:
            day = pub + _dt.timedelta(days=(a.wd - pub.weekday()) % 7 or 7)
        else:
            day = pub - _dt.timedelta(days=back)
        return day.isoformat(), day.isoformat(), None
    if a.doff is not None:
        if pub is None:
            return None, None, no_pub
        day = (pub + _dt.timedelta(days=a.doff)).isoformat()
        return day, day, None
    if a.woff is not None:
        if pub is None:
            return None, None, no_pub
        monday = pub - _dt.timedelta(days=pub.weekday()) + _dt.timedelta(weeks=a.woff)
        end = pub if a.woff == 0 else monday + _dt.timedelta(days=6)
        return monday.isoformat(), end.isoformat(), None
    if a.moff is not None:
        if pub is None:
            return None, None, no_pub
        ym = _ym(*_add_months(pub.year, pub.month, a.moff))
        return ym, ym, None
    if a.kind == "quarter" and a.qoff is not None and a.q is None:
        if a.anchored and ctx.last_quarter is not None:
            y, q = ctx.last_quarter
        elif pub is None:
            return None, None, no_pub
        else:
            y, q = pub.year, (pub.month - 1) // 3 + 1
        t = y * 4 + (q - 1) + a.qoff
        y, q = t // 4, t % 4 + 1
        ctx.last_quarter = (y, q)
        return _ym(y, 3 * q - 2), _ym(y, 3 * q), None
    if a.hijri:
        return _resolve_hijri(a, ctx)
    # Gregorian calendar units: find the year.
    year = force_year if force_year is not None else a.y
    if year is None and a.yoff is not None:
        if pub is not None:
            year = pub.year + a.yoff
        elif a.yoff == 0 and (latest := ctx.current_year()) is not None:
            year = latest  # "the current year" of an undated article: the latest year it names
        else:
            return None, None, no_pub
    if year is None and a.msuf is not None and a.mo is not None:
        if pub is not None:
            year = _month_relative_year(a.mo, a.d, a.msuf, pub)
        else:
            # "13 سبتمبر الماضي" in an undated text: a year named with it, else the text's "current year" (the latest
            # year it names, as for العام الحالي), never an older year named elsewhere (a founding date).
            year = ctx.near_year(a) or ctx.current_year() if _has_context_year(a, ctx) else None
            if year is None:
                return None, None, no_pub
    if year is None and a.ybare:
        year = pub.year if pub is not None else ctx.infer_year(a)
    if year is None and a.kind != "year":
        year = ctx.infer_year(a)
    if year is None:
        return None, None, "no year in the text and no publication date"
    if a.kind == "year":
        return _ym(year, 1), _ym(year, 12), None
    if a.kind in ("quarter", "half"):
        size = 3 if a.kind == "quarter" else 6
        if a.kind == "quarter":
            ctx.last_quarter = (year, a.q or 1)
        first = size * ((a.q or 1) - 1) + 1
        return _ym(year, first), _ym(year, size * (a.q2 or a.q or 1)), None
    if a.mo is None or not 1 <= a.mo <= 12:
        return None, None, "no such month"
    if a.kind == "month":
        return _ym(year, a.mo), _ym(year, a.mo), None
    try:
        end = _dt.date(year, a.mo, a.d or 1)
        start = _dt.date(year, a.mo, a.d1) if a.kind == "dayrange" and a.d1 else end
    except ValueError:
        return None, None, "no such day"
    if start > end:
        return None, None, "a day range that ends before it starts"
    return start.isoformat(), end.isoformat(), None


def _has_context_year(a: _Atom, ctx: _Context) -> bool:
    return any(b.y is not None and b is not a for b in ctx.atoms)


def _resolve_hijri(a: _Atom, ctx: _Context) -> Resolved:
    hy = a.hy
    if hy is None and (a.yoff is not None or a.ybare) and a.mo and ctx.pub is not None:
        # "رمضان من العام الجاري": the Hijri month that falls in that Gregorian year
        target = ctx.pub.year + (a.yoff or 0)
        for cand in range(int((target - 622) * 1.0307) - 1, int((target - 622) * 1.0307) + 3):
            try:
                if Hijri(cand, a.mo, 1).to_gregorian().year == target:
                    hy = cand
                    break
            except (ValueError, OverflowError):
                continue
    if hy is None:
        hy = ctx.infer_hijri_year(a)
    if hy is None:
        return None, None, "a Hijri date without a year and no publication date"
    try:
        if a.kind == "year":
            first = Hijri(hy, 1, 1)
            last = Hijri(hy, 12, Hijri(hy, 12, 1).month_length())
        elif a.d is None:
            first = Hijri(hy, a.mo or 0, 1)
            last = Hijri(hy, a.mo or 0, first.month_length())
        else:
            first = last = Hijri(hy, a.mo or 0, a.d)
        return first.to_gregorian().isoformat(), last.to_gregorian().isoformat(), None
    except (ValueError, OverflowError):
        return None, None, "no such Hijri date (or outside the Umm al-Qura range 1343-1500)"


def _bounded(r: Resolved, bound: str | None) -> Resolved:
    s, e, why = r
    if bound == "mid" and s and e and len(s) == 7 and s[5:] == "01" and e[5:] == "12" and s[:4] == e[:4]:
        return s[:4] + "-07", s[:4] + "-07", why  # the middle of a year: its July (GUIDELINES §6)
    if bound == "end":
        return e, e, why
    if bound == "start":
        return s, s, why
    return r


def _range_bound(r: Resolved, a: _Atom, side: str) -> Resolved:
    """One end of a range; a plain year bound stays a year ("منذ عام 2022" starts at 2022, not 2022-01)."""
    if a.bound is None and a.kind == "year" and not a.hijri and r[0] is not None:
        return r[0][:4], r[0][:4], r[2]
    return _bounded(r, a.bound or side)


def _year_of(iso: str | None) -> int | None:
    return int(iso[:4]) if iso else None


def _resolve_group(g: _Group, ctx: _Context) -> tuple[str, Period, str | None]:
    a, b = g.first, g.second
    if a is not None and b is not None and a.months_to is not None:
        rb = _resolve(b, ctx)
        if rb[1] is None:
            return "range", Period(None, None), rb[2]
        y, m = int(rb[1][:4]), int(rb[1][5:7])
        return "range", Period(_ym(*_add_months(y, m, 1 - a.months_to)), _ym(y, m)), None
    if a is not None and b is not None:
        # A yearless bound takes its partner's year ("من يوليو إلى سبتمبر 2025", "21 فبراير حتى نهاية ديسمبر 2022").
        if _yearless(a) and not _yearless(b):
            rb = _resolve(b, ctx)
            yb = _year_of(rb[0] or rb[1])
            ra = _resolve(a, ctx, None if yb is None else yb - (_first_month(a) > _first_month(b)))
        elif _yearless(b) and not _yearless(a):
            # "منذ فبراير 2022 وحتى نهاية الربع الثالث": an end bound is the report's own period when the text
            # names it with its year elsewhere; otherwise it follows its start.
            ra = _resolve(a, ctx)
            ya = _year_of(ra[0] or ra[1])
            yb = ctx.same_key_year(b)
            if yb is None or (ya is not None and yb < ya):
                yb = None if ya is None else ya + (_first_month(b) < _first_month(a))
            rb = _resolve(b, ctx, yb)
        elif _yearless(a) and _yearless(b):  # both take the end's year, the start the year before if it wraps
            rb = _resolve(b, ctx)
            yb = _year_of(rb[0] or rb[1])
            ra = _resolve(a, ctx, None if yb is None else yb - (_first_month(a) > _first_month(b)))
        else:
            ra, rb = _resolve(a, ctx), _resolve(b, ctx)
        ra, rb = _range_bound(ra, a, "start"), _range_bound(rb, b, "end")
        return "range", Period(ra[0], rb[1]), ra[2] or rb[2]
    if g.is_range and a is not None:
        ra = _range_bound(_resolve(a, ctx), a, "start")
        return "range", Period(ra[0], None), ra[2]
    if g.is_range and b is not None:
        rb = _range_bound(_resolve(b, ctx), b, "end")
        return "range", Period(None, rb[1]), rb[2]
    assert a is not None
    r = _bounded(_resolve(a, ctx), a.bound)
    kind = a.kind
    if kind in ("dayrange", "firstn"):
        kind = "range"
    elif (a.bound in ("start", "end") and kind in ("year", "quarter", "half")) or (a.bound == "mid" and kind == "year"):
        kind = "month"
    elif a.q2 is not None:
        kind = "range"
    elif a.hijri and kind == "year":
        kind = "year"
    return kind, Period(r[0], r[1]), r[2]


# --- public API -----------------------------------------------------------------------------------------------------
def parse_published(published: str | _dt.date | None) -> _dt.date | None:
    """The publication date as a `date`; None for None or anything that is not `YYYY-MM-DD` (a time may follow)."""
    if published is None:
        return None
    if isinstance(published, _dt.datetime):
        return published.date()
    if isinstance(published, _dt.date):
        return published
    if not isinstance(published, str):
        return None
    try:
        return _dt.date.fromisoformat(published.strip()[:10])
    except ValueError:
        return None


def find_dates(
    text: str | Normalised, published: str | _dt.date | None = None, *, statement_days: bool = False
) -> list[DateMention]:
    """Every time expression in `text`, resolved against `published`; sorted, non-overlapping, original offsets.

    A weekday with nothing but "today" or "on" ("اليوم الثلاثاء", "يوم الاثنين", "said on Wednesday") names the day the
    statement was made, not a time of what is reported: it is left out unless `statement_days` is true (then "today"
    is `published`, or unresolved when the weekday contradicts it, and "on Monday" the last Monday up to
    `published`). "الأحد الماضي" / "last Sunday" is always read."""
    norm = text if isinstance(text, Normalised) else normalise(text)
    t = norm.text
    pub = parse_published(published)
    rules = _rules()
    lex = _lexicon()
    atoms, since_at = _find_atoms(t, rules, lex)
    atoms = _plausible_years(atoms, pub)
    if not atoms:
        return []
    groups = _group(atoms, t, rules, lex, since_at)
    ctx = _Context(atoms, t, pub)
    out: list[DateMention] = []
    durations: list[tuple[int, int]] = []  # (index in out, length in months) of "خلال 3 أشهر" mentions
    original = norm.original
    for g in groups:
        if (not statement_days and g.first is not None and g.second is None and g.first.wrel == 0
                and g.first.wd is not None and g.first.d is None):
            continue  # "اليوم الثلاثاء", "said on Wednesday": the day of the statement
        if g.first is not None and g.second is None and g.first.within and g.first.past is not None:
            n, unit = g.first.past
            if unit in ("month", "year"):
                durations.append((len(out), n * 12 if unit == "year" else n))
        kind, period, why = _resolve_group(g, ctx)
        s, e = norm.span(g.s, g.e)
        wd = g.first.wd if g.first is not None else g.second.wd if g.second is not None else None
        matches = None
        if wd is not None and kind == "day" and period.start and len(period.start) == 10:
            matches = _dt.date.fromisoformat(period.start).weekday() == wd
        out.append(DateMention(s, e, original[s:e], kind, period, why, wd, matches))
    for i, months in durations:
        _duration_to_named_period(out, i, months)
    return out


def _months_spanned(p: Period) -> int | None:
    if not (p.start and p.end and len(p.start) == 7 and len(p.end) == 7):
        return None
    return (int(p.end[:4]) - int(p.start[:4])) * 12 + int(p.end[5:7]) - int(p.start[5:7]) + 1


def _duration_to_named_period(out: list[DateMention], i: int, months: int) -> None:
    """"خلال 3 أشهر" in a text that names a period of three months (الربع الأول من 2025) is that period: a duration
    restates the reported period; only when the text names none does it end at the publication date."""
    d = out[i]
    same = [m for j, m in enumerate(out) if j != i and not m.unresolved and _months_spanned(m.period) == months
            and m.kind in ("quarter", "half", "year", "range", "month")]
    if same:
        m = min(same, key=lambda m: abs(m.start - d.start))
        out[i] = DateMention(d.start, d.end, d.text, d.kind, m.period, None, d.weekday, d.weekday_matches)


@dataclass(frozen=True)
class _DatelineRules:
    cue: regex.Pattern[str]
    alone_filler: regex.Pattern[str]  # what a dateline line may hold besides its date (times, zones, separators)
    wire: regex.Pattern[str]
    header_lines: int


@compiled
def _dateline_rules() -> _DatelineRules:
    data = load("dates_dateline")["dateline"]
    lists = {
        "cue": _lower_list(data["cues"]),
        "filler": sorted({_fold(w) for w in data["filler"]}, key=len, reverse=True),
        "agency": sorted({_fold(w) for w in data["agencies"]}, key=len, reverse=True),
    }
    flags = regex.IGNORECASE | regex.VERSION0
    cue = regex.compile(r"(?<!\w)(?:\L<cue>)(?!\w)\s*:?\s*", flags, ignore_unused=True, **lists)
    filler = regex.compile(
        r"(?:[\s\-–—|:,/•()]+|\d{1,2}:\d{2}(?::\d{2})?|(?<!\w)(?:\L<filler>)(?!\w))*\Z", flags, ignore_unused=True,
        **lists
    )
    wire = regex.compile(
        r"\A[^\W\d_][^\n,()]{1,40}?,\s*(?P<date>[^()\n]{3,40}?)\s*\(\s*(?:\L<agency>)\s*\)\s*[-–—:]", flags,
        ignore_unused=True, **lists
    )
    return _DatelineRules(cue, filler, wire, int(data["header_lines"]))


_DATELINE_MAX = 100  # characters: a dateline or byline line is short


def find_dateline(text: str) -> tuple[_dt.date, tuple[int, int]] | None:
    """The article's own date from a dateline or byline, and its span in `text`; None when there is none.

    A date counts only right after a publication cue (نشر بتاريخ، آخر تحديث، Published), on a line of its own among
    the first lines, or in a wire dateline (DUBAI, March 4 (AFP) -); never a date inside a sentence of the story. A
    dateline without a year takes the year its weekday falls in, else the latest year the text names
    (patterns/dates_dateline.toml)."""
    rules = _dateline_rules()
    norm = normalise(text)
    t = norm.text
    candidates: list[tuple[int, int]] = []  # (start, end) of normalised segments that must begin with the date
    for m in rules.cue.finditer(t):
        line_end = t.find("\n", m.end(), m.end() + _DATELINE_MAX + 1)
        if line_end < 0 and len(t) - m.end() <= _DATELINE_MAX:
            line_end = len(t)
        if line_end >= 0:  # a byline's date ends its line; a cue inside a paragraph is prose
            candidates.append((m.end(), line_end))
    pos = 0
    for _ in range(rules.header_lines):
        end = t.find("\n", pos)
        end = len(t) if end < 0 else end
        if t[pos:end].strip() and end - pos <= _DATELINE_MAX:
            candidates.append((pos, end))
        w = rules.wire.match(t, pos, end)  # a wire dateline opens a line of the story itself
        if w:
            candidates.append((w.start("date"), w.end("date")))
        pos = end + 1
        if pos >= len(t):
            break
    for s, e in sorted(candidates):
        found = _dateline_date(t, s, e, rules)
        if found is not None:
            day, (ds, de) = found
            return day, norm.span(ds, de)
    return None


def published_from_dateline(text: str) -> tuple[str, RecordWarning] | None:
    """For an article given without `published`: its dateline's date (ISO) and the warning that says where it came
    from, or None (the fact extractor's hook; see `find_dateline`)."""
    found = find_dateline(text)
    if found is None:
        return None
    day, (s, e) = found
    return day.isoformat(), RecordWarning(
        "published_from_dateline",
        f"no publication date was given; {day.isoformat()} was read from the dateline {text[s:e]!r} (offset {s}) "
        "and relative dates were resolved against it",
    )


def _dateline_date(t: str, s: int, e: int, rules: _DatelineRules) -> tuple[_dt.date, tuple[int, int]] | None:
    """The day that fills the segment `s`..`e` of the normalised text (with only times and separators beside it)."""
    seg = t[s:e]
    found = [m for m in find_dates(seg) if m.kind == "day"]
    if len(found) != 1:
        return None
    m = found[0]
    if not rules.alone_filler.match(seg[:m.start] + " " + seg[m.end:]):
        return None
    day = None
    if m.period.start and len(m.period.start) == 10:
        day = _dt.date.fromisoformat(m.period.start)
    elif m.unresolved and "no year" in m.unresolved:
        day = _yearless_dateline(t, find_dates(seg, "2000-01-01"), m)
    if day is None:
        return None
    return day, (s + m.start, s + m.end)


def _yearless_dateline(t: str, probe: list[DateMention], m: DateMention) -> _dt.date | None:
    """A yearless dateline (الخميس 13 نوفمبر, RIYADH, Oct 7): its weekday's year near the latest year the text
    names, else that latest year."""
    got = [x for x in probe if x.start == m.start and x.period.start]
    years = [int(y) for y in re.findall(r"(?<!\d)(?:19[5-9]\d|20\d\d)(?!\d)", t)]
    if not got or not years:
        return None
    month, day = int(got[0].period.start[5:7]), int(got[0].period.start[8:10])  # type: ignore[index]
    latest = max(years)
    for y in ([latest + k for k in (0, 1, -1, 2, -2, 3, -3)] if m.weekday is not None else [latest]):
        try:
            d = _dt.date(y, month, day)
        except ValueError:
            continue
        if m.weekday is None or d.weekday() == m.weekday:
            return d
    return None


def check_example(file_stem: str, data: dict[str, Any], example: dict[str, Any]) -> str | None:
    """Check one pattern-file example: a negative finds nothing; a positive finds exactly the `expect` mention(s);
    a `dateline` example finds that article date with `find_dateline` ("" for none)."""
    text = example["text"]
    if "dateline" in example:
        try:
            line = find_dateline(text)
        except Exception as exc:
            return f"find_dateline raised {exc!r}"
        got = line[0].isoformat() if line else ""
        if got != example["dateline"]:
            return f"dateline: expected {example['dateline']!r}, got {got!r}"
        return None
    try:
        found = find_dates(text, example.get("published"), statement_days=bool(example.get("statement_days")))
    except Exception as exc:  # an example must never crash the engine; report it as a failure
        return f"find_dates raised {exc!r}"
    for m in found:
        if text[m.start:m.end] != m.text:
            return f"span {m.start}-{m.end} does not hold {m.text!r}"
    if example.get("negative"):
        return None if not found else f"expected nothing, found {[m.text for m in found]}"
    expect = example.get("expect")
    wanted = expect if isinstance(expect, list) else [expect]
    if len(found) != len(wanted):
        got = [(m.text, m.kind, m.period.start, m.period.end) for m in found]
        return f"expected {len(wanted)} mention(s), found {got}"
    for m, w in zip(found, wanted, strict=True):
        got = {"kind": m.kind, "start": m.period.start or "", "end": m.period.end or ""}
        for k in ("kind", "start", "end"):
            if k in w and w[k] != got[k]:
                return f"{k}: expected {w[k]!r}, got {got[k]!r} (mention {m.text!r}, unresolved={m.unresolved!r})"
        if "text" in w and w["text"] != m.text:
            return f"text: expected {w['text']!r}, got {m.text!r}"
        if "unresolved" in w and bool(w["unresolved"]) != (m.unresolved is not None):
            return f"unresolved: expected {w['unresolved']}, got {m.unresolved!r}"
        if "weekday_matches" in w and w["weekday_matches"] != m.weekday_matches:
            return f"weekday_matches: expected {w['weekday_matches']}, got {m.weekday_matches}"
    return None
