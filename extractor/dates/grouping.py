"""Grouping: atoms joined into mentions by the cue words around them (`_Group`: one atom, or a range).

`منذ X`, `حتى نهاية X`, `من X إلى Y`, `بين X و Y`, `from X to Y`, `X-Y`, a since-cue a few words before its date,
"the 12 months to June"; a bound word (نهاية، بداية، mid-) marks which end of its atom counts, and an ambiguous month
name alone is kept only where something makes it a month.
"""

from __future__ import annotations

from bisect import bisect_left
from dataclasses import dataclass

from .atoms import _Atom
from .lexicon import _key, _Lexicon
from .rules import _Rules


@dataclass(slots=True)
class _Group:
    """A mention before resolution: one atom, or a range with a start atom and/or an end atom."""

    s: int
    e: int
    first: _Atom | None
    second: _Atom | None
    is_range: bool


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


def _yearless(a: _Atom) -> bool:
    return (a.kind in ("day", "dayrange", "month", "quarter", "half") and a.y is None and a.yoff is None
            and not a.ybare and a.msuf is None and a.qoff is None and a.moff is None and a.doff is None
            and not (a.hijri and a.hy is not None))
