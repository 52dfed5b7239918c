"""The normaliser: every named fold on its own, their composition, and the offset map back to the original."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from extractor import chars as C
from extractor.normalise import (
    FOLDS,
    _fold,
    _normalise_general,
    _table,
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
    normalise,
)

ARABIC_LETTERS = "ابتثجحخدذرزسشصضطظعغفقكلمنهوي"


def _untouched(fold, sample: str = ARABIC_LETTERS + "abcXYZ019 .,") -> None:
    for ch in sample:
        assert fold(ch) == ch, (fold.__name__, ch)


# --- each fold on its own -----------------------------------------------------------------------------------
@pytest.mark.parametrize("ch", ["\ufefb", "\ufefc"])  # lam-alef ligatures, isolated and final
def test_fold_presentation_forms_splits_lam_alef_ligatures(ch: str) -> None:
    assert fold_presentation_forms(ch) in ("\u0644\u0627", "\u0644\u0623", "\u0644\u0625", "\u0644\u0622")
    assert len(fold_presentation_forms(ch)) == 2


def test_fold_presentation_forms_maps_contextual_shapes_and_fullwidth_digits() -> None:
    assert fold_presentation_forms("\ufe91") == "\u0628"  # beh, initial form
    assert fold_presentation_forms("\uff15") == "5"  # full-width five
    _untouched(fold_presentation_forms)


@pytest.mark.parametrize("mark", [*C.HARAKAT, C.SUPERSCRIPT_ALEF, "\u0653", "\u0654"])
def test_fold_diacritics_deletes_every_mark(mark: str) -> None:
    assert fold_diacritics(mark) == ""


def test_fold_diacritics_keeps_letters() -> None:
    _untouched(fold_diacritics)


def test_fold_tatweel() -> None:
    assert fold_tatweel(C.TATWEEL) == ""
    _untouched(fold_tatweel)


@pytest.mark.parametrize("ch", [C.ZWJ, C.ZWNJ, C.LRM, C.RLM, C.BOM, C.SOFT_HYPHEN, "\u202b", "\u202c", "\u2067",
                                "\u2069", C.ARABIC_LETTER_MARK, C.ZWSP])
def test_fold_invisibles_deletes(ch: str) -> None:
    assert fold_invisibles(ch) == ""


def test_fold_invisibles_keeps_visible_text() -> None:
    _untouched(fold_invisibles)


@pytest.mark.parametrize("ch", ["\u00a0", "\u202f", "\u2009", "\u2002", "\u3000"])
def test_fold_spaces(ch: str) -> None:
    assert fold_spaces(ch) == " "
    _untouched(fold_spaces)


@pytest.mark.parametrize("ch", [C.ALEF_HAMZA_ABOVE, C.ALEF_HAMZA_BELOW, C.ALEF_MADDA, C.ALEF_WASLA])
def test_fold_alef(ch: str) -> None:
    assert fold_alef(ch) == C.ALEF
    _untouched(fold_alef)


def test_fold_alef_maksura() -> None:
    assert fold_alef_maksura(C.ALEF_MAKSURA) == C.YEH
    _untouched(fold_alef_maksura)


def test_fold_teh_marbuta() -> None:
    assert fold_teh_marbuta(C.TEH_MARBUTA) == C.HEH
    _untouched(fold_teh_marbuta)


def test_fold_hamza_seats_keeps_the_lone_hamza() -> None:
    assert fold_hamza_seats(C.WAW_HAMZA) == C.WAW
    assert fold_hamza_seats(C.YEH_HAMZA) == C.YEH
    assert fold_hamza_seats(C.HAMZA) == C.HAMZA
    _untouched(fold_hamza_seats)


def test_fold_persian_letters() -> None:
    assert fold_persian_letters(C.FARSI_YEH) == C.YEH
    assert fold_persian_letters(C.KEHEH) == C.KAF
    _untouched(fold_persian_letters)


def test_fold_digits_in_both_eastern_series() -> None:
    assert "".join(fold_digits(ch) for ch in C.ARABIC_INDIC_DIGITS) == "0123456789"
    assert "".join(fold_digits(ch) for ch in C.PERSIAN_DIGITS) == "0123456789"
    _untouched(fold_digits)


def test_fold_number_punctuation() -> None:
    assert fold_number_punctuation(C.ARABIC_DECIMAL_SEPARATOR) == "."
    assert fold_number_punctuation(C.ARABIC_THOUSANDS_SEPARATOR) == ","
    assert fold_number_punctuation(C.ARABIC_COMMA) == ","
    assert fold_number_punctuation(C.ARABIC_PERCENT) == "%"
    _untouched(fold_number_punctuation)


def test_fold_punctuation() -> None:
    assert [fold_punctuation(ch) for ch in "«»“”"] == ['"'] * 4
    assert [fold_punctuation(ch) for ch in "‘’"] == ["'"] * 2
    assert [fold_punctuation(ch) for ch in "–—"] == ["-"] * 2
    assert fold_punctuation(C.ARABIC_SEMICOLON) == ";"
    assert fold_punctuation(C.ARABIC_QUESTION_MARK) == "?"
    _untouched(fold_punctuation)


# --- the composed pass ----------------------------------------------------------------------------------------
def test_composition_folds_a_vocalised_scale_word() -> None:
    assert normalise("أَلْفًا").text == "الفا"
    assert normalise("مِئَةٌ").text == "ميه"
    assert normalise("٢٨٬٤٩٥٬٩٤٧").text == "28,495,947"
    assert normalise("ثلاثـــة").text == "ثلاثه"


def test_ascii_text_is_returned_as_is() -> None:
    n = normalise("over 1,500 channels")
    assert n.text == n.original == "over 1,500 channels"
    assert n.span(5, 10) == (5, 10)


def test_span_maps_back_over_deleted_marks() -> None:
    text = "حُذِفَ خَمْسَةُ مَلَايِينَ"
    n = normalise(text)
    s = n.text.index("خمسه")
    start, end = n.span(s, s + len("خمسه"))
    assert text[start:end] == "خَمْسَةُ"  # the trailing damma belongs to the word


def test_span_after_a_ligature() -> None:
    text = "\ufefb 12"
    n = normalise(text)
    assert n.text == "لا 12"
    s = n.text.index("12")
    assert n.span(s, s + 2) == (2, 4)
    assert n.span(0, 2) == (0, 1)


def test_leading_invisible_marks_are_skipped_by_a_span_start() -> None:
    text = "\u200f\u200e42"
    n = normalise(text)
    assert n.text == "42"
    assert n.span(0, 2) == (2, 4)


# --- properties -----------------------------------------------------------------------------------------------
# An alphabet that exercises every fold: letters and their variants, marks, tatweel, invisibles, spaces, digits,
# separators, quotes; ligatures are tested separately because they expand.
_ALPHABET = (ARABIC_LETTERS + "أإآٱىةؤئیکء" + C.HARAKAT + C.SUPERSCRIPT_ALEF + C.TATWEEL + C.ZWNJ + C.RLM + C.BOM
             + C.SOFT_HYPHEN + "\u00a0\u202f " + C.ARABIC_INDIC_DIGITS + C.PERSIAN_DIGITS + "0123456789٫٬،٪%.,"
             + "«»“”–abc\n")
_LIGATURES = "\ufefb\ufef5\ufdf2\ufe8d\uff15"


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=_ALPHABET, max_size=60), st.data())
def test_every_mapped_span_holds_exactly_the_normalised_phrase(text: str, data: st.DataObject) -> None:
    n = normalise(text)
    s = data.draw(st.integers(0, len(n.text)))
    e = data.draw(st.integers(s, len(n.text)))
    o0, o1 = n.span(s, e)
    assert 0 <= o0 <= o1 <= len(text)
    # Character folds are local; a soft line break (a space in `n.text`) depends on the lines around it.
    assert normalise(text[o0:o1]).text.replace("\n", " ") == n.text[s:e].replace("\n", " ")


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=_ALPHABET, max_size=120))
def test_soft_line_breaks_only_turn_line_breaks_into_spaces(text: str) -> None:
    n, folded = normalise(text), _fold(text, FOLDS)
    assert len(n.text) == len(folded.text)
    assert all(a == b or (a == " " and b == "\n") for a, b in zip(n.text, folded.text, strict=True))
    assert [n.to_original(i) for i in range(len(n.text))] == [folded.to_original(i) for i in range(len(n.text))]


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=_ALPHABET + _LIGATURES, max_size=60), st.data())
def test_spans_with_ligatures_cover_the_phrase(text: str, data: st.DataObject) -> None:
    n = normalise(text)
    s = data.draw(st.integers(0, len(n.text)))
    e = data.draw(st.integers(s, len(n.text)))
    o0, o1 = n.span(s, e)
    assert 0 <= o0 <= o1 <= len(text)
    # (a soft line break is a space in one text and a line break in a piece of it)
    assert n.text[s:e].replace("\n", " ") in normalise(text[o0:o1]).text.replace("\n", " ")


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=_ALPHABET, max_size=80))
def test_fast_path_equals_the_general_path(text: str) -> None:
    table, pattern, trailing = _table(FOLDS)
    fast, general = _fold(text, FOLDS), _normalise_general(text, table, pattern, trailing)
    assert fast.text == general.text
    for i in range(len(fast.text) + 1):
        assert fast.to_original(i) == general.to_original(i)
        assert fast.to_original_end(i) == general.to_original_end(i)


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=80))
def test_any_string_normalises_and_maps_monotonically(text: str) -> None:
    n = normalise(text)
    positions = [n.to_original(i) for i in range(len(n.text) + 1)]
    assert positions == sorted(positions)
    assert positions[-1] == len(text)


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet="ab \u064b\u0651\u0640\ufefb\u200f\u0661" + "\u0623", max_size=60), st.data())
def test_bulk_spans_agree_with_span(text: str, data) -> None:
    norm = normalise(text)
    n = len(norm.text)
    pairs = sorted(data.draw(st.lists(st.tuples(st.integers(0, n), st.integers(0, n)), max_size=12)))
    assert norm.spans(pairs) == [norm.span(s, e) for s, e in pairs]


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet="ab \u064b\u0651\u0640\ufefb\u200f\u0661" + "\u0623", max_size=60))
def test_to_normalised_inverts_to_original(text: str) -> None:
    norm = normalise(text)
    for i in range(len(norm.text)):
        o = norm.to_original(i)
        if i == 0 or norm.to_original(i - 1) != o:  # the first character a ligature expands to, or any other
            assert norm.to_normalised(o) == i
    assert norm.to_normalised(len(text)) == len(norm.text)
    previous = 0
    for o in range(len(text) + 1):
        n = norm.to_normalised(o)
        assert previous <= n <= len(norm.text)
        previous = n


# --- HTML entities left by a bad scrape ------------------------------------------------------------------------
def test_html_entities_are_decoded_and_spans_cover_the_whole_entity() -> None:
    text = "حذفت المنصة &quot;ميتا&quot; 4&nbsp;ملايين منشور &amp; أغلقت 310 &#1581;&#x633;ابات"
    n = normalise(text)
    assert n.text == 'حذفت المنصه "ميتا" 4 ملايين منشور & اغلقت 310 حسابات'
    i = n.text.index('"ميتا"')
    s, e = n.span(i, i + len('"ميتا"'))
    assert text[s:e] == "&quot;ميتا&quot;"
    i = n.text.index("حسابات")
    assert text[slice(*n.span(i, i + len("حسابات")))] == "&#1581;&#x633;ابات"
    assert n.spans([(i, i + 2)]) == [n.span(i, i + 2)]


@pytest.mark.parametrize("text", ["AT&T and R&D", "a &bogus; entity", "&#0; &#xD800; &#99999999;", "& ;"])
def test_text_that_is_no_entity_stays_as_written(text: str) -> None:
    assert normalise(text).text == text


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from(["&quot;", "&amp;", "&nbsp;", "&#1575;", "&#x644;", "&lt;", "&bogus;", "ا", "ً",
                                 " ", "5", "\u200f", "&"]), max_size=30), st.data())
def test_entity_spans_map_back_exactly(parts: list[str], data: st.DataObject) -> None:
    text = "".join(parts)
    n = normalise(text)
    s = data.draw(st.integers(0, len(n.text)))
    e = data.draw(st.integers(s, len(n.text)))
    o0, o1 = n.span(s, e)
    assert 0 <= o0 <= o1 <= len(text)
    assert normalise(text[o0:o1]).text == n.text[s:e]
    assert n.spans([(s, e)]) == [(o0, o1)]
