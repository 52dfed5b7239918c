"""Sentence and clause segmentation on normalised text, keeping offsets.

Boundaries come from the text, not from how a scraper laid it out:
- `.` `!` `?` `;` end a sentence before white space or the end of the text, and also when glued to the next word
  (`المتطرف.وشهدت`, `channels.The`: paragraphs run together at the full stop). A full stop is no boundary between
  digits (`28.5`, `5.269.078`, `14.03.2024`), after an abbreviation (`Feb.`, `Dr.`, `U.S.`, `أ.د.`, in
  `patterns/abbreviations.toml`), inside a URL or an e-mail address, or between Latin letters when a lower-case one
  follows (`example.com`, `e.g.`).
- A line break ends a sentence. The normaliser has already turned the soft line breaks of a hard-wrapped text into
  spaces (`extractor.layout`), so the line breaks left are paragraph ends, headings, list items and lines that end
  with punctuation.
- Page furniture glued to a sentence (`patterns/boundaries.toml`): share buttons and "read also" are sentences of
  their own, a dateline (`RIYADH:`, `الرياض - `) starts one, a photo credit (`(AFP)`) ends one, and two spaces end
  the headline in the first sentence of a line (`…مادة متطرفة  أزال المركز…`), unless the word before them never
  ends a sentence (`في عام  2023`).
A clause ends at a comma or colon followed by a space (never inside `28,495,947`), or at a spaced dash.
"""

from __future__ import annotations

from typing import Any

import regex

from .layout import boundary_words, last_word
from .normalise import normalise
from .patterns import compiled, load

_END = regex.compile(r"[.!?;]+|\n| {2,}")
_CLAUSE_END = regex.compile(r"[,:](?=\s)|\s[-](?=\s)")
_WORD_BEFORE = regex.compile(r"([\p{L}]+)$")
_TOKEN_BEFORE = regex.compile(r"(\S+)$")
_TOKEN_AFTER = regex.compile(r"\S+")
_OPENERS = frozenset("\"'(«[")
_MIN_HEADLINE_WORDS = 3


@compiled
def _abbreviations() -> tuple[frozenset[str], regex.Pattern[str] | None]:
    """Abbreviations without their last full stop, and a pattern of those with inner stops (U.S, أ.د)."""
    forms = [normalise(a).text.lower().rstrip(".") for a in load("abbreviations").get("abbreviations", [])]
    dotted = [f for f in forms if "." in f]
    pattern = None
    if dotted:
        alternatives = "|".join(regex.escape(f) for f in sorted(dotted, key=len, reverse=True))
        pattern = regex.compile(rf"(?<![\p{{L}}.])(?i:{alternatives})\.?")
    return frozenset(forms), pattern


@compiled
def _furniture() -> tuple[regex.Pattern[str] | None, regex.Pattern[str] | None, regex.Pattern[str] | None]:
    """Patterns of chrome (a sentence of its own), datelines (a sentence starts) and photo credits (one ends)."""
    words = boundary_words()
    letter = r"[\p{L}\p{N}]"

    def alternation(forms: tuple[str, ...] | frozenset[str]) -> str:
        return "|".join(regex.escape(f) for f in sorted(forms, key=len, reverse=True))

    chrome = regex.compile(
        rf"(?<!{letter})(?:{alternation(words.chrome)})(?!{letter}|-)(?!\s+\p{{Ll}})") if words.chrome else None
    dateline = regex.compile(
        rf"(?<!{letter})(?:{alternation(words.datelines)})(?:\s*\([^()\n]{{1,30}}\))?\s*(?::|\s[-\u2013\u2014])\s"
    ) if words.datelines else None
    credit = regex.compile(rf"\((?:[^()\n]{{0,30}}\s)?(?:{alternation(words.credits)})\)") if words.credits else None
    return chrome, dateline, credit


def split_sentences(text: str) -> list[tuple[int, int]]:
    """Sentence spans `[start, end)` of a (normalised) text; white space around sentences is left out."""
    cuts = _cuts(text)
    spans: list[tuple[int, int]] = []
    start = 0
    for end, resume in cuts:
        _add(text, start, end, spans)
        start = resume
    _add(text, start, len(text), spans)
    return spans


def _cuts(text: str) -> list[tuple[int, int]]:
    """(end of a sentence, start of the next) pairs, in order."""
    abbreviations, dotted = _abbreviations()
    protected: set[int] = set()
    if dotted is not None and "." in text:
        for m in dotted.finditer(text):
            protected.update(i for i in range(m.start(), m.end()) if text[i] == ".")
    continuers = boundary_words().continuers
    cuts: list[tuple[int, int]] = []
    line_start = 0  # start of the current line: two spaces end a headline only in a line's first sentence
    for m in _END.finditer(text):
        s, e = m.span()
        g = m.group()
        if g == "\n":
            cuts.append((s, e))
            line_start = e
            continue
        if g[0] == " ":
            if _headline_end(text, s, e, line_start, cuts, continuers):
                cuts.append((s, e))
            continue
        nxt = text[e] if e < len(text) else ""
        if g == "." and (s in protected or _abbreviation_before(text, s, abbreviations)):
            continue
        if nxt and not nxt.isspace() and not _glued_end(text, s, e, g):
            continue
        cuts.append((e, e))
    if _furniture()[0] is not None:
        cuts = _merge(cuts, _furniture_cuts(text))
    return cuts


