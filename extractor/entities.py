"""Entity and cue mentions: partners, platforms, organisations, metric nouns and cue words, from `patterns/`.

Every lexicon file is a list of `[[entry]]` tables, each with an `id`, an optional `kind`, and `terms`. A term is
matched on the normalised text (the same folds as the input), as a whole word:
- Arabic terms may carry proclitics (و ف ب ل ك, the article ال and their combinations: وال، بال، لل …);
- a term ending in `*` is a stem: any letters may follow (`ازال*` matches أزالت، أزالها);
- a word in parentheses lists alternatives and one in brackets is optional:
  `since [the] (start|beginning) of [the] (cooperation|partnership)` stands for every combination;
- a term between slashes is a raw regular expression, for what the above cannot say (it costs a scan of its own);
- Latin terms match case-insensitively, except short all-capital acronyms (`IS`, `AQ`, `HTS`), which must match
  exactly so that the English verb "is" is never the Islamic State.
To add an alias, a spelling or a cue: add a term to the entry (and an example line); no code changes.
"""

from __future__ import annotations

import re
from array import array
from collections.abc import Callable
from dataclasses import dataclass, field
from itertools import accumulate, compress
from typing import Any, NamedTuple

import regex

from .normalise import Normalised, normalise
from .patterns import compiled, load, pattern_dir

# Proclitics that may precede an Arabic term (و ف ب ل ك, the article ال and their combinations), longest first.
_WAW, _FA, _BA, _LAM, _KAF = "\u0648", "\u0641", "\u0628", "\u0644", "\u0643"
_AL = "\u0627\u0644"
_PROCLITIC_PREFIXES = sorted(
    {c + b + _AL for c in ("", _WAW, _FA) for b in ("", _BA, _KAF)}
    | {c + _LAM + _LAM for c in ("", _WAW, _FA)}
    | {c + b for c in ("", _WAW, _FA) for b in (_BA, _LAM, _KAF)}
    | {_WAW, _FA},
    key=len,
    reverse=True,
)
_PROCLITICS_RE = "(?:" + "|".join(_PROCLITIC_PREFIXES) + ")?"
_LETTER_OR_DIGIT = r"[\p{L}\p{N}]"
_TOKEN = regex.compile(r"[\p{L}\p{N}]+")
_TERM_PIECE = regex.compile(r"\([^)]*\)|\[[^\]]*\]|\S+")
# Not a letter nor a digit: `[\W_]` is `[^\p{L}\p{N}]` for the standard engine, which splits a text ~25 % faster;
# written `x x*`, not `x+`, so that the engine's search skips to the next separator at C speed (with `+` it tries a
# match at every character: 20 % more instructions).
_SPLIT_WORDS = re.compile(r"([\W_][\W_]*)")
# Digits glued to the Arabic word after them ("و664قناة", "لـ21مليون": tags stripped by a scraper) are two words
# (not an era mark: 2024م), and so is a scale word after digits glued to the word after it ("6 ملايينمحتوى"): the
# scale words are data (patterns/numbers_ar.toml [glue]). Such glue is rare: a quick look for it decides whether the
# split needs the slower pattern that also cuts there (its zero-width branches are tried at every position).


@compiled
def _glued_split() -> tuple[re.Pattern[str], re.Pattern[str]]:
    """(the look for glue, the split that also cuts where digits or a scale word are glued to a word)."""
    scales = sorted({normalise(w).text for w in load("numbers_ar").get("glue", {}).get("scales", [])}, key=len)
    after_scale = "|".join(f"(?<=[0-9] {re.escape(w)})" for w in scales) or "(?!)"
    any_scale = "|".join(map(re.escape, scales)) or "(?!)"
    hint = re.compile(rf"[0-9](?:[\u0621-\u064a]{{2}}| (?:{any_scale})[\u0621-\u064a]{{3}})")
    split = re.compile(rf"([\W_][\W_]*|(?<=[0-9])(?=[\u0621-\u064a]{{2}})|(?:{after_scale})(?=[\u0621-\u064a]{{3}}))")
    return hint, split


_JOINER = regex.compile(r"[\s\-'’]+")

LEXICONS = ("partners", "platforms", "organisations", "metrics", "cues")


class Term(NamedTuple):
    """One lexicon hit: entry id and kind, with its span in the NORMALISED text (a named tuple: cheap to build)."""

    lexicon: str
    id: str
    kind: str
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class _Spec:
    lexicon: str
    id: str
    kind: str
    words: tuple[str, ...]  # lower-cased for Latin terms, as written (normalised) otherwise
    stem: bool  # the last word may take any ending
    exact_case: bool  # an all-capital acronym (IS, AQ, HTS): matched case-sensitively
    arabic: bool


