"""The folds on their own (`extractor.folds.fold_text`) fold a string exactly as the normaliser does, and the soft-break
stage reads its words from the pattern files folded the same way as the stages after it read them."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from extractor.folds import fold_text
from extractor.layout import _scale_words, boundary_words
from extractor.normalise import _fold, normalise
from extractor.numbers.lexicon import lexicon
from extractor.patterns import load

# Arabic letters and marks, presentation forms, digits of three scripts, spaces, invisibles, entities, Latin.
_ALPHABET = st.sampled_from([*"ابةىأإآؤئیکـًٌٍَُِّْ٠١٩۴٫٬،؛؟«»“”–—\u00a0\u200f\ufeff\ufefb\ufef5ﺑ５ Aa1.;&#x627",
                             "&quot;", "&#1575;", "&amp;", "&nbsp;", "&bogus;", "\n"])


@settings(max_examples=500, deadline=None)
@given(st.lists(_ALPHABET, max_size=30).map("".join))
def test_fold_text_is_the_normaliser_without_its_map(text: str) -> None:
    assert fold_text(text) == _fold(text, normalise.__defaults__[0]).text
    if "\n" not in text:
        assert fold_text(text) == normalise(text).text


def test_boundary_words_are_folded_as_the_normaliser_folds_them() -> None:
    data = load("boundaries")
    words = boundary_words()
    for key in ("continuers", "openers", "lead_verbs", "questions", "complementisers", "credits"):
        assert getattr(words, key) == frozenset(normalise(w).text for w in data.get(key, [])), key


def test_the_soft_break_stage_reads_the_scale_words_the_number_lexicon_reads() -> None:
    from_lexicon = frozenset(form for form, ws in lexicon().words.items() if any(w.role == "scale" for w in ws))
    assert _scale_words() == from_lexicon
    assert {"مليون", "الف", "million"} <= _scale_words()  # folded: ألف → الف


def test_a_number_broken_across_lines_still_joins() -> None:
    # `_number_goes_on`: digits at a line's end and a scale word opening the next are one phrase.
    text = "وأعلنت المنصة أنها أزالت 43\nمليون محتوى متطرف خلال العام."
    assert normalise(text).text == fold_text(text.replace("\n", " "))
