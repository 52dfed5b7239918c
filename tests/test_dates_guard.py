"""The first-character guards of the date grammar (`extractor.dates.rules._guarded`) change no match: each class
regex finds exactly what it finds without them, at every position of the date pattern examples."""

from __future__ import annotations

import regex

from extractor import patterns
from extractor.dates.rules import _first_chars, _rules
from extractor.normalise import normalise


def test_first_chars_reads_what_a_match_begins_with() -> None:
    lists = {"w": ["alpha", "beta"], "e": ["", "x"]}
    assert _first_chars(r"(?:a|\d)b", lists) == r"[\da]"
    assert _first_chars(r"(?<=x)(?:the\s+)?[0-3]?\d", lists) == r"[0-3\dt]"
    assert _first_chars(r"(?:(?P<g>\L<w>)\s+)?y", lists) == "[aby]"
    assert _first_chars(r"(?-i:Q)[1-4]", lists) == "[Q]"


def test_first_chars_gives_up_where_it_cannot_tell() -> None:
    lists = {"e": ["", "x"]}
    for pattern in (r"a?", r"(?=a)", r"\wx", r"[^a]b", r"(?P=n)b", r"(?>a)b", r".b", r"\L<e>", r"\x41"):
        assert _first_chars(pattern, lists) is None, pattern


def test_guards_change_no_match() -> None:
    rules = _rules()
    flags = regex.IGNORECASE | regex.VERSION0
    plain = {c: regex.compile(src, flags, ignore_unused=True, **rules.lists) for c, src in rules.unguarded.items()}
    texts = []
    for path in patterns.pattern_files():
        data = patterns.load(path.stem)
        if data["meta"].get("checker") == "extractor.dates:check_example":
            texts.extend(normalise(ex["text"]).text for ex in data["examples"])
    assert len(texts) > 300
    checked = 0
    for t in texts:
        for p in range(len(t)):
            for c, rx in rules.class_rx.items():
                a, b = plain[c].match(t, p), rx.match(t, p)
                assert (a is None) == (b is None), (c, t, p)
                if a is not None and b is not None:
                    assert (a.span(), a.groupdict()) == (b.span(), b.groupdict()), (c, t, p)
                    checked += 1
    assert checked > 300