@dataclass(slots=True)
class _Index:
    by_word: dict[str, list[_Spec]]  # first word → terms
    by_stem: dict[str, list[_Spec]]  # first word of a stem term (single word) → terms
    stem_lengths: tuple[int, ...]
    raw: regex.Pattern[str] | None  # terms written as regular expressions
    raw_labels: dict[str, tuple[str, str, str]]  # group → (lexicon, id, kind)
    cache: _Cache = field(init=False)  # token → terms it may start

    def __post_init__(self) -> None:
        self.cache = _Cache(self)

    def candidates(self, token: str) -> _Candidates | tuple[()]:
        """The terms this token may start (through a proclitic or a stem), cached per token; () when none."""
        return self.cache[token]

    def _candidates(self, token: str) -> _Candidates | tuple[()]:
        out: list[_Spec] = []
        for form in _lookups(token):
            specs = list(self.by_word.get(form, ()))
            for n in self.stem_lengths:
                if len(form) >= n:
                    specs.extend(self.by_stem.get(form[:n], ()))
            out.extend(x for x in specs if _word_matches(x.words[0], form, x, len(x.words) == 1))
        return _Candidates.of(tuple(dict.fromkeys(out))) if out else ()


class _Cache(dict[str, "_Candidates | tuple[()]"]):
    """An index's candidates per token, worked out on first sight of the token: `cache[token]` is a dict look-up at
    C speed for every token seen before (`map(cache.__getitem__, tokens)` visits no Python code for them)."""

    __slots__ = ("index",)

    def __init__(self, index: _Index) -> None:
        super().__init__()
        self.index = index

    def __missing__(self, token: str) -> _Candidates | tuple[()]:
        found = self[token] = self.index._candidates(token)
        return found


@dataclass(frozen=True, slots=True)
class _Candidates:
    """The terms a word may start: one-word terms at once; longer ones as a trie of their following words, so that
    the spellings a term expands to (`Global (Center|Centre) (for|to) …`) are walked once, not one by one."""

    firsts: tuple[_Spec, ...]  # the first one-word term of each lexicon (at a word, the first of a lexicon wins)
    trie: dict[str, Any]  # word → child node; the key "" holds the terms that end at a node
    others: tuple[_Spec, ...]  # terms whose last word is a stem, checked one by one
    simple: bool  # one-word terms only

    @staticmethod
    def of(specs: tuple[_Spec, ...]) -> _Candidates:
        """Sort a word's candidate terms by how they are checked."""
        trie: dict[str, Any] = {}
        others = []
        for x in specs:
            if len(x.words) == 1:
                continue
            if x.stem:
                others.append(x)
                continue
            node = trie
            for w in x.words[1:]:
                node = node.setdefault(w, {})
            node.setdefault("", []).append(x)
        firsts: dict[str, _Spec] = {}
        for x in specs:
            if len(x.words) == 1:
                firsts.setdefault(x.lexicon, x)
        return _Candidates(tuple(firsts.values()), trie, tuple(others), not trie and not others)


def expand_term(term: str) -> list[str]:
    """Every spelling a term stands for: `(a|b)` is one of the words, `[a]` or `[a|b]` may be left out."""
    if term.startswith("/") or not any(ch in term for ch in "(["):
        return [term]
    spellings = [""]
    for piece in _TERM_PIECE.findall(term):
        if piece[0] in "([" and piece[-1] in ")]":
            options = piece[1:-1].split("|") + ([""] if piece[0] == "[" else [])
        else:
            options = [piece]
        spellings = [f"{s} {o}".strip() if o else s for s in spellings for o in options]
    return list(dict.fromkeys(spellings))


def _entries(name: str) -> list[dict[str, Any]]:
    return list(load(name).get("entry", []))


Keep = Callable[[str, str, str], bool]  # (lexicon, entry id, kind) → whether a lookup uses the entry


