"""The number lexicon: words, grammar words, hedges and traps read from `patterns/`, folded, and compiled.

Three pattern files feed it: `numbers_ar.toml` and `numbers_en.toml` (number words by role, grammar words, year
ranges, traps) and `hedges.toml` (hedges before/after a number → qualifier). Every form goes through
`extractor.normalise` at load time, as the input text does, so that data and text meet folded; English forms are
also lower-cased and matched case-insensitively. Nothing here knows a word: everything comes from the data.

`lexicon()` returns the compiled `Lexicon` (cached per pattern folder by `extractor.patterns.compiled`): one token
regex per language choice (`"ar"`, `"en"`, both), built as prefix tries so that a scan of a long text fails fast
at every position that cannot start a number.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from fractions import Fraction
from functools import lru_cache
from typing import Any

from .. import chars as C
from ..errors import PatternFileError
from ..normalise import normalise
from ..patterns import compiled, load

NUMBER_FILES = ("numbers_ar", "numbers_en")
HEDGE_FILE = "hedges"

ROLES = frozenset({"unit", "teen_head", "teen", "ten", "hundred", "scale", "fraction", "percent", "year_suffix"})
SCALE_NUMBERS = frozenset({"singular", "dual", "plural", "dual_or_accusative"})
QUALIFIERS = frozenset({"more_than", "approx", "less_than", "at_least"})

_LATIN = re.compile(r"[A-Za-z]")


@dataclass(frozen=True, slots=True)
class Word:
    """One role of one folded word form (a form may have several roles, e.g. عشرة: unit 10 and teen)."""

    role: str
    value: int | Fraction
    lang: str
    number: str = "singular"  # scales: singular | dual | plural | dual_or_accusative
    alone: bool = True  # may stand as a number on its own
    multiplier: bool = False  # hundreds: also multiplies a unit before it (ثلاث مئة، three hundred)
    plural: bool = False  # fractions: needs a unit before it (ثلاثة أرباع)
    attached: bool = False  # scales written right after digits only (1.2m)
    calendar: str | None = None  # year suffixes: gregorian | hijri


@dataclass(frozen=True, slots=True)
class Lexicon:
    """Everything the engine needs, folded and compiled; immutable and shared."""

    words: dict[str, tuple[Word, ...]]
    attached: dict[str, tuple[Word, ...]]
    signs: dict[str, tuple[Word, ...]]  # forms without letters (%): matched without word boundaries
    conjunctions: frozenset[str]
    hyphens: frozenset[str]
    fillers: frozenset[str]
    articles: frozenset[str]
    article_core: str  # the article itself (ال), the common ending of `articles`
    article_ends: frozenset[str]  # last letters of the article forms
    article_max: int  # length of the longest article form
    reversed_decimal_marks: tuple[str, ...]
    years: dict[str, tuple[int, int]]
    year_cues: frozenset[str]  # words after which a bare year-like integer followed by a word is still a year
    traps: dict[str, frozenset[str]]  # folded form → skeletons (letters + shadda) of the trap spellings
    hedges_before: dict[str, str]
    hedges_after: dict[str, str]
    proclitics: frozenset[str]
    # written string (proclitic + form) → (proclitic, form), for every string the word regexes can match
    combos: dict[str, tuple[str, str]] = field(default_factory=dict)
    digit_re: re.Pattern[str] | None = None
    # language key (None = both) → its word regexes (compiled on first use)
    word_res: dict[str | None, WordRegexes] = field(default_factory=dict)


def fold(form: str) -> str:
    """A lexicon form folded exactly like input text (plus lower case for Latin letters)."""
    out = normalise(form).text
    return out.lower() if _LATIN.search(out) else out


@lru_cache(maxsize=4096)
def skeleton(text: str) -> str:
    """Letters and shaddas of `text`, every other mark dropped and letters folded: tells ألّف from ألف. Kept per
    spelling: the engine asks it of every trap word it meets (a few spellings), and the normaliser runs once each."""
    kept = "".join(ch for ch in text if ch == C.SHADDA or ch not in C.DIACRITICS)
    parts = kept.split(C.SHADDA)
    return C.SHADDA.join(fold(p) for p in parts)


LETTERS_MARK = "="


def letters(text: str) -> str:
    """The letters of `text` as written: marks and tatweel dropped, nothing folded (ميتا stays apart from مئتا)."""
    return "".join(ch for ch in text if ch not in C.DIACRITICS and ch != C.TATWEEL)


def trie_regex(forms: Iterable[str]) -> str:
    """A regex alternation of `forms` factored as a prefix trie (longest alternatives first at every node)."""
    trie: dict[str, Any] = {}
    for form in forms:
        node = trie
        for ch in form:
            node = node.setdefault(ch, {})
        node[""] = True
    return _trie_to_regex(trie) or "(?!)"


def _trie_to_regex(node: dict[str, Any]) -> str:
    end = "" in node
    branches = [re.escape(ch) + _trie_to_regex(child) for ch, child in sorted(node.items()) if ch]
    if not branches:
        return ""
    if len(branches) == 1 and not end:
        return branches[0]
    body = "(?:" + "|".join(branches) + ")"
    return body + "?" if end else body


def _value(raw: Any, where: str) -> int | Fraction:
    try:
        if isinstance(raw, bool):
            raise ValueError
        if isinstance(raw, int):
            return raw
        if isinstance(raw, float | str):
            v = Fraction(str(raw)) if isinstance(raw, float) else Fraction(raw)
            return int(v) if v.denominator == 1 else v
    except (ValueError, ZeroDivisionError):
        pass
    raise PatternFileError(f"{where}: value must be a number or a fraction string like '1/3', not {raw!r}")


def _words(name: str, data: dict[str, Any]) -> list[tuple[str, Word]]:
    lang = data["meta"].get("lang", "ar")
    out: list[tuple[str, Word]] = []
    errors: list[str] = []
    for i, entry in enumerate(data.get("words", [])):
        where = f"{name}.toml: [[words]] {i + 1}"
        role = entry.get("role")
        if role not in ROLES:
            errors.append(f"{where}: unknown role {role!r}")
            continue
        number = entry.get("number", "singular")
        if number not in SCALE_NUMBERS:
            errors.append(f"{where}: unknown scale number {number!r}")
            continue
        forms = entry.get("forms")
        if not isinstance(forms, list) or not forms or not all(isinstance(f, str) and f.strip() for f in forms):
            errors.append(f"{where}: forms must be a non-empty list of strings")
            continue
        value: int | Fraction = 0
        if role not in ("percent", "year_suffix"):
            try:
                value = _value(entry.get("value"), where)
            except PatternFileError as exc:
                errors.append(str(exc))
                continue
        word = Word(role=role, value=value, lang=lang, number=number, alone=bool(entry.get("alone", True)),
                    multiplier=bool(entry.get("multiplier", False)), plural=bool(entry.get("plural", False)),
                    attached=bool(entry.get("attached", False)), calendar=entry.get("calendar"))
        out.extend((fold(f), word) for f in forms)
    if errors:
        raise PatternFileError("\n".join(errors))
    return out


def _hedges(data: dict[str, Any], side: str) -> dict[str, str]:
    out: dict[str, str] = {}
    for qualifier, forms in data.get(side, {}).items():
        if qualifier not in QUALIFIERS:
            raise PatternFileError(f"{HEDGE_FILE}.toml: [{side}] unknown qualifier {qualifier!r}")
        for form in forms:
            out[fold(form)] = qualifier
    return out


def _script_alternation(forms: Iterable[str]) -> str:
    """Arabic forms as a plain trie, Latin forms as a case-insensitive trie."""
    forms = set(forms)
    latin = {f for f in forms if _LATIN.search(f)}
    parts = []
    if forms - latin:
        parts.append(trie_regex(forms - latin))
    if latin:
        parts.append("(?i:" + trie_regex(latin) + ")")
    return "|".join(parts) or "(?!)"


# Digits, percent signs and phone-like strings, in one pass that starts with a character class, so the regex
# engine skips every position that is not a digit, `+` or `%` at C speed. The groups: `phone`, `sign`, `num`
# (the digit run) and `att` (a scale or year suffix written right after it).
def _digit_regex(lex: Lexicon, signs: list[str]) -> re.Pattern[str]:
    marks = "".join(re.escape(m) for m in lex.reversed_decimal_marks)
    sep = f"[.,{marks}]"
    sign_chars = "".join(re.escape(c) for c in sorted({f[0] for f in signs}))
    # An attached word (2024م, 1446هـ) ends its word; bare digits may run into an Arabic word ("و664قناة": glue left by
    # a scraper, the split cuts it there), never into a Latin one (G20, 3G).
    att = f"(?P<att>{_script_alternation(lex.attached)})(?!\\w)|" if lex.attached else ""
    pattern = (
        f"[0-9+{sign_chars}](?:"
        r"(?<=\+)(?P<phone>\d{1,3}(?:[ \-]?\(?\d{1,4}\)?){2,5})(?!\d)"
        f"|(?<=[{sign_chars}])(?P<sign>)"
        r"|(?<![0-9][0-9])(?<![\w.,]0)(?<=0)(?P<phone0>\d{1,3}[ \-]\d{3}[ \-]?\d{3,4}(?![\d.,])|\d{8,12}(?![\d.,]))"
        r"|(?<![0-9][0-9])(?<=[0-9])(?P<num>\d{0,2}(?: \d{3})+(?!\d|[.,]\d)"
        r"|\d{0,2}(?:,\d{3})+(?:, \d{3})+(?!\d|[.,]\d)|"
        rf"\d*(?:{sep}\d+)*)(?:{att}(?![^\W\u0621-\u064a]))"
        ")"
    )
    return re.compile(pattern)


# Characters a word may follow. The pass over a long text opens with a class of them, which the regex engine scans
# at C speed; one compiled trie per language (a pass per character cost a compile of the trie per character: ~60 ms
# each, most of a worker's start-up).
WORD_SEPARATORS = " \n\t(\"'/-[:.,;"


class WordRegexes:
    """The word regexes of one language choice, built and compiled on first use (each is a large trie: ~15–25 ms
    to build and compile; a worker that reads both languages at once never needs the per-language ones).

    `after_separator`: words right after a separator (the pass over a long text; the separator is part of the
    match). The same compiled pattern finds a word at a position whose previous character is a separator
    (`match(text, pos - 1)`), the word at the text's start (`match(" " + text[:longest + 1])`) and, searched
    from the end of each word over `" " + text`, the words at the start or after any separator of a short text:
    one compile instead of three. One trie per script, each behind a one-character lookahead of its script."""

    def __init__(self, combos: Iterable[str]) -> None:
        self._combos = list(combos)
        self._body: str | None = None
        self._after: re.Pattern[str] | None = None
        self._by_first_word: dict[str, tuple[str, ...]] | None = None
        # The longest string the word tries can match (a form and its case variants are as long).
        self.longest = max(map(len, self._combos), default=0)

    @property
    def body(self) -> str:
        """The word pattern: `(?P<w>…)` and no letter or digit after it."""
        if self._body is None:
            arabic = [c for c in self._combos if not _LATIN.search(c)]
            latin = [c for c in self._combos if _LATIN.search(c)]
            parts = []
            if arabic:
                parts.append(f"(?=[{_ARABIC_RANGE}]){_cased_alternation(arabic)}")
            if latin:
                parts.append(f"(?=[A-Za-z]){_cased_alternation(latin)}")
            # (no letter or digit after it, but a scale word after digits may be glued to a word: "6 ملايينمحتوى")
            glue = "|".join(f"(?<=[0-9] {re.escape(w)})" for w in glued_scales())
            end = f"(?:(?!\\w)|(?:{glue})(?=[{_ARABIC_LETTERS}]{{3}}))" if glue else "(?!\\w)"
            self._body = f"(?P<w>{'|'.join(parts) or '(?!)'})" + end
        return self._body

    @property
    def by_first_word(self) -> dict[str, tuple[str, ...]] | None:
        """The strings the word pattern matches, by their first word (as `split_words` splits), longest first; None
        when one of them opens with a character that is no word's (the pattern must then be run)."""
        if self._by_first_word is None:
            found: dict[str, list[str]] = {}
            first_word = re.compile(r"[^\W_]*").match  # a word as split_words cuts it
            for strings, opens in ((_cased(c for c in self._combos if not _LATIN.search(c)), _opens_arabic),
                                   (_cased(c for c in self._combos if _LATIN.search(c)), _opens_latin)):
                for f in strings:
                    if not opens(f):
                        continue  # behind the other script's lookahead: never matched
                    first = first_word(f).group()  # type: ignore[union-attr]
                    if not first:
                        self._by_first_word = {}
                        return None
                    found.setdefault(first, []).append(f)
            self._by_first_word = {k: tuple(sorted(v, key=len, reverse=True)) for k, v in found.items()}
        return self._by_first_word or None

    @property
    def after_separator(self) -> re.Pattern[str]:
        """The pass for words after a separator."""
        if self._after is None:
            # (after a separator, or right after digits glued to an Arabic word: "21مليون", split there too)
            self._after = re.compile("(?:[" + re.escape(WORD_SEPARATORS) + "]|(?<=[0-9])(?=[\u0621-\u064a]{2}))"
                                     + self.body)
        return self._after