def _abbreviation_before(text: str, s: int, abbreviations: frozenset[str]) -> bool:
    word = _WORD_BEFORE.search(text, max(0, s - 12), s)
    return bool(word) and word.group(1).lower() in abbreviations


def _glued_end(text: str, s: int, e: int, g: str) -> bool:
    """Whether punctuation glued to the next character (no space between) still ends a sentence."""
    nxt = text[e]
    prev = text[s - 1] if s else ""
    if nxt in _OPENERS:
        # An opening quote or bracket (a letter or digit follows it) starts the next sentence; a closing one is part
        # of this one.
        after = text[e + 1] if e + 1 < len(text) else ""
        return after.isalnum()
    if nxt.isdigit():
        # Between digits: a decimal, dot thousands or a date (28.5, 5.269.078, 14.03.2024); after a word, the next
        # sentence opens with a figure (organizations.7,645,650).
        return not prev.isdigit() and not _in_address(text, s)
    if not nxt.isalpha():
        return False  # another mark
    if _in_address(text, s):
        return False
    if g == "." and prev.isascii() and prev.isalpha() and nxt.isascii() and nxt.islower():
        return False  # example.com, e.g.
    if g == "." and prev.isascii() and prev.isupper() and (s < 2 or not text[s - 2].isalpha()) \
            and nxt.isascii() and nxt.isupper():
        return False  # initials: J.K. Rowling, U.N.
    return True


def _in_address(text: str, i: int) -> bool:
    """Whether position `i` lies inside an e-mail address or a URL."""
    token = _token_around(text, i)
    return "@" in token or "://" in token or token.lower().startswith("www.") or "=" in token


def _token_around(text: str, i: int) -> str:
    before = _TOKEN_BEFORE.search(text, max(0, i - 80), i)
    after = _TOKEN_AFTER.match(text, i)
    return (before.group(1) if before else "") + (after.group() if after else "")


def _headline_end(text: str, s: int, e: int, line_start: int, cuts: list[tuple[int, int]],
                  continuers: frozenset[str]) -> bool:
    """Whether two spaces or more end a headline glued to the first sentence of a line."""
    if cuts and cuts[-1][1] > line_start:
        return False  # not in the line's first sentence
    nxt = text[e]
    if not nxt.isalpha() or ("a" <= nxt <= "z"):
        return False  # a figure after the spaces (عام  2023), or a lower-case word that continues the sentence
    head = text[line_start:s]
    if last_word(head) in continuers or head.rstrip()[-1:] in ",\u060c:":
        return False
    return len(head.split()) >= _MIN_HEADLINE_WORDS


def _furniture_cuts(text: str) -> list[tuple[int, int]]:
    chrome, dateline, credit = _furniture()
    out: list[tuple[int, int]] = []
    if chrome is not None:
        for m in chrome.finditer(text):
            out += [(m.start(), m.start()), (m.end(), m.end())]
    if dateline is not None:
        continuers = boundary_words().continuers
        for m in dateline.finditer(text):
            if last_word(text[max(0, m.start() - 20):m.start()].rstrip()) not in continuers:
                out.append((m.start(), m.start()))
    if credit is not None:
        for m in credit.finditer(text):
            out.append((m.end(), m.end()))
    return out


def _merge(cuts: list[tuple[int, int]], extra: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Cuts of both lists in order; a cut that falls inside a sentence's trailing white space or at a place already
    cut adds nothing."""
    if not extra:
        return cuts
    merged = sorted(set(cuts) | set(extra))
    out: list[tuple[int, int]] = []
    for end, resume in merged:
        if out and end <= out[-1][1]:
            continue
        out.append((end, resume))
    return out


def _add(text: str, start: int, end: int, spans: list[tuple[int, int]]) -> None:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if end > start:
        spans.append((start, end))


def clause_breaks(text: str, start: int, end: int) -> list[int]:
    """Offsets inside `text[start:end]` where a new clause begins (after a comma or colon followed by a space)."""
    return [m.end() for m in _CLAUSE_END.finditer(text, start, end)]


def check_example(file_stem: str, data: dict[str, Any], example: dict[str, Any]) -> str | None:
    """Run one abbreviation example: `sentences` is the expected number of sentences."""
    n = len(split_sentences(example["text"]))
    if example.get("negative"):  # a full stop after a word that is no abbreviation must split
        return None if n > 1 else "was not split"
    want = int(example.get("sentences", 1))
    return None if n == want else f"{n} sentences, expected {want}"


def check_boundary_example(file_stem: str, data: dict[str, Any], example: dict[str, Any]) -> str | None:
    """Run one boundary example: `sentences` lists the expected sentences; a negative example stays one sentence.

    The example text goes through the normaliser first, as an article does (soft line breaks become spaces)."""
    text = normalise(example["text"]).text
    got = [text[s:e] for s, e in split_sentences(text)]
    if example.get("negative"):
        return None if len(got) == 1 else f"split into {got}"
    want = [normalise(x).text for x in example["sentences"]]
    return None if got == want else f"expected {want}, found {got}"
