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
- Page furniture glued to the text in the page's head (its first line; a flattened page is all head), from
  `patterns/boundaries.toml`: share buttons are sentences of their own, a dateline (`RIYADH:`, `الرياض - `) starts
  one, a photo credit (`(AFP)`) ends one, and so do a date stamp (`Updated 02 July 2024`, `نشر في: …`), a bare date,
  a headline or caption repeated word for word, and a list bullet.
- A headline glued to its lead: in the headline zone of a line (its sentences before the first one closed by a full
  stop), an Arabic lead verb in the past tense (`…مادة متطرفة أعلن المركز…`), a question word, or a capitalised
  English opener after a lower-case word (`…content items A general view…`) starts a sentence, unless a
  complementiser (أن، إن) or a continuer comes before it; two spaces end the headline in the first sentence of a
  line (`…مادة متطرفة  أزال المركز…`), unless the word before them never ends a sentence (`في عام  2023`).
- A "read also" heading and the lines of links under it are not the article: `split_sentences` leaves them out.
A clause ends at a comma or colon followed by a space (never inside `28,495,947`), or at a spaced dash.
"""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_right
from collections.abc import Callable
from itertools import compress
from typing import TYPE_CHECKING, Any, NamedTuple

import regex

from .layout import CLOSERS, BoundaryWords, boundary_words, ends_closed, last_word
from .normalise import normalise
from .patterns import compiled, load

if TYPE_CHECKING:
    from .entities import Words

_END = re.compile(r"[.!?;]+|\n+")
# Runs of sentence punctuation and line breaks: one character class, which the regex engine scans at C speed; a run
# that mixes both is split with `_END`. Two spaces or more only for texts that have them. Each pattern opens with a
# single character class (`x x*`, not `x+`; the two spaces behind a look-behind after their first one), so that the
# engine's search skips to the next candidate character at C speed instead of trying a match at every character.
_RUN = re.compile(r"[.!?;\n][.!?;\n]*")
_RUN_OR_SPACES = re.compile(r"[.!?;\n ](?:(?<=[.!?;\n])[.!?;\n]*|(?<=\S )  *(?=\S))")
# A clause ends at a comma or colon before white space, or at a dash between white space (white space as the regex
# module's `\s`: Unicode's White_Space characters), in the same one-class-first form.
_SPACE = r"\t-\r \x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000"
# (a comma glued to the Arabic word after it, "عام 2022،ووصل", is a break as well: a scraper dropped the space)
_CLAUSE_END = re.compile(rf"[,:](?=[{_SPACE}\u0621-\u064a])|[{_SPACE}]-(?=[{_SPACE}])")
# The same breaks found from their mark (a dash is rarer than the white space before it); a dash's match then starts
# one character after the white space that belongs to it.
_CLAUSE_MARK = re.compile(rf"[,:-](?:(?<=[,:])(?=[{_SPACE}\u0621-\u064a])|(?<=[{_SPACE}]-)(?=[{_SPACE}]))")
_TOKEN_BEFORE = regex.compile(r"(\S+)$")
_TOKEN_AFTER = regex.compile(r"\S+")
_OPENERS = frozenset("\"'(«[")
_MIN_HEADLINE_WORDS = 3
_MIN_REPEAT_WORDS = 5
_MIN_REPEAT_CHARS = 40  # two copies of five words or more
_MAX_REPEAT_WORDS = 40
_WAW = "\u0648"
_LIST_BULLETS = "•▪◦‣●"
_BULLET = re.compile(rf"(?<=\s)[{_LIST_BULLETS}](?=\s)")


class _Abbreviations(NamedTuple):
    forms: frozenset[str]  # lower case, without their last full stop
    finals: frozenset[str]  # the last letters of the forms without inner stops, in both cases
    longest: int
    dotted: regex.Pattern[str] | None  # the forms with inner stops (U.S, أ.د)
    dotted_hint: re.Pattern[str] | None  # a full stop followed by a letter that follows one in a dotted form


@compiled
def _abbreviations() -> _Abbreviations:
    """Abbreviations without their last full stop, and a pattern of those with inner stops (U.S, أ.د). The hint is a
    cheap scan (a literal full stop first) that tells whether the dotted pattern, much slower, can match at all."""
    forms = [normalise(a).text.lower().rstrip(".") for a in load("abbreviations").get("abbreviations", [])]
    dotted = [f for f in forms if "." in f]
    pattern = hint = None
    if dotted:
        alternatives = "|".join(regex.escape(f) for f in sorted(dotted, key=len, reverse=True))
        pattern = regex.compile(rf"(?<![\p{{L}}.])(?i:{alternatives})\.?")
        after = {f[i + 1] for f in dotted for i, ch in enumerate(f[:-1]) if ch == "."}
        after |= {c.upper() for c in after}
        hint = re.compile(r"\.[" + "".join(re.escape(c) for c in sorted(after)) + "]")
    plain = [f for f in forms if "." not in f and f]
    finals = frozenset(f[-1] for f in plain) | frozenset(f[-1].upper() for f in plain)
    return _Abbreviations(frozenset(forms), finals, max(map(len, forms), default=0), pattern, hint)


class _Furniture(NamedTuple):
    chrome: re.Pattern[str] | None
    dateline: re.Pattern[str] | None
    credit: re.Pattern[str] | None
    stamp: re.Pattern[str] | None
    weekday_stamp: re.Pattern[str] | None
    related: re.Pattern[str] | None
    words: re.Pattern[str] | None  # any word that opens chrome, a dateline or a stamp: without one, none is there


# A numeric date (14.03.2024, 14/3/2024); the character before it is checked by the caller (a pattern that opens with
# a look-behind is tried at every position, one that opens with a digit only at digits).
_NUMERIC_DATE = re.compile(r"\d\d?([-/.])\d\d?\1\d{4}(?![\d/.\-])")
# A word between white space (the regex module's `\S`: not one of Unicode's White_Space characters), opening with
# one class so that the standard engine skips to each word at C speed.
_WORD_SPAN = re.compile(f"[^{_SPACE}][^{_SPACE}]*")
_YEAR = re.compile(r"\d\d\d\d")  # every full date ends with a four-digit year


def _digit_or_date_mark(ch: str) -> bool:
    return ch.isdecimal() or (ch != "" and ch in "/.-")


@compiled
def _furniture() -> _Furniture:
    """Patterns of chrome (a sentence of its own), datelines (a sentence starts), photo credits (one ends) and date
    stamps (a sentence of their own). Word lists become prefix tries for the standard `re` engine, which skips every
    position that cannot start one at C speed."""
    from .numbers.lexicon import trie_regex

    words = boundary_words()
    edge = r"(?<!\w)"  # \w: a letter or a digit (or _)

    def compile_if(forms: tuple[str, ...] | frozenset[str], pattern: str) -> re.Pattern[str] | None:
        return re.compile(pattern) if forms else None

    marks = trie_regex(words.time_marks) if words.time_marks else "(?!)"
    openers = words.chrome + words.datelines + words.stamp_openers + words.weekdays
    time = rf"(?:\s*[,:]?\s*(?:الساعه\s*)?\d{{1,2}}:\d{{2}}(?:\s*(?:{marks})(?!\w))?)"
    year = r"(?<!\d)\d{4}(?!\d)"
    return _Furniture(
        compile_if(words.chrome, rf"{edge}(?:{trie_regex(words.chrome)})(?![\w-])(?!\s+[a-z])"),
        compile_if(words.datelines, rf"{edge}(?:{trie_regex(words.datelines)})(?:\s*\([^()\n]{{1,30}}\))?"
                                    rf"\s*(?::|\s[-\u2013\u2014])\s"),
        compile_if(words.credits, rf"\((?:[^()\n]{{0,30}}\s)?(?:{trie_regex(words.credits)})\)"),
        compile_if(words.stamp_openers, rf"{edge}(?:{trie_regex(words.stamp_openers)})(?!\w)"
                                        rf"[^\n]{{0,40}}?{year}{time}?(?:\s*GMT)?"),
        compile_if(words.weekdays, rf"{edge}(?:{trie_regex(words.weekdays)})[\s,]+[^\n]{{0,30}}?{year}{time}"),
        compile_if(words.related, rf"{edge}(?:{trie_regex(words.related)})(?!\w)"),
        compile_if(openers, trie_regex(openers)),
    )


def split_sentences(text: str, words: Words | None = None) -> list[tuple[int, int]]:
    """Sentence spans `[start, end)` of the article in a (normalised) text; white space around sentences and "read
    also" blocks are left out. `words`: the text already split by `extractor.entities.split_words` (the lexicon
    look-ups' one split), whose words then stand in for a pass of the lead-word pattern."""
    cuts, links = _cuts(text, words)
    spans: list[tuple[int, int]] = []
    start = 0
    for end, resume in cuts:
        _add(text, start, end, spans)
        start = resume
    _add(text, start, len(text), spans)
    blocks = _related_blocks(text) + links
    if blocks:
        spans = [(s, e) for s, e in spans if not any(a <= s and e <= b for a, b in blocks)]
    return spans


