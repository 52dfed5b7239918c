"""Sentence and clause segmentation on normalised text, keeping offsets.

A sentence ends at a line break, or at `.` `!` `?` `;` followed by white space or the end of the text, except after
an abbreviation (`Feb.`, `Sept.`, `Dr.`) or between digits (`18.611.232` is one number). A clause ends at a comma
or colon followed by a space (never inside `28,495,947`), or before a connector cue (بينما، في حين، while).
Abbreviations live in `patterns/abbreviations.toml`.
"""

from __future__ import annotations

from typing import Any

import regex

from .normalise import normalise
from .patterns import compiled, load

_SENTENCE_END = regex.compile(r"\n+|[.!?;](?=\s|$)")
_CLAUSE_END = regex.compile(r"[,:](?=\s)|\s[-](?=\s)")
_WORD_BEFORE = regex.compile(r"([\p{L}]+)$")


@compiled
def _abbreviations() -> frozenset[str]:
    return frozenset(normalise(a).text.lower().rstrip(".") for a in load("abbreviations").get("abbreviations", []))


def split_sentences(text: str) -> list[tuple[int, int]]:
    """Sentence spans `[start, end)` of a (normalised) text; white space around sentences is left out."""
    abbreviations = _abbreviations()
    spans: list[tuple[int, int]] = []
    start = 0
    for m in _SENTENCE_END.finditer(text):
        if m.group() == ".":
            word = _WORD_BEFORE.search(text, max(0, m.start() - 12), m.start())
            if word and word.group(1).lower() in abbreviations:
                continue
        end = m.end() if m.group() != "\n" and not m.group().startswith("\n") else m.start()
        _add(text, start, end, spans)
        start = m.end()
    _add(text, start, len(text), spans)
    return spans


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
