"""Benchmark: the cost of each mention stage per article, alone, on a JSONL corpus (instructions under callgrind, or
wall-clock when run plainly).

Every article is read once by the whole pipeline first (warm-up: rules compiled, per-word caches filled as in a
long batch), then ONE stage runs over every article with its input prepared beforehand (the `Normalised` text, the
word split); stages that `_read` runs only on articles with a removal cue run only on those, as there. Run it under
callgrind once with `--stage none` and once per stage: the difference of the instruction totals divided by the
number of articles is the stage's cost per article (exact and repeatable; wall-clock on a shared machine is not).

usage: python bench/stages.py CORPUS.jsonl [--articles N] [--stage NAME,...] [--rounds R]
stages: normalise, split_words, first_look, find_terms, terms, split_sentences, clause_breaks, sentences,
find_numbers, read (the whole of `_read`), extract; `all` (the default) runs each of them.

Instruction counts, every stage in one process: each stage runs inside one call of `functools.reduce` (used nowhere
else), which callgrind counts alone and dumps after (one file per stage, in the order of `--stage`):
  valgrind --tool=callgrind --collect-atstart=no --toggle-collect=functools_reduce --dump-after=functools_reduce \
      --callgrind-out-file=/tmp/cg/out .venv/bin/python bench/stages.py CORPUS --rounds 1
  grep -h ^totals /tmp/cg/out.*
"""

from __future__ import annotations

import sys
from pathlib import Path

# bench/numbers.py would shadow the standard library's `numbers` module.
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != Path(__file__).resolve().parent]

import argparse  # noqa: E402
import functools  # noqa: E402
import inspect  # noqa: E402
import json  # noqa: E402
import time  # noqa: E402
from collections.abc import Callable  # noqa: E402
from typing import Any  # noqa: E402

from extractor import extract  # noqa: E402
from extractor.facts import document  # noqa: E402
from extractor.normalise import normalise  # noqa: E402
from extractor.numbers import find_numbers  # noqa: E402
from extractor.sentences import clause_breaks, split_sentences  # noqa: E402


def _terms_api() -> tuple[Callable[..., Any], Callable[..., Any]]:
    from extractor import entities

    return entities.split_words, entities.find_terms


def _breaks(text: str, spans: list[tuple[int, int]]) -> list[list[int]]:
    from extractor import sentences

    if hasattr(sentences, "clause_breaks_of"):  # one pass over the text (before it: one per sentence)
        return sentences.clause_breaks_of(text, spans)
    return [clause_breaks(text, a, b) for a, b in spans]


def _sentences(text: str, words: Any) -> list[tuple[int, int]]:
    """split_sentences as _read calls it (since the shared split: with the lexicon look-ups' words)."""
    if "words" in inspect.signature(split_sentences).parameters:
        return split_sentences(text, words)
    return split_sentences(text)


def _prepared(texts: list[str]) -> list[dict[str, Any]]:
    split_words, find_terms = _terms_api()
    out = []
    for text in texts:
        norm = normalise(text)
        words = split_words(norm)
        first = find_terms(norm, keep=document._first_look, words=words)
        relevant = any(t.lexicon == "cues" for t in first)
        out.append({"text": text, "norm": norm, "words": words, "relevant": relevant,
                    "sentences": split_sentences(norm.text) if relevant else []})
    return out


def _stage(name: str, items: list[dict[str, Any]]) -> None:
    split_words, find_terms = _terms_api()
    for x in items:
        norm = x["norm"]
        if name == "normalise":
            normalise(x["text"])
        elif name == "split_words":
            split_words(norm)
        elif name == "first_look":
            find_terms(norm, keep=document._first_look, words=x["words"])
        elif name == "find_terms":
            if x["relevant"]:
                find_terms(norm, words=x["words"])
        elif name == "terms":  # what _read spends on terms: the split, the first look, the full look where relevant
            words = split_words(norm)
            find_terms(norm, keep=document._first_look, words=words)
            if x["relevant"]:
                find_terms(norm, words=words)
        elif name == "split_sentences":
            if x["relevant"]:
                _sentences(norm.text, x["words"])
        elif name == "clause_breaks":
            _breaks(norm.text, x["sentences"])
        elif name == "sentences":  # as _read builds them: spans, clause breaks, both mapped to original offsets
            if x["relevant"]:
                spans = _sentences(norm.text, x["words"])
                norm.spans(spans)
                norm.spans([(b, b + 1) for group in _breaks(norm.text, spans) for b in group])
        elif name == "find_numbers":  # as _read calls it (since the shared split: with the lexicon look-ups' words)
            if x["relevant"]:
                if "words" in inspect.signature(find_numbers).parameters:
                    find_numbers(norm, words=x["words"])
                else:
                    find_numbers(norm)
        elif name == "read":
            document._read(x["text"], None, [])
        elif name == "extract":
            extract(x["text"])
        else:
            raise SystemExit(f"unknown stage {name!r}")


STAGES = ("normalise", "split_words", "first_look", "find_terms", "terms", "split_sentences", "clause_breaks",
          "sentences", "find_numbers", "read", "extract")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("corpus", type=Path)
    ap.add_argument("--articles", type=int, default=400)
    ap.add_argument("--stage", default="all")
    ap.add_argument("--rounds", type=int, default=5, help="wall-clock rounds per stage (minimum kept)")
    args = ap.parse_args()
    texts = []
    with args.corpus.open(encoding="utf-8") as f:
        for line in f:
            texts.append(json.loads(line)["text"])
            if len(texts) == args.articles:
                break
    for text in texts:  # warm-up: every rule compiled, per-word caches filled
        extract(text)
    items = _prepared(texts)
    names = STAGES if args.stage == "all" else tuple(args.stage.split(","))
    relevant = sum(x["relevant"] for x in items)
    print(f"{len(items)} articles, {relevant} with a removal cue; µs per article (all articles), min of {args.rounds}")
    for name in names:
        best = float("inf")
        for _ in range(args.rounds):
            t0 = time.perf_counter()
            functools.reduce(lambda _, stage: stage(), [lambda name=name: _stage(name, items)], None)
            best = min(best, time.perf_counter() - t0)
        print(f"{name:16} {best / len(items) * 1e6:8.1f}")


if __name__ == "__main__":
    main()