def _build_index(lexicons: tuple[str, ...], keep: Keep | None = None) -> _Index:
    by_word: dict[str, list[_Spec]] = {}
    by_stem: dict[str, list[_Spec]] = {}
    raw_alts: list[str] = []
    raw_labels: dict[str, tuple[str, str, str]] = {}
    for name in lexicons:
        for entry in _entries(name):
            ident, kind = str(entry["id"]), str(entry.get("kind", name))
            if keep is not None and not keep(name, ident, kind):
                continue
            for term in (t for written in entry.get("terms", []) for t in expand_term(written)):
                if len(term) > 2 and term.startswith("/") and term.endswith("/"):
                    group = f"r{len(raw_alts)}"
                    core = term[1:-1]
                    lead = "" if core.isascii() else _PROCLITICS_RE
                    raw_alts.append(rf"(?<!{_LETTER_OR_DIGIT}){lead}(?P<{group}>{core})(?!{_LETTER_OR_DIGIT})")
                    raw_labels[group] = (name, ident, kind)
                    continue
                stem = term.endswith("*")
                body = normalise(term.rstrip("*")).text
                latin = body.isascii()
                exact_case = latin and body.isupper() and len(body) <= 4
                words = tuple(w if exact_case or not latin else w.lower() for w in _TOKEN.findall(body))
                if not words:
                    continue
                spec = _Spec(name, ident, kind, words, stem, exact_case, not latin)
                if stem and len(words) == 1:
                    by_stem.setdefault(words[0], []).append(spec)
                else:
                    by_word.setdefault(words[0], []).append(spec)
    raw = regex.compile("|".join(raw_alts)) if raw_alts else None
    return _Index(by_word, by_stem, tuple(sorted({len(k) for k in by_stem})), raw, raw_labels)


@compiled
def _index() -> _Index:
    return _build_index(LEXICONS)


_views: dict[tuple[str, tuple[str, ...], Keep], _Index] = {}


def _view(lexicons: tuple[str, ...], keep: Keep) -> _Index:
    """The index of the entries of `lexicons` that `keep` accepts, built once per pattern folder."""
    key = (str(pattern_dir()), lexicons, keep)
    index = _views.get(key)
    if index is None:
        index = _views[key] = _build_index(lexicons, keep)
    return index


def _word_matches(spec_word: str, token: str, spec: _Spec, last: bool) -> bool:
    t = token if spec.exact_case or spec.arabic else token.lower()
    return t == spec_word or (last and spec.stem and t.startswith(spec_word))


_PROCLITIC_SET = frozenset(_PROCLITIC_PREFIXES)
_MAX_PROCLITIC = max(len(p) for p in _PROCLITIC_PREFIXES)


def _lookups(token: str) -> list[str]:
    """The forms a token may be looked up under: itself, lower-cased, or without a proclitic."""
    forms = [token]
    low = token.lower()
    if low != token:
        forms.append(low)
    elif not token.isascii():
        for k in range(1, min(_MAX_PROCLITIC, len(token) - 2) + 1):
            if token[:k] in _PROCLITIC_SET:
                forms.append(token[k:])
                if token[k - 2:k] == _LAM + _LAM:
                    forms.append(_AL + token[k:])  # للقاعدة = لـ + القاعدة: the article's alef is dropped after لـ
    return forms


@dataclass(slots=True)
class Words:
    """A normalised text split into words once, for several lookups: words, their offsets, the separators between
    them (`seps[j]` stands between words j and j + 1) and whether a separator joins a multi-word term; `hits`,
    filled by the first look-up, holds the indexes of the words a term of any lexicon starts with, so that later
    look-ups (a restricted one, then the full one) visit only those."""

    text: str
    words: list[str]
    starts: list[int]
    seps: list[str]
    joins: dict[str, bool]
    hits: list[int] | array[int] | None = None


class _Joins(dict[str, bool]):
    """Whether a separator joins the words of a multi-word term (white space, hyphens, apostrophes), worked out on
    first use for each separator seen (few distinct ones: a space, a comma and a space, a line break …) and kept for
    the process: a look-up at C speed, and only for the separators a look-up walks over."""

    def __missing__(self, sep: str) -> bool:
        joined = self[sep] = _JOINER.fullmatch(sep) is not None
        return joined


_JOINS = _Joins()
_MAX_CACHED = 200_000
_LONG_TEXT_WORDS = 100_000


def split_words(text: str | Normalised) -> Words:
    """`text` (normalised) split into words at C speed: split keeping the separators, offsets as running sums."""
    s = text.text if isinstance(text, Normalised) else normalise(text).text
    hint, glued = _glued_split()
    parts = (glued if hint.search(s) else _SPLIT_WORDS).split(s)
    offsets = [0, *accumulate(map(len, parts))]
    if len(_JOINS) > _MAX_CACHED:
        _JOINS.clear()
    return Words(s, parts[0::2], offsets[0::2], parts[1::2], _JOINS)


def _hits(index: _Index, tokens: list[str]) -> list[int] | array[int]:
    """The indexes of the tokens some term of `index` may start, selected at C speed (a token seen before costs a
    dict look-up; a new one has its candidates worked out once)."""
    cache = index.cache
    if len(cache) > _MAX_CACHED:
        cache.clear()
    selected = compress(range(len(tokens)), map(cache.__getitem__, tokens))
    # A long text's indexes as machine integers (a list holds an int object per hit: 12 MB more at 16 MB of text).
    return list(selected) if len(tokens) < _LONG_TEXT_WORDS else array("l", selected)


_ALL_LEXICONS = frozenset(LEXICONS)


