"""Soft line breaks: the line breaks a mail program, a PDF-to-text tool or an old forum put inside sentences.

A hard-wrapped text breaks its lines at a fixed width wherever a word happens to fall; a scraped page breaks them
between paragraphs and after headings. `soft_breaks()` tells the two apart from the text, and turns every soft
break into a space of the same length (offsets do not move, so every span still maps back to the original):

- a line break is hard (kept) after a line that ends with `.` `!` `?` `;` `:` (a closing quote or bracket may
  follow), before a blank line, and before a list item (`•`, `*`, `▪`, `·`);
- it is soft after a line that ends with a comma or with a word that never ends a sentence (a preposition, a
  conjunction, an article: `continuers` in `patterns/boundaries.toml`), and before a line that starts with a
  lower-case Latin letter;
- it is soft inside parentheses (a line that leaves one open), and where a number phrase goes on (`43` / `مليون`);
- in a hard-wrapped text (a third or more of the lines that end without punctuation reach the text's width, which
  stays under 120 characters: mail, PDF-to-text), it is soft after a line
  that reaches that width (a heading or the last line of a paragraph is shorter, and its break stays), and after a
  short line that cannot be a heading (`_fragment`); never after the first line, the title of the page
  (unless a blank line closes it after two or three lines: a wrapped title).
The width needs two full lines to be trusted; the words work on any text.

This is the stage right after the character folds: `normalise()` folds a text, then calls `soft_breaks()` on the
folded text. Its words are data, read here from the pattern files (`boundaries.toml`, the scale words of the number
files) and folded with `extractor.folds.fold_text`, so this module needs neither the normaliser nor the number
engine, which both come after it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .folds import fold_text
from .patterns import compiled, load

_TERMINAL = frozenset(".!?;:")
CLOSERS = frozenset("\"')]»”’")  # closing quotes and brackets: they may follow sentence punctuation
_COMMAS = frozenset(",\u060c")
_LIST_MARKS = frozenset("•*▪·◦‣●")
_WAW = "\u0648"
_MAX_TITLE_LINES = 3
_WRAP_SHARE = 0.75  # a soft-wrapped line reaches at least this share of the text's width
_MAX_WRAP_WIDTH = 120  # wider lines are paragraphs, not a wrap (mail wraps at 72-80, PDF text at 80-110)
_NUMBER_FILES = ("numbers_ar", "numbers_en")  # the pattern files of the number words
_LATIN = re.compile(r"[A-Za-z]")
_WORD = re.compile(r"\w")


@dataclass(frozen=True, slots=True)
class BoundaryWords:
    """The folded word lists of `patterns/boundaries.toml`."""

    continuers: frozenset[str]  # Latin ones match only as written, in lower case
    openers: frozenset[str]
    stamp_openers: tuple[str, ...]
    weekdays: tuple[str, ...]
    time_marks: tuple[str, ...]
    lead_verbs: frozenset[str]
    questions: frozenset[str]
    complementisers: frozenset[str]
    english_openers: frozenset[str]
    chrome: tuple[str, ...]
    related: tuple[str, ...]
    datelines: tuple[str, ...]
    credits: frozenset[str]


@compiled
def boundary_words() -> BoundaryWords:
    """The boundary lexicon of the current pattern folder, folded like input text."""
    data = load("boundaries")

    def fold(xs: list[str]) -> list[str]:
        return [fold_text(x) for x in xs]

    return BoundaryWords(
        continuers=frozenset(fold(data.get("continuers", []))),
        openers=frozenset(fold(data.get("openers", []))),
        stamp_openers=_longest_first(fold(data.get("stamp_openers", []))),
        weekdays=_longest_first(fold([f for group in _weekdays() for f in group])),
        time_marks=_longest_first(fold(data.get("time_marks", []))),
        lead_verbs=frozenset(fold(data.get("lead_verbs", []))),
        questions=frozenset(fold(data.get("questions", []))),
        complementisers=frozenset(fold(data.get("complementisers", []))),
        english_openers=frozenset(fold(data.get("english_openers", []))),
        chrome=_longest_first(fold(data.get("chrome", []) + data.get("related", []))),
        related=_longest_first(fold(data.get("related", []))),
        datelines=_longest_first(fold(data.get("datelines", []))),
        credits=frozenset(fold(data.get("credits", []))),
    )


def _longest_first(forms: list[str]) -> tuple[str, ...]:
    return tuple(sorted(set(forms), key=len, reverse=True))


def _weekdays() -> list[list[str]]:
    table = load("months").get("weekdays", {})
    return [group for script in ("arabic", "english") for group in table.get(script, [])]


def last_word(line: str) -> str:
    """The last word of a line (letters and digits) as written; "" when the line ends with something else."""
    end = len(line)
    start = end
    while start > 0 and line[start - 1].isalnum():
        start -= 1
    return line[start:end]


def ends_open(line: str, continuers: frozenset[str]) -> bool:
    """Whether a line ends inside a clause: after a comma or a word that never ends a sentence."""
    return bool(line) and (line[-1] in _COMMAS or last_word(line) in continuers)


def ends_closed(line: str) -> bool:
    """Whether a line ends with sentence punctuation (a closing quote or bracket may follow it)."""
    k = len(line)
    while k > 0 and line[k - 1] in CLOSERS:
        k -= 1
    return k > 0 and line[k - 1] in _TERMINAL


def _bracket_depths(lines: list[str]) -> list[int]:
    """How many parentheses are open at the end of each line (reset at a blank line)."""
    out = []
    depth = 0
    for line in lines:
        depth = 0 if not line else max(0, depth + line.count("(") - line.count(")"))
        out.append(depth)
    return out


def _number_goes_on(line: str, nxt: str) -> bool:
    """A number phrase broken across the line: digits, then a scale word on the next line (`43` / `مليون محتوى`), or
    digits and a scale word, then the counted noun (`49 مليون` / `مقطع فيديو`)."""
    scales = _scale_words()
    if line[-1].isdigit():
        return nxt.split(None, 1)[0].lower() in scales
    words = line.rsplit(None, 2)
    return len(words) >= 2 and words[-1].lower() in scales and words[-2][-1:].isdigit()


@compiled
def _scale_words() -> frozenset[str]:
    """The scale words of the number pattern files (مليون, million), folded as the number lexicon folds them: read
    here from the data, not from the number engine, which is a stage after this one. Scales written right after
    digits only (`attached`: 1.2m) are not words that open a line."""
    out = set()
    for name in _NUMBER_FILES:
        for entry in load(name).get("words", []):
            if entry.get("role") == "scale" and not entry.get("attached", False):
                for form in entry.get("forms", []):
                    folded = fold_text(form)
                    folded = folded.lower() if _LATIN.search(folded) else folded
                    if _WORD.search(folded):
                        out.add(folded)
    return frozenset(out)


def _fragment(line: str, nxt: str) -> bool:
    """In a hard-wrapped text, a short line that is no heading: one or two words, a sentence that goes on from the
    one before (it opens with the conjunction و or another opener of `patterns/boundaries.toml`, as headings never
    do), or a line whose follower opens with a
    figure (`…الربع الثاني من العام الحالي` / `2024م.`, `…35 مليوناً و634 ألفاً` / `و916 محتوى`)."""
    words = line.split()
    if len(words) <= 2:
        return True
    if line[0] == _WAW and len(line) > 1 and line[1].isalpha():
        return True
    if words[0] in boundary_words().openers or " ".join(words[:2]) in boundary_words().openers:
        return True
    return nxt[0].isdigit() or (nxt[0] == _WAW and len(nxt) > 1 and nxt[1].isdigit())


def soft_breaks(text: str) -> str:
    """`text` with every soft line break replaced by a space (same length); `text` itself when there is none."""
    if "\n" not in text:
        return text
    lines = text.split("\n")
    stripped = [line.strip() for line in lines]
    # Line ends inside a paragraph (a non-blank line follows) without sentence punctuation.
    # List items (a bullet opens the line or the next one) end hard and do not count.
    open_ends = [i for i in range(len(lines) - 1) if stripped[i] and stripped[i + 1] and not ends_closed(stripped[i])
                 and stripped[i][0] not in _LIST_MARKS and stripped[i + 1][0] not in _LIST_MARKS]
    if not open_ends:
        return text  # every line ends a sentence or a paragraph: the common case of a scraped page
    lengths = sorted((len(s) for s in stripped if s), reverse=True)
    width = lengths[len(lengths) // 10]  # the 90th percentile: one long line (a URL, a table) does not set it
    continuers = boundary_words().continuers
    full = [i for i in open_ends if len(stripped[i]) >= _WRAP_SHARE * width]
    wrapped = width <= _MAX_WRAP_WIDTH and len(full) >= 2 and len(full) * 3 >= len(open_ends)
    depth = _bracket_depths(stripped) if "(" in text else [0] * len(stripped)
    first = next(i for i, line in enumerate(stripped) if line)  # a page starts with its title
    title = first
    while title + 1 < len(stripped) and stripped[title + 1]:
        title += 1
    if wrapped and 0 < title - first < _MAX_TITLE_LINES and all(i in open_ends for i in range(first, title)):
        first = -1  # a title paragraph of two or three open lines is one title, wrapped
    soft: list[int] = []
    for i in open_ends:
        line, nxt = stripped[i], stripped[i + 1]
        if ends_open(line, continuers) or "a" <= nxt[0] <= "z" or depth[i] > 0 or _number_goes_on(line, nxt):
            soft.append(i)
        elif wrapped and i != first and (len(line) >= _WRAP_SHARE * width or _fragment(line, nxt)):
            soft.append(i)
    if not soft:
        return text
    chars = list(text)
    pos = 0
    k = 0
    for i, line in enumerate(lines):
        pos += len(line)
        if k < len(soft) and soft[k] == i:
            chars[pos] = " "
            k += 1
        pos += 1
    return "".join(chars)