_ARABIC_RANGE = "\u0600-\u06ff"
_ARABIC_LETTERS = "\u0621-\u064a"


@compiled
def glued_scales() -> tuple[str, ...]:
    """The scale words a scraper's glue may run into the word after them (patterns/numbers_ar.toml [glue]), folded."""
    return tuple(sorted({fold(w) for w in load("numbers_ar").get("glue", {}).get("scales", [])}, key=len))


def _opens_arabic(form: str) -> bool:
    return "\u0600" <= form[:1] <= "\u06ff"  # the lookahead of the Arabic trie


def _opens_latin(form: str) -> bool:
    return form[:1].isascii() and form[:1].isalpha()  # [A-Za-z], the lookahead of the Latin trie


def _cased_alternation(forms: Iterable[str]) -> str:
    """Like `_script_alternation`, but Latin forms expanded to lower, Capitalised and UPPER case variants.

    Case-insensitive matching makes the regex engine fold every character it tries, several times slower."""
    return trie_regex(_cased(forms))


def _cased(forms: Iterable[str]) -> set[str]:
    out: set[str] = set()
    for f in forms:
        out.add(f)
        if _LATIN.search(f):
            out |= {f.lower(), f.capitalize(), f.upper(), f.title()}
    return out




@compiled
def lexicon() -> Lexicon:
    """The compiled lexicon of the current pattern folder."""
    words: dict[str, list[Word]] = {}
    attached: dict[str, list[Word]] = {}
    signs: dict[str, list[Word]] = {}
    conj: set[str] = set()
    hyphens: set[str] = set()
    fillers: set[str] = set()
    articles: set[str] = set()
    article = ""
    proclitics: list[str] = []
    marks: list[str] = []
    years: dict[str, tuple[int, int]] = {}
    year_cues: set[str] = set()
    traps: dict[str, set[str]] = {}
    for name in NUMBER_FILES:
        data = load(name)
        for form, word in _words(name, data):
            if not re.search(r"\w", form):
                signs.setdefault(form, []).append(word)
            elif word.attached:
                attached.setdefault(form, []).append(word)
            else:
                words.setdefault(form, []).append(word)
                if word.role == "year_suffix":
                    attached.setdefault(form, []).append(word)
        g = data.get("grammar", {})
        conj |= {fold(x) for x in g.get("conjunctions", [])}
        hyphens |= set(g.get("hyphens", []))
        fillers |= {fold(x) for x in g.get("fraction_fillers", [])}
        articles |= {fold(x) for x in g.get("articles", [])}
        article = fold(g["article"]) if "article" in g else article
        proclitics += [fold(x) for x in g.get("proclitics", [])]
        marks += [fold(x) for x in g.get("reversed_decimal_marks", [])]
        for calendar, bounds in data.get("years", {}).items():
            if calendar == "cues":
                year_cues |= {fold(c) for c in bounds}
            else:
                years[calendar] = (int(bounds[0]), int(bounds[1]))
        for trap in data.get("traps", []):
            # `letters = true`: the spelling itself is the trap (ميتا, Meta, is not مئتا, 200, once folded).
            key = LETTERS_MARK + letters(trap["written"]) if trap.get("letters") else skeleton(trap["written"])
            traps.setdefault(fold(trap["written"]), set()).add(key)
    hedge_data = load(HEDGE_FILE)
    lex = Lexicon(
        words={k: tuple(v) for k, v in words.items()},
        attached={k: tuple(v) for k, v in attached.items()},
        signs={k: tuple(v) for k, v in signs.items()},
        conjunctions=frozenset(conj),
        hyphens=frozenset(hyphens),
        fillers=frozenset(fillers),
        articles=frozenset(articles),
        article_core=article,
        article_ends=frozenset(a[-1] for a in articles),
        article_max=max(map(len, articles), default=0),
        reversed_decimal_marks=tuple(marks),
        years=years,
        year_cues=frozenset(year_cues),
        traps={k: frozenset(v) for k, v in traps.items()},
        hedges_before=_hedges(hedge_data, "before"),
        hedges_after=_hedges(hedge_data, "after"),
        proclitics=frozenset(proclitics),
    )
    object.__setattr__(lex, "digit_re", _digit_regex(lex, list(lex.signs)))
    # Proclitics go on Arabic number words and hedges; the article only on scales (ثلاثة أرباع المليون): any other
    # word with the article (الثاني، الاثنين) simply never matches.
    hedges = set(lex.hedges_before) | set(lex.hedges_after)
    by_lang: dict[str, set[str]] = {}
    entries = list(lex.words.items()) + [(h, ()) for h in hedges]
    for form, _ in entries:  # a whole word wins over proclitic + word (واحد is not و + احد)
        lex.combos[form] = ("", form)
    for form, ws in entries:
        langs = {w.lang for w in ws} or {"en" if _LATIN.search(form) else "ar"}
        prefixes = [""]
        if not _LATIN.search(form):
            prefixes += sorted(lex.proclitics, key=len)
            if any(w.role == "scale" for w in ws):
                prefixes += sorted(lex.articles, key=len)
        for p in prefixes:
            lex.combos.setdefault(p + form, (p, form))
            for lang in langs:
                by_lang.setdefault(lang, set()).add(p + form)
    for key in ("ar", "en"):
        lex.word_res[key] = WordRegexes(by_lang.get(key, set()))
    lex.word_res[None] = WordRegexes(set().union(*by_lang.values()) if by_lang else set())
    return lex
