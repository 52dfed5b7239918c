"""The character folds: named, pure functions of one character, composed once into one translate table.

Every fold maps one character to a string (usually one character; "" deletes it; several for a ligature). `_table`
composes a chain of them (in order: later folds see the output of earlier ones) into one table over the characters
any fold may touch. `fold_text()` folds a string with it exactly as `extractor.normalise.normalise()` folds a text,
without the offset map and without the soft line breaks of the next stage: lexicon words (number words, boundary
words) are folded with it, so that data and text meet folded. HTML entities a bad scrape leaves (`&quot;`) are
decoded first, as the normaliser decodes them.

This module imports no other stage: the normaliser, the soft-break stage (`extractor.layout`) and the lexicons all
build on it, and none of them on each other in a circle.

To add a fold: write a function `fold_x(ch) -> str` for one character, add it to `FOLDS` (order matters) and test it
on its own in tests/test_normalise.py.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable
from functools import lru_cache
from html.entities import html5
from pathlib import Path

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
_DOMAIN_RANGES = ((0x00A0, 0x00BF), (0x0600, 0x06FF), (0x1680, 0x1680), (0x2000, 0x206F), (0x3000, 0x301F),
                  (0xFB50, 0xFDFF), (0xFE50, 0xFEFF), (0xFF01, 0xFF5E))


def _apply(folds: Iterable[Fold], ch: str) -> str:
    out = ch
    for fold in folds:
        out = "".join(fold(c) for c in out)
    return out


@lru_cache(maxsize=8)
def _table(folds: tuple[Fold, ...]) -> tuple[dict[int, str], re.Pattern[str] | None, frozenset[str]]:
    """The composed translate table, a pattern of length-changing characters, and the deleted combining marks."""
    if folds == FOLDS:  # the default chain: composed once per installation (~10 ms a start), kept in rasd's cache
        from .cache import cached

        here = Path(__file__).parent
        table, changing, trailing = cached("fold_table", [here / "folds.py", here / "chars.py"],
                                           lambda: _compose(folds))
    else:
        table, changing, trailing = _compose(folds)
    pattern = re.compile("[" + "".join(re.escape(c) for c in changing) + "]+") if changing else None
    return table, pattern, trailing


def _compose(folds: tuple[Fold, ...]) -> tuple[dict[int, str], str, frozenset[str]]:
    """Every character any fold touches → its output through the chain; the characters whose length changes; the
    combining marks the chain deletes."""
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
    trailing = frozenset(c for c in C.DIACRITICS + C.TATWEEL if _apply(folds, c) == "")
    return table, "".join(changing), trailing


def fold_text(text: str, folds: tuple[Fold, ...] = FOLDS) -> str:
    """`text` folded as `normalise(text, folds).text` folds it, soft line breaks apart (a word or a one-line text:
    the same string)."""
    if "&" in text:
        text = decode_entities(text)
    return text.translate(_table(folds)[0])


# HTML entities a bad scrape leaves in the text (`&quot;`, `&nbsp;`, `&amp;`, `&#1575;`, `&#x627;`): decoded to their
# character, which then goes through the folds like any other. Only complete entities (with the `;`) that stand for
# one character. The `&` carries the character; the rest of the entity is deleted, and a span that ends inside an
# entity ends after it, so evidence spans stay exact in the original text.
_ENTITY = re.compile(r"&(?:#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});")


def decode_entity(entity: str) -> str | None:
    """The one character an HTML entity stands for (`&quot;` → `"`), or None for anything else."""
    body = entity[1:-1]
    if body.startswith("#"):
        try:
            cp = int(body[2:], 16) if body[1:2] in ("x", "X") else int(body[1:])
        except ValueError:
            return None
        if cp == 0 or cp > 0x10FFFF or 0xD800 <= cp <= 0xDFFF:
            return None
        return chr(cp)
    value = html5.get(body + ";")
    return value if value is not None and len(value) == 1 else None


def decode_entities(text: str) -> str:
    """`text` with every complete one-character HTML entity decoded (`ميت&#1575;` → `ميتا`)."""
    if "&" not in text:
        return text
    return _ENTITY.sub(lambda m: decode_entity(m.group()) or m.group(), text)
