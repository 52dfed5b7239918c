"""The composition engine: tokens from the lexicon's regex → number phrases with value, kind, qualifier and span.

The engine knows no words; it knows roles (lexicon.py) and these composition rules:

1. Tokens: digit runs (any script, folded to ASCII; separators `,` `.` `٬` `٫` `،`, a reversed decimal mark, or
   space-grouped thousands), number words, percent signs, phone-like strings. A token is never taken from inside a
   word: `المليونير`, `الفتياني`, `G20` yield nothing. Digits glued to a code (`كوفيد-19`), to `/` or `:` (`24/7`,
   `17/6/2024`, `10:30`), in a dash chain of three groups (`2024-06-17`), or after the article (`الـ25`) are dropped.
2. Digit values: one separator kind in 3-digit groups is thousands (`28,495,947`, `5.269.078`); so are groups of
   three digits after a space of any kind (`28 495 947`, `1 150`: the French-influenced Maghrebi style; a no-break or
   thin space is folded to a space first) and a stray space after a thousands comma (`1,164, 000`), while figures
   that merely stand side by side stay apart (`2023 1,554`: four digits cannot lead a group; a list `2, 5, 7`);
   a single `.` before exactly three digits is thousands unless a scale or a percent follows (`231.354` = 231354,
   `1.189 مليون` and `99.999%` are decimals); `,` or `.` before other digit counts is a decimal (`3,7`, `16,5`,
   `12.82`); two kinds: the last one is the decimal (`12,345.67`); a reversed mark `4ر28` reads 28.4 (the Egyptian
   wire style).
3. Within a sub-thousand part: unit + teen word (ستة عشر), unit + و + ten (خمسة وثلاثون; English ten-unit with a
   hyphen or space), hundred + و + unit/ten (ستمئة وأربعة), unit 1–9 + multiplying hundred (ثلاث مئة، two hundred).
4. A part + a scale multiplies (`35 مليوناً`, `ثلاثة ملايين`, `850 ألف`); a plural scale needs a count of 2+
   (bare `آلاف`, `ملايين` are vague: nothing); a bare singular scale is one (`مليون`), a dual is two (`مليونان`,
   `مليوني`); `ألفا`/`مليونا` with no count is an accusative singular when it carries tanween or a و-part follows
   (`مليوناً و283 ألفاً`), else the dual construct (`ألفا شخص` = 2000). Scale after scale multiplies (`ألف مليون`).
5. After a scale, و + a lower-order part continues the phrase (`20 مليونا و92 ألفا و547`; in English also a plain
   space: `two million three hundred thousand`); each later part must be below the last scale, otherwise the phrase
   ends before the و (`20 مليونا و3 ملايين` is two mentions). Anything else between two tokens (a counted noun,
   another proclitic) ends the phrase: `40 ألف جندي و300 دبابة` is two mentions. A word that reads both as a whole
   word and as و + word (`وأحد` = `واحد`) takes the second reading where only it continues the phrase.
6. Fractions only with a scale: `ربع مليون`, `نصف مليار`, `half a million`, `ثلاثة أرباع المليون` (the article is
   allowed on a scale only here), `مليون ونصف` (after a scale: fraction × that scale). A lone `ربع`/`نصف` is nothing.
7. A fully written integer of 1,000,000 or more followed by a scale (`129,634,467 million`, a press typo) keeps its
   value: the scale is redundant. A smaller one multiplies (`1,200 مليون` = 1.2 billion).
8. Kinds: `percent` when a percent sign or word follows (`42%`, `42 في المئة`) or a sign precedes (`٪12`); `year`
   for a plain 4-digit integer in the Gregorian range with no hedge, or one with a calendar suffix (`2024م`,
   `1445هـ`); `phone` for phone-like strings; else `number`. Values: int when integral (`28.5 مليون` → 28500000),
   float otherwise (12.82).
9. Qualifier: a hedge right before the phrase (with its proclitics: بأكثر من، لنحو) or right after it (تقريباً)
   sets it; the hedge is not part of the span. A lone unit marked `alone = false` (واحد، one) is not reported.

Speed: tokens come from two regex passes over the folded text (digits/signs/phones behind a character-class prefix;
words and hedges behind a separator class, as prefix tries: one compiled pattern per language choice serves long
texts, short ones and the special positions), a lone digit run skips composition, and the composition (`_compose`)
is one loop over local state. Everything is linear in the text length.

To add a word, a dialect spelling, a hedge or a trap: edit the pattern files (see their headers), never this module;
to add a role or a rule: extend `_compose` and describe the rule above, with examples in the pattern files.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Callable
from fractions import Fraction
from itertools import compress
from operator import attrgetter
from typing import TYPE_CHECKING, NamedTuple

from .. import chars as C
from ..model import NumberMention
from ..normalise import Normalised, decode_entities, normalise
from .lexicon import LETTERS_MARK, WORD_SEPARATORS, Lexicon, Word, glued_scales, letters, lexicon, skeleton

if TYPE_CHECKING:
    from ..entities import Words

_MILLION = 10**6
_MAX_DIGIT_RUN = 64
_UNSET = "?"  # a gap not computed yet
_NO_ROLES: frozenset[str] = frozenset()
_JOINING_ROLES = frozenset({"scale", "percent"})
_MAX_GAP = 12  # longer than any join (spaces, و, and, a hyphen, a filler)
_SHORT_TEXT = 256  # below this length the words are searched one after the other; above, one pass and its fix-ups
_SPLIT_SEPS = re.compile(r"([.,])")
_COMMA_GROUPED = re.compile(r"[1-9][0-9]{0,2}(?:,[0-9]{3})+")
_PLAIN_DIGITS = re.compile(r"[0-9]+(?:[.,][0-9]+)*")
_PHONE_LIKE = re.compile(r"0[0-9]{8,12}")
_DOT_GROUPED = re.compile(r"[1-9][0-9]{0,2}(?:\.[0-9]{3})+")
_DASH_CHAIN = re.compile(r"\d+(?:-\d+){2,}")
_CUT_GROUPS = re.compile(r"[0-9]{1,3}(?:([,.])[0-9]{3})*[,.][0-9]{1,2}")  # 1,051,2: thousands groups cut short


class _Tok:
    """One token of the normalised text: `ps` starts at its proclitic, `ns`..`ne` is the token itself."""

    __slots__ = ("alt", "att", "definite", "kind", "ne", "ns", "parsed", "pro", "ps", "raw", "roles", "words")

    def __init__(self, kind: str, ps: int, ns: int, ne: int, raw: str, words: tuple[Word, ...] = (),
                 att: tuple[Word, ...] = (), definite: bool = False, pro: str = "") -> None:
        self.kind = kind  # num | word | sign | phone
        self.ps, self.ns, self.ne = ps, ns, ne
        self.raw = raw
        self.words = words
        self.roles = frozenset(w.role for w in words) if words else _NO_ROLES
        self.att = att
        self.definite = definite
        self.pro = pro  # the proclitic, with a trailing article removed (وال → و)
        self.alt: tuple[Word, ...] = ()  # the words read as conjunction + word (وأحد: و + أحد, not واحد)
        self.parsed: tuple[int | Fraction, str] | None = None  # digit runs: digits_value(raw) with no context


_new = tuple.__new__  # a named tuple without its Python-level constructor (one per phrase)


class Found(NamedTuple):
    """A number phrase in normalised offsets, before mapping: tokens `ns`..`ne`, outer `os`..`oe` with hedges."""

    value: int | float
    kind: str
    qualifier: str
    ns: int
    ne: int
    os: int
    oe: int
    hedge: tuple[int, int] | None


def digits_value(raw: str, decimal_context: bool, marks: tuple[str, ...]) -> tuple[int | Fraction, str] | None:
    """The value of a digit run and its form (`plain`, `grouped`, `decimal`), or None when it is no number."""
    if len(raw) > _MAX_DIGIT_RUN:
        return None  # an identifier or a hash, not a figure (and int() refuses very long strings)
    if raw.isdigit():
        return int(raw), "plain"
    if _COMMA_GROUPED.fullmatch(raw):  # the most common press form, 28,495,947
        return int(raw.replace(",", "")), "grouped"
    if _DOT_GROUPED.fullmatch(raw) and (raw.count(".") > 1 or not decimal_context):  # 5.269.078, 231.354
        return int(raw.replace(".", "")), "grouped"
    for mark in marks:
        if mark in raw:
            head, _, tail = raw.partition(mark)
            if head.isdigit() and tail.isdigit():
                return _decimal(tail, head), "decimal"
            return None
    if " " in raw:
        # Thousands grouped by spaces (28 495 947) or a stray space after a thousands comma (1,164, 000).
        return int(raw.replace(" ", "").replace(",", "")), "grouped"
    comma, dot = "," in raw, "." in raw
    if comma != dot:
        sep = "," if comma else "."
        groups = raw.split(sep)
        first = groups[0]
        if (len(first) <= 3 and first[0] != "0" and all(len(g) == 3 for g in groups[1:])
                and (len(groups) > 2 or comma or not decimal_context)):
            return int("".join(groups)), "grouped"
        if len(groups) == 2 and (dot or len(groups[1]) <= 2):
            return _decimal(first, groups[1]), "decimal"
        return None
    parts = _SPLIT_SEPS.split(raw)
    groups, seps = parts[0::2], parts[1::2]
    first = groups[0]
    if (all(sep == seps[0] for sep in seps[:-1]) and seps[-1] != seps[0] and len(first) <= 3 and first[0] != "0"
            and all(len(g) == 3 for g in groups[1:-1])):
        return _decimal("".join(groups[:-1]), groups[-1]), "decimal"
    return None


def _decimal(whole: str, fraction: str) -> int | Fraction:
    return _num(Fraction(int(whole + fraction), 10 ** len(fraction)))


def _num(v: int | Fraction) -> int | Fraction:
    return int(v) if isinstance(v, Fraction) and v.denominator == 1 else v


def _final(v: int | Fraction) -> int | float:
    if isinstance(v, Fraction):
        return int(v) if v.denominator == 1 else float(v)
    return v


def tokens(norm: Normalised, lex: Lexicon, lang: str | None, split: Words | None = None) -> list[_Tok]:
    """Every token of `norm.text`, in order: digit runs, signs, phones (one pass), words and hedges (another, or
    the words of `split`, the text already split by `extractor.entities.split_words`)."""
    out = _digit_tokens(norm, lex)
    words = _word_tokens(norm, lex, lang, split)
    if words:
        out = sorted(out + words, key=_BY_START) if out else words
    return out


_BY_START = attrgetter("ns")


def _digit_tokens(norm: Normalised, lex: Lexicon) -> list[_Tok]:
    text = norm.text
    out: list[_Tok] = []
    marks = lex.reversed_decimal_marks
    assert lex.digit_re is not None
    for m in lex.digit_re.finditer(text):
        ns = m.start()
        phone, sign, phone0, _, a = m.groups()
        if phone is not None or phone0 is not None:
            out.append(_Tok("phone", ns, ns, m.end(), m.group()))
            continue
        if sign is not None:
            out.append(_Tok("sign", ns, ns, m.end(), m.group(), lex.signs[m.group()]))
            continue
        ne = m.end(4)  # the group `num`
        raw = text[ns:ne]
        pro = ""
        if ns and text[ns - 1].isalpha():
            j = ns - 1
            while j and text[j - 1].isalpha():
                j -= 1
            pro = text[j:ns]
            if (j and (text[j - 1].isalnum() or text[j - 1] == "_")) or pro not in lex.proclitics:
                if not (pro in lex.articles and _scale_follows(text, ne, lex)):
                    continue  # G20, الـ25 (an ordinal), letters glued to digits
                pro = ""  # الـ14 مليون: the article before a counted scale, a cardinal
        before = text[ns - 1] if ns else ""
        after = text[ne] if ne < len(text) else ""
        if (before in _CHECK_BEFORE or after in _JOINERS) and _dropped_digits(text, ns, ne, lex):
            continue
        att: tuple[Word, ...] = ()
        end = ne
        if a:
            att = lex.attached.get(a) or lex.attached.get(a.lower(), ())
            end = m.end(5)  # the group `att`
        ps = ns - len(pro)
        parsed = digits_value(raw, False, marks)
        if parsed is None and ns and not text[ne:].strip() and _CUT_GROUPS.fullmatch(raw):
            # A figure cut off by the end of a truncated text (`1,051,2`): one mention, read up to the cut, so that
            # the fact extractor can drop it with a warning instead of reading 1, 51 and 2.
            cut = max(raw.rfind(","), raw.rfind("."))
            tok = _Tok("num", ps, ns, end, raw, att=att, pro=pro)
            tok.parsed = digits_value(raw[:cut], False, marks)
            out.append(tok)
            continue
        if parsed is None and "," in raw and digits_value(raw, True, marks) is None:
            # A list written without spaces (2022،2023): each piece on its own.
            pos = ns
            for piece in raw.split(","):
                if piece:
                    tok = _Tok("num", pos, pos, pos + len(piece), piece)
                    tok.parsed = digits_value(piece, False, marks)
                    out.append(tok)
                pos += len(piece) + 1
            continue
        tok = _Tok("num", ps, ns, end, raw, att=att, pro=pro)
        tok.parsed = parsed
        out.append(tok)
    return out


def _word_tokens(norm: Normalised, lex: Lexicon, lang: str | None, split: Words | None = None) -> list[_Tok]:
    text = norm.text
    regexes = lex.word_res[lang]
    if split is not None and split.text == text:
        by_first = regexes.by_first_word
        if by_first is not None:
            return _words_from(norm, lex, _split_matches(text, split, by_first, len(text) < _SHORT_TEXT))
    after = regexes.after_separator
    if len(text) < _SHORT_TEXT:
        # A word at the start or after a separator, left to right: the same pattern over the text with a space
        # before it (a separator for the word at its start), each search from the end of the word before.
        padded = " " + text
        matches = []
        m = after.search(padded)
        while m is not None:
            matches.append((m.start("w") - 1, m.end("w") - 1, m.group("w")))
            # (resume at the separator that ends a word, "approx.", unless the match opened with no separator)
            m = after.search(padded, m.end() - 1 if m.start() < m.start("w") else m.end())
        return _words_from(norm, lex, matches)
    # The word at the text's start: the same pattern after a space put before the text's first characters (as far
    # as the longest word and the character after it), offsets moved back by that space.
    first = after.match(" " + text[:regexes.longest + 1])
    matches = [(first.start("w") - 1, first.end("w") - 1, first.group("w"))] if first else []
    several = bool(matches)
    for m in after.finditer(text):
        matches.append((*m.span("w"), m.group("w")))
        # The pass takes the separator before a word: one that ends a word ("approx.") may also open the next, read
        # by the same pattern from that separator.
        last: re.Match[str] | None = m
        while last is not None and last.group("w")[-1] in WORD_SEPARATORS:
            last = after.match(text, last.end() - 1)
            if last is not None:
                matches.append((*last.span("w"), last.group("w")))
                several = True
    if several:
        # Matches can overlap (a hedge matched from position 0 and its tail after the space): keep the first.
        matches.sort(key=lambda m: (m[0], -m[1]))
        kept: list[tuple[int, int, str]] = []
        for m in matches:
            if not kept or m[0] >= kept[-1][1]:
                kept.append(m)
        matches = kept
    return _words_from(norm, lex, matches)


_SEPARATORS = frozenset(WORD_SEPARATORS)


def _glued_to_digits(text: str, p: int) -> bool:
    """An Arabic word right after digits ("21مليون", "و664قناة"): glue left by a scraper, a word of its own."""
    return "0" <= text[p - 1] <= "9" and "\u0621" <= text[p] <= "\u064a" and "\u0621" <= text[p + 1:p + 2] <= "\u064a"


def _split_matches(text: str, split: Words, by_first: dict[str, tuple[str, ...]],
                   short: bool) -> list[tuple[int, int, str]]:
    """What the word pattern matches (`_word_tokens`: for a long text the pass after a separator and its fix-ups,
    for a short one the search from the end of each word), read from the words of a split: the few words that open
    a number word or a hedge are picked at C speed; at each, the longest string that follows it there with no
    letter or digit after it. Each pass resumes after a match, so a word counts only when its separator lies at or
    after the end of the match before (a short text's search: when it starts there)."""
    words, starts = split.words, split.starts
    n = len(text)
    glued = frozenset(glued_scales())  # a scale word after digits may be glued to the word after it

    def at(j: int) -> tuple[int, int, str] | None:
        p = starts[j]
        for f in by_first[words[j]]:
            e = p + len(f)
            if text.startswith(f, p) and (e == n or not (text[e].isalnum() or text[e] == "_")
                                          or (f in glued and p >= 2 and text[p - 1] == " " and text[p - 2].isdigit()
                                              and "\u0621" <= text[e] <= "\u064a")):
                return p, e, f  # (a word the split ends there: a scale word glued to the next one)
        return None

    matches: list[tuple[int, int, str]] = []
    if short:
        resume = 0
        for j in compress(range(len(words)), map(by_first.__contains__, words)):
            p = starts[j]
            if p < resume or (p and text[p - 1] not in _SEPARATORS and not _glued_to_digits(text, p)):
                continue
            m = at(j)
            if m is not None:
                matches.append(m)
                resume = m[1]
        return matches
    if words and words[0] in by_first:  # the word at the text's start (it has no separator)
        first = at(0)
        if first is not None:
            matches.append(first)
    several = bool(matches)
    resume = 0
    for j in compress(range(len(words)), map(by_first.__contains__, words)):
        p = starts[j]
        if p == 0 or p - 1 < resume or (text[p - 1] not in _SEPARATORS and not _glued_to_digits(text, p)):
            continue
        m = at(j)
        if m is None:
            continue
        matches.append(m)
        resume = m[1]
        last: tuple[int, int, str] | None = m
        while last is not None and last[2][-1] in _SEPARATORS:  # "approx." may open the next word too
            k = bisect_left(starts, last[1])
            last = at(k) if k < len(starts) and starts[k] == last[1] and words[k] in by_first else None
            if last is not None:
                matches.append(last)
                several = True
    if several:
        matches.sort(key=lambda m: (m[0], -m[1]))
        kept: list[tuple[int, int, str]] = []
        for m in matches:
            if not kept or m[0] >= kept[-1][1]:
                kept.append(m)
        matches = kept
    return matches


def _words_from(norm: Normalised, lex: Lexicon, matches: list[tuple[int, int, str]]) -> list[_Tok]:
    """The tokens of the word matches (start, end, the string matched) that name a lexicon form."""
    out: list[_Tok] = []
    combos = lex.combos
    for ps, ne, written in matches:
        hit = combos.get(written) or combos.get(written.lower())
        if hit is None:
            continue
        pro, form = hit
        ns = ps + len(pro)
        if form in lex.hedges_before or form in lex.hedges_after:
            out.append(_Tok("hedge", ps, ns, ne, form, pro=pro))
            continue
        words = lex.words.get(form, ())
        if form in lex.traps:
            o0, o1 = norm.span(ns, ne)
            written_form = decode_entities(norm.original[o0:o1])  # the spelling as written, entities decoded
            trap = lex.traps[form]
            if skeleton(written_form) in trap or LETTERS_MARK + letters(written_form) in trap:
                continue
        definite = pro in lex.articles
        if definite:
            pro = pro[:-2] if pro.endswith(lex.article_core) else pro[:-1]
        tok = _Tok("word", ps, ns, ne, form, words, definite=definite, pro=pro)
        if not pro and written[:1] in lex.conjunctions and written[1:] in lex.words:
            tok.alt = lex.words[written[1:]]
        out.append(tok)
    return out


def _scale_follows(text: str, end: int, lex: Lexicon) -> bool:
    """Whether a scale word (مليون، ألف …) follows the digits ending at `end`, after one space."""
    rest = text[end:end + 16]
    if not rest.startswith(" "):
        return False
    word = rest[1:].split(" ", 1)[0]
    return any(w.role == "scale" for w in lex.words.get(word, ()))


_JOINERS = frozenset("/:-")
_CHECK_BEFORE = _JOINERS | {" "}


def _dropped_digits(text: str, ns: int, ne: int, lex: Lexicon) -> bool:
    """Digits that are part of a code, a date, a time, a ratio or an ordinal, not a number phrase."""
    before = text[ns - 1] if ns > 0 else ""
    after = text[ne] if ne < len(text) else ""
    if before in _JOINERS and ns >= 2:
        if before == "-" and text[ns - 2].isalpha():
            return True  # كوفيد-19, F-16
        if before != "-" and text[ns - 2].isdigit():
            return True  # 24/7, 17/6/2024, 10:30
    if after in _JOINERS and ne + 1 < len(text) and text[ne + 1].isdigit():
        if after != "-":
            return True
    if (before == "-" and ns >= 2 and text[ns - 2].isdigit()) or (
            after == "-" and ne + 1 < len(text) and text[ne + 1].isdigit()):
        lo, hi = max(0, ns - 24), min(len(text), ne + 24)
        for chain in _DASH_CHAIN.finditer(text, lo, hi):
            if chain.start() <= ns and ne <= chain.end():
                return True  # 2024-06-17
    if before == " " and ns >= 2 and text[ns - 2] in lex.article_ends:
        # الـ 25: the article alone before the digits (after folding, the tatweel is gone)
        k = ns - 1
        j = k
        while j > 0 and k - j < lex.article_max and text[j - 1].isalpha():
            j -= 1
        if (j == 0 or not text[j - 1].isalnum()) and text[j:k] in lex.articles \
                and not _scale_follows(text, ne, lex):
            return True  # (but "الـ 26 ألف" is 26,000: the article before a counted scale, as when glued)
    return False


def _gap(text: str, a: int, t: _Tok, lex: Lexicon) -> str | None:
    """How a token is joined to the one ending at `a`: none (space), conj, hyphen, filler; None when it is not."""
    if a == t.ns:
        return "none"
    if t.ps - a > _MAX_GAP:
        return None
    s = text[a:t.ps]
    if "\n" in s:
        return None
    s = (s + t.pro).strip()
    if not s:
        return "none"
    if s in lex.conjunctions or s.lower() in lex.conjunctions:
        return "conj"
    if s in lex.hyphens:
        return "hyphen"
    if s.lower() in lex.fillers:
        return "filler"
    return None


def _digits_and_scale(toks: list[_Tok], start: int, gap: Callable[[int], str | None],
                      lex: Lexicon) -> tuple[int, int | Fraction, bool, str | None, str, int] | None:
    """The second most common phrase, digits + one scale word that nothing continues (`30.8 مليون`, `207 ملايين`),
    read without the general loop; None sends the phrase to `_compose` (which gives the same result)."""
    n = len(toks)
    if start + 1 >= n:
        return None
    t1 = toks[start + 1]
    if t1.kind != "word" or len(t1.words) != 1 or t1.definite:
        return None
    w = t1.words[0]
    if w.role != "scale" or w.number == "dual" or gap(start + 1) != "none":
        return None
    if start + 2 < n:
        g2 = gap(start + 2)
        if g2 is not None and not (toks[start + 2].kind in ("hedge", "num", "phone") and g2 != "conj"):
            return None
    parsed = digits_value(toks[start].raw, True, lex.reversed_decimal_marks)
    if parsed is None:
        return None
    value, form = parsed
    if w.number == "plural" and value < 2:
        return None
    if form != "decimal" and value >= _MILLION:
        return start + 1, value, False, None, form, 2  # the scale after a fully written number is redundant
    return start + 1, _num(value * int(w.value)), False, None, form, 2


def _compose(toks: list[_Tok], start: int, gap: Callable[[int], str | None], lex: Lexicon,
             norm: Normalised) -> tuple[int, int | Fraction, bool, str | None, str, int] | None:
    """The longest phrase from token `start` (rules 3–7 of the module docstring): (last token, value, percent,
    year calendar, digit form, token count), or None. One function with local state: this is the hot loop."""
    n = len(toks)
    total: int | Fraction = 0
    seg: int | Fraction | None = None  # the current part below the last scale
    seg_kind = ""
    unit_val: int | Fraction = 0
    last_scale: int | None = None
    last_added: int | Fraction = 0
    prev_scale = closed = pct = False
    year: str | None = None
    num_form = ""
    count = 0
    single_alone = True
    prev_lang = ""
    best = anchor = None
    j = start
    while j < n and not closed:
        t = toks[j]
        if j == start:
            g: str | None = "start"
        else:
            g = gap(j)
            if g is None:
                break
        if seg is None and last_scale is not None:
            anchor = best
        # May a new part start here? At the start, or after a scale joined by a conjunction (English: a space).
        opens = g == "start" or (seg is None and last_scale is not None and (
            g == "conj" or (g == "none" and prev_lang == "en")))
        ok = False
        scale: int = 0  # a scale to apply to `seg` once the token is read
        if t.kind == "num":
            # A decimal count of a scale (4ر28 مليون، 28.5 million) is a rounded figure: no lower-order part follows
            # it, so "4ر28 مليون و 2024" is 28.4 million and another number.
            if opens and g == "conj" and last_scale is not None and num_form == "decimal":
                opens = False
            if opens and (g == "start" or g == "conj"):
                context = False
                if j + 1 < n:
                    nxt = toks[j + 1]
                    context = not nxt.roles.isdisjoint(_JOINING_ROLES) and gap(j + 1) == "none"
                att_scale = 0
                att_year: Word | None = None
                for w in t.att:
                    if w.role == "scale":
                        att_scale = int(w.value)
                        context = True
                    elif w.role == "year_suffix":
                        att_year = w
                parsed = digits_value(t.raw, True, lex.reversed_decimal_marks) if context else t.parsed
                if parsed is not None:
                    seg, num_form = parsed
                    seg_kind = "num"
                    prev_scale = False
                    ok = True
                    if att_scale:
                        scale = att_scale
                    elif att_year is not None:
                        lo, hi = lex.years.get(att_year.calendar or "", (0, -1))
                        ok = num_form == "plain" and isinstance(seg, int) and lo <= seg <= hi
                        year, closed = att_year.calendar, True
        else:
            words = t.words
            alt = False
            k = 0
            while k < len(words) and not ok:
                w = words[k]
                k += 1
                if alt:
                    g = "conj"
                    opens = seg is None and last_scale is not None
                if k == len(words) and not alt and t.alt and g == "none":
                    words, k, alt = t.alt, 0, True  # try the و + word reading after the last whole-word role
                role = w.role
                if t.definite and not (role == "scale" and seg_kind in ("frac", "frac_pl")):
                    continue
                lang = w.lang
                joins = g == "conj" or (g == "none" and lang == "en" and prev_lang == "en")
                if role == "unit" or role == "teen_head":
                    kind = "unit" if role == "unit" else "teen_head"
                    if opens and (g != "none" or lang == "en"):
                        seg, seg_kind, unit_val, prev_scale = w.value, kind, w.value, False
                        single_alone = w.alone
                        ok = True
                    elif seg_kind == "hundred" and joins:
                        seg, seg_kind, unit_val = seg + w.value, kind, w.value  # type: ignore[operator]
                        ok = True
                    elif seg_kind == "ten" and g in ("hyphen", "none") and lang == "en" and w.value < 10:
                        seg, seg_kind = seg + w.value, "ten_unit"  # type: ignore[operator]
                        ok = True
                elif role == "teen":
                    if seg_kind in ("unit", "teen_head") and g == "none" and 1 <= unit_val <= 9:
                        seg, seg_kind = seg + w.value, "teen"  # type: ignore[operator]
                        ok = True
                elif role == "ten":
                    if opens and (g != "none" or lang == "en"):
                        seg, seg_kind, prev_scale = w.value, "ten", False
                        ok = True
                    elif seg_kind == "hundred" and joins:
                        seg, seg_kind = seg + w.value, "ten"  # type: ignore[operator]
                        ok = True
                    elif seg_kind == "unit" and g == "conj" and 1 <= unit_val <= 9:
                        seg, seg_kind = seg + w.value, "unit_ten"  # type: ignore[operator]
                        ok = True
                elif role == "hundred":
                    if opens and (g != "none" or lang == "en"):
                        seg, seg_kind, prev_scale = w.value, "hundred", False
                        ok = True
                    elif w.multiplier and seg_kind == "unit" and g == "none" and 1 <= unit_val <= 9:
                        seg = seg - unit_val + unit_val * w.value  # type: ignore[operator]
                        seg_kind = "hundred"
                        ok = True
                elif role == "scale":
                    sv = int(w.value)
                    number = w.number
                    if seg is not None and (g == "none" or (g == "filler" and seg_kind == "frac")) \
                            and seg_kind != "teen_head":
                        if number == "dual" or (number == "plural" and (seg_kind in ("frac", "frac_pl") or seg < 2)):
                            continue
                        scale = sv
                        ok = True
                    elif g == "none" and seg is None and prev_scale and last_scale and sv > last_scale:
                        if number in ("singular", "dual_or_accusative"):
                            total += last_added * (sv - 1)
                            last_added *= sv
                            last_scale = sv
                            ok = True
                    elif opens and (g != "none" or lang == "en") and number != "plural":
                        many = 1
                        if number == "dual":
                            many = 2
                        elif number == "dual_or_accusative":
                            o0, o1 = norm.span(t.ns, t.ne)
                            accusative = C.FATHATAN in norm.original[o0:o1] or (j + 1 < n and gap(j + 1) == "conj")
                            many = 1 if accusative else 2
                        seg, seg_kind = many, "bare"
                        scale = sv
                        ok = True
                elif role == "fraction":
                    if w.plural:
                        if seg_kind == "unit" and g == "none" and seg == unit_val:
                            seg, seg_kind = unit_val * w.value, "frac_pl"
                            ok = True
                    elif g == "start":
                        seg, seg_kind, prev_scale = w.value, "frac", False
                        ok = True
                    elif g == "conj" and seg is None and last_scale is not None:
                        total += w.value * last_scale
                        closed = ok = True
                    elif g == "conj" and seg_kind in ("unit", "num") and last_scale is None and w.value < 1:
                        # "two and a half million": the fraction joins the count of the scale that must follow
                        seg, seg_kind = seg + w.value, "frac"
                        ok = True
                elif role == "percent":
                    if g == "none" and (seg is not None or total) and seg_kind not in ("frac", "frac_pl", "teen_head"):
                        pct = closed = ok = True
                elif role == "year_suffix":
                    if g == "none" and count == 1 and seg_kind == "num":
                        lo, hi = lex.years.get(w.calendar or "", (0, -1))
                        if num_form == "plain" and isinstance(seg, int) and lo <= seg <= hi:
                            year = w.calendar
                            closed = ok = True
        if ok and scale:
            if last_scale is not None and scale >= last_scale:
                ok = False
            else:
                value = seg or 0
                if seg_kind == "num" and num_form != "decimal" and value >= _MILLION:
                    add = value  # a fully written number: the scale word after it is redundant (rule 7)
                else:
                    add = _num(value * scale)
                total += add
                last_added, last_scale = add, scale
                seg, seg_kind, prev_scale = None, "scale", True
        if not ok:
            if g == "none" and seg is not None and last_scale is not None and "scale" in t.roles:
                # `two million and three million`: the part was the count of a scale that cannot follow, so it
                # starts another phrase.
                best = anchor
            break
        count += 1
        prev_lang = t.words[0].lang if t.words else ""
        # May the phrase end here?
        if seg_kind in ("teen_head", "frac", "frac_pl"):
            pass
        elif count == 1 and seg_kind == "unit" and not single_alone:
            pass
        elif last_scale is not None and seg is not None and seg >= last_scale:
            pass
        elif seg is None and not total and not closed:
            pass
        else:
            best = (j, total + (seg or 0), pct, year, num_form, count)
        j += 1
    return best


def scan(norm: Normalised, lang: str | None = None, split: Words | None = None) -> list[Found]:
    """Every number phrase of a normalised text, in normalised offsets (see `find_numbers`)."""
    lex = lexicon()
    key = lang[:2].lower() if lang else None
    if key not in lex.word_res:
        key = None
    text = norm.text
    toks = tokens(norm, lex, key, split)
    n = len(toks)
    gaps: list[str | None] = [_UNSET] * n

    def gap(k: int) -> str | None:
        g = gaps[k]
        if g is _UNSET:
            g = gaps[k] = _gap(text, toks[k - 1].ne, toks[k], lex)
        return g

    out: list[Found] = []
    i = 0
    while i < n:
        t0 = toks[i]
        if t0.kind == "phone":
            digits = "".join(ch for ch in t0.raw if ch.isdigit())
            out.append(Found(int(digits), "phone", "exact", t0.ns, t0.ne, t0.ns, t0.ne, None))
            i += 1
            continue
        if t0.kind == "hedge":
            i += 1
            continue
        start = i
        sign_start: int | None = None
        if t0.kind == "sign":
            if i + 1 < n and toks[i + 1].kind == "num" and gap(i + 1) == "none" and any(
                    w.role == "percent" for w in t0.words):
                sign_start = t0.ns
                start = i + 1
            else:
                i += 1
                continue
        best: tuple[int, int | Fraction, bool, str | None, str, int] | None = None
        ts = toks[start]
        if ts.kind == "num" and not ts.att and not (
                start + 1 < n and toks[start + 1].kind in ("word", "sign") and gap(start + 1) is not None):
            # The common case, a digit run that nothing can join: no composition needed.
            parsed = ts.parsed
            if parsed is not None:
                best = (start, parsed[0], False, None, parsed[1], 1)
        else:
            best = _digits_and_scale(toks, start, gap, lex) if ts.kind == "num" and not ts.att else None
            if best is None:
                best = _compose(toks, start, gap, lex, norm)
        if best is None:
            i = start + 1
            continue
        last, value, pct, year, num_form, count = best
        first = start if sign_start is None else start - 1
        ns = toks[first].ns
        ne = toks[last].ne
        os_, oe = toks[first].ps, ne
        kind = "number"
        if pct or sign_start is not None:
            kind = "percent"
        elif year:
            kind = "year"
        qualifier, hedge = "exact", None
        h = toks[first - 1] if first else None
        if h is not None and h.kind == "hedge" and h.raw in lex.hedges_before and _blank(text, h.ne, os_):
            qualifier, hedge, os_ = lex.hedges_before[h.raw], (h.ns, h.ne), h.ps
        else:
            h = toks[last + 1] if last + 1 < n else None
            if h is not None and h.kind == "hedge" and h.raw in lex.hedges_after and _blank(text, ne, h.ps):
                qualifier, hedge, oe = lex.hedges_after[h.raw], (h.ns, h.ne), h.ne
        if (kind == "number" and count == 1 and num_form == "plain" and hedge is None
                and toks[start].kind == "num" and len(toks[start].raw) == 4):
            lo, hi = lex.years.get("gregorian", (0, -1))
            if lo <= value <= hi and _reads_as_year(text, toks[start], lex):
                kind = "year"
        out.append(_new(Found, (_final(value), kind, qualifier, ns, ne, os_, oe, hedge)))
        i = last + 1
    return out


def _reads_as_year(text: str, t: _Tok, lex: Lexicon) -> bool:
    """A bare year-like integer is a year unless a word follows it with no year cue before it (2000 قناة)."""
    k, n = t.ne, len(text)
    while k < n and text[k] == " ":
        k += 1
    if k == n or not text[k].isalpha():
        return True
    j = k
    while j < n and text[j].isalpha():
        j += 1
    following = text[k:j]
    if following in lex.conjunctions or following.lower() in lex.conjunctions or (
            j < n and text[j].isdigit() and following in lex.proclitics):
        return True  # 2023 و2024, 2023 and 2024
    e = t.ps
    while e > 0 and text[e - 1] == " ":
        e -= 1
    b = e
    while b > 0 and text[b - 1].isalpha():
        b -= 1
    previous = text[b:e]
    return previous in lex.year_cues or previous.lower() in lex.year_cues


def _blank(text: str, a: int, b: int) -> bool:
    """Only spaces (no line break) between `a` and `b`."""
    gap = text[a:b]
    return not gap.strip() and "\n" not in gap


def find_numbers(text: str | Normalised, lang: str | None = None, *, words: Words | None = None) -> list[NumberMention]:
    """Every number phrase in `text`, sorted, non-overlapping, with offsets into the original text. `words`: the
    normalised text already split by `extractor.entities.split_words` (the lexicon look-ups' one split), whose
    words then stand in for a pass of the number-word pattern."""
    norm = text if isinstance(text, Normalised) else normalise(text)
    orig = norm.original
    found = scan(norm, lang, words)
    # Every phrase mapped to original offsets in one walk of the offset map (phrases come in text order).
    spans = [(f.ns, f.ne) for f in found]
    if not norm.maps_identically:
        spans = norm.spans(spans)
    out: list[NumberMention] = []
    for f, (s, e) in zip(found, spans, strict=True):
        hedge = None
        if f.hedge is not None:
            hs, he = norm.span(*f.hedge)
            hedge = orig[hs:he]
        # (positional arguments: a third cheaper than keywords for a frozen dataclass, one per mention)
        out.append(NumberMention(f.value, f.qualifier, s, e, orig[s:e], f.kind, hedge))
    return out


def _parse_general(phrase: str) -> int | float | None:
    """parse_number without the digit-run shortcut (tests compare the two)."""
    norm = normalise(phrase)
    found = scan(norm)
    if len(found) != 1:
        return None
    f = found[0]
    text = norm.text
    if f.kind == "phone" or text[:f.os].strip() or text[f.oe:].strip():
        return None
    raw = text[f.ns:f.ne]
    if _PLAIN_DIGITS.fullmatch(raw) and digits_value(raw, False, ()) is None:
        return None  # a figure cut off by the end of a text (`9.000.0`) is read in an article, but is no phrase
    return f.value


def parse_number(phrase: str) -> int | float | None:
    """The value of a string that is exactly one number phrase (a hedge and proclitics allowed), else None."""
    if not isinstance(phrase, str):
        return None
    plain = phrase.strip()
    if _PLAIN_DIGITS.fullmatch(plain) and not _PHONE_LIKE.fullmatch(plain):
        # A bare ASCII digit run is the most common phrase: read it without tokenising (same result as the
        # general path, which a property test checks).
        parsed = digits_value(plain, False, ())
        return None if parsed is None else _final(parsed[0])
    return _parse_general(phrase)
