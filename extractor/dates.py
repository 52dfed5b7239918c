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
from .model import DateMention, Period
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
    ambiguous: frozenset[str]
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
    since: frozenset[str]
    from_: frozenset[str]
    until_lone: frozenset[str]
    between: frozenset[str]
    and_links: frozenset[str]
    bound_end: frozenset[str]
    bound_start: frozenset[str]


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
        ambiguous=frozenset(_fold(w) for w in months["gregorian"]["ambiguous"]),
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
        first_words=frozenset(_fold_key(w) for w in per["past"]["first"]),
        counts=table(per["past"]["counts"]),
        since=frozenset(_fold_key(w) for w in cues["since"]),
        from_=frozenset(_fold_key(w) for w in cues["from"]),
        until_lone=frozenset(_fold_key(w) for w in cues["until_lone"]),
        between=frozenset(_fold_key(w) for w in cues["between"]),
        and_links=frozenset(_fold_key(w) for w in cues["and_links"]),
        bound_end=frozenset(_fold_key(w) for w in cues["bound_end"]),
        bound_start=frozenset(_fold_key(w) for w in cues["bound_start"]),
    )


def _lower_list(words: list[str] | dict[str, Any]) -> list[str]:
    return sorted({_fold_key(w) for w in words}, key=len, reverse=True)


# Which anchor class leads to which branch of the atom grammar (see `_rules`).
_BRANCH_CLASSES = {
    "NUM": ("year",), "DR": ("month",), "HD": ("hijri",), "DM": ("month",), "MD": ("month",), "HM": ("hijri",),
    "MO": ("month",), "QU": ("qh",), "HA": ("qh",), "QR": ("qh",), "FN": ("rel",), "PN": ("rel",),
    "YR": ("year",), "MR": ("rel",), "WR": ("rel",), "DY": ("rel",),
}
_YEAR_STEMS = ("19", "20", "13", "14")
_MONTH_ONLY = frozenset({"month"})  # a year (or Hijri year) number starts with one of these


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


def _anchor_stems(months: dict[str, Any], per: dict[str, Any]) -> dict[str, frozenset[str]]:
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
    for n in nouns["year"] + nouns["year_en"]:
        add(n, "year")
    for n in per["anchors"]["words"]:
        add(n, "rel")
    for st in _YEAR_STEMS:  # a year may end a day or month whose month name is too short to be a stem (15 آب 2023)
        raw.setdefault(st, set()).update(("year", "month"))
    for n in per["cues"]["since"]:
        if len(n) > 2:  # "as of" is found by the cue regex; a stem "as" would fire on every English "as"
            add(n, "cue")
    # A stem that contains another is found as the shorter one, which then leads to both classes.
    stems = dict(raw)
    for a in list(stems):
        for b in list(stems):
            if a != b and b in a and a in stems and b in stems:
                stems[b] = stems[b] | stems.pop(a)
                break
    return {k: _MONTH_ONLY if v == {"month"} else frozenset(v) for k, v in stems.items()}


