"""The date lexicon: the word tables of `patterns/months.toml`, `patterns/periods.toml` and
`patterns/dates_traps.toml`, folded like the input, and the few Arabic letters the grammar spells out.

Every word goes through `extractor.normalise` at load time, as the text does, so that data and text meet folded
(`_fold`, `_fold_key`; `_key` and `_lookup` are how a matched phrase meets a table). `_lexicon()` is cached per
pattern folder; `rules.py` builds the grammar from the same files.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from .. import chars as C
from ..normalise import normalise
from ..patterns import compiled, load

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


def _key(text: str | None) -> str:
    return " ".join((text or "").lower().split())


def _lookup(table: dict[str, Any], text: str | None) -> Any:
    if text is None:
        return None
    key = " ".join(text.lower().split())
    if key in table:
        return table[key]
    if key.startswith("\u0644\u0644") and _AL + key[2:] in table:  # للعام → العام
        return table[_AL + key[2:]]
    return None
