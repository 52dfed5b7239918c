"""The normaliser: named, pure character folds composed into one pass that keeps a map back to the original.

Every fold maps one character to a string (usually one character; "" deletes it; several for a ligature).
`normalise()` applies the composed table with `str.translate` (C speed) and then rebuilds the offset map only
around the characters whose length changes, so text without diacritics or ligatures costs almost nothing.
Spans map back exactly: for a span `[s, e)` of `Normalised.text`, `Normalised.span(s, e)` gives the original span,
and deleted marks that trail the last character of the span (tanween, shadda, tatweel) stay inside it.

To add a fold: write a function `fold_x(ch) -> str` for one character, add it to `FOLDS` (order matters: later folds
see the output of earlier ones) and test it on its own in tests/test_normalise.py.
"""

from __future__ import annotations

import unicodedata
from bisect import bisect_right
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import lru_cache

import regex

from . import chars as C


def fold_presentation_forms(ch: str) -> str:
    """Arabic presentation forms, ligatures and full-width forms → their NFKC letters (ﻻ → لا, ５ → 5)."""
    cp = ord(ch)
    if any(lo <= cp <= hi for lo, hi in C.PRESENTATION_FORM_RANGES):
        out = unicodedata.normalize("NFKC", ch)
        # NFKC turns a few isolated harakat forms into " َ": keep only the letters.
        return out.strip() or ch
    return ch


def fold_diacritics(ch: str) -> str:
    """Harakat, tanween, shadda, sukun, superscript alef and Quranic marks → deleted."""
    return "" if ch in C.DIACRITICS else ch


def fold_tatweel(ch: str) -> str:
    """Tatweel (kashida) → deleted."""
    return "" if ch == C.TATWEEL else ch


def fold_invisibles(ch: str) -> str:
    """Zero-width joiners, direction marks, bidi embeddings and isolates, BOM, soft hyphen → deleted."""
    return "" if ch in C.INVISIBLES else ch


def fold_spaces(ch: str) -> str:
    """NBSP, narrow NBSP, thin and other spaces → an ASCII space."""
    return " " if ch in C.OTHER_SPACES else ch


def fold_alef(ch: str) -> str:
    """Alef with hamza above or below, alef madda and alef wasla → bare alef."""
    return C.ALEF if ch in (C.ALEF_HAMZA_ABOVE, C.ALEF_HAMZA_BELOW, C.ALEF_MADDA, C.ALEF_WASLA) else ch


def fold_alef_maksura(ch: str) -> str:
    """Alef maksura → yeh (على / علي are written both ways in the press)."""
    return C.YEH if ch == C.ALEF_MAKSURA else ch


def fold_teh_marbuta(ch: str) -> str:
    """Teh marbuta → heh; for matching only (the original text keeps it)."""
    return C.HEH if ch == C.TEH_MARBUTA else ch


def fold_hamza_seats(ch: str) -> str:
    """Hamza on waw or yeh → the bare seat (مئة/ميه, مسؤول/مسوول): safe because lexicons are folded the same way."""
    if ch == C.WAW_HAMZA:
        return C.WAW
    if ch == C.YEH_HAMZA:
        return C.YEH
    return ch


def fold_persian_letters(ch: str) -> str:
    """Farsi yeh and keheh → Arabic yeh and kaf."""
    if ch == C.FARSI_YEH:
        return C.YEH
    if ch == C.KEHEH:
        return C.KAF
    return ch


def fold_digits(ch: str) -> str:
    """Arabic-Indic and Persian digits → ASCII digits."""
    if ch in C.ARABIC_INDIC_DIGITS:
        return str(ord(ch) - 0x0660)
    if ch in C.PERSIAN_DIGITS:
        return str(ord(ch) - 0x06F0)
    return ch


def fold_number_punctuation(ch: str) -> str:
    """Arabic decimal separator → '.', thousands separator and Arabic comma → ',', Arabic percent → '%'."""
    return {
        C.ARABIC_DECIMAL_SEPARATOR: ".",
        C.ARABIC_THOUSANDS_SEPARATOR: ",",
        C.ARABIC_COMMA: ",",
        C.ARABIC_PERCENT: "%",
    }.get(ch, ch)


