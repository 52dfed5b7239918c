"""Entity and cue mentions: partners, platforms, organisations, metric nouns and cue words, from `patterns/`.

Every lexicon file is a list of `[[entry]]` tables, each with an `id`, an optional `kind`, and `terms`. A term is
matched on the normalised text (the same folds as the input), as a whole word:
- Arabic terms may carry proclitics (و ف ب ل ك, the article ال and their combinations: وال، بال، لل …);
- a term ending in `*` is a stem: any letters may follow (`ازال*` matches أزالت، أزالها);
- a term between slashes is a raw regular expression (`/took\\s+down/`);
- Latin terms match case-insensitively, except short all-capital acronyms (`IS`, `AQ`, `HTS`), which must match
  exactly so that the English verb "is" is never the Islamic State.
To add an alias, a spelling or a cue: add a term to the entry (and an example line); no code changes.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import regex

from .normalise import Normalised, normalise
from .patterns import compiled, load

# Proclitic letters and article combinations written as escapes: و ف ب ل ك, ال, لل.
_WAW, _FA, _BA, _LAM, _KAF = "\u0648", "\u0641", "\u0628", "\u0644", "\u0643"
_AL = "\u0627\u0644"
_PROCLITICS = (
    f"(?:[{_WAW}{_FA}]?[{_BA}{_KAF}]?{_AL}|[{_WAW}{_FA}]?{_LAM}{_LAM}|[{_WAW}{_FA}]?[{_BA}{_LAM}{_KAF}]|[{_WAW}{_FA}])?"
)
_LETTER_OR_DIGIT = r"[\p{L}\p{N}]"

LEXICONS = ("partners", "platforms", "organisations", "metrics", "cues")


@dataclass(frozen=True, slots=True)
class Term:
    """One lexicon hit: entry id and kind, with its span in the NORMALISED text."""

    lexicon: str
    id: str
    kind: str
    start: int
    end: int


def _term_core(term: str) -> tuple[str, bool]:
    """A term's regular expression without its word boundaries, and whether it is Latin."""
    if len(term) > 2 and term.startswith("/") and term.endswith("/"):
        core = term[1:-1]
        return f"(?:{core})", bool(regex.match(r"^[\x00-\x7f]*$", core))
    stem = term.endswith("*")
    body = normalise(term.rstrip("*")).text
    latin = body.isascii()
    core = r"[\s\-]+".join(regex.escape(w) for w in body.split())
    if latin and not (body.isupper() and len(body) <= 4):
        core = f"(?i:{core})"
    return core + (r"\p{L}*" if stem else ""), latin


def _entries(name: str) -> list[dict[str, Any]]:
    return list(load(name).get("entry", []))


def build_matcher(name: str) -> tuple[regex.Pattern[str], dict[str, tuple[str, str]]]:
    """One pattern for a lexicon file with a group per term, longest terms first, so that at any position the
    longest cue wins ("through this partnership" over "through"); returns the pattern and group → (id, kind)."""
    arabic: list[tuple[str, str]] = []
    latin: list[tuple[str, str]] = []
    labels: dict[str, tuple[str, str]] = {}
    k = 0
    for entry in _entries(name):
        for term in entry.get("terms", []):
            core, is_latin = _term_core(term)
            group = f"t{k}"
            k += 1
            labels[group] = (str(entry["id"]), str(entry.get("kind", name)))
            (latin if is_latin else arabic).append((core, group))
    blocks = []
    if arabic:
        alts = "|".join(f"(?P<{g}>{c})" for c, g in sorted(arabic, key=lambda x: -len(x[0])))
        blocks.append(rf"(?<!{_LETTER_OR_DIGIT}){_PROCLITICS}(?:{alts})(?!{_LETTER_OR_DIGIT})")
    if latin:
        alts = "|".join(f"(?P<{g}>{c})" for c, g in sorted(latin, key=lambda x: -len(x[0])))
        blocks.append(rf"(?<!{_LETTER_OR_DIGIT})(?:{alts})(?!{_LETTER_OR_DIGIT})")
    return regex.compile("|".join(blocks) if blocks else r"(?!)"), labels


@compiled
def _matchers() -> dict[str, tuple[regex.Pattern[str], dict[str, tuple[str, str]]]]:
    return {name: build_matcher(name) for name in LEXICONS}


def find_terms(text: str | Normalised, lexicons: tuple[str, ...] = LEXICONS) -> list[Term]:
    """Every lexicon hit in `text`, sorted by position (spans index the normalised text)."""
    norm = text if isinstance(text, Normalised) else normalise(text)
    out: list[Term] = []
    matchers = _matchers()
    for name in lexicons:
        pattern, labels = matchers[name]
        last_end: dict[str, int] = {}
        # Overlapped: a cue inside a longer cue ("partnership" in "since the start of the partnership") still counts;
        # a hit inside an earlier hit of the same entry is the same mention and is skipped.
        for m in pattern.finditer(norm.text, overlapped=True):
            group = m.lastgroup
            if group is None:
                continue
            ident, kind = labels[group]
            if m.end() <= last_end.get(ident, -1):
                continue
            last_end[ident] = m.end()
            out.append(Term(name, ident, kind, m.start(), m.end()))
    out.sort(key=lambda t: (t.start, -t.end))
    return out


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