@dataclass(frozen=True)
class _Rules:
    class_rx: dict[str, regex.Pattern[str]]  # anchor class → the atom branches it can lead to
    class_names: dict[str, tuple[str, ...]]  # anchor class → its regex's group names by number
    anchor_rx: re.Pattern[str]  # stage 1: stems of the anchor words, on the lower-cased text
    stems: dict[str, frozenset[str]]  # stem → anchor classes
    start_words: dict[str, frozenset[str]]  # class → words (folded, lower case) an atom may begin with
    cue_last_words: frozenset[str]  # last words of cue and bound phrases (and what may follow them)
    chain_words: frozenset[str]  # words that may stand inside an expression before its anchor word
    before: regex.Pattern[str]  # cue / bound right before an atom (searched backwards)
    since_far: regex.Pattern[str]
    link: regex.Pattern[str]
    open_end: regex.Pattern[str]
    weak_ok: regex.Pattern[str]  # a preposition that makes an ambiguous month name a month (في مارس, in May)


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
        "since": _lower_list(cues["since"]),
        "from": _lower_list(cues["from"]),
        "until": _lower_list(cues["until"]),
        "until_lone": _lower_list(cues["until_lone"]),
        "andl": _lower_list(cues["and_links"]),
        "bend": _lower_list(cues["bound_end"]),
        "bstart": _lower_list(cues["bound_start"]),
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
    OF = rf"(?:(?:{_MIN}|{_FI}|of|in)\s+)"
    YT = rf"(?:\s*,?\s*{OF}?(?:(?:\L<yn>|\L<yn_en>)\s+)?{Y}{ERA})"  # year after a month/quarter
    YRT = rf"(?:\s+{OF}?(?P<yrel>\L<yrel>)(?:\s*,?\s*{Y}{ERA})?)"  # relative year phrase (+ explicit year)
    YBT = rf"(?:\s+(?:{_MIN}|of)\s+(?P<ybare>\L<ybare>|the\s+year)(?!\s*\w))"  # "من العام" (year from context)
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
    branches = [
        # 2025/10/07, 07-10-2025, 5 / 12 / 2025م, 1444/9/11 هـ
        rf"(?P<NUM>)(?<![\d/.\-])(?:(?P<ny>\d{{4}})\s*(?P<sep>[/.\-])\s*(?P<nm>\d{{1,2}})\s*(?P=sep)\s*(?P<nd>\d{{1,2}})"
        rf"|(?P<nd>\d{{1,2}})\s*(?P<sep>[/.\-])\s*(?P<nm>\d{{1,2}})\s*(?P=sep)\s*(?P<ny>\d{{4}}))(?![\d/])"
        rf"(?:\s*(?P<era>[{_MEEM}{_HEH}])(?!\w))?",
        # 28 - 29 يونيو 2018, 21-22 November 2019
        rf"(?P<DR>)(?<![\d.,/:])(?P<d1>[0-3]?\d)(?!\d)\s*(?:-|\L<andl>|\L<until>)\s*{D}\s+{OF}?(?:{_SHAHR}\s+)?"
        rf"{MON}{YTAIL}",
        # 11 ذي الحجة 1445هـ, 27 رمضان الماضي, 11 Dhu al-Hijjah 1445 AH
        rf"(?P<HD>){WD}{D}\s+(?:{_MIN}\s+)?(?:{_SHAHR}\s+)?{HMON}(?:\s*,?\s*(?:(?:{_MIN}\s+)?\L<yn>\s+)?{HY})?{MSUF}",
        # الجمعة 13 سبتمبر 2024, 13 September 2024, 17 يونيو (حزيران) الماضي
        rf"(?P<DM>){WD}{D}\s+(?:(?:{_MIN}|of)\s+)?(?:{_SHAHR}\s+)?{MON}{YTAIL}{MSUF}",
        # September 13, 2024 · Monday, June 17 2024 · Sept. 21
        rf"(?P<MD>){WD}(?:(?P<mpre>\L<mpre>)\s+)?{MON_EN}\s*{D}(?![.:]\d)(?:\s*,?\s*{Y})?",
        # جمادى الأولى 1445 هـ
        rf"(?P<HM>)(?:{_SHAHR}\s+)?{HMON}\s*,?\s*(?:(?:{_MIN}\s+)?\L<yn>\s+)?{HY}",
        # سبتمبر 2024, شهر مارس, أبريل الماضي, last May, June 2025
        rf"(?P<MO>)(?:(?P<shahr>\L<monthword>)\s+)?(?:(?P<mpre>\L<mpre>)\s+)?{MON}{YTAIL}{MSUF}",
        # الربع الثالث من العام الحالي 2025, the third quarter of 2024
        rf"(?P<QU>){LB}(?:the\s+)?(?:(?P<qn>\L<qn>)\s+(?P<ord>\L<ord>)|(?P<ord>\L<ord>)\s+(?P<qn>\L<qn_en>)){RB}"
        rf"(?!\s+(?:\L<notyear>)){YTAIL}",
        # 2024's third quarter
        rf"(?P<QU>){Y}(?:'s)?\s+(?P<ord>\L<ord>)\s+(?P<qn>\L<qn_en>){RB}",
        # Q3 2024, Q2 of 2024
        rf"(?P<QU>)(?<!\w)(?-i:Q)(?P<qnum>[1-4])(?!\w)(?:(?:\s+of\s+|\s*[-/]?\s*){Y})?",
        # النصف الأول من 2024, the first half of 2024, H1 2024
        rf"(?P<HA>){LB}(?:the\s+)?(?:(?P<hn>\L<hn>)\s+(?P<ord>\L<ord>)|(?P<ord>\L<ord>)\s+(?P<hn>\L<hn_en>)){RB}"
        rf"(?!\s+(?:\L<notyear>)){YTAIL}",
        rf"(?P<HA>)(?<!\w)(?-i:H)(?P<hnum>[12])(?!\w)(?:(?:\s+of\s+|\s*[-/]?\s*){Y})?",
        # هذا الربع, الربع الماضي, last quarter
        rf"(?P<QR>){LB}(?P<qrel>\L<qrel>){RB}",
        # الأشهر الثلاثة الأولى من عام 2018, the first six months of 2024
        rf"(?P<FN>){LB}(?P<punit>\L<punit>)\s+(?:(?P<pcount>\L<pcount>)|(?P<pnum>\d{{1,2}}))\s+"
        rf"(?P<pedge>\L<pfirst>|\L<plast>){RB}(?:{YT}|{YRT}|{YBT})",
        rf"(?P<FN>)(?<!\w)(?:the\s+)?(?P<pedge>\L<pfirst>|\L<plast>)\s+(?:(?P<pcount>\L<pcount>)|(?P<pnum>\d{{1,2}}))\s+"
        rf"(?P<punit>\L<punit>){RB}(?:{YT}|{YRT}|{YBT})",
        # الأشهر الستة الماضية, آخر 3 أشهر, the past eight months
        rf"(?P<PN>){LB}(?P<punit>\L<punit>)\s+(?:(?P<pcount>\L<pcount>)|(?P<pnum>\d{{1,2}}))\s+(?P<padj>\L<padj>){RB}",
        rf"(?P<PN>){LB}(?P<plead>\L<plead>)\s+(?:(?P<pcount>\L<pcount>)|(?P<pnum>\d{{1,2}}))\s+(?P<punit>\L<punit>){RB}",
        # عام 2023, العام 1444هـ
        rf"(?P<YR>){LB}(?P<yn>\L<yn>|\L<yn_en>)\s+(?:(?P<hy>1[34]\d\d)(?!\d)\s*(?P<era>{_HEH})(?!\w)|{Y}{ERA})",
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
        # the second year of "2020 to 2023", "2024 و2025"
        rf"(?P<YR>)(?<=(?<!\d)(?:19|20)\d\d(?:\s*[{_MEEM}{_HEH}])?{YLINK}){Y}{ERA}",
        # بداية العام, the start of the year
        rf"(?P<YR>)(?<=(?<!\w)(?:\L<bstart>|\L<bend>)\s+)(?P<ybare>\L<ybare>|the\s+year)(?!\s+{_AL})(?!\w)",
        # الشهر الماضي, this month · الأسبوع الماضي · أمس
        rf"(?P<MR>){LB}(?P<mrel>\L<mrel>){RB}",
        rf"(?P<WR>){LB}(?P<wrel>\L<wrel>){RB}",
        rf"(?P<DY>){LB}(?P<drel>\L<drel>){RB}",
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
    class_rx = {c: regex.compile("|".join(bs), flags, ignore_unused=True, **lists) for c, bs in by_class.items()}
    stems = _anchor_stems(months, per)
    anchor_rx = re.compile(_trie_pattern(list(stems)))
    # Words an atom of each class may begin with before its anchor word ("#" stands for a day or year number).
    start_keys = {
        "month": ("wd", "monthword", "mpre", "mar"), "hijri": ("wd", "monthword"), "qh": ("ord", "qrel"),
        "year": ("yrel", "yn"), "rel": ("mrel", "wrel", "drel", "plead", "pfirst", "plast", "punit"),
    }
    start_words = {
        c: frozenset(w.split()[0] for key in keys for w in lists[key]) | {"the"} | ({"#"} if c != "rel" else set())
        for c, keys in start_keys.items()
    }
    before = regex.compile(
        rf"(?r)(?:{LBC}(?P<cue>\L<since>|\L<from>|\L<until_lone>)\s+(?:(?:{_SHAHR}|the)\s+)?)?"
        r"(?:(?<!\w)(?P<bound>\L<bend>|\L<bstart>)\s+(?:(?:of|the)\s+)?)?(?:\(\s*)?\Z",
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
        rf"(?:(?:{_MIN}|of|the)\s+)?(?:{_SHAHR}\s+)?\(?\s*",
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
        w.split()[-1] for key in ("since", "from", "until_lone", "bend", "bstart") for w in lists[key]
    ) | {"the", "of", _SHAHR, "("}
    class_names = {c: _group_names(rx) for c, rx in class_rx.items()}
    # Start words of any class, and the small words that may stand between them and the anchor ("13 من شهر
    # سبتمبر", "28 - 29 يونيو", "الاثنين الموافق 17 يونيو").
    chain_words = frozenset(
        word
        for key in ("wd", "ord", "yrel", "qrel", "mrel", "wrel", "drel", "mpre", "plead", "pfirst", "plast",
                    "monthword", "punit", "pcount", "qn", "hn", "yn", "yn_en", "mar", "hmon", "andl", "until")
        for w in lists[key]
        for word in w.lower().split()
    ) | {_MIN, "of", _MUWAFIQ, "the"}
    return _Rules(class_rx, class_names, anchor_rx, stems, start_words, cue_last_words, chain_words, before,
                  since_far, link, open_end, weak_ok)


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
    last_prev: bool = False  # English "last quarter" without a year: the previous quarter
    qoff: int | None = None  # relative quarter
    anchored: bool = False  # "the previous quarter": count back from the quarter just mentioned
    moff: int | None = None  # relative month (الشهر الماضي)
    msuf: int | None = None  # after a month name (سبتمبر الماضي)
    woff: int | None = None
    doff: int | None = None
    past: tuple[int, str] | None = None  # the past N months/years/weeks
    edge: str | None = None  # "first" / "last": the first or last N months of a year
    hijri: bool = False
    hy: int | None = None
    weak: bool = False  # an ambiguous month name with nothing around it that makes it a month
    wd: int | None = None
    bound: str | None = None  # "start" / "end": only that end of the atom counts (بداية / نهاية)
    since: bool = False  # the start of a running total (منذ فبراير 2022): not the year of the sentence's periods


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
    g = dict(zip(names, m.groups(), strict=True)).get  # a class regex has only its own branches' groups
    a = _Atom(m.start(), m.end(), "day")
    a.y = _int(g("y"))
    a.yoff = _lookup(lex.rel_year, g("yrel"))
    a.ybare = g("ybare") is not None
    a.wd = _lookup(lex.weekdays, g("wd"))
    era = g("era")
    if a.y is not None and (era == _HEH or (a.y < 1900 and era != _MEEM)):
        a.hijri, a.hy, a.y = True, a.y, None
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
        a.hijri = True
        a.mo = _lookup(lex.hijri, g("hmon"))
        a.hy = _int(g("hy"))
        if g("HD") is not None:
            a.d = int(g("d"))
        else:
            a.kind = "month"
        return a
    if g("DM") is not None or g("MD") is not None:
        a.d = int(g("d"))
        return a
    if g("MO") is not None:
        a.kind = "month"
        a.weak = (mon in lex.ambiguous and a.y is None and a.yoff is None and a.msuf is None
                  and g("shahr") is None and g("mon2") is None and not a.ybare)
        return a
    if g("QU") is not None or g("HA") is not None:
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
        if not n or n > 12 or _lookup(lex.past_units, g("punit")) != "month":
            return None
        a.past = (n, "month")
        a.edge = "first" if _key(g("pedge")) in lex.first_words else "last"
        return a
    if g("PN") is not None:
        a.kind = "relative"
        n = _lookup(lex.counts, g("pcount")) if g("pcount") else _int(g("pnum"))
        unit = _lookup(lex.past_units, g("punit"))
        if not n or unit is None:
            return None
        a.past = (n, unit)
        return a
    if g("YR") is not None:
        a.kind = "year"
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
    return None


_PUNCT = ".,;:!?()[]{}\"'«»-/"
_SENTENCE_END = frozenset(".!?;\n")
_WORD_PREFIX = frozenset(_PROCLITICS + C.ALEF)  # letters a stem may follow inside its word: و ب ل ف ك and ال
_SENTENCE_END_RX = re.compile(r"[!?\n;]|\.(?!\d)")
_NUMERIC_DATE_CHARS = frozenset("0123456789/.-")
_PREV_TOKENS = re.compile(r"\S+")
_ASCII_LOWER = str.maketrans("ABCDEFGHIJKLMNOPQRSTUVWXYZ", "abcdefghijklmnopqrstuvwxyz")


def _lower(t: str) -> str:
    lo = t.lower()
    return lo if len(lo) == len(t) else t.translate(_ASCII_LOWER)


def _start_of_word(lo: str, ts: int, limit: int) -> list[int]:
    """Where an atom may begin inside the token starting at `ts`: its first letter, and after 1-2 proclitics."""
    while ts < limit and lo[ts] in _PUNCT:
        ts += 1
    out = [ts]
    for k in (1, 2):
        if ts + k <= limit and lo[ts + k - 1] in _PROCLITICS:
            out.append(ts + k)
        else:
            break
    return out


def _candidates(lo: str, j: int, ts: int, cursor: int, chain: frozenset[str]) -> list[tuple[int, str]]:
    """Positions to try the atom grammar at for an anchor found at `j` in the word starting at `ts`, earliest first,
    each with its word: the words before it back to the first that cannot be part of an expression (at most four:
    a weekday, a day number "#", "the", an ordinal, شهر …; the class's start words decide which are tried), then the
    anchor's own word ("")."""
    out: list[tuple[int, str]] = []
    lo_bound = max(cursor, ts - 48)
    e = ts
    for tok in reversed(lo[lo_bound:ts].rsplit(None, 4)[-4:]):
        at = lo.rfind(tok, lo_bound, e)
        e = at
        if tok[-1] in _SENTENCE_END:
            break
        core = tok.strip(_PUNCT)
        if not core:
            continue
        at += tok.index(core[0])
        if core[0].isdigit():
            if not ((len(core) <= 4 and core.isdigit()) or "/" in core or "-" in core):  # not 2,930,606 or 93%
                break
            out.append((at, "#"))
        elif core in chain:
            out.append((at, core))
        elif core[0] in _PROCLITICS and core[1:] in chain:
            out.append((at + 1, core[1:]))
        else:
            break
    out.reverse()
    out.extend((p, "") for p in _start_of_word(lo, ts, j) if p <= j)
    if lo[j].isdigit():  # a numeric date glued to the word before it ("الأوسط١١-٠٥-٢٠٢٥")
        p = j
        while p > ts and lo[p - 1] in _NUMERIC_DATE_CHARS:
            p -= 1
        while p < j and not lo[p].isdigit():
            p += 1
        if p > out[-1][0]:
            out.append((p, ""))
    return out


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
    stems = rules.stems
    for am in rules.anchor_rx.finditer(lo):
        j = am.start()
        stem = am.group()
        classes = stems[stem]
        if "cue" in classes:
            since_at.append(j)
            if len(classes) == 1:
                continue
        if j < cursor:
            continue
        before = lo[j - 1] if j else " "
        year = stem in _YEAR_STEMS
        if year:  # only a standalone 4-digit number is a year anchor
            if (before.isdigit() or (before in ",." and j > 1 and lo[j - 2].isdigit())
                    or not lo[j:j + 4].isdigit() or lo[j + 4:j + 5].isdigit()):
                continue
        elif before.isalpha() and (stem.isascii() or not _stem_prefix_ok(lo, j)):
            continue  # the stem is inside a longer word (يمارس، الطعام، Arabia)
        elif classes is _MONTH_ONLY and stem.isascii() and not t[j].isupper():
            continue  # an English month name is capitalised (may, march, market)
        ts = max(lo.rfind(" ", cursor, j), lo.rfind("\n", cursor, j), cursor - 1) + 1
        for p, word in _candidates(lo, j, ts, cursor, rules.chain_words):
            if p < cursor:
                continue
            best = None
            best_class = ""
            for c in classes:
                if c == "cue" or (word and word not in rules.start_words[c]) or (not word and c == "month" and year):
                    continue  # (a month expression never begins with its year)
                m = rules.class_rx[c].match(t, p)
                if m is not None and m.end() > p and (best is None or m.end() > best.end()):
                    best, best_class = m, c
            if best is None:
                continue
            atom = _atom_from_match(best, rules.class_names[best_class], lex)
            cursor = best.end()
            if atom is not None:
                atoms.append(atom)
            if cursor > j:
                break
    return atoms, since_at


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
    return "end" if k in lex.bound_end else "start" if k in lex.bound_start else None


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
        mb = None
        if last and last[-1].strip("()\"").lower() in rules.cue_last_words:  # a cue or bound may end right here
            mb = rules.before.search(t, lo_bound, a.s)
        cue = _key(mb.group("cue")) if mb else ""
        s = mb.start() if mb and mb.end() > mb.start() and (mb.group("cue") or mb.group("bound")) else a.s
        a.bound = _bound_of(lex, mb.group("bound")) if mb else None
        far_from = max(prev_end, a.s - 160)
        k = bisect_left(since_at, far_from)
        if k < len(since_at) and since_at[k] < a.s:  # a since-cue stands within reach
            far = rules.since_far.search(t, far_from, a.s)
            if far and far.start() < s and (far.group("lead") or (a.kind == "year" and a.y is not None)):
                cue, s = _key(far.group("cue")), far.start()
        kind = ("since" if cue in lex.since else "between" if cue in lex.between else "from" if cue in lex.from_
                else "until" if cue in lex.until_lone else "")
        if i + 1 < n:
            b = atoms[i + 1]
            lm = rules.link.fullmatch(t, a.e, b.s) if 0 <= b.s - a.e <= 40 else None
            if lm and (kind == "between" or _key(lm.group("link")) not in lex.and_links):
                b.bound = _bound_of(lex, lm.group("bound"))
                a.since = kind == "since"
                start = s if kind in ("since", "from", "between") else (s if a.bound else a.s)
                out.append(_Group(start, b.e, a, b, True))
                prev_end = b.e
                i += 2
                continue
        if kind == "since":
            a.since = True
            e = a.e
            om = rules.open_end.match(t, a.e)
            if om:
                e = om.end()
            out.append(_Group(s, e, a, None, True))
        elif kind == "until":
            out.append(_Group(s, a.e, None, a, True))
        elif a.weak and not (kind or rules.weak_ok.search(t, max(0, a.s - 30), a.s)):
            i += 1
            continue
        else:
            out.append(_Group(s if a.bound else a.s, a.e, a, None, False))
        prev_end = out[-1].e
        i += 1
    return out


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
        self._latest = max((b.y for b in self.with_year), default=None)  # type: ignore[type-var]
        self._current: list[int | None] = []
        self._by_key: dict[tuple[Any, ...], list[_Atom]] = {}
        for b in self.with_year:
            for key in _year_keys(b):
                self._by_key.setdefault(key, []).append(b)
        self._key_pos = {k: [b.s for b in v] for k, v in self._by_key.items()}
        self._framing = [b for b in self.with_year if not b.since]
        self._framing_pos = [b.s for b in self._framing]
        self._hijri = [b for b in atoms if b.hijri and b.hy is not None]
        self._hijri_pos = [b.s for b in self._hijri]

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
        b = _nearest(self._by_key.get(key, []), self._key_pos.get(key, []), a)
        return b.y if b is not None else None

    def near_year(self, a: _Atom) -> int | None:
        """The year of the same period named elsewhere, else of a year in the same sentence (not a since-start)."""
        y = self.same_key_year(a)
        if y is not None:
            return y
        lo, hi = bisect_right(self._framing_pos, a.s - 400), bisect_left(self._framing_pos, a.s + 400)
        near = [b for b in self._framing[lo:hi] if b is not a and self.same_sentence(a.s, b.s)]
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
        # The last year-bearing atom before `a` that is not a running total's start (which says little about the
        # rest), else the first one.
        k = bisect_left(self._framing_pos, a.s)
        if k > 0:
            return self._framing[k - 1].y
        first = next((b for b in self._framing if b is not a), None)
        if first is not None:
            return first.y
        return None

    def infer_hijri_year(self, a: _Atom) -> int | None:
        if a.msuf is None:
            b = _nearest(self._hijri, self._hijri_pos, a)
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
        return _ym(year, first), _ym(year, first + size - 1), None
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
    hy = a.hy if a.hy is not None else ctx.infer_hijri_year(a)
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
    elif a.bound and kind in ("year", "quarter", "half"):
        kind = "month"
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


def find_dates(text: str | Normalised, published: str | _dt.date | None = None) -> list[DateMention]:
    """Every time expression in `text`, resolved against `published`; sorted, non-overlapping, original offsets."""
    norm = text if isinstance(text, Normalised) else normalise(text)
    t = norm.text
    pub = parse_published(published)
    rules = _rules()
    lex = _lexicon()
    atoms, since_at = _find_atoms(t, rules, lex)
    if not atoms:
        return []
    groups = _group(atoms, t, rules, lex, since_at)
    ctx = _Context(atoms, t, pub)
    out: list[DateMention] = []
    original = norm.original
    for g in groups:
        kind, period, why = _resolve_group(g, ctx)
        s, e = norm.span(g.s, g.e)
        wd = g.first.wd if g.first is not None else g.second.wd if g.second is not None else None
        matches = None
        if wd is not None and kind == "day" and period.start and len(period.start) == 10:
            matches = _dt.date.fromisoformat(period.start).weekday() == wd
        out.append(DateMention(s, e, original[s:e], kind, period, why, wd, matches))
    return out


def check_example(file_stem: str, data: dict[str, Any], example: dict[str, Any]) -> str | None:
    """Check one pattern-file example: a negative finds nothing; a positive finds exactly the `expect` mention(s)."""
    text = example["text"]
    try:
        found = find_dates(text, example.get("published"))
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
