"""The normaliser: the character folds (`extractor.folds`) in one pass that keeps a map back to the original, then
the soft line breaks (`extractor.layout`), the stage after it.

The folds are composed once into a table (character → final output). `normalise()` then takes one of two paths:
- the fast path (text without presentation forms or full-width characters, i.e. nothing at or above U+F000):
  a chain of `str.replace` calls, one per foldable character that occurs, and a map built only from the positions
  of deleted marks; `str.replace` runs at memory speed, so this is several times faster than one `str.translate`;
- the general path: `str.translate` with the composed table, then the map rebuilt around every character whose
  length changes (deletions and ligature expansions).
Both give the same result (a property test checks it).
Spans map back exactly: for a span `[s, e)` of `Normalised.text`, `Normalised.span(s, e)` gives the original span,
and deleted marks that trail the last character of the span (tanween, shadda, tatweel) stay inside it.

The folds themselves, and the entity decoding, live in `extractor.folds` and are importable from here as well.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass, replace
from functools import lru_cache

from .folds import (
    _ENTITY,
    FOLDS,
    Fold,
    _table,
    decode_entities,
    decode_entity,
    fold_alef,
    fold_alef_maksura,
    fold_diacritics,
    fold_digits,
    fold_hamza_seats,
    fold_invisibles,
    fold_number_punctuation,
    fold_persian_letters,
    fold_presentation_forms,
    fold_punctuation,
    fold_spaces,
    fold_tatweel,
    fold_teh_marbuta,
    fold_text,
)
from .layout import soft_breaks

__all__ = [  # the folds are read from here too (`from extractor.normalise import FOLDS, fold_alef`)
    "FOLDS", "Fold", "Normalised", "decode_entities", "decode_entity", "fold_alef", "fold_alef_maksura",
    "fold_diacritics", "fold_digits", "fold_hamza_seats", "fold_invisibles", "fold_number_punctuation",
    "fold_persian_letters", "fold_presentation_forms", "fold_punctuation", "fold_spaces", "fold_tatweel",
    "fold_teh_marbuta", "fold_text", "normalise",
]


@dataclass(frozen=True, slots=True)
class Normalised:
    """Folded text plus the map back to the original: `original[to_original(s):to_original_end(e)]`."""

    text: str
    original: str
    # Piecewise map: normalised index `_nb[k] + d` (d ≥ 0, before the next break) comes from original
    # `_ob[k] + d`, except inside an expansion (`_flat[k]`), where every index comes from `_ob[k]`.
    _nb: tuple[int, ...]
    _ob: tuple[int, ...]
    _flat: tuple[bool, ...]
    _trailing: frozenset[str]
    # Original spans of decoded HTML entities (`&quot;` → `"`): a span that ends inside one ends after it.
    _entities: tuple[tuple[int, int], ...] = ()

    @property
    def maps_identically(self) -> bool:
        """True when every normalised offset is the same original offset (nothing deleted or expanded)."""
        return len(self._nb) == 1 and self._ob[0] == 0 and not self._flat[0]

    def to_original(self, i: int) -> int:
        """The original offset of normalised position `i` (a span start); `len(text)` maps to `len(original)`."""
        if i >= len(self.text):
            return len(self.original)
        k = bisect_right(self._nb, i) - 1
        return self._ob[k] if self._flat[k] else self._ob[k] + (i - self._nb[k])

    def to_original_end(self, e: int) -> int:
        """The original offset just after normalised position `e - 1` (a span end), trailing marks included."""
        if e <= 0:
            return 0
        o = self.to_original(e - 1) + 1
        orig = self.original
        while o < len(orig) and orig[o] in self._trailing:
            o += 1
        return self._past_entity(o) if self._entities else o

    def _past_entity(self, o: int) -> int:
        """`o`, or the end of the decoded entity it falls strictly inside."""
        k = bisect_right(self._entities, (o, len(self.original) + 1)) - 1
        if k >= 0 and self._entities[k][0] < o < self._entities[k][1]:
            return self._entities[k][1]
        return o

    def to_normalised(self, o: int) -> int:
        """The normalised offset of original offset `o` (deleted marks map to the next kept character)."""
        if self.maps_identically:
            return min(o, len(self.text))
        if o >= len(self.original):
            return len(self.text)
        k = bisect_right(self._ob, o) - 1
        if k < 0:
            return 0
        if self._flat[k]:
            return self._nb[k]
        limit = self._nb[k + 1] if k + 1 < len(self._nb) else len(self.text)
        return min(self._nb[k] + (o - self._ob[k]), limit)

    def span(self, start: int, end: int) -> tuple[int, int]:
        """Map a normalised span `[start, end)` to the original span holding exactly that phrase."""
        if end <= start:
            o = self.to_original(start)
            return o, o
        return self.to_original(start), self.to_original_end(end)

    def spans(self, pairs: list[tuple[int, int]]) -> list[tuple[int, int]]:
        """`span()` for many spans sorted by start, in one walk over the map (no search per span)."""
        if self.maps_identically:
            return [(s, e) if e > s else (s, s) for s, e in pairs]
        nb, ob, flat, trailing, orig = self._nb, self._ob, self._flat, self._trailing, self.original
        n_text, n_orig, last = len(self.text), len(orig), len(nb) - 1
        out: list[tuple[int, int]] = []
        # Start the walk at the first pair's segment (a call for the spans of one late sentence must not walk the
        # map from the top: called once per sentence, that made a long text quadratic).
        k = max(bisect_right(nb, pairs[0][0]) - 1, 0) if pairs else 0
        for start, end in pairs:
            while k < last and nb[k + 1] <= start:
                k += 1
            if start >= n_text:
                out.append((n_orig, n_orig))
                continue
            o_start = ob[k] if flat[k] else ob[k] + (start - nb[k])
            if end <= start:
                out.append((o_start, o_start))
                continue
            j = k
            while j < last and nb[j + 1] <= end - 1:
                j += 1
            o = (ob[j] if flat[j] else ob[j] + (end - 1 - nb[j])) + 1
            while o < n_orig and orig[o] in trailing:
                o += 1
            out.append((o_start, self._past_entity(o) if self._entities else o))
        return out


_Group = tuple[bytes, tuple[tuple[str, str], ...], tuple[str, ...]]


@lru_cache(maxsize=8)
def _plan(folds: tuple[Fold, ...]) -> tuple[_Group, ...]:
    """The fast path's work, grouped by UTF-8 lead bytes: (lead, (character, replacement) pairs, deleted characters).

    A group is skipped with one byte search when its lead bytes do not occur in the encoded text, so Arabic text
    without general punctuation or Persian characters pays only for the Arabic block.
    """
    table, _, _ = _table(folds)
    if any(len(out) > 1 for cp, out in table.items() if cp < _FAST_LIMIT):
        raise ValueError("a fold expands a character below U+F000: the fast path cannot map it")
    groups: dict[bytes, tuple[list[tuple[str, str]], list[str]]] = {}
    for cp, out in sorted(table.items()):
        if cp >= _FAST_LIMIT:
            continue
        encoded = chr(cp).encode("utf-8")
        same, deleted = groups.setdefault(encoded[:-1], ([], []))
        if out:
            same.append((chr(cp), out))
        else:
            deleted.append(chr(cp))
    return tuple((lead, tuple(same), tuple(deleted)) for lead, (same, deleted) in groups.items())


_FAST_LIMIT = 0xF000  # every character from here up starts with byte 0xEF in UTF-8
_SHORT = 256  # below this length one str.translate beats the fixed cost of the replace chain


def normalise(text: str, folds: tuple[Fold, ...] = FOLDS) -> Normalised:
    """Fold `text` with `folds` (default: the whole chain) and keep the map back to original offsets.

    Soft line breaks of a hard-wrapped text (`extractor.layout.soft_breaks`) become spaces: a line break that a mail
    program or a PDF converter put inside a sentence must not end it, nor stop a number phrase or a date."""
    norm = _fold(text, folds)
    if "\n" in norm.text:
        flowed = soft_breaks(norm.text)
        if flowed is not norm.text:
            return replace(norm, text=flowed)
    return norm


def _fold(text: str, folds: tuple[Fold, ...]) -> Normalised:
    table, pattern, trailing = _table(folds)
    if "&" in text:
        entities = _entities(text)
        if entities:
            return _normalise_entities(text, entities, table, trailing)
    if text.isascii():
        return Normalised(text, text, (0,), (0,), (False,), trailing)
    if len(text) < _SHORT:
        return _normalise_general(text, table, pattern, trailing)
    data = text.encode("utf-8", "surrogatepass")
    if b"\xef" not in data:
        return _normalise_fast(text, data, folds, trailing)
    return _normalise_general(text, table, pattern, trailing)


def _normalise_fast(text: str, data: bytes, folds: tuple[Fold, ...], trailing: frozenset[str]) -> Normalised:
    out = text
    gone: list[str] = []
    for lead, same, deleted in _plan(folds):
        if lead not in data:
            continue
        for ch, rep in same:
            if ch in text:
                out = out.replace(ch, rep)
        gone.extend(ch for ch in deleted if ch in text)
    if not gone:
        return Normalised(out, text, (0,), (0,), (False,), trailing)
    positions: list[int] = []
    find = text.find
    for ch in gone:
        out = out.replace(ch, "")
        i = find(ch)
        while i != -1:
            positions.append(i)
            i = find(ch, i + 1)
    positions.sort()
    nb: list[int] = [0]
    ob: list[int] = [0]
    delta = 0
    for o in positions:
        # After a deleted character, indices run parallel again from the next original character.
        delta -= 1
        n = o + 1 + delta
        if nb[-1] == n:
            ob[-1] = o + 1
        else:
            nb.append(n)
            ob.append(o + 1)
    return Normalised(out, text, tuple(nb), tuple(ob), (False,) * len(nb), trailing)


def _normalise_general(text: str, table: dict[int, str], pattern: re.Pattern[str] | None,
                       trailing: frozenset[str]) -> Normalised:
    folded = text.translate(table)
    if pattern is None or (len(folded) == len(text) and not pattern.search(text)):
        return Normalised(folded, text, (0,), (0,), (False,), trailing)
    nb: list[int] = [0]
    ob: list[int] = [0]
    flat: list[bool] = [False]
    delta = 0  # normalised index minus original index, before the current position
    for m in pattern.finditer(text):
        for o in range(m.start(), m.end()):
            delta = _fold_at(o, len(table.get(ord(text[o]), text[o])), delta, nb, ob, flat)
    return Normalised(folded, text, *_collapse(nb, ob, flat), trailing)


def _fold_at(o: int, width: int, delta: int, nb: list[int], ob: list[int], flat: list[bool]) -> int:
    """Record the offset-map breakpoints of original character `o` folded to `width` characters (0: deleted, 2 or
    more: an expansion, whose characters all map to `o`); return the new normalised-minus-original delta."""
    if width > 1:
        nb.append(o + delta)
        ob.append(o)
        flat.append(True)
    delta += width - 1
    # After this character, indices run parallel again from the next original character.
    nb.append(o + 1 + delta)
    ob.append(o + 1)
    flat.append(False)
    return delta


def _collapse(nb: list[int], ob: list[int],
              flat: list[bool]) -> tuple[tuple[int, ...], tuple[int, ...], tuple[bool, ...]]:
    """The offset map's breakpoints with those that land on the same normalised index (deletions) collapsed: the
    last one wins."""
    cnb: list[int] = []
    cob: list[int] = []
    cflat: list[bool] = []
    for n, o, f in zip(nb, ob, flat, strict=True):
        if cnb and cnb[-1] == n:
            cob[-1], cflat[-1] = o, f
        else:
            cnb.append(n)
            cob.append(o)
            cflat.append(f)
    return tuple(cnb), tuple(cob), tuple(cflat)


def _entities(text: str) -> list[tuple[int, int, str]]:
    return [(m.start(), m.end(), ch) for m in _ENTITY.finditer(text) if (ch := decode_entity(m.group())) is not None]


def _normalise_entities(text: str, entities: list[tuple[int, int, str]], table: dict[int, str],
                        trailing: frozenset[str]) -> Normalised:
    """The general path with decoded entities: every position whose output is not one character is a break."""
    changes: dict[int, str] = {}  # original position -> its output, where it is not the position's own fold
    for start, end, ch in entities:
        changes[start] = ch.translate(table)
        for o in range(start + 1, end):
            changes[o] = ""
    pieces: list[str] = []
    nb: list[int] = [0]
    ob: list[int] = [0]
    flat: list[bool] = [False]
    delta = 0
    last = 0
    positions = sorted(set(changes) | {o for o, c in enumerate(text) if len(table.get(ord(c), c)) != 1})
    for o in positions:
        pieces.append(text[last:o].translate(table))
        out = changes.get(o)
        if out is None:
            out = table.get(ord(text[o]), text[o])
        pieces.append(out)
        last = o + 1
        delta = _fold_at(o, len(out), delta, nb, ob, flat)
    pieces.append(text[last:].translate(table))
    spans = tuple((start, end) for start, end, _ in entities)
    return Normalised("".join(pieces), text, *_collapse(nb, ob, flat), trailing, spans)