def fold_punctuation(ch: str) -> str:
    """Guillemets and curly quotes → '"' or "'", dashes → '-', Arabic semicolon, question mark, full stop → ASCII."""
    if ch in C.DOUBLE_QUOTES:
        return '"'
    if ch in C.SINGLE_QUOTES:
        return "'"
    if ch in C.DASHES:
        return "-"
    return {C.ARABIC_SEMICOLON: ";", C.ARABIC_QUESTION_MARK: "?", C.ARABIC_FULL_STOP: "."}.get(ch, ch)


Fold = Callable[[str], str]

# The default chain, in order. Presentation forms come first so that their letters go through the other folds.
FOLDS: tuple[Fold, ...] = (
    fold_presentation_forms,
    fold_diacritics,
    fold_tatweel,
    fold_invisibles,
    fold_spaces,
    fold_alef,
    fold_alef_maksura,
    fold_teh_marbuta,
    fold_hamza_seats,
    fold_persian_letters,
    fold_digits,
    fold_number_punctuation,
    fold_punctuation,
)

# Characters any fold may touch; everything else maps to itself.
_DOMAIN_RANGES = ((0x00A0, 0x00AD), (0x0600, 0x06FF), (0x1680, 0x1680), (0x2000, 0x206F), (0x3000, 0x301F),
                  (0xFB50, 0xFDFF), (0xFE50, 0xFEFF), (0xFF01, 0xFF5E))


def _apply(folds: Iterable[Fold], ch: str) -> str:
    out = ch
    for fold in folds:
        out = "".join(fold(c) for c in out)
    return out


@lru_cache(maxsize=8)
def _table(folds: tuple[Fold, ...]) -> tuple[dict[int, str], regex.Pattern[str] | None, frozenset[str]]:
    """The composed translate table, a pattern of length-changing characters, and the deleted combining marks."""
    table: dict[int, str] = {}
    changing: list[str] = []
    for lo, hi in _DOMAIN_RANGES:
        for cp in range(lo, hi + 1):
            ch = chr(cp)
            out = _apply(folds, ch)
            if out != ch:
                table[cp] = out
                if len(out) != 1:
                    changing.append(ch)
    pattern = regex.compile("[" + "".join(regex.escape(c) for c in changing) + "]+") if changing else None
    trailing = frozenset(c for c in C.DIACRITICS + C.TATWEEL if _apply(folds, c) == "")
    return table, pattern, trailing


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
        return o

    def span(self, start: int, end: int) -> tuple[int, int]:
        """Map a normalised span `[start, end)` to the original span holding exactly that phrase."""
        if end <= start:
            o = self.to_original(start)
            return o, o
        return self.to_original(start), self.to_original_end(end)


def normalise(text: str, folds: tuple[Fold, ...] = FOLDS) -> Normalised:
    """Fold `text` with `folds` (default: the whole chain) and keep the map back to original offsets."""
    table, pattern, trailing = _table(folds)
    folded = text.translate(table)
    if pattern is None or (len(folded) == len(text) and not pattern.search(text)):
        return Normalised(folded, text, (0,), (0,), (False,), trailing)
    nb: list[int] = [0]
    ob: list[int] = [0]
    flat: list[bool] = [False]
    delta = 0  # normalised index minus original index, before the current position
    for m in pattern.finditer(text):
        for o in range(m.start(), m.end()):
            out = table.get(ord(text[o]), text[o])
            n = o + delta
            if len(out) > 1:
                nb.append(n)
                ob.append(o)
                flat.append(True)
            delta += len(out) - 1
            # After this character, indices run parallel again from the next original character.
            nb.append(o + 1 + delta)
            ob.append(o + 1)
            flat.append(False)
    # Collapse breaks that land on the same normalised index (deletions): the last one wins.
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
    return Normalised(folded, text, tuple(cnb), tuple(cob), tuple(cflat), trailing)
