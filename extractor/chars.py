"""Named code points and character classes used by the normaliser and the engines.

Arabic letters are written here as escapes with names, so that character classes elsewhere stay readable.
pyarabic's tables are the reference for the harakat.
"""

from __future__ import annotations

from pyarabic import araby

# Letters and their variants.
ALEF = "\u0627"
ALEF_MADDA = "\u0622"
ALEF_HAMZA_ABOVE = "\u0623"
ALEF_HAMZA_BELOW = "\u0625"
ALEF_WASLA = "\u0671"
ALEF_MAKSURA = "\u0649"
YEH = "\u064a"
FARSI_YEH = "\u06cc"
KEHEH = "\u06a9"
KAF = "\u0643"
TEH_MARBUTA = "\u0629"
HEH = "\u0647"
WAW = "\u0648"
WAW_HAMZA = "\u0624"
YEH_HAMZA = "\u0626"
HAMZA = "\u0621"
TATWEEL = araby.TATWEEL

# Combining marks: harakat, tanween, shadda, sukun (from pyarabic), superscript alef, Quranic and hamza marks.
HARAKAT = "".join(araby.TASHKEEL)  # fathatan .. sukun, shadda
FATHATAN = "\u064b"
SHADDA = "\u0651"
SUPERSCRIPT_ALEF = "\u0670"
COMBINING_HAMZA = "\u0654\u0655"
MADDA_ABOVE = "\u0653"
OTHER_ARABIC_MARKS = "".join(chr(c) for c in range(0x0656, 0x0660)) + "".join(
    chr(c) for c in list(range(0x06D6, 0x06DD)) + list(range(0x06DF, 0x06E5)) + [0x06E7, 0x06E8]
    + list(range(0x06EA, 0x06EE)) + list(range(0x0610, 0x061B))
)
DIACRITICS = HARAKAT + SUPERSCRIPT_ALEF + COMBINING_HAMZA + MADDA_ABOVE + OTHER_ARABIC_MARKS

# Invisible format characters: joiners, direction marks, embeddings and isolates, BOM, soft hyphen.
ZWSP, ZWNJ, ZWJ, LRM, RLM = "\u200b", "\u200c", "\u200d", "\u200e", "\u200f"
ARABIC_LETTER_MARK = "\u061c"
BIDI_EMBEDDINGS = "".join(chr(c) for c in range(0x202A, 0x202F))  # LRE RLE PDF LRO RLO
BIDI_ISOLATES = "".join(chr(c) for c in range(0x2066, 0x206A))  # LRI RLI FSI PDI
WORD_JOINER = "\u2060"
BOM = "\ufeff"
SOFT_HYPHEN = "\u00ad"
INVISIBLES = (
    ZWSP + ZWNJ + ZWJ + LRM + RLM + ARABIC_LETTER_MARK
    + BIDI_EMBEDDINGS + BIDI_ISOLATES + WORD_JOINER + BOM + SOFT_HYPHEN
)

# Spaces other than U+0020 (NBSP, narrow NBSP used as a thousands separator, thin spaces, …).
OTHER_SPACES = "\u00a0\u1680" + "".join(chr(c) for c in range(0x2000, 0x200B)) + "\u202f\u205f\u3000"

# Digits and number punctuation.
ARABIC_INDIC_DIGITS = "".join(chr(c) for c in range(0x0660, 0x066A))
PERSIAN_DIGITS = "".join(chr(c) for c in range(0x06F0, 0x06FA))
ARABIC_DECIMAL_SEPARATOR = "\u066b"
ARABIC_THOUSANDS_SEPARATOR = "\u066c"
ARABIC_COMMA = "\u060c"
ARABIC_SEMICOLON = "\u061b"
ARABIC_QUESTION_MARK = "\u061f"
ARABIC_PERCENT = "\u066a"
ARABIC_FULL_STOP = "\u06d4"

# Quotation marks and dashes folded to ASCII.
DOUBLE_QUOTES = "\u00ab\u00bb\u201c\u201d\u201e\u201f\u2033\u275d\u275e\u301d\u301e\uff02"
SINGLE_QUOTES = "\u2018\u2019\u201a\u201b\u2032\u2039\u203a"
DASHES = "\u2010\u2011\u2012\u2013\u2014\u2015\u2212\ufe58\ufe63\uff0d"

# Presentation forms (ligatures and contextual shapes) and full-width forms: folded with NFKC.
PRESENTATION_FORM_RANGES = ((0xFB50, 0xFDFF), (0xFE70, 0xFEFE), (0xFF01, 0xFF5E))

# Proclitics that attach to the next word without a space (و، ف، ب، ل، ك and the article ال).
PROCLITIC_LETTERS = "\u0648\u0641\u0628\u0644\u0643"