def _related_blocks(text: str) -> list[tuple[int, int]]:
    """The "read also" blocks of a page: a heading line of `related` links and the lines after it that end without a
    full stop, up to a blank line."""
    starts = _related_starts()
    if not starts or "\n" not in text:
        return []
    out = []
    lines = text.split("\n")
    pos = 0
    i = 0
    while i < len(lines):
        line = lines[i].lstrip()
        if line.startswith(starts) and (m := _furniture().related) is not None and m.match(line):
            start = pos
            end = pos + len(lines[i])
            j = i + 1
            while j < len(lines) and lines[j].strip() and not ends_closed(lines[j].strip()):
                end += 1 + len(lines[j])
                j += 1
            out.append((start, end))
            for k in range(i, j):
                pos += len(lines[k]) + 1
            i = j
            continue
        pos += len(lines[i]) + 1
        i += 1
    return out


@compiled
def _related_starts() -> tuple[str, ...]:
    return boundary_words().related


def _cuts(text: str, words: Words | None = None) -> tuple[list[tuple[int, int]], list[tuple[int, int]]]:
    """(end of a sentence, start of the next) pairs, in order; and the spans of "read also" links inside the page's
    head (a flattened page), which are not the article."""
    abbr = _abbreviations()
    abbreviations, longest, finals = abbr.forms, abbr.longest, abbr.finals
    protected: set[int] = set()
    if abbr.dotted is not None and abbr.dotted_hint is not None and abbr.dotted_hint.search(text):
        for m in abbr.dotted.finditer(text):
            protected.update(i for i in range(m.start(), m.end()) if text[i] == ".")
    continuers = boundary_words().continuers
    cuts: list[tuple[int, int]] = []
    line_start = 0  # start of the current line: two spaces end a headline only in a line's first sentence
    n = len(text)
    for run in (_RUN_OR_SPACES if "  " in text else _RUN).finditer(text):
        g = run.group()
        s0, e0 = run.span()
        p = g.find("\n")
        if p == -1 or not g.strip("\n"):
            items = [(s0, e0, g)]  # only punctuation, or only line breaks
        elif p > 0 and not g[p:].strip("\n"):
            items = [(s0, s0 + p, g[:p]), (s0 + p, e0, g[p:])]  # a full stop and the paragraph break (".\n")
        else:
            items = [(m.start(), m.end(), m.group()) for m in _END.finditer(text, s0, e0)]
        for s, e, g in items:
            first = g[0]
            if first == "\n":
                cuts.append((s, e))
                line_start = e
                continue
            if first == " ":
                if _headline_end(text, s, e, line_start, cuts, continuers):
                    cuts.append((s, e))
                continue
            if g == "." and (s in protected or (text[s - 1:s] in finals
                                                and not (s > longest and text[s - longest - 1:s].isalpha())
                                                and _abbreviation_before(text, s, abbreviations, longest))):
                continue  # (a word that ends otherwise, or is longer than every abbreviation, is none)
            if e < n and not text[e].isspace():
                closed = _after_closers(text, e)
                if closed is not None:
                    cuts.append((closed, closed))  # «… مادة.» وأضاف, "… in a single day." Overall
                    continue
                if not _glued_end(text, s, e, g):
                    continue
            cuts.append((e, e))
    head_end = _head_end(text)
    furniture, links = _furniture_cuts(text, head_end)
    cuts = _merge(cuts, furniture + _post_signatures(text))
    link_ends = {b for _, b in links}
    leads = _lead_cuts(text, cuts, head_end, link_ends, words)
    out = _merge(cuts, leads)
    return out, _link_headlines(links, cuts, leads)


