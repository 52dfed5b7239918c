"""The compiled date rules: the anchor scan, the atom grammar by anchor class, and the cue regexes.

`_rules()` (cached per pattern folder) builds them from `patterns/months.toml` and `patterns/periods.toml`: the
stems of stage 1 as one prefix tree (`_anchor_stems`, `_trie_pattern`), the branches of stage 2 (`branches` in
`_rules`, each with a marker group and its anchor classes in `_BRANCH_CLASSES`) compiled into one small `regex` per
class, each branch guarded by the characters it can begin with (`_guarded`, `_first_chars`), and a plan per stem
(`_StemPlan`) that tells `atoms.py` what to try at its hits.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

import regex

from ..patterns import compiled, load
from .lexicon import (
    _AL,
    _FI,
    _HEH,
    _MEEM,
    _MIN,
    _MUWAFIQ,
    _PROCLITICS,
    _SHAHR,
    _WAW,
    _fold,
    _fold_key,
    _lexicon,
    _lower_list,
    _with_clitics,
)

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
        # "during the first six months" with no year: those of the report's year ("the last six months" alone is the
        # past six months, read as such elsewhere)
        rf"(?P<FN>)(?<!\w)(?:the\s+)?(?P<pedge>\L<pfirst>)\s+(?:(?P<pcount>\L<pcount>)|(?P<pnum>\d{{1,2}}))\s+"
        rf"(?P<punit>\L<punit>){RB}{FNOPEN}",
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


def _group_names(rx: regex.Pattern[str]) -> tuple[str, ...]:
    """The group names of `rx` by group number (a name used in several branches shares one number)."""
    names = [""] * rx.groups
    for name, k in rx.groupindex.items():
        names[k - 1] = name
    return tuple(names)