def find_terms(text: str | Normalised, lexicons: tuple[str, ...] = LEXICONS, *, keep: Keep | None = None,
               words: Words | None = None) -> list[Term]:
    """Every lexicon hit in `text`, sorted by position (spans index the normalised text).

    Words are looked up in an index (with proclitics stripped, stems by their prefix); at each word the longest
    term of each lexicon wins, and a hit inside an earlier hit of the same entry is the same mention. `keep` limits
    the lookup to some entries (a quick first look: "is there a removal cue at all?"); `words` is the text already
    split by `split_words`, when several lookups read it."""
    if words is None:
        words = split_words(text)
    s = words.text
    if keep is not None:
        index = _view(lexicons, keep)
    else:
        index = _index() if lexicons == LEXICONS else _build_index(lexicons)
    tokens, starts, seps, joins = words.words, words.starts, words.seps, words.joins
    # The words a term of any lexicon starts with include those of a restricted index: found once per text.
    if _ALL_LEXICONS.issuperset(lexicons):
        hits = words.hits
        if hits is None:
            hits = words.hits = _hits(_index(), tokens)
    else:
        hits = _hits(index, tokens)
    cache = index.cache
    if len(cache) > _MAX_CACHED:
        cache.clear()
    out: list[Term] = []
    last_end: dict[tuple[str, str], int] = {}
    for i in hits:
        token = tokens[i]
        c = cache[token]
        if not c:
            continue
        start = starts[i]
        end = start + len(token)
        if c.simple:  # one-word terms only (most words): the first of each lexicon
            for spec in c.firsts:
                key = (spec.lexicon, spec.id)
                if end > last_end.get(key, -1):
                    last_end[key] = end
                    out.append(_new(Term, (spec.lexicon, spec.id, spec.kind, start, end)))
            continue
        best: dict[str, tuple[int, _Spec]] = {spec.lexicon: (end, spec) for spec in c.firsts}
        if c.trie:  # the multi-word terms that start here: walk the trie of the following words
            node, j, stop = c.trie, i + 1, end
            while node and j < len(tokens) and tokens[j] and joins[seps[j - 1]]:
                w = tokens[j]
                node = node.get(w) or node.get(w.lower())
                if node is None:
                    break
                stop = starts[j] + len(w)
                for spec in node.get("", ()):
                    if spec.lexicon not in best or stop > best[spec.lexicon][0]:
                        best[spec.lexicon] = (stop, spec)
                j += 1
        for spec in c.others:
            found = _match_rest(tokens, starts, seps, joins, i, end, spec)
            if found is not None and (spec.lexicon not in best or found > best[spec.lexicon][0]):
                best[spec.lexicon] = (found, spec)
        for stop, spec in best.values():
            key = (spec.lexicon, spec.id)
            if stop > last_end.get(key, -1):
                last_end[key] = stop
                out.append(_new(Term, (spec.lexicon, spec.id, spec.kind, start, stop)))
    if index.raw is not None:
        for m in index.raw.finditer(s, overlapped=True):
            group = m.lastgroup
            if group is None:
                continue
            name, ident, kind = index.raw_labels[group]
            if name in lexicons:
                out.append(Term(name, ident, kind, m.start(), m.end()))
    out.sort(key=_term_order)
    return out


_new = tuple.__new__  # a Term without NamedTuple's Python-level constructor (tens of thousands per long article)


def _term_order(t: Term) -> tuple[int, int]:
    return t[3], -t[4]


def _match_rest(words: list[str], starts: list[int], seps: list[str], joins: dict[str, bool], i: int, end: int,
                spec: _Spec) -> int | None:
    """The end offset of a multi-word term starting at word i (ending at `end`), or None; its words must be joined
    by spaces, hyphens or apostrophes only."""
    for k, word in enumerate(spec.words[1:], start=1):
        j = i + k
        if j >= len(words) or not words[j] or not joins[seps[j - 1]]:
            return None
        if not _word_matches(word, words[j], spec, k == len(spec.words) - 1):
            return None
        end = starts[j] + len(words[j])
    return end


def check_example(file_stem: str, data: dict[str, Any], example: dict[str, Any]) -> str | None:
    """Run one lexicon example: positive ones list the ids (or `kind:id`) expected, negative ones expect none."""
    hits = find_terms(example["text"], (file_stem,))
    found = {t.id for t in hits} | {f"{t.kind}:{t.id}" for t in hits}
    if example.get("negative"):
        unwanted = set(example.get("absent", [])) or found
        clash = unwanted & found
        return f"found {sorted(clash)}" if clash else None
    expected = set(example.get("expect", []))
    missing = expected - found
    return f"missing {sorted(missing)}, found {sorted(found)}" if missing else None