def _link_headlines(links: list[tuple[int, int]], cuts: list[tuple[int, int]],
                    leads: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """A "read also" cue and the headline it links to, up to the lead that a lead cut found after it (`Read more: …
    loses appeal The cooperation …`); without such a cut the headline's end is unknown and nothing is left out."""
    out: list[tuple[int, int]] = []
    for a, b in links:
        end = next((e for e, _ in cuts if e > b), None)  # the end of the sentence the link opens
        lead = next((c for c, _ in leads if c > b), None)
        if lead is not None and (end is None or lead <= end):
            out.append((a, lead))
    return out


def _head_end(text: str) -> int:
    """The end of the page's first non-blank line: its head, where page furniture runs into the text."""
    start = len(text) - len(text.lstrip())
    end = text.find("\n", start)
    return len(text) if end == -1 else end


def _lead_cuts(text: str, cuts: list[tuple[int, int]], head_end: int,
               link_ends: set[int] | frozenset[int] = frozenset(), split: Words | None = None) -> list[tuple[int, int]]:
    """Cuts in the headline zone of every line: its sentences up to the first one closed by a full stop, `!` or `?`
    (a headline ends with nothing, or with `..`). There a headline glued to its lead is cut off; in the page's first
    line (on a flattened page, the whole page) also a headline or caption repeated word for word and a bare date."""
    out: list[tuple[int, int]] = []
    starts = [0] + [r for _, r in cuts]

    def segment(k: int) -> tuple[int, int]:
        return starts[k], (cuts[k][0] if k < len(cuts) else len(text))

    # The page's head: its first line's zone.
    for k in range(len(starts)):
        start, end = segment(k)
        if start >= head_end:
            break
        end = min(end, head_end)
        if end - start > _MIN_REPEAT_CHARS:
            out += _repeats(text, start, end)
        out += _bare_dates(text, start, end)
        if _closed(text, start, end):
            break
    # Every line: one pass over the words that may open a lead (few on most pages), each checked in its sentence.
    words = boundary_words()
    done = -1  # the last sentence settled (cut, or closed to cuts by a complementiser or its zone)
    for i, word in _lead_word_spans(text, split):
        k = bisect_right(starts, i) - 1
        if k <= done:
            continue
        if starts[k] not in link_ends and not _in_zone(text, k, starts, segment):  # a link's headline is a zone
            done = k
            continue
        before = text[starts[k]:i].split()
        if not words.complementisers.isdisjoint(before):
            done = k  # "ذكر التقرير أن الفريق أزال …": the verb belongs to the reported clause
            continue
        if _opens_lead(word, before, words):
            out.append((i, i))
            done = k
    return out


def _lead_word_spans(text: str, split: Words | None) -> list[tuple[int, str]]:
    """(start, word) of every word that may open a lead, as a whole word between white space (`_lead_words`), in
    order. From `split` when the forms are words as it splits them: the few such words are picked at C speed and
    checked for the white space around them."""
    forms = _lead_forms()
    if split is not None and forms is not None and split.text == text:
        out = []
        n = len(text)
        words, starts = split.words, split.starts
        for j in compress(range(len(words)), map(forms.__contains__, words)):
            i, word = starts[j], words[j]
            e = i + len(word)
            if (i == 0 or text[i - 1].isspace()) and (e == n or text[e].isspace()):
                out.append((i, word))
        return out
    at_start, after_space = _lead_words()
    first = at_start.match(text)
    return [(m.start("w"), m.group("w")) for m in ([first] if first else []) + list(after_space.finditer(text))]


@compiled
def _lead_forms() -> frozenset[str] | None:
    """The words that may open a lead, when each is a run of letters and digits as `split_words` cuts them (else None:
    the pattern runs)."""
    words = boundary_words()
    forms = words.lead_verbs | words.questions | words.english_openers
    return frozenset(forms) if all(f.isalnum() for f in forms) else None  # (isalnum: letters and digits only)


def _closed(text: str, start: int, end: int) -> bool:
    """Whether a sentence ends with a full stop, `!` or `?` (not `..`, as a headline may)."""
    closer = text[start:end].rstrip()[-2:]
    return closer[-1:] in (".", "!", "?") and closer != ".."


def _in_zone(text: str, k: int, starts: list[int], segment: Callable[[int], tuple[int, int]]) -> bool:
    """Whether sentence `k` lies in its line's headline zone: no sentence before it on its line is closed."""
    while k > 0:
        start = starts[k]
        previous_start, previous_end = segment(k - 1)
        if "\n" in text[previous_end:start + 1]:
            return True
        if _closed(text, previous_start, previous_end):
            return False
        k -= 1
    return True


def _repeats(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """A phrase of five words or more said twice in a row (a headline and its copy, a caption twice): each copy is
    a sentence."""
    plain = text[start:end].split()
    if len(set(plain)) == len(plain):
        return []  # no word twice: no phrase twice
    spans = [m.span() for m in _WORD_SPAN.finditer(text, start, end)]
    words = [text[a:b] for a, b in spans]
    out: list[tuple[int, int]] = []
    seen: dict[str, list[int]] = {}
    for j, w in enumerate(words):
        for i in reversed(seen.get(w, [])):
            length = j - i
            if length < _MIN_REPEAT_WORDS or length > _MAX_REPEAT_WORDS:
                continue
            if j + length <= len(words) and words[i:j] == words[j:j + length]:
                out += [(spans[i][0], spans[i][0]), (spans[j][0], spans[j][0]),
                        (spans[j + length - 1][1], spans[j + length - 1][1])]
                break
        seen.setdefault(w, []).append(j)
    return out


def _bare_dates(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """A full date that no preposition or continuer introduces is the page's date line: a sentence of its own."""
    pattern = _date_line()
    if pattern is None or _YEAR.search(text, start, end) is None:
        return []  # (the date pattern opens with a look-behind, tried at every character: most segments have no year)
    out: list[tuple[int, int]] = []
    for m in pattern.finditer(text, start, end):
        before = text[max(0, m.start() - 20):m.start()].rstrip()
        opener = last_word(before)
        if opener in _stamp_ends():
            continue  # "Updated 02 May 2025": the stamp pattern has it whole
        if before.endswith(_RANGE_DASHES) or (len(opener) > 2 and opener[0] in _AND_OR_THEN
                                               and opener[1:] in boundary_words().continuers):
            continue  # "(17 يوليو – 13 سبتمبر 2024)", "وفي 10 أبريل 2024": the end of a range, a prepositional phrase
        if not _after_continuer(text, m.start()) and text[m.end():m.end() + 1] not in (",", ":"):
            out += [(m.start(), m.start()), (m.end(), m.end())]
    return out


_RANGE_DASHES = ("-", "\u2013", "\u2014")
_AND_OR_THEN = "\u0648\u0641"  # و ف: "and", "then" glued to the preposition before a date (وفي، ففي)


@compiled
def _stamp_ends() -> frozenset[str]:
    return frozenset(last_word(f) for f in boundary_words().stamp_openers)


def _after_continuer(text: str, i: int) -> bool:
    """Whether the word before position `i` never ends a sentence (any case: "On February 21, 2022")."""
    word = last_word(text[max(0, i - 20):i].rstrip())
    return word in boundary_words().continuers or word.lower() in boundary_words().continuers


@compiled
def _date_line() -> re.Pattern[str] | None:
    """A full date (day, month name, year in either order), with the weekday before it, from patterns/months.toml."""
    from .numbers.lexicon import trie_regex

    table = load("months")
    months = [normalise(f).text for script in ("arabic", "english")
              for group in table.get("gregorian", {}).get(script, []) for f in group]
    weekdays = boundary_words().weekdays
    if not months:
        return None
    month = f"(?:{trie_regex(months)})"
    weekday = f"(?:(?:{trie_regex(weekdays)})[\\s,]+)?" if weekdays else ""
    day = r"\d{1,2}(?:st|nd|rd|th)?"
    return re.compile(rf"(?<!\w){weekday}(?:{month}\.?\s+{day},?\s*|{day}\s+{month}\s*,?\s*)\d{{4}}(?!\w)")


def _post_signatures(text: str) -> list[tuple[int, int]]:
    """An embedded social-media post ends with its signature: a dash, the author, their handle and the date
    (`— Etidal (@etidal_org) May 4, 2024`). A sentence ends after it, anywhere in the page: on a flattened page
    the text that followed the embed would otherwise share the post's sentence, and its date."""
    if "(@" not in text:
        return []
    pattern = _post_signature()
    return [] if pattern is None else [(m.end(), m.end()) for m in pattern.finditer(text)]


@compiled
def _post_signature() -> re.Pattern[str] | None:
    date = _date_line()
    if date is None:
        return None
    return re.compile(rf"[—–-]\s*[^()\n—–]{{1,60}}?\s*\(@\w{{1,30}}\)\s*(?:{date.pattern})")


def _abbreviation_before(text: str, s: int, abbreviations: frozenset[str], longest: int) -> bool:
    """Whether the word before the full stop at `s` is an abbreviation (a word longer than the longest is none)."""
    j = s
    limit = max(0, s - longest - 1)
    while j > limit and text[j - 1].isalpha():
        j -= 1
    if j == s or (j == limit and j > 0 and text[j - 1].isalpha()):
        return False
    return text[j:s].lower() in abbreviations


def _after_closers(text: str, e: int) -> int | None:
    """Where a sentence ends whose punctuation (ending at `e`) a closing quote or bracket follows: after them, when
    white space or the end of the text comes next and no lower-case Latin word goes on (`"… removed." and added`)."""
    k = e
    while k < len(text) and text[k] in CLOSERS:
        k += 1
    if k == e:
        return None
    if k == len(text):
        return k
    if not text[k].isspace():
        return None
    nxt = text[k:k + 40].lstrip()[:1]
    return None if "a" <= nxt <= "z" else k


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
        # A symbol or a bullet opens the next item of a list glued to this one (`….✅ في عام 2016`, `….• The`);
        # another mark belongs to this sentence.
        return nxt in _LIST_BULLETS or unicodedata.category(nxt) == "So"
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


def _furniture_cuts(text: str, head_end: int) -> tuple[list[tuple[int, int]], list[tuple[int, int]]]:
    """Cuts around page furniture in the page's head (on its own line elsewhere, a line break already cuts it); and
    the "read also" cues among it, whose next sentence is the headline of a link."""
    f = _furniture()
    out: list[tuple[int, int]] = []
    links: list[tuple[int, int]] = []
    stamps: list[tuple[int, int]] = []
    if f.words is None or f.words.search(text, 0, head_end):  # most heads hold none of their words: one scan
        if f.chrome is not None:
            related = _related_starts()
            for m in f.chrome.finditer(text, 0, head_end):
                out += [(m.start(), m.start()), (m.end(), m.end())]
                if m.group() in related:
                    links.append(m.span())
        if f.dateline is not None:
            for m in f.dateline.finditer(text, 0, head_end):
                if not _after_continuer(text, m.start()):
                    out.append((m.start(), m.start()))
        if f.stamp is not None:
            stamps += [m.span() for m in f.stamp.finditer(text, 0, head_end)]
        if f.weekday_stamp is not None:
            stamps += [m.span() for m in f.weekday_stamp.finditer(text, 0, head_end)
                       if not _after_continuer(text, m.start())]
    if f.credit is not None:
        for m in f.credit.finditer(text, 0, head_end):
            out.append((m.end(), m.end()))
    stamps += [m.span() for m in _NUMERIC_DATE.finditer(text, 0, head_end)
               if not _digit_or_date_mark(text[m.start() - 1:m.start()]) and not _after_continuer(text, m.start())]
    for a, b in stamps:
        out += [(a, a), (b, b)]
    head = text[:head_end]
    if any(b in head for b in _LIST_BULLETS):
        out += [(m.start(), m.start()) for m in _BULLET.finditer(text, 0, head_end)]  # a list item glued to the line
    return out, links


@compiled
def _lead_words() -> tuple[re.Pattern[str], re.Pattern[str]]:
    """The words that may open a lead, as a whole word: at the text's start, and after white space. The space is
    part of the second pattern, not a look-behind: a pattern that opens with a character class is scanned at C
    speed, and the words are tried only after spaces."""
    from .numbers.lexicon import trie_regex

    words = boundary_words()
    forms = words.lead_verbs | words.questions | words.english_openers
    if not forms:
        return re.compile("(?!)"), re.compile("(?!)")
    word = rf"(?P<w>{trie_regex(forms)})(?!\S)"
    return re.compile(word), re.compile(rf"\s{word}")


def _opens_lead(word: str, before: list[str], words: BoundaryWords) -> bool:
    """Whether `word` opens the lead of a headline glued to it: an Arabic lead verb in the past tense or a question
    word, or a capitalised English sentence opener, after a headline of three words or more that does not end with
    a continuer (see `patterns/boundaries.toml`)."""
    if len(before) < _MIN_HEADLINE_WORDS:
        return False
    opening = before[0]
    if opening in words.continuers or opening in words.openers or (
            opening[:1] == _WAW and (opening[1:] in words.continuers or opening[1:] in words.openers)):
        return False  # "وخلال الربع الثالث أزالت …": a sentence that opens with an adverbial, not a headline
    prev = before[-1]
    if last_word(prev) in words.continuers:
        return False
    if word in words.lead_verbs or word in words.questions:
        return prev[-1] != ":"
    return word in words.english_openers and (prev[-1].islower() or prev[-1].isdigit())


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
    piece = text[start:end]
    kept = piece.strip()
    if kept:
        start += len(piece) - len(piece.lstrip())
        spans.append((start, start + len(kept)))


def clause_breaks(text: str, start: int, end: int) -> list[int]:
    """Offsets inside `text[start:end]` where a new clause begins (after a comma or colon followed by a space)."""
    return [m.end() for m in _CLAUSE_END.finditer(text, start, end)]


def clause_breaks_of(text: str, spans: list[tuple[int, int]]) -> list[list[int]]:
    """`clause_breaks` of each sentence span (sorted, not overlapping), from one pass over the text: a break belongs
    to the sentence that holds its mark and the white space after it."""
    out: list[list[int]] = [[] for _ in spans]
    if not spans:
        return out
    k, n = 0, len(spans)
    for m in _CLAUSE_MARK.finditer(text, spans[0][0], spans[-1][1]):
        start, end = m.span()
        if text[start] == "-":
            start -= 1  # the white space before the dash
        while k < n and spans[k][1] <= end:
            k += 1
        if k == n:
            break
        if spans[k][0] <= start:
            out[k].append(end)
    return out


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
